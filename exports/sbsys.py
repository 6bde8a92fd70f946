"""SBSYS-ready packages: one folder per målplan with the målplanskabelon (.xlsx), a readable
document (.docx), a PDF/A copy for filing (.pdf), `journalisering.json` / `.txt` with SBSYS's
own field names, and optionally `SbsysDropFile.xml` and a zip.

Rendering is pure (view in, bytes out) and runs in worker processes for large exports; all
writing happens here in the calling process, into a hidden staging folder that is renamed into
place only when every package is complete. A full disk or a pulled USB stick leaves nothing
behind, and the error says what happened.

A large export is a pipeline: the worker processes start in the background while the first
plans are read, each batch of plans is handed to them as soon as it is read (largest first, so
no worker is left with one big plan at the end), and packages are written as they come back."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import json
import multiprocessing
import os
import pickle
import re
import shutil
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import quoteattr

from models import settings
from models.errors import ValidationError
from models.maalplan_view import MaalplanView, iter_maalplaner
from models.words import count, open_conflicts_text

if TYPE_CHECKING:  # worker processes import this module and never touch the database
    from models.conflicts import Conflict
    from models.db import Database
    from models.workspace import Workspace

from .atomic import ExportError, move_into_place, staging_dir, write_bytes, write_error
from .document_rows import counts_sentence
from .naming import package_stem, unique_name
from .reference import Reference, reference_for

DEFAULT_DOKUMENTART = "Internt"
FORMAT = "udviklingsdag-journalisering/1"
# Below this many plans the worker processes cost more to start than they save.
PARALLEL_THRESHOLD = 8


def app_version() -> str:
    """The installed app version (from the package metadata, else the source tree)."""
    try:
        from importlib.metadata import version

        return version("udviklingsdag")
    except Exception:
        from models import __version__

        return __version__


@dataclass(frozen=True)
class PackageMeta:
    """The journalisering fields that are not part of the målplan itself."""

    dokument_art: str = DEFAULT_DOKUMENTART
    omfattet_af_aktindsigt: bool = True
    sag_id: str | None = None


@dataclass(frozen=True)
class ExportOptions:
    """How to write the packages."""

    when: date | None = None
    link_template: str | None = None
    drop_file: bool = False
    zip: bool = False
    workers: int | None = None  # None: use up to two processes for large exports
    meta: dict[str, PackageMeta] = field(default_factory=dict)  # per målplan id
    default_meta: PackageMeta = PackageMeta()
    # The change log's position, stored in each workbook (`models.kladde.known_changes`);
    # export_sbsys reads it before the plans.
    known_changes: str = ""

    def meta_for(self, maalplan_id: str) -> PackageMeta:
        return self.meta.get(maalplan_id, self.default_meta)


@dataclass(frozen=True)
class PackageResult:
    maalplan_id: str
    titel: str
    folder: Path
    files: list[Path]
    zip_path: Path | None
    reference: Reference
    # A package folder (or zip) of the same name from an earlier export was replaced.
    replaced: bool = False
    # A QR link template is set, but it could not be filled for this plan (it names
    # {sagsnummer} and the plan has none): the QR code carries the reference only.
    link_missing: bool = False
    # Characters of the plan that no font of the PDF has (printed there as «□»), and a few of
    # the texts they are in (`exports.pdf.unprintable_in_view`).
    unprintable: tuple[str, ...] = ()
    unprintable_in: tuple[str, ...] = ()


def _names(titles: list[str], most: int = 5) -> str:
    shown = ", ".join(f"«{t}»" for t in titles[:most])
    more = len(titles) - most
    return shown + (f" og {more} til" if more > 0 else "")


@dataclass(frozen=True)
class ExportResult:
    outdir: Path
    packages: list[PackageResult]
    seconds: float
    # Per exported plan with open conflicts: its title and what they are about
    # (`export_maalplaner`; the documents show one side of each).
    conflicts: tuple[tuple[str, int, str], ...] = ()

    def summary(self) -> str:
        """A Danish sentence saying what was written where."""
        return f"{count('maalplan', len(self.packages))} er eksporteret til {self.outdir}."

    @property
    def replaced(self) -> list[PackageResult]:
        """The packages that replaced one of the same name from an earlier export."""
        return [p for p in self.packages if p.replaced]

    @property
    def link_missing(self) -> list[PackageResult]:
        """The packages whose QR code has no link although a link template is set."""
        return [p for p in self.packages if p.link_missing]

    def warnings(self) -> list[str]:
        """What the user should know about the export (Danish sentences; empty when none):
        packages that replaced older ones, QR codes left without their link."""
        out: list[str] = []
        if replaced := self.replaced:
            what = count("pakke", len(replaced))
            out.append(
                f"{what} fra en tidligere eksport med samme navn er overskrevet: "
                f"{_names([p.folder.name for p in replaced])}."
            )
        if missing := self.link_missing:
            what = count("maalplan", len(missing))
            out.append(
                f"QR-koden har intet link for {what} ({_names([p.titel for p in missing])}): "
                "linkskabelonen bruger {sagsnummer}, og målplanen har intet sagsnummer. "
                "Skriv sagsnummeret på målplanen, og eksportér igen."
            )
        for p in self.packages:
            if p.unprintable:
                out.append(unprintable_notice(p.titel, p.unprintable, p.unprintable_in))
        for titel, n, names in self.conflicts:
            out.append(conflict_notice(titel, n, names))
        return out


def conflict_notice(titel: str, n: int, names: str) -> str:
    """The Danish notice for a plan exported with open conflicts."""
    return (
        f"«{titel}» har {open_conflicts_text(n)}: {names}. Dokumenterne viser kun den ene side. "
        f"Løs {'den' if n == 1 else 'dem'} under Konsolidering → Konflikter, og eksportér igen."
    )


def unprintable_notice(titel: str, chars: Sequence[str], texts: Sequence[str]) -> str:
    """The Danish notice for symbols the PDF cannot print: which plan, which characters (with
    their code, as a rare symbol may not show in the terminal either) and where."""
    shown = ", ".join(f"{ch} (U+{ord(ch):04X})" for ch in chars[:8])
    if len(chars) > 8:
        shown += f" og {count('tegn', len(chars) - 8)} mere"
    where = "; ".join(f"«{t}»" for t in texts)
    return (
        f"PDF'en for «{titel}» kan ikke vise {shown}: ingen af PDF'ens skrifttyper har "
        f"{'det' if len(chars) == 1 else 'dem'}, så der står «\u25a1» i stedet"
        + (f" (i {where})" if where else "")
        + ". Word- og Excel-filen har teksten, som den er skrevet."
    )


ProgressFn = Callable[[int, int, str], None]


# --- settings (local, per database) -------------------------------------------------------------


def clean_dokument_art(value: str | None) -> str:
    """Validate a DokumentArt name (a name, not an installation-specific id)."""
    from models import schema

    text = schema.clean_text(
        value or "", schema.FieldSpec("line", "DokumentArt"), "Feltet «DokumentArt»"
    )
    if not text:
        raise ValidationError("Skriv en dokumentart, fx «Internt».", field="DokumentArt")
    if len(text) > 100:
        raise ValidationError("Dokumentarten må højst være 100 tegn.", field="DokumentArt")
    return text


def get_package_meta(ws: Workspace, maalplan_id: str) -> PackageMeta:
    """The DokumentArt, aktindsigt and SagID saved for a plan (or the general defaults)."""
    art = (
        ws.setting(settings.SBSYS_DOKUMENTART_FOR.of(maalplan_id))
        or ws.setting(settings.SBSYS_DOKUMENTART)
        or DEFAULT_DOKUMENTART
    )
    return PackageMeta(
        art,
        ws.setting(settings.SBSYS_AKTINDSIGT),
        ws.setting(settings.SBSYS_SAGID.of(maalplan_id)),
    )


def set_dokument_art(
    ws: Workspace, value: str | None, maalplan_id: str | None = None
) -> str | None:
    """Save DokumentArt for one plan (or as the default when `maalplan_id` is None).
    An empty value removes the plan's own choice. Returns the saved value."""
    if maalplan_id is None:
        entry = settings.SBSYS_DOKUMENTART
    else:
        entry = settings.SBSYS_DOKUMENTART_FOR.of(maalplan_id)
        if not (value or "").strip():
            ws.set_setting(entry, None)
            return None
    clean = clean_dokument_art(value)
    ws.set_setting(entry, clean)
    return clean


