"""Snapshots of the årshjul (issue 15) at 80x24 and 120x40: the table of målplaner under the
band of the year's fixed points, and one plan's year. Fixed clock and data.

Update after a deliberate change:
`.venv/bin/pytest tests/tui/test_snapshots_15_H6.py --snapshot-update`, then look at the SVGs."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from tests.tui.helpers import FakeClock, settle
from tests.tui.test_aarshjul import with_plans

SIZES = [(80, 24), (120, 40)]


def _app(name: str):
    from tui.app import UdviklingsdagApp

    folder = Path(tempfile.gettempdir()) / "udviklingsdag-snapshots"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    with_plans(path)
    return UdviklingsdagApp(str(path), clock=FakeClock())


async def _still(pilot) -> None:
    from textual.widgets import Input

    app = pilot.app
    await settle(app, pilot)
    for widget in app.screen.query(Input):
        widget.cursor_blink = False
    await pilot.pause()


async def _to_aarshjul(pilot) -> None:
    await settle(pilot.app, pilot)
    await pilot.press("a")
    await _still(pilot)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_aarshjul(snap_compare, size) -> None:
    app = _app(f"aarshjul-{size[0]}")
    assert snap_compare(app, terminal_size=size, run_before=_to_aarshjul)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_aarshjul_plan(snap_compare, size) -> None:
    async def run_before(pilot) -> None:
        await _to_aarshjul(pilot)
        await pilot.press("n", "o", "r", "d")  # the filter: Nordlys Skole
        await _still(pilot)
        await pilot.press("enter")
        await _still(pilot)

    app = _app(f"aarshjul-plan-{size[0]}")
    assert snap_compare(app, terminal_size=size, run_before=run_before)
