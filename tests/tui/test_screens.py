"""Focused behaviour: filter as you type, completeness marks, the timer, user text that looks
like markup, database errors, quitting mid-sentence, deleting and undoing, help."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.text import Text

from models.records import MaalGroup, MaalProgress
from models.rules import is_complete, planned_starts, progress
from screens.timer import ProgrammeTimer, clock_text
from tests.tui.helpers import FakeClock, build_small, prompt_text, read, run_async, settle


def _app(path: Path, clock: FakeClock | None = None):
    from tui.app import UdviklingsdagApp

    return UdviklingsdagApp(str(path), clock=clock or FakeClock())


async def _open_bord(app, pilot) -> None:
    await settle(app, pilot)
    app.screen.open_bord()
    await settle(app, pilot)


def _options(option_list) -> list[str]:
    return [
        prompt_text(option_list.get_option_at_index(i).prompt)
        for i in range(option_list.option_count)
    ]


# --- pure parts -------------------------------------------------------------------------------


def _maal(
    tekst: str = "", enhed: str = "", *, tegn: int = 0, proevehandlinger: int = 0
) -> MaalProgress:
    return MaalProgress(tekst, tekst, enhed, None, tegn, proevehandlinger, 0)


def test_completeness_follows_the_day() -> None:
    from screens.bord import progress_text

    with_tegn = _maal(tegn=2)
    with_proevehandling = _maal(proevehandlinger=1)
    assert is_complete(with_tegn, "del1") and not is_complete(with_tegn, "del2")
    assert is_complete(with_proevehandling, "del2")
    assert not is_complete(with_proevehandling, "del1")
    groups = (MaalGroup("", "", (with_tegn, with_proevehandling, _maal())),)
    assert progress(groups, "del1") == (1, 3)
    assert progress_text(groups, "del2") == "1 af 3 mål har prøvehandlinger"


def test_filter_groups_matches_every_word_case_insensitive() -> None:
    from screens.bord import filter_groups

    groups = (
        MaalGroup(
            "a",
            "Trivsel",
            (_maal("Elever har en voksen", "Skolen"), _maal("Forældre deltager", "Familie")),
        ),
        MaalGroup("b", "Job", (_maal("Unge i uddannelse", "Jobcenter"),)),
    )
    assert filter_groups(groups, "") == groups
    assert [m.tekst for g in filter_groups(groups, "FORÆL") for m in g.maal] == [
        "Forældre deltager"
    ]
    assert [g.tekst for g in filter_groups(groups, "trivsel skolen")] == ["Trivsel"]
    assert filter_groups(groups, "findes ikke") == ()


def test_timer_counts_down_pauses_and_runs_over() -> None:
    timer = ProgrammeTimer(blocks=[("Velkomst", 1), ("Tegn", 2)])
    assert not timer.started and timer.remaining(0) == 60
    timer.start(100)
    assert timer.remaining(130) == 30 and not timer.over(130)
    timer.pause(130)
    assert timer.remaining(500) == 30  # paused: time stands still
    timer.start(500)
    assert timer.remaining(545) == -15 and timer.over(545)
    assert clock_text(timer.remaining(545)) == "00:15"
    timer.next(545)
    assert timer.current == ("Tegn", 2) and timer.running and timer.remaining(545) == 120
    restored = ProgrammeTimer.from_json(timer.to_json(), timer.blocks)
    assert restored.index == 1 and restored.remaining(605) == 60
    timer.next(600)
    assert timer.finished and timer.current is None
    assert ProgrammeTimer.from_json("{not json", []).index == 0
    assert planned_starts("08:30", [("a", 45), ("b", 20), ("c", 5)]) == ["08:30", "09:15", "09:35"]
    assert clock_text(59.2) == "01:00" and clock_text(3725) == "1:02:05"


def test_timer_goes_back_to_a_block_with_the_time_it_had_used() -> None:
    """A stray «next» is taken back: the block before counts on from where it was, a running
    clock keeps running, a paused one stays paused; ahead and back again keeps each block's
    time, also through a restart (the saved state)."""
    timer = ProgrammeTimer(blocks=[("Velkomst", 5), ("Tegn", 20), ("Pause", 10)])
    timer.start(0)
    timer.next(120)  # two minutes into Velkomst: one «n» too many
    assert timer.current == ("Tegn", 20) and timer.remaining(130) == 20 * 60 - 10
    assert timer.previous(130)
    assert timer.current == ("Velkomst", 5) and timer.running
    assert timer.remaining(130) == 3 * 60  # two minutes used before
    assert timer.go_to(1, 190)  # on to Tegn again: its ten seconds are kept
    assert timer.remaining(190) == 20 * 60 - 10
    timer.pause(250)
    assert timer.go_to(2, 250) and not timer.running and timer.remaining(999) == 10 * 60
    restored = ProgrammeTimer.from_json(timer.to_json(), timer.blocks)
    assert restored.go_to(1, 1000) and restored.remaining(1000) == 20 * 60 - 70
    assert not restored.go_to(1, 1000) and not restored.go_to(3, 1000)
    assert not restored.go_to(-1, 1000)
    first = ProgrammeTimer(blocks=[("Velkomst", 5)])
    assert not first.previous(0)
    # After the last block the programme is over; back to it, the clock waits for F5.
    first.start(0)
    first.next(60)
    assert first.finished and first.previous(70)
    assert first.current == ("Velkomst", 5) and not first.running and first.remaining(70) == 240
    # A damaged saved time for a block is left out; the rest of the state is kept.
    # The same programme read again keeps each block's time; a changed one lets it go.
    kept = ProgrammeTimer.from_json(timer.to_json(), timer.blocks)
    kept.set_blocks(list(timer.blocks))
    assert kept.spent == timer.spent and kept.spent
    kept.set_blocks([("Velkomst", 5), ("Pause", 10), ("Tegn", 20)])
    assert kept.spent == {}
    damaged = ProgrammeTimer.from_json(
        '{"index": 1, "spent": {"0": "nan", "7": 3, "2": 30}}', timer.blocks
    )
    assert damaged.index == 1 and damaged.spent == {2: 30.0}


# --- the app ----------------------------------------------------------------------------------


@run_async
async def test_filter_as_you_type(tmp_path: Path) -> None:
    from screens.maal import MaalScreen

    path = tmp_path / "f.db"
    build_small(path)
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_bord(app, pilot)
        listing = app.screen.query_one("#bord-maal")
        assert app.focused is listing
        assert listing.option_count == 3  # the målsætning and its two mål
        await pilot.press("n", "e", "t", "v", "x")  # typed on the list: goes to the filter
        await pilot.pause()
        assert app.screen.query_one("#bord-filter").value == "netvx"
        assert app.focused is listing  # the list keeps the focus (type-ahead)
        await pilot.press("backspace")
        await pilot.pause()
        assert app.screen.query_one("#bord-filter").value == "netv"
        assert [o for o in _options(listing) if "netværk" in o]
        assert listing.option_count == 2
        await pilot.press("enter")  # Enter still works on the list: opens the one mål left
        await settle(app, pilot)
        assert isinstance(app.screen, MaalScreen)
        assert "netværk" in app.screen.detail.maal.tekst
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen.query_one("#bord-filter").value == "netv"
        await pilot.press("x", "y", "z")
        await pilot.pause()
        assert "Ingen mål passer" in _options(listing)[0]
        await pilot.press("escape")  # clears the filter first
        await pilot.pause()
        assert app.screen.query_one("#bord-filter").value == ""
        assert listing.option_count == 3


@pytest.mark.parametrize(
    "dagdel, expected",
    [("del1", "1 af 2 mål har tegn"), ("del2", "0 af 2 mål har prøvehandlinger")],
)
@run_async
async def test_completeness_marks_on_screen(tmp_path: Path, dagdel: str, expected: str) -> None:
    path = tmp_path / "c.db"
    build_small(path, dagdel=dagdel)
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_bord(app, pilot)
        assert expected in str(app.screen.query_one("#bord-progress-text").render())
        prompts = _options(app.screen.query_one("#bord-maal"))
        marks = [p.strip()[0] for p in prompts[1:]]
        assert marks == (["✓", "·"] if dagdel == "del1" else ["·", "·"])


@run_async
async def test_timer_in_the_app_start_over_next(tmp_path: Path) -> None:
    from screens.widgets import TimerLabel

    path = tmp_path / "t.db"
    build_small(path)
    clock = FakeClock()
    app = _app(path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_bord(app, pilot)
        label = app.screen.query_one(TimerLabel)
        assert "ikke startet" in str(label.render())
        await pilot.press("f5")
        await settle(app, pilot)
        clock.advance(14 * 60)
        label.refresh_time()
        assert "Velkomst · 01:00 tilbage" in str(label.render())
        assert not label.has_class("-over")
        clock.advance(3 * 60)
        label.refresh_time()
        assert "02:00 over tid" in str(label.render()) and label.has_class("-over")
        await pilot.press("ctrl+n")  # the alternative to F6
        await settle(app, pilot)
        label.refresh_time()
        assert "Tegn for hvert mål · 1:00:00 tilbage" in str(label.render())
        assert not label.has_class("-over")
    # the state survives a restart
    app2 = _app(path, clock)
    async with app2.run_test(size=(120, 40)) as pilot:
        await _open_bord(app2, pilot)
        clock.advance(60)
        assert app2.timer.index == 1 and app2.timer.remaining(app2.now_seconds()) == 59 * 60


@run_async
async def test_markup_in_user_text_is_shown_literally(tmp_path: Path) -> None:
    from models.db import open_database
    from models.store import Store

    path = tmp_path / "m.db"
    ids = build_small(path)
    db = open_database(str(path))
    s = Store(db)
    nasty = "[bold]fed[/] og [/] og [red"
    s.create("tegn", maal_id=ids["m1"], tekst=nasty, datakilde="[link=x]kilde[/link]")
    s.update("maal", ids["m1"], tekst="Mål med [i]kursiv[/i]")
    db.close()
    app = _app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_bord(app, pilot)
        assert any(
            "Mål med [i]kursiv[/i]" in p for p in _options(app.screen.query_one("#bord-maal"))
        )
        await pilot.press("enter")
        await settle(app, pilot)
        prompts = _options(app.screen.query_one("#list-tegn"))
        assert any(nasty in p and "[link=x]kilde[/link]" in p for p in prompts)
        head = app.screen.query_one("#maal-tekst").render()
        assert "Mål med [i]kursiv[/i]" in str(head)
        await pilot.press("ctrl+k")  # the QR screen shows the same text literally
        await settle(app, pilot)
        await pilot.pause(0.3)
        await settle(app, pilot)
        assert "[i]kursiv[/i]" in str(app.screen.query_one("#qr-text").render())


@run_async
async def test_database_error_is_a_danish_screen(tmp_path: Path) -> None:
    from screens.error import ErrorScreen

    path = tmp_path / "ikke-en-database.db"
    path.write_text("Dette er en tekstfil, ikke en database.\n" * 10)
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, ErrorScreen)
        message = str(app.screen.query_one("#error-message").render())
        assert "ikke en database" in message and "Traceback" not in message
        # Nothing to undo without a database: the footer offers no «Fortryd».
        bindings = app.screen.active_bindings.values()
        assert not any(on for (_n, b, on, _t) in bindings if b.action.endswith("undo"))
    assert path.read_text().startswith("Dette er en tekstfil")  # untouched


@run_async
async def test_quit_mid_sentence_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    ids = build_small(path)
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_bord(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("4")  # notes tab
        await pilot.pause()
        app.screen.query_one("#note-parkering").focus()
        await pilot.pause()
        await pilot.press("h", "u", "s", "k", "space", "k", "a", "f", "f", "e")
        await pilot.press("ctrl+q")  # at once, before the autosave pause
        await pilot.pause()
    notes = read(path, "note", maal_id=ids["m1"])
    assert [(n["type"], n["tekst"]) for n in notes] == [("parkering", "husk kaffe")]


@run_async
async def test_letters_typed_on_the_maal_screen_never_delete(tmp_path: Path) -> None:
    """A facilitator who thinks the cursor is in a text field types «[bold» or «dejlig» on
    the list: the tegn stays (only the Delete key deletes)."""
    from screens.forms import RecordForm

    path = tmp_path / "d.db"
    ids = build_small(path)
    before = read(path, "tegn", maal_id=ids["m1"])
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_bord(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("left_square_bracket", "b", "o", "l", "d")
        await settle(app, pilot)
        await pilot.press("d", "d")
        await settle(app, pilot)
        assert app.screen is screen and not isinstance(app.screen, RecordForm)
    assert read(path, "tegn", maal_id=ids["m1"]) == before != []


@run_async
async def test_delete_then_undo_brings_it_back(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    ids = build_small(path)
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_bord(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("enter")  # the question «Slet …?»: Enter deletes
        await settle(app, pilot)
        assert read(path, "tegn", maal_id=ids["m1"]) == []
        assert "Ingen tegn endnu" in _options(app.screen.query_one("#list-tegn"))[0]
        await pilot.press("f2")  # works even where Ctrl+Z is taken
        await settle(app, pilot)
        assert len(read(path, "tegn", maal_id=ids["m1"])) == 1
        assert "Eleverne opsøger" in _options(app.screen.query_one("#list-tegn"))[0]


@run_async
async def test_help_explains_and_gives_focus_back(tmp_path: Path) -> None:
    from screens.help import HelpScreen

    path = tmp_path / "h.db"
    build_small(path)
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_bord(app, pilot)
        before = app.focused
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen) and app.screen.key == "bord"
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is before
        # «?» where typing filters the list: it is typed, no help.
        await pilot.press("question_mark")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        # On the home screen «?» opens the help as well.
        while type(app.screen).__name__ != "HomeScreen":
            app.pop_screen()
            await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen) and app.screen.key == "home"


def test_help_texts_explain_the_concepts() -> None:
    from screens import texts

    for word in (
        "Tegn",
        "Prøvehandling",
        "Vidensniveau",
        "Koordinationsniveau",
        "Samskabelsesniveau",
        "kvantitativ",
        "kvalitativ",
    ):
        assert word in texts.HELP_CONCEPTS
    assert Text(texts.HELP_CONCEPTS).plain  # plain text, no markup needed


def test_the_bord_title_says_which_day_first() -> None:
    """Del 1 and del 2 share their borde and mål, and at 80 columns the end of the title is
    cut: the day's part comes first, and is not repeated at the end of the day's title."""
    from screens.bord import bord_title

    assert (
        bord_title("Bord 1 · Skoledagen", "Fællesskaber for børn og unge · del 1", "del1")
        == "Del 1 · Bord 1 · Skoledagen · Fællesskaber for børn og unge"
    )
    assert bord_title("Bord 2", "Udviklingsdag - Del 2", "del2") == "Del 2 · Bord 2 · Udviklingsdag"
    assert bord_title("Bord A", "Lederdag: mål for 2027", "lederdag") == (
        "Lederdag · Bord A · Lederdag: mål for 2027"
    )
    assert bord_title("Bord 2", "Modeldelen", "del2") == "Del 2 · Bord 2 · Modeldelen"
    assert bord_title("Bord 2", "Del 1", "del1") == "Del 1 · Bord 2"
    assert bord_title("Bord 2", "", "del1") == "Del 1 · Bord 2"
    # Only the day's own part goes: a title that ends in another word keeps it.
    assert bord_title("Bord 1", "Fælles lederdag", "del1") == "Del 1 · Bord 1 · Fælles lederdag"
    assert bord_title("Bord 1", "Opfølgning på del 1", "del2") == (
        "Del 2 · Bord 1 · Opfølgning på del 1"
    )
