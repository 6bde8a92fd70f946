"""The first screen: painted at once while the database layer loads in a worker."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Label, LoadingIndicator

# Plain Python: no SQLAlchemy, which this screen exists to avoid.
from models.paths import shown_address
from screens import texts


class LoadingScreen(Screen[None]):
    """«Åbner databasen …» with the path, until the home screen replaces it."""

    HELP_KEY = "home"

    def __init__(self, target: str) -> None:
        super().__init__()
        self.target = target

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Label(texts.APP_TITLE, id="loading-title")
            yield Label(texts.LOADING)
            yield LoadingIndicator()
            yield Label(
                Text(texts.LOADING_WHERE.format(target=shown_address(self.target))),
                id="loading-where",
            )
