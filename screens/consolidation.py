"""The tovholder's consolidation view: import the facilitators' files (with a preview first),
see what arrived from each laptop, settle conflicts, find the gaps and see who collaborates
with whom at which level.

All database and file work runs in the App's one database queue on the workspace
(`screens.base.host`): the tabs' reads and the settling of a conflict through
`models.workspace`, the preview and the import of files through `exports.bundle`. The screen
only shows the typed results."""

from __future__ import annotations

import os
import shlex
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import (
    Button,
    DataTable,
    DirectoryTree,
    Input,
    OptionList,
    Static,
    TabbedContent,
    TabPane,
)
from textual.widgets.option_list import Option

from exports.bundle import SUFFIX, BundlePeek, format_time, import_bundles, peek_paths
from models import enums, settings
from models.errors import UdviklingsdagError
from models.importing import ForeignFileError
from models.visible import visible
from models.words import antal, count, thousands
from screens import texts
from screens.base import host
from screens.widgets import AppFooter, PagedOptionList

from .conflict import ConflictChoice, ConflictScreen

if TYPE_CHECKING:
    from models.conflicts import Conflict
    from models.consolidation import DeviceSummary, Gap, LedgerRow, MatrixRow
    from models.importing import ImportReport
    from models.workspace import Workspace


def _exists(typed: str) -> bool:
    """Whether a typed path names something; never raises (a name too long for the system
    raises on Python before 3.14, a drive that is gone may too)."""
    try:
        return Path(typed).expanduser().exists()
    except (OSError, ValueError, RuntimeError):
        return False


# The most words of one path typed without quotes (a pasted text is not tried every way).
MAX_PATH_WORDS = 12


def parse_paths(text: str, *, windows: bool | None = None) -> list[str]:
    """Split what the user typed or dropped into paths. Quotes keep spaces together, and so
    does a path typed as it is: the longest run of words that names a file or folder that
    exists is one path («C:\\Users\\ida\\OneDrive - Kommune\\USB»). On Windows a backslash
    is part of the path (Windows Terminal drops a path with spaces in double quotes);
    elsewhere it escapes a space, as a terminal's drag and drop writes it."""
    if windows is None:
        windows = os.name == "nt"
    try:
        words = shlex.split(text, posix=not windows)
    except ValueError:
        words = text.split()
    if windows:  # non-POSIX splitting keeps a token's quotes
        words = [w[1:-1] if len(w) > 1 and w[0] == w[-1] and w[0] in "\"'" else w for w in words]
    words = [w for w in words if w.strip()]
    out: list[str] = []
    i = 0
    while i < len(words):
        end = next(
            (
                j
                for j in range(min(len(words), i + MAX_PATH_WORDS), i + 1, -1)
                if _exists(" ".join(words[i:j]))
            ),
            i + 1,
        )
        out.append(str(Path(" ".join(words[i:end])).expanduser()))
        i = end
    return out


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
# The gap tables' cells: a mål's or målsætning's text, and an enhed's or the borde's names.
GAP_TEXT, GAP_NAME = 40, 22
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


def _quoted(path: str, *, windows: bool | None = None) -> str:
    """A path as typed into the paths field (quoted when it holds spaces), so that
    `parse_paths` reads it back as it was: in double quotes on Windows (where a path cannot
    hold one), as a POSIX shell quotes it elsewhere."""
    if not any(c.isspace() or c in "'\"" for c in path):
        return path
    if windows if windows is not None else os.name == "nt":
        return f'"{path}"'
    return shlex.quote(path)


@dataclass(frozen=True, slots=True)
class Listing:
    """The bundle files found at the typed or picked paths, and the folder they are in."""

    peeks: list[BundlePeek]
    folder: str | None


