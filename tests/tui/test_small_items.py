"""Issue 13's smaller items: checkboxes say their state in text, the timer keeps «(pause)» at
80 columns, toasts stay clear of buttons, ←/→ on Forbered from the start, the partner field,
a samarbejde needs a partner, and each owned screen's controls are reachable at 80x24."""

from __future__ import annotations

import re
from pathlib import Path

from textual.app import App, ComposeResult

from screens.widgets import StateCheckbox, StateSelectionList
from tests.tui.helpers import (
    FakeClock,
    assert_all_reachable,
    build_small,
    prompt_text,
    read,
    run_async,
    settle,
)


def _app(path: Path, clock: FakeClock | None = None):
    from tui.app import UdviklingsdagApp

    return UdviklingsdagApp(str(path), clock=clock or FakeClock())


async def _open_bord(app, pilot) -> None:
    await settle(app, pilot)
    app.screen.open_bord()
    await settle(app, pilot)


def _drawn(widget) -> str:
    """What the widget draws, as plain text without colour, line by line."""
    return "\n".join(
        "".join(segment.text for segment in widget.render_line(y))
        for y in range(widget.size.height)
    )


# --- 1. checkboxes --------------------------------------------------------------------------


class _OneBox(App[None]):
    def compose(self) -> ComposeResult:
        yield StateCheckbox("Borgerinddragelse", id="box")


@run_async
async def test_checkbox_state_shows_in_plain_text() -> None:
    app = _OneBox()
    async with app.run_test(size=(80, 24)) as pilot:
        box = app.query_one("#box", StateCheckbox)
        off = _drawn(box)
        assert "[ ] Borgerinddragelse" in off and "[x]" not in off
        box.focus()
        await pilot.press("space")
        await pilot.pause()
        on = _drawn(box)
        assert box.value and "[x] Borgerinddragelse" in on and "[ ]" not in on
        assert on != off


class _Choices(App[None]):
    def compose(self) -> ComposeResult:
        yield StateSelectionList[str](("Plan A nr. 1", "1", True), ("Plan A nr. 2", "2"), id="list")


@run_async
async def test_selection_list_state_shows_in_plain_text() -> None:
    app = _Choices()
    async with app.run_test(size=(80, 24)) as pilot:
        choices = app.query_one("#list", StateSelectionList)
        lines = _drawn(choices)
        assert "[x] Plan A nr. 1" in lines and "[ ] Plan A nr. 2" in lines
        choices.focus()
        await pilot.press("down", "space")  # choose the second
        await pilot.pause()
        lines = _drawn(choices)
        assert "[x] Plan A nr. 2" in lines and "▐X▌" not in lines


LONG = (
    "Borgere der får hjemmehjælp for første gang klarer selv badet efter tre måneder, "
    "og de siger det selv ved opfølgningen"
)


class _LongChoices(App[None]):
    def compose(self) -> ComposeResult:
        yield StateSelectionList[str]((LONG, "lang", True), ("Kort valg", "kort"), id="list")


@run_async
async def test_selection_list_wraps_a_long_option_under_its_tick() -> None:
    """At 40 columns a long choice is shown whole over several lines (Textual's own list cuts
    it with «…»): the tick on its first line, the lines under it indented to the text, and the
    next choice's tick on its own first line; space on the next choice ticks that one."""
    app = _LongChoices()
    async with app.run_test(size=(40, 24)) as pilot:
        choices = app.query_one("#list", StateSelectionList)
        lines = [line.rstrip() for line in _drawn(choices).splitlines() if line.strip()]
        assert len(lines) >= 4, lines
        assert lines[0].startswith("[x] Borgere der")
        long_lines = lines[: lines.index(next(x for x in lines if "Kort valg" in x))]
        assert len(long_lines) >= 3
        assert all(x.startswith("    ") and x[4] != " " for x in long_lines[1:])
        assert " ".join(x.strip() for x in long_lines).replace("[x] ", "") == LONG
        assert "…" not in "".join(lines)
        assert lines[len(long_lines)].startswith("[ ] Kort valg")
        choices.focus()
        await pilot.press("down", "space")
        await pilot.pause()
        assert set(choices.selected) == {"lang", "kort"}
        assert _drawn(choices).count("[x]") == 2
        # A click on the long choice's last line toggles that choice, not the next one.
        top = choices.region.y - choices.content_region.y
        await pilot.click(choices, offset=(10, len(long_lines) - 1 - top))
        await pilot.pause()
        assert set(choices.selected) == {"kort"}


