"""Issue 17's cold start: the first frame's quick read of the file leaves the counts out (a
count over every big table is most of that read on a large municipality); the home screen
draws without them and fills them in once the database is open."""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

import pytest

from tests.tui.helpers import FakeClock, build_small, hold_database_open, run_async, settle


@pytest.fixture
def path(tmp_path: Path) -> Path:
    path = tmp_path / "dag.db"
    build_small(path)
    return path


@pytest.fixture
def slow_open(path: Path, monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """From now on, opening a database waits until the test sets the returned event."""
    return hold_database_open(monkeypatch)


def test_quick_read_without_counts_is_the_same_read_without_them(path: Path) -> None:
    from models.overview import quick_home

    full = quick_home(path)
    quick = quick_home(path, with_counts=False)
    assert full is not None and full.counts is not None and full.counts.maal == 2
    assert quick is not None and quick.counts is None
    assert quick == dataclasses.replace(full, counts=None)


@run_async
async def test_home_shows_the_counts_once_the_database_is_open(
    path: Path, slow_open: threading.Event
) -> None:
    from textual.widgets import OptionList, Static

    from screens.home import COUNTS_PENDING, HomeScreen
    from tui.app import UdviklingsdagApp

    app = UdviklingsdagApp(str(path), clock=FakeClock())
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen) and app.workspace is None and app.quick_home
        line = home.query_one("#home-counts", Static)
        assert str(line.render()) == COUNTS_PENDING
        days = home.query_one("#home-days", OptionList)
        assert "Fællesskaber del 1" in str(days.get_option_at_index(0).prompt)
        slow_open.set()
        await settle(app, pilot)
        assert app.screen is home
        shown = str(line.render())
        assert "2 mål" in shown and "3 enheder" in shown, shown
