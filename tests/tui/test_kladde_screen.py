"""The edited-kladde screen at 80x24: every control reachable, the preview readable (what and
the change in two columns that fit, the highlighted row in full below), and a hand-filled
template without reference pointed at a plan the user picks."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl

from exports.reference import reference_for
from exports.xlsx import maalplan_xlsx, template_xlsx
from models.kladde import known_changes
from models.maalplan_view import load_maalplan, load_maalplaner
from tests.tui.helpers import (
    QueueHost,
    assert_all_reachable,
    assert_reachable,
    prompt_text,
    run_async,
)

WHEN = date(2027, 1, 31)
CONTROLS = (
    "#title",
    ".intro",
    "#kladde-path",
    "#kladde-from",
    "#kladde-plan",
    "#kladde-delete",
    "#kladde-preview",
    "#kladde-apply",
    "#kladde-summary",
    "#kladde-table",
    "#kladde-detail",
)


class _Host(QueueHost):
    def on_mount(self) -> None:
        from screens.kladde import KladdeScreen

        self.push_screen(KladdeScreen())

    def reload_screens(self) -> None:
        pass


async def _settle(pilot: Any) -> None:
    for _ in range(5):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause(0.05)


def _export(store: Any, view: Any, path: Path) -> None:
    """The plan's workbook as the app exports it (with its reference and known changes)."""
    path.write_bytes(
        maalplan_xlsx(
            view,
            when=WHEN,
            reference_text=reference_for(view).text,
            known_changes=known_changes(store.db),
        )
    )


async def _previewed(pilot: Any, path: Path) -> Any:
    """The kladde screen with `path` typed and «Vis ændringer» pressed."""
    from textual.widgets import Button, Input

    await _settle(pilot)
    screen = pilot.app.screen
    screen.query_one("#kladde-path", Input).value = str(path)
    screen.query_one("#kladde-preview", Button).press()
    await _settle(pilot)
    return screen


def _edited_kladde(store: Any, path: Path) -> Any:
    """A plan with a samarbejde, exported and edited: the mål's text and the samarbejde's
    level."""
    view = next(v for v in load_maalplaner(store.db) if v.maal and v.maal[0].samarbejder)
    _export(store, view, path)
    wb = openpyxl.load_workbook(path)
    foer, efter = wb["FØR"], wb["EFTER"]
    for ws, column, value in (
        (foer, "Mål", "Et mål, der er rettet i Excel af chefen i juni [bold]fed[/]"),
        (efter, "Niveau", "Samskabelsesniveau"),
    ):
        header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Mål nr")
        col = next(c for c in range(1, ws.max_column + 1) if ws.cell(header, c).value == column)
        ws.cell(header + 1, col).value = value
    wb.save(path)
    return view


