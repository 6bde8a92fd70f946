"""The overview of evalueringer that fall due (screens/forfald.py) at 80x24: every control
reachable, the list against a fixed today, the filters by keyboard, and Enter on an overdue
evaluering opens the prøvehandling's evalueringer where writing it takes it off the list."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from textual.widgets import Input, OptionList, Select, TextArea

from tests.test_followup import TODAY, build_followup, days
from tests.tui.helpers import (
    FakeClock,
    assert_all_reachable,
    prompt_text,
    read,
    run_async,
    settle,
)

SIZE = (80, 24)


def _app(path: Path) -> Any:
    from tui.app import UdviklingsdagApp

    return UdviklingsdagApp(str(path), clock=FakeClock(datetime(2026, 5, 1, 9, 30)))


async def open_forfald(app: Any, pilot: Any) -> Any:
    from screens.forfald import ForfaldScreen

    await settle(app, pilot)
    app.workspace.clock = app.clock  # (the app gives the workspace its clock; kept explicit)
    app.action_forfald()
    await settle(app, pilot)
    assert isinstance(app.screen, ForfaldScreen)
    return app.screen


def prompts(option_list: OptionList) -> list[str]:
    return [
        prompt_text(option_list.get_option_at_index(i).prompt)
        for i in range(option_list.option_count)
    ]


@run_async
async def test_forfald_lists_overdue_first_and_filters(tmp_path: Path) -> None:
    path = tmp_path / "f.db"
    ids = build_followup(path)
    app = _app(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_forfald(app, pilot)
        await assert_all_reachable(
            pilot, "#forfald-show", "#forfald-enhed", "#forfald-summary", "#forfald-list"
        )
        summary = str(screen.query_one("#forfald-summary").render())
        assert "I dag 01-05-2026: 3 forfaldne · 3 snart · 1 senere" in summary
        listed = screen.query_one("#forfald-list", OptionList)
        shown = prompts(listed)
        assert len(shown) == 7
        assert shown[0].startswith("21-04-2026 Forfalden for 10 dage siden · Undervejs · I gang")
        assert "Nordlys Skole 2026" in shown[0] and "Prøvehandling 1: Morgenmøde" in shown[0]
        assert "Forfalder i dag" in shown[3] and "Familiehuset" in shown[3]
        assert "Om 30 dage" in shown[6]
        assert app.screen.has_focus or listed.has_focus

        # V: show only the overdue ones (type-to-search in the picker, Enter chooses).
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("f", "enter")
        await settle(app, pilot)
        assert screen.query_one("#forfald-show", Select).value == "forfalden"
        assert [s.split(" ", 1)[1].startswith("Forfalden") for s in prompts(listed)] == [True] * 3
        # N: one enhed; Familiehuset has nothing overdue.
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("f", "a", "m", "enter")
        await settle(app, pilot)
        assert screen.query_one("#forfald-enhed", Select).value == ids["fam"]
        assert prompts(listed) == [
            "Ingen evalueringer passer til det valgte. Vælg «Alle» for at se resten."
        ]
        summary = str(screen.query_one("#forfald-summary").render())
        assert "0 forfaldne · 1 snart · 0 senere" in summary
        # Back to everything.
        screen.query_one("#forfald-enhed", Select).value = ""
        screen.query_one("#forfald-show", Select).value = "alle"
        await settle(app, pilot)
        assert len(prompts(listed)) == 7

        # Letters typed on the list change nothing.
        listed.focus()
        await pilot.press("x", "d", "a", "e")
        await settle(app, pilot)
        assert len(read(path, "evaluering")) == 2


@run_async
async def test_enter_on_an_overdue_one_opens_evalueringer_and_writing_it_removes_it(
    tmp_path: Path,
) -> None:
    from screens.evalueringer import EvalueringerScreen
    from screens.forms import RecordForm

    path = tmp_path / "f.db"
    ids = build_followup(path)
    app = _app(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_forfald(app, pilot)
        listed = screen.query_one("#forfald-list", OptionList)
        listed.focus()
        listed.highlighted = 0
        await pilot.press("enter")
        await settle(app, pilot)
        evalueringer = app.screen
        assert isinstance(evalueringer, EvalueringerScreen)
        assert evalueringer.proevehandling_id == ids["ph1"]
        await pilot.press("insert")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        assert form.query_one("#f-dato", Input).value == days(-10).strftime("%d-%m-%Y")
        form.query_one("#f-effekt", TextArea).focus()
        await pilot.pause()
        form.query_one("#f-effekt", TextArea).insert("Eleverne kommer roligere i gang")
        await pilot.pause()
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is evalueringer
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen
        rows = read(path, "evaluering", proevehandling_id=ids["ph1"])
        assert [(r["type"], r["dato"]) for r in rows] == [("undervejs", days(-10))]
        shown = prompts(listed)
        assert len(shown) == 6
        assert not any("Morgenmøde" in s and "Undervejs" in s for s in shown)
        assert "2 forfaldne" in str(screen.query_one("#forfald-summary").render())
        # Ctrl+Z takes the evaluering back, and it is due again.
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert len(prompts(listed)) == 7


@run_async
async def test_forfald_at_120x40_and_with_nothing_due(tmp_path: Path) -> None:
    from models.db import open_database
    from models.store import Store

    path = tmp_path / "f.db"
    ids = build_followup(path)
    app = _app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_forfald(app, pilot)
        await assert_all_reachable(
            pilot, "#forfald-show", "#forfald-enhed", "#forfald-summary", "#forfald-list"
        )
        db = open_database(str(path))
        s = Store(db)
        for key in ("ph1", "ph2", "ph3", "ph5", "ph6"):
            s.update("proevehandling", ids[key], status="stoppet")
        db.close()
        screen.reload()
        await settle(app, pilot)
        assert prompts(screen.query_one("#forfald-list", OptionList)) == [
            "Ingen planlagte evalueringer mangler. Alt, der er planlagt, er evalueret."
        ]
        assert TODAY.year == 2026
