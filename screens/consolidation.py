"""The tovholder's consolidation view: import the facilitators' files (with a preview first),
see what arrived from each laptop, settle conflicts, find the gaps and see who collaborates
with whom at which level.

All database and file work runs in the App's one database queue on the workspace
(`screens.base.host`): the tabs' reads and the settling of a conflict through
`models.workspace`, the preview and the import of files through `exports.bundle`. The screen
only shows the typed results."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import (
    Button,
    DataTable,
    Input,
    Static,
    TabbedContent,
    TabPane,
)

from exports.bundle import import_bundles
from models import enums
from models.errors import UdviklingsdagError
from models.importing import ForeignFileError
from models.visible import visible
from screens import texts
from screens.base import host
from screens.widgets import AppFooter

from .conflict import ConflictChoice, ConflictScreen

if TYPE_CHECKING:
    from models.conflicts import Conflict
    from models.consolidation import DeviceSummary, Gap, LedgerRow, MatrixRow
    from models.importing import ImportReport
    from models.workspace import Workspace


def parse_paths(text: str) -> list[str]:
    """Split what the user typed or dropped into paths (quotes keep spaces together)."""
    try:
        parts = shlex.split(text)
    except ValueError:
        parts = text.split()
    return [str(Path(p).expanduser()) for p in parts if p.strip()]


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything the tabs show, read in one call."""

    devices: list[DeviceSummary]
    files: list[LedgerRow]
    conflicts: list[Conflict]
    gaps: list[Gap]
    matrix: list[MatrixRow]

    @classmethod
    def read(cls, ws: Workspace) -> Snapshot:
        return cls(ws.devices(), ws.ledger(), ws.conflicts(), ws.gaps(), ws.samarbejde_matrix())


# Longest text shown in a table cell and in the summary above the preview (a value from a file
# can be megabytes long; the table would measure every character of it).
CELL_LIMIT = 200
SUMMARY_LIMIT = 4000


def _t(value: Any) -> Text:
    # Text from data or files: never parsed as markup, and control characters (ESC, C1, bidi
    # overrides) shown as visible placeholders, so a file cannot steer the terminal.
    return Text("" if value is None else visible(value, CELL_LIMIT))


def _message(exc: BaseException, template: str) -> str:
    """A Danish message for any failure of a call: the app's own errors say what is wrong;
    anything else (a file nothing foresaw, a bug) gets `template` with its type and text."""
    if isinstance(exc, UdviklingsdagError):
        return str(exc)
    text = str(exc).splitlines()[0] if str(exc) else ""
    return template.format(kind=type(exc).__name__, text=text[:200])


def _import(
    paths: list[str], *, dry_run: bool, allow_foreign: bool
) -> Callable[[Workspace], ImportReport]:
    """The call that previews (`dry_run`) or imports the files. A refused file is reported in
    the result and the others go on (`skip_rejected`)."""

    def run(ws: Workspace) -> ImportReport:
        return import_bundles(
            ws, paths, skip_rejected=True, dry_run=dry_run, allow_foreign=allow_foreign
        )

    return run


def _clock_warnings(snap: Snapshot) -> list[str]:
    """The clock warnings of the laptops and the imported files, each once."""
    found = [s.clock_warning for s in snap.devices] + [r.clock_warning for r in snap.files]
    return list(dict.fromkeys(w for w in found if w))


