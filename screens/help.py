"""F1: help for where you are, with the concepts in plain Danish. Focus returns on close."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Markdown

from screens import texts
from screens.base import host
from screens.keys import keymap_help
from screens.widgets import AppFooter


class HelpScreen(ModalScreen[None]):
    """The help text of one screen (`texts.HELP[key]`), the words and the keys."""

    BINDINGS = [
        Binding("escape,q,Q", "dismiss", texts.B_BACK[0], tooltip=texts.B_BACK[1], id="help.close"),
    ]

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Markdown(texts.HELP.get(self.key, texts.HELP["home"]))
            yield Markdown(texts.HELP_CONCEPTS)
            yield Markdown(texts.HELP_KEYS)
            yield Markdown(keymap_help(self.app.BINDINGS, host(self).user_keymap))
            yield Label(texts.HELP_CLOSE, classes="muted")
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#help-box").focus()