def export_maalplaner(
    ws: Workspace,
    outdir: Path | str,
    maalplan_ids: Sequence[str],
    *,
    zip: bool = False,
    drop_file: bool = False,
    dokument_art: str | None = None,
    progress: ProgressFn | None = None,
    conflicts: Mapping[str, Sequence[Conflict]] | None = None,
) -> ExportResult:
    """The export as the app and the command line run it: `export_sbsys` with the link
    template and each plan's metadata saved in the workspace's settings (`dokument_art`, when
    given, for every plan instead). `conflicts`: the plans' open conflicts when the caller has
    just read them (`Workspace.conflicts_in`; the export screen asks about them first), else
    they are read here."""
    meta = {mid: get_package_meta(ws, mid) for mid in maalplan_ids}
    if dokument_art is not None:
        art = clean_dokument_art(dokument_art)
        meta = {mid: replace(m, dokument_art=art) for mid, m in meta.items()}
    options = ExportOptions(
        link_template=ws.setting(settings.EXPORT_QR_LINK_TEMPLATE),
        drop_file=drop_file,
        zip=zip,
        meta=meta,
    )
    # As the documents will show them.
    open_conflicts = conflicts if conflicts is not None else ws.conflicts_in(maalplan_ids)
    result = export_sbsys(ws.database, outdir, maalplan_ids, options, progress)
    if not open_conflicts:
        return result
    from models.conflicts import conflict_names

    titles = {p.maalplan_id: p.titel for p in result.packages}
    notes = tuple(
        (titles.get(pid, pid), len(hits), conflict_names(hits))
        for pid, hits in open_conflicts.items()
    )
    return replace(result, conflicts=notes)


