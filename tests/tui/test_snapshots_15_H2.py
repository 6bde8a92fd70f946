"""Snapshots of the målinger screen with its run chart (issue 15) at 80x24 and 120x40, with a
fixed clock and fixed data (`tests.maalinger_data`), so they change only when the screen does.

Update after a deliberate change:
`.venv/bin/pytest tests/tui/test_snapshots_15_H2.py --snapshot-update` and look at the SVGs."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest

from tests.maalinger_data import add_maalinger
from tests.tui.helpers import FakeClock, build_small, settle

SIZES = [(80, 24), (120, 40)]


def _app(name: str, tegn: str) -> Any:
    from tui.app import UdviklingsdagApp

    folder = Path(tempfile.gettempdir()) / "udviklingsdag-snapshots"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    ids = add_maalinger(path, build_small(path))
    app = UdviklingsdagApp(str(path), clock=FakeClock())
    app.snapshot_tegn_id = ids[tegn]
    return app


async def _open(pilot: Any) -> None:
    app = pilot.app
    await settle(app, pilot)
    app.open_maalinger(app.snapshot_tegn_id)
    await settle(app, pilot)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_run_chart(snap_compare: Any, size: tuple[int, int]) -> None:
    app = _app(f"runchart-{size[0]}", "tegn_k")
    assert snap_compare(app, terminal_size=size, run_before=_open)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_observations(snap_compare: Any, size: tuple[int, int]) -> None:
    app = _app(f"observationer-{size[0]}", "tegn_q")
    assert snap_compare(app, terminal_size=size, run_before=_open)
