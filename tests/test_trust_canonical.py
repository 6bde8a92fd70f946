"""Issue 11, «one canonical value»: every file in the hostile corpus (tests/reliability/hostile.py)
is refused with its Danish message and the database file stays byte for byte the same, or it is
accepted and every stored value equals its canonical form (`validate_value` of itself)."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from exports.bundle import import_bundles
from models.changes import canonical_value
from models.consolidation import ledger
from models.db import open_database
from models.errors import UdviklingsdagError, ValidationError
from models.schema import DELETED, validate_value
from models.store import Store
from tests.reliability.hostile import (
    CANONICAL,
    EXPECTED,
    FOREIGN,
    LEDGER_WARNINGS,
    PAIRS,
    assert_all_canonical,
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    """The demo workshop and the hostile files built on it, once for this module."""
    from models.demo import build_demo
    from tests.reliability.hostile import hostile_files

    folder = tmp_path_factory.mktemp("fjendtlig")
    demo = folder / "demo.db"
    db = open_database(str(demo), device_name="Tovholder")
    try:
        build_demo(Store(db))
    finally:
        db.close()
    return demo, hostile_files(folder / "filer", demo)


def file_state(path: Path) -> str:
    """SHA-256 of the database file(s) after a checkpoint: byte for byte, WAL included."""
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()
    h = hashlib.sha256()
    for suffix in ("", "-wal"):
        p = Path(f"{path}{suffix}")
        if p.exists():
            h.update(p.read_bytes())
    return h.hexdigest()


def _import(base: Path, tmp: Path, paths: list[Path]) -> tuple[Path, str | None, str, str]:
    target = tmp / "db.db"
    shutil.copy(base, target)
    before = file_state(target)
    db = open_database(str(target))
    message = None
    try:
        import_bundles(Store(db), paths)
    except UdviklingsdagError as exc:
        message = str(exc)
    finally:
        db.close()
    return target, message, before, file_state(target)


CLASSES = sorted(EXPECTED)


@pytest.mark.parametrize("name", CLASSES)
def test_every_hostile_file_is_refused_unchanged_or_stored_canonical(corpus, tmp_path, name):
    base, files = corpus
    paths = [files[n] for n in PAIRS[name]] if name in PAIRS else [files[name]]
    target, message, before, after = _import(base, tmp_path, paths)
    expected = EXPECTED[name]
    if expected is None:
        assert message is None, message
        assert_all_canonical(target)
        if name in CANONICAL:
            entity, fname, _, stored = CANONICAL[name]
            con = sqlite3.connect(target)
            try:
                rows = con.execute(
                    "SELECT value FROM change WHERE entity = ? AND field = ? AND value = ?",
                    (entity, fname, json.dumps(stored, ensure_ascii=False, separators=(",", ":"))),
                ).fetchall()
            finally:
                con.close()
            assert rows, f"{name}: the canonical value {stored!r} is not in the change log"
        return
    assert message is not None, f"{name} was accepted"
    assert expected.lower() in message.lower(), message
    # The message names the file (the second of a pair) and never echoes a control character.
    assert paths[-1].name in message or name in FOREIGN, message
    assert "\x1b" not in message and "\x07" not in message and "\x85" not in message
    assert before == after, f"{name}: the database file changed"


def test_refusals_name_entry_kind_of_data_and_field(corpus, tmp_path):
    base, files = corpus
    _, message, _, _ = _import(base, tmp_path, [files["type-int-tekst"]])
    assert message is not None
    assert "ændring nr. " in message and "et tegn" in message and "«Rækkefølge»" in message
    assert "bed om en ny fil" in message and "Intet er ændret" in message


def test_clock_far_ahead_is_shown_in_the_ledger(corpus, tmp_path):
    base, files = corpus
    target, message, _, _ = _import(base, tmp_path, [files["ur-fremtid-73-aar"]])
    assert message is None
    db = open_database(str(target))
    try:
        (row,) = [r for r in ledger(db) if r.filnavn == files["ur-fremtid-73-aar"].name]
        assert row.clock_warning is not None
        assert LEDGER_WARNINGS["ur-fremtid-73-aar"] in row.clock_warning
        assert "Bord 3" in row.clock_warning
    finally:
        db.close()


def test_foreign_file_is_accepted_after_confirmation(corpus, tmp_path):
    base, files = corpus
    target = tmp_path / "db.db"
    shutil.copy(base, target)
    db = open_database(str(target))
    try:
        report = import_bundles(Store(db), [files["fremmed-database"]], allow_foreign=True)
        (res,) = report.files
        assert res.foreign and res.new > 0
        assert any("anden database" in line for line in report.summary_lines())
    finally:
        db.close()
    assert_all_canonical(target)


# --- validate_value: the one function, both modes ---------------------------------------------


@pytest.mark.parametrize(
    ("entity", "fname", "value", "stored"),
    [
        ("tegn", "tekst", "  Hej  \n", "Hej"),
        ("tegn", "tekst", "Ska\u030angen", "Skången"),
        ("tegn", "baseline", "\u00a0Ti\u3000", "Ti"),
        ("tegn", "tekst", "a\u2028b\r\nc\u2029", "a\nb\nc"),
        ("maal", "plan_a", [3, 1, 3], [1, 3]),
        ("proevehandling", "start", "2024-01-24", date(2024, 1, 24)),
        ("maalplan", "aar", 2027, 2027),
        ("bord", "anonym", False, False),
        ("tegn", "type", "kvalitativ", "kvalitativ"),
        ("tegn", "datakilde", None, None),
        ("tegn", "datakilde", "   ", None),
    ],
)
def test_strict_values_are_canonicalised_and_stable(entity, fname, value, stored):
    got = validate_value(entity, fname, value, strict=True)
    assert got == stored
    assert validate_value(entity, fname, got, strict=False) == got


@pytest.mark.parametrize(
    ("entity", "fname", "value", "fragment"),
    [
        ("maalplan", "aar", "2027", "helt tal"),
        ("bord", "anonym", "ja", "ja eller nej"),
        ("proevehandling", "start", "24-01-2024", "ÅÅÅÅ-MM-DD"),
        ("proevehandling", "start", "20240124", "ÅÅÅÅ-MM-DD"),
        ("maal", "plan_a", "1,3", "liste"),
        ("tegn", "tekst", "Hej\x1c", "styretegn"),
        ("tegn", "tekst", "Hej\x0b", "styretegn"),
        ("tegn", "tekst", "Hej\x85", "styretegn"),
        ("tegn", "baseline", "x" + " " * 2000, "for lang"),
        ("tegn", "baseline", "Ti\u2028", "én linje"),
        ("maal", "maalsaetning_id", None, "skal udfyldes"),
        ("maalplan", "enhed_id", None, "skal udfyldes"),
        ("tegn", "type", ["kvalitativ"], "ikke en mulighed"),
    ],
)
def test_strict_mode_refuses_what_the_writer_never_writes(entity, fname, value, fragment):
    with pytest.raises(ValidationError, match=fragment):
        validate_value(entity, fname, value, strict=True)


def test_form_input_is_still_understood_without_strict():
    assert validate_value("maalplan", "aar", " 2027 ") == 2027
    assert validate_value("bord", "anonym", "ja") is True
    assert validate_value("proevehandling", "start", "24-01-2024") == date(2024, 1, 24)
    # ... but control characters at the ends are refused for typed text too (no silent strip).
    with pytest.raises(ValidationError, match="styretegn"):
        validate_value("tegn", "tekst", "Hej\x1c")


def test_deleted_must_be_a_boolean():
    entry = {"entity": "tegn", "field": DELETED, "value": "true"}
    with pytest.raises(ValidationError, match="Slettet"):
        canonical_value(**entry)
    assert canonical_value(**{**entry, "value": True}) is True


def test_messages_quote_file_text_without_escape_codes():
    with pytest.raises(ValidationError) as info:
        validate_value("tegn", "type", "\x1b[2Jvalg", strict=True)
    assert "\x1b" not in str(info.value) and "␛" in str(info.value)
    with pytest.raises(ValidationError) as info:
        validate_value("tegn", "felt\x1b[31m", "x")
    assert "\x1b" not in str(info.value)
