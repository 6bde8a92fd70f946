"""The August status screen (issue 16, `screens.vurdering`) on the demo at 80x24 and 120x40:
opened from the palette, every control reachable, a mål assessed by keyboard (the roll-up and
the first page change, the date and the laptop's name filled in), Ctrl+Z undoes, Esc leaves the
form without a write, F4 changes the year."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.tui.helpers import (
    FakeClock,
    assert_all_reachable,
    assert_reachable,
    prompt_text,
    read,
    run_async,
    settle,
)

SIZES = [(80, 24), (120, 40)]


def with_demo(path: Path) -> dict[str, str]:
    from models.db import open_database
    from models.demo import build_demo
    from models.store import Store

    db = open_database(str(path), device_name="Testbærbar")
    try:
        return build_demo(Store(db))
    finally:
        db.close()


def _app(path: Path) -> Any:
    from tui.app import UdviklingsdagApp

    return UdviklingsdagApp(str(path), clock=FakeClock())


def _option(screen: Any, option_id: str) -> str:
    from textual.widgets import OptionList

    listing = screen.query_one("#vurdering-list", OptionList)
    return prompt_text(listing.get_option(option_id).prompt)


def _prompt(screen: Any, option_id: str) -> str:
    """An option's text as drawn (a Hanging visual or a Text)."""
    from textual.widgets import OptionList

    listing = screen.query_one("#vurdering-list", OptionList)
    prompt = listing.get_option(option_id).prompt
    body = getattr(prompt, "body_text", prompt)
    return prompt_text(body)


async def _open(app: Any, pilot: Any) -> Any:
    from screens.vurdering import VurderingScreen

    await settle(app, pilot)
    await pilot.press("ctrl+p")
    await settle(app, pilot)
    await pilot.press(*"Augustrapport")
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)
    assert isinstance(app.screen, VurderingScreen)
    return app.screen


async def _highlight(app: Any, pilot: Any, screen: Any, option_id: str) -> None:
    """Move the list's cursor down (by keyboard) to an option."""
    from textual.widgets import OptionList

    listing = screen.query_one("#vurdering-list", OptionList)
    listing.focus()
    target = listing.get_option_index(option_id)
    await pilot.press("home")
    for _ in range(listing.option_count):
        if listing.highlighted == target:
            break
        await pilot.press("down")
    assert listing.highlighted == target
    await settle(app, pilot)


@pytest.mark.parametrize("size", SIZES)
@run_async
async def test_open_from_the_palette_and_everything_reachable(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    from textual.widgets import OptionList, Select

    ids = with_demo(tmp_path / "d.db")
    app = _app(tmp_path / "d.db")
    async with app.run_test(size=size) as pilot:
        screen = await _open(app, pilot)
        # The clock says 3 December 2026: the newest year whose August has begun.
        assert screen.query_one("#vurdering-aar", Select).value == 2026
        assert "Augustrapport 2026" in prompt_text(screen.query_one("#topbar-title").render())
        await assert_all_reachable(pilot, "#vurdering-aar", "#vurdering-hint", "#vurdering-list")
        listing = screen.query_one("#vurdering-list", OptionList)
        summary = _option(screen, "summary")
        assert "I 2026 arbejdede 3 enheder med 4 mål under 4 målsætninger." in summary
        assert "Af de 4 mål er 1 opfyldt, 1 delvist opfyldt og 1 ikke opfyldt endnu." in summary
        bad = _prompt(screen, ids["maal:2026:bad"])
        assert "Hjemmeplejen · Halvdelen af de borgere" in bad
        assert "Vurdering: Delvist opfyldt, 18.8.2026 af Områdeleder Hanne Dahl" in bad
        assert "seneste 47 (28.11.2026) · udgangspunkt 34 % · forventet 50 %" in bad
        assert "Afsluttet siden 31.8.2026" in bad and "Effekt (afslutning)" in bad
        # the last mål can be scrolled to
        await pilot.press("end")
        await settle(app, pilot)
        assert listing.highlighted == listing.option_count - 1
        wide = size[0] >= 110
        assert screen.has_class("-wide") is wide
        if wide:
            await _highlight(app, pilot, screen, ids["maal:2026:bad"])
            await assert_reachable(pilot, screen.query_one("#vurdering-detail"))
            detail = prompt_text(screen.query_one("#vurdering-detail-text").render())
            assert "Vi er gået fra 34 % til 46 %" in detail  # the whole begrundelse
            assert "Læring" in detail
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, type(screen))


