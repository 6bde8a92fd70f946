"""The one file format that carries change-log entries between laptops.

A *workshop pack* goes from the tovholder to the facilitators (the day, its programme, borde,
organisation, målsætninger and mål, with their ids); a *handoff file* comes back from each
facilitator laptop (the entries that laptop recorded). Both are the same format, described in
`docs/bundle-format.md`: one UTF-8 JSON document (optionally gzip-compressed)

    {"format": "udviklingsdag-bundle", "format_version": 1,
     "manifest": {...}, "entries": [...]}

whose manifest holds a SHA-256 over the canonical serialisation of `entries`.

Reading is strict: anything that is not exactly a bundle we understand is refused with a
Danish message (`BundleError`) before any database is touched. An entry's own form and checks
are the change log's (`models.changes`); `import_bundles` reads files and hands them to
`models.importing`, which applies them.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import zlib
from collections.abc import Container, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.engine import Connection

from models.changes import CHANGE, UUID_RE, Entry, entry_json, entry_problem, row_table
from models.clock import MAX_MILLIS, MIN_MILLIS, iso_millis
from models.consolidation import clock_offset
from models.db import Database, bytewise
from models.errors import FILE_CONTENT_ERRORS, UdviklingsdagError, ValidationError
from models.importing import ChangeFile, FileResult, ImportReport, import_files, imported_digests
from models.schema import ENTITIES, clean_line
from models.store import DEVICE, Store, database_of, store_of
from models.visible import is_clean, visible
from models.words import thousands
from models.workspace import Workspace

FORMAT = "udviklingsdag-bundle"
FORMAT_VERSION = 1
KINDS = ("pack", "handoff")
KIND_LABELS = {"pack": "Workshop-pakke", "handoff": "Overleveringsfil"}
SUFFIX = ".udviklingsdag.json"

# Refuse absurd sizes before parsing: a full two-day workshop is a few MB; these limits are far
# above any real file and far below what would exhaust a laptop's memory.
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_JSON_BYTES = 400 * 1024 * 1024
MAX_ENTRIES = 2_000_000

_MANIFEST_REQUIRED = ("kind", "device_id", "device_name", "created_at", "entries", "sha256")
SHA_RE = re.compile(r"^[0-9a-f]{64}\Z")


class BundleError(UdviklingsdagError):
    """A file was refused: `str(error)` says in Danish what is wrong and what to do."""


@dataclass
class BundleInfo:
    """What a bundle file holds, for summaries, the import ledger and the user interface."""

    path: Path
    sha256: str
    kind: str
    device_id: str
    device_name: str
    created_at: str
    entries: int
    counts: dict[str, int] = field(default_factory=dict)
    format_version: int = FORMAT_VERSION
    app_version: str = ""
    schema_version: str = ""
    udviklingsdag_id: str | None = None

    @property
    def kind_label(self) -> str:
        """«Workshop-pakke» or «Overleveringsfil»."""
        return KIND_LABELS.get(self.kind, self.kind)

    def summary_lines(self) -> list[str]:
        """Danish lines describing the file, for a dialog or the command line."""
        lines = [
            f"{self.kind_label} fra «{self.device_name}»",
            f"Lavet: {format_time(self.created_at)}",
            f"Ændringer i filen: {thousands(self.entries)}",
        ]
        if self.counts:
            parts = [f"{label}: {thousands(n)}" for label, n in self.counts.items()]
            lines.append("Rækker: " + ", ".join(parts))
        lines.append(f"Fil: {self.path}")
        lines.append(f"Kontrolsum (SHA-256): {self.sha256}")
        return lines


@dataclass
class Bundle:
    """A bundle read from a file: its manifest, its entries (as in the file) and its info."""

    info: BundleInfo
    manifest: dict[str, Any]
    entries: list[dict[str, Any]]
    # True when only the manifest was read, because the file's digest was among the trusted
    # ones (already imported): `entries` is then empty and `info.entries` gives the number.
    entries_skipped: bool = False

    @property
    def devices(self) -> list[tuple[str, str]]:
        """(id, name) of every device whose entries the file holds (the writer first)."""
        out = {self.info.device_id: self.info.device_name}
        for item in self.manifest.get("devices") or []:
            out.setdefault(item["id"], item["navn"])
        return list(out.items())


def format_time(iso: str) -> str:
    """An ISO timestamp shown the Danish way in local time ('25-11-2026 kl. 17:30')."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%d-%m-%Y kl. %H:%M")


# --- canonical form and digest --------------------------------------------------------------


