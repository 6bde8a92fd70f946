"""Shared helpers for the Pilot and snapshot tests: a small workshop built through the Store,
a fixed clock, waiting until the database queue is idle, and a bare host for one screen."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pytest
from textual.app import App

if TYPE_CHECKING:
    from models.db import Database
    from models.workspace import Workspace

T = TypeVar("T")

FIXED_NOW = datetime(2026, 12, 3, 10, 42, 0)


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = FIXED_NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        from datetime import timedelta

        self.now = self.now + timedelta(seconds=seconds)


def build_small(path: Path, *, with_day: bool = True, dagdel: str = "del1") -> dict[str, Any]:
    """Organisation, one målsætning with two mål and (optionally) a day with one table."""
    from models import settings
    from models.db import open_database
    from models.store import Store

    db = open_database(str(path), device_name="Testbærbar")
    try:
        s = Store(db)
        ids: dict[str, Any] = {}
        with s.action() as tx:
            top = s.create("enhed", navn="Børn og Velfærd", type="direktoeromraade", tx=tx)
            afd = s.create(
                "enhed", navn="Skole og Dagtilbud", type="afdeling", parent_id=top, tx=tx
            )
            ids["skole"] = s.create(
                "enhed", navn="Nordlys Skole", type="enhed", parent_id=afd, tx=tx
            )
            ids["ppr"] = s.create("enhed", navn="PPR", type="enhed", parent_id=afd, tx=tx)
            ids["fam"] = s.create("enhed", navn="Familiehuset", type="enhed", parent_id=afd, tx=tx)
            ids["ms"] = s.create(
                "maalsaetning", tekst="Flere børn trives i fællesskaber.", kilde="politik", tx=tx
            )
            ids["m1"] = s.create(
                "maal",
                maalsaetning_id=ids["ms"],
                enhed_id=ids["skole"],
                tekst="Alle elever har en voksen, de kan gå til.",
                ansvarlig="Anne Holm",
                tx=tx,
            )
            ids["m2"] = s.create(
                "maal",
                maalsaetning_id=ids["ms"],
                enhed_id=ids["fam"],
                tekst="Flere forældre deltager i netværksgrupper.",
                ansvarlig="Jonas Krogh",
                tx=tx,
            )
            if with_day:
                ids["dag"] = s.create(
                    "udviklingsdag",
                    titel="Fællesskaber del 1",
                    dagdel=dagdel,
                    dato=date(2026, 12, 3),
                    starttid="09:00",
                    tx=tx,
                )
                s.create(
                    "programblok", udviklingsdag_id=ids["dag"], titel="Velkomst", minutter=15, tx=tx
                )
                s.create(
                    "programblok",
                    udviklingsdag_id=ids["dag"],
                    titel="Tegn for hvert mål",
                    minutter=60,
                    tx=tx,
                )
                ids["bord"] = s.create(
                    "bord",
                    udviklingsdag_id=ids["dag"],
                    navn="Bord 1",
                    facilitator="Maria Thomsen",
                    maal_ids=[ids["m1"], ids["m2"]],
                    tx=tx,
                )
        s.create(
            "tegn",
            maal_id=ids["m1"],
            tekst="Eleverne opsøger selv en voksen",
            type="kvalitativ",
            datakilde="Gårdvagternes noter",
        )
        s.set_setting(settings.DEVICE_NAMED.key, "1")
        if with_day:
            s.set_setting(settings.CHOSEN_UDVIKLINGSDAG.key, ids["dag"])
            s.set_setting(settings.CHOSEN_BORD.key, ids["bord"])
        return ids
    finally:
        db.close()


async def settle(app: Any, pilot: Any, rounds: int = 3) -> None:
    """Let queued database calls finish and the screen catch up."""
    for _ in range(rounds):
        await app.settle()
        await pilot.pause()


async def wait_debounce(app: Any, pilot: Any) -> None:
    """Wait past the autosave pause, then for the write."""
    import asyncio

    await asyncio.sleep(0.75)
    await settle(app, pilot)


def hold_database_open(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """From now on, opening a database waits until the test sets the returned event (the
    first screen is then up without the database: what a slow disk or a large file shows)."""
    import models.db

    gate = threading.Event()
    real = models.db.open_database

    def held(target: str, **kw: Any) -> Any:
        assert gate.wait(20), "the test never let the database open"
        return real(target, **kw)

    monkeypatch.setattr(models.db, "open_database", held)
    return gate


def read(path: Path, entity: str, **where: Any) -> list[dict[str, Any]]:
    """Live rows straight from the database file (a fresh connection: what is on disk)."""
    from models.db import open_database
    from models.queries import live_rows

    db = open_database(str(path))
    try:
        return live_rows(db, entity, **where)
    finally:
        db.close()


def run_async(fn: Any) -> Any:
    """Run an async test without an asyncio pytest plugin (none is installed)."""
    import asyncio
    import functools

    @functools.wraps(fn)
    def wrapper(*args: Any, **kw: Any) -> Any:
        return asyncio.run(fn(*args, **kw))

    return wrapper


def prompt_text(prompt: Any, width: int = 200) -> str:
    """The plain text of an option prompt (a Text or a Rich renderable such as a grid)."""
    from rich.console import Console

    console = Console(width=width, record=True, file=__import__("io").StringIO())
    console.print(prompt)
    return " ".join(line.strip() for line in console.export_text().splitlines())


class QueueHost(App[None]):
    """A bare App that hosts one screen (`screens.base.Host`'s `read` and `write`): a
    workspace on `db` and its one database queue. Errors are kept in `errors`."""

    def __init__(self, db: Database) -> None:
        from models.workspace import Workspace
        from tui.jobs import DbQueue

        super().__init__()
        self.workspace = Workspace(db)
        self.clock = FakeClock()  # `screens.base.Host.clock`
        self.errors: list[Exception] = []
        self.jobs = DbQueue(self, self.errors.append)

    def read(
        self,
        call: Callable[[Workspace], T],
        *,
        done: Callable[[T], object] | None = None,
        error: Callable[[Exception], object] | None = None,
    ) -> None:
        self.jobs.submit(call, self.workspace, done=done, error=error)

    write = read


async def assert_reachable(pilot: Any, widget: Any, *, min_width: int = 3) -> None:
    """Assert that a user at this terminal size can reach `widget` with the keyboard: it is on
    screen, or the screen's own scrolling brings it there, and then it is really drawn (not
    clipped by its container, not beyond the terminal's edge, not under a toast or another
    layer) and wide enough to read (`min_width` cells). Being in the DOM is not enough."""
    from textual.errors import NoWidget

    screen = pilot.app.screen
    widget.scroll_visible(animate=False, immediate=True)
    await pilot.pause()
    await pilot.pause()
    try:
        geometry = screen.find_widget(widget)
    except NoWidget:
        raise AssertionError(f"{widget!r} is not displayed at {screen.size}") from None
    shown = geometry.region.intersection(geometry.clip).intersection(screen.region)
    assert shown.width >= min(min_width, geometry.region.width) and shown.height >= 1, (
        f"{widget!r} is not on screen at {screen.size}: region {geometry.region}, "
        f"clip {geometry.clip}"
    )
    x, y = shown.x + shown.width // 2, shown.y + shown.height // 2
    try:
        top, _ = screen.get_widget_at(x, y)
    except NoWidget:  # pragma: no cover - a region on screen always has a widget
        raise AssertionError(f"nothing is drawn where {widget!r} should be") from None
    assert top is widget or widget in top.ancestors, (
        f"{widget!r} is covered by {top!r} at ({x}, {y}) on a {screen.size} screen"
    )


async def assert_all_reachable(pilot: Any, *selectors: str) -> None:
    """`assert_reachable` for the first widget each selector finds on the current screen."""
    for selector in selectors:
        await assert_reachable(pilot, pilot.app.screen.query_one(selector))
