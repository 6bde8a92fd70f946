"""The August report as an SBSYS package: one folder `ÅÅÅÅ-MM-DD_Augustrapport_<år>` with the
report as PDF/A (for filing), .docx (to read and comment) and .xlsx (to filter and sort), each
with the report's reference and QR code, plus `journalisering.json` / `.txt` under SBSYS's own
field names, and optionally `SbsysDropFile.xml` and a zip — the same package as a målplan's
(`exports.sbsys`), so the secretariat files both the same way and `udviklingsdag verify` checks
both.

The files are rendered in memory, written into a hidden staging folder next to the package and
renamed into place when all are complete: a full disk leaves nothing behind, and an earlier
package of the same name is replaced only then."""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from models.status_report import StatusReport
from models.words import count

from .atomic import ExportError, move_into_place, staging_dir, write_bytes, write_error
from .reference import Reference, fill_link, status_reference
from .sbsys import (
    DEFAULT_DOKUMENTART,
    FORMAT,
    _zip_bytes,
    drop_file_xml,
    file_entries,
    journalisering_txt,
)

if TYPE_CHECKING:
    from models.db import Database
    from models.workspace import Workspace

ROLES = {
    ".pdf": "Augustrapport (PDF/A til journalisering)",
    ".docx": "Augustrapport (læsbar udgave)",
    ".xlsx": "Augustrapport (regneark med tallene)",
    ".xml": "SbsysDropFile til SBSYS' drop-mappe",
}


@dataclass(frozen=True)
class ReportOptions:
    """How to write the package, and the journalisering fields the report itself lacks."""

    when: date
    app_version: str = ""
    sagsnummer: str | None = None  # the council's case for the report
    dokument_art: str = DEFAULT_DOKUMENTART
    omfattet_af_aktindsigt: bool = True
    link_template: str | None = None
    drop_file: bool = False
    zip: bool = False


@dataclass(frozen=True)
class ReportPackage:
    """What was written: the folder, its files, the zip (when asked for) and the reference."""

    folder: Path
    files: tuple[Path, ...]
    zip_path: Path | None
    reference: Reference
    replaced: bool
    maal: int
    # What was left out for being dated after the export day (`later_sentence`), or None.
    left_out: str | None = None

    @property
    def summary(self) -> str:
        text = (
            f"Augustrapporten for {self.reference.subject} er skrevet til {self.folder} "
            f"({count('maal', self.maal)}; PDF, Word og Excel med journalisering til SBSYS)."
        )
        if self.replaced:
            text += " En tidligere pakke med samme navn er erstattet."
        if self.left_out:
            text += f" Bemærk: {self.left_out}"
        return text


def report_stem(aar: int, when: date) -> str:
    """`ÅÅÅÅ-MM-DD_Augustrapport_<år>`."""
    from .naming import safe_component

    return safe_component(f"{when.isoformat()}_Augustrapport_{aar}")


def document_name(report: StatusReport) -> str:
    return f"Status på målsætningerne {report.aar} (augustrapport)"


def journalisering(
    report: StatusReport, ref: Reference, files: dict[str, bytes], options: ReportOptions
) -> dict[str, Any]:
    """The metadata SBSYS needs to file the report, under SBSYS's own field names."""
    summary = report.summary
    data: dict[str, Any] = {
        "Format": FORMAT,
        "DokumentNavn": document_name(report),
        "Emne": f"Augustrapport {report.aar} til Kommunalbestyrelsen",
        "Beskrivelse": (
            f"Status på {count('maal', summary.maal)} under "
            f"{count('maalsaetning', summary.maalsaetninger)} fra "
            f"{count('enhed', summary.enheder)}, med tovholdernes vurdering af målopfyldelsen. "
            f"Reference {ref.text}."
        ),
        "DokumentDato": options.when.isoformat(),
        "DokumentArt": options.dokument_art,
        "OmfattetAfAktindsigt": options.omfattet_af_aktindsigt,
    }
    if options.sagsnummer:
        data["Sagsnummer"] = options.sagsnummer
    data["Filer"] = file_entries(files, ROLES)
    data["AppVersion"] = options.app_version
    data["Augustrapport"] = {
        "Aar": report.aar,
        "Revision": report.revision,
        "Digest": report.digest,
        "Reference": ref.text,
        "Link": ref.link,
    }
    return data


# From this many mål on, the PDF and the .docx are rendered in two worker processes while the
# workbook is made here (the PDF and the .docx take about as long; the workbook a quarter of
# that). Below it they cost more to start.
PARALLEL_MAAL = 200
_SUFFIXES = (".pdf", ".docx", ".xlsx")
_POOLED = (".pdf", ".docx")


