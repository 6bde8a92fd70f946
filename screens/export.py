"""Export to SBSYS: the tovholder picks målplaner, checks and fills the metadata of each package
(sagsnummer, DokumentArt, ansvarlig), chooses a folder and watches the export run in a worker.
At the end the screen says where the files went.

Reads go through `models.maalplan_view`, writes through `models.store.Store` (sagsnummer and
ansvarlig are målplan fields) and local settings (DokumentArt, the last folder); files are
written only by `exports.sbsys`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    ProgressBar,
    SelectionList,
    Static,
)
from textual.worker import Worker, WorkerState

from exports.sbsys import (
    DEFAULT_DOKUMENTART,
    ExportOptions,
    ExportResult,
    document_name,
    export_options_from_settings,
    export_sbsys,
    get_package_meta,
    set_dokument_art,
)
from models.errors import UdviklingsdagError
from models.maalplan_view import MaalplanSummary, list_maalplaner, load_maalplan
from screens import texts
from screens.widgets import AppFooter, plain

OUTDIR_SETTING = "export.outdir"

# The screen's texts live in tui/texts.py (EXPORT_*); the short names stay for the tests.
T_TITLE = texts.EXPORT_TITLE
T_INTRO = texts.EXPORT_INTRO
T_PLANS = texts.EXPORT_PLANS
T_NONE = texts.EXPORT_NONE
T_META = texts.EXPORT_META
T_SAGSNUMMER = texts.EXPORT_SAGSNUMMER
T_DOKUMENTART = texts.EXPORT_DOKUMENTART
T_ANSVARLIG = texts.EXPORT_ANSVARLIG
T_OUTDIR = texts.EXPORT_OUTDIR
T_ZIP = texts.EXPORT_ZIP
T_DROP = texts.EXPORT_DROP
T_EXPORT = texts.EXPORT_EXPORT
T_BACK = texts.EXPORT_BACK
T_SAVED = texts.EXPORT_SAVED
T_RUNNING = texts.EXPORT_RUNNING
T_DONE = texts.EXPORT_DONE
T_NO_SELECTION = texts.EXPORT_NO_SELECTION
T_NO_OUTDIR = texts.EXPORT_NO_OUTDIR
T_FAILED = texts.EXPORT_FAILED
T_UNEXPECTED = texts.EXPORT_UNEXPECTED
T_PREVIEW = texts.EXPORT_PREVIEW


def _error_text(exc: Exception) -> str:
    """The app's own errors say what is wrong; anything else is named as unexpected."""
    if isinstance(exc, UdviklingsdagError):
        return str(exc)
    return texts.UNEXPECTED_ERROR.format(kind=type(exc).__name__)


def _default_outdir() -> str:
    try:
        from platformdirs import user_documents_dir

        return str(Path(user_documents_dir()) / "udviklingsdag-eksport")
    except Exception:
        return str(Path.home() / "udviklingsdag-eksport")