def canonical_bytes(entries: Sequence[dict[str, Any]]) -> bytes:
    """The bytes the digest is computed over: the entries array as compact JSON with sorted
    keys and unescaped UTF-8 (Python: `json.dumps(entries, ensure_ascii=False,
    sort_keys=True, separators=(",", ":")).encode()`)."""
    return json.dumps(entries, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode(
        "utf-8"
    )


def digest(entries: Sequence[dict[str, Any]]) -> str:
    """SHA-256 (hex) over the canonical form of the entries."""
    return hashlib.sha256(canonical_bytes(entries)).hexdigest()


# --- writing ----------------------------------------------------------------------------------


def _app_version() -> str:
    try:
        from importlib.metadata import version

        return version("udviklingsdag")
    except Exception:
        return "0.0.0"


def _excluded_rows(conn: Connection, dag_id: str) -> set[tuple[str, str]]:
    """Rows that belong to other udviklingsdage than `dag_id` (left out of its pack)."""
    dag, blok, bord = row_table("udviklingsdag"), row_table("programblok"), row_table("bord")
    deltager, note = row_table("deltager"), row_table("note")
    if conn.execute(select(dag.c.id).where(dag.c.id == dag_id)).first() is None:
        raise BundleError(
            "Den valgte udviklingsdag findes ikke i databasen. Vælg en anden dag, eller lav "
            "pakken uden at vælge en dag."
        )
    out: set[tuple[str, str]] = set()
    out |= {
        ("udviklingsdag", r)
        for r in conn.execute(select(dag.c.id).where(dag.c.id != dag_id)).scalars()
    }
    out |= {
        ("programblok", r)
        for r in conn.execute(select(blok.c.id).where(blok.c.udviklingsdag_id != dag_id)).scalars()
    }
    other_borde = set(
        conn.execute(select(bord.c.id).where(bord.c.udviklingsdag_id != dag_id)).scalars()
    )
    out |= {("bord", r) for r in other_borde}
    for r in conn.execute(select(deltager.c.id, deltager.c.bord_id)):
        if r.bord_id in other_borde:
            out.add(("deltager", r.id))
    for r in conn.execute(select(note.c.id, note.c.bord_id)):
        if r.bord_id in other_borde:
            out.add(("note", r.id))
    return out


def _local_device(conn: Connection, database: Database) -> tuple[str, str]:
    dev: Table = DEVICE
    row = conn.execute(select(dev.c.id, dev.c.navn).where(dev.c.id == database.device_id)).first()
    return (database.device_id, row.navn if row else database.device_name)


def _write(
    database: Database,
    path: Path | str,
    kind: str,
    entries: list[dict[str, Any]],
    conn: Connection,
    udviklingsdag_id: str | None = None,
) -> BundleInfo:
    path = Path(path)
    device_id, device_name = _local_device(conn, database)
    names: dict[str, str] = dict(conn.execute(select(DEVICE.c.id, DEVICE.c.navn)).all())
    seen: dict[str, None] = {}
    rows: dict[str, set[str]] = {}
    for e in entries:
        seen.setdefault(e["device_id"], None)
        rows.setdefault(e["entity"], set()).add(e["row_id"])
    counts = {name: len(rows[name]) for name in ENTITIES if name in rows}
    created_at = _created_at_now()
    sha = digest(entries)
    manifest: dict[str, Any] = {
        "kind": kind,
        "app": "udviklingsdag",
        "app_version": _app_version(),
        "schema_version": database.revision,
        "device_id": device_id,
        "device_name": device_name,
        "created_at": created_at,
        "udviklingsdag_id": udviklingsdag_id,
        "entries": len(entries),
        "counts": counts,
        "devices": [{"id": d, "navn": names.get(d, "")} for d in seen],
        "sha256": sha,
    }
    data = render(manifest, entries)
    if path.name.endswith(".gz"):
        data = gzip.compress(data, mtime=0)
    _save(path, data)
    return BundleInfo(
        path=path,
        sha256=sha,
        kind=kind,
        device_id=device_id,
        device_name=device_name,
        created_at=created_at,
        entries=len(entries),
        counts={ENTITIES[n].label_plural: c for n, c in counts.items()},
        app_version=manifest["app_version"],
        schema_version=database.revision,
        udviklingsdag_id=udviklingsdag_id,
    )


def _created_at_now() -> str:
    """Now, for a manifest's `created_at`, within the range every reader accepts
    (`models.clock.iso_millis`): a laptop whose clock stands before 2000 (a flat clock battery)
    writes 2000-01-01, as its timestamps stop there too (models.clock), and the file is
    accepted, with the ledger saying its clock runs slow."""
    now = datetime.now(UTC)
    low = datetime.fromtimestamp(MIN_MILLIS / 1000, UTC)
    high = datetime.fromtimestamp(MAX_MILLIS / 1000 - 1, UTC)
    return min(max(now, low), high).isoformat(timespec="seconds")


def render(manifest: dict[str, Any], entries: Sequence[dict[str, Any]]) -> bytes:
    """The document as written: the manifest first, then one canonical entry per line, so
    it reads in any text editor and the digest can be checked on the bytes as they are."""
    head = json.dumps(
        {"format": FORMAT, "format_version": FORMAT_VERSION, "manifest": manifest},
        ensure_ascii=False,
        indent=1,
    )
    body = ",\n".join(
        json.dumps(e, ensure_ascii=False, sort_keys=True, separators=(",", ":")) for e in entries
    )
    return (head[:-2] + ',\n "entries": [\n' + body + "\n ]\n}\n").encode("utf-8")


def _save(path: Path, data: bytes) -> None:
    """Write the file atomically (a pulled USB stick never leaves half a file); the shared
    helper turns disk errors into Danish messages."""
    from .atomic import ExportError, atomic_write

    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise BundleError(f"Mappen {folder} findes ikke. Vælg en mappe, der findes.")
    try:
        atomic_write(path, data, kind="bundle")
    except ExportError as exc:
        # The same Danish text (full disk, read-only, no access, drive gone), as the error
        # this module promises its callers.
        raise BundleError(str(exc)) from None


def write_pack(
    db: Database | Store, path: Path | str, *, udviklingsdag_id: str | None = None
) -> BundleInfo:
    """Write a workshop pack: the whole change log (with history, so ids and heads are the same
    everywhere), leaving out other udviklingsdage's programme, borde, deltagere and the borde's
    notes when `udviklingsdag_id` is given."""
    database = database_of(db)
    with database.engine.connect() as conn:
        excluded = _excluded_rows(conn, udviklingsdag_id) if udviklingsdag_id else set()
        order = (bytewise(CHANGE.c.hlc), bytewise(CHANGE.c.id))
        rows = conn.execute(select(CHANGE).order_by(*order))
        entries = [entry_json(r) for r in rows if (r.entity, r.row_id) not in excluded]
        return _write(database, path, "pack", entries, conn, udviklingsdag_id)


def write_handoff(db: Database | Store | Workspace, path: Path | str) -> BundleInfo:
    """Write a handoff file: every entry this laptop recorded itself (its own device id)."""
    database = database_of(db)
    with database.engine.connect() as conn:
        rows = conn.execute(
            select(CHANGE)
            .where(CHANGE.c.device_id == database.device_id)
            .order_by(bytewise(CHANGE.c.hlc), bytewise(CHANGE.c.id))
        )
        entries = [entry_json(r) for r in rows]
        return _write(database, path, "handoff", entries, conn)


def suggest_filename(db: Database | Store | Workspace, kind: str) -> str:
    """A safe default file name, e.g. 'overlevering-Bord-3-20261125-1730.udviklingsdag.json':
    the laptop's name made safe on Windows too (`naming.safe_component`) and short, so the
    name always ends in `SUFFIX` (the consolidation screen lists files by it)."""
    from .naming import safe_component

    database = database_of(db)
    stem = "workshoppakke" if kind == "pack" else "overlevering"
    name = safe_component(database.device_name, max_len=40, fallback="baerbar")
    stamp = datetime.now().strftime("%Y%m%d-%H%M")
    return f"{stem}-{name}-{stamp}{SUFFIX}"


# --- reading ---------------------------------------------------------------------------------


def _bad(path: Path, what: str) -> BundleError:
    return BundleError(f"Filen {visible(path.name)} kan ikke indlæses: {what} Intet er ændret.")


def _read_bytes(path: Path) -> bytes:
    from .atomic import InputFileError, check_regular_file, read_limited

    try:
        # The shared reader: a regular file only (a pipe or a device could wait forever, also
        # when swapped in after the check), and never more than the limit.
        size = check_regular_file(path)
        if size > MAX_FILE_BYTES:
            raise _bad(
                path,
                f"den er urimeligt stor ({size // (1024 * 1024)} MB) til at være en "
                "fil fra udviklingsdag.",
            )
        raw = read_limited(path, MAX_FILE_BYTES)
    except InputFileError as exc:
        raise BundleError(str(exc)) from None
    if raw[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(raw)) as gz:
                raw = gz.read(MAX_JSON_BYTES + 1)
        except (EOFError, zlib.error):
            raise _bad(
                path,
                "den er ufuldstændig eller beskadiget (den komprimerede fil slutter "
                "for tidligt). Kopiér filen igen fra bærbaren.",
            ) from None
        except OSError:
            raise _bad(path, "den er ikke en fil fra udviklingsdag.") from None
        if len(raw) > MAX_JSON_BYTES:
            raise _bad(path, "den fylder urimeligt meget, når den pakkes ud.")
    return raw


def read_bundle(
    path: Path | str, *, trusted: Container[str] = (), skip_known: bool = False
) -> Bundle:
    """Read and check a bundle file. Raise `BundleError` (Danish) for anything that is not a
    complete, unchanged bundle of a format version this app understands.

    `trusted` holds digests of content already checked and imported (the import ledger):
    such a file's digest is still verified, but its entries are not checked one by one
    again. With `skip_known`, such a file laid out as this app writes it is not even parsed
    beyond its manifest: the result has `entries_skipped` set and no entries (the merge
    needs none of them, they are all in the database)."""
    path = Path(path)
    try:
        return _read_bundle(path, trusted, skip_known)
    except FILE_CONTENT_ERRORS as exc:
        # The checks should have given a precise message; no file content ends in a traceback.
        raise _bad(
            path,
            f"den indeholder noget, som udviklingsdag ikke forventer ({type(exc).__name__}). "
            "Bed om en ny fil fra bærbaren.",
        ) from exc


def _read_bundle(path: Path, trusted: Container[str], skip_known: bool) -> Bundle:
    raw = _read_bytes(path)
    if skip_known:
        known = _read_known(path, raw, trusted)
        if known is not None:
            return known
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _bad(path, "den er ikke en fil fra udviklingsdag (ikke UTF-8-tekst).") from None
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped.startswith("{") or FORMAT not in stripped[:300]:
        raise _bad(
            path,
            "den er ikke en fil fra udviklingsdag (hverken workshop-pakke eller overleveringsfil).",
        )
    try:
        doc = json.loads(stripped)
    except json.JSONDecodeError:
        raise _bad(
            path,
            "den er ufuldstændig eller beskadiget (den slutter for tidligt eller er "
            "ændret). Kopiér filen igen fra bærbaren.",
        ) from None
    except RecursionError:
        raise _bad(path, "den er beskadiget.") from None
    except ValueError:
        # An integer literal of thousands of digits (Python refuses to convert it).
        raise _bad(
            path,
            "den indeholder et urimeligt stort tal, som udviklingsdag aldrig skriver. Filen "
            "er ændret eller ikke lavet af udviklingsdag; bed om en ny fil fra bærbaren.",
        ) from None
    manifest, version = _check_head(path, doc)
    entries = doc.get("entries")
    if not isinstance(entries, list):
        raise _bad(path, "manifestet eller listen af ændringer mangler.")
    _check_count(path, manifest["entries"], len(entries))
    sha = manifest["sha256"]
    if not _digest_matches_as_written(raw, sha) and digest(entries) != sha:
        raise _digest_error(path)
    if sha not in trusted:
        for n, entry in enumerate(entries, 1):
            problem = entry_problem(entry)
            if problem:
                raise _bad(path, f"ændring nr. {n} er ugyldig ({problem}).")
    return Bundle(_info(path, manifest, version, len(entries)), manifest, entries)


def _read_known(path: Path, raw: bytes, trusted: Container[str]) -> Bundle | None:
    """A bundle read from its manifest alone, when the file is laid out as this app writes
    it and its digest is trusted (imported before); else None (read it in full). The
    digest is still checked on the bytes, so a changed file is refused as always."""
    start = raw.rfind(_ENTRIES_START)
    if start < 1 or raw[start - 1 : start] != b"," or not raw.endswith(_ENTRIES_END):
        return None
    try:
        # The head as `render` wrote it, closed where the entries begin.
        doc = json.loads(raw[: start - 1].decode("utf-8").lstrip("\ufeff \t\r\n") + "\n}")
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(doc, dict) or not isinstance(doc.get("manifest"), dict):
        return None
    sha = doc["manifest"].get("sha256")
    if not isinstance(sha, str) or sha not in trusted:
        return None
    manifest, version = _check_head(path, doc)
    count = _line_count(raw, start + len(_ENTRIES_START), len(raw) - len(_ENTRIES_END))
    _check_count(path, manifest["entries"], count)
    if not _digest_matches_as_written(raw, sha):
        raise _digest_error(path)
    return Bundle(_info(path, manifest, version, count), manifest, [], entries_skipped=True)


def _digest_error(path: Path) -> BundleError:
    return _bad(
        path,
        "indholdet passer ikke med kontrolsummen (SHA-256). Filen er ændret "
        "eller beskadiget undervejs. Kopiér den igen fra bærbaren.",
    )


def _check_count(path: Path, declared: Any, count: int) -> None:
    if count > MAX_ENTRIES or (isinstance(declared, int) and declared > MAX_ENTRIES):
        raise _bad(path, "den indeholder urimeligt mange ændringer.")
    if declared != count:
        raise _bad(
            path,
            f"den er ufuldstændig: manifestet lover {visible(declared, limit=40)} ændringer, men "
            f"filen har {count}. Kopiér filen igen fra bærbaren.",
        )


def _check_head(path: Path, doc: Any) -> tuple[dict[str, Any], int]:
    """Check the document's format, version and manifest (everything but the entries).
    Returns the (upgraded) manifest and the file's format version."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise _bad(path, "den er ikke en fil fra udviklingsdag.")
    version = doc.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _bad(path, "filformatets version mangler eller er ugyldig.")
    if version > FORMAT_VERSION:
        raise _bad(
            path,
            f"den er lavet med en nyere version af udviklingsdag (filformat "
            f"{version}; dette program kan læse op til {FORMAT_VERSION}). Opdatér "
            "programmet og prøv igen.",
        )
    doc = upgrade_schema(doc, version)
    manifest = doc.get("manifest")
    if not isinstance(manifest, dict):
        raise _bad(path, "manifestet eller listen af ændringer mangler.")
    missing = [k for k in _MANIFEST_REQUIRED if k not in manifest]
    if missing:
        raise _bad(path, f"manifestet mangler {', '.join(missing)}.")
    kind = manifest["kind"]
    if kind not in KINDS:
        raise _bad(path, f"filtypen «{visible(kind, limit=40)}» kendes ikke.")
    sha = manifest["sha256"]
    if not isinstance(sha, str) or not SHA_RE.match(sha):
        raise _bad(path, "kontrolsummen i manifestet er ugyldig.")
    for key in ("device_id", "device_name", "created_at"):
        if not isinstance(manifest[key], str):
            raise _bad(path, f"manifestets felt «{key}» er ugyldigt.")
    if not UUID_RE.match(manifest["device_id"]):
        raise _bad(path, "manifestets bærbar-id er ugyldigt.")
    if iso_millis(manifest["created_at"]) is None or not is_clean(manifest["created_at"]):
        raise _bad(path, "manifestets tidspunkt for, hvornår filen blev lavet, er ugyldigt.")
    devices = manifest.get("devices") or []
    if not isinstance(devices, list) or not all(
        isinstance(d, dict)
        and isinstance(d.get("id"), str)
        and UUID_RE.match(d["id"])
        and isinstance(d.get("navn"), str)
        for d in devices
    ):
        raise _bad(path, "manifestets liste af bærbare er ugyldig.")
    # Device names are shown in the ledger, the preview and the conflict view: they follow the
    # rules of a name typed in the app (one line, no control characters, at most 500 signs).
    manifest = dict(manifest)
    manifest["device_name"] = _device_name(path, manifest["device_name"])
    manifest["devices"] = [{**d, "navn": _device_name(path, d["navn"])} for d in devices]
    return manifest, version


def _device_name(path: Path, name: str) -> str:
    try:
        return clean_line(name, "Navnet") or ""
    except ValidationError as exc:
        raise _bad(
            path,
            f"manifestets navn på bærbaren «{visible(name, limit=40)}» er ugyldigt ({exc}) "
            "Filen er ændret eller ikke lavet af udviklingsdag; bed om en ny fil fra bærbaren.",
        ) from None


def _info(path: Path, manifest: dict[str, Any], version: int, entries: int) -> BundleInfo:
    dag_id = manifest.get("udviklingsdag_id")
    counts_raw = manifest.get("counts") or {}
    counts = (
        {
            ENTITIES[k].label_plural: int(v)
            for k, v in counts_raw.items()
            if k in ENTITIES and isinstance(v, int)
        }
        if isinstance(counts_raw, dict)
        else {}
    )
    return BundleInfo(
        path=path,
        sha256=manifest["sha256"],
        kind=manifest["kind"],
        device_id=manifest["device_id"],
        device_name=manifest["device_name"],
        created_at=manifest["created_at"],
        entries=entries,
        counts=counts,
        format_version=version,
        app_version=visible(manifest.get("app_version", ""), limit=40),
        schema_version=visible(manifest.get("schema_version", ""), limit=40),
        udviklingsdag_id=dag_id if isinstance(dag_id, str) and UUID_RE.match(dag_id) else None,
    )


_ENTRIES_START = b'\n "entries": [\n'
_ENTRIES_END = b"\n ]\n}\n"


def _entry_lines(raw: bytes) -> tuple[int, int] | None:
    """Where the entry lines of a file laid out as `render` writes it begin and end in `raw`,
    or None."""
    start = raw.rfind(_ENTRIES_START)
    if start < 0 or not raw.endswith(_ENTRIES_END):
        return None
    return start + len(_ENTRIES_START), len(raw) - len(_ENTRIES_END)


_HASH_BLOCK = 1024 * 1024  # bytes of entry lines made canonical at a time for the digest


def _digest_matches_as_written(raw: bytes, sha: str) -> bool:
    """Check the digest on the bytes as this app writes them (one canonical entry per line),
    which spares serialising every entry again. A file laid out differently (edited by hand,
    written by another program) falls back to the full canonical check. The lines are
    hashed a block at a time, so no second copy of the file is made."""
    span = _entry_lines(raw)
    if span is None:
        return False
    begin, end = span
    # A JSON string never holds a raw newline, so ",\n" only occurs between entries.
    hasher = hashlib.sha256(b"[")
    at = begin
    while at < end:
        stop = raw.find(b",\n", min(at + _HASH_BLOCK, end), end)
        stop = end if stop < 0 else stop + 2  # a block ends after a separator, never in one
        hasher.update(raw[at:stop].replace(b",\n", b","))
        at = stop
    hasher.update(b"]")
    return hasher.hexdigest() == sha


def upgrade_schema(doc: dict[str, Any], version: int) -> dict[str, Any]:
    """Bring an older format version up to the current one (one step per version). Version 1
    is the first, so there is nothing to do yet; the hook keeps old files importable."""
    steps: dict[int, Any] = {}
    while version < FORMAT_VERSION:
        doc = steps[version](doc)
        version += 1
    return doc


# --- importing -------------------------------------------------------------------------------


def import_bundles(
    db: Database | Store | Workspace,
    paths: Sequence[Path | str],
    *,
    dry_run: bool = False,
    skip_rejected: bool = False,
    allow_foreign: bool = False,
) -> ImportReport:
    """Import bundle files (workshop packs or handoff files) into a database: read and check
    them here, apply them with `models.importing.import_files`.

    All accepted files are applied in one transaction. A bad file raises `BundleError` or
    `MergeError` and changes nothing, unless `skip_rejected` is set: then it is reported as
    «afvist» in the result and the other files are imported. With `dry_run` the result is a
    preview and the database is left as it was. Pass the workspace or `Store` when the app holds
    one, so
    its clock moves past the imported timestamps (at most `models.clock.MAX_AHEAD_MILLIS`
    ahead of its wall clock).

    A file from another database lineage raises `ForeignFileError` (a `MergeError`; with
    `skip_rejected` it is «afvist»), in a dry run too, unless `allow_foreign` is set after the
    user confirmed; then it is merged and marked `FileResult.foreign`. No other exception than
    `UdviklingsdagError`s comes out for any file content."""
    from models.db import intact_check_meanwhile

    database = database_of(db)
    # Never into a damaged file: the check runs while the files are read and checked.
    intact = intact_check_meanwhile(database, during="Der er ikke importeret noget.")
    imported = imported_digests(database)
    files: list[ChangeFile | FileResult] = []
    for p in paths:
        path = Path(p)
        try:
            files.append(read_change_file(path, trusted=imported))
        except BundleError as exc:
            if not skip_rejected:
                raise
            files.append(FileResult(path, status="afvist", error=str(exc)))
    intact()
    return import_files(
        store_of(db),
        files,
        dry_run=dry_run,
        skip_rejected=skip_rejected,
        allow_foreign=allow_foreign,
    )


def read_change_file(path: Path, *, trusted: Container[str] = ()) -> ChangeFile:
    """Read and check a bundle file as the change log's importer takes it
    (`models.importing.ChangeFile`), without keeping its entries: they are read again, one at
    a time, while the importer checks and stages them (`_stream_entries`), so an import holds
    at most one file's bytes at a time, whatever the number of files.

    A file laid out as this app writes it (one canonical entry per line) is checked here on
    its bytes alone: manifest, number of entries and digest. Another layout is read and
    checked in full here (`read_bundle`) and again when its entries are streamed. A file
    imported before (its digest in `trusted`) is read from its manifest alone (`skipped`)."""
    bundle = _read_lines_head(path, trusted)
    if bundle is None:
        bundle = read_bundle(path, trusted=trusted, skip_known=True)
    info = bundle.info
    return ChangeFile(
        path=info.path,
        sha256=info.sha256,
        kind=info.kind,
        device_id=info.device_id,
        device_name=info.device_name,
        received=info.entries,
        entries=() if bundle.entries_skipped else _EntryStream(path, info.sha256, trusted),
        devices=tuple(bundle.devices),
        skipped=bundle.entries_skipped,
        clock_offset=clock_offset(info.created_at),
    )


def _body_of(raw: bytes) -> tuple[int, int, int] | None:
    """(where the head ends, where the entry lines begin, where they end) in a file laid out as
    `render` writes it, or None."""
    span = _entry_lines(raw)
    start = raw.rfind(_ENTRIES_START)
    if span is None or start < 1 or raw[start - 1 : start] != b",":
        return None
    return start, *span


def _line_count(raw: bytes, begin: int, end: int) -> int:
    """The number of entry lines between `begin` and `end` (one entry per line)."""
    # A JSON string never holds a raw newline: one entry per line.
    return raw.count(b",\n", begin, end) + 1 if end > begin else 0


def _read_lines_head(path: Path, trusted: Container[str]) -> Bundle | None:
    """The bundle of a file laid out as this app writes it, checked on its bytes (manifest,
    count of entry lines, digest as written) with no entry parsed: `entries` empty, and
    `entries_skipped` when its digest is trusted. None for any other layout, or when the
    bytes do not match the digest (the full reader then finds the precise message)."""
    raw = _read_bytes(path)
    known = _read_known(path, raw, trusted)
    if known is not None:
        return known
    found = _body_of(raw)
    if found is None:
        return None
    start, begin, end = found
    stripped = raw[:start].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped.startswith(b"{") or FORMAT.encode() not in stripped[:300]:
        return None
    try:
        doc = json.loads(raw[: start - 1].decode("utf-8").lstrip("\ufeff \t\r\n") + "\n}")
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        return None
    manifest, version = _check_head(path, doc)
    count = _line_count(raw, begin, end)
    if manifest["entries"] == count:
        _check_count(path, manifest["entries"], count)  # the limit on the number of entries
    if manifest["entries"] != count or not _digest_matches_as_written(raw, manifest["sha256"]):
        return None
    return Bundle(_info(path, manifest, version, count), manifest, [])


class _EntryStream:
    """A file's entries, read again from the file and checked one at a time each time it is
    iterated (`read_change_file`). For a file laid out as this app writes it, the digest is
    checked on the bytes first (the file may have been swapped since it was listed), then each
    line is parsed and checked (`entry_problem`); any other file goes through `read_bundle`.
    Raises `BundleError` (Danish), like `read_bundle`, for anything wrong."""

    def __init__(self, path: Path, sha256: str, trusted: Container[str]) -> None:
        self.path, self.sha256, self.trusted = path, sha256, trusted

    def __iter__(self) -> Iterator[Entry]:
        try:
            yield from self._entries()
        except FILE_CONTENT_ERRORS as exc:
            raise _bad(
                self.path,
                "den indeholder noget, som udviklingsdag ikke forventer "
                f"({type(exc).__name__}). Bed om en ny fil fra bærbaren.",
            ) from exc

    def _entries(self) -> Iterator[Entry]:
        path = self.path
        raw = _read_bytes(path)
        found = _body_of(raw)
        if found is None or not _digest_matches_as_written(raw, self.sha256):
            yield from self._whole(0)
            return
        _, at, end = found
        check = self.sha256 not in self.trusted
        n = 0
        while at < end:
            stop = raw.find(b",\n", at, end)
            stop = end if stop < 0 else stop
            line = raw[at:stop]
            at = stop + 2
            try:
                item = json.loads(line.decode("utf-8"))
            except (ValueError, RecursionError):  # also UnicodeDecodeError
                # Not one entry on this line (an entry split over lines, a huge number): the
                # whole file's reader gives the same entries, or the precise message.
                yield from self._whole(n)
                return
            n += 1
            if check:
                problem = entry_problem(item)
                if problem:
                    raise _bad(path, f"ændring nr. {n} er ugyldig ({problem}).")
            yield Entry.from_json(item)

    def _whole(self, skip: int) -> Iterator[Entry]:
        """The entries after the first `skip`, from the whole file's reader."""
        bundle = read_bundle(self.path, trusted=self.trusted)
        if bundle.info.sha256 != self.sha256:
            raise _digest_error(self.path)
        for item in bundle.entries[skip:]:
            yield Entry.from_json(item)


# A cheap look at a folder of handoff files, for the consolidation screen's list: each file's
# manifest only (laptop, date, counts), never its entries; the strict reader above still
# checks everything at the preview and the import.

# Bytes read from the start of a file to find its manifest (a manifest is a few KB).
PEEK_BYTES = 256 * 1024
# Files looked at in one folder (a USB stick with thousands of files is not read to the end).
PEEK_MAX_FILES = 500
# A file not laid out as this app writes it is read in full up to this size to find its head.
_PEEK_FULL_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class BundlePeek:
    """One file in a folder as the import list shows it: what its manifest says (`info`,
    with `info.entries` as the manifest promises; None for a large file not laid out as this
    app writes it, whose content the preview shows), or why it cannot be imported (`problem`,
    Danish)."""

    path: Path
    info: BundleInfo | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the file looks importable (the preview checks it in full)."""
        return self.problem is None


def handoff_files(folder: Path | str) -> list[Path]:
    """The bundle files in `folder` (not its subfolders): names ending in `SUFFIX` (or
    `SUFFIX.gz`), and every other `.json`/`.json.gz` file (a renamed one; one that is not a
    bundle is then listed with its reason by `peek_bundle`). Hidden files (macOS's «._»
    copies on a USB stick) are left out. Raises `BundleError` (Danish) when the folder cannot
    be read."""
    folder = Path(folder)
    try:
        names = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    except FileNotFoundError:
        raise BundleError(f"Mappen {visible(str(folder))} findes ikke.") from None
    except NotADirectoryError:
        raise BundleError(f"{visible(str(folder))} er ikke en mappe.") from None
    except OSError as exc:
        raise BundleError(
            f"Mappen {visible(str(folder))} kan ikke læses ({visible(exc.strerror or exc)})."
        ) from None
    out: list[Path] = []
    for path in names:
        if len(out) >= PEEK_MAX_FILES:
            break
        lower = path.name.lower()
        # Ours by name, and every other .json: one that is not ours is listed with why (a
        # handoff file renamed and damaged on the way was left out without a word).
        if lower.endswith((SUFFIX, SUFFIX + ".gz", ".json", ".json.gz")):
            out.append(path)
    return out


def _head_bytes(path: Path, limit: int) -> bytes:
    """At most `limit` bytes from the start of a regular file, unpacked when gzip."""
    import os
    import stat

    from .atomic import check_regular_file

    check_regular_file(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise BundleError(f"{visible(path.name)} er ikke en almindelig fil.")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            raw = fh.read(limit)
    finally:
        os.close(fd)
    if raw[:2] == b"\x1f\x8b":
        # Only the start may have been read: unpack what it holds (enough for the head).
        raw = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(raw, limit)
    return raw


def _reason(exc: BaseException) -> str:
    """The reason of a refusal without «Filen x kan ikke indlæses:» and «Intet er ændret.»."""
    text = str(exc)
    if ": " in text and text.startswith("Filen "):
        text = text.split(": ", 1)[1]
    text = text.removesuffix(" Intet er ændret.").strip()
    return visible(text, limit=300) or "Filen kan ikke læses."


def peek_bundle(path: Path | str) -> BundlePeek:
    """What a bundle file's manifest says, read from its first bytes only. Never raises: a
    file that is not a bundle, is damaged, too new or unreadable gets a Danish `problem`."""
    path = Path(path)
    try:
        return BundlePeek(path, info=_peek(path))
    except UdviklingsdagError as exc:
        return BundlePeek(path, problem=_reason(exc))
    except FILE_CONTENT_ERRORS:
        return BundlePeek(path, problem="den indeholder noget, som udviklingsdag ikke forventer.")
    except OSError as exc:
        return BundlePeek(
            path, problem=f"den kan ikke læses ({visible(exc.strerror or exc, limit=80)})."
        )
    except Exception as exc:  # a file nothing foresaw: listed with a reason, never a crash
        return BundlePeek(path, problem=f"den kan ikke læses ({type(exc).__name__}).")


def _peek(path: Path) -> BundleInfo | None:
    from .atomic import InputFileError

    try:
        raw = _head_bytes(path, PEEK_BYTES)
    except InputFileError as exc:
        raise BundleError(str(exc)) from None
    except zlib.error:
        raise _bad(path, "den er ufuldstændig eller beskadiget (den komprimerede fil).") from None
    stripped = raw.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped.startswith(b"{") or FORMAT.encode() not in stripped[:300]:
        raise _bad(
            path,
            "den er ikke en fil fra udviklingsdag (hverken workshop-pakke eller overleveringsfil).",
        )
    start = stripped.find(_ENTRIES_START)
    if start > 0 and stripped[start - 1 : start] == b",":
        head = stripped[: start - 1] + b"\n}"
    else:
        # Not laid out as this app writes it (or the head is longer than was read): read the
        # whole file when it is small; a larger one is left to the preview.
        return read_bundle(path).info if _small(path) else None
    try:
        doc = json.loads(head.decode("utf-8"))
    except UnicodeDecodeError:
        raise _bad(path, "den er ikke en fil fra udviklingsdag (ikke UTF-8-tekst).") from None
    except (ValueError, RecursionError):
        raise _bad(path, "den er beskadiget (manifestet kan ikke læses).") from None
    manifest, version = _check_head(path, doc)
    promised = manifest["entries"]
    if not isinstance(promised, int) or isinstance(promised, bool) or promised < 0:
        raise _bad(path, "manifestets antal ændringer er ugyldigt.")
    if not _ends_whole(path):
        raise _bad(
            path,
            "den er ufuldstændig: den slutter midt i en ændring (kopieringen blev afbrudt, "
            "eller USB-stikket blev taget ud for tidligt). Skriv den igen på bærbaren.",
        )
    return _info(path, manifest, version, promised)


def _ends_whole(path: Path) -> bool:
    """Whether an uncompressed bundle file ends as a whole JSON document does (a «}» after
    its last entry), read from its last bytes only: a file cut short by an interrupted copy
    is listed as damaged at once instead of as importable. A compressed file is told only
    by unpacking it, which the preview does."""
    try:
        with open(path, "rb") as fh:
            if fh.read(2) == b"\x1f\x8b":
                return True
            size = fh.seek(0, 2)
            fh.seek(max(0, size - 64))
            tail = fh.read()
    except OSError:
        return True  # the preview reads it and says why
    return tail.rstrip(b" \t\r\n").endswith(b"}")


def _small(path: Path) -> bool:
    try:
        return path.stat().st_size <= _PEEK_FULL_BYTES
    except OSError:
        return False


def peek_folder(folder: Path | str) -> list[BundlePeek]:
    """Every bundle file in `folder` (`handoff_files`), peeked. Raises `BundleError` when the
    folder cannot be read."""
    return [peek_bundle(p) for p in handoff_files(folder)]


def peek_paths(paths: Sequence[Path | str]) -> list[BundlePeek]:
    """The files a user named (typed or picked): a folder among them gives every bundle file
    in it; a file is peeked as it is (whatever its name), so a wrong file is listed with its
    reason. Never raises: an unreadable folder is listed with its reason."""
    out: list[BundlePeek] = []
    seen: set[Path] = set()
    for p in paths:
        path = Path(p)
        if path.is_dir():
            try:
                found = peek_folder(path)
            except BundleError as exc:
                found = [BundlePeek(path, problem=str(exc))]
        else:
            found = [peek_bundle(path)]
        for item in found:
            if item.path not in seen:
                seen.add(item.path)
                out.append(item)
    return out
