"""What a screen may ask of the App: run a call on the workspace in the database queue, and the
few app-wide things the screens share (the programme timer, the save state, navigation).

Screens do not import the App (the packages point one way: `tui -> screens -> models`); they
reach it through `host(node)`, typed by the `Host` protocol that `tui.app.UdviklingsdagApp`
implements (checked there by mypy). Textual's own App methods (`push_screen`, `notify`, ...)
they call on `node.app` as usual."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, TypeVar, cast, runtime_checkable

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.signal import Signal

    from models.workspace import Workspace
    from screens.timer import ProgrammeTimer
    from screens.widgets import AutoSave

T = TypeVar("T")

SaveStatus = tuple[str, str]
"""(kind, message): kind «idle», «saving», «saved» (message: the time) or «failed» (why)."""


class Host(Protocol):
    """The App as the screens see it."""

    db_target: str
    """The database as given on the command line (a file path or a URL)."""
    clock: Callable[[], datetime]
    """Now (a fixed clock in tests)."""
    timer: ProgrammeTimer
    """The programme timer of the chosen udviklingsdag."""
    day_id: str | None
    """The udviklingsdag of the bord last opened (its programme runs on the timer)."""
    bord_id: str | None
    """The bord last opened."""
    save_signal: Signal[SaveStatus]
    """Published whenever `save_status` changes."""
    save_status: SaveStatus
    home_painted: threading.Event
    """Set by the home screen once it shows its data (the database may load then)."""
    user_keymap: Mapping[str, str]
    """The keys the user's keymap file remaps (binding id -> keys); empty: none."""

    def read(
        self,
        call: Callable[[Workspace], T],
        *,
        done: Callable[[T], object] | None = None,
        error: Callable[[Exception], object] | None = None,
    ) -> None:
        """Run `call(workspace)` in the database queue, after everything asked for before it;
        then `done(result)` (or `error(exc)`) on the UI thread."""

    def write(
        self,
        call: Callable[[Workspace], T],
        *,
        done: Callable[[T], object] | None = None,
        error: Callable[[Exception], object] | None = None,
    ) -> None:
        """Like `read`, for a write: the save indicator follows it («Gemt» only once this and
        every other pending write are on disk)."""

    def remember(self, call: Callable[[Workspace], object]) -> None:
        """Run a write of a local setting (the chosen bord, the theme) in the queue. Settings
        are not the group's work: the save indicator does not follow them."""

    def when_open(self, call: Callable[[], object], *, key: str | None = None) -> None:
        """Run `call` now if the database is open, else as soon as it is (in order). A call
        with a `key` replaces an earlier waiting call with the same key."""

    def report_error(self, exc: Exception) -> None:
        """Show an error as a Danish notification (never a traceback)."""

    def mark_failed(self, message: str) -> None:
        """The save indicator says «Ikke gemt: `message`»."""

    def refusal_dropped(self, message: str) -> None:
        """The text refused with `message` was left behind on purpose: the save indicator
        says again what it said before (unless something else failed since)."""

    def input_pending(self, widget: AutoSave) -> None:
        """A field holds typed text that is not on disk yet."""

    def input_settled(self, widget: AutoSave) -> None:
        """The field's text was handed to a save (or needs none, or was refused)."""

    def now_seconds(self) -> float:
        """Now, in seconds (for the timer)."""

    def load_timer(self, day_id: str) -> None:
        """Read an udviklingsdag's programme and its saved timer."""

    def reload_screens(self) -> None:
        """Ask every open screen to read its data again."""

    def open_bord(self, bord_id: str, day_id: str | None) -> None:
        """Open a bord's mål (the one bord screen, filled again)."""

    def open_maal(self, maal_id: str, *, bord_id: str | None) -> None:
        """Open a mål (the one mål screen, filled again)."""

    def open_maalinger(self, tegn_id: str) -> None:
        """Open a tegn's målinger and run chart."""

    def open_laering(
        self, maalplan_id: str | None = None, proevehandling_id: str | None = None
    ) -> None:
        """Open the læring of a målplan or of a prøvehandling."""

    def action_forfald(self) -> None: ...

    def open_plan_a(self, maalplan_id: str) -> None:
        """Open a målplan's Plan A and its poster."""

    def action_nyt_aar(self) -> None: ...

    def action_augustrapport(self) -> None: ...

    def action_aarshjul(self) -> None: ...

    def action_prepare(self) -> None: ...

    def action_consolidation(self) -> None: ...

    def action_export(self) -> None: ...

    def action_timer_toggle(self) -> None: ...

    def action_timer_next(self) -> None: ...

    def action_timer_previous(self) -> None: ...

    def timer_go_to(self, index: int) -> None: ...


@runtime_checkable
class Reloadable(Protocol):
    """A screen that can read its data again (after an undo, a rename)."""

    def reload(self) -> None: ...


@runtime_checkable
class ShowsProgramme(Protocol):
    """A screen that shows the programme timer in more than the top bar."""

    def refresh_programme(self) -> None: ...


def host(node: DOMNode) -> Host:
    """The App of `node`, typed as what a screen may ask of it."""
    return cast("Host", node.app)
