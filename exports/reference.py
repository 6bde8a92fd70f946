"""A målplan's stable reference: its id, revision and a digest of its content. It goes into
every document (QR code and document properties), and `verify` reads it back to tell whether a
printed or filed copy still matches the database, and whether the copy itself was changed after
export (the SHA-256 in the package's journalisering.json, the digest of the document's own
text), also for a PDF another program printed from our .docx/.xlsx (the reference in its
footer) and for the text read from a QR code."""

from __future__ import annotations

import hashlib
import re
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote
from xml.etree import ElementTree

from models.errors import NotFoundError, UdviklingsdagError, ValidationError
from models.maalplan_view import MaalplanView, load_maalplan
from models.visible import visible

from .seal import check as seal_check

if TYPE_CHECKING:  # the export's worker processes never touch the database
    from models.db import Database
    from models.records import PlanAPoster
    from models.status_report import StatusReport


class RefKind(StrEnum):
    """What a reference points at. Upper case only, so a QR code can use its compact
    alphanumeric mode."""

    MAALPLAN = "MAALPLAN"  # a målplan (its id)
    STATUS = "STATUS"  # the August status report of a year (the year)
    PLANA = "PLANA"  # a workplace's Plan A poster (its målplan's id)


_UUID = r"[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}"
REF_RE = re.compile(
    rf"UDVD:(?:(MAALPLAN|PLANA):({_UUID})|(STATUS):(\d{{4}})):R(\d{{1,9}}):([0-9A-F]{{16}})",
    re.IGNORECASE,
)
PLACEHOLDERS = ("id", "rev", "digest", "sagsnummer")


@dataclass(frozen=True)
class Reference:
    """What a document shows (`kind` and `subject`: a målplan's id, or the year of an August
    report), its revision and content digest, plus an optional link."""

    subject: str
    revision: int
    digest: str
    link: str | None = None
    kind: RefKind = RefKind.MAALPLAN

    @property
    def text(self) -> str:
        """The one-line machine-readable form (what the metadata holds)."""
        return (
            f"UDVD:{self.kind.value}:{self.subject.upper()}:R{self.revision}:{self.digest.upper()}"
        )

    @property
    def qr_payload(self) -> str:
        """What the QR code carries: the reference line, then the link on its own line."""
        return self.text + (f"\n{self.link}" if self.link else "")

    @property
    def short(self) -> str:
        """A human-friendly form for a footer: «rev. 12 · a1b2c3d4»."""
        return f"rev. {self.revision} · {self.digest[:8]}"


def parse_reference(text: str, kinds: tuple[RefKind, ...] = tuple(RefKind)) -> Reference | None:
    """Find a reference of one of `kinds` in any text (a QR payload, metadata); None when
    there is none."""
    for m in REF_RE.finditer(text or ""):
        kind = RefKind((m.group(1) or m.group(3)).upper())
        if kind not in kinds:
            continue
        subject = (m.group(2) or m.group(4)).lower()
        link = None
        rest = text[m.end() :].strip().splitlines()
        if rest and rest[0].startswith(("http://", "https://")):
            link = rest[0].strip()
        return Reference(subject, int(m.group(5)), m.group(6).lower(), link, kind)
    return None


def render_link(template: str | None, view: MaalplanView) -> str | None:
    """Fill a URL template such as `https://sbsys.kommune.dk/sag/{sagsnummer}` for a plan.

    Placeholders: {id}, {rev}, {digest}, {sagsnummer}. A template that names {sagsnummer}
    gives no link for a plan without one."""
    return fill_link(template, view.id, view.revision, view.digest, view.sagsnummer)


def fill_link(
    template: str | None, id: str, revision: int, digest: str, sagsnummer: str | None
) -> str | None:
    """`render_link` for any document: its id, revision, digest and case number."""
    if not template or not template.strip():
        return None
    values = {
        "id": id,
        "rev": str(revision),
        "digest": digest,
        "sagsnummer": quote(sagsnummer or "", safe=""),
    }
    if "{sagsnummer}" in template and not sagsnummer:
        return None
    try:
        return template.strip().format_map(values)
    except (KeyError, IndexError, ValueError):
        raise ValidationError(
            f"Linkskabelonen «{template}» kan ikke udfyldes. Brug kun pladsholderne "
            + ", ".join("{" + p + "}" for p in PLACEHOLDERS)
            + ", fx https://sbsys.eksempel.dk/sag/{sagsnummer}.",
            field="Linkskabelon",
        ) from None


def check_link_template(template: str | None) -> str | None:
    """Validate a URL template before it is saved; returns it cleaned (None when empty)."""
    if not template or not template.strip():
        return None
    clean = template.strip()
    if not clean.startswith(("http://", "https://")):
        raise ValidationError(
            "Linkskabelonen skal begynde med https:// (eller http://).", field="Linkskabelon"
        )
    probe = MaalplanView(
        id="x", titel="", aar=None, enhed_id=None, enhed_navn="", sagsnummer="00.01.00-G01-1-24"
    )
    render_link(clean, probe)
    return clean


