"""The sanitiser for text that came from data or files (models/visible.py)."""

from __future__ import annotations

import pytest

from models.visible import is_clean, visible


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("Bord 3", "Bord 3"),
        ("Børn og unge – æøå", "Børn og unge – æøå"),
        ("a\x1b[2Jb", "a␛[2Jb"),
        ("x\x07y", "x␇y"),
        ("x\x00y", "x␀y"),
        ("x\x7fy", "x␡y"),
        ("x\x85y", "x⟨U+0085⟩y"),
        ("x\x9b2Jy", "x⟨U+009B⟩2Jy"),
        ("abc\u202edef", "abc⟨U+202E⟩def"),
        ("abc\u2066def\u2069", "abc⟨U+2066⟩def⟨U+2069⟩"),
        ("to\nlinjer", "to␊linjer"),
        ("tab\there", "tab␉here"),
    ],
)
def test_every_control_is_shown_as_a_placeholder(raw: str, shown: str) -> None:
    assert visible(raw) == shown
    assert is_clean(shown)
    assert is_clean(raw) == (raw == shown)


def test_multiline_keeps_new_lines_and_tabs_but_not_escapes() -> None:
    assert visible("a\r\nb\tc\x1b]0;titel\x07", multiline=True) == "a\nb\tc␛]0;titel␇"
    assert visible("a\rb", multiline=True) == "a␍b"


def test_limit_cuts_before_the_placeholders_and_marks_the_cut() -> None:
    assert visible("x" * 50, limit=10) == "x" * 9 + "…"
    assert visible("\x1b" * 50, limit=3) == "␛␛…"
    assert visible(12345) == "12345"


def test_markup_is_escaped_for_widgets_that_render_markup() -> None:
    """Textual's content markup (what a widget reads a string as) shows the text as typed:
    also «[B]», «[$x]», a backslash before «[» and an unclosed «[/», which Rich's `escape`
    left to the parser (hidden, or a MarkupError while drawing)."""
    from textual.content import Content

    from screens.widgets import visible_markup

    shown = visible_markup("[bold]fed[/bold] \x1b[31m")
    assert Content.from_markup(shown).plain == "[bold]fed[/bold] ␛[31m"
    for typed in ("[/] [b]x[/b]", "[B]x[/B] [$x]y [_]", "a\\[b]x\\", "Bord 4 [/", "[B=;]"):
        assert Content.from_markup(visible_markup(typed)).plain == typed
