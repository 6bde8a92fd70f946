"""`models.memory.collector_paused`: the garbage collector off inside, as it was after."""

from __future__ import annotations

import gc
from contextlib import closing
from datetime import date

import pytest

from models.memory import collector_paused, each_paused


@pytest.fixture
def collector_enabled():
    """The collector on for the test, and after it as it was before (a test that turns it off
    must not leave it off for the tests that run after it in the same process: the merge's
    memory test measured the garbage of its cycles then)."""
    was = gc.isenabled()
    gc.enable()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_paused_inside_and_resumed_after_even_on_an_error(collector_enabled):
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer block still holds it
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("stop")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off(collector_enabled):
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_reading_a_report_and_plans_leaves_the_collector_on(demo_store, collector_enabled):
    from models.maalplan_view import iter_maalplaner
    from models.status_report import report_years, status_report

    seen: list[bool] = []
    for batch in iter_maalplaner(demo_store.db, sizes=(1,)):
        seen.append(gc.isenabled())  # the caller works on each batch with it on
        assert batch
    assert seen and all(seen)
    report = status_report(demo_store.db, max(report_years(demo_store.db)), date(2027, 8, 16))
    assert report.maal and gc.isenabled()


def test_each_item_paused_and_the_collector_on_between_and_after(collector_enabled):
    seen: list[tuple[object, bool]] = []
    for item in each_paused([0, None, "x"]):  # None is an item like any other
        seen.append((item, gc.isenabled()))
    assert seen == [(0, False), (None, False), ("x", False)]
    assert gc.isenabled()
    with closing(each_paused(range(5))) as items:
        for n in items:
            if n == 1:
                break
    assert gc.isenabled()  # closed early: resumed at once
