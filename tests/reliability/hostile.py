"""A corpus of hostile bundle files, built on top of a real workshop (issue 11).

    from tests.reliability.hostile import EXPECTED, PAIRS, LEDGER_WARNINGS, hostile_files

    files = hostile_files(folder, base_db)   # {class name: Path}

`hostile_files(folder, base_db)` copies `base_db` (a SQLite database holding a workshop: the demo
database, or the reliability suite's small workshop; it is not changed) into `folder`, writes its
workshop pack, imports the pack into a fresh laptop database («Bord 3»), lets that laptop create
a målplan, a mål, a tegn, a prøvehandling and an udviklingsdag, and writes the laptop's handoff
file. Every hostile file is that handoff file (or, for a few classes, the pack's or another
database's entries) with one thing changed, written with the app's own writer
(`exports.bundle.render` and `digest`), so every checksum is valid and it is the content that is
judged. Import each file into a fresh copy of `base_db`.

`EXPECTED[name]` is a Danish fragment of the message the import refuses that file with
(`UdviklingsdagError`, CLI exit code 1), or None when the file is accepted (then every stored
value equals its canonical form). Compare case-insensitively. Every refusal also names the file.

`PAIRS[name] = (first, second)`: two files that are each accepted alone but not together (the
same change id with different content): importing both refuses the second with
`EXPECTED[name]`.

`LEDGER_WARNINGS[name]`: for accepted files whose writer's clock is far off, a fragment of the
ledger's `clock_warning` (`models.consolidation.LedgerRow` / `DeviceSummary`) after the import.

`FOREIGN`: the classes refused as coming from another database unless the import is confirmed
(`import_bundles(..., allow_foreign=True)`, `--fremmed` on the command line).

`CANONICAL[name] = (entity, field, value in the file, value stored)` for accepted classes whose
value is stored in another (canonical) form; `assert_all_canonical(db_path)` checks that every
stored value of a SQLite database equals its canonical form.

Building the corpus takes a few seconds on the demo database (one pack import).
"""

from __future__ import annotations

import copy
import hashlib
import json
import sqlite3
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

SUFFIX = ".udviklingsdag.json"
LAPTOP_NAME = "Bord 3"
YEARS_73_MS = int(73 * 365.2425 * 86400 * 1000)

# class name -> a fragment of the Danish refusal, or None (accepted)
EXPECTED: dict[str, str | None] = {
    "gyldig": None,
    # clocks
    "ur-max": "tidsstemplet",
    "ur-foer-2000": "tidsstemplet",
    "ur-fremtid-73-aar": None,
    "ur-taeller-max": None,
    "ur-14-cifre": "tidsstemplet",
    # wrong types, one per kind of field
    "type-line-tal": "skal være tekst",
    "type-text-liste": "skal være tekst",
    "type-int-tekst": "helt tal",
    "type-int-kommatal": "helt tal",
    "type-int-sand": "helt tal",
    "type-int-kaempe": "urimeligt stort",
    "type-bool-ja": "ja eller nej",
    "type-bool-tal": "ja eller nej",
    "type-date-dansk": "dato",
    "type-date-tal": "dato",
    "type-date-aar-3000": "2000-2100",
    "type-time-tal": "klokkeslæt",
    "type-time-forkert": "klokkeslæt",
    "type-enum-ukendt": "ikke en mulighed",
    "type-enum-tal": "ikke en mulighed",
    "type-ref-tal": "gyldig række",
    "type-reflist-tekst": "liste",
    "type-intlist-tekst": "helt tal",
    "type-intlist-udenfor": "højst være 8",
    "type-sagsnummer": "sagsnummer",
    "type-kle": "kle-nummer",
    "type-slettet-tekst": "slettet",
    "tal-5000-cifre": "urimeligt stort tal",
    # text
    "tekst-10-mio-mellemrum": "for lang",
    "tekst-styretegn-1c": "styretegn",
    "tekst-styretegn-0b": "styretegn",
    "tekst-styretegn-85": "styretegn",
    "tekst-esc": "styretegn",
    "tekst-mellemrum-efter": None,
    "tekst-nfd": None,
    # names and unknown things from the file
    "navn-esc-baerbar": "navn på bærbaren",
    "navn-esc-devices": "navn på bærbaren",
    "navn-for-langt": "navn på bærbaren",
    "ukendt-type-esc": "ukendt type af data",
    "ukendt-felt-esc": "ukendt felt",
    # references
    "null-maalsaetning": "skal udfyldes",
    "null-enhed-maalplan": "skal udfyldes",
    "mangler-enhed-maalplan": "skal udfyldes",
    "ukendt-reference": "ikke kender",
    "liste-dubletter": None,
    # identity and tampering
    "egen-baerbar": "denne bærbare",
    "forfalsket-kendt-id": "ændret eller forfalsket",
    "samme-id-fil-a": None,
    "samme-id-fil-b": None,
    "fremmed-database": "anden database",
}