# --- rendering (pure; runs in worker processes) -------------------------------------------------


@dataclass(frozen=True)
class _Job:
    view: MaalplanView
    stem: str
    when: date
    link_template: str | None
    meta: PackageMeta
    drop_file: bool
    version: str
    known_changes: str = ""


@dataclass(frozen=True)
class RenderedPackage:
    maalplan_id: str
    stem: str
    reference: Reference
    files: dict[str, bytes]  # file name -> content, in the order they are written
    # What the PDF prints as «□» and where (see `PackageResult.unprintable`).
    unprintable: tuple[str, ...] = ()
    unprintable_in: tuple[str, ...] = ()


def document_name(view: MaalplanView) -> str:
    """DokumentNavn: the plan's title, with the enhed when the title does not name it."""
    if view.enhed_navn and view.enhed_navn.casefold() not in view.titel.casefold():
        return f"{view.titel} ({view.enhed_navn})"
    return view.titel


def file_entries(files: dict[str, bytes], roles: dict[str, str]) -> list[dict[str, Any]]:
    """journalisering's «Filer»: each file's name, extension, size, SHA-256 (what `verify`
    compares) and role, the role by extension."""
    return [
        {
            "Navn": name,
            "Filendelse": Path(name).suffix.lstrip("."),
            "Size": len(content),
            "SHA256": hashlib.sha256(content).hexdigest(),
            "Rolle": roles.get(Path(name).suffix.lower(), ""),
        }
        for name, content in files.items()
    ]


def journalisering(
    view: MaalplanView,
    ref: Reference,
    files: dict[str, bytes],
    *,
    when: date,
    meta: PackageMeta,
    version: str,
) -> dict[str, Any]:
    """The metadata SBSYS needs to file the package, under SBSYS's own field names."""
    roles = {
        ".xlsx": "Målplanskabelon (kladde)",
        ".docx": "Målplan (læsbar udgave)",
        ".pdf": "Målplan (PDF/A til journalisering)",
        ".xml": "SbsysDropFile til SBSYS' drop-mappe",
    }
    data: dict[str, Any] = {
        "Format": FORMAT,
        "DokumentNavn": document_name(view),
        "Emne": f"Målplan {view.aar or ''} for {view.enhed_navn}".replace("  ", " ").strip(),
        "Beskrivelse": f"Målplan med {counts_sentence(view)[:-1]}. Reference {ref.text}.",
        "DokumentDato": when.isoformat(),
        "DokumentArt": meta.dokument_art,
        "OmfattetAfAktindsigt": meta.omfattet_af_aktindsigt,
        "Ansvarlig": view.ansvarlig,
        "Enhed": view.enhed_navn,
    }
    if view.sagsnummer:
        data["Sagsnummer"] = view.sagsnummer
    if meta.sag_id:
        data["SagID"] = meta.sag_id
    if view.kle:
        data["KLE"] = view.kle
    data["Filer"] = file_entries(files, roles)
    data["AppVersion"] = version
    data["Maalplan"] = {
        "Id": view.id,
        "Revision": view.revision,
        "Digest": view.digest,
        "Reference": ref.text,
        "Link": ref.link,
    }
    return data


