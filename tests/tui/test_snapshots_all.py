"""Snapshots of every screen and modal at 80x24 and 120x40 (issue 13), with a fixed clock, a
fixed database path, a fixed home folder and no blinking cursor, so they change only when the
screens do. tests/tui/test_snapshots.py has the home, bord, mål and programme screens.

Each screen is opened the way the app opens it (its action or method), not by key presses,
so a changed key does not change which screen is drawn.

Update after a deliberate change:
`.venv/bin/pytest tests/tui/test_snapshots_all.py --snapshot-update` and look at the new SVG
files before committing them."""

from __future__ import annotations

import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from tests.tui.helpers import FakeClock, build_small, settle

SIZES = [(80, 24), (120, 40)]
SIZE_IDS = [f"{w}x{h}" for w, h in SIZES]
FOLDER = Path(tempfile.gettempdir()) / "udviklingsdag-snapshots"

Steps = Callable[[Any, dict[str, str]], Awaitable[None]]


@pytest.fixture(autouse=True)
def _fixed_home(monkeypatch: pytest.MonkeyPatch) -> None:
    """The folder pickers start in the home folder: a fixed, nearly empty one."""
    home = FOLDER / "home"
    (home / "USB-stik").mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))


def _fixed_db(name: str) -> tuple[Path, dict[str, str]]:
    """The small workshop with a prøvehandling, a samarbejde and an evaluering on mål 1."""
    from models.db import open_database
    from models.store import Store

    FOLDER.mkdir(exist_ok=True)
    path = FOLDER / f"{name}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    ids = build_small(path)
    db = open_database(str(path))
    try:
        store = Store(db)
        ids["ph"] = store.create(
            "proevehandling",
            maal_id=ids["m1"],
            tekst="Gårdvagterne spørger hver dag tre elever, hvem de går til.",
            ansvarlig="Anne Holm",
        )
        store.create("samarbejde", maal_id=ids["m1"], partner_ids=[ids["ppr"]], niveau="viden")
        store.create(
            "evaluering", proevehandling_id=ids["ph"], type="undervejs", effekt="Flere spørger."
        )
    finally:
        db.close()
    return path, ids


async def _still(pilot) -> None:
    from textual.widgets import Input, TextArea

    app = pilot.app
    await settle(app, pilot)
    for widget in app.screen.query("*"):
        if isinstance(widget, Input | TextArea):
            widget.cursor_blink = False
    await pilot.pause()


async def _to_bord(app, ids: dict[str, str]) -> None:
    app.open_bord(ids["bord"], ids["dag"])


async def _to_maal(app, ids: dict[str, str]) -> None:
    app.open_bord(ids["bord"], ids["dag"])
    app.open_maal(ids["m1"], bord_id=ids["bord"])


def _snap(snap_compare, name: str, size: tuple[int, int], *steps: Steps) -> bool:
    """Open the app on a fresh fixed database, take `steps` (each waits for the database
    queue after it), then compare the screen with the stored SVG."""
    from tui.app import UdviklingsdagApp

    path, ids = _fixed_db(f"all-{name}-{size[0]}")
    app = UdviklingsdagApp(str(path), clock=FakeClock())

    async def run_before(pilot) -> None:
        await _still(pilot)
        for step in steps:
            await step(pilot.app, ids)
            await _still(pilot)

    return bool(snap_compare(app, terminal_size=size, run_before=run_before))


