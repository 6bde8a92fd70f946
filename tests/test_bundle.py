"""The bundle file format: writing, reading, the digest, and every kind of bad file (each
refused with a Danish message, the database unchanged)."""

from __future__ import annotations

import gzip
import hashlib
import json
import uuid
from pathlib import Path

import pytest

from exports import bundle
from exports.bundle import BundleError, import_bundles, read_bundle, write_handoff, write_pack
from models import consolidation
from models.changes import ENTRY_KEYS, entry_ok, entry_problem
from models.importing import MergeError
from models.store import Store
from tests.test_merge import World, build_tovholder, dump
from tests.test_merge import world as world  # the session fixture

BOTH_BACKENDS = True


def test_pack_round_trip_manifest_counts_and_summary(store: Store, tmp_path: Path):
    ids = build_tovholder(store)
    info = write_pack(store.db, tmp_path / "pakke.udviklingsdag.json")
    assert info.kind == "pack" and info.device_id == store.device_id
    assert info.device_name == "Testbærbar"
    assert info.counts["mål"] == 3 and info.counts["enheder"] == 4
    read = read_bundle(info.path)
    assert read.info.sha256 == info.sha256 and read.info.entries == info.entries
    assert read.info.counts == info.counts
    assert {e["row_id"] for e in read.entries} >= {ids["m1"], ids["b1"], ids["dag2"]}
    lines = read.info.summary_lines()
    assert lines[0] == "Workshop-pakke fra «Testbærbar»"
    assert any(line.startswith("Ændringer i filen:") for line in lines)
    assert not list(tmp_path.glob(".*.tmp"))  # the atomic write left no temp file