def reference_for(view: MaalplanView, link_template: str | None = None) -> Reference:
    """The reference of a loaded målplan (revision and digest come with the view)."""
    return Reference(view.id, view.revision, view.digest, render_link(link_template, view))


# --- reading a reference back from a file ----------------------------------------------------


# What `verify` reads at most: the file itself (our documents are a few hundred KB), and the
# document properties inside a .docx/.xlsx (a few KB), however much they claim to unpack to.
MAX_VERIFY_BYTES = 64 * 1024 * 1024
MAX_PROPERTIES_BYTES = 1024 * 1024


def read_reference(path: Path | str) -> Reference | None:
    """The reference stored in one of our .docx, .xlsx or .pdf files; None when the file has
    none. Raises `UdviklingsdagError` when the file cannot be read (also a FIFO or device, a
    file over `MAX_VERIFY_BYTES`, properties that unpack to more than `MAX_PROPERTIES_BYTES`)."""
    from .atomic import check_regular_file, read_limited, read_zip_member

    p = Path(path)
    suffix = p.suffix.lower()
    try:
        if suffix in (".docx", ".xlsx", ".pdf"):
            check_regular_file(p, MAX_VERIFY_BYTES)  # before opening: a FIFO would hang
        if suffix in (".docx", ".xlsx"):
            try:
                with zipfile.ZipFile(p) as zf:
                    # The reference sits in the core document properties (dc:identifier).
                    try:
                        raw = read_zip_member(zf, "docProps/core.xml", MAX_PROPERTIES_BYTES, p.name)
                    except KeyError:
                        return None
                    core = raw.decode("utf-8", "replace")
            except (
                zipfile.BadZipFile,
                EOFError,
                ValueError,
                NotImplementedError,
                RuntimeError,  # a part that is encrypted (password required)
                zlib.error,
            ):
                raise UdviklingsdagError(
                    f"{p.name} er ikke en gyldig {suffix[1:]}-fil (den er beskadiget eller af en "
                    "anden type)."
                ) from None
            return parse_reference(core)
        if suffix == ".pdf":
            data = read_limited(p, MAX_VERIFY_BYTES)
            if not data.startswith(b"%PDF"):
                raise UdviklingsdagError(f"{p.name} er ikke en PDF-fil.")
            # Our PDFs keep the XMP metadata uncompressed (PDF/A expects it readable), so a plain
            # search finds the reference without a PDF library.
            return parse_reference(data.decode("latin-1"))
    except FileNotFoundError:
        raise UdviklingsdagError(f"Filen {p} findes ikke. Tjek stien og prøv igen.") from None
    except IsADirectoryError:
        raise UdviklingsdagError(
            f"{p} er en mappe. Angiv en .docx-, .xlsx- eller .pdf-fil."
        ) from None
    except PermissionError:
        raise UdviklingsdagError(f"Der er ikke adgang til at læse {p}.") from None
    raise UdviklingsdagError(
        f"{p.name} kan ikke tjekkes: kun .docx-, .xlsx- og .pdf-filer fra udviklingsdag har en "
        "reference."
    )


class VerifyStatus(StrEnum):
    CURRENT = "aktuel"
    OUTDATED = "forældet"
    UNKNOWN = "ukendt"
    CHANGED = "ændret"
    NOT_COMPARED = "ikke sammenlignet"


# Exit codes of `udviklingsdag verify`; 1 and 2 stay the usual error and usage codes.
EXIT_CODES = {
    VerifyStatus.CURRENT: 0,
    VerifyStatus.OUTDATED: 3,
    VerifyStatus.UNKNOWN: 4,
    VerifyStatus.CHANGED: 5,
    VerifyStatus.NOT_COMPARED: 6,
}


@dataclass(frozen=True)
class VerifyResult:
    status: VerifyStatus
    message: str
    reference: Reference | None
    current: Reference | None = None


@dataclass(frozen=True)
class _Subject:
    """What a reference points at, as the database has it now."""

    current: Reference
    name: str  # «målplanen «…» (…)», «augustrapporten for 2026», «Plan A-plakaten for …»
    texts: tuple[str, ...]  # texts a true copy shows (title, mål, tegn, …)
    # The document the app makes of it now, as bytes: (suffix, reference, export day) -> the
    # .docx or .xlsx (None for a suffix it does not make). What a true copy's text must be.
    render: Callable[[str, Reference, date], bytes | None] | None = None