PAIRS: dict[str, tuple[str, str]] = {"samme-id-to-filer": ("samme-id-fil-a", "samme-id-fil-b")}
EXPECTED["samme-id-to-filer"] = "ændret eller forfalsket"

LEDGER_WARNINGS: dict[str, str] = {"ur-fremtid-73-aar": "73 år for hurtigt"}

FOREIGN = {"fremmed-database"}

# Accepted classes and the canonical value each stores for the changed field:
# name -> (entity, field, the value the file carries, the value stored).
CANONICAL: dict[str, tuple[str, str, Any, Any]] = {}


def _copy_db(src: Path, dest: Path) -> None:
    from bench.generate import copy_sqlite

    copy_sqlite(src, dest)


def _live_id(db_path: Path, table: str) -> str:
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        row = con.execute(
            f'SELECT id FROM "{table}" WHERE NOT deleted ORDER BY id LIMIT 1'
        ).fetchone()
    finally:
        con.close()
    if row is None:
        raise RuntimeError(f"the base database has no live {table}")
    return row[0]


def _local_device(db_path: Path) -> str:
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return con.execute("SELECT id FROM device WHERE is_local").fetchone()[0]
    finally:
        con.close()


def _laptop(folder: Path, base_db: Path) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """(handoff document, pack document, ids of the laptop's new rows)."""
    from exports.bundle import import_bundles, write_handoff, write_pack
    from models.db import open_database
    from models.store import Store

    work = folder / "_arbejde"
    work.mkdir(exist_ok=True)
    base = work / "tovholder.db"
    _copy_db(base_db, base)
    db = open_database(str(base))
    try:
        pack = work / f"pakke{SUFFIX}"
        write_pack(db, pack)
    finally:
        db.close()
    laptop = open_database(str(work / "bord3.db"), device_name=LAPTOP_NAME)
    try:
        store = Store(laptop)
        import_bundles(store, [pack])
        enhed = _live_id(work / "bord3.db", "enhed")
        ms = _live_id(work / "bord3.db", "maalsaetning")
        ids: dict[str, str] = {}
        with store.action() as tx:
            ids["maalplan"] = store.create(
                "maalplan", enhed_id=enhed, aar=2027, titel="Fjendtlig plan 2027", tx=tx
            )
            ids["maal"] = store.create(
                "maal",
                maalsaetning_id=ms,
                enhed_id=enhed,
                maalplan_id=ids["maalplan"],
                tekst="Alle børn har en ven.",
                plan_a=[1, 3],
                tx=tx,
            )
            ids["tegn"] = store.create(
                "tegn", maal_id=ids["maal"], tekst="Børnene hilser om morgenen.", tx=tx
            )
            ids["proevehandling"] = store.create(
                "proevehandling",
                maal_id=ids["maal"],
                tekst="Morgenvelkomst ved døren.",
                tegn_ids=[ids["tegn"]],
                tx=tx,
            )
            ids["udviklingsdag"] = store.create(
                "udviklingsdag", titel="Fjendtlig dag", starttid="09:00", tx=tx
            )
        out = work / f"overlevering{SUFFIX}"
        write_handoff(laptop, out)
    finally:
        laptop.close()
    return (
        json.loads(out.read_text("utf-8")),
        json.loads(pack.read_text("utf-8")),
        ids,
    )


def _foreign(folder: Path) -> dict[str, Any]:
    """A handoff file from a database that shares nothing with the workshop."""
    from exports.bundle import write_handoff
    from models.db import open_database
    from models.store import Store

    path = folder / "_arbejde" / "fremmed.db"
    db = open_database(str(path), device_name="Fremmed kommune")
    try:
        store = Store(db)
        with store.action() as tx:
            e = store.create("enhed", navn="Fremmedskolen", type="enhed", tx=tx)
            ms = store.create("maalsaetning", tekst="Fremmede mål.", tx=tx)
            store.create("maal", maalsaetning_id=ms, enhed_id=e, tekst="Et fremmed mål.", tx=tx)
        out = folder / "_arbejde" / f"fremmed{SUFFIX}"
        write_handoff(db, out)
    finally:
        db.close()
    return json.loads(out.read_text("utf-8"))