_TXT_LABELS = (
    ("DokumentNavn", "Dokumentnavn"),
    ("Emne", "Emne"),
    ("Beskrivelse", "Beskrivelse"),
    ("DokumentDato", "Dokumentdato"),
    ("DokumentArt", "Dokumentart"),
    ("OmfattetAfAktindsigt", "Omfattet af aktindsigt"),
    ("Ansvarlig", "Ansvarlig"),
    ("Enhed", "Enhed"),
    ("Sagsnummer", "Sagsnummer"),
    ("SagID", "SagID"),
    ("KLE", "KLE-nummer"),
)


_TXT_SUBJECT_LABELS = (
    ("Id", "Id"),
    ("Aar", "År"),
    ("Revision", "Revision"),
    ("Reference", "Reference"),
    ("Link", "Link"),
)


def journalisering_txt(data: dict[str, Any]) -> str:
    """A plain-text version of the journalisering data, to copy field by field into SBSYS."""
    lines = [
        "Journalisering i SBSYS",
        "======================",
        "",
        "Kopiér felterne herunder til SBSYS (feltnavnet i SBSYS står i parentes).",
        "",
    ]
    for key, label in _TXT_LABELS:
        if key not in data:
            continue
        value = data[key]
        if isinstance(value, bool):
            value = "Ja" if value else "Nej"
        if key == "DokumentDato":
            value = date.fromisoformat(value).strftime("%d-%m-%Y")
        lines.append(f"{label} ({key}): {value if value not in (None, '') else '-'}")
    lines += ["", "Filer", "-----"]
    for f in data["Filer"]:
        lines.append(f"{f['Navn']}  ({f['Size']:,} byte)".replace(",", "."))
        lines.append(f"    {f['Rolle']}")
        lines.append(f"    SHA-256: {f['SHA256']}")
    # What the documents show: a målplan, or the August report of a year.
    for key, heading in (("Maalplan", "Målplanen"), ("Augustrapport", "Augustrapporten")):
        if key not in data:
            continue
        lines += ["", heading, "-" * len(heading)]
        for name, label in _TXT_SUBJECT_LABELS:
            if data[key].get(name) not in (None, ""):
                lines.append(f"{label}: {data[key][name]}")
    lines += [
        "",
        f"Lavet af udviklingsdag {data['AppVersion']}. Tjek senere om en udskrift stadig er "
        "aktuel med: udviklingsdag verify FIL",
        "",
    ]
    # Windows Notepad and SBSYS users: CRLF line ends and UTF-8 with BOM read correctly.
    return "\r\n".join(lines)


