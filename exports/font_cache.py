"""The fonts the PDFs embed (and the posters' fixed parts), prepared once per installation
instead of once per process.

Cutting DejaVu Sans down to the letters the documents use takes about 0.6 s (fontTools'
subsetter, both styles); every process that writes a PDF paid it before its first page: the
app's first export, each export's worker processes, each benchmark run. The prepared fonts
are kept in the app's own data folder (`cache/`), in one file named after everything they are
made from (the font files' bytes, fontTools' and fpdf2's versions, what is kept of the fonts),
so another font, library or rule makes a new file instead of reading an old one. Each `kind`
of prepared parts has files of its own: the fonts (`FONTS`), and the parts every Plan A poster
shares (`exports.page_pdf`, `exports.plan_a_poster`).

The file is read only when each of its parts has the length and SHA-256 its header gives; a
damaged, foreign or half-written file is ignored (and written again), and a folder that cannot
be written leaves the fonts prepared in memory as before. Nothing in it is executed: the
header is JSON and the parts are bytes."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

MAGIC = b"UDVIKLINGSDAG-SKRIFTTYPER 1\n"
MAX_HEADER = 64 * 1024
MAX_FILE = 16 * 1024 * 1024  # the prepared fonts are about 0.5 MB
FONTS = "skrifttyper"  # the kind of the prepared fonts (`exports.pdf._prepared_fonts`)


def cache_dir() -> Path:
    from models.paths import data_dir

    return data_dir() / "cache"


def key(parts: Iterable[bytes]) -> str:
    """A name for what the fonts are made from: the same parts give the same name."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()[:32]


def _path(name: str, kind: str) -> Path:
    return cache_dir() / f"{kind}-{name}.bin"


def load(name: str, kind: str = FONTS) -> dict[str, bytes] | None:
    """The parts of `kind` stored under `name`, or None when there is no such file or it is
    not whole."""
    try:
        with open(_path(name, kind), "rb") as fh:
            data = fh.read(MAX_FILE + 1)
    except OSError:
        return None
    if len(data) > MAX_FILE or not data.startswith(MAGIC):
        return None
    end = data.find(b"\n", len(MAGIC), len(MAGIC) + MAX_HEADER)
    if end < 0:
        return None
    try:
        header = json.loads(data[len(MAGIC) : end])
        entries = [(str(n), int(size), str(sha)) for n, size, sha in header["parts"]]
    except (ValueError, TypeError, KeyError, RecursionError):
        return None
    parts: dict[str, bytes] = {}
    pos = end + 1
    for part_name, size, sha in entries:
        part = data[pos : pos + size]
        if size < 0 or len(part) != size or hashlib.sha256(part).hexdigest() != sha:
            return None
        parts[part_name] = part
        pos += size
    return parts if pos == len(data) else None


def store(name: str, parts: dict[str, bytes], kind: str = FONTS) -> None:
    """Keep `parts` of `kind` under `name`, written whole or not at all (`atomic_write`);
    silently nothing when the folder cannot be written."""
    from .atomic import ExportError, atomic_write

    header = json.dumps(
        {"parts": [[n, len(b), hashlib.sha256(b).hexdigest()] for n, b in parts.items()]}
    ).encode("ascii")
    target = _path(name, kind)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, MAGIC + header + b"\n" + b"".join(parts.values()))
    except (OSError, ExportError):
        return
    _tidy(target, kind)


T = TypeVar("T")


def kept_or_made(
    name: str | None,
    kind: str,
    read: Callable[[dict[str, bytes] | None], T | None],
    make: Callable[[], T | None],
    parts: Callable[[T], dict[str, bytes]],
) -> T | None:
    """What is kept of `kind` under `name` (`read` from its parts; None: not usable), else
    `make()`, kept under `name` (as its `parts`) unless it is None. `name` None: made, not
    kept (its sources could not be read)."""
    if name is not None:
        kept = read(load(name, kind))
        if kept is not None:
            return kept
    made = make()
    if made is not None and name is not None:
        store(name, parts(made), kind)
    return made


def _hours_old(path: Path) -> float:
    import time

    return (time.time() - path.stat().st_mtime) / 3600


def _tidy(kept: Path, kind: str) -> None:
    """Remove what earlier fonts, libraries or rules left: the other files of `kind`, and its
    temporary files of writers killed more than an hour ago."""
    try:
        for path in kept.parent.iterdir():
            older = path.name.startswith(f"{kind}-") and path != kept
            abandoned = path.name.startswith(f".{kind}-") and _hours_old(path) > 1
            if older or abandoned:
                path.unlink(missing_ok=True)
    except OSError:
        pass
