"""The speed-ups of the facilitator screens keep their behaviour: the mål screen that a bord
reuses for the next mål shows (and saves to) that mål only, a long mål list that is filled in
steps ends complete and filters correctly, and a hanging list item wraps under its text."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text

from tests.tui.helpers import (
    FakeClock,
    build_small,
    prompt_text,
    read,
    run_async,
    settle,
    wait_debounce,
)


def _app(path: Path):
    from tui.app import UdviklingsdagApp

    return UdviklingsdagApp(str(path), clock=FakeClock())


async def _open_bord(app, pilot) -> None:
    await settle(app, pilot)
    app.screen.open_bord()
    await settle(app, pilot)


def _texts(option_list) -> list[str]:
    return [
        prompt_text(option_list.get_option_at_index(i).prompt)
        for i in range(option_list.option_count)
    ]


@run_async
async def test_reused_maal_screen_shows_and_saves_the_right_maal(tmp_path: Path) -> None:
    from screens import texts
    from screens.maal import MaalScreen

    path = tmp_path / "r.db"
    ids = build_small(path)
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_bord(app, pilot)
        bord = app.screen
        bord.open_maal(ids["m1"])
        await settle(app, pilot)
        first = app.screen
        assert isinstance(first, MaalScreen) and first.maal_id == ids["m1"]
        assert "Eleverne opsøger selv en voksen" in " ".join(_texts(first.query_one("#list-tegn")))
        await pilot.press("4")  # the notes tab: its panel is mounted now
        await settle(app, pilot)
        area = first.query_one("#note-parkering")
        area.focus()
        await pilot.press("k", "a", "f", "f", "e")
        await pilot.press("escape")  # back before the autosave pause
        await settle(app, pilot)
        assert app.screen is bord

        bord.open_maal(ids["m2"])
        await settle(app, pilot)
        second = app.screen
        assert second is first  # the same screen, filled again
        assert second.maal_id == ids["m2"]
        assert second.query_one("#maal-tabs").active == "tab-tegn"
        assert "Flere forældre" in str(second.query_one("#maal-tekst").render())
        tegn = " ".join(_texts(second.query_one("#list-tegn")))
        assert texts.EMPTY_TEGN in tegn and "Eleverne opsøger" not in tegn
        await pilot.press("4")
        await settle(app, pilot)
        assert second.query_one("#note-parkering").text == ""  # not the other mål's note
        assert app.focused is second.query_one("#note-note")  # typing goes into the notes
        await pilot.press("t", "o")
        await wait_debounce(app, pilot)
    assert [(n["type"], n["tekst"]) for n in read(path, "note", maal_id=ids["m1"])] == [
        ("parkering", "kaffe")
    ]
    assert [(n["type"], n["tekst"]) for n in read(path, "note", maal_id=ids["m2"])] == [
        ("note", "to")
    ]


@run_async
async def test_long_list_filled_in_steps_is_complete_and_filters(
    tmp_path: Path, monkeypatch
) -> None:
    import screens.bord as bord_module

    # Two options at once, one per step: the small bord is filled in three steps.
    monkeypatch.setattr(bord_module, "FIRST_CHUNK", 2)
    monkeypatch.setattr(bord_module, "NEXT_CHUNK", 1)
    path = tmp_path / "l.db"
    build_small(path)
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_bord(app, pilot)
        await pilot.pause(0.2)
        listing = app.screen.query_one("#bord-maal")
        texts = _texts(listing)
        assert len(texts) == 3 and "netværksgrupper" in texts[2]
        await pilot.press("n", "e", "t", "v")  # typed while on the list: goes to the filter
        await pilot.pause(0.2)
        texts = _texts(listing)
        assert len(texts) == 2 and "netværksgrupper" in texts[1]
        await pilot.press("escape")
        await pilot.pause(0.2)
        assert len(_texts(listing)) == 3


def test_hanging_item_prints_like_a_grid() -> None:
    from screens.widgets import hanging

    item = hanging(Text("✓"), Text("Et [bold]mål[/] med markup\nanden linje"))
    assert prompt_text(item) == "✓ Et [bold]mål[/] med markup anden linje"


@run_async
async def test_reused_bord_screen_starts_clean(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    ids = build_small(path)
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_bord(app, pilot)
        bord = app.screen
        await pilot.press("n", "e", "t", "v")  # filter down to one mål
        await pilot.pause()
        assert len(_texts(bord.query_one("#bord-maal"))) == 2
        app.go_home()
        await settle(app, pilot)
        app.open_bord(ids["bord"], ids["dag"])
        await settle(app, pilot)
        assert app.screen is bord  # the same screen, filled again
        assert bord.query_one("#bord-filter").value == ""
        assert app.focused is bord.query_one("#bord-maal")
        texts = _texts(bord.query_one("#bord-maal"))
        assert len(texts) == 3 and "Flere børn trives" in texts[0]
        assert "1 af 2 mål har tegn" in str(bord.query_one("#bord-progress-text").render())
