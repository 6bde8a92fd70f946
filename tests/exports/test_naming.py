"""File names that are safe on Windows, with Danish letters kept."""

from __future__ import annotations

import re
from datetime import date

import pytest
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
