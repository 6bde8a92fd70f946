"""The «Nyt år» screen (issue 16) at 80x24 and 120x40: opened from the palette, every control
reachable, the year chooser, running mål and open prøvehandlinger ticked, unticking a mål unticks
what hangs under it, «Start» asks (Enter starts), exactly the ticked rows are written with their
link back, and one Ctrl+Z takes it all away."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.tui.helpers import FakeClock, assert_all_reachable, prompt_text, read, run_async, settle

SIZES = [(80, 24), (120, 40)]


def _built(path: Path) -> dict[str, str]:
    from models import settings
    from models.db import open_database
    from models.store import Store
    from tests.test_nyt_aar import _world

    db = open_database(str(path), device_name="Tovholder")
    try:
        s = Store(db)
        ids = _world(s)
        s.set_setting(settings.DEVICE_NAMED.key, "1")
    finally:
        db.close()
    return ids


def _app(path: Path) -> Any:
    from tui.app import UdviklingsdagApp

    return UdviklingsdagApp(str(path), clock=FakeClock())


async def _open(app: Any, pilot: Any, year: int | None = 2026) -> Any:
    from textual.widgets import Select

    from screens import texts
    from screens.nyt_aar import NytAarScreen
    from tui.commands import UdviklingsdagCommands

    await settle(app, pilot)
    provider = UdviklingsdagCommands(app.screen)
    callback = next(c for t, _h, c in provider._commands() if t == texts.CMD["nyt_aar"][0])
    callback()
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, NytAarScreen)
    if year is not None:
        screen.query_one("#nyt-aar-year", Select).value = year
        await settle(app, pilot)
    return screen


def _lines(screen: Any) -> list[str]:
    from screens.nyt_aar import NytAarList

    sel = screen.query_one("#nyt-aar-list", NytAarList)
    return [
        ("[x] " if o.value in sel.selected else "[ ] ")
        + ("(info) " if o.disabled else "")
        + prompt_text(o.prompt)
        for o in sel.options
    ]


async def _drawn_list(screen: Any, pilot: Any) -> list[str]:
    """Every line the list draws, scrolled through from top to bottom, as plain text."""
    from screens.nyt_aar import NytAarList

    sel = screen.query_one("#nyt-aar-list", NytAarList)
    seen = sel.scrollable_content_region.height
    lines: list[str] = []
    for top in range(0, max(1, sel.virtual_size.height), seen):
        sel.scroll_to(y=top, animate=False)
        await pilot.pause()
        shown = sel.scroll_offset.y  # the last page stops at the end: lines before `top` again
        for y in range(top - shown, min(seen, sel.virtual_size.height - shown)):
            lines.append("".join(seg.text for seg in sel.render_line(y)).rstrip())
    return lines


async def _toggle(screen: Any, pilot: Any, value: str) -> None:
    from screens.nyt_aar import NytAarList

    sel = screen.query_one("#nyt-aar-list", NytAarList)
    sel.focus()
    sel.highlighted = next(i for i, o in enumerate(sel.options) if o.value == value)
    await pilot.pause()
    await pilot.press("space")
    await settle(screen.app, pilot)


def _summary(screen: Any) -> str:
    return prompt_text(screen.query_one("#nyt-aar-summary").render())


@pytest.mark.parametrize("size", SIZES)
@run_async
async def test_reachable_and_the_year_chooser(tmp_path: Path, size: tuple[int, int]) -> None:
    _built(tmp_path / "d.db")
    app = _app(tmp_path / "d.db")
    async with app.run_test(size=size) as pilot:
        screen = await _open(app, pilot, year=None)
        # This year (the clock says 3 December 2026) is the default, not the newest (2027).
        assert screen.fra_aar == 2026
        from textual.widgets import Select

        screen.query_one("#nyt-aar-year", Select).value = 2027
        await settle(app, pilot)
        assert screen.fra_aar == 2027
        assert "Intet er valgt til 2028." in _summary(screen)
        assert screen.query_one("#nyt-aar-start").disabled
        assert "Betas plan for næste år  (intet løber videre)" in "\n".join(_lines(screen))
        screen.query_one("#nyt-aar-year", Select).value = 2026
        await settle(app, pilot)
        assert screen.fra_aar == 2026
        # The blank line («Vælg år», never Textual's English «Select») picked: the year shown
        # stays the one the list is about.
        picker = screen.query_one("#nyt-aar-year", Select)
        picker.value = Select.NULL
        await settle(app, pilot)
        assert picker.value == 2026 and screen.fra_aar == 2026
        assert picker.prompt == "Vælg år"
        await assert_all_reachable(
            pilot,
            "#nyt-aar-year",
            "#nyt-aar-intro",
            "#nyt-aar-list",
            "#nyt-aar-summary",
            "#nyt-aar-start",
            "#nyt-aar-back",
        )
        assert "2 målplaner, 3 mål, 2 tegn og 2 prøvehandlinger bliver overført til 2027." in (
            _summary(screen)
        )
        assert "Start 2027" in str(screen.query_one("#nyt-aar-start").label)
        lines = _lines(screen)
        text = "\n".join(lines)
        assert "[ ] (info) Målplan 2026 for Alfa  → ny plan «Målplan 2027 for Alfa»" in text
        assert "[ ] (info) Beta 2026  → ind i planen for 2027" in text
        assert "[x] Mål: Flere klarer morgenen selv. (2026-2027)" in text
        assert "[x] Mål: Uden slutår. (uden slutår)" in text
        assert any(
            line.startswith("[x] Tegn: Andel der klarer morgenen selv")
            and "udgangspunkt 40 %, forventet 60 %; seneste måling 52,5 (01.09.2026)" in line
            for line in lines
        ), text
        assert "[x] Prøvehandling: Morgentræning i hjemmet (i gang)" in text
        assert "[x] Prøvehandling: Hjælpemidler først (planlagt)" in text
        assert "[ ] Samarbejde med Beta (koordinationsniveau)" in text
        assert "[ ] Plan A-indikatorerne 1, 6, 8 til den nye plan" in text
        # What stays behind: its text first (a narrow list cuts the end), then why.
        assert "[ ] (info) Pjece – ikke med: afsluttet" in text
        assert "[ ] (info) Video – ikke med: stoppet" in text
        assert (
            "[ ] (info) Et mål der sluttede. – ikke med: sluttede i 2026 (1 åben prøvehandling "
            "følger ikke med)" in text
        )
        assert "Slettet" not in text and "Under slettet" not in text
        # As drawn: a line too long for the list wraps under its text (it was cut with «…» at
        # 80 columns, reason and all), and what only informs has no tick box on any line.
        drawn = await _drawn_list(screen, pilot)
        assert "…" not in "".join(drawn)
        joined = " ".join(line.strip() for line in drawn)
        assert "Et mål der sluttede. – ikke med: sluttede i 2026 (1 åben prøvehandling" in joined
        assert "følger ikke med)" in joined
        assert all(line.startswith("    ") for line in drawn if "ikke med" in line)
        assert not any(line.startswith("[") for line in drawn if "Målplan 2026 for Alfa" in line)
        assert any(line.startswith("[x] Mål: Flere klarer morgenen selv.") for line in drawn)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is not screen


@run_async
async def test_untick_start_and_undo(tmp_path: Path) -> None:
    from screens.forms import ConfirmScreen

    path = tmp_path / "d.db"
    ids = _built(path)
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        # Unticking a mål unticks its tegn and prøvehandlinger; ticking one of them back ticks
        # the mål again.
        await _toggle(screen, pilot, f"maal:{ids['maal']}")
        lines = "\n".join(_lines(screen))
        assert "[ ] Tegn: Andel der klarer morgenen selv" in lines
        assert "[ ] Prøvehandling: Morgentræning i hjemmet (i gang)" in lines
        await _toggle(screen, pilot, f"proevehandling:{ids['ph_i_gang']}")
        lines = "\n".join(_lines(screen))
        assert "[x] Mål: Flere klarer morgenen selv." in lines
        assert "[ ] Tegn: Andel der klarer morgenen selv" in lines
        await _toggle(screen, pilot, f"tegn:{ids['tegn1']}")
        await _toggle(screen, pilot, f"tegn:{ids['tegn2']}")
        # The test's choice: not the mål without an end, not the planned prøvehandling.
        await _toggle(screen, pilot, f"maal:{ids['open_ended']}")
        assert "[ ] Prøvehandling: Hjælpemidler først" in "\n".join(_lines(screen))
        assert _summary(screen) == (
            "2 målplaner, 2 mål, 2 tegn og 1 prøvehandling bliver overført til 2027."
        )
        await pilot.press("f7")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is screen
        result = prompt_text(screen.query_one("#nyt-aar-result").render())
        assert "2 målplaner (1 nye), 2 mål, 2 tegn og 1 prøvehandling er overført til 2027" in (
            result
        )
        (copy,) = read(path, "maal", fra_id=ids["maal"])
        assert len(read(path, "maal", fra_id=ids["beta_maal"])) == 1
        assert read(path, "maal", fra_id=ids["open_ended"]) == []
        assert len(read(path, "tegn", maal_id=copy["id"])) == 2
        (ph,) = read(path, "proevehandling", maal_id=copy["id"])
        assert ph["fra_id"] == ids["ph_i_gang"] and ph["status_dato"] == date(2026, 12, 3)
        assert read(path, "proevehandling", fra_id=ids["ph_planlagt"]) == []
        (original,) = read(path, "proevehandling", id=ids["ph_i_gang"])
        assert original["status"] == "viderefoert"
        # The list now shows the carried mål as carried, with only what was left out offered,
        # and nothing ticked: a second F7 must not carry what was just left out.
        lines = "\n".join(_lines(screen))
        assert "allerede ført videre" in lines
        assert "[ ] Prøvehandling: Hjælpemidler først (planlagt)" in lines
        assert "[ ] Mål: Uden slutår. (uden slutår)" in lines
        assert "[x]" not in lines
        assert "Intet er valgt til 2027." in _summary(screen)
        assert screen.query_one("#nyt-aar-start").disabled
        await pilot.press("f7")
        await settle(app, pilot)
        assert app.screen is screen  # no question: nothing to start
        assert read(path, "maal", fra_id=ids["open_ended"]) == []
        # One Ctrl+Z takes all of it away.
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert read(path, "maal", fra_id=ids["maal"]) == []
        assert prompt_text(screen.query_one("#nyt-aar-result").render()).strip() == ""
        assert read(path, "maal", fra_id=ids["beta_maal"]) == []
        assert read(path, "maalplan", aar=2027, titel="Målplan 2027 for Alfa") == []
        assert read(path, "proevehandling", fra_id=ids["ph_i_gang"]) == []
        (original,) = read(path, "proevehandling", id=ids["ph_i_gang"])
        assert original["status"] == "i_gang"
        assert "[x] Mål: Flere klarer morgenen selv." in "\n".join(_lines(screen))


@run_async
async def test_escape_on_the_question_keeps(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    ids = _built(path)
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        await pilot.click("#nyt-aar-start")
        await settle(app, pilot)
        assert app.screen is not screen
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen
        assert read(path, "maal", fra_id=ids["maal"]) == []


@run_async
async def test_ticking_a_maal_again_gives_back_its_ticks(tmp_path: Path) -> None:
    """One slip of the spacebar on a mål loses nothing: ticked again, its tegn and
    prøvehandlinger get back the ticks they had (one left unticked stays so), and the summary
    follows."""
    path = tmp_path / "d.db"
    ids = _built(path)
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        before = _summary(screen)
        await _toggle(screen, pilot, f"tegn:{ids['tegn2']}")
        after_tegn = _summary(screen)
        assert after_tegn != before
        await _toggle(screen, pilot, f"maal:{ids['maal']}")
        assert "[ ] Tegn: Andel der klarer morgenen selv" in "\n".join(_lines(screen))
        await _toggle(screen, pilot, f"maal:{ids['maal']}")
        lines = "\n".join(_lines(screen))
        assert "[x] Mål: Flere klarer morgenen selv." in lines
        assert "[x] Tegn: Andel der klarer morgenen selv" in lines
        assert "[ ] Tegn: Borgerne fortæller" in lines
        assert "[x] Prøvehandling: Morgentræning i hjemmet (i gang)" in lines
        assert "[x] Prøvehandling: Hjælpemidler først (planlagt)" in lines
        assert "[ ] Samarbejde med Beta (koordinationsniveau)" in lines
        assert _summary(screen) == after_tegn


@run_async
async def test_opens_on_the_year_with_something_to_carry_and_says_it_is_early(
    tmp_path: Path,
) -> None:
    """3 December 2026, every 2026 mål ended, a 2027 mål runs on: the screen opens on 2027
    (not on 2026 with nothing to carry), says that plan year 2027 has not begun, and the
    question waits on Enter; «j» starts 2028 all the same."""
    from models.db import open_database
    from models.store import Store
    from screens.forms import ConfirmScreen
    from tests.test_nyt_aar import _rows

    path = tmp_path / "d.db"
    ids = _built(path)
    db = open_database(str(path))
    try:
        s = Store(db)
        for key in ("maal", "beta_maal", "open_ended"):
            s.update("maal", ids[key], {"til_aar": 2026})
        s.create(
            "maal",
            {
                "maalplan_id": ids["beta_2027"],
                "maalsaetning_id": _rows(s, "maalsaetning")[0]["id"],
                "tekst": "Beta løber videre.",
                "fra_aar": 2027,
                "til_aar": 2028,
            },
        )
    finally:
        db.close()
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot, year=None)
        assert screen.fra_aar == 2027
        warning = screen.query_one("#nyt-aar-warning")
        assert warning.display
        assert "Planår 2027 er ikke begyndt endnu: arbejdet starter 1.3.2027" in prompt_text(
            warning.render()
        )
        assert "1 målplan, 1 mål, 0 tegn og 0 prøvehandlinger" in _summary(screen)
        await pilot.press("f7")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")  # «Vent» has the focus
        await settle(app, pilot)
        assert app.screen is screen and read(path, "maalplan", aar=2028) == []
        await pilot.press("f7")
        await settle(app, pilot)
        await pilot.press("j")
        await settle(app, pilot)
        assert len(read(path, "maalplan", aar=2028)) == 1
        # The usual year (2026 on to 2027 in December 2026) says nothing of the kind.
        from textual.widgets import Select

        screen.query_one("#nyt-aar-year", Select).value = 2026
        await settle(app, pilot)
        assert not screen.query_one("#nyt-aar-warning").display


@run_async
async def test_carried_rows_show_where_they_came_from_and_went(tmp_path: Path) -> None:
    """After «nyt år» the copy's prøvehandling (årshjul) and mål (mål screen) name the plan
    they came from, and the originals the year they went to."""
    from models.db import open_database
    from models.nyt_aar import carry, proposal
    from models.store import Store
    from screens.aarshjul import AarshjulPlanScreen
    from screens.maal import MaalScreen

    path = tmp_path / "d.db"
    ids = _built(path)
    db = open_database(str(path))
    try:
        s = Store(db)
        carry(s, proposal(s, 2026).default_choice(), date(2026, 12, 3))
    finally:
        db.close()
    (copy,) = read(path, "maal", fra_id=ids["maal"])
    app = _app(path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        await app.push_screen(AarshjulPlanScreen(copy["maalplan_id"]))
        await settle(app, pilot)
        listing = app.screen.query_one("#aarshjul-plan-ph")
        shown = "\n".join(prompt_text(o.prompt) for o in listing.options)
        assert "Videreført fra 2026: Målplan 2026 for Alfa" in shown
        app.pop_screen()
        await app.push_screen(AarshjulPlanScreen(ids["plan"]))
        await settle(app, pilot)
        listing = app.screen.query_one("#aarshjul-plan-ph")
        by_id = {o.id: prompt_text(o.prompt) for o in listing.options}
        assert "Videreført til 2027" in by_id[ids["ph_i_gang"]]
        assert "Videreført" not in by_id[ids["ph_afsluttet"]]
        app.pop_screen()
        await app.push_screen(MaalScreen(copy["id"]))
        await settle(app, pilot)
        meta = prompt_text(app.screen.query_one("#maal-meta").render())
        assert "Videreført fra 2026: Målplan 2026 for Alfa" in meta
        listing = app.screen.query_one("#list-proevehandling")
        shown = "\n".join(prompt_text(o.prompt) for o in listing.options)
        assert "Videreført fra 2026: Målplan 2026 for Alfa" in shown
        app.pop_screen()
        await app.push_screen(MaalScreen(ids["maal"]))
        await settle(app, pilot)
        meta = prompt_text(app.screen.query_one("#maal-meta").render())
        assert "Videreført til 2027" in meta
