"""Reading a filled målplanskabelon (.xlsx) into the database, through `models.store.Store`.

Real sheets are messy, so tables are found by their header row (on any sheet, under any
name), extra columns, blank rows, merged cells, formulas with saved results, dates typed as
text and stray spaces are handled. What cannot be handled is reported by sheet, row and column
in Danish. A file with errors imports nothing, unless the caller asks for the good rows."""

from __future__ import annotations

import json
import re
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from difflib import SequenceMatcher
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from sqlalchemy import select

from models import enums, schema
from models.errors import UdviklingsdagError, ValidationError
from models.schema import ENTITIES, SHEETS, FieldSpec, SheetColumn, sheet_fields
from models.visible import visible
from models.words import count, thousands

from .reference import Reference, RefKind, parse_reference

if TYPE_CHECKING:
    from models.kladde import Boundary, FieldPast
    from models.maalplan_view import MaalplanView
    from models.store import Store
from .xlsx import (
    KNOWN_CHANGES_PROPERTY,
    META_FIELDS,
    TABLES,
    TEMPLATE_FORMAT_PROPERTY,
    TEMPLATE_FORMAT_VERSION,
    view_laeringer,
    view_maalinger,
)

MAX_REPORTED = 200

# Limits: a målplan is a few hundred rows of a dozen columns. A workbook beyond them is refused
# before it is read (one cell at XFD1048576, a million-row sheet, a zip bomb), in a fraction of
# a second and in bounded memory: the zip's declared sizes are checked first, then a byte scan
# of each sheet's XML stops at the first row, column or declared range past the limits
# (`_check_input`), and only then are the sheets read, streaming (openpyxl read-only, row by
# row, with the same limits checked again).
MAX_FILE_BYTES = 20 * 1024 * 1024  # the .xlsx file itself
MAX_MEMBER_BYTES = 32 * 1024 * 1024  # one part of it, unpacked (a sheet's XML, the strings)
MAX_UNPACKED_BYTES = 64 * 1024 * 1024  # all parts together, unpacked
MAX_ROWS = 20_000  # per sheet
MAX_COLUMNS = 100  # per sheet (column CV)
MAX_CELLS = 600_000  # cell elements in the whole workbook, empty or not
MAX_SHEETS = 50
_SPACES = re.compile(r"\s+")
_PARENS = re.compile(r"\([^)]*\)")


class ImportError_(UdviklingsdagError):
    """The workbook cannot be read at all (not an .xlsx, no table of mål ...)."""


@dataclass(frozen=True)
class ImportIssue:
    """One problem in the workbook. `row` is the Excel row number, `column` its letter."""

    sheet: str
    row: int | None
    column: str | None
    header: str | None
    message: str
    severity: str = "fejl"  # or "advarsel"

    def text(self) -> str:
        where = [f"Ark «{self.sheet}»"] if self.sheet else []
        if self.row:
            where.append(f"række {self.row}")
        if self.column:
            where.append(f"kolonne {self.column}" + (f" ({self.header})" if self.header else ""))
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message

    def as_dict(self) -> dict[str, Any]:
        return {
            "ark": self.sheet,
            "raekke": self.row,
            "kolonne": self.column,
            "overskrift": self.header,
            "besked": self.message,
            "alvor": self.severity,
        }


@dataclass
class ImportReport:
    """What an import found and did."""

    path: str
    dry_run: bool
    good_rows: bool
    issues: list[ImportIssue] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    maalplan_id: str | None = None
    imported: bool = False
    # An edited kladde of a plan that is here: what differs, and what was written.
    update_of: str | None = None
    kladde: list[KladdeChange] = field(default_factory=list)
    written: int = 0
    source: str | None = None
    deletions_accepted: bool = False

    @property
    def conflicts(self) -> list[KladdeChange]:
        return [c for c in self.kladde if c.kind == "konflikt"]

    @property
    def deletions(self) -> list[KladdeChange]:
        return [c for c in self.kladde if c.kind == "slet"]

    @property
    def errors(self) -> list[ImportIssue]:
        return [i for i in self.issues if i.severity == "fejl"]

    @property
    def warnings(self) -> list[ImportIssue]:
        return [i for i in self.issues if i.severity != "fejl"]

    def summary(self, *, on_screen: bool = False) -> str:
        """A Danish paragraph: what was (or would be) imported, and how many problems.
        `on_screen`: for the app's kladde screen, which has no «--good-rows»."""
        nouns = [
            ("maal", "maal"),
            ("tegn", "tegn"),
            ("proevehandling", "proevehandling"),
            ("samarbejde", "samarbejde"),
            ("evaluering", "evaluering"),
            ("maalsaetning", "ny_maalsaetning"),
            ("enhed", "ny_enhed"),
        ]
        # The year's rows are named when the file has any (a plan from the days has none).
        nouns += [(k, k) for k in ("maaling", "laering") if self.counts.get(k)]
        what = ", ".join(count(noun, self.counts.get(k, 0)) for k, noun in nouns)
        n_err, n_warn = len(self.errors), len(self.warnings)
        if self.update_of is not None and not n_err:
            return self._update_summary(n_warn)
        if self.imported:
            head = f"Målplanen er indlæst: {what}."
        elif self.dry_run and (not n_err or self.good_rows):
            head = f"Prøvekørsel - intet er gemt. Filen ville give: {what}."
        elif n_err and on_screen:
            head = (
                f"Intet er indlæst: filen har {count('fejl', n_err)}. Ret dem i arket, og prøv "
                "igen."
            )
        elif n_err:
            head = (
                f"Intet er indlæst: filen har {count('fejl', n_err)}. Ret dem og prøv igen, "
                "eller vælg kun at indlæse de gode rækker (--good-rows)."
            )
        else:
            head = "Intet er indlæst."
        if n_warn:
            head += f" {count('advarsel', n_warn).capitalize()}."
        return head

    def _update_summary(self, n_warn: int) -> str:
        n_change = sum(1 for c in self.kladde if c.kind in ("felt", "ny"))
        n_conf, n_del = len(self.conflicts), len(self.deletions)
        if not self.kladde:
            head = "Filen svarer til målplanen i databasen: der er intet at indlæse."
        elif self.imported:
            head = f"Ændringerne er indlæst i målplanen ({count('aendring', self.written)}"
            head += f", kilde: {self.source})." if self.source else ")."
            if n_del and not self.deletions_accepted:
                head += (
                    f" {count('raekke', n_del).capitalize()} mangler i arket og er IKKE "
                    "slettet; indlæs igen med "
                    "--slet for at slette dem."
                )
        else:
            head = (
                "Filen er en redigeret udgave af en målplan i databasen: "
                f"{count('aendring', n_change)}, {count('sletning', n_del)}, "
                f"{count('konflikt', n_conf)}. Intet er gemt endnu."
            )
        if n_conf:
            head += (
                f" {count('konflikt', n_conf).capitalize()} er ikke indlæst: feltet er ændret "
                "både i arket og i "
                "databasen. Ret feltet i programmet til den rigtige tekst."
            )
        if n_warn:
            head += f" {count('advarsel', n_warn).capitalize()}."
        return head

    def as_dict(self) -> dict[str, Any]:
        return {
            "opdaterer": self.update_of,
            "kilde": self.source,
            "aendringer": [c.as_dict() for c in self.kladde[:MAX_REPORTED]],
            "antal_konflikter": len(self.conflicts),
            "antal_skrevet": self.written,
            "fil": self.path,
            "proevekoersel": self.dry_run,
            "kun_gode_raekker": self.good_rows,
            "indlaest": self.imported,
            "maalplan_id": self.maalplan_id,
            "antal": self.counts,
            "fejl": [i.as_dict() for i in self.errors[:MAX_REPORTED]],
            "advarsler": [i.as_dict() for i in self.warnings[:MAX_REPORTED]],
            "antal_fejl": len(self.errors),
            "antal_advarsler": len(self.warnings),
            "opsummering": self.summary(),
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)


# --- reading cells --------------------------------------------------------------------------


def _norm(text: Any) -> str:
    """Header/label form: NFC, case-folded, single spaces, no trailing ':' or '*'."""
    s = unicodedata.normalize("NFC", str(text)).replace("\xa0", " ")
    s = _SPACES.sub(" ", s).strip().casefold().rstrip(":*").strip()
    return s


def _key(text: Any) -> str:
    """Loose form for matching names and målsætninger (case and spacing ignored)."""
    return (
        _SPACES.sub(" ", unicodedata.normalize("NFC", str(text)).replace("\xa0", " "))
        .strip()
        .casefold()
    )


@dataclass
class _Sheet:
    title: str
    rows: list[list[Any]]  # cell values, merged cells filled in, formulas resolved
    # (row, col) 1-based -> why the cell has no value to read (a formula without a saved
    # result, an Excel error value such as #REF!), in Danish
    formula_errors: dict[tuple[int, int], str]


def _known_changes(props: list[Any]) -> str:
    """The change log's position the export stored, put together again from its parts
    (`KNOWN_CHANGES_PROPERTY`, then the same name with 2, 3, …: see `exports.xlsx`); '' when
    it is missing or a part is."""
    parts: dict[int, str] = {}
    for prop in props:
        name = str(getattr(prop, "name", ""))
        if not name.startswith(KNOWN_CHANGES_PROPERTY):
            continue
        suffix = name[len(KNOWN_CHANGES_PROPERTY) :]
        if suffix == "":
            parts[1] = str(prop.value)
        elif suffix.isascii() and suffix.isdigit() and len(suffix) <= 5 and int(suffix) > 1:
            parts[int(suffix)] = str(prop.value)
    if not parts or sorted(parts) != list(range(1, len(parts) + 1)):
        return ""
    return "".join(parts[n] for n in sorted(parts))


def _unreadable(path: Path, why: str) -> ImportError_:
    return ImportError_(
        f"{path.name} kan ikke læses som en Excel-projektmappe (.xlsx): {why} Åbn filen i "
        "Excel eller LibreOffice og gem den som .xlsx (Excel-projektmappe), og prøv igen. "
        "Hjælper det ikke, så brug en tidligere kopi af filen."
    )


_XLSX_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")


def _load(path: Path, *, data_only: bool) -> Any:
    """`load_workbook` (read-only: streaming, the sheets are not read yet) with every way a
    damaged or foreign file fails turned into a Danish `ImportError_` (openpyxl lets zlib,
    zipfile, XML and plain KeyError/TypeError escape)."""
    try:
        return load_workbook(path, data_only=data_only, read_only=True)
    except FileNotFoundError:
        raise ImportError_(f"Filen {path} findes ikke. Tjek stien og prøv igen.") from None
    except IsADirectoryError:
        raise ImportError_(f"{path} er en mappe, ikke en fil. Vælg selve .xlsx-filen.") from None
    except PermissionError:
        raise ImportError_(
            f"{path.name} kan ikke åbnes: du har ikke adgang til filen, eller den er låst af et "
            "andet program. Luk filen i Excel, eller kopiér den til en mappe, du kan læse."
        ) from None
    except MemoryError:
        raise _unreadable(path, "filen er for stor eller beskadiget.") from None
    except Exception as exc:
        # openpyxl lets almost anything escape on a damaged file (zlib.error, ParseError,
        # KeyError, TypeError ...): whatever it is, the user gets a Danish sentence.
        suffix = path.suffix.lower()
        if suffix == ".xls":
            raise ImportError_(
                f"{path.name} er i det gamle Excel-format (.xls). Åbn den i Excel og gem "
                "den som .xlsx, og prøv igen."
            ) from None
        if _starts_with(path, b"\xd0\xcf\x11\xe0"):
            # The same container holds old .xls files and password-protected .xlsx files.
            raise ImportError_(
                f"{path.name} er enten i det gamle Excel-format (.xls) eller beskyttet med en "
                "adgangskode. Åbn den i Excel, fjern en eventuel adgangskode, og gem den som "
                ".xlsx (Excel-projektmappe). Prøv så igen."
            ) from None
        if isinstance(exc, InvalidFileException) and suffix not in _XLSX_SUFFIXES:
            raise ImportError_(
                f"{path.name} har ikke endelsen .xlsx. Åbn filen i Excel eller LibreOffice, gem "
                "den som .xlsx (Excel-projektmappe), og prøv igen."
            ) from None
        if isinstance(exc, InvalidFileException | zipfile.BadZipFile) and not _starts_with(
            path, b"PK"
        ):
            raise _unreadable(path, "den er ikke en Excel-projektmappe.") from None
        if isinstance(exc, OSError) and not isinstance(exc, zipfile.BadZipFile):
            raise _unreadable(path, "filen kunne ikke læses fra drevet.") from None
        raise _unreadable(path, "filen er beskadiget eller ufuldstændig.") from None


def _starts_with(path: Path, magic: bytes) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(len(magic)) == magic
    except OSError:
        return False


def _check_format_version(wb: Any, path: Path) -> None:
    """Refuse a workbook written by a newer app in a newer format (its meaning may differ).

    A workbook without the property (made by hand, or by an older app) is read as format 1."""
    found = None
    try:
        for prop in wb.custom_doc_props.props:
            if prop.name == TEMPLATE_FORMAT_PROPERTY:
                found = prop.value
    except AttributeError:
        return
    try:
        version = int(str(found).strip()) if found is not None else None
    except ValueError:
        version = None
    if version is not None and version > TEMPLATE_FORMAT_VERSION:
        raise ImportError_(
            f"{path.name} er lavet med en nyere udgave af udviklingsdag (skabelonformat "
            f"{version}); denne udgave kan læse skabelonformat {TEMPLATE_FORMAT_VERSION}. "
            "Opdatér udviklingsdag og prøv igen, eller hent en ny skabelon med "
            "«udviklingsdag template»."
        )


