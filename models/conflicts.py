"""Conflicts in the change log, and how the tovholder settles them.

A conflict is never settled by the merge: a field with several heads whose values differ
(«felt»), or a row deleted on one laptop while edited on another («sletning»: an edit the
tombstone did not cover, or a row added under the deleted row), stays open until the tovholder
picks a value (`resolve_conflict`), which is itself a change. Pure Python; no user-interface
imports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.engine import Connection

from .changes import (
    CHANGE,
    ENTRY_KEYS,
    HEAD,
    ChangeRow,
    display_value,
    field_label,
    heads,
    heads_of_rows,
    row_table,
)
from .clock import to_seconds
from .db import Database, id_filters
from .schema import DELETED, ENTITIES, decode_value
from .store import DEVICE, Action, Store, database_of

KIND_FIELD = "felt"
KIND_DELETE = "sletning"


def _time(hlc: str) -> str:
    return datetime.fromtimestamp(to_seconds(hlc)).strftime("%d-%m-%Y kl. %H:%M")


def row_conflicts(
    entity: str, row_id: str, row_heads: Sequence[ChangeRow]
) -> list[tuple[str, str, list[ChangeRow]]]:
    """The conflicts of one row, from all its heads: (kind, field, the heads involved)."""
    by_field: dict[str, list[ChangeRow]] = defaultdict(list)
    for h in row_heads:
        by_field[h.field].append(h)
    out: list[tuple[str, str, list[ChangeRow]]] = []
    for fname, hs in by_field.items():
        if len(hs) > 1 and len({h.value for h in hs}) > 1:
            out.append((KIND_FIELD, fname, hs))
    deleted = by_field.get(DELETED, [])
    tombstones = [h for h in deleted if h.value == "true"]
    if tombstones and not any(f == DELETED for _, f, _ in out):
        covered = {c for h in tombstones for c in (h.covers or "").split()}
        edits = [h for h in row_heads if h.field != DELETED and h.id not in covered]
        if edits:
            out.append((KIND_DELETE, DELETED, [*deleted, *edits]))
    return out


@dataclass(frozen=True)
class ConflictSide:
    """One of the values in a conflict, with where and when it was made."""

    change_id: str
    field: str
    field_label: str
    value: Any
    shown: str
    device_id: str
    device_name: str
    hlc: str
    time: str
    before: str


@dataclass(frozen=True)
class Conflict:
    """An open conflict: `kind` is «felt» (two values for one field) or «sletning» (a row
    deleted on one laptop and edited on another). `heads` are the field's heads the user saw;
    resolving checks that they are still the same."""

    kind: str
    entity: str
    row_id: str
    field: str
    title: str
    heads: tuple[str, ...]
    sides: tuple[ConflictSide, ...]
    # Rows (entity, id) created or kept alive under this deleted row on another laptop.
    orphans: tuple[tuple[str, str], ...] = ()

    @property
    def key(self) -> tuple[str, str, str]:
        """(entity, row id, field): what the conflict is about."""
        return (self.entity, self.row_id, self.field)

    @property
    def entity_label(self) -> str:
        """The entity's Danish label («tegn»)."""
        return ENTITIES[self.entity].label

    @property
    def field_label(self) -> str:
        """The field's Danish label («Slettet» for a «sletning»)."""
        return field_label(self.entity, self.field)

    @property
    def can_write_new(self) -> bool:
        """Whether the tovholder can type a new value (text, numbers, dates)."""
        spec = ENTITIES[self.entity].fields.get(self.field)
        return spec is not None and spec.kind in (
            "line",
            "text",
            "int",
            "decimal",
            "date",
            "time",
            "sagsnummer",
            "kle",
        )


def _candidate_rows(conn: Connection) -> dict[str, set[str]]:
    """Rows that may hold a conflict: with several heads on a field, or deleted."""
    return {
        entity: {rid for query in _candidate_queries(entity) for rid in conn.scalars(query)}
        for entity in ENTITIES
    }


