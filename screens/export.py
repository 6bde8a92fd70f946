"""Export to SBSYS: the tovholder picks målplaner, checks and fills the metadata of each package
(sagsnummer, DokumentArt, ansvarlig), chooses a folder and watches the export run. At the end
the screen says where the files went.

Every read and write, the export included, runs in the App's one database queue on the
workspace (`screens.base.host`): the plans through `models.workspace`, their package metadata
through `exports.sbsys` (sagsnummer and ansvarlig are målplan fields; DokumentArt and the last
folder are local settings). Files are written only by `exports.sbsys`; its progress comes back
to the screen from the queue's thread."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
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

from exports.sbsys import (
    DEFAULT_DOKUMENTART,
    ExportResult,
    PackageMeta,
    app_version,
    document_name,
    export_maalplaner,
    get_package_meta,
    set_dokument_art,
)
from models import settings
from models.errors import UdviklingsdagError
from models.words import count, counted
from screens import texts
from screens.base import host
from screens.forms import ConfirmScreen
from screens.widgets import AppFooter, StateCheckbox, StateSelectionList, plain

if TYPE_CHECKING:
    from models.conflicts import Conflict
    from models.maalplan_view import MaalplanView
    from models.records import MaalplanOverview
    from models.workspace import Workspace

META_FIELDS = {"meta-sagsnummer": "sagsnummer", "meta-ansvarlig": "ansvarlig"}
"""The metadata inputs that are målplan fields (DokumentArt is a local setting)."""


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
    """Pick målplaner, fill their SBSYS metadata, export them in the database queue."""

    class Progress(Message):
        """`done` of `total` steps of the running export are done."""

        def __init__(self, done: int, total: int) -> None:
            super().__init__()
            self.done = done
            self.total = total

    HELP_KEY = "export"
    # Below 120 columns the plans and their metadata stand one above the other and the whole
    # screen scrolls (the list keeps several rows); wider, they stand side by side and share
    # the height that is left. The title and the footer never scroll away.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    DEFAULT_CSS = """
    ExportScreen { layout: vertical; }
    ExportScreen #export-title { text-style: bold; padding: 0 1; }
    ExportScreen #export-scroll { height: 1fr; scrollbar-size-vertical: 1; }
    ExportScreen #export-intro { color: $text-muted; padding: 0 1 1 1; }
    ExportScreen.-short #export-intro { display: none; }
    ExportScreen #export-body { height: 1fr; min-height: 14; }
    ExportScreen #export-plans {
        width: 55%; height: 1fr; border: round $primary 50%; border-title-color: $text;
    }
    ExportScreen #export-plans:focus-within { border: round $primary; }
    ExportScreen #plan-list { height: 1fr; border: none; }
    ExportScreen #export-meta {
        width: 1fr; height: 1fr; padding: 0 1; border: round $primary 50%;
        border-title-color: $text;
    }
    ExportScreen #export-meta:focus-within { border: round $primary; }
    ExportScreen.-narrow #export-body { layout: vertical; height: auto; min-height: 0; }
    ExportScreen.-narrow #export-plans { width: 100%; height: auto; }
    ExportScreen.-narrow #plan-list { height: auto; min-height: 3; max-height: 10; }
    ExportScreen.-narrow #export-meta { width: 100%; height: auto; overflow-y: hidden; }
    ExportScreen .field-label { color: $text-muted; margin-top: 1; width: 100%; }
    ExportScreen #export-meta .field-label { margin-top: 0; }
    ExportScreen #meta-plan { height: auto; }
    ExportScreen #meta-message { height: auto; }
    ExportScreen #meta-message.-error { color: $text-error; }
    ExportScreen #meta-preview { color: $text-muted; margin-top: 1; height: auto; }
    ExportScreen #export-bottom { height: auto; padding: 0 1; }
    ExportScreen #export-bottom .field-label { margin-top: 0; }
    ExportScreen #export-options { height: auto; }
    ExportScreen #export-options Checkbox { margin-right: 2; width: auto; }
    ExportScreen.-narrow #export-options { layout: vertical; }
    ExportScreen #export-actions { height: auto; }
    ExportScreen #export-actions Button { margin-right: 2; }
    ExportScreen #export-progress { margin-top: 1; width: 1fr; }
    ExportScreen #export-status { height: auto; margin-bottom: 1; }
    ExportScreen #export-status.-error { color: $text-error; }
    ExportScreen #export-status.-done { color: $text-success; }
    """
    BINDINGS = [
        Binding(
            "escape",
            "back",
            texts.EXPORT_BACK,
            tooltip=texts.EXPORT_B_BACK_TIP,
            id="export.back",
        ),
        Binding(
            "ctrl+e",
            "export",
            texts.EXPORT_EXPORT,
            tooltip=texts.EXPORT_B_RUN_TIP,
            id="export.run",
            # Before the focused field: an Input binds ctrl+e to «end of line», and the
            # folder field is where the cursor is just before exporting (End still works).
            priority=True,
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.plans: tuple[MaalplanOverview, ...] = ()
        self.current_id: str | None = None
        self.result: ExportResult | None = None
        self.error: str | None = None
        self.exporting = False
        self._loading_fields = False

    # --- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(texts.EXPORT_TITLE, id="export-title")
        with VerticalScroll(id="export-scroll"):
            yield Static(texts.EXPORT_INTRO, id="export-intro")
            with Horizontal(id="export-body"):
                plans = Vertical(id="export-plans")
                plans.border_title = texts.EXPORT_PLANS
                with plans:
                    yield StateSelectionList[str](id="plan-list")
                meta = VerticalScroll(id="export-meta")
                meta.border_title = texts.EXPORT_META
                with meta:
                    yield Static("", id="meta-plan")
                    yield Label(texts.EXPORT_SAGSNUMMER, classes="field-label")
                    yield Input(id="meta-sagsnummer", placeholder="00.01.00-G01-12-24")
                    yield Label(texts.EXPORT_DOKUMENTART, classes="field-label")
                    yield Input(id="meta-dokumentart", placeholder=DEFAULT_DOKUMENTART)
                    yield Label(texts.EXPORT_ANSVARLIG, classes="field-label")
                    yield Input(id="meta-ansvarlig")
                    yield Static("", id="meta-message")
                    yield Static("", id="meta-preview")
            with Vertical(id="export-bottom"):
                yield Label(texts.EXPORT_OUTDIR, classes="field-label")
                yield Input(id="outdir")
                with Horizontal(id="export-options"):
                    yield StateCheckbox(texts.EXPORT_ZIP, id="opt-zip", compact=True)
                    yield StateCheckbox(texts.EXPORT_DROP, id="opt-drop", compact=True)
                with Horizontal(id="export-actions"):
                    yield Button(texts.EXPORT_EXPORT, id="run-export", variant="primary")
                    yield Button(
                        texts.EXPORT_SQLITE, id="run-sqlite", tooltip=texts.EXPORT_SQLITE_TIP
                    )
                    yield Button(texts.EXPORT_BACK, id="back")
                    yield ProgressBar(id="export-progress", show_eta=False)
                yield Static("", id="export-status")
        yield AppFooter()

    def on_mount(self) -> None:
        def read(ws: Workspace) -> tuple[str, tuple[MaalplanOverview, ...]]:
            # The user's documents folder is looked up here too: platformdirs may read a file.
            return ws.setting(settings.EXPORT_OUTDIR) or _default_outdir(), ws.maalplaner()

        host(self).read(read, done=self._loaded)
        self.query_one("#plan-list", SelectionList).focus()
        # Shown once an export runs: before that an empty bar only pulses.
        self.query_one("#export-progress", ProgressBar).display = False

    def _loaded(self, result: tuple[str, tuple[MaalplanOverview, ...]]) -> None:
        outdir, plans = result
        self.query_one("#outdir", Input).value = outdir
        self._show_plans(plans)

    def reload(self) -> None:
        """Read the plans and the highlighted plan's metadata again (after an undo); the
        selection stays."""

        def show(plans: tuple[MaalplanOverview, ...]) -> None:
            self.plans = plans
            if self.current_id is not None:
                self._show_plan(self.current_id)

        host(self).read(lambda ws: ws.maalplaner(), done=show)

    def _show_plans(self, plans: tuple[MaalplanOverview, ...]) -> None:
        self.plans = plans
        sel = self.query_one("#plan-list", SelectionList)
        sel.clear_options()
        for p in self.plans:
            label = plain(f"{p.enhed_navn} - {p.titel}")
            if p.aar:
                label.append(f" ({p.aar})", style="dim")
            sel.add_option((label, p.id, True))
        if not self.plans:
            self._status(texts.EXPORT_NONE, "")
            self.query_one("#run-export", Button).disabled = True
            return
        self._show_plan(self.plans[0].id)

    # --- the metadata of the highlighted plan ----------------------------------------------

    @on(SelectionList.SelectionHighlighted, "#plan-list")
    def _highlighted(self, event: SelectionList.SelectionHighlighted[str]) -> None:
        self._show_plan(event.selection.value)

    def _summary(self, maalplan_id: str) -> MaalplanOverview | None:
        return next((p for p in self.plans if p.id == maalplan_id), None)

    def _show_plan(self, maalplan_id: str) -> None:
        self.current_id = maalplan_id
        summary = self._summary(maalplan_id)
        if summary is None:
            return
        self._loading_fields = True
        self.query_one("#meta-plan", Static).update(plain(summary.titel, style="bold"))
        self.query_one("#meta-sagsnummer", Input).value = summary.sagsnummer or ""
        self.query_one("#meta-ansvarlig", Input).value = summary.ansvarlig or ""
        self._loading_fields = False
        self._message("", error=False)

        def shown(meta: PackageMeta) -> None:
            if self.current_id != maalplan_id:
                return  # another plan was highlighted meanwhile
            self._loading_fields = True
            self.query_one("#meta-dokumentart", Input).value = meta.dokument_art
            self._loading_fields = False
            self._preview()

        host(self).read(lambda ws: get_package_meta(ws, maalplan_id), done=shown)

    def _preview(self) -> None:
        maalplan_id = self.current_id
        if maalplan_id is None:
            return

        def read(ws: Workspace) -> tuple[MaalplanView, str]:
            return ws.maalplan_view(maalplan_id), get_package_meta(ws, maalplan_id).dokument_art

        def show(result: tuple[MaalplanView, str]) -> None:
            if self.current_id == maalplan_id:
                self._show_preview(*result)

        def failed(exc: Exception) -> None:
            # A plan that cannot be read is a message, never a crash.
            if self.current_id == maalplan_id:
                self._message(_error_text(exc), error=True)

        host(self).read(read, done=show, error=failed)

    def _show_preview(self, view: MaalplanView, art: str) -> None:
        c = view.counts()
        text = texts.EXPORT_PREVIEW.format(
            navn=document_name(view),
            emne=texts.EXPORT_EMNE.format(aar=view.aar or "", enhed=view.enhed_navn),
            enhed=view.enhed_navn,
            ansvarlig=view.ansvarlig or "-",
            sag=view.sagsnummer or "-",
            art=art,
            **counted(
                {
                    "maal": c.maal,
                    "tegn": c.tegn,
                    "proevehandlinger": c.proevehandlinger,
                    "samarbejder": c.samarbejder,
                }
            ),
        )
        self.query_one("#meta-preview", Static).update(plain(text))

    @on(Input.Submitted, "#meta-sagsnummer, #meta-dokumentart, #meta-ansvarlig")
    def _submitted(self, event: Input.Submitted) -> None:
        self._save_field(event.input)

    @on(Input.Blurred, "#meta-sagsnummer, #meta-dokumentart, #meta-ansvarlig")
    def _blurred(self, event: Input.Blurred) -> None:
        self._save_field(event.input)

    def _save_field(self, widget: Input) -> None:
        """Save one metadata field of the highlighted plan (sagsnummer/ansvarlig as målplan
        fields, DokumentArt as a local setting). Errors are shown in Danish next to the
        field."""
        maalplan_id = self.current_id
        if self._loading_fields or maalplan_id is None:
            return
        value = widget.value
        name = META_FIELDS.get(widget.id or "")
        plans = self.plans

        def save(ws: Workspace) -> tuple[MaalplanOverview, ...] | None:
            """None when nothing changed, else the plans as they are now (a DokumentArt is
            no målplan field: the list stays as it was)."""
            if name is None:
                if value.strip() == get_package_meta(ws, maalplan_id).dokument_art:
                    return None
                set_dokument_art(ws, value, maalplan_id)
                return plans
            if ws.save_field("maalplan", maalplan_id, name, value) == 0:
                return None
            return ws.maalplaner()

        def saved(changed: tuple[MaalplanOverview, ...] | None) -> None:
            if changed is None:
                return
            self.plans = changed
            if self.current_id == maalplan_id:
                self._message(texts.EXPORT_SAVED, error=False)
                self._preview()

        def failed(exc: Exception) -> None:
            # Refused or failed: said next to the field, never a crash.
            if self.current_id == maalplan_id:
                self._message(_error_text(exc), error=True)

        host(self).write(save, done=saved, error=failed)

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

    @on(Button.Pressed, "#run-sqlite")
    def _sqlite_pressed(self) -> None:
        self.action_export_sqlite()

    def action_export_sqlite(self) -> None:
        """The whole database as one SQLite file in the export folder, named by today's date
        (an earlier one of the same day is replaced, atomically)."""
        if self.exporting:
            return
        outdir = self.query_one("#outdir", Input).value.strip()
        if not outdir:
            self._status(texts.EXPORT_NO_OUTDIR, "-error")
            return
        day = host(self).clock().date()
        target = Path(outdir).expanduser() / f"udviklingsdag-{day.isoformat()}.sqlite"
        self.exporting = True
        for button_id in ("#run-export", "#run-sqlite"):
            self.query_one(button_id, Button).disabled = True
        self._status(texts.EXPORT_SQLITE_RUNNING, "")

        def export(ws: Workspace) -> dict[str, int]:
            from exports.sqlite_export import export_sqlite

            ws.set_setting(settings.EXPORT_OUTDIR, outdir)
            return export_sqlite(ws.database, target, app_version=app_version())

        def done(counts: dict[str, int]) -> None:
            self.exporting = False
            if not self.is_attached:
                return
            for button_id in ("#run-export", "#run-sqlite"):
                self.query_one(button_id, Button).disabled = False
            rows = count("raekke", sum(counts.values()))
            self._status(texts.EXPORT_SQLITE_DONE.format(path=target, rows=rows), "-done")

        def failed(exc: Exception) -> None:
            if self.is_attached:
                self.query_one("#run-sqlite", Button).disabled = False
            self._export_failed(exc)

        host(self).read(export, done=done, error=failed)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_export(self) -> None:
        """Export the selected plans: in the queue, after every save asked for before."""
        if self.exporting:
            return
        ids = list(self.query_one("#plan-list", SelectionList).selected)
        # Keep the order of the list on screen.
        order = {p.id: i for i, p in enumerate(self.plans)}
        ids.sort(key=lambda i: order.get(i, 0))
        outdir = self.query_one("#outdir", Input).value.strip()
        if not ids:
            self._status(texts.EXPORT_NO_SELECTION, "-error")
            return
        if not outdir:
            self._status(texts.EXPORT_NO_OUTDIR, "-error")
            return
        focused = self.focused
        if isinstance(focused, Input) and focused.id and focused.id.startswith("meta-"):
            self._save_field(focused)
        self.exporting = True  # until the question below is answered, too
        # Read now: the screen may be closed before the conflicts are read (the export then
        # goes on, as one started goes on; only a question cannot be asked any more).
        zip_ = self.query_one("#opt-zip", Checkbox).value
        drop_file = self.query_one("#opt-drop", Checkbox).value

        def checked(found: dict[str, list[Conflict]]) -> None:
            if not found:
                self._run_export(ids, outdir, zip_, drop_file, found)
            elif not self.is_attached:
                self.exporting = False  # left before the question: nothing is written
            else:
                self._ask_about_conflicts(ids, outdir, found, zip_, drop_file)

        def failed(exc: Exception) -> None:
            self.exporting = False
            self._export_failed(exc)

        host(self).read(lambda ws: ws.conflicts_in(ids), done=checked, error=failed)

    def _ask_about_conflicts(
        self,
        ids: list[str],
        outdir: str,
        found: dict[str, list[Conflict]],
        zip_: bool,
        drop_file: bool,
    ) -> None:
        """Selected plans show open conflicts: their documents would show one side of each,
        filed in SBSYS as if settled. Say which, and export only when the user says so."""
        from models.conflicts import conflict_names
        from models.words import open_conflicts_text

        titles = {p.id: p.titel for p in self.plans}
        lines = "\n".join(
            f"• {titles.get(pid, pid)}: {conflict_names(hits)}" for pid, hits in found.items()
        )
        n = sum(len(hits) for hits in found.values())
        question = texts.EXPORT_CONFLICTS.format(what=open_conflicts_text(n), lines=lines)

        def answered(yes: bool | None) -> None:
            if yes:
                self._run_export(ids, outdir, zip_, drop_file, found)
            else:
                self.exporting = False
                self._status(texts.EXPORT_CONFLICTS_KEPT, "")

        self.app.push_screen(
            ConfirmScreen(question, yes=texts.EXPORT_CONFLICTS_YES, no=texts.EXPORT_CONFLICTS_NO),
            callback=answered,
        )

    def _run_export(
        self,
        ids: list[str],
        outdir: str,
        zip_: bool,
        drop_file: bool,
        conflicts: dict[str, list[Conflict]],
    ) -> None:
        """Write the packages; `conflicts` as just read and asked about (not read again)."""
        self.result = None
        self.error = None
        self.exporting = True
        if self.is_attached:
            bar = self.query_one("#export-progress", ProgressBar)
            bar.update(total=len(ids) * 2, progress=0)
            bar.display = True
            self.query_one("#run-export", Button).disabled = True
            self._status(texts.EXPORT_RUNNING.format(n=count("maalplan", len(ids))), "")
        target = Path(outdir).expanduser()

        def progress(done: int, total: int, _text: str) -> None:
            # From the queue's thread: a message (thread-safe), so the export never waits
            # for the screen to draw.
            self.post_message(self.Progress(done, total))

        def export(ws: Workspace) -> ExportResult:
            ws.set_setting(settings.EXPORT_OUTDIR, outdir)
            return export_maalplaner(
                ws,
                target,
                ids,
                zip=zip_,
                drop_file=drop_file,
                progress=progress,
                conflicts=conflicts,
            )

        host(self).read(export, done=self._exported, error=self._export_failed)

    def on_export_screen_progress(self, message: Progress) -> None:
        if self.is_attached:  # the export goes on when the screen was closed
            bar = self.query_one("#export-progress", ProgressBar)
            bar.update(total=message.total, progress=message.done)

    def _exported(self, result: ExportResult) -> None:
        self.exporting = False
        if not self.is_attached:
            return
        self.result = result
        bar = self.query_one("#export-progress", ProgressBar)
        bar.update(progress=bar.total or 0)
        done = texts.EXPORT_DONE.format(summary=result.summary(), outdir=result.outdir)
        for warning in result.warnings():
            done += texts.EXPORT_WARNING.format(warning=warning)
        self._status(done, "-done")
        self.query_one("#run-export", Button).disabled = False

    def _export_failed(self, exc: Exception) -> None:
        self.exporting = False
        if not self.is_attached:
            return
        if isinstance(exc, UdviklingsdagError):
            self.error = texts.EXPORT_FAILED.format(message=str(exc))
        else:
            self.error = texts.EXPORT_UNEXPECTED.format(kind=type(exc).__name__)
        self._status(self.error, "-error")
        self.query_one("#run-export", Button).disabled = False

    def _status(self, text: str, cls: str) -> None:
        status = self.query_one("#export-status", Static)
        status.update(plain(text))
        status.set_class(cls == "-error", "-error")
        status.set_class(cls == "-done", "-done")
        if text:
            # On a small terminal the status may be below the edge: bring it into view.
            self.call_after_refresh(status.scroll_visible, animate=False)
