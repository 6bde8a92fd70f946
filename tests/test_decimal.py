"""The measured number (a måling's value): one stored form from a form, a file and a workbook."""

from __future__ import annotations

import math

import pytest

from models.changes import canonical_value, display_value
from models.errors import ValidationError
from models.schema import format_decimal, parse_decimal, validate_value


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("12", 12.0),
        ("12,5", 12.5),
        ("12.5", 12.5),
        ("1.234", 1234.0),
        ("1.234,5", 1234.5),
        ("1 234,5", 1234.5),
        ("45 %", 45.0),
        ("-3,25", -3.25),
        ("\u22123", -3.0),
        (",5", 0.5),
        ("0,1234567", 0.123457),
    ],
)
def test_a_number_typed_the_danish_way_is_stored_in_one_form(typed: str, stored: float) -> None:
    assert validate_value("maaling", "vaerdi", typed) == stored


@pytest.mark.parametrize("typed", ["tolv", "1,2,3", "1.2.3,4,5", "12,5 kg", "1e5", "--1"])
def test_a_text_that_is_not_a_number_is_a_danish_message(typed: str) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_value("maaling", "vaerdi", typed)
    assert "er ikke et tal" in str(exc.value)
    assert "Værdi" in str(exc.value)


@pytest.mark.parametrize("value", ["12", True, [1], {"a": 1}, math.inf, math.nan, 1e13, -1e13])
def test_a_file_must_carry_a_finite_json_number(value: object) -> None:
    with pytest.raises(ValidationError):
        canonical_value("maaling", "vaerdi", value)


def test_file_values_are_canonical_and_stable() -> None:
    assert canonical_value("maaling", "vaerdi", 12) == 12.0
    assert canonical_value("maaling", "vaerdi", 0.1 + 0.2) == 0.3
    assert canonical_value("maaling", "vaerdi", -0.0) == 0.0
    assert math.copysign(1, canonical_value("maaling", "vaerdi", -0.0)) == 1
    again = canonical_value("maaling", "vaerdi", canonical_value("maaling", "vaerdi", 2 / 3))
    assert again == canonical_value("maaling", "vaerdi", 2 / 3) == 0.666667


@pytest.mark.parametrize(
    ("value", "shown"),
    [(12.0, "12"), (12.5, "12,5"), (1234.5, "1.234,5"), (-1234567.25, "-1.234.567,25"), (0.0, "0")],
)
def test_a_number_is_shown_the_danish_way(value: float, shown: str) -> None:
    assert format_decimal(value) == shown
    assert display_value("maaling", "vaerdi", value) == shown
    assert parse_decimal(shown) == value