def test_digest_can_be_checked_without_the_app(store: Store, tmp_path: Path):
    """The recipe documented in docs/bundle-format.md, with the standard library only."""
    build_tovholder(store)
    path = write_pack(store.db, tmp_path / "p.json").path
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["format"] == "udviklingsdag-bundle" and doc["format_version"] == 1
    canonical = json.dumps(
        doc["entries"], ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode("utf-8")
    assert hashlib.sha256(canonical).hexdigest() == doc["manifest"]["sha256"]
    first = doc["entries"][0]
    assert set(first) == set(ENTRY_KEYS)
    assert isinstance(first["replaces"], list)


def test_pack_for_one_day_leaves_out_the_other_days_tables(store: Store, tmp_path: Path):
    ids = build_tovholder(store)
    info = write_pack(store, tmp_path / "p.json", udviklingsdag_id=ids["dag"])
    rows = {e["row_id"] for e in read_bundle(info.path).entries}
    assert ids["b1"] in rows and ids["blok"] in rows and ids["m3"] in rows
    assert ids["b3"] not in rows and ids["dag2"] not in rows
    with pytest.raises(BundleError, match="udviklingsdag findes ikke"):
        write_pack(
            store, tmp_path / "q.json", udviklingsdag_id="00000000-0000-4000-8000-000000000000"
        )


def test_gzip_handoff_and_overwrite(world: World, tmp_path: Path):
    f1 = world.db("f1", tmp_path)
    Store(f1).update("maal", world.ids["m1"], tekst="Komprimeret")
    path = tmp_path / "h.udviklingsdag.json.gz"
    write_handoff(f1, path)
    assert path.read_bytes()[:2] == b"\x1f\x8b"
    first = read_bundle(path)
    assert first.info.kind == "handoff" and first.info.entries == 1
    Store(f1).update("maal", world.ids["m1"], tekst="Igen")
    write_handoff(f1, path)
    assert read_bundle(path).info.entries == 2


# --- bad files: each refused, the database untouched -----------------------------------------


@pytest.fixture
def good(world: World, tmp_path: Path) -> Path:
    f1 = world.db("f1", tmp_path)
    Store(f1).update("maal", world.ids["m1"], tekst="Rettet")
    Store(f1).create("tegn", maal_id=world.ids["m2"], tekst="Nyt tegn med æøå")
    return write_handoff(f1, tmp_path / "god.udviklingsdag.json").path


def _doc(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _write(path: Path, doc: dict) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def _resign(doc: dict) -> dict:
    doc["manifest"]["entries"] = len(doc["entries"])
    doc["manifest"]["sha256"] = bundle.digest(doc["entries"])
    return doc


def _bad_files(good: Path, tmp: Path) -> dict[str, tuple[Path, str]]:
    raw = good.read_bytes()
    cases: dict[str, tuple[Path, str]] = {}
    p = tmp / "tekst.txt"
    p.write_text("Referat fra bordet\nTegn: flere børn cykler\n", encoding="utf-8")
    cases["not ours (text)"] = (p, "ikke en fil fra udviklingsdag")
    p = tmp / "billede.png"
    p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    cases["not ours (binary)"] = (p, "ikke en fil fra udviklingsdag")
    cases["other json"] = (
        _write(tmp / "andet.json", {"format": "noget-andet", "x": 1}),
        "ikke en fil fra udviklingsdag",
    )
    p = tmp / "afkortet.json"
    p.write_bytes(raw[: len(raw) * 2 // 3])
    cases["truncated"] = (p, "ufuldstændig")
    p = tmp / "afkortet.json.gz"
    p.write_bytes(gzip.compress(raw)[:-30])
    cases["truncated gzip"] = (p, "ufuldstændig")
    doc = _doc(good)
    doc["entries"][0]["value"] = "Ændret i hånden"
    cases["digest mismatch"] = (_write(tmp / "aendret.json", doc), "kontrolsummen")
    doc = _doc(good)
    doc["format_version"] = 99
    cases["newer version"] = (_write(tmp / "ny.json", doc), "nyere version")
    doc = _doc(good)
    doc["entries"] = doc["entries"][:-1]
    cases["entry missing"] = (_write(tmp / "mangler.json", doc), "manifestet lover")
    doc = _resign(_doc(good))
    doc["entries"][0]["entity"] = "robot"
    cases["unknown entity"] = (_write(tmp / "robot.json", _resign(doc)), "nyere version")
    doc = _doc(good)
    doc["entries"][0]["id"] = "ikke-et-id"
    cases["bad id"] = (_write(tmp / "id.json", _resign(doc)), "ikke et gyldigt id")
    doc = _doc(good)
    tegn = next(e for e in doc["entries"] if e["entity"] == "tegn" and e["field"] == "maal_id")
    # A fresh entry id: an entry the database already knows is not read again.
    tegn["value"], tegn["id"] = "00000000-0000-4000-8000-00000000beef", str(uuid.uuid4())
    cases["unknown reference"] = (_write(tmp / "ref.json", _resign(doc)), "ikke kender")
    doc = _doc(good)
    doc["entries"][0]["value"] = "x" * 20_000
    doc["entries"][0]["id"] = str(uuid.uuid4())
    cases["absurd value"] = (_write(tmp / "lang.json", _resign(doc)), "for lang")
    return cases


def test_every_bad_file_is_refused_in_danish_and_changes_nothing(
    world: World, good: Path, tmp_path: Path
):
    tov = world.db("tov", tmp_path)
    before = dump(tov)
    for name, (path, expected) in _bad_files(good, tmp_path).items():
        with pytest.raises((BundleError, MergeError)) as err:
            import_bundles(tov, [good, path])
        message = str(err.value)
        assert expected in message, (name, message)
        assert "Intet er ændret" in message, (name, message)
        assert "Traceback" not in message
        assert dump(tov) == before, name
    assert consolidation.ledger(tov) == []
    # The good file on its own is fine.
    assert import_bundles(tov, [good]).new > 0


def test_bad_files_are_listed_as_refused_when_skipping(world: World, good: Path, tmp_path: Path):
    tov = world.db("tov", tmp_path)
    cases = _bad_files(good, tmp_path)
    report = import_bundles(
        tov, [p for p, _ in cases.values()] + [good], skip_rejected=True, dry_run=True
    )
    assert len(report.rejected) == len(cases)
    assert report.files[-1].status == "importeret" and report.new > 0


def test_absurd_sizes_are_refused_before_reading(
    world: World, good: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    tov = world.db("tov", tmp_path)
    before = dump(tov)
    monkeypatch.setattr(bundle, "MAX_FILE_BYTES", 100)
    with pytest.raises(BundleError, match="urimeligt stor"):
        import_bundles(tov, [good])
    monkeypatch.setattr(bundle, "MAX_FILE_BYTES", 10**9)
    monkeypatch.setattr(bundle, "MAX_ENTRIES", 1)
    with pytest.raises(BundleError, match="urimeligt mange"):
        import_bundles(tov, [good])
    assert dump(tov) == before


def test_gzip_bomb_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(bundle, "MAX_JSON_BYTES", 10_000)
    path = tmp_path / "bombe.json.gz"
    path.write_bytes(gzip.compress(b'{"format": "udviklingsdag-bundle"' + b" " * 1_000_000))
    with pytest.raises(BundleError, match="urimeligt meget"):
        read_bundle(path)


def test_missing_file_and_folder(tmp_path: Path):
    with pytest.raises(BundleError, match="findes ikke"):
        read_bundle(tmp_path / "ingen.json")
    with pytest.raises(BundleError, match="mappe"):
        read_bundle(tmp_path)


def test_a_file_laid_out_differently_still_reads(good: Path, tmp_path: Path):
    """Another program may pretty-print the file: the digest is over the content, not the
    layout, so it still reads (through the full canonical check)."""
    doc = _doc(good)
    other = tmp_path / "pretty.json"
    other.write_text(json.dumps(doc, ensure_ascii=True, indent=3), encoding="utf-8")
    assert not bundle._digest_matches_as_written(other.read_bytes(), doc["manifest"]["sha256"])
    assert bundle._digest_matches_as_written(good.read_bytes(), doc["manifest"]["sha256"])
    assert read_bundle(other).entries == read_bundle(good).entries


def test_writing_into_a_missing_folder_is_refused_in_danish(store: Store, tmp_path: Path):
    build_tovholder(store)
    with pytest.raises(BundleError, match="findes ikke"):
        write_handoff(store, tmp_path / "usb-stik" / "h.json")
    assert not (tmp_path / "usb-stik").exists()


def test_a_known_file_is_read_from_its_manifest_and_its_digest(good: Path, tmp_path: Path):
    """A file whose digest is already in the import ledger is not parsed entry by entry
    again; its bytes are still checked against the digest."""
    full = read_bundle(good)
    sha = full.info.sha256
    known = read_bundle(good, trusted={sha}, skip_known=True)
    assert known.entries_skipped and known.entries == []
    assert known.info == full.info and known.manifest == full.manifest
    assert known.devices == full.devices
    # Not trusted, or not asked for: read in full.
    assert not read_bundle(good, skip_known=True).entries_skipped
    assert read_bundle(good, trusted={sha}).entries == full.entries
    # One changed byte in an entry (the manifest untouched) is still refused.
    raw = good.read_bytes()
    at = raw.index(b"Nyt tegn med")
    changed = tmp_path / "rettet.udviklingsdag.json"
    changed.write_bytes(raw[:at] + b"X" + raw[at + 1 :])
    with pytest.raises(BundleError, match="kontrolsummen"):
        read_bundle(changed, trusted={sha}, skip_known=True)
    # An entry line removed: the count no longer matches the manifest.
    lines = raw.split(b",\n")
    shorter = tmp_path / "kortere.udviklingsdag.json"
    shorter.write_bytes(b",\n".join(lines[:-2] + lines[-1:]))
    with pytest.raises(BundleError, match="manifestet lover"):
        read_bundle(shorter, trusted={sha}, skip_known=True)


def test_a_known_file_laid_out_differently_is_read_in_full(good: Path, tmp_path: Path):
    doc = _doc(good)
    other = tmp_path / "pretty.json"
    other.write_text(json.dumps(doc, ensure_ascii=True, indent=3), encoding="utf-8")
    read = read_bundle(other, trusted={doc["manifest"]["sha256"]}, skip_known=True)
    assert not read.entries_skipped and read.entries == doc["entries"]


def test_entry_checks_fast_path_agrees_with_the_full_check(good: Path):
    """`entry_ok` (two pattern matches) only lets through entries the full check accepts."""
    entry = _doc(good)["entries"][0]
    assert entry_ok(entry) and entry_problem(entry) is None
    uid = "0000000a-0000-4000-8000-00000000000b"
    bad_values = {
        "id": [uid.upper(), uid + "\n", uid[:-1], 5, None],
        "row_id": [f"{uid}\n{uid}", ""],
        "replaces": [[uid + "x"], [f"{uid}\n{uid}"], "abc", [5]],
        "covers": [[uid, ""], None],
        "undo_of": ["", "x" * 36],
        "hlc": ["2026", 5],
        "entity": ["robot", 5, ["maal"]],
        "field": ["ukendt_felt", ["tekst"]],
    }
    for key, values in bad_values.items():
        for value in values:
            e = {**entry, key: value}
            assert not entry_ok(e), (key, value)
    ok = {**entry, "replaces": [uid, uid], "covers": [uid], "undo_of": uid}
    assert entry_ok(ok) and entry_problem(ok) is None


def test_a_full_disk_while_writing_is_a_danish_bundle_error(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import errno
    import os

    from exports import atomic

    build_tovholder(store)

    def full(*_a: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(atomic.os, "fsync", full)
    with pytest.raises(BundleError, match="ikke plads nok"):
        write_handoff(store, usb / "h.json")
    assert list(usb.iterdir()) == []  # no half file, no temp file