def drop_file_xml(name: str, files: Sequence[str]) -> str:
    """An `SbsysDropFile.xml` that files the given documents from SBSYS' drop folder."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        "<SbsysDropFile>",
        f'  <Command Navn={quoteattr(name)} Verb="JournaliserFiler">',
    ]
    parts += [f"    <Fil Sti={quoteattr(f)}/>" for f in files]
    parts += ["  </Command>", "</SbsysDropFile>", ""]
    return "\n".join(parts)


def render_package(job: _Job) -> RenderedPackage:
    """Render every file of one package in memory (no disk access)."""
    from .docx import maalplan_docx
    from .pdf import maalplan_pdf, unprintable_in_view
    from .qr import reference_qr_png
    from .xlsx import maalplan_xlsx

    view = job.view
    ref = reference_for(view, job.link_template)
    png = reference_qr_png(ref)
    files: dict[str, bytes] = {
        f"{job.stem}.xlsx": maalplan_xlsx(
            view,
            when=job.when,
            reference_text=ref.text,
            app_version=job.version,
            qr_png=png,
            known_changes=job.known_changes,
            stamp=True,
        ),
        f"{job.stem}.docx": maalplan_docx(view, ref, png, when=job.when, app_version=job.version),
        f"{job.stem}.pdf": maalplan_pdf(view, ref, png, when=job.when, app_version=job.version),
    }
    # verify compares the text of a returned .docx/.xlsx with the digest in its identifier,
    # which `maalplan_xlsx` and `maalplan_docx` put there as they make the files.
    if job.drop_file:
        # The PDF is the copy meant for the case; the workbook goes in as a kladde by hand.
        xml = drop_file_xml(document_name(view), [f"{job.stem}.pdf"])
        files["SbsysDropFile.xml"] = xml.encode("utf-8")
    data = journalisering(view, ref, files, when=job.when, meta=job.meta, version=job.version)
    files["journalisering.json"] = (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode(
        "utf-8"
    )
    files["journalisering.txt"] = b"\xef\xbb\xbf" + journalisering_txt(data).encode("utf-8")
    chars, where = unprintable_in_view(view)
    return RenderedPackage(view.id, job.stem, ref, files, tuple(chars), tuple(where))


def _warm_worker() -> None:
    # Parse the fonts once per worker process, before the first document needs them (already
    # done when the worker was forked from a forkserver that imported `exports.render_worker`).
    from .pdf import warm_fonts

    warm_fonts()
    # The libraries, fonts and tables loaded so far live as long as the process: keep them out
    # of the garbage collector's full passes, which otherwise walk them again and again while
    # documents are built (several per cent of the rendering time).
    gc.collect()
    gc.freeze()


# --- writing ------------------------------------------------------------------------------------


def _zip_bytes(stem: str, files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            info = zipfile.ZipInfo(f"{stem}/{name}", date_time=time.localtime()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, content)
    return buf.getvalue()


def _job(
    view: MaalplanView, options: ExportOptions, when: date, taken: set[str], version: str
) -> _Job:
    stem = unique_name(package_stem(view.enhed_navn, view.titel, when), taken)
    return _Job(
        view,
        stem,
        when,
        options.link_template,
        options.meta_for(view.id),
        options.drop_file,
        version,
        options.known_changes,
    )


# What every worker needs: imported once in the forkserver, so each worker (a fork of it)
# starts with them loaded instead of importing openpyxl, python-docx, fpdf2 and fontTools again;
# `exports.render_worker` also prepares the fonts there, once for all workers.
_WORKER_MODULES = (
    "exports.sbsys",
    "exports.xlsx",
    "exports.docx",
    "exports.pdf",
    "exports.qr",
    "exports.render_worker",
)
_POOL_ERRORS = (BrokenProcessPool, OSError, RuntimeError, ValueError, pickle.PicklingError)


# The worker processes need a folder for the forkserver's socket. Python's own (`pymp-…` in the
# system temp folder) is left behind when the app is killed; ours is named with the pid of the
# process that made it, so the next export removes those whose process is gone.
WORKER_TEMP_PREFIX = "udviklingsdag-eksport-"
_WORKER_TEMP_RE = re.compile(r"^udviklingsdag-eksport-(\d+)-[A-Za-z0-9_]+$")


def remove_stale_worker_dirs(parent: Path | str | None = None) -> list[Path]:
    """Remove the worker folders that killed exports (kill -9, a power cut, a closed terminal)
    left in the system temp folder: only our own names, and only when the process named in
    them no longer runs. Returns what was removed; errors are ignored."""
    from .atomic import process_alive

    base = Path(parent if parent is not None else tempfile.gettempdir())
    removed: list[Path] = []
    try:
        entries = list(os.scandir(base))
    except OSError:
        return removed
    for entry in entries:
        m = _WORKER_TEMP_RE.match(entry.name)
        if not m:
            continue
        try:
            if not entry.is_dir(follow_symlinks=False) or process_alive(int(m.group(1))):
                continue
            shutil.rmtree(entry.path)
            removed.append(Path(entry.path))
        except (OSError, ValueError):
            continue
    return removed


def _use_own_worker_temp() -> None:
    """Give multiprocessing a temp folder of ours (see WORKER_TEMP_PREFIX) before it makes its
    own; removed when this process ends normally, else by the next export."""
    from multiprocessing import process, util

    # Where util.get_temp_dir keeps its choice: a CPython internal, not in the stdlib's types.
    config: dict[str, object] = process.current_process()._config  # type: ignore[attr-defined]
    if config.get("tempdir") is not None:
        return  # chosen already (the forkserver of an earlier export runs and uses it)
    remove_stale_worker_dirs()
    path = tempfile.mkdtemp(prefix=f"{WORKER_TEMP_PREFIX}{os.getpid()}-")
    config["tempdir"] = path
    util.Finalize(None, shutil.rmtree, args=(path, True), exitpriority=-100)


def worker_start_method(available: Sequence[str] | None = None) -> str:
    """How the rendering processes start: `forkserver` where the platform has it (Linux,
    macOS), else `spawn` (Windows). Forking the running (threaded) app itself is unsafe;
    spawn is slower (every worker imports the libraries). `available`: the platform's
    methods (default: `multiprocessing.get_all_start_methods()`)."""
    methods = multiprocessing.get_all_start_methods() if available is None else available
    return "forkserver" if "forkserver" in methods else "spawn"


def _start_pool(workers: int) -> ProcessPoolExecutor | None:
    """Start `workers` rendering processes now, each with its fonts ready, so they are ready
    when the first job comes. None when worker processes cannot be started here (then
    everything is rendered in this process). Blocks until the processes exist (the first
    time in a process, while the forkserver imports the libraries): see `_PoolStarter`."""
    method = worker_start_method()
    try:
        _use_own_worker_temp()
    except (OSError, AttributeError, ImportError):
        pass  # multiprocessing then uses its own temp folder, as before
    try:
        ctx = multiprocessing.get_context(method)
        if method == "forkserver":
            # Takes effect when the forkserver starts (the first export of this process).
            ctx.set_forkserver_preload(["__main__", *_WORKER_MODULES])
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_warm_worker)
        for _ in range(workers):
            pool.submit(int)  # a no-op job makes the pool start a process now
        return pool
    except _POOL_ERRORS:
        return None


def render_pooled(
    calls: Sequence[tuple[Callable[..., Any], tuple[Any, ...]]], parallel: bool
) -> Generator[Any, None, None]:
    """Each call's result, in order. With `parallel` (and more than one core) two worker
    processes start in the background; until they are ready the calls are made here (starting
    them takes a second or two, the time of dozens of small documents), then the rest go to
    them. Without them, or when they cannot start, everything is made here; a call whose worker
    died is made here. For the documents outside the målplan packages (the Plan A posters)."""
    starter = _PoolStarter(2) if parallel and (os.cpu_count() or 1) > 1 else None
    try:
        done = 0
        while done < len(calls) and (starter is None or not starter.ready()):
            fn, args = calls[done]
            yield fn(*args)
            done += 1
        rest = calls[done:]
        pool = starter.pool() if starter is not None and rest else None
        if pool is None:
            for fn, args in rest:
                yield fn(*args)
            return
        futures = [pool.submit(fn, *args) for fn, args in rest]
        for (fn, args), future in zip(rest, futures, strict=True):
            try:
                yield future.result()
            except (BrokenProcessPool, OSError):
                yield fn(*args)
    finally:
        if starter is not None:
            starter.close()


class _PoolStarter:
    """Starts the worker pool in a background thread, so the plans are read meanwhile."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None
        self._thread = threading.Thread(
            target=self._start, args=(workers,), name="udviklingsdag-eksport", daemon=True
        )
        self._thread.start()

    def _start(self, workers: int) -> None:
        try:
            self._pool = _start_pool(workers)
        except Exception:  # no pool: the export renders in this process
            self._pool = None

    def ready(self) -> bool:
        return not self._thread.is_alive()

    def pool(self) -> ProcessPoolExecutor | None:
        self._thread.join()
        return self._pool

    def close(self) -> None:
        pool = self.pool()
        if pool is not None:
            # Wait for the pool's manager thread to finish: left running, it closes its wakeup
            # pipe while the interpreter's exit hook (concurrent.futures.process._python_exit)
            # writes to that pipe, and a command that ends right after an export then printed
            # "OSError: [Errno 9] Bad file descriptor" from threading's shutdown. Pending jobs
            # are cancelled; the workers are idle by now, so this takes milliseconds.
            pool.shutdown(wait=True, cancel_futures=True)


