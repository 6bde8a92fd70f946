"""The one write API. Every change to the domain goes through `Store`, which validates it,
writes the row and appends change-log entries in one transaction.

The change log's rules (written by `models.changes.append_changes`, for `Store` and for the
merge in `models.importing` alike):

* A change sets one field of one row (`deleted` is a field too: a tombstone is
  `deleted = true`; rows are never removed). Creating a row writes every tracked field plus
  `deleted = false`, so a row can be rebuilt from its changes alone.
* `replaces` lists the change(s) that held the field on this device when the change was made.
  A field's *heads* are its changes that no known change replaces; more than one head whose
  values differ is a conflict. The current value is the head with the greatest (hlc, id).
* A tombstone's `covers` lists the other field heads of the row that the deleting device had
  seen; a head of the row outside that set is an edit made concurrently with the delete.
* Changes made together (one user action) share an `action_id`; undo writes new changes with
  `undo_of = action_id`, so undo travels like any other edit.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from . import schema
from .changes import CHANGE, HEAD, ChangeRow, append_changes, definite_label, heads, row_table
from .clock import HybridClock
from .db import Database, bytewise, write_begin
from .errors import NotFoundError, ValidationError
from .schema import DELETED, ENTITIES, decode_value, encode_value, entity_name
from .tables import Device, Meta, sql_table
from .words import NOUNS, antal

if TYPE_CHECKING:
    from .workspace import Workspace

META = sql_table(Meta)
DEVICE = sql_table(Device)


def new_id() -> str:
    """A new row, change or action id, created on this device: a UUID of version 7 (RFC 9562),
    the milliseconds since 1970 in its first 48 bits and 74 random bits after them.

    Ids made about the same time sort next to each other, so the indexes on them (the change
    log's id and action, the rows' ids) grow at one place instead of at random places all
    over a large database: for a merge of 400 laptops' changes into a municipality of 1,200
    målplaner, appending the change log took half the time (28.6 s with random UUIDs). The
    format is the UUID every reader already checks for (`schema.UUID_PATTERN`); older ids
    stay as they are. The clock only orders the ids: a laptop whose clock is wrong makes ids
    as unique as any other (the random bits), sorted elsewhere."""
    millis = time.time_ns() // 1_000_000 & _MILLIS_MASK
    rand = int.from_bytes(os.urandom(10), "big")
    value = (
        millis << 80
        | 0x7 << 76  # version 7
        | (rand >> 62 & 0xFFF) << 64
        | 0b10 << 62  # the RFC's variant
        | rand & _LOW_62
    )
    return str(uuid.UUID(int=value))


_MILLIS_MASK = (1 << 48) - 1
_LOW_62 = (1 << 62) - 1


def database_of(db: Database | Store | Workspace) -> Database:
    """The database itself, whether the caller holds it, the `Store` on it or the workspace."""
    if isinstance(db, Store):
        return db.db
    if isinstance(db, Database):
        return db
    return db.database


def store_of(db: Database | Store | Workspace) -> Database | Store:
    """The `Store` when the caller holds one (directly or through the workspace), so that an
    import moves this laptop's clock; else the database."""
    if isinstance(db, Store | Database):
        return db
    return db.store


def parent_field(entity: str) -> str | None:
    """The field that groups siblings for ordering (the first required reference)."""
    for name, spec in ENTITIES[entity].fields.items():
        if spec.kind == "ref" and spec.required:
            return name
    return None


@dataclass
class Action:
    """One user action being written: a connection inside a transaction and its action id
    (what `Store.action` yields; pass it as `tx=` to write several changes as one action)."""

    conn: Connection
    action_id: str
    undo_of: str | None = None
    written: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class UndoResult:
    """What an undo did, for the status line; with `done` False, the action that was not
    undone because it is older than the undo was allowed to go (`Store.undo`'s `since`), and
    when it was made (its clock)."""

    description: str
    action_id: str
    done: bool = True
    hlc: str = ""


