"""The merge's staging area: the new entries of the files being imported, parked in temporary
tables inside the import's transaction instead of in Python structures, and written to the
change log from there.

`merge_entry` holds every new entry of every file that passed its own checks (file number,
arrival number and the change-table columns, the value in canonical form); `merge_replaced`
the changes those entries replace, with the field they were replaced in. The checks that
span files look them up by id, a chunk at a time (`staged_changes`, `staged_replaced`).
Once the files are accepted, `order_entries` copies the entries to apply (each id once) to
`merge_row` in the apply's order (entity, row, arrival); `append` writes the change log, the
superseded ids and the field heads from it in a few set-based statements; the rows are then
worked out in Python from `row_batches`, a bounded batch of whole rows at a time. The tables
are made per import (`stage`) and dropped at its end; a rollback drops them as well."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import Column, Index, Integer, MetaData, Table, Text, delete, select
from sqlalchemy.engine import Connection

from .changes import ENTRY_KEYS, ChangeRow, Entry, fast_insert, row_table, rows_by_id
from .schema import ENTITIES

_META = MetaData()
_ENTRY_COLUMNS = [Column(k, Text) for k in ENTRY_KEYS]
ENTRY = Table(
    "merge_entry",
    _META,
    Column("seq", Integer, nullable=False),
    Column("file", Integer, nullable=False),
    *_ENTRY_COLUMNS,
    # The only index while files are staged: one more, filled in random order, was a fifth of
    # a ten-times merge (the apply's order comes from the sorted copy, `ROW`).
    Index("merge_entry_id", "id"),
    prefixes=["TEMPORARY"],
    postgresql_on_commit="DROP",
)
# The entries to apply, each id once, in the order the apply reads and writes them (entity,
# row, arrival): `n` numbers them so, and on SQLite it is the rowid, so reading in that order
# reads the table from start to end (an index in another order than the table fetches each
# entry from a random page of it).
ROW = Table(
    "merge_row",
    _META,
    Column("n", Integer, primary_key=True, autoincrement=False),
    Column("file", Integer, nullable=False),
    *(Column(k, Text) for k in ENTRY_KEYS),
    prefixes=["TEMPORARY"],
    postgresql_on_commit="DROP",
)
REPLACED = Table(
    "merge_replaced",
    _META,
    Column("change_id", Text, nullable=False),
    Column("file", Integer, nullable=False),
    Column("entity", Text, nullable=False),
    Column("row_id", Text, nullable=False),
    Column("field", Text, nullable=False),
    Index("merge_replaced_change_id", "change_id"),
    prefixes=["TEMPORARY"],
    postgresql_on_commit="DROP",
)
_STAGE_COLUMNS = ("seq", "file", *ENTRY_KEYS)
_REPLACED_COLUMNS = ("change_id", "file", "entity", "row_id", "field")


@contextmanager
def stage(conn: Connection) -> Iterator[None]:
    """The staging tables for the import running on `conn`, dropped after it."""
    for table in (ENTRY, REPLACED, ROW):
        table.drop(conn, checkfirst=True)
        table.create(conn)
    try:
        yield
    finally:
        if not conn.invalidated and conn.in_transaction():
            for table in (ENTRY, REPLACED, ROW):
                table.drop(conn, checkfirst=True)


def add_file(conn: Connection, file: int, first_seq: int, entries: Sequence[Entry]) -> None:
    """Stage a file's new entries (in canonical form) and the changes they replace."""
    rows = [(first_seq + i, file, *e.row()) for i, e in enumerate(entries)]
    fast_insert(conn, ENTRY, rows, _STAGE_COLUMNS)
    replaced = [(r, file, e.entity, e.row_id, e.field) for e in entries for r in e.replaces]
    fast_insert(conn, REPLACED, replaced, _REPLACED_COLUMNS)


def drop_files(conn: Connection, files: Iterable[int]) -> None:
    """Take the staged entries of refused files out again."""
    numbers = sorted(set(files))
    if numbers:
        conn.execute(delete(ENTRY).where(ENTRY.c.file.in_(numbers)))
        conn.execute(delete(REPLACED).where(REPLACED.c.file.in_(numbers)))


def staged_changes(conn: Connection, ids: Iterable[str]) -> dict[str, tuple[int, ChangeRow]]:
    """Of `ids`, those staged by a file: (the first file staging it, its change row)."""
    columns = [ENTRY.c.file, *(ENTRY.c[k] for k in ENTRY_KEYS)]
    found: dict[str, tuple[int, ChangeRow]] = {}
    for r in sorted(rows_by_id(conn, ENTRY.c.id, ids, columns), key=lambda r: int(r[0])):
        row = ChangeRow._make(tuple(r)[1:])
        found.setdefault(row.id, (int(r[0]), row))
    return found


def staged_replaced(conn: Connection, ids: Iterable[str]) -> dict[str, tuple[str, str, str]]:
    """Of `ids`, those a staged entry replaces: the field (entity, row id, field) it was
    replaced in (by the first file, when several)."""
    columns = [REPLACED.c[k] for k in _REPLACED_COLUMNS]
    found: dict[str, tuple[str, str, str]] = {}
    rows = [tuple(r) for r in rows_by_id(conn, REPLACED.c.change_id, ids, columns)]
    for change_id, _, entity, row_id, fname in sorted(rows, key=lambda r: int(r[1])):
        found.setdefault(change_id, (entity, row_id, fname))
    return found