COLOUR_ONLY = "Checkbox|Switch|RadioButton|RadioSet|SelectionList"


def test_no_screen_uses_a_colour_only_toggle() -> None:
    """Every checkbox and multiple choice list in the app is a StateCheckbox or a
    StateSelectionList (or a subclass): Textual's own show «▐X▌» whether ticked or not."""
    made = re.compile(rf"(?<![A-Za-z.])({COLOUR_ONLY})(\[[^\]]*\])?\(")
    based = re.compile(rf"^class \w+\([^)]*(?<![A-Za-z.])({COLOUR_ONLY})\b", re.MULTILINE)
    folder = Path(__file__).resolve().parents[2] / "screens"
    for path in folder.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        if path.name == "widgets.py":  # where the two are made from Textual's own
            source = re.sub(r"class State\w+\(\w+(\[\w+\])?\):", "", source)
        assert not made.search(source), (path.name, made.search(source))
        assert not based.search(source), (path.name, based.search(source))


# --- 2. the timer ---------------------------------------------------------------------------


def _long_first_block(path: Path) -> None:
    """The small workshop, its first programme block with a title longer than the room."""
    from models.db import open_database
    from models.queries import live_rows
    from models.store import Store

    build_small(path)
    db = open_database(str(path))
    try:
        first = min(live_rows(db, "programblok"), key=lambda row: row["position"])
        Store(db).update("programblok", first["id"], titel=LONG_BLOCK)
    finally:
        db.close()


LONG_BLOCK = "Velkomst og en runde om bordet med alle deltagerne"