# The plans read but not yet written, at most (besides the batch being read): enough to keep
# the worker processes busy while the next plans are read, and few enough that the main
# process holds about the same whatever the number of plans. Each holds its view until its
# package is on disk; `_weight` counts rows, so a few very large plans fill the window too.
WINDOW_PLANS = 24
WINDOW_WEIGHT = 8000


def _weight(view: MaalplanView) -> int:
    """Roughly how long a plan takes to render (rows in its tables)."""
    return sum(
        1
        + len(m.tegn)
        + len(m.samarbejder)
        + sum(1 + len(p.evalueringer) for p in m.proevehandlinger)
        for m in view.maal
    )


def _render_all(
    batches: Iterable[list[tuple[int, _Job]]], starter: _PoolStarter | None
) -> Iterator[tuple[int, RenderedPackage]]:
    """Yield (index, rendered package) for every job, in the order they are done.

    With a `starter`, batches are read while fewer than a window of plans (`WINDOW_PLANS`,
    `WINDOW_WEIGHT`; at least three a worker) wait or are being rendered, and handed to the
    worker processes as soon as they run, largest first. A job is let go of once its package
    is yielded and each batch list is emptied as it is taken, so the caller's memory holds the
    window, not the export. What the workers cannot do (they could not start or died: a
    locked-down laptop, an odd launcher) is rendered here, slower but the same. Errors while
    loading the plans are not caught."""
    source = iter(batches)
    if starter is None:
        for batch in source:
            while batch:
                index, job = batch.pop(0)
                rendered = render_package(job)
                _drop_import_traceback()
                del job
                yield index, rendered
        return
    pending: list[tuple[int, _Job]] = []  # read, not yet handed to a worker
    running: dict[Future[RenderedPackage], tuple[int, _Job]] = {}
    weights: dict[int, int] = {}  # of the jobs read and not yet yielded
    pool: ProcessPoolExecutor | None = None
    usable = True
    more = True
    least = 3 * starter.workers

    def room() -> bool:
        held = len(pending) + len(running)
        return held < least or (held < WINDOW_PLANS and sum(weights.values()) < WINDOW_WEIGHT)

    def submit() -> bool:
        pending.sort(key=lambda item: -weights[item[0]])
        try:
            while pending:
                index, job = pending[0]
                running[pool.submit(render_package, job)] = (index, job)  # type: ignore[union-attr]
                del pending[0]
        except _POOL_ERRORS:
            return False
        return True

    try:
        while usable and (more or pending or running):
            while more and room():
                taken = next(source, None)
                if taken is None:
                    more = False
                    break
                for index, job in taken:
                    weights[index] = _weight(job.view)
                pending.extend(taken)
                taken.clear()  # the reader's own reference to the batch keeps nothing
                if pool is None and starter.ready():
                    pool = starter.pool()
                    usable = pool is not None
                if pool is not None:
                    usable = usable and submit()
                if not usable:
                    break
            if usable and pool is None:
                pool = starter.pool()  # the window is full: wait for the workers to start
                usable = pool is not None
            if usable and pending:
                usable = submit()
            if not usable or not running:
                continue
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for fut in done:
                index, job = running.pop(fut)
                try:
                    rendered = fut.result()
                except _POOL_ERRORS:
                    pending.append((index, job))
                    usable = False
                    break
                del job
                weights.pop(index, None)
                yield index, rendered
                del rendered
            del done
    finally:
        for fut in running:
            fut.cancel()
    # What the workers did not do, rendered here, in plan order.
    left = sorted([*pending, *running.values()], key=lambda item: item[0])
    pending.clear()
    running.clear()
    for index, job in left:
        yield index, render_package(job)
    _drop_import_traceback()
    for batch in source:
        for index, job in batch:
            yield index, render_package(job)


