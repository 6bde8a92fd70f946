"""The change log: an entry as it travels between laptops, and the one writer of the log.

An *entry* (`Entry`) is one change as a bundle file carries it: the change table's columns,
the value in its JSON form. `entry_problem` checks the structure of an entry read from a file,
`canonical_value` its value; `ChangeRow` is the same change as the change table stores it.

The rules of the log (see `models.store` for the whole list): a change replaces the changes
named in its `replaces`; a field's *heads* are its changes that no known change replaces; the
field's value is the head with the greatest (hlc, id) (`winners`). `append_changes` is the one
code that writes them: it appends changes and keeps `field_head` and `superseded` true to them,
for `Store` (one action's changes), the merge (a workshop's entries in bulk; it writes in two
halves, `insert_changes` and `update_heads`) and the benchmark's bulk writer alike.
`write_rows` writes the domain rows in bulk.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Container, Iterable, Iterator, Mapping, Sequence
from datetime import date
from sys import intern
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import Table, and_, bindparam, select

from . import enums
from .clock import HLC_MAX, HLC_MIN
from .db import ID_CHUNK, id_filters
from .errors import ValidationError
from .schema import (
    DELETED,
    ENTITIES,
    LIST_KINDS,
    UUID_PATTERN,
    encode_value,
    format_decimal,
    to_json,
    validate_value,
)
from .tables import Change, FieldHead, Superseded, sql_table
from .visible import visible

if TYPE_CHECKING:
    from sqlalchemy import Column
    from sqlalchemy.engine import Connection, Row

CHANGE = sql_table(Change)
HEAD = sql_table(FieldHead)
SUPERSEDED = sql_table(Superseded)


def row_table(entity: str) -> Table:
    """The SQL table holding an entity's rows."""
    return ENTITIES[entity].sql_table


# The keys of an entry in a file, in the order of the change table's columns.
ENTRY_KEYS = (
    "id",
    "hlc",
    "device_id",
    "entity",
    "row_id",
    "field",
    "value",
    "replaces",
    "covers",
    "action_id",
    "undo_of",
)
_ENTRY_KEYSET = frozenset(ENTRY_KEYS)
# `\Z`, not `$` (which also matches before a final new line: "<id>\n" would pass), and ASCII
# digits only (`\d` takes every Unicode digit, and int() reads them, but such a timestamp
# would sort after every one the app writes).
UUID_RE = re.compile(rf"^{UUID_PATTERN}\Z")
HLC_RE = re.compile(rf"^[0-9]{{13}}-[0-9]{{5}}-{UUID_PATTERN}\Z")
# One or more ids, one per line (the fast check of an entry's ids, see `entry_ok`).
_IDS_RE = re.compile(rf"{UUID_PATTERN}(?:\n{UUID_PATTERN})*")
MAX_IDS = 10_000  # ids in an entry's `replaces` or `covers`

CHUNK = ID_CHUNK  # ids per IN (...) query on SQLite
INSERT_CHUNK = 5000  # rows per executemany on PostgreSQL (psycopg holds every parameter)
# Fewer rows than this go to PostgreSQL as one prepared INSERT run, more with COPY (which
# costs a round trip to start and one to end: no gain for the few changes of a user action).
COPY_FROM = 50


class ChangeRow(NamedTuple):
    """A change as the change table stores it (its columns in order): the value as JSON text
    (None for JSON null from a file), `replaces` and `covers` as space-separated ids or None.
    Also the shape of a field head with its change (`heads_of_rows`)."""

    id: str
    hlc: str
    device_id: str
    entity: str
    row_id: str
    field: str
    value: str | None
    replaces: str | None
    covers: str | None
    action_id: str
    undo_of: str | None


