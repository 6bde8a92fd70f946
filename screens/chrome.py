"""What every screen has around it, and all the home screen needs of the shared widgets: the top
bar (title, timer, save state), the footer, `StyledOnce` and `plain`. Apart from
`screens.widgets` (the fields, lists and the QR code), so that the first frame does not wait
for those (TextArea and more); `screens.widgets` re-exports everything here.

Two things here lean on Textual internals (see their comments and
tests/tui/test_textual_seams.py): `textual.widgets._footer.FooterKey` and
`Footer._bindings_ready` (`AppFooter`), and `Screen._on_screen_resume` (`StyledOnce`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Label, Static
from textual.widgets._footer import FooterKey

from models.visible import visible

from . import texts
from .base import host
from .timer import clock_text


def plain(text: str | None, style: str = "") -> Text:
    """User text as a Rich Text that is never parsed as markup, with every control character
    (ESC, C1, bidi overrides; not new lines and tabs) shown as a visible placeholder: text
    typed on another laptop or read from a file cannot steer the terminal."""
    return Text(visible(text or "", multiline=True), style=style)


# --- top bar: title, timer, save state --------------------------------------------------------


class SaveIndicator(Static):
    """«Gemt 10:42», «Gemmer …» or «Ikke gemt: ...»: follows the app's save signal."""

    DEFAULT_CSS = """
    SaveIndicator {
        width: auto; min-width: 10; max-width: 45%; padding: 0 1;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    SaveIndicator.-failed { color: $text-error; }
    SaveIndicator.-saving { color: $text-muted; }
    """

    def on_mount(self) -> None:
        app = host(self)
        app.save_signal.subscribe(self, self._show)
        self._shown: tuple[str, str] | None = None
        self._show(app.save_status)
        # A screen that was covered catches up when it shows again.
        self.set_interval(1.0, lambda: self._show(app.save_status))

    def _show(self, status: tuple[str, str]) -> None:
        if status == self._shown:
            return
        self._shown = status
        kind, message = status
        self.set_class(kind == "failed", "-failed")
        self.set_class(kind == "saving", "-saving")
        if kind == "saved":
            text = texts.SAVED_AT.format(time=message)
        elif kind == "saving":
            text = texts.SAVING
        elif kind == "failed":
            text = texts.NOT_SAVED.format(message=message)
        else:
            text = texts.NOTHING_SAVED_YET
        # A refusal can quote a value or a name from another laptop.
        shown = Text(visible(text, multiline=True))
        self.update(shown)
        self.tooltip = shown


class TimerLabel(Static):
    """Time left of the running programme block; quiet colour change when it runs over."""

    DEFAULT_CSS = """
    TimerLabel { width: auto; max-width: 40%; padding: 0 1; text-wrap: nowrap;
                 text-overflow: ellipsis; }
    TimerLabel.-over { background: $warning-muted; color: $text-warning; }
    TimerLabel.-paused { color: $text-muted; }
    """

    def on_mount(self) -> None:
        self.refresh_time()
        self.set_interval(1.0, self.refresh_time)

    def refresh_time(self) -> None:
        timer = host(self).timer
        now = host(self).now_seconds()
        if not timer.blocks:
            self.display = False
            return
        self.display = True
        over = timer.over(now)
        self.set_class(over, "-over")
        self.set_class(timer.started and not timer.running, "-paused")
        # Below about 100 columns the short texts leave the title of the screen its room.
        narrow = self._room() < len(texts.TIMER_IDLE) + 5
        if timer.finished:
            self.update(Text(texts.TIMER_DONE_SHORT if narrow else texts.TIMER_DONE))
            return
        if not timer.started:
            self.update(Text(texts.TIMER_IDLE_SHORT if narrow else texts.TIMER_IDLE))
            return
        title, _ = timer.current or ("", 0)
        left = timer.remaining(now)
        template = texts.TIMER_OVER if left < 0 else texts.TIMER_LEFT
        # The time and «(pause)» always show; the block's title gets the room that is left
        # (cut with «…»), and goes when there is too little for a word of it.
        rest = template.format(title="", time=clock_text(left))
        if not timer.running:
            rest += texts.TIMER_PAUSED
        room = min(24, self._room() - len(rest))
        if room >= 6:
            text = template.format(title=visible(title, room), time=clock_text(left))
            if not timer.running:
                text += texts.TIMER_PAUSED
        else:
            text = rest.removeprefix(texts.TIMER_SEPARATOR)
        self.update(Text(text))

    def _room(self) -> int:
        """Cells for the text: 40% of the bar it sits in (its `max-width`; the title and the
        save state share the rest), less the padding."""
        parent = self.parent
        width = parent.size.width if isinstance(parent, Widget) else 0
        return (width or self.app.size.width) * 2 // 5 - 2