def _drop_import_traceback() -> None:
    """fpdf2 keeps the ImportError of its optional `cryptography` import, and through its
    traceback every frame that ran when fpdf2 was first imported here: the first plan's job and
    view among them, for as long as the process lives. Only the error's message is used."""
    error = getattr(sys.modules.get("fpdf.encryption"), "import_error", None)
    if isinstance(error, BaseException):
        error.__traceback__ = None


@dataclass(frozen=True)
class _Staged:
    """What is kept of a package once its files are in the staging folder (not its bytes)."""

    maalplan_id: str
    titel: str
    stem: str
    names: tuple[str, ...]
    folder: Path
    zip_path: Path | None
    reference: Reference
    unprintable: tuple[str, ...]
    unprintable_in: tuple[str, ...]


def _export(
    batches: Iterable[list[MaalplanView]],
    total: int,
    outdir: Path | str,
    options: ExportOptions,
    progress: ProgressFn | None,
    starter: _PoolStarter | None,
) -> ExportResult:
    started = time.perf_counter()
    remove_stale_worker_dirs()  # what a killed export left in the system temp folder
    when = options.when or date.today()
    out = Path(outdir).expanduser()
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} er en fil, ikke en mappe. Vælg en mappe til eksporten.")
    if total <= 0:
        raise ExportError("Der er ingen målplaner at eksportere. Vælg mindst én målplan.")
    created_out = not out.exists()
    steps = total * 2
    steps_done = 0
    titles: list[str] = []  # per job index; the views themselves go once written
    taken: set[str] = set()
    version = app_version()

    def job_batches() -> Iterator[list[tuple[int, _Job]]]:
        # Package names are given in plan order, so they do not depend on the batches.
        for views in batches:
            batch = []
            for view in views:
                batch.append((len(titles), _job(view, options, when, taken, version)))
                titles.append(view.titel)
            views.clear()
            yield batch

    def tell(text: str) -> None:
        nonlocal steps_done
        steps_done += 1
        if progress:
            progress(min(steps_done, steps), steps, text)

    link_set = bool(options.link_template and options.link_template.strip())
    results: list[PackageResult] = []
    moved: list[Path] = []
    try:
        with staging_dir(out) as stage:
            staged: dict[int, _Staged] = {}
            for index, pkg in _render_all(job_batches(), starter):
                tell(f"Dokumenter lavet for {titles[index]}")
                folder = stage / pkg.stem
                try:
                    folder.mkdir()
                    for name, content in pkg.files.items():
                        write_bytes(folder / name, content)
                    zip_path = None
                    if options.zip:
                        zip_path = stage / f"{pkg.stem}.zip"
                        write_bytes(zip_path, _zip_bytes(pkg.stem, pkg.files))
                except OSError as exc:
                    raise write_error(exc, out) from None
                staged[index] = _Staged(
                    pkg.maalplan_id,
                    titles[index],
                    pkg.stem,
                    tuple(pkg.files),
                    folder,
                    zip_path,
                    pkg.reference,
                    pkg.unprintable,
                    pkg.unprintable_in,
                )
                del pkg  # its bytes are on disk
                tell(f"Skrevet: {staged[index].stem}")
            # Everything is on disk; now the renames (cheap, and undone if one fails).
            try:
                for index in sorted(staged):
                    done = staged[index]
                    final = out / done.stem
                    replaced = os.path.lexists(final)
                    move_into_place(done.folder, final)
                    moved.append(final)
                    final_zip = None
                    if done.zip_path is not None:
                        final_zip = out / done.zip_path.name
                        replaced = replaced or os.path.lexists(final_zip)
                        move_into_place(done.zip_path, final_zip)
                        moved.append(final_zip)
                    results.append(
                        PackageResult(
                            done.maalplan_id,
                            done.titel,
                            final,
                            [final / name for name in done.names],
                            final_zip,
                            done.reference,
                            replaced=replaced,
                            link_missing=link_set and done.reference.link is None,
                            unprintable=done.unprintable,
                            unprintable_in=done.unprintable_in,
                        )
                    )
            except OSError as exc:
                raise write_error(exc, out) from None
    except BaseException:
        for path in moved:
            _remove(path)
        if created_out:
            with contextlib.suppress(OSError):
                out.rmdir()  # only when empty
        raise
    from .atomic import fsync_dir

    fsync_dir(out)
    return ExportResult(out, results, time.perf_counter() - started)


