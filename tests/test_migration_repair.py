"""Migration 0004: a database an older version filled from hostile files (far-future and
overflowed timestamps, values in non-canonical form) is repaired when it is opened, the same
way on every laptop, so every file it writes afterwards is accepted."""

from __future__ import annotations

import importlib
import json
import logging
import sqlite3
import uuid
from pathlib import Path

import pytest

from exports.bundle import import_bundles, write_handoff, write_pack
from models.changes import HLC_RE
from models.clock import MAX_MILLIS, MIN_MILLIS
from models.db import make_engine, open_database
from models.migrations import HEAD_REVISION, SCRIPT_LOCATION
from models.store import Store
from tests.reliability.hostile import assert_all_canonical

repair = importlib.import_module("models.migrations.versions.0004_repair_clocks_and_values")

FOREIGN = "0f0f0f0f-0000-4000-8000-000000000001"


def _head(con: sqlite3.Connection, entity: str, row_id: str, fname: str) -> str:
    rows = con.execute(
        "select change_id from field_head where entity=? and row_id=? and field=?",
        (entity, row_id, fname),
    ).fetchall()
    assert len(rows) == 1
    return rows[0][0]


def _laptop(path: Path | str) -> dict[str, str]:
    """A database at head with one row of each kind the poison needs (written by the app)."""
    db = open_database(str(path), device_name="Bord 1")
    store = Store(db)
    ids = {"device": db.device_id}
    ids["e1"] = store.create("enhed", navn="Egeskolen", type="enhed")
    ids["e2"] = store.create("enhed", navn="Bøgeskolen", type="enhed")
    ids["dag"] = store.create("udviklingsdag", titel="Dagen", starttid="09:00", dato="2024-01-20")
    ids["bord"] = store.create("bord", udviklingsdag_id=ids["dag"], navn="Bord 1")
    ids["pol"] = store.create("politik", navn="Sundhed", beskrivelse="Kort")
    ids["ms"] = store.create("maalsaetning", tekst="Færre fald", aar=2024)
    ids["maal"] = store.create("maal", maalsaetning_id=ids["ms"], tekst="Et mål")
    ids["sam"] = store.create("samarbejde", maal_id=ids["maal"], partner_ids=[ids["e1"]])
    db.close()
    return ids


