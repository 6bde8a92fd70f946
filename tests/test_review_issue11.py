"""Review of issue 11 (commit c4b84a2): holes found by hostile files and by reading the seams.

Each test shows one hole that was open after c4b84a2 and is closed now:

- ids, timestamps and references with a trailing new line passed the reader (`$` in a pattern
  matches before a final new line);
- timestamps with non-ASCII digits passed (`\\d` matches every Unicode digit), which breaks the
  text order of timestamps that the merge relies on;
- lone surrogates in a text or a device name passed the text rules and failed later with a
  generic message (or not at all in a preview);
- a far-future `created_at` overflowed the ledger's clock offset column on PostgreSQL;
- a SQLite path with «#», «?» or «%» opened (and created) another file in the read-only checks;
- a remote entry naming one of this laptop's actions (`undo_of`, `action_id`) changed what
  this laptop's undo does;
- an earlier SBSYS package folder was not replaced once Finder or Explorer had left its
  metadata file in it;
- on Windows the liveness probe of a stale export folder sent Ctrl+C (`os.kill(pid, 0)`);
- an entry that replaced itself, a change of another field, or (with another entry) each
  other left a new mål without its målsætning;
- a valid file whose name was not UTF-8 was refused as if its content were wrong;
- a laptop whose clock stood before 2000 wrote files every reader refused (`created_at`);
- a change stored before values were canonical made the canonical copy look tampered;
- `verify` of a document with an encrypted part ended in «uventet fejl»;
- on a file system without file ids every file looked like the open database.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import sys
import types
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from exports.bundle import BundleError, import_bundles, read_bundle, write_handoff, write_pack
from models import consolidation
from models.db import open_database
from models.errors import ValidationError
from models.importing import MergeError
from models.schema import validate_value
from models.store import Store
from models.visible import visible
from tests.reliability._util import db_digest
from tests.trust_world import read_doc as _doc
from tests.trust_world import write_doc as _write


def _write_ascii(path: Path, doc: dict) -> Path:
    """Like `_write`, with every entry written as ASCII JSON (\\uXXXX escapes) and the digest
    over those bytes: the only way to put a lone surrogate into a file with a valid checksum
    (the app's own writer cannot encode one)."""
    lines = [
        json.dumps(e, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
        for e in doc["entries"]
    ]
    doc["manifest"]["entries"] = len(lines)
    doc["manifest"]["sha256"] = hashlib.sha256(("[" + ",".join(lines) + "]").encode()).hexdigest()
    head = json.dumps(
        {"format": "udviklingsdag-bundle", "format_version": 1, "manifest": doc["manifest"]},
        ensure_ascii=True,
        indent=1,
    )
    path.write_bytes((head[:-2] + ',\n "entries": [\n' + ",\n".join(lines) + "\n ]\n}\n").encode())
    return path


def _tegn_tekst(doc: dict) -> dict:
    return next(e for e in doc["entries"] if e["entity"] == "tegn" and e["field"] == "tekst")


def _refused(db_path: Path, paths: list[Path], error: type, match: str) -> str:
    before = db_digest(db_path)
    db = open_database(str(db_path))
    try:
        with pytest.raises(error, match=match) as info:
            import_bundles(Store(db), paths)
    finally:
        db.close()
    assert db_digest(db_path) == before
    return str(info.value)


# --- ids and timestamps: exactly the form the app writes ------------------------------------


@pytest.mark.parametrize("key", ["id", "row_id", "device_id", "action_id", "hlc"])
def test_a_trailing_new_line_in_an_id_or_timestamp_is_refused(world, tmp_path, key):
    doc = _doc(world["handoff"])
    entry = _tegn_tekst(doc)
    entry[key] = entry[key] + "\n"
    bad = _write(tmp_path / "linje.json", doc)
    with pytest.raises(BundleError, match="ændring nr"):
        read_bundle(bad)


def test_a_trailing_new_line_in_a_reference_is_refused(world, tmp_path):
    doc = _doc(world["handoff"])
    ref = next(e for e in doc["entries"] if e["entity"] == "tegn" and e["field"] == "maal_id")
    ref["value"] = ref["value"] + "\n"
    bad = _write(tmp_path / "ref.json", doc)
    _refused(world["tov"], [bad], MergeError, "gyldig række")


def test_a_timestamp_with_other_digits_is_refused(world, tmp_path):
    doc = _doc(world["handoff"])
    entry = _tegn_tekst(doc)
    # The same moment in Arabic-Indic digits: int() reads it, but it sorts after every
    # timestamp the app writes (text order is time order).
    millis, rest = entry["hlc"][:13], entry["hlc"][13:]
    entry["hlc"] = millis[0] + "".join(chr(0x0660 + int(d)) for d in millis[1:]) + rest
    bad = _write(tmp_path / "cifre.json", doc)
    with pytest.raises(BundleError, match="tidsstemplet"):
        read_bundle(bad)


@pytest.mark.parametrize(
    ("entity", "field", "value"),
    [
        ("udviklingsdag", "starttid", "0\u0669:00"),
        ("maalplan", "kle", "\u0661\u0662.01"),
        ("maalplan", "sagsnummer", "00.01.00-G01-12-\u0662\u0664"),
    ],
)
def test_fields_with_digits_take_ascii_digits_only(entity, field, value):
    with pytest.raises(ValidationError):
        validate_value(entity, field, value, strict=True)


# --- lone surrogates ---------------------------------------------------------------------------


def test_a_lone_surrogate_in_a_text_is_refused_with_the_entry(world, tmp_path):
    doc = _doc(world["handoff"])
    _tegn_tekst(doc)["value"] = "Børnene hilser\ud800"
    bad = _write_ascii(tmp_path / "halv.json", doc)
    msg = _refused(world["tov"], [bad], MergeError, "ændring nr")
    assert "halv.json" in msg and "Hvad kigger vi efter" in msg
    # The preview refuses it too (it used to show the value and fail only at the import).
    db = open_database(str(world["tov"]))
    try:
        with pytest.raises(MergeError, match="ændring nr"):
            import_bundles(db, [bad], dry_run=True)
    finally:
        db.close()


def test_a_lone_surrogate_in_a_device_name_is_refused(world, tmp_path):
    doc = _doc(world["handoff"])
    doc["manifest"]["device_name"] = "Bord \udc80"
    bad = _write_ascii(tmp_path / "navn.json", doc)
    with pytest.raises(BundleError, match="navn på bærbaren") as info:
        read_bundle(bad)
    str(info.value).encode("utf-8")  # the message itself can be printed


def test_visible_shows_lone_surrogates_as_placeholders():
    # A file name the system could not decode (surrogateescape) is printed without an error.
    shown = visible("overlevering-\udcff.json")
    shown.encode("utf-8")
    assert "U+DCFF" in shown


# --- undo belongs to this laptop -----------------------------------------------------------------


def _own_last_action(db_path: Path) -> tuple[str, str]:
    import sqlite3

    con = sqlite3.connect(db_path)
    try:
        dev = con.execute("SELECT id FROM device WHERE is_local").fetchone()[0]
        action = con.execute(
            "SELECT action_id FROM change WHERE device_id = ? ORDER BY hlc DESC LIMIT 1", (dev,)
        ).fetchone()[0]
        return dev, action
    finally:
        con.close()


def test_a_remote_undo_of_this_laptops_action_does_not_take_its_undo(world, tmp_path):
    db = open_database(str(world["tov"]))
    store = Store(db)
    try:
        import_bundles(store, [world["handoff"]])
        maal = world["maal"]
        store.update("maal", maal, tekst="Alle har to venner.")
    finally:
        db.close()
    _dev, action = _own_last_action(world["tov"])
    doc = _doc(world["handoff"])
    entry = dict(_tegn_tekst(doc))
    entry.update(
        id="5f0c1b5e-0000-4000-8000-000000000001",
        hlc=entry["hlc"][:13] + "-00001-" + entry["device_id"],
        value="Børnene hilser igen.",
        replaces=[_tegn_tekst(doc)["id"]],
        undo_of=action,
    )
    doc["entries"].append(entry)
    sneaky = _write(tmp_path / "fortryd.json", doc)
    db = open_database(str(world["tov"]))
    store = Store(db)
    try:
        import_bundles(store, [sneaky])
        result = store.undo()
        assert result is not None and result.action_id == action
    finally:
        db.close()


def test_a_remote_entry_in_this_laptops_action_is_not_undone_with_it(world, tmp_path):
    db = open_database(str(world["tov"]))
    store = Store(db)
    try:
        import_bundles(store, [world["handoff"]])
        store.update("maal", world["maal"], tekst="Alle har to venner.")
    finally:
        db.close()
    _dev, action = _own_last_action(world["tov"])
    doc = _doc(world["handoff"])
    first = _tegn_tekst(doc)
    entry = dict(first)
    entry.update(
        id="5f0c1b5e-0000-4000-8000-000000000002",
        hlc=entry["hlc"][:13] + "-00001-" + entry["device_id"],
        value="Skrevet på Bord 1.",
        replaces=[first["id"]],
        action_id=action,
    )
    doc["entries"].append(entry)
    sneaky = _write(tmp_path / "handling.json", doc)
    db = open_database(str(world["tov"]))
    store = Store(db)
    try:
        import_bundles(store, [sneaky])
        store.undo()
        with db.engine.connect() as conn:
            from sqlalchemy import text

            tekst = conn.execute(
                text("SELECT tekst FROM tegn WHERE id = :id"), {"id": first["row_id"]}
            ).scalar()
        assert tekst == "Skrevet på Bord 1."  # Bord 1's edit stays; only ours was undone
    finally:
        db.close()


# --- the ledger takes every clock the reader accepts (PostgreSQL) ---------------------------


def test_a_clock_a_century_ahead_fits_the_ledger_on_postgresql(world, tmp_path, pg_databases):
    doc = _doc(world["handoff"])
    ahead = datetime.now(UTC) + timedelta(days=100 * 365)
    doc["manifest"]["created_at"] = ahead.isoformat(timespec="seconds")
    late = _write(tmp_path / "fremtid.json", doc)
    db = open_database(pg_databases.new())
    try:
        report = import_bundles(Store(db), [world["pack"], late])
        assert [f.status for f in report.files] == ["importeret", "importeret"]
        (row,) = [r for r in consolidation.ledger(db) if r.filnavn == "fremtid.json"]
        assert row.clock_offset is not None and row.clock_offset > 99 * 365 * 86400
        assert "100 år for hurtigt" in (row.clock_warning or "")
    finally:
        db.close()


# --- read-only looks at SQLite files whatever their name -------------------------------------


@pytest.mark.parametrize("name", ["workshop #2.db", "hvad?.db", "50%.db"])
def test_database_names_with_uri_characters(tmp_path, name):
    from models.db import quick_check, sqlite_revision

    path = tmp_path / name
    db = open_database(str(path), device_name="Tovholder")
    Store(db).create("enhed", navn="Skole Nord", type="enhed")
    db.close()

    def made() -> set[str]:
        # (a read-only look at a WAL database may make its -wal and -shm: SQLite's own)
        return {p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm"))}

    before = made()
    rev, has_tables = sqlite_revision(path)
    assert has_tables and rev is not None
    assert quick_check(path) == []
    # A file that is not a database under such a name is found damaged, not «sound».
    junk = tmp_path / ("skrald " + name)
    junk.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    assert quick_check(junk)
    # It opens again, and no other file was made next to it (once «workshop », «hvad», «50»).
    open_database(str(path)).close()
    assert made() == {*before, junk.name}


def test_an_earlier_sqlite_export_with_uri_characters_is_replaced(tmp_path):
    from exports.atomic import guard_target
    from exports.sqlite_export import export_sqlite

    db = open_database(str(tmp_path / "kilde.db"))
    try:
        target = tmp_path / "eksport #1.sqlite"
        export_sqlite(db, target)
        guard_target(target, "sqlite")  # an earlier export of ours: may be replaced
        export_sqlite(db, target)
    finally:
        db.close()


# --- an earlier SBSYS package folder that the file manager has looked into ---------------------


@pytest.mark.parametrize("extra", [".DS_Store", "Thumbs.db", "desktop.ini"])
def test_package_folder_with_file_manager_metadata_may_be_replaced(tmp_path, extra):
    from exports.atomic import ExportError, guard_target

    folder = tmp_path / "Skole Nord - Plan"
    folder.mkdir()
    for name in ("journalisering.json", "journalisering.txt", "Skole Nord - Plan.pdf"):
        (folder / name).write_bytes(b"x")
    (folder / extra).write_bytes(b"\x00\x01")
    guard_target(folder, "package")
    # Anything else someone put there still keeps the folder.
    (folder / "LÆSMIG.txt").write_text("noter")
    with pytest.raises(ExportError):
        guard_target(folder, "package")


# --- Windows: a liveness probe never sends a console event --------------------------------------


def test_process_alive_on_windows_never_signals(monkeypatch):
    from exports import atomic

    calls: list[tuple[str, object]] = []

    class FakeWinapi(types.ModuleType):
        WAIT_TIMEOUT = 258

        def OpenProcess(self, access, inherit, pid):
            calls.append(("open", pid))
            if pid == 4242:
                gone = OSError(22, "invalid parameter")
                gone.winerror = 87  # ERROR_INVALID_PARAMETER (set by hand off Windows)
                raise gone
            return 7

        def WaitForSingleObject(self, handle, ms):
            calls.append(("wait", handle))
            return 258 if handle == 7 else 0

        def CloseHandle(self, handle):
            calls.append(("close", handle))

    def no_kill(*args):
        raise AssertionError("os.kill on Windows sends Ctrl+C (CTRL_C_EVENT is 0)")

    monkeypatch.setitem(sys.modules, "_winapi", FakeWinapi("_winapi"))
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(atomic.os, "kill", no_kill)
    assert atomic.process_alive(1234) is True  # running
    assert atomic.process_alive(4242) is False  # gone
    assert ("close", 7) in calls


@pytest.mark.skipif(sys.platform != "linux", reason="a file name that is not UTF-8 (Linux)")
def test_a_file_whose_name_is_not_utf8_is_imported(world, tmp_path):
    # A copy on a USB stick written with another code page: the content is fine, so is the
    # import (it used to be refused as «noget, som udviklingsdag ikke forventer»).
    odd = Path(os.fsdecode(bytes(tmp_path) + b"/bord1-\xff.json"))
    odd.write_bytes(Path(world["handoff"]).read_bytes())
    db = open_database(str(world["tov"]))
    try:
        report = import_bundles(Store(db), [odd])
        assert [f.status for f in report.files] == ["importeret"]
        "\n".join(report.summary_lines()).encode("utf-8")  # printable as it is
        (row,) = consolidation.ledger(db)
        assert row.filnavn.startswith("bord1-") and row.filnavn.endswith(".json")
    finally:
        db.close()


@pytest.mark.parametrize("year", [1980, 2300])
def test_a_laptop_whose_clock_is_out_of_range_writes_files_that_are_accepted(
    world, tmp_path, monkeypatch, year
):
    # A flat clock battery: the laptop's clock says 1980. Its timestamps stop at 2000-01-01
    # (models.clock); the file's `created_at` must too, or every reader refuses its files.
    import exports.bundle as bundle

    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(year, 6, 1, 12, 0, tzinfo=UTC)

    monkeypatch.setattr(bundle, "datetime", Clock)
    lap = open_database(str(tmp_path / "bord1.db"))
    try:
        written = write_handoff(lap, tmp_path / "skaev.json")
    finally:
        lap.close()
    monkeypatch.undo()
    info = read_bundle(written.path).info
    assert info.created_at.startswith("2000-01-01" if year < 2000 else "2199-12-31")


def test_a_change_stored_before_values_were_canonical_is_not_tampering(world, tmp_path):
    # A laptop that imported a value as it came (an older version: «  Børnene hilser.  »)
    # and later gets the same change in canonical form (from an up-to-date laptop's pack).
    import sqlite3

    db = open_database(str(world["tov"]))
    import_bundles(Store(db), [world["handoff"]])
    db.close()
    entry = _tegn_tekst(_doc(world["handoff"]))
    con = sqlite3.connect(world["tov"])
    with con:
        con.execute(
            "UPDATE change SET value = ? WHERE id = ?",
            (json.dumps("  " + entry["value"] + "  ", ensure_ascii=False), entry["id"]),
        )
        con.execute("DELETE FROM import_ledger")
    con.close()
    db = open_database(str(world["tov"]))
    try:
        (res,) = import_bundles(Store(db), [world["handoff"]]).files
        assert res.status == "kendt"
    finally:
        db.close()
    # Other content under the same id is still tampering.
    doc = _doc(world["handoff"])
    _tegn_tekst(doc)["value"] = "Noget helt andet."
    _refused(world["tov"], [_write(tmp_path / "anden.json", doc)], MergeError, "forfalsket")


def test_verify_of_a_document_with_an_encrypted_part_says_what_is_wrong(tmp_path):
    import zipfile

    from exports.reference import read_reference
    from models.errors import UdviklingsdagError

    path = tmp_path / "krypteret.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("docProps/core.xml", b"<x/>")
    data = bytearray(path.read_bytes())
    data[6] |= 1  # the local header's «encrypted» flag
    central = data.find(b"PK\x01\x02")
    data[central + 8] |= 1  # and the central directory's
    path.write_bytes(bytes(data))
    with pytest.raises(UdviklingsdagError, match="ikke en gyldig docx-fil"):
        read_reference(path)


# --- `replaces` cannot take a value away from another field -------------------------------------


def _laptop_creates_a_maal(tmp_path: Path) -> tuple[Path, Path, dict]:
    """A tovholder's database (enhed, målsætning) and a laptop's handoff file that creates a
    målplan and a mål under them."""
    tov = open_database(str(tmp_path / "tov.db"), device_name="Tovholder")
    s = Store(tov)
    with s.action() as tx:
        e = s.create("enhed", navn="Skole Nord", type="enhed", tx=tx)
        ms = s.create("maalsaetning", tekst="Flere børn trives.", tx=tx)
    pack = write_pack(tov, tmp_path / "pack.json").path
    tov.close()
    lap = open_database(str(tmp_path / "bord1.db"), device_name="Bord 1")
    ls = Store(lap)
    import_bundles(ls, [pack])
    with ls.action() as tx:
        mp = ls.create("maalplan", enhed_id=e, aar=2027, titel="Plan Nord", tx=tx)
        ls.create("maal", maalsaetning_id=ms, enhed_id=e, maalplan_id=mp, tekst="En ven.", tx=tx)
    handoff = write_handoff(lap, tmp_path / "bord1.json").path
    lap.close()
    return tmp_path / "tov.db", handoff, _doc(handoff)


def _maal_field(doc: dict, field: str) -> dict:
    return next(e for e in doc["entries"] if e["entity"] == "maal" and e["field"] == field)


def _replaces_self(doc: dict) -> None:
    ms = _maal_field(doc, "maalsaetning_id")
    ms["replaces"] = [ms["id"]]


def _replaced_by_another_field(doc: dict) -> None:
    _maal_field(doc, "tekst")["replaces"] = [_maal_field(doc, "maalsaetning_id")["id"]]


def _replaced_in_a_circle(doc: dict) -> None:
    ms = _maal_field(doc, "maalsaetning_id")
    again = {**ms, "id": "5f0c1b5e-0000-4000-8000-000000000003", "replaces": [ms["id"]]}
    ms["replaces"] = [again["id"]]
    doc["entries"].append(again)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (_replaces_self, "erstatter sig selv"),
        (_replaced_by_another_field, "et andet felt"),
        (_replaced_in_a_circle, "skal udfyldes"),
    ],
)
def test_replaces_cannot_leave_a_new_maal_without_its_maalsaetning(tmp_path, change, match):
    tov, _handoff, doc = _laptop_creates_a_maal(tmp_path)
    change(doc)
    bad = _write(tmp_path / "erstat.json", doc)
    msg = _refused(tov, [bad], MergeError, match)
    assert "erstat.json" in msg


def test_replaced_across_two_files_in_another_field_is_refused(tmp_path):
    tov, _handoff, doc = _laptop_creates_a_maal(tmp_path)
    first = _write(tmp_path / "a.json", copy.deepcopy(doc))
    tekst = _maal_field(doc, "tekst")
    later = {
        **tekst,
        "id": "5f0c1b5e-0000-4000-8000-000000000004",
        "value": "En anden tekst.",
        "replaces": [_maal_field(doc, "maalsaetning_id")["id"]],
    }
    second = _write(tmp_path / "b.json", {"manifest": doc["manifest"], "entries": [later]})
    _refused(tov, [first, second], MergeError, "et andet felt")
    _refused(tov, [second, first], MergeError, "et andet felt")


def test_a_file_system_without_file_ids_does_not_make_every_file_the_database(
    tmp_path, monkeypatch
):
    # FAT on a USB stick (Windows) may give every file the id 0: the database on the stick
    # must not make every export next to it look like the database.
    from exports import atomic

    db = open_database(str(tmp_path / "tov.db"))
    try:
        target = tmp_path / "overlevering.udviklingsdag.json"
        target.write_bytes(b"")
        real_stat = atomic.os.stat

        def no_ids(path, *args, **kwargs):
            st = real_stat(path, *args, **kwargs)
            fields = list(st)
            fields[1] = 0  # st_ino
            return type(st)(fields)

        monkeypatch.setattr(atomic.os, "stat", no_ids)
        assert not atomic._is_protected(target)
        assert atomic._is_protected(tmp_path / "tov.db")  # by its name, as before
    finally:
        db.close()


def test_a_read_error_mid_file_is_a_danish_message(tmp_path, monkeypatch):
    """EIO while a bundle is read (a pulled USB stick) is the reader's Danish error."""
    import errno
    import io

    from exports import atomic
    from exports.bundle import BundleError, read_bundle

    path = tmp_path / "x.udviklingsdag.json"
    path.write_bytes(b'{"format": "udviklingsdag-bundle"}')

    class Failing(io.RawIOBase):
        def readable(self):
            return True

        def readinto(self, buffer):
            raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(atomic.os, "fdopen", lambda *a, **k: io.BufferedReader(Failing()))
    with pytest.raises(BundleError, match="kunne ikke læses til ende"):
        read_bundle(path)
