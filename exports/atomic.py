"""Atomic writing: a file is written to a temporary name next to its target, flushed to disk and
then renamed into place, so a full disk or a pulled USB stick never leaves half a file. Folders
are built in a hidden staging folder and renamed into place the same way."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from models.errors import UdviklingsdagError


class ExportError(UdviklingsdagError):
    """Writing an export failed; the message says what happened and what to do."""


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


def fsync_dir(path: Path) -> None:
    """Flush a folder's entries (new names) to disk where the platform allows it."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write(path: Path | str, data: bytes) -> Path:
    """Write one file atomically (temp file in the same folder, fsync, rename)."""
    target = Path(path)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        write_bytes(tmp, data)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise write_error(exc, target) from None
    fsync_dir(target.parent)
    return target


STAGING_PREFIX = ".udviklingsdag-eksport-"
# `.udviklingsdag-eksport-<pid>-<random>` (older versions: no pid) and the `.<name>.<hex>.old`
# a replaced package is parked under for a moment (see `move_into_place`).
_STAGING_RE = re.compile(r"^\.udviklingsdag-eksport-(?:(\d+)-)?[A-Za-z0-9_]+$")
_OLD_RE = re.compile(r"^\.(.+)\.[0-9a-f]{8}\.old$")
# Only leftovers from before this process started are stale for certain: a folder younger
# than that may belong to an export that is running right now in another window.
_PROCESS_START = time.time()


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, ValueError, OverflowError):
        return True  # it exists (another user's), or we cannot tell: leave it alone
    return True


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
                if m.group(1) and _process_alive(int(m.group(1))):
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
    an older one of the same name (the old one is removed only after the new one is in)."""
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
        text = (
            f"Der er ikke plads nok på drevet til at skrive i {where}. Intet er gemt. "
            "Frigør plads eller vælg et andet drev, og prøv igen."
        )
    elif code in (errno.EROFS, errno.EACCES, errno.EPERM):
        text = (
            f"Der kan ikke skrives i {where} (mappen eller drevet er skrivebeskyttet, eller du "
            "har ikke adgang). Intet er gemt. Vælg en anden mappe."
        )
    elif code in (errno.EIO, errno.ENODEV, errno.ENXIO, errno.ENOENT):
        text = (
            f"Drevet med {where} forsvandt eller svarede ikke under skrivningen (fx et USB-stik, "
            "der blev taget ud). Intet halvt skrevet er efterladt. Sæt drevet i og prøv igen."
        )
    else:
        text = f"Filerne kunne ikke skrives i {where}: {exc.strerror or exc}. Intet er gemt."
    return ExportError(text)