@run_async
async def test_kladde_screen_at_80x24_previews_readably_and_applies(demo_store, tmp_path):
    from textual.widgets import Button, DataTable, Input, Static

    path = tmp_path / "kladde fra juni.xlsx"
    view = _edited_kladde(demo_store, path)
    app = _Host(demo_store.db)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        screen = app.screen
        await assert_all_reachable(pilot, *CONTROLS)
        screen.query_one("#kladde-path", Input).focus()
        await pilot.press(*str(path))
        screen.query_one("#kladde-from", Input).value = "Åse"
        screen.query_one("#kladde-preview", Button).focus()
        await pilot.press("enter")
        await _settle(pilot)
        table = screen.query_one("#kladde-table", DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        whats = sorted(r[0] for r in rows)
        assert len(rows) == 2 and whats[0] == "Ændret: mål 1", rows
        assert whats[1].startswith("Ændret: samarbejde under mål 1 ("), rows
        assert any(r[1].startswith("«Niveau»") and "Samskabelse" in r[1] for r in rows), rows
        # The two columns fit at 80 columns: nothing to scroll sideways.
        assert table.virtual_size.width <= table.scrollable_content_region.width, (
            table.virtual_size,
            table.scrollable_content_region,
        )
        # The highlighted row in full (markup typed in the sheet shown as typed).
        detail = str(screen.query_one("#kladde-detail", Static).render())
        assert detail.startswith("Mål 1, «Mål»:") and detail.endswith("[bold]fed[/]»")
        await assert_all_reachable(pilot, *CONTROLS)
        apply = screen.query_one("#kladde-apply", Button)
        assert not apply.disabled
        await assert_reachable(pilot, apply)
        apply.focus()
        await pilot.press("enter")
        await _settle(pilot)
        assert "indlæst" in str(screen.query_one("#kladde-summary", Static).render())
    after = load_maalplan(demo_store.db, view.id)
    assert after.maal[0].tekst.endswith("[bold]fed[/]")
    assert after.maal[0].samarbejder[0].niveau == "samskabelse"


@run_async
async def test_a_template_without_reference_updates_the_plan_picked(demo_store, tmp_path):
    from textual.widgets import Button, DataTable, Input, Select, Static
    from textual.widgets._select import SelectOverlay

    view = next(v for v in load_maalplaner(demo_store.db) if v.enhed_navn == "Biblioteket")
    path = tmp_path / "skabelon.xlsx"
    path.write_bytes(template_xlsx(when=WHEN))
    wb = openpyxl.load_workbook(path)
    foer = wb["FØR"]
    foer["B3"], foer["B4"], foer["B5"] = "Bibliotekets kladde", "Biblioteket", "2027"
    header = next(r for r in range(1, foer.max_row + 1) if foer.cell(r, 1).value == "Mål nr")
    foer.cell(header + 1, 2).value = view.maal[0].maalsaetning_tekst
    foer.cell(header + 1, 4).value = "Et mål fra en skabelon."
    wb.save(path)
    plans = len(load_maalplaner(demo_store.db))
    app = _Host(demo_store.db)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        screen = app.screen
        screen.query_one("#kladde-path", Input).value = str(path)
        plan = screen.query_one("#kladde-plan", Select)
        await assert_reachable(pilot, plan)
        plan.focus()
        await pilot.press("enter")
        await _settle(pilot)
        overlay = plan.query_one(SelectOverlay)
        await assert_reachable(pilot, overlay)
        titles = [
            prompt_text(overlay.get_option_at_index(i).prompt) for i in range(overlay.option_count)
        ]
        assert any(view.titel in t for t in titles), titles
        await pilot.press("escape")
        plan.value = view.id
        await _settle(pilot)
        screen.query_one("#kladde-preview", Button).press()
        await _settle(pilot)
        table = screen.query_one("#kladde-table", DataTable)
        whats = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert "Ændret: målplan" in whats and "Ændret: mål 1" in whats, whats
        screen.query_one("#kladde-apply", Button).press()
        await _settle(pilot)
        assert "indlæst" in str(screen.query_one("#kladde-summary", Static).render())
    after = load_maalplan(demo_store.db, view.id)
    assert after.titel == "Bibliotekets kladde" and after.maal[0].tekst == "Et mål fra en skabelon."
    assert len(load_maalplaner(demo_store.db)) == plans  # an update, not a copy


@run_async
async def test_the_preview_lists_the_warnings_after_the_errors_and_counts_the_rest(
    demo_store, tmp_path
):
    """A warning (here a måling typed twice) is on the screen before the changes are applied,
    not only counted; a file with more problems than the screen lists says how many more."""
    from textual.widgets import Button, Static

    from exports.template_import import ImportIssue, ImportReport
    from models.schema import SHEET_MAALINGER
    from screens.kladde import KLADDE_MOST_ISSUES

    view = next(v for v in load_maalplaner(demo_store.db) if v.maal and v.maal[0].tegn)
    tegn = view.maal[0].tegn[0]
    demo_store.create("maaling", tegn_id=tegn.id, dato=date(2027, 1, 15), vaerdi=7)
    view = load_maalplan(demo_store.db, view.id)
    path = tmp_path / "kladde.xlsx"
    _export(demo_store, view, path)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_MAALINGER]
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Mål nr")
    cols = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}
    rows = [
        r for r in range(header + 1, ws.max_row + 1) if ws.cell(r, cols["Tegn nr"]).value == tegn.nr
    ]
    typed = next(r for r in rows if ws.cell(r, cols["Værdi"]).value == 7)
    again = next(r for r in rows if ws.cell(r, cols["Dato"]).value is None)
    ws.cell(again, cols["Dato"]).value = ws.cell(typed, cols["Dato"]).value
    ws.cell(again, cols["Værdi"]).value = 7
    wb.save(path)

    app = _Host(demo_store.db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _previewed(pilot, path)
        summary = str(screen.query_one("#kladde-summary", Static).render())
        lines = summary.splitlines()
        assert lines[0].startswith(f"Advarsel: Ark «Målinger», række {again}: Målingen er magen")
        assert f"magen til række {typed}" in lines[0]
        assert "1 advarsel" in summary and not screen.query_one("#kladde-apply", Button).disabled

        # Sixty problems: the errors first, as many as the screen lists, and the count of the rest.
        def issue(n: int, severity: str) -> ImportIssue:
            return ImportIssue("Målinger", n, None, None, f"Problem {n}.", severity)

        report = ImportReport(str(path), True, False)
        report.issues = [issue(n, "advarsel") for n in range(1, 51)]
        report.issues += [issue(n, "fejl") for n in range(51, 61)]
        screen._show(report)
        lines = str(screen.query_one("#kladde-summary", Static).render()).splitlines()
        assert lines[0] == "Ark «Målinger», række 51: Problem 51."
        assert lines[10] == "Advarsel: Ark «Målinger», række 1: Problem 1."
        assert lines[KLADDE_MOST_ISSUES] == (
            "… og 10 til. Alle ses med «udviklingsdag import FIL --dry-run --json»."
        )
        assert lines[KLADDE_MOST_ISSUES - 1] == "Advarsel: Ark «Målinger», række 40: Problem 40."


@run_async
async def test_a_kladde_with_errors_says_what_to_do_on_the_screen(demo_store, tmp_path):
    """The errors' summary on the screen says to correct the sheet, not to use the command
    line's «--good-rows» (the screen has no such choice); the command line keeps it."""
    from textual.widgets import Button, Static

    from exports.template_import import import_workbook

    path = tmp_path / "fejl.xlsx"
    _edited_kladde(demo_store, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["FØR"]
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Mål nr")
    col = next(c for c in range(1, ws.max_column + 1) if ws.cell(header, c).value == "Fra år")
    ws.cell(header + 1, col).value = "i næste uge"
    wb.save(path)
    app = _Host(demo_store.db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _previewed(pilot, path)
        summary = str(screen.query_one("#kladde-summary", Static).render())
        assert "Fra år" in summary and "Ret dem i arket, og prøv igen." in summary, summary
        assert "--good-rows" not in summary
        assert screen.query_one("#kladde-apply", Button).disabled
    report = import_workbook(demo_store, path, dry_run=True)
    assert "--good-rows" in report.summary()
