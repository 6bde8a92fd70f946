"""The årshjul screen (issue 15) at 80x24 and 120x40: opened from the home screen by key and by
button and from the palette, every control reachable, typing filters, F4 changes the order,
Enter shows a plan's year with its prøvehandlinger and tegn, Enter on a prøvehandling opens its
evalueringer, and Esc goes back."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.tui.helpers import (
    FakeClock,
    assert_all_reachable,
    assert_reachable,
    build_small,
    prompt_text,
    run_async,
    settle,
)

SIZES = [(80, 24), (120, 40)]


def with_plans(path: Path) -> dict[str, Any]:
    """The small workshop with a målplan for each of its two enheder: Nordlys Skole's mål has
    a tegn with two målinger and a prøvehandling; Familiehuset's has nothing yet."""
    from models.db import open_database
    from models.store import Store

    ids = build_small(path)
    db = open_database(str(path))
    try:
        s = Store(db)
        ids["plan_skole"] = s.create(
            "maalplan",
            {
                "enhed_id": ids["skole"],
                "aar": 2027,
                "titel": "Målplan 2027",
                "status_foer": "udfyldt",
            },
        )
        ids["plan_fam"] = s.create(
            "maalplan", {"enhed_id": ids["fam"], "aar": 2027, "titel": "Målplan 2027"}
        )
        s.update("maal", ids["m1"], {"maalplan_id": ids["plan_skole"]})
        s.update("maal", ids["m2"], {"maalplan_id": ids["plan_fam"]})
        ids["tegn"] = s.create(
            "tegn",
            {"maal_id": ids["m1"], "tekst": "Andel elever med en voksen", "type": "kvantitativ"},
        )
        for day, value in ((date(2026, 10, 1), 61.0), (date(2026, 11, 1), 64.5)):
            s.create("maaling", {"tegn_id": ids["tegn"], "dato": day, "vaerdi": value})
        ids["ph"] = s.create(
            "proevehandling",
            {
                "maal_id": ids["m1"],
                "tekst": "Gårdvagterne spørger tre elever hver dag.",
                "evaluering_undervejs": date(2026, 11, 20),
            },
        )
    finally:
        db.close()
    return ids


def _app(path: Path) -> Any:
    from tui.app import UdviklingsdagApp

    return UdviklingsdagApp(str(path), clock=FakeClock())


def _rows(screen: Any) -> list[str]:
    from textual.widgets import DataTable

    table = screen.query_one("#aarshjul-table", DataTable)
    return [
        " | ".join(prompt_text(cell) for cell in table.get_row_at(n)).strip()
        for n in range(table.row_count)
    ]


async def _open(app: Any, pilot: Any, how: str) -> Any:
    from screens.aarshjul import AarshjulScreen

    await settle(app, pilot)
    if how == "key":
        await pilot.press("a")
    elif how == "capital":
        await pilot.press("A")
    else:
        await assert_reachable(pilot, app.screen.query_one("#aarshjul"))
        await pilot.click("#aarshjul")
    await settle(app, pilot)
    assert isinstance(app.screen, AarshjulScreen)
    return app.screen


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("how", ["key", "capital", "button"])
@run_async
async def test_open_from_home_and_everything_reachable(
    tmp_path: Path, size: tuple[int, int], how: str
) -> None:
    with_plans(tmp_path / "d.db")
    app = _app(tmp_path / "d.db")
    async with app.run_test(size=size) as pilot:
        screen = await _open(app, pilot, how)
        await assert_all_reachable(
            pilot,
            "#aarshjul-band",
            "#aarshjul-legend",
            "#aarshjul-filter",
            "#aarshjul-sort",
            "#aarshjul-table",
            "#aarshjul-count",
        )
        band = prompt_text(screen.query_one("#aarshjul-band").render())
        # The day's own date (3.12.) without «ca.», the usual ones with it; today is marked.
        assert "3. dec. Del 1" in band and "ca. 1. mar. Start" in band
        assert "i dag 3. dec." in band
        rows = _rows(screen)
        assert any("Nordlys Skole" in r and "Efter del 2" in r for r in rows), rows
        assert any("Familiehuset" in r and "Efter lederdagen" in r for r in rows), rows
        assert "Skole og Dagtilbud" in rows[0]  # the afdeling's heading
        await pilot.press("escape")
        await settle(app, pilot)
        from screens.home import HomeScreen

        assert isinstance(app.screen, HomeScreen)


