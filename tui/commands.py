"""The command palette (Ctrl+P): the app's useful commands, offered where they make sense."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from screens import texts


class UdviklingsdagCommands(Provider):
    """Navigation and actions in Danish; table-bound commands only once a table is chosen."""

    def _commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        app: Any = self.app
        if getattr(app, "store", None) is None:
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
        if getattr(app, "bord_id", None):
            wanted[1:1] = ["table", "deltagere", "close_day"]
        actions: dict[str, Callable[[], Any]] = {
            "home": app.go_home,
            "table": app.go_table,
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