def _listing(paths: list[str]) -> Callable[[Workspace], Listing]:
    """The call (in the queue: it reads the disk, maybe a slow USB stick) that looks at the
    typed folder or files, and remembers the folder for the next time."""

    def run(ws: Workspace) -> Listing:
        first = Path(paths[0])
        folder = first if first.is_dir() else first.parent
        peeks = peek_paths(paths)
        if folder.is_dir() and str(folder) not in ("", "."):
            ws.set_setting(settings.IMPORT_FOLDER, str(folder.resolve()))
        return Listing(peeks, str(folder))

    return run


class FileList(PagedOptionList):
    """The bundle files found, each with a tick: all chosen at first, space (or Enter)
    toggles one, `a` all. A file that cannot be imported is listed with its reason."""

    BINDINGS = [
        Binding(
            "space",
            "toggle_file",
            texts.B_FILE_TOGGLE[0],
            tooltip=texts.B_FILE_TOGGLE[1],
            show=False,
            id="files.toggle",
        ),
        Binding(
            "a,A",
            "toggle_all",
            texts.B_FILES_ALL[0],
            tooltip=texts.B_FILES_ALL[1],
            show=False,
            id="files.all",
        ),
    ]

    class Toggled(Message):
        """The choice of files changed."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.peeks: list[BundlePeek] = []
        self.chosen: set[Path] = set()
        self.known: set[str] = set()

    def show(self, peeks: list[BundlePeek], *, known: set[str]) -> None:
        """List these files, every importable one chosen."""
        self.peeks = peeks
        self.known = known
        self.chosen = {p.path for p in peeks if p.ok}
        self._redraw()
        if peeks:
            self.highlighted = 0

    def set_known(self, known: set[str]) -> None:
        """Mark the files already imported (their digests)."""
        if known != self.known:
            self.known = known
            self._redraw()

    def chosen_peeks(self) -> list[BundlePeek]:
        return [p for p in self.peeks if p.ok and p.path in self.chosen]

    def preview_paths(self) -> list[Path]:
        """The chosen files, and those that cannot be imported (so the preview's summary
        says why each was refused)."""
        return [p.path for p in self.peeks if not p.ok or p.path in self.chosen]

    def _redraw(self) -> None:
        highlighted = self.highlighted
        self.clear_options()
        self.add_options(
            Option(self._prompt(p), id=str(n), disabled=False) for n, p in enumerate(self.peeks)
        )
        if highlighted is not None and self.peeks:
            self.highlighted = min(highlighted, len(self.peeks) - 1)

    def _prompt(self, peek: BundlePeek) -> Text:
        name = visible(peek.path.name, limit=120)
        if not peek.ok:
            text = Text(f"{texts.CONS_FILE_MARK_BAD} ")
            text.append(name, style="bold")
            text.append("\n    ")
            reason = texts.CONS_FILE_BAD.format(reason=visible(peek.problem or "", limit=300))
            text.append(reason, style="italic")
            return text
        mark = texts.CHECK_ON if peek.path in self.chosen else texts.CHECK_OFF
        text = Text(f"{mark} ", style="bold" if peek.path in self.chosen else "")
        info = peek.info
        if info is None:
            text.append(name, style="bold")
            text.append(f"\n    {texts.CONS_FILE_UNKNOWN}", style="dim")
            return text
        text.append(visible(info.device_name, limit=60) or "?", style="bold")
        entries = texts.CONS_FILE_ENTRIES.format(n=count("aendring", info.entries))
        parts = [format_time(info.created_at), entries]
        if info.kind != "handoff":
            parts.insert(0, info.kind_label)
        text.append(" · " + " · ".join(parts))
        details = [name]
        counts = [f"{label} {n}" for label, n in list(info.counts.items())[:4]]
        if counts:
            details.append(", ".join(counts))
        if info.sha256 in self.known:
            details.append(texts.CONS_FILE_KNOWN)
        text.append("\n    " + " · ".join(details), style="dim")
        return text

    def action_toggle_file(self) -> None:
        n = self.highlighted
        if n is None or n >= len(self.peeks) or not self.peeks[n].ok:
            return
        path = self.peeks[n].path
        self.chosen.symmetric_difference_update({path})
        self.replace_option_prompt_at_index(n, self._prompt(self.peeks[n]))
        self.post_message(self.Toggled())

    def action_toggle_all(self) -> None:
        good = {p.path for p in self.peeks if p.ok}
        self.chosen = set() if good <= self.chosen else good
        self._redraw()
        self.post_message(self.Toggled())

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_toggle_file()


class FolderPickerScreen(ModalScreen["Path | None"]):
    """Pick the folder with the handoff files (or one file) in a folder tree. The USB sticks
    and drives are listed (looked up in the queue, off the UI thread) to start from; a
    typed folder works too."""

    HELP_KEY = "consolidation"
    DEFAULT_CSS = """
    FolderPickerScreen { align: center middle; }
    FolderPickerScreen #picker-dialog {
        width: 90%; max-width: 110; height: 90%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    FolderPickerScreen #picker-title { text-style: bold; }
    FolderPickerScreen #picker-hint { color: $text-muted; }
    FolderPickerScreen #picker-drives { height: auto; max-height: 4; }
    FolderPickerScreen #picker-tree { height: 1fr; min-height: 4; }
    FolderPickerScreen #picker-tree:focus { border: tall $accent; }
    FolderPickerScreen #picker-chosen { height: auto; }
    FolderPickerScreen #picker-buttons { height: auto; }
    FolderPickerScreen #picker-buttons Button { margin-right: 1; }
    """

    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            texts.PICKER_CANCEL,
            tooltip=texts.PICKER_CANCEL_TIP,
            id="picker.cancel",
        ),
    ]

    def __init__(self, start: str | None) -> None:
        super().__init__()
        self.start = start
        self.chosen: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-dialog"):
            yield Static(Text(texts.PICKER_TITLE), id="picker-title")
            yield Static(Text(texts.PICKER_HINT), id="picker-hint")
            yield Input(placeholder=texts.PICKER_PATH, id="picker-path")
            yield PagedOptionList(id="picker-drives")
            yield HandoffTree(Path.home(), id="picker-tree")
            yield Static("", id="picker-chosen")
            with Horizontal(id="picker-buttons"):
                yield Button(texts.PICKER_CHOOSE, id="picker-choose", variant="primary")
                yield Button(texts.PICKER_CANCEL, id="picker-cancel")

    def on_mount(self) -> None:
        self.query_one("#picker-drives", OptionList).display = False
        start = self.start

        def places(_ws: Workspace) -> tuple[Path, list[Path]]:
            from exports.folders import browse_root, removable_folders

            drives = removable_folders()
            if start and Path(start).is_dir():
                return Path(start), drives
            if start and Path(start).parent.is_dir() and str(Path(start).parent) != ".":
                return Path(start).parent, drives
            return (drives[0] if drives else browse_root()), drives

        host(self).read(places, done=self._places, error=lambda _exc: None)
        self.query_one("#picker-tree", HandoffTree).focus()

    def _places(self, found: tuple[Path, list[Path]]) -> None:
        if not self.is_attached:
            return
        root, drives = found
        self._go(root)
        listed = self.query_one("#picker-drives", OptionList)
        listed.clear_options()
        places = [*drives, Path.home()]
        listed.add_options(
            Option(
                Text(
                    f"{texts.PICKER_DRIVES} {visible(str(p))}"
                    if n == 0 and drives
                    else visible(str(p))
                ),
                id=str(p),
            )
            for n, p in enumerate(dict.fromkeys(places))
        )
        listed.display = bool(drives)

    def _go(self, folder: Path) -> None:
        tree = self.query_one("#picker-tree", HandoffTree)
        if tree.path != folder:
            tree.path = folder
        self._choose(folder)

    def _choose(self, path: Path) -> None:
        self.chosen = path
        self.query_one("#picker-chosen", Static).update(
            Text(texts.PICKER_CHOSEN.format(path=visible(str(path), limit=200)))
        )

    @on(OptionList.OptionSelected, "#picker-drives")
    def _drive(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self._go(Path(event.option.id))
            self.query_one("#picker-tree", HandoffTree).focus()

    @on(Input.Submitted, "#picker-path")
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        # One folder: spaces belong to its name (quotes around it are allowed).
        typed = event.value.strip().strip("\"'").strip()
        folder = Path(typed).expanduser() if typed else None
        # The check runs in the queue (a drive may be slow); the answer moves the tree.
        if folder is None:
            return

        def answer(is_dir: bool) -> None:
            if not self.is_attached:
                return
            if is_dir and folder is not None:
                self._go(folder)
                self.query_one("#picker-tree", HandoffTree).focus()
            else:
                self.notify(
                    texts.PICKER_NOT_FOLDER.format(path=visible(str(folder), limit=200)),
                    severity="warning",
                )

        host(self).read(lambda _ws: folder.is_dir(), done=answer, error=lambda _exc: None)

    @on(DirectoryTree.DirectorySelected)
    def _folder(self, event: DirectoryTree.DirectorySelected) -> None:
        event.stop()
        self._choose(event.path)

    @on(DirectoryTree.NodeHighlighted)
    def _highlighted(self, event: DirectoryTree.NodeHighlighted[Any]) -> None:
        # The folder under the cursor is the one «Vælg denne mappe» takes.
        event.stop()
        entry = event.node.data
        path = getattr(entry, "path", None)
        if isinstance(path, Path) and event.node.allow_expand:
            self._choose(path)

    @on(DirectoryTree.FileSelected)
    def _file(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.dismiss(event.path)

    @on(Button.Pressed, "#picker-choose")
    def _choose_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(self.chosen)

    @on(Button.Pressed, "#picker-cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class HandoffTree(DirectoryTree):
    """A folder tree that shows folders and the files that can be bundles (`.json`,
    `.json.gz`), not hidden files: a USB stick's photos do not bury the handoff files."""

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        shown = []
        for path in paths:
            if path.name.startswith("."):
                continue
            try:
                if path.is_dir() or path.name.lower().endswith((".json", ".json.gz")):
                    shown.append(path)
            except OSError:
                continue
        return shown


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
        Binding(
            "escape",
            "cancel",
            texts.CONS_FOREIGN_NO,
            tooltip=texts.CONS_FOREIGN_NO_TIP,
            id="foreign.cancel",
        ),
        Binding(
            "enter",
            "confirm",
            texts.CONS_FOREIGN_YES,
            tooltip=texts.CONS_FOREIGN_YES_TIP,
            id="foreign.confirm",
            show=False,
        ),
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
    ConsolidationScreen #import-body { height: 1fr; }
    ConsolidationScreen #import-buttons { height: auto; padding: 0 1; }
    ConsolidationScreen #import-buttons Button { margin: 0 1 0 0; }
    ConsolidationScreen #apply-state { width: 1fr; height: auto; padding: 1 0 0 1; }
    ConsolidationScreen #apply-state.ready { color: $text-success; text-style: bold; }
    ConsolidationScreen #files { height: auto; max-height: 12; margin: 0 1; }
    ConsolidationScreen #files:focus { border: tall $accent; }
    ConsolidationScreen #chosen-count { color: $text-muted; }
    ConsolidationScreen #import-summary { margin-top: 1; }
    ConsolidationScreen #preview-table { height: 1fr; min-height: 10; margin: 0 1; }
    ConsolidationScreen #apply:disabled { text-style: italic; }
    ConsolidationScreen #preview-detail { border-left: thick $accent; margin: 0 1 1 1; }
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
        self._listed_text: str | None = None  # the paths as typed for the list of files
        self._list_asked = 0  # counts the listings asked for: only the last one is shown
        # The preview's rows in full, as the detail below the table shows the highlighted one.
        self._preview_rows: list[str] = []

    # --- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(Text(texts.CONS_TITLE), id="title")
        with TabbedContent(id="tabs"):
            with TabPane(texts.CONS_TAB_IMPORT, id="tab-import"), VerticalScroll(id="import-body"):
                # The whole tab scrolls: at 80x24 the list, the buttons, the summary and the
                # preview are reached in turn (Tab moves focus and scrolls along).
                yield Static(Text(texts.CONS_INTRO), classes="intro")
                with Horizontal(id="import-row"):
                    yield Input(placeholder=texts.CONS_PATHS, id="paths")
                    yield Button(texts.CONS_PICK, id="browse", tooltip=texts.CONS_PICK_TIP)
                yield FileList(id="files")
                yield Static(Text(texts.CONS_FILES_EMPTY), id="chosen-count", classes="summary")
                with Horizontal(id="import-buttons"):
                    yield Button(texts.CONS_PREVIEW, id="preview", variant="primary")
                    yield Button(texts.CONS_APPLY, id="apply", variant="success", disabled=True)
                    yield Static(Text(texts.CONS_APPLY_WAITS), id="apply-state")
                yield Static("", id="import-summary", classes="summary", markup=False)
                yield DataTable(id="preview-table", cursor_type="row", zebra_stripes=True)
                yield Static("", id="preview-detail", classes="summary")
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
        self._preview_columns()
        self.query_one("#devices", DataTable).add_columns(*texts.CONS_COLS_DEVICES)
        self.query_one("#ledger", DataTable).add_columns(*texts.CONS_COLS_LEDGER)
        self.query_one("#conflicts", DataTable).add_columns(*texts.CONS_COLS_CONFLICTS)
        for table_id in ("#gaps-tegn", "#gaps-proevehandlinger"):
            self.query_one(table_id, DataTable).add_columns(*texts.CONS_COLS_GAPS)
        self.query_one("#matrix", DataTable).add_columns(
            texts.CONS_COL_ENHED, *(enums.label(n) for n in enums.Niveau), texts.CONS_COL_TOTAL
        )
        self.query_one("#paths", Input).focus()
        self.query_one("#files", FileList).display = False
        self.refresh_data()
        self._open_remembered_folder()

    # --- loading -------------------------------------------------------------------------

    def action_refresh(self) -> None:
        self.refresh_data()
        # The files in the chosen folder too (a file copied there since it was listed).
        typed = self.query_one("#paths", Input).value
        if parse_paths(typed):
            self._list(typed, then_preview=False)

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
            timeout=10,
        )

    def _show_snapshot(self, snap: Snapshot) -> None:
        self.snapshot = snap
        self.query_one("#files", FileList).set_known({r.sha256 for r in snap.files})
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
                # Short cells, as in Huller: the whole of each is in the dialog Enter opens.
                _t(visible(c.title, GAP_TEXT - 8)),
                _t(c.field_label),
                _t(visible(" / ".join(side.shown for side in c.sides), GAP_TEXT)),
                _t(", ".join(dict.fromkeys(side.device_name for side in c.sides))),
                key=str(i),
            )
        n = len(conflicts)
        files = self.snapshot.files if self.snapshot is not None else []
        if n:
            said = texts.CONS_CONFLICTS.format(n=n)
        elif not files:
            said = texts.CONS_NO_CONFLICTS_NO_FILES
        elif any(r.conflicts for r in files):
            # The imports found disagreements, and they are settled: not «uden uenigheder».
            said = texts.CONS_NO_CONFLICTS_SETTLED
        else:
            said = texts.CONS_NO_CONFLICTS
        self.query_one("#conflicts-summary", Static).update(Text(said))
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
        for table_id, how_many in lacking:
            t = self.query_one(table_id, DataTable)
            t.clear()
            for g in gaps:
                if how_many(g) == 0:
                    # Short cells (the whole text is one Enter away): with the mål's full
                    # text its column filled 80 columns, and Enhed and Borde were off screen.
                    t.add_row(
                        _t(visible(g.tekst, GAP_TEXT)),
                        _t(visible(g.enhed, GAP_NAME)),
                        _t(visible(g.borde, GAP_NAME)),
                        g.tegn,
                        g.proevehandlinger,
                        _t(visible(g.maalsaetning, GAP_TEXT)),
                        key=g.maal_id,
                    )

    @on(DataTable.RowSelected, "#gaps-tegn")
    @on(DataTable.RowSelected, "#gaps-proevehandlinger")
    def _gap_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a gap: its mål, to write the tegn or prøvehandlinger it lacks."""
        if event.row_key.value:
            host(self).open_maal(event.row_key.value, bord_id=None)

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

    def _open_remembered_folder(self) -> None:
        """Show the folder the files came from last time (and its files, when it is there)."""

        def found(folder: str | None) -> None:
            field = self.query_one("#paths", Input)
            if folder and not field.value and self.is_attached:
                with field.prevent(Input.Changed):
                    field.value = _quoted(folder)
                self._list(field.value, then_preview=False)

        host(self).read(lambda ws: ws.setting(settings.IMPORT_FOLDER), done=found)

    @on(Input.Changed, "#paths")
    def _paths_changed(self, event: Input.Changed) -> None:
        # A preview belongs to the files it was made for (and so does a confirmation). The
        # message for the text a preview was just asked for can come after the asking.
        if event.value in (self._previewed_text, self._listed_text):
            return
        self._previewed_text = None
        self._forget_preview()

    def _forget_preview(self, state: str = texts.CONS_APPLY_WAITS) -> None:
        """The files or the choice changed: the preview no longer holds, and Importér waits."""
        self._preview_asked += 1
        self.preview = None
        self.allow_foreign = False
        self._set_apply(False, state)
        self._clear_preview_table()

    def _clear_preview_table(self) -> None:
        self.query_one("#preview-table", DataTable).clear()
        self._preview_rows = []
        self._show_detail(-1)

    def _set_apply(self, ready: bool, state: str) -> None:
        """Importér enabled or not, with the reason in words beside it."""
        self.query_one("#apply", Button).disabled = not ready
        shown = self.query_one("#apply-state", Static)
        shown.update(Text(state))
        shown.set_class(ready, "ready")

    @on(Input.Submitted, "#paths")
    def _paths_submitted(self) -> None:
        self._start_preview()

    @on(Button.Pressed, "#preview")
    def _preview_pressed(self) -> None:
        self._start_preview()

    @on(Button.Pressed, "#browse")
    def _browse_pressed(self) -> None:
        typed = parse_paths(self.query_one("#paths", Input).value)

        def chosen(path: Path | None) -> None:
            if path is None or not self.is_attached:
                return
            field = self.query_one("#paths", Input)
            field.value = _quoted(str(path))
            self._list(field.value, then_preview=False)
            self.query_one("#files", FileList).focus()

        self.app.push_screen(FolderPickerScreen(typed[0] if typed else None), chosen)

    @on(Button.Pressed, "#apply")
    def _apply_pressed(self) -> None:
        if self.preview is None:
            return
        paths = [str(f.path) for f in self.preview.files if not f.rejected]
        if not paths:
            self.notify(texts.CONS_NOTHING_TO_IMPORT, severity="warning")
            return
        self._set_apply(False, texts.CONS_IMPORTING)
        self._summary(texts.CONS_IMPORTING)
        self.run_import(paths, allow_foreign=self.allow_foreign)

    def _start_preview(self, *, allow_foreign: bool = False) -> None:
        """Preview the chosen files; when the typed paths are not the ones listed, list them
        first (a folder gives its files, all chosen) and preview those."""
        typed = self.query_one("#paths", Input).value
        if not parse_paths(typed):
            self.notify(texts.CONS_NO_PATHS, severity="warning")
            return
        files = self.query_one("#files", FileList)
        # The folder is looked at again when it showed no file: the USB stick may be in now.
        if typed != self._listed_text or not files.peeks:
            self._list(typed, then_preview=True, allow_foreign=allow_foreign)
            return
        paths = files.preview_paths()
        # Nothing ticked of what could be imported (only refused files go on to the preview,
        # which says why each was refused).
        if not files.chosen_peeks() and (any(p.ok for p in files.peeks) or not paths):
            self.notify(texts.CONS_NOTHING_CHOSEN, severity="warning")
            return
        self.preview = None
        self._previewed_text = typed
        self.allow_foreign = allow_foreign
        self._set_apply(False, texts.CONS_APPLY_WAITS)
        self._summary(texts.CONS_WORKING)
        self.run_preview([str(p) for p in paths], allow_foreign=allow_foreign)

    def _list(self, typed: str, *, then_preview: bool, allow_foreign: bool = False) -> None:
        """Look at the typed (or picked) folder or files in the queue: each bundle file's
        laptop, date and counts, or why it cannot be imported. Remembers the folder."""
        paths = parse_paths(typed)
        if not paths:
            return
        self._forget_preview()
        self._list_asked += 1
        asked = self._list_asked
        self._summary(texts.CONS_WORKING)

        def answer(found: Listing) -> None:
            if asked != self._list_asked or not self.is_attached:
                return
            self._listed_text = typed
            files = self.query_one("#files", FileList)
            known = {r.sha256 for r in self.snapshot.files} if self.snapshot else set()
            files.show(found.peeks, known=known)
            files.display = bool(found.peeks)
            self._show_chosen()
            if not found.peeks:
                folder = found.folder or paths[0]
                self._summary(
                    texts.CONS_FILES_NONE_IN_FOLDER.format(
                        suffix=SUFFIX, folder=visible(folder, limit=200)
                    )
                )
                return
            self._summary("")
            if then_preview:
                self._start_preview(allow_foreign=allow_foreign)

        def failed(exc: Exception) -> None:
            if asked == self._list_asked and self.is_attached:
                self._preview_failed(_message(exc, texts.CONS_READ_FAILED))

        host(self).read(
            _listing(paths),
            done=self._shown(answer, texts.CONS_READ_FAILED),
            error=failed,
        )

    @on(FileList.Toggled)
    def _file_toggled(self) -> None:
        self._show_chosen()
        if self.preview is not None or self._previewed_text is not None:
            self._previewed_text = None
            self._forget_preview(texts.CONS_APPLY_CHANGED)

    def _show_chosen(self) -> None:
        files = self.query_one("#files", FileList)
        peeks = files.peeks
        if not peeks:
            text = texts.CONS_FILES_EMPTY
        else:
            good = [p for p in peeks if p.ok]
            text = texts.CONS_CHOSEN.format(
                chosen=thousands(len(files.chosen_peeks())), total=count("fil", len(good))
            )
            if len(good) < len(peeks):
                text += texts.CONS_CHOSEN_BAD.format(bad=len(peeks) - len(good))
            if good:
                text += texts.CONS_CHOSEN_KEYS
        self.query_one("#chosen-count", Static).update(Text(text))

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
        self._set_apply(False, texts.CONS_APPLY_WAITS)
        self._clear_preview_table()
        self._summary(message)
        self._error(message)

    def _preview_columns(self) -> None:
        """The preview's columns, sized to the screen: Felt, Før and Efter always show (at 80
        columns too); the file is a heading row above its changes, not a column."""
        table = self.query_one("#preview-table", DataTable)
        # The tab's and the table's scrollbars, margins and border, then 2 cells of padding
        # per column.
        inner = max(self.app.size.width - 8, 60)
        room = inner - 2 * len(texts.CONS_COLS_PREVIEW)
        hvad, felt = 8, 10
        rest = room - hvad - felt
        row = max(rest * 36 // 100, 12)
        before = max((rest - row) // 2, 10)
        widths = (hvad, row, felt, before, max(rest - row - before, 10))
        table.clear(columns=True)
        for label, size in zip(texts.CONS_COLS_PREVIEW, widths, strict=True):
            table.add_column(label, width=size)

    def on_resize(self) -> None:
        if self.preview is not None:
            self._preview_columns()
            self._fill_preview(self.preview)

    def _show_preview(self, report: ImportReport) -> None:
        self.preview = report
        self._summary("\n".join(report.summary_lines()))
        foreign = [f for f in report.files if f.rejected and f.foreign]
        if foreign and not self.allow_foreign:
            self._ask_foreign(foreign[0].error or "", show=False)
        self._preview_columns()
        self._fill_preview(report)
        accepted = sum(1 for f in report.files if not f.rejected)
        if accepted:
            self._set_apply(True, texts.CONS_APPLY_READY.format(n=count("fil", accepted)))
        else:
            self._set_apply(False, texts.CONS_APPLY_NONE)
        self.query_one("#import-summary", Static).scroll_visible(animate=False)

    def _fill_preview(self, report: ImportReport) -> None:
        """One row per change under a heading row per file (the laptop, then the file's
        name); the whole of the highlighted row is shown below the table."""
        table = self.query_one("#preview-table", DataTable)
        table.clear()
        self._preview_rows = []
        for f in report.files:
            if not f.items:
                continue
            device = visible(f.device_name, limit=60)
            name = visible(f.path.name, limit=CELL_LIMIT)
            self._preview_rows.append(
                f"{texts.CONS_PREVIEW_FILE}: {name}\n"
                + texts.CONS_PREVIEW_FROM.format(device=device)
            )
            table.add_row(
                Text(texts.CONS_PREVIEW_FILE, style="bold"),
                Text(device, style="bold"),
                "",
                Text(name, style="dim"),
                "",
            )
            for item in f.items:
                kind = texts.CONS_KIND_LABELS.get(item.kind, item.kind)
                label = item.entity_label[:1].upper() + item.entity_label[1:]
                field = item.field_label if item.field else ""
                before, after = item.before, item.after
                cells: tuple[str, str, str, str, str]
                if item.kind == "ny" and not (field or before or after):
                    # A new row: nothing before, the row's text after.
                    cells = (kind, label, field, "", item.title)
                else:
                    title = f"{label}: {item.title}" if item.title else label
                    cells = (kind, title, field, before, after)
                self._preview_rows.append(
                    "\n".join(
                        f"{label}: {value}"
                        for label, value in zip(texts.CONS_COLS_PREVIEW, cells, strict=True)
                        if value
                    )
                )
                table.add_row(*(_t(c) for c in cells))
            if f.items_left_out:  # the preview keeps a bounded number of lines
                more = texts.CONS_PREVIEW_MORE.format(more=count("aendring", f.items_left_out))
                self._preview_rows.append(more)
                table.add_row("", Text(more, style="dim"), "", "", "")
        self._show_detail(0)

    @on(DataTable.RowHighlighted, "#preview-table")
    def _preview_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.cursor_row)

    def _show_detail(self, index: int) -> None:
        """The highlighted preview row in full (its cells are cut to the columns)."""
        detail = self.query_one("#preview-detail", Static)
        if not 0 <= index < len(self._preview_rows):
            detail.update("")
            detail.display = False
            return
        detail.update(Text(visible(self._preview_rows[index], SUMMARY_LIMIT, multiline=True)))
        detail.display = True
        if self.query_one("#preview-table", DataTable).has_focus:
            detail.scroll_visible(animate=False)

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
        self._previewed_text = None
        self._summary("\n".join(report.summary_lines()))
        self._set_apply(False, texts.CONS_APPLY_DONE)
        self.notify(
            texts.CONS_IMPORTED.format(
                new=antal(report.new, "ny ændring", "nye ændringer"),
                known=antal(report.known, "kendt", "kendte"),
                conflicts=count("konflikt", report.conflicts),
            ),
            markup=False,
        )
        self._clear_preview_table()
        self.refresh_data()  # the list then marks the files as imported

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
        self.notify(texts.CONS_RESOLVED)
        self.refresh_data()
