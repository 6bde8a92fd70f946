"""Applying imported change logs: the union of change logs, with a preview and a report.

The files are read and checked by their reader (`exports.bundle.import_bundles`), which hands
them over as `ChangeFile`s. Applying a remote change C that is not known yet follows the rules
in `models.store` (written by `models.changes`, and for a merge by `models.merge_stage`):
insert C; add C.replaces to `superseded` and drop them from `field_head`; add C as a head
unless some known change replaced it; then set the row's field to the value of the head with
the greatest (hlc, id), inserting the row with its defaults first when it is new. Every file
of one import is applied in one transaction, so a rejected file changes nothing. Because the
result only depends on the *set* of changes, the same files in any order, any number of
times, give the same state.

A conflict is never settled here (`models.conflicts`). Pure Python; no user-interface imports.

How memory is bounded (issue 17). Nothing holds every entry of an import at once:

- A `ChangeFile`'s entries are an iterable its reader fills as it reads the file
  (`exports.bundle.read_change_file`): one file's bytes, never all files' entries.
- The checks read each file a chunk of `CHECK_CHUNK` entries at a time, looking the chunk's
  ids up in the database (tampering, known changes) and in the files checked before it, which
  are not kept in Python but staged in temporary tables inside the import's transaction
  (`models.merge_stage`). What one file needs for its own checks (its new entries, the rows
  it needs and creates) is held while that file is checked; the rows (not entries) each file
  needs and creates are kept for the checks across files (`_check_references`,
  `_check_lineage`).
- The change log, the superseded ids and the field heads are written from the staging
  tables in a few set-based statements (`merge_stage.append`, with the rules of
  `changes.update_heads`), in the order of the (entity, row) indexes. Then the apply reads the
  entries back grouped by row, `MERGE_BATCH` entries at a time (`merge_stage.row_batches`),
  and works out the rows with the same rules (`_apply`). A batch always holds all the new
  entries of the rows it touches, so winners, new rows, changed fields and conflicts come out
  the same whatever the batch size; only the order of the preview's lines follows the
  batches.
- Everything stays one transaction: a refusal (or a dry run) rolls back the staging tables
  with everything else.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, closing, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from . import changes, merge_stage
from .changes import (
    CHANGE,
    ENTRY_KEYS,
    UUID_RE,
    ChangeRow,
    Entry,
    article_label,
    canonical_value,
    display_value,
    field_label,
    heads_of_rows,
    row_table,
    value_text,
    winners,
)
from .conflicts import open_keys, orphans, row_conflicts
from .consolidation import DEVICE, LEDGER, clock_warning
from .db import Database, id_filters, write_begin
from .errors import FILE_CONTENT_ERRORS, UdviklingsdagError, ValidationError
from .memory import collector_paused, each_paused
from .rules import record_problem
from .schema import DELETED, ENTITIES, decode_value
from .store import Store, database_of, new_id
from .visible import visible
from .words import count

# SQLite page cache during a merge, in KiB: 32 MB more at the peak, which stays below 300 MB
# for 40 files of 2,000 entries (docs/benchmark.md).
MERGE_CACHE_KIB = 32 * 1024
STAGE_CACHE_KIB = 4 * 1024  # the same for the staged entries (`models.merge_stage`)
# New entries applied together (whole rows, `merge_stage.row_batches`) and entries of a file
# checked together: what bounds the merge's memory (see the module's text).
MERGE_BATCH = 5000
CHECK_CHUNK = 5000
# MERGE_COLLECTOR: each file is checked and each batch of rows applied with the garbage
# collector paused (`models.memory`). A merge makes hundreds of thousands of entries and rows
# that hold no cycles, and the collector's passes walked everything the process had loaded: a
# tenth of a workshop's merge (40 handoff files, 4.5 → 4.1 s). After each file or batch a pass
# over what it made collects its few objects in cycles (the database driver's), so they are not
# kept to the end of the merge: its memory does not grow with the number of files
# (`tests/test_merge_batches.py`).
# Preview lines kept per file (the counts are always complete), and for all the files of one
# import together: a workshop's 40 files keep every line up to 500 each, while a whole year's
# laptops at once get fewer per file (at least 50), so the preview does not grow with the number
# of files (400 files kept 120,000 lines, some 18 MB at the merge's peak).
MAX_ITEMS_PER_FILE = 500
MAX_ITEMS = 20_000
MIN_ITEMS_PER_FILE = 50
_VALUE = ENTRY_KEYS.index("value")  # the value's place in a change-table row


class MergeError(UdviklingsdagError):
    """A file cannot be merged (unknown references, invalid values). Nothing was changed."""


class ForeignFileError(MergeError):
    """The files in `paths` seem to come from another database (another municipality's or
    workshop's): nothing was changed. Import them again with `allow_foreign=True` once the
    user has confirmed (`--fremmed` on the command line, a question in the app)."""

    def __init__(self, message: str, paths: Sequence[Path]) -> None:
        super().__init__(message)
        self.paths = list(paths)


@dataclass(frozen=True)
class ChangeFile:
    """A file of change-log entries as its reader hands it over (its digest checked; each
    entry's structure checked as `entries` is read): what `import_files` applies."""

    path: Path
    sha256: str
    kind: str  # "pack" or "handoff"
    device_id: str  # the writer
    device_name: str
    received: int  # entries in the file
    # As in the file; empty when `skipped`. Any iterable: the reader may read the file again
    # each time it is iterated (an error it raises meanwhile refuses the file).
    entries: Iterable[Entry]
    # (id, name) of every device whose entries the file holds (the writer first).
    devices: tuple[tuple[str, str], ...] = ()
    # The file was imported before (its digest is in the ledger): only its manifest was read.
    skipped: bool = False
    # The writer's clock minus this laptop's when the file was read, in seconds.
    clock_offset: int | None = None


# --- results -----------------------------------------------------------------------------------


@dataclass(slots=True)
class PreviewItem:
    """One line of the preview: a new row, a changed field or a conflict."""

    kind: str  # "ny", "ændret", "slettet", "konflikt"
    entity: str
    row_id: str
    field: str
    title: str
    before: str = ""
    after: str = ""

    @property
    def entity_label(self) -> str:
        """The entity's Danish label («tegn»)."""
        return ENTITIES[self.entity].label

    @property
    def field_label(self) -> str:
        """The field's Danish label."""
        return field_label(self.entity, self.field)


@dataclass
class FileResult:
    """What one file brought (or why it was refused)."""

    path: Path
    sha256: str = ""
    kind: str = ""
    device_id: str = ""
    device_name: str = ""
    received: int = 0
    new: int = 0
    known: int = 0
    conflicts: int = 0
    new_rows: int = 0
    changed_fields: int = 0
    status: str = "importeret"  # "importeret", "kendt", "afvist"
    error: str | None = None
    items: list[PreviewItem] = field(default_factory=list)
    item_limit: int = MAX_ITEMS_PER_FILE  # preview lines kept (`import_bundles` sets it)
    # From another database lineage, imported (or previewed) after confirmation
    # (`import_bundles(..., allow_foreign=True)`).
    foreign: bool = False
    # The writer's clock minus this laptop's clock when the file was read, in seconds (the
    # manifest's `created_at` against now): positive when the writer's clock runs ahead.
    clock_offset: int | None = None

    @property
    def rejected(self) -> bool:
        return self.status == "afvist"

    @property
    def items_left_out(self) -> int:
        """The preview lines not kept (beyond `item_limit`); the counts include them."""
        return max(0, self.new_rows + self.changed_fields + self.conflicts - len(self.items))

    @property
    def clock_warning(self) -> str | None:
        """«uret på Bord 3 går 73 år for hurtigt», when the writer's clock is far off."""
        return clock_warning(self.device_name, self.clock_offset)

    def to_json(self) -> dict[str, Any]:
        """The file's numbers for `bundle import --json`."""
        return {
            "file": str(self.path),
            "sha256": self.sha256,
            "kind": self.kind,
            "device_id": self.device_id,
            "device_name": self.device_name,
            "status": self.status,
            "error": self.error,
            "received": self.received,
            "new": self.new,
            "known": self.known,
            "conflicts": self.conflicts,
            "new_rows": self.new_rows,
            "changed_fields": self.changed_fields,
            "foreign": self.foreign,
        }


@dataclass
class ImportReport:
    """The result (or, with `dry_run`, the preview) of importing some files."""

    files: list[FileResult]
    dry_run: bool = False
    open_conflicts: int = 0
    # Distinct conflicts the imported entries take part in (a conflict between two of the
    # files counts once here, and once in each file's own number).
    conflicts: int = 0
    conflict_keys: set[tuple[str, str]] = field(default_factory=set, repr=False)

    def _sum(self, name: str) -> int:
        return sum(getattr(f, name) for f in self.files if not f.rejected)

    @property
    def received(self) -> int:
        return self._sum("received")

    @property
    def new(self) -> int:
        return self._sum("new")

    @property
    def known(self) -> int:
        return self._sum("known")

    @property
    def new_rows(self) -> int:
        return self._sum("new_rows")

    @property
    def changed_fields(self) -> int:
        return self._sum("changed_fields")

    @property
    def rejected(self) -> list[FileResult]:
        return [f for f in self.files if f.rejected]

    def to_json(self) -> dict[str, Any]:
        """One object for `bundle import --json`."""
        return {
            "dry_run": self.dry_run,
            "received": self.received,
            "new": self.new,
            "known": self.known,
            "conflicts": self.conflicts,
            "open_conflicts": self.open_conflicts,
            "new_rows": self.new_rows,
            "changed_fields": self.changed_fields,
            "rejected": len(self.rejected),
            "files": [f.to_json() for f in self.files],
        }

    def summary_lines(self) -> list[str]:
        """Danish lines for the command line and the status of the consolidation view."""
        if self.dry_run:
            # Nothing is saved yet: say what the import would do, not what happened.
            lines = [
                f"Prøveimport (intet er gemt endnu): filer {len(self.files)}, ændringer i "
                f"filerne {self.received}. Importen ville give: nye {self.new}, kendte i "
                f"forvejen {self.known}, konflikter {self.conflicts}.",
            ]
        else:
            lines = [
                f"Import: filer {len(self.files)}, ændringer modtaget {self.received}, nye "
                f"{self.new}, kendte i forvejen {self.known}, konflikter {self.conflicts}.",
            ]
        for f in self.files:
            if f.rejected:
                lines.append(f"  AFVIST {visible(f.path.name)}: {f.error}")
            else:
                got = "i filen" if self.dry_run else "modtaget"
                lines.append(
                    f"  {visible(f.path.name)} fra «{visible(f.device_name)}»: {got} "
                    f"{f.received}, nye {f.new}, kendte {f.known}, nye rækker {f.new_rows}, "
                    f"ændrede felter {f.changed_fields}, konflikter {f.conflicts}."
                )
                if f.foreign:
                    lines.append(
                        "    Filen kommer fra en anden database og importeres efter bekræftelse."
                    )
                if f.clock_warning:
                    lines.append(f"    Bemærk: {f.clock_warning}.")
        if self.open_conflicts and self.dry_run:
            lines.append(
                f"Efter importen ville databasen have åbne konflikter: {self.open_conflicts}."
            )
        elif self.open_conflicts:
            lines.append(f"Åbne konflikter i databasen nu: {self.open_conflicts}.")
        return lines


# --- applying -----------------------------------------------------------------------------------


@contextmanager
def _page_cache(conn: Connection) -> Iterator[None]:
    """A larger SQLite page cache while a merge runs: a workshop's change rows go into six
    indexes each, and with SQLite's default 2 MB most index pages are evicted and read back
    between two inserts (measured: the change insert takes a third less time with 32 MB).
    The same for the temporary tables the merge stages its entries in (`models.merge_stage`),
    whose id index is filled in random order. Set back afterwards, since the connection
    returns to the pool. The caches are bounded, whatever the size of the import."""
    if conn.dialect.name != "sqlite":
        yield
        return
    before = {
        schema: int(conn.exec_driver_sql(f"PRAGMA {schema}.cache_size").scalar() or -2000)
        for schema in ("main", "temp")
    }
    conn.exec_driver_sql(f"PRAGMA main.cache_size={-MERGE_CACHE_KIB}")
    conn.exec_driver_sql(f"PRAGMA temp.cache_size={-STAGE_CACHE_KIB}")
    try:
        yield
    finally:
        for schema, size in before.items():
            conn.exec_driver_sql(f"PRAGMA {schema}.cache_size={size}")


class _Rollback(Exception):
    """Raised inside the transaction of a dry run so that nothing is kept."""


def imported_digests(db: Database | Store) -> set[str]:
    """The digests (SHA-256) of every file imported before: a reader need not check their
    entries one by one again."""
    with database_of(db).engine.connect() as conn:
        return set(conn.execute(select(LEDGER.c.sha256).distinct()).scalars())


def import_files(
    db: Database | Store,
    files: Sequence[ChangeFile | FileResult],
    *,
    dry_run: bool = False,
    skip_rejected: bool = False,
    allow_foreign: bool = False,
) -> ImportReport:
    """Apply files of change-log entries to a database, in one transaction; a `FileResult`
    among `files` stands for a file its reader refused (reported as it is).

    A file with a bad entry raises `MergeError` and changes nothing, unless `skip_rejected` is
    set: then it is reported as «afvist» in the result and the other files are imported. With
    `dry_run` the result is a preview and the database is left as it was. Pass the `Store` when
    the app holds one: the merge then waits for its writers, and its clock moves past the
    imported timestamps (at most `models.clock.MAX_AHEAD_MILLIS` ahead of its wall clock).

    A file from another database lineage (see `_check_lineage`) raises `ForeignFileError`
    (a `MergeError`; with `skip_rejected` it is «afvist»), in a dry run too, unless
    `allow_foreign` is set after the user confirmed; then it is merged and marked
    `FileResult.foreign`. No other exception than `UdviklingsdagError`s comes out for any file
    content."""
    database = database_of(db)
    results: list[FileResult] = []
    accepted: list[tuple[FileResult, ChangeFile]] = []
    for f in files:
        if isinstance(f, FileResult):
            results.append(f)
            continue
        res = FileResult(f.path, f.sha256, f.kind, f.device_id, f.device_name, received=f.received)
        res.clock_offset = f.clock_offset
        results.append(res)
        accepted.append((res, f))
    limit = min(MAX_ITEMS_PER_FILE, max(MIN_ITEMS_PER_FILE, MAX_ITEMS // max(1, len(accepted))))
    for res, _ in accepted:
        res.item_limit = limit
    report = ImportReport(results, dry_run=dry_run)
    # A Store serialises this process's writers; the merge joins that queue.
    lock: AbstractContextManager[Any] = db.lock if isinstance(db, Store) else nullcontext()
    max_hlc = ""
    try:
        with lock, write_begin(database.engine) as conn, _page_cache(conn):
            # Files imported before bring nothing (`_import` skips them): no orphans to compare.
            anything = any(not f.skipped for _, f in accepted)
            orphans_before = set(orphans(conn)) if anything else set()
            max_hlc = _import(
                conn, accepted, skip_rejected, report, database.device_id, allow_foreign
            )
            if anything:
                # A row added under a row deleted elsewhere is a conflict the heads do not show.
                added = set(orphans(conn)) - orphans_before - report.conflict_keys
                report.conflicts += len(added)
            if not dry_run:
                _register(conn, accepted)
            report.open_conflicts = len(open_keys(conn))
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    except FILE_CONTENT_ERRORS as exc:
        # The checks above should have refused the file with a precise message; this net keeps
        # the promise that no file content ends in a traceback or «uventet fejl».
        raise MergeError(
            "Filerne kan ikke indlæses: de indeholder noget, som udviklingsdag ikke forventer "
            f"({type(exc).__name__}). Bed om nye filer fra de bærbare, og meld gerne fejlen. "
            "Intet er ændret."
        ) from exc
    except IntegrityError as exc:
        # The deferred foreign keys are the last line of defence; the checks in `_import`
        # should have caught the file first.
        if "foreign key" in str(exc.orig).lower():
            raise MergeError(
                "Filerne henviser til rækker, som ikke findes i databasen. Importér først "
                "workshop-pakken eller de filer, de bygger på. Intet er ændret."
            ) from None
        raise MergeError(
            "Filerne passer ikke sammen med databasen (en række mangler felter, den skal "
            "have). Importér først workshop-pakken. Intet er ændret."
        ) from None
    if not dry_run and isinstance(db, Store) and max_hlc:
        db.clock.observe(max_hlc)
    return report


def _reject(res: FileResult, message: str, skip_rejected: bool) -> None:
    if not skip_rejected:
        raise MergeError(message)
    res.status, res.error = "afvist", message


def _known_changes(conn: Connection, ids: Iterable[str]) -> dict[str, tuple[Any, ...]]:
    """The change-table rows (in the order of `ENTRY_KEYS`) of those of `ids` the database
    holds: what a file's known entries are compared with (tampering)."""
    found: dict[str, tuple[Any, ...]] = {}
    columns = [CHANGE.c[k] for k in ENTRY_KEYS]
    for r in changes.rows_by_id(conn, CHANGE.c.id, ids, columns):
        # `Store` writes JSON null as the text "null", the merge as SQL NULL: the same value.
        found[r[0]] = r if r[_VALUE] != "null" else (*r[:_VALUE], None, *r[_VALUE + 1 :])
    return found


def _same_change(entry: Entry, stored: tuple[Any, ...]) -> bool:
    """Whether a file's entry is the change the database (or an earlier file) holds under
    its id: the same content once its value is in canonical form."""
    if entry.row() == stored:
        return True
    try:
        canon = canonical_value(entry.entity, entry.field, entry.value)
    except ValidationError:
        return False
    row = entry._replace(value=canon).row()
    if row == stored:
        return True
    # The database may hold the change as an older version stored it, before values were
    # made canonical («abc » for «abc»): the same change, not tampering.
    try:
        text = stored[_VALUE]
        value = None if text is None else json.loads(text)
        old = canonical_value(entry.entity, entry.field, value)
    except (ValidationError, ValueError):
        return False
    return row == (*stored[:_VALUE], value_text(old), *stored[_VALUE + 1 :])


def _import(
    conn: Connection,
    files: list[tuple[FileResult, ChangeFile]],
    skip_rejected: bool,
    report: ImportReport,
    own_device: str = "",
    allow_foreign: bool = False,
) -> str:
    """Apply the files' new entries; fill in each FileResult. Returns the greatest hlc.

    Every new entry is stored in canonical form (`models.changes.canonical_value`); a file
    is refused whole when an entry cannot be made canonical, when a new entry claims this
    database's own device, when an entry's id is known with other content (in the database
    or in an earlier file of this import), when it refers to rows nobody has, or, unless
    `allow_foreign`, when it comes from another database (`ForeignFileError`). An error its
    reader raises while the entries are read (`UdviklingsdagError`) refuses the file too."""
    imported = set(conn.execute(select(LEDGER.c.sha256).distinct()).scalars())
    # Entries of files imported before are all known (the change log never shrinks), so a
    # re-import skips the lookups.
    fresh = [(r, f) for r, f in files if r.sha256 not in imported]
    for res, _ in files:
        if res.sha256 in imported:
            res.known, res.status = res.received, "kendt"
    if not fresh:
        return ""
    with merge_stage.stage(conn):
        candidates = _accepted(conn, fresh, skip_rejected, own_device, allow_foreign)
        # Only now, among the accepted files, is an entry «new» in the first file that has it
        # (`row_batches` gives each id once, from that file).
        by_number = {number: res for res, number in candidates}
        max_hlc = ""
        for number, (new, hlc) in merge_stage.order_entries(conn).items():
            by_number[number].new = new
            max_hlc = max(max_hlc, hlc)
        # The change log and its heads in a few set-based statements; then the rows.
        merge_stage.append(conn)
        found: set[tuple[str, str]] = set()
        # The collector paused per batch (`MERGE_COLLECTOR`); closed on an error too, which
        # resumes it.
        with closing(each_paused(merge_stage.row_batches(conn, MERGE_BATCH))) as batches:
            for batch in batches:
                owner = {r.id: by_number[number] for number, r in batch}
                rows = [r for _, r in batch]
                found.update((e, r) for e, r, _ in _apply(conn, rows, owner))
        for res, _ in candidates:
            res.known = res.received - res.new
            if not res.new:
                res.status = "kendt"
        report.conflict_keys = found
        report.conflicts = len(found)
        return max_hlc


def _accepted(
    conn: Connection,
    fresh: list[tuple[FileResult, ChangeFile]],
    skip_rejected: bool,
    own_device: str,
    allow_foreign: bool,
) -> list[tuple[FileResult, int]]:
    """Check the files, each alone and then together (references, lineage); the accepted
    files with their numbers, their new entries staged (`models.merge_stage`)."""
    candidates, needs, linked = _check_files(conn, fresh, skip_rejected, own_device)
    staged = {number for _, number in candidates}
    candidates, in_db = _check_references(conn, candidates, needs, skip_rejected)
    candidates = _check_lineage(
        conn, candidates, in_db, needs, linked, skip_rejected, allow_foreign
    )
    merge_stage.drop_files(conn, staged - {number for _, number in candidates})
    return candidates


def _check_files(
    conn: Connection,
    fresh: list[tuple[FileResult, ChangeFile]],
    skip_rejected: bool,
    own_device: str,
) -> tuple[list[tuple[FileResult, int]], dict[int, tuple[_Rows, _Rows]], set[int]]:
    """Read and check each file's entries, a chunk at a time, and stage the new entries of
    the files that pass (`models.merge_stage`). Returns the files that passed with their
    numbers, per file (id of its FileResult) the rows it needs and the rows it creates, and
    the files sharing a change with the database (ids of their FileResults)."""
    candidates: list[tuple[FileResult, int]] = []
    needs: dict[int, tuple[_Rows, _Rows]] = {}
    linked: set[int] = set()  # files sharing a change with the database
    names: dict[int, str] = {}
    seq = 0
    for number, (res, change_file) in enumerate(fresh):
        names[number] = visible(res.path.name)
        try:
            with collector_paused(then_young=True):  # `MERGE_COLLECTOR`
                checked = _check_file(conn, number, change_file.entries, names, own_device)
        except UdviklingsdagError as exc:  # the reader refused the file as it read it
            if not skip_rejected:
                raise
            checked = str(exc)
        if isinstance(checked, str):
            _reject(res, checked, skip_rejected)
            continue
        unknown, shares = checked
        merge_stage.add_file(conn, number, seq, unknown)
        seq += len(unknown)
        needs[id(res)] = _needs(unknown)
        if shares or not unknown:
            linked.add(id(res))
        candidates.append((res, number))
    return candidates, needs, linked


def _check_file(
    conn: Connection,
    number: int,
    entries: Iterable[Entry],
    names: dict[int, str],
    own_device: str,
) -> tuple[list[Entry], bool] | str:
    """Check one file's entries against the database and the files staged before it: its
    new entries in canonical form (each id once) and whether it shares a change with the
    database, or the message refusing the file. Holds one file's new entries; the database
    and the staged files are looked up a chunk of entries at a time."""
    name = names[number]
    unknown: list[Entry] = []
    mine: dict[str, Entry] = {}  # this file's new entries, by id
    replacing: dict[str, tuple[str, str, str]] = {}  # the ids this file replaces
    shares = False
    n = 0
    for chunk in _chunks(entries, CHECK_CHUNK):
        known = _known_changes(conn, (e.id for e in chunk))
        ids = {e.id for e in chunk if e.id not in known}
        ids.update(r for e in chunk for r in e.replaces)
        # The first (canonical) new entry under each id among the files staged before, and
        # the field each id was replaced in by them: what this file's entries must agree with.
        first = merge_stage.staged_changes(conn, ids)
        replaced_in = merge_stage.staged_replaced(conn, (e.id for e in chunk))
        for e in chunk:
            n += 1
            cid = e.id
            stored = known.get(cid)
            if stored is not None:
                shares = True
                if not _same_change(e, stored):
                    return _tampered(name, n, e, "databasen har")
                continue
            try:
                canon = canonical_value(e.entity, e.field, e.value)
            except ValidationError as exc:
                entity, flabel = e.labels
                return (
                    f"Filen {name} kan ikke indlæses: ændring nr. {n} ({entity}, feltet "
                    f"«{flabel}») har en ugyldig værdi: {exc} Filen er ændret "
                    "eller ikke lavet af udviklingsdag; bed om en ny fil fra bærbaren. Intet er "
                    "ændret."
                )
            if canon is not e.value and canon != e.value:
                e = e._replace(value=canon)
            mine_earlier = mine.get(cid)
            if mine_earlier is not None:
                if mine_earlier.row() != e.row():
                    return _tampered(name, n, e, "filen selv har")
                continue  # the same entry twice in one file
            staged = first.get(cid)
            if staged is not None and staged[1] != e.row():
                return _tampered(name, n, e, f"filen {names[staged[0]]} har")
            problem = _replaces_problem(name, n, e, mine, first, replaced_in, replacing)
            if problem is not None:
                return problem
            if e.device_id == own_device:
                return (
                    f"Filen {name} kan ikke indlæses: ændring nr. {n} siger, at den er lavet på "
                    "denne bærbare, men databasen kender den ikke. Filen er ændret eller "
                    "forfalsket, eller databasen er lagt tilbage fra en ældre kopi; importér "
                    "ikke filen her, og spørg den, der sendte den. Intet er ændret."
                )
            mine[cid] = e
            unknown.append(e)
    problem = _missing_required(name, unknown)
    if problem is not None:
        return problem
    return unknown, shares


def _chunks(entries: Iterable[Entry], size: int) -> Iterator[list[Entry]]:
    """`entries` (read as they come) in lists of at most `size`."""
    chunk: list[Entry] = []
    for e in entries:
        chunk.append(e)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _replaces_problem(
    name: str,
    n: int,
    e: Entry,
    mine: dict[str, Entry],
    first: dict[str, tuple[int, ChangeRow]],
    replaced_in: dict[str, tuple[str, str, str]],
    replacing: dict[str, tuple[str, str, str]],
) -> str | None:
    """A message when a new entry replaces itself, or replaces (or is replaced by) a new entry
    of another field: a change only ever replaces changes of its own field. Such an entry
    would take a value away from another field (a new mål left without its målsætning).
    `first` holds the new entries staged by earlier files (`merge_stage.staged_changes`);
    `replaced_in` and `replacing` map a replaced id to the field it was replaced in (by the
    earlier files, by this file); `e`'s are added to `replacing`."""
    key = e.key
    wrong = e.id in e.replaces
    for r in e.replaces:
        mine_other = mine.get(r)
        staged = first.get(r)
        if mine_other is not None:
            other = mine_other.key
        elif staged is not None:
            other = (staged[1].entity, staged[1].row_id, staged[1].field)
        else:
            continue
        if other != key:
            wrong = True
    earlier = replaced_in.get(e.id) or replacing.get(e.id)
    if earlier is not None and earlier != key:
        wrong = True
    for r in e.replaces:
        replacing.setdefault(r, key)
    if not wrong:
        return None
    entity, flabel = e.labels
    return (
        f"Filen {name} kan ikke indlæses: ændring nr. {n} ({entity}, feltet «{flabel}») "
        "erstatter sig selv eller en ændring af et andet felt, hvad udviklingsdag aldrig "
        "skriver. Filen er ændret eller forfalsket; importér den ikke, og bed om en ny fil fra "
        "bærbaren. Intet er ændret."
    )


# The entities whose new rows the merge checks by `rules.record_problem`.
_RECORD_RULED = frozenset({"maaling", "laering"})


@cache
def _required(entity: str) -> tuple[str, ...]:
    return tuple(f for f, spec in ENTITIES[entity].fields.items() if spec.required)


def _missing_required(name: str, entries: list[Entry]) -> str | None:
    """A message when the file creates a row without a value for one of its required fields
    (`Store.create` writes every field in the same action, so a file that creates a row holds
    them all; a row created without them would get empty defaults: a målplan without enhed).
    Only entries that no entry of the file replaces count: entries that replace each other in
    a circle would leave the field without any value as well."""
    born: list[tuple[str, str]] = []
    has: set[tuple[str, str, str]] = set()
    values: dict[tuple[str, str], dict[str, Any]] = defaultdict(dict)
    replaced = {r for e in entries for r in e.replaces}
    for e in entries:
        if e.id not in replaced:
            has.add(e.key)
            values[(e.entity, e.row_id)][e.field] = e.value
        if e.field == DELETED and e.value is False and not e.replaces:
            born.append((e.entity, e.row_id))
    for entity, rid in born:
        for fname in _required(entity):
            if (entity, rid, fname) not in has:
                return (
                    f"Filen {name} kan ikke indlæses: den opretter {article_label(entity)} uden "
                    f"feltet «{field_label(entity, fname)}», som skal udfyldes. Filen er ændret "
                    "eller ikke lavet af udviklingsdag; bed om en ny fil fra bærbaren. Intet er "
                    "ændret."
                )
        # The rules of a whole new record of the year's data (a læring needs a prøvehandling
        # or a målplan, a måling a value or an observation), as the app checks them when the
        # row is typed. (Not a samarbejde's: files from before that rule may hold one.)
        if entity not in _RECORD_RULED:
            continue
        problem = record_problem(entity, values[(entity, rid)], new=True)
        if problem is not None:
            return (
                f"Filen {name} kan ikke indlæses: den opretter {article_label(entity)}, som "
                f"udviklingsdag ikke kan gemme: {problem[1]} Filen er ændret eller ikke lavet af "
                "udviklingsdag; bed om en ny fil fra bærbaren. Intet er ændret."
            )
    return None


def _tampered(name: str, n: int, entry: Entry, where: str) -> str:
    entity, flabel = entry.labels
    return (
        f"Filen {name} kan ikke indlæses: ændring nr. {n} ({entity}, feltet «{flabel}») "
        f"har samme id som en ændring, {where}, men et andet indhold. Filen er ændret eller "
        "forfalsket; importér den ikke, og bed om en ny fil fra bærbaren. Intet er ændret."
    )


_Row = int | tuple[str, str]
_Rows = set[_Row]  # rows, as `_row_key` makes them

_ENTITY_NUMBERS = {name: n for n, name in enumerate(ENTITIES)}
_ENTITY_NAMES = tuple(ENTITIES)
_ID_BITS = 128


def _row_key(entity: str, row_id: str) -> _Row:
    """A row as one int: its entity's number above the 128 bits of its id. The rows every
    file of an import needs and creates are kept until all files are checked (a ten-times
    workshop: 203,000 of them, 36 MB as (entity, id) tuples of strings, 23 MB as ints). An id
    that is not a canonical UUID (lower-case hex in 8-4-4-4-12, as every entry's ids are
    checked to be) stays such a tuple, which no int equals."""
    number = _ENTITY_NUMBERS.get(entity)
    if number is None or not UUID_RE.match(row_id):
        return (entity, row_id)
    return (number << _ID_BITS) | int(row_id.replace("-", ""), 16)


def _row_of(key: _Row) -> tuple[str, str]:
    """(entity, row id) of a `_row_key`."""
    if isinstance(key, tuple):
        return key
    h = f"{key & ((1 << _ID_BITS) - 1):032x}"
    return _ENTITY_NAMES[key >> _ID_BITS], f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _check_lineage(
    conn: Connection,
    candidates: list[tuple[FileResult, int]],
    in_db: _Rows,
    needs: dict[int, tuple[_Rows, _Rows]],
    linked: set[int],
    skip_rejected: bool,
    allow_foreign: bool,
) -> list[tuple[FileResult, int]]:
    """Find the files from another database lineage and refuse them (`ForeignFileError`)
    unless `allow_foreign`; with it, mark them (`FileResult.foreign`).

    A database with no change at all accepts anything (a new laptop loading its pack). Else a
    file belongs when one of its entries is a change the database has, or touches or points
    at a row the database has, or a row another belonging file of the same import creates
    (a handoff imported together with the pack it builds on), or when its writer is a laptop
    the database already knows. A file that shares none of that comes from another
    municipality's or workshop's database: merging it would mix two workshops silently."""
    if not candidates or conn.execute(select(CHANGE.c.id).limit(1)).first() is None:
        return candidates
    known_devices = set(conn.execute(select(DEVICE.c.id)).scalars())
    belongs = {
        id(res)
        for res, _ in candidates
        if id(res) in linked or res.device_id in known_devices or needs[id(res)][0] & in_db
    }
    changed = True
    while changed:
        changed = False
        born = {k for res, _ in candidates if id(res) in belongs for k in needs[id(res)][1]}
        for res, _ in candidates:
            if id(res) not in belongs and needs[id(res)][0] & born:
                belongs.add(id(res))
                changed = True
    foreign = [res for res, _ in candidates if id(res) not in belongs]
    if not foreign:
        return candidates
    if allow_foreign:
        for res in foreign:
            res.foreign = True
        return candidates
    names = ", ".join(visible(res.path.name) for res in foreign)
    message = (
        f"{'Filen' if len(foreign) == 1 else 'Filerne'} {names} ser ud til at komme fra en "
        "anden database (en anden kommunes eller en anden workshops): ingen af "
        f"{'dens' if len(foreign) == 1 else 'deres'} ændringer rører ved noget, denne "
        "database kender. Er du sikker på, at den hører til her, så bekræft importen: "
        "«--fremmed» på kommandolinjen, eller svar ja, når programmet spørger. Intet er ændret."
    )
    if not skip_rejected:
        raise ForeignFileError(message, [res.path for res in foreign])
    for res in foreign:
        # `foreign` on a refused file: the app asks and previews again with allow_foreign.
        res.status, res.error, res.foreign = "afvist", message, True
    return [(r, n) for r, n in candidates if not r.rejected]


def _needs(entries: list[Entry]) -> tuple[_Rows, _Rows]:
    """(rows these entries need to exist, rows they bring into existence)."""
    need: _Rows = set()
    born: _Rows = set()
    # One key object per row for both sets: they are kept for every file of an import.
    one: dict[tuple[str, str], _Row] = {}
    for e in entries:
        entity, fname, value = e.entity, e.field, e.value
        row = (entity, e.row_id)
        key = one.get(row)
        if key is None:
            key = one[row] = _row_key(entity, e.row_id)
        if fname == DELETED and not e.replaces and value is False:
            # The creation of a row (Store.create writes `deleted = false` replacing nothing).
            born.add(key)
        elif fname == DELETED:
            need.add(key)
        else:
            need.add(key)
            spec = ENTITIES[entity].fields[fname]
            if value and spec.kind == "ref":
                assert spec.ref is not None
                need.add(_row_key(spec.ref, value))
            elif value and spec.kind == "reflist":
                assert spec.ref is not None
                need.update(_row_key(spec.ref, v) for v in value)
    return need, born


def _check_references(
    conn: Connection,
    per_file: list[tuple[FileResult, int]],
    needs: dict[int, tuple[_Rows, _Rows]],
    skip_rejected: bool,
) -> tuple[list[tuple[FileResult, int]], _Rows]:
    """Refuse files that point at rows neither the database nor the accepted files hold.
    Files may depend on each other, so a refusal is re-checked until nothing changes.
    `needs` holds per file (id of its FileResult) the rows it needs and the rows it creates.
    Returns (the accepted files, the needed rows the database has)."""
    all_needed: dict[str, set[_Row]] = defaultdict(set)
    for need, _ in needs.values():
        for key in need:
            entity = key[0] if isinstance(key, tuple) else _ENTITY_NAMES[key >> _ID_BITS]
            all_needed[entity].add(key)
    in_db: _Rows = set()
    for entity, keys in all_needed.items():
        ids = (_row_of(key)[1] for key in keys)
        in_db.update(
            _row_key(entity, r) for r in changes.existing(conn, row_table(entity).c.id, ids)
        )
    accepted = list(per_file)
    while True:
        available = set(in_db)
        for res, _ in accepted:
            available |= needs[id(res)][1]
        bad = [(res, needs[id(res)][0] - available) for res, _ in accepted]
        bad = [(res, missing) for res, missing in bad if missing]
        if not bad:
            return accepted, in_db
        for res, missing in bad:
            entity, _ = min(_row_of(key) for key in missing)
            _reject(
                res,
                f"Filen {visible(res.path.name)} henviser til {count('raekke', len(missing))}, som "
                f"databasen ikke kender (fx {article_label(entity)}). Importér først "
                "workshop-pakken eller den fil, den bygger på, og prøv igen. Intet er ændret.",
                skip_rejected,
            )
        accepted = [(r, n) for r, n in accepted if not r.rejected]


def _apply(
    conn: Connection, rows: list[ChangeRow], owner: dict[str, FileResult]
) -> set[tuple[str, str, str]]:
    """Apply new changes (none known to the database, in canonical form, all the new changes
    of the rows they touch, already in the change log with their heads: `merge_stage.append`)
    to the rows, following the change-log rules. Returns the conflicts these changes take
    part in."""
    touched: dict[str, set[str]] = defaultdict(set)
    keys: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in rows:
        touched[r.entity].add(r.row_id)
        keys[(r.entity, r.row_id)].add(r.field)
    # Rows the database has already; every other row's changes are all in this batch, so
    # its heads follow from the changes alone (no lookups for the bulk of a workshop).
    existing = {
        entity: changes.existing(conn, row_table(entity).c.id, ids)
        for entity, ids in touched.items()
    }
    replaced = {c for r in rows if r.replaces for c in r.replaces.split()}
    all_heads: dict[tuple[str, str], list[ChangeRow]] = defaultdict(list)
    titles: dict[tuple[str, str], str] = {}
    inserts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    # The fields these changes set in rows the database has (and always the tombstone).
    fields: dict[str, set[str]] = defaultdict(lambda: {DELETED})
    for r in rows:
        if r.row_id in existing[r.entity]:
            fields[r.entity].add(r.field)
        elif r.id not in replaced:
            # No known change can have replaced a change of a row the database lacks; the
            # change is a head (`merge_stage.append` wrote it so).
            all_heads[(r.entity, r.row_id)].append(r)
    for entity, ids in touched.items():
        for rid in ids - existing[entity]:
            won = winners(all_heads[(entity, rid)], keys[(entity, rid)])
            row = {k: list(v) if isinstance(v, list) else v for k, v in _defaults(entity).items()}
            row.update({f: decode_value(entity, f, h.value) for f, h in won.items()})
            row["id"] = rid
            if row.get(DELETED) is None:
                row[DELETED] = False
            inserts[entity].append(row)
            titles[(entity, rid)] = _title(entity, row)
            res = owner.get(won[DELETED].id) if DELETED in won else None
            if res is not None:
                res.new_rows += 1
                _item(res, "ny", entity, rid, "", titles[(entity, rid)])

    # The heads of the rows the database has: of the fields these entries change, and the
    # tombstones. A row with a tombstone among its heads gets all its heads, since a
    # «sletning» conflict lists the edits of every field (`row_conflicts`); the heads of the
    # other fields neither win a field here nor make a conflict the new entries take part in.
    old_rows = {k: v for k, v in existing.items() if v}
    old_heads = heads_of_rows(conn, old_rows, fields)
    tombstoned: dict[str, set[str]] = defaultdict(set)
    for (entity, rid), hs in old_heads.items():
        if any(h.field == DELETED and h.value == "true" for h in hs):
            tombstoned[entity].add(rid)
    old_heads.update(heads_of_rows(conn, tombstoned))
    all_heads.update(old_heads)

    for entity in touched:
        table = row_table(entity)
        current: dict[str, dict[str, Any]] = {}
        for where in id_filters(conn, table.c.id, existing[entity]):
            for mapping in conn.execute(select(table).where(where)).mappings():
                current[mapping["id"]] = dict(mapping)
        updates: dict[tuple[str, ...], list[tuple[Any, ...]]] = defaultdict(list)
        listed: list[tuple[FileResult, str, str, str, str, Any, Any]] = []
        for rid in existing[entity]:
            won = winners(old_heads.get((entity, rid), []), keys[(entity, rid)])
            values = {f: decode_value(entity, f, h.value) for f, h in won.items()}
            old = current[rid]
            changed = {f: v for f, v in values.items() if old.get(f) != v}
            titles[(entity, rid)] = title = _title(entity, {**old, **changed})
            if not changed:
                continue
            updates[tuple(sorted(changed))].append((rid, *(changed[f] for f in sorted(changed))))
            for f, v in changed.items():
                res = owner.get(won[f].id)
                if res is None:
                    continue
                res.changed_fields += 1
                kind = ("slettet" if v else "gendannet") if f == DELETED else "ændret"
                if len(res.items) < res.item_limit:
                    listed.append((res, kind, rid, f, title, old.get(f), v))
        # References shown by what they name (a bord's mål by their text), not by their ids.
        named = _ref_titles(conn, entity, [(f, a, b) for _r, _k, _i, f, _t, a, b in listed], titles)
        for res, kind, rid, f, title, before, after in listed:
            _item(
                res,
                kind,
                entity,
                rid,
                f,
                title,
                display_value(entity, f, before, named),
                display_value(entity, f, after, named),
            )
        changes.write_rows(conn, table, inserts[entity], updates)

    # Conflicts that this import's entries take part in, counted per file.
    found: set[tuple[str, str, str]] = set()
    for (entity, rid), heads_row in all_heads.items():
        for _kind, fname, hs in row_conflicts(entity, rid, heads_row):
            files = {id(owner[h.id]): owner[h.id] for h in hs if h.id in owner}
            if files:
                found.add((entity, rid, fname))
            for res in files.values():
                res.conflicts += 1
                # Oldest first, as the conflict view shows them (not in the database's order).
                shown = " / ".join(
                    display_value(entity, h.field, decode_value(entity, h.field, h.value))
                    for h in sorted(hs, key=lambda h: (h.field != DELETED, h.hlc, h.id))
                )
                _item(res, "konflikt", entity, rid, fname, titles.get((entity, rid), ""), "", shown)
    return found


@cache
def _defaults(entity: str) -> dict[str, Any]:
    """A new row's column values before any change is applied (the model's defaults)."""
    spec = ENTITIES[entity]
    out: dict[str, Any] = {name: f.new_value for name, f in spec.fields.items()}
    out[DELETED] = False
    return out


def _title(entity: str, row: dict[str, Any]) -> str:
    value = row.get(ENTITIES[entity].title_field)
    return str(value) if value else ""


def _ref_titles(
    conn: Connection,
    entity: str,
    values: list[tuple[str, Any, Any]],
    known: dict[tuple[str, str], str],
) -> dict[str, str]:
    """The titles (cut short) of the rows the reference fields among `values` ((field,
    before, after) of `entity`) point at: from `known` (rows of this import) or the
    database, a query per entity pointed at."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for fname, before, after in values:
        spec = ENTITIES[entity].fields.get(fname)
        if spec is None or spec.kind not in ("ref", "reflist") or spec.ref is None:
            continue
        for value in (before, after):
            listed = value if isinstance(value, list) else [value]
            wanted[spec.ref].update(i for i in listed if isinstance(i, str))
    out: dict[str, str] = {}
    for target, ids in wanted.items():
        missing = set()
        for i in ids:
            if title := known.get((target, i)):
                out[i] = title
            else:
                missing.add(i)
        field_name = ENTITIES[target].title_field
        if not missing or not field_name:
            continue
        table = row_table(target)
        for where in id_filters(conn, table.c.id, missing):
            for rid, title in conn.execute(select(table.c.id, table.c[field_name]).where(where)):
                if title:
                    out[rid] = str(title)
    return {i: visible(" ".join(t.split()), 40) for i, t in out.items()}


def _item(
    res: FileResult,
    kind: str,
    entity: str,
    rid: str,
    fname: str,
    title: str,
    before: str = "",
    after: str = "",
) -> None:
    if len(res.items) < res.item_limit:
        res.items.append(PreviewItem(kind, entity, rid, fname, title, before, after))


def _register(conn: Connection, files: list[tuple[FileResult, ChangeFile]]) -> None:
    """Record remote devices and one ledger row per accepted file."""
    now = datetime.now().isoformat(timespec="seconds")
    for res, change_file in files:
        if res.rejected:
            continue
        for dev_id, navn in change_file.devices:
            row = conn.execute(
                select(DEVICE.c.navn, DEVICE.c.is_local).where(DEVICE.c.id == dev_id)
            ).first()
            if row is None:
                conn.execute(DEVICE.insert().values(id=dev_id, navn=navn, is_local=False))
            elif not row.is_local and dev_id == res.device_id and navn and row.navn != navn:
                conn.execute(DEVICE.update().where(DEVICE.c.id == dev_id).values(navn=navn))
        conn.execute(
            LEDGER.insert().values(
                id=new_id(),
                sha256=res.sha256,
                # A name the system could not decode (surrogates) cannot be stored as it is.
                filnavn=res.path.name.encode("utf-8", "replace").decode("utf-8"),
                kind=res.kind,
                device_id=res.device_id,
                device_navn=res.device_name,
                imported_at=now,
                received=res.received,
                new=res.new,
                known=res.known,
                conflicts=res.conflicts,
                clock_offset=res.clock_offset,
            )
        )
