"""Importing bundles: the union of change logs, with a preview, conflicts and a ledger.

Applying a remote change C that is not known yet follows the rules in `models.store`:
insert C; add C.replaces to `superseded` and drop them from `field_head`; add C as a head
unless some known change replaced it; then set the row's field to the value of the head with
the greatest (hlc, id), inserting the row with its defaults first when it is new. Every file of
one import is applied in one transaction, so a rejected file changes nothing. Because the
result only depends on the *set* of changes, the same files in any order, any number of times,
give the same state.

A conflict is never settled here: a field with several heads whose values differ, or a row
deleted on one laptop while edited on another, stays open until the tovholder picks a value
(`resolve_conflict`), which is itself a change.

Also here: the read side of the consolidation view (ledger per device, gaps, the enheder by
niveau matrix). Pure Python; no user-interface imports.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict, namedtuple
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from . import enums
from .clock import to_seconds
from .db import ID_CHUNK, Database, bytewise, id_filters, write_begin
from .errors import FILE_CONTENT_ERRORS, UdviklingsdagError
from .schema import DELETED, ENTITIES, decode_value
from .store import Store, _column_default, new_id
from .tables import (
    Bord,
    Change,
    Device,
    Enhed,
    FieldHead,
    ImportLedger,
    Maal,
    Maalsaetning,
    Proevehandling,
    Samarbejde,
    Superseded,
    Tegn,
)
from .visible import visible

CHANGE = Change.__table__
HEAD = FieldHead.__table__
SUPERSEDED = Superseded.__table__
DEVICE = Device.__table__
LEDGER = ImportLedger.__table__
CHUNK = ID_CHUNK  # ids per IN (...) query on SQLite
INSERT_CHUNK = 5000  # rows per executemany on PostgreSQL (psycopg holds every parameter)
# SQLite page cache during a merge, in KiB: 32 MB more at the peak, which stays below 300 MB
# for 40 files of 2,000 entries (docs/benchmark.md).
MERGE_CACHE_KIB = 32 * 1024
MAX_ITEMS_PER_FILE = 500  # preview lines kept per file (the counts are always complete)

KIND_FIELD = "felt"
KIND_DELETE = "sletning"


class MergeError(UdviklingsdagError):
    """A file cannot be merged (unknown references, invalid values). Nothing was changed."""


class ForeignFileError(MergeError):
    """The files in `paths` seem to come from another database (another municipality's or
    workshop's): nothing was changed. Import them again with `allow_foreign=True` once the
    user has confirmed (`--fremmed` on the command line, a question in the app)."""

    def __init__(self, message: str, paths: Sequence[Path]) -> None:
        super().__init__(message)
        self.paths = list(paths)


# --- results -----------------------------------------------------------------------------------


@dataclass
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
        return ENTITIES[self.entity].label

    @property
    def field_label(self) -> str:
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
        head = "Prøveimport (intet er gemt)" if self.dry_run else "Import"
        lines = [
            f"{head}: filer {len(self.files)}, ændringer modtaget {self.received}, nye "
            f"{self.new}, kendte i forvejen {self.known}, konflikter {self.conflicts}.",
        ]
        for f in self.files:
            if f.rejected:
                lines.append(f"  AFVIST {visible(f.path.name)}: {f.error}")
            else:
                lines.append(
                    f"  {visible(f.path.name)} fra «{visible(f.device_name)}»: modtaget "
                    f"{f.received}, nye {f.new}, kendte {f.known}, nye rækker {f.new_rows}, "
                    f"ændrede felter {f.changed_fields}, konflikter {f.conflicts}."
                )
                if f.foreign:
                    lines.append(
                        "    Filen kommer fra en anden database og importeres efter bekræftelse."
                    )
                if f.clock_warning:
                    lines.append(f"    Bemærk: {f.clock_warning}.")
        if self.open_conflicts:
            lines.append(f"Åbne konflikter i databasen: {self.open_conflicts}.")
        return lines


# --- small helpers ------------------------------------------------------------------------------


def _database(db: Any) -> Database:
    return getattr(db, "db", db)


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _existing(conn: Connection, column: Any, ids: Iterable[str]) -> set[str]:
    """Which of `ids` occur in `column`. On SQLite IN queries of `CHUNK` ids, written out
    once and handed to the driver as they are: for a workshop's 80,000 change ids that is
    three times faster than through SQLAlchemy, which expands and binds every IN list anew,
    and than a temporary table joined once. On PostgreSQL one query (`id_filters`)."""
    found: set[str] = set()
    if conn.dialect.name == "postgresql":
        for where in id_filters(conn, column, ids):
            found.update(conn.execute(select(column).where(where)).scalars())
        return found
    wanted = sorted(set(ids))
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    head = f'SELECT "{column.name}" FROM "{column.table.name}" WHERE "{column.name}" IN '
    for part in _chunks(wanted, CHUNK):
        sql = head + "(" + ", ".join([mark] * len(part)) + ")"
        found.update(r[0] for r in conn.exec_driver_sql(sql, tuple(part)))
    return found


def field_label(entity: str, fname: str) -> str:
    """The Danish label of a field («Slettet» for the tombstone)."""
    if fname == DELETED:
        return "Slettet"
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
    if kind == "date" and hasattr(value, "strftime"):
        return value.strftime("%d-%m-%Y")
    if kind in ("ref", "reflist"):
        ids = value if isinstance(value, list) else [value]
        titles = titles or {}
        return ", ".join(titles.get(i) or i[:8] for i in ids)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _time(hlc: str) -> str:
    return datetime.fromtimestamp(to_seconds(hlc)).strftime("%d-%m-%Y kl. %H:%M")


@contextmanager
def _locked(db: Any) -> Iterator[None]:
    # A Store serialises this process's writers; the merge joins that queue.
    lock = getattr(db, "_lock", None)
    with lock if lock is not None else nullcontext():
        yield


@contextmanager
def _page_cache(conn: Connection) -> Iterator[None]:
    """A larger SQLite page cache while a merge runs: a workshop's change rows go into six
    indexes each, and with SQLite's default 2 MB most index pages are evicted and read back
    between two inserts (measured: the change insert takes a third less time with 32 MB).
    Set back afterwards, since the connection returns to the pool."""
    if conn.dialect.name != "sqlite":
        yield
        return
    before = int(conn.exec_driver_sql("PRAGMA cache_size").scalar() or -2000)
    conn.exec_driver_sql(f"PRAGMA cache_size={-MERGE_CACHE_KIB}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={before}")


class _Rollback(Exception):
    """Raised inside the transaction of a dry run so that nothing is kept."""


# --- import ---------------------------------------------------------------------------------


def import_bundles(
    db: Database | Store,
    paths: Sequence[Path | str],
    *,
    dry_run: bool = False,
    skip_rejected: bool = False,
    allow_foreign: bool = False,
) -> ImportReport:
    """Import bundle files (workshop packs or handoff files) into a database.

    All accepted files are applied in one transaction. A bad file raises `BundleError` or
    `MergeError` and changes nothing, unless `skip_rejected` is set: then it is reported as
    «afvist» in the result and the other files are imported. With `dry_run` the result is a
    preview and the database is left as it was. Pass the `Store` when the app holds one, so
    its clock moves past the imported timestamps (at most `models.clock.MAX_AHEAD_MILLIS`
    ahead of its wall clock).

    A file from another database lineage (see `_check_lineage`) raises `ForeignFileError`
    (a `MergeError`; with `skip_rejected` it is «afvist»), in a dry run too, unless
    `allow_foreign` is set after the user confirmed; then it is merged and marked
    `FileResult.foreign`. No other exception than `UdviklingsdagError`s comes out for any file
    content."""
    from exports.bundle import BundleError, read_bundle

    from .db import intact_check_meanwhile

    database = _database(db)
    # Never into a damaged file: the check runs while the files are read and checked.
    intact = intact_check_meanwhile(database, during="Der er ikke importeret noget.")
    with database.engine.connect() as conn:
        imported = set(conn.execute(select(LEDGER.c.sha256).distinct()).scalars())
    results: list[FileResult] = []
    bundles: list[tuple[FileResult, Any]] = []
    for p in paths:
        path = Path(p)
        try:
            bundle = read_bundle(path, trusted=imported, skip_known=True)
        except BundleError as exc:
            if not skip_rejected:
                raise
            results.append(FileResult(path, status="afvist", error=str(exc)))
            continue
        info = bundle.info
        res = FileResult(
            path, info.sha256, info.kind, info.device_id, info.device_name, received=info.entries
        )
        res.clock_offset = clock_offset(info.created_at)
        results.append(res)
        bundles.append((res, bundle))

    intact()
    report = ImportReport(results, dry_run=dry_run)
    max_hlc = ""
    try:
        with _locked(db), write_begin(database.engine) as conn, _page_cache(conn):
            # Files imported before bring nothing (`_import` skips them): no orphans to compare.
            anything = any(not b.entries_skipped for _, b in bundles)
            orphans_before = set(_orphans(conn)) if anything else set()
            max_hlc = _import(
                conn, bundles, skip_rejected, report, database.device_id, allow_foreign
            )
            if anything:
                # A row added under a row deleted elsewhere is a conflict the heads do not show.
                orphans = set(_orphans(conn)) - orphans_before - report.conflict_keys
                report.conflicts += len(orphans)
            if not dry_run:
                _register(conn, bundles)
            report.open_conflicts = len(_conflict_keys(conn))
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    except FILE_CONTENT_ERRORS as exc:
        # The checks above should have refused the file with a precise message; this net keeps
        # the promise that no file content ends in a traceback or «uventet fejl».
        raise MergeError(
            "Filerne kan ikke indlæses: de indeholder noget, som udviklingsdag ikke forventer "
            f"({type(exc).__name__}). Bed om nye filer fra bærbarene, og meld gerne fejlen. "
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
    clock = getattr(db, "clock", None)
    if not dry_run and clock is not None and max_hlc:
        clock.observe(max_hlc)
    return report


def _reject(res: FileResult, message: str, skip_rejected: bool) -> None:
    if not skip_rejected:
        raise MergeError(message)
    res.status, res.error = "afvist", message


def _known_changes(conn: Connection, ids: Iterable[str]) -> dict[str, tuple[Any, ...]]:
    """The change-table rows (in the order of `exports.bundle.ENTRY_KEYS`) of those of `ids`
    the database holds: what a file's known entries are compared with (tampering)."""
    from exports.bundle import ENTRY_KEYS

    found: dict[str, tuple[Any, ...]] = {}
    if conn.dialect.name != "sqlite":
        cols = [CHANGE.c[k] for k in ENTRY_KEYS]
        rows: Iterable[Any] = (
            r
            for where in id_filters(conn, CHANGE.c.id, ids)
            for r in conn.execute(select(*cols).where(where))
        )
    else:
        wanted = sorted(set(ids))
        names = ", ".join(f'"{k}"' for k in ENTRY_KEYS)
        head = f'SELECT {names} FROM "change" WHERE "id" IN ('
        rows = (
            r
            for part in _chunks(wanted, CHUNK)
            for r in conn.exec_driver_sql(head + ", ".join("?" * len(part)) + ")", tuple(part))
        )
    for r in rows:
        # `Store` writes JSON null as the text "null", the merge as SQL NULL: the same value.
        found[r[0]] = tuple(r) if r[_VALUE] != "null" else (*r[:_VALUE], None, *r[_VALUE + 1 :])
    return found


def _same_change(entry: dict[str, Any], stored: tuple[Any, ...]) -> bool:
    """Whether a file's entry is the change the database (or an earlier file) holds under
    its id: the same content once its value is in canonical form."""
    from exports.bundle import ValidationError, canonical_value, entry_row, entry_value_text

    if entry_row(entry) == stored:
        return True
    try:
        canon = canonical_value(entry)
    except ValidationError:
        return False
    row = entry_row({**entry, "value": canon})
    if row == stored:
        return True
    # The database may hold the change as an older version stored it, before values were
    # made canonical («abc » for «abc»): the same change, not tampering.
    try:
        text = stored[_VALUE]
        old = canonical_value({**entry, "value": None if text is None else json.loads(text)})
    except (ValidationError, ValueError):
        return False
    return row == (*stored[:_VALUE], entry_value_text({"value": old}), *stored[_VALUE + 1 :])


def _a(entity: str) -> str:
    """«et tegn» / «en enhed»."""
    spec = ENTITIES[entity]
    return f"{'et' if spec.neuter else 'en'} {spec.label}"


def _entry_label(entry: dict[str, Any]) -> tuple[str, str]:
    """(«et tegn» / «en enhed», the field's label) of an entry the reader accepted."""
    return _a(entry["entity"]), field_label(entry["entity"], entry["field"])


def _import(
    conn: Connection,
    bundles: list[tuple[FileResult, Any]],
    skip_rejected: bool,
    report: ImportReport,
    own_device: str = "",
    allow_foreign: bool = False,
) -> str:
    """Apply the files' new entries; fill in each FileResult. Returns the greatest hlc.

    Every new entry is stored in canonical form (`exports.bundle.canonical_value`); a file
    is refused whole when an entry cannot be made canonical, when a new entry claims this
    database's own device, when an entry's id is known with other content (in the database
    or in an earlier file of this import), when it refers to rows nobody has, or, unless
    `allow_foreign`, when it comes from another database (`ForeignFileError`)."""
    from exports.bundle import ValidationError, canonical_value, entry_row

    imported = set(conn.execute(select(LEDGER.c.sha256).distinct()).scalars())
    # Entries of files imported before are all known (the change log never shrinks), so a
    # re-import skips the lookups.
    fresh = [(r, b) for r, b in bundles if r.sha256 not in imported]
    for res, _ in bundles:
        if res.sha256 in imported:
            res.known, res.status = res.received, "kendt"
    known = _known_changes(conn, (e["id"] for _, b in fresh for e in b.entries))
    # The first (canonical) new entry under each id among the files read so far; what a
    # later entry with that id must equal. The entry itself, not its row: a workshop's
    # handoff files bring 80,000 new entries.
    first: dict[str, dict[str, Any]] = {}
    # Per change id replaced by a new entry of the accepted files: the field it was replaced
    # in (a change is only ever replaced by a change of its own field).
    replaced_in: dict[str, tuple[str, str, str]] = {}
    candidates: list[tuple[FileResult, list[dict[str, Any]]]] = []
    linked: set[int] = set()  # files sharing a change with the database
    for res, bundle in fresh:
        unknown = []
        mine: dict[str, dict[str, Any]] = {}  # this file's new entries, by id
        replacing: dict[str, tuple[str, str, str]] = {}  # this file's, kept apart
        name = visible(res.path.name)
        shares = False
        problem: str | None = None
        for n, e in enumerate(bundle.entries, 1):
            cid = e["id"]
            stored = known.get(cid)
            if stored is not None:
                shares = True
                if not _same_change(e, stored):
                    problem = _tampered(name, n, e, "databasen har")
                    break
                continue
            try:
                canon = canonical_value(e)
            except ValidationError as exc:
                entity, flabel = _entry_label(e)
                problem = (
                    f"Filen {name} kan ikke indlæses: ændring nr. {n} ({entity}, feltet "
                    f"«{flabel}») har en ugyldig værdi: {exc} Filen er ændret "
                    "eller ikke lavet af udviklingsdag; bed om en ny fil fra bærbaren. Intet er "
                    "ændret."
                )
                break
            if canon is not e["value"] and canon != e["value"]:
                e = {**e, "value": canon}
            earlier = mine.get(cid) or first.get(cid)
            if earlier is not None:
                if entry_row(earlier) != entry_row(e):
                    where = "filen selv" if cid in mine else _file_holding(candidates, earlier)
                    problem = _tampered(name, n, e, f"{where} har")
                    break
                if cid in mine:
                    continue  # the same entry twice in one file
            problem = _replaces_problem(name, n, e, mine, first, replaced_in, replacing)
            if problem is not None:
                break
            if e["device_id"] == own_device:
                problem = (
                    f"Filen {name} kan ikke indlæses: ændring nr. {n} siger, at den er lavet på "
                    "denne bærbar, men databasen kender den ikke. Filen er ændret eller "
                    "forfalsket, eller databasen er lagt tilbage fra en ældre kopi; importér "
                    "ikke filen her, og spørg den, der sendte den. Intet er ændret."
                )
                break
            mine[cid] = e
            unknown.append(e)
        if problem is None:
            problem = _missing_required(name, unknown)
        if problem is not None:
            _reject(res, problem, skip_rejected)
            continue
        for cid, e in mine.items():
            first.setdefault(cid, e)
        for r, key in replacing.items():
            replaced_in.setdefault(r, key)
        if shares or not unknown:
            linked.add(id(res))
        candidates.append((res, unknown))
    candidates, in_db, needs = _check_references(conn, candidates, skip_rejected)
    candidates = _check_lineage(
        conn, candidates, in_db, needs, linked, skip_rejected, allow_foreign
    )
    # Only now, among the accepted files, is an entry «new» in the first file that has it.
    taken: set[str] = set()
    per_file: list[tuple[FileResult, list[dict[str, Any]]]] = []
    for res, unknown in candidates:
        new = [e for e in unknown if e["id"] not in taken]
        taken.update(e["id"] for e in new)
        res.new, res.known = len(new), res.received - len(new)
        if not new:
            res.status = "kendt"
        per_file.append((res, new))
    entries = [e for _, new in per_file for e in new]
    if not entries:
        return ""
    owner = {e["id"]: res for res, new in per_file for e in new}
    report.conflict_keys = {(e, r) for e, r, _ in _apply(conn, entries, owner)}
    report.conflicts = len(report.conflict_keys)
    return max(e["hlc"] for e in entries)


def _file_holding(
    candidates: list[tuple[FileResult, list[dict[str, Any]]]], entry: dict[str, Any]
) -> str:
    """«filen X»: the file read before whose new entries hold `entry` (looked up only when a
    change id turns up with two contents, so the merge keeps no index of it)."""
    for res, entries in candidates:
        if any(e is entry for e in entries):
            return f"filen {visible(res.path.name)}"
    return "en anden af filerne"


def _field_key(e: dict[str, Any]) -> tuple[str, str, str]:
    return (e["entity"], e["row_id"], e["field"])


def _replaces_problem(
    name: str,
    n: int,
    e: dict[str, Any],
    mine: dict[str, dict[str, Any]],
    first: dict[str, dict[str, Any]],
    replaced_in: dict[str, tuple[str, str, str]],
    replacing: dict[str, tuple[str, str, str]],
) -> str | None:
    """A message when a new entry replaces itself, or replaces (or is replaced by) a new entry
    of another field: a change only ever replaces changes of its own field. Such an entry
    would take a value away from another field (a new mål left without its målsætning).
    `replaced_in` and `replacing` map a replaced id to the field it was replaced in (by the
    accepted files, by this file); `e`'s are added to `replacing`."""
    key = _field_key(e)
    wrong = e["id"] in e["replaces"]
    for r in e["replaces"]:
        other = mine.get(r) or first.get(r)
        if other is not None and _field_key(other) != key:
            wrong = True
    earlier = replaced_in.get(e["id"]) or replacing.get(e["id"])
    if earlier is not None and earlier != key:
        wrong = True
    for r in e["replaces"]:
        replacing.setdefault(r, key)
    if not wrong:
        return None
    entity, flabel = _entry_label(e)
    return (
        f"Filen {name} kan ikke indlæses: ændring nr. {n} ({entity}, feltet «{flabel}») "
        "erstatter sig selv eller en ændring af et andet felt, hvad udviklingsdag aldrig "
        "skriver. Filen er ændret eller forfalsket; importér den ikke, og bed om en ny fil fra "
        "bærbaren. Intet er ændret."
    )


@cache
def _required(entity: str) -> tuple[str, ...]:
    return tuple(f for f, spec in ENTITIES[entity].fields.items() if spec.required)


def _missing_required(name: str, entries: list[dict[str, Any]]) -> str | None:
    """A message when the file creates a row without a value for one of its required fields
    (`Store.create` writes every field in the same action, so a file that creates a row holds
    them all; a row created without them would get empty defaults: a målplan without enhed).
    Only entries that no entry of the file replaces count: entries that replace each other in
    a circle would leave the field without any value as well."""
    born: list[tuple[str, str]] = []
    has: set[tuple[str, str, str]] = set()
    replaced = {r for e in entries for r in e["replaces"]}
    for e in entries:
        if e["id"] not in replaced:
            has.add((e["entity"], e["row_id"], e["field"]))
        if e["field"] == DELETED and e["value"] is False and not e["replaces"]:
            born.append((e["entity"], e["row_id"]))
    for entity, rid in born:
        for fname in _required(entity):
            if (entity, rid, fname) not in has:
                return (
                    f"Filen {name} kan ikke indlæses: den opretter {_a(entity)} uden feltet "
                    f"«{field_label(entity, fname)}», som skal udfyldes. Filen er ændret eller "
                    "ikke lavet af udviklingsdag; bed om en ny fil fra bærbaren. Intet er ændret."
                )
    return None


def _tampered(name: str, n: int, entry: dict[str, Any], where: str) -> str:
    entity, flabel = _entry_label(entry)
    return (
        f"Filen {name} kan ikke indlæses: ændring nr. {n} ({entity}, feltet «{flabel}») "
        f"har samme id som en ændring, {where}, men et andet indhold. Filen er ændret eller "
        "forfalsket; importér den ikke, og bed om en ny fil fra bærbaren. Intet er ændret."
    )


def _check_lineage(
    conn: Connection,
    candidates: list[tuple[FileResult, list[dict[str, Any]]]],
    in_db: set[tuple[str, str]],
    needs: dict[int, tuple[set[tuple[str, str]], set[tuple[str, str]]]],
    linked: set[int],
    skip_rejected: bool,
    allow_foreign: bool,
) -> list[tuple[FileResult, list[dict[str, Any]]]]:
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


def _needs(entries: list[dict[str, Any]]) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(rows these entries need to exist, rows they bring into existence)."""
    need: set[tuple[str, str]] = set()
    born: set[tuple[str, str]] = set()
    for e in entries:
        entity, fname, value = e["entity"], e["field"], e["value"]
        key = (entity, e["row_id"])
        if fname == DELETED and not e["replaces"] and e["value"] is False:
            # The creation of a row (Store.create writes `deleted = false` replacing nothing).
            born.add(key)
        elif fname == DELETED:
            need.add(key)
        else:
            need.add(key)
            spec = ENTITIES[entity].fields[fname]
            if value and spec.kind == "ref":
                need.add((spec.ref, value))
            elif value and spec.kind == "reflist":
                need.update((spec.ref, v) for v in value)
    return need, born


def _check_references(
    conn: Connection, per_file: list[tuple[FileResult, list[dict[str, Any]]]], skip_rejected: bool
) -> tuple[
    list[tuple[FileResult, list[dict[str, Any]]]],
    set[tuple[str, str]],
    dict[int, tuple[set[tuple[str, str]], set[tuple[str, str]]]],
]:
    """Refuse files that point at rows neither the database nor the accepted files hold.
    Files may depend on each other, so a refusal is re-checked until nothing changes.
    Returns (the accepted files, the needed rows the database has, per file (id of its
    FileResult) the rows it needs and the rows it creates)."""
    needs = {id(res): _needs(new) for res, new in per_file}
    all_needed: dict[str, set[str]] = defaultdict(set)
    for need, _ in needs.values():
        for entity, rid in need:
            all_needed[entity].add(rid)
    in_db: set[tuple[str, str]] = set()
    for entity, ids in all_needed.items():
        table = ENTITIES[entity].table.__table__
        in_db.update((entity, r) for r in _existing(conn, table.c.id, ids))
    accepted = list(per_file)
    while True:
        available = set(in_db)
        for res, _ in accepted:
            available |= needs[id(res)][1]
        bad = [(res, needs[id(res)][0] - available) for res, _ in accepted]
        bad = [(res, missing) for res, missing in bad if missing]
        if not bad:
            return accepted, in_db, needs
        for res, missing in bad:
            entity, _ = sorted(missing)[0]
            _reject(
                res,
                f"Filen {visible(res.path.name)} henviser til {len(missing)} række(r), som "
                f"databasen ikke kender (fx {_a(entity)}). Importér først "
                "workshop-pakken eller den fil, den bygger på, og prøv igen. Intet er ændret.",
                skip_rejected,
            )
        accepted = [(r, n) for r, n in accepted if not r.rejected]


def _heads_of_rows(
    conn: Connection, rows: dict[str, set[str]], fields: dict[str, set[str]] | None = None
) -> dict[tuple[str, str], list[Any]]:
    """All current heads (with their change) of the given rows, keyed by (entity, row id);
    with `fields`, only the heads of those fields (per entity)."""
    out: dict[tuple[str, str], list[Any]] = defaultdict(list)
    query = select(
        HEAD.c.entity,
        HEAD.c.row_id,
        HEAD.c.field,
        CHANGE.c.id,
        CHANGE.c.hlc,
        CHANGE.c.value,
        CHANGE.c.covers,
        CHANGE.c.replaces,
        CHANGE.c.device_id,
        CHANGE.c.action_id,
    ).join(CHANGE, CHANGE.c.id == HEAD.c.change_id)
    for entity, ids in rows.items():
        only = [] if fields is None else [HEAD.c.field.in_(sorted(fields.get(entity, ())))]
        for where in id_filters(conn, HEAD.c.row_id, ids):
            for r in conn.execute(query.where(HEAD.c.entity == entity, where, *only)).all():
                out[(entity, r.row_id)].append(r)
    return out


def _row_conflicts(entity: str, row_id: str, heads: list[Any]) -> list[tuple[str, str, list[Any]]]:
    """The conflicts of one row: (kind, field, the heads involved)."""
    by_field: dict[str, list[Any]] = defaultdict(list)
    for h in heads:
        by_field[h.field].append(h)
    out: list[tuple[str, str, list[Any]]] = []
    for fname, hs in by_field.items():
        if len(hs) > 1 and len({h.value for h in hs}) > 1:
            out.append((KIND_FIELD, fname, hs))
    deleted = by_field.get(DELETED, [])
    tombstones = [h for h in deleted if h.value == "true"]
    if tombstones and not any(f == DELETED for _, f, _ in out):
        covered = {c for h in tombstones for c in (h.covers or "").split()}
        edits = [h for h in heads if h.field != DELETED and h.id not in covered]
        if edits:
            out.append((KIND_DELETE, DELETED, [*deleted, *edits]))
    return out


_H = namedtuple("_H", "entity row_id field id hlc value covers replaces device_id action_id")
# Positions in `exports.bundle.entry_row`'s tuples (the change table's columns).
_VALUE, _REPLACES, _COVERS = 6, 7, 8


def _fast_insert(
    conn: Connection,
    table: Any,
    rows: Sequence[dict[str, Any]] | Sequence[tuple[Any, ...]],
    cols: Sequence[str] | None = None,
) -> None:
    """Insert many rows of plain text columns: dicts, or tuples in the order of `cols`. On
    SQLite straight through the driver: the change log of a whole workshop is tens of
    thousands of rows. On PostgreSQL in chunks, since psycopg holds every parameter."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        _copy_rows(conn, table, rows, cols)
        return
    if conn.dialect.name != "sqlite":
        for part in _chunks(rows, INSERT_CHUNK):
            params = [dict(zip(cols, r, strict=True)) for r in part] if cols else part
            conn.execute(table.insert(), params)
        return
    params: Sequence[Any] = rows
    if cols is None:
        cols = list(rows[0])
        get = itemgetter(*cols)
        params = [get(r) for r in rows] if len(cols) > 1 else [(get(r),) for r in rows]
    sql = f'INSERT INTO "{table.name}" ({", ".join(cols)}) VALUES ({", ".join("?" for _ in cols)})'
    conn.exec_driver_sql(sql, params)


def _copy_rows(
    conn: Connection,
    table: Any,
    rows: Sequence[dict[str, Any]] | Sequence[tuple[Any, ...]],
    cols: Sequence[str] | None,
) -> None:
    """PostgreSQL: stream the rows with COPY, inside the merge's transaction. One command
    instead of one INSERT per row (a workshop pack is hundreds of thousands), and nothing is
    held as parameters."""
    names = list(cols) if cols else list(rows[0])
    quoted = ", ".join(f'"{c}"' for c in names)
    raw = conn.connection.driver_connection
    with raw.cursor() as cur, cur.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
        if cols:
            for r in rows:
                copy.write_row(r)
        else:
            get = itemgetter(*names)
            for r in rows:
                copy.write_row(get(r) if len(names) > 1 else (get(r),))


def _drop_heads(conn: Connection, drops: list[tuple[str, str, str, str]]) -> None:
    """Delete the heads (entity, row id, field, change id) that new entries replace: one
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


def _write_rows(
    conn: Connection,
    table: Any,
    inserts: list[dict[str, Any]],
    updates: dict[tuple[str, ...], list[tuple[Any, ...]]],
) -> None:
    """Write a domain table's new rows (whole rows) and changed rows ((id, *values) per
    tuple of changed fields). On PostgreSQL the new rows go in with COPY and each tuple of
    fields is one UPDATE joined with the values as arrays (unnest), instead of a statement
    per row. The values pass through the columns' own bind processors (JSON columns), so
    the stored values are the ones an ordinary INSERT or UPDATE would store."""
    if conn.dialect.name != "postgresql":
        if inserts:
            conn.execute(table.insert(), inserts)
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
        _copy_rows(conn, table, list(zip(*columns, strict=True)), names)
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


def _py_value(entity: str, fname: str, value: Any) -> Any:
    """An entry's JSON value in its stored Python form (as `decode_value` gives it)."""
    if fname == DELETED:
        return bool(value)
    if isinstance(value, str):
        spec = ENTITIES[entity].fields.get(fname)
        if spec is not None and spec.kind == "date":
            return date.fromisoformat(value)
    return value