class TopBar(Horizontal):
    """One line at the top of every working screen: where you are, the timer, save state."""

    DEFAULT_CSS = """
    TopBar { height: 1; dock: top; background: $panel; }
    TopBar > #topbar-title { width: 1fr; padding: 0 1; text-style: bold;
                             text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, title: str = "", **kw: Any) -> None:
        super().__init__(**kw)
        self._title = title

    def compose(self) -> ComposeResult:
        yield Label(plain(self._title), id="topbar-title", markup=False)
        yield TimerLabel(id="topbar-timer")
        yield SaveIndicator(id="topbar-save")

    def set_title(self, title: str) -> None:
        self.query_one("#topbar-title", Label).update(plain(title))

    def on_resize(self) -> None:
        # The timer's text depends on the room it has.
        for timer in self.query(TimerLabel):
            timer.refresh_time()


# --- the footer -------------------------------------------------------------------------------


class AppFooter(Footer):
    """Textual's Footer, cheaper: it rebuilds its keys only when what it shows changes (the
    stock footer rebuilds on every focus change), and it makes each key with its final style
    at once (the stock one restyles every key twice while mounting it). Looks the same.

    It reads the stock footer's private `_bindings_ready` flag and recognises its keys by the
    private `textual.widgets._footer.FooterKey` class (not exported by Textual).

    Narrower than `NARROW` columns (an old laptop's 80-column terminal) it is compact (one
    space between keys) and leaves out the command palette's key (Ctrl+P still opens it, and
    F1 says so), so the screen's own keys fit."""

    NARROW = 100

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self._shown_keys: tuple[Any, ...] | None = None
        self._narrow: bool | None = None
        # A rebuild is asked for and has not run yet: it will show the keys of its moment.
        self._rebuild_pending = False

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < self.NARROW
        if narrow == self._narrow:
            return
        self._narrow = narrow
        self.compact = narrow
        self.show_command_palette = not narrow
        if (
            self._bindings_ready
            and not self._rebuild_pending
            and self._signature() != self._shown_keys
        ):
            self._rebuild_pending = True
            self.call_after_refresh(self.recompose)

    def _signature(self) -> tuple[Any, ...]:
        shown = tuple(
            (b.key, b.key_display, b.description, b.action, b.group, enabled, tooltip)
            for (_node, b, enabled, tooltip) in self.screen.active_bindings.values()
            if b.show
        )
        return shown, self.show_command_palette, self.compact

    def bindings_changed(self, screen: Screen[Any]) -> None:
        # `_bindings_ready` is the stock footer's own flag for «the screen's bindings are
        # known»; the stock footer composes nothing before it is set.
        if (
            self._bindings_ready
            and screen.app.app_focus
            and self.is_attached
            and screen is self.screen
            and (self._rebuild_pending or self._signature() == self._shown_keys)
        ):
            # The same keys as now, or a rebuild on its way: nothing more to rebuild. (The
            # home screen changes its bindings four times while it starts, each before the
            # first rebuild has run: that was four rebuilds, two of them while the first key
            # pressed was being answered.)
            return
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._rebuild_pending = True  # the stock footer asks for the rebuild now
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        self._rebuild_pending = False
        self._shown_keys = self._signature()
        compact = self.compact
        widgets: Iterable[Widget] = super().compose()
        # Grouped keys (none of ours) are composed inside their group as they come, so they
        # are never gathered first: the line is fitted only without them.
        grouped = any(group is not None for (_k, _d, _s, _a, group, _e, _t) in self._shown_keys[0])
        if compact and not grouped:
            widgets = self._fitted(list(widgets))
        for widget in widgets:
            # A key's `compact` starts True and its watcher restyles the key when it is
            # mounted; the stock footer then binds it to the footer's own (False), which
            # restyles it again. Set the final value and class first: both become no-ops.
            if isinstance(widget, FooterKey):
                # Textual's own widgets name a few of their keys in English (an open Select's
                # «Dismiss menu»): in Danish here, where the footer shows them.
                widget.description = texts.TEXTUAL_KEYS.get(widget.description, widget.description)
                value = True if widget.has_class("-command-palette") else compact
                widget.set_reactive(FooterKey.compact, value)
                widget.set_class(value, "-compact", update=False)
            yield widget

    # Keys left out, in this order, when a narrow footer cannot show them all: Ctrl+Z and
    # Esc work on every screen and F1 lists them (F1 itself always stays).
    _LEFT_OUT_FIRST = ("ctrl+z", "escape")

    def _fitted(self, widgets: list[Widget]) -> list[Widget]:
        """The keys that fit the footer's line (an 80-column terminal on a screen with many
        keys cut «f1 Hjælp» to «f1 H»): the universal keys leave first."""
        keys = [w for w in widgets if isinstance(w, FooterKey)]
        if len(keys) != len(widgets):  # anything else on the line: as Textual lays it out
            return widgets
        room = self.app.size.width

        def width(key: FooterKey) -> int:  # «f1 Hjælp» and the space after it
            return len(key.key_display) + 1 + len(key.description) + 1

        kept = list(keys)
        for leaving in self._LEFT_OUT_FIRST:
            if sum(map(width, kept)) - 1 <= room:
                break
            kept = [k for k in kept if k.key != leaving]
        return list(kept)


# --- screens ----------------------------------------------------------------------------------


class StyledOnce:
    """Mixin for a Screen: skip the restyle of every widget when it is shown again unchanged.

    Textual restyles the whole screen on each ScreenResume, also the first one, which comes
    right after mounting has styled every widget, and when a kept screen is shown again: on
    the mål screen that was a third of the cost of opening it. Restyle only if the theme
    changed since the screen was last styled. The event's public `refresh_styles` flag says
    whether to restyle; the handler that reads it is Screen's private `_on_screen_resume`,
    so this one must carry that name to run before it."""

    _styled_theme: str | None = None

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Screen's own handler (Textual calls them subclass first).
        theme = str(self.app.theme)  # type: ignore[attr-defined]
        if self._styled_theme is None or self._styled_theme == theme:
            event.refresh_styles = False
        self._styled_theme = theme
