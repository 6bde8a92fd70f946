"""The App: paints a loading screen at once, opens the database in a worker, then shows the
home screen. It owns the app-wide things (the database queue, the save state, the programme
timer, theme, help, undo, quitting without losing a word); everything else lives in screens/.

Nothing from models/ that needs SQLAlchemy is imported at module level. For a SQLite file at
the current schema the home screen is drawn from a read-only standard-library read
(`models.overview.quick_home`) while the database layer loads in the background; an action
that needs the database in that moment (opening a bord, undo, ...) waits for it and then
runs (`when_open`).

Screens reach the App through `screens.base.host(node)`, typed by `screens.base.Host`; all
their database work goes through `read` / `write` on the workspace (`models.workspace`), in
the one ordered queue (`tui.jobs.DbQueue`)."""

from __future__ import annotations

import asyncio
import functools
import gc
import os
import signal
import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar, cast, overload

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen
from textual.signal import Signal
from textual.widget import Widget
from textual.worker import WorkerCancelled, WorkerError, WorkerFailed

from models import settings
from screens import texts
from screens.base import Reloadable, SaveStatus, ShowsProgramme
from screens.timer import ProgrammeTimer

from .commands import DanishCommandPalette, UdviklingsdagCommands, palette_binding
from .input_first import InputFirst
from .jobs import DbQueue

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from models.records import Programblok, Undone
    from models.workspace import Workspace
    from screens.base import Host
    from screens.bord import BordScreen
    from screens.maal import MaalScreen
    from screens.widgets import AutoSave

T = TypeVar("T")
P = ParamSpec("P")


AppMethod = Callable[Concatenate["UdviklingsdagApp", P], None]

INPUT_EVENTS = (
    events.Key,
    events.MouseDown,
    events.MouseUp,
    events.MouseScrollDown,
    events.MouseScrollUp,
    events.Paste,
)
"""The input the database layer's loading steps aside for (`tui.input_first`)."""


@overload
def needs_database(method: AppMethod[P]) -> AppMethod[P]: ...


@overload
def needs_database(*, opens_screen: bool) -> Callable[[AppMethod[P]], AppMethod[P]]: ...


def needs_database(
    method: AppMethod[P] | None = None, *, opens_screen: bool = True
) -> AppMethod[P] | Callable[[AppMethod[P]], AppMethod[P]]:
    """An app action that needs the database: asked for before it is open, it runs once it is.
    Of the actions that open a screen, only the last one asked for runs then (Enter pressed
    twice on a bord, then F, opens Forbered once, not two bord screens and Forbered)."""

    def decorate(method: AppMethod[P]) -> AppMethod[P]:
        def wrapper(self: UdviklingsdagApp, /, *args: P.args, **kw: P.kwargs) -> None:
            if self.workspace is None:
                key = "open-screen" if opens_screen else None
                self.when_open(lambda: method(self, *args, **kw), key=key)
                return
            method(self, *args, **kw)

        functools.update_wrapper(wrapper, method)
        return wrapper

    return decorate(method) if method is not None else decorate


def _b(
    keys: str,
    action: str,
    text: tuple[str, str],
    id: str,
    *,
    show: bool = True,
    priority: bool = False,
) -> Binding:
    return Binding(keys, action, text[0], tooltip=text[1], id=id, show=show, priority=priority)


