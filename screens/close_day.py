"""Closing the day: a checklist of what misses what the day is about (the bord's mål without a
tegn on del 1 or a prøvehandling on del 2; on a lederdag its målsætninger without a mål), then the
handoff file written to a folder the user picks (a USB stick), with a summary of its content."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, DirectoryTree, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from exports.folders import browse_root, check_folder, default_handoff_folder
from models import enums, settings
from models.errors import UdviklingsdagError
from models.records import BordOverview
from models.rules import missing, missing_maalsaetninger
from models.words import count
from screens import texts
from screens.base import host
from screens.widgets import AppFooter, PagedOptionList, TopBar, hanging, plain

if TYPE_CHECKING:
    from exports.bundle import BundleInfo
    from models.workspace import Workspace


def write_handoff_file(ws: Workspace, folder: str) -> BundleInfo:
    """Write this laptop's handoff file into `folder` (in the database queue); returns what
    the file holds. The folder is remembered for the next time (`settings.HANDOFF_OUTDIR`)."""
    from exports.bundle import suggest_filename, write_handoff

    target: Path = check_folder(folder) / suggest_filename(ws, "handoff")
    try:
        info = write_handoff(ws, target)
    except OSError as exc:
        raise UdviklingsdagError(
            texts.CLOSE_WRITE_FAILED.format(folder=target.parent, reason=exc.strerror or exc)
        ) from None
    ws.set_setting(settings.HANDOFF_OUTDIR, str(target.parent))
    return info


def starting_folders(ws: Workspace) -> tuple[Path, Path]:
    """The folder to offer (the one used last time if it is still there, else a USB stick or
    the home folder) and where the folder browser starts (in the database queue: it looks at
    the drives)."""
    remembered = ws.setting(settings.HANDOFF_OUTDIR)
    folder = Path(remembered) if remembered and Path(remembered).is_dir() else None
    return folder or default_handoff_folder(), browse_root()


class CloseDayScreen(Screen[None]):
    """Checklist, folder, write, summary."""

    HELP_KEY = "close_day"
    # The cursor starts in the folder field: a typed path goes there at once. The screen
    # scrolls as a whole, so on 24 rows the list, the folder browser and the result after
    # writing all stay reachable. Its CSS is in tui/app.tcss (it overrides the older rules).
    AUTO_FOCUS = "#close-folder"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    BINDINGS = [
        Binding("escape", "back", texts.B_BACK[0], tooltip=texts.B_BACK[1], id="close.back"),
    ]

    def __init__(self, bord_id: str) -> None:
        super().__init__()
        self.bord_id = bord_id
        self.data: BordOverview | None = None
        self._shown_once = False  # the first reading decides where the cursor starts

    def compose(self) -> ComposeResult:
        yield TopBar(texts.CLOSE_TITLE)
        with VerticalScroll(id="close-body"):
            yield Static("", id="close-rule")
            yield Static("", id="close-status")
            yield PagedOptionList(id="close-checklist")
            yield Label(texts.CLOSE_FOLDER, classes="field-label")
            with Horizontal(id="close-folder-row"):
                yield Input(id="close-folder")
                # Enabled once the likely folder is shown (an empty field means the current one).
                yield Button(texts.CLOSE_WRITE, id="close-write", variant="primary", disabled=True)
            # What was written: right below the button, so it is in view at once.
            yield Static("", id="close-summary")
            yield Label(texts.CLOSE_BROWSE, classes="field-label")
            # Where to start is looked up in the queue (it lists the drives); until then the
            # browser shows the home folder.
            yield DirectoryTree(Path.home(), id="close-tree")
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#close-summary").display = False
        home = Path.home()
        host(self).read(
            starting_folders,
            done=self._folders,
            error=lambda _exc: self._folders((home, home)),  # the drives could not be listed
        )
        self.reload()

    def _folders(self, found: tuple[Path, Path]) -> None:
        """Show the likely folder (a USB stick) unless one was typed meanwhile, and start the
        browser where the sticks appear."""
        folder, root = found
        field = self.query_one("#close-folder", Input)
        if not field.value:
            field.value = str(folder)
            if field.has_focus:
                # Selected, so a typed path replaces the offered one (End keeps it).
                field.select_all()
        tree = self.query_one("#close-tree", DirectoryTree)
        if tree.path != root:
            tree.path = root
        self.query_one("#close-write", Button).disabled = False

    def on_screen_resume(self) -> None:
        if self.data is not None:
            self.reload()

    def reload(self) -> None:
        bord_id = self.bord_id
        host(self).read(lambda ws: ws.bord(bord_id), done=self._show)

    def _show(self, data: BordOverview | None) -> None:
        if data is None:
            self.notify(texts.BORD_NOT_FOUND, severity="warning")
            self.app.pop_screen()
            return
        self.data = data
        dagdel = data.dagdel
        if dagdel == enums.Del.LEDERDAG:
            self._show_lederdag(data)
            return
        del2 = dagdel == enums.Del.DEL2
        self.query_one("#close-rule", Static).update(
            texts.CLOSE_RULE_DEL2 if del2 else texts.CLOSE_RULE_DEL1
        )
        lacking = missing(data.groups, dagdel)
        total = sum(len(g.maal) for g in data.groups)
        status = self.query_one("#close-status", Static)
        checklist = self.query_one("#close-checklist", OptionList)
        checklist.clear_options()
        if not lacking:
            done = texts.CLOSE_ALL_DONE_ONE if total == 1 else texts.CLOSE_ALL_DONE.format(n=total)
            status.update(Text(done, style="bold green"))
            checklist.display = False
        else:
            status.update(Text(texts.CLOSE_MISSING.format(n=len(lacking)), style="bold yellow"))
            checklist.display = True
            what = texts.CLOSE_MISSING_PROEVEHANDLING if del2 else texts.CLOSE_MISSING_TEGN
            for m in lacking:
                body = plain(m.tekst)
                body.append(f"\n{what}", style="dim")
                checklist.add_option(Option(hanging(Text("✗", style="bold yellow"), body), id=m.id))
        self._first_focus(bool(lacking))

    def _first_focus(self, lacking: bool) -> None:
        """On opening: with something missing the cursor starts in its list (Enter opens the
        first mål; a tired «Enter» wrote the file with the gaps in it), else in the folder
        field (Enter writes the file). Tab moves between them."""
        if self._shown_once:
            return
        self._shown_once = True
        if lacking:
            checklist = self.query_one("#close-checklist", OptionList)
            checklist.highlighted = 0
            checklist.focus(scroll_visible=False)  # (it is near the top; the rule stays in view)

    def _show_lederdag(self, data: BordOverview) -> None:
        """The lederdag's rule: every målsætning of the bord has a mål."""
        from screens.bord import MAALSAETNING_PREFIX

        self.query_one("#close-rule", Static).update(texts.CLOSE_RULE_LEDERDAG)
        lacking = missing_maalsaetninger(data.groups)
        total = sum(1 for g in data.groups if g.id)
        status = self.query_one("#close-status", Static)
        checklist = self.query_one("#close-checklist", OptionList)
        checklist.clear_options()
        if not lacking:
            done = (
                texts.CLOSE_ALL_DONE_LEDERDAG_ONE
                if total == 1
                else texts.CLOSE_ALL_DONE_LEDERDAG.format(n=count("maalsaetning", total))
            )
            status.update(Text(done, style="bold green"))
            checklist.display = False
            self._first_focus(False)
            return
        status.update(
            Text(
                texts.CLOSE_MISSING_LEDERDAG.format(n=count("maalsaetning", len(lacking))),
                style="bold yellow",
            )
        )
        checklist.display = True
        for g in lacking:
            body = plain(g.tekst)
            body.append(f"\n{texts.CLOSE_MISSING_MAAL}", style="dim")
            checklist.add_option(
                Option(hanging(Text("✗", style="bold yellow"), body), id=MAALSAETNING_PREFIX + g.id)
            )
        checklist.highlighted = 0  # Enter writes the first one's mål at once
        self._first_focus(True)

    @on(OptionList.OptionSelected, "#close-checklist")
    def _open_maal(self, event: OptionList.OptionSelected) -> None:
        from screens.bord import MAALSAETNING_PREFIX, BordScreen
        from screens.maal import MaalScreen

        option_id = event.option.id
        if not option_id:
            return
        if option_id.startswith(MAALSAETNING_PREFIX):
            # A målsætning without a mål: back to the bord, with its new mål's form open.
            self.app.pop_screen()
            bord = self.app.screen
            if isinstance(bord, BordScreen) and bord.bord_id == self.bord_id:
                bord.new_maal(option_id.removeprefix(MAALSAETNING_PREFIX))
            return
        self.app.push_screen(MaalScreen(option_id, bord_id=self.bord_id))

    @on(DirectoryTree.DirectorySelected)
    def _folder_chosen(self, event: DirectoryTree.DirectorySelected) -> None:
        self.query_one("#close-folder", Input).value = str(event.path)

    @on(Input.Submitted, "#close-folder")
    @on(Button.Pressed, "#close-write")
    def write(self) -> None:
        folder = self.query_one("#close-folder", Input).value
        button = self.query_one("#close-write", Button)
        if button.disabled:
            return  # the folder is not known yet, or the file is being written
        button.disabled = True
        button.label = texts.CLOSE_WRITING

        def done(info: BundleInfo) -> None:
            self._reset_button()
            summary = self.query_one("#close-summary", Static)
            lines = [texts.CLOSE_WRITTEN, *info.summary_lines()]
            summary.update(plain("\n".join(lines)))
            summary.display = True
            # Below the folder field, brought into view: the file's name and checksum whole.
            self.call_after_refresh(summary.scroll_visible, animate=False)

        def failed(exc: Exception) -> None:
            self._reset_button()
            host(self).report_error(exc)

        host(self).read(lambda ws: write_handoff_file(ws, folder), done=done, error=failed)

    def _reset_button(self) -> None:
        button = self.query_one("#close-write", Button)
        button.disabled = False
        button.label = texts.CLOSE_WRITE

    def action_back(self) -> None:
        self.app.pop_screen()
