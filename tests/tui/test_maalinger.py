"""The målinger screen (issue 15): opened from the mål screen's tegn tab with Ctrl+E, a number
typed the Danish way is saved, a word gets the field's Danish error and keeps the form, edit,
Delete asks, Ctrl+Z undoes; a kvalitativ tegn shows its observations and no chart; a tegn
with fewer than two numbers says what is missing; everything is reachable at 80x24 and
120x40; a run chart of 100 målinger is drawn in the first frame."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from textual.widgets import Input, TextArea

from tests.maalinger_data import add_maalinger
from tests.tui.helpers import (
    FakeClock,
    assert_all_reachable,
    assert_reachable,
    build_small,
    prompt_text,
    read,
    run_async,
    settle,
    wait_debounce,
)


def _app(path: Path) -> Any:
    from tui.app import UdviklingsdagApp

    return UdviklingsdagApp(str(path), clock=FakeClock())


def _build(path: Path, *, points: int = 12) -> dict[str, Any]:
    ids = build_small(path)
    return add_maalinger(path, ids, points=points)


def _prompts(option_list: Any) -> list[str]:
    return [
        prompt_text(option_list.get_option_at_index(i).prompt)
        for i in range(option_list.option_count)
    ]


async def _type_into(pilot: Any, widget: Any, text: str) -> None:
    widget.focus()
    await pilot.pause()
    if isinstance(widget, Input):
        widget.value = ""
        widget.insert_text_at_cursor(text)
    else:
        assert isinstance(widget, TextArea)
        widget.insert(text)
    await pilot.pause()


async def _open_from_maal(app: Any, pilot: Any, tegn_index: int) -> Any:
    """Home → bord → mål m1 → tegn tab → the tegn at `tegn_index` → Ctrl+E."""
    from screens.maal import MaalScreen
    from screens.maalinger import MaalingerScreen

    await settle(app, pilot)
    app.screen.open_bord()
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)
    assert isinstance(app.screen, MaalScreen)
    await pilot.press("1")
    await settle(app, pilot)
    app.screen.query_one("#list-tegn").highlighted = tegn_index
    await pilot.press("ctrl+e")
    await settle(app, pilot)
    assert isinstance(app.screen, MaalingerScreen)
    return app.screen


def _chart_text(screen: Any) -> str:
    from screens.runchart import RunChartView

    chart = screen.query_one("#maalinger-chart", RunChartView)
    assert chart._layout is not None
    return "\n".join("".join(c for c, _p in row) for row in chart._layout.rows)


async def _new_maaling(app: Any, pilot: Any) -> Any:
    """Insert on the målinger screen: the new måling's form."""
    from screens.forms import RecordForm

    await pilot.press("insert")
    await settle(app, pilot)
    form = app.screen
    assert isinstance(form, RecordForm)
    return form


async def _enter(app: Any, pilot: Any, form: Any, field: str, text: str) -> None:
    """Type `text` into the form's field (`#f-…`), leave it, and wait for its save."""
    await _type_into(pilot, form.query_one(field, Input), text)
    await pilot.press("tab")
    await wait_debounce(app, pilot)
    await settle(app, pilot)