def picker_y(form) -> int:  # type: ignore[no-untyped-def]
    """Where the choice of målopfyldelse is on the screen."""
    return int(form.query_one("#vurdering-valg").region.y)


@run_async
async def test_assess_by_keyboard_rollup_changes_and_undo(tmp_path: Path) -> None:
    from textual.widgets import Input, Select, TextArea

    from screens.vurdering import VurderingForm

    ids = with_demo(tmp_path / "d.db")
    maal_id = ids["maal:2026:ro"]
    app = _app(tmp_path / "d.db")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        report = screen.report
        ms = next(x for x in report.maalsaetninger if x.maal[0].id == maal_id)
        ms_option = f"maalsaetning:{ms.id}"
        assert "Samlet: For tidligt at sige" in _option(screen, ms_option)
        await _highlight(app, pilot, screen, maal_id)
        await pilot.press("enter")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, VurderingForm)
        await assert_all_reachable(
            pilot,
            "#vurdering-valg",
            "#vurdering-begrundelse",
            "#vurdering-hvem",
            "#vurdering-auto",
            "#vurdering-save",
            "#vurdering-cancel",
        )
        (before,) = read(tmp_path / "d.db", "vurdering", maal_id=maal_id)
        assert before["hvem"] and before["dato"] == date(2026, 8, 21)
        # The assessment there: its own date and assessor, and what a change will be dated.
        auto = prompt_text(form.query_one("#vurdering-auto").render())
        assert f"Vurderet 21.8.2026 af {before['hvem']}" in auto and "3.12.2026" in auto
        # Which mål stays in sight above the scrolling data; who assessed is the assessment's
        # own assessor (not this laptop's name) and can be changed.
        heading = form.query_one("#vurdering-form-maal")
        assert ms.maal[0].tekst[:30] in prompt_text(heading.render())
        assert heading.region.height > 0 and heading.region.y < picker_y(form)
        who = form.query_one("#vurdering-hvem", Input)
        assert who.value == before["hvem"] != "Testbærbar"
        # Saved as it is: nothing is written (no new date, no new assessor, nothing to undo).
        await pilot.press("ctrl+s")
        await settle(app, pilot, rounds=5)
        assert app.screen is screen
        assert read(tmp_path / "d.db", "vurdering", maal_id=maal_id) == [before]
        assert any("ikke ændret" in n.message for n in app._notifications)
        await _highlight(app, pilot, screen, maal_id)
        await pilot.press("enter")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, VurderingForm)
        who = form.query_one("#vurdering-hvem", Input)
        # the Select: from «For tidligt at sige» up to «Opfyldt»
        picker = form.query_one("#vurdering-valg", Select)
        picker.focus()
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("up", "up", "up", "enter")
        await settle(app, pilot)
        assert picker.value == "opfyldt"
        area = form.query_one("#vurdering-begrundelse", TextArea)
        for _ in range(6):
            if app.focused is area:
                break
            await pilot.press("tab")
        assert app.focused is area
        await pilot.press("ctrl+a")  # TextArea: select all, so typing replaces the text
        await pilot.press(*"Ro i timerne")
        who.value = ""
        who.focus()
        await pilot.press(*"Mette Holm")
        await pilot.press("ctrl+s")
        await settle(app, pilot, rounds=5)
        assert app.screen is screen
        rows = read(tmp_path / "d.db", "vurdering", maal_id=maal_id)
        assert len(rows) == 1
        row = rows[0]
        assert row["maalopfyldelse"] == "opfyldt" and row["dato"] == date(2026, 12, 3)
        assert row["hvem"] == "Mette Holm" and "Ro i timerne" in row["begrundelse"]
        assert "Samlet: Opfyldt" in _option(screen, ms_option)
        assert "Af de 4 mål er 2 opfyldt, 1 delvist opfyldt og 1 ikke opfyldt endnu." in (
            _option(screen, "summary")
        )
        assert "Vurdering: Opfyldt, 3.12.2026 af Mette Holm" in _prompt(screen, maal_id)
        # Ctrl+Z: back as it was
        await pilot.press("ctrl+z")
        await settle(app, pilot, rounds=5)
        (row,) = read(tmp_path / "d.db", "vurdering", maal_id=maal_id)
        assert row["maalopfyldelse"] == "for_tidligt" and row["dato"] == date(2026, 8, 21)
        assert "Samlet: For tidligt at sige" in _option(screen, ms_option)
        # Esc in the form writes nothing
        await _highlight(app, pilot, screen, maal_id)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, VurderingForm)
        # Undone, the assessment is its assessor's again.
        assert app.screen.query_one("#vurdering-hvem", Input).value == before["hvem"]
        # A begrundelse over the field's length is refused while the form is open (its text
        # is still there to shorten), and nothing is written.
        from models.schema import TEXT_MAX

        long_text = "Langt. " * (TEXT_MAX // 7 + 1)
        app.screen.query_one("#vurdering-begrundelse", TextArea).text = long_text
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, VurderingForm)
        assert app.screen.query_one("#vurdering-begrundelse", TextArea).text == long_text
        assert any("Begrundelse" in n.message for n in app._notifications), [
            n.message for n in app._notifications
        ]
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen
        (row,) = read(tmp_path / "d.db", "vurdering", maal_id=maal_id)
        assert row["maalopfyldelse"] == "for_tidligt"
        # A mål without an assessment (2027): the name given last time comes first.
        await pilot.press("f4")
        await settle(app, pilot)
        await pilot.press("up", "enter")
        await settle(app, pilot, rounds=5)
        await _highlight(app, pilot, screen, screen.report.maal[0].id)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, VurderingForm)
        assert app.screen.query_one("#vurdering-hvem", Input).value == "Mette Holm"
        auto = prompt_text(app.screen.query_one("#vurdering-auto").render())
        assert auto == "Datoen (3.12.2026) sættes af sig selv."


