"""Saving as the user types, told truthfully: the status says «Gemmer …» from the first key
until the text is on disk (read back through a fresh connection), and a form whose final save
fails (a full disk) stays open with its text and a Danish message instead of closing."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path
from typing import Any

from screens.widgets import DEBOUNCE_SECONDS
from tests.tui.helpers import FakeClock, build_small, read, run_async, settle, wait_debounce


def _app(path: Path):
    from tui.app import UdviklingsdagApp

    return UdviklingsdagApp(str(path), clock=FakeClock())


def _status(screen: Any) -> str:
    from screens.widgets import SaveIndicator

    return str(screen.query_one(SaveIndicator).content)


def _tekst_on_disk(path: Path, row_id: str) -> str:
    """The tegn's text as a fresh connection sees it (what a kill would leave)."""
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT tekst FROM tegn WHERE id = ?", (row_id,)).fetchone()[0]
    finally:
        con.close()


async def _open_form(app: Any, pilot: Any, ids: dict[str, Any], tegn_id: str) -> Any:
    from screens.forms import FormSpec, RecordForm
    from screens.widgets import AutoTextArea

    await settle(app, pilot)
    form = RecordForm(FormSpec("tegn", fixed={"maal_id": ids["m1"]}), tegn_id)
    app.push_screen(form)
    await settle(app, pilot)
    area = form.query_one("#f-tekst", AutoTextArea)
    area.focus()
    area.move_cursor(area.document.end)
    await pilot.pause()
    return form


def _break_saves(monkeypatch: Any) -> Any:
    """Make every Store.update fail as a dying disk does; returns a function that mends it."""
    from models.store import Store

    real_update = Store.update

    def broken(self: Any, *args: Any, **kw: Any) -> int:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(Store, "update", broken)
    return lambda: monkeypatch.setattr(Store, "update", real_update)


@run_async
async def test_status_says_saving_until_the_text_is_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "gem.db"
    ids = build_small(path)
    (tegn,) = read(path, "tegn")
    original = tegn["tekst"]
    app = _app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        form = await _open_form(app, pilot, ids, tegn["id"])
        # A first save, so the status says «Gemt HH:MM».
        await pilot.press("x")
        await wait_debounce(app, pilot)
        assert _status(form) == "Gemt 10:42"
        assert _tekst_on_disk(path, tegn["id"]) == original + "x"

        # The next key: «Gemmer …» at once, while the new text is not on disk yet.
        started = time.monotonic()
        await pilot.press("y", "z")
        assert _status(form) == "Gemmer …"
        assert _tekst_on_disk(path, tegn["id"]) == original + "x"
        # Still so just before the typing pause ends.
        await asyncio.sleep(max(0.0, DEBOUNCE_SECONDS * 0.6 - (time.monotonic() - started)))
        if time.monotonic() - started < DEBOUNCE_SECONDS:
            assert _status(form) == "Gemmer …"
            assert _tekst_on_disk(path, tegn["id"]) == original + "x"

        # Whenever the screen says «Gemt», the text is on disk (status read first, then disk).
        saw_saved = False
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not saw_saved:
            shown = _status(form)
            if shown.startswith("Gemt"):
                assert _tekst_on_disk(path, tegn["id"]) == original + "xyz", shown
                saw_saved = True
            else:
                assert shown == "Gemmer …"
            await asyncio.sleep(0.02)
        assert saw_saved, "the status never said «Gemt»"
        assert _status(form) == "Gemt 10:42"


@run_async
async def test_status_goes_back_when_the_text_is_typed_back(tmp_path: Path) -> None:
    """Typed and erased again before the pause: nothing to save, the status settles."""
    path = tmp_path / "tilbage.db"
    ids = build_small(path)
    (tegn,) = read(path, "tegn")
    app = _app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        form = await _open_form(app, pilot, ids, tegn["id"])
        before = _status(form)
        await pilot.press("q")
        assert _status(form) == "Gemmer …"
        await pilot.press("backspace")
        await wait_debounce(app, pilot)
        assert _status(form) == before
        assert _tekst_on_disk(path, tegn["id"]) == tegn["tekst"]


