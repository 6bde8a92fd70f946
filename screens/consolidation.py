"""The tovholder's consolidation view: import the facilitators' files (with a preview first),
see what arrived from each laptop, settle conflicts, find the gaps and see who collaborates
with whom at which level.

All database and file work runs in thread workers through `models.merge` (import, ledger,
conflicts, gaps, matrix) and the Store; the screen only shows results. Constructed as
`ConsolidationScreen(store)` and works on any App."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import (
    Button,
    DataTable,
    Footer,
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

from .conflict import ConflictChoice, ConflictScreen

# The screen's texts, together so they can be reviewed.
T_TITLE = "Konsolidering"
T_INTRO = (
    "Importér overleveringsfilerne fra facilitatorernes bærbare. Du ser først, hvad der er "
    "nyt, hvad der ændres, og hvad der er i konflikt. Samme fil to gange gør ingen skade."
)
T_PATHS = (
    "Sti til en eller flere filer (adskilt med mellemrum; brug anførselstegn om stier med "
    "mellemrum)"
)
T_PREVIEW = "Forhåndsvis"
T_APPLY = "Importér"
T_TAB_IMPORT = "Import"
T_TAB_DEVICES = "Bærbare"
T_TAB_CONFLICTS = "Konflikter"
T_TAB_GAPS = "Huller"
T_TAB_MATRIX = "Samarbejder"
T_NO_PATHS = "Skriv stien til mindst én fil."
T_WORKING = "Læser filerne …"
T_IMPORTING = "Importerer …"
T_IMPORTED = "Importeret: {new} nye ændringer, {known} kendte i forvejen, {conflicts} konflikter."
T_NOTHING_TO_IMPORT = "Der er intet at importere: ingen af filerne kunne læses."
T_FILES_TITLE = "Importerede filer"
T_NO_CONFLICTS = "Ingen åbne konflikter. Alt er flettet uden uenigheder."
T_CONFLICTS = "Åbne konflikter: {n}. Vælg en og tryk Enter for at se værdierne side om side."
T_RESOLVED = "Konflikten er løst."
T_GAPS_TEGN = "Mål uden tegn (hul efter udviklingsdag del 1)"
T_GAPS_PH = "Mål uden prøvehandling (hul efter udviklingsdag del 2)"
T_MATRIX = "Enheder og niveau: antal samarbejder enheden er med i (som ejer af målet eller partner)"
T_ALL_ARRIVED = "Alt modtaget"
T_MISSING = "Mangler {n}"
T_NO_FILE = "Ingen fil endnu"
T_THIS_DEVICE = "denne bærbar"
KIND_LABELS = {
    "ny": "Ny",
    "ændret": "Ændres",
    "slettet": "Slettes",
    "gendannet": "Gendannes",
    "konflikt": "Konflikt",
}
STATUS_LABELS = {"importeret": "Klar", "kendt": "Kendt i forvejen", "afvist": "Afvist"}
CONFLICT_KIND_LABELS = {"felt": "To værdier", "sletning": "Slettet og ændret"}


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


def _t(value: Any) -> Text:
    # User text is never parsed as markup in a table cell.
    return Text("" if value is None else str(value))


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
    """

    BINDINGS = [
        Binding(
            "escape", "back", "Tilbage", tooltip="Luk konsolideringen", id="consolidation.back"
        ),
        Binding(
            "ctrl+r,f5",
            "refresh",
            "Opdatér",
            tooltip="Læs databasen igen",
            id="consolidation.refresh",
        ),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.preview: ImportReport | None = None
        self.snapshot: _Snapshot | None = None

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
                yield Static("", id="import-summary", classes="summary", markup=False)
                yield DataTable(id="preview-table", cursor_type="row", zebra_stripes=True)
            with TabPane(T_TAB_DEVICES, id="tab-devices"):
                yield DataTable(id="devices", cursor_type="row", zebra_stripes=True)
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
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#preview-table", DataTable).add_columns(
            "Fil", "Hvad", "Type", "Række", "Felt", "Før", "Efter"
        )
        self.query_one("#devices", DataTable).add_columns(
            "Bærbar",
            "Borde",
            "Filer",
            "Modtaget",
            "Nye",
            "Kendte",
            "Konflikter",
            "I databasen",
            "Status",
            "Seneste import",
        )
        self.query_one("#ledger", DataTable).add_columns(
            "Importeret",
            "Fil",
            "Bærbar",
            "Type",
            "Modtaget",
            "Nye",
            "Kendte",
            "Konflikter",
            "SHA-256",
        )
        self.query_one("#conflicts", DataTable).add_columns(
            "Hvad", "Type", "Række", "Felt", "Værdier", "Bærbare"
        )
        for table_id in ("#gaps-tegn", "#gaps-ph"):
            self.query_one(table_id, DataTable).add_columns(
                "Mål", "Målsætning", "Enhed", "Borde", "Tegn", "Prøvehandlinger"
            )
        self.query_one("#matrix", DataTable).add_columns(
            "Enhed", *(enums.label(n) for n in enums.Niveau), "I alt"
        )
        self.query_one("#paths", Input).focus()
        self.refresh_data()

    # --- loading -------------------------------------------------------------------------

    def action_refresh(self) -> None:
        self.refresh_data()

    def action_back(self) -> None:
        self.app.pop_screen()

    @work(thread=True, exclusive=True, group="consolidation-load")
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
        except UdviklingsdagError as exc:
            self.app.call_from_thread(self._error, str(exc))
            return
        self.app.call_from_thread(self._show_snapshot, snap)

    def _error(self, message: str) -> None:
        self.notify(message, severity="error", markup=False, timeout=10)

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
        files = self.query_one("#ledger", DataTable)
        files.clear()
        for r in snap.files:
            files.add_row(
                _t(r.imported_at.replace("T", " ")),
                _t(r.filnavn),
                _t(r.device_navn),
                _t("Workshop-pakke" if r.kind == "pack" else "Overlevering"),
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
            T_CONFLICTS.format(n=n) if n else T_NO_CONFLICTS
        )
        self.query_one("#tabs", TabbedContent).get_tab("tab-conflicts").label = (
            f"{T_TAB_CONFLICTS} ({n})" if n else T_TAB_CONFLICTS
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
        # A preview belongs to the files it was made for.
        self.preview = None
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
        self.run_import(paths)

    def _start_preview(self) -> None:
        paths = parse_paths(self.query_one("#paths", Input).value)
        if not paths:
            self.notify(T_NO_PATHS, severity="warning", markup=False)
            return
        self._summary(T_WORKING)
        self.run_preview(paths)

    def _summary(self, text: str) -> None:
        self.query_one("#import-summary", Static).update(text)

    @work(thread=True, exclusive=True, group="consolidation-import")
    def run_preview(self, paths: list[str]) -> None:
        """Dry-run the import: nothing is saved."""
        try:
            report = import_bundles(self.store, paths, dry_run=True, skip_rejected=True)
        except UdviklingsdagError as exc:
            self.app.call_from_thread(self._preview_failed, str(exc))
            return
        self.app.call_from_thread(self._show_preview, report)

    def _preview_failed(self, message: str) -> None:
        self._summary(message)
        self.notify(message, severity="error", markup=False, timeout=10)

    def _show_preview(self, report: ImportReport) -> None:
        self.preview = report
        self._summary("\n".join(report.summary_lines()))
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

    @work(thread=True, exclusive=True, group="consolidation-import")
    def run_import(self, paths: list[str]) -> None:
        """Import for real, then reload every tab."""
        try:
            report = import_bundles(self.store, paths, skip_rejected=True)
        except UdviklingsdagError as exc:
            self.app.call_from_thread(self._preview_failed, str(exc))
            return
        self.app.call_from_thread(self._imported, report)

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

    @work(thread=True, exclusive=True, group="consolidation-resolve")
    def run_resolve(self, conflict: Conflict, value: Any) -> None:
        """Write the tovholder's choice as a new change."""
        try:
            resolve_conflict(self.store, conflict, value)
        except UdviklingsdagError as exc:
            self.app.call_from_thread(self._error, str(exc))
            self.app.call_from_thread(self.refresh_data)
            return
        self.app.call_from_thread(self._resolved)

    def _resolved(self) -> None:
        self.notify(T_RESOLVED, markup=False)
        self.refresh_data()
