"""What a screen may ask of the App: run a call on the workspace in the database queue.

Screens do not import the App (the packages point one way: `tui -> screens -> models`); they
reach it through `host(node)`, typed by the `Host` protocol that `tui.app.UdviklingsdagApp`
implements."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, TypeVar, cast

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from models.workspace import Workspace

T = TypeVar("T")


class Host(Protocol):
    """The App as the screens see it."""

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


def host(node: DOMNode) -> Host:
    """The App of `node`, typed as what a screen may ask of it."""
    return cast("Host", node.app)