def _apply(
    conn: Connection, entries: list[dict[str, Any]], owner: dict[str, FileResult]
) -> set[tuple[str, str, str]]:
    """Apply new entries (none known to the database) following the change-log rules.
    Returns the conflicts these entries take part in."""
    from exports.bundle import ENTRY_KEYS, entry_row

    touched: dict[str, set[str]] = defaultdict(set)
    keys: dict[tuple[str, str], set[str]] = defaultdict(set)
    for e in entries:
        touched[e["entity"]].add(e["row_id"])
        keys[(e["entity"], e["row_id"])].add(e["field"])
    # Rows the database has already; every other row's changes are all in this batch, so
    # its heads follow from the entries alone (no lookups for the bulk of a workshop).
    existing = {
        entity: _existing(conn, ENTITIES[entity].table.__table__.c.id, ids)
        for entity, ids in touched.items()
    }
    rows = [entry_row(e) for e in entries]
    replaced = {r for e in entries for r in e["replaces"]}
    all_heads: dict[tuple[str, str], list[Any]] = defaultdict(list)
    py_values: dict[str, Any] = {}
    titles: dict[tuple[str, str], str] = {}
    inserts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    # In arrival order: sorting by id was measured slower (it scatters the hlc, action and
    # row indexes, which arrival order fills almost in sequence), sorting by row no faster.
    # The new rows need nothing from the database, so they are worked out while the server
    # takes the change log in (`_meanwhile`).
    with _meanwhile(conn, lambda: _fast_insert(conn, CHANGE, rows, ENTRY_KEYS)):
        for e, r in zip(entries, rows, strict=True):
            if e["row_id"] in existing[e["entity"]]:
                continue
            py_values[e["id"]] = _py_value(e["entity"], e["field"], e["value"])
            # No known change can have replaced an entry of a row the database lacks.
            if e["id"] not in replaced:
                all_heads[(e["entity"], e["row_id"])].append(_head_of(e, r))
        for entity, ids in touched.items():
            for rid in ids - existing[entity]:
                winners = _winners(all_heads[(entity, rid)], keys[(entity, rid)])
                row = {
                    k: list(v) if isinstance(v, list) else v for k, v in _defaults(entity).items()
                }
                row.update({f: py_values[h.id] for f, h in winners.items()})
                row["id"] = rid
                if row.get(DELETED) is None:
                    row[DELETED] = False
                inserts[entity].append(row)
                titles[(entity, rid)] = _title(entity, row)
                res = owner.get(winners[DELETED].id) if DELETED in winners else None
                if res is not None:
                    res.new_rows += 1
                    _item(res, "ny", entity, rid, "", titles[(entity, rid)])

    already = _existing(conn, SUPERSEDED.c.change_id, replaced)
    _fast_insert(conn, SUPERSEDED, [{"change_id": r} for r in replaced - already])
    old_entries = [e for e in entries if e["row_id"] in existing[e["entity"]]]
    _drop_heads(
        conn,
        [(e["entity"], e["row_id"], e["field"], r) for e in old_entries for r in e["replaces"]],
    )
    superseded = replaced | _existing(conn, SUPERSEDED.c.change_id, (e["id"] for e in old_entries))
    _fast_insert(
        conn,
        HEAD,
        [
            (e["entity"], e["row_id"], e["field"], e["id"])
            for e in entries
            if e["id"] not in superseded
        ],
        ("entity", "row_id", "field", "change_id"),
    )

    # The heads of the rows the database has: of the fields these entries change, and the
    # tombstones. A row with a tombstone among its heads gets all its heads, since a
    # «sletning» conflict lists the edits of every field (`_row_conflicts`); the heads of the
    # other fields neither win a field here nor make a conflict the new entries take part in.
    old_rows = {k: v for k, v in existing.items() if v}
    fields: dict[str, set[str]] = defaultdict(lambda: {DELETED})
    for e in old_entries:
        fields[e["entity"]].add(e["field"])
    old_heads = _heads_of_rows(conn, old_rows, fields)
    tombstoned: dict[str, set[str]] = defaultdict(set)
    for (entity, rid), hs in old_heads.items():
        if any(h.field == DELETED and h.value == "true" for h in hs):
            tombstoned[entity].add(rid)
    old_heads.update(_heads_of_rows(conn, tombstoned))
    all_heads.update(old_heads)

    for entity in touched:
        spec = ENTITIES[entity]
        table = spec.table.__table__
        current: dict[str, dict[str, Any]] = {}
        for where in id_filters(conn, table.c.id, existing[entity]):
            for r in conn.execute(select(table).where(where)).mappings():
                current[r["id"]] = dict(r)
        updates: dict[tuple[str, ...], list[tuple[Any, ...]]] = defaultdict(list)
        for rid in existing[entity]:
            winners = _winners(old_heads.get((entity, rid), []), keys[(entity, rid)])
            values = {f: decode_value(entity, f, h.value) for f, h in winners.items()}
            old = current[rid]
            changed = {f: v for f, v in values.items() if old.get(f) != v}
            titles[(entity, rid)] = title = _title(entity, {**old, **changed})
            if not changed:
                continue
            updates[tuple(sorted(changed))].append((rid, *(changed[f] for f in sorted(changed))))
            for f, v in changed.items():
                res = owner.get(winners[f].id)
                if res is None:
                    continue
                res.changed_fields += 1
                kind = ("slettet" if v else "gendannet") if f == DELETED else "ændret"
                _item(
                    res,
                    kind,
                    entity,
                    rid,
                    f,
                    title,
                    display_value(entity, f, old.get(f)),
                    display_value(entity, f, v),
                )
        _write_rows(conn, table, inserts[entity], updates)

    # Conflicts that this import's entries take part in, counted per file.
    found: set[tuple[str, str, str]] = set()
    for (entity, rid), heads_row in all_heads.items():
        for _kind, fname, hs in _row_conflicts(entity, rid, heads_row):
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


