"""The home screen comes up from a plain read of the file while the database layer is still
loading (issue 6's cold start); what the user asks for in that moment waits and then happens."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from models import settings
from tests.tui.helpers import FakeClock, build_small, hold_database_open, run_async, settle


@pytest.fixture
def slow_open(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """From now on, opening a database waits until the test sets the returned event."""
    return hold_database_open(monkeypatch)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "dag.db"


@pytest.fixture
def ids(path: Path) -> dict:
    return build_small(path)  # (before slow_open: fixtures run in the order they are named)


@run_async
async def test_home_shows_data_and_queues_actions_before_the_database_opens(
    path: Path, ids: dict, slow_open: threading.Event
) -> None:
    from textual.widgets import OptionList

    from screens.bord import BordScreen
    from screens.home import HomeScreen
    from tui.app import UdviklingsdagApp

    app = UdviklingsdagApp(str(path), clock=FakeClock())
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen) and app.workspace is None
        days = home.query_one("#home-days", OptionList)
        assert "Fællesskaber del 1" in str(days.get_option_at_index(0).prompt)
        borde = home.query_one("#home-borde", OptionList)
        assert app.focused is borde  # the remembered bord
        assert borde.get_option_at_index(borde.highlighted).id == ids["bord"]
        # The user moves and chooses at once; opening the bord waits for the database.
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is home
        slow_open.set()
        await settle(app, pilot)
        assert isinstance(app.screen, BordScreen)
        assert app.workspace is not None and app.bord_id == ids["bord"]
        # Back home: the screen reads again through the database layer, same data.
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is home
        assert "Fællesskaber del 1" in str(days.get_option_at_index(0).prompt)


@run_async
async def test_undo_theme_and_programme_asked_for_early_are_not_lost(
    path: Path, ids: dict, slow_open: threading.Event
) -> None:
    from screens.forms import ConfirmScreen
    from screens.home import HomeScreen
    from screens.program import ProgramScreen
    from tui.app import UdviklingsdagApp

    app = UdviklingsdagApp(str(path), clock=FakeClock())
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert app.workspace is None
        theme = app.theme
        await pilot.press("ctrl+t")  # the new theme is saved once the database is open
        await pilot.press("ctrl+z")  # build_small's last action (the tegn), made before
        await pilot.press("f3")  # the day's programme: it reads the database
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        slow_open.set()
        await settle(app, pilot)
        # The tegn was made before this session: the undo asks first (J undoes it).
        assert isinstance(app.screen, ConfirmScreen)
        assert "før programmet blev åbnet" in app.screen.question
        assert app.workspace.maal(ids["m1"]).tegn != ()
        await pilot.press("shift+tab", "enter")  # «Fortryd den» (no letter answers it)
        await settle(app, pilot)
        assert isinstance(app.screen, ProgramScreen)
        assert app.theme != theme
        assert app.workspace.setting(settings.THEME) == app.theme
        assert app.workspace.maal(ids["m1"]).tegn == ()


@run_async
async def test_keys_pressed_twice_early_open_one_screen_and_the_name_is_kept(
    path: Path, ids: dict, slow_open: threading.Event
) -> None:
    """Impatient keys before the database opens: of the screens asked for, the last one
    opens (once); a laptop name confirmed and then the dialog closed is still saved."""
    import sqlite3

    from screens.home import HomeScreen, NameDeviceScreen
    from screens.prepare import PrepareScreen
    from tui.app import UdviklingsdagApp

    con = sqlite3.connect(path)
    # The first start: the app asks for the laptop's name.
    con.execute("delete from meta where key = ?", (settings.DEVICE_NAMED.key,))
    con.commit()
    con.close()
    app = UdviklingsdagApp(str(path), clock=FakeClock())
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NameDeviceScreen) and app.workspace is None
        app.screen.query_one("#name-input").value = "Bord 4 - Åse"
        await pilot.press("enter", "escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("enter", "enter", "f")
        await pilot.pause()
        slow_open.set()
        await settle(app, pilot)
        assert [type(s).__name__ for s in app.screen_stack] == ["HomeScreen", "PrepareScreen"]
        assert isinstance(app.screen, PrepareScreen)
        assert app.workspace.device_name == "Bord 4 - Åse"
        assert app.workspace.setting(settings.DEVICE_NAMED)
