"""A målplan as it was at one of its revisions, read back from the change log.

An exported workbook names the plan and the revision it was exported at (`revision` in
`models.maalplan_view`: how many user actions have touched the plan or anything shown in it).
The change log only grows, so the state at revision N is found again: the plan's actions in
the order they were made (by their first change's hybrid logical clock), the N-th one's last
change is the boundary, and a field's value at that revision is its last change at or before
the boundary. An import of an edited kladde compares three values per field: that one, the
sheet's and the database's current value."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from .errors import NotFoundError
from .schema import ENTITIES, decode_value, encode_value
from .tables import Change, sql_table

if TYPE_CHECKING:
    from .db import Database

_PLAN_ENTITIES = ("maal", "tegn", "proevehandling", "samarbejde", "evaluering")


@dataclass(frozen=True)
class FieldPast:
    """One field of one row: its value at the boundary and whether it changed since."""

    base: Any
    existed: bool  # the row had a value for the field at the boundary
    changed_since: bool


def _plan_rows(conn: Any, plan_id: str) -> dict[str, set[str]]:
    """The rows whose changes count for the plan's revision (every mål ever in it, what hangs
    under them, its enhed, their målsætninger and partners), as `_revisions` counts them."""
    change = sql_table(Change)
    rows: dict[str, set[str]] = defaultdict(set)
    rows["maalplan"].add(plan_id)
    maal_t = ENTITIES["maal"].sql_table
    plan_t = ENTITIES["maalplan"].sql_table
    for r in conn.execute(
        select(change.c.row_id).where(
            change.c.entity == "maal",
            change.c.field == "maalplan_id",
            change.c.value == encode_value(plan_id),
        )
    ):
        rows["maal"].add(r.row_id)
    for r in conn.execute(select(maal_t.c.id).where(maal_t.c.maalplan_id == plan_id)):
        rows["maal"].add(r.id)
    for r in conn.execute(select(plan_t.c.enhed_id).where(plan_t.c.id == plan_id)):
        if r.enhed_id:
            rows["enhed"].add(r.enhed_id)
    maal_ids = sorted(rows["maal"])
    if maal_ids:
        for r in conn.execute(select(maal_t.c.maalsaetning_id).where(maal_t.c.id.in_(maal_ids))):
            if r.maalsaetning_id:
                rows["maalsaetning"].add(r.maalsaetning_id)
        for entity in ("tegn", "proevehandling", "samarbejde"):
            t = ENTITIES[entity].sql_table
            for r in conn.execute(select(t).where(t.c.maal_id.in_(maal_ids))).mappings():
                rows[entity].add(r["id"])
                if entity == "samarbejde":
                    rows["enhed"].update(r["partner_ids"] or [])
        ph = sorted(rows["proevehandling"])
        if ph:
            ev = ENTITIES["evaluering"].sql_table
            for r in conn.execute(select(ev.c.id).where(ev.c.proevehandling_id.in_(ph))):
                rows["evaluering"].add(r.id)
    return rows


def revision_boundary(db: Database, plan_id: str, revision: int) -> str:
    """The clock value of the last change that was part of the plan's revision `revision`.

    Raises `NotFoundError` (Danish) when the plan is not in this database or never had that
    revision."""
    change = sql_table(Change)
    plan_t = ENTITIES["maalplan"].sql_table
    with db.engine.connect() as conn:
        if conn.execute(select(plan_t.c.id).where(plan_t.c.id == plan_id)).first() is None:
            raise NotFoundError(
                "Filen er eksporteret fra en målplan, som ikke findes i denne database. Indlæs "
                "den i den database, den kom fra, eller i en kopi af den."
            )
        actions: dict[str, tuple[str, str]] = {}
        for entity, ids in _plan_rows(conn, plan_id).items():
            id_list = sorted(ids)
            for i in range(0, len(id_list), 500):
                query = (
                    select(
                        change.c.action_id,
                        func.min(change.c.hlc).label("first"),
                        func.max(change.c.hlc).label("last"),
                    )
                    .where(change.c.entity == entity, change.c.row_id.in_(id_list[i : i + 500]))
                    .group_by(change.c.action_id)
                )
                for r in conn.execute(query):
                    old = actions.get(r.action_id)
                    first = min(r.first, old[0]) if old else r.first
                    last = max(r.last, old[1]) if old else r.last
                    actions[r.action_id] = (first, last)
    ordered = sorted(actions.values())
    if revision < 1 or revision > len(ordered):
        raise NotFoundError(
            f"Filen siger, den er eksporteret ved revision {revision} af målplanen, men "
            f"databasen kender kun {len(ordered)} revisioner af den. Filen kommer nok fra en "
            "anden database; indlæs den dér."
        )
    return max(last for _first, last in ordered[:revision])


def field_history(
    db: Database, entity: str, row_ids: list[str], boundary: str | None
) -> dict[tuple[str, str], FieldPast]:
    """For each (row, field) of `entity`'s rows: the value at `boundary` and whether the field
    changed after it. `boundary` None: nothing changed since (a hand-filled template is
    compared with the database as it is now)."""
    change = sql_table(Change)
    out: dict[tuple[str, str], FieldPast] = {}
    latest: dict[tuple[str, str], tuple[str, str | None]] = {}
    after: set[tuple[str, str]] = set()
    with db.engine.connect() as conn:
        for i in range(0, len(row_ids), 500):
            query = select(change.c.row_id, change.c.field, change.c.hlc, change.c.value).where(
                change.c.entity == entity, change.c.row_id.in_(row_ids[i : i + 500])
            )
            for r in conn.execute(query):
                key = (r.row_id, r.field)
                if boundary is not None and r.hlc > boundary:
                    after.add(key)
                    continue
                old = latest.get(key)
                if old is None or r.hlc > old[0]:
                    latest[key] = (r.hlc, r.value)
    fields = ENTITIES[entity].fields
    for key in set(latest) | after:
        hit = latest.get(key)
        if key[1] not in fields:
            continue
        base = decode_value(entity, key[1], hit[1]) if hit else None
        out[key] = FieldPast(base, hit is not None, key in after)
    return out


def existed_at(db: Database, entity: str, row_ids: list[str], boundary: str | None) -> set[str]:
    """The rows that existed (and were not deleted) at `boundary` (all of them when None)."""
    if boundary is None:
        return set(row_ids)
    past = field_history(db, entity, row_ids, boundary)
    return {rid for (rid, _f), v in past.items() if v.existed}