def _head_of(e: dict[str, Any], row: tuple[Any, ...]) -> Any:
    """An entry as a head (the shape `_heads_of_rows` gives), from its change-table row."""
    return _H(
        e["entity"],
        e["row_id"],
        e["field"],
        e["id"],
        e["hlc"],
        row[_VALUE],
        row[_COVERS],
        row[_REPLACES],
        e["device_id"],
        e["action_id"],
    )


def _winners(heads: list[Any], fields: set[str]) -> dict[str, Any]:
    """Per field of `fields`, the head with the greatest (hlc, id): the field's value."""
    winners: dict[str, Any] = {}
    for h in heads:
        if h.field in fields:
            best = winners.get(h.field)
            if best is None or (h.hlc, h.id) > (best.hlc, best.id):
                winners[h.field] = h
    return winners


@contextmanager
def _meanwhile(conn: Connection, write: Callable[[], None]) -> Iterator[None]:
    """Run `write` (statements on `conn`) while the body works in Python. On PostgreSQL in a
    thread: the server spends a second on the change log's indexes for a workshop, and the
    client need not wait idle meanwhile (psycopg leaves the interpreter lock while it waits
    on the socket). The body must not use `conn`. Elsewhere first `write`, then the body
    (SQLite's connection belongs to its thread, and does the work in this process anyway)."""
    if conn.dialect.name != "postgresql":
        write()
        yield
        return
    failed: list[BaseException] = []

    def run() -> None:
        try:
            write()
        except BaseException as exc:  # handed to the caller below
            failed.append(exc)

    worker = threading.Thread(target=run, name="merge-write", daemon=True)
    worker.start()
    try:
        yield
    finally:
        worker.join()
    if failed:
        raise failed[0]