class Entry(NamedTuple):
    """A change-log entry as it travels between laptops (a bundle file's entry): the value in
    its JSON form, `replaces` and `covers` as tuples of change ids.

    A named tuple rather than a frozen dataclass: the merge makes one for each of a workshop's
    80,000 entries, and a frozen dataclass takes four times as long to build (0.2 s of the
    merge's 5 s)."""

    id: str
    hlc: str
    device_id: str
    entity: str
    row_id: str
    field: str
    value: Any
    replaces: tuple[str, ...]
    covers: tuple[str, ...]
    action_id: str
    undo_of: str | None

    @classmethod
    def from_json(cls, item: Mapping[str, Any]) -> Entry:
        """An entry from its JSON object, as `entry_problem` accepted it."""
        # A file names a few devices, entities and fields many times: one string each (what
        # the merge keeps per row, such as the rows a file needs, holds these names).
        return cls(
            item["id"],
            item["hlc"],
            intern(item["device_id"]),
            intern(item["entity"]),
            item["row_id"],
            intern(item["field"]),
            item["value"],
            tuple(item["replaces"]),
            tuple(item["covers"]),
            item["action_id"],
            item["undo_of"],
        )

    def row(self) -> ChangeRow:
        """The entry as a change-table row."""
        return ChangeRow(
            self.id,
            self.hlc,
            self.device_id,
            self.entity,
            self.row_id,
            self.field,
            value_text(self.value),
            " ".join(self.replaces) or None,
            " ".join(self.covers) or None,
            self.action_id,
            self.undo_of,
        )

    @property
    def key(self) -> tuple[str, str, str]:
        """(entity, row id, field): what the change sets."""
        return (self.entity, self.row_id, self.field)

    @property
    def labels(self) -> tuple[str, str]:
        """(«et tegn» / «en enhed», the field's label), for messages about the entry."""
        return article_label(self.entity), field_label(self.entity, self.field)


def entry_json(row: Any) -> dict[str, Any]:
    """A change-table row (anything with the change's columns as attributes) as the JSON
    object of an entry, as a file carries it."""
    return {
        "id": row.id,
        "hlc": row.hlc,
        "device_id": row.device_id,
        "entity": row.entity,
        "row_id": row.row_id,
        "field": row.field,
        "value": None if row.value is None else json.loads(row.value),
        "replaces": row.replaces.split() if row.replaces else [],
        "covers": row.covers.split() if row.covers else [],
        "action_id": row.action_id,
        "undo_of": row.undo_of,
    }


# --- checks ---------------------------------------------------------------------------------


def valid_hlc(hlc: object) -> bool:
    """Whether `hlc` is a timestamp every reader accepts (its form and range, models.clock)."""
    return isinstance(hlc, str) and bool(HLC_RE.match(hlc)) and HLC_MIN <= hlc[:13] < HLC_MAX


def entry_ok(e: Mapping[str, Any]) -> bool:
    """The common case of `entry_problem` in two pattern matches: every id of the entry
    (and of its lists) joined by newlines against one compiled pattern, then the timestamp.
    It accepts only what the full check accepts (each part exactly 36 characters); anything
    else goes to the full check, which finds the message. `e` has exactly `ENTRY_KEYS`."""
    replaces, covers, undo = e["replaces"], e["covers"], e["undo_of"]
    if type(replaces) is not list or type(covers) is not list:
        return False
    if len(replaces) > MAX_IDS or len(covers) > MAX_IDS:
        return False
    parts = [e["id"], e["device_id"], e["row_id"], e["action_id"], *replaces, *covers]
    if undo is not None:
        parts.append(undo)
    try:
        ids = "\n".join(parts)
    except TypeError:
        return False
    if len(ids) != 37 * len(parts) - 1 or not _IDS_RE.fullmatch(ids):
        return False
    hlc, entity, fname = e["hlc"], e["entity"], e["field"]
    if type(hlc) is not str or not HLC_RE.match(hlc) or not HLC_MIN <= hlc[:13] < HLC_MAX:
        return False
    spec = ENTITIES.get(entity) if type(entity) is str else None
    return spec is not None and type(fname) is str and (fname == DELETED or fname in spec.fields)


def entry_problem(e: object) -> str | None:
    """Why an entry's JSON object is malformed (its structure only; its value is checked by
    `canonical_value`), in Danish, or None."""
    if not isinstance(e, dict):
        return "ikke et objekt"
    if e.keys() != _ENTRY_KEYSET:
        extra = sorted(set(e) - _ENTRY_KEYSET)
        return f"ukendte felter {visible(extra, limit=80)}" if extra else "felter mangler"
    if entry_ok(e):
        return None
    for key in ("id", "device_id", "row_id", "action_id"):
        v = e[key]
        if not isinstance(v, str) or not UUID_RE.match(v):
            return f"«{key}» er ikke et gyldigt id"
    undo = e["undo_of"]
    if undo is not None and (not isinstance(undo, str) or not UUID_RE.match(undo)):
        return "«undo_of» er ikke et gyldigt id"
    hlc = e["hlc"]
    if not isinstance(hlc, str) or not HLC_RE.match(hlc):
        return "tidsstemplet er ugyldigt"
    if not HLC_MIN <= hlc[:13] < HLC_MAX:
        return (
            "tidsstemplet ligger uden for det gyldige tidsrum 2000-2199; bærbarens ur eller "
            "filen er forkert"
        )
    entity = e["entity"]
    if not isinstance(entity, str) or entity not in ENTITIES:
        return (
            f"ukendt type af data «{visible(entity, limit=40)}»; filen kan være fra en "
            "nyere version"
        )
    fname = e["field"]
    if not isinstance(fname, str) or (fname != DELETED and fname not in ENTITIES[entity].fields):
        return f"ukendt felt «{visible(fname, limit=40)}»; filen kan være fra en nyere version"
    for key in ("replaces", "covers"):
        lst = e[key]
        if (
            not isinstance(lst, list)
            or len(lst) > MAX_IDS
            or not all(isinstance(x, str) and UUID_RE.match(x) for x in lst)
        ):
            return f"«{key}» er ugyldig"
    return None


