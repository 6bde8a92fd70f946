"""A målplan's stable reference: its id, revision and a digest of its content. It goes into
every document (QR code and document properties), and `verify` reads it back to tell whether a
printed or filed copy still matches the database."""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from models.errors import NotFoundError, UdviklingsdagError, ValidationError
from models.maalplan_view import MaalplanView, load_maalplan

if TYPE_CHECKING:  # the export's worker processes never touch the database
    from models.db import Database

# Upper case only, so a QR code can use its compact alphanumeric mode.
PREFIX = "UDVD:MAALPLAN"
REF_RE = re.compile(
    r"UDVD:MAALPLAN:([0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}):R(\d{1,9}):"
    r"([0-9A-F]{16})",
    re.IGNORECASE,
)
PLACEHOLDERS = ("id", "rev", "digest", "sagsnummer")


@dataclass(frozen=True)
class Reference:
    """Id, revision and content digest of one målplan, plus an optional link."""

    maalplan_id: str
    revision: int
    digest: str
    link: str | None = None

    @property
    def text(self) -> str:
        """The one-line machine-readable form (what the metadata holds)."""
        return f"{PREFIX}:{self.maalplan_id.upper()}:R{self.revision}:{self.digest.upper()}"

    @property
    def qr_payload(self) -> str:
        """What the QR code carries: the reference line, then the link on its own line."""
        return self.text + (f"\n{self.link}" if self.link else "")

    @property
    def short(self) -> str:
        """A human-friendly form for a footer: «rev. 12 · a1b2c3d4»."""
        return f"rev. {self.revision} · {self.digest[:8]}"


def parse_reference(text: str) -> Reference | None:
    """Find a reference in any text (a QR payload, metadata); None when there is none."""
    m = REF_RE.search(text or "")
    if not m:
        return None
    link = None
    rest = text[m.end() :].strip().splitlines()
    if rest and rest[0].startswith(("http://", "https://")):
        link = rest[0].strip()
    return Reference(m.group(1).lower(), int(m.group(2)), m.group(3).lower(), link)


def render_link(template: str | None, view: MaalplanView) -> str | None:
    """Fill a URL template such as `https://sbsys.kommune.dk/sag/{sagsnummer}` for a plan.

    Placeholders: {id}, {rev}, {digest}, {sagsnummer}. A template that names {sagsnummer}
    gives no link for a plan without one."""
    if not template or not template.strip():
        return None
    values = {
        "id": view.id,
        "rev": str(view.revision),
        "digest": view.digest,
        "sagsnummer": quote(view.sagsnummer or "", safe=""),
    }
    if "{sagsnummer}" in template and not view.sagsnummer:
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


# Exit codes of `udviklingsdag verify`; 1 and 2 stay the usual error and usage codes.
EXIT_CODES = {VerifyStatus.CURRENT: 0, VerifyStatus.OUTDATED: 3, VerifyStatus.UNKNOWN: 4}


@dataclass(frozen=True)
class VerifyResult:
    status: VerifyStatus
    message: str
    reference: Reference | None
    current: Reference | None = None


def verify_reference(db: Database, ref: Reference | None, what: str = "filen") -> VerifyResult:
    """Compare a reference with the database: current, outdated or unknown (in Danish).
    `what` names the source in the message («filen», «referencen»)."""
    if ref is None:
        return VerifyResult(
            VerifyStatus.UNKNOWN,
            f"{what.capitalize()} har ingen målplan-reference fra udviklingsdag. Den er ikke "
            "lavet af programmet, eller referencen er fjernet.",
            None,
        )
    try:
        view = load_maalplan(db, ref.maalplan_id)
    except NotFoundError:
        return VerifyResult(
            VerifyStatus.UNKNOWN,
            f"Målplanen i {what} ({ref.maalplan_id}) "
            "findes ikke i denne database. Den kan være slettet, eller filen hører til en anden "
            "database.",
            ref,
        )
    current = reference_for(view)
    name = f"«{view.titel}» ({view.enhed_navn})"
    if current.digest == ref.digest:
        extra = ""
        if current.revision > ref.revision:
            extra = (
                f" Der er registreret ændringer siden (revision {ref.revision} → "
                f"{current.revision}), men indholdet er det samme."
            )
        return VerifyResult(
            VerifyStatus.CURRENT,
            f"Aktuel: {what} svarer til målplanen "
            f"{name} i databasen (revision {ref.revision}).{extra}",
            ref,
            current,
        )
    return VerifyResult(
        VerifyStatus.OUTDATED,
        f"Forældet: målplanen {name} er ændret, siden {what} blev lavet ({what} har revision "
        f"{ref.revision}, databasen har revision {current.revision}). Lav en ny eksport.",
        ref,
        current,
    )


def verify_file(db: Database, path: Path | str) -> VerifyResult:
    """Read the reference from one of our files and compare it with the database."""
    return verify_reference(db, read_reference(path), "filen")