def _check_input(path: Path) -> None:
    """Before openpyxl sees the file: a regular file (a FIFO would hang), not too large, and a
    zip whose parts do not unpack to more than the limits (zip bombs)."""
    from .atomic import InputFileError, check_regular_file, check_zip_sizes

    try:
        check_regular_file(path, MAX_FILE_BYTES)
        if not _starts_with(path, b"PK"):
            return  # not a zip: `_load` says what it is
        try:
            with zipfile.ZipFile(path) as zf:
                check_zip_sizes(
                    zf,
                    path.name,
                    member_bytes=MAX_MEMBER_BYTES,
                    total_bytes=MAX_UNPACKED_BYTES,
                )
                sheets = _sheet_parts(zf)
                if len(sheets) > MAX_SHEETS:
                    raise ImportError_(
                        f"{visible(path.name, 80)} har {len(sheets)} ark; en målplan har højst "
                        f"{MAX_SHEETS}. Brug en skabelon fra «udviklingsdag template», og prøv "
                        "igen."
                    )
                cells = 0
                for title, member in sheets:
                    cells = _scan_sheet(zf, member, path, title, cells)
        except (ImportError_, InputFileError):
            raise
        except Exception:
            return  # damaged (zip, zlib, XML): `_load` reports it in Danish
    except InputFileError as exc:
        raise ImportError_(str(exc)) from None


def _sheet_parts(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, zip member) of every worksheet, from the workbook's own index."""
    from openpyxl.xml.functions import fromstring  # entities never expanded

    book = fromstring(zf.read("xl/workbook.xml"))
    rels = fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") or "" for r in rels.iter() if r.get("Id")}
    rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    out = []
    for sheet in book.iter():
        tag = sheet.tag if isinstance(sheet.tag, str) else ""  # lxml: comments too
        if not tag.endswith("}sheet") or sheet.get(rid) not in targets:
            continue
        target = targets[sheet.get(rid)]
        member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        if member in zf.NameToInfo and "worksheets/" in member:
            out.append((sheet.get("name") or "", member))
    # A sheet part the index does not name is scanned too (under its part name).
    known = {m for _t, m in out}
    for name in zf.namelist():
        if name.startswith("xl/worksheets/") and name.endswith(".xml") and name not in known:
            out.append((name.rsplit("/", 1)[-1], name))
    return out


# The tags that make a sheet's size: <dimension ref=..>, <row r=..>, <c r=..> (any prefix).
_SIZE_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(dimension|row|c)\b([^>]*)>")
_REF_ATTR = re.compile(rb'\b(?:r|ref)="([^"]*)"')
_CELL_REF = re.compile(rb"\$?([A-Za-z]{1,3})\$?(\d+)$")


def _scan_sheet(zf: zipfile.ZipFile, member: str, path: Path, title: str, cells: int) -> int:
    """A sheet's real and declared size, from its XML bytes, before openpyxl parses anything:
    a byte scan (fast, in bounded memory) that refuses the sheet at the first row, cell or
    declared range past the limits. Returns the cells counted so far in the workbook."""
    row = 0
    carry = b""
    with zf.open(member) as fh:
        while True:
            chunk = fh.read(1 << 20)
            if not chunk and not carry:
                break
            buf = carry + chunk
            cut = buf.rfind(b">") + 1 if chunk else len(buf)
            buf, carry = buf[:cut], buf[cut:]
            for m in _SIZE_TAG.finditer(buf):
                kind = m.group(1)
                ref = _REF_ATTR.search(m.group(2))
                if kind == b"row":
                    row = int(ref.group(1)) if ref and ref.group(1).isdigit() else row + 1
                    if row > MAX_ROWS:
                        raise _too_big(path, title, f"den har en række nr. {thousands(row)}")
                    continue
                if kind == b"c":
                    cells += 1
                    if cells > MAX_CELLS:
                        raise _too_big(
                            path, title, f"over {thousands(MAX_CELLS)} celler i projektmappen"
                        )
                refs = ref.group(1).split(b":") if ref else []
                for one in refs[-1:]:
                    cell = _CELL_REF.match(one.strip())
                    if cell is None:
                        continue
                    col = 0
                    for letter in cell.group(1).upper():
                        col = col * 26 + letter - 64
                    line = int(cell.group(2))
                    if col > MAX_COLUMNS or line > MAX_ROWS:
                        where = f"{cell.group(1).decode().upper()}{line}"
                        what = (
                            f"den fylder efter egne oplysninger til celle {where}"
                            if kind == b"dimension"
                            else f"den har en celle i {where}"
                        )
                        raise _too_big(path, title, what)
            if not chunk:
                break
    return cells


def _too_big(path: Path, title: str, what: str) -> ImportError_:
    return ImportError_(
        f"Arket «{visible(title, 60)}» i {visible(path.name, 80)} er for stort til en målplan "
        f"({what}; højst {thousands(MAX_ROWS)} rækker og {MAX_COLUMNS} kolonner, til og med "
        f"kolonne {get_column_letter(MAX_COLUMNS)})."
        " Slet de tomme rækker og kolonner under og til højre for tabellerne (markér dem, "
        "højreklik, Slet), eller kopiér tabellerne over i en ny skabelon fra «udviklingsdag "
        "template», og prøv igen. Intet er indlæst."
    )


class _Budget:
    """Cells read so far in the whole workbook (`MAX_CELLS`)."""

    def __init__(self) -> None:
        self.cells = 0