def canonical_value(entity: str, field: str, value: Any) -> Any:
    """An entry's value in the form the database stores and every file carries: the JSON
    form of `models.schema.validate_value(..., strict=True)` (text stripped and NFC, lists
    without duplicates, number lists sorted, a date as "YYYY-MM-DD"). Raise `ValidationError`
    (Danish, naming the field) for a value that cannot be made canonical: a wrong JSON type
    ("5" for a number, "ja" for yes/no, a Danish date), a text over its limit or with a control
    character, an unknown choice, null for a required field. The merge stores exactly this."""
    if field == DELETED:
        if type(value) is bool:
            return value
        raise ValidationError(
            "Feltet «Slettet» skal være sand eller falsk (true eller false).", field="Slettet"
        )
    if value is None:
        # The common empty field, without the trip through validate_value (same result).
        spec = ENTITIES[entity].fields[field]
        if spec.kind in LIST_KINDS and not spec.required:
            return []
        if spec.may_be_empty:
            return None
    return to_json(validate_value(entity, field, value, strict=True))


def value_text(value: Any) -> str | None:
    """An entry's JSON value as the change log stores it (JSON text, as `encode_value`
    writes it), or None for null."""
    # The common scalars without a trip through the JSON encoder (same text).
    if value is None:
        return None
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return str(value)
    return encode_value(value)


# --- labels ---------------------------------------------------------------------------------


def article_label(entity: str) -> str:
    """«et tegn» / «en enhed»."""
    spec = ENTITIES[entity]
    return f"{'et' if spec.neuter else 'en'} {spec.label}"


_DEFINITE = {"politik": "politikken", "Plan A-forskel": "Plan A-forskellen"}


def definite_label(entity: str) -> str:
    """«målplanen», «tegnet», «samarbejdet», «politikken» (after «på»: «ændring af «Navn» på
    enheden»)."""
    spec = ENTITIES[entity]
    label = spec.label
    if label in _DEFINITE:
        return _DEFINITE[label]
    ending = "t" if spec.neuter else "n"
    return label + (ending if label.endswith("e") else "e" + ending)


def field_label(entity: str, fname: str) -> str:
    """The Danish label of a field («Status» for the tombstone: «Status: slettet», not
    «Slettet: slettet»)."""
    if fname == DELETED:
        return "Status"
    spec = ENTITIES[entity].fields.get(fname)
    return spec.label if spec else fname


def display_value(entity: str, fname: str, value: Any, titles: dict[str, str] | None = None) -> str:
    """A value as the tovholder reads it: labels for choices, ja/nej, dates dd-mm-yyyy."""
    if fname == DELETED:
        return "slettet" if value else "ikke slettet"
    if value is None or value == [] or value == "":
        return "(tom)"
    spec = ENTITIES[entity].fields.get(fname)
    kind = spec.kind if spec else ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if kind == "enum":
        return enums.label(value)
    if kind == "date" and isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    if kind == "decimal" and isinstance(value, int | float):
        return format_decimal(value)
    if kind in ("ref", "reflist"):
        ids = value if isinstance(value, list) else [value]
        titles = titles or {}
        return ", ".join(titles.get(i) or i[:8] for i in ids)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