@run_async
async def test_a_maal_without_assessment_and_another_year(tmp_path: Path) -> None:
    from textual.widgets import Select

    from screens.vurdering import VurderingForm

    ids = with_demo(tmp_path / "d.db")
    app = _app(tmp_path / "d.db")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        await pilot.press("f4")
        await settle(app, pilot)
        picker = screen.query_one("#vurdering-aar", Select)
        assert picker.expanded
        await pilot.press("up", "enter")  # the years newest first: 2027 is above 2026
        await settle(app, pilot, rounds=5)
        assert picker.value == 2027
        assert "Augustrapport 2027" in prompt_text(screen.query_one("#topbar-title").render())
        maal = screen.report.maal
        assert maal and all(m.vurdering is None for m in maal)
        first = maal[0].id
        assert "Ikke vurderet endnu" in _prompt(screen, first)
        assert "mangler endnu tovholderens vurdering" in _option(screen, "summary")
        # set one: a new vurdering for 2027 (the 2026 ones are untouched). The form starts
        # with no choice: Ctrl+S without one writes nothing and asks for it.
        await _highlight(app, pilot, screen, first)
        await pilot.press("enter")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, VurderingForm)
        valg = form.query_one("#vurdering-valg", Select)
        assert valg.value is Select.NULL and valg.has_focus
        await pilot.press("ctrl+s")
        await settle(app, pilot, rounds=5)
        assert app.screen is form and read(tmp_path / "d.db", "vurdering", maal_id=first) == []
        error = form.query_one("#vurdering-valg-error")
        assert error.display and "Vælg først" in prompt_text(error.render())
        await pilot.press("enter")  # the list opens; the last choice is «For tidligt at sige»
        await settle(app, pilot)
        await pilot.press("end", "enter")
        await settle(app, pilot)
        assert valg.value == "for_tidligt" and not error.display
        await pilot.press("ctrl+s")
        await settle(app, pilot, rounds=5)
        rows = read(tmp_path / "d.db", "vurdering", maal_id=first)
        assert [(r["aar"], r["maalopfyldelse"]) for r in rows] == [(2027, "for_tidligt")]
        assert len(read(tmp_path / "d.db", "vurdering", aar=2026)) == 4
        assert ids  # the demo's ids were built


@run_async
async def test_no_plans_yet(tmp_path: Path) -> None:
    from tests.tui.helpers import build_small

    build_small(tmp_path / "d.db")  # a workshop without målplaner
    app = _app(tmp_path / "d.db")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        assert screen.report is None and screen.years == ()
        assert "Der er ingen målplaner endnu" in _option(screen, "summary")
        await pilot.press("enter")  # nothing to assess: no form, no error
        await settle(app, pilot)
        assert app.screen is screen