@cache
def _defaults(entity: str) -> dict[str, Any]:
    """A new row's column values before any change is applied (the model's defaults)."""
    blank = ENTITIES[entity].table()
    table = ENTITIES[entity].table.__table__
    out = {}
    for c in table.columns:
        value = getattr(blank, c.name, None)
        out[c.name] = value if value is not None else _column_default(table, c.name)
    return out


def _title(entity: str, row: dict[str, Any]) -> str:
    value = row.get(ENTITIES[entity].title_field)
    return str(value) if value else ""


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
    if len(res.items) < MAX_ITEMS_PER_FILE:
        res.items.append(PreviewItem(kind, entity, rid, fname, title, before, after))


def _register(conn: Connection, bundles: list[tuple[FileResult, Any]]) -> None:
    """Record remote devices and one ledger row per accepted file."""
    now = datetime.now().isoformat(timespec="seconds")
    for res, bundle in bundles:
        if res.rejected:
            continue
        for dev_id, navn in bundle.devices:
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


# --- conflicts -------------------------------------------------------------------------------


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
        return (self.entity, self.row_id, self.field)

    @property
    def entity_label(self) -> str:
        return ENTITIES[self.entity].label

    @property
    def field_label(self) -> str:
        return field_label(self.entity, self.field)

    @property
    def can_write_new(self) -> bool:
        """Whether the tovholder can type a new value (text, numbers, dates)."""
        spec = ENTITIES[self.entity].fields.get(self.field)
        return spec is not None and spec.kind in (
            "line",
            "text",
            "int",
            "date",
            "time",
            "sagsnummer",
            "kle",
        )