def _entry(doc: dict[str, Any], entity: str, field: str, row_id: str) -> dict[str, Any]:
    hits = [
        e
        for e in doc["entries"]
        if e["entity"] == entity and e["field"] == field and e["row_id"] == row_id
    ]
    assert hits, (entity, field)
    return hits[-1]


def _write(path: Path, doc: dict[str, Any]) -> Path:
    from exports.bundle import digest, render

    doc["manifest"]["entries"] = len(doc["entries"])
    doc["manifest"]["sha256"] = digest(doc["entries"])
    path.write_bytes(render(doc["manifest"], doc["entries"]))
    return path


def _huge_int_file(path: Path, doc: dict[str, Any], entry_id: str) -> Path:
    """A file whose value is an integer literal of 5,000 digits (json.dumps refuses to write
    one, so the placeholder is replaced in the bytes, digest included)."""
    from exports.bundle import canonical_bytes, render

    doc = copy.deepcopy(doc)
    marker = 987654321987
    for e in doc["entries"]:
        if e["id"] == entry_id:
            e["value"] = marker
    digits = ("9" * 5000).encode()
    canon = canonical_bytes(doc["entries"]).replace(str(marker).encode(), digits)
    doc["manifest"]["entries"] = len(doc["entries"])
    doc["manifest"]["sha256"] = hashlib.sha256(canon).hexdigest()
    raw = render(doc["manifest"], doc["entries"]).replace(str(marker).encode(), digits)
    path.write_bytes(raw)
    return path


def _shift_hlc(
    hlc: str, millis: int | None = None, delta: int = 0, counter: int | None = None
) -> str:
    m, c, dev = hlc.split("-", 2)
    new_m = int(m) + delta if millis is None else millis
    new_c = int(c) if counter is None else counter
    return f"{new_m:013d}-{new_c:05d}-{dev}" if new_m < 10**13 else f"{new_m}-{new_c:05d}-{dev}"