def _remove(path: Path) -> None:
    import shutil

    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


def export_sbsys(
    db: Database,
    outdir: Path | str,
    maalplan_ids: Sequence[str] | None = None,
    options: ExportOptions | None = None,
    progress: ProgressFn | None = None,
) -> ExportResult:
    """Load the målplaner (all when `maalplan_ids` is None) and write one SBSYS package per
    plan into `outdir` (created when missing).

    All packages are built in a hidden staging folder inside `outdir` and renamed into place
    at the end; on any error nothing new is left in `outdir` and an `ExportError` explains
    what happened. A package folder from an earlier export with the same name is replaced."""
    from dataclasses import replace

    from models.kladde import known_changes

    # Read before the plans: a change made meanwhile then counts as after the export (a
    # conflict when the kladde comes back, never lost).
    options = replace(options or ExportOptions(), known_changes=known_changes(db))
    if maalplan_ids is None:
        from models.queries import maalplaner_overview

        ids = [p.id for p in maalplaner_overview(db)]
    else:
        ids = list(dict.fromkeys(maalplan_ids))
    workers = _workers(options)
    starter = None
    if workers > 1 and len(ids) >= PARALLEL_THRESHOLD:
        # The worker processes start (and the forkserver imports the libraries) while the
        # first plans are read here.
        starter = _PoolStarter(workers)
    try:
        batches = iter_maalplaner(db, ids)
        # A missing plan fails here, before anything is written.
        first = [next(batches, [])]
        return _export(_chain(first, batches), len(ids), outdir, options, progress, starter)
    finally:
        if starter is not None:
            starter.close()


def _chain(
    first: list[list[MaalplanView]], rest: Iterator[list[MaalplanView]]
) -> Iterator[list[MaalplanView]]:
    """`first`'s one batch, then `rest`; the batch is taken out of `first`, so the caller's
    list does not keep its plans alive for the rest of the export."""
    yield first.pop()
    yield from rest


def _workers(options: ExportOptions) -> int:
    if options.workers is not None:
        return options.workers
    return min(2, os.cpu_count() or 1)
