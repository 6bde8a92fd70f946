"""Validation in models/: each bad value gets a Danish message that names the field."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from models.errors import ValidationError
from models.schema import validate_value


@pytest.mark.parametrize(
    ("entity", "field", "value", "label"),
    [
        ("tegn", "tekst", "   ", "Hvad kigger vi efter"),
        ("tegn", "type", "kvantum", "Type"),
        ("samarbejde", "niveau", "super", "Niveau"),
        ("maalplan", "sagsnummer", "00.01.00-g01-12-24", "Sagsnummer"),
        ("maalplan", "sagsnummer", "1.01.00-G01-12-24", "Sagsnummer"),
        ("maalplan", "kle", "abc", "KLE-nummer"),
        ("tegn", "baseline", "x" * 501, "Udgangspunkt (baseline)"),
        ("tegn", "tekst", "x" * 10_001, "Hvad kigger vi efter"),
        ("tegn", "tekst", "før\x00efter", "Hvad kigger vi efter"),
        ("tegn", "tekst", "bip\x07", "Hvad kigger vi efter"),
        ("tegn", "baseline", "to\nlinjer", "Udgangspunkt (baseline)"),
        ("tegn", "tekst", "gem \u202eetxet", "Hvad kigger vi efter"),
        ("tegn", "baseline", "a\u2066b\u2069", "Udgangspunkt (baseline)"),
        ("proevehandling", "start", "32-13-2027", "Start"),
        ("proevehandling", "start", "1890-01-01", "Start"),
        ("programblok", "minutter", "0", "Varighed (minutter)"),
        ("programblok", "minutter", "mange", "Varighed (minutter)"),
        ("maal", "plan_a", [9], "Plan A-indikatorer"),
        ("udviklingsdag", "starttid", "25:00", "Starttid"),
        ("maal", "maalsaetning_id", "ikke-en-id", "Målsætning"),
    ],
)
def test_bad_values_are_refused_with_the_field_named(entity, field, value, label):
    with pytest.raises(ValidationError) as info:
        validate_value(entity, field, value)
    message = str(info.value)
    assert label in message
    assert info.value.field == label
    assert "Traceback" not in message


def test_unknown_field():
    with pytest.raises(ValidationError, match="findes ikke"):
        validate_value("tegn", "farve", "rød")


def test_text_is_stored_nfc_and_trimmed():
    decomposed = unicodedata.normalize("NFD", "Læring på tværs ")
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    assert validate_value("tegn", "tekst", decomposed) == "Læring på tværs"


def test_markup_and_emoji_are_kept_as_typed():
    text = "[bold]Vigtigt[/] 🙂 ‏עברית"
    assert validate_value("tegn", "tekst", text) == text


def test_multiline_text_allowed_in_long_fields():
    assert validate_value("tegn", "datakilde", "linje 1\r\nlinje 2") == "linje 1\nlinje 2"


def test_good_values_are_normalised():
    assert validate_value("maalplan", "sagsnummer", "00.01.00-G01-12-24") == "00.01.00-G01-12-24"
    assert validate_value("proevehandling", "start", "24-01-2027") == date(2027, 1, 24)
    assert validate_value("proevehandling", "start", "2027-01-24") == date(2027, 1, 24)
    assert validate_value("proevehandling", "borgerinddragelse", "ja") is True
    assert validate_value("maal", "plan_a", [8, 1, 1]) == [1, 8]
    assert validate_value("tegn", "baseline", "  ") is None


def test_end_before_start_is_refused(store):
    enhed = store.create("enhed", navn="A", type="enhed")
    ms = store.create("maalsaetning", tekst="M", kilde="politik")
    maal = store.create("maal", maalsaetning_id=ms, enhed_id=enhed, tekst="Mål")
    with pytest.raises(ValidationError, match="Slutdatoen"):
        store.create(
            "proevehandling", maal_id=maal, tekst="P", start="2027-03-01", slut="2027-02-01"
        )
