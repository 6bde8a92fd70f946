"""The first screen: painted at once while the database layer loads in a worker."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Label, LoadingIndicator

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
                Text(texts.LOADING_WHERE.format(target=_redact(self.target))), id="loading-where"
            )


def _redact(target: str) -> str:
    # No password in any form of address (userinfo, ?password=, password=...); the shared
    # function is plain Python (no SQLAlchemy, which this screen exists to avoid).
    from models.paths import redact_address
    from models.visible import visible

    return visible(redact_address(target), 200)
