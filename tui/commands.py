"""The command palette (Ctrl+P): the app's useful commands, offered where they make sense."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

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
