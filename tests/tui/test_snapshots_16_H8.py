"""Snapshots of the August status (issue 16): the year's mål under their politik and
målsætning with the roll-up, at 80x24 and 120x40 (the detail pane beside the list), and the
form that sets a mål's assessment. Fixed clock and data (the demo).

Update after a deliberate change:
`.venv/bin/pytest tests/tui/test_snapshots_16_H8.py --snapshot-update`, then look at the SVGs."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest

from tests.tui.helpers import FakeClock, settle
from tests.tui.test_vurdering import with_demo

SIZES = [(80, 24), (120, 40)]


def _app(name: str) -> Any:
    from tui.app import UdviklingsdagApp

    folder = Path(tempfile.gettempdir()) / "udviklingsdag-snapshots"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    with_demo(path)
    return UdviklingsdagApp(str(path), clock=FakeClock())


async def _to_report(pilot: Any, downs: int = 0) -> None:
    app = pilot.app
    await settle(app, pilot)
    app.action_augustrapport()
    await settle(app, pilot, rounds=5)
    for _ in range(downs):
        await pilot.press("down")
    await settle(app, pilot)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_augustrapport(snap_compare: Any, size: tuple[int, int]) -> None:
    app = _app(f"augustrapport-{size[0]}")
    assert snap_compare(app, terminal_size=size, run_before=_to_report)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_augustrapport_maal(snap_compare: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await _to_report(pilot, downs=3)  # the first mål

    app = _app(f"augustrapport-maal-{size[0]}")
    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_vurdering_form(snap_compare: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await _to_report(pilot, downs=3)
        await pilot.press("enter")
        await settle(pilot.app, pilot)
        for area in pilot.app.screen.query("TextArea"):
            area.cursor_blink = False
        await pilot.pause()

    app = _app("vurdering-form")
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
