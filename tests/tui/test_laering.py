"""Læring (screens/laering.py) and the status on the evalueringer screen at 80x24: every
control reachable; the status changed by keyboard is dated today and one Ctrl+Z takes back
both; the læring of a prøvehandling (from the evalueringer screen, L) and of a målplan
(`open_laering`): add (dated today, the place fixed), edit, delete asks, undo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Input, OptionList, Select, TextArea

from tests.test_followup import TODAY, build_followup, days
from tests.tui.helpers import assert_all_reachable, read, run_async, settle
from tests.tui.test_forfald import _app, prompts

SIZE = (80, 24)


async def _ready(app: Any, pilot: Any) -> None:
    await settle(app, pilot)
    app.workspace.clock = app.clock  # (the app gives the workspace its clock; kept explicit)


def _row(path: Path, entity: str, row_id: str) -> dict[str, Any]:
    return next(r for r in read(path, entity) if r["id"] == row_id)


@run_async
async def test_status_on_the_evalueringer_screen(tmp_path: Path) -> None:
    from screens.evalueringer import EvalueringerScreen

    path = tmp_path / "l.db"
    ids = build_followup(path)
    app = _app(path)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        app.push_screen(EvalueringerScreen(ids["ph2"]))
        await settle(app, pilot)
        screen = app.screen
        await assert_all_reachable(
            pilot,
            "#eval-proevehandling",
            "#eval-planned",
            "#eval-status",
            "#eval-status-since",
            "#eval-list",
        )
        picker = screen.query_one("#eval-status", Select)
        assert picker.value == "planlagt"
        assert "uden dato" in str(screen.query_one("#eval-status-since").render())
        screen.query_one("#eval-list").focus()
        # S opens the status picker; ↓ and Enter choose «I gang».
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("down", "enter")
        await settle(app, pilot)
        row = _row(path, "proevehandling", ids["ph2"])
        assert (row["status"], row["status_dato"]) == ("i_gang", TODAY)
        assert "siden 01-05-2026" in str(screen.query_one("#eval-status-since").render())
        # One Ctrl+Z takes back both the status and its date.
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        row = _row(path, "proevehandling", ids["ph2"])
        assert (row["status"], row["status_dato"]) == ("planlagt", None)
        assert picker.value == "planlagt"
        assert "uden dato" in str(screen.query_one("#eval-status-since").render())
        # An already dated status shows its own date.
        app.pop_screen()
        app.push_screen(EvalueringerScreen(ids["ph1"]))
        await settle(app, pilot)
        assert app.screen.query_one("#eval-status", Select).value == "i_gang"
        since = str(app.screen.query_one("#eval-status-since").render())
        assert days(-40).strftime("%d-%m-%Y") in since


@run_async
async def test_laering_of_a_proevehandling_add_edit_delete_undo(tmp_path: Path) -> None:
    from screens.evalueringer import EvalueringerScreen
    from screens.forms import ConfirmScreen, RecordForm
    from screens.laering import LaeringScreen

    path = tmp_path / "l.db"
    ids = build_followup(path)
    app = _app(path)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        app.push_screen(EvalueringerScreen(ids["ph2"]))
        await settle(app, pilot)
        await pilot.press("l")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, LaeringScreen)
        await assert_all_reachable(pilot, "#laering-title", "#laering-list")
        title = str(screen.query_one("#laering-title").render())
        assert "Legepatruljer i frikvarteret" in title
        listed = screen.query_one("#laering-list", OptionList)
        assert prompts(listed) == [
            "Ingen læring skrevet endnu. Tryk Insert eller Ctrl+A for at skrive den første."
        ]

        # Add: dated today, placed on the prøvehandling.
        await pilot.press("insert")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        assert form.query_one("#f-dato", Input).value == "01-05-2026"
        assert not form.query("#f-proevehandling_id") and not form.query("#f-maalplan_id")
        # What was learnt comes first and has the cursor (typing went into the date before,
        # replacing it); the date comes after it.
        text = form.query_one("#f-tekst", TextArea)
        assert text.has_focus and form.spec.fields[:2] == ["tekst", "dato"]
        await pilot.press(*"Eleverne ")
        text.insert("[b]vil[/b] selv styre legene")
        await pilot.pause()
        hvem = form.query_one("#f-hvem", Input)
        # Written by whoever works on this laptop (no vurdering named anyone yet: its name);
        # someone else writing it changes the name.
        assert hvem.value == "Tovholder"
        hvem.focus()
        hvem.value = ""
        hvem.insert_text_at_cursor("Anne")
        await pilot.pause()
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen
        rows = read(path, "laering")
        assert [(r["proevehandling_id"], r["maalplan_id"], r["dato"], r["hvem"]) for r in rows] == [
            (ids["ph2"], None, TODAY, "Anne")
        ]
        shown = prompts(listed)
        assert shown == ["01-05-2026 Eleverne [b]vil[/b] selv styre legene Anne"]

        # Ctrl+A adds a second one; an older date sorts it below.
        await pilot.press("ctrl+a")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        dato = form.query_one("#f-dato", Input)
        dato.focus()
        dato.value = ""
        dato.insert_text_at_cursor("20-04-2026")
        await pilot.pause()
        text = form.query_one("#f-tekst", TextArea)
        text.focus()
        await pilot.pause()
        text.insert("Første uge var svær")
        await pilot.pause()
        await pilot.press("escape")
        await settle(app, pilot)
        shown = prompts(listed)
        assert [s.split(" ", 1)[0] for s in shown] == ["01-05-2026", "20-04-2026"]

        # Enter edits the highlighted one.
        listed.focus()
        listed.highlighted = 1
        await pilot.press("enter")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, RecordForm) and form.row_id is not None
        text = form.query_one("#f-tekst", TextArea)
        text.focus()
        await pilot.pause()
        text.insert("Rettet: ")
        await pilot.pause()
        await pilot.press("escape")
        await settle(app, pilot)
        assert "Rettet: Første uge var svær" in prompts(listed)[1]

        # Delete asks; Esc keeps, Enter deletes, Ctrl+Z brings it back.
        listed.highlighted = 1
        await pilot.press("delete")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        assert len(read(path, "laering")) == 2
        await pilot.press("delete")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert len(read(path, "laering")) == 1 and len(prompts(listed)) == 1
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert len(read(path, "laering")) == 2 and len(prompts(listed)) == 2


@run_async
async def test_laering_of_a_maalplan_shows_its_proevehandlinger(tmp_path: Path) -> None:
    from models.db import open_database
    from models.store import Store
    from screens.forms import RecordForm
    from screens.laering import LaeringScreen

    path = tmp_path / "l.db"
    ids = build_followup(path)
    db = open_database(str(path))
    s = Store(db)
    s.create("laering", proevehandling_id=ids["ph3"], dato=days(-2), tekst="Samtaler virker")
    s.create("laering", proevehandling_id=ids["ph6"], dato=days(-1), tekst="Anden plan")
    db.close()
    app = _app(path)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        app.open_laering(maalplan_id=ids["plan_skole"])
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, LaeringScreen)
        await assert_all_reachable(pilot, "#laering-title", "#laering-list")
        assert "Nordlys Skole 2026 Trivsel" in str(screen.query_one("#laering-title").render())
        listed = screen.query_one("#laering-list", OptionList)
        assert prompts(listed) == [
            "29-04-2026 Samtaler virker Prøvehandling 3: Elevsamtaler hver måned"
        ]
        await pilot.press("insert")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        text = form.query_one("#f-tekst", TextArea)
        text.focus()
        await pilot.pause()
        text.insert("Planen som helhed")
        await pilot.pause()
        await pilot.press("escape")
        await settle(app, pilot)
        rows = [r for r in read(path, "laering") if r["maalplan_id"] == ids["plan_skole"]]
        assert [(r["tekst"], r["dato"], r["proevehandling_id"], r["hvem"]) for r in rows] == [
            ("Planen som helhed", TODAY, None, "Tovholder")
        ]
        assert prompts(listed)[0] == "01-05-2026 Planen som helhed Hele målplanen · Tovholder"