def _candidate_rows(conn: Connection) -> dict[str, set[str]]:
    rows: dict[str, set[str]] = defaultdict(set)
    multi = (
        select(HEAD.c.entity, HEAD.c.row_id)
        .group_by(HEAD.c.entity, HEAD.c.row_id, HEAD.c.field)
        .having(func.count() > 1)
    )
    for r in conn.execute(multi):
        rows[r.entity].add(r.row_id)
    # Rows with a tombstone among their heads: with one head on `deleted` that head is the
    # row's value, so the row says deleted; with several, the row is in `multi` already.
    # The domain tables are small and hold that flag, unlike a join of every head with its
    # change.
    for entity, spec in ENTITIES.items():
        table = spec.table.__table__
        rows[entity].update(conn.execute(select(table.c.id).where(table.c.deleted)).scalars())
    return rows


def _orphans(conn: Connection) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """Live rows whose parent is deleted: a tegn added on one laptop to a mål deleted on
    another. Deleting takes the children it knows along, so such a row was made (or kept)
    without seeing the delete: a concurrent delete and edit."""
    out: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for entity, spec in ENTITIES.items():
        parent = spec.table.__table__
        for child, fk in spec.children:
            table = ENTITIES[child].table.__table__
            query = (
                select(parent.c.id, table.c.id)
                .join(parent, parent.c.id == table.c[fk])
                .where(parent.c.deleted, ~table.c.deleted)
            )
            for pid, cid in conn.execute(query):
                out[(entity, pid)].append((child, cid))
    return out