# Per kind: what the answer says about the data when the copy itself was changed.
_DATA_WORDS: dict[RefKind, dict[VerifyStatus, str]] = {
    RefKind.MAALPLAN: {
        VerifyStatus.CURRENT: "Målplanen selv er ikke ændret i databasen.",
        VerifyStatus.OUTDATED: "Målplanen er desuden ændret i databasen siden.",
        VerifyStatus.UNKNOWN: "Målplanen findes ikke i denne database.",
    },
    RefKind.STATUS: {
        VerifyStatus.CURRENT: "Dataene bag rapporten er ikke ændret i databasen.",
        VerifyStatus.OUTDATED: "Dataene bag rapporten er desuden ændret i databasen siden.",
        VerifyStatus.UNKNOWN: "Året har ingen målplaner i denne database.",
    },
    RefKind.PLANA: {
        VerifyStatus.CURRENT: "Plan A-plakatens indhold er ikke ændret i databasen.",
        VerifyStatus.OUTDATED: "Plan A-plakatens indhold er desuden ændret i databasen siden.",
        VerifyStatus.UNKNOWN: "Målplanen bag plakaten findes ikke i denne database.",
    },
}


def _subject(db: Database, ref: Reference) -> _Subject | None:
    """The current state of what `ref` points at; None when the database does not have it."""
    if ref.kind is RefKind.STATUS:
        from models.status_report import report_years, status_report

        from .status_report_docs import title

        aar = int(ref.subject)
        if aar not in report_years(db):
            return None
        report = status_report(db, aar, date.today())
        texts = (title(report), *(m.tekst for m in report.maal))

        def report_document(suffix: str, ref: Reference, when: date) -> bytes | None:
            from .qr import reference_qr_png
            from .status_report_docs import status_report_docx
            from .status_report_xlsx import status_report_xlsx

            render = {".docx": status_report_docx, ".xlsx": status_report_xlsx}.get(suffix)
            if render is None:
                return None
            made = replace(report, today=when)  # the day it was read shows in the report
            return render(made, ref, reference_qr_png(ref), when=when)

        return _Subject(
            status_reference(report), f"augustrapporten for {aar}", texts, report_document
        )
    if ref.kind is RefKind.PLANA:
        from models.plan_a import plan_a_poster

        poster = plan_a_poster(db, ref.subject)
        if poster is None:
            return None
        chosen = poster.valgte
        texts = (*(i.forskel for i in chosen), *(m.tekst for i in chosen for m in i.maal))

        def poster_document(suffix: str, ref: Reference, when: date) -> bytes | None:
            from .plan_a_poster import poster_docx
            from .qr import reference_qr_png

            if suffix != ".docx":
                return None
            return poster_docx(poster, ref, reference_qr_png(ref), when=when)

        return _Subject(
            poster_reference(poster), f"Plan A-plakaten for {poster.enhed}", texts, poster_document
        )
    try:
        view = load_maalplan(db, ref.subject)
    except NotFoundError:
        return None
    texts = (
        view.titel,
        *(m.tekst for m in view.maal),
        *(t.tekst for m in view.maal for t in m.tegn),
    )

    def plan_document(suffix: str, ref: Reference, when: date) -> bytes | None:
        from .docx import maalplan_docx
        from .qr import reference_qr_png
        from .xlsx import maalplan_xlsx

        png = reference_qr_png(ref)
        if suffix == ".docx":
            return maalplan_docx(view, ref, png, when=when)
        if suffix == ".xlsx":
            return maalplan_xlsx(view, when=when, reference_text=ref.text, qr_png=png)
        return None

    return _Subject(
        reference_for(view),
        f"målplanen «{view.titel}» ({view.enhed_navn})",
        texts,
        plan_document,
    )


def _unknown_message(ref: Reference, what: str) -> str:
    if ref.kind is RefKind.STATUS:
        return (
            f"Augustrapporten i {what} er for {ref.subject}, men denne database har ingen "
            f"målplaner for {ref.subject}. Filen hører måske til en anden database."
        )
    if ref.kind is RefKind.PLANA:
        return (
            f"Målplanen bag Plan A-plakaten i {what} ({ref.subject}) findes ikke i denne "
            "database. Den kan være slettet, eller filen hører til en anden database."
        )
    return (
        f"Målplanen i {what} ({ref.subject}) "
        "findes ikke i denne database. Den kan være slettet, eller filen hører til en anden "
        "database."
    )


def verify_reference(db: Database, ref: Reference | None, what: str = "filen") -> VerifyResult:
    """Compare a reference with the database: current, outdated or unknown (in Danish).
    `what` names the source in the message («filen», «referencen»)."""
    return _compare(ref, _subject(db, ref) if ref is not None else None, what)