@run_async
async def test_add_edit_delete_undo_at_80x24(tmp_path: Path) -> None:
    from screens.forms import RecordForm
    from screens.runchart import RunChartView

    path = tmp_path / "m.db"
    ids = _build(path)
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_from_maal(app, pilot, 1)  # «Andel elever, der trives …»
        assert screen.tegn_id == ids["tegn_k"]
        head = str(screen.query_one("#maalinger-meta").render())
        assert "Kvantitativ" in head and "45 %" in head and "60 %" in head
        chart = screen.query_one("#maalinger-chart", RunChartView)
        assert chart.display and chart.drawn >= 1
        text = _chart_text(screen)
        assert "Forventet 60" in text and "Udgangspunkt 45" in text and "Median" in text
        assert "feb" in text and "mar" in text  # Danish months on the time axis
        assert "1 Fast voksen" in text and "►" in text  # the periods; the second is open
        assert "Forældremøde" not in text  # does not follow this tegn
        note = str(screen.query_one("#maalinger-note").render())
        assert "6 målinger i træk, der stiger, fra 16. mar. 2026" in note
        await assert_all_reachable(pilot, "#maalinger-chart", "#maalinger-list")
        listing = screen.query_one("#maalinger-list")
        assert _prompts(listing)[0].startswith("1. 08-06-2026 · 52")  # newest first

        # Add: the number first, the date today; a word is refused in Danish, form kept.
        await pilot.press("insert")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        assert form.spec.fields[:2] == ["vaerdi", "dato"]
        assert form.query_one("#f-dato", Input).value == "03-12-2026"  # the (fake) clock
        # Registered by whoever works on this laptop (no vurdering named anyone: its name).
        assert form.query_one("#f-hvem", Input).value == "Testbærbar"
        await _type_into(pilot, form.query_one("#f-vaerdi", Input), "tolv")
        await pilot.press("tab")
        await wait_debounce(app, pilot)
        error = str(form.query_one("#err-vaerdi").render())
        assert "ikke et tal" in error
        assert app.screen is form
        assert len(read(path, "maaling", tegn_id=ids["tegn_k"])) == 12
        await _type_into(pilot, form.query_one("#f-vaerdi", Input), "12,5")
        await pilot.press("tab")
        await wait_debounce(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen
        rows = read(path, "maaling", tegn_id=ids["tegn_k"])
        assert sorted((r["dato"], r["vaerdi"], r["hvem"]) for r in rows)[-1] == (
            date(2026, 12, 3),
            12.5,
            "Testbærbar",
        )
        assert _prompts(listing)[0].startswith("1. 03-12-2026 · 12,5")
        assert len(screen.data.chart.points) == 13
        assert "(13)" in str(listing.border_title)

        # Edit (Enter): the value becomes 13.
        listing.highlighted = 0
        await pilot.press("enter")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        assert form.query_one("#f-vaerdi", Input).value == "12,5"
        await _type_into(pilot, form.query_one("#f-vaerdi", Input), "13")
        await pilot.press("tab")
        await wait_debounce(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert _prompts(listing)[0].startswith("1. 03-12-2026 · 13")

        # Delete asks: Esc keeps, Enter deletes; Ctrl+Z brings it back.
        listing.highlighted = 0
        await pilot.press("delete")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert len(read(path, "maaling", tegn_id=ids["tegn_k"])) == 13
        await pilot.press("delete")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert len(read(path, "maaling", tegn_id=ids["tegn_k"])) == 12
        assert listing.option_count == 12
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert len(read(path, "maaling", tegn_id=ids["tegn_k"])) == 13
        assert _prompts(listing)[0].startswith("1. 03-12-2026 · 13")

        # Every row can be reached by keyboard.
        listing.focus()
        await pilot.press("end")
        await pilot.pause()
        assert listing.highlighted == listing.option_count - 1
        await assert_reachable(pilot, listing)
        await pilot.press("escape")
        await settle(app, pilot)
        from screens.maal import MaalScreen

        assert isinstance(app.screen, MaalScreen)


@run_async
async def test_kvalitativ_tegn_lists_observations(tmp_path: Path) -> None:
    from screens.forms import RecordForm
    from screens.runchart import RunChartView

    path = tmp_path / "q.db"
    ids = _build(path)
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_from_maal(app, pilot, 0)  # «Eleverne opsøger selv en voksen»
        assert screen.tegn_id == ids["tegn_q"]
        assert not screen.query_one("#maalinger-chart", RunChartView).display
        note = str(screen.query_one("#maalinger-note").render())
        assert "kvalitativt" in note
        listing = screen.query_one("#maalinger-list")
        shown = _prompts(listing)
        assert shown[0].startswith("1. 10-03-2026")
        assert "Tre elever fra 4.b" in shown[0] and "registreret af Jonas Krogh" in shown[0]
        await assert_all_reachable(pilot, "#maalinger-note", "#maalinger-list")

        await pilot.press("ctrl+a")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        assert form.spec.fields[:2] == ["observation", "dato"]
        await _type_into(
            pilot, form.query_one("#f-observation", TextArea), "Færre [b]konflikter[/]"
        )
        await wait_debounce(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        rows = read(path, "maaling", tegn_id=ids["tegn_q"])
        assert sorted(r["observation"] for r in rows)[0] == "Færre [b]konflikter[/]"
        assert "Færre [b]konflikter[/]" in _prompts(listing)[0]  # shown as typed

        # F1 explains this screen.
        from screens.help import HelpScreen

        await pilot.press("f1")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen) and app.screen.key == "maalinger"


@run_async
async def test_too_few_points_says_what_is_missing(tmp_path: Path) -> None:
    from screens.runchart import RunChartView

    path = tmp_path / "f.db"
    ids = _build(path)
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_from_maal(app, pilot, 2)  # «Fravær i procent»: no målinger
        assert screen.tegn_id == ids["tegn_tom"]
        assert not screen.query_one("#maalinger-chart", RunChartView).display
        note = str(screen.query_one("#maalinger-note").render())
        assert "mindst to målinger med et tal" in note and "mangler 2" in note
        assert "Ingen målinger endnu" in _prompts(screen.query_one("#maalinger-list"))[0]


@run_async
async def test_open_maalinger_from_the_app_at_120x40(tmp_path: Path) -> None:
    from screens.maalinger import MaalingerScreen

    path = tmp_path / "b.db"
    ids = _build(path)
    app = _app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.open_maalinger(ids["tegn_k"])
        await settle(app, pilot)
        assert isinstance(app.screen, MaalingerScreen)
        await assert_all_reachable(pilot, "#maalinger-chart", "#maalinger-list")
        chart = app.screen.query_one("#maalinger-chart")
        assert chart.size.height >= 14  # a big terminal gets a bigger chart
        assert "Legepatruljer i alle klasser" in _chart_text(app.screen)


@run_async
async def test_100_maalinger_drawn_in_the_first_frame(tmp_path: Path) -> None:
    from screens.maalinger import MaalingerScreen
    from screens.runchart import RunChartView

    path = tmp_path / "h.db"
    ids = _build(path, points=100)
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.open_maalinger(ids["tegn_k"])
        await app.settle()  # the read is done ...
        await pilot.pause()  # ... and one frame later the chart is on screen
        screen = app.screen
        assert isinstance(screen, MaalingerScreen)
        chart = screen.query_one("#maalinger-chart", RunChartView)
        assert chart.drawn >= 1
        assert len(screen.data.chart.points) == 100
        assert _chart_text(screen).count("●") >= 50  # points share cells at 80 columns


@run_async
async def test_the_list_stays_on_screen_at_80x24_under_a_long_tegn_and_two_signals(
    tmp_path: Path,
) -> None:
    """The demo's tegn with a two-line text, a source and (after a low måling) a two-line
    signal note: the chart gives way, and the list of målinger keeps rows on the screen (it was
    pushed below the footer, out of reach of every key)."""
    from models.db import open_database
    from models.demo import build_demo
    from models.store import Store
    from screens.maalinger import MaalingerScreen
    from screens.runchart import RunChartView

    path = tmp_path / "demo.db"
    db = open_database(str(path), device_name="Testbærbar")
    try:
        store = Store(db)
        build_demo(store)
        tegn = next(t for t in read(path, "tegn") if t["tekst"].startswith("Antal gange en elev"))
        store.create("maaling", tegn_id=tegn["id"], dato=date(2026, 12, 7), vaerdi=12.5)
    finally:
        db.close()
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.push_screen(MaalingerScreen(tegn["id"]))
        await settle(app, pilot)
        screen = app.screen
        note = screen.query_one("#maalinger-note")
        assert note.region.height == 2 and "i træk" in str(note.render())
        assert screen.query_one("#maalinger-meta").region.height >= 2
        chart = screen.query_one("#maalinger-chart", RunChartView)
        assert chart.display and chart.region.height >= 6
        listing = screen.query_one("#maalinger-list")
        footer_y = screen.query_one("AppFooter").region.y
        assert listing.region.height >= 5 and listing.region.bottom <= footer_y
        assert "12,5" in _prompts(listing)[0]


@run_async
async def test_esc_with_a_date_that_does_not_exist_keeps_the_form_then_lets_it_go(
    tmp_path: Path,
) -> None:
    """A new måling's number is saved as it is typed; a date that does not exist (31-02) is
    refused at the field. Esc then keeps the form open and says that Esc again closes without
    the date (before: the form closed at once, the måling kept today's date without a word,
    and «Ikke gemt» stayed in the top bar on every screen until the next save). Esc again
    closes it, and the top bar says what it said before the refusal."""
    from screens.widgets import SaveIndicator

    path = tmp_path / "m.db"
    ids = _build(path)
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_from_maal(app, pilot, 1)
        form = await _new_maaling(app, pilot)
        await _enter(app, pilot, form, "#f-vaerdi", "12,5")
        saved = app.save_status
        assert saved[0] == "saved"
        await _enter(app, pilot, form, "#f-dato", "31-02-2027")
        assert app.save_status[0] == "failed" and "31-02-2027" in app.save_status[1]

        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is form
        shown = str(form.query_one("#form-save-error").render())
        assert "ikke en dato" in shown and "Tryk Esc igen for at lukke" in shown

        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen
        assert app.save_status == saved
        assert "Ikke gemt" not in str(screen.query_one(SaveIndicator).render())
        rows = read(path, "maaling", tegn_id=ids["tegn_k"])
        assert sorted((r["dato"], r["vaerdi"]) for r in rows)[-1] == (date(2026, 12, 3), 12.5)


@run_async
async def test_a_date_ahead_is_saved_with_a_word_under_the_field(tmp_path: Path) -> None:
    """A måling dated after today (1-3-2030: a slip of the keys, most likely) is saved, and the
    form says so under the date in the warning colour; a date up to today says nothing."""

    path = tmp_path / "m.db"
    ids = _build(path)
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_from_maal(app, pilot, 1)
        form = await _new_maaling(app, pilot)
        await _enter(app, pilot, form, "#f-vaerdi", "7")
        await _enter(app, pilot, form, "#f-dato", "1-3-2030")
        note = form.query_one("#err-dato")
        assert note.display and note.has_class("-warning")
        assert str(note.render()) == (
            "Bemærk: 01-03-2030 ligger efter i dag. Ret datoen, hvis det er en tastefejl."
        )
        rows = read(path, "maaling", tegn_id=ids["tegn_k"])
        assert date(2030, 3, 1) in {r["dato"] for r in rows}
        await _enter(app, pilot, form, "#f-dato", "3-12-2026")  # today
        assert not form.query_one("#err-dato").display
        await pilot.press("escape")
        await settle(app, pilot)
        rows = read(path, "maaling", tegn_id=ids["tegn_k"])
        assert date(2030, 3, 1) not in {r["dato"] for r in rows}


@run_async
async def test_esc_with_two_refused_fields_closes_on_the_second_esc(tmp_path: Path) -> None:
    """Two fields with text they refuse («tolv», 31-02-2027): the first Esc keeps the form and
    says so, the second closes it (the refusals are remembered together, not one at a time,
    which kept the form open for ever)."""

    path = tmp_path / "m.db"
    _build(path)
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_from_maal(app, pilot, 1)
        form = await _new_maaling(app, pilot)
        await _enter(app, pilot, form, "#f-vaerdi", "12,5")
        saved = app.save_status
        for field, text in (("#f-dato", "31-02-2027"), ("#f-vaerdi", "tolv")):
            await _enter(app, pilot, form, field, text)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is form
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen
        assert app.save_status == saved


@run_async
async def test_a_refusal_corrected_then_typed_again_is_said_again(tmp_path: Path) -> None:
    """Esc on a refused date keeps the form; the date corrected (saved), then the same wrong
    date typed again: Esc keeps the form and says so again (the refusal seen before no longer
    counts once the field has saved)."""

    path = tmp_path / "m.db"
    _build(path)
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_from_maal(app, pilot, 1)
        form = await _new_maaling(app, pilot)
        await _enter(app, pilot, form, "#f-vaerdi", "12,5")
        for text in ("31-02-2027", "1-2-2026", "31-02-2027"):
            await _enter(app, pilot, form, "#f-dato", text)
            if text.startswith("31"):
                await pilot.press("escape")
                await settle(app, pilot)
                assert app.screen is form, text
                assert "Tryk Esc igen" in str(form.query_one("#form-save-error").render())


@run_async
async def test_insert_pressed_twice_opens_one_form(tmp_path: Path) -> None:
    """The new måling's form waits a moment for who registers it: a second Insert in that
    moment opens no second form on top of the first."""
    from screens.forms import RecordForm

    path = tmp_path / "m.db"
    _build(path)
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_from_maal(app, pilot, 1)
        screen.open_form(None)
        screen.open_form(None)
        await settle(app, pilot)
        assert sum(isinstance(s, RecordForm) for s in app.screen_stack) == 1
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen
        await pilot.press("insert")  # and the next one opens as before
        await settle(app, pilot)
        assert isinstance(app.screen, RecordForm)


@run_async
async def test_a_new_maaling_is_highlighted_so_enter_edits_it(tmp_path: Path) -> None:
    """Insert, a number, Esc: the new måling (today's, first in the list) is highlighted, so
    Enter opens it and not the one that was first before (the user test edited another
    person's måling that way)."""
    from screens.forms import RecordForm

    path = tmp_path / "m.db"
    _build(path)
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_from_maal(app, pilot, 1)
        listing = screen.query_one("#maalinger-list")
        before = listing.highlighted_id
        assert listing.highlighted == 0
        form = await _new_maaling(app, pilot)
        await _enter(app, pilot, form, "#f-vaerdi", "19")
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen
        new = listing.highlighted_id
        assert new != before and _prompts(listing)[listing.highlighted].startswith("1. 03-12-2026")
        await pilot.press("enter")
        await settle(app, pilot)
        edit = app.screen
        assert isinstance(edit, RecordForm) and edit.row_id == new
        assert edit.query_one("#f-vaerdi", Input).value == "19"
