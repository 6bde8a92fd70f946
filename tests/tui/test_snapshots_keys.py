"""Snapshots of issue 13's key dialogs at 80x24 and 120x40: the delete question on the mål
screen, the udkast question of a new record, and the read view of a long tegn.

Update after a deliberate change: `.venv/bin/pytest tests/tui/test_snapshots_keys.py
--snapshot-update` and look at the new SVG files before committing them."""

from __future__ import annotations

import pytest

from tests.tui.test_snapshots import SIZES, _app, _still, _to_bord


async def _to_maal(pilot) -> None:
    await _to_bord(pilot)
    await pilot.press("enter")
    await _still(pilot)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_maal_delete_question(snap_compare, size) -> None:
    async def run_before(pilot) -> None:
        await _to_maal(pilot)
        await pilot.press("delete")
        await _still(pilot)

    assert snap_compare(_app(f"keys-delete-{size[0]}"), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_draft_question(snap_compare, size) -> None:
    async def run_before(pilot) -> None:
        await _to_maal(pilot)
        await pilot.press("insert")
        await _still(pilot)
        pilot.app.screen.query_one("#f-datakilde").focus()
        await pilot.press("T", "r", "i", "v", "s", "e", "l")
        await pilot.press("escape")
        await _still(pilot)

    assert snap_compare(_app(f"keys-udkast-{size[0]}"), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_read_view(snap_compare, size) -> None:
    async def run_before(pilot) -> None:
        await _to_maal(pilot)
        await pilot.press("space")
        await _still(pilot)

    assert snap_compare(_app(f"keys-read-{size[0]}"), terminal_size=size, run_before=run_before)
