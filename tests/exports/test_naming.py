"""File names that are safe on Windows, with Danish letters kept."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pathvalidate import validate_filename

from exports.naming import MAX_NAME, package_stem, safe_component, unique_name

UNSAFE = [
    "CON",
    "con",
    "PRN",
    "NUL.txt",
    "COM1",
    "LPT9",
    "a/b",
    "a\\b",
    "..",
    ".",
    "x" * 300,
    "slut...",
    "slut. . ",
    "  ",
    "",
    'Børnehuset: "Solsikken"?*<>|',
    "tab\tog\nlinje",
    "bell\x07og\x1besc",
    "[bold]ja[/]",
    "ÆØÅ æøå " * 40,
]


@pytest.mark.parametrize("text", UNSAFE)
def test_safe_component_is_valid_on_windows(text):
    name = safe_component(text)
    validate_filename(name, platform="windows")  # raises when not safe
    assert name and name not in (".", "..")
    assert len(name) <= MAX_NAME
    assert not name.endswith((".", " "))
    assert name.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT9"}


@pytest.mark.parametrize("enhed, titel", [(e, t) for e in UNSAFE[:8] for t in UNSAFE[8:14]])
def test_package_stem_is_valid_and_short(enhed, titel):
    stem = package_stem(enhed, titel, date(2027, 1, 31))
    assert stem.startswith("2027-01-31_Maalplan_")
    for ext in (".xlsx", ".docx", ".pdf", ".zip"):
        validate_filename(stem + ext, platform="windows")
        assert len(stem + "_2" + ext) <= MAX_NAME


def test_danish_letters_are_kept():
    stem = package_stem(
        "Plejecenter Lindely Ærø", "Målplan 2027: Ældre får træning på Østervej", date(2027, 1, 31)
    )
    assert stem == "2027-01-31_Maalplan_Plejecenter-Lindely-Ærø_2027-Ældre-får-træning-på"
    assert re.fullmatch(r"[\w\-]+", stem)


def test_long_names_are_cut_title_first():
    stem = package_stem("Kulturhuset Tårnet", "Trivsel " * 40, date(2027, 1, 31))
    assert "Kulturhuset-Tårnet" in stem
    assert len(stem) <= MAX_NAME - 8


def test_unique_name_is_case_insensitive():
    taken: set[str] = set()
    assert unique_name("Plan", taken) == "Plan"
    assert unique_name("plan", taken) == "plan_2"
    assert unique_name("PLAN", taken) == "PLAN_3"


_NAME_PARTS = st.one_of(
    st.sampled_from(
        ["Ærø", "Børnehus", "con", "CON", "Lpt1", "com9", "NUL", "aux", "Prn", "ı", "ſ", "é"]
    ),
    st.sampled_from([" ", "-", "--", ".", "_", "/", "\\", ":", "\t", "\x00", "\u200b", "$"]),
    st.text(
        alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x24F),
        min_size=1,
        max_size=12,
    ),
    st.text(min_size=1, max_size=4),
)


@settings(max_examples=600, deadline=None)
@given(
    parts=st.lists(_NAME_PARTS, max_size=40),
    max_len=st.sampled_from([1, 3, 5, 8, 20, 44, 50, 80, 255, 300]),
)
def test_a_plain_name_is_named_as_pathvalidate_would_name_it(parts: list[str], max_len: int):
    """The quick way for plain names (letters and digits in words joined by dashes) gives
    what pathvalidate gives, for reserved device names, cuts and long names too."""
    from exports.naming import _safe_component

    text = "".join(parts)
    assert _safe_component(text, max_len, "x", quick=True) == _safe_component(
        text, max_len, "x", quick=False
    )


@pytest.mark.parametrize(
    ("text", "max_len", "want"),
    [
        ("Børnehuset Ærø", 80, "Børnehuset-Ærø"),
        ("CON", 80, "CON_"),
        ("con-x", 3, "con_"),  # cut to a device name
        ("Æ" * 200, 255, "Æ" * 127),  # 255 bytes in UTF-8
    ],
)
def test_plain_names_and_device_names(text: str, max_len: int, want: str):
    assert safe_component(text, max_len=max_len) == want
