"""The benchmark's bulk path writes exactly what `Store.create` writes, so the benchmark's
large municipality has a real change log (and the merge and export rows measure real data)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from bench.generate import BulkWriter, build_municipality
from models.db import open_database
from models.queries import counts
from models.store import CHANGE, HEAD, Store

IGNORED = {"id", "hlc", "action_id", "row_id"}


def _snapshot(store: Store, entity: str, rid: str) -> tuple[dict, list[tuple]]:
    from models.schema import ENTITIES

    table = ENTITIES[entity].table.__table__
    with store.engine.connect() as conn:
        row = dict(conn.execute(select(table).where(table.c.id == rid)).mappings().one())
        changes = sorted(
            tuple((k, v) for k, v in dict(c).items() if k not in IGNORED)
            for c in conn.execute(select(CHANGE).where(CHANGE.c.row_id == rid)).mappings()
        )
        heads = (
            conn.execute(select(HEAD.c.field).where(HEAD.c.row_id == rid).order_by(HEAD.c.field))
            .scalars()
            .all()
        )
    row.pop("id")
    return row, [*changes, tuple(heads)]


def test_bulk_writer_matches_store_create(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "b.db"))
    try:
        store = Store(db)
        e = store.create("enhed", navn="Egeskolen", type="enhed")
        ms = store.create("maalsaetning", tekst="Flere børn trives.")
        m = store.create("maal", maalsaetning_id=ms, enhed_id=e, tekst="Alle har en ven.")
        values = {
            "maal_id": m,
            "tekst": "Vi prøver en morgenvelkomst",
            "start": date(2027, 2, 1),
            "slut": date(2027, 3, 1),
            "borgerinddragelse": True,
        }
        by_store = store.create("proevehandling", **values)
        with store.action() as tx:
            w = BulkWriter(store, tx)
            by_bulk = w.create("proevehandling", **values)
            w.flush()
        row_s, log_s = _snapshot(store, "proevehandling", by_store)
        row_b, log_b = _snapshot(store, "proevehandling", by_bulk)
        # Same values, same entries; only the position differs (the next sibling).
        assert row_b.pop("position") == row_s.pop("position") + 1
        assert row_s == row_b
        assert len(log_s) == len(log_b)
        assert [c for c in log_s if ("field", "position") not in c] == [
            c for c in log_b if ("field", "position") not in c
        ]
    finally:
        db.close()


def test_small_municipality_shape(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "k.db"))
    try:
        muni = build_municipality(Store(db), scale=0.01, n_borde=4)
        n = counts(db)
        assert n["maal"] == 20 and n["tegn"] == 100 and n["proevehandlinger"] == 100
        assert n["samarbejder"] == 30 and n["borde"] == 8
        assert len(muni.bord_maal) == 8
        with db.engine.connect() as conn:
            entries = conn.execute(select(CHANGE.c.id)).all()
        assert len(entries) > 100 * 8
    finally:
        db.close()
