"""Snapshots of the main screens at 80x24 and 120x40, with a fixed clock, a fixed database path
and no blinking cursor, so they change only when the screens do.

Update after a deliberate change: `.venv/bin/pytest tests/tui/test_snapshots.py --snapshot-update`
and look at the new SVG files before committing them."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from tests.tui.helpers import FakeClock, build_small, settle

SIZES = [(80, 24), (120, 40)]


def _fixed_db(name: str) -> Path:
    folder = Path(tempfile.gettempdir()) / "udviklingsdag-snapshots"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    build_small(path)
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
def test_home(snap_compare, size) -> None:
    assert snap_compare(_app(f"home-{size[0]}"), terminal_size=size, run_before=_still)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_bord(snap_compare, size) -> None:
    assert snap_compare(_app(f"bord-{size[0]}"), terminal_size=size, run_before=_to_bord)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_maal(snap_compare, size) -> None:
    async def run_before(pilot) -> None:
        await _to_bord(pilot)
        await pilot.press("enter")
        await _still(pilot)

    assert snap_compare(_app(f"maal-{size[0]}"), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_programme(snap_compare, size) -> None:
    async def run_before(pilot) -> None:
        await _to_bord(pilot)
        await pilot.press("f3")
        await _still(pilot)
        await pilot.press("f5")
        await _still(pilot)

    assert snap_compare(_app(f"day-{size[0]}"), terminal_size=size, run_before=run_before)


def test_tegn_form(snap_compare) -> None:
    async def run_before(pilot) -> None:
        await _to_bord(pilot)
        await pilot.press("enter")
        await _still(pilot)
        await pilot.press("enter")  # edit the tegn
        await _still(pilot)

    assert snap_compare(_app("form-120"), terminal_size=(120, 40), run_before=run_before)
