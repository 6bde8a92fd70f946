"""The export screen on a tiny test app: pick målplaner, fill the SBSYS metadata, export in a
worker, and be told where the files went."""

from __future__ import annotations

import asyncio
import contextlib
import json
from pathlib import Path

from textual.app import App
from textual.widgets import Button, Input, ProgressBar, SelectionList, Static
from textual.worker import WorkerFailed

from screens.export import OUTDIR_SETTING, ExportScreen
from tests.exports.conftest import plan_store  # noqa: F401  (shared fixture)


class _App(App[None]):
    def __init__(self, store) -> None:
        super().__init__()
        self.store = store

    def on_mount(self) -> None:
        self.push_screen(ExportScreen(self.store))


def _static_text(widget: Static) -> str:
    return str(widget.render())


def test_pick_edit_export(plan_store, tmp_path: Path) -> None:  # noqa: F811
    store, ids = plan_store
    store.update("maalplan", ids["empty"], titel="Plan [bold]x[/] [/] slut")
    out = tmp_path / "ud"

    async def run() -> None:
        app = _App(store)
        async with app.run_test(size=(130, 44)) as pilot:
            await pilot.pause()
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
            message = screen.query_one("#meta-message", Static)
            assert "gyldigt sagsnummer" in _static_text(message)
            assert message.has_class("-error")
            sag.value = "00.01.00-G01-99-27"
            await pilot.press("enter")
            assert not message.has_class("-error")
            art = screen.query_one("#meta-dokumentart", Input)
            art.value = "Notat"
            art.focus()
            await pilot.press("enter")
            ansvarlig = screen.query_one("#meta-ansvarlig", Input)
            ansvarlig.value = "Bjørn [i]Ø[/i]"
            ansvarlig.focus()
            await pilot.press("enter")
            assert "Bjørn [i]Ø[/i]" in _static_text(screen.query_one("#meta-preview", Static))

            # Only the first plan, into our folder.
            sel.deselect(ids["empty"])
            screen.query_one("#outdir", Input).value = str(out)
            await pilot.click("#run-export")
            await app.workers.wait_for_complete()
            await pilot.pause()
            status = _static_text(screen.query_one("#export-status", Static))
            assert "1 målplan er eksporteret" in status and str(out) in status
            bar = screen.query_one("#export-progress", ProgressBar)
            assert bar.total and bar.progress == bar.total
            assert not screen.query_one("#run-export", Button).disabled
            assert store.get_setting(OUTDIR_SETTING) == str(out)

            # A folder that is a file: a Danish error, the screen stays usable.
            blocker = tmp_path / "fil"
            blocker.write_text("x")
            screen.query_one("#outdir", Input).value = str(blocker)
            screen.action_export()
            with contextlib.suppress(WorkerFailed):  # the screen reports it; see below
                await app.workers.wait_for_complete()
            await pilot.pause()
            status_widget = screen.query_one("#export-status", Static)
            assert "er en fil" in _static_text(status_widget)
            assert status_widget.has_class("-error")

    asyncio.run(run())

    folders = list(out.iterdir())
    assert len(folders) == 1
    meta = json.loads((folders[0] / "journalisering.json").read_text(encoding="utf-8"))
    assert meta["Sagsnummer"] == "00.01.00-G01-99-27"
    assert meta["DokumentArt"] == "Notat"
    assert meta["Ansvarlig"] == "Bjørn [i]Ø[/i]"


def test_no_plans(store) -> None:
    async def run() -> None:
        app = _App(store)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert "ingen målplaner" in _static_text(screen.query_one("#export-status", Static))
            assert screen.query_one("#run-export", Button).disabled

    asyncio.run(run())