@run_async
async def test_typing_filters_and_f4_orders(tmp_path: Path) -> None:
    from textual.widgets import Button, Input

    with_plans(tmp_path / "d.db")
    app = _app(tmp_path / "d.db")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot, "key")
        await pilot.press("f", "a", "m")
        await settle(app, pilot)
        assert screen.query_one("#aarshjul-filter", Input).value == "fam"
        rows = [r for r in _rows(screen) if "Målplan" in r or "Efter" in r]
        assert len(rows) == 1 and "Familiehuset" in rows[0]
        assert "1 af 2 målplaner" in str(screen.query_one("#aarshjul-count").render())
        await pilot.press("escape")  # clears the filter first
        await settle(app, pilot)
        assert screen.query_one("#aarshjul-filter", Input).value == ""
        assert app.screen is screen
        await pilot.press("f4")
        await settle(app, pilot)
        assert "næste frist" in str(screen.query_one("#aarshjul-sort", Button).label)
        rows = _rows(screen)
        assert len(rows) == 2  # no headings when ordered by the next date
        # Nordlys' evaluering was due 20.11., before Familiehuset's sheet FØR (the check
        # after the usual lederdag, the day before del 1).
        assert "Nordlys Skole" in rows[0] and "1 evaluering forfalden" in rows[0]
        assert "Familiehuset" in rows[1] and "Arket FØR skal udfyldes | ! 2.12.2026" in rows[1]


@pytest.mark.parametrize("size", SIZES)
@run_async
async def test_enter_shows_a_plans_year(tmp_path: Path, size: tuple[int, int]) -> None:
    from textual.widgets import DataTable, OptionList

    from screens.aarshjul import AarshjulPlanScreen, AarshjulScreen
    from screens.evalueringer import EvalueringerScreen

    ids = with_plans(tmp_path / "d.db")
    app = _app(tmp_path / "d.db")
    async with app.run_test(size=size) as pilot:
        screen = await _open(app, pilot, "key")
        table = screen.query_one("#aarshjul-table", DataTable)
        keys = [table.coordinate_to_cell_key((n, 0)).row_key.value for n in range(table.row_count)]
        table.move_cursor(row=keys.index(ids["plan_skole"]))
        await pilot.press("enter")
        await settle(app, pilot)
        detail = app.screen
        assert isinstance(detail, AarshjulPlanScreen)
        selectors = [
            "#aarshjul-plan-head",
            "#aarshjul-plan-sheets",
            "#aarshjul-plan-points",
            "#aarshjul-plan-ph",
            "#aarshjul-plan-tegn",
        ]
        selectors += [f"#{b.id}" for b in detail.query("Button")]
        await assert_all_reachable(pilot, *selectors)
        head = prompt_text(detail.query_one("#aarshjul-plan-head").render())
        assert "Fase: Efter del 2" in head
        ph = detail.query_one("#aarshjul-plan-ph", OptionList)
        assert "forfalden 20.11.2026" in prompt_text(ph.get_option_at_index(0).prompt)
        tegn = detail.query_one("#aarshjul-plan-tegn", OptionList)
        assert tegn.option_count == 2  # build_small's own tegn first
        assert "seneste 1.11.2026: 64,5" in prompt_text(tegn.get_option_at_index(1).prompt)
        from screens.aarshjul import tasks_table

        assert detail.data is not None
        points = prompt_text(tasks_table(detail.data))
        assert "Arket FØR udfyldt" in points and "Udviklingsdag del 1" in points
        ph.focus()
        ph.highlighted = 0
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, EvalueringerScreen)
        # An evaluering written meanwhile shows when the plan's year comes back.
        app.workspace.create("evaluering", {"proevehandling_id": ids["ph"], "type": "undervejs"})
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is detail
        shown = prompt_text(ph.get_option_at_index(0).prompt)
        assert "undervejs lavet" in shown and "forfalden" not in shown
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, AarshjulScreen)


@run_async
async def test_follow_up_buttons_open_the_other_screens(tmp_path: Path) -> None:
    from textual.widgets import DataTable, OptionList

    ids = with_plans(tmp_path / "d.db")
    app = _app(tmp_path / "d.db")
    opened: list[tuple[str, object]] = []
    # The other screens are their own helpers' work; here: that the buttons call them.
    app.open_laering = lambda **kw: opened.append(("laering", kw))
    app.open_maalinger = lambda tegn_id: opened.append(("maalinger", tegn_id))
    app.action_forfald = lambda: opened.append(("forfald", None))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot, "key")
        table = screen.query_one("#aarshjul-table", DataTable)
        keys = [table.coordinate_to_cell_key((n, 0)).row_key.value for n in range(table.row_count)]
        table.move_cursor(row=keys.index(ids["plan_skole"]))
        await pilot.press("enter")
        await settle(app, pilot)
        tegn = app.screen.query_one("#aarshjul-plan-tegn", OptionList)
        tegn.highlighted = 1  # the tegn with målinger
        for button in ("#aarshjul-laering", "#aarshjul-maalinger", "#aarshjul-forfald"):
            await assert_reachable(pilot, app.screen.query_one(button))
            await pilot.click(button)
            await settle(app, pilot)
    assert opened == [
        ("laering", {"maalplan_id": ids["plan_skole"]}),
        ("maalinger", ids["tegn"]),
        ("forfald", None),
    ]