def _conflict_keys(conn: Connection) -> set[tuple[str, str, str]]:
    heads = _heads_of_rows(conn, _candidate_rows(conn))
    keys = {
        (entity, rid, fname)
        for (entity, rid), hs in heads.items()
        for _, fname, _ in _row_conflicts(entity, rid, hs)
    }
    return keys | {(entity, rid, DELETED) for entity, rid in _orphans(conn)}


def conflict_keys(db: Any) -> set[tuple[str, str, str]]:
    """The open conflicts as (entity, row id, field); cheap, for tests and counters."""
    with _database(db).engine.connect() as conn:
        return _conflict_keys(conn)


def _titles(conn: Connection, refs: dict[str, set[str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for entity, ids in refs.items():
        spec = ENTITIES[entity]
        table = spec.table.__table__
        col = table.c[spec.title_field]
        for where in id_filters(conn, table.c.id, ids):
            for r in conn.execute(select(table.c.id, col).where(where)):
                out[r[0]] = str(r[1] or "")
    return out


def _restored_origins(conn: Connection, heads: list[Any]) -> dict[str, _H]:
    """Heads that an undo of a resolution put back, each shown as the change that first wrote
    its value (its laptop, time and value before), keyed by the head's id. The head itself
    (its id) stays what a resolution replaces."""
    undo_heads: dict[str, list[str]] = {}
    for where in id_filters(conn, CHANGE.c.id, [h.id for h in heads]):
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
    first: dict[str, Any] = {}
    for where in id_filters(conn, CHANGE.c.id, {o for os in settled.values() for o in os}):
        for row in conn.execute(select(CHANGE).where(where)):
            first[row.id] = row
    out: dict[str, _H] = {}
    for h in heads:
        candidates = [
            first[o]
            for r in undo_heads.get(h.id, [])
            if len(settled.get(r, [])) > 1  # a resolution (a plain edit replaced one change)
            for o in settled[r]
            if o in first and first[o].value == h.value
        ]
        if candidates:
            o = min(candidates, key=lambda c: (c.hlc, c.id))
            out[h.id] = _H(*(getattr(h, f) for f in _H._fields))._replace(
                hlc=o.hlc, device_id=o.device_id, replaces=o.replaces, action_id=o.action_id
            )
    return out


def open_conflicts(db: Any) -> list[Conflict]:
    """Every open conflict, oldest first, with both (all) values side by side: field, value,
    device, time and the value before."""
    database = _database(db)
    with database.engine.connect() as conn:
        heads = _heads_of_rows(conn, _candidate_rows(conn))
        found = [
            (entity, rid, kind, fname, hs)
            for (entity, rid), all_hs in heads.items()
            for kind, fname, hs in _row_conflicts(entity, rid, all_hs)
        ]
        orphans = _orphans(conn)
        with_delete = {(e, r) for e, r, kind, _, _ in found if kind == KIND_DELETE}
        for entity, rid in orphans:
            if (entity, rid) not in with_delete:
                tomb = [h for h in heads.get((entity, rid), []) if h.field == DELETED]
                found.append((entity, rid, KIND_DELETE, DELETED, tomb))
        kids: dict[str, set[str]] = defaultdict(set)
        for children in orphans.values():
            for child, cid in children:
                kids[child].add(cid)
        kid_heads = _heads_of_rows(conn, kids)
        kid_titles = _titles(conn, kids)
        if not found:
            return []
        devices = dict(conn.execute(select(DEVICE.c.id, DEVICE.c.navn)).all())
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
                    refs[spec.ref].update(vals)  # type: ignore[index]
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
        children = tuple(sorted(orphans.get((entity, rid), []))) if kind == KIND_DELETE else ()
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
            heads = store._heads(tx.conn, conflict.entity, conflict.row_id, DELETED)
            actions = set(
                tx.conn.execute(
                    select(CHANGE.c.action_id).where(
                        CHANGE.c.id.in_(heads), CHANGE.c.value == "true"
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


def _restore_taken_along(store: Store, tx: Any, actions: set[str], skip: tuple[str, str]) -> None:
    """Restore rows tombstoned by the same action(s) as a row being restored (a mål's tegn)."""
    query = (
        select(HEAD.c.entity, HEAD.c.row_id)
        .join(CHANGE, CHANGE.c.id == HEAD.c.change_id)
        .where(HEAD.c.field == DELETED, CHANGE.c.value == "true", CHANGE.c.action_id.in_(actions))
    )
    for entity, rid in list(tx.conn.execute(query)):
        if (entity, rid) != skip:
            store.restore(entity, rid, tx=tx)


# --- ledger, devices, gaps, matrix ------------------------------------------------------------


@dataclass(frozen=True)
class LedgerRow:
    """One imported file, as recorded."""

    id: str
    sha256: str
    filnavn: str
    kind: str
    device_id: str
    device_navn: str
    imported_at: str
    received: int
    new: int
    known: int
    conflicts: int
    # The writer's clock minus this laptop's at the import, in seconds (None: not recorded).
    clock_offset: int | None = None

    @property
    def clock_warning(self) -> str | None:
        """«uret på Bord 3 går 73 år for hurtigt», when the writer's clock was far off."""
        return clock_warning(self.device_navn, self.clock_offset)


# A laptop's clock is named in the ledger when it is off by more than this.
CLOCK_WARN_SECONDS = 10 * 60


def _duration(seconds: int) -> str:
    """A rough Danish duration: «73 år», «3 dage», «2 timer», «15 minutter»."""
    minutes, hours, days = seconds / 60, seconds / 3600, seconds / 86400
    for amount, one, many in (
        (days / 365.2425, "år", "år"),
        (days, "dag", "dage"),
        (hours, "time", "timer"),
        (minutes, "minut", "minutter"),
    ):
        if amount >= 1:
            n = round(amount)
            return f"{n} {one if n == 1 else many}"
    return f"{seconds} sekunder"


def clock_offset(created_at: Any) -> int | None:
    """The writer's clock minus this computer's, in seconds, from a manifest's `created_at`
    (None when it is not a time within the clock's range): what the ledger records."""
    from exports.bundle import created_at_millis

    created = created_at_millis(created_at)
    return None if created is None else round((created - time.time() * 1000) / 1000)


def clock_warning(device_name: str, offset: int | None) -> str | None:
    """A Danish warning about a laptop's clock from its offset in seconds (the file's
    `created_at` minus the importing laptop's clock), or None within `CLOCK_WARN_SECONDS`.
    A file made long before it is imported looks like a slow clock too, so a negative
    offset is worded with that possibility."""
    if offset is None or abs(offset) <= CLOCK_WARN_SECONDS:
        return None
    name = visible(device_name, limit=40) or "bærbaren"
    if offset > 0:
        return f"uret på {name} går {_duration(offset)} for hurtigt"
    span = _duration(-offset)
    return f"uret på {name} går {span} for langsomt (eller filen blev lavet {span} før importen)"


def ledger(db: Any) -> list[LedgerRow]:
    """Every import, oldest first."""
    with _database(db).engine.connect() as conn:
        order = (LEDGER.c.imported_at, bytewise(LEDGER.c.id))
        rows = conn.execute(select(LEDGER).order_by(*order))
        return [LedgerRow(**r._mapping) for r in rows]


@dataclass
class DeviceSummary:
    """What arrived from one laptop: files, entries, and what its newest file promised."""

    device_id: str
    navn: str
    is_local: bool
    files: int = 0
    received: int = 0
    new: int = 0
    known: int = 0
    conflicts: int = 0
    in_log: int = 0
    latest_file_entries: int = 0
    last_import: str = ""
    borde: list[str] = field(default_factory=list)
    # The writer's clock against this laptop's, in seconds: of its files the offset closest
    # to ahead (a file carried for hours before its import makes a clock look slow).
    clock_offset: int | None = None

    @property
    def clock_warning(self) -> str | None:
        """«uret på Bord 3 går 73 år for hurtigt» when this laptop's clock is far off."""
        return clock_warning(self.navn, self.clock_offset)

    @property
    def complete(self) -> bool:
        """Whether every entry of the newest file from this laptop is in the database."""
        return self.in_log >= self.latest_file_entries


def device_summary(db: Any) -> list[DeviceSummary]:
    """Per device (laptop): files imported, entries received/new/known, entries in the change
    log, and the tables it was used at. Proves that each laptop's every entry arrived."""
    bord = Bord.__table__
    with _database(db).engine.connect() as conn:
        out = {
            r.id: DeviceSummary(r.id, r.navn, bool(r.is_local))
            for r in conn.execute(select(DEVICE))
        }
        for dev_id, n in conn.execute(
            select(CHANGE.c.device_id, func.count()).group_by(CHANGE.c.device_id)
        ):
            out.setdefault(dev_id, DeviceSummary(dev_id, dev_id[:8], False)).in_log = n
        order = (LEDGER.c.imported_at, bytewise(LEDGER.c.id))
        for r in conn.execute(select(LEDGER).order_by(*order)):
            s = out.setdefault(r.device_id, DeviceSummary(r.device_id, r.device_navn, False))
            s.files += 1
            s.received += r.received
            s.new += r.new
            s.known += r.known
            s.conflicts += r.conflicts
            if r.kind == "handoff":
                s.latest_file_entries = r.received
            s.last_import = r.imported_at
            if r.clock_offset is not None:
                known = s.clock_offset
                s.clock_offset = r.clock_offset if known is None else max(known, r.clock_offset)
        for r in conn.execute(
            select(bord.c.navn, bord.c.device_id)
            .where(~bord.c.deleted, bord.c.device_id.is_not(None))
            .order_by(bord.c.position, bytewise(bord.c.navn))
        ):
            # A table whose laptop has sent nothing yet still shows, so it is not forgotten.
            summary = out.setdefault(
                r.device_id, DeviceSummary(r.device_id, "(ingen fil endnu)", False)
            )
            summary.borde.append(r.navn)
    return sorted(out.values(), key=lambda s: (not s.is_local, s.navn.casefold()))


@dataclass(frozen=True)
class Gap:
    """A live mål and how many tegn and prøvehandlinger it has."""

    maal_id: str
    tekst: str
    maalsaetning: str
    enhed: str
    borde: str
    tegn: int
    proevehandlinger: int


def gaps(db: Any) -> list[Gap]:
    """Live mål that lack tegn (a gap after del 1) or prøvehandlinger (after del 2)."""
    maal, tegn, ph = Maal.__table__, Tegn.__table__, Proevehandling.__table__
    ms, enhed, bord = Maalsaetning.__table__, Enhed.__table__, Bord.__table__
    with _database(db).engine.connect() as conn:
        n_tegn = dict(
            conn.execute(
                select(tegn.c.maal_id, func.count()).where(~tegn.c.deleted).group_by(tegn.c.maal_id)
            ).all()
        )
        n_ph = dict(
            conn.execute(
                select(ph.c.maal_id, func.count()).where(~ph.c.deleted).group_by(ph.c.maal_id)
            ).all()
        )
        borde: dict[str, list[str]] = defaultdict(list)
        for navn, ids in conn.execute(
            select(bord.c.navn, bord.c.maal_ids).where(~bord.c.deleted).order_by(bord.c.position)
        ):
            for mid in ids or []:
                borde[mid].append(navn)
        rows = conn.execute(
            select(maal.c.id, maal.c.tekst, ms.c.tekst.label("ms"), enhed.c.navn.label("enhed"))
            .select_from(maal)
            .outerjoin(ms, ms.c.id == maal.c.maalsaetning_id)
            .outerjoin(enhed, enhed.c.id == maal.c.enhed_id)
            .where(~maal.c.deleted)
            .order_by(ms.c.position.asc().nulls_first(), maal.c.position, bytewise(maal.c.tekst))
        )
        out = []
        for r in rows:
            t, p = n_tegn.get(r.id, 0), n_ph.get(r.id, 0)
            if t == 0 or p == 0:
                out.append(
                    Gap(r.id, r.tekst, r.ms or "", r.enhed or "", ", ".join(borde[r.id]), t, p)
                )
        return out


@dataclass(frozen=True)
class MatrixRow:
    """One enhed and how many collaborations it takes part in per niveau."""

    enhed_id: str
    navn: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def collaboration_matrix(db: Any) -> list[MatrixRow]:
    """Enheder by niveau: the number of live samarbejder each enhed takes part in, as the
    mål's own enhed or as a partner."""
    sam, maal, enhed = Samarbejde.__table__, Maal.__table__, Enhed.__table__
    with _database(db).engine.connect() as conn:
        names = dict(conn.execute(select(enhed.c.id, enhed.c.navn).where(~enhed.c.deleted)).all())
        counts: dict[str, dict[str, int]] = defaultdict(lambda: {n.value: 0 for n in enums.Niveau})
        rows = conn.execute(
            select(sam.c.niveau, sam.c.partner_ids, maal.c.enhed_id)
            .join(maal, maal.c.id == sam.c.maal_id)
            .where(~sam.c.deleted, ~maal.c.deleted)
        )
        for niveau, partners, own in rows:
            members = {own, *(partners or [])} - {None}
            for eid in members:
                if eid in names and niveau in counts[eid]:
                    counts[eid][niveau] += 1
    out = [MatrixRow(eid, names[eid], c) for eid, c in counts.items()]
    return sorted(out, key=lambda r: (-r.total, r.navn.casefold()))