def render_document(
    suffix: str, report: StatusReport, ref: Reference, png: bytes, when: date, version: str
) -> bytes:
    """One of the report's documents (a .docx/.xlsx with its text digest in its identifier)."""
    from .status_report_docs import status_report_docx, status_report_pdf
    from .status_report_xlsx import status_report_xlsx

    render = {".pdf": status_report_pdf, ".docx": status_report_docx, ".xlsx": status_report_xlsx}
    return render[suffix](report, ref, png, when=when, app_version=version)


class _Reducers(dict[type, Callable[[Any], tuple[Any, ...]]]):
    """A pickler's dispatch table for the report's frozen slots dataclasses: each pickled as
    its field values in one `attrgetter` call. Python's own way for such a class calls
    `dataclasses.fields` on every object, going and coming back: most of the second it took
    to pickle a large report. Any other type is pickled as usual."""

    def __missing__(self, cls: type) -> Callable[[Any], tuple[Any, ...]]:
        if not (dataclasses.is_dataclass(cls) and "__slots__" in vars(cls)):
            raise KeyError(cls)
        names = tuple(f.name for f in dataclasses.fields(cls))
        get = attrgetter(*names)
        if len(names) == 1:

            def reduce(obj: Any) -> tuple[Any, ...]:
                return (_restore, (cls, names, (get(obj),)))
        else:

            def reduce(obj: Any) -> tuple[Any, ...]:
                return (_restore, (cls, names, get(obj)))

        self[cls] = reduce
        return reduce


def _restore(cls: type, names: tuple[str, ...], values: tuple[Any, ...]) -> Any:
    """A dataclass object pickled by `_Reducers`, made as unpickling makes one (no
    `__init__`)."""
    obj: Any = object.__new__(cls)
    for name, value in zip(names, values, strict=True):
        object.__setattr__(obj, name, value)
    return obj


def pickled(args: Any) -> bytes:
    """`args` pickled for the worker processes (`_Reducers`)."""
    import io
    import pickle

    buf = io.BytesIO()
    pickler = pickle.Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _Reducers()
    pickler.dump(args)
    return buf.getvalue()


def render_pickled(suffix: str, blob: bytes) -> bytes:
    """`render_document` in a worker process, from the arguments pickled once for all jobs
    (a large report takes most of a second to pickle)."""
    import pickle

    from models.memory import collector_paused

    with collector_paused():  # the report is a few million objects (`models.memory`)
        args = pickle.loads(blob)
    return render_document(suffix, *args)


def _render_documents(
    report: StatusReport, ref: Reference, png: bytes, options: ReportOptions, starter: Any
) -> dict[str, bytes]:
    """The PDF, .docx and .xlsx by suffix: in the worker processes of `starter` (a
    `sbsys._PoolStarter`, started before the report was read), the PDF and the .docx in
    the workers while the workbook is made here; everything here without one, or when a
    worker cannot take its job."""

    from .sbsys import _POOL_ERRORS

    args = (report, ref, png, options.when, options.app_version)
    pool = starter.pool() if starter is not None else None
    futures: dict[str, Any] = {}
    if pool is not None:
        try:
            blob = pickled(args)
            futures = {suffix: pool.submit(render_pickled, suffix, blob) for suffix in _POOLED}
        except _POOL_ERRORS:
            futures = {}
    out: dict[str, bytes] = {".xlsx": render_document(".xlsx", *args)}
    for suffix in _POOLED:
        done: bytes | None = None
        try:
            done = futures[suffix].result() if suffix in futures else None
        except _POOL_ERRORS:
            pass  # the worker died: rendered here
        out[suffix] = done if done is not None else render_document(suffix, *args)
    return {suffix: out[suffix] for suffix in _SUFFIXES}


