"""Issue 11, «clocks that cannot be poisoned»: the bounds of the hybrid logical clock, the
reader's range check, a poisoned database, and the ledger's clock warning."""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from exports.bundle import (
    digest,
    import_bundles,
    read_bundle,
    render,
    write_handoff,
    write_pack,
)
from models import consolidation
from models.changes import entry_problem
from models.clock import (
    MAX_AHEAD_MILLIS,
    MAX_COUNTER,
    MAX_MILLIS,
    MIN_MILLIS,
    HybridClock,
    decode,
    in_range,
)
from models.db import open_database
from models.errors import UdviklingsdagError
from models.store import Store

DEV = "9d9ac519-2006-4794-8b3a-917d3c315abd"
YEARS_73_MS = int(73 * 365.2425 * 86_400_000)


def test_observe_never_moves_the_clock_more_than_the_bound_ahead_of_the_wall():
    wall = 1_800_000_000.0
    clock = HybridClock(DEV, wall=lambda: wall)
    clock.observe(f"9999999999999-99999-{DEV}")
    stamp = clock.now()
    millis, _, _ = decode(stamp)
    assert millis <= wall * 1000 + MAX_AHEAD_MILLIS + 1
    # Within the bound, a remote clock is followed as before.
    clock2 = HybridClock(DEV, wall=lambda: wall)
    near = f"{int(wall * 1000) + 60_000:013d}-00007-{DEV}"
    clock2.observe(near)
    assert clock2.now() > near


def test_now_stays_in_range_whatever_the_wall_clock_says():
    for wall in (0.0, 5.0, 9.0e12, -1.0):
        stamp = HybridClock(DEV, wall=lambda w=wall: w).now()
        millis, counter, _ = decode(stamp)
        assert in_range(millis, counter), stamp
        assert len(stamp.split("-", 1)[0]) == 13


def test_counter_overflow_rolls_into_the_milliseconds():
    wall = 1_800_000_000.0
    clock = HybridClock(DEV, wall=lambda: wall)
    clock.observe(f"{int(wall * 1000):013d}-{MAX_COUNTER:05d}-{DEV}")
    stamp = clock.now()
    assert decode(stamp)[:2] == (int(wall * 1000) + 1, 0)
    # At the very end of the range it stays inside it.
    end = HybridClock(DEV, wall=lambda: MAX_MILLIS / 1000 + 10)
    stamps = [end.now() for _ in range(3)]
    assert all(in_range(*decode(s)[:2]) for s in stamps)
    assert stamps == sorted(stamps)


def test_reader_refuses_timestamps_outside_the_range():
    entry = {
        "id": "00000000-0000-4000-8000-000000000001",
        "hlc": f"{MIN_MILLIS:013d}-00000-{DEV}",
        "device_id": DEV,
        "entity": "tegn",
        "row_id": "00000000-0000-4000-8000-000000000002",
        "field": "tekst",
        "value": "x",
        "replaces": [],
        "covers": [],
        "action_id": "00000000-0000-4000-8000-000000000003",
        "undo_of": None,
    }
    assert entry_problem(entry) is None
    assert entry_problem({**entry, "hlc": f"{MAX_MILLIS - 1:013d}-99999-{DEV}"}) is None
    for bad in (MIN_MILLIS - 1, MAX_MILLIS, 9_999_999_999_999):
        problem = entry_problem({**entry, "hlc": f"{bad:013d}-00000-{DEV}"})
        assert problem and "tidsstemplet" in problem


def _workshop(tmp: Path) -> tuple[Path, dict[str, str]]:
    db = open_database(str(tmp / "tov.db"), device_name="Tovholder")
    try:
        store = Store(db)
        ids = {}
        with store.action() as tx:
            ids["e"] = store.create("enhed", navn="Skole Nord", type="enhed", tx=tx)
            ids["ms"] = store.create("maalsaetning", tekst="Flere børn trives.", tx=tx)
            ids["plan"] = store.create("maalplan", enhed_id=ids["e"], aar=2027, titel="P", tx=tx)
            ids["m"] = store.create(
                "maal", maalsaetning_id=ids["ms"], enhed_id=ids["e"], tekst="Mål", tx=tx
            )
        write_pack(db, tmp / "pack.json")
    finally:
        db.close()
    return tmp / "tov.db", ids


def _far_handoff(tmp: Path, ids: dict[str, str], delta_ms: int, name: str) -> Path:
    """A handoff from «Bord 3» whose clock (timestamps and created_at) is `delta_ms` off."""
    db = open_database(str(tmp / f"{name}.db"), device_name="Bord 3")
    try:
        store = Store(db)
        import_bundles(store, [tmp / "pack.json"])
        store.create("tegn", maal_id=ids["m"], tekst="Et tegn fra bord 3")
        out = write_handoff(db, tmp / f"{name}-raw.json").path
    finally:
        db.close()
    doc = json.loads(out.read_text("utf-8"))
    for e in doc["entries"]:
        millis, rest = e["hlc"].split("-", 1)
        e["hlc"] = f"{int(millis) + delta_ms:013d}-{rest}"
    created = datetime.fromisoformat(doc["manifest"]["created_at"])
    doc["manifest"]["created_at"] = (created + timedelta(milliseconds=delta_ms)).isoformat()
    doc["manifest"]["sha256"] = digest(doc["entries"])
    path = tmp / f"{name}.json"
    path.write_bytes(render(doc["manifest"], doc["entries"]))
    return path


