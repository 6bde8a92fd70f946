"""Issue 11, «identity and tampering»: entries claiming this laptop, a change id with two
contents, device names from a manifest, files from another database lineage, and files that
are not regular files."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from exports.bundle import BundleError, import_bundles, read_bundle, write_handoff, write_pack
from models.db import open_database
from models.importing import ForeignFileError, MergeError
from models.store import Store
from tests.reliability._util import db_digest
from tests.trust_world import read_doc as _doc
from tests.trust_world import write_doc as _write


def _refused(db_path: Path, paths: list[Path], error: type, match: str, **kw) -> str:
    before = db_digest(db_path)
    db = open_database(str(db_path))
    try:
        with pytest.raises(error, match=match) as info:
            import_bundles(Store(db), paths, **kw)
    finally:
        db.close()
    assert db_digest(db_path) == before
    return str(info.value)


def test_new_entries_claiming_this_laptop_are_refused(world, tmp_path):
    own = open_database(str(world["tov"]))
    own_id = own.device_id
    own.close()
    doc = _doc(world["handoff"])
    for e in doc["entries"]:
        e["device_id"] = own_id
    forged = _write(tmp_path / "forged.json", doc)
    _refused(world["tov"], [forged], MergeError, "denne bærbare")


def test_known_own_entries_are_fine(world, tmp_path):
    # A pack holds the tovholder's own entries; importing one's own file again is harmless.
    db = open_database(str(world["tov"]))
    try:
        write_handoff(db, tmp_path / "own.json")
        report = import_bundles(Store(db), [world["pack"], tmp_path / "own.json"])
        assert all(f.status == "kendt" for f in report.files)
    finally:
        db.close()


def test_same_change_id_with_other_content_is_tampering(world, tmp_path):
    pack = _doc(world["pack"])
    known = next(e for e in pack["entries"] if e["field"] == "tekst")
    doc = _doc(world["handoff"])
    doc["entries"].append({**known, "value": known["value"] + " – ændret"})
    msg = _refused(world["tov"], [_write(tmp_path / "t.json", doc)], MergeError, "forfalsket")
    assert "t.json" in msg and "ændring nr." in msg


def test_same_id_in_two_files_refuses_the_second(world, tmp_path):
    a = _doc(world["handoff"])
    b = _doc(world["handoff"])
    tekst = next(e for e in b["entries"] if e["entity"] == "tegn" and e["field"] == "tekst")
    tekst["value"] = "En anden tekst"
    fa, fb = _write(tmp_path / "a.json", a), _write(tmp_path / "b.json", b)
    msg = _refused(world["tov"], [fa, fb], MergeError, "ændret eller forfalsket")
    assert "b.json" in msg and "a.json" in msg
    # Each alone is fine, and with skip_rejected the first is imported, the second refused.
    db = open_database(str(world["tov"]))
    try:
        report = import_bundles(Store(db), [fa, fb], skip_rejected=True)
        assert [f.status for f in report.files] == ["importeret", "afvist"]
    finally:
        db.close()


def test_canonically_equal_content_is_not_tampering(world, tmp_path):
    db = open_database(str(world["tov"]))
    import_bundles(Store(db), [world["handoff"]])
    db.close()
    doc = _doc(world["handoff"])
    tekst = next(e for e in doc["entries"] if e["entity"] == "tegn" and e["field"] == "tekst")
    tekst["value"] = "  " + tekst["value"] + "  "  # the same value once stripped
    again = _write(tmp_path / "again.json", doc)
    db = open_database(str(world["tov"]))
    try:
        (res,) = import_bundles(Store(db), [again]).files
        assert res.status == "kendt"
    finally:
        db.close()


@pytest.mark.parametrize(
    "change",
    [
        lambda m: m.__setitem__("device_name", "Bord\x1b[2J\x1b[H"),
        lambda m: m.__setitem__("device_name", "Bord\u202e1"),
        lambda m: m.__setitem__("device_name", "x" * 600),
        lambda m: m.__setitem__("devices", [{"id": m["device_id"], "navn": "A\x07\x1b]0;t\x07"}]),
    ],
)
def test_device_names_follow_the_rules_of_typed_names(world, tmp_path, change):
    doc = _doc(world["handoff"])
    change(doc["manifest"])
    bad = _write(tmp_path / "navn.json", doc)
    with pytest.raises(BundleError, match="navn på bærbaren") as info:
        read_bundle(bad)
    text = str(info.value)
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text


def test_device_name_is_stored_cleaned(world, tmp_path):
    doc = _doc(world["handoff"])
    doc["manifest"]["device_name"] = "  Bord 1  "
    path = _write(tmp_path / "pad.json", doc)
    assert read_bundle(path).info.device_name == "Bord 1"


def _foreign(tmp_path: Path) -> Path:
    other = open_database(str(tmp_path / "anden.db"), device_name="Anden kommune")
    try:
        store = Store(other)
        e = store.create("enhed", navn="Fremmedskolen", type="enhed")
        ms = store.create("maalsaetning", tekst="Fremmede mål.")
        store.create("maal", maalsaetning_id=ms, enhed_id=e, tekst="Et fremmed mål.")
        return write_pack(other, tmp_path / "fremmed.json").path
    finally:
        other.close()


def test_file_from_another_database_needs_confirmation(world, tmp_path):
    foreign = _foreign(tmp_path)
    msg = _refused(world["tov"], [foreign], ForeignFileError, "anden database")
    assert "--fremmed" in msg and "fremmed.json" in msg
    # A dry run (the preview) says so too, instead of showing nothing.
    db = open_database(str(world["tov"]))
    try:
        with pytest.raises(ForeignFileError) as info:
            import_bundles(db, [foreign], dry_run=True)
        assert info.value.paths == [foreign]
        preview = import_bundles(db, [foreign], dry_run=True, allow_foreign=True)
        assert preview.files[0].foreign and preview.files[0].new > 0
        skipped = import_bundles(db, [foreign, world["handoff"]], skip_rejected=True)
        assert [f.status for f in skipped.files] == ["afvist", "importeret"]
        assert "anden database" in (skipped.files[0].error or "")
        done = import_bundles(Store(db), [foreign], allow_foreign=True)
        assert done.files[0].foreign and done.files[0].new > 0
        # Once confirmed, the laptop is known: its next file belongs.
        again = import_bundles(Store(db), [foreign])
        assert again.files[0].status == "kendt"
    finally:
        db.close()


def test_lineage_of_ordinary_files(world, tmp_path):
    # An empty database accepts anything (a new laptop loading its pack) ...
    empty = open_database(str(tmp_path / "tom.db"))
    try:
        import_bundles(Store(empty), [_foreign(tmp_path)])
    finally:
        empty.close()
    # ... and a handoff that builds on the workshop belongs, alone or with its pack.
    db = open_database(str(world["tov"]))
    try:
        report = import_bundles(Store(db), [world["handoff"]], dry_run=True)
        assert not report.files[0].foreign
    finally:
        db.close()
    fresh = open_database(str(tmp_path / "ny.db"))
    try:
        Store(fresh).create("enhed", navn="Noget andet", type="enhed")
        # A handoff imported together with the pack it builds on: the pack is foreign here,
        # and the handoff with it.
        with pytest.raises(ForeignFileError) as info:
            import_bundles(fresh, [world["pack"], world["handoff"]])
        assert len(info.value.paths) == 2
    finally:
        fresh.close()


def test_a_fifo_is_refused_without_hanging(tmp_path):
    fifo = tmp_path / "rør.udviklingsdag.json"
    os.mkfifo(fifo)
    result: list[BaseException | None] = []

    def read() -> None:
        try:
            read_bundle(fifo)
            result.append(None)
        except BaseException as exc:
            result.append(exc)

    worker = threading.Thread(target=read, daemon=True)
    worker.start()
    worker.join(5)
    if worker.is_alive():
        # Unblock the reader before failing, so the test session can end.
        with open(fifo, "wb"):
            pass
        pytest.fail("read_bundle hung on a FIFO")
    assert isinstance(result[0], BundleError)
    assert "almindelig fil" in str(result[0]) or "ikke en fil" in str(result[0])