# --- reading in bulk ------------------------------------------------------------------------


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    """`items` in slices of at most `size`."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


def rows_by_id(
    conn: Connection, column: Column[Any], ids: Iterable[str], columns: Sequence[Column[Any]] = ()
) -> list[Row[Any]]:
    """The rows (`columns` of `column`'s table, by default `column` alone) whose `column` is
    one of `ids`. On SQLite IN queries of `CHUNK` ids, written out once and handed to the
    driver as they are: for a workshop's 80,000 change ids that is three times faster than
    through SQLAlchemy, which expands and binds every IN list anew, and than a temporary table
    joined once. On PostgreSQL one query (`id_filters`)."""
    cols = list(columns) or [column]
    found: list[Row[Any]] = []
    if conn.dialect.name == "postgresql":
        for where in id_filters(conn, column, ids):
            found.extend(conn.execute(select(*cols).where(where)).all())
        return found
    wanted = sorted(set(ids))
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    names = ", ".join(f'"{c.name}"' for c in cols)
    head = f'SELECT {names} FROM "{column.table.name}" WHERE "{column.name}" IN '
    for part in chunks(wanted, CHUNK):
        sql = head + "(" + ", ".join([mark] * len(part)) + ")"
        found.extend(conn.exec_driver_sql(sql, tuple(part)).all())
    return found


def existing(conn: Connection, column: Column[Any], ids: Iterable[str]) -> set[str]:
    """Which of `ids` occur in `column` (see `rows_by_id`)."""
    return {r[0] for r in rows_by_id(conn, column, ids)}


def heads(conn: Connection, entity: str, row_id: str, fname: str) -> list[str]:
    """The ids of a field's current heads."""
    return list(
        conn.execute(
            select(HEAD.c.change_id).where(
                HEAD.c.entity == entity, HEAD.c.row_id == row_id, HEAD.c.field == fname
            )
        ).scalars()
    )


_HEAD_QUERY = select(*(CHANGE.c[k] for k in ENTRY_KEYS)).join(HEAD, CHANGE.c.id == HEAD.c.change_id)


def heads_of_rows(
    conn: Connection,
    rows: Mapping[str, Collection[str]],
    fields: Mapping[str, set[str]] | None = None,
) -> dict[tuple[str, str], list[ChangeRow]]:
    """All current heads (their changes) of the given rows (ids per entity), keyed by (entity,
    row id); with `fields`, only the heads of those fields (per entity)."""
    out: dict[tuple[str, str], list[ChangeRow]] = {}
    make = ChangeRow._make
    for entity, ids in rows.items():
        only = [] if fields is None else [HEAD.c.field.in_(sorted(fields.get(entity, ())))]
        for where in id_filters(conn, HEAD.c.row_id, ids):
            query = _HEAD_QUERY.where(HEAD.c.entity == entity, where, *only)
            for r in conn.execute(query).all():
                out.setdefault((entity, r.row_id), []).append(make(r))
    return out


def winners(heads: Iterable[ChangeRow], fields: Container[str]) -> dict[str, ChangeRow]:
    """Per field of `fields`, the head with the greatest (hlc, id): the field's value."""
    best: dict[str, ChangeRow] = {}
    for h in heads:
        if h.field in fields:
            old = best.get(h.field)
            if old is None or (h.hlc, h.id) > (old.hlc, old.id):
                best[h.field] = h
    return best


# --- writing --------------------------------------------------------------------------------


def fast_insert(
    conn: Connection, table: Table, rows: Sequence[Sequence[Any]], cols: Sequence[str]
) -> None:
    """Insert many rows of plain columns, tuples in the order of `cols`. On SQLite straight
    through the driver: the change log of a whole workshop is tens of thousands of rows. On
    PostgreSQL with COPY (`copy_rows`), a few rows as one INSERT run."""
    if not rows:
        return
    if conn.dialect.name == "postgresql" and len(rows) >= COPY_FROM:
        copy_rows(conn, table, rows, cols)
        return
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    quoted = ", ".join(f'"{c}"' for c in cols)
    sql = f'INSERT INTO "{table.name}" ({quoted}) VALUES ({", ".join(mark for _ in cols)})'
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(sql, rows)
        return
    for part in chunks(rows, INSERT_CHUNK):
        conn.exec_driver_sql(sql, list(part))


def copy_rows(
    conn: Connection, table: Table, rows: Sequence[Sequence[Any]], cols: Sequence[str]
) -> None:
    """PostgreSQL: stream rows (tuples in the order of `cols`) with COPY, inside the open
    transaction. One command instead of one INSERT per row (a workshop pack is hundreds of
    thousands), and nothing is held as parameters."""
    quoted = ", ".join(f'"{c}"' for c in cols)
    raw: Any = conn.connection.driver_connection
    with raw.cursor() as cur, cur.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
        for r in rows:
            copy.write_row(r)


def drop_heads(conn: Connection, drops: Sequence[tuple[str, str, str, str]]) -> None:
    """Delete the heads (entity, row id, field, change id) that new changes replace: one
    prepared DELETE run for every head (psycopg pipelines them). A single DELETE joined with
    the heads as arrays was measured slower on PostgreSQL: the planner hashes all of
    `field_head` instead of looking the few thousand heads up in its key."""
    if not drops:
        return
    conn.execute(
        HEAD.delete().where(
            and_(
                HEAD.c.entity == bindparam("b_e"),
                HEAD.c.row_id == bindparam("b_r"),
                HEAD.c.field == bindparam("b_f"),
                HEAD.c.change_id == bindparam("b_c"),
            )
        ),
        [{"b_e": e, "b_r": r, "b_f": f, "b_c": c} for e, r, f, c in drops],
    )


def insert_changes(conn: Connection, rows: Sequence[ChangeRow]) -> None:
    """Append new changes to the change table (the first half of `append_changes`)."""
    fast_insert(conn, CHANGE, rows, ENTRY_KEYS)


def update_heads(
    conn: Connection,
    rows: Sequence[ChangeRow],
    known_rows: Mapping[str, Container[str]] | None = None,
) -> None:
    """Keep `superseded` and `field_head` true to changes just appended (the second half of
    `append_changes`): every change each of `rows` replaces is superseded and no longer a
    head of its field, and each of `rows` becomes a head of its field unless a change
    replaces it.

    `known_rows` (ids per entity) says which rows the database held before the changes came
    from elsewhere (a merge): only a change of such a row can replace one of the row's heads,
    or be replaced by a change the database knows. Without it the changes were just made here:
    no other change knows them yet."""
    replaced: set[str] = set()
    drops: list[tuple[str, str, str, str]] = []
    old: list[str] = []  # changes of known rows
    for r in rows:
        if known_rows is not None:
            if r.row_id not in known_rows.get(r.entity, ()):
                if r.replaces:
                    replaced.update(r.replaces.split())
                continue
            old.append(r.id)
        if r.replaces:
            ids = r.replaces.split()
            replaced.update(ids)
            drops.extend((r.entity, r.row_id, r.field, c) for c in ids)
    if replaced:
        already = existing(conn, SUPERSEDED.c.change_id, replaced)
        fast_insert(conn, SUPERSEDED, [(c,) for c in replaced - already], ("change_id",))
    drop_heads(conn, drops)
    superseded = replaced | existing(conn, SUPERSEDED.c.change_id, old) if old else replaced
    fast_insert(
        conn,
        HEAD,
        [(r.entity, r.row_id, r.field, r.id) for r in rows if r.id not in superseded],
        ("entity", "row_id", "field", "change_id"),
    )


def append_changes(
    conn: Connection,
    rows: Sequence[ChangeRow],
    known_rows: Mapping[str, Container[str]] | None = None,
) -> None:
    """Append changes to the change log and keep its heads true: the one writer of the log
    (`insert_changes`, then `update_heads`; `known_rows` as there)."""
    insert_changes(conn, rows)
    update_heads(conn, rows, known_rows)


def write_rows(
    conn: Connection,
    table: Table,
    inserts: Sequence[Mapping[str, Any]],
    updates: Mapping[tuple[str, ...], Sequence[tuple[Any, ...]]],
) -> None:
    """Write a domain table's new rows (whole rows) and changed rows ((id, *values) per
    tuple of changed fields). On PostgreSQL the new rows go in with COPY and each tuple of
    fields is one UPDATE joined with the values as arrays (unnest), instead of a statement
    per row. The values pass through the columns' own bind processors (JSON columns), so
    the stored values are the ones an ordinary INSERT or UPDATE would store."""
    if conn.dialect.name != "postgresql":
        if inserts:
            conn.execute(table.insert(), list(inserts))
        for fields, rows in updates.items():
            stmt = (
                table.update()
                .where(table.c.id == bindparam("b_id"))
                .values({f: bindparam(f"b_{f}") for f in fields})
            )
            names = ["b_id", *(f"b_{f}" for f in fields)]
            conn.execute(stmt, [dict(zip(names, r, strict=True)) for r in rows])
        return
    dialect = conn.dialect

    def bound(name: str, values: list[Any]) -> list[Any]:
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        return [process(v) for v in values] if process else values

    if inserts:
        names = [c.name for c in table.columns]
        columns = [bound(n, [r[n] for r in inserts]) for n in names]
        copy_rows(conn, table, list(zip(*columns, strict=True)), names)
    for fields, rows in updates.items():
        names = ["id", *fields]
        arrays = [bound(n, list(v)) for n, v in zip(names, zip(*rows, strict=True), strict=True)]
        types = [table.c[n].type.compile(dialect=dialect) for n in names]
        quoted = [f'"{n}"' for n in names]
        sets = ", ".join(f"{q} = v.{q}" for q in quoted[1:])
        unnest = ", ".join(f"%s::{t}[]" for t in types)
        sql = (
            f'UPDATE "{table.name}" AS t SET {sets} '
            f'FROM unnest({unnest}) AS v({", ".join(quoted)}) WHERE t."id" = v."id"'
        )
        conn.exec_driver_sql(sql, tuple(arrays))
