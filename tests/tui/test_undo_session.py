"""Ctrl+Z stops where this session started: what was done since the app opened is undone at
once; the action before that (the tovholder's preparation of the day, yesterday's work on this
laptop) is undone only when the user says so, in a question that says what and when. Enter
and Esc keep it, and pressing Ctrl+Z again while the question is open asks nothing more (one
stray key after another once took a prepared day away, row by row)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.tui.helpers import FakeClock, build_small, read, run_async, settle


def _messages(app: Any) -> list[str]:
    return [str(n.message) for n in app._notifications]


def _live_tegn(path: Path) -> list[str]:
    return sorted(r["tekst"] for r in read(path, "tegn") if not r["deleted"])


@run_async
async def test_undo_asks_before_going_past_the_session(tmp_path: Path) -> None:
    from screens.forms import ConfirmScreen
    from tui.app import UdviklingsdagApp

    path = tmp_path / "u.db"
    ids = build_small(path)
    before = _live_tegn(path)
    assert before  # build_small's last action made a tegn, before the app opened
    app = UdviklingsdagApp(str(path), clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.write(
            lambda ws: ws.create_or_update(
                "tegn",
                None,
                {"tekst": "Skrevet i dag", "type": "kvalitativ"},
                fixed={"maal_id": ids["m1"]},
            )
        )
        await settle(app, pilot)
        assert "Skrevet i dag" in _live_tegn(path)
        home = app.screen

        await pilot.press("ctrl+z")  # this session's tegn: undone at once
        await settle(app, pilot)
        assert _live_tegn(path) == before
        assert "Fortrudt: nyt tegn." in _messages(app)
        assert app.screen is home

        await pilot.press("ctrl+z", "ctrl+z")  # the tegn from before: asked first, once
        await settle(app, pilot)
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        assert "lavet på denne bærbare, før programmet blev åbnet" in question.question
        assert "nyt tegn" in question.question and " kl. " in question.question
        await pilot.press("ctrl+z", "ctrl+z")  # mashed: still the one question
        await settle(app, pilot)
        assert app.screen is question and len(app.screen_stack) == 2
        await pilot.press("enter")  # «Behold» has the focus
        await settle(app, pilot)
        assert app.screen is home and _live_tegn(path) == before

        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        assert _live_tegn(path) == before

        # A letter typed on (Ctrl+Z pressed while writing «jeg …») does not answer; closed
        # another way (the palette's «Hjem») the question counts as «Behold», and Ctrl+Z
        # asks again.
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        asked = app.screen
        assert isinstance(asked, ConfirmScreen)
        await pilot.press("j", "y")
        await settle(app, pilot)
        assert app.screen is asked and _live_tegn(path) == before
        app.go_home()
        await settle(app, pilot)
        assert app.screen is home and _live_tegn(path) == before
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("shift+tab")  # to «Fortryd den»
        assert app.focused is app.screen.query_one("#yes")
        await pilot.press("enter")  # yes: the older tegn goes too
        await settle(app, pilot)
        assert app.screen is home
        assert len(_live_tegn(path)) == len(before) - 1
        assert _messages(app).count("Fortrudt: nyt tegn.") == 2
