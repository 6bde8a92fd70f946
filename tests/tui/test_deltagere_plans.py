"""Deltagere at a bord (with the anonymous switch), evalueringer of a prøvehandling, målplaner
in Forbered and Plan A on a målplan and a mål: each through the UI, then checked on disk."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from textual.widgets import Input, SelectionList, TabbedContent, TextArea

from tests.tui.helpers import FakeClock, build_small, prompt_text, read, run_async, settle

MARKUP = "[bold]Ida[/] [red]"


def _app(path: Path):
    from tui.app import UdviklingsdagApp

    return UdviklingsdagApp(str(path), clock=FakeClock())


def _options(option_list: Any) -> list[str]:
    return [
        prompt_text(option_list.get_option_at_index(i).prompt)
        for i in range(option_list.option_count)
    ]


def _field(screen: Any, name: str) -> Any:
    """The form widget that edits `name` (selects and lists have no id of their own)."""
    from screens.widgets import AutoSave

    return next(w for w in screen.query("*") if isinstance(w, AutoSave) and w.field_name == name)


async def _type_into(pilot: Any, widget: Any, text: str) -> None:
    widget.focus()
    await pilot.pause()
    if isinstance(widget, Input):
        widget.insert_text_at_cursor(text)
    else:
        assert isinstance(widget, TextArea)
        widget.insert(text)
    await pilot.pause()


async def _pick(pilot: Any, select: Any, text: str) -> None:
    """Open a Select, type the start of an option (type-to-search) and choose it."""
    select.focus()
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press(*[c if c != " " else "space" for c in text])
    await pilot.press("enter")
    await settle(pilot.app, pilot, 2)


async def _open_bord(app: Any, pilot: Any) -> None:
    await settle(app, pilot)
    app.screen.open_bord()
    await settle(app, pilot)


@run_async
async def test_deltagere_named_then_anonymous(tmp_path: Path) -> None:
    from screens.deltagere import DeltagereScreen
    from screens.forms import RecordForm

    path = tmp_path / "d.db"
    ids = build_small(path)
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_bord(app, pilot)
        await pilot.press("f7")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, DeltagereScreen)

        # A named deltager: the name is typed (markup characters and all), enhed picked.
        await pilot.press("a")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        await _type_into(pilot, form.query_one("#f-navn", Input), MARKUP)
        await _pick(pilot, _field(form, "enhed_id"), "PPR")
        await pilot.press("escape")
        await settle(app, pilot)
        rows = read(path, "deltager", bord_id=ids["bord"])
        assert [(r["navn"], r["enhed_id"], r["rolle"]) for r in rows] == [
            (MARKUP, ids["ppr"], "medarbejder")
        ]
        listing = screen.query_one("#deltagere-list")
        assert MARKUP in _options(listing)[0] and "PPR · Medarbejder" in _options(listing)[0]

        # Anonymous: the switch is saved on the bord and names disappear from the screen.
        await pilot.press("n")
        await settle(app, pilot)
        assert read(path, "bord")[0]["anonym"] is True
        shown = " ".join(_options(listing))
        assert "Ida" not in shown and "Deltager 1" in shown

        # A new deltager is not asked for a name: it exists at once; rolle is picked.
        await pilot.press("a")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        assert not form.query("#f-navn")
        await _pick(pilot, _field(form, "rolle"), "Leder")
        await pilot.press("escape")
        await settle(app, pilot)
        rows = read(path, "deltager", bord_id=ids["bord"])
        assert len(rows) == 2
        anon = next(r for r in rows if r["navn"] != MARKUP)
        assert anon["rolle"] == "leder" and anon["enhed_id"] is None
        assert "Ida" not in " ".join(_options(listing))
        assert "1 leder, 1 medarbejder" in str(screen.query_one("#deltagere-summary").render())

        # F1 explains this screen (and the anonymous switch).
        await pilot.press("f1")
        await settle(app, pilot, 1)
        assert app.screen.key == "deltagere"
        await pilot.press("escape")
        await settle(app, pilot, 1)
        assert app.screen is screen

        # Deleting is undoable.
        listing.focus()
        listing.highlighted = 0
        await pilot.press("delete")  # asks first: Esc keeps, Enter deletes
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert len(read(path, "deltager", bord_id=ids["bord"])) == 2
        await pilot.press("delete")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert len(read(path, "deltager", bord_id=ids["bord"])) == 1
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert len(read(path, "deltager", bord_id=ids["bord"])) == 2


@run_async
async def test_evalueringer_of_a_proevehandling(tmp_path: Path) -> None:
    from models.db import open_database
    from models.store import Store
    from screens.evalueringer import EvalueringerScreen
    from screens.forms import RecordForm
    from screens.maal import MaalScreen

    path = tmp_path / "e.db"
    ids = build_small(path)
    db = open_database(str(path))
    try:
        proevehandling_id = Store(db).create(
            "proevehandling",
            maal_id=ids["m1"],
            tekst="Fast frikvartersvoksen",
            evaluering_undervejs=date(2027, 3, 15),
            evaluering_afslutning=date(2027, 5, 15),
        )
    finally:
        db.close()
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_bord(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        maal = app.screen
        assert isinstance(maal, MaalScreen)
        await pilot.press("ctrl+e")  # on the tegn tab: the tegn's målinger
        await settle(app, pilot)
        assert type(app.screen).__name__ == "MaalingerScreen"
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is maal
        await pilot.press("2", "ctrl+e")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, EvalueringerScreen)

        # The first one is «undervejs» on the date planned on the prøvehandling.
        await pilot.press("a")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        assert form.query_one("#f-dato", Input).value == "15-03-2027"
        await _type_into(pilot, form.query_one("#f-effekt", TextArea), "Flere [b]elever[/b] [/]")
        await _type_into(pilot, form.query_one("#f-laering", TextArea), "Det virker")
        await pilot.press("escape")
        await settle(app, pilot)
        # The next one is «afslutning» on its planned date.
        await pilot.press("a")
        await settle(app, pilot)
        assert app.screen.query_one("#f-dato", Input).value == "15-05-2027"
        await _type_into(pilot, app.screen.query_one("#f-effekt", TextArea), "Færre konflikter")
        await pilot.press("escape")
        await settle(app, pilot)

        rows = read(path, "evaluering", proevehandling_id=proevehandling_id)
        got = sorted((r["type"], r["dato"], r["effekt"], r["laering"]) for r in rows)
        assert got == [
            ("afslutning", date(2027, 5, 15), "Færre konflikter", None),
            ("undervejs", date(2027, 3, 15), "Flere [b]elever[/b] [/]", "Det virker"),
        ]
        shown = _options(screen.query_one("#eval-list"))
        assert shown[0].startswith("1. Undervejs · 15-03-2027")
        assert "Flere [b]elever[/b] [/]" in shown[0] and "Læring: Det virker" in shown[0]

        # Edit, then delete the afslutning.
        listing = screen.query_one("#eval-list")
        listing.highlighted = 1
        await pilot.press("delete")
        await settle(app, pilot)
        await pilot.press("enter")  # the question: Enter deletes
        await settle(app, pilot)
        assert [
            r["type"] for r in read(path, "evaluering", proevehandling_id=proevehandling_id)
        ] == ["undervejs"]

        await pilot.press("escape")
        await settle(app, pilot)
        assert "1 evaluering" in _options(maal.query_one("#list-proevehandling"))[0]


@run_async
async def test_maalplan_in_prepare_with_plan_a_and_maal(tmp_path: Path) -> None:
    from screens.forms import RecordForm
    from screens.prepare import PrepareScreen

    path = tmp_path / "p.db"
    ids = build_small(path, with_day=False)
    app = _app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("f")
        await settle(app, pilot)
        prep = app.screen
        assert isinstance(prep, PrepareScreen)
        prep.query_one(TabbedContent).active = "tab-plans"
        prep.query_one("#prep-maalplan").focus()
        await settle(app, pilot)
        await pilot.press("a")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        # the plan year being prepared: on 3 December 2026, 2027 (the årshjul's season)
        assert form.query_one("#f-aar", Input).value == "2027"
        await _type_into(pilot, form.query_one("#f-titel", Input), "Målplan [2024] for skolen")
        await _pick(pilot, _field(form, "enhed_id"), "Nordlys")
        aar = form.query_one("#f-aar", Input)
        aar.clear()
        await _type_into(pilot, aar, "2024")
        # A wrong sagsnummer is refused with the rule's own message, and nothing is saved.
        sag = form.query_one("#f-sagsnummer", Input)
        await _type_into(pilot, sag, "12345")
        await pilot.press("tab")
        await settle(app, pilot)
        error = form.query_one("#err-sagsnummer")
        assert error.display and "gyldigt sagsnummer" in str(error.render())
        assert read(path, "maalplan")[0]["sagsnummer"] is None
        sag.clear()
        await _type_into(pilot, sag, "00.01.00-G01-12-24")
        await _type_into(pilot, form.query_one("#f-kle", Input), "17.01")
        await _pick(pilot, _field(form, "status_foer"), "Udfyldt")
        plan_a = _field(form, "plan_a")
        assert isinstance(plan_a, SelectionList)
        assert "obligatorisk" in str(plan_a.get_option_at_index(0).prompt)
        plan_a.focus()
        await pilot.press("space")  # indicator 1
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)

        plans = read(path, "maalplan")
        assert len(plans) == 1
        plan = plans[0]
        assert (plan["titel"], plan["enhed_id"], plan["aar"]) == (
            "Målplan [2024] for skolen",
            ids["skole"],
            2024,
        )
        assert (plan["sagsnummer"], plan["kle"], plan["status_foer"]) == (
            "00.01.00-G01-12-24",
            "17.01",
            "udfyldt",
        )
        assert plan["plan_a"] == [1]
        shown = _options(prep.query_one("#prep-maalplan"))[0]
        assert "Målplan [2024] for skolen" in shown and "FØR: Udfyldt" in shown
        assert "mangler obligatorisk 6, 8" in shown

        # The mål gets its målplan and Plan A indicators in its own form.
        prep.query_one(TabbedContent).active = "tab-maal"
        listing = prep.query_one("#prep-maal")
        listing.focus()
        await settle(app, pilot)
        listing.highlighted = 1  # the first mål under its målsætning
        await pilot.press("enter")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        await _pick(pilot, _field(form, "maalplan_id"), "Målplan")
        plan_a = _field(form, "plan_a")
        plan_a.focus()
        await pilot.press("down", "down", "down", "down", "down", "space")  # indicator 6
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        m1 = next(m for m in read(path, "maal") if m["id"] == ids["m1"])
        assert m1["maalplan_id"] == plan["id"] and m1["plan_a"] == [6]
        assert "1 mål" in _options(prep.query_one("#prep-maalplan"))[0]


def test_every_screen_has_its_help_text() -> None:
    """Every HELP_KEY a screen names has a text, and every full screen names one."""
    import importlib
    import pkgutil

    from textual.screen import ModalScreen, Screen

    import screens
    from screens import texts

    keys: set[str] = set()
    for info in pkgutil.iter_modules(screens.__path__):
        module = importlib.import_module(f"screens.{info.name}")
        for value in vars(module).values():
            if not (isinstance(value, type) and issubclass(value, Screen)):
                continue
            if value.__module__ != module.__name__ or value.__name__ == "HelpScreen":
                continue
            key = getattr(value, "HELP_KEY", None)
            if not issubclass(value, ModalScreen):
                assert key, f"{value.__name__} names no HELP_KEY (F1 would show the home help)"
            if key:
                keys.add(key)
    assert {"deltagere", "evalueringer", "export", "consolidation"} <= keys
    assert keys <= set(texts.HELP)