@run_async
async def test_timer_keeps_pause_at_80_columns(tmp_path: Path) -> None:
    from screens.widgets import TimerLabel

    _long_first_block(tmp_path / "d.db")
    app = _app(tmp_path / "d.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_bord(app, pilot)
        await pilot.press("f5")  # start
        await settle(app, pilot)
        await pilot.press("f5")  # pause
        await settle(app, pilot)
        label = app.screen.query_one("#topbar-timer", TimerLabel)
        label.refresh_time()
        await pilot.pause()
        drawn = _drawn(label)
        assert "(pause)" in drawn, drawn
        assert "15:00 tilbage" in drawn and "Velko" in drawn and "…" in drawn
        assert label.region.right <= 80


# --- 5. ←/→ on Forbered -----------------------------------------------------------------------


@run_async
async def test_prepare_arrows_change_tab_from_the_start(tmp_path: Path) -> None:
    from textual.widgets import TabbedContent

    from screens.prepare import PrepareScreen
    from screens.widgets import ItemList

    build_small(tmp_path / "d.db")
    app = _app(tmp_path / "d.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, PrepareScreen)
        tabs = screen.query_one("#prep-tabs", TabbedContent)
        assert tabs.active == "tab-days"
        assert isinstance(app.focused, ItemList)  # where the focus starts
        await pilot.press("right")
        await pilot.pause()
        assert tabs.active == "tab-program"
        assert app.focused is screen.query_one("#prep-programblok")
        await pilot.press("right", "right")
        await pilot.pause()
        assert tabs.active == "tab-plans"
        await pilot.press("left")
        await pilot.pause()
        assert tabs.active == "tab-org"
        assert app.focused is screen.query_one("#prep-enhed")
        await pilot.press("left", "left", "left")  # wraps round to the last tab
        await pilot.pause()
        assert tabs.active == "tab-borde"


# --- 6 and 7. the partner field; a samarbejde needs a partner --------------------------------


def test_samarbejde_rule_lives_in_the_models(tmp_path: Path) -> None:
    import pytest

    from models.db import open_database
    from models.errors import ValidationError
    from models.rules import SAMARBEJDE_NEEDS_PARTNER, needs_value, record_problem
    from models.workspace import Workspace

    assert record_problem("samarbejde", {"niveau": "viden"}, new=True) == (
        "partner_ids",
        SAMARBEJDE_NEEDS_PARTNER,
    )
    assert record_problem("samarbejde", {"niveau": "viden"}, new=False) is None
    assert record_problem("samarbejde", {"partner_ids": []}, new=False) is not None
    assert record_problem("samarbejde", {"partner_ids": ["x"]}, new=True) is None
    assert record_problem("tegn", {}, new=True) is None
    assert needs_value("samarbejde", "partner_ids")
    assert not needs_value("samarbejde", "niveau") and not needs_value("tegn", "tekst")

    ids = build_small(tmp_path / "d.db")
    db = open_database(str(tmp_path / "d.db"))
    try:
        ws = Workspace(db)
        with pytest.raises(ValidationError) as refused:
            ws.create_or_update(
                "samarbejde", None, {"niveau": "viden"}, fixed={"maal_id": ids["m1"]}
            )
        assert "mindst én samarbejdspartner" in str(refused.value)
        assert refused.value.field == "Samarbejdspartnere"
        with pytest.raises(ValidationError):
            ws.create("samarbejde", {"maal_id": ids["m1"], "partner_ids": []})
        row_id = ws.create_or_update(
            "samarbejde", None, {"partner_ids": [ids["ppr"]]}, fixed={"maal_id": ids["m1"]}
        )
        with pytest.raises(ValidationError):
            ws.save_field("samarbejde", row_id, "partner_ids", [])
        assert ws.save_field("samarbejde", row_id, "niveau", "koordination") == 1
    finally:
        db.close()


async def _samarbejde_form(app, pilot, maal_id: str):
    from screens.forms import RecordForm

    await _open_bord(app, pilot)
    app.open_maal(maal_id, bord_id=None)
    await settle(app, pilot)
    app.screen.open_form("samarbejde", None)
    await settle(app, pilot)
    form = app.screen
    assert isinstance(form, RecordForm)
    return form


@run_async
async def test_partner_field_names_the_own_enhed_and_clears_its_error(tmp_path: Path) -> None:
    from textual.widgets import Input, Label

    ids = build_small(tmp_path / "d.db")
    app = _app(tmp_path / "d.db")
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _samarbejde_form(app, pilot, ids["m1"])  # m1 belongs to Nordlys Skole
        field = form.query_one("#partner-input", Input)
        error = form.query_one("#partner-error", Label)
        field.focus()
        field.value = "Nordlys Skole"
        await pilot.press("enter")
        await settle(app, pilot)
        shown = str(error.render())
        assert "målets egen enhed" in shown and "ikke en enhed i organisationen" not in shown
        field.value = "Findes ikke"
        await pilot.press("enter")
        await pilot.pause()
        assert "ikke en enhed i organisationen" in str(error.render())
        await pilot.press("ctrl+u")  # clear the field (the key a user presses; also backspace)
        for _ in range(len(field.value)):
            await pilot.press("backspace")
        await pilot.pause()
        assert field.value == "" and str(error.render()) == ""


@run_async
async def test_samarbejde_without_partner_is_refused_and_keeps_the_text(tmp_path: Path) -> None:
    from textual.widgets import Input, TextArea

    from screens.forms import DraftScreen, RecordForm
    from tests.tui.helpers import read

    ids = build_small(tmp_path / "d.db")
    app = _app(tmp_path / "d.db")
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _samarbejde_form(app, pilot, ids["m1"])
        labels = [str(label.render()) for label in form.query(".field-label")]
        assert "Samarbejdspartnere *" in labels
        area = form.query_one("#f-forventningsafstemning", TextArea)
        area.focus()
        await pilot.press(*"Vi aftaler roller")
        await pilot.press("tab")
        await settle(app, pilot)
        assert read(tmp_path / "d.db", "samarbejde") == []
        assert "samarbejdspartnere" in str(form.query_one("#form-needs").render()).lower()
        # Esc does not throw the text away: it asks (Esc again: back to the form).
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, DraftScreen)
        assert "samarbejdspartnere" in str(app.screen.query_one("#draft-question").render()).lower()
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is form and area.text == "Vi aftaler roller"
        assert read(tmp_path / "d.db", "samarbejde") == []
        # Adding a partner saves the samarbejde with the text typed before.
        field = form.query_one("#partner-input", Input)
        field.focus()
        field.value = "PPR"
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, RecordForm)
        rows = read(tmp_path / "d.db", "samarbejde")
        assert len(rows) == 1 and rows[0]["partner_ids"] == [ids["ppr"]]
        assert rows[0]["forventningsafstemning"] == "Vi aftaler roller"


