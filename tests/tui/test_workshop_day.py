"""The whole day through the UI: the tovholder prepares a day with two mål, the facilitator
opens it, writes tegn, a prøvehandling and a samarbejde at each level, undoes, closes the day;
then the database file is checked."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.widgets import Input, SelectionList, TabbedContent

from tests.tui.helpers import FakeClock, build_small, read, run_async, settle, wait_debounce


def _app(path: Path, clock: FakeClock | None = None):
    from tui.app import UdviklingsdagApp

    return UdviklingsdagApp(str(path), clock=clock or FakeClock())


async def _type(pilot, text: str) -> None:
    """Type into the focused field. Long texts are inserted at once (as a paste would) to keep
    the test fast; `_keys` types key by key."""
    from textual.widgets import TextArea

    await pilot.pause()  # a focus() just called takes effect first
    focused = pilot.app.focused
    if isinstance(focused, Input):
        focused.insert_text_at_cursor(text)
    elif isinstance(focused, TextArea):
        focused.insert(text)
    else:
        await _keys(pilot, text)
    await pilot.pause()


async def _keys(pilot, text: str) -> None:
    await pilot.press(*[c if c != " " else "space" for c in text])


@run_async
async def test_whole_day(tmp_path: Path) -> None:
    from screens.bord import BordScreen
    from screens.close_day import CloseDayScreen
    from screens.forms import NiveauPicker, RecordForm
    from screens.home import HomeScreen
    from screens.maal import MaalScreen
    from screens.prepare import PrepareScreen

    path = tmp_path / "dag.db"
    ids = build_small(path, with_day=False)
    app = _app(path)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)

        # --- the tovholder prepares the day -------------------------------------------------
        await pilot.press("f")
        await settle(app, pilot)
        prep = app.screen
        assert isinstance(prep, PrepareScreen)
        await pilot.press("a")
        await settle(app, pilot)
        assert isinstance(app.screen, RecordForm)
        await _type(pilot, "Min dag del 1")
        await pilot.press("tab")  # leaving the field saves it
        await settle(app, pilot)
        app.screen.query_one("#f-dato", Input).focus()
        await _type(pilot, "03-12-2026")
        await pilot.press("escape")
        await settle(app, pilot)

        tabs = prep.query_one(TabbedContent)
        tabs.active = "tab-program"
        prep.query_one("#prep-programblok").focus()
        await settle(app, pilot)
        await pilot.press("a")
        await settle(app, pilot)
        await _type(pilot, "Gruppearbejde")
        await pilot.press("escape")
        await settle(app, pilot)

        tabs.active = "tab-borde"
        prep.query_one("#prep-bord").focus()
        await settle(app, pilot)
        await pilot.press("a")
        await settle(app, pilot)
        form = app.screen
        await _type(pilot, "Bord 7")
        await pilot.press("tab")
        await _type(pilot, "Lise Facilitator")
        await pilot.press("tab")
        await settle(app, pilot)
        form.query_one(SelectionList).focus()
        await pilot.press("space", "down", "space")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)

        days = read(path, "udviklingsdag")
        assert [(d["titel"], d["dato"]) for d in days] == [("Min dag del 1", date(2026, 12, 3))]
        borde = read(path, "bord")
        assert borde[0]["navn"] == "Bord 7" and borde[0]["facilitator"] == "Lise Facilitator"
        assert set(borde[0]["maal_ids"]) == {ids["m1"], ids["m2"]}
        assert [b["titel"] for b in read(path, "programblok")] == ["Gruppearbejde"]

        # --- the facilitator opens the bord --------------------------------------------------
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        app.screen.query_one("#home-borde").focus()
        await pilot.press("enter")
        await settle(app, pilot)
        bord = app.screen
        assert isinstance(bord, BordScreen)
        assert "1 af 2 mål har tegn" in str(bord.query_one("#bord-progress-text").render())
        await pilot.press("enter")  # the first mål
        await settle(app, pilot)
        maal = app.screen
        assert isinstance(maal, MaalScreen) and maal.maal_id == ids["m1"]

        # a tegn whose text looks like markup
        await pilot.press("insert")
        await settle(app, pilot)
        await _keys(pilot, "Børn siger [bold]ja[/] til leg")
        await wait_debounce(app, pilot)  # a pause in typing saves
        assert app.save_status[0] == "saved"
        assert any(
            t["tekst"] == "Børn siger [bold]ja[/] til leg"
            for t in read(path, "tegn", maal_id=ids["m1"])
        )
        await pilot.press("escape")
        await settle(app, pilot)

        # a prøvehandling with ansvarlig and dates
        await pilot.press("2", "insert")
        await settle(app, pilot)
        form = app.screen
        await _type(pilot, "Fast frikvartersvoksen")
        form.query_one("#f-ansvarlig", Input).focus()
        await _type(pilot, "Anne Holm")
        form.query_one("#f-start", Input).focus()
        await _type(pilot, "01-02-2027")
        form.query_one("#f-slut", Input).focus()
        await _type(pilot, "30-04-2027")
        await pilot.press("escape")
        await settle(app, pilot)

        # a samarbejde at each level, with PPR as partner
        for steps in (0, 1, 2):
            await pilot.press("3", "insert")
            await settle(app, pilot)
            form = app.screen
            # Enter takes the suggestion, so the first time a prefix is enough.
            await _type(pilot, "PPR" if steps else "pp")
            await pilot.press("enter")
            await settle(app, pilot)
            form.query_one(NiveauPicker).focus()
            await pilot.press("home", *(["down"] * steps), "enter")
            await settle(app, pilot)
            await pilot.press("escape")
            await settle(app, pilot)

        # undo: a tegn written by mistake disappears again
        await pilot.press("1", "insert")
        await settle(app, pilot)
        await _type(pilot, "Skrevet ved en fejl")
        await pilot.press("escape")
        await settle(app, pilot)
        assert any(t["tekst"] == "Skrevet ved en fejl" for t in read(path, "tegn"))
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert not any(t["tekst"] == "Skrevet ved en fejl" for t in read(path, "tegn"))

        # --- closing the day ------------------------------------------------------------------
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("f9")
        await settle(app, pilot)
        close = app.screen
        assert isinstance(close, CloseDayScreen)
        checklist = close.query_one("#close-checklist")
        assert checklist.display and checklist.option_count == 1  # mål 2 has no tegn
        usb = tmp_path / "usb"
        usb.mkdir()
        close.query_one("#close-folder", Input).value = str(usb)
        await pilot.click("#close-write")
        await settle(app, pilot, rounds=5)
        written = list(usb.iterdir())
        assert len(written) == 1 and written[0].stat().st_size > 0
        summary = str(close.query_one("#close-summary").render())
        assert "Overleveringsfilen er skrevet" in summary

    # --- what is on disk ------------------------------------------------------------------------
    proevehandlinger = read(path, "proevehandling", maal_id=ids["m1"])
    assert [(p["tekst"], p["ansvarlig"], p["start"], p["slut"]) for p in proevehandlinger] == [
        ("Fast frikvartersvoksen", "Anne Holm", date(2027, 2, 1), date(2027, 4, 30))
    ]
    samarbejder = read(path, "samarbejde", maal_id=ids["m1"])
    assert sorted(s["niveau"] for s in samarbejder) == ["koordination", "samskabelse", "viden"]
    assert all(s["partner_ids"] == [ids["ppr"]] for s in samarbejder)
    tegn = [t["tekst"] for t in read(path, "tegn", maal_id=ids["m1"])]
    assert tegn == ["Eleverne opsøger selv en voksen", "Børn siger [bold]ja[/] til leg"]
