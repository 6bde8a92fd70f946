"""Property-based fuzzing of the parsers: whatever bytes or values arrive, the bundle reader,
the merge and the målplanskabelon importer either accept them or refuse them with a Danish
`UdviklingsdagError`, never another exception, and a refusal changes nothing."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bench.generate import copy_sqlite
from exports import template_import
from exports.bundle import BundleError, digest, import_bundles, read_bundle
from models.db import open_database
from models.errors import UdviklingsdagError

from ._util import db_digest

CORPUS = Path(__file__).resolve().parent / "corpus"
GOOD = CORPUS / "overlevering-gyldig.udviklingsdag.json"
FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
    database=None,
)


def _read(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.udviklingsdag.json"
        path.write_bytes(data)
        try:
            read_bundle(path)
        except BundleError as exc:
            assert str(exc).startswith(("Filen", "fuzz")), str(exc)
            assert "Intet er ændret" in str(exc) or "findes ikke" in str(exc)


@settings(FUZZ, max_examples=150)
@given(st.binary(max_size=4096))
def test_read_bundle_any_bytes(data: bytes) -> None:
    _read(data)


@settings(FUZZ, max_examples=150)
@given(
    st.lists(st.tuples(st.integers(0, 17_000), st.integers(0, 255)), min_size=1, max_size=8),
    st.one_of(st.none(), st.integers(0, 18_000)),
)
def test_read_bundle_damaged_file(changes: list[tuple[int, int]], cut: int | None) -> None:
    data = bytearray(GOOD.read_bytes())
    for pos, value in changes:
        if pos < len(data):
            data[pos] = value
    _read(bytes(data[:cut] if cut is not None else data))


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=8,
)


@FUZZ
@given(st.data())
def test_merge_any_values(demo_template: Path, data: st.DataObject) -> None:
    """Entries with the right shape but any values (checksum fixed, so the merge must judge
    them): accepted, or refused with nothing changed."""
    doc = json.loads(GOOD.read_text("utf-8"))
    entries = doc["entries"]
    for _ in range(data.draw(st.integers(1, 4))):
        entry = entries[data.draw(st.integers(0, len(entries) - 1))]
        key = data.draw(st.sampled_from(["value", "value", "value", "field", "replaces"]))
        if key == "field":
            entry["field"] = data.draw(st.sampled_from(["tekst", "deleted", "navn", "maal_id"]))
        elif key == "replaces":
            entry["replaces"] = data.draw(st.lists(st.uuids().map(str), max_size=2))
        else:
            entry["value"] = data.draw(JSON)
    doc["manifest"]["sha256"] = digest(entries)
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "demo.db"
        copy_sqlite(demo_template, db_path)
        path = Path(tmp) / "fuzz.udviklingsdag.json"
        path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
        before = db_digest(db_path)
        db = open_database(str(db_path))
        try:
            import_bundles(db, [path])
        except UdviklingsdagError as exc:
            assert "Traceback" not in str(exc)
            db.close()
            assert db_digest(db_path) == before
        else:
            db.close()


CELL = st.one_of(
    st.none(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(),
    st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=60
    ).filter(lambda t: not any(ord(c) < 32 and c not in "\t\n\r" for c in t)),
)


@FUZZ
@given(st.lists(st.lists(CELL, min_size=4, max_size=4), min_size=1, max_size=12))
def test_template_import_any_cells(demo_template: Path, rows: list[list[object]]) -> None:
    """A sheet with the right headers and anything in the cells: a report (with Danish issues),
    never a crash; a dry run writes nothing."""
    from openpyxl import Workbook

    from models.store import Store

    wb = Workbook()
    ws = wb.active
    ws.title = "FØR"
    ws.append(["Mål nr", "Målsætning", "Mål"])
    ws.append(["1", "Flere børn trives.", "Alle har en ven."])
    ws.append([])
    ws.append(["Mål nr", "Tegn nr", "Tegn: hvad kigger vi efter", "Type"])
    for r in rows:
        try:
            ws.append(r)
        except ValueError:
            assume(False)
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "demo.db"
        copy_sqlite(demo_template, db_path)
        path = Path(tmp) / "fuzz.xlsx"
        wb.save(path)
        before = db_digest(db_path)
        db = open_database(str(db_path))
        try:
            report = template_import.import_workbook(Store(db), path, dry_run=True)
            for issue in report.issues:
                assert issue.text()
        except UdviklingsdagError:
            pass
        finally:
            db.close()
        assert db_digest(db_path) == before


@FUZZ
@given(
    st.lists(st.tuples(st.integers(0, 6000), st.integers(0, 255)), min_size=1, max_size=6),
)
def test_template_import_damaged_bytes(demo_template: Path, changes: list[tuple[int, int]]) -> None:
    from openpyxl import Workbook

    from models.store import Store

    wb = Workbook()
    ws = wb.active
    ws.append(["Mål nr", "Målsætning", "Mål"])
    ws.append(["1", "Flere børn trives.", "Alle har en ven."])
    buf = io.BytesIO()
    wb.save(buf)
    data = bytearray(buf.getvalue())
    for pos, value in changes:
        if pos < len(data):
            data[pos] = value
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "demo.db"
        copy_sqlite(demo_template, db_path)
        path = Path(tmp) / "fuzz.xlsx"
        path.write_bytes(bytes(data))
        before = db_digest(db_path)
        db = open_database(str(db_path))
        try:
            template_import.import_workbook(Store(db), path, dry_run=True)
        except UdviklingsdagError:
            pass
        finally:
            db.close()
        assert db_digest(db_path) == before
