"""The command palette (Ctrl+P) in Danish: the app's useful commands, offered where they make
sense, and the palette itself (its placeholder, keys and «no matches» line)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.align import Align
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.widgets.option_list import Option

from screens import texts

if TYPE_CHECKING:
    from .app import UdviklingsdagApp


class UdviklingsdagCommands(Provider):
    """Navigation and actions in Danish; bord-bound commands only once a bord is chosen."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = cast("UdviklingsdagApp", self.app)
        if app.workspace is None:
            return []
        wanted = [
            "home",
            "prepare",
            "program",
            "consolidation",
            "export",
            "aarshjul",
            "augustrapport",
            "forfald",
            "plan_a",
            "nyt_aar",
            "theme",
            "undo",
            "timer",
            "next",
            "rename",
            "help",
            "quit",
        ]
        if app.bord_id:
            wanted[1:1] = ["bord", "deltagere", "close_day"]
        actions: dict[str, Callable[[], object]] = {
            "home": app.go_home,
            "bord": app.go_bord,
            "program": app.action_program,
            "prepare": app.action_prepare,
            "close_day": app.action_close_day,
            "deltagere": app.action_deltagere,
            "consolidation": app.action_consolidation,
            "export": app.action_export,
            "aarshjul": app.action_aarshjul,
            "augustrapport": app.action_augustrapport,
            "forfald": app.action_forfald,
            "nyt_aar": app.action_nyt_aar,
            "plan_a": app.action_plan_a,
            "theme": app.action_toggle_theme,
            "undo": app.action_undo,
            "timer": app.action_timer_toggle,
            "next": app.action_timer_next,
            "rename": app.action_rename,
            "help": app.action_help,
            "quit": lambda: app.run_action("quit"),
        }
        return [(*texts.CMD[key], actions[key]) for key in wanted]

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)


def palette_binding(key: str, key_display: str | None) -> Binding:
    """The key that opens the palette, described in Danish (Textual's own says «palette»); it
    has an id, so a keymap file can move it."""
    title, tooltip = texts.PALETTE_BINDING
    return Binding(
        key,
        "command_palette",
        title,
        show=False,
        key_display=key_display,
        priority=True,
        tooltip=tooltip,
        id="app.command_palette",
    )


class DanishCommandPalette(CommandPalette):
    """Textual's command palette with Danish words: placeholder, keys, «no matches»."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(keys, action, description, show=show)
        for keys, action, description, show in texts.PALETTE_KEYS
    ]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("placeholder", texts.PALETTE_PLACEHOLDER)
        super().__init__(**kwargs)

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's own, with the line in Danish.
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(texts.PALETTE_NO_MATCHES, style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