def _compare(ref: Reference | None, subject: _Subject | None, what: str) -> VerifyResult:
    """`verify_reference` with the subject already read (a large August report takes
    seconds to read: `verify_file` reads it once)."""
    if ref is None:
        return VerifyResult(
            VerifyStatus.UNKNOWN,
            f"{what.capitalize()} har ingen reference fra udviklingsdag (til en målplan, en "
            "augustrapport eller en Plan A-plakat). Den er ikke lavet af programmet, eller "
            "referencen er fjernet.",
            None,
        )
    if subject is None:
        return VerifyResult(VerifyStatus.UNKNOWN, _unknown_message(ref, what), ref)
    current = subject.current
    if current.digest == ref.digest:
        extra = ""
        if current.revision > ref.revision:
            extra = (
                f" Der er registreret ændringer siden (revision {ref.revision} → "
                f"{current.revision}), men indholdet er det samme."
            )
        return VerifyResult(
            VerifyStatus.CURRENT,
            f"Aktuel: {what} svarer til {subject.name} i databasen (revision {ref.revision})."
            f"{extra}",
            ref,
            current,
        )
    if current.revision > ref.revision:
        why = f" ({what} har revision {ref.revision}, databasen har revision {current.revision})."
    elif current.revision < ref.revision:  # the count never goes down in one database
        why = (
            f" ({what} har revision {ref.revision}, databasen kun {current.revision}: {what} er "
            "lavet fra en anden kopi af databasen)."
        )
    else:
        # The content differs, but the count of changes did not grow: what changed is of a
        # kind the revision does not count.
        why = ". " + _SAME_REVISION[ref.kind].format(revision=ref.revision)
    return VerifyResult(
        VerifyStatus.OUTDATED,
        f"Forældet: {subject.name} er ændret, siden {what} blev lavet{why} Lav en ny eksport.",
        ref,
        current,
    )


# Per kind: why an outdated copy can have the revision the database has. The revision counts
# the actions on the rows behind a document (for the August report: the year's målplaner with
# their mål, tegn, prøvehandlinger and evalueringer, and the vurderinger); the digest covers all
# the document shows.
_SAME_REVISION: dict[RefKind, str] = {
    RefKind.MAALPLAN: (
        "Begge har revision {revision}, for revisionsnummeret tæller ikke alle slags ændringer."
    ),
    RefKind.STATUS: (
        "Begge har revision {revision}, for revisionsnummeret tæller kun ændringer i "
        "målplanerne, evalueringerne og vurderingerne. Det ændrede er noget andet, rapporten "
        "viser: en måling eller læring er tilføjet, rettet eller slettet, en måling eller "
        "læring med en senere dato er nu med, eller en nyere udgave af programmet skriver "
        "rapporten anderledes."
    ),
    RefKind.PLANA: (
        "Begge har revision {revision}, for revisionsnummeret tæller ikke alle slags ændringer."
    ),
}


def status_reference(report: StatusReport, link: str | None = None) -> Reference:
    """The reference of an August report (its year, revision and digest come with it)."""
    return Reference(str(report.aar), report.revision, report.digest, link, RefKind.STATUS)


def poster_reference(poster: PlanAPoster, link_template: str | None = None) -> Reference:
    """The reference of a Plan A poster (its målplan's id, the poster's revision and digest),
    with the link the template gives for its målplan."""
    link = fill_link(
        link_template, poster.maalplan_id, poster.revision, poster.digest, poster.sagsnummer
    )
    return Reference(poster.maalplan_id, poster.revision, poster.digest, link, RefKind.PLANA)


def verify_reference_text(db: Database, text: str) -> VerifyResult:
    """`verify --reference`: the text read from a QR code (or typed from a footer). It tells
    whether the plan has changed since; the paper itself cannot be checked from its QR code."""
    ref = parse_reference(text)
    if ref is None:
        return VerifyResult(
            VerifyStatus.UNKNOWN,
            "Teksten indeholder ingen reference fra udviklingsdag. En reference ser sådan ud: "
            "UDVD:MAALPLAN:<id>:R<revision>:<kontrolsum> (QR-kodens første linje; en "
            "augustrapport har UDVD:STATUS:<år>:…, en Plan A-plakat UDVD:PLANA:<id>:…).",
            None,
        )
    result = verify_reference(db, ref, "referencen")
    if result.status is VerifyStatus.CURRENT:
        result = replace(
            result,
            message=result.message
            + " Det siger kun, at indholdet ikke er ændret siden; om selve papiret er rettet "
            "i hånden, kan QR-koden ikke vise.",
        )
    return result


# --- the document's own text: was the copy changed after export? -----------------------------

# The digest of the document's text is kept next to the reference in the .docx/.xlsx's
# identifier («UDVD:MAALPLAN:…;TEKST=0123456789ABCDEF»); `parse_reference` finds the reference
# part as before. Office programs keep the core properties when a user edits and saves
# (LibreOffice does, tested), so a changed text no longer matches the digest, while a file that
# is merely saved again still does.
TEXT_TAG = ";TEKST="
TEXT_DIGEST_RE = re.compile(r";TEKST=([0-9A-F]{16})", re.IGNORECASE)