@run_async
async def test_failed_final_save_keeps_the_form_open_with_its_text(tmp_path: Path) -> None:
    from sqlalchemy import event

    from screens.forms import RecordForm
    from screens.widgets import AutoTextArea

    path = tmp_path / "fuld.db"
    ids = build_small(path)
    (tegn,) = read(path, "tegn")
    app = _app(path)
    typed = " og hilser på gårdvagten" + " med navn" * 400  # needs new pages in the file
    async with app.run_test(size=(100, 30)) as pilot:
        form = await _open_form(app, pilot, ids, tegn["id"])
        # A full disk from here on: every new connection may not grow the file.
        engine = app.open_workspace().database.engine

        def full(dbapi_conn: Any, _record: Any) -> None:
            pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
            dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

        event.listen(engine, "connect", full)
        engine.dispose()
        area = form.query_one("#f-tekst", AutoTextArea)
        area.insert(typed)  # (as if typed: the area saves itself after the pause)
        await pilot.press("!")
        await pilot.press("escape")  # before the pause: the final save is the one that fails
        await settle(app, pilot)
        await pilot.pause(0.1)

        assert app.screen is form, "the form closed although its text was not saved"
        assert area.text.endswith(typed + "!")
        message = str(form.query_one("#form-save-error").content)
        assert "Ikke gemt" in message and "disken er fuld" in message
        assert "Frigør plads" in message and "Esc" in message
        assert "Traceback" not in message and "OperationalError" not in message
        assert _status(form).startswith("Ikke gemt: Disken er fuld")
        assert _tekst_on_disk(path, tegn["id"]) == tegn["tekst"]

        # Space is freed: Esc again saves and closes.
        event.remove(engine, "connect", full)
        engine.dispose()
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.pause(0.1)
        assert not isinstance(app.screen, RecordForm)
        assert _tekst_on_disk(path, tegn["id"]) == tegn["tekst"] + typed + "!"
        assert _status(app.screen).startswith("Gemt")


@run_async
async def test_failed_save_of_any_kind_keeps_the_form_open(tmp_path: Path, monkeypatch) -> None:
    """A write that raises something else (a Store whose write fails): the same, with a
    Danish message that says the save failed and what to do."""
    from screens.forms import RecordForm

    path = tmp_path / "fejl.db"
    ids = build_small(path)
    (tegn,) = read(path, "tegn")
    app = _app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        form = await _open_form(app, pilot, ids, tegn["id"])
        restore = _break_saves(monkeypatch)
        await pilot.press("a", "b")
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.pause(0.1)
        assert app.screen is form
        message = str(form.query_one("#form-save-error").content)
        assert "Ikke gemt" in message and "kunne ikke skrive" in message and "Esc" in message
        assert form.query_one("#f-tekst").text.endswith("ab")

        restore()
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.pause(0.1)
        assert not isinstance(app.screen, RecordForm)
        assert _tekst_on_disk(path, tegn["id"]) == tegn["tekst"] + "ab"


@run_async
async def test_quit_after_a_failed_save_asks_before_the_text_is_lost(
    tmp_path: Path, monkeypatch
) -> None:
    """Ctrl+Q while the last save failed does not quit: it says what is not saved; a second
    Ctrl+Q quits anyway. Once a save succeeds again, Ctrl+Q quits at once."""
    from screens.forms import RecordForm

    path = tmp_path / "luk.db"
    ids = build_small(path)
    (tegn,) = read(path, "tegn")
    app = _app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        form = await _open_form(app, pilot, ids, tegn["id"])
        restore = _break_saves(monkeypatch)
        await pilot.press("a", "b")
        await pilot.press("ctrl+q")
        await settle(app, pilot)
        await pilot.pause(0.1)
        assert app.is_running and app.screen is form
        shown = [n.message for n in app._notifications]
        assert any("ikke lukket" in m and "Ctrl+Q igen" in m for m in shown), shown
        assert form.query_one("#f-tekst").text.endswith("ab")

        # Space again: the save goes through, and the guard is off.
        restore()
        await pilot.press("c")
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.pause(0.1)
        assert not isinstance(app.screen, RecordForm)
        assert _tekst_on_disk(path, tegn["id"]) == tegn["tekst"] + "abc"
        assert app.save_status[0] == "saved"
        await pilot.press("ctrl+q")
        await settle(app, pilot)
        await pilot.pause(0.1)
    assert not app.is_running


@run_async
async def test_second_quit_after_a_failed_save_quits(tmp_path: Path, monkeypatch) -> None:

    path = tmp_path / "luk2.db"
    ids = build_small(path)
    (tegn,) = read(path, "tegn")
    app = _app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await _open_form(app, pilot, ids, tegn["id"])
        _break_saves(monkeypatch)
        await pilot.press("a")
        await pilot.press("ctrl+q")
        await settle(app, pilot)
        assert app.is_running
        await pilot.press("ctrl+q")
        await settle(app, pilot)
        await pilot.pause(0.1)
    assert not app.is_running
    assert _tekst_on_disk(path, tegn["id"]) == tegn["tekst"]
