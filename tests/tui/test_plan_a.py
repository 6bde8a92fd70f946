"""The Plan A screen (screens/plan_a.py) at 80x24 and 120x40: every control reachable; a forskel
written by keyboard is saved on the plan (and what is missing follows), Ctrl+Z takes it back;
an indicator chosen with the space bar; the poster exported by keyboard (Ctrl+E) to the folder
typed; the palette's picker opens a plan."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from textual.widgets import Input, OptionList

from tests.tui.helpers import FakeClock, assert_all_reachable, read, run_async, settle

SIZE = (80, 24)


def build(path: Path) -> dict[str, str]:
    from models.db import open_database
    from models.workspace import Workspace

    ws = Workspace(open_database(str(path), device_name="Testbærbar"))
    ids = {"enhed": ws.create("enhed", {"navn": "Hjemmeplejen"})}
    ids["ms"] = ws.create("maalsaetning", {"tekst": "Borgerne klarer mere selv"})
    ids["plan"] = ws.create(
        "maalplan",
        {"enhed_id": ids["enhed"], "aar": 2026, "titel": "Målplan 2026", "plan_a": [1, 6]},
    )
    ids["maal"] = ws.create(
        "maal",
        {
            "maalsaetning_id": ids["ms"],
            "maalplan_id": ids["plan"],
            "tekst": "Halvdelen klarer selv badet",
            "ansvarlig": "Hanne Dahl",
            "fra_aar": 2026,
            "til_aar": 2026,
            "plan_a": [1, 6],
        },
    )
    ws.set_plan_a_forskel(ids["plan"], 6, "Færre sygedage")
    ws.close()
    return ids


def _app(path: Path) -> Any:
    from tui.app import UdviklingsdagApp

    return UdviklingsdagApp(str(path), clock=FakeClock(datetime(2026, 12, 3, 10, 0)))


def _forskel(path: Path, plan_id: str, indikator: int) -> str | None:
    rows = read(path, "plan_a_forskel", maalplan_id=plan_id)
    return next((r["forskel"] for r in rows if r["indikator"] == indikator), None)


def _missing(screen: Any) -> str:
    return str(screen.query_one("#plan-a-missing").render())


@run_async
async def test_write_a_forskel_undo_choose_and_export_by_keyboard(tmp_path: Path) -> None:
    from screens.plan_a import PlanAScreen
    from screens.widgets import AutoTextArea

    path = tmp_path / "p.db"
    ids = build(path)
    app = _app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_plan_a(ids["plan"])
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, PlanAScreen)
        await assert_all_reachable(
            pilot,
            "#plan-a-missing",
            "AutoSelectionList",
            "#plan-a-forskel-1",
            "#plan-a-maal-1",
            "#plan-a-forskel-6",
            "#plan-a-outdir",
            "#plan-a-export",
        )
        assert "Indikator 1 er valgt, men forskellen er ikke skrevet" in _missing(screen)
        assert not screen.query_one("#plan-a-ind-8").display
        assert screen.query_one("#plan-a-forskel-6", AutoTextArea).text == "Færre sygedage"
        assert "Halvdelen klarer selv badet" in str(screen.query_one("#plan-a-maal-1").render())

        # Write the forskel of indicator 1; Tab leaves the field and saves it.
        screen.query_one("#plan-a-forskel-1").focus()
        await pilot.press(*"Vi ser sammenhængen")
        await pilot.press("tab")
        await settle(app, pilot)
        assert _forskel(path, ids["plan"], 1) == "Vi ser sammenhængen"
        assert "Plakaten er klar" in _missing(screen)

        # Ctrl+Z (outside a text field) takes it back, on disk and on screen.
        screen.query_one("AutoSelectionList").focus()
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert _forskel(path, ids["plan"], 1) is None
        assert screen.query_one("#plan-a-forskel-1", AutoTextArea).text == ""
        assert "Indikator 1 er valgt" in _missing(screen)

        # Choose indicator 8: down to it, space.
        await pilot.press("home", *["down"] * 7, "space")
        await settle(app, pilot)
        plan = next(r for r in read(path, "maalplan") if r["id"] == ids["plan"])
        assert plan["plan_a"] == [1, 6, 8]
        assert screen.query_one("#plan-a-ind-8").display
        assert "Indikator 8 er valgt" in _missing(screen)

        # Export by keyboard: type the folder, Ctrl+E.
        outdir = tmp_path / "plakater"
        field = screen.query_one("#plan-a-outdir", Input)
        field.focus()
        field.value = ""
        await pilot.press(*str(outdir))
        await pilot.press("ctrl+e")
        await settle(app, pilot, rounds=6)
        names = sorted(p.name for p in outdir.iterdir())
        assert names == [
            "2026-12-03_PlanA_2026_Hjemmeplejen.docx",
            "2026-12-03_PlanA_2026_Hjemmeplejen.pdf",
        ]
        assert "Plakaten er gemt" in str(screen.query_one("#plan-a-status").render())
        await assert_all_reachable(pilot, "#plan-a-status")
        # The folder is remembered for the next time.
        from models import settings

        assert app.workspace.setting(settings.EXPORT_OUTDIR) == str(outdir)


@run_async
async def test_an_empty_folder_says_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    ids = build(path)
    app = _app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_plan_a(ids["plan"])
        await settle(app, pilot)
        app.screen.query_one("#plan-a-outdir", Input).value = "  "
        await pilot.press("f7")
        await settle(app, pilot)
        status = app.screen.query_one("#plan-a-status")
        assert "Skriv først, hvilken mappe" in str(status.render())
        assert status.has_class("-error")


@run_async
async def test_a_folder_that_is_a_file_is_said_in_danish_and_not_remembered(
    tmp_path: Path,
) -> None:
    from models import settings

    path = tmp_path / "p.db"
    ids = build(path)
    a_file = tmp_path / "ikke-en-mappe"
    a_file.write_text("x")
    app = _app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        before = app.workspace.setting(settings.EXPORT_OUTDIR)
        app.open_plan_a(ids["plan"])
        await settle(app, pilot)
        app.screen.query_one("#plan-a-outdir", Input).value = str(a_file)
        await pilot.press("ctrl+e")
        await settle(app, pilot, rounds=6)
        status = str(app.screen.query_one("#plan-a-status").render())
        assert "er en fil, ikke en mappe" in status and "fejlkode" not in status, status
        assert app.workspace.setting(settings.EXPORT_OUTDIR) == before
        assert a_file.read_text() == "x"


@run_async
async def test_wide_terminal_puts_the_maal_beside_the_text(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    ids = build(path)
    app = _app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.open_plan_a(ids["plan"])
        await settle(app, pilot)
        screen = app.screen
        area = screen.query_one("#plan-a-forskel-6").region
        maal = screen.query_one("#plan-a-maal-6").region
        assert maal.x > area.right - 1 and maal.y == area.y
        assert area.width > 60
    async with _app(path).run_test(size=SIZE) as pilot:
        app = pilot.app
        await settle(app, pilot)
        app.open_plan_a(ids["plan"])
        await settle(app, pilot)
        area = app.screen.query_one("#plan-a-forskel-6").region
        maal = app.screen.query_one("#plan-a-maal-6").region
        assert maal.y >= area.bottom  # under the text at 80 columns


@run_async
async def test_the_palette_picker_opens_a_plan_and_the_aarshjul_plan_opens_its_own(
    tmp_path: Path,
) -> None:
    from screens.plan_a import PlanAPickScreen, PlanAScreen

    path = tmp_path / "p.db"
    ids = build(path)
    app = _app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.action_plan_a()
        await settle(app, pilot)
        assert isinstance(app.screen, PlanAPickScreen)
        picker = app.screen.query_one(OptionList)
        assert "2026 · Hjemmeplejen" in str(picker.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, PlanAScreen)
        assert app.screen.maalplan_id == ids["plan"]
        # On the Plan A screen itself nothing new opens.
        app.action_plan_a()
        await settle(app, pilot)
        assert len([s for s in app.screen_stack if isinstance(s, PlanAScreen)]) == 1
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, PlanAScreen)
        # From the årshjul's plan: that plan, without a picker.
        from screens.aarshjul import AarshjulPlanScreen

        app.push_screen(AarshjulPlanScreen(ids["plan"]))
        await settle(app, pilot)
        app.action_plan_a()
        await settle(app, pilot)
        assert isinstance(app.screen, PlanAScreen) and app.screen.maalplan_id == ids["plan"]
