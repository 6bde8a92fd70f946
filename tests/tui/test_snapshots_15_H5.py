"""Snapshots of the follow-up screens of issue 15 (H5) at 80x24 and 120x40, with a fixed clock
(1 May 2026) and fixed data (`tests.test_followup.build_followup`): the overview of
evalueringer that fall due, the evalueringer screen with the status, and a målplan's læring.

Update after a deliberate change:
`.venv/bin/pytest tests/tui/test_snapshots_15_H5.py --snapshot-update`."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.test_followup import build_followup, days
from tests.tui.helpers import FakeClock, settle

SIZES = [(80, 24), (120, 40)]
NOW = datetime(2026, 5, 1, 9, 30)


def _fixed_db(name: str) -> tuple[Path, dict[str, str]]:
    folder = Path(tempfile.gettempdir()) / "udviklingsdag-snapshots"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    ids = build_followup(path)
    from models.db import open_database
    from models.store import Store

    db = open_database(str(path))
    s = Store(db)
    s.create(
        "laering",
        proevehandling_id=ids["ph3"],
        dato=days(-2),
        tekst="Samtalerne virker, når de ligger fast i skemaet.",
        hvem="Anne Holm",
    )
    s.create(
        "laering",
        maalplan_id=ids["plan_skole"],
        dato=days(-1),
        tekst="Vi skal aftale tidligere, hvem der evaluerer.",
    )
    s.create(
        "laering",
        proevehandling_id=ids["ph1"],
        dato=days(-12),
        tekst="Morgenmødet giver ro, men tager tid fra første lektion.",
        hvem="Jonas",
    )
    db.close()
    return path, ids


def _app(name: str) -> tuple[Any, dict[str, str]]:
    from tui.app import UdviklingsdagApp

    path, ids = _fixed_db(name)
    return UdviklingsdagApp(str(path), clock=FakeClock(NOW)), ids


async def _still(pilot: Any) -> None:
    from textual.widgets import Input, TextArea

    app = pilot.app
    await settle(app, pilot)
    for widget in app.screen.query("*"):
        if isinstance(widget, Input | TextArea):
            widget.cursor_blink = False
    await pilot.pause()


async def _ready(pilot: Any) -> None:
    await settle(pilot.app, pilot)
    pilot.app.workspace.clock = pilot.app.clock


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_forfald(snap_compare, size) -> None:
    app, _ids = _app(f"forfald-{size[0]}")

    async def run_before(pilot: Any) -> None:
        await _ready(pilot)
        pilot.app.action_forfald()
        await _still(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_evalueringer_with_status(snap_compare, size) -> None:
    app, ids = _app(f"evalueringer-status-{size[0]}")

    async def run_before(pilot: Any) -> None:
        from screens.evalueringer import EvalueringerScreen

        await _ready(pilot)
        pilot.app.push_screen(EvalueringerScreen(ids["ph3"]))
        await _still(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_laering_of_a_maalplan(snap_compare, size) -> None:
    app, ids = _app(f"laering-{size[0]}")

    async def run_before(pilot: Any) -> None:
        await _ready(pilot)
        pilot.app.open_laering(maalplan_id=ids["plan_skole"])
        await _still(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
