"""Read helpers over the current state. Screens and exports read through these (no SQL in
screens)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from .db import Database
from .schema import ENTITIES
from .tables import Change, Device


def _count(conn: Any, entity: str, **where: Any) -> int:
    table = ENTITIES[entity].table.__table__
    query = select(func.count()).select_from(table).where(~table.c.deleted)
    for name, value in where.items():
        query = query.where(table.c[name] == value)
    return int(conn.execute(query).scalar() or 0)


def counts(db: Database) -> dict[str, int]:
    """Counts of live (not deleted) rows, keyed as in `udviklingsdag info --json`."""
    with db.engine.connect() as conn:
        return {
            "direktoeromraader": _count(conn, "enhed", type="direktoeromraade"),
            "afdelinger": _count(conn, "enhed", type="afdeling"),
            "enheder": _count(conn, "enhed", type="enhed"),
            "maalsaetninger": _count(conn, "maalsaetning"),
            "maal": _count(conn, "maal"),
            "tegn": _count(conn, "tegn"),
            "proevehandlinger": _count(conn, "proevehandling"),
            "samarbejder": _count(conn, "samarbejde"),
            "evalueringer": _count(conn, "evaluering"),
            "maalplaner": _count(conn, "maalplan"),
            "udviklingsdage": _count(conn, "udviklingsdag"),
            "borde": _count(conn, "bord"),
            "noter": _count(conn, "note"),
        }


def database_info(db: Database) -> dict[str, Any]:
    """Where the database is, its schema revision, this device and the counts."""
    with db.engine.connect() as conn:
        changes = int(conn.execute(select(func.count()).select_from(Change.__table__)).scalar())
        devices = int(conn.execute(select(func.count()).select_from(Device.__table__)).scalar())
    return {
        "database": db.display_target,
        "backend": db.engine.dialect.name,
        "schema_revision": db.revision,
        "device": {"id": db.device_id, "navn": db.device_name},
        "devices": devices,
        "changes": changes,
        "counts": counts(db),
    }


def has_data(db: Database) -> bool:
    """Whether the database holds any domain rows."""
    with db.engine.connect() as conn:
        return any(
            conn.execute(select(ENTITIES[e].table.__table__.c.id).limit(1)).first()
            for e in ("enhed", "maalsaetning", "udviklingsdag")
        )
