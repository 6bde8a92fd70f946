"""The export screen on a tiny test app: pick målplaner, fill the SBSYS metadata, export in the
database queue, and be told where the files went."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from textual.widgets import Button, Input, ProgressBar, SelectionList, Static

from models import settings
from screens.export import ExportScreen
from tests.exports.conftest import plan_store  # noqa: F401  (shared fixture)
from tests.test_merge import world  # noqa: F401  (shared fixture)
from tests.tui.helpers import QueueHost


class _App(QueueHost):
    """The screen on a workspace and its one database queue."""

    def on_mount(self) -> None:
        self.push_screen(ExportScreen())


async def _settle(pilot) -> None:
    """Wait until the database queue has answered everything asked of it so far (an answer
    may ask for more)."""
    for _ in range(200):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if all(w.is_finished for w in pilot.app.workers):
            return


def _static_text(widget: Static) -> str:
    return str(widget.render())


def test_pick_edit_export(plan_store, tmp_path: Path) -> None:  # noqa: F811
    store, ids = plan_store
    store.update("maalplan", ids["empty"], titel="Plan [bold]x[/] [/] slut")
    out = tmp_path / "ud"

    async def run() -> None:
        app = _App(store.db)
        async with app.run_test(size=(130, 44)) as pilot:
            await _settle(pilot)
            screen = app.screen
            assert isinstance(screen, ExportScreen)
            sel = screen.query_one("#plan-list", SelectionList)
            assert set(sel.selected) == {ids["plan"], ids["empty"]}
            prompts = [str(sel.get_option_at_index(i).prompt) for i in range(2)]
            assert any("[bold]x[/] [/] slut" in p for p in prompts)  # shown as typed

            # The first plan is shown; a wrong sagsnummer is refused in Danish.
            sag = screen.query_one("#meta-sagsnummer", Input)
            assert sag.value == "00.01.00-G01-12-27"
            sag.value = "forkert"
            sag.focus()
            await pilot.press("enter")
            await _settle(pilot)
            message = screen.query_one("#meta-message", Static)
            assert "gyldigt sagsnummer" in _static_text(message)
            assert message.has_class("-error")
            sag.value = "00.01.00-G01-99-27"
            await pilot.press("enter")
            await _settle(pilot)
            assert not message.has_class("-error")
            art = screen.query_one("#meta-dokumentart", Input)
            art.value = "Notat"
            art.focus()
            await pilot.press("enter")
            await _settle(pilot)
            ansvarlig = screen.query_one("#meta-ansvarlig", Input)
            ansvarlig.value = "Bjørn [i]Ø[/i]"
            ansvarlig.focus()
            await pilot.press("enter")
            await _settle(pilot)
            assert "Bjørn [i]Ø[/i]" in _static_text(screen.query_one("#meta-preview", Static))

            # Only the first plan, into our folder.
            sel.deselect(ids["empty"])
            screen.query_one("#outdir", Input).value = str(out)
            await pilot.click("#run-export")
            await _settle(pilot)
            status = _static_text(screen.query_one("#export-status", Static))
            assert "1 målplan er eksporteret" in status and str(out) in status
            bar = screen.query_one("#export-progress", ProgressBar)
            assert bar.total and bar.progress == bar.total
            assert not screen.query_one("#run-export", Button).disabled
            assert store.get_setting(settings.EXPORT_OUTDIR.key) == str(out)

            # A folder that is a file: a Danish error, the screen stays usable.
            blocker = tmp_path / "fil"
            blocker.write_text("x")
            screen.query_one("#outdir", Input).value = str(blocker)
            screen.action_export()
            await _settle(pilot)
            status_widget = screen.query_one("#export-status", Static)
            assert "er en fil" in _static_text(status_widget)
            assert status_widget.has_class("-error")
            assert app.errors == []  # every answer reached the screen

    asyncio.run(run())

    folders = list(out.iterdir())
    assert len(folders) == 1
    meta = json.loads((folders[0] / "journalisering.json").read_text(encoding="utf-8"))
    assert meta["Sagsnummer"] == "00.01.00-G01-99-27"
    assert meta["DokumentArt"] == "Notat"
    assert meta["Ansvarlig"] == "Bjørn [i]Ø[/i]"


def test_no_plans(store) -> None:
    async def run() -> None:
        app = _App(store.db)
        async with app.run_test(size=(100, 30)) as pilot:
            await _settle(pilot)
            screen = app.screen
            assert "ingen målplaner" in _static_text(screen.query_one("#export-status", Static))
            assert screen.query_one("#run-export", Button).disabled

    asyncio.run(run())


def test_open_conflicts_are_named_before_anything_is_written(world, tmp_path: Path) -> None:  # noqa: F811
    """A selected plan with an open conflict: the export asks first, naming the plan and the
    conflict; «Tilbage» (Enter) writes nothing and says why; «Eksportér alligevel» writes the
    packages and says again which plan shows one side only."""
    from screens.forms import ConfirmScreen
    from tests.exports.test_export_conflicts import conflicted

    tov, ids = conflicted(world, tmp_path)
    out = tmp_path / "ud"

    async def run() -> None:
        app = _App(tov)
        async with app.run_test(size=(80, 24)) as pilot:
            await _settle(pilot)
            screen = app.screen
            assert isinstance(screen, ExportScreen)
            sel = screen.query_one("#plan-list", SelectionList)
            assert set(sel.selected) == {ids["p1"], ids["p3"]}
            screen.query_one("#outdir", Input).value = str(out)
            screen.action_export()
            await _settle(pilot)
            question = app.screen
            assert isinstance(question, ConfirmScreen)
            assert "1 åben konflikt" in question.question
            assert "Skole Nord 2027: tegn «Færre fravær» (slettet og ændret)" in question.question
            assert "Dagtilbud Syd" not in question.question
            await pilot.press("enter")  # «Tilbage» has the focus
            await _settle(pilot)
            assert app.screen is screen and not out.exists()
            status = _static_text(screen.query_one("#export-status", Static))
            assert "Intet eksporteret" in status
            screen.action_export()
            await _settle(pilot)
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("j")
            await _settle(pilot)
            assert app.screen is screen
            status = _static_text(screen.query_one("#export-status", Static))
            assert "2 målplaner er eksporteret" in status
            assert "«Skole Nord 2027» har 1 åben konflikt" in status
            assert app.errors == []

    asyncio.run(run())
    assert len([p for p in out.iterdir() if p.is_dir()]) == 2


def test_the_whole_database_as_one_sqlite_file_from_the_screen(plan_store, tmp_path: Path) -> None:  # noqa: F811
    """«SQLite-fil» writes the database as one file in the export folder, named by the day
    (the tovholder had only the command line for it); again the same day replaces it; a
    folder that is a file is said in Danish and the buttons come back."""
    import sqlite3

    store, _ids = plan_store
    out = tmp_path / "ud æøå"

    async def run() -> None:
        app = _App(store.db)
        async with app.run_test(size=(80, 24)) as pilot:
            await _settle(pilot)
            screen = app.screen
            screen.query_one("#outdir", Input).value = str(out)
            screen.query_one("#run-sqlite", Button).focus()  # Tab's way: scrolled into view
            await pilot.press("enter")
            await _settle(pilot)
            status = _static_text(screen.query_one("#export-status", Static))
            (written,) = out.glob("udviklingsdag-*.sqlite")
            assert "SQLite-filen er skrevet" in status and str(written) in status
            with sqlite3.connect(written) as con:
                assert con.execute("select count(*) from maalplan").fetchone()[0] == 2
            screen.action_export_sqlite()
            await _settle(pilot)
            assert list(out.glob("udviklingsdag-*.sqlite")) == [written]
            blocker = tmp_path / "fil"
            blocker.write_text("x")
            screen.query_one("#outdir", Input).value = str(blocker)
            screen.action_export_sqlite()
            await _settle(pilot)
            status_widget = screen.query_one("#export-status", Static)
            assert status_widget.has_class("-error")
            assert "Eksporten lykkedes ikke" in _static_text(status_widget)
            assert not screen.query_one("#run-sqlite", Button).disabled
            assert not screen.query_one("#run-export", Button).disabled
            assert app.errors == []

    asyncio.run(run())
