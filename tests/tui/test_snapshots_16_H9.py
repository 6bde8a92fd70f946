"""Snapshots of the Plan A screen (issue 16) at 80x24 and 120x40, and the palette's picker of
målplaner. Fixed clock and data.

Update after a deliberate change:
`.venv/bin/pytest tests/tui/test_snapshots_16_H9.py --snapshot-update`, then look at the SVGs."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from tests.tui.helpers import settle
from tests.tui.test_plan_a import _app, build

SIZES = [(80, 24), (120, 40)]
_IDS: dict[str, dict[str, str]] = {}


def _built(name: str):
    folder = Path(tempfile.gettempdir()) / "udviklingsdag-snapshots"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    _IDS[name] = build(path)
    return _app(path)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_plan_a(snap_compare, size) -> None:
    name = f"plan-a-{size[0]}"
    app = _built(name)

    async def run_before(pilot) -> None:
        await settle(pilot.app, pilot)
        pilot.app.open_plan_a(_IDS[name]["plan"])
        await settle(pilot.app, pilot)
        pilot.app.screen.query_one("#plan-a-outdir").value = "/tmp/plakater"
        await settle(pilot.app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_plan_a_picker(snap_compare) -> None:
    app = _built("plan-a-picker")

    async def run_before(pilot) -> None:
        await settle(pilot.app, pilot)
        pilot.app.action_plan_a()
        await settle(pilot.app, pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
