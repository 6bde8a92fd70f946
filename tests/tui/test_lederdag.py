"""The lederdag through the UI at 80x24, like the whole-day test: the laptop gets the
tovholder's workshop pack; a day of type Lederdag is prepared with a bord that works on two
målsætninger; the facilitator writes a mål for each (enhed, ansvarlig, period, mulige
partnere), undoes one written by mistake (one Ctrl+Z: gone from the bord too), opens a mål to
edit it, is asked before a delete, closes the day with the lederdag's completeness check and
writes the handoff file; merged on the tovholder's database, the mål are on FØR of their
målplan's workbook."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl

from tests.tui.helpers import (
    FakeClock,
    assert_all_reachable,
    assert_reachable,
    build_small,
    prompt_text,
    read,
    run_async,
    settle,
)

SIZE = (80, 24)


def _tovholder(path: Path) -> dict[str, Any]:
    """The tovholder's database: the small workshop, a second målsætning and målplaner for
    2027 (Nordlys Skole has one for 2026 too)."""
    from models.db import open_database
    from models.store import Store

    ids = build_small(path, with_day=False)
    db = open_database(str(path))
    try:
        s = Store(db)
        with s.action() as tx:
            ids["ms2"] = s.create(
                "maalsaetning", tekst="Flere unge gennemfører en uddannelse.", tx=tx
            )
            ids["plan_skole"] = s.create(
                "maalplan", enhed_id=ids["skole"], aar=2027, titel="Nordlys Skole 2027", tx=tx
            )
            s.create("maalplan", enhed_id=ids["skole"], aar=2026, titel="Nordlys 2026", tx=tx)
            ids["plan_fam"] = s.create(
                "maalplan", enhed_id=ids["fam"], aar=2027, titel="Familiehuset 2027", tx=tx
            )
    finally:
        db.close()
    return ids


def _laptop(path: Path, pack: Path) -> None:
    """A facilitator's laptop that has read the workshop pack."""
    from exports.bundle import import_bundles
    from models import settings
    from models.db import open_database
    from models.store import Store

    db = open_database(str(path), device_name="Bord A")
    try:
        s = Store(db)
        import_bundles(s, [pack])
        s.set_setting(settings.DEVICE_NAMED.key, "1")
    finally:
        db.close()


def _app(path: Path):
    from tui.app import UdviklingsdagApp

    return UdviklingsdagApp(str(path), clock=FakeClock())


async def _type(pilot, text: str) -> None:
    """Type into the focused field (at once, as a paste would)."""
    from textual.widgets import Input, TextArea

    await pilot.pause()
    focused = pilot.app.focused
    if isinstance(focused, Input):
        focused.insert_text_at_cursor(text)
    elif isinstance(focused, TextArea):
        focused.insert(text)
    else:
        raise AssertionError(f"no text field has the focus: {focused!r}")
    await pilot.pause()


def _field(form, name: str):
    from screens.widgets import AutoSave

    return next(w for w in form.query("*") if isinstance(w, AutoSave) and w.field_name == name)


def _fields(form) -> set[str]:
    from screens.widgets import AutoSave

    return {w.field_name for w in form.query("*") if isinstance(w, AutoSave)}


async def _focus(pilot, widget) -> None:
    widget.focus()
    await pilot.pause()
    await assert_reachable(pilot, widget)


def _progress(screen) -> str:
    return str(screen.query_one("#bord-progress-text").render())


def _options(option_list) -> list[tuple[str | None, str]]:
    return [
        (o.id, prompt_text(o.prompt))
        for o in (option_list.get_option_at_index(i) for i in range(option_list.option_count))
    ]