class ForeignFileScreen(ModalScreen[bool]):
    """Asks before a file from another database lineage is read: True to go on."""

    HELP_KEY = "consolidation"
    DEFAULT_CSS = """
    ForeignFileScreen { align: center middle; }
    ForeignFileScreen #foreign-dialog {
        width: 80%; max-width: 100; height: auto; max-height: 90%;
        border: thick $warning; background: $surface; padding: 1 2;
    }
    ForeignFileScreen #foreign-title { text-style: bold; margin-bottom: 1; }
    ForeignFileScreen #foreign-buttons { height: auto; margin-top: 1; }
    ForeignFileScreen #foreign-buttons Button { margin-right: 1; }
    ForeignFileScreen #foreign-hint { color: $text-muted; }
    """

    BINDINGS = [
        Binding("escape", "cancel", texts.CONS_FOREIGN_NO, id="foreign.cancel"),
        Binding("enter", "confirm", texts.CONS_FOREIGN_YES, id="foreign.confirm", show=False),
    ]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="foreign-dialog"):
            yield Static(Text(texts.CONS_FOREIGN_TITLE), id="foreign-title")
            text = texts.CONS_FOREIGN_TEXT.format(
                message=visible(self.message, SUMMARY_LIMIT, multiline=True)
            )
            yield Static(Text(text), id="foreign-text")
            with Horizontal(id="foreign-buttons"):
                yield Button(texts.CONS_FOREIGN_YES, id="foreign-yes", variant="warning")
                yield Button(texts.CONS_FOREIGN_NO, id="foreign-no")
            yield Static(Text(texts.CONS_FOREIGN_HINT), id="foreign-hint")

    def on_mount(self) -> None:
        self.query_one("#foreign-yes", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "foreign-yes")

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class ConsolidationScreen(Screen[None]):
    """Import, ledger per laptop, conflicts, gaps and the samarbejde matrix."""

    HELP_KEY = "consolidation"
    DEFAULT_CSS = """
    ConsolidationScreen { layout: vertical; }
    ConsolidationScreen #title { text-style: bold; padding: 0 1; background: $panel; }
    ConsolidationScreen .intro { color: $text-muted; padding: 0 1; }
    ConsolidationScreen #import-row { height: auto; padding: 0 1; }
    ConsolidationScreen #paths { width: 1fr; }
    ConsolidationScreen #paths:focus { border: tall $accent; }
    ConsolidationScreen Button { margin-left: 1; }
    ConsolidationScreen .summary { padding: 0 1; height: auto; }
    ConsolidationScreen .heading { text-style: bold; padding: 1 1 0 1; }
    ConsolidationScreen TabbedContent { height: 1fr; }
    ConsolidationScreen ContentSwitcher { height: 1fr; }
    ConsolidationScreen TabPane { height: 1fr; padding: 0; }
    ConsolidationScreen DataTable { height: 1fr; }
    ConsolidationScreen DataTable:focus { border: tall $accent; }
    ConsolidationScreen #gaps-tegn, ConsolidationScreen #gaps-proevehandlinger { height: 1fr; }
    ConsolidationScreen #clock-warnings { color: $text-warning; display: none; }
    ConsolidationScreen #import-summary-box { height: auto; max-height: 40%; }
    """

    BINDINGS = [
        Binding(
            "escape",
            "back",
            texts.CONS_B_BACK[0],
            tooltip=texts.CONS_B_BACK[1],
            id="consolidation.back",
        ),
        Binding(
            "ctrl+r,f5",
            "refresh",
            texts.CONS_B_REFRESH[0],
            tooltip=texts.CONS_B_REFRESH[1],
            id="consolidation.refresh",
        ),
        Binding(
            "f8",
            "kladde",
            texts.KLADDE_BINDING[0],
            tooltip=texts.KLADDE_BINDING[1],
            id="consolidation.kladde",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.preview: ImportReport | None = None
        self.snapshot: Snapshot | None = None
        # Set when the tovholder confirmed files from another database for this preview.
        self.allow_foreign = False
        # Counts the previews asked for (and changes of the paths): an answer to an earlier
        # one is not shown.
        self._preview_asked = 0
        self._previewed_text: str | None = None  # the paths as typed for the last preview

    # --- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(Text(texts.CONS_TITLE), id="title")
        with TabbedContent(id="tabs"):
            with TabPane(texts.CONS_TAB_IMPORT, id="tab-import"):
                yield Static(Text(texts.CONS_INTRO), classes="intro")
                with Horizontal(id="import-row"):
                    yield Input(placeholder=texts.CONS_PATHS, id="paths")
                    yield Button(texts.CONS_PREVIEW, id="preview", variant="primary")
                    yield Button(texts.CONS_APPLY, id="apply", variant="success", disabled=True)
                # Refusals can be long: the summary scrolls, the preview keeps its room.
                with VerticalScroll(id="import-summary-box"):
                    yield Static("", id="import-summary", classes="summary", markup=False)
                yield DataTable(id="preview-table", cursor_type="row", zebra_stripes=True)
            with TabPane(texts.CONS_TAB_DEVICES, id="tab-devices"):
                yield DataTable(id="devices", cursor_type="row", zebra_stripes=True)
                yield Static("", id="clock-warnings", classes="summary", markup=False)
                yield Static(Text(texts.CONS_FILES_TITLE), classes="heading")
                yield DataTable(id="ledger", cursor_type="row", zebra_stripes=True)
            with TabPane(texts.CONS_TAB_CONFLICTS, id="tab-conflicts"):
                yield Static("", id="conflicts-summary", classes="summary", markup=False)
                yield DataTable(id="conflicts", cursor_type="row", zebra_stripes=True)
            with TabPane(texts.CONS_TAB_GAPS, id="tab-gaps"), Vertical():
                yield Static(Text(texts.CONS_GAPS_TEGN), classes="heading")
                yield DataTable(id="gaps-tegn", cursor_type="row", zebra_stripes=True)
                yield Static(Text(texts.CONS_GAPS_PROEVEHANDLINGER), classes="heading")
                yield DataTable(id="gaps-proevehandlinger", cursor_type="row", zebra_stripes=True)
            with TabPane(texts.CONS_TAB_MATRIX, id="tab-matrix"):
                yield Static(Text(texts.CONS_MATRIX), classes="intro")
                yield DataTable(id="matrix", cursor_type="row", zebra_stripes=True)
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#preview-table", DataTable).add_columns(*texts.CONS_COLS_PREVIEW)
        self.query_one("#devices", DataTable).add_columns(*texts.CONS_COLS_DEVICES)
        self.query_one("#ledger", DataTable).add_columns(*texts.CONS_COLS_LEDGER)
        self.query_one("#conflicts", DataTable).add_columns(*texts.CONS_COLS_CONFLICTS)
        for table_id in ("#gaps-tegn", "#gaps-proevehandlinger"):
            self.query_one(table_id, DataTable).add_columns(*texts.CONS_COLS_GAPS)
        self.query_one("#matrix", DataTable).add_columns(
            texts.CONS_COL_ENHED, *(enums.label(n) for n in enums.Niveau), texts.CONS_COL_TOTAL
        )
        self.query_one("#paths", Input).focus()
        self.refresh_data()

    # --- loading -------------------------------------------------------------------------

    def action_refresh(self) -> None:
        self.refresh_data()

    def reload(self) -> None:
        """Read the tabs again (after an undo)."""
        self.refresh_data()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_kladde(self) -> None:
        from .kladde import KladdeScreen

        self.app.push_screen(KladdeScreen())

    def refresh_data(self) -> None:
        """Read everything the tabs show (in the database queue) and show it."""
        host(self).read(
            Snapshot.read,
            done=self._shown(self._show_snapshot, texts.CONS_LOAD_FAILED),
            error=lambda exc: self._error(_message(exc, texts.CONS_LOAD_FAILED)),
        )

    def _shown(self, show: Callable[[Any], object], failed: str) -> Callable[[Any], None]:
        """`show` for an answer from the queue; if showing the result fails (a value nothing
        foresaw), say so in Danish with `failed` instead of ending the app."""

        def answer(result: Any) -> None:
            if not self.is_attached:
                return  # the screen was closed meanwhile
            try:
                show(result)
            except Exception as exc:
                self._error(_message(exc, failed))

        return answer

    def _error(self, message: str) -> None:
        self.notify(
            visible(message, SUMMARY_LIMIT, multiline=True),
            severity="error",
            markup=False,
            timeout=10,
        )

    def _show_snapshot(self, snap: Snapshot) -> None:
        self.snapshot = snap
        self._show_devices(snap)
        self._show_conflicts(snap.conflicts)
        self._show_gaps(snap.gaps)
        self._show_matrix(snap.matrix)

    def _show_devices(self, snap: Snapshot) -> None:
        devices = self.query_one("#devices", DataTable)
        devices.clear()
        for s in snap.devices:
            if s.is_local:
                status = texts.CONS_THIS_DEVICE
            elif not s.files:
                status = texts.CONS_NO_FILE
            elif s.complete:
                status = texts.CONS_ALL_ARRIVED
            else:
                status = texts.CONS_MISSING.format(n=s.latest_file_entries - s.in_log)
            if s.clock_warning:
                status += texts.CONS_CLOCK_MARK
            devices.add_row(
                _t(s.navn),
                _t(", ".join(s.borde)),
                s.files,
                s.received,
                s.new,
                s.known,
                s.conflicts,
                s.in_log,
                _t(status),
                _t(s.last_import.replace("T", " ")),
                key=s.device_id,
            )
        warnings = _clock_warnings(snap)
        shown = self.query_one("#clock-warnings", Static)
        shown.update(
            Text("\n".join(texts.CONS_CLOCK_WARNING.format(warning=visible(w)) for w in warnings))
        )
        shown.display = bool(warnings)
        files = self.query_one("#ledger", DataTable)
        files.clear()
        for r in snap.files:
            files.add_row(
                _t(r.imported_at.replace("T", " ")),
                _t(r.filnavn),
                _t(r.device_navn),
                _t(texts.CONS_KIND_PACK if r.kind == "pack" else texts.CONS_KIND_HANDOFF),
                r.received,
                r.new,
                r.known,
                r.conflicts,
                _t(r.sha256[:12]),
                key=r.id,
            )

    def _show_conflicts(self, conflicts: list[Conflict]) -> None:
        table = self.query_one("#conflicts", DataTable)
        table.clear()
        for i, c in enumerate(conflicts):
            table.add_row(
                _t(texts.CONS_CONFLICT_KIND_LABELS.get(c.kind, c.kind)),
                _t(c.entity_label),
                _t(c.title),
                _t(c.field_label),
                _t(" / ".join(side.shown for side in c.sides)),
                _t(", ".join(dict.fromkeys(side.device_name for side in c.sides))),
                key=str(i),
            )
        n = len(conflicts)
        self.query_one("#conflicts-summary", Static).update(
            Text(texts.CONS_CONFLICTS.format(n=n) if n else texts.CONS_NO_CONFLICTS)
        )
        self.query_one("#tabs", TabbedContent).get_tab("tab-conflicts").label = (
            texts.CONS_CONFLICTS_TAB_COUNT.format(label=texts.CONS_TAB_CONFLICTS, n=n)
            if n
            else texts.CONS_TAB_CONFLICTS
        )

    def _show_gaps(self, gaps: list[Gap]) -> None:
        lacking: tuple[tuple[str, Callable[[Gap], int]], ...] = (
            ("#gaps-tegn", lambda g: g.tegn),
            ("#gaps-proevehandlinger", lambda g: g.proevehandlinger),
        )
        for table_id, count in lacking:
            t = self.query_one(table_id, DataTable)
            t.clear()
            for g in gaps:
                if count(g) == 0:
                    t.add_row(
                        _t(g.tekst),
                        _t(g.maalsaetning),
                        _t(g.enhed),
                        _t(g.borde),
                        g.tegn,
                        g.proevehandlinger,
                        key=g.maal_id,
                    )

    def _show_matrix(self, rows: list[MatrixRow]) -> None:
        matrix = self.query_one("#matrix", DataTable)
        matrix.clear()
        for row in rows:
            matrix.add_row(
                _t(row.navn),
                *(row.count(n) for n in enums.Niveau),
                row.total,
                key=row.enhed_id,
            )

    # --- import --------------------------------------------------------------------------

    @on(Input.Changed, "#paths")
    def _paths_changed(self, event: Input.Changed) -> None:
        # A preview belongs to the files it was made for (and so does a confirmation). The
        # message for the text a preview was just asked for can come after the asking.
        if event.value == self._previewed_text:
            return
        self._previewed_text = None
        self._preview_asked += 1
        self.preview = None
        self.allow_foreign = False
        self.query_one("#apply", Button).disabled = True

    @on(Input.Submitted, "#paths")
    def _paths_submitted(self) -> None:
        self._start_preview()

    @on(Button.Pressed, "#preview")
    def _preview_pressed(self) -> None:
        self._start_preview()

    @on(Button.Pressed, "#apply")
    def _apply_pressed(self) -> None:
        if self.preview is None:
            return
        paths = [str(f.path) for f in self.preview.files if not f.rejected]
        if not paths:
            self.notify(texts.CONS_NOTHING_TO_IMPORT, severity="warning", markup=False)
            return
        self.query_one("#apply", Button).disabled = True
        self._summary(texts.CONS_IMPORTING)
        self.run_import(paths, allow_foreign=self.allow_foreign)

    def _start_preview(self, *, allow_foreign: bool = False) -> None:
        typed = self.query_one("#paths", Input).value
        paths = parse_paths(typed)
        if not paths:
            self.notify(texts.CONS_NO_PATHS, severity="warning", markup=False)
            return
        self.preview = None
        self._previewed_text = typed
        self.allow_foreign = allow_foreign
        self.query_one("#apply", Button).disabled = True
        self._summary(texts.CONS_WORKING)
        self.run_preview(paths, allow_foreign=allow_foreign)

    def _summary(self, text: str) -> None:
        self.query_one("#import-summary", Static).update(
            Text(visible(text, SUMMARY_LIMIT, multiline=True))
        )

    def run_preview(self, paths: list[str], *, allow_foreign: bool = False) -> None:
        """Dry-run the import: nothing is saved."""
        self._preview_asked += 1
        asked = self._preview_asked

        def answer(report: ImportReport) -> None:
            if asked == self._preview_asked:
                self._show_preview(report)

        def failed(exc: Exception) -> None:
            # Every failure becomes a Danish message, never a traceback.
            if asked != self._preview_asked or not self.is_attached:
                return
            if isinstance(exc, ForeignFileError) and not allow_foreign:
                self._ask_foreign(str(exc))
            else:
                self._preview_failed(_message(exc, texts.CONS_READ_FAILED))

        host(self).read(
            _import(paths, dry_run=True, allow_foreign=allow_foreign),
            done=self._shown(answer, texts.CONS_READ_FAILED),
            error=failed,
        )

    def _ask_foreign(self, message: str, *, show: bool = True) -> None:
        """Ask whether files from another database may be read; yes previews them again
        (with `allow_foreign`), and Importér then imports them."""
        if show:
            self._summary(message)

        def answered(go_on: bool | None) -> None:
            if go_on:
                self._start_preview(allow_foreign=True)
            else:
                self._summary(texts.CONS_FOREIGN_CANCELLED)

        self.app.push_screen(ForeignFileScreen(message), answered)

    def _preview_failed(self, message: str) -> None:
        self.preview = None
        self.query_one("#apply", Button).disabled = True
        self.query_one("#preview-table", DataTable).clear()
        self._summary(message)
        self._error(message)

    def _show_preview(self, report: ImportReport) -> None:
        self.preview = report
        self._summary("\n".join(report.summary_lines()))
        foreign = [f for f in report.files if f.rejected and f.foreign]
        if foreign and not self.allow_foreign:
            self._ask_foreign(foreign[0].error or "", show=False)
        table = self.query_one("#preview-table", DataTable)
        table.clear()
        for f in report.files:
            for item in f.items:
                table.add_row(
                    _t(f.path.name),
                    _t(texts.CONS_KIND_LABELS.get(item.kind, item.kind)),
                    _t(item.entity_label),
                    _t(item.title),
                    _t(item.field_label if item.field else ""),
                    _t(item.before),
                    _t(item.after),
                )
        self.query_one("#apply", Button).disabled = not any(not f.rejected for f in report.files)

    def run_import(self, paths: list[str], *, allow_foreign: bool = False) -> None:
        """Import for real, then reload every tab."""
        self._preview_asked += 1  # a preview still on its way is of no use now

        def failed(exc: Exception) -> None:
            # Every failure becomes a Danish message, never a traceback.
            if self.is_attached:
                self._preview_failed(_message(exc, texts.CONS_IMPORT_FAILED))
                self.refresh_data()

        host(self).write(
            _import(paths, dry_run=False, allow_foreign=allow_foreign),
            done=self._shown(self._imported, texts.CONS_IMPORT_FAILED),
            error=failed,
        )

    def _imported(self, report: ImportReport) -> None:
        self.preview = None
        self._summary("\n".join(report.summary_lines()))
        self.notify(
            texts.CONS_IMPORTED.format(
                new=report.new, known=report.known, conflicts=report.conflicts
            ),
            markup=False,
        )
        self.query_one("#preview-table", DataTable).clear()
        self.refresh_data()

    # --- conflicts -----------------------------------------------------------------------

    @on(DataTable.RowSelected, "#conflicts")
    def _conflict_selected(self, event: DataTable.RowSelected) -> None:
        if self.snapshot is None or event.row_key.value is None:
            return
        conflict = self.snapshot.conflicts[int(event.row_key.value)]

        def chosen(choice: ConflictChoice | None) -> None:
            if choice is not None:
                self.run_resolve(conflict, choice.value)

        self.app.push_screen(ConflictScreen(conflict), chosen)

    def run_resolve(self, conflict: Conflict, value: Any) -> None:
        """Write the tovholder's choice as a new change."""

        def failed(exc: Exception) -> None:
            # Every failure becomes a Danish message, never a traceback.
            if self.is_attached:
                self._error(_message(exc, texts.CONS_RESOLVE_FAILED))
                self.refresh_data()

        host(self).write(
            lambda ws: ws.resolve(conflict, value),
            done=self._shown(self._resolved, texts.CONS_RESOLVE_FAILED),
            error=failed,
        )

    def _resolved(self, _change_id: str) -> None:
        self.notify(texts.CONS_RESOLVED, markup=False)
        self.refresh_data()