class Store:
    """The write API on one open database, as this database's own device."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.engine = db.engine
        self.device_id = db.device_id
        # Serialises this process's writers (the UI's queue, the merge, the workshop import).
        # Hold it around a transaction that writes outside `action` (`models.importing`).
        self.lock = threading.RLock()
        with self.engine.connect() as conn:
            last = conn.execute(select(func.max(CHANGE.c.hlc))).scalar()
        self.clock = HybridClock(self.device_id, last)
        self.last_saved: datetime | None = None

    # --- transactions --------------------------------------------------------------------

    @contextmanager
    def action(self, *, undo_of: str | None = None) -> Iterator[Action]:
        """Group several writes into one transaction and one undoable action."""
        with self.lock, write_begin(self.engine) as conn:
            tx = Action(conn, new_id(), undo_of)
            yield tx
        if tx.written:
            self.last_saved = datetime.now()

    @contextmanager
    def _tx(self, tx: Action | None) -> Iterator[Action]:
        if tx is not None:
            yield tx
        else:
            with self.action() as new:
                yield new

    # --- public write API ----------------------------------------------------------------

    def create(
        self,
        entity: str | type,
        values: dict[str, Any] | None = None,
        *,
        tx: Action | None = None,
        row_id: str | None = None,
        **kw: Any,
    ) -> str:
        """Create a row; return its new id. Required fields must be given."""
        name = entity_name(entity)
        spec = ENTITIES[name]
        table = row_table(name)
        clean, row = new_row(name, {**(values or {}), **kw})
        rid = row_id or new_id()
        with self._tx(tx) as t:
            self._check_refs(t.conn, name, clean)
            if "position" in spec.fields and "position" not in clean:
                row["position"] = self.next_position(t.conn, name, row)
            t.conn.execute(table.insert().values(id=rid, deleted=False, **row))
            # Every field and `deleted = false`, replacing nothing: the row's first changes.
            changes = [
                self.new_change(t, name, rid, fname, False if fname == DELETED else row[fname])
                for fname in (*spec.fields, DELETED)
            ]
            append_changes(t.conn, changes)
            t.written.extend(c.id for c in changes)
        return rid

    def update(
        self,
        entity: str | type,
        row_id: str,
        values: dict[str, Any] | None = None,
        *,
        tx: Action | None = None,
        **kw: Any,
    ) -> int:
        """Change fields of a row; return how many actually changed (0 writes nothing)."""
        name = entity_name(entity)
        given = {**(values or {}), **kw}
        clean = {k: schema.validate_value(name, k, v) for k, v in given.items()}
        table = row_table(name)
        with self._tx(tx) as t:
            current = self._row(t.conn, name, row_id)
            if current["deleted"]:
                raise NotFoundError(
                    f"Denne {ENTITIES[name].label} er slettet og kan ikke ændres. "
                    "Fortryd sletningen først."
                )
            changed = {k: v for k, v in clean.items() if current.get(k) != v}
            if not changed:
                return 0
            schema.check_cross_rules(name, {**current, **changed})
            self._check_refs(t.conn, name, changed)
            for fname, value in changed.items():
                self._append(t, name, row_id, fname, value)
            t.conn.execute(table.update().where(table.c.id == row_id).values(**changed))
        return len(changed)

    def delete(self, entity: str | type, row_id: str, *, tx: Action | None = None) -> int:
        """Tombstone a row and the rows it owns (a mål's tegn, ...); return how many."""
        name = entity_name(entity)
        with self._tx(tx) as t:
            current = self._row(t.conn, name, row_id)
            if current["deleted"]:
                return 0
            return self._tombstone(t, name, row_id)

    def restore(self, entity: str | type, row_id: str, *, tx: Action | None = None) -> None:
        """Bring a tombstoned row back."""
        name = entity_name(entity)
        table = row_table(name)
        with self._tx(tx) as t:
            current = self._row(t.conn, name, row_id)
            if current["deleted"]:
                self._append(t, name, row_id, DELETED, False)
                t.conn.execute(table.update().where(table.c.id == row_id).values(deleted=False))

    def move(self, entity: str | type, row_id: str, delta: int) -> bool:
        """Move a row up (delta < 0) or down among its siblings; False at the edge."""
        name = entity_name(entity)
        table = row_table(name)
        pfield = parent_field(name)
        with self.action() as t:
            current = self._row(t.conn, name, row_id)
            query = select(table.c.id, table.c.position).where(~table.c.deleted)
            if pfield:
                query = query.where(table.c[pfield] == current[pfield])
            query = query.order_by(table.c.position, bytewise(table.c.id))
            siblings = list(t.conn.execute(query))
            ids = [r.id for r in siblings]
            i = ids.index(row_id)
            j = i + (1 if delta > 0 else -1)
            if not 0 <= j < len(ids):
                return False
            ids[i], ids[j] = ids[j], ids[i]
            for pos, (rid, old) in enumerate(zip(ids, [r.position for r in siblings], strict=True)):
                del old
                if self._row(t.conn, name, rid)["position"] != pos:
                    self.update(name, rid, tx=t, position=pos)
        return True

    def undo(self, *, since: str | None = None, action_id: str | None = None) -> UndoResult | None:
        """Undo this device's last action that is not undone yet; None when there is none.

        With `since` (a clock value of this device, such as when the app started): an action
        made before it is not undone but returned with `done` False, so the user can be asked
        first (an undo that goes on past what was done in this session could take away a whole
        prepared day, one press at a time). With `action_id`: only that action, and only while
        it is still the last one (None otherwise: something was done or undone meanwhile)."""
        with self.action() as t:
            # This laptop's own undos and actions only: an entry from another laptop's file
            # that names one of this laptop's actions (as `undo_of` or `action_id`) neither
            # marks it undone nor is undone with it.
            undone = select(CHANGE.c.undo_of).where(
                CHANGE.c.undo_of.is_not(None), CHANGE.c.device_id == self.device_id
            )
            found = t.conn.execute(
                select(CHANGE.c.action_id, CHANGE.c.hlc)
                .where(
                    CHANGE.c.device_id == self.device_id,
                    CHANGE.c.undo_of.is_(None),
                    CHANGE.c.action_id.not_in(undone),
                )
                .order_by(CHANGE.c.hlc.desc())
                .limit(1)
            ).first()
            if found is None or (action_id is not None and found.action_id != action_id):
                return None
            last, when = found.action_id, found.hlc
            changes = list(
                t.conn.execute(
                    select(CHANGE)
                    .where(CHANGE.c.action_id == last, CHANGE.c.device_id == self.device_id)
                    .order_by(CHANGE.c.hlc.desc())
                )
            )
            description = _describe(changes)
            if since is not None and when < since and action_id is None:
                return UndoResult(description, last, done=False, hlc=when)
            t.undo_of = last
            created = {
                (c.entity, c.row_id)
                for c in changes
                if c.field == DELETED and c.value == "false" and not c.replaces
            }
            for c in changes:
                key = (c.entity, c.row_id)
                if key in created:
                    continue
                table = row_table(c.entity)
                befores = self._values_before(t.conn, c)
                current = heads(t.conn, c.entity, c.row_id, c.field)
                # One change per value the undone change replaced: undoing the resolution of
                # a conflict brings the conflict back (its values side by side again), it
                # does not quietly pick one of them.
                covers: list[str] = []
                if c.field == DELETED and befores == [True]:
                    # Putting a tombstone back: it covers what the tombstone it restores
                    # covered, so an edit that was not concurrent with it does not become one.
                    covers = self._covers_of(t.conn, c)
                for before in befores:
                    self._append(
                        t, c.entity, c.row_id, c.field, before, replaces=current, covers=covers
                    )
                t.conn.execute(
                    table.update().where(table.c.id == c.row_id).values({c.field: befores[-1]})
                )
            for entity, rid in created:
                if not self._row(t.conn, entity, rid)["deleted"]:
                    self._tombstone(t, entity, rid)
        return UndoResult(description, last)

    def can_undo(self) -> bool:
        """Whether this device has an action left to undo."""
        with self.engine.connect() as conn:
            undone = select(CHANGE.c.undo_of).where(
                CHANGE.c.undo_of.is_not(None), CHANGE.c.device_id == self.device_id
            )
            return (
                conn.execute(
                    select(CHANGE.c.id)
                    .where(
                        CHANGE.c.device_id == self.device_id,
                        CHANGE.c.undo_of.is_(None),
                        CHANGE.c.action_id.not_in(undone),
                    )
                    .limit(1)
                ).first()
                is not None
            )

    def resolve(
        self,
        entity: str | type,
        row_id: str,
        fname: str,
        value: Any,
        expected_heads: Sequence[str],
        *,
        tx: Action | None = None,
    ) -> str:
        """Settle a conflict: write `value` as one change that replaces ALL current heads of
        the field. `expected_heads` are the heads the user saw; if the field's heads differ
        now (someone resolved or edited it meanwhile), raise `ConflictAlreadyResolved` and
        write nothing. A tombstone (`deleted` = true) covers every other head of the row, so
        it settles a concurrent delete and edit. Returns the new change id."""
        from .errors import ConflictAlreadyResolved

        name = entity_name(entity)
        clean = bool(value) if fname == DELETED else schema.validate_value(name, fname, value)
        table = row_table(name)
        with self._tx(tx) as t:
            current = self._row(t.conn, name, row_id)
            held = heads(t.conn, name, row_id, fname)
            if set(held) != set(expected_heads):
                raise ConflictAlreadyResolved(
                    "Konflikten er allerede løst eller ændret, mens du så på den. "
                    "Opdatér visningen og se den igen."
                )
            if fname != DELETED:
                schema.check_cross_rules(name, {**current, fname: clean})
                self._check_refs(t.conn, name, {fname: clean})
            covers: list[str] = []
            if fname == DELETED and clean:
                covers = list(
                    t.conn.execute(
                        select(HEAD.c.change_id).where(
                            HEAD.c.entity == name, HEAD.c.row_id == row_id, HEAD.c.field != DELETED
                        )
                    ).scalars()
                )
            cid = self._append(t, name, row_id, fname, clean, replaces=held, covers=covers)
            t.conn.execute(table.update().where(table.c.id == row_id).values({fname: clean}))
        return cid

    # --- local settings (not change-logged) --------------------------------------------------

    def get_setting(self, key: str) -> str | None:
        """A local setting of this database (not change-logged), or None."""
        with self.engine.connect() as conn:
            return conn.execute(select(META.c.value).where(META.c.key == key)).scalar()

    def set_setting(self, key: str, value: str | None) -> None:
        """Set a local setting of this database (not change-logged); None removes it."""
        with self.lock, write_begin(self.engine) as conn:
            conn.execute(META.delete().where(META.c.key == key))
            if value is not None:
                conn.execute(META.insert().values(key=key, value=value))

    def rename_device(self, name: str) -> str:
        """Name this laptop (the name travels with its data). Returns the cleaned name."""
        clean = schema.clean_line(name, "Navnet på bærbaren")
        if not clean:
            raise ValidationError("Giv bærbaren et navn, fx «Bord 3 - Jens».", field="Navn")
        with self.lock, write_begin(self.engine) as conn:
            conn.execute(DEVICE.update().where(DEVICE.c.id == self.device_id).values(navn=clean))
        self.db.device_name = clean
        return clean

    # --- internals -------------------------------------------------------------------------

    def _row(self, conn: Connection, entity: str, row_id: str) -> dict[str, Any]:
        table = row_table(entity)
        row = conn.execute(select(table).where(table.c.id == row_id)).mappings().first()
        if row is None:
            raise NotFoundError(
                f"Den valgte {ENTITIES[entity].label} findes ikke (længere). Opdatér visningen."
            )
        return dict(row)

    def _check_refs(self, conn: Connection, entity: str, values: dict[str, Any]) -> None:
        for fname, value in values.items():
            spec = ENTITIES[entity].fields[fname]
            if spec.kind not in ("ref", "reflist") or not value:
                continue
            assert spec.ref is not None
            target = row_table(spec.ref)
            ids = [value] if spec.kind == "ref" else list(value)
            found = set(conn.execute(select(target.c.id).where(target.c.id.in_(ids))).scalars())
            if len(found) != len(set(ids)):
                raise ValidationError(
                    f"Feltet «{spec.label}» peger på en {ENTITIES[spec.ref].label}, "
                    "der ikke findes. Vælg en anden.",
                    field=spec.label,
                    entity=entity,
                )

    def next_position(self, conn: Connection, entity: str, row: dict[str, Any]) -> int:
        """The position after the last of a new row's siblings (those with the same parent,
        `parent_field`), counting deleted ones: where `create` puts a row."""
        table = row_table(entity)
        query = select(func.max(table.c.position))
        pfield = parent_field(entity)
        if pfield:
            query = query.where(table.c[pfield] == row[pfield])
        top = conn.execute(query).scalar()
        return 0 if top is None else top + 1

    def new_change(
        self,
        t: Action,
        entity: str,
        row_id: str,
        fname: str,
        value: Any,
        *,
        replaces: Sequence[str] = (),
        covers: Sequence[str] = (),
    ) -> ChangeRow:
        """A change of this device in action `t`, stamped now by its clock, for
        `models.changes.append_changes` (which writes it): `value` in its stored form."""
        return ChangeRow(
            new_id(),
            self.clock.now(),
            self.device_id,
            entity,
            row_id,
            fname,
            encode_value(value),
            " ".join(replaces) or None,
            " ".join(covers) or None,
            t.action_id,
            t.undo_of,
        )

    def _append(
        self,
        t: Action,
        entity: str,
        row_id: str,
        fname: str,
        value: Any,
        *,
        replaces: Sequence[str] | None = None,
        covers: Sequence[str] = (),
    ) -> str:
        """Append one change that replaces `replaces` (by default the field's heads, so it
        becomes the field's only head)."""
        if replaces is None:
            replaces = heads(t.conn, entity, row_id, fname)
        change = self.new_change(t, entity, row_id, fname, value, replaces=replaces, covers=covers)
        append_changes(t.conn, [change])
        t.written.append(change.id)
        return change.id

    def _tombstone(self, t: Action, entity: str, row_id: str) -> int:
        count = 0
        for child, fk in ENTITIES[entity].children:
            ctable = row_table(child)
            kids = t.conn.execute(
                select(ctable.c.id).where(ctable.c[fk] == row_id, ~ctable.c.deleted)
            ).scalars()
            for kid in list(kids):
                count += self._tombstone(t, child, kid)
        covers = list(
            t.conn.execute(
                select(HEAD.c.change_id).where(
                    HEAD.c.entity == entity, HEAD.c.row_id == row_id, HEAD.c.field != DELETED
                )
            ).scalars()
        )
        self._append(t, entity, row_id, DELETED, True, covers=covers)
        table = row_table(entity)
        t.conn.execute(table.update().where(table.c.id == row_id).values(deleted=True))
        return count + 1

    def _covers_of(self, conn: Connection, change: Any) -> list[str]:
        """The field heads covered by the tombstone(s) that `change` replaced."""
        replaced = (change.replaces or "").split()
        if not replaced:
            return []
        rows = conn.execute(
            select(CHANGE.c.covers).where(CHANGE.c.id.in_(replaced), CHANGE.c.value == "true")
        ).scalars()
        return sorted({cid for text in rows for cid in (text or "").split()})

    def _values_before(self, conn: Connection, change: Any) -> list[Any]:
        """The values `change` replaced, each once, the current one (greatest clock) last.
        One value for a plain edit; several when the change settled a conflict."""
        replaced = (change.replaces or "").split()
        rows = (
            conn.execute(
                select(CHANGE.c.hlc, CHANGE.c.id, CHANGE.c.value).where(CHANGE.c.id.in_(replaced))
            ).all()
            if replaced
            else []
        )
        texts: list[str] = []
        for _hlc, _id, text in sorted(rows, key=lambda r: (r.hlc, r.id.encode())):
            if text in texts:
                texts.remove(text)
            texts.append(text)
        if change.field == DELETED:
            # A delete (or restore) is undone to the one state before it.
            texts = texts[-1:]
        if texts:
            return [decode_value(change.entity, change.field, text) for text in texts]
        if change.field == DELETED:
            return [False]
        return [ENTITIES[change.entity].fields[change.field].new_value]


def new_row(entity: str, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Validate the values of a row about to be created and fill in every other tracked field
    with its default. Returns (the validated given values, the whole row)."""
    spec = ENTITIES[entity]
    clean = {k: schema.validate_value(entity, k, v) for k, v in values.items()}
    row: dict[str, Any] = {}
    for fname, fspec in spec.fields.items():
        if fname in clean:
            row[fname] = clean[fname]
            continue
        row[fname] = fspec.new_value
        if fspec.required and row[fname] in (None, ""):
            raise ValidationError(
                f"Feltet «{fspec.label}» skal udfyldes.", field=fspec.label, entity=entity
            )
    schema.check_cross_rules(entity, row)
    return clean, row


def _describe(changes: Sequence[Any]) -> str:
    """A short Danish description of an action, for «Fortrudt: ...»."""
    ordered = sorted(changes, key=lambda c: c.hlc)
    if not ordered:
        return "ingenting"
    created = [c for c in ordered if c.field == DELETED and c.value == "false" and not c.replaces]
    if len({(c.entity, c.row_id) for c in created}) > 1 and created[0].entity in NOUNS:
        # Several rows made in one action (nyt år, a lederdag's mål placed on its plan):
        # «oprettelse af 3 målplaner, 12 mål og 30 tegn», in the order they were made.
        rows: dict[str, set[str]] = {}
        for c in created:
            rows.setdefault(c.entity, set()).add(c.row_id)
        parts = [
            antal(len(ids), NOUNS[entity]) if entity in NOUNS else ENTITIES[entity].label
            for entity, ids in rows.items()
        ]
        return "oprettelse af " + (
            f"{', '.join(parts[:-1])} og {parts[-1]}" if len(parts) > 1 else parts[0]
        )
    if created:
        return ENTITIES[created[0].entity].new_label
    # Children are tombstoned before their parent, so the last tombstone names what was deleted.
    deleted = [c for c in ordered if c.field == DELETED and c.value == "true"]
    if deleted:
        return f"sletning af {ENTITIES[deleted[-1].entity].label}"
    restored = [c for c in ordered if c.field == DELETED]
    if restored:
        return f"gendannelse af {ENTITIES[restored[-1].entity].label}"
    spec = ENTITIES[ordered[0].entity]
    fields = sorted({c.field for c in ordered if c.field != "position"})
    if not fields:
        return f"flytning af {spec.label}"
    labels = ", ".join(f"«{spec.fields[f].label}»" for f in fields if f in spec.fields)
    return f"ændring af {labels} på {definite_label(ordered[0].entity)}"
