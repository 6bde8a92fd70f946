"""Atomic writing: a file is written to a temporary name next to its target, flushed to disk and
then renamed into place, so a full disk or a pulled USB stick never leaves half a file. Folders
are built in a hidden staging folder and renamed into place the same way."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
import sys
import tempfile
import threading
import time
import uuid
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from concurrent.futures import wait as wait_for
from pathlib import Path

from models.errors import UdviklingsdagError, disk_full_message
from models.visible import visible


class ExportError(UdviklingsdagError):
    """Writing an export failed; the message says what happened and what to do."""


class InputFileError(UdviklingsdagError):
    """A file given to read cannot be read safely (not a regular file, too large ...)."""


# --- what a writer may replace ---------------------------------------------------------------
# What each kind of file is called in a refusal, and how an existing file of that kind is
# recognised from its first bytes (a writer may replace an older file of its own kind, never
# a database, a spreadsheet or anything else someone keeps under that name).
KIND_NAMES = {
    "bundle": "en workshop-pakke eller overleveringsfil fra udviklingsdag",
    "xlsx": "en Excel-projektmappe (.xlsx)",
    "sqlite": "en SQLite-eksport fra udviklingsdag",
    "zip": "en zip-fil",
    "package": "en eksportmappe fra udviklingsdag",
}
_HEAD_BYTES = 4096
_PACKAGE_MARKER = "journalisering.json"  # every SBSYS package folder holds one
_PACKAGE_FILES = {"journalisering.json", "journalisering.txt", "SbsysDropFile.xml"}
_PACKAGE_SUFFIXES = (".xlsx", ".docx", ".pdf")  # the documents, named after the package
# What a file manager leaves in a folder someone has looked into (macOS Finder, Windows
# Explorer): no reason to refuse replacing an earlier package, and nothing to keep.
_FILE_MANAGER_FILES = {".ds_store", "thumbs.db", "desktop.ini"}


def _shown(path: Path) -> str:
    return visible(str(path), 300)


def _is_protected(path: Path) -> bool:
    """Whether `path` is (or is a link to, or a hard link of) a file of an open database."""
    from models.db import open_database_files

    protected = open_database_files()
    if not protected:
        return False
    real = os.path.realpath(path)
    if any(real == str(p) for p in protected):
        return True
    try:
        st = os.stat(path)
    except OSError:
        return False
    if not st.st_ino:
        return False  # a file system without file ids (some on Windows): no hard links either
    for p in protected:
        try:
            other = os.stat(p)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) == (other.st_dev, other.st_ino):
            return True
    return False


def _is_companion(path: Path) -> bool:
    """Whether `path` is the -wal, -shm or -journal of a SQLite database next to it (maybe
    open in another program or window, so not in `open_database_files`)."""
    from models.db import SQLITE_COMPANIONS, SQLITE_MAGIC

    for suffix in SQLITE_COMPANIONS:
        if path.name.endswith(suffix) and len(path.name) > len(suffix):
            try:
                with open(path.with_name(path.name[: -len(suffix)]), "rb") as fh:
                    return fh.read(16) == SQLITE_MAGIC
            except OSError:
                return False
    return False


def _head(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(_HEAD_BYTES)


def _looks_like(path: Path, kind: str) -> bool:
    """Whether the existing regular file at `path` is of `kind` (read from its first bytes)."""
    head = _head(path)
    if not head:
        return True  # an empty file: nothing to lose
    if kind == "bundle":
        if head[:2] == b"\x1f\x8b":
            import gzip
            import zlib

            try:
                with gzip.open(path, "rb") as gz:
                    head = gz.read(_HEAD_BYTES)
            except (OSError, EOFError, zlib.error):
                return False
        return b"udviklingsdag-bundle" in head
    if kind in ("xlsx", "zip"):
        if head[:4] != b"PK\x03\x04":
            return False
        if kind == "zip":
            return True
        try:
            with zipfile.ZipFile(path) as zf:
                return "xl/workbook.xml" in zf.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
    if kind == "sqlite":
        if not head.startswith(b"SQLite format 3\x00"):
            return False
        import sqlite3

        try:
            from models.db import readonly_uri

            con = sqlite3.connect(readonly_uri(path), uri=True)
            try:
                names = {
                    r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
                }
            finally:
                con.close()
        except sqlite3.Error:
            return False
        # Ours: the export's own tables, and never an app database (a change log).
        return {"om_eksporten", "dokumentation"} <= names and "change" not in names
    return False


def _package_folder_ok(path: Path) -> bool:
    """An existing folder a package may replace: empty, or an earlier package (it holds the
    journalisering file and only files), and holding no file of a database."""
    try:
        entries = list(os.scandir(path))
    except OSError:
        return False
    names = {e.name for e in entries}
    if names and _PACKAGE_MARKER not in names:
        return False
    # A package holds its own files only: anything else in the folder (someone's notes, a
    # folder, a database) is never thrown away with it.
    for e in entries:
        if not e.is_file(follow_symlinks=False) or not (
            e.name in _PACKAGE_FILES
            or e.name.lower().endswith(_PACKAGE_SUFFIXES)
            or e.name.lower() in _FILE_MANAGER_FILES
        ):
            return False
        if _is_protected(Path(e.path)):
            return False
    return True


def guard_target(path: Path | str, kind: str | None = None) -> None:
    """Refuse (`ExportError`, Danish) to write at `path` when it is a file of a database open in
    this process (the database, its -wal, -shm or -journal), a folder where a file is meant,
    or an existing file that is not of `kind` (see `KIND_NAMES`; None: any file but an open
    database's). Every writer calls this before it replaces anything; nothing is written."""
    target = Path(path)
    if _is_protected(target) or _is_companion(target):
        raise ExportError(
            f"{_shown(target)} er en database, programmet arbejder i, eller en af en databases "
            "hjælpefiler (-wal, -shm, -journal). Den overskrives ikke; intet er skrevet. Vælg "
            "et andet filnavn."
        )
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise write_error(exc, target) from None
    if kind == "package":
        if stat.S_ISDIR(st.st_mode) and _package_folder_ok(target):
            return
    elif stat.S_ISDIR(st.st_mode):
        raise ExportError(
            f"{_shown(target)} er en mappe. Angiv et filnavn i mappen; intet er skrevet."
        )
    elif not stat.S_ISREG(st.st_mode):
        raise ExportError(
            f"{_shown(target)} er ikke en almindelig fil (fx en enhed eller et rør). Vælg et "
            "andet filnavn; intet er skrevet."
        )
    elif kind is None:
        return
    else:
        try:
            if _looks_like(target, kind):
                return
        except OSError:
            pass
    what = KIND_NAMES.get(kind or "", "en fil af den slags, der skrives her")
    raise ExportError(
        f"{_shown(target)} findes allerede og er ikke {what}. Den overskrives ikke; intet er "
        "skrevet. Vælg et andet navn, eller flyt filen først."
    )


# --- reading files the user names ------------------------------------------------------------


def check_regular_file(path: Path | str, max_bytes: int | None = None) -> int:
    """Refuse (`InputFileError`, Danish) to read anything but a regular file of at most
    `max_bytes`: a folder, a FIFO (reading it waits forever), a device or a socket. Returns
    the file's size. Call it before opening a file the user named."""
    p = Path(path)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise InputFileError(f"Filen {_shown(p)} findes ikke. Tjek stien og prøv igen.") from None
    except PermissionError:
        raise InputFileError(f"Der er ikke adgang til at læse {_shown(p)}.") from None
    except OSError as exc:
        raise InputFileError(f"Filen {_shown(p)} kan ikke læses: {exc.strerror}.") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputFileError(f"{_shown(p)} er en mappe, ikke en fil. Vælg filen i mappen.")
    if not stat.S_ISREG(st.st_mode):
        raise InputFileError(
            f"{_shown(p)} er ikke en almindelig fil (fx et rør, en enhed eller en socket), så "
            "den læses ikke. Gem indholdet som en fil, og vælg den."
        )
    if max_bytes is not None and st.st_size > max_bytes:
        raise InputFileError(
            f"{_shown(p)} er urimeligt stor ({_size_text(st.st_size)}; højst "
            f"{_size_text(max_bytes)}) til at være en fil fra udviklingsdag. Vælg den rigtige "
            "fil."
        )
    return st.st_size


def read_limited(path: Path | str, max_bytes: int) -> bytes:
    """The whole of a regular file of at most `max_bytes` (`check_regular_file`), read without
    ever holding more than `max_bytes + 1` bytes (the file may grow after the check)."""
    p = Path(path)
    check_regular_file(p, max_bytes)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(p, flags)
    except PermissionError:
        raise InputFileError(f"Der er ikke adgang til at læse {_shown(p)}.") from None
    except OSError as exc:
        raise InputFileError(f"Filen {_shown(p)} kan ikke læses: {exc.strerror}.") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped for a FIFO after the check
            raise InputFileError(f"{_shown(p)} er ikke en almindelig fil, så den læses ikke.")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:  # the drive went away or the medium is damaged mid-file
        raise InputFileError(
            f"Filen {_shown(p)} kunne ikke læses til ende ({exc.strerror or exc}). Sæt "
            "USB-nøglen i igen eller kopiér filen til bærbaren, og prøv igen."
        ) from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise InputFileError(
            f"{_shown(p)} er urimeligt stor (over {_size_text(max_bytes)}) til at være en fil "
            "fra udviklingsdag. Vælg den rigtige fil."
        )
    return data


def read_zip_member(zf: zipfile.ZipFile, name: str, max_bytes: int, what: str) -> bytes:
    """One member of a zip file, refused (`InputFileError`) when it unpacks to more than
    `max_bytes`: the declared size is checked first, and the reading stops at the limit
    whatever the header says (a zip bomb). `what` names the file in the message."""
    info = zf.getinfo(name)
    if info.file_size > max_bytes:
        raise InputFileError(_too_big_member(what, name, max_bytes))
    with zf.open(info) as fh:
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputFileError(_too_big_member(what, name, max_bytes))
    return data


def check_zip_sizes(
    zf: zipfile.ZipFile, what: str, *, member_bytes: int, total_bytes: int, members: int = 5_000
) -> None:
    """Refuse (`InputFileError`) a zip file (xlsx, docx) whose members unpack to more than
    `member_bytes` each or `total_bytes` together, or that has more than `members` members,
    before anything in it is unpacked. Python's zipfile never returns more than a member's
    declared size, so the declared sizes bound what is read."""
    infos = zf.infolist()
    if len(infos) > members:
        raise InputFileError(
            f"{what} indeholder urimeligt mange dele ({len(infos)}) og læses ikke. Gem den "
            "igen fra Excel/Word, eller brug en tidligere kopi."
        )
    total = 0
    for info in infos:
        if info.file_size > member_bytes:
            raise InputFileError(_too_big_member(what, info.filename, member_bytes))
        total += info.file_size
    if total > total_bytes:
        raise InputFileError(
            f"{what} fylder urimeligt meget, når den pakkes ud ({_size_text(total)}; højst "
            f"{_size_text(total_bytes)}), og læses ikke. Er det den rigtige fil? Gem den igen "
            "fra Excel/Word, eller brug en tidligere kopi."
        )


def _too_big_member(what: str, name: str, limit: int) -> str:
    return (
        f"{what} fylder urimeligt meget, når den pakkes ud (delen «{visible(name, 80)}» er over "
        f"{_size_text(limit)}), og læses ikke. Er det den rigtige fil? Gem den igen fra "
        "Excel/Word, eller brug en tidligere kopi."
    )


def _size_text(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.0f} MB".replace(".", ",")
    return f"{max(1, n // 1024)} KB"


def write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to a new file at `path` (which must not be open elsewhere) and fsync it.

    Every file the exports write goes through here, so a test can simulate a full disk by
    replacing this one function."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o644)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)


# Windows cannot open a folder with os.open, so there is nothing to flush there: the rename is
# still atomic (NTFS journals it), it may only reach the disk a moment later. A name of its
# own so that the tests can take the Windows path.
DIRECTORY_FSYNC = os.name == "posix"


def fsync_dir(path: Path) -> None:
    """Flush a folder's entries (new names) to disk where the platform allows it."""
    if not DIRECTORY_FSYNC:
        return
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write(
    path: Path | str, data: bytes, *, kind: str | None = None, sync_folder: bool = True
) -> Path:
    """Write one file atomically (temp file in the same folder, fsync, rename). `kind` says
    what the file is (`guard_target`): an open database and an existing file of another kind
    are never replaced. Without `sync_folder` the caller syncs the folder (`fsync_dir`) once
    after its last file: the rename is on disk only then."""
    target = Path(path)
    _write_and_rename(target, data, kind)
    if sync_folder:
        fsync_dir(target.parent)
    return target


def _write_and_rename(
    target: Path, data: bytes, kind: str | None, rename_now: Callable[[], bool] | None = None
) -> bool:
    """`atomic_write` without the folder's sync. `rename_now`, when given, is asked once the
    data is on disk, just before the rename: it may wait (`BackgroundWriter` keeps the renames
    in the files' order) and answers whether the file is still wanted; when not, the temporary
    file is removed and False returned."""
    guard_target(target, kind)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        write_bytes(tmp, data)
        if rename_now is not None and not rename_now():
            tmp.unlink()
            return False
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise write_error(exc, target) from None
    return True


class BackgroundWriter:
    """Atomic writes (`atomic_write`) of many files into one folder, made in threads of
    their own while the caller makes the next file (the disk's waits overlap the work), with
    the folder synced once at the end instead of after every file.

    Use it as a context manager: leaving it waits for every write, syncs the folder, and
    raises the first write's error (`ExportError`); `write` raises it as soon as it is known,
    so a full disk stops the caller at its next file. The files appear under their names in
    the order they were given, and after a failed write no later one appears (as a loop of
    `atomic_write` stops at the file that failed); at most `PENDING` files wait in memory: on
    a slow disk `write` waits for the oldest.

    Two threads: while one waits for the disk to take a file (fsync), the other writes the
    next. With one, the thread fell behind the posters it was given: each of its steps waited
    for the interpreter lock while a poster was being drawn, and the export waited for it
    (the 120 posters of the benchmark, five runs each by turns: 0.56–0.69 s with one thread,
    0.53–0.61 s with two; the caller's waits 0.03–0.11 s and 0.004–0.03 s)."""

    PENDING = 8
    THREADS = 2

    def __init__(self, folder: Path) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.folder = folder
        self.written: list[Path] = []
        self._pool = ThreadPoolExecutor(self.THREADS, thread_name_prefix="udviklingsdag-skriv")
        self._pending: list[Future[Path | None]] = []
        self._last: Future[Path | None] | None = None
        self._given = 0  # files given so far; each write knows its number
        # The number of the first file that failed (None: none yet). Only a file after it
        # is left unwritten: with two threads a later file may fail before an earlier one
        # has started, and the earlier one is still written.
        self._failed_at: int | None = None
        self._lock = threading.Lock()
        self._stopped = threading.Event()  # the writer was left: what is queued is not written

    def __enter__(self) -> BackgroundWriter:
        return self

    def _write(
        self,
        number: int,
        path: Path,
        data: bytes,
        kind: str | None,
        before: Future[Path | None] | None,
    ) -> Path | None:
        failed_at = self._failed_at
        if self._stopped.is_set() or (failed_at is not None and failed_at < number):
            return None  # an earlier file failed: nothing after it is written

        def rename_now() -> bool:
            # The file before this one has its name first (its thread took it earlier, so it
            # is under way or done: no waiting in a circle); this one only when that one got
            # it, so none after a failed file.
            if before is None:
                return True
            wait_for([before])
            return not before.cancelled() and before.exception() is None and bool(before.result())

        try:
            return path if _write_and_rename(path, data, kind, rename_now) else None
        except BaseException:
            with self._lock:
                if self._failed_at is None or number < self._failed_at:
                    self._failed_at = number
            raise

    def write(self, path: Path, data: bytes, *, kind: str | None = None) -> None:
        self._collect(wait=len(self._pending) >= self.PENDING)
        self._last = self._pool.submit(self._write, self._given, path, data, kind, self._last)
        self._given += 1
        self._pending.append(self._last)

    def _collect(self, *, wait: bool) -> None:
        """Take in the finished writes, oldest first (with `wait`, at least the oldest);
        raise the first one's error."""
        first = True
        while self._pending and ((wait and first) or self._pending[0].done()):
            done = self._pending.pop(0).result()
            if done is not None:
                self.written.append(done)
            first = False

    def __exit__(self, kind: object, error: object, tb: object) -> None:
        try:
            if error is None:
                while self._pending:
                    self._collect(wait=True)
                fsync_dir(self.folder)
        finally:
            self._stopped.set()  # what is still queued is not written
            self._pool.shutdown(wait=True, cancel_futures=True)


STAGING_PREFIX = ".udviklingsdag-eksport-"
# `.udviklingsdag-eksport-<pid>-<random>` (older versions: no pid) and the `.<name>.<hex>.old`
# a replaced package is parked under for a moment (see `move_into_place`).
_STAGING_RE = re.compile(r"^\.udviklingsdag-eksport-(?:(\d+)-)?[A-Za-z0-9_]+$")
_OLD_RE = re.compile(r"^\.(.+)\.[0-9a-f]{8}\.old$")
# Only leftovers from before this process started are stale for certain: a folder younger
# than that may belong to an export that is running right now in another window.
_PROCESS_START = time.time()


def process_alive(pid: int) -> bool:
    """Whether process `pid` runs (or may run: when it cannot be told, it counts as running,
    so that its folders are left alone)."""
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        # Never os.kill there: signal 0 is CTRL_C_EVENT, so os.kill(pid, 0) sends Ctrl+C to
        # the console (this app included) instead of asking whether the process runs.
        return _windows_process_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, ValueError, OverflowError):
        return True  # it exists (another user's), or we cannot tell: leave it alone
    return True


