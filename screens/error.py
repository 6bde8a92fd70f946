"""A database that cannot be opened: a clear Danish message instead of a traceback."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Label, Static

from models.visible import visible
from screens import texts
from screens.widgets import AppFooter


class ErrorScreen(Screen[None]):
    """Shows the error's message (already a complete Danish sentence) and how to go on."""

    HELP_KEY = "error"
    BINDINGS = [
        Binding(
            "q,Q,escape", "app.quit", texts.B_QUIT[0], tooltip=texts.B_QUIT[1], id="error.quit"
        ),
    ]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        # A long message (a path, the reason) scrolls inside the box on a small terminal.
        with VerticalScroll(id="error-box"):
            yield Label(texts.DB_ERROR_TITLE, id="error-title")
            yield Static(Text(visible(self.message, multiline=True)), id="error-message")
            yield Static(texts.DB_ERROR_HINT, id="error-hint")
        yield AppFooter()