@run_async
async def test_palette_and_home_know_the_year(tmp_path: Path) -> None:
    from screens import texts
    from tui.commands import UdviklingsdagCommands

    with_plans(tmp_path / "d.db")
    app = _app(tmp_path / "d.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        provider = UdviklingsdagCommands(app.screen)
        titles = [title for title, _help, _call in provider._commands()]
        assert texts.CMD["aarshjul"][0] in titles
        if hasattr(app, "action_forfald"):
            assert texts.CMD["forfald"][0] in titles
            await assert_reachable(pilot, app.screen.query_one("#forfald"))
            from screens.home import HomeScreen

            home = app.screen
            await pilot.press("e")  # the overdue overview (H5's screen)
            await settle(app, pilot)
            assert not isinstance(app.screen, HomeScreen)
            app.pop_screen()
            await settle(app, pilot)
            assert app.screen is home
        callback = next(c for t, _h, c in provider._commands() if t == texts.CMD["aarshjul"][0])
        callback()
        await settle(app, pilot)
        from screens.aarshjul import AarshjulScreen

        assert isinstance(app.screen, AarshjulScreen)


@run_async
async def test_no_plans_says_where_to_make_them(tmp_path: Path) -> None:
    from screens import texts

    build_small(tmp_path / "d.db")  # mål, but no målplan
    app = _app(tmp_path / "d.db")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot, "key")
        assert _rows(screen) == []
        shown = str(screen.query_one("#aarshjul-count").render())
        assert texts.AARSHJUL_EMPTY in shown
        await pilot.press("enter", "x", "escape")  # nothing to open, a filter, cleared
        await settle(app, pilot)
        assert app.screen is screen


@run_async
async def test_opened_again_it_reads_again(tmp_path: Path) -> None:
    ids = with_plans(tmp_path / "d.db")
    app = _app(tmp_path / "d.db")
    async with app.run_test(size=(80, 24)) as pilot:
        first = await _open(app, pilot, "key")
        assert sum("Efter" in r for r in _rows(first)) == 2
        await pilot.press("escape")
        await settle(app, pilot)
        app.workspace.create(
            "maalplan", {"enhed_id": ids["ppr"], "aar": 2027, "titel": "Målplan 2027"}
        )
        again = await _open(app, pilot, "key")
        assert again is first  # the kept screen, with the new plan
        rows = _rows(again)
        assert any("PPR" in r and "Før lederdagen" in r for r in rows), rows
        assert "3 af 3 målplaner" in str(again.query_one("#aarshjul-count").render())


@run_async
async def test_the_cursor_passes_over_the_afdeling_headings(tmp_path: Path) -> None:
    """Down from the last plan of one afdeling lands on the first plan of the next (not on
    its heading), and Enter there opens that plan; Up goes back over the heading too."""
    from textual.widgets import DataTable

    from models import settings
    from models.db import open_database
    from models.demo import build_demo
    from models.store import Store
    from models.workspace import Workspace
    from screens.aarshjul import GROUP, AarshjulPlanScreen

    db = open_database(str(tmp_path / "d.db"), device_name="Tovholder")
    try:
        build_demo(Store(db))
        Workspace(db).set_setting(settings.DEVICE_NAMED, True)
    finally:
        db.close()
    app = _app(tmp_path / "d.db")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot, "key")
        table = screen.query_one("#aarshjul-table", DataTable)
        keys = [table.coordinate_to_cell_key((n, 0)).row_key.value for n in range(table.row_count)]
        headings = [n for n, k in enumerate(keys) if k.startswith(GROUP)]
        assert len(headings) >= 2 and headings[0] == 0
        # The demo has two plan years: «Planår 2027», then its afdelinger, each a heading.
        assert keys[0] == f"{GROUP}2027" and keys[1].startswith(f"{GROUP}2027:")
        table.focus()
        # Past the headings after a plan (a year's and its first afdeling's, or one), down
        # and up again.
        for h in (n for n in headings if n > 0 and not keys[n - 1].startswith(GROUP)):
            beyond = next(n for n in range(h, len(keys)) if not keys[n].startswith(GROUP))
            table.move_cursor(row=h - 1)
            await settle(app, pilot)
            await pilot.press("down")
            await settle(app, pilot)
            assert table.cursor_row == beyond
            await pilot.press("up")
            await settle(app, pilot)
            assert table.cursor_row == h - 1
        await pilot.press("up")  # the first heading: back to the plan below it
        await settle(app, pilot)
        assert not keys[table.cursor_row].startswith(GROUP)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, AarshjulPlanScreen)


def test_next_task_texts_do_not_repeat_the_column_word() -> None:
    """A plan's next task stands after «Næste:» and under the column «Næste»: none of them
    starts with the word again («Næste: Næste evaluering»)."""
    from screens import texts

    assert texts.AARSHJUL_PLAN_NEXT.startswith("Næste:")
    assert not [t for t in texts.AARSHJUL_TASKS.values() if t.lower().startswith("næste")]