def _candidate_queries(entity: str) -> tuple[Select[Any], Select[Any]]:
    """The ids of one entity's rows that may hold a conflict (`_candidate_rows`), in two
    queries: the rows with several heads on a field, and the deleted rows (a row may be in
    both)."""
    multi = (
        select(HEAD.c.row_id)
        .where(HEAD.c.entity == entity)
        .group_by(HEAD.c.entity, HEAD.c.row_id, HEAD.c.field)
        .having(func.count() > 1)
    )
    # Rows with a tombstone among their heads: with one head on `deleted` that head is the
    # row's value, so the row says deleted; with several, the row is in `multi` already.
    # The domain tables are small and hold that flag, unlike a join of every head with its
    # change.
    table = row_table(entity)
    return multi, select(table.c.id).where(table.c.deleted)


def orphans(conn: Connection) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """Live rows whose parent is deleted: a tegn added on one laptop to a mål deleted on
    another. Deleting takes the children it knows along, so such a row was made (or kept)
    without seeing the delete: a concurrent delete and edit."""
    out: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for entity, spec in ENTITIES.items():
        parent = row_table(entity)
        for child, fk in spec.children:
            table = row_table(child)
            query = (
                select(parent.c.id, table.c.id)
                .join(parent, parent.c.id == table.c[fk])
                .where(parent.c.deleted, ~table.c.deleted)
            )
            for pid, cid in conn.execute(query):
                out[(entity, pid)].append((child, cid))
    return out


# Candidate rows whose heads are looked at together by `open_keys`: what bounds its memory
# (after a large merge there are hundreds of thousands of rows with several equal heads).
KEY_ROWS = 2000


def open_keys(conn: Connection) -> set[tuple[str, str, str]]:
    """The open conflicts as (entity, row id, field), on an open connection."""
    keys: set[tuple[str, str, str]] = set()
    for entity in ENTITIES:
        for query in _candidate_queries(entity):
            # Read as the query yields them, `KEY_ROWS` at a time: after a ten-times merge
            # the candidates are hundreds of thousands of rows. A row met twice (in both
            # queries, or at the end of one part and the start of the next) gives the same
            # keys twice.
            stream = query.execution_options(stream_results=True, yield_per=KEY_ROWS)
            for part in conn.execute(stream).scalars().partitions():
                found = heads_of_rows(conn, {entity: set(part)})
                keys.update(
                    (entity, rid, fname)
                    for (_, rid), hs in found.items()
                    for _, fname, _ in row_conflicts(entity, rid, hs)
                )
    return keys | {(entity, rid, DELETED) for entity, rid in orphans(conn)}


def conflict_keys(db: Database | Store) -> set[tuple[str, str, str]]:
    """The open conflicts as (entity, row id, field); cheap, for tests and counters."""
    with database_of(db).engine.connect() as conn:
        return open_keys(conn)


def _titles(conn: Connection, refs: Mapping[str, Collection[str]]) -> dict[str, str]:
    """The titles of rows (ids per entity), by id."""
    out: dict[str, str] = {}
    for entity, ids in refs.items():
        table = row_table(entity)
        col = table.c[ENTITIES[entity].title_field]
        for where in id_filters(conn, table.c.id, ids):
            for r in conn.execute(select(table.c.id, col).where(where)):
                out[r[0]] = str(r[1] or "")
    return out


def _restored_origins(conn: Connection, found: list[ChangeRow]) -> dict[str, ChangeRow]:
    """Heads that an undo of a resolution put back, each shown as the change that first wrote
    its value (its laptop, time and value before), keyed by the head's id. The head itself
    (its id) stays what a resolution replaces."""
    undo_heads: dict[str, list[str]] = {}
    for where in id_filters(conn, CHANGE.c.id, [h.id for h in found]):
        for cid, replaces in conn.execute(
            select(CHANGE.c.id, CHANGE.c.replaces).where(where, CHANGE.c.undo_of.is_not(None))
        ):
            undo_heads[cid] = (replaces or "").split()
    if not undo_heads:
        return {}
    settled: dict[str, list[str]] = {}  # resolution → the changes it settled
    for where in id_filters(conn, CHANGE.c.id, {r for rs in undo_heads.values() for r in rs}):
        for cid, replaces in conn.execute(select(CHANGE.c.id, CHANGE.c.replaces).where(where)):
            settled[cid] = (replaces or "").split()
    first: dict[str, ChangeRow] = {}
    columns = [CHANGE.c[k] for k in ENTRY_KEYS]
    for where in id_filters(conn, CHANGE.c.id, {o for os in settled.values() for o in os}):
        for row in conn.execute(select(*columns).where(where)):
            first[row.id] = ChangeRow._make(row)
    out: dict[str, ChangeRow] = {}
    for h in found:
        candidates = [
            first[o]
            for r in undo_heads.get(h.id, [])
            if len(settled.get(r, [])) > 1  # a resolution (a plain edit replaced one change)
            for o in settled[r]
            if o in first and first[o].value == h.value
        ]
        if candidates:
            o = min(candidates, key=lambda c: (c.hlc, c.id))
            out[h.id] = h._replace(
                hlc=o.hlc, device_id=o.device_id, replaces=o.replaces, action_id=o.action_id
            )
    return out