# The edition of the words each kind of document is written in. Raise a kind's number with any
# change of code that changes the text its .docx/.xlsx gets from the same data (a heading, a
# sentence, how a number is written). `verify` makes a file's text again from the database and
# compares it in full only for a file of the current edition; of a file from another edition it
# says that its text was not compared (its own text digest still tells whether it was changed
# after export), instead of calling every earlier printout changed. A file without the tag is of
# edition 1; the tag is written from edition 2 on («…;TEKST=…;UDGAVE=2»).
WORDING: dict[RefKind, int] = {
    RefKind.MAALPLAN: 1,
    # 2: a percentage's latest måling with its «%»; 3: the roll-up's words (none repeated, few
    # assessed said first), ties on the first page, læring from the evalueringer and for the
    # whole målplan, what was left out for being dated after the report's day.
    RefKind.STATUS: 3,
    RefKind.PLANA: 1,
}
WORDING_TAG = ";UDGAVE="
WORDING_RE = re.compile(r";UDGAVE=(\d{1,4})")
_IDENTIFIER_RE = re.compile(r"(<dc:identifier\b[^>]*>)([^<]*)(</dc:identifier>)")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _stamped(identifier: str, digest: str) -> str:
    """`identifier` with the text digest `digest` (and the wording edition of the reference's
    kind, from edition 2 on) in place of any it had."""
    base = WORDING_RE.sub("", TEXT_DIGEST_RE.sub("", identifier))
    ref = parse_reference(base)
    edition = WORDING[ref.kind] if ref is not None else 1
    return base + TEXT_TAG + digest + (f"{WORDING_TAG}{edition}" if edition > 1 else "")


def wording_edition(core: str) -> int:
    """The wording edition a .docx/.xlsx was written in, from its core properties (1 without
    the tag: every file made before editions were counted)."""
    m = WORDING_RE.search(core)
    return int(m.group(1)) if m else 1


def text_digest(text: str) -> str:
    """The digest of a normalised document text (words joined by one space)."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


def _docx_text(zf: zipfile.ZipFile, name: str) -> str:
    """The body text of a .docx (paragraphs and table cells in document order; no headers or
    footers, which hold the page numbers)."""
    return body_text(_xml(zf, "word/document.xml", name))


def body_text(root: Any) -> str:
    """The text of a `w:document` element, parsed from a file (ElementTree) or still in
    python-docx's hands (lxml): both have the same `iter` and `text`."""
    parts = ["".join(t.text or "" for t in p.iter(f"{_W}t")) for p in root.iter(f"{_W}p")]
    return " ".join(" ".join(parts).split())


def workbook_text(wb: Any) -> str | None:
    """The text `_xlsx_text` will read from an openpyxl workbook once it is saved, taken from
    the workbook in memory: every cell value as its writer writes it (openpyxl's and
    `exports.xlsx`'s write the same), sheet by sheet, rows and columns in order. None where a
    cell holds something whose written form is not followed here (array formulas, rich text,
    ISO dates): then the saved file is read instead (`stamp_text_digest`)."""
    from openpyxl.cell.cell import Cell
    from openpyxl.compat.strings import safe_string
    from openpyxl.utils.datetime import to_excel

    if getattr(wb, "iso_dates", False):
        return None
    from .xlsx import sheet_rows

    parts: list[str] = []
    for sheet in wb._sheets:
        parts.append(sheet.title)
        rows = sheet_rows(sheet)
        for _key, cell in sorted(getattr(sheet, "_cells", {}).items()):
            if type(cell) is not Cell:
                continue  # a merged range's covered cells are written empty
            value, kind = cell._value, cell.data_type
            if value is None or value == "":
                continue
            if kind == "s":
                if not isinstance(value, str):
                    return None
                parts.append(value)
            elif kind == "f":
                if not isinstance(value, str):
                    return None
                parts.append(value)  # written without its «=», read back with it
            elif kind in ("n", "d"):
                raw = safe_string(to_excel(value, wb.epoch) if kind == "d" else value)
                if raw:
                    parts.append(repr(float(raw)))
            elif kind in ("b", "e"):
                parts.append(safe_string(value))
            else:
                return None
        if rows is not None:
            parts.extend(rows.text)  # below every cell of the sheet (`SheetRows`)
    return " ".join(" ".join(parts).split())


def text_stamped(identifier: str, text: str) -> str:
    """`identifier` with the digest of a document's `text` (`text_digest`), as `verify`
    reads it back (`_stamped`)."""
    return _stamped(identifier, text_digest(text).upper())


def stamp_workbook(wb: Any) -> bool:
    """Add the digest of an openpyxl workbook's text to its identifier before it is saved
    (`workbook_text`); False when its text cannot be told before saving."""
    text = workbook_text(wb)
    if text is None:
        return False
    props = wb.properties
    props.identifier = text_stamped(props.identifier or "", text)
    return True


def stamp_docx(doc: Any, *, text: str | None = None) -> None:
    """Add the digest of a python-docx document's text to its identifier before it is saved:
    the same digest `stamp_text_digest` takes from the saved file, without reading the file
    back and writing it again (seconds for a large report). `text` is the body text the file
    will hold (`body_text`), when it is not `doc`'s own (the posters write theirs as XML)."""
    props = doc.core_properties
    props.identifier = text_stamped(
        props.identifier, body_text(doc.element) if text is None else text
    )


_S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _xml(zf: zipfile.ZipFile, part: str, name: str) -> ElementTree.Element:
    from .atomic import read_zip_member

    return ElementTree.fromstring(read_zip_member(zf, part, MAX_VERIFY_BYTES, name))


