"""The merge's staging area: the new entries of the files being imported, parked in temporary
tables inside the import's transaction instead of in Python structures.

`merge_entry` holds every new entry of every file that passed its own checks (file number,
arrival number and the change-table columns, the value in canonical form); `merge_replaced`
the changes those entries replace, with the field they were replaced in. The checks that
span files look them up by id, a chunk at a time (`staged_changes`, `staged_replaced`); the
apply reads them back grouped by row (`row_batches`), a bounded batch at a time. Both tables
are made per import (`stage`) and dropped at its end; a rollback drops them as well.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import Column, Index, Integer, MetaData, Table, Text, delete, select
from sqlalchemy.engine import Connection

from .changes import ENTRY_KEYS, ChangeRow, Entry, fast_insert, row_table, rows_by_id

_META = MetaData()
_ENTRY_COLUMNS = [Column(k, Text) for k in ENTRY_KEYS]
ENTRY = Table(
    "merge_entry",
    _META,
    Column("seq", Integer, nullable=False),
    Column("file", Integer, nullable=False),
    *_ENTRY_COLUMNS,
    Index("merge_entry_id", "id"),
    # The apply reads the entries in this order (`row_batches`): an index, not a sort, which
    # would hold as much memory as the main database's page cache.
    Index("merge_entry_row", "entity", "row_id", "seq"),
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
    for table in (ENTRY, REPLACED):
        table.drop(conn, checkfirst=True)
        table.create(conn)
    try:
        yield
    finally:
        if not conn.invalidated and conn.in_transaction():
            for table in (ENTRY, REPLACED):
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


def row_batches(conn: Connection, size: int) -> Iterator[list[tuple[int, ChangeRow]]]:
    """The staged new entries (each id once after `keep_first`) as (file, its change row),
    grouped by row, in batches of whole rows: a batch is closed at the first row boundary after
    `size` entries, so a row's new entries are always applied together."""
    query = (
        select(ENTRY.c.file, *(ENTRY.c[k] for k in ENTRY_KEYS))
        .order_by(ENTRY.c.entity, ENTRY.c.row_id, ENTRY.c.seq)
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


def keep_first(conn: Connection) -> None:
    """Leave each staged id once, in the first file staging it (among the files still staged):
    an entry is new in that file, and known in every later one. Run once the refused files are
    dropped (`drop_files`); a later file's copy is the same change (`_check_file` refuses
    another content under a staged id)."""
    conn.exec_driver_sql(
        "DELETE FROM merge_entry WHERE EXISTS (SELECT 1 FROM merge_entry AS other "
        "WHERE other.id = merge_entry.id AND other.file < merge_entry.file)"
    )


def new_per_file(conn: Connection) -> dict[int, tuple[int, str]]:
    """Per file: (its new entries, their greatest hlc), after `keep_first`."""
    rows = conn.exec_driver_sql("SELECT file, count(*), max(hlc) FROM merge_entry GROUP BY file")
    return {int(r[0]): (int(r[1]), str(r[2])) for r in rows}


_CHANGE_COLUMNS = ", ".join(f'"{k}"' for k in ENTRY_KEYS)


def append(conn: Connection) -> None:
    """Append the staged entries (each id once, `keep_first`) to the change log and keep its
    heads true, as `models.changes.update_heads` does for a merge, in a few statements instead
    of a round of Python per batch: every change a staged entry replaces is superseded and no
    longer a head of its field; a staged entry becomes a head unless a staged entry replaces
    it or, in a row the database has, a known change does. Run before any domain row is
    written: the domain tables tell the rows the database has.

    The change log and the heads are written in the order of their (entity, row) indexes: at
    ten times the data these land all over a large database, and in order each index page is
    visited once instead of once an entry."""
    conn.exec_driver_sql(
        f'INSERT INTO "change" ({_CHANGE_COLUMNS}) SELECT {_CHANGE_COLUMNS} FROM merge_entry '
        "ORDER BY entity, row_id, seq"
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
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    entities = list(conn.exec_driver_sql("SELECT DISTINCT entity FROM merge_entry").scalars())
    for entity in entities:
        table = row_table(entity)
        conn.exec_driver_sql(
            "INSERT INTO field_head (entity, row_id, field, change_id) "
            "SELECT e.entity, e.row_id, e.field, e.id FROM merge_entry AS e "
            f"WHERE e.entity = {mark} "
            "AND NOT EXISTS (SELECT 1 FROM merge_replaced AS r WHERE r.change_id = e.id) "
            "AND (NOT EXISTS (SELECT 1 FROM superseded AS s WHERE s.change_id = e.id) "
            f'OR NOT EXISTS (SELECT 1 FROM "{table.name}" AS t WHERE t.id = e.row_id)) '
            "ORDER BY e.entity, e.row_id, e.field, e.id",
            (entity,),
        )