def test_a_file_73_years_ahead_never_breaks_the_files_this_laptop_writes(tmp_path):
    base, ids = _workshop(tmp_path)
    far = _far_handoff(tmp_path, ids, YEARS_73_MS, "bord3")
    db = open_database(str(base))
    try:
        store = Store(db)
        import_bundles(store, [far])
        store.update("maal", ids["m"], tekst="Tovholderens nye tekst")
        stamp = store.clock.now()
        assert decode(stamp)[0] < time.time() * 1000 + MAX_AHEAD_MILLIS + 60_000
        handoff = write_handoff(db, tmp_path / "ud-handoff.json").path
        pack = write_pack(db, tmp_path / "ud-pack.json").path
        rows = consolidation.ledger(db)
        summary = {s.navn: s for s in consolidation.device_summary(db)}
    finally:
        db.close()
    warning = next(r.clock_warning for r in rows if r.filnavn == far.name)
    assert warning == "uret på Bord 3 går 73 år for hurtigt"
    assert summary["Bord 3"].clock_warning == warning
    # After a restart too: a new Store is built from the change log's greatest timestamp.
    db = open_database(str(base))
    try:
        assert decode(Store(db).clock.now())[0] < time.time() * 1000 + MAX_AHEAD_MILLIS + 60_000
    finally:
        db.close()
    for path in (handoff, pack):
        read_bundle(path)
        fresh = open_database(str(tmp_path / f"fresh-{path.stem}.db"))
        try:
            if path == handoff:
                import_bundles(fresh, [tmp_path / "pack.json", far, path])
            else:
                import_bundles(fresh, [path])
        finally:
            fresh.close()


def test_a_poisoned_database_does_not_poison_the_clock(tmp_path):
    base, ids = _workshop(tmp_path)
    con = sqlite3.connect(base)
    try:
        # What an older version stored after importing `9999999999999-99999-<device>`.
        con.execute(
            "UPDATE change SET hlc = ? WHERE rowid = (SELECT max(rowid) FROM change)",
            (f"9999999999999-99999-{DEV}",),
        )
        con.commit()
    finally:
        con.close()
    db = open_database(str(base))
    try:
        store = Store(db)
        stamp = store.clock.now()
        assert in_range(*decode(stamp)[:2])
        assert decode(stamp)[0] <= time.time() * 1000 + MAX_AHEAD_MILLIS + 1000
        store.update("maal", ids["m"], tekst="Efter forgiftningen")
        with db.engine.connect() as conn:
            newest = conn.exec_driver_sql(
                "SELECT hlc FROM change WHERE value = ?", ('"Efter forgiftningen"',)
            ).scalar()
        assert in_range(*decode(newest)[:2])
    finally:
        db.close()


def test_a_slow_clock_is_named_with_its_offset(tmp_path):
    base, ids = _workshop(tmp_path)
    slow = _far_handoff(tmp_path, ids, -2 * 3_600_000, "bord3")
    db = open_database(str(base))
    try:
        report = import_bundles(db, [slow])
        (res,) = report.files
        assert res.clock_warning is not None
        assert res.clock_warning.startswith("uret på Bord 3 går 2 timer for langsomt")
        assert any("2 timer for langsomt" in line for line in report.summary_lines())
        (row,) = [r for r in consolidation.ledger(db) if r.filnavn == slow.name]
        assert row.clock_offset is not None and -7300 < row.clock_offset < -7100
    finally:
        db.close()


@pytest.mark.parametrize(
    ("offset", "text"),
    [
        (None, None),
        (0, None),
        (600, None),
        (-600, None),
        (601, "uret på Bord 3 går 10 minutter for hurtigt"),
        (3 * 86400, "uret på Bord 3 går 3 dage for hurtigt"),
        (3600, "uret på Bord 3 går 1 time for hurtigt"),
    ],
)
def test_clock_warning_texts(offset, text):
    assert consolidation.clock_warning("Bord 3", offset) == text


def test_clock_warning_never_echoes_escape_codes():
    text = consolidation.clock_warning("Bord\x1b[2J", 10**6)
    assert text is not None and "\x1b" not in text


def test_created_at_outside_the_range_is_refused(tmp_path):
    _workshop(tmp_path)
    doc = json.loads((tmp_path / "pack.json").read_text("utf-8"))
    doc["manifest"]["created_at"] = "2999-01-01T00:00:00+00:00"
    bad = tmp_path / "bad.json"
    bad.write_bytes(render(doc["manifest"], doc["entries"]))
    with pytest.raises(UdviklingsdagError, match="tidspunkt"):
        read_bundle(bad)
    now = datetime.now(UTC).isoformat()
    doc["manifest"]["created_at"] = now
    bad.write_bytes(render(doc["manifest"], doc["entries"]))
    read_bundle(bad)
