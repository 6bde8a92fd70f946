"""Forbered's forms: a mål's målplan picker offers the chosen enhed's plans (and follows a
change of enhed, saving the plan it leads to), and a new målplan starts at the plan year being
prepared (next year's in the autumn), not the calendar year."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from tests.tui.helpers import FakeClock, build_small, run_async, settle


def _app(path: Path, clock: FakeClock) -> Any:
    from tui.app import UdviklingsdagApp

    return UdviklingsdagApp(str(path), clock=clock)


def _world(path: Path) -> dict[str, Any]:
    from models.db import open_database
    from models.store import Store

    ids = build_small(path)
    db = open_database(str(path))
    try:
        s = Store(db)
        ids["skole27"] = s.create("maalplan", enhed_id=ids["skole"], aar=2027, titel="Skole 2027")
        ids["fam27"] = s.create("maalplan", enhed_id=ids["fam"], aar=2027, titel="Fam 2027")
        ids["fam26"] = s.create("maalplan", enhed_id=ids["fam"], aar=2026, titel="Fam 2026")
        s.update("maal", ids["m1"], maalplan_id=ids["skole27"])
    finally:
        db.close()
    return ids


def _maalplan_of(path: Path, maal_id: str) -> str | None:
    from models.db import open_database
    from models.queries import live_rows

    db = open_database(str(path))
    try:
        return next(r["maalplan_id"] for r in live_rows(db, "maal") if r["id"] == maal_id)
    finally:
        db.close()


@run_async
async def test_maal_form_plan_picker_follows_the_enhed(tmp_path: Path) -> None:
    from textual.widgets import Select

    from screens.forms import RecordForm

    path = tmp_path / "p.db"
    ids = _world(path)
    app = _app(path, FakeClock())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.action_prepare()
        await settle(app, pilot)
        app.screen.open_form("maal", ids["m1"])
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        enhed = form.query_one("#f-enhed_id", Select)
        plan = form.query_one("#f-maalplan_id", Select)

        def offered() -> set[str]:
            return {str(v) for _label, v in plan._options if v is not Select.NULL}

        assert offered() == {ids["skole27"]} and plan.value == ids["skole27"]
        enhed.value = ids["fam"]  # two plans: none is taken for the user, and that is saved
        await settle(app, pilot)
        assert offered() == {ids["fam27"], ids["fam26"]}
        assert plan.value is Select.NULL
        assert _maalplan_of(path, ids["m1"]) is None
        plan.value = ids["fam26"]
        await settle(app, pilot)
        assert _maalplan_of(path, ids["m1"]) == ids["fam26"]
        enhed.value = ids["ppr"]  # no plan at all
        await settle(app, pilot)
        assert offered() == set() and _maalplan_of(path, ids["m1"]) is None
        enhed.value = ids["skole"]  # its one plan is taken and saved
        await settle(app, pilot)
        assert offered() == {ids["skole27"]} and plan.value == ids["skole27"]
        assert _maalplan_of(path, ids["m1"]) == ids["skole27"]


@run_async
async def test_new_maalplan_starts_at_the_plan_year_being_prepared(tmp_path: Path) -> None:
    from textual.widgets import Input

    from screens.forms import RecordForm

    path = tmp_path / "p.db"
    _world(path)
    for now, year in ((datetime(2026, 12, 3, 10, 0), "2027"), (datetime(2027, 3, 1, 9), "2027")):
        app = _app(path, FakeClock(now))
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            app.action_prepare()
            await settle(app, pilot)
            app.screen.open_form("maalplan", None)
            await settle(app, pilot)
            assert isinstance(app.screen, RecordForm)
            assert app.screen.query_one("#f-aar", Input).value == year


@run_async
async def test_a_new_row_is_highlighted_in_its_list(tmp_path: Path) -> None:
    """M, a målsætning's text, Esc: the mål list highlights the new målsætning (it stayed on
    the row the cursor was on before)."""
    from textual.widgets import TextArea

    from screens.forms import RecordForm
    from screens.prepare import MAALSAETNING_PREFIX, PrepareScreen

    path = tmp_path / "p.db"
    _world(path)
    app = _app(path, FakeClock())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.action_prepare()
        await settle(app, pilot)
        await pilot.press("m")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, RecordForm) and form.spec.entity == "maalsaetning"
        area = form.query_one("#f-tekst", TextArea)
        area.focus()
        area.insert("Flere ældre bor trygt hjemme.")
        await pilot.press("tab")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        prep = app.screen
        assert isinstance(prep, PrepareScreen)
        listing = prep.query_one("#prep-maal")
        highlighted = listing.highlighted_id or ""
        assert highlighted.startswith(MAALSAETNING_PREFIX)
        assert "Flere ældre bor trygt hjemme." in str(listing.get_option(highlighted).prompt)


@run_async
async def test_opening_a_maal_leaves_its_plan_alone(tmp_path: Path) -> None:
    """Opening a mål in Forbered and closing it changes nothing: a mål on another enhed's
    plan stays there, and one on no plan stays on none (Textual's «changed» as the enhed
    picker mounted moved them; the review found it)."""
    from models.db import open_database
    from models.store import Store
    from screens.forms import RecordForm

    path = tmp_path / "p.db"
    ids = _world(path)
    db = open_database(str(path))
    try:
        s = Store(db)
        s.update("maal", ids["m1"], maalplan_id=ids["fam27"])  # Nordlys' mål, Familiehuset's plan
        ids["m3"] = s.create(
            "maal", maalsaetning_id=ids["ms"], enhed_id=ids["skole"], tekst="Uden plan"
        )
    finally:
        db.close()
    app = _app(path, FakeClock())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.action_prepare()
        await settle(app, pilot)
        for maal_id in (ids["m1"], ids["m3"]):
            app.screen.open_form("maal", maal_id)
            await settle(app, pilot)
            assert isinstance(app.screen, RecordForm)
            await pilot.press("escape")
            await settle(app, pilot)
            assert not isinstance(app.screen, RecordForm)
    assert _maalplan_of(path, ids["m1"]) == ids["fam27"]
    assert _maalplan_of(path, ids["m3"]) is None