class ExportScreen(Screen[None]):
    """Pick målplaner, fill their SBSYS metadata, export them in a worker."""

    HELP_KEY = "export"
    DEFAULT_CSS = """
    ExportScreen { layout: vertical; }
    ExportScreen #export-title { text-style: bold; padding: 0 1; }
    ExportScreen #export-intro { color: $text-muted; padding: 0 1 1 1; }
    ExportScreen #export-body { height: 1fr; }
    ExportScreen #export-plans { width: 45%; border: round $primary 50%; }
    ExportScreen #export-plans:focus-within { border: round $primary; }
    ExportScreen #export-meta { width: 1fr; padding: 0 1; border: round $primary 50%; }
    ExportScreen #export-meta:focus-within { border: round $primary; }
    ExportScreen .field-label { color: $text-muted; margin-top: 1; }
    ExportScreen #meta-message { height: auto; }
    ExportScreen #meta-message.-error { color: $text-error; }
    ExportScreen #meta-preview { color: $text-muted; margin-top: 1; height: auto; }
    ExportScreen #export-bottom { height: auto; padding: 0 1; }
    ExportScreen #export-options { height: auto; }
    ExportScreen #export-options Checkbox { margin-right: 2; }
    ExportScreen #export-actions { height: auto; }
    ExportScreen #export-actions Button { margin-right: 2; }
    ExportScreen #export-progress { margin-top: 1; width: 1fr; }
    ExportScreen #export-status { height: auto; margin-top: 1; }
    ExportScreen #export-status.-error { color: $text-error; }
    ExportScreen #export-status.-done { color: $text-success; }
    """
    BINDINGS = [
        Binding("escape", "back", T_BACK, tooltip=texts.EXPORT_B_BACK_TIP, id="export.back"),
        Binding("ctrl+e", "export", T_EXPORT, tooltip=texts.EXPORT_B_RUN_TIP, id="export.run"),
    ]

    def __init__(self, store: Any) -> None:
        super().__init__()
        self.store = store
        self.plans: list[MaalplanSummary] = []
        self.current_id: str | None = None
        self.result: ExportResult | None = None
        self.error: str | None = None
        self._loading_fields = False

    # --- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(T_TITLE, id="export-title")
        yield Static(T_INTRO, id="export-intro")
        with Horizontal(id="export-body"):
            with Vertical(id="export-plans"):
                yield Label(T_PLANS)
                yield SelectionList[str](id="plan-list")
            with VerticalScroll(id="export-meta"):
                yield Label(T_META)
                yield Static("", id="meta-plan")
                yield Label(T_SAGSNUMMER, classes="field-label")
                yield Input(id="meta-sagsnummer", placeholder="00.01.00-G01-12-24")
                yield Label(T_DOKUMENTART, classes="field-label")
                yield Input(id="meta-dokumentart", placeholder=DEFAULT_DOKUMENTART)
                yield Label(T_ANSVARLIG, classes="field-label")
                yield Input(id="meta-ansvarlig")
                yield Static("", id="meta-message")
                yield Static("", id="meta-preview")
        with Vertical(id="export-bottom"):
            yield Label(T_OUTDIR, classes="field-label")
            yield Input(id="outdir")
            with Horizontal(id="export-options"):
                yield Checkbox(T_ZIP, id="opt-zip")
                yield Checkbox(T_DROP, id="opt-drop")
            with Horizontal(id="export-actions"):
                yield Button(T_EXPORT, id="run-export", variant="primary")
                yield Button(T_BACK, id="back")
                yield ProgressBar(id="export-progress", show_eta=False)
            yield Static("", id="export-status")
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#outdir", Input).value = (
            self.store.get_setting(OUTDIR_SETTING) or _default_outdir()
        )
        self.refresh_plans()

    def refresh_plans(self) -> None:
        """(Re)read the list of målplaner; every plan starts selected."""
        self.plans = list_maalplaner(self.store.db)
        sel = self.query_one("#plan-list", SelectionList)
        sel.clear_options()
        for p in self.plans:
            label = plain(f"{p.enhed_navn} - {p.titel}")
            if p.aar:
                label.append(f" ({p.aar})", style="dim")
            sel.add_option((label, p.id, True))
        if not self.plans:
            self._status(T_NONE, "")
            self.query_one("#run-export", Button).disabled = True
            return
        self._show_plan(self.plans[0].id)

    # --- the metadata of the highlighted plan ----------------------------------------------

    @on(SelectionList.SelectionHighlighted, "#plan-list")
    def _highlighted(self, event: SelectionList.SelectionHighlighted) -> None:
        self._show_plan(event.selection.value)

    def _show_plan(self, maalplan_id: str) -> None:
        self.current_id = maalplan_id
        summary = next((p for p in self.plans if p.id == maalplan_id), None)
        if summary is None:
            return
        meta = get_package_meta(self.store, maalplan_id)
        self._loading_fields = True
        self.query_one("#meta-plan", Static).update(plain(summary.titel, style="bold"))
        self.query_one("#meta-sagsnummer", Input).value = summary.sagsnummer or ""
        self.query_one("#meta-dokumentart", Input).value = meta.dokument_art
        self.query_one("#meta-ansvarlig", Input).value = summary.ansvarlig or ""
        self._loading_fields = False
        self._message("", error=False)
        self._preview()

    def _preview(self) -> None:
        if self.current_id is None:
            return
        try:
            view = load_maalplan(self.store.db, self.current_id)
        except Exception as exc:  # a plan that cannot be read is a message, never a crash
            self._message(_error_text(exc), error=True)
            return
        c = view.counts()
        art = get_package_meta(self.store, view.id).dokument_art
        text = T_PREVIEW.format(
            navn=document_name(view),
            emne=texts.EXPORT_EMNE.format(aar=view.aar or "", enhed=view.enhed_navn),
            enhed=view.enhed_navn,
            ansvarlig=view.ansvarlig or "-",
            sag=view.sagsnummer or "-",
            art=art,
            maal=c["maal"],
            tegn=c["tegn"],
            ph=c["proevehandlinger"],
            sam=c["samarbejder"],
        )
        self.query_one("#meta-preview", Static).update(plain(text))

    @on(Input.Submitted, "#meta-sagsnummer, #meta-dokumentart, #meta-ansvarlig")
    def _submitted(self, event: Input.Submitted) -> None:
        self._save_field(event.input)

    @on(Input.Blurred, "#meta-sagsnummer, #meta-dokumentart, #meta-ansvarlig")
    def _blurred(self, event: Input.Blurred) -> None:
        self._save_field(event.input)

    def _save_field(self, widget: Input) -> None:
        """Save one metadata field of the highlighted plan (sagsnummer/ansvarlig through the
        Store, DokumentArt as a local setting). Errors are shown in Danish next to the field."""
        if self._loading_fields or self.current_id is None:
            return
        value = widget.value
        try:
            if widget.id == "meta-dokumentart":
                if value.strip() == get_package_meta(self.store, self.current_id).dokument_art:
                    return
                set_dokument_art(self.store, value, self.current_id)
            else:
                name = "sagsnummer" if widget.id == "meta-sagsnummer" else "ansvarlig"
                if self.store.update("maalplan", self.current_id, {name: value}) == 0:
                    return
                self.plans = list_maalplaner(self.store.db)
        except Exception as exc:  # refused or failed: said next to the field, never a crash
            self._message(_error_text(exc), error=True)
            return
        self._message(T_SAVED, error=False)
        self._preview()

    def _message(self, text: str, *, error: bool) -> None:
        msg = self.query_one("#meta-message", Static)
        msg.update(plain(text))
        msg.set_class(error, "-error")

    # --- the export ------------------------------------------------------------------------

    @on(Button.Pressed, "#run-export")
    def _run_pressed(self) -> None:
        self.action_export()

    @on(Button.Pressed, "#back")
    def _back_pressed(self) -> None:
        self.action_back()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_export(self) -> None:
        """Start the export of the selected plans in a worker thread."""
        ids = list(self.query_one("#plan-list", SelectionList).selected)
        # Keep the order of the list on screen.
        order = {p.id: i for i, p in enumerate(self.plans)}
        ids.sort(key=lambda i: order.get(i, 0))
        outdir = self.query_one("#outdir", Input).value.strip()
        if not ids:
            self._status(T_NO_SELECTION, "-error")
            return
        if not outdir:
            self._status(T_NO_OUTDIR, "-error")
            return
        focused = self.focused
        if isinstance(focused, Input) and focused.id and focused.id.startswith("meta-"):
            self._save_field(focused)
        self.store.set_setting(OUTDIR_SETTING, outdir)
        options = export_options_from_settings(
            self.store,
            ids,
            zip=self.query_one("#opt-zip", Checkbox).value,
            drop_file=self.query_one("#opt-drop", Checkbox).value,
        )
        self.result = None
        self.error = None
        bar = self.query_one("#export-progress", ProgressBar)
        bar.update(total=len(ids) * 2, progress=0)
        self.query_one("#run-export", Button).disabled = True
        self._status(T_RUNNING.format(n=len(ids)), "")
        self._export(ids, Path(outdir).expanduser(), options)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self, ids: list[str], outdir: Path, options: ExportOptions) -> ExportResult:
        def progress(done: int, total: int, _text: str) -> None:
            self.app.call_from_thread(self._progress, done, total)

        return export_sbsys(self.store.db, outdir, ids, replace(options), progress=progress)

    def _progress(self, done: int, total: int) -> None:
        self.query_one("#export-progress", ProgressBar).update(total=total, progress=done)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "export":
            return
        if event.state == WorkerState.SUCCESS:
            result: ExportResult = event.worker.result
            self.result = result
            bar = self.query_one("#export-progress", ProgressBar)
            bar.update(progress=bar.total or 0)
            self._status(T_DONE.format(summary=result.summary(), outdir=result.outdir), "-done")
            self.query_one("#run-export", Button).disabled = False
        elif event.state == WorkerState.ERROR:
            exc = event.worker.error
            if isinstance(exc, UdviklingsdagError):
                self.error = T_FAILED.format(message=str(exc))
            else:
                self.error = T_UNEXPECTED.format(kind=type(exc).__name__)
            self._status(self.error, "-error")
            self.query_one("#run-export", Button).disabled = False
        elif event.state == WorkerState.CANCELLED:
            self.query_one("#run-export", Button).disabled = False

    def _status(self, text: str, cls: str) -> None:
        status = self.query_one("#export-status", Static)
        status.update(plain(text))
        status.set_class(cls == "-error", "-error")
        status.set_class(cls == "-done", "-done")
