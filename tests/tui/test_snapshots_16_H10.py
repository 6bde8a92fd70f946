"""Snapshots of «Nyt år» (issue 16) at 80x24 and 120x40: the proposal for 2026 with its ticks
and what is not carried, and the question before it starts. Fixed clock and data.

Update after a deliberate change:
`.venv/bin/pytest tests/tui/test_snapshots_16_H10.py --snapshot-update`, then look at the SVGs."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from tests.tui.helpers import FakeClock, settle
from tests.tui.test_nyt_aar import _built

SIZES = [(80, 24), (120, 40)]


def _app(name: str):
    from tui.app import UdviklingsdagApp

    folder = Path(tempfile.gettempdir()) / "udviklingsdag-snapshots"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    _built(path)
    return UdviklingsdagApp(str(path), clock=FakeClock())


async def _to_nyt_aar(pilot) -> None:
    from textual.widgets import Select

    app = pilot.app
    await settle(app, pilot)
    app.action_nyt_aar()
    await settle(app, pilot)
    app.screen.query_one("#nyt-aar-year", Select).value = 2026
    await settle(app, pilot)
    app.screen.query_one("#nyt-aar-list").focus()
    await settle(app, pilot)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_nyt_aar(snap_compare, size) -> None:
    app = _app(f"nyt-aar-{size[0]}")
    assert snap_compare(app, terminal_size=size, run_before=_to_nyt_aar)


def test_nyt_aar_question(snap_compare) -> None:
    async def run_before(pilot) -> None:
        await _to_nyt_aar(pilot)
        await pilot.press("f7")
        await settle(pilot.app, pilot)

    app = _app("nyt-aar-question")
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