def _cell_value(c: ElementTree.Element, shared: list[str]) -> str:
    """A cell's value as Excel and openpyxl both store it: shared or inline strings are the
    same text, numbers the same float (Excel may write 0.78 as 0.78000000000000003)."""
    f = c.find(f"{_S}f")
    if f is not None and f.text:
        return "=" + f.text
    kind = c.get("t", "n")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in c.iter(f"{_S}t"))
    v = c.find(f"{_S}v")
    raw = v.text if v is not None and v.text else ""
    if kind == "s":
        return shared[int(raw)] if raw.isdigit() and int(raw) < len(shared) else ""
    if kind == "d" and raw:
        from datetime import datetime

        from openpyxl.utils.datetime import to_excel

        raw = str(to_excel(datetime.fromisoformat(raw)))
        kind = "n"
    if kind == "n" and raw:
        try:
            return repr(float(raw))
        except ValueError:
            return raw
    return raw


def _xlsx_text(zf: zipfile.ZipFile, name: str) -> str:
    """Every cell value of a workbook, sheet by sheet in the workbook's order (formulas as
    typed), read from the XML itself: fast enough to run on every export."""
    shared: list[str] = []
    if "xl/sharedStrings.xml" in zf.namelist():
        for si in _xml(zf, "xl/sharedStrings.xml", name).iter(f"{_S}si"):
            # Plain or rich text; phonetic hints (rPh) are not part of the value.
            texts = si.findall(f"{_S}t") + si.findall(f"{_S}r/{_S}t")
            shared.append("".join(t.text or "" for t in texts))
    targets: dict[str, str] = {}
    for rel in _xml(zf, "xl/_rels/workbook.xml.rels", name):
        target = rel.get("Target", "")
        targets[rel.get("Id", "")] = (
            target.lstrip("/") if target.startswith("/") else "xl/" + target
        )
    parts: list[str] = []
    for sheet in _xml(zf, "xl/workbook.xml", name).iter(f"{_S}sheet"):
        parts.append(sheet.get("name", ""))
        part = targets.get(sheet.get(_REL, ""), "")
        if part not in zf.namelist():
            continue
        for c in _xml(zf, part, name).iter(f"{_S}c"):
            value = _cell_value(c, shared)
            if value:
                parts.append(value)
    return " ".join(" ".join(parts).split())


def office_text(data: bytes, suffix: str, name: str = "filen") -> str:
    """The normalised text of a .docx or .xlsx (what the text digest covers)."""
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return _xlsx_text(zf, name) if suffix == ".xlsx" else _docx_text(zf, name)


def stamp_text_digest(name: str, data: bytes) -> bytes:
    """Add the digest of a .docx/.xlsx's own text to its identifier (after export, before the
    SHA-256 in journalisering.json is taken), in place of one it has. Other files come back
    unchanged. The app's own .docx files are stamped as they are made (`stamp_docx`)."""
    import io

    suffix = Path(name).suffix.lower()
    if suffix not in (".docx", ".xlsx"):
        return data
    digest = text_digest(office_text(data, suffix, name)).upper()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "docProps/core.xml":
                core = body.decode("utf-8")
                core = _IDENTIFIER_RE.sub(
                    lambda m: m.group(1) + _stamped(m.group(2), digest) + m.group(3), core, 1
                )
                body = core.encode("utf-8")
            dst.writestr(info, body, compress_type=info.compress_type)
    return out.getvalue()


def pdf_text(data: bytes) -> str:
    """The text of a PDF's pages (pypdf); "" when it has none or cannot be read."""
    import io
    import logging

    try:
        from pypdf import PdfReader
    except ImportError:  # pragma: no cover - a runtime dependency
        return ""
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except Exception:  # any broken or fake PDF simply has no readable text
        return ""


_SHA_DIFFERS = "filen afviger fra den eksporterede (SHA-256 i journalisering.json)"
_SEAL_DIFFERS = (
    "filen er ændret, efter programmet skrev den (dens segl i nøgleordene passer ikke med "
    "indholdet; en side taget ud eller filen gemt igen i et andet program giver det samme)"
)
# How our PDFs name their producer, as the bytes stand in the file: in the Info dictionary of
# exports/pdf.py's (fpdf2), in the XMP of the posters' own writer (exports/page_pdf.py,
# `plan_a_poster.PRODUCER`; its Info dictionary escapes the parentheses). Both uncompressed.
OUR_PDF_PRODUCERS = (b"udviklingsdag (fpdf2)", b"udviklingsdag (plakat)")
_REPRINTED = (
    "PDF'en er lavet af et andet program (fx LibreOffice, Word eller SBSYS) ud fra et dokument "
    "fra udviklingsdag; referencen står i sidefoden, men indholdet kan ikke sammenlignes med det "
    "eksporterede"
)


@dataclass(frozen=True)
class _Copy:
    """What `verify` learns from a file: its reference and whether its content is intact."""

    reference: Reference | None
    changed: str | None = None  # why the content differs from the export (Danish)
    not_compared: str | None = None  # why it cannot be compared (Danish)
    reprinted: bool = False  # a PDF another program made from our docx/xlsx
    text: str = ""  # the normalised text of a .docx/.xlsx whose content checked out
    note: str = ""  # added to an «Aktuel» answer


