"""Errors raised by models/ and exports/, each carrying a Danish message for the user."""

from __future__ import annotations

from os import PathLike

Place = str | PathLike[str]
"""A file or folder: where a write went, or what lies on the drive that may be full."""


class UdviklingsdagError(Exception):
    """Base class: `str(error)` is a complete Danish sentence that says what to do."""


class ValidationError(UdviklingsdagError):
    """A value was refused. `field` names the field (its Danish label is in the message)."""

    def __init__(self, message: str, *, field: str | None = None, entity: str | None = None):
        super().__init__(message)
        self.field = field
        self.entity = entity


class NotFoundError(UdviklingsdagError):
    """A row that should exist does not."""


class DatabaseError(UdviklingsdagError):
    """The database cannot be opened or used (newer version, corrupt, read-only ...)."""


class NewerDatabaseError(DatabaseError):
    """The database was written by a newer version of the app."""


class ConflictAlreadyResolved(UdviklingsdagError):
    """Another tovholder resolved the conflict first."""


class DiskFullError(UdviklingsdagError):
    """The disk (or the database server's disk) is full; the message says what to do."""


# The errors that a file's content could provoke in Python code (as opposed to the database):
# the readers and the merge turn them into a Danish message about the file.
FILE_CONTENT_ERRORS: tuple[type[Exception], ...] = (
    TypeError,
    ValueError,
    KeyError,
    IndexError,
    AttributeError,
    RecursionError,
    OverflowError,
    UnicodeError,
)

SQLITE_FULL = 13  # sqlite3's extended error code for "database or disk is full"
PG_DISK_FULL = "53100"  # PostgreSQL's SQLSTATE disk_full (psycopg.errors.DiskFull)


def _chain(exc: BaseException) -> list[BaseException]:
    """The error and everything it wraps (`orig` of SQLAlchemy, cause, context)."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo and len(seen) < 20:
        err = todo.pop()
        if err is None or any(err is s for s in seen):
            continue
        seen.append(err)
        todo += [err.__cause__, err.__context__, getattr(err, "orig", None)]
    return seen


SQLITE_IOERR = 10  # the primary code of "disk I/O error" (extended codes: 10 + n * 256)
FULL_BELOW_BYTES = 1024 * 1024  # a drive with less free space than this is full


def _nearly_full(near: Place) -> bool:
    """Whether the drive of the file or folder `near` has (almost) no free space left."""
    import os
    import shutil

    path = os.path.abspath(os.fspath(near))
    while path and not os.path.exists(path):
        parent = os.path.dirname(path)
        if parent == path:
            return False
        path = parent
    try:
        return shutil.disk_usage(path).free < FULL_BELOW_BYTES
    except (OSError, ValueError):
        return False


def disk_full_kind(exc: BaseException, near: Place | None = None) -> str | None:
    """Which full disk an error (or what it wraps) means: "local" for this computer's (OSError
    ENOSPC/EDQUOT, SQLite's SQLITE_FULL), "server" for PostgreSQL's DiskFull, else None.
    With `near` (the database file or the folder written to), SQLite's «disk I/O error» on a
    drive with no free space left counts as a full disk too (SQLite reports a failed fsync or
    a -shm that cannot grow that way)."""
    import errno

    for err in _chain(exc):
        if isinstance(err, DiskFullError):
            return "local"
        if isinstance(err, OSError) and err.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
            return "local"
        if getattr(err, "sqlite_errorcode", None) == SQLITE_FULL:
            return "local"
        if getattr(err, "sqlstate", None) == PG_DISK_FULL or type(err).__name__ == "DiskFull":
            return "server"
        text = str(err).casefold()
        if "database or disk is full" in text or "no space left on device" in text:
            return "local"
        io_error = (getattr(err, "sqlite_errorcode", 0) or 0) & 0xFF == SQLITE_IOERR
        if near and (io_error or "disk i/o error" in text) and _nearly_full(near):
            return "local"
    return None


def is_disk_full(exc: BaseException, near: Place | None = None) -> bool:
    """Whether an error (or what it wraps) means a full disk; see `disk_full_kind`."""
    return disk_full_kind(exc, near) is not None


def disk_full_message(where: Place | None = None, *, server: bool = False, saved: str = "") -> str:
    """The one Danish message for a full disk. `where` names the file or folder being written;
    `saved` overrides the sentence about what is kept (an export: «Intet af eksporten er
    gemt.»)."""
    place = f" ({where})" if where else ""
    if server:
        head = (
            f"Disken på databaseserveren er fuld{place}: bed serverens administrator frigøre "
            "plads, og prøv igen."
        )
    else:
        head = (
            f"Disken er fuld{place}: der er ikke plads nok på drevet. Frigør plads (flyt eller "
            "slet store filer, tøm papirkurven) eller vælg et andet drev, og prøv igen."
        )
    tail = saved or (
        "Det, der er vist som gemt, er gemt; det, der ikke nåede at blive gemt, skal skrives igen."
    )
    return f"{head} {tail}"


def disk_full_error(
    exc: BaseException,
    where: Place | None = None,
    *,
    saved: str = "",
    near: Place | None = None,
) -> DiskFullError | None:
    """A `DiskFullError` with the Danish message when `exc` means a full disk, else None.
    `near` as for `disk_full_kind` (by default `where`)."""
    kind = disk_full_kind(exc, near if near is not None else where)
    if kind is None:
        return None
    return DiskFullError(disk_full_message(where, server=kind == "server", saved=saved))