@run_async
async def test_export_to_a_folder_that_cannot_be_used_asks_again_with_what_was_typed(
    tmp_path: Path,
) -> None:
    """Ctrl+E, a «folder» that is a file: the dialog comes back with that path, the case
    number typed and why (before: it closed, and what was typed was gone); a folder that
    works then gets the package, and the notice names it."""
    from textual.widgets import Input, Label

    from screens.vurdering import ReportFolderScreen

    with_demo(tmp_path / "d.db")
    a_file = tmp_path / "ikke-en-mappe"
    a_file.write_text("x")
    app = _app(tmp_path / "d.db")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        await pilot.press("ctrl+e")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ReportFolderScreen)
        dialog.query_one("#vurdering-outdir", Input).value = str(a_file)
        dialog.query_one("#vurdering-sagsnummer", Input).value = "00.01.00-G01-12-24"
        await pilot.press("enter")
        await settle(app, pilot, rounds=8)
        again = app.screen
        assert isinstance(again, ReportFolderScreen) and again is not dialog
        assert again.query_one("#vurdering-outdir", Input).value == str(a_file)
        assert again.query_one("#vurdering-sagsnummer", Input).value == "00.01.00-G01-12-24"
        why = str(again.query_one("#vurdering-outdir-error", Label).render())
        assert "er en fil, ikke en mappe" in why
        assert a_file.read_text() == "x"
        good = tmp_path / "rapporter"
        again.query_one("#vurdering-outdir", Input).value = str(good)
        again.query_one("#vurdering-outdir", Input).focus()
        await pilot.press("enter")
        for _ in range(40):
            await settle(app, pilot)
            if good.exists() and any(good.iterdir()):
                break
        assert app.screen is screen
        (folder,) = good.iterdir()
        assert sorted(p.suffix for p in folder.iterdir()) == [
            ".docx",
            ".json",
            ".pdf",
            ".txt",
            ".xlsx",
        ]
        assert any(str(good) in n.message for n in app._notifications)


@run_async
async def test_page_down_pages_through_the_whole_list_at_80x24(tmp_path: Path) -> None:
    """PgDn moves on through mål taller than the list (Textual's page step landed inside the
    same tall option, and every later PgDn stayed there); PgUp goes back to the top."""
    from textual.widgets import OptionList

    with_demo(tmp_path / "d.db")
    app = _app(tmp_path / "d.db")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        listing = screen.query_one("#vurdering-list", OptionList)
        last = listing.option_count - 1
        seen = [listing.highlighted]
        for _ in range(last + 1):
            await pilot.press("pagedown")
            await pilot.pause()
            seen.append(listing.highlighted)
        assert seen[-1] == last
        # each press moves on until the last mål, where the highlight stays
        assert all(b > a or a == b == last for a, b in itertools.pairwise(seen)), seen
        for _ in range(last + 1):
            await pilot.press("pageup")
            await pilot.pause()
        assert listing.highlighted == 0


def test_the_form_shows_evaluation_laering_and_says_which_laering_is_the_plans(
    tmp_path: Path,
) -> None:
    """«Vurdér målet» shows the læring written in an evaluering, and the plan's own læring
    (the same under every mål of the plan) as the plan's, not as the mål's."""
    from models.db import open_database
    from models.status_report import status_report
    from screens.vurdering import maal_lines

    ids = with_demo(tmp_path / "d.db")
    db = open_database(str(tmp_path / "d.db"), device_name="Testbærbar")
    try:
        report = status_report(db, 2026, date(2026, 12, 6), reference=False)
    finally:
        db.close()
    bad = next(m for m in report.maal if m.id == ids["maal:2026:bad"])
    sick = next(m for m in report.maal if m.id == ids["maal:2026:sygdom"])
    text = " ".join(maal_lines(bad).plain.split())
    assert "Det fælles første besøg bliver en fast del af opstarten fra 2027." in text
    sick_text = " ".join(maal_lines(sick).plain.split())
    assert "Læring for hele målplanen 29.10.2026: Borgerne træner mere" in sick_text
    assert "Læring 29.10.2026: Borgerne" not in sick_text
