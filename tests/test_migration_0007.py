"""Migration 0007 (issue 15): a database of the version before it keeps its rows and gains the
year's fields: prøvehandlinger become «planlagt», borde have no målsætninger, and målinger and
læring can be written at once."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from models.db import make_engine, open_database, upgrade_schema
from models.migrations import HEAD_REVISION
from models.queries import get_row, live_rows
from models.store import Store


def _old_database(path: Path) -> dict[str, str]:
    """A 0006 database with a mål, a tegn, a prøvehandling and a bord, written by the app of
    that version (rows inserted as its tables held them)."""
    engine = make_engine(f"sqlite:///{path}")
    upgrade_schema(engine, "0006")
    engine.dispose()
    con = sqlite3.connect(path)
    ids = {
        "ms": "00000000-0000-4000-8000-000000000001",
        "maal": "00000000-0000-4000-8000-000000000002",
        "tegn": "00000000-0000-4000-8000-000000000003",
        "ph": "00000000-0000-4000-8000-000000000004",
        "dag": "00000000-0000-4000-8000-000000000005",
        "bord": "00000000-0000-4000-8000-000000000006",
    }
    with con:
        con.execute(
            "INSERT INTO maalsaetning (id, tekst, kilde, position, deleted) VALUES (?,?,?,?,0)",
            (ids["ms"], "Flere unge i uddannelse", "politik", 0),
        )
        con.execute(
            "INSERT INTO maal (id, maalsaetning_id, tekst, plan_a, position, deleted)"
            " VALUES (?,?,?,?,0,0)",
            (ids["maal"], ids["ms"], "Færre fravær", "[]"),
        )
        con.execute(
            "INSERT INTO tegn (id, maal_id, tekst, type, baseline, position, deleted)"
            " VALUES (?,?,?,?,?,0,0)",
            (ids["tegn"], ids["maal"], "Fremmøde", "kvantitativ", "82 %"),
        )
        con.execute(
            "INSERT INTO proevehandling (id, maal_id, tekst, borgerinddragelse, tegn_ids,"
            " position, deleted) VALUES (?,?,?,0,?,0,0)",
            (ids["ph"], ids["maal"], "Morgenmad i skolen", f'["{ids["tegn"]}"]'),
        )
        con.execute(
            "INSERT INTO udviklingsdag (id, titel, dagdel, starttid, deleted) VALUES (?,?,?,?,0)",
            (ids["dag"], "Del 1", "del1", "09:00"),
        )
        con.execute(
            "INSERT INTO bord (id, udviklingsdag_id, navn, maal_ids, anonym, position, deleted)"
            " VALUES (?,?,?,?,0,0,0)",
            (ids["bord"], ids["dag"], "Bord 1", f'["{ids["maal"]}"]'),
        )
    con.close()
    return ids


def test_a_0006_database_gains_the_years_fields_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "gammel.db"
    ids = _old_database(path)
    db = open_database(str(path), device_name="Tovholder")
    try:
        assert db.revision == HEAD_REVISION
        ph = get_row(db, "proevehandling", ids["ph"])
        assert ph is not None
        assert ph["status"] == "planlagt"
        assert ph["status_dato"] is None
        assert ph["tegn_ids"] == [ids["tegn"]]
        bord = get_row(db, "bord", ids["bord"])
        assert bord is not None
        assert bord["maalsaetning_ids"] == []
        assert bord["maal_ids"] == [ids["maal"]]
        store = Store(db)
        mid = store.create("maaling", tegn_id=ids["tegn"], dato=date(2027, 3, 1), vaerdi="84,5")
        store.create("laering", proevehandling_id=ids["ph"], dato="01-04-2027", tekst="Virker")
        store.update("proevehandling", ids["ph"], status="i_gang", status_dato="01-03-2027")
        assert get_row(db, "maaling", mid)["vaerdi"] == 84.5  # type: ignore[index]
        assert [r["tekst"] for r in live_rows(db, "laering")] == ["Virker"]
        assert get_row(db, "proevehandling", ids["ph"])["status"] == "i_gang"  # type: ignore[index]
    finally:
        db.close()


def test_the_new_tables_exist_with_their_indexes(tmp_path: Path) -> None:
    path = tmp_path / "gammel.db"
    _old_database(path)
    open_database(str(path), device_name="Tovholder").close()
    con = sqlite3.connect(path)
    try:
        columns = {r[1] for r in con.execute("PRAGMA table_info(maaling)")}
        assert {"tegn_id", "dato", "vaerdi", "observation", "kilde", "hvem"} <= columns
        indexes = {r[1] for r in con.execute("PRAGMA index_list(laering)")}
        assert {"ix_laering_maalplan_id", "ix_laering_proevehandling_id"} <= indexes
    finally:
        con.close()