def render_report_package(
    report: StatusReport, options: ReportOptions, starter: Any = None
) -> tuple[Reference, dict[str, bytes]]:
    """The report's reference and every file of the package, by name, in memory."""
    from .qr import reference_qr_png

    link = fill_link(
        options.link_template, str(report.aar), report.revision, report.digest, options.sagsnummer
    )
    ref = status_reference(report, link)
    png = reference_qr_png(ref)
    stem = report_stem(report.aar, options.when)
    files = {
        f"{stem}{suffix}": content
        for suffix, content in _render_documents(report, ref, png, options, starter).items()
    }
    if options.drop_file:
        files["SbsysDropFile.xml"] = drop_file_xml(document_name(report), [f"{stem}.pdf"]).encode(
            "utf-8"
        )
    data = journalisering(report, ref, files, options)
    files["journalisering.json"] = (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode(
        "utf-8"
    )
    # Windows Notepad and SBSYS users: UTF-8 with BOM (the text has CRLF line ends).
    files["journalisering.txt"] = b"\xef\xbb\xbf" + journalisering_txt(data).encode("utf-8")
    return ref, files


def _starter(db: Database, aar: int) -> Any:
    """The worker processes for a large report, starting now (while the report is read);
    None for a small one or on a single core."""
    from models.status_report import report_maal_count

    from .sbsys import _PoolStarter

    if (os.cpu_count() or 1) < 2 or report_maal_count(db, aar) < PARALLEL_MAAL:
        return None
    return _PoolStarter(2)


def export_report_package(
    db: Database, outdir: Path | str, aar: int, options: ReportOptions
) -> ReportPackage:
    """Write the report of `aar` as an SBSYS package into `outdir` (created when missing).
    Raises `ExportError` (Danish) when the year has no målplaner or the folder cannot be
    written; nothing new is left behind then."""
    from models.status_report import later_sentence, report_years, status_report

    from .atomic import fsync_dir

    if aar not in report_years(db):
        raise ExportError(
            f"Der er ingen målplaner for {aar}, så der er ingen status at lave. Vælg et andet "
            "år (på skærmen, eller med --aar ÅR)."
        )
    out = Path(outdir).expanduser()
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} er en fil, ikke en mappe. Vælg en mappe til rapporten.")
    starter = _starter(db, aar)
    try:
        report = status_report(db, aar, options.when)
        ref, files = render_report_package(report, options, starter)
    finally:
        if starter is not None:
            starter.close()
    stem = report_stem(aar, options.when)
    created_out = not out.exists()
    final, final_zip = out / stem, out / f"{stem}.zip"
    moved: list[Path] = []
    try:
        with staging_dir(out) as stage:
            try:
                (stage / stem).mkdir()
                for name, content in files.items():
                    write_bytes(stage / stem / name, content)
                if options.zip:
                    write_bytes(stage / f"{stem}.zip", _zip_bytes(stem, files))
            except OSError as exc:
                raise write_error(exc, out) from None
            replaced = os.path.lexists(final) or (options.zip and os.path.lexists(final_zip))
            try:
                move_into_place(stage / stem, final)
                moved.append(final)
                if options.zip:
                    move_into_place(stage / f"{stem}.zip", final_zip)
                    moved.append(final_zip)
            except OSError as exc:
                raise write_error(exc, out) from None
    except BaseException:
        from .sbsys import _remove

        for path in moved:
            _remove(path)
        if created_out:
            try:
                out.rmdir()  # only when empty
            except OSError:
                pass
        raise
    fsync_dir(out)
    return ReportPackage(
        final,
        tuple(final / name for name in files),
        final_zip if options.zip else None,
        ref,
        bool(replaced),
        len(report.maal),
        later_sentence(report.senere_maalinger, report.senere_laering, report.senere_effekter),
    )


def export_status_report(
    ws: Workspace,
    outdir: Path | str,
    aar: int,
    *,
    sagsnummer: str | None = None,
    dokument_art: str | None = None,
    drop_file: bool = False,
    zip: bool = False,
) -> ReportPackage:
    """The export as the app and the command line run it: `export_report_package` with the
    link template, DokumentArt and aktindsigt saved in the workspace's settings. A
    `sagsnummer` given is checked like a målplan's and saved for the year (next time it is
    filled in); an empty one removes it."""
    from models import settings
    from models.schema import validate_value

    from .sbsys import app_version, clean_dokument_art

    entry = settings.REPORT_SAGSNUMMER.of(str(aar))
    if sagsnummer is not None:
        clean = validate_value("maalplan", "sagsnummer", sagsnummer)
        ws.set_setting(entry, clean)
    options = ReportOptions(
        when=ws.today(),
        app_version=app_version(),
        sagsnummer=ws.setting(entry),
        dokument_art=clean_dokument_art(dokument_art)
        if dokument_art is not None
        else ws.setting(settings.SBSYS_DOKUMENTART) or DEFAULT_DOKUMENTART,
        omfattet_af_aktindsigt=ws.setting(settings.SBSYS_AKTINDSIGT),
        link_template=ws.setting(settings.EXPORT_QR_LINK_TEMPLATE),
        drop_file=drop_file,
        zip=zip,
    )
    return export_report_package(ws.database, outdir, aar, options)