@run_async
async def test_removing_the_last_partner_is_refused(tmp_path: Path) -> None:
    from models.db import open_database
    from models.workspace import Workspace
    from screens.forms import PartnerPicker, RecordForm
    from tests.tui.helpers import read

    ids = build_small(tmp_path / "d.db")
    db = open_database(str(tmp_path / "d.db"))
    try:
        row_id = Workspace(db).create_or_update(
            "samarbejde", None, {"partner_ids": [ids["ppr"]]}, fixed={"maal_id": ids["m1"]}
        )
    finally:
        db.close()
    app = _app(tmp_path / "d.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_bord(app, pilot)
        app.open_maal(ids["m1"], bord_id=ids["bord"])
        await settle(app, pilot)
        app.screen.open_form("samarbejde", row_id)
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        picker = form.query_one(PartnerPicker)
        form.query_one("#partner-list").focus()
        await pilot.press("down", "delete")  # highlight PPR, the only partner; remove it
        await settle(app, pilot)
        assert picker.value == []
        assert "mindst én samarbejdspartner" in str(form.query_one("#err-partner_ids").render())
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is form, "the first Esc keeps the form open and says why"
        assert "Esc igen" in str(form.query_one("#form-save-error").render())
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, RecordForm)
        rows = read(tmp_path / "d.db", "samarbejde")
        assert rows[0]["partner_ids"] == [ids["ppr"]]  # the row keeps its partner


# --- 3. a long name is cut with «…», not by wrapping out of sight ------------------------------


