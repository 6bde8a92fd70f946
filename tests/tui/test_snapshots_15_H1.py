"""Snapshots of a lederdag bord (issue 15) at 80x24 and 120x40: its målsætninger with the mål
written for them (one målsætning still without a mål) and a new mål's form, with a fixed clock,
a fixed database path and no blinking cursor.

Update after a deliberate change:
`.venv/bin/pytest tests/tui/test_snapshots_15_H1.py --snapshot-update`, then look at the SVGs."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from tests.tui.helpers import FakeClock, build_small, settle

SIZES = [(80, 24), (120, 40)]


def _fixed_db(name: str) -> Path:
    from models.db import open_database
    from models.store import Store

    folder = Path(tempfile.gettempdir()) / "udviklingsdag-snapshots"
    folder.mkdir(exist_ok=True)
    path = folder / f"lederdag-{name}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    ids = build_small(path, dagdel="lederdag")
    db = open_database(str(path))
    try:
        s = Store(db)
        # (fixed ids: the snapshot shows none, but the order of equal rows follows them)
        ms2 = s.create(
            "maalsaetning",
            tekst="Flere unge gennemfører en uddannelse.",
            row_id="00000000-0000-4000-8000-000000000002",
        )
        s.update("maal", ids["m1"], mulige_partnere="PPR\nForeningen Aftenløb", fra_aar=2027)
        s.update("maal", ids["m1"], til_aar=2029)
        s.update("bord", ids["bord"], maalsaetning_ids=[ids["ms"], ms2])
    finally:
        db.close()
    return path


def _app(name: str):
    from tui.app import UdviklingsdagApp

    return UdviklingsdagApp(str(_fixed_db(name)), clock=FakeClock())


async def _still(pilot) -> None:
    from textual.widgets import Input, TextArea

    app = pilot.app
    await settle(app, pilot)
    for widget in app.screen.query("*"):
        if isinstance(widget, Input | TextArea):
            widget.cursor_blink = False
    await pilot.pause()


async def _to_bord(pilot) -> None:
    await settle(pilot.app, pilot)
    pilot.app.screen.open_bord()
    await _still(pilot)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_lederdag_bord(snap_compare, size) -> None:
    assert snap_compare(_app(f"bord-{size[0]}"), terminal_size=size, run_before=_to_bord)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_lederdag_new_maal(snap_compare, size) -> None:
    async def run_before(pilot) -> None:
        await _to_bord(pilot)
        await pilot.press("insert")
        await _still(pilot)

    assert snap_compare(_app(f"form-{size[0]}"), terminal_size=size, run_before=run_before)
