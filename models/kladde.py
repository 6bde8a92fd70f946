"""A målplan as it was at one of its revisions, read back from the change log.

An exported workbook names the plan and the revision it was exported at (`revision` in
`models.maalplan_view`: how many user actions have touched the plan or anything shown in it).
The change log only grows, so the state at revision N is found again: the plan's actions in
the order they were made (by their first change's hybrid logical clock), the N-th one's last
change is the boundary, and a field's value at that revision is its last change at or before
the boundary. A workbook exported since stores the boundary exactly instead (`known_changes`:
for each device, the clock of its last change the database held), so the order of the clocks
of different laptops no longer matters. An import of an edited kladde compares three values
per field: that one, the sheet's and the database's current value."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from .errors import NotFoundError
from .schema import DELETED, ENTITIES, decode_value, encode_value
from .tables import Change, sql_table
from .words import count

if TYPE_CHECKING:
    from .db import Database

_PLAN_ENTITIES = ("maal", "tegn", "proevehandling", "samarbejde", "evaluering")


@dataclass(frozen=True)
class FieldPast:
    """One field of one row: its value at the boundary and whether it changed since."""

    base: Any
    existed: bool  # the row had a value for the field at the boundary
    changed_since: bool


@dataclass(frozen=True)
class Boundary:
    """Where the exported revision ends in the change log.

    `known`: for each device, the clock of its last change the database held at the export.
    Exact: a device's clock only grows, so a change made after the export, on any laptop and
    whatever its clock says, is past it. `clock`: one clock value, found from the revision's
    number (workbooks exported before `known` was stored); a change from a laptop whose clock
    was behind may then count as before the export."""

    clock: str | None = None
    known: Mapping[str, str] | None = None

    def covers(self, hlc: str, device_id: str) -> bool:
        """Whether the change (its clock and device) was part of the exported revision."""
        if self.known is not None:
            last = self.known.get(device_id)
            return last is not None and hlc <= last
        return self.clock is not None and hlc <= self.clock


def known_changes(db: Database) -> str:
    """The database's position in the change log, for the workbook: a JSON object of each
    device's last clock value (`Boundary.known`)."""
    change = sql_table(Change)
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(change.c.device_id, func.max(change.c.hlc)).group_by(change.c.device_id)
        ).all()
    return json.dumps({str(d): str(h) for d, h in sorted(rows)}, separators=(",", ":"))


# A position holds one short entry per laptop; a property longer than this is not one.
_KNOWN_CHANGES_MAX = 1_000_000


def parse_known_changes(text: str | None) -> Boundary | None:
    """`known_changes`' text read back from a workbook; None when missing or not that."""
    if not text or len(text) > _KNOWN_CHANGES_MAX:
        return None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # a property edited by hand: «[[[[…» nests too deep
        return None
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and len(k) + len(v) <= 200
        for k, v in data.items()
    ):
        return None
    return Boundary(known=dict(data))


def _plan_rows(conn: Any, plan_id: str, *, followup: bool = False) -> dict[str, set[str]]:
    """The rows whose changes count for the plan's revision (every mål ever in it, what hangs
    under them, its enhed, their målsætninger and partners), as `_revisions` counts them.
    With `followup`, the year's rows as well (the målinger on its tegn, the læring on its
    prøvehandlinger and on the plan): the workbook shows them, the revision does not count
    them."""
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
        if followup:
            _followup_rows(conn, rows)
    if followup:
        laering = ENTITIES["laering"].sql_table
        for r in conn.execute(select(laering.c.id).where(laering.c.maalplan_id == plan_id)):
            rows["laering"].add(r.id)
    return rows


def _followup_rows(conn: Any, rows: dict[str, set[str]]) -> None:
    """Add the målinger of the tegn and the læring of the prøvehandlinger in `rows`."""
    for entity, column, parents in (
        ("maaling", "tegn_id", "tegn"),
        ("laering", "proevehandling_id", "proevehandling"),
    ):
        table = ENTITIES[entity].sql_table
        ids = sorted(rows[parents])
        for i in range(0, len(ids), 500):
            query = select(table.c.id).where(table.c[column].in_(ids[i : i + 500]))
            rows[entity].update(r.id for r in conn.execute(query))


def revision_boundary(db: Database, plan_id: str, revision: int) -> Boundary:
    """The boundary of the plan's revision `revision`: the clock value of its last change.

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
            f"databasen kender kun {count('revision', len(ordered))} af den. Filen kommer nok "
            "fra en anden database; indlæs den dér."
        )
    return Boundary(clock=max(last for _first, last in ordered[:revision]))


def field_history(
    db: Database, entity: str, row_ids: list[str], boundary: Boundary | None
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
            query = select(
                change.c.row_id, change.c.field, change.c.hlc, change.c.value, change.c.device_id
            ).where(change.c.entity == entity, change.c.row_id.in_(row_ids[i : i + 500]))
            for r in conn.execute(query):
                key = (r.row_id, r.field)
                if boundary is not None and not boundary.covers(r.hlc, r.device_id):
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


def existed_at(
    db: Database, entity: str, row_ids: list[str], boundary: Boundary | None
) -> set[str]:
    """The rows that existed and were not deleted at `boundary` (all of them when None: the
    caller passes the live rows)."""
    if boundary is None:
        return set(row_ids)
    change = sql_table(Change)
    seen: set[str] = set()
    deleted: dict[str, tuple[str, bool]] = {}
    with db.engine.connect() as conn:
        for i in range(0, len(row_ids), 500):
            query = select(
                change.c.row_id, change.c.field, change.c.hlc, change.c.value, change.c.device_id
            ).where(change.c.entity == entity, change.c.row_id.in_(row_ids[i : i + 500]))
            for r in conn.execute(query):
                if not boundary.covers(r.hlc, r.device_id):
                    continue
                seen.add(r.row_id)
                if r.field == DELETED:
                    old = deleted.get(r.row_id)
                    if old is None or r.hlc > old[0]:
                        deleted[r.row_id] = (r.hlc, bool(decode_value(entity, DELETED, r.value)))
    return {rid for rid in seen if not deleted.get(rid, ("", False))[1]}


def plan_row_ids(db: Database, plan_id: str) -> dict[str, set[str]]:
    """Every row that is or was part of the plan, deleted ones included, by entity (the mål,
    what hangs under them, the plan's enhed, the målsætninger and partners they name, the
    målinger and the læring)."""
    with db.engine.connect() as conn:
        return dict(_plan_rows(conn, plan_id, followup=True))