def _rewind(target: str) -> None:
    """Take a database back to revision 0003 the way Alembic does (the later migrations'
    downgrades), so that opening it runs 0004 and every migration after it once more."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", SCRIPT_LOCATION)
    engine = make_engine(target)
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0003")
    finally:
        engine.dispose()


def _poison(path: Path, ids: dict[str, str]) -> None:
    """What an older version stored after importing a hostile file, and its own edits after
    its clock overflowed; the database set back to revision 0003."""
    _rewind(str(path))
    con = sqlite3.connect(path)
    own = ids["device"]

    def value(entity: str, rid: str, fname: str, text: str | None, column: object) -> str:
        cid = _head(con, entity, rid, fname)
        con.execute("update change set value=? where id=?", (text, cid))
        con.execute(f'update "{entity}" set "{fname}"=? where id=?', (column, rid))
        return cid

    value("maalsaetning", ids["ms"], "position", '"5"', "5")
    value("bord", ids["bord"], "anonym", '"ja"', "ja")
    value("udviklingsdag", ids["dag"], "dato", '"24-01-2024"', "24-01-2024")
    raw = "Hej\x1b[2J der\x0b"
    value("politik", ids["pol"], "beskrivelse", json.dumps(raw), raw)
    dup = [ids["e1"], ids["e2"], ids["e1"]]
    value("samarbejde", ids["sam"], "partner_ids", json.dumps(dup), json.dumps(dup))
    value("enhed", ids["e2"], "deleted", '"nej"', "nej")
    # A far-future change from another laptop: it replaced Egeskolen's name.
    old = _head(con, "enhed", ids["e1"], "navn")
    new = "00000000-0000-4000-8000-00000000f00d"
    con.execute("insert into device (id, navn, is_local) values (?, 'Fremmed', 0)", (FOREIGN,))
    con.execute(
        "insert into change (id, hlc, device_id, entity, row_id, field, value, replaces, "
        "covers, action_id, undo_of) values (?, ?, ?, 'enhed', ?, 'navn', ?, ?, null, ?, null)",
        (
            new,
            f"9999999999999-00000-{FOREIGN}",
            FOREIGN,
            ids["e1"],
            '"Fremtid"',
            old,
            new.replace("f00d", "f00e"),
        ),
    )
    con.execute("insert into superseded (change_id) values (?)", (old,))
    con.execute("update field_head set change_id=? where change_id=?", (new, old))
    con.execute("update enhed set navn='Fremtid' where id=?", (ids["e1"],))
    # This laptop's own edits after its clock overflowed past 13 digits.
    for n, cid in enumerate(
        r[0]
        for r in con.execute(
            "select id from change where row_id=? order by hlc, id", (ids["e2"],)
        ).fetchall()
    ):
        con.execute("update change set hlc=? where id=?", (f"10000000000000-{n:05d}-{own}", cid))
    con.commit()
    con.close()


def _hlcs(path: Path) -> list[str]:
    with sqlite3.connect(path) as con:
        return [r[0] for r in con.execute("select hlc from change")]


def _poisoned(tmp_path: Path, name: str = "a.db") -> tuple[Path, dict[str, str]]:
    path = tmp_path / name
    ids = _laptop(path)
    _poison(path, ids)
    return path, ids


def test_poisoned_database_is_repaired_and_its_files_are_accepted(tmp_path):
    path, ids = _poisoned(tmp_path)
    assert any(not HLC_RE.match(h) for h in _hlcs(path))
    db = open_database(str(path))
    assert db.backup_path is not None  # the framework's backup holds the old values
    assert_all_canonical(path)
    for h in _hlcs(path):
        assert HLC_RE.match(h), h
        assert MIN_MILLIS <= int(h[:13]) < MAX_MILLIS
    with sqlite3.connect(path) as con:
        far = con.execute("select hlc from change where device_id=?", (FOREIGN,)).fetchone()[0]
        assert far == f"{MAX_MILLIS - 1:013d}-00000-{FOREIGN}"
        assert con.execute("select position from maalsaetning").fetchone()[0] == 5
        assert con.execute("select anonym from bord").fetchone()[0] == 1
        assert con.execute("select dato from udviklingsdag").fetchone()[0] == "2024-01-24"
        text = con.execute("select beskrivelse from politik").fetchone()[0]
        assert text == "Hej␛[2J der␋"
        partners = json.loads(con.execute("select partner_ids from samarbejde").fetchone()[0])
        assert partners == [ids["e1"], ids["e2"]]
        assert con.execute("select navn from enhed where id=?", (ids["e1"],)).fetchone()[0] == (
            "Fremtid"
        )
        assert con.execute("select deleted from enhed where id=?", (ids["e2"],)).fetchone()[0] == 0

    # The app works on it: a new edit gets a timestamp of today, not of 2199.
    store = Store(db)
    store.update("enhed", ids["e2"], navn="Bøgeskolen Nord")
    with sqlite3.connect(path) as con:
        newest = con.execute(
            "select hlc from change where row_id=? and field='navn' and value=?",
            (ids["e2"], '"Bøgeskolen Nord"'),
        ).fetchone()[0]
    assert int(newest[:4]) < 7258  # not clamped to the end of the range
    handoff = write_handoff(db, tmp_path / "a.udviklingsdag.json").path
    pack = write_pack(db, tmp_path / "pakke.udviklingsdag.json").path
    db.close()
    for i, f in enumerate((handoff, pack)):
        fresh = open_database(str(tmp_path / f"fresh{i}.db"))
        report = import_bundles(fresh, [f])
        assert not report.rejected
        assert report.new > 0
        fresh.close()
        assert_all_canonical(tmp_path / f"fresh{i}.db")


def test_two_laptops_repair_the_same_change_to_the_same_content(tmp_path):
    a = tmp_path / "a.db"
    ids = _laptop(a)
    # Laptop B loads A's pack, then both import the same hostile content (the same poison).
    db = open_database(str(a))
    pack = write_pack(db, tmp_path / "start.udviklingsdag.json").path
    db.close()
    b = tmp_path / "b.db"
    db_b = open_database(str(b), device_name="Bord 2")
    assert not import_bundles(db_b, [pack]).rejected
    db_b.close()
    _poison(a, ids)
    _poison(b, ids)
    db_a, db_b = open_database(str(a)), open_database(str(b))
    try:
        with sqlite3.connect(a) as ca, sqlite3.connect(b) as cb:
            # `Store` writes JSON null as "null", the merge as SQL NULL: the same value.
            query = "select id, hlc, nullif(value, 'null') from change order by id"
            mine = ca.execute(query).fetchall()
            theirs = cb.execute(query).fetchall()
            assert len(mine) > 20 and mine == theirs
        handoff = write_handoff(db_a, tmp_path / "a.udviklingsdag.json").path
        pack_a = write_pack(db_a, tmp_path / "a-pakke.udviklingsdag.json").path
        report = import_bundles(db_b, [handoff, pack_a])
        assert not report.rejected
        assert report.known > 0
    finally:
        db_a.close()
        db_b.close()


def test_required_field_that_cannot_be_repaired_is_left_and_logged(tmp_path, caplog):
    path = tmp_path / "a.db"
    ids = _laptop(path)
    _rewind(str(path))
    con = sqlite3.connect(path)
    cid = _head(con, "maal", ids["maal"], "maalsaetning_id")
    con.execute("update change set value='null' where id=?", (cid,))
    con.commit()
    con.close()
    with caplog.at_level(logging.WARNING, logger="udviklingsdag.migrations"):
        open_database(str(path)).close()
    assert cid in caplog.text
    with sqlite3.connect(path) as con:
        assert con.execute("select value from change where id=?", (cid,)).fetchone()[0] == "null"


@pytest.mark.parametrize(
    ("hlc", "expected"),
    [
        ("9999999999999-00000-D", f"{MAX_MILLIS - 1:013d}-00000-D"),
        ("10000000000000-00007-D", f"{MAX_MILLIS - 1:013d}-00007-D"),
        ("0000000000001-00000-D", f"{MIN_MILLIS:013d}-00000-D"),
        ("1700000000000-100000-D", "1700000000000-99999-D"),
        ("1" * 5000 + "-00000-D", f"{MAX_MILLIS - 1:013d}-00000-D"),
        ("nonsens", f"{MIN_MILLIS:013d}-00000-D"),
        ("1700000000000-00001-ikke-et-id", "1700000000000-00001-D"),
        ("1700000000000-00001-D", None),
    ],
)
def test_repair_hlc(hlc, expected):
    device = str(uuid.UUID(int=7))
    got = repair.repair_hlc(hlc.replace("-D", f"-{device}"), device)
    assert got == (expected.replace("-D", f"-{device}") if expected else None)


@pytest.mark.parametrize(
    ("entity", "fname", "text", "expected"),
    [
        ("maalsaetning", "position", '"5"', "5"),
        ("maalsaetning", "position", "5.0", "5"),
        ("maalsaetning", "aar", '"1900"', None),  # out of range, not required: emptied
        ("bord", "anonym", '"ja"', "true"),
        ("bord", "anonym", '"måske"', "false"),  # never NULL: its default
        ("udviklingsdag", "dato", '"24-01-2024"', '"2024-01-24"'),
        ("politik", "navn", '"  Sundhed "', '"Sundhed"'),
        ("politik", "navn", json.dumps("a\nb"), '"a␊b"'),
        ("politik", "beskrivelse", json.dumps("x" * 25_000), json.dumps("x" * 10_000)),
        ("samarbejde", "partner_ids", json.dumps(["nej", str(uuid.UUID(int=1))] * 2), None),
        ("maal", "plan_a", "[3, 1, 3, 99]", "[1,3]"),
        ("enhed", "deleted", '"nej"', "false"),
        ("enhed", "deleted", "1", "true"),
        ("politik", "periode", "null", "null"),
    ],
)
def test_repair_value(entity, fname, text, expected):
    got, ok = repair.repair_value(entity, fname, text)
    assert ok
    if entity == "samarbejde":
        expected = json.dumps([str(uuid.UUID(int=1))], separators=(",", ":"))
    assert got == expected
    # Repairing twice changes nothing (every laptop arrives at the same content).
    assert repair.repair_value(entity, fname, got) == (got, True)


def test_required_enum_that_cannot_be_repaired_is_reported():
    assert repair.repair_value("enhed", "type", '"slot"') == ('"slot"', False)
    assert repair.repair_value("udviklingsdag", "dato", '"2024-01-24"') == (
        '"2024-01-24"',
        True,
    )


def test_repair_on_postgresql(tmp_path, request):
    """The same repair through SQLAlchemy on PostgreSQL (the change log and the rows)."""
    from sqlalchemy import text

    from models.changes import canonical_value
    from tests.conftest import pg_url

    if pg_url() is None:
        pytest.skip("ingen PostgreSQL-server")
    url = request.getfixturevalue("pg_databases").new()
    ids = _laptop(url)
    _rewind(url)
    engine = make_engine(url)
    raw = "Hej\x1b[2J der\x0b"
    dup = [ids["e1"], ids["e2"], ids["e1"]]
    poison = [
        ("maalsaetning", ids["ms"], "position", '"5"'),
        ("bord", ids["bord"], "anonym", '"ja"'),
        ("udviklingsdag", ids["dag"], "dato", '"24-01-2024"'),
        ("politik", ids["pol"], "beskrivelse", json.dumps(raw)),
        ("samarbejde", ids["sam"], "partner_ids", json.dumps(dup)),
    ]
    with engine.begin() as conn:
        for entity, rid, fname, value in poison:
            conn.execute(
                text(
                    "update change set value = :v where id = (select change_id from field_head"
                    " where entity = :e and row_id = :r and field = :f)"
                ),
                {"v": value, "e": entity, "r": rid, "f": fname},
            )
        conn.execute(text("update politik set beskrivelse = :v"), {"v": raw})
        conn.execute(text("update samarbejde set partner_ids = :v"), {"v": json.dumps(dup)})
        conn.execute(
            text("update change set hlc = '10000000000000-00000-' || device_id where row_id = :r"),
            {"r": ids["e2"]},
        )
    engine.dispose()
    db = open_database(url)
    try:
        assert db.revision == HEAD_REVISION
        with db.engine.connect() as conn:
            for hlc, entity, fname, value in conn.execute(
                text("select hlc, entity, field, value from change")
            ):
                assert HLC_RE.match(hlc) and int(hlc[:13]) == min(int(hlc[:13]), MAX_MILLIS - 1)
                entry = {"entity": entity, "field": fname, "value": json.loads(value or "null")}
                assert canonical_value(**entry) == entry["value"]
            row = conn.execute(
                text(
                    "select m.position, b.anonym, u.dato, p.beskrivelse, s.partner_ids "
                    "from maalsaetning m, bord b, udviklingsdag u, politik p, samarbejde s"
                )
            ).one()
        assert row[0] == 5 and row[1] is True and str(row[2]) == "2024-01-24"
        assert row[3] == "Hej␛[2J der␋"
        assert (json.loads(row[4]) if isinstance(row[4], str) else row[4]) == dup[:2]
        pack = write_pack(db, tmp_path / "pg.udviklingsdag.json").path
    finally:
        db.close()
    fresh = open_database(str(tmp_path / "fresh.db"))
    assert not import_bundles(fresh, [pack]).rejected
    fresh.close()