def open_conflicts(db: Database | Store) -> list[Conflict]:
    """Every open conflict, oldest first, with both (all) values side by side: field, value,
    device, time and the value before."""
    with database_of(db).engine.connect() as conn:
        all_heads = heads_of_rows(conn, _candidate_rows(conn))
        found = [
            (entity, rid, kind, fname, hs)
            for (entity, rid), row_heads in all_heads.items()
            for kind, fname, hs in row_conflicts(entity, rid, row_heads)
        ]
        left = orphans(conn)
        with_delete = {(e, r) for e, r, kind, _, _ in found if kind == KIND_DELETE}
        for entity, rid in left:
            if (entity, rid) not in with_delete:
                tomb = [h for h in all_heads.get((entity, rid), []) if h.field == DELETED]
                found.append((entity, rid, KIND_DELETE, DELETED, tomb))
        kids: dict[str, set[str]] = defaultdict(set)
        for made in left.values():
            for child, cid in made:
                kids[child].add(cid)
        kid_heads = heads_of_rows(conn, kids)
        kid_titles = _titles(conn, kids)
        if not found:
            return []
        devices: dict[str, str] = dict(conn.execute(select(DEVICE.c.id, DEVICE.c.navn)).all())
        origins = _restored_origins(conn, [h for *_, hs in found for h in hs if h.replaces])
        found = [
            (entity, rid, kind, fname, [origins.get(h.id, h) for h in hs])
            for entity, rid, kind, fname, hs in found
        ]
        firsts = {(h.replaces or "").split()[0] for *_, hs in found for h in hs if h.replaces}
        before_text: dict[str, str | None] = {}
        for where in id_filters(conn, CHANGE.c.id, firsts):
            before_text.update(conn.execute(select(CHANGE.c.id, CHANGE.c.value).where(where)).all())
        refs: dict[str, set[str]] = defaultdict(set)
        rows: dict[str, set[str]] = defaultdict(set)
        decoded: dict[str, Any] = {}
        for entity, rid, _, _, hs in found:
            rows[entity].add(rid)
            for h in hs:
                decoded[h.id] = decode_value(entity, h.field, h.value)
                spec = ENTITIES[entity].fields.get(h.field)
                if spec is not None and spec.kind in ("ref", "reflist") and decoded[h.id]:
                    vals = decoded[h.id] if isinstance(decoded[h.id], list) else [decoded[h.id]]
                    assert spec.ref is not None
                    refs[spec.ref].update(vals)
        titles = _titles(conn, refs)
        row_titles = _titles(conn, rows)
    out: list[Conflict] = []
    for entity, rid, kind, fname, hs in found:
        sides = []
        for h in sorted(hs, key=lambda h: (h.field != DELETED, h.hlc, h.id)):
            before = ""
            if h.replaces:
                text = before_text.get(h.replaces.split()[0])
                if text is not None:
                    before = display_value(
                        entity, h.field, decode_value(entity, h.field, text), titles
                    )
            sides.append(
                ConflictSide(
                    change_id=h.id,
                    field=h.field,
                    field_label=field_label(entity, h.field),
                    value=decoded[h.id],
                    shown=display_value(entity, h.field, decoded[h.id], titles),
                    device_id=h.device_id,
                    device_name=devices.get(h.device_id) or h.device_id[:8],
                    hlc=h.hlc,
                    time=_time(h.hlc),
                    before=before,
                )
            )
        field_heads = tuple(sorted(h.id for h in hs if h.field == fname))
        children = tuple(sorted(left.get((entity, rid), []))) if kind == KIND_DELETE else ()
        for child, cid in children:
            born = [h for h in kid_heads.get((child, cid), []) if h.field == DELETED]
            if not born:
                continue
            h = max(born, key=lambda h: (h.hlc, h.id))
            sides.append(
                ConflictSide(
                    change_id=h.id,
                    field=DELETED,
                    field_label=f"{ENTITIES[child].label.capitalize()} (tilføjet, uden at "
                    "sletningen var kendt)",
                    value=None,
                    shown=kid_titles.get(cid) or "(uden tekst)",
                    device_id=h.device_id,
                    device_name=devices.get(h.device_id) or h.device_id[:8],
                    hlc=h.hlc,
                    time=_time(h.hlc),
                    before="",
                )
            )
        out.append(
            Conflict(
                kind,
                entity,
                rid,
                fname,
                row_titles.get(rid, ""),
                field_heads,
                tuple(sides),
                children,
            )
        )
    out.sort(key=lambda c: (min((s.hlc for s in c.sides), default=""), c.key))
    return out


