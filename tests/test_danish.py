"""Danish everywhere (issue 13): the command line's help and errors, the command palette, and
one plural helper for counts («1 prøvehandling», «2 prøvehandlinger»)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from models.records import MaalProgress
from models.words import NOUNS, antal, count, counted, noun
from tests.tui.helpers import build_small, prompt_text, run_async, settle
from tui.cli import build_parser, main

# argparse's own English, as it would show in a help text or an error.
ENGLISH = re.compile(
    r"\busage\b|\boptions\b|positional arguments|optional arguments|show this help|"
    r"\bexit\b|\berror\b|\brequired\b|\binvalid\b|\bexpected\b|\bchoose from\b|"
    r"\bunrecognized\b|subcommands|version number",
    re.IGNORECASE,
)


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command path of the parser: (), ("bundle",), ("bundle", "import"), ..."""
    found = [path]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += _commands(sub, (*path, name))
    return found


COMMANDS = _commands(build_parser())


def test_every_command_is_listed() -> None:
    assert ("bundle", "import") in COMMANDS and ("export", "sbsys") in COMMANDS
    assert ("verify",) in COMMANDS and () in COMMANDS


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "udviklingsdag")
def test_help_has_no_english(command: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main([*command, "--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("brug: udviklingsdag")
    assert "tilvalg:" in out and "vis denne hjælp og afslut" in out
    assert not ENGLISH.search(out), ENGLISH.findall(out)


def test_top_help_is_danish(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "vis programmets version og afslut" in out
    assert "kommandoer:" in out


@pytest.mark.parametrize(
    ("argv", "danish"),
    [
        (["bundle", "import"], "disse argumenter mangler: FIL"),
        (["ingenting"], "ukendt valg: 'ingenting' (vælg mellem"),
        (["export", "sbsys", "ud", "--maalplan"], "--maalplan: mangler en værdi"),
        (["info", "--ukendt"], "ukendte argumenter: --ukendt"),
        (["export"], "disse argumenter mangler: FORMAT"),
    ],
)
def test_errors_are_danish(
    argv: list[str], danish: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("brug: udviklingsdag")
    assert "udviklingsdag: fejl i kommandoen: " in err and danish in err
    assert not ENGLISH.search(err), ENGLISH.findall(err)


def test_other_argparse_users_keep_their_words(capsys: pytest.CaptureFixture[str]) -> None:
    build_parser()
    main_parser = argparse.ArgumentParser(prog="andet")
    assert main_parser.format_usage().startswith("usage: andet")
    assert "show this help message and exit" in main_parser.format_help()


# --- the plural helper ------------------------------------------------------------------------


def test_antal_picks_the_form_and_writes_thousands() -> None:
    assert antal(1, "prøvehandling", "prøvehandlinger") == "1 prøvehandling"
    assert antal(0, "prøvehandling", "prøvehandlinger") == "0 prøvehandlinger"
    assert antal(2, "konflikt", "konflikter") == "2 konflikter"
    assert antal(20000, "tegn", "tegn") == "20.000 tegn"
    assert antal(1234567, NOUNS["fil"]) == "1.234.567 filer"
    assert count("samarbejde", 1) == "1 samarbejde"
    assert count("baerbar", 3) == "3 bærbare"
    assert noun("konflikt", 1) == "konflikt"


def test_counted_takes_the_count_fields() -> None:
    assert counted({"proevehandlinger": 1, "samarbejder": 1, "borde": 2, "noter": 5}) == {
        "proevehandlinger": "1 prøvehandling",
        "samarbejder": "1 samarbejde",
        "borde": "2 borde",
    }


def test_antal_needs_both_forms() -> None:
    with pytest.raises(ValueError):
        antal(1, "mål")


def test_bord_list_counts_in_singular() -> None:
    from screens.bord import maal_prompt

    one = MaalProgress("m", "Mål", "Nordlys Skole", None, 1, 1, 1)
    text = prompt_text(maal_prompt(one, "del1"))
    assert "1 tegn · 1 prøvehandling · 1 samarbejde" in text
    many = MaalProgress("m", "Mål", "", None, 2, 3, 0)
    assert "2 tegn · 3 prøvehandlinger · 0 samarbejder" in prompt_text(maal_prompt(many, "del1"))


def test_deltagere_summary_in_singular() -> None:
    from screens.deltagere import summary_text
    from screens.texts import DELTAGER_ROLLE_COUNT

    class One:
        rolle = next(iter(DELTAGER_ROLLE_COUNT))

    assert summary_text([One()]).startswith("1 deltager: 1 ")  # type: ignore[list-item]


# --- the command palette -------------------------------------------------------------------------


def _app(path: Path):
    from tests.tui.helpers import FakeClock
    from tui.app import UdviklingsdagApp

    return UdviklingsdagApp(str(path), clock=FakeClock())


@run_async
async def test_palette_is_danish(tmp_path: Path) -> None:
    from textual.command import CommandInput, CommandPalette

    from screens import texts

    path = tmp_path / "d.db"
    build_small(path)
    app = _app(path)
    # The footer shows the palette's key from 100 columns on (at 80 it leaves it out).
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        # The footer's key for the palette says «Kommandoer», not «palette».
        palette_key = app.screen.query(".-command-palette").first()
        assert "Kommandoer" in str(palette_key.render())
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        assert isinstance(app.screen, CommandPalette)
        field = app.screen.query_one(CommandInput)
        assert field.placeholder == texts.PALETTE_PLACEHOLDER
        assert not re.search(r"search|command", field.placeholder, re.IGNORECASE)
        shown = [b.description for _k, b in app.screen._bindings if b.show]
        assert shown == ["Luk kommandopaletten"]  # not «Exit the command palette»
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert titles and not {"Keys", "Theme", "Quit", "Screenshot"} & set(titles)
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, CommandPalette)