def _package_entry(p: Path) -> dict[str, object] | None:
    """The file's entry in journalisering.json in the same folder, if there is one."""
    import json

    meta = p.parent / "journalisering.json"
    try:
        data = json.loads(meta.read_text("utf-8"))
        files = data.get("Filer", []) if isinstance(data, dict) else []
        for entry in files:
            if isinstance(entry, dict) and entry.get("Navn") == p.name:
                return entry
    except (OSError, ValueError):
        return None
    return None


def _examine(p: Path) -> _Copy:
    from .atomic import read_limited

    suffix = p.suffix.lower()
    ref = read_reference(p)  # also every check that the file is readable and of its type
    if ref is None and suffix != ".pdf":
        return _Copy(None)
    data = read_limited(p, MAX_VERIFY_BYTES)
    entry = _package_entry(p)
    sha_ok: bool | None = None
    if entry is not None and isinstance(entry.get("SHA256"), str):
        sha_ok = hashlib.sha256(data).hexdigest() == entry["SHA256"]
    if ref is not None and suffix in (".docx", ".xlsx"):
        try:
            text = office_text(data, suffix, p.name)
        except UdviklingsdagError:
            raise
        except Exception:  # a damaged part: the text cannot be what was exported
            return _Copy(ref, changed="filens indhold kan ikke læses")
        m = TEXT_DIGEST_RE.search(_core_xml(p))
        if m is None:
            if sha_ok:
                return _Copy(ref, text=text)
            if sha_ok is False:
                return _Copy(ref, changed=_SHA_DIFFERS)
            return _Copy(
                ref,
                not_compared="filen har ingen kontrolsum for sin tekst (den er lavet af en "
                "ældre udgave af programmet, eller den er ikke lavet af programmet)",
            )
        if text_digest(text) != m.group(1).lower():
            return _Copy(ref, changed="teksten i filen er ændret efter eksporten")
        # The text is as exported, whether or not the file was saved again since.
        note = (
            " Filen er gemt igen siden eksporten (SHA-256 i journalisering.json afviger), men "
            "teksten er uændret."
            if sha_ok is False
            else ""
        )
        return _Copy(ref, text=text, note=note)
    # PDF: our own carries the reference in its metadata; one that LibreOffice, Word or SBSYS
    # printed from our docx/xlsx has it only in the footer text.
    if ref is not None:
        if sha_ok:
            return _Copy(ref)
        if sha_ok is False:
            return _Copy(ref, changed=_SHA_DIFFERS)
        # Our own PDFs carry a seal of their bytes (exports.seal): no package needed.
        sealed = seal_check(data)
        if sealed:
            return _Copy(ref)
        if sealed is False:
            return _Copy(ref, changed=_SEAL_DIFFERS)
        text = pdf_text(data)
        if ref.text.replace(" ", "") not in "".join(text.split()).upper():
            return _Copy(
                ref,
                changed="referencen står i filens metadata, men ikke i dens tekst; filen er "
                "ikke den eksporterede PDF",
            )
        if not any(producer in data for producer in OUR_PDF_PRODUCERS):
            return _Copy(ref, not_compared=_REPRINTED, reprinted=True)
        return _Copy(
            ref,
            not_compared="PDF'ens indhold kan kun sammenlignes, når den ligger i pakkens mappe "
            "sammen med journalisering.json",
        )
    text = pdf_text(data)
    found = parse_reference(text) or parse_reference("".join(text.split()))
    if found is None:
        return _Copy(None)
    return _Copy(found, not_compared=_REPRINTED, reprinted=True)


def _core_xml(p: Path) -> str:
    from .atomic import read_zip_member

    with zipfile.ZipFile(p) as zf:
        try:
            return read_zip_member(zf, "docProps/core.xml", MAX_PROPERTIES_BYTES, p.name).decode(
                "utf-8", "replace"
            )
        except KeyError:
            return ""