# --- the tovholder's screens -------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_prepare(snap_compare, size) -> None:
    async def open_(app, _ids) -> None:
        app.action_prepare()

    assert _snap(snap_compare, "prepare", size, open_)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_prepare_maal_tab(snap_compare, size) -> None:
    async def open_(app, _ids) -> None:
        app.action_prepare()

    async def tab(app, _ids) -> None:
        from textual.widgets import TabbedContent

        app.screen.query_one("#prep-tabs", TabbedContent).active = "tab-maal"

    assert _snap(snap_compare, "prepare-maal", size, open_, tab)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_maalplan_form(snap_compare, size) -> None:
    async def open_(app, _ids) -> None:
        app.action_prepare()

    async def form(app, _ids) -> None:
        app.screen.open_form("maalplan", None)

    assert _snap(snap_compare, "maalplan-form", size, open_, form)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_consolidation(snap_compare, size) -> None:
    async def open_(app, _ids) -> None:
        app.action_consolidation()

    assert _snap(snap_compare, "consolidation", size, open_)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_conflict_dialog(snap_compare, size) -> None:
    async def open_(app, ids) -> None:
        from models.conflicts import Conflict, ConflictSide
        from screens.conflict import ConflictScreen

        def side(n: int, value: str, device: str) -> ConflictSide:
            return ConflictSide(
                change_id=f"change-{n}",
                field="tekst",
                field_label="Mål",
                value=value,
                shown=value,
                device_id=f"device-{n}",
                device_name=device,
                hlc=f"2026-12-03T10:4{n}:00.000Z-0000-device-{n}",
                time=f"3.12.2026 10:4{n}",
                before="Flere forældre deltager i netværksgrupper.",
            )

        conflict = Conflict(
            kind="felt",
            entity="maal",
            row_id=ids["m2"],
            field="tekst",
            title="Flere forældre deltager i netværksgrupper.",
            heads=("change-1", "change-2"),
            sides=(
                side(1, "Flere forældre deltager i netværksgrupper hver måned.", "Bord 1 - Anne"),
                side(2, "Flere forældre og bedsteforældre deltager i grupperne.", "Bord 2 - Jens"),
            ),
        )
        app.action_consolidation()
        app.push_screen(ConflictScreen(conflict))

    assert _snap(snap_compare, "conflict", size, open_)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_kladde(snap_compare, size) -> None:
    async def open_(app, _ids) -> None:
        from screens.kladde import KladdeScreen

        app.action_consolidation()
        app.push_screen(KladdeScreen())

    assert _snap(snap_compare, "kladde", size, open_)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_export(snap_compare, size) -> None:
    async def open_(app, _ids) -> None:
        app.action_export()

    assert _snap(snap_compare, "export", size, open_)


# --- the facilitator's screens and the modals ---------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_help(snap_compare, size) -> None:
    async def open_(app, _ids) -> None:
        app.action_help()

    assert _snap(snap_compare, "help", size, open_)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_name_device(snap_compare, size) -> None:
    async def open_(app, _ids) -> None:
        app.action_rename()

    assert _snap(snap_compare, "name-device", size, open_)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_confirm_dialog(snap_compare, size) -> None:
    async def open_(app, _ids) -> None:
        from screens.forms import ConfirmScreen

        app.push_screen(ConfirmScreen("Slet tegnet «Eleverne opsøger selv en voksen»?"))

    assert _snap(snap_compare, "confirm", size, _to_maal, open_)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_close_day(snap_compare, size) -> None:
    async def open_(app, _ids) -> None:
        app.action_close_day()

    assert _snap(snap_compare, "close-day", size, _to_bord, open_)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_deltagere(snap_compare, size) -> None:
    async def open_(app, _ids) -> None:
        app.action_deltagere()

    assert _snap(snap_compare, "deltagere", size, _to_bord, open_)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_notes(snap_compare, size) -> None:
    async def open_(app, _ids) -> None:
        app.screen.action_notes()

    assert _snap(snap_compare, "notes", size, _to_bord, open_)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_qr(snap_compare, size) -> None:
    async def open_(app, _ids) -> None:
        app.screen.action_qr()

    assert _snap(snap_compare, "qr", size, _to_maal, open_)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_evalueringer(snap_compare, size) -> None:
    async def open_(app, ids) -> None:
        from screens.evalueringer import EvalueringerScreen

        app.push_screen(EvalueringerScreen(ids["ph"]))

    assert _snap(snap_compare, "evalueringer", size, _to_maal, open_)


@pytest.mark.parametrize("entity", ["tegn", "proevehandling", "samarbejde"])
@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_maal_forms(snap_compare, size, entity) -> None:
    """The three record forms of a mål, new (the form a group fills in most)."""

    async def open_(app, _ids) -> None:
        app.screen.open_form(entity, None)

    assert _snap(snap_compare, f"form-{entity}", size, _to_maal, open_)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_evaluering_form(snap_compare, size) -> None:
    async def open_(app, ids) -> None:
        from screens.evalueringer import EvalueringerScreen

        app.push_screen(EvalueringerScreen(ids["ph"]))

    async def form(app, _ids) -> None:
        app.screen.open_form(None)

    assert _snap(snap_compare, "form-evaluering", size, _to_maal, open_, form)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_deltager_form(snap_compare, size) -> None:
    async def open_(app, _ids) -> None:
        app.action_deltagere()

    async def form(app, _ids) -> None:
        app.screen.open_form(None)

    assert _snap(snap_compare, "form-deltager", size, _to_bord, open_, form)