def resolve_conflict(store: Store, conflict: Conflict, value: Any) -> str:
    """Settle a conflict with the chosen (or newly written) value; the choice is a new change
    that replaces every head the tovholder saw. For a «sletning» conflict, `value` True keeps
    the row deleted and False restores it (with the rows its deletion took along). Raises
    `ConflictAlreadyResolved` when it changed meanwhile, `ValidationError` for a bad value."""
    with store.action() as tx:
        if conflict.kind == KIND_DELETE:
            keep_deleted = bool(value)
            tombstones = heads(tx.conn, conflict.entity, conflict.row_id, DELETED)
            actions = set(
                tx.conn.execute(
                    select(CHANGE.c.action_id).where(
                        CHANGE.c.id.in_(tombstones), CHANGE.c.value == "true"
                    )
                ).scalars()
            )
            cid = store.resolve(
                conflict.entity, conflict.row_id, DELETED, keep_deleted, conflict.heads, tx=tx
            )
            if not keep_deleted and actions:
                _restore_taken_along(store, tx, actions, (conflict.entity, conflict.row_id))
            if keep_deleted:
                # The rows made under the deleted row go with it, as a delete on the spot
                # would have taken them.
                for child, cid_ in conflict.orphans:
                    store.delete(child, cid_, tx=tx)
            return cid
        return store.resolve(
            conflict.entity, conflict.row_id, conflict.field, value, conflict.heads, tx=tx
        )


def _restore_taken_along(
    store: Store, tx: Action, actions: set[str], skip: tuple[str, str]
) -> None:
    """Restore rows tombstoned by the same action(s) as a row being restored (a mål's tegn)."""
    query = (
        select(HEAD.c.entity, HEAD.c.row_id)
        .join(CHANGE, CHANGE.c.id == HEAD.c.change_id)
        .where(HEAD.c.field == DELETED, CHANGE.c.value == "true", CHANGE.c.action_id.in_(actions))
    )
    for entity, rid in list(tx.conn.execute(query)):
        if (entity, rid) != skip:
            store.restore(entity, rid, tx=tx)


def conflicts_by_plan(db: Database | Store, plan_ids: Sequence[str]) -> dict[str, list[Conflict]]:
    """The open conflicts each of `plan_ids` shows (on the plan, its mål and what hangs under
    them, its enhed, målsætninger and partners, målinger and læring), for plans that have
    any: an export of such a plan shows only one side of each (the value with the latest
    clock), so the tovholder is told before the files go to SBSYS. Nothing is read per plan
    when there are no open conflicts at all."""
    from .kladde import plan_row_ids

    found = open_conflicts(db)
    if not found:
        return {}
    out: dict[str, list[Conflict]] = {}
    for plan_id in dict.fromkeys(plan_ids):
        rows = plan_row_ids(database_of(db), plan_id)
        hits = [c for c in found if c.row_id in rows.get(c.entity, ())]
        if hits:
            out[plan_id] = hits
    return out


def conflict_names(conflicts: Sequence[Conflict], most: int = 3) -> str:
    """«tegn «Eleverne …» (slettet og ændret), mål «…» (ansvarlig)» for a message: at most
    `most`, then how many more."""
    shown = [
        f"{c.entity_label} «{c.title[:60]}» "
        f"({'slettet og ændret' if c.kind == KIND_DELETE else c.field_label.lower()})"
        for c in conflicts
    ]
    text = ", ".join(shown[:most])
    if len(shown) > most:
        text += f" og {len(shown) - most} til"
    return text