def _letters(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _missing_from(texts: Sequence[str], text: str) -> str | None:
    """The first of `texts` (the title, mål, tegn, … a true copy shows) that the file's text
    lacks; letters and digits only, so the documents' line breaks and punctuation do not
    matter."""
    have = _letters(text)
    for want in texts:
        if _letters(want) not in have:
            return want[:60] + ("…" if len(want) > 60 else "")
    return None


_CREATED_RE = re.compile(r"<dcterms:created\b[^>]*>([^<]{10,40})</dcterms:created>")


def _export_day(core: str) -> date | None:
    """The day a .docx/.xlsx of ours was made: its core properties' creation date (the
    exports set it to the export day; Office keeps it when a file is saved again)."""
    from datetime import datetime

    m = _CREATED_RE.search(core)
    if m is None:
        return None
    try:
        return datetime.fromisoformat(m.group(1).strip().replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _first_difference(have: str, want: str) -> tuple[str, str] | None:
    """Where two normalised texts part: a few words of each from the first word that differs
    (None when they are the same)."""
    a, b = have.split(), want.split()
    if a == b:
        return None
    at = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    start = max(0, at - 2)

    def words(seq: list[str]) -> str:
        return visible(" ".join(seq[start : at + 6]), 80) or "(intet)"

    return words(a), words(b)


def _rendered_difference(
    subject: _Subject, copy: _Copy, p: Path
) -> tuple[VerifyStatus, str] | None:
    """Whether the file's text is the text the app makes of the subject now (the database
    behind an «Aktuel» reference): None when it is; else «Ændret» with where the texts part (a
    forged file with a copied reference and a digest stamped over its own changed text), or
    «not compared» with why, when the text cannot be made again here. Never «Aktuel» for a
    file whose text was not compared in full."""
    missing = _missing_from(subject.texts, copy.text)
    if missing is not None:  # the cheap look first: the title, mål and tegn it must show
        return VerifyStatus.CHANGED, f"«{missing}» står ikke i filen"
    suffix = p.suffix.lower()
    core = _core_xml(p)
    when = _export_day(core)
    if copy.reference is not None:
        edition, now = wording_edition(core), WORDING[copy.reference.kind]
        if edition != now:
            return (
                VerifyStatus.NOT_COMPARED,
                f"filen er skrevet med udgave {edition} af programmets tekster, og programmet "
                f"skriver nu udgave {now}, så dens tekst kan ikke laves igen og sammenlignes "
                "ord for ord (dens kontrolsum viser, at filen ikke er ændret efter eksporten)",
            )
    if when is None or subject.render is None or copy.reference is None:
        return (
            VerifyStatus.NOT_COMPARED,
            "filen mangler sin eksportdato (dcterms:created), så dens tekst kan ikke laves "
            "igen fra databasen og sammenlignes",
        )
    try:
        rendered = subject.render(suffix, copy.reference, when)
    except Exception:  # never let the check itself fail the answer
        return (
            VerifyStatus.NOT_COMPARED,
            "teksten kunne ikke laves igen fra databasen til sammenligning",
        )
    if rendered is None:
        return VerifyStatus.CHANGED, f"programmet laver ingen {suffix}-fil af {subject.name}"
    found = _first_difference(copy.text, office_text(rendered, suffix, p.name))
    if found is None:
        return None
    have, expected = found
    return VerifyStatus.CHANGED, f"filen har «{have}», hvor databasen giver «{expected}»"


def verify_file(db: Database, path: Path | str) -> VerifyResult:
    """Check one of our files: is its content what was exported (the SHA-256 in the package's
    journalisering.json, the digest of its own text), and is the plan still the same?"""
    p = Path(path)
    copy = _examine(p)
    subject = _subject(db, copy.reference) if copy.reference is not None else None
    result = _compare(copy.reference, subject, "filen")
    if copy.changed:
        kind = copy.reference.kind if copy.reference else RefKind.MAALPLAN
        plan = _DATA_WORDS[kind].get(result.status, "")
        return replace(
            result,
            status=VerifyStatus.CHANGED,
            message=f"Ændret: {copy.changed}. Filen er ikke en uændret kopi af eksporten; "
            f"brug en ny eksport. {plan}".strip(),
        )
    if (
        copy.text
        and result.status is VerifyStatus.CURRENT
        and result.reference is not None
        and subject is not None
    ):
        # A file stamped by hand with a copied reference and a digest of its own changed text
        # still has to be what the app makes of what the reference points at: its whole text,
        # made again from the database for the day the file was exported.
        found = _rendered_difference(subject, copy, p)
        if found is not None and found[0] is VerifyStatus.CHANGED:
            return replace(
                result,
                status=VerifyStatus.CHANGED,
                message=f"Ændret: filens tekst passer ikke med {subject.name} i databasen "
                f"({found[1]}), selv om referencen gør. Filen er ikke en kopi af "
                "eksporten; brug en ny eksport.",
            )
        if found is not None:
            return replace(
                result,
                status=VerifyStatus.NOT_COMPARED,
                message=f"Reference fundet, indhold ikke sammenlignet: {found[1]}. Referencen "
                "svarer til den nyeste udgave i databasen (revision "
                f"{result.reference.revision}).",
            )
    if copy.note and result.status is VerifyStatus.CURRENT:
        result = replace(result, message=result.message + copy.note)
    if copy.not_compared and result.status is VerifyStatus.CURRENT:
        return replace(
            result,
            status=VerifyStatus.NOT_COMPARED,
            message=f"Reference fundet, indhold ikke sammenlignet: {copy.not_compared}. "
            "Referencen svarer til den nyeste udgave i databasen (revision "
            f"{result.reference.revision if result.reference else '?'}).",
        )
    if copy.reprinted and result.status is VerifyStatus.OUTDATED:
        return replace(result, message=result.message + " (Referencen er læst i sidefoden.)")
    return result