async def _write_maal(
    app, pilot, *, tekst: str, enhed: str, ansvarlig: str, til: str, partnere: str
) -> None:
    """In the open new mål's form: the text, enhed, ansvarlig, last year and partners; Esc."""
    from screens.forms import RecordForm

    form = app.screen
    assert isinstance(form, RecordForm) and form.row_id is None
    # What the leaders fill in, and nothing of the tovholder's (målplan, Plan A).
    assert _fields(form) == {
        "maalsaetning_id",
        "tekst",
        "enhed_id",
        "ansvarlig",
        "fra_aar",
        "til_aar",
        "mulige_partnere",
    }
    assert _field(form, "fra_aar").value == "2027" and _field(form, "til_aar").value == "2027"
    await _focus(pilot, _field(form, "tekst"))
    await _type(pilot, tekst)
    await pilot.press("tab")  # leaving the field saves it: the mål is created
    await settle(app, pilot)
    # On its bord at once, with the form still open (a laptop that dies now keeps it there).
    assert form.row_id is not None
    assert any(form.row_id in b["maal_ids"] for b in read(Path(app.db_target), "bord"))
    enhed_field = _field(form, "enhed_id")
    await _focus(pilot, enhed_field)
    enhed_field.value = enhed  # (a choice in the picker)
    await settle(app, pilot)
    await _focus(pilot, _field(form, "ansvarlig"))
    await _type(pilot, ansvarlig)
    til_field = _field(form, "til_aar")
    await _focus(pilot, til_field)
    await pilot.press("ctrl+u")  # (the plan year is there already)
    await _type(pilot, til)
    await _focus(pilot, _field(form, "mulige_partnere"))
    await _type(pilot, partnere)
    await pilot.press("escape")
    await settle(app, pilot, rounds=5)