def _sheet_rows(
    ws: Any, path: Path, budget: _Budget, wanted: set[tuple[int, int]] | None = None
) -> tuple[dict[tuple[int, int], tuple[Any, str]], list[str]]:
    """Stream one read-only sheet: {(row, col): (value, data_type)} of the cells that hold
    something, and the merged ranges. Stops (`ImportError_`) at the first row or column past
    the limits, whatever the sheet's <dimension> claims. With `wanted`, only those cells are
    kept (the saved results of formulas)."""
    # openpyxl's private parser (and the read-only sheet's private source and shared strings):
    # the public read-only rows fill in every missing row and cell up to the sheet's claimed
    # <dimension> (and stop there), which a file sets at will; the parser yields the cells
    # that are there, so the limits are checked on what the file really holds.
    from openpyxl.worksheet._reader import WorkSheetParser

    wb = ws.parent
    cells: dict[tuple[int, int], tuple[Any, str]] = {}
    with ws._get_source() as src:
        parser = WorkSheetParser(
            src,
            ws._shared_strings,
            data_only=wb.data_only,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        for idx, row in parser.parse():
            if idx > MAX_ROWS:
                raise _too_big(path, ws.title, f"den har en række nr. {thousands(idx)}")
            budget.cells += len(row)
            if budget.cells > MAX_CELLS:
                raise _too_big(
                    path, ws.title, f"over {thousands(MAX_CELLS)} celler i projektmappen"
                )
            for c in row:
                col = c["column"]
                if col > MAX_COLUMNS:
                    raise _too_big(
                        path, ws.title, f"den har en celle i kolonne {get_column_letter(col)}"
                    )
                if c["value"] is None:
                    continue
                key = (c["row"], col)
                if wanted is None or key in wanted:
                    cells[key] = (_as_shown(wb, c), c["data_type"])
        merged = parser.merged_cells
    refs = [m.ref for m in merged.mergeCell] if merged is not None else []
    return cells, [str(r) for r in refs if r]


def _refuse_other_documents(path: Path, reference_text: str) -> None:
    """A workbook the app made of something other than a målplan (the August report) is not a
    kladde: say what it is instead of reading its sheets as a målplan's."""
    ref = parse_reference(reference_text)
    if ref is not None and ref.kind is RefKind.STATUS:
        raise ImportError_(
            f"{visible(path.name, 80)} er augustrapporten for {ref.subject} (et regneark til at "
            "læse og sortere), ikke en målplan. Den kan ikke indlæses: ret vurderinger og "
            "målinger i appen (F8 i årshjulet), og lav rapporten igen."
        )
    if ref is not None and ref.kind is not RefKind.MAALPLAN:
        raise ImportError_(
            f"{visible(path.name, 80)} er ikke en målplan fra udviklingsdag og kan ikke "
            "indlæses. Brug målplanens regneark (fra SBSYS-eksporten eller «udviklingsdag "
            "template»)."
        )


class _Book:
    """A workbook read into plain lists, streaming (openpyxl read-only) and within the limits,
    tolerant of what people do to sheets."""

    def __init__(self, path: Path) -> None:
        self.path = path
        _check_input(path)
        wb = _load(path, data_only=False)
        try:
            _check_format_version(wb, path)
            props = wb.properties
            self._reference = " ".join(str(x) for x in (props.identifier, props.keywords) if x)
            _refuse_other_documents(path, self._reference)
            self._known = _known_changes(getattr(wb.custom_doc_props, "props", []))
            self._sheets = self._read(wb)
        except UdviklingsdagError:
            raise
        except MemoryError:
            raise _unreadable(path, "filen er for stor eller beskadiget.") from None
        except Exception:
            raise _unreadable(path, "filen er beskadiget eller ufuldstændig.") from None
        finally:
            wb.close()

    def reference_text(self) -> str:
        return self._reference

    def known_changes(self) -> str:
        """The change log's position at the export, as the app stored it ('' when not)."""
        return self._known

    def sheets(self) -> list[_Sheet]:
        return self._sheets

    def _read(self, wb: Any) -> list[_Sheet]:
        sheets = [ws for ws in wb.worksheets if hasattr(ws, "_get_source")]  # no chart sheets
        if len(sheets) > MAX_SHEETS:
            raise ImportError_(
                f"{visible(self.path.name, 80)} har {len(sheets)} ark; en målplan har højst "
                f"{MAX_SHEETS}. Brug en skabelon fra «udviklingsdag template», og prøv igen."
            )
        budget = _Budget()
        read: list[tuple[str, dict[tuple[int, int], tuple[Any, str]], list[str]]] = []
        for ws in sheets:
            # The size the sheet declares (<dimension>): refused before a row is read.
            rows, cols = ws.max_row or 0, ws.max_column or 0
            if rows > MAX_ROWS or cols > MAX_COLUMNS:
                where = f"{get_column_letter(min(cols, 16384))}{rows}" if cols else str(rows)
                raise _too_big(
                    self.path, ws.title, f"den fylder efter egne oplysninger til celle {where}"
                )
            cells, merged = _sheet_rows(ws, self.path, budget)
            read.append((ws.title, cells, merged))
        formulas = {
            (title, key)
            for title, cells, _m in read
            for key, (_v, kind) in cells.items()
            if kind == "f"
        }
        cached: dict[tuple[str, tuple[int, int]], tuple[Any, str]] = {}
        if formulas:
            # Formulas: use the result Excel saved with the file (openpyxl never computes).
            values_wb = _load(self.path, data_only=True)
            try:
                for ws in values_wb.worksheets:
                    wanted = {key for title, key in formulas if title == ws.title}
                    if wanted and hasattr(ws, "_get_source"):
                        found, _m = _sheet_rows(ws, self.path, _Budget(), wanted)
                        cached.update({(ws.title, k): v for k, v in found.items()})
            finally:
                values_wb.close()
        return [self._sheet(title, cells, merged, cached) for title, cells, merged in read]

    @staticmethod
    def _sheet(
        title: str,
        cells: dict[tuple[int, int], tuple[Any, str]],
        merged: list[str],
        cached: dict[tuple[str, tuple[int, int]], tuple[Any, str]],
    ) -> _Sheet:
        from openpyxl.utils import range_boundaries

        height = max((r for r, _c in cells), default=0)
        width = max((c for _r, c in cells), default=0)
        rows: list[list[Any]] = [[None] * width for _ in range(height)]
        errors: dict[tuple[int, int], str] = {}
        for (i, j), (value, kind) in cells.items():
            if kind == "f":
                saved = cached.get((title, (i, j)))
                if saved is None:
                    formula = str(getattr(value, "text", value))[:60]
                    errors[(i, j)] = (
                        f"Cellen indeholder formlen «{formula}», men filen har intet gemt "
                        "resultat. Åbn filen i Excel og gem den igen, eller skriv værdien ind i "
                        "stedet."
                    )
                    value = None
                else:
                    value, kind = saved
            if kind == "e":
                # An error value (#REF!, #NAME?, #DIV/0!, a date outside the calendar): never
                # a value of the plan, in a text column no more than in a number column.
                errors[(i, j)] = (
                    f"Cellen viser Excels fejlværdi «{visible(str(value), 20)}» i stedet for en "
                    "værdi. Ret formlen i Excel eller skriv værdien ind, gem filen, og prøv igen."
                )
                value = None
            rows[i - 1][j - 1] = value
        # A merged cell holds its value in the top-left cell only; give every cell of the
        # range that value (a mål number merged over its tegn rows applies to each row).
        for ref in merged:
            try:
                min_col, min_row, max_col, max_row = range_boundaries(ref)
            except (ValueError, TypeError):
                continue
            if min_row is None or min_col is None or min_row > height or min_col > width:
                continue
            if ((max_row or min_row) - min_row + 1) * (
                (max_col or min_col) - min_col + 1
            ) > 100_000:
                continue
            top = rows[min_row - 1][min_col - 1]
            for rr in range(min_row, min(max_row or min_row, height) + 1):
                for cc in range(min_col, min(max_col or min_col, width) + 1):
                    rows[rr - 1][cc - 1] = top
        return _Sheet(title, rows, errors)


def _number_format(wb: Any, style_id: Any) -> str:
    """The number format of a cell's style, '' when it has none or it cannot be read."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS

    try:
        fmt_id = int(wb._cell_styles[int(style_id)].numFmtId)
    except (AttributeError, IndexError, KeyError, TypeError, ValueError):
        return ""
    if fmt_id in BUILTIN_FORMATS:
        return str(BUILTIN_FORMATS[fmt_id])
    try:
        return str(wb._number_formats[fmt_id - 164])
    except (AttributeError, IndexError, TypeError):
        return ""


def _as_shown(wb: Any, c: dict[str, Any]) -> Any:
    """A number as Excel shows it where the format changes what it means: a percent cell
    (0.78 shown as 78 %) is read as the text «78 %»."""
    value = c["value"]
    if isinstance(value, bool) or not isinstance(value, int | float) or not c.get("style_id"):
        return value
    fmt = re.sub(r'"[^"]*"|\\.', "", _number_format(wb, c["style_id"]))
    if "%" not in fmt:
        return value
    decimals = len(m.group(1)) if (m := re.search(r"0[.,](0+)", fmt)) else 0
    return f"{_danish_number(value * 100, decimals)} %"


def _danish_number(value: float, decimals: int) -> str:
    """12345.5 -> «12.345,5»: the thousands separator and decimal comma Danish offices use."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        text = unicodedata.normalize("NFC", value).replace("\xa0", " ").strip()
        return text or None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# --- finding tables -------------------------------------------------------------------------

_REQUIRED = {
    "maal": ({"maalsaetning", "tekst"},),
    "tegn": ({"tekst"},),
    "proevehandling": ({"tekst"},),
    "samarbejde": ({"partner_ids"}, {"niveau"}),
    "evaluering": (
        {"proevehandling_nr", "effekt"},
        {"proevehandling_nr", "laering"},
        {"proevehandling_nr", "type"},
    ),
    "laering": ({"tekst"},),
    "maaling": (
        {"tegn_nr", "dato"},
        {"tegn_nr", "vaerdi"},
        {"tegn_nr", "observation"},
        {"tegn", "dato"},
    ),
}


def _header_map(columns: tuple[SheetColumn, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for col in columns:
        for name in (col.header, *col.aliases):
            out.setdefault(_norm(name), col.key)
            out.setdefault(_norm(_PARENS.sub("", name)), col.key)
    return out


_HEADER_MAPS = {kind: _header_map(cols) for kind, (_s, cols, _n) in TABLES.items()}


def _match_header(row: list[Any]) -> tuple[str, dict[int, str], list[int]] | None:
    """If `row` is a table's header row: (kind, {col index: key}, unknown col indexes)."""
    texts = [(_norm(v), j) for j, v in enumerate(row) if isinstance(v, str) and v.strip()]
    if len(texts) < 2:
        return None
    best: tuple[int, str, dict[int, str]] | None = None
    for kind, hmap in _HEADER_MAPS.items():
        found: dict[int, str] = {}
        for text, j in texts:
            key = hmap.get(text) or hmap.get(_norm(_PARENS.sub("", text)))
            if key and key not in found.values():
                found[j] = key
        keys = set(found.values())
        if not any(req <= keys for req in _REQUIRED[kind]):
            continue
        score = len(found)
        if best is None or score > best[0]:
            best = (score, kind, found)
    if best is None or best[0] < 2:
        return None
    _score, kind, found = best
    unknown = [j for _t, j in texts if j not in found]
    return kind, found, unknown


@dataclass
class _Row:
    sheet: str
    row: int
    values: dict[str, Any]
    cols: dict[str, int]  # key -> 1-based column
    headers: dict[str, str]
    ok: bool = True
    # Cells reported already (a formula without a result, an error value): no second message
    # about the same cell (such as «Værdien skal udfyldes»).
    reported: set[str] = field(default_factory=set)


@dataclass
class _Parsed:
    tables: dict[str, list[_Row]] = field(default_factory=lambda: defaultdict(list))
    meta: dict[str, tuple[Any, str, int, int]] = field(default_factory=dict)
    issues: list[ImportIssue] = field(default_factory=list)


_META_LABELS: dict[str, str] = {}
for _k, _label, _aliases in META_FIELDS:
    for _name in (_label, *_aliases):
        _META_LABELS[_norm(_name)] = _k


def _parse(book: _Book) -> _Parsed:
    parsed = _Parsed()
    sheets = book.sheets()
    first_table: dict[str, tuple[str, int]] = {}  # kind -> where its table was found
    for sh in sheets:
        headers: list[tuple[int, str, dict[int, str], list[int]]] = []
        for i, row in enumerate(sh.rows, start=1):
            m = _match_header(row)
            if m:
                headers.append((i, *m))
        first_header = headers[0][0] if headers else len(sh.rows) + 1
        # The plan's own fields: label cells above the first table, value to the right.
        if any(kind == "maal" for _i, kind, _f, _u in headers) or not headers:
            for i, row in enumerate(sh.rows[: first_header - 1], start=1):
                for j, v in enumerate(row):
                    if not isinstance(v, str):
                        continue
                    key = _META_LABELS.get(_norm(v))
                    if key is None or key in parsed.meta:
                        continue
                    # The value sits in the cell to the right of its label.
                    col = j + 1
                    value = row[col] if col < len(row) else None
                    if isinstance(value, str) and _norm(value) in _META_LABELS:
                        value = None
                    if (i, col + 1) in sh.formula_errors:
                        parsed.issues.append(_formula_issue(sh, i, col + 1, v))
                        continue
                    parsed.meta[key] = (_clean(value), sh.title, i, col + 1)
        for n, (hrow, kind, found, unknown) in enumerate(headers):
            end = headers[n + 1][0] if n + 1 < len(headers) else len(sh.rows) + 1
            what = TABLES[kind][2]
            if kind in first_table:
                # A copied sheet (Excel names it «Målinger (2)»; it may be hidden) or a table
                # pasted twice: read both and every row of it would come in twice.
                where, at = first_table[kind]
                twice = (
                    f"Tabellen med {what} står her og også på arket «{where}» (række {at}). En "
                    "målplan har én tabel af hver slags, så en kopi ville lægge rækkerne ind to "
                    "gange. Slet kopien (et skjult ark tæller med), gem, og prøv igen."
                )
                parsed.issues.append(ImportIssue(sh.title, hrow, None, None, twice))
                continue
            first_table[kind] = (sh.title, hrow)
            expected = TABLES[kind][0]
            if _norm(sh.title) != _norm(expected):
                elsewhere = (
                    f"Tabellen med {what} forventes på arket «{expected}»; den er læst herfra."
                )
                parsed.issues.append(ImportIssue(sh.title, hrow, None, None, elsewhere, "advarsel"))
            head_row = sh.rows[hrow - 1]
            for j in unknown:
                parsed.issues.append(
                    ImportIssue(
                        sh.title,
                        hrow,
                        get_column_letter(j + 1),
                        str(head_row[j]).strip(),
                        "Kolonnen kendes ikke og er sprunget over.",
                        "advarsel",
                    )
                )
            cols = {key: j + 1 for j, key in found.items()}
            header_text = {key: str(head_row[j]).strip() for j, key in found.items()}
            for i in range(hrow + 1, end):
                row = sh.rows[i - 1]
                values = {key: _clean(row[j]) if j < len(row) else None for j, key in found.items()}
                bad = [(key, j) for j, key in found.items() if (i, j + 1) in sh.formula_errors]
                if all(v is None for v in values.values()) and not bad:
                    continue  # blank rows (or rows with text only in unknown columns)
                r = _Row(sh.title, i, values, cols, header_text)
                for key, j in bad:
                    parsed.issues.append(_formula_issue(sh, i, j + 1, header_text[key]))
                    r.reported.add(key)
                    r.ok = False
                parsed.tables[kind].append(r)
    if not parsed.tables.get("maal") and not parsed.meta:
        names = ", ".join(f"«{s.title}»" for s in sheets)
        raise ImportError_(
            f"{book.path.name} ligner ikke en målplanskabelon: ingen af arkene ({names}) har en "
            "tabel med overskrifterne «Målsætning» og «Mål». Brug en skabelon fra "
            "«udviklingsdag template» eller en eksporteret målplan."
        )
    return parsed


def _formula_issue(sh: _Sheet, row: int, col: int, header: str | None) -> ImportIssue:
    return ImportIssue(
        sh.title,
        row,
        get_column_letter(col),
        header,
        sh.formula_errors[(row, col)],
    )


# --- converting values ------------------------------------------------------------------------


def _label_lookup(enum: type[StrEnum], **more: str) -> dict[str, str]:
    """A choice as typed (its value or its label, case and spacing ignored) -> its value."""
    out = {}
    for m in enum:
        out[_key(m.value)] = m.value
        out[_key(enums.label(m))] = m.value
    return {**out, **more}


# Every choice the workbook holds, with the short forms people type.
_LOOKUPS: dict[type[StrEnum], dict[str, str]] = {
    enums.Kilde: _label_lookup(enums.Kilde, budget="budgetaftale"),
    enums.TegnType: _label_lookup(enums.TegnType, kvant="kvantitativ", kval="kvalitativ"),
    enums.Niveau: _label_lookup(
        enums.Niveau, videns="viden", koordinations="koordination", samskabelses="samskabelse"
    ),
    enums.EvalueringType: _label_lookup(
        enums.EvalueringType, slut="afslutning", afsluttende="afslutning"
    ),
    enums.ArkStatus: _label_lookup(enums.ArkStatus),
    enums.ProevehandlingStatus: _label_lookup(
        enums.ProevehandlingStatus,
        igang="i_gang",
        startet="i_gang",
        faerdig="afsluttet",
        færdig="afsluttet",
        slut="afsluttet",
        stop="stoppet",
        videreført="viderefoert",
        fortsat="viderefoert",
    ),
}


class _Bad(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _quoted(value: Any) -> str:
    """A cell's value as a message quotes it: short and without control characters (a cell
    may hold 32,767 characters, or a number too long for Python to print)."""
    try:
        text = value if isinstance(value, str) else str(value)
    except ValueError:  # an int past Python's 4,300 digits
        return "(et tal med over 4.300 cifre)"
    return visible(text.strip(), limit=40)


def _enum(enum: type[StrEnum], value: Any) -> str | None:
    if value is None:
        return None
    found = _LOOKUPS[enum].get(_key(value))
    if found is None:
        allowed = ", ".join(enums.label(m) for m in enum)
        raise _Bad(f"«{_quoted(value)}» er ikke en mulighed. Skriv en af: {allowed}.")
    return found


def _nr(value: Any) -> str | None:
    if value is None:
        return None
    # Excel turns a typed 1.2 into a number; its repr gives the digits back.
    # At most nine digits a part: a longer number is no mål's (and past 4,300 digits Python
    # would not even read it).
    text = repr(value) if isinstance(value, float) else _quoted(value)
    text = text.rstrip(".")
    if not re.fullmatch(r"\d{1,9}(\.\d{1,9})?", text):
        raise _Bad(
            f"«{_quoted(value)}» er ikke et nummer. Skriv fx 1 (mål) eller 1.2 "
            "(tegn/prøvehandling)."
        )
    return ".".join(str(int(p)) for p in text.split("."))


def _nr_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, int | float):
        return [_nr(value) or ""]
    parts = [p for p in re.split(r"[,;\s]+", str(value)) if p]
    return [_nr(p) or "" for p in parts]


def _int_list(value: Any) -> list[int]:
    if value is None:
        return []
    if isinstance(value, int):
        return [value]
    parts = [p for p in re.split(r"[,;\s]+", str(value)) if p]
    try:
        return [int(p) for p in parts]
    except ValueError:
        raise _Bad(f"«{_quoted(value)}» er ikke en liste af tal. Skriv fx 1, 6, 8.") from None


def _year(value: Any) -> Any:
    if isinstance(value, date):
        return value.year
    return value


_EXCEL_EPOCH = date(1899, 12, 30)


_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("januar", "jan"),
            ("februar", "feb"),
            ("marts", "mar"),
            ("april", "apr"),
            ("maj",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
# «31/1-2024», «31/1 2024», «31/1/2024», «31. januar 2024», «31 jan. 24».
_DANISH_DATE = re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})\s*[-/ ]\s*(\d{2}|\d{4})")
_WORD_DATE = re.compile(r"(\d{1,2})\.?\s+([a-zæøå]+)\.?\s+(\d{2}|\d{4})")


def _date(value: Any) -> Any:
    # A date cell formatted as a number shows up as its serial number (45316 = 24-01-2024).
    if isinstance(value, int) and 30_000 <= value <= 80_000:
        return _EXCEL_EPOCH + timedelta(days=value)
    if isinstance(value, str):
        text = value.strip().lower()
        m = _DANISH_DATE.fullmatch(text)
        month = int(m.group(2)) if m else None
        if m is None and (m := _WORD_DATE.fullmatch(text)) is not None:
            month = _MONTHS.get(m.group(2))
        if m is not None and month is not None:
            year = int(m.group(3))
            year += 2000 if len(m.group(3)) == 2 else 0  # «24» is 2024; «0024» is year 24
            try:
                return date(year, month, int(m.group(1)))
            except ValueError:
                return value  # reported as not a date, in the field's own words
    return value


def _decimal(value: Any) -> Any:
    """A measured number from its cell: a number cell as it is, a text the Danish way
    («12,5», «1.234», «45 %»: `schema.parse_decimal`, in the field's check); a date typed
    where a number belongs is refused there, a yes/no too."""
    if isinstance(value, date):
        raise _Bad(f"«{value.strftime('%d-%m-%Y')}» er en dato, ikke et tal. Skriv fx 12,5.")
    return value


def _text(value: Any) -> Any:
    # A number or a date in a text cell is read as it shows (a date the Danish way).
    if value is not None and not isinstance(value, str):
        if isinstance(value, float):
            return _danish_number(value, 10).rstrip("0").rstrip(",")  # 5.8 shows as 5,8
        return value.strftime("%d-%m-%Y") if isinstance(value, date) else str(value)
    return value


def _names(value: Any, known: dict[str, str]) -> list[str]:
    """Partner names: split on ';' or new lines; on ',' only when the whole text is not itself
    a known name (some enheder have a comma in their name)."""
    if value is None:
        return []
    text = str(value)
    if _key(text) in known:
        return [text.strip()]
    parts = re.split(r"[;\n]+", text)
    if len(parts) == 1 and "," in text:
        parts = text.split(",")
    return [p.strip() for p in parts if p.strip()]


def _field(entity: str, name: str, value: Any) -> Any:
    try:
        return schema.validate_value(entity, name, value)
    except ValidationError as exc:
        # validate_value names the field with its label; the issue names the column instead.
        raise _Bad(
            str(exc).replace(f"Feltet «{ENTITIES[entity].fields[name].label}»", "Værdien")
        ) from None


def _cell_value(entity: str, spec: FieldSpec, raw: Any) -> Any:
    """A field's value from its cell, by the declaration: checked and normalised as the Store
    stores it. A choice is read by its label too, yes/no from ja/nej (an empty cell gives None
    for both: the default); a year from a date; a date from Excel's serial number; Plan A from
    «1, 6, 8». Raises `_Bad` with a message for the cell."""
    kind = spec.kind
    if kind == "enum":
        return _enum(cast(type[StrEnum], spec.enum), raw)
    if kind == "bool":
        if raw is None:
            return None
        raw = raw if isinstance(raw, bool) else str(raw)
    elif kind == "int":
        raw = _year(raw)
        # (at most 18 digits: a longer text is no year or count, and the field says so)
        if isinstance(raw, str) and re.fullmatch(r"\d{1,3}([.\s]\d{3}){1,5}", raw.strip()):
            raw = int(re.sub(r"[.\s]", "", raw))  # «2.028»: a thousands separator
    elif kind == "date":
        raw = _date(raw)
    elif kind == "decimal":
        raw = _decimal(raw)
    elif kind == "intlist":
        raw = _int_list(raw)
    elif kind in ("line", "text", "sagsnummer", "kle", "time"):
        raw = _text(raw)
    return _field(entity, spec.name, raw)


# --- the import -----------------------------------------------------------------------------


@dataclass(eq=False)
class _Item:
    """One row of a table read into field values, with what links it to the other tables."""

    row: _Row
    up: _Item | None = None  # the mål of a tegn, prøvehandling or samarbejde
    values: dict[str, Any] = field(default_factory=dict)  # field -> checked value
    nr: str | None = None
    maalsaetning: str | None = None  # a mål's, as text, and its kilde
    kilde: str = enums.Kilde.POLITIK.value
    partnere: list[str] = field(default_factory=list)  # enhed names
    tegn: list[_Item] = field(default_factory=list)  # a mål's
    proevehandlinger: list[_Item] = field(default_factory=list)  # a mål's
    samarbejder: list[_Item] = field(default_factory=list)  # a mål's
    evalueringer: list[_Item] = field(default_factory=list)  # a prøvehandling's
    laeringer: list[_Item] = field(default_factory=list)  # a prøvehandling's
    maalinger: list[_Item] = field(default_factory=list)  # a tegn's
    tegn_refs: list[str] = field(default_factory=list)  # a prøvehandling's, by number
    followed: list[_Item] = field(default_factory=list)  # ... found
    from_foer: bool = False  # a samarbejde made of the partners named on FØR
    id: str | None = None  # a tegn's, once created

    @property
    def ok(self) -> bool:
        return self.row.ok


class _WorkbookImport:
    """One import of a filled målplanskabelon: each table is read into `_Item`s (a method per
    table, in the workbook's order, as later tables refer to earlier ones by number), then the
    rows without errors are written through the Store as one undoable action."""

    def __init__(
        self,
        store: Store,
        path: Path,
        *,
        dry_run: bool,
        good_rows: bool,
        delete: bool = False,
        source: str | None = None,
        plan: str | None = None,
    ) -> None:
        self.store = store
        self.plan = plan.strip() if plan and plan.strip() else None
        self.report = ImportReport(str(path), dry_run, good_rows)
        self.delete = delete
        self.source = source or path.name
        self.report.source = self.source
        self.report.deletions_accepted = delete
        self.book = _Book(path)
        self.parsed = _parse(self.book)
        self.report.issues.extend(self.parsed.issues)
        self.issues = self.report.issues
        self.maal: list[_Item] = []
        self.maal_by_nr: dict[str, _Item] = {}
        self.maal_by_text: dict[str, _Item] = {}
        self.tegn_by_nr: dict[str, _Item] = {}
        self.proevehandling_by_nr: dict[str, _Item] = {}
        self.plan_laeringer: list[_Item] = []  # the læring of the plan itself
        self.new_enheder: dict[str, str] = {}  # key -> name
        self.meta: dict[str, Any] = {}  # the plan's own fields
        self.meta_failed: set[str] = set()
        self.enhed_navn: str | None = None  # the plan's enhed, by name
        # From the database (`read_database`): enheder and målsætninger by name (`_key`), the
        # reference the file was exported with, and the plan it names if that is here.
        self.enheder: dict[str, str] = {}
        self.maalsaetninger: dict[str, str] = {}
        self.ref: Reference | None = None
        self.plan_exists: Any = None

    # --- reporting -------------------------------------------------------------------------

    def bad(self, r: _Row, key: str, message: str) -> None:
        """A problem in one cell: the row is left out."""
        r.ok = False
        if key in r.reported:
            return
        r.reported.add(key)
        self.issues.append(
            ImportIssue(r.sheet, r.row, get_column_letter(r.cols[key]), r.headers.get(key), message)
        )
        r.ok = False

    def conv(self, r: _Row, key: str, fn: Callable[..., Any], *args: Any) -> Any:
        """`fn(*args)`, or None with the problem reported on the cell."""
        try:
            return fn(*args)
        except _Bad as exc:
            self.bad(r, key, exc.message)
            return None

    def meta_bad(self, key: str, message: str) -> None:
        """A problem with one of the plan's own fields: nothing is imported."""
        self.meta_failed.add(key)
        label = next(lbl for k, lbl, _a in META_FIELDS if k == key)
        where = self.parsed.meta.get(key)
        if where is not None:
            _value, sheet, row, col = where
            self.issues.append(ImportIssue(sheet, row, get_column_letter(col), label, message))
        else:
            self.issues.append(ImportIssue(SHEETS[0], None, None, label, message))

    # --- reading ---------------------------------------------------------------------------

    def run(self) -> ImportReport:
        self.read_database()
        self.read_plan()
        self.read_maal()
        self.read_tegn()
        self.read_proevehandlinger()
        self.read_samarbejder()
        self.read_evalueringer()
        self.read_laeringer()
        self.read_maalinger()
        self.find_enheder()
        kept = self.keep()
        report = self.report
        new_ms = {
            _key(m.maalsaetning)
            for m in kept
            if m.maalsaetning and _key(m.maalsaetning) not in self.maalsaetninger
        }
        report.counts = {
            "maalplan": 1,
            "maal": len(kept),
            "tegn": sum(len(m.tegn) for m in kept),
            "proevehandling": sum(len(m.proevehandlinger) for m in kept),
            "samarbejde": sum(len(m.samarbejder) for m in kept),
            "evaluering": sum(len(p.evalueringer) for m in kept for p in m.proevehandlinger),
            "laering": len(self.plan_laeringer)
            + sum(len(p.laeringer) for m in kept for p in m.proevehandlinger),
            "maaling": sum(len(t.maalinger) for m in kept for t in m.tegn),
            "maalsaetning": len(new_ms),
            "enhed": len(self.new_enheder),
        }
        target = self.find_target()
        if target is not None:
            return self.update(target, kept)
        for m in kept:  # a new plan: every måling row is a new måling
            for t in m.tegn:
                _repeated_maalinger([(x, True) for x in t.maalinger], self.issues)
        meta_ok = not self.meta_failed
        if not meta_ok or (report.errors and not report.good_rows) or report.dry_run:
            return report
        self.write(kept)
        return report

    def find_target(self) -> tuple[str, Boundary | Literal["!"] | None] | None:
        """The plan this file updates, with the revision boundary it was exported at: the plan
        its reference names when that is here, else a plan with the same enhed, year and
        title (a hand-filled template). None: the file makes a new plan."""
        from models.errors import NotFoundError
        from models.kladde import parse_known_changes, revision_boundary

        if self.plan is not None:
            picked = self.picked_target()
            if picked is not None:
                return picked
        if self.ref is not None and self.plan_exists and self.plan_exists.deleted:
            self.issues.append(
                ImportIssue(
                    "",
                    None,
                    None,
                    None,
                    f"Målplanen i filen («{self.plan_exists.titel}») er slettet i databasen. "
                    "Fortryd sletningen i programmet, og indlæs så filen igen.",
                )
            )
            return self.ref.subject, "!"
        if self.ref is not None and self.plan_exists:
            # The position stored at the export says exactly what the database held; a file
            # from before it was stored finds it from the revision's number.
            exact = parse_known_changes(self.book.known_changes())
            if exact is not None:
                return self.ref.subject, exact
            try:
                found = revision_boundary(self.store.db, self.ref.subject, self.ref.revision)
                return self.ref.subject, found
            except NotFoundError as exc:
                # A plan that came into this database from another one (by importing its
                # workbook) has its own history here: a file that matches it as it is now
                # is compared with it as it is now.
                from models.maalplan_view import load_maalplan

                from .reference import reference_for

                view = load_maalplan(self.store.db, self.ref.subject)
                if reference_for(view).digest == self.ref.digest:
                    return self.ref.subject, None
                self.issues.append(ImportIssue("", None, None, None, str(exc)))
                return self.ref.subject, "!"
        if self.meta_failed or not self.enhed_navn:
            return None
        enhed_id = self.enheder.get(_key(self.enhed_navn))
        if enhed_id is None:
            return None
        plan_t = ENTITIES["maalplan"].sql_table
        with self.store.db.engine.connect() as conn:
            for r in conn.execute(
                select(plan_t.c.id, plan_t.c.titel).where(
                    ~plan_t.c.deleted,
                    plan_t.c.enhed_id == enhed_id,
                    plan_t.c.aar == self.meta.get("aar"),
                )
            ):
                if _key(r.titel) == _key(self.meta.get("titel") or ""):
                    if self.ref is not None:
                        self.issues.append(
                            ImportIssue(
                                "",
                                None,
                                None,
                                None,
                                f"Filen er eksporteret fra en anden database end denne, men her "
                                f"findes en anden målplan med samme titel («{r.titel}»). Intet "
                                "er indlæst. Indlæs filen i den database, den kom fra, eller "
                                "giv målplanen i filen en ny titel.",
                            )
                        )
                        return str(r.id), "!"
                    return str(r.id), None
        return None

    def picked_target(self) -> tuple[str, Boundary | Literal["!"] | None] | None:
        """The plan the user picked (`plan`: its id or title): the file updates it, compared
        with the plan as it is now. None: the file's reference names that plan (then the
        revision it names is the boundary, as without a pick)."""
        wanted = cast(str, self.plan)
        plan_t = ENTITIES["maalplan"].sql_table
        with self.store.db.engine.connect() as conn:
            live = conn.execute(select(plan_t.c.id, plan_t.c.titel).where(~plan_t.c.deleted)).all()
        found = [r for r in live if r.id == wanted] or [
            r for r in live if _key(r.titel) == _key(wanted)
        ]
        message = None
        if not found:
            message = (
                f"Målplanen «{visible(wanted, 80)}» findes ikke i databasen. Skriv målplanens "
                "titel, som den står i programmet, eller dens id."
            )
        elif len(found) > 1:
            ids = ", ".join(str(r.id) for r in found[:5])
            message = (
                f"{len(found)} målplaner hedder «{visible(wanted, 80)}». Vælg den rigtige med "
                f"dens id: {ids}."
            )
        elif self.ref is not None and self.ref.subject != found[0].id:
            message = (
                f"Filen er eksporteret fra en anden målplan end «{visible(found[0].titel, 80)}»; "
                "den kan kun indlæses i sin egen. Indlæs den uden at vælge en målplan."
            )
        if message is not None:
            self.issues.append(ImportIssue("", None, None, None, message))
            return (str(found[0].id) if found else ""), "!"
        if self.ref is not None:
            return None  # its own plan: compared with the revision it names
        return str(found[0].id), None

    def update(
        self, target: tuple[str, Boundary | Literal["!"] | None], kept: list[_Item]
    ) -> ImportReport:
        """An edited kladde (or a template of a plan that is here): the preview, and unless
        this is a dry run, the changes written."""
        report = self.report
        plan_id, boundary = target
        if boundary == "!":
            return report
        report.update_of = plan_id
        report.maalplan_id = plan_id
        if self.meta_failed or (report.errors and not report.good_rows):
            return report
        diff = _KladdeUpdate(self, plan_id, boundary)
        diff.compare(kept)
        report.kladde = diff.items
        if report.dry_run:
            return report
        report.written = diff.apply(delete=self.delete, source=self.source)
        report.imported = report.written > 0
        return report

    def read_database(self) -> None:
        """The enheder and målsætninger the names in the file may mean, and whether the plan
        the file was exported from is here already."""
        with self.store.db.engine.connect() as conn:
            enhed_t = ENTITIES["enhed"].sql_table
            ms_t = ENTITIES["maalsaetning"].sql_table
            plan_t = ENTITIES["maalplan"].sql_table
            self.enheder = {
                _key(r.navn): r.id
                for r in conn.execute(
                    select(enhed_t.c.id, enhed_t.c.navn).where(~enhed_t.c.deleted)
                )
            }
            self.maalsaetninger = {
                _key(r.tekst): r.id
                for r in conn.execute(select(ms_t.c.id, ms_t.c.tekst).where(~ms_t.c.deleted))
            }
            self.ref = parse_reference(self.book.reference_text(), (RefKind.MAALPLAN,))
            self.plan_exists = (
                self.ref is not None
                and conn.execute(
                    select(plan_t.c.titel, plan_t.c.deleted).where(plan_t.c.id == self.ref.subject)
                ).first()
            )

    def read_fields(self, r: _Row, entity: str, item: _Item, *, skip: tuple[str, ...] = ()) -> None:
        """The row's cells of `entity`'s fields (as the declaration says), left to right, into
        `item.values`; a choice or yes/no left empty or wrong (reported) gets its default.
        The fields in `skip` are left to the table's own rule."""
        for spec in sheet_fields(entity):
            if spec.kind in ("ref", "reflist") or spec.name in skip:
                continue  # read by each table's own rule (a tegn by number, partners by name)
            key = spec.name
            value = None
            if key in r.cols:
                value = self.conv(r, key, _cell_value, entity, spec, r.values.get(key))
            if value is None and spec.kind in ("enum", "bool"):
                value = spec.default
            if value is not None:
                item.values[key] = value

    def read_plan(self) -> None:
        """The plan's own fields, at the top of FØR."""
        raw = {k: v[0] for k, v in self.parsed.meta.items()}
        for spec in sheet_fields("maalplan"):
            key = spec.name
            value = raw.get(key)
            try:
                if key == "enhed_id":  # by name
                    if value is None:
                        self.meta_bad(
                            key, "Skriv navnet på den enhed (arbejdsplads), målplanen hører til."
                        )
                    else:
                        self.enhed_navn = _field("enhed", "navn", str(value))
                elif spec.kind == "enum":
                    self.meta[key] = _enum(cast(type[StrEnum], spec.enum), value) or spec.default
                else:
                    if spec.kind in ("line", "sagsnummer", "kle") and value is not None:
                        value = str(value)
                    self.meta[key] = _cell_value("maalplan", spec, value)
            except _Bad as exc:
                self.meta_bad(key, exc.message)
        meta = self.meta
        if not meta.get("titel") and self.enhed_navn and meta.get("aar"):
            meta["titel"] = f"Målplan {meta['aar']} for {self.enhed_navn}"
            self.issues.append(
                ImportIssue(
                    SHEETS[0],
                    None,
                    None,
                    "Målplan",
                    f"Titlen mangler; målplanen kaldes «{meta['titel']}».",
                    "advarsel",
                )
            )
        elif not meta.get("titel"):
            self.meta_bad("titel", "Skriv målplanens titel.")

    def read_maal(self) -> None:
        """The mål (FØR), numbered 1, 2, ... where the file does not number them."""
        for n, r in enumerate(self.parsed.tables.get("maal", []), start=1):
            v = r.values
            item = _Item(r)
            nr = self.conv(r, "nr", _nr, v.get("nr")) if "nr" in r.cols else None
            if nr is None and r.ok:
                nr = str(n)
            if nr in self.maal_by_nr:
                self.bad(r, "nr", f"Mål nr {nr} står to gange. Giv hvert mål sit eget nummer.")
            item.nr = nr
            self.read_fields(r, "maal", item)
            ms_text = v.get("maalsaetning")
            if ms_text is None:
                self.bad(r, "maalsaetning", "Skriv den målsætning, målet hører under.")
            else:
                item.maalsaetning = self.conv(
                    r, "maalsaetning", _field, "maalsaetning", "tekst", str(ms_text)
                )
            if "kilde" in r.cols:
                kilde = self.conv(r, "kilde", _enum, enums.Kilde, v.get("kilde"))
                item.kilde = kilde or item.kilde
            partners = item.values.get("mulige_partnere")
            if isinstance(partners, str):
                # Possible partners (lederdag), not samarbejder: one name a line, also when
                # a hand-filled template separates them with semicolons.
                lines = [n.strip() for n in partners.replace(";", "\n").splitlines()]
                item.values["mulige_partnere"] = "\n".join(n for n in lines if n) or None
            if not item.values.get("tekst") and r.ok:
                self.bad(r, "tekst", "Skriv selve målet.")
            try:
                schema.check_cross_rules("maal", item.values)
            except ValidationError as exc:
                self.bad(r, "til_aar" if "til_aar" in r.cols else "tekst", str(exc))
            if nr is not None:
                self.maal_by_nr.setdefault(nr, item)
            if item.values.get("tekst"):
                self.maal_by_text.setdefault(_key(item.values["tekst"]), item)
            self.maal.append(item)

    def find_maal(self, r: _Row) -> _Item | None:
        """The mål a row of a later sheet belongs to: by its number, else by its text."""
        v = r.values
        if v.get("maal_nr") is not None:
            nr = self.conv(r, "maal_nr", _nr, v["maal_nr"])
            if nr is None:
                return None
            if nr in self.maal_by_nr:
                return self.maal_by_nr[nr]
            self.bad(r, "maal_nr", f"Mål nr {nr} findes ikke i tabellen med mål (arket FØR).")
            return None
        if v.get("maal") is not None and _key(v["maal"]) in self.maal_by_text:
            return self.maal_by_text[_key(v["maal"])]
        key = (
            "maal_nr"
            if "maal_nr" in r.cols
            else ("maal" if "maal" in r.cols else next(iter(r.cols)))
        )
        self.bad(
            r, key, "Rækken siger ikke, hvilket mål den hører til. Skriv målets nummer i «Mål nr»."
        )
        return None

    def numbered(
        self, item: _Item, siblings: list[_Item], by_nr: dict[str, _Item], what: str
    ) -> None:
        """Add a tegn or prøvehandling under its mål, with its number; one without a number
        gets the next under its mål («1.3»)."""
        r, m = item.row, cast(_Item, item.up)
        siblings.append(item)
        raw = r.values.get("nr")
        nr = (self.conv(r, "nr", _nr, raw) if raw is not None else None) or (
            f"{m.nr}.{len(siblings)}"
        )
        if nr in by_nr:
            self.bad(r, "nr" if "nr" in r.cols else "tekst", f"{what} nr {nr} står to gange.")
        by_nr.setdefault(nr, item)

    def read_tegn(self) -> None:
        """The tegn (UNDER del 1)."""
        for r in self.parsed.tables.get("tegn", []):
            m = self.find_maal(r)
            item = _Item(r, up=m)
            self.read_fields(r, "tegn", item)
            if not item.values.get("tekst") and r.ok:
                self.bad(r, "tekst", "Skriv tegnet (hvad kigger vi efter).")
            if m is not None:
                self.numbered(item, m.tegn, self.tegn_by_nr, "Tegn")

    def read_proevehandlinger(self) -> None:
        """The prøvehandlinger (UNDER del 2) and the tegn each follows, by number."""
        for r in self.parsed.tables.get("proevehandling", []):
            m = self.find_maal(r)
            item = _Item(r, up=m)
            self.read_fields(r, "proevehandling", item)
            if "tegn_ids" in r.cols:
                item.tegn_refs = self.conv(r, "tegn_ids", _nr_list, r.values.get("tegn_ids")) or []
            if not item.values.get("tekst") and r.ok:
                self.bad(r, "tekst", "Skriv prøvehandlingen (hvad gør vi).")
            try:
                schema.check_cross_rules("proevehandling", item.values)
            except ValidationError as exc:
                self.bad(r, "slut" if "slut" in r.cols else "tekst", str(exc))
            if m is not None:
                self.numbered(item, m.proevehandlinger, self.proevehandling_by_nr, "Prøvehandling")
        for item in (p for m in self.maal for p in m.proevehandlinger):
            for ref_nr in item.tegn_refs:
                t = self.tegn_by_nr.get(ref_nr)
                if t is None or t.up is not item.up:
                    self.bad(
                        item.row,
                        "tegn_ids",
                        f"Tegn {ref_nr} findes ikke under samme mål. Skriv numre fra "
                        "arket «UNDER udviklingsdage del 1», fx 1.2.",
                    )
                else:
                    item.followed.append(t)

    def read_samarbejder(self) -> None:
        """The samarbejder (EFTER), their partners by name."""
        for r in self.parsed.tables.get("samarbejde", []):
            m = self.find_maal(r)
            item = _Item(r, up=m)
            names = (
                _names(r.values.get("partner_ids"), self.enheder) if "partner_ids" in r.cols else []
            )
            if not names:
                self.bad(
                    r,
                    "partner_ids" if "partner_ids" in r.cols else "niveau",
                    "Skriv mindst én samarbejdspartner (en enhed).",
                )
            item.partnere = names
            self.read_fields(r, "samarbejde", item)
            if m is not None:
                m.samarbejder.append(item)

    def parent_of(
        self, r: _Row, parent: str, by_nr: Mapping[str, _Item], unknown: str
    ) -> tuple[_Item | None, str | None]:
        """The row of another sheet that row `r` belongs under (a prøvehandling, a tegn): by
        its number in the column `<parent>_nr`, else by its text in the column `<parent>`;
        with the number as written (None when the cell is empty). A number that names no row
        is an error at the cell (`unknown`, with `{nr}`)."""
        column = f"{parent}_nr"
        nr = self.conv(r, column, _nr, r.values.get(column)) if column in r.cols else None
        if nr is not None:
            found = by_nr.get(nr)
            if found is None:
                self.bad(r, column, unknown.format(nr=nr))
            return found, nr
        if r.values.get(parent) is None:
            return None, None
        wanted = _key(r.values[parent])
        return next(
            (i for i in by_nr.values() if _key(i.values.get("tekst") or "") == wanted), None
        ), None

    def read_evalueringer(self) -> None:
        """The evalueringer (EFTER), each under its prøvehandling (by number or text)."""
        for r in self.parsed.tables.get("evaluering", []):
            item = _Item(r)
            proevehandling, _nr_given = self.parent_of(
                r,
                "proevehandling",
                self.proevehandling_by_nr,
                "Prøvehandling nr {nr} findes ikke på arket «UNDER udviklingsdage del 2».",
            )
            if proevehandling is None and r.ok:
                self.bad(
                    r,
                    "proevehandling_nr" if "proevehandling_nr" in r.cols else next(iter(r.cols)),
                    "Rækken siger ikke, hvilken prøvehandling den evaluerer. Skriv dens nummer, "
                    "fx 1.1.",
                )
            self.read_fields(r, "evaluering", item)
            if proevehandling is not None:
                proevehandling.evalueringer.append(item)

    @staticmethod
    def _untouched(r: _Row, entity: str) -> bool:
        """Whether the row has none of `entity`'s own cells filled in: an empty row under a
        tegn (its number written in by the export), passed over."""
        return all(r.values.get(f.name) is None for f in sheet_fields(entity))

    def read_laeringer(self) -> None:
        """The læring (EFTER): under its prøvehandling (by number, else by text), or the
        plan's own when the number is left empty."""
        for r in self.parsed.tables.get("laering", []):
            if self._untouched(r, "laering"):
                continue
            item = _Item(r)
            owner, nr = self.parent_of(
                r,
                "proevehandling",
                self.proevehandling_by_nr,
                "Prøvehandling nr {nr} findes ikke på arket «UNDER udviklingsdage del 2». Lad "
                "nummeret stå tomt, hvis læringen gælder hele målplanen.",
            )
            self.read_dato(r, "laering", item, "Skriv datoen for læringen, fx 31-05-2027.")
            self.read_fields(r, "laering", item, skip=("dato",))
            if r.ok and not item.values.get("tekst"):
                self.bad(r, "tekst", "Skriv, hvad I har lært.")
            if owner is not None:
                item.up = owner
                owner.laeringer.append(item)
            elif nr is None:
                self.plan_laeringer.append(item)

    def read_dato(self, r: _Row, entity: str, item: _Item, missing: str) -> None:
        """A måling's or a læring's date, which it must have (`missing` says so)."""
        spec = ENTITIES[entity].fields["dato"]
        raw = r.values.get("dato")
        if raw is None:
            self.bad(r, "dato" if "dato" in r.cols else next(iter(r.cols)), missing)
            return
        item.values["dato"] = self.conv(r, "dato", _cell_value, entity, spec, raw)

    def read_maalinger(self) -> None:
        """The målinger (the Målinger sheet), each under its tegn (by number, else by the
        tegn's text); the empty rows under each tegn are passed over."""
        for r in self.parsed.tables.get("maaling", []):
            if self._untouched(r, "maaling"):
                continue
            item = _Item(r)
            tegn, _nr_given = self.parent_of(
                r,
                "tegn",
                self.tegn_by_nr,
                "Tegn nr {nr} findes ikke på arket «UNDER udviklingsdage del 1». Skriv nummeret "
                "på det tegn, målingen hører til, fx 1.2.",
            )
            if tegn is None and r.ok:
                self.bad(
                    r,
                    "tegn_nr" if "tegn_nr" in r.cols else next(iter(r.cols)),
                    "Rækken siger ikke, hvilket tegn målingen hører til. Skriv tegnets nummer i "
                    "«Tegn nr», fx 1.2.",
                )
            self.read_dato(r, "maaling", item, "Skriv datoen for målingen, fx 31-01-2027.")
            self.read_fields(r, "maaling", item, skip=("dato",))
            if r.ok and item.values.get("vaerdi") is None and not item.values.get("observation"):
                self.bad(
                    r,
                    "vaerdi" if "vaerdi" in r.cols else "observation",
                    "Skriv en værdi (et tal, fx 12,5) eller en observation.",
                )
            if tegn is not None:
                item.up = tegn
                tegn.maalinger.append(item)

    def find_enheder(self) -> None:
        """Every enhed named must exist or be created."""
        plan_key = _key(self.enhed_navn) if self.enhed_navn else None
        for m in self.maal:
            for s in m.samarbejder:
                for name in s.partnere:
                    k = _key(name)
                    if k in self.enheder or k in self.new_enheder:
                        continue
                    try:
                        self.new_enheder[k] = _field("enhed", "navn", name)
                    except _Bad as exc:
                        self.bad(s.row, "partner_ids", exc.message)
        if plan_key and plan_key not in self.enheder and self.enhed_navn:
            self.new_enheder.setdefault(plan_key, self.enhed_navn)
        for name in self.new_enheder.values():
            self.issues.append(
                ImportIssue(
                    "",
                    None,
                    None,
                    None,
                    f"Enheden «{name}» findes ikke i databasen og oprettes.",
                    "advarsel",
                )
            )

    def keep(self) -> list[_Item]:
        """The mål that go in, each with its rows that go in: a row with an error is left out,
        and so are the rows that depend on it (with a warning)."""
        kept: list[_Item] = []
        for m in self.maal:
            if not m.ok:
                for child in (*m.tegn, *m.proevehandlinger, *m.samarbejder):
                    if child.row is not m.row and child.ok:
                        _skip(self.issues, child.row, f"mål nr {m.nr} har fejl")
                continue
            ok_tegn = []
            for t in m.tegn:
                if not t.ok:
                    for x in t.maalinger:
                        if x.ok:
                            _skip(self.issues, x.row, "tegnet har fejl")
                    continue
                t.maalinger = [x for x in t.maalinger if x.ok]
                ok_tegn.append(t)
            m.tegn = ok_tegn
            ok_proevehandlinger = []
            for p in m.proevehandlinger:
                if not p.ok:
                    for e in (*p.evalueringer, *p.laeringer):
                        if e.ok:
                            _skip(self.issues, e.row, "prøvehandlingen har fejl")
                    continue
                p.evalueringer = [e for e in p.evalueringer if e.ok]
                p.laeringer = [x for x in p.laeringer if x.ok]
                p.followed = [t for t in p.followed if t.ok]
                ok_proevehandlinger.append(p)
            m.proevehandlinger = ok_proevehandlinger
            m.samarbejder = [s for s in m.samarbejder if s.ok or s.from_foer]
            kept.append(m)
        self.plan_laeringer = [x for x in self.plan_laeringer if x.ok]
        return kept

    # --- writing ---------------------------------------------------------------------------

    def write(self, kept: list[_Item]) -> None:
        """Everything kept, as one undoable action (never into a damaged database)."""
        from models.db import ensure_intact

        store = self.store
        enheder, maalsaetninger, meta = self.enheder, self.maalsaetninger, self.meta
        ensure_intact(store.db, during="Der er ikke indlæst noget.")
        with store.action() as tx:
            for k, name in self.new_enheder.items():
                enheder[k] = store.create("enhed", tx=tx, navn=name, type="enhed")
            plan_enhed = enheder[_key(self.enhed_navn or "")]
            plan_id = store.create(
                "maalplan",
                tx=tx,
                row_id=self.ref.subject if self.ref and not self.plan_exists else None,
                enhed_id=plan_enhed,
                **meta,
            )
            for m in kept:
                mk = _key(m.maalsaetning or "")
                if mk not in maalsaetninger:
                    maalsaetninger[mk] = store.create(
                        "maalsaetning",
                        tx=tx,
                        tekst=m.maalsaetning,
                        kilde=m.kilde,
                        aar=meta.get("aar"),
                    )
                maal_id = store.create(
                    "maal",
                    tx=tx,
                    maalsaetning_id=maalsaetninger[mk],
                    maalplan_id=plan_id,
                    enhed_id=plan_enhed,
                    **_given(m),
                )
                for t in m.tegn:
                    t.id = store.create("tegn", tx=tx, maal_id=maal_id, **_given(t))
                    for x in t.maalinger:
                        store.create("maaling", tx=tx, tegn_id=t.id, **_given(x))
                for p in m.proevehandlinger:
                    pid = store.create(
                        "proevehandling",
                        tx=tx,
                        maal_id=maal_id,
                        tegn_ids=[t.id for t in p.followed],
                        **_dated_status(_given(p)),
                    )
                    for e in p.evalueringer:
                        store.create("evaluering", tx=tx, proevehandling_id=pid, **_given(e))
                    for x in p.laeringer:
                        store.create("laering", tx=tx, proevehandling_id=pid, **_given(x))
                for s in m.samarbejder:
                    ids = list(dict.fromkeys(enheder[_key(n)] for n in s.partnere))
                    store.create("samarbejde", tx=tx, maal_id=maal_id, partner_ids=ids, **_given(s))
            for x in self.plan_laeringer:
                store.create("laering", tx=tx, maalplan_id=plan_id, **_given(x))
        self.report.maalplan_id = plan_id
        self.report.imported = True


# --- an edited kladde back in: changes against the revision it was exported from ------------

# The tables in the order their rows are created (a row's parent before it).
_KLADDE_ORDER = (
    "maal",
    "tegn",
    "proevehandling",
    "samarbejde",
    "evaluering",
    "laering",
    "maaling",
)
# The row each table's rows belong to (its parent's id field), the mål's: the plan. A læring
# without a prøvehandling belongs to the plan (its `maalplan_id`).
_PARENT_FIELD = {
    "maal": "maalplan_id",
    "tegn": "maal_id",
    "proevehandling": "maal_id",
    "samarbejde": "maal_id",
    "evaluering": "proevehandling_id",
    "laering": "proevehandling_id",
    "maaling": "tegn_id",
}
# The values that say which row a sheet row is, where they differ from what it holds: who
# wrote a måling or a læring, and a måling's source, repeat from row to row.
_NOT_IDENTIFYING = {"maaling": frozenset({"kilde", "hvem"}), "laering": frozenset({"hvem"})}
# The columns of the mål's table that are not its own fields: its målsætning (by text) and
# that målsætning's kilde.
_MAAL_COLUMNS = {"maalsaetning": "Målsætning", "kilde": "Kilde"}


def _compared(entity: str) -> tuple[str, ...]:
    """What the sheet holds of a row: each field with a column (a reference as what it names:
    partners and the plan's enhed by name; the tegn a prøvehandling follows by the tegn rows
    its numbers name, compared by id), and for a mål its målsætning and kilde."""
    keys = tuple(f.name for f in sheet_fields(entity))
    return (*_MAAL_COLUMNS, *keys) if entity == "maal" else keys


_COMPARED = {entity: _compared(entity) for entity in ("maalplan", *_KLADDE_ORDER)}


@dataclass
class KladdeChange:
    """One difference between the sheet and the plan: a field, a new row or a deleted row."""

    kind: str  # "felt", "ny", "slet", "konflikt"
    entity: str
    nr: str
    field: str | None = None
    label: str | None = None
    base: Any = None  # the value at the exported revision
    sheet: Any = None
    current: Any = None  # the database's value now
    row_id: str | None = None
    what: str = ""  # the row, where a number does not name it (a samarbejde, an evaluering)

    def name(self) -> str:
        """The row in words: «tegn 1.2», «samarbejde under mål 1 (Skolen)»."""
        return self.what or f"{ENTITIES[self.entity].label} {self.nr}".strip()

    def _show(self, value: Any) -> str:
        spec = ENTITIES[self.entity].fields.get(self.field or "")
        if (spec is not None and spec.kind == "enum") or (
            self.entity == "maal" and self.field == "kilde"
        ):
            return _show(enums.label(value) if value else None)
        return _show(value)

    def text(self) -> str:
        what, _show = self.name(), self._show
        if self.kind == "ny":
            new = "Nyt" if ENTITIES[self.entity].neuter else "Ny"
            return f"{new} {what}: «{_show(self.sheet)}»"
        if self.kind == "slet":
            return f"{what[:1].upper()}{what[1:]} er fjernet fra arket: «{_show(self.current)}»"
        if self.kind == "konflikt" and self.field is None:
            return (
                f"KONFLIKT: {what} er slettet i databasen efter eksporten, men rettet i arket: "
                f"«{_show(self.sheet)}»"
            )
        if self.kind == "konflikt":
            return (
                f"KONFLIKT i {what}, «{self.label}»: eksporteret «{_show(self.base)}», "
                f"arket siger «{_show(self.sheet)}», databasen siger nu «{_show(self.current)}»"
            )
        head = f"{what[:1].upper()}{what[1:]}, «{self.label}»"
        return f"{head}: «{_show(self.current)}» -> «{_show(self.sheet)}»"

    def change_text(self) -> str:
        """The change without the row's name (the preview's second column)."""
        if self.kind == "ny":
            return f"«{self._show(self.sheet)}»"
        if self.kind == "slet":
            return f"fjernet fra arket: «{self._show(self.current)}»"
        full, name = self.text(), self.name()
        for prefix in (f"{name[:1].upper()}{name[1:]}, ", f"KONFLIKT i {name}, "):
            if full.startswith(prefix):
                return full[len(prefix) :]
        return full

    def as_dict(self) -> dict[str, Any]:
        return {
            "art": self.kind,
            "tabel": self.entity,
            "nr": self.nr,
            "felt": self.field,
            "eksporteret": _jsonable(self.base),
            "arket": _jsonable(self.sheet),
            "databasen": _jsonable(self.current),
            "tekst": self.text(),
        }


def _show(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "(tom)"
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float):  # a måling's value: «12,5»
        return schema.format_decimal(value)
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value


def _canonical(value: Any) -> Any:
    """A value as the user sees it: an empty text is no value, a list is a set of names or
    numbers (case and spacing ignored)."""
    if value in ("", [], ()):
        return None
    if isinstance(value, list | tuple):
        return tuple(sorted(_key(str(v)) for v in value))
    return value


def _same(a: Any, b: Any) -> bool:
    """Equal as the user sees it."""
    return bool(_canonical(a) == _canonical(b))


@dataclass(eq=False)
class _Known:
    """A row of the plan as the database holds it, in the sheet's terms: its values now and
    at the exported revision."""

    entity: str
    id: str
    nr: str  # its number now ("" for a deleted row)
    parent: str  # the id of the row it belongs to
    maal_id: str  # the mål it hangs under (itself for a mål)
    now: dict[str, Any]
    past: dict[str, FieldPast]
    existed: bool  # it was there (and not deleted) at the exported revision
    deleted: bool  # it is deleted now

    def base(self, key: str) -> Any:
        hit = self.past.get(key)
        return hit.base if hit is not None and hit.existed else self.now.get(key)


class _KladdeUpdate:
    """The sheet compared with an existing plan, field by field and row by row.

    Each sheet row is paired with the database row it is (a mål, tegn or prøvehandling by its
    number and content, a samarbejde or an evaluering by content alone, within the row it
    belongs to); rows deleted in the database since the export take part, so that a sheet that
    still shows them does not bring them back. A field differs when the sheet's value is not
    the database's: a change when the database did not change the field since the export, a
    conflict when it did to something else than the sheet says."""

    def __init__(self, imp: _WorkbookImport, plan_id: str, boundary: Boundary | None) -> None:
        self.imp = imp
        self.store = imp.store
        self.plan_id = plan_id
        self.boundary = boundary
        self.items: list[KladdeChange] = []
        # What apply needs: the sheet's new rows with the sheet row they belong to, and the
        # sheet row behind each changed database row.
        self.new_rows: list[tuple[str, _Item, _Item | None]] = []
        self.source: dict[tuple[str, str], _Item] = {}
        self.maal_of: dict[str, str] = {}
        self.gone: set[str] = set()  # rows the sheet shows that the database deleted since
        # A file without reference (a hand-filled template): its empty cells say nothing.
        self.fill_only = imp.ref is None

    # --- the database's side ----------------------------------------------------------------

    def read_known(self, view: MaalplanView) -> dict[str, dict[str, list[_Known]]]:
        """Every row of the plan that may pair with a sheet row, by entity and parent id."""
        from models.kladde import FieldPast, existed_at, field_history, plan_row_ids

        db = self.store.db
        ids = plan_row_ids(db, self.plan_id)
        raw: dict[str, dict[str, dict[str, Any]]] = {}
        for entity in ("maalplan", *_KLADDE_ORDER, "maalsaetning", "enhed"):
            wanted = sorted(ids.get(entity, set()))
            if entity == "enhed":
                wanted = []  # every enhed: partners named by the sheet may be any
            table = ENTITIES[entity].sql_table
            rows: dict[str, dict[str, Any]] = {}
            with db.engine.connect() as conn:
                if entity == "enhed":
                    found = conn.execute(select(table)).mappings()
                    rows = {str(r["id"]): dict(r) for r in found}
                else:
                    for i in range(0, len(wanted), 500):
                        part = wanted[i : i + 500]
                        found = conn.execute(select(table).where(table.c.id.in_(part))).mappings()
                        rows.update({str(r["id"]): dict(r) for r in found})
            raw[entity] = rows
        self.enhed_navn = {rid: r["navn"] for rid, r in raw["enhed"].items()}
        self.live_enhed = {rid for rid, r in raw["enhed"].items() if not r["deleted"]}
        numbers: dict[str, str] = {view.id: ""}
        self.tegn_nr: dict[str, str] = {}
        self.tegn_shown: set[str] = set()  # live, or deleted since the export
        for m in view.maal:
            numbers[m.id] = m.nr
            for t in m.tegn:
                numbers[t.id] = self.tegn_nr[t.id] = t.nr
                numbers.update({x.id: "" for x in view_maalinger(t)})
            for p in m.proevehandlinger:
                numbers[p.id] = p.nr
                numbers.update({e.id: "" for e in p.evalueringer})
                numbers.update({x.id: "" for x in view_laeringer(p)})
            numbers.update({s.id: "" for s in m.samarbejder})
        numbers.update({x.id: "" for x in view_laeringer(view)})
        ms_rows = raw["maalsaetning"]
        ms_past = field_history(db, "maalsaetning", sorted(ms_rows), self.boundary)
        out: dict[str, dict[str, list[_Known]]] = defaultdict(lambda: defaultdict(list))
        for entity in ("maalplan", *_KLADDE_ORDER):
            rows = raw[entity]
            row_ids = sorted(rows)
            past = field_history(db, entity, row_ids, self.boundary)
            live = existed_at(db, entity, row_ids, self.boundary)
            if self.boundary is None:  # compared with the plan as it is: deleted is gone
                live = {rid for rid in live if not rows[rid]["deleted"]}
            # A view that does not carry the læring exported none: the plan's live læring
            # still pairs with a sheet row that says the same (never a second copy), but
            # is never taken for removed from the sheet.
            unshown = entity == "laering" and not hasattr(view, "laeringer")
            for rid, row in rows.items():
                deleted = bool(row["deleted"])
                if unshown and not deleted:
                    live.discard(rid)
                elif (deleted and rid not in live) or (not deleted and rid not in numbers):
                    continue  # gone before the export, or not shown in it
                now = {k: self._term(entity, k, row.get(k), live=True) for k in _COMPARED[entity]}
                row_past = {
                    k: FieldPast(
                        self._term(entity, k, hit.base, live=False), hit.existed, hit.changed_since
                    )
                    for k in _COMPARED[entity]
                    if (hit := past.get((rid, k))) is not None
                }
                if entity == "maal":
                    self._maal_terms(rid, row, now, row_past, past, ms_rows, ms_past)
                parent = str(row.get(_PARENT_FIELD[entity]) or "") if entity != "maalplan" else ""
                if entity == "laering" and not parent:
                    parent = str(row.get("maalplan_id") or "")  # the plan's own
                maal_id = rid if entity == "maal" else str(row.get("maal_id") or "")
                known = _Known(
                    entity,
                    rid,
                    numbers.get(rid, ""),
                    parent,
                    maal_id,
                    now,
                    row_past,
                    rid in live,
                    deleted,
                )
                out[entity][parent].append(known)
                if entity == "tegn":
                    self.tegn_shown.add(rid)
        for entity, parents in (
            ("evaluering", "proevehandling"),
            ("laering", "proevehandling"),
            ("maaling", "tegn"),
        ):
            for p_list in out[entity].values():
                for k in p_list:
                    up = raw[parents].get(k.parent)
                    k.maal_id = str(up["maal_id"]) if up else ""
        for entity_rows in out.values():
            for knowns in entity_rows.values():
                for k in knowns:
                    self.maal_of[k.id] = k.maal_id
        return out

    def _term(self, entity: str, key: str, value: Any, *, live: bool) -> Any:
        """A stored value as the sheet shows it (a reference by what it names)."""
        if key == "partner_ids" or (entity == "maalplan" and key == "enhed_id"):
            ids = value if isinstance(value, list) else [value] if value else []
            names = [
                self.enhed_navn[i]
                for i in ids
                if i in self.enhed_navn and (i in self.live_enhed or not live)
            ]
            return names if key == "partner_ids" else (names[0] if names else None)
        if key == "tegn_ids":
            # By id (the numbers move when a tegn is deleted or added), of the tegn shown in
            # the export: a tegn deleted since is still the one the sheet names.
            return [i for i in value or [] if i in self.tegn_shown]
        return value

    def _maal_terms(
        self,
        rid: str,
        row: dict[str, Any],
        now: dict[str, Any],
        row_past: dict[str, FieldPast],
        past: dict[tuple[str, str], FieldPast],
        ms_rows: dict[str, dict[str, Any]],
        ms_past: dict[tuple[str, str], FieldPast],
    ) -> None:
        """A mål's målsætning and kilde: the text and kilde of the målsætning it points to,
        changed since the export when it points elsewhere or that målsætning changed."""
        from models.kladde import FieldPast

        ms_now = str(row.get("maalsaetning_id") or "")
        link = past.get((rid, "maalsaetning_id"))
        ms_base = str(link.base) if link is not None and link.existed and link.base else ms_now
        for key, field_name in (("maalsaetning", "tekst"), ("kilde", "kilde")):
            now[key] = (ms_rows.get(ms_now) or {}).get(field_name)
            then = ms_past.get((ms_base, field_name))
            base = then.base if then is not None and then.existed else None
            if base is None:
                base = (ms_rows.get(ms_base) or {}).get(field_name)
            moved = link is not None and link.changed_since
            edited = (hit := ms_past.get((ms_now, field_name))) is not None and hit.changed_since
            row_past[key] = FieldPast(base, True, moved or edited)

    # --- the sheet's side -------------------------------------------------------------------

    def sheet_values(self, entity: str, item: _Item) -> dict[str, Any]:
        """The row's values in the sheet's terms, for the columns the sheet has (in a
        hand-filled template, the cells filled in: an empty one keeps what the plan says)."""
        out: dict[str, Any] = {}
        for key in _COMPARED[entity]:
            if key not in item.row.cols:
                continue
            if self.fill_only and item.row.values.get(key) is None:
                continue
            if entity == "maal" and key == "maalsaetning":
                out[key] = item.maalsaetning
            elif entity == "maal" and key == "kilde":
                out[key] = item.kilde
            elif key == "tegn_ids":
                # The tegn it follows as the rows they were paired with (`walk` pairs a mål's
                # tegn before its prøvehandlinger); a new tegn by its number in the sheet.
                out[key] = [t.id or f"+{t.row.row}" for t in item.followed]
            elif key == "partner_ids":
                out[key] = list(item.partnere)
            else:
                out[key] = item.values.get(key)
        return out

    @staticmethod
    def _nr(item: _Item, siblings: list[_Item], m: _Item) -> str:
        # A row the chef added without a number is new (never the row that had its place).
        raw = item.row.values.get("nr")
        try:
            nr = _nr(raw) if raw is not None else None
        except _Bad:
            nr = None
        return nr or f"{m.nr}.ny{siblings.index(item) + 1}"

    # --- pairing ----------------------------------------------------------------------------

    @staticmethod
    def _likeness(entity: str, values: dict[str, Any], nr: str, known: _Known) -> float:
        """How surely a sheet row is a database row: 1000 the same as now, 999 the same as
        at the export, otherwise one point per value in common (half for a choice, three
        quarters for a text much like it) and one for the same number; below 1: not it."""
        if not known.deleted and all(
            _same(v, known.now.get(k)) or (v is None and (entity, k) in _FILLED_IN)
            for k, v in values.items()
        ):
            return 1000.0
        if not known.existed:
            return 0.0  # added in the database after the export: only the same row pairs
        if all(_same(v, known.base(k)) for k, v in values.items()):
            return 999.0
        score = 1.0 if nr and nr == known.nr else 0.0
        fields = ENTITIES[entity].fields
        skipped = _NOT_IDENTIFYING.get(entity, frozenset())
        for key, value in values.items():
            if _canonical(value) is None or key in skipped:
                continue
            others = [known.now.get(key), known.base(key)]
            if any(_same(value, o) for o in others):
                spec = fields.get(key)
                score += 0.5 if spec is not None and spec.kind in ("enum", "bool") else 1.0
            elif isinstance(value, str) and any(
                isinstance(o, str) and SequenceMatcher(None, value, o).ratio() >= 0.6
                for o in others
            ):
                score += 0.75
        return score

    def pair(
        self, entity: str, sheet_rows: list[tuple[str, _Item]], known: list[_Known]
    ) -> list[tuple[str, _Item, _Known | None]]:
        """Each sheet row with the database row it is, or None (a new row)."""
        scores = []
        values = [self.sheet_values(entity, item) for _nr, item in sheet_rows]
        for i, (nr, _item) in enumerate(sheet_rows):
            for j, k in enumerate(known):
                score = self._likeness(entity, values[i], nr, k)
                if score >= 1:
                    scores.append((-score, abs(i - j), i, j))
        scores.sort()
        taken_sheet: dict[int, int] = {}
        taken_known: set[int] = set()
        for _score, _distance, i, j in scores:
            if i not in taken_sheet and j not in taken_known:
                taken_sheet[i] = j
                taken_known.add(j)
        return [
            (nr, item, known[taken_sheet[i]] if i in taken_sheet else None)
            for i, (nr, item) in enumerate(sheet_rows)
        ]

    # --- comparing --------------------------------------------------------------------------

    def compare(self, kept: list[_Item]) -> None:
        from models.maalplan_view import load_maalplan

        view = load_maalplan(self.store.db, self.plan_id)
        self.plan_enhed = view.enhed_id or ""
        self.plan_aar = view.aar
        known = self.read_known(view)
        plan_known = known["maalplan"].get("", [])
        plan = next((k for k in plan_known if k.id == self.plan_id), None)
        if plan is not None:
            given = {
                k: v
                for k, v in self.imp.meta.items()
                if k in self.imp.parsed.meta
                and not (self.fill_only and self.imp.parsed.meta[k][0] is None)
            }
            if "enhed_id" in self.imp.parsed.meta and self.imp.enhed_navn:
                given["enhed_id"] = self.imp.enhed_navn
            self.compare_fields(plan, "", given, None)
        maal_rows = [(m.nr or "", m) for m in kept]
        self.walk("maal", maal_rows, known["maal"].get(self.plan_id, []), None, "", known)
        plan_laering = [("", x) for x in self.imp.plan_laeringer]
        under_plan = known["laering"].get(self.plan_id, [])
        self.walk("laering", plan_laering, under_plan, None, "", known)

    def walk(
        self,
        entity: str,
        sheet_rows: list[tuple[str, _Item]],
        known: list[_Known],
        parent: _Item | None,
        parent_nr: str,
        everything: dict[str, dict[str, list[_Known]]],
    ) -> None:
        """Pair one table's rows under one parent, compare them, and go down to their rows."""
        paired = self.pair(entity, sheet_rows, known)
        if entity == "maaling":
            paired_ids = {id(k) for _nr, _item, k in paired if k is not None}
            since = [
                k for k in known if id(k) not in paired_ids and not k.deleted and not k.existed
            ]
            _repeated_maalinger(
                [(item, k is None) for _nr, item, k in paired], self.imp.issues, since
            )
        for nr, item, k in paired:
            what = self._what(entity, parent_nr, item)
            if k is None:
                self.new_rows.append((entity, item, parent))
                self.items.append(
                    KladdeChange("ny", entity, nr, sheet=self._title(entity, item), what=what)
                )
            elif k.deleted:
                item.id = k.id  # what the sheet's references to it mean
                self.gone.add(k.id)
                values = self.sheet_values(entity, item)
                if not all(_same(v, k.base(key)) for key, v in values.items()):
                    self.items.append(
                        KladdeChange(
                            "konflikt",
                            entity,
                            nr,
                            sheet=self._title(entity, item),
                            row_id=k.id,
                            what=what,
                        )
                    )
                continue  # deleted in the database since: nothing under it is compared
            else:
                item.id = k.id
                self.source[(entity, k.id)] = item
                self.compare_fields(k, nr, self.sheet_values(entity, item), what)
            for child, children in self._children(entity, item):
                under = everything[child].get(k.id, []) if k is not None else []
                self.walk(child, children, under, item, nr, everything)
        taken = {id(k) for _nr, _item, k in paired if k is not None}
        for k in known:
            if id(k) in taken or k.deleted or not k.existed:
                continue
            self.items.append(
                KladdeChange(
                    "slet",
                    entity,
                    k.nr or parent_nr,
                    current=self._known_title(entity, k),
                    row_id=k.id,
                    what=self._what(entity, parent_nr, None, k),
                )
            )

    def _children(self, entity: str, item: _Item) -> list[tuple[str, list[tuple[str, _Item]]]]:
        if entity == "maal":
            return [
                ("tegn", [(self._nr(t, item.tegn, item), t) for t in item.tegn]),
                (
                    "proevehandling",
                    [(self._nr(p, item.proevehandlinger, item), p) for p in item.proevehandlinger],
                ),
                ("samarbejde", [(item.nr or "", s) for s in item.samarbejder]),
            ]
        if entity == "proevehandling":
            nr = self._nr(item, cast(_Item, item.up).proevehandlinger, cast(_Item, item.up))
            return [
                ("evaluering", [(nr, e) for e in item.evalueringer]),
                ("laering", [(nr, x) for x in item.laeringer]),
            ]
        if entity == "tegn":
            nr = self._nr(item, cast(_Item, item.up).tegn, cast(_Item, item.up))
            return [("maaling", [(nr, x) for x in item.maalinger])]
        return []

    @staticmethod
    def _what(entity: str, parent_nr: str, item: _Item | None, known: _Known | None = None) -> str:
        """The name of a row without a number of its own, by the row it belongs to."""
        values = item.values if item is not None else known.now if known is not None else {}
        if entity == "samarbejde":
            names = item.partnere if item is not None else values.get("partner_ids")
            return f"samarbejde under mål {parent_nr} ({_show(names)})"
        if entity == "evaluering":
            when = values.get("dato") or enums.label(values.get("type"))
            return f"evaluering af prøvehandling {parent_nr} ({_show(when)})"
        if entity == "maaling":
            return f"måling på tegn {parent_nr} ({_show(values.get('dato'))})"
        if entity == "laering":
            on = f"prøvehandling {parent_nr}" if parent_nr else "målplanen"
            return f"læring om {on} ({_show(values.get('dato'))})"
        return ""

    @staticmethod
    def _title(entity: str, item: _Item) -> Any:
        if entity == "samarbejde":
            return item.values.get("maal_for_samarbejdet") or ", ".join(item.partnere)
        if entity == "evaluering":
            return item.values.get("effekt") or item.values.get("laering")
        if entity == "maaling":
            return _maaling_title(item.values)
        return item.values.get("tekst")

    @staticmethod
    def _known_title(entity: str, known: _Known) -> Any:
        if entity == "samarbejde":
            return known.now.get("maal_for_samarbejdet") or known.now.get("partner_ids")
        if entity == "evaluering":
            return known.now.get("effekt") or known.now.get("laering")
        if entity == "maaling":
            return _maaling_title(known.now)
        return known.now.get("tekst")

    def compare_fields(
        self, known: _Known, nr: str, given: dict[str, Any], what: str | None
    ) -> None:
        """A change for each field the sheet gives differently; a conflict where the database
        changed it since the export to something else."""
        entity = known.entity
        for key, value in given.items():
            now = known.now.get(key)
            if _same(value, now) or (key == "enhed_id" and _key(value or "") == _key(now or "")):
                continue  # (an enhed by its name, as the import finds it)
            spec = ENTITIES[entity].fields.get(key)
            label = spec.label if spec is not None else _MAAL_COLUMNS.get(key, key)
            hist = known.past.get(key)
            kind = "felt"
            if hist is not None and hist.changed_since:
                if _same(value, hist.base):
                    continue  # the database is newer; the sheet did not touch the field
                kind = "konflikt"
            base = hist.base if kind == "konflikt" and hist is not None else None
            if key == "tegn_ids":  # shown by number
                item = self.source.get((entity, known.id))
                value = item.tegn_refs if item is not None else value
                now, base = self._tegn_numbers(now), self._tegn_numbers(base)
            self.items.append(
                KladdeChange(kind, entity, nr, key, label, base, value, now, known.id, what or "")
            )
        if entity == "proevehandling":
            self._date_status(known, nr, what)

    def _date_status(self, known: _Known, nr: str, what: str | None) -> None:
        """A status the sheet changes without changing its date is dated today, as a status
        typed in the app is: a change of «Status ændret» beside it in the preview."""
        mine = [c for c in self.items if c.row_id == known.id and c.entity == "proevehandling"]
        if not any(c.field == "status" and c.kind == "felt" for c in mine):
            return
        if any(c.field == "status_dato" for c in mine):
            return
        spec = ENTITIES["proevehandling"].fields["status_dato"]
        now = known.now.get("status_dato")
        self.items.append(
            KladdeChange(
                "felt",
                "proevehandling",
                nr,
                "status_dato",
                spec.label,
                None,
                date.today(),
                now,
                known.id,
                what or "",
            )
        )

    def _tegn_numbers(self, ids: Any) -> list[str]:
        return [self.tegn_nr[i] for i in ids or [] if i in self.tegn_nr]

    # --- writing ----------------------------------------------------------------------------

    def apply(self, *, delete: bool, source: str) -> int:
        """The changes (not the conflicts; deletions only with `delete`) as one action, with
        a note on each mål touched naming the source. Returns how many were written."""
        from models.db import ensure_intact

        store, imp = self.store, self.imp
        fields = [c for c in self.items if c.kind == "felt"]
        deletions = [c for c in self.items if c.kind == "slet" and delete]
        if not fields and not deletions and not self.new_rows:
            return 0
        ensure_intact(store.db, during="Der er ikke indlæst noget.")
        touched: dict[str, None] = {}
        written = 0
        with store.action() as tx:

            def enhed(name: str) -> str:
                k = _key(name)
                if k not in imp.enheder:
                    navn = imp.new_enheder.get(k, name.strip())
                    imp.enheder[k] = store.create("enhed", tx=tx, navn=navn, type="enhed")
                return imp.enheder[k]

            def maalsaetning(text: str, kilde: str) -> str:
                k = _key(text)
                if k not in imp.maalsaetninger:
                    imp.maalsaetninger[k] = store.create(
                        "maalsaetning",
                        tx=tx,
                        tekst=text,
                        kilde=kilde,
                        aar=imp.meta.get("aar") or self.plan_aar,
                    )
                return imp.maalsaetninger[k]

            order = {entity: n for n, entity in enumerate(_KLADDE_ORDER)}
            for entity, item, parent in sorted(self.new_rows, key=lambda r: order[r[0]]):
                up = self.plan_id if parent is None else parent.id
                if up is None:
                    continue  # its parent could not be written
                values = _given(item)
                if entity == "maal":
                    ms = maalsaetning(item.maalsaetning or "", item.kilde)
                    item.id = store.create(
                        "maal",
                        tx=tx,
                        maalsaetning_id=ms,
                        maalplan_id=self.plan_id,
                        enhed_id=self.plan_enhed or None,
                        **values,
                    )
                    touched[item.id] = None
                else:
                    if entity == "proevehandling":
                        values["tegn_ids"] = self._followed(item)
                        _dated_status(values)
                    elif entity == "samarbejde":
                        values["partner_ids"] = list(dict.fromkeys(enhed(n) for n in item.partnere))
                    if entity == "laering" and parent is None:
                        values["maalplan_id"] = up  # the plan's own læring
                    else:
                        values[_PARENT_FIELD[entity]] = up
                    item.id = store.create(entity, tx=tx, **values)
                    # The mål the row hangs under (none for the plan's own læring).
                    owner = parent.up if entity in _UNDER_A_CHILD and parent else parent
                    touched[(owner.id if owner is not None else None) or ""] = None
                written += 1
            updates: dict[tuple[str, str], dict[str, Any]] = defaultdict(dict)
            for c in fields:
                if c.row_id and c.field:
                    updates[(c.entity, c.row_id)][c.field] = c.sheet
            for (entity, rid), values in updates.items():
                row = self.source.get((entity, rid))
                if "tegn_ids" in values and row is not None:
                    values["tegn_ids"] = self._followed(row)
                if "partner_ids" in values and row is not None:
                    values["partner_ids"] = list(dict.fromkeys(enhed(n) for n in row.partnere))
                if entity == "maalplan" and "enhed_id" in values:
                    values["enhed_id"] = enhed(str(values["enhed_id"]))
                if entity == "maal" and ("maalsaetning" in values or "kilde" in values):
                    text = values.pop("maalsaetning", None)
                    kilde = values.pop("kilde", None)
                    ms_id = self._maalsaetning_of(rid)
                    if text is not None and row is not None:
                        ms_id = maalsaetning(text, row.kilde)
                        written += store.update("maal", rid, {"maalsaetning_id": ms_id}, tx=tx)
                    if kilde is not None and ms_id:
                        written += store.update("maalsaetning", ms_id, {"kilde": kilde}, tx=tx)
                if values:
                    written += store.update(entity, rid, values, tx=tx)
                touched[self.maal_of.get(rid, "")] = None
            gone: set[str] = set()
            for c in deletions:
                if c.row_id:
                    if c.entity == "maal":
                        gone.add(c.row_id)
                    else:
                        touched[self.maal_of.get(c.row_id, "")] = None
                    store.delete(c.entity, c.row_id, tx=tx)
                    written += 1
            note = f"Indlæst fra {source}: {count('aendring', written)}."
            live = [m for m in touched if m and m not in gone]
            if not live:
                live = [m for m in self.maal_of.values() if m and m not in gone][:1]
            for mid in live:
                store.create("note", tx=tx, maal_id=mid, tekst=note)
        return written

    def _followed(self, item: _Item) -> list[str]:
        """The ids of the tegn a prøvehandling follows (not those deleted since the export)."""
        return [t.id for t in item.followed if t.id and t.id not in self.gone]

    def _maalsaetning_of(self, maal_id: str) -> str:
        table = ENTITIES["maal"].sql_table
        with self.store.db.engine.connect() as conn:
            found = conn.execute(
                select(table.c.maalsaetning_id).where(table.c.id == maal_id)
            ).scalar()
        return str(found or "")


# The tables whose rows hang under a row that hangs under a mål (the mål is two steps up).
_UNDER_A_CHILD = frozenset({"evaluering", "laering", "maaling"})


def _maaling_title(values: dict[str, Any]) -> Any:
    """A måling in a line: its value the Danish way, and/or its observation."""
    number = values.get("vaerdi")
    shown = schema.format_decimal(number) if isinstance(number, int | float) else None
    return " - ".join(str(v) for v in (shown, values.get("observation")) if v) or None


# Fields the import fills in when the sheet leaves them empty (`_dated_status`): an empty cell
# there still pairs the sheet row with the row the import made of it.
_FILLED_IN = frozenset({("proevehandling", "status_dato")})


def _dated_status(values: dict[str, Any]) -> dict[str, Any]:
    """A new prøvehandling's values, its status dated today when the sheet gives a status
    beyond «planlagt» without a date (as the app dates a status typed in it)."""
    status = values.get("status")
    if status not in (None, enums.ProevehandlingStatus.PLANLAGT) and not values.get("status_dato"):
        values["status_dato"] = date.today()
    return values


def _given(item: _Item) -> dict[str, Any]:
    """The values the file gave (an empty cell leaves the field to its default)."""
    return {k: v for k, v in item.values.items() if v is not None}


def import_workbook(
    store: Store,
    path: Path | str,
    *,
    dry_run: bool = False,
    good_rows: bool = False,
    delete: bool = False,
    source: str | None = None,
    plan: str | None = None,
) -> ImportReport:
    """Read a filled målplanskabelon into a new målplan, or, when the file is an edited
    kladde of a plan that is here (its reference, the same enhed, year and title, or `plan`:
    the id or title of the plan the user picked for it), into that plan as changes against
    the revision it was exported at (the plan as it is now for a file without reference;
    `ImportReport.kladde`):
    conflicts are listed, never written; rows missing from the sheet are deleted only with
    `delete`; `source` (the file's name when None) is named in a note on each mål touched.

    With errors, nothing is written unless `good_rows` is set (then rows with errors, and rows
    that depend on them, are left out). `dry_run` checks everything and writes nothing. Raises
    `UdviklingsdagError` (Danish) when the file cannot be read at all."""
    return _WorkbookImport(
        store,
        Path(path),
        dry_run=dry_run,
        good_rows=good_rows,
        delete=delete,
        source=source,
        plan=plan,
    ).run()


def _maaling_key(values: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    """What makes two målinger the same måling: day, value and observation as the user sees
    them (who wrote it and the source aside)."""
    return tuple(
        sorted(
            (k, _canonical(v))
            for k, v in values.items()
            if k in _COMPARED["maaling"]
            and k not in _NOT_IDENTIFYING["maaling"]
            and _canonical(v) is not None
        )
    )


def _repeated_maalinger(
    rows: list[tuple[_Item, bool]], issues: list[ImportIssue], since: Sequence[_Known] = ()
) -> None:
    """A warning on each new måling (`rows`: one tegn's rows in the sheet's order, each with
    whether it comes in as a new måling) that repeats another row: the same day, value and
    observation (who wrote it and the source aside), named by the row it repeats (one that is
    in the database already, else the first), or a måling of the tegn typed into the program
    after the kladde was exported (`since`: the database's rows no sheet row is). Both come in,
    since two målinger on one day can be real, but a row copied twice is the likelier reading,
    so the preview says so."""
    groups: dict[tuple[tuple[str, Any], ...], list[tuple[_Item, bool]]] = {}
    for item, new in rows:
        groups.setdefault(_maaling_key(item.values), []).append((item, new))
    later = {_maaling_key(k.now): k for k in reversed(since)}
    for key, group in groups.items():
        entered = later.get(key)
        if len(group) < 2 and entered is None:
            continue
        original = next((item for item, new in group if not new), None)
        if original is None and entered is None:
            original = group[0][0]
        for item, new in group:
            if not new or item is original:
                continue
            what = "værdi" if item.values.get("vaerdi") is not None else "observation"
            if original is not None:
                where = f"række {original.row.row}"
                if original.row.sheet != item.row.sheet:
                    where += f" på arket «{original.row.sheet}»"
                said = f"Målingen er magen til {where} (samme tegn, dato og {what})."
            else:
                assert entered is not None
                day = entered.now.get("dato")
                when = f" {day:%d-%m-%Y}" if isinstance(day, date) else ""
                who = f" af {entered.now['hvem']}" if entered.now.get("hvem") else ""
                said = (
                    f"Målingen er magen til en måling{when}, der er skrevet i programmet{who} "
                    f"efter eksporten af kladden (samme tegn, dato og {what})."
                )
            issues.append(
                ImportIssue(
                    item.row.sheet,
                    item.row.row,
                    None,
                    None,
                    f"{said} Begge indlæses som hver sin måling. Slet den ene række i arket, "
                    "hvis målingen er skrevet to gange.",
                    "advarsel",
                )
            )


def _skip(issues: list[ImportIssue], r: _Row, why: str) -> None:
    issues.append(
        ImportIssue(r.sheet, r.row, None, None, f"Rækken springes over, fordi {why}.", "advarsel")
    )
    r.ok = False