@run_async
async def test_long_facilitator_name_ends_with_ellipsis_at_80_columns(tmp_path: Path) -> None:
    from models.db import open_database
    from models.store import Store

    ids = build_small(tmp_path / "d.db")
    db = open_database(str(tmp_path / "d.db"))
    try:
        Store(db).update(
            "bord",
            ids["bord"],
            # Longer than the line at 80 columns, even with the progress bar left out there.
            facilitator="Mette Kirstine Lundgaard Johansen-Abildgaard og Karim Østergaard-Nielsen",
        )
    finally:
        db.close()
    app = _app(tmp_path / "d.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_bord(app, pilot)
        head = app.screen.query_one("#bord-facilitator")
        drawn = _drawn(head).strip()
        assert drawn.startswith("Facilitator: Mette") and drawn.endswith("…"), drawn
        assert head.size.height == 1


# --- 4. footers fit at 80 columns, toasts stay off the buttons ---------------------------------


async def _footer_fits(app, pilot) -> None:
    from textual.widgets._footer import FooterKey

    from screens.widgets import AppFooter

    await pilot.pause()
    footer = app.screen.query_one(AppFooter)
    keys = [k for k in footer.query(FooterKey) if k.display]
    assert keys, f"no keys in the footer of {app.screen!r}"
    width = app.screen.size.width
    for key in keys:
        assert key.region.x >= 0 and key.region.right <= width, (
            f"{key.description!r} at {key.region} is cut on {app.screen!r} at {width} columns"
        )


@run_async
async def test_footers_fit_at_80_columns(tmp_path: Path) -> None:
    ids = build_small(tmp_path / "d.db")
    app = _app(tmp_path / "d.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await _footer_fits(app, pilot)  # home
        await _open_bord(app, pilot)
        await _footer_fits(app, pilot)  # bord
        app.action_deltagere()
        await settle(app, pilot)
        await _footer_fits(app, pilot)
        app.pop_screen()
        await settle(app, pilot)
        app.open_maal(ids["m1"], bord_id=ids["bord"])
        await settle(app, pilot)
        await _footer_fits(app, pilot)  # mål
        app.pop_screen()
        await settle(app, pilot)
        app.action_program()
        await settle(app, pilot)
        await _footer_fits(app, pilot)
        app.pop_screen()
        app.pop_screen()
        await settle(app, pilot)
        app.action_prepare()
        await settle(app, pilot)
        await _footer_fits(app, pilot)


@run_async
async def test_footer_shows_the_palette_key_when_there_is_room(tmp_path: Path) -> None:
    from textual.widgets._footer import FooterKey

    build_small(tmp_path / "d.db")
    app = _app(tmp_path / "d.db")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        palette = [k for k in app.screen.query(FooterKey) if k.has_class("-command-palette")]
        assert palette and palette[0].region.right <= 120


@run_async
async def test_toast_does_not_cover_the_home_buttons(tmp_path: Path) -> None:
    from textual.widgets import Button

    from tests.tui.helpers import assert_reachable

    build_small(tmp_path / "d.db")
    app = _app(tmp_path / "d.db")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(app, pilot)
        app.notify("Bærbaren hedder nu «Bord 3 - Anne Kirstine Mortensen-Abildgaard».")
        app.notify("Uret kører: Velkomst og en runde om bordet med alle deltagerne.")
        await pilot.pause()
        await pilot.pause()
        assert app.screen.query("Toast"), "no toast shown"
        for button in app.screen.query(Button):
            await assert_reachable(pilot, button)
        for toast in app.screen.query("Toast"):
            assert toast.region.right <= 80 and toast.region.y >= 1  # below the top bar


# --- 8. every control of the owned screens is reachable at 80x24 ------------------------------


def _with_proevehandling(path: Path) -> dict:
    from models.db import open_database
    from models.store import Store

    ids = build_small(path)
    db = open_database(str(path))
    try:
        store = Store(db)
        ids["ph"] = store.create(
            "proevehandling", maal_id=ids["m1"], tekst="Gårdvagterne spørger tre elever."
        )
        store.create("evaluering", proevehandling_id=ids["ph"], type="undervejs", effekt="Godt.")
        store.create("deltager", bord_id=ids["bord"], navn="Anne Holm", rolle="leder")
    finally:
        db.close()
    return ids


@run_async
async def test_home_controls_reachable_at_80x24(tmp_path: Path) -> None:
    from tests.tui.helpers import assert_all_reachable

    build_small(tmp_path / "d.db")
    app = _app(tmp_path / "d.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await assert_all_reachable(
            pilot,
            "#home-title",
            "#home-device",
            "#home-counts",
            "#home-days",
            "#home-borde",
            "#open",
            "#prepare",
            "#consolidation",
            "#export",
        )


@run_async
async def test_prepare_controls_reachable_at_80x24(tmp_path: Path) -> None:
    from textual.widgets import TabbedContent, Tabs

    from tests.tui.helpers import assert_reachable

    build_small(tmp_path / "d.db")
    app = _app(tmp_path / "d.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.action_prepare()
        await settle(app, pilot)
        screen = app.screen
        await assert_reachable(pilot, screen.query_one(Tabs))
        for tab in screen.query_one(Tabs).query("Tab"):
            await assert_reachable(pilot, tab)  # every tab's name shows
        tabs = screen.query_one("#prep-tabs", TabbedContent)
        for pane, parts in {
            "tab-days": ["#prep-udviklingsdag"],
            "tab-program": ["#ctx-program", "#prep-programblok"],
            "tab-org": ["#prep-enhed"],
            "tab-plans": ["#prep-maalplan"],
            "tab-maal": ["#prep-maal"],
            "tab-borde": ["#ctx-borde", "#prep-bord"],
        }.items():
            tabs.active = pane
            await settle(app, pilot)
            for selector in parts:
                await assert_reachable(pilot, screen.query_one(selector))


@run_async
async def test_program_controls_reachable_at_80x24(tmp_path: Path) -> None:
    from tests.tui.helpers import assert_all_reachable

    build_small(tmp_path / "d.db")
    app = _app(tmp_path / "d.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_bord(app, pilot)
        app.action_program()
        await settle(app, pilot)
        await assert_all_reachable(
            pilot,
            "#program-title",
            "#program-digits",
            "#program-clock",
            "#program-toggle",
            "#program-next",
            "#program-blocks",
        )


@run_async
async def test_program_goes_back_with_p_and_to_a_block_with_enter(tmp_path: Path) -> None:
    """One «n» too many is taken back with P (the block counts on from its time), Enter on a
    block in the list makes it current, and the position is saved for the next start."""
    from screens.program import ProgramScreen

    path = tmp_path / "d.db"
    build_small(path)
    clock = FakeClock()
    app = _app(path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_bord(app, pilot)
        app.action_program()
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ProgramScreen)
        blocks = app.timer.blocks
        assert len(blocks) >= 2
        await pilot.press("f5")
        clock.advance(90)
        await pilot.press("n")
        await settle(app, pilot)
        assert app.timer.index == 1
        await pilot.press("p")
        await settle(app, pilot)
        assert app.timer.index == 0 and app.timer.running
        assert app.timer.remaining(app.now_seconds()) == blocks[0][1] * 60 - 90
        said = [str(n.message) for n in app._notifications]
        assert any(f"Programmet står nu på «{blocks[0][0]}»" in m for m in said), said
        listing = screen.query_one("#program-blocks")
        listing.focus()
        listing.highlighted = 1
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.timer.index == 1
        assert "▶" in prompt_text(listing.get_option_at_index(1).prompt)
        await pilot.press("p", "p")
        await settle(app, pilot)
        assert app.timer.index == 0
        assert any("første punkt" in str(n.message) for n in app._notifications)
        # A click on a block only moves the highlight (one stray click moved the programme).
        top = listing.content_region.y - listing.region.y
        await pilot.click(listing, offset=(8, top + 1))
        await settle(app, pilot)
        assert listing.highlighted == 1 and app.timer.index == 0
    # Saved: the next start is on the same block.
    app = _app(path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_bord(app, pilot)
        await settle(app, pilot)
        assert app.timer.index == 0 and app.timer.started


@run_async
async def test_deltagere_controls_reachable_at_80x24(tmp_path: Path) -> None:
    from screens.forms import AutoCheckbox
    from tests.tui.helpers import assert_all_reachable, assert_reachable

    _with_proevehandling(tmp_path / "d.db")
    app = _app(tmp_path / "d.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_bord(app, pilot)
        app.action_deltagere()
        await settle(app, pilot)
        switch = app.screen.query_one(AutoCheckbox)
        await assert_reachable(pilot, switch)
        assert "[ ]" in _drawn(switch)
        await assert_all_reachable(
            pilot, "#deltagere-hint", "#deltagere-summary", "#deltagere-list"
        )


@run_async
async def test_evalueringer_controls_reachable_at_80x24(tmp_path: Path) -> None:
    from screens.evalueringer import EvalueringerScreen
    from tests.tui.helpers import assert_all_reachable

    ids = _with_proevehandling(tmp_path / "d.db")
    app = _app(tmp_path / "d.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_bord(app, pilot)
        app.push_screen(EvalueringerScreen(ids["ph"]))
        await settle(app, pilot)
        await assert_all_reachable(pilot, "#eval-proevehandling", "#eval-planned", "#eval-list")
        title = _drawn(app.screen.query_one("#topbar-title"))
        assert "Evalueringer af prøvehandling" in title, title


@run_async
async def test_prepare_delete_asks_as_every_list_does(tmp_path: Path) -> None:
    """Forbered asks like the other lists: a letter typed on does not answer, Esc keeps,
    Enter deletes."""
    from screens.forms import ConfirmScreen
    from screens.prepare import PrepareScreen

    path = tmp_path / "d.db"
    build_small(path)
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f")
        await settle(app, pilot)
        assert isinstance(app.screen, PrepareScreen)
        assert len(read(path, "udviklingsdag")) == 1
        await pilot.press("delete")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        # It says what goes with the day: its programme and its table (and that table's
        # notes and deltagere, none here).
        assert "Det sletter også 2 programblokke og 1 bord." in app.screen.question
        await assert_all_reachable(pilot, "#confirm-question", "#yes", "#no")
        await pilot.press("j", "y")  # typed on: no letter answers
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        assert len(read(path, "udviklingsdag")) == 1
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("enter")
        await settle(app, pilot)
        assert read(path, "udviklingsdag") == []


@run_async
async def test_a_discarded_new_row_leaves_no_ikke_gemt_behind(tmp_path: Path) -> None:
    """A new prøvehandling with a start date that does not exist (the top bar says «Ikke
    gemt: … ikke en dato»), its required text empty, Esc, «Kassér»: the form is gone and so
    is the «Ikke gemt» (it stayed on every screen until the next save, as if work were lost)."""
    from textual.widgets import Input

    from screens.forms import DraftScreen, RecordForm
    from screens.maal import MaalScreen
    from tests.tui.helpers import read

    build_small(tmp_path / "d.db")
    app = _app(tmp_path / "d.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_bord(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, MaalScreen)
        before = app.save_status
        await pilot.press("2", "insert")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, RecordForm) and form.row_id is None
        start = form.query_one("#f-start", Input)
        start.focus()
        await pilot.press(*"31-02-2027", "tab")
        await settle(app, pilot)
        assert app.save_status[0] == "failed" and "31-02-2027" in app.save_status[1]
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, DraftScreen)
        await pilot.click("#discard")
        await settle(app, pilot)
        assert isinstance(app.screen, MaalScreen)
        assert app.save_status == before
        assert read(tmp_path / "d.db", "proevehandling") == []


@run_async
async def test_the_name_dialog_left_after_a_refused_name_leaves_no_ikke_gemt(
    tmp_path: Path,
) -> None:
    """Enter on an empty name is refused in the dialog (and in the top bar); Esc then keeps
    the computer's name, and the top bar no longer says «Ikke gemt: Giv bærbaren et navn» on
    every screen (the facilitator read it as «my work is not saved»)."""
    import sqlite3

    from models import settings
    from screens.home import HomeScreen, NameDeviceScreen

    path = tmp_path / "d.db"
    build_small(path)
    con = sqlite3.connect(path)
    con.execute("delete from meta where key = ?", (settings.DEVICE_NAMED.key,))
    con.commit()
    con.close()
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, NameDeviceScreen)
        before = app.save_status
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, NameDeviceScreen)
        assert app.save_status[0] == "failed" and "Giv bærbaren et navn" in app.save_status[1]
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.save_status == before


@run_async
async def test_a_new_maal_goes_under_the_maalsaetning_row_it_is_added_on(tmp_path: Path) -> None:
    """Forbered, «Målsætninger og mål»: Insert on a målsætning's own row opens «Nyt mål» for
    that målsætning (it said «Tilføj først en målsætning (M) …», so a new målsætning could not
    get its first mål from the list)."""
    from textual.widgets import TabbedContent

    from screens.forms import RecordForm
    from screens.prepare import PrepareScreen

    ids = build_small(tmp_path / "d.db")
    app = _app(tmp_path / "d.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.action_prepare()
        await settle(app, pilot)
        prep = app.screen
        assert isinstance(prep, PrepareScreen)
        prep.query_one(TabbedContent).active = "tab-maal"
        listing = prep.query_one("#prep-maal")
        listing.focus()
        await settle(app, pilot)
        listing.highlighted = 0  # the målsætning's own row
        await pilot.press("insert")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, RecordForm) and form.row_id is None
        assert form.spec.entity == "maal"
        assert form.spec.new_row()["maalsaetning_id"] == ids["ms"]
