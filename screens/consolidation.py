"""The tovholder's consolidation view: import the facilitators' files (with a preview first),
see what arrived from each laptop, settle conflicts, find the gaps and see who collaborates
with whom at which level.

All database and file work runs in thread workers through `models.merge` (import, ledger,
conflicts, gaps, matrix) and the Store; the screen only shows results. Constructed as
`ConsolidationScreen(store)` and works on any App."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
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

from models import enums
from models.errors import UdviklingsdagError
from models.merge import (
    Conflict,
    DeviceSummary,
    ForeignFileError,
    Gap,
    ImportReport,
    LedgerRow,
    MatrixRow,
    collaboration_matrix,
    device_summary,
    gaps,
    import_bundles,
    ledger,
    open_conflicts,
    resolve_conflict,
)
from models.store import Store
from models.visible import visible
from screens import texts
from screens.widgets import AppFooter

from .conflict import ConflictChoice, ConflictScreen

# The screen's texts live in tui/texts.py (CONS_*); the short names stay for the tests.
T_TITLE = texts.CONS_TITLE
T_INTRO = texts.CONS_INTRO
T_PATHS = texts.CONS_PATHS
T_PREVIEW = texts.CONS_PREVIEW
T_APPLY = texts.CONS_APPLY
T_TAB_IMPORT = texts.CONS_TAB_IMPORT
T_TAB_DEVICES = texts.CONS_TAB_DEVICES
T_TAB_CONFLICTS = texts.CONS_TAB_CONFLICTS
T_TAB_GAPS = texts.CONS_TAB_GAPS
T_TAB_MATRIX = texts.CONS_TAB_MATRIX
T_NO_PATHS = texts.CONS_NO_PATHS
T_WORKING = texts.CONS_WORKING
T_IMPORTING = texts.CONS_IMPORTING
T_IMPORTED = texts.CONS_IMPORTED
T_NOTHING_TO_IMPORT = texts.CONS_NOTHING_TO_IMPORT
T_FILES_TITLE = texts.CONS_FILES_TITLE
T_NO_CONFLICTS = texts.CONS_NO_CONFLICTS
T_CONFLICTS = texts.CONS_CONFLICTS
T_RESOLVED = texts.CONS_RESOLVED
T_GAPS_TEGN = texts.CONS_GAPS_TEGN
T_GAPS_PH = texts.CONS_GAPS_PH
T_MATRIX = texts.CONS_MATRIX
T_ALL_ARRIVED = texts.CONS_ALL_ARRIVED
T_MISSING = texts.CONS_MISSING
T_NO_FILE = texts.CONS_NO_FILE
T_THIS_DEVICE = texts.CONS_THIS_DEVICE
KIND_LABELS = texts.CONS_KIND_LABELS
STATUS_LABELS = texts.CONS_STATUS_LABELS
CONFLICT_KIND_LABELS = texts.CONS_CONFLICT_KIND_LABELS


def parse_paths(text: str) -> list[str]:
    """Split what the user typed or dropped into paths (quotes keep spaces together)."""
    try:
        parts = shlex.split(text)
    except ValueError:
        parts = text.split()
    return [str(Path(p).expanduser()) for p in parts if p.strip()]


@dataclass
class _Snapshot:
    devices: list[DeviceSummary]
    files: list[LedgerRow]
    conflicts: list[Conflict]
    gaps: list[Gap]
    matrix: list[MatrixRow]


# Longest text shown in a table cell and in the summary above the preview (a value from a file
# can be megabytes long; the table would measure every character of it).
CELL_LIMIT = 200
SUMMARY_LIMIT = 4000


def _t(value: Any) -> Text:
    # Text from data or files: never parsed as markup, and control characters (ESC, C1, bidi
    # overrides) shown as visible placeholders, so a file cannot steer the terminal.
    return Text("" if value is None else visible(value, CELL_LIMIT))


def _message(exc: BaseException, template: str) -> str:
    """A Danish message for any failure of a worker: the app's own errors say what is wrong;
    anything else (a file nothing foresaw, a bug) gets `template` with its type and text."""
    if isinstance(exc, UdviklingsdagError):
        return str(exc)
    text = str(exc).splitlines()[0] if str(exc) else ""
    return template.format(kind=type(exc).__name__, text=text[:200])


def _import(store: Store, paths: list[str], **kw: Any) -> ImportReport:
    # A refused file is reported in the result and the others go on (`skip_rejected`).
    return import_bundles(store, paths, skip_rejected=True, **kw)


def _clock_warnings(snap: _Snapshot) -> list[str]:
    """The clock warnings of the laptops and the imported files, each once."""
    found = [s.clock_warning for s in snap.devices] + [r.clock_warning for r in snap.files]
    return list(dict.fromkeys(w for w in found if w))


class ForeignFileScreen(ModalScreen[bool]):
    """Asks before a file from another database lineage is read: True to go on."""

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
    """Import, ledger per laptop, conflicts, gaps and the collaboration matrix."""

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
    ConsolidationScreen #gaps-tegn, ConsolidationScreen #gaps-ph { height: 1fr; }
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
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.preview: ImportReport | None = None
        self.snapshot: _Snapshot | None = None
        # Set when the tovholder confirmed files from another database for this preview.
        self.allow_foreign = False

    # --- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(Text(T_TITLE), id="title")
        with TabbedContent(id="tabs"):
            with TabPane(T_TAB_IMPORT, id="tab-import"):
                yield Static(Text(T_INTRO), classes="intro")
                with Horizontal(id="import-row"):
                    yield Input(placeholder=T_PATHS, id="paths")
                    yield Button(T_PREVIEW, id="preview", variant="primary")
                    yield Button(T_APPLY, id="apply", variant="success", disabled=True)
                # Refusals can be long: the summary scrolls, the preview keeps its room.
                with VerticalScroll(id="import-summary-box"):
                    yield Static("", id="import-summary", classes="summary", markup=False)
                yield DataTable(id="preview-table", cursor_type="row", zebra_stripes=True)
            with TabPane(T_TAB_DEVICES, id="tab-devices"):
                yield DataTable(id="devices", cursor_type="row", zebra_stripes=True)
                yield Static("", id="clock-warnings", classes="summary", markup=False)
                yield Static(Text(T_FILES_TITLE), classes="heading")
                yield DataTable(id="ledger", cursor_type="row", zebra_stripes=True)
            with TabPane(T_TAB_CONFLICTS, id="tab-conflicts"):
                yield Static("", id="conflicts-summary", classes="summary", markup=False)
                yield DataTable(id="conflicts", cursor_type="row", zebra_stripes=True)
            with TabPane(T_TAB_GAPS, id="tab-gaps"), Vertical():
                yield Static(Text(T_GAPS_TEGN), classes="heading")
                yield DataTable(id="gaps-tegn", cursor_type="row", zebra_stripes=True)
                yield Static(Text(T_GAPS_PH), classes="heading")
                yield DataTable(id="gaps-ph", cursor_type="row", zebra_stripes=True)
            with TabPane(T_TAB_MATRIX, id="tab-matrix"):
                yield Static(Text(T_MATRIX), classes="intro")
                yield DataTable(id="matrix", cursor_type="row", zebra_stripes=True)
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#preview-table", DataTable).add_columns(*texts.CONS_COLS_PREVIEW)
        self.query_one("#devices", DataTable).add_columns(*texts.CONS_COLS_DEVICES)
        self.query_one("#ledger", DataTable).add_columns(*texts.CONS_COLS_LEDGER)
        self.query_one("#conflicts", DataTable).add_columns(*texts.CONS_COLS_CONFLICTS)
        for table_id in ("#gaps-tegn", "#gaps-ph"):
            self.query_one(table_id, DataTable).add_columns(*texts.CONS_COLS_GAPS)
        self.query_one("#matrix", DataTable).add_columns(
            texts.CONS_COL_ENHED, *(enums.label(n) for n in enums.Niveau), texts.CONS_COL_TOTAL
        )
        self.query_one("#paths", Input).focus()
        self.refresh_data()

    # --- loading -------------------------------------------------------------------------

    def action_refresh(self) -> None:
        self.refresh_data()

    def action_back(self) -> None:
        self.app.pop_screen()

    @work(thread=True, exclusive=True, group="consolidation-load", exit_on_error=False)
    def refresh_data(self) -> None:
        """Read everything the tabs show (in a thread) and show it."""
        try:
            snap = _Snapshot(
                devices=device_summary(self.store),
                files=ledger(self.store),
                conflicts=open_conflicts(self.store),
                gaps=gaps(self.store),
                matrix=collaboration_matrix(self.store),
            )
        except Exception as exc:  # every failure becomes a Danish message, never a traceback
            self._back(self._error, _message(exc, texts.CONS_LOAD_FAILED))
            return
        self._back(self._show_snapshot, snap, failed=texts.CONS_LOAD_FAILED)

    def _back(self, callback: Callable[..., object], *args: Any, failed: str | None = None) -> None:
        """From a worker: run `callback(*args)` on the UI thread. If showing the result fails
        (a value nothing foresaw), say so in Danish instead of ending the app."""
        try:
            self.app.call_from_thread(callback, *args)
        except Exception as exc:
            if failed is None or not self.app.is_running:
                return
            try:
                self.app.call_from_thread(self._error, _message(exc, failed))
            except Exception:  # the app is closing: nobody left to tell
                pass

    def _error(self, message: str) -> None:
        self.notify(
            visible(message, SUMMARY_LIMIT, multiline=True),
            severity="error",
            markup=False,
            timeout=10,
        )

    def _show_snapshot(self, snap: _Snapshot) -> None:
        self.snapshot = snap
        devices = self.query_one("#devices", DataTable)
        devices.clear()
        for s in snap.devices:
            if s.is_local:
                status = T_THIS_DEVICE
            elif not s.files:
                status = T_NO_FILE
            elif s.complete:
                status = T_ALL_ARRIVED
            else:
                status = T_MISSING.format(n=s.latest_file_entries - s.in_log)
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
        table = self.query_one("#conflicts", DataTable)
        table.clear()
        for i, c in enumerate(snap.conflicts):
            table.add_row(
                _t(CONFLICT_KIND_LABELS.get(c.kind, c.kind)),
                _t(c.entity_label),
                _t(c.title),
                _t(c.field_label),
                _t(" / ".join(s.shown for s in c.sides)),
                _t(", ".join(dict.fromkeys(s.device_name for s in c.sides))),
                key=str(i),
            )
        n = len(snap.conflicts)
        self.query_one("#conflicts-summary", Static).update(
            Text(T_CONFLICTS.format(n=n) if n else T_NO_CONFLICTS)
        )
        self.query_one("#tabs", TabbedContent).get_tab("tab-conflicts").label = (
            texts.CONS_CONFLICTS_TAB_COUNT.format(label=T_TAB_CONFLICTS, n=n)
            if n
            else T_TAB_CONFLICTS
        )
        for table_id, wanted in (("#gaps-tegn", "tegn"), ("#gaps-ph", "proevehandlinger")):
            t = self.query_one(table_id, DataTable)
            t.clear()
            for g in snap.gaps:
                if getattr(g, wanted) == 0:
                    t.add_row(
                        _t(g.tekst),
                        _t(g.maalsaetning),
                        _t(g.enhed),
                        _t(g.borde),
                        g.tegn,
                        g.proevehandlinger,
                        key=g.maal_id,
                    )
        matrix = self.query_one("#matrix", DataTable)
        matrix.clear()
        for r in snap.matrix:
            matrix.add_row(
                _t(r.navn),
                *(r.counts.get(n.value, 0) for n in enums.Niveau),
                r.total,
                key=r.enhed_id,
            )

    # --- import --------------------------------------------------------------------------

    @on(Input.Changed, "#paths")
    def _paths_changed(self) -> None:
        # A preview belongs to the files it was made for (and so does a confirmation).
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
            self.notify(T_NOTHING_TO_IMPORT, severity="warning", markup=False)
            return
        self.query_one("#apply", Button).disabled = True
        self._summary(T_IMPORTING)
        self.run_import(paths, self.allow_foreign)

    def _start_preview(self, *, allow_foreign: bool = False) -> None:
        paths = parse_paths(self.query_one("#paths", Input).value)
        if not paths:
            self.notify(T_NO_PATHS, severity="warning", markup=False)
            return
        self.preview = None
        self.allow_foreign = allow_foreign
        self.query_one("#apply", Button).disabled = True
        self._summary(T_WORKING)
        self.run_preview(paths, allow_foreign)

    def _summary(self, text: str) -> None:
        self.query_one("#import-summary", Static).update(
            Text(visible(text, SUMMARY_LIMIT, multiline=True))
        )

    @work(thread=True, exclusive=True, group="consolidation-import", exit_on_error=False)
    def run_preview(self, paths: list[str], allow_foreign: bool = False) -> None:
        """Dry-run the import: nothing is saved."""
        try:
            report = _import(self.store, paths, dry_run=True, allow_foreign=allow_foreign)
        except Exception as exc:  # every failure becomes a Danish message, never a traceback
            if isinstance(exc, ForeignFileError) and not allow_foreign:
                self._back(self._ask_foreign, str(exc), failed=texts.CONS_READ_FAILED)
            else:
                self._back(self._preview_failed, _message(exc, texts.CONS_READ_FAILED))
            return
        self._back(self._show_preview, report, failed=texts.CONS_READ_FAILED)

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
                    _t(KIND_LABELS.get(item.kind, item.kind)),
                    _t(item.entity_label),
                    _t(item.title),
                    _t(item.field_label if item.field else ""),
                    _t(item.before),
                    _t(item.after),
                )
        self.query_one("#apply", Button).disabled = not any(not f.rejected for f in report.files)

    @work(thread=True, exclusive=True, group="consolidation-import", exit_on_error=False)
    def run_import(self, paths: list[str], allow_foreign: bool = False) -> None:
        """Import for real, then reload every tab."""
        try:
            report = _import(self.store, paths, allow_foreign=allow_foreign)
        except Exception as exc:  # every failure becomes a Danish message, never a traceback
            self._back(self._preview_failed, _message(exc, texts.CONS_IMPORT_FAILED))
            self._back(self.refresh_data)
            return
        self._back(self._imported, report, failed=texts.CONS_IMPORT_FAILED)

    def _imported(self, report: ImportReport) -> None:
        self.preview = None
        self._summary("\n".join(report.summary_lines()))
        self.notify(
            T_IMPORTED.format(new=report.new, known=report.known, conflicts=report.conflicts),
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

    @work(thread=True, exclusive=True, group="consolidation-resolve", exit_on_error=False)
    def run_resolve(self, conflict: Conflict, value: Any) -> None:
        """Write the tovholder's choice as a new change."""
        try:
            resolve_conflict(self.store, conflict, value)
        except Exception as exc:  # every failure becomes a Danish message, never a traceback
            self._back(self._error, _message(exc, texts.CONS_RESOLVE_FAILED))
            self._back(self.refresh_data)
            return
        self._back(self._resolved)

    def _resolved(self) -> None:
        self.notify(T_RESOLVED, markup=False)
        self.refresh_data()