def hostile_files(folder: Path, base_db: Path | str) -> dict[str, Path]:
    """Write one bundle file per hostile class into `folder` (see the module docstring) and
    return {class name: path}. `base_db` is not changed."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    base_db = Path(base_db)
    handoff, pack, ids = _laptop(folder, base_db)
    own_device = _local_device(base_db)
    out: dict[str, Path] = {}

    def variant(name: str, change: Callable[[dict[str, Any]], None]) -> None:
        doc = copy.deepcopy(handoff)
        change(doc)
        out[name] = _write(folder / f"{name}{SUFFIX}", doc)

    def value(entity: str, field: str, new: Any) -> Callable[[dict[str, Any]], None]:
        def change(doc: dict[str, Any]) -> None:
            _entry(doc, entity, field, ids[entity])["value"] = new

        return change

    variant("gyldig", lambda doc: None)

    # --- clocks ---
    def hlc_of_first(millis: int | None = None, counter: int | None = None, raw: str | None = None):
        def change(doc: dict[str, Any]) -> None:
            e = _entry(doc, "tegn", "tekst", ids["tegn"])
            e["hlc"] = raw if raw is not None else _shift_hlc(e["hlc"], millis, counter=counter)

        return change

    variant("ur-max", hlc_of_first(9_999_999_999_999, 99_999))
    variant("ur-foer-2000", hlc_of_first(946_684_799_999))
    variant("ur-taeller-max", hlc_of_first(counter=99_999))

    def fourteen(doc: dict[str, Any]) -> None:
        e = _entry(doc, "tegn", "tekst", ids["tegn"])
        dev = e["hlc"].split("-", 2)[2]
        e["hlc"] = f"10000000000000-00000-{dev}"

    variant("ur-14-cifre", fourteen)

    def future(doc: dict[str, Any]) -> None:
        for e in doc["entries"]:
            e["hlc"] = _shift_hlc(e["hlc"], delta=YEARS_73_MS)
        created = datetime.fromisoformat(doc["manifest"]["created_at"])
        doc["manifest"]["created_at"] = (created + timedelta(milliseconds=YEARS_73_MS)).isoformat(
            timespec="seconds"
        )

    variant("ur-fremtid-73-aar", future)

    # --- wrong types ---
    variant("type-line-tal", value("maal", "ansvarlig", 5))
    variant("type-text-liste", value("tegn", "tekst", ["a", "b"]))
    variant("type-int-tekst", value("tegn", "position", "5"))
    variant("type-int-kommatal", value("tegn", "position", 5.5))
    variant("type-int-sand", value("tegn", "position", True))
    variant("type-int-kaempe", value("tegn", "position", 10**30))
    variant("type-bool-ja", value("proevehandling", "borgerinddragelse", "ja"))
    variant("type-bool-tal", value("proevehandling", "borgerinddragelse", 1))
    variant("type-date-dansk", value("proevehandling", "start", "24-01-2024"))
    variant("type-date-tal", value("proevehandling", "start", 20240124))
    variant("type-date-aar-3000", value("proevehandling", "start", "3000-01-01"))
    variant("type-time-tal", value("udviklingsdag", "starttid", 900))
    variant("type-time-forkert", value("udviklingsdag", "starttid", "25:99"))
    variant("type-enum-ukendt", value("tegn", "type", "ukendt_type"))
    variant("type-enum-tal", value("tegn", "type", 3))
    variant("type-ref-tal", value("tegn", "maal_id", 42))
    variant("type-reflist-tekst", value("proevehandling", "tegn_ids", ids["tegn"]))
    variant("type-intlist-tekst", value("maal", "plan_a", ["a"]))
    variant("type-intlist-udenfor", value("maal", "plan_a", [1, 99]))
    variant("type-sagsnummer", value("maalplan", "sagsnummer", "ikke et sagsnummer"))
    variant("type-kle", value("maalplan", "kle", 17))
    variant("type-slettet-tekst", value("tegn", "deleted", "true"))
    huge_id = _entry(handoff, "tegn", "position", ids["tegn"])["id"]
    out["tal-5000-cifre"] = _huge_int_file(folder / f"tal-5000-cifre{SUFFIX}", handoff, huge_id)

    # --- text ---
    variant("tekst-10-mio-mellemrum", value("tegn", "tekst", "Ord" + " " * 10_000_000))
    variant("tekst-styretegn-1c", value("tegn", "tekst", "Børnene hilser\x1c"))
    variant("tekst-styretegn-0b", value("maal", "ansvarlig", "Jens\x0b"))
    variant("tekst-styretegn-85", value("maalplan", "titel", "Plan\x85"))
    variant("tekst-esc", value("tegn", "tekst", "Rød \x1b[2J\x1b[31mtekst"))
    variant("tekst-mellemrum-efter", value("tegn", "tekst", "  Børnene hilser.   \n"))
    CANONICAL["tekst-mellemrum-efter"] = ("tegn", "tekst", None, "Børnene hilser.")
    variant("tekst-nfd", value("tegn", "tekst", "Ska\u030angen"))  # å as a + ring
    CANONICAL["tekst-nfd"] = ("tegn", "tekst", None, "Skången")

    # --- names and unknown things ---
    def name_esc(doc: dict[str, Any]) -> None:
        doc["manifest"]["device_name"] = "Bord 3\x1b[2J\x1b[H"

    variant("navn-esc-baerbar", name_esc)

    def devices_esc(doc: dict[str, Any]) -> None:
        doc["manifest"]["devices"] = [
            {"id": d["id"], "navn": "Bord\x1b]0;hacked\x07"} for d in doc["manifest"]["devices"]
        ]

    variant("navn-esc-devices", devices_esc)

    def name_long(doc: dict[str, Any]) -> None:
        doc["manifest"]["device_name"] = "B" * 5000

    variant("navn-for-langt", name_long)

    def entity_esc(doc: dict[str, Any]) -> None:
        _entry(doc, "tegn", "tekst", ids["tegn"])["entity"] = "tegn\x1b[2J"

    variant("ukendt-type-esc", entity_esc)

    def field_esc(doc: dict[str, Any]) -> None:
        _entry(doc, "tegn", "tekst", ids["tegn"])["field"] = "tekst\x1b[31m"

    variant("ukendt-felt-esc", field_esc)

    # --- references ---
    variant("null-maalsaetning", value("maal", "maalsaetning_id", None))
    variant("null-enhed-maalplan", value("maalplan", "enhed_id", None))

    def missing_enhed(doc: dict[str, Any]) -> None:
        gone = _entry(doc, "maalplan", "enhed_id", ids["maalplan"])
        doc["entries"] = [e for e in doc["entries"] if e is not gone]

    variant("mangler-enhed-maalplan", missing_enhed)
    variant("ukendt-reference", value("tegn", "maal_id", str(uuid.UUID(int=7, version=4))))

    def dupes(doc: dict[str, Any]) -> None:
        _entry(doc, "proevehandling", "tegn_ids", ids["proevehandling"])["value"] = [
            ids["tegn"],
            ids["tegn"],
        ]
        _entry(doc, "maal", "plan_a", ids["maal"])["value"] = [3, 1, 3]

    variant("liste-dubletter", dupes)
    CANONICAL["liste-dubletter"] = ("maal", "plan_a", [3, 1, 3], [1, 3])

    # --- identity and tampering ---
    def own(doc: dict[str, Any]) -> None:
        doc["manifest"]["device_id"] = own_device
        doc["manifest"]["devices"] = [{"id": own_device, "navn": LAPTOP_NAME}]
        for e in doc["entries"]:
            e["device_id"] = own_device
            m, c, _ = e["hlc"].split("-", 2)
            e["hlc"] = f"{m}-{c}-{own_device}"

    variant("egen-baerbar", own)

    known = next(
        e for e in pack["entries"] if e["field"] == "tekst" and isinstance(e["value"], str)
    )

    def forged(doc: dict[str, Any]) -> None:
        fake = copy.deepcopy(known)
        fake["value"] = known["value"] + " (forfalsket)"
        doc["entries"].insert(0, fake)

    variant("forfalsket-kendt-id", forged)

    variant("samme-id-fil-a", lambda doc: None)
    variant("samme-id-fil-b", value("tegn", "tekst", "En anden tekst med samme id."))

    out["fremmed-database"] = _write(folder / f"fremmed-database{SUFFIX}", _foreign(folder))
    return out


def assert_all_canonical(path: Path | str) -> None:
    """Assert that every value in a SQLite database's change log and domain rows equals its
    canonical form (`models.schema.validate_value` of itself, `canonical_value` for the change
    log's JSON): what an accepted file must leave behind."""
    from models.changes import canonical_value
    from models.schema import DELETED, ENTITIES, decode_value, validate_value

    con = sqlite3.connect(path)
    try:
        for entity, fname, text in con.execute("SELECT entity, field, value FROM change"):
            if fname == DELETED:
                assert text in ("true", "false"), (entity, fname, text)
                continue
            value = decode_value(entity, fname, text)
            assert validate_value(entity, fname, value) == value, (entity, fname, text)
            entry = {"entity": entity, "field": fname, "value": json.loads(text or "null")}
            assert canonical_value(**entry) == entry["value"], (entity, fname, text)
        for entity, spec in ENTITIES.items():
            cols = list(spec.fields)
            names = ", ".join(f'"{c}"' for c in cols)
            for row in con.execute(f'SELECT {names} FROM "{spec.table.__tablename__}"'):
                for fname, raw in zip(cols, row, strict=True):
                    kind = spec.fields[fname].kind
                    if kind in ("reflist", "intlist"):
                        raw = json.loads(raw) if raw is not None else []
                    elif kind == "date" and raw is not None:
                        raw = datetime.fromisoformat(raw).date()
                    elif kind == "bool" and raw is not None:
                        raw = bool(raw)
                    assert validate_value(entity, fname, raw) == raw, (entity, fname, raw)
    finally:
        con.close()


def small_corpus(folder: Path) -> tuple[Path, dict[str, Path]]:
    """(a small workshop database, {class: hostile file}) in `folder`: the corpus on the
    smallest real workshop (`tests.tui.helpers.build_small`), for a module-scoped fixture."""
    from tests.tui.helpers import build_small

    base = folder / "base.db"
    build_small(base)
    return base, hostile_files(folder / "corpus", base)


def fresh_copy(base: Path, folder: Path) -> Path:
    """A copy of `base` to import one corpus file into (`folder/tovholder.db`)."""
    from bench.generate import copy_sqlite

    target = folder / "tovholder.db"
    copy_sqlite(base, target)
    return target