def _windows_process_alive(pid: int) -> bool:
    """Windows: whether process `pid` runs, by opening it and looking (no signal is sent)."""
    if sys.platform != "win32":
        return True  # only called on Windows (mypy checks the rest as Windows code)
    import _winapi

    synchronize, query_limited = 0x00100000, 0x1000
    try:
        handle = _winapi.OpenProcess(synchronize | query_limited, False, pid)
    except OSError as exc:
        # ERROR_INVALID_PARAMETER: no process has this id. Anything else (access denied): it
        # runs as another user, or we cannot tell: leave its folder alone.
        return getattr(exc, "winerror", None) != 87
    except (ValueError, OverflowError):
        return True
    try:
        return _winapi.WaitForSingleObject(handle, 0) == getattr(_winapi, "WAIT_TIMEOUT", 258)
    finally:
        _winapi.CloseHandle(handle)


def remove_stale_staging(parent: Path) -> list[Path]:
    """Remove what a crashed export (power cut, kill -9) left in `parent`: our hidden staging
    folders, and parked old packages whose replacement is already in place. Only our own
    names, older than this process, and never a staging folder of a process still running.
    Returns what was removed; errors are ignored (the export itself goes on)."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return removed
    for entry in entries:
        name = entry.name
        if not name.startswith("."):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
            if entry.is_symlink() or st.st_mtime >= _PROCESS_START:
                continue
            m = _STAGING_RE.match(name)
            if m and entry.is_dir(follow_symlinks=False):
                if m.group(1) and process_alive(int(m.group(1))):
                    continue
            elif not ((m := _OLD_RE.match(name)) and (parent / m.group(1)).exists()):
                # A parked old package without its replacement is the only copy: kept.
                continue
            path = Path(entry.path)
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(path)
            else:
                path.unlink()
            removed.append(path)
        except (OSError, ValueError):
            continue
    return removed


@contextlib.contextmanager
def staging_dir(parent: Path) -> Iterator[Path]:
    """A hidden temporary folder inside `parent` (same drive, so renames are atomic). It is
    removed on the way out, whatever happened; move what you keep out of it before. Stale
    staging folders of crashed exports in `parent` are removed first."""
    try:
        parent.mkdir(parents=True, exist_ok=True)
        remove_stale_staging(parent)
        path = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=parent))
    except OSError as exc:
        raise write_error(exc, parent) from None
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def move_into_place(src: Path, dest: Path) -> None:
    """Rename a finished file or folder from the staging folder to its final name, replacing
    an older one of the same name (the old one is removed only after the new one is in). An
    existing `dest` of another kind, or holding an open database, is never replaced."""
    guard_target(dest, "package" if src.is_dir() else ("zip" if dest.suffix == ".zip" else None))
    old: Path | None = None
    if dest.exists():
        old = dest.with_name(f".{dest.name}.{uuid.uuid4().hex[:8]}.old")
        os.replace(dest, old)
    try:
        os.replace(src, dest)
    except OSError:
        if old is not None:
            os.replace(old, dest)
        raise
    if old is not None:
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                old.unlink()


def write_error(exc: OSError, where: Path) -> ExportError:
    """A Danish message for an OSError met while writing under `where`."""
    code = exc.errno
    if code == errno.ENOSPC or code == getattr(errno, "EDQUOT", -1):
        text = disk_full_message(where, saved="Intet er gemt.")
    elif code in (errno.EROFS, errno.EACCES, errno.EPERM):
        text = (
            f"Der kan ikke skrives i {where} (mappen eller drevet er skrivebeskyttet, eller du "
            "har ikke adgang). Intet er gemt. Vælg en anden mappe."
        )
    elif code in (errno.EIO, errno.ENODEV, errno.ENXIO):
        text = (
            f"Drevet med {where} forsvandt eller svarede ikke under skrivningen (fx et USB-stik, "
            "der blev taget ud). Intet halvt skrevet er efterladt. Sæt drevet i og prøv igen."
        )
    elif code == errno.ENOENT:
        text = (
            f"Mappen {where} findes ikke og kan ikke laves der (findes drevet? er USB-stikket "
            "taget ud?). Intet halvt skrevet er efterladt. Vælg en anden mappe, eller sæt "
            "drevet i og prøv igen."
        )
    elif code == errno.ENOTDIR:
        text = (
            f"En del af stien {where} er en fil, ikke en mappe. Intet er gemt. Vælg en mappe "
            "(eller skriv navnet på en ny)."
        )
    elif code == errno.EEXIST:
        text = (
            f"{where} er en fil, ikke en mappe. Intet er gemt. Vælg en mappe (eller skriv navnet "
            "på en ny)."
        )
    elif code == errno.EISDIR:
        text = f"{where} rummer en mappe, hvor en fil skulle skrives. Intet er gemt."
    elif code == errno.ENAMETOOLONG:
        text = f"Stien {where} er for lang. Intet er gemt. Vælg en mappe med en kortere sti."
    elif code == errno.EINVAL:
        text = (
            f"Stien {where} kan ikke bruges: den har tegn, som et filnavn ikke må have (fx : * "
            '? " < > |). Intet er gemt. Vælg en anden mappe.'
        )
    else:
        name = errno.errorcode.get(code, "") if code is not None else ""
        detail = f" (fejlkode {name or code})" if (name or code) else ""
        text = (
            f"Filerne kunne ikke skrives i {where}{detail}. Intet er gemt. Vælg en anden mappe, "
            "og prøv igen."
        )
    return ExportError(text)