@run_async
async def test_lederdag_at_80x24(tmp_path: Path) -> None:
    from exports.bundle import import_bundles, write_pack
    from exports.xlsx import maalplan_xlsx
    from models.db import open_database
    from models.maalplan_view import load_maalplan
    from screens.bord import MAALSAETNING_PREFIX, BordScreen
    from screens.close_day import CloseDayScreen
    from screens.forms import ConfirmScreen, RecordForm
    from screens.home import HomeScreen
    from screens.prepare import PrepareScreen

    tov = tmp_path / "tovholder.db"
    ids = _tovholder(tov)
    db = open_database(str(tov))
    try:
        pack = write_pack(db, tmp_path / "pakke.udviklingsdag.json").path
    finally:
        db.close()
    path = tmp_path / "baerbar.db"
    _laptop(path, pack)

    app = _app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)

        # --- a day of type Lederdag -----------------------------------------------------------
        await pilot.press("f")
        await settle(app, pilot)
        prep = app.screen
        assert isinstance(prep, PrepareScreen)
        await pilot.press("insert")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        await _type(pilot, "Lederdag 2027")
        await pilot.press("tab")
        await settle(app, pilot)
        await _focus(pilot, _field(form, "dagdel"))
        await pilot.press("enter", "up", "enter")  # Lederdag comes before Del 1 and Del 2
        await settle(app, pilot)
        await _focus(pilot, form.query_one("#f-dato"))
        await _type(pilot, "14-01-2027")
        await pilot.press("escape")
        await settle(app, pilot)
        days = read(path, "udviklingsdag")
        assert [(d["titel"], d["dagdel"], d["dato"]) for d in days] == [
            ("Lederdag 2027", "lederdag", date(2027, 1, 14))
        ]

        # --- a bord that works on målsætninger, not on mål ------------------------------------
        prep.action_switch_tab(-1)  # (wraps round to Borde)
        await settle(app, pilot)
        assert "For: Lederdag 2027" in str(prep.query_one("#ctx-borde").render())
        await pilot.press("insert")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        await _type(pilot, "Bord A")
        await pilot.press("tab")
        await _type(pilot, "Lise Facilitator")
        await pilot.press("tab")
        await settle(app, pilot)
        assert "maal_ids" not in _fields(form) and "maalsaetning_ids" in _fields(form)
        picker = _field(form, "maalsaetning_ids")
        await _focus(pilot, picker)
        assert [prompt_text(o.prompt) for o in picker.options] == [
            "Flere børn trives i fællesskaber.",
            "Flere unge gennemfører en uddannelse.",
        ]
        await pilot.press("space", "down", "space")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        [bord_row] = read(path, "bord")
        assert bord_row["maalsaetning_ids"] == [ids["ms"], ids["ms2"]]
        assert bord_row["maal_ids"] == []
        bord_lines = _options(prep.query_one("#prep-bord"))
        assert "Facilitator: Lise Facilitator" in bord_lines[0][1]
        assert "0 mål skrevet" in bord_lines[0][1]

        # --- the facilitator opens the bord ---------------------------------------------------
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        app.screen.query_one("#home-borde").focus()
        await pilot.press("enter")
        await settle(app, pilot)
        bord = app.screen
        assert isinstance(bord, BordScreen)
        listing = bord.query_one("#bord-maal")
        await assert_all_reachable(pilot, "#bord-maal", "#bord-progress-text", "#bord-filter")
        assert _progress(bord) == "0 af 2 målsætninger har et mål"
        lines = _options(listing)
        assert [i for i, _ in lines] == [
            MAALSAETNING_PREFIX + ids["ms"],
            MAALSAETNING_PREFIX + ids["ms2"],
        ]
        assert all("mangler et mål" in text for _, text in lines)
        # The lederdag's keys work here (on del 1 and del 2 they do not: `_del1_keys`).
        keys = {b.binding.action: b.enabled for b in bord.active_bindings.values()}
        assert keys["new_maal"] and keys["delete_maal"]

        # Insert on the first målsætning: its mål, with partners.
        await pilot.press("insert")
        await settle(app, pilot)
        assert _field(app.screen, "maalsaetning_id").value == ids["ms"]
        await _write_maal(
            app,
            pilot,
            tekst="Hver elev har en fast voksen i frikvarteret.",
            enhed=ids["skole"],
            ansvarlig="Anne Holm",
            til="2029",
            partnere="PPR\nForeningen Aftenløb",
        )
        assert app.screen is bord
        [maal1] = [m for m in read(path, "maal") if m["tekst"].startswith("Hver elev har")]
        assert maal1["maalsaetning_id"] == ids["ms"]
        assert (maal1["enhed_id"], maal1["ansvarlig"]) == (ids["skole"], "Anne Holm")
        assert (maal1["fra_aar"], maal1["til_aar"]) == (2027, 2029)
        assert maal1["mulige_partnere"] == "PPR\nForeningen Aftenløb"
        assert maal1["maalplan_id"] == ids["plan_skole"]  # the enhed's plan for 2027
        assert read(path, "bord")[0]["maal_ids"] == [maal1["id"]]
        assert _progress(bord) == "1 af 2 målsætninger har et mål"
        text = " ".join(t for _, t in _options(listing))
        assert "Nordlys Skole · Ansvarlig: Anne Holm · 2027-2029" in text
        assert "Mulige partnere: PPR, Foreningen Aftenløb" in text

        # A mål written by mistake on the second målsætning: one Ctrl+Z takes it away again,
        # from the bord too.
        listing.highlighted = [i for i, _ in _options(listing)].index(
            MAALSAETNING_PREFIX + ids["ms2"]
        )
        await pilot.press("enter")  # Enter on a målsætning writes a mål for it
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        assert _field(form, "maalsaetning_id").value == ids["ms2"]
        await _type(pilot, "Skrevet ved en fejl")
        await pilot.press("escape")
        await settle(app, pilot, rounds=5)
        mistake = [m for m in read(path, "maal") if m["tekst"] == "Skrevet ved en fejl"]
        assert len(mistake) == 1
        assert read(path, "bord")[0]["maal_ids"] == [maal1["id"], mistake[0]["id"]]
        assert _progress(bord) == "2 af 2 målsætninger har et mål"
        await pilot.press("ctrl+z")
        await settle(app, pilot, rounds=5)
        assert not any(m["tekst"] == "Skrevet ved en fejl" for m in read(path, "maal"))
        assert read(path, "bord")[0]["maal_ids"] == [maal1["id"]]
        assert _progress(bord) == "1 af 2 målsætninger har et mål"

        # Enter on a mål opens it for editing (its form: the lederdag's work).
        listing.highlighted = [i for i, _ in _options(listing)].index(maal1["id"])
        await pilot.press("enter")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, RecordForm) and form.row_id == maal1["id"]
        assert _field(form, "ansvarlig").value == "Anne Holm"
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is bord

        # Delete asks; Esc keeps the mål.
        await pilot.press("delete")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is bord
        assert [m["id"] for m in read(path, "maal") if m["id"] == maal1["id"]] == [maal1["id"]]

        # Letters typed on the list only filter it.
        await pilot.press("x", "y", "z")
        await settle(app, pilot)
        assert bord.query_one("#bord-filter").value == "xyz"
        await pilot.press("escape")  # clears the filter
        await settle(app, pilot)

        # --- closing the day: the second målsætning has no mål ----------------------------------
        await pilot.press("f9")
        await settle(app, pilot)
        close = app.screen
        assert isinstance(close, CloseDayScreen)
        rule = str(close.query_one("#close-rule").render())
        assert "hver målsætning skal have mindst ét mål" in rule
        assert "1 målsætning mangler et mål" in str(close.query_one("#close-status").render())
        checklist = close.query_one("#close-checklist")
        assert [i for i, _ in _options(checklist)] == [MAALSAETNING_PREFIX + ids["ms2"]]
        await _focus(pilot, checklist)
        await pilot.press("enter")  # back to the bord, writing that målsætning's mål
        await settle(app, pilot)
        assert isinstance(app.screen, RecordForm)
        assert _field(app.screen, "maalsaetning_id").value == ids["ms2"]
        await _write_maal(
            app,
            pilot,
            tekst="Flere forældre kender vejen til uddannelse.",
            enhed=ids["fam"],
            ansvarlig="Jonas Krogh",
            til="2028",
            partnere="Jobcentret",
        )
        assert app.screen is bord
        assert _progress(bord) == "2 af 2 målsætninger har et mål"

        await pilot.press("f9")
        await settle(app, pilot)
        close = app.screen
        assert isinstance(close, CloseDayScreen)
        status = str(close.query_one("#close-status").render())
        assert "Alle 2 målsætninger har et mål." in status
        assert not close.query_one("#close-checklist").display
        usb = tmp_path / "usb"
        usb.mkdir()
        folder = close.query_one("#close-folder")
        await _focus(pilot, folder)
        folder.value = str(usb)
        await assert_reachable(pilot, close.query_one("#close-write"))
        await pilot.click("#close-write")
        await settle(app, pilot, rounds=5)
        [handoff] = list(usb.iterdir())
        assert "Overleveringsfilen er skrevet" in str(close.query_one("#close-summary").render())

    # --- merged on the tovholder's database: the mål fill FØR ------------------------------------
    db = open_database(str(tov))
    try:
        import_bundles(db, [handoff])
        maal = {m["tekst"]: m for m in read(tov, "maal")}
        assert maal["Flere forældre kender vejen til uddannelse."]["maalplan_id"] == ids["plan_fam"]
        view = load_maalplan(db, ids["plan_skole"])
        workbook = tmp_path / "plan.xlsx"
        workbook.write_bytes(maalplan_xlsx(view, when=date(2027, 1, 15)))
    finally:
        db.close()
    foer = openpyxl.load_workbook(workbook)["FØR"]
    cells = [str(c.value) for row in foer.iter_rows() for c in row if c.value is not None]
    for text in (
        "Hver elev har en fast voksen i frikvarteret.",
        "Flere børn trives i fællesskaber.",
        "Anne Holm",
        "PPR\nForeningen Aftenløb",
    ):
        assert text in cells, text
    assert "Skrevet ved en fejl" not in " ".join(cells)


@run_async
async def test_a_del1_bord_writes_no_maal(tmp_path: Path) -> None:
    """On del 1 the mål are the tovholder's: Insert and Delete do nothing on the bord, the
    mål open on the mål screen as before, and the progress counts mål with tegn."""
    from screens.bord import BordScreen
    from screens.maal import MaalScreen

    path = tmp_path / "dag.db"
    ids = build_small(path)
    app = _app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.screen.open_bord()
        await settle(app, pilot)
        bord = app.screen
        assert isinstance(bord, BordScreen)
        keys = {b.binding.action: b.enabled for b in bord.active_bindings.values()}
        assert not keys.get("new_maal") and not keys.get("delete_maal")
        await pilot.press("insert", "delete")
        await settle(app, pilot)
        assert app.screen is bord and len(read(path, "maal")) == 2
        assert _progress(bord) == "1 af 2 mål har tegn"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, MaalScreen) and app.screen.maal_id == ids["m1"]
