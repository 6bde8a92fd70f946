"""An edited kladde (a workbook the app exported and someone changed in Excel) back in: the
file's path and who sent it (and for a hand-filled template without reference, the plan it
updates), a preview of what changed, what conflicts and what was removed, then the changes
applied as one action. Reached from the consolidation screen."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, DataTable, Input, Select, Static

from exports.template_import import ImportReport, import_workbook
from screens import texts
from screens.base import host
from screens.widgets import AppFooter, StateCheckbox, plain

if TYPE_CHECKING:
    from models.records import MaalplanOverview
    from models.workspace import Workspace


# Problems listed on the screen at most (a file with thousands says so, the rest by count).
KLADDE_MOST_ISSUES = 50


class KladdeScreen(Screen[None]):
    """Preview and apply an edited kladde."""

    HELP_KEY = "consolidation"
    AUTO_FOCUS = "#kladde-path"
    BINDINGS = [
        Binding(
            "escape", "back", texts.KLADDE_BACK, tooltip=texts.KLADDE_BACK_TIP, id="kladde.back"
        ),
    ]
    # Everything above the footer scrolls, so that at 80x24 each control can be reached; the
    # preview table keeps enough rows to read, the highlighted row in full below it.
    DEFAULT_CSS = """
    KladdeScreen #kladde-body { height: 1fr; }
    KladdeScreen #kladde-row, KladdeScreen #kladde-options, KladdeScreen #kladde-buttons,
    KladdeScreen #kladde-buttons-run {
        height: auto;
    }
    KladdeScreen #kladde-row Input { width: 1fr; }
    KladdeScreen #kladde-plan { width: 1fr; }
    KladdeScreen #kladde-buttons-run Button { margin-right: 1; }
    KladdeScreen #kladde-summary { height: auto; padding: 0 1; }
    KladdeScreen #kladde-table { height: 12; }
    KladdeScreen #kladde-detail { height: auto; min-height: 1; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.previewed: tuple[str, str, bool, str] | None = None
        self.shown: list[str] = []  # the preview's rows in full, for the highlighted one

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="kladde-body"):
            yield Static(Text(texts.KLADDE_TITLE), id="title")
            yield Static(Text(texts.KLADDE_INTRO), classes="intro")
            with Horizontal(id="kladde-row"):
                yield Input(placeholder=texts.KLADDE_PATH, id="kladde-path")
                yield Input(placeholder=texts.KLADDE_FROM, id="kladde-from")
            with Horizontal(id="kladde-options"):
                yield Select[str]([], prompt=texts.KLADDE_PLAN_PROMPT, id="kladde-plan")
            with Horizontal(id="kladde-buttons"):
                yield StateCheckbox(texts.KLADDE_DELETE, id="kladde-delete")
            with Horizontal(id="kladde-buttons-run"):
                yield Button(texts.KLADDE_PREVIEW, id="kladde-preview", variant="primary")
                yield Button(
                    texts.KLADDE_APPLY, id="kladde-apply", variant="success", disabled=True
                )
            yield Static("", id="kladde-summary", markup=False)
            yield DataTable(id="kladde-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="kladde-detail", markup=False)
        yield AppFooter()

    def on_mount(self) -> None:
        table = self.query_one("#kladde-table", DataTable)
        what, change = texts.KLADDE_COLS
        table.add_column(what, width=26, key="what")
        # Both columns fit the screen (at 80 columns: 26 + 44 with padding and scroll bar).
        table.add_column(change, width=max(44, self.app.size.width - 36), key="change")

        def plans(ws: Workspace) -> tuple[MaalplanOverview, ...]:
            return ws.maalplaner()

        host(self).read(plans, done=self._fill_plans)

    def _fill_plans(self, plans: tuple[MaalplanOverview, ...]) -> None:
        options = [(Text(f"{p.titel} ({p.enhed_navn}, {p.aar or '-'})"), p.id) for p in plans]
        self.query_one("#kladde-plan", Select).set_options(options)

    def _asked(self) -> tuple[str, str, bool, str]:
        path = self.query_one("#kladde-path", Input).value.strip().strip('"')
        sender = self.query_one("#kladde-from", Input).value.strip()
        picked = self.query_one("#kladde-plan", Select).value
        plan = "" if picked is Select.NULL else str(picked)
        return path, sender, self.query_one("#kladde-delete", Checkbox).value, plan

    def _run(self, *, dry_run: bool) -> None:
        path, sender, delete, plan = self._asked()
        if not path:
            self.query_one("#kladde-summary", Static).update(texts.KLADDE_NO_PATH)
            return
        source = Path(path).name + (texts.KLADDE_SENT_BY.format(name=sender) if sender else "")

        def call(ws: Workspace) -> ImportReport:
            return import_workbook(
                ws.store, path, dry_run=dry_run, delete=delete, source=source, plan=plan or None
            )

        def done(report: ImportReport) -> None:
            self._show(report)
            ok = dry_run and report.update_of is not None and not report.errors
            self.previewed = (path, sender, delete, plan) if ok and report.kladde else None
            self.query_one("#kladde-apply", Button).disabled = self.previewed is None
            if not dry_run:
                host(self).reload_screens()

        def error(exc: Exception) -> None:
            self.query_one("#kladde-summary", Static).update(plain(str(exc)))

        if dry_run:
            host(self).read(call, done=done, error=error)
        else:
            host(self).write(call, done=done, error=error)

    def _show(self, report: ImportReport) -> None:
        # The errors, then the warnings (what is let in but worth a look before it is).
        issues = [i.text() for i in report.errors]
        issues += [texts.KLADDE_WARNING.format(text=i.text()) for i in report.warnings]
        lines = issues[:KLADDE_MOST_ISSUES]
        if len(issues) > len(lines):
            lines.append(texts.KLADDE_MORE_ISSUES.format(n=len(issues) - len(lines)))
        if report.update_of is None and not report.errors:
            lines.append(texts.KLADDE_NOT_KLADDE)
        else:
            lines.append(report.summary(on_screen=True))
        self.query_one("#kladde-summary", Static).update(plain("\n".join(lines)))
        table = self.query_one("#kladde-table", DataTable)
        table.clear()
        self.shown = []
        for c in report.kladde[:2000]:
            kind = texts.KLADDE_KINDS.get(c.kind, c.kind)
            # Text, not markup: what the sheet says is shown as typed.
            table.add_row(Text(f"{kind}: {c.name()}"), Text(c.change_text()))
            self.shown.append(c.text())
        self.query_one("#kladde-detail", Static).update(plain(self.shown[0] if self.shown else ""))
        # The result in view (at 80x24 the form above it fills the screen).
        self.query_one("#kladde-body", VerticalScroll).scroll_to_widget(
            self.query_one("#kladde-summary", Static), top=True, animate=False
        )

    @on(DataTable.RowHighlighted, "#kladde-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if 0 <= event.cursor_row < len(self.shown):
            self.query_one("#kladde-detail", Static).update(plain(self.shown[event.cursor_row]))

    @on(Button.Pressed, "#kladde-preview")
    def _preview(self) -> None:
        self._run(dry_run=True)

    @on(Input.Changed)
    @on(Checkbox.Changed)
    @on(Select.Changed)
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
