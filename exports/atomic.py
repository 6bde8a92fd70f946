"""Atomic writing: a file is written to a temporary name next to its target, flushed to disk and
then renamed into place, so a full disk or a pulled USB stick never leaves half a file. Folders
are built in a hidden staging folder and renamed into place the same way."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
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


@contextlib.contextmanager
def staging_dir(parent: Path) -> Iterator[Path]:
    """A hidden temporary folder inside `parent` (same drive, so renames are atomic). It is
    removed on the way out, whatever happened; move what you keep out of it before."""
    try:
        parent.mkdir(parents=True, exist_ok=True)
        path = Path(tempfile.mkdtemp(prefix=".udviklingsdag-eksport-", dir=parent))
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
