"""An edited kladde (a workbook the app exported and someone changed in Excel) back in: the
file's path and who sent it, a preview of what changed, what conflicts and what was removed,
then the changes applied as one action. Reached from the consolidation screen."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, DataTable, Input, Static

from exports.template_import import ImportReport, import_workbook
from screens import texts
from screens.base import host
from screens.widgets import AppFooter

if TYPE_CHECKING:
    from models.workspace import Workspace


class KladdeScreen(Screen[None]):
    """Preview and apply an edited kladde."""

    HELP_KEY = "consolidation"
    BINDINGS = [
        Binding("escape", "back", texts.KLADDE_BACK, id="kladde.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.previewed: tuple[str, str, bool] | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text(texts.KLADDE_TITLE), id="title")
        yield Static(Text(texts.KLADDE_INTRO), classes="intro")
        with Horizontal(id="kladde-row"):
            yield Input(placeholder=texts.KLADDE_PATH, id="kladde-path")
            yield Input(placeholder=texts.KLADDE_FROM, id="kladde-from")
        with Horizontal(id="kladde-buttons"):
            yield Checkbox(texts.KLADDE_DELETE, id="kladde-delete")
            yield Button(texts.KLADDE_PREVIEW, id="kladde-preview", variant="primary")
            yield Button(texts.KLADDE_APPLY, id="kladde-apply", variant="success", disabled=True)
        with VerticalScroll(id="kladde-summary-box"):
            yield Static("", id="kladde-summary", markup=False)
        yield DataTable(id="kladde-table", cursor_type="row", zebra_stripes=True)
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#kladde-table", DataTable).add_columns(*texts.KLADDE_COLS)

    def _asked(self) -> tuple[str, str, bool]:
        path = self.query_one("#kladde-path", Input).value.strip().strip('"')
        sender = self.query_one("#kladde-from", Input).value.strip()
        return path, sender, self.query_one("#kladde-delete", Checkbox).value

    def _run(self, *, dry_run: bool) -> None:
        path, sender, delete = self._asked()
        if not path:
            self.query_one("#kladde-summary", Static).update(texts.KLADDE_NO_PATH)
            return
        source = Path(path).name + (texts.KLADDE_SENT_BY.format(name=sender) if sender else "")

        def call(ws: Workspace) -> ImportReport:
            return import_workbook(ws.store, path, dry_run=dry_run, delete=delete, source=source)

        def done(report: ImportReport) -> None:
            self._show(report)
            ok = dry_run and report.update_of is not None and not report.errors
            self.previewed = (path, sender, delete) if ok and report.kladde else None
            self.query_one("#kladde-apply", Button).disabled = self.previewed is None
            if not dry_run:
                host(self).reload_screens()

        def error(exc: Exception) -> None:
            self.query_one("#kladde-summary", Static).update(str(exc))

        if dry_run:
            host(self).read(call, done=done, error=error)
        else:
            host(self).write(call, done=done, error=error)

    def _show(self, report: ImportReport) -> None:
        lines = [i.text() for i in report.errors[:50]]
        if report.update_of is None and not report.errors:
            lines.append(texts.KLADDE_NOT_KLADDE)
        else:
            lines.append(report.summary())
        self.query_one("#kladde-summary", Static).update("\n".join(lines))
        table = self.query_one("#kladde-table", DataTable)
        table.clear()
        for c in report.kladde[:2000]:
            table.add_row(
                texts.KLADDE_KINDS.get(c.kind, c.kind),
                c.text(),
            )

    @on(Button.Pressed, "#kladde-preview")
    def _preview(self) -> None:
        self._run(dry_run=True)

    @on(Input.Changed)
    @on(Checkbox.Changed)
    def _changed(self) -> None:
        self.previewed = None
        self.query_one("#kladde-apply", Button).disabled = True

    @on(Button.Pressed, "#kladde-apply")
    def _apply(self) -> None:
        if self.previewed is None or self.previewed != self._asked():
            return
        self._run(dry_run=False)
        self.previewed = None
        self.query_one("#kladde-apply", Button).disabled = True

    def action_back(self) -> None:
        self.app.pop_screen()