class UdviklingsdagApp(App[None]):
    """The terminal app for one database (a file path or a URL)."""

    TITLE = texts.APP_TITLE
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {UdviklingsdagCommands}
    BINDINGS = [
        # «?» too, as in many terminal programs (where a text field has the focus it types).
        _b("f1,ctrl+g,question_mark", "help", texts.B_HELP, "app.help"),
        _b("ctrl+z,f2", "undo", texts.B_UNDO, "app.undo"),
        _b("f5,ctrl+r", "timer_toggle", texts.B_TIMER, "app.timer", show=False),
        _b("f6,ctrl+n", "timer_next", texts.B_NEXT, "app.next", show=False),
        _b("f3,ctrl+o", "program", texts.B_PROGRAM, "app.program", show=False),
        _b("ctrl+t", "toggle_theme", texts.B_THEME, "app.theme", show=False),
        _b("ctrl+q", "quit", texts.B_QUIT, "app.quit", show=False, priority=True),
        # The palette's key in Danish (Textual's own says «palette» in every footer); Textual
        # adds its own only when no binding opens the palette. Here, with an id, the keymap
        # file and F1's list of keys know it.
        palette_binding(App.COMMAND_PALETTE_BINDING, App.COMMAND_PALETTE_DISPLAY),
    ]

    def __init__(self, db_target: str, *, clock: Callable[[], datetime] | None = None) -> None:
        # What is loaded by now (Textual, the first screen's modules) lives as long as the
        # app: kept out of the garbage collector's passes, the first screen's objects set off
        # no full pass before it answers a key (one of 11 ms before). Again in
        # `_database_ready`, for the database layer.
        gc.freeze()
        super().__init__()
        self.db_target = db_target
        self.clock: Callable[[], datetime] = clock or datetime.now
        self.workspace: Workspace | None = None  # set once the database is open
        self.jobs = DbQueue(self, self.report_error)
        self.save_signal: Signal[SaveStatus] = Signal(self, "saved")
        self.save_status: SaveStatus = ("idle", "")
        # What the status said before the current «Gemmer …» (shown again when nothing turns
        # out to need saving), the fields whose typing pause runs, and the writes under way.
        self._settled_status: SaveStatus = ("idle", "")
        # What the indicator said before a field refused its text (`refusal_dropped`).
        self._before_failed: SaveStatus = ("idle", "")
        self._pending_inputs: set[AutoSave] = set()
        self._saves_in_flight = 0
        self._ending = False  # a signal asked the app to end (see `_end_on_signal`)
        # Ctrl+Q was pressed while the last save had failed: the next Ctrl+Q quits anyway.
        self._quit_despite_failure = False
        # Ctrl+Q was pressed while udkast of new rows were kept: the next Ctrl+Q quits anyway.
        self._quit_despite_drafts = False
        self.timer = ProgrammeTimer()
        self.day_id: str | None = None
        self.bord_id: str | None = None
        # The bord screen and the mål screen, each built once and filled again for the next
        # bord or mål (building them is most of the cost of opening one).
        self.bord_screen: BordScreen | None = None
        self.maal_screen: MaalScreen | None = None
        # Asked for before the database opened: (key, call), see `when_open`.
        self._waiting: list[tuple[str | None, Callable[[], object]]] = []
        self._undo_busy = False  # an undo is under way, or the question before an older one
        self.home_painted = threading.Event()  # set by the home screen once it shows its data
        # The loading of the database layer waits while input is answered.
        self.input_first = InputFirst()
        self.quick_home = False  # the home screen was drawn before the database opened
        self.theme = settings.DARK_THEME

    # --- the command palette in Danish ---------------------------------------------------

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(cast("App[object]", self)):
            self.push_screen(DanishCommandPalette(id="--command-palette"))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        # Textual's, in Danish; theme and quit are in `UdviklingsdagCommands` already, and no
        # screenshot (it would write a file outside the user's chosen folders).
        if screen.query("HelpPanel"):
            yield SystemCommand(*texts.SYSTEM_KEYS_HIDE, self.action_hide_help_panel)
        else:
            yield SystemCommand(*texts.SYSTEM_KEYS_SHOW, self.action_show_help_panel)
        if screen.maximized is not None:
            yield SystemCommand(*texts.SYSTEM_MINIMIZE, screen.action_minimize)
        elif screen.focused is not None and screen.focused.allow_maximize:
            yield SystemCommand(*texts.SYSTEM_MAXIMIZE, screen.action_maximize)

    # --- start-up ------------------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        from models.paths import is_url

        if not is_url(self.db_target):
            # The home screen straight from a plain read of the file (a few milliseconds),
            # before SQLAlchemy has loaded; the database opens behind it.
            from models.overview import quick_home

            if (snapshot := quick_home(self.db_target, with_counts=False)) is not None:
                from screens.home import HomeScreen

                self.theme = snapshot.theme
                self.quick_home = True
                return HomeScreen(snapshot)
        from screens.loading import LoadingScreen

        return LoadingScreen(self.db_target)

    def on_mount(self) -> None:
        if self.quick_home:
            # The loading thread starts now and waits until the home screen shows its data
            # (`home_painted`). Not after a refresh: a screen pushed over the home screen at
            # once (the first start's naming dialog) could leave that callback waiting on the
            # covered screen, and the database would never open.
            self._open_database()
        else:
            # Paint the loading screen first; the import of the database layer in the worker
            # competes for the interpreter, so it starts once the first frame is out.
            self.call_after_refresh(self._open_database)
        self._install_signal_handlers()

    # --- ended from outside: SIGTERM, SIGHUP, a closed console --------------------------------

    def _install_signal_handlers(self) -> None:
        """Write the pending text before the app ends on a signal: SIGTERM (shutdown, `kill`)
        and SIGHUP (the terminal window was closed) on Linux and macOS. On Windows SIGTERM and
        SIGBREAK (Ctrl+Break; the C runtime also raises it when the console window is closed,
        but Windows may end the process before Python's handler has run, so there it is best
        effort). SIGKILL and a power cut cannot be caught: there the text of the last typing
        pause (under a second) is what can be lost."""
        if threading.current_thread() is not threading.main_thread():
            return  # signal handlers can only be set from the main thread (tests, embedding)
        loop = asyncio.get_running_loop()
        names = ("SIGTERM", "SIGHUP") if os.name == "posix" else ("SIGTERM", "SIGBREAK")
        for name in names:
            signum = getattr(signal, name, None)
            if signum is None:
                continue
            try:
                loop.add_signal_handler(signum, self._end_on_signal, name)
            except (NotImplementedError, RuntimeError, ValueError, OSError):
                # Windows' event loop has no add_signal_handler: the plain handler runs on the
                # main thread between two steps of the loop and hands over to it.
                try:
                    signal.signal(signum, functools.partial(self._hand_over, loop, name))
                except (OSError, RuntimeError, ValueError):
                    continue

    def _hand_over(
        self, loop: asyncio.AbstractEventLoop, name: str, _signum: int, _frame: object
    ) -> None:
        loop.call_soon_threadsafe(self._end_on_signal, name)

    def _end_on_signal(self, name: str) -> None:
        """A signal ends the app: write every pending autosave now, on this thread (the
        terminal may already be gone and the workers may never run again), then exit."""
        if self._ending:
            return
        self._ending = True
        try:
            self.flush_pending()
        except Exception as exc:  # ending anyway; never a traceback on the way out
            self.log.error(f"Kunne ikke gemme ved {name}: {exc!r}")
        if self.workspace is not None:
            try:
                self.workspace.close()
            except Exception:
                pass
        self.exit()

    def flush_pending(self) -> int:
        """Hand every field with unsaved text to its save and run every waiting database
        call now, in this thread. Returns how many calls ran."""
        from screens.widgets import dirty_fields

        for field in dirty_fields(self):
            field.commit_now()
        return self.jobs.run_here()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, INPUT_EVENTS) and self.input_first.loading:
            # The database layer is still loading: it waits until this input is answered.
            self.input_first.hold()
        await super().on_event(event)

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def _open_database(self) -> None:
        if self.quick_home:
            # Loading SQLAlchemy competes with the UI thread for the interpreter: let the
            # home screen finish drawing its data first.
            self.home_painted.wait(timeout=2)
        with self.input_first.imports():
            opened = self._load_database()
        if isinstance(opened, str):
            self.call_from_thread(self._show_fatal, opened)
        else:
            self.call_from_thread(self._database_ready, *opened)

    def _load_database(self) -> tuple[Workspace, str] | str:
        """The database layer's imports and the open (on the loading thread): the workspace
        and its theme, or what went wrong."""
        try:
            # The libraries first: they are many small modules, and input is answered between
            # any two of them (`InputFirst`); the app's own record and table classes are each
            # one longer step, built once a key pressed at first sight has been answered.
            import sqlalchemy  # noqa: F401
            import sqlmodel  # noqa: F401

            from models.db import open_database
            from models.errors import UdviklingsdagError
            from models.workspace import Workspace
        except Exception as exc:  # a broken installation: say so, do not show a traceback
            return f"{type(exc).__name__}: {exc}"
        try:
            workspace = Workspace(open_database(self.db_target))
            theme = workspace.setting(settings.THEME)
            # Importing the screens here keeps the UI thread free while they load.
            import screens.home  # noqa: F401
        except UdviklingsdagError as exc:
            return str(exc)
        except Exception as exc:
            return f"{type(exc).__name__}: {exc}"
        return workspace, theme

    def _database_ready(self, workspace: Workspace, theme: str) -> None:
        from screens.home import HomeScreen

        self.workspace = workspace
        workspace.clock = self.clock  # statuses are dated and «today» is read by the app clock
        # Everything loaded so far (Textual, SQLAlchemy, the screens' modules) lives as long
        # as the app: keep it out of the garbage collector's full passes, which otherwise
        # walk all of it and stall the screen for 100-300 ms at random moments.
        gc.freeze()
        if not any(isinstance(s, HomeScreen) for s in self.screen_stack):
            self.theme = theme
            self.push_screen(HomeScreen())
        waiting, self._waiting = self._waiting, []
        for _key, call in waiting:
            try:
                call()
            except Exception as exc:  # one failing call must not swallow the ones after it
                self.report_error(exc)

    def when_open(self, call: Callable[[], object], *, key: str | None = None) -> None:
        """Run `call` now if the database is open, else as soon as it is (in order). A call
        with a `key` replaces an earlier waiting call with the same key."""
        if self.workspace is not None:
            call()
            return
        if key is not None:
            self._waiting = [(k, c) for k, c in self._waiting if k != key]
        self._waiting.append((key, call))

    def _show_fatal(self, message: str) -> None:
        from screens.error import ErrorScreen

        self.push_screen(ErrorScreen(message))

    # --- saving state and errors -----------------------------------------------------------

    def now_seconds(self) -> float:
        return self.clock().timestamp()

    def mark_saving(self) -> None:
        if self.save_status[0] != "saving":
            self._settled_status = self.save_status
        self.save_status = ("saving", "")
        self.save_signal.publish(self.save_status)

    def mark_saved(self) -> None:
        self._quit_despite_failure = False
        self.save_status = self._settled_status = ("saved", self.clock().strftime("%H:%M"))
        self.save_signal.publish(self.save_status)

    def mark_failed(self, message: str) -> None:
        if self._settled_status[0] != "failed":
            self._before_failed = self._settled_status
        self.save_status = self._settled_status = ("failed", message)
        self.save_signal.publish(self.save_status)

    def refusal_dropped(self, message: str) -> None:
        """The text a field refused with `message` was left behind (its form was closed
        without it): the indicator says again what it said before, unless something else has
        failed since."""
        if self.save_status == ("failed", message):
            self.save_status = self._settled_status = self._before_failed
            self.save_signal.publish(self.save_status)

    def input_pending(self, widget: AutoSave) -> None:
        """A field holds typed text that is not on disk yet (its typing pause runs): the
        status says «Gemmer …» from this key until the write is confirmed."""
        self._pending_inputs.add(widget)
        if self.save_status[0] != "saving":
            self.mark_saving()

    def input_settled(self, widget: AutoSave) -> None:
        """The field's text was handed to a save (or needs none, or was refused)."""
        self._pending_inputs.discard(widget)
        self._show_settled()

    def _busy(self) -> bool:
        self._pending_inputs = {
            w for w in self._pending_inputs if isinstance(w, Widget) and w.is_attached
        }
        return bool(self._pending_inputs) or self._saves_in_flight > 0

    def _show_settled(self) -> None:
        """Nothing pending any more and no write under way: show what was last settled
        (the time of the last save, or why it failed) instead of «Gemmer …»."""
        if self.save_status[0] == "saving" and not self._busy():
            self.save_status = self._settled_status
            self.save_signal.publish(self.save_status)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """`App.notify`, with every control character shown as a placeholder and never read
        as markup: a message can quote a name or a value typed on another laptop or read from
        a file (see `models.visible`), and «Pause [/] kaffe» in one made Textual raise while
        drawing the toast. `markup` is taken for `Widget.notify`, which always passes it
        (True); none of the app's own messages uses markup."""
        from models.visible import visible

        del markup
        super().notify(
            visible(message, 2000, multiline=True),
            title=visible(title, 200),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def report_error(self, exc: Exception) -> None:
        """Show a database or validation error as a Danish notification (never a traceback)."""
        from models.errors import UdviklingsdagError, disk_full_error

        near = self.db_target if "://" not in self.db_target else None
        if (full := disk_full_error(exc, near=near)) is not None:
            message = str(full)  # the one full-disk message, never «disk I/O error»
        elif isinstance(exc, UdviklingsdagError):
            message = str(exc)
        else:
            self.log.error(repr(exc))
            message = texts.UNEXPECTED_ERROR.format(kind=type(exc).__name__)
        if self.save_status[0] == "saving":
            self.mark_failed(message)
        self.notify(message, severity="error", timeout=8)

    def read(
        self,
        call: Callable[[Workspace], T],
        *,
        done: Callable[[T], object] | None = None,
        error: Callable[[Exception], object] | None = None,
    ) -> None:
        """Run `call(workspace)` in the database queue (see `screens.base.Host.read`)."""
        self.jobs.submit(self._on_workspace, call, done=done, error=error)

    def remember(self, call: Callable[[Workspace], object]) -> None:
        """Run a local setting's write in the queue (see `screens.base.Host.remember`)."""
        self.jobs.submit(self._on_workspace, call)

    def write(
        self,
        call: Callable[[Workspace], T],
        *,
        done: Callable[[T], object] | None = None,
        error: Callable[[Exception], object] | None = None,
    ) -> None:
        """Run a write on the workspace (see `screens.base.Host.write`): the save indicator
        follows it («Gemt» only once this write and every other pending one are on disk)."""
        self.mark_saving()
        self._saves_in_flight += 1

        def ok(result: T) -> None:
            self._saves_in_flight -= 1
            if self.save_status[0] != "saving":
                pass  # a failure shown meanwhile stays until the next save
            elif self._busy():
                self._settled_status = ("saved", self.clock().strftime("%H:%M"))
            else:
                self.mark_saved()
            if done is not None:
                done(result)

        def failed(exc: Exception) -> None:
            self._saves_in_flight -= 1
            self.mark_failed(str(exc))
            (error or self.report_error)(exc)

        self.jobs.submit(self._on_workspace, call, done=ok, error=failed)

    def _on_workspace(self, call: Callable[[Workspace], T]) -> T:
        return call(self.open_workspace())

    def open_workspace(self) -> Workspace:
        """The open workspace (`when_open` runs the screens' calls only once it is)."""
        if self.workspace is None:
            raise RuntimeError("the database is not open yet")
        return self.workspace

    async def settle(self) -> None:
        """Wait until every queued database call has finished (quitting, tests)."""
        for _ in range(50):
            # Only our own workers: some widgets (DirectoryTree) keep a worker running.
            ours = [w for w in self.workers if w.group in ("db", "open") and not w.is_finished]
            for worker in ours:
                try:
                    await worker.wait()
                except (WorkerCancelled, WorkerFailed, WorkerError):
                    continue  # reported by the queue's own error handling
            await asyncio.sleep(0.01)
            if not self.jobs.pending and not any(
                w.group == "db" and not w.is_finished for w in self.workers
            ):
                return

    # --- the user's keymap ---------------------------------------------------------------

    user_keymap: Mapping[str, str] = MappingProxyType({})
    """The keys remapped by the user's keymap file (binding id -> keys); empty: none."""

    def on_load(self) -> None:
        self.load_keymap()

    def load_keymap(self, path: Path | None = None) -> None:
        """Apply the user's keymap file (`screens.keys.keymap_path()`), if there is one. A bad
        file is said in Danish and the default keys stay; nothing is ever written."""
        from screens.keymap_file import keymap_path

        path = path or keymap_path()
        try:
            if not path.exists():
                return  # no file: the default keys (without loading the keymap reader)
        except OSError:
            pass  # not even that can be known: the reader says what is wrong
        from screens.keys import KeymapRead, read_keymap, unknown_names

        result = read_keymap(path)
        if result is None:
            return  # no file: the default keys
        self.user_keymap = MappingProxyType(dict(result.keymap))
        self.set_keymap(result.keymap)
        for severity, message in result.messages(path):
            self.notify(message, severity=severity, timeout=20)
        if result.keymap:

            def check_names() -> None:
                # Knowing every binding imports every screen (and the database layer): done
                # once the database is open, not before the first screen is painted.
                unknown = unknown_names(result.keymap, self.BINDINGS)
                for severity, message in KeymapRead({}, None, unknown).messages(path):
                    self.notify(message, severity=severity, timeout=20)

            self.when_open(check_names)

    # --- actions -------------------------------------------------------------------------

    def action_help(self) -> None:
        from screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        key = getattr(self.screen, "HELP_KEY", "home")
        self.push_screen(HelpScreen(key))

    # Keys the footer names as they are printed on the key: Textual writes «delete» as «del»,
    # which next to «Slet» reads as the Danish word («Ny del Slet»: a new part?).
    _KEY_NAMES = {"insert": "Insert", "delete": "Delete"}

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo" and type(self.screen).__name__ == "ErrorScreen":
            return False  # the database did not open: nothing to undo (and no «^z» shown)
        return super().check_action(action, parameters)

    def get_key_display(self, binding: Binding) -> str:
        if not binding.key_display:
            modifiers, key = binding.parse_key()
            if not modifiers and key in self._KEY_NAMES:
                return self._KEY_NAMES[key]
        return super().get_key_display(binding)

    def action_toggle_theme(self) -> None:
        dark = self.theme == settings.DARK_THEME
        self.theme = theme = settings.LIGHT_THEME if dark else settings.DARK_THEME
        self.when_open(lambda: self.remember(lambda ws: ws.set_setting(settings.THEME, theme)))

    @needs_database(opens_screen=False)
    def action_undo(self) -> None:
        from screens.widgets import dirty_fields

        if self._undo_busy:
            return  # an undo is under way, or its question is open: that one first
        for field in dirty_fields(self):
            field.commit_now()
        self._undo_busy = True
        self.write(lambda ws: ws.undo(in_session=True), done=self._undone, error=self._undo_failed)

    def _undo_failed(self, exc: Exception) -> None:
        self._undo_busy = False
        self.report_error(exc)

    def _undone(self, result: Undone | None) -> None:
        if result is not None and not result.done:
            self._ask_undo_older(result)
            return
        self._undo_busy = False
        if result is None:
            self.notify(texts.NOTHING_TO_UNDO)
            return
        self.notify(texts.UNDONE.format(description=result.description))
        self.reload_screens()

    def _ask_undo_older(self, older: Undone) -> None:
        """The last action to undo was made before this session (the day's preparation,
        yesterday's work): say what and when, and undo it only when the user says so with the
        button (Enter and Esc keep it, and no letter answers: Ctrl+Z pressed while typing,
        then «j…» typed on, must not undo it), so pressing Ctrl+Z again and again stops at
        the session's start. The next Ctrl+Z waits for the answer; a question closed another
        way (the palette's «Hjem») counts as «Behold»."""
        from screens.forms import ConfirmScreen

        made = older.when
        when = f"{made:%d-%m-%Y} kl. {made:%H:%M}" if made else "tidligere"
        question = texts.UNDO_OLDER.format(when=when, description=older.description)
        action_id = older.action_id

        def answered(yes: bool | None) -> None:
            if yes:
                self.write(
                    lambda ws: ws.undo(action_id=action_id),
                    done=self._undone_older,
                    error=self._undo_failed,
                )
            else:
                self._undo_busy = False

        def gone() -> None:
            self._undo_busy = False

        screen = ConfirmScreen(
            question, yes=texts.UNDO_OLDER_YES, no=texts.UNDO_OLDER_NO, letters=False, gone=gone
        )
        self.push_screen(screen, callback=answered)

    def _undone_older(self, result: Undone | None) -> None:
        self._undo_busy = False
        if result is None:
            self.notify(texts.UNDO_MOVED_ON)
            return
        self._undone(result)

    def reload_screens(self) -> None:
        """Ask every open screen to read its data again (after undo)."""
        for screen in self.screen_stack:
            if isinstance(screen, Reloadable):
                screen.reload()

    async def action_quit(self) -> None:
        from screens.widgets import dirty_fields

        for field in dirty_fields(self):
            field.commit_now()
        await self.settle()
        if self.save_status[0] == "failed" and not self._quit_despite_failure:
            # The last save did not reach the disk (a full disk, a refused value): quitting
            # now would throw that text away, so say so and let a second Ctrl+Q decide.
            self._quit_despite_failure = True
            self.notify(
                texts.QUIT_NOT_SAVED.format(reason=self.save_status[1]),
                severity="error",
                timeout=15,
            )
            return
        from models.words import count
        from screens.forms import kept_drafts

        if (drafts := kept_drafts(self)) and not self._quit_despite_drafts:
            # An udkast (a new row whose required field was empty) lives in memory only.
            self._quit_despite_drafts = True
            self.notify(
                texts.QUIT_DRAFTS.format(n=count("udkast", drafts).capitalize()),
                severity="warning",
                timeout=15,
            )
            return
        if self.workspace is not None:
            self.workspace.close()
        self.exit()

    # --- navigation (lazy imports: the module may belong to another part of the app) ---------

    def go_home(self) -> None:
        """Back to the home screen (the bottom of the stack)."""
        from screens.home import HomeScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()

    @needs_database
    def open_bord(self, bord_id: str, day_id: str | None) -> None:
        """Open a bord's mål (and load its day's programme for the timer)."""
        from screens.bord import BordScreen

        self.bord_id = bord_id
        if day_id and day_id != self.day_id:
            self.day_id = None
            self.load_timer(day_id)
        screen = self.bord_screen
        if screen is None:
            screen = self.bord_screen = BordScreen(bord_id)
            self.install_screen(screen, "bord")
        elif screen in self.screen_stack:
            screen = BordScreen(bord_id)  # (already open lower in the stack)
        else:
            screen.show_bord(bord_id)
        self.push_screen(screen)

    def open_maal(self, maal_id: str, *, bord_id: str | None) -> None:
        """Open a mål (the one mål screen, filled again for this mål)."""
        from screens.maal import MaalScreen

        screen = self.maal_screen
        if screen is None:
            screen = self.maal_screen = MaalScreen(maal_id, bord_id=bord_id)
            self.install_screen(screen, "maal")
        elif screen in self.screen_stack:
            screen = MaalScreen(maal_id, bord_id=bord_id)  # (already open higher up)
        else:
            screen.show_maal(maal_id, bord_id=bord_id)
        self.push_screen(screen)

    def go_bord(self) -> None:
        if self.bord_id is not None:
            self.go_home()
            self.open_bord(self.bord_id, self.day_id)

    @needs_database
    def action_program(self) -> None:
        from screens.program import ProgramScreen

        if not isinstance(self.screen, ProgramScreen):
            self.push_screen(ProgramScreen())

    @needs_database
    def action_consolidation(self) -> None:
        from screens.consolidation import ConsolidationScreen

        self.push_screen(ConsolidationScreen())

    @needs_database
    def action_export(self) -> None:
        from screens.export import ExportScreen

        self.push_screen(ExportScreen())

    @needs_database
    def action_prepare(self) -> None:
        from screens.prepare import PrepareScreen

        self.push_screen(PrepareScreen())

    @needs_database
    def action_close_day(self) -> None:
        from screens.close_day import CloseDayScreen

        if self.bord_id is not None:
            self.push_screen(CloseDayScreen(self.bord_id))

    @needs_database
    def action_deltagere(self) -> None:
        from screens.deltagere import DeltagereScreen

        if self.bord_id is not None:
            self.push_screen(DeltagereScreen(self.bord_id))

    # --- issue 15 H1 ---
    # --- end H1 ---

    # --- issue 15 H2 ---

    @needs_database
    def open_maalinger(self, tegn_id: str) -> None:
        """Open a tegn's målinger and run chart (the mål screen's tegn tab, the årshjul)."""
        from screens.maalinger import MaalingerScreen

        self.push_screen(MaalingerScreen(tegn_id))

    # --- end H2 ---

    # --- issue 15 H5 ---
    @needs_database
    def action_forfald(self) -> None:
        """The evalueringer that fall due across every plan."""
        from screens.forfald import ForfaldScreen

        if not isinstance(self.screen, ForfaldScreen):
            self.push_screen(ForfaldScreen())

    @needs_database
    def open_laering(
        self, maalplan_id: str | None = None, proevehandling_id: str | None = None
    ) -> None:
        """The læring of a prøvehandling, or of a målplan with its prøvehandlingers'."""
        from screens.laering import LaeringScreen

        if maalplan_id is not None or proevehandling_id is not None:
            self.push_screen(
                LaeringScreen(maalplan_id=maalplan_id, proevehandling_id=proevehandling_id)
            )

    # --- end H5 ---

    # --- issue 15 H6 ---

    @needs_database
    def action_aarshjul(self) -> None:
        """Open the årshjul: every målplan in its year. One screen, built once and kept (as the
        bord screen is): opened again, it reads the year again."""
        from screens.aarshjul import AarshjulScreen

        if not self.is_screen_installed("aarshjul"):
            self.install_screen(AarshjulScreen(), "aarshjul")
        screen = self.get_screen("aarshjul", AarshjulScreen)
        if screen in self.screen_stack:
            while self.screen is not screen:  # open lower down: back to it
                self.pop_screen()
            return
        if screen.is_mounted:
            screen.reopen()
        self.push_screen(screen)

    # --- end H6 ---

    # --- issue 16 H8 ---
    @needs_database
    def action_augustrapport(self, aar: int | None = None) -> None:
        """Open the August status: the year's mål with their data and assessment (`aar`: the
        year to show; None: the newest year whose August has begun, by the app's clock)."""
        from screens.vurdering import VurderingScreen

        self.push_screen(VurderingScreen(aar))

    # --- end H8 ---

    # --- issue 16 H9 ---

    @needs_database
    def open_plan_a(self, maalplan_id: str) -> None:
        """Open a målplan's Plan A: the difference per chosen indicator and the A3 poster."""
        from screens.plan_a import PlanAScreen

        self.push_screen(PlanAScreen(maalplan_id))

    @needs_database
    def action_plan_a(self) -> None:
        """The palette's «Plan A-plakat»: the plan of the screen on top when it shows one (the
        årshjul's plan, the Plan A screen itself), else a picker of the målplaner."""
        from screens.plan_a import PlanAPickScreen, PlanAScreen

        if isinstance(self.screen, PlanAScreen):
            return
        plan_id = getattr(self.screen, "maalplan_id", None)
        if isinstance(plan_id, str):
            self.open_plan_a(plan_id)
            return

        def picked(chosen: str | None) -> None:
            if chosen:
                self.open_plan_a(chosen)

        self.push_screen(PlanAPickScreen(), callback=picked)

    # --- end H9 ---

    # --- issue 16 H10 ---

    @needs_database
    def action_nyt_aar(self) -> None:
        """Open «Nyt år»: start next year's målplaner from the newest year's."""
        from screens.nyt_aar import NytAarScreen

        self.push_screen(NytAarScreen())

    # --- end H10 ---

    @needs_database
    def action_rename(self) -> None:
        from screens.home import NameDeviceScreen

        self.push_screen(NameDeviceScreen(self.open_workspace().device_name))

    # --- the programme timer ----------------------------------------------------------------

    def load_timer(self, day_id: str) -> None:
        """Read the day's programme and the saved timer state (after choosing a day)."""

        def done(result: tuple[tuple[Programblok, ...], str | None]) -> None:
            rows, state = result
            blocks = [(b.titel, b.minutter) for b in rows]
            if self.day_id == day_id and self.timer.blocks:
                self.timer.set_blocks(blocks)
            else:
                self.timer = ProgrammeTimer.from_json(state, blocks)
            self.day_id = day_id
            self.refresh_timers()

        self.read(lambda ws: ws.timer(day_id), done=done)

    def refresh_timers(self) -> None:
        from screens.widgets import TimerLabel

        for label in self.screen.query(TimerLabel):
            label.refresh_time()
        if isinstance(self.screen, ShowsProgramme):
            self.screen.refresh_programme()

    def _save_timer(self) -> None:
        day_id, state = self.day_id, self.timer.to_json()
        if self.workspace is not None and day_id is not None:
            self.remember(lambda ws: ws.set_setting(settings.TIMER.of(day_id), state))
        self.refresh_timers()

    def action_timer_toggle(self) -> None:
        if not self.timer.blocks:
            self.notify(texts.PROGRAM_NONE if self.day_id else texts.PROGRAM_NO_DAY)
            return
        self.timer.toggle(self.now_seconds())
        if self.timer.running and self.timer.current:
            self.notify(texts.TIMER_STARTED.format(title=self.timer.current[0]))
        elif not self.timer.running:
            self.notify(texts.TIMER_PAUSED_NOTE)
        self._save_timer()

    def action_timer_previous(self) -> None:
        if not self.timer.blocks:
            self.notify(texts.PROGRAM_NONE if self.day_id else texts.PROGRAM_NO_DAY)
            return
        if self.timer.index == 0:
            self.notify(texts.TIMER_FIRST)
            return
        self.timer_go_to(self.timer.index - 1)

    def timer_go_to(self, index: int) -> None:
        """Make programme block `index` the current one (`ProgrammeTimer.go_to`) and say so."""
        from screens.timer import clock_text

        now = self.now_seconds()
        if not self.timer.go_to(index, now) or self.timer.current is None:
            return
        title, left = self.timer.current[0], self.timer.remaining(now)
        moved = texts.TIMER_MOVED_OVER if left < 0 else texts.TIMER_MOVED  # (it ran over)
        message = moved.format(title=title, time=clock_text(left))
        if not self.timer.running:
            message += texts.TIMER_MOVED_PAUSED
        self.notify(message)
        self._save_timer()
        self.refresh_timers()

    def action_timer_next(self) -> None:
        if not self.timer.blocks:
            self.notify(texts.PROGRAM_NONE if self.day_id else texts.PROGRAM_NO_DAY)
            return
        self.timer.next(self.now_seconds())
        if self.timer.current:
            self.notify(texts.TIMER_NEXT.format(title=self.timer.current[0]))
        else:
            self.notify(texts.TIMER_LAST)
        self._save_timer()


if TYPE_CHECKING:

    def _is_host(app: UdviklingsdagApp) -> Host:
        return app  # mypy checks here that the App is what the screens expect of it