def order_entries(conn: Connection) -> dict[int, tuple[int, str]]:
    """Once the files are checked (and the refused ones dropped, `drop_files`): copy the staged
    entries to `ROW` in the apply's order, each id once, from the first file staging it (an
    entry is new in that file and known in every later one; `_check_file` refuses another
    content under a staged id). Returns per file (its new entries, their greatest hlc)."""
    columns = ", ".join(f'"{k}"' for k in ENTRY_KEYS)
    repeated = conn.exec_driver_sql(
        "SELECT id FROM merge_entry GROUP BY id HAVING count(*) > 1 LIMIT 1"
    ).first()
    first = (
        " WHERE NOT EXISTS (SELECT 1 FROM merge_entry AS other "
        "WHERE other.id = merge_entry.id AND other.file < merge_entry.file)"
        if repeated is not None
        else ""
    )
    conn.exec_driver_sql(
        f"INSERT INTO merge_row (n, file, {columns}) "
        f"SELECT row_number() OVER (ORDER BY entity, row_id, seq), file, {columns} "
        f"FROM merge_entry{first}"
    )
    ENTRY.drop(conn)  # its pages are free for what follows
    rows = conn.exec_driver_sql("SELECT file, count(*), max(hlc) FROM merge_row GROUP BY file")
    return {int(r[0]): (int(r[1]), str(r[2])) for r in rows}


def row_batches(conn: Connection, size: int) -> Iterator[list[tuple[int, ChangeRow]]]:
    """The entries to apply (`order_entries`) as (file, its change row), grouped by row, in
    batches of whole rows: a batch is closed at the first row boundary after `size` entries,
    so a row's new entries are always applied together."""
    query = (
        select(ROW.c.file, *(ROW.c[k] for k in ENTRY_KEYS))
        .order_by(ROW.c.n)
        .execution_options(stream_results=True, yield_per=max(size, 100))
    )
    batch: list[tuple[int, ChangeRow]] = []
    last: tuple[str, str] | None = None
    make = ChangeRow._make
    for part in conn.execute(query).partitions():
        for r in part:
            row = make(r[1:])
            key = (row.entity, row.row_id)
            if len(batch) >= size and key != last:
                yield batch
                batch = []
            last = key
            batch.append((r[0], row))
    if batch:
        yield batch


def _known_row(entity: str) -> str:
    """SQL: the entry `e`'s row is in the database (its entity's table)."""
    table = row_table(entity).name
    return f'EXISTS (SELECT 1 FROM "{table}" AS t WHERE t.id = e.row_id)'


def append(conn: Connection) -> None:
    """Append the entries to apply (`order_entries`) to the change log and keep its heads
    true, as `models.changes.update_heads` does for a merge, in four statements instead of a
    round of Python per batch: every change an entry replaces is superseded and no longer a
    head of its field; an entry becomes a head unless an entry of the import replaces it or,
    in a row the database has, a known change does. Run before any domain row is written:
    the domain tables tell the rows the database has.

    The change log and the heads are written in the order of their (entity, row) indexes: at
    ten times the data these land all over a large database, and in order each index page is
    visited once instead of once an entry."""
    columns = ", ".join(f'"{k}"' for k in ENTRY_KEYS)
    if conn.dialect.name == "postgresql":
        # Without statistics the planner takes the temporary tables for huge and compiles
        # these statements to machine code first (JIT): 2.7 of the 3.8 s of the heads' insert
        # for a workshop. With them, and without JIT for the rest of the import's transaction,
        # they run as planned for their size.
        conn.exec_driver_sql("SET LOCAL jit = off")
        conn.exec_driver_sql("ANALYZE merge_row, merge_replaced")
    conn.exec_driver_sql(
        f'INSERT INTO "change" ({columns}) SELECT {columns} FROM merge_row ORDER BY n'
    )
    conn.exec_driver_sql(
        "INSERT INTO superseded (change_id) SELECT DISTINCT change_id FROM merge_replaced AS r "
        "WHERE NOT EXISTS (SELECT 1 FROM superseded AS s WHERE s.change_id = r.change_id) "
        "ORDER BY change_id"
    )
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            "DELETE FROM field_head AS h USING merge_replaced AS r WHERE h.entity = r.entity "
            "AND h.row_id = r.row_id AND h.field = r.field AND h.change_id = r.change_id"
        )
    else:
        conn.exec_driver_sql(
            "DELETE FROM field_head WHERE (entity, row_id, field, change_id) IN "
            "(SELECT entity, row_id, field, change_id FROM merge_replaced)"
        )
    # A known change replaced the entry (rare): a head only in a row the database lacks. The
    # CASE looks the row up in its entity's table, and only then.
    known_row = " ".join(f"WHEN '{entity}' THEN {_known_row(entity)}" for entity in ENTITIES)
    conn.exec_driver_sql(
        "INSERT INTO field_head (entity, row_id, field, change_id) "
        "SELECT e.entity, e.row_id, e.field, e.id FROM merge_row AS e "
        "WHERE NOT EXISTS (SELECT 1 FROM merge_replaced AS r WHERE r.change_id = e.id) "
        "AND NOT (EXISTS (SELECT 1 FROM superseded AS s WHERE s.change_id = e.id) "
        f"AND CASE e.entity {known_row} ELSE TRUE END) "
        "ORDER BY e.n"
    )
