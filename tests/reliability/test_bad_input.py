"""The bad-input corpus against every importer of bundle files (workshop packs and handoff
files): each damaged or hostile file is refused with a clear Danish message and the database is
left exactly as it was (a digest of every table); legitimate but unusual text (Rich markup,
right-to-left, emoji, formula-looking text) is imported exactly as written."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from exports.bundle import BundleError, digest, import_bundles, read_bundle
from models.db import open_database
from models.errors import UdviklingsdagError

from ._util import db_digest

CORPUS = Path(__file__).resolve().parent / "corpus"
SUFFIX = ".udviklingsdag.json"


def _refused(db_path: Path, file: Path) -> str:
    """Import `file`, expect a refusal; return its message after checking nothing changed."""
    before = db_digest(db_path)
    db = open_database(str(db_path))
    try:
        with pytest.raises(UdviklingsdagError) as info:
            import_bundles(db, [file])
        # The preview refuses it the same way.
        with pytest.raises(UdviklingsdagError):
            import_bundles(db, [file], dry_run=True)
    finally:
        db.close()
    assert db_digest(db_path) == before
    message = str(info.value)
    assert "Traceback" not in message
    assert "Intet er ændret" in message or "intet er ændret" in message.lower(), message
    return message


# name -> a part of the Danish message that says what is wrong
REFUSED = {
    "overlevering-afkortet": "ufuldstændig eller beskadiget",
    "pakke-afkortet": "ufuldstændig eller beskadiget",
    "overlevering-vendte-bytes": "kontrolsummen",
    "pakke-vendte-bytes": "kontrolsummen",
    "overlevering-nyere-version": "nyere version af udviklingsdag",
    "pakke-nyere-version": "nyere version af udviklingsdag",
    "ukendt-tabel": "nyere version",
    "forkert-format": "ikke en fil fra udviklingsdag",
    "json-men-ikke-vores": "ikke en fil fra udviklingsdag",
    "tom": "ikke en fil fra udviklingsdag",
    "tekst-nul": "NUL-tegn",
    "tekst-ansi": "styretegn",
    "tekst-styretegn": "styretegn",
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_corpus_file_is_refused_and_nothing_changes(name: str, demo_db: Path) -> None:
    message = _refused(demo_db, CORPUS / f"{name}{SUFFIX}")
    assert REFUSED[name] in message


def test_picture_is_refused(demo_db: Path) -> None:
    message = _refused(demo_db, CORPUS / "billede.png")
    assert "ikke en fil fra udviklingsdag" in message


ACCEPTED = {
    "tekst-rich-markup": "[bold]fed[/bold] og [/] og [link=https://eksempel.dk]klik[/link] [red",
    "tekst-hoejre-mod-venstre": "שלום עולם — مرحبا بالعالم — børn",
    "tekst-emoji": "Vi fejrer det 🎉 med hele familien 👩‍👩‍👧 og 🇩🇰",
    "tekst-formel": '=HYPERLINK("https://eksempel.dk/?q="&A1,"Klik her")',
    "tekst-formel-plus": "+SUM(1;2)",
    "tekst-formel-dde": "@cmd|' /C calc'!A0",
}


def _import_ok(db_path: Path, file: Path) -> str:
    """Import `file`; return the tegn text it brought."""
    from models.queries import live_rows

    db = open_database(str(db_path))
    try:
        # The corpus files are self-contained, from another database than the demo: since
        # issue 11 that needs the confirmation (`--fremmed`).
        report = import_bundles(db, [file], allow_foreign=True)
        assert report.new == read_bundle(file).info.entries
        rows = [r for r in live_rows(db, "tegn") if r["maal_id"]]
        enhed = next(r for r in live_rows(db, "enhed") if r["navn"] == "Korpusskolen")
        maal = next(r for r in live_rows(db, "maal") if r["enhed_id"] == enhed["id"])
        (tegn,) = [r for r in rows if r["maal_id"] == maal["id"]]
        return tegn["tekst"]
    finally:
        db.close()


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_unusual_text_is_kept_exactly(name: str, demo_db: Path) -> None:
    assert _import_ok(demo_db, CORPUS / f"{name}{SUFFIX}") == ACCEPTED[name]


@pytest.mark.parametrize("name", ["overlevering-gyldig", "pakke-gyldig"])
def test_valid_corpus_files_import(name: str, demo_db: Path) -> None:
    assert _import_ok(demo_db, CORPUS / f"{name}{SUFFIX}").startswith("Børnene siger hej")


def test_corpus_matches_the_current_format() -> None:
    """The committed files are real bundles of today's format (else the refusals above could
    pass for the wrong reason)."""
    info = read_bundle(CORPUS / f"overlevering-gyldig{SUFFIX}").info
    assert info.kind == "handoff" and info.entries == 41
    assert read_bundle(CORPUS / f"pakke-gyldig{SUFFIX}").info.kind == "pack"


# --- generated at test time: large and compressed inputs -------------------------------------


def _doc(name: str) -> dict:
    return json.loads((CORPUS / f"{name}{SUFFIX}").read_text("utf-8"))


def _write(doc: dict, path: Path, *, fix_digest: bool = True) -> Path:
    if fix_digest:
        doc["manifest"]["sha256"] = digest(doc["entries"])
    data = json.dumps(doc, ensure_ascii=False).encode()
    path.write_bytes(gzip.compress(data) if path.name.endswith(".gz") else data)
    return path


def test_huge_field_is_refused(demo_db: Path, tmp_path: Path) -> None:
    doc = _doc("overlevering-gyldig")
    for e in doc["entries"]:
        if e["entity"] == "tegn" and e["field"] == "tekst":
            e["value"] = "Meget lang tekst. " * 20_000  # 360.000 tegn
    message = _refused(demo_db, _write(doc, tmp_path / f"lang{SUFFIX}"))
    assert "for lang" in message


def test_huge_line_field_is_refused(demo_db: Path, tmp_path: Path) -> None:
    doc = _doc("overlevering-gyldig")
    for e in doc["entries"]:
        if e["entity"] == "enhed" and e["field"] == "navn":
            e["value"] = "Skole" * 1000
    assert "for lang" in _refused(demo_db, _write(doc, tmp_path / f"navn{SUFFIX}"))


def test_wrong_value_type_is_refused(demo_db: Path, tmp_path: Path) -> None:
    doc = _doc("overlevering-gyldig")
    for e in doc["entries"]:
        if e["entity"] == "maal" and e["field"] == "fra_aar":
            e["value"] = "ikke et år"
    assert "helt tal" in _refused(demo_db, _write(doc, tmp_path / f"aar{SUFFIX}"))


def test_dangling_reference_is_refused(demo_db: Path, tmp_path: Path) -> None:
    doc = _doc("overlevering-gyldig")
    doc["entries"] = [e for e in doc["entries"] if e["entity"] != "maal"]
    doc["manifest"]["entries"] = len(doc["entries"])
    _refused(demo_db, _write(doc, tmp_path / f"uden-maal{SUFFIX}"))


def test_truncated_gzip_is_refused(demo_db: Path, tmp_path: Path) -> None:
    path = _write(_doc("overlevering-gyldig"), tmp_path / f"x{SUFFIX}.gz")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert "ufuldstændig eller beskadiget" in _refused(demo_db, path)


def test_declared_count_mismatch_is_refused(demo_db: Path, tmp_path: Path) -> None:
    doc = _doc("overlevering-gyldig")
    doc["manifest"]["entries"] += 1
    assert "ufuldstændig" in _refused(demo_db, _write(doc, tmp_path / f"antal{SUFFIX}"))


def test_many_entries_import_in_one_go(demo_db: Path, tmp_path: Path) -> None:
    """A handoff with a thousand new tegn (8,000 entries) imports whole."""
    import uuid

    doc = _doc("overlevering-gyldig")
    template = [e for e in doc["entries"] if e["entity"] == "tegn"]
    extra = []
    for n in range(1000):
        row = str(uuid.uuid4())
        for e in template:
            extra.append(
                {
                    **e,
                    "id": str(uuid.uuid4()),
                    "row_id": row,
                    "hlc": e["hlc"][:14] + f"{n % 100000:05d}" + e["hlc"][19:],
                    "value": f"Tegn nummer {n}" if e["field"] == "tekst" else e["value"],
                }
            )
    doc["entries"] += extra
    doc["manifest"]["entries"] = len(doc["entries"])
    path = _write(doc, tmp_path / f"mange{SUFFIX}")
    db = open_database(str(demo_db))
    try:
        report = import_bundles(db, [path], allow_foreign=True)  # self-contained, see above
        from models.queries import counts

        assert report.new == len(doc["entries"])
        assert counts(db)["tegn"] >= 1001
    finally:
        db.close()


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(BundleError, match="findes ikke"):
        read_bundle(tmp_path / "findes-ikke.udviklingsdag.json")
    with pytest.raises(BundleError, match="mappe"):
        read_bundle(tmp_path)
