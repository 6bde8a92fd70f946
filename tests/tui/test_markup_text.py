"""Text a user typed or a file carried is never read as markup where the app shows it: a
toast quoting a programme block's title or a folder, the August report dialog's sagsnummer
error, and the kladde screen's answer about a path. «[/]» in a screen's toast or in the
sagsnummer made Textual raise while drawing (the app closed with a traceback), and
«[b]x[/b]» was shown as a bold «x»; the kladde screen was safe and is kept so."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from models.db import open_database
from models.queries import live_rows
from models.store import Store
from tests.tui.helpers import FakeClock, build_small, run_async, settle

MARKUP = "Pause [/] kaffe [b]nu[/b]"


def _app(path: Path) -> Any:
    from tui.app import UdviklingsdagApp

    return UdviklingsdagApp(str(path), clock=FakeClock())


def _toasts(app: Any) -> list[str]:
    return [str(toast.render()) for toast in app.screen.query("Toast")]


@run_async
async def test_toast_quoting_a_typed_title_shows_it_as_typed(tmp_path: Path) -> None:
    """The timer's toast names the block; a screen's own toast (`Widget.notify` always
    passes markup=True) quotes a folder typed by the user, as the August report's does."""
    path = tmp_path / "d.db"
    build_small(path)
    db = open_database(str(path))
    try:
        first = min(live_rows(db, "programblok"), key=lambda row: row["position"])
        Store(db).update("programblok", first["id"], titel=MARKUP)
    finally:
        db.close()
    app = _app(path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(app, pilot)
        app.screen.open_bord()
        await settle(app, pilot)
        await pilot.press("f5")  # «Uret kører: …» names the block
        await settle(app, pilot)
        assert any(MARKUP in text for text in _toasts(app)), _toasts(app)
        app.screen.notify(f"Rapporten er gemt i /tmp/{MARKUP}")
        await settle(app, pilot)
        assert any(f"/tmp/{MARKUP}" in text for text in _toasts(app)), _toasts(app)
        assert app.is_running


@run_async
async def test_report_dialog_shows_a_refused_sagsnummer_as_typed(tmp_path: Path) -> None:
    from textual.app import App
    from textual.widgets import Input, Label

    from screens.vurdering import ReportFolderScreen

    refused = f"«{tmp_path}/rapport [/] [b]x[/b]» er en fil, ikke en mappe."

    class _Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(ReportFolderScreen(str(tmp_path), 2026, error=refused))

    app = _Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ReportFolderScreen)
        shown = str(dialog.query_one("#vurdering-outdir-error", Label).render())
        assert refused in shown
        dialog.query_one("#vurdering-sagsnummer", Input).value = "12 [/] 34"
        dialog.query_one("#vurdering-sagsnummer", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog and app.is_running
        why = str(dialog.query_one("#vurdering-sagsnummer-error", Label).render())
        assert "12 [/] 34" in why


@run_async
async def test_kladde_answer_about_a_path_shows_it_as_typed(tmp_path: Path) -> None:
    from textual.widgets import Button, Input, Static

    from tests.tui.test_kladde_screen import _Host, _settle

    path = tmp_path / "k.db"
    build_small(path)
    db = open_database(str(path))
    store = Store(db)
    missing = tmp_path / "kladde [/] [b]juni[/b].xlsx"
    try:
        app = _Host(store)
        async with app.run_test(size=(100, 30)) as pilot:
            await _settle(pilot)
            screen = app.screen
            screen.query_one("#kladde-path", Input).value = str(missing)
            screen.query_one("#kladde-preview", Button).press()
            await _settle(pilot)
            assert app.is_running
            summary = str(screen.query_one("#kladde-summary", Static).render())
            assert "[/]" in summary and "[b]juni[/b]" in summary, summary
    finally:
        db.close()


@run_async
async def test_note_from_a_laptop_named_with_brackets_shows_its_name_as_typed(
    tmp_path: Path,
) -> None:
    """Merged notes are labelled with the laptop that wrote them, in the text area's border
    title (markup in Textual). The laptop's name was escaped the Rich way, which leaves «[B]»
    and an unclosed «[/» to Textual's parser: «[B]Sofie[/B]» was shown as «Sofie[/B]», and a
    name ending in «[/» made Textual raise while drawing the mål's notes."""
    from tests.tui.test_dialogs_80x24 import drawn_text
    from tests.tui.test_notes import _kind, _laptop_notes, _open_notes

    path = tmp_path / "tov.db"
    ids = build_small(path)
    jens = "Bord 3 [b]Jens[/b] [/]"
    sofie = "Bord 4 [B]Sofie[/B] \\[x] [/"
    m1 = {"maal_id": ids["m1"]}
    _laptop_notes(
        path,
        ids,
        tmp_path,
        [(jens, m1, "parkering", "Husk kaffe"), (sofie, m1, "parkering", "Spørg PPR")],
    )
    app = _app(path)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await _open_notes(app, pilot, ids["m1"])
        assert app.is_running
        areas = _kind(screen, "parkering")
        assert [a.text for a in areas] == ["Husk kaffe", "Spørg PPR", ""]
        assert f"fra {jens}, " in drawn_text(areas[0])
        assert f"fra {sofie}, " in drawn_text(areas[1])
    assert app.return_code in (None, 0)
