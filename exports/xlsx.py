"""The målplanskabelon as an Excel workbook: the four sheets `FØR`, `UNDER udviklingsdage del 1`,
`UNDER udviklingsdage del 2` and `EFTER`, each a printable table (print area, fit to width,
title and date in the page header, wrapped text, frozen header row).

The sheets and their columns come from the declaration in `models.schema` (each entity's
`SheetTable`, each field's `SheetColumn`); `exports.template_import` reads the same workbook
back (and tolerates what people do to it)."""

from __future__ import annotations

import io
import re
import struct
import time
import zipfile
from collections.abc import Callable
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, cast

import openpyxl
from openpyxl import Workbook
from openpyxl.cell._writer import write_cell as _openpyxl_write_cell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments.comment_sheet import CommentRecord
from openpyxl.compat import safe_string
from openpyxl.drawing.image import Image
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.packaging.custom import IntProperty, StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.functions import XML_NS, Element

from models import enums
from models.maalplan_view import MaalplanView
from models.schema import (
    ENTITIES,
    SHEET_DEL1,
    SHEET_DEL2,
    SHEET_EFTER,
    SHEET_ENTITIES,
    SHEET_FOER,
    SHEET_MAALINGER,
    SHEETS,
    FieldSpec,
    SheetColumn,
    SheetTable,
    sheet_columns,
    sheet_fields,
)

from . import document_rows as content

SHEET_VEJLEDNING = "Vejledning"

SHEET_INTRO = {
    SHEET_FOER: "Før udviklingsdagene: målsætninger, mål, ansvarlige og mulige "
    "samarbejdspartnere (udfyldes af chefen efter Chefforum).",
    SHEET_DEL1: "Udviklingsdag del 1: tegn for hvert mål - hvad kigger vi efter, og hvordan "
    "ser vi, at forandringen sker?",
    SHEET_DEL2: "Udviklingsdag del 2: prøvehandlinger for hvert mål, med ansvarlig, periode, "
    "borgerinddragelse og evaluering.",
    SHEET_EFTER: "Efter udviklingsdagene: aftalte samarbejder på tværs (niveau, "
    "forventninger, roller), evalueringer af prøvehandlingerne og det, I har lært undervejs "
    "(dateret; uden prøvehandlingens nummer gælder det hele målplanen).",
    SHEET_MAALINGER: "Målinger gennem året: én række pr. måling under det tegn, den måler. "
    "Skriv dato og værdi (et tal) eller en observation i de tomme rækker under tegnet.",
}

# --- the tables (one header row each), from the declaration in models.schema ----------------

# Table kind (entity) -> (sheet it belongs on, columns, Danish name used in messages)
TABLES: dict[str, tuple[str, tuple[SheetColumn, ...], str]] = {
    entity: (
        cast(SheetTable, ENTITIES[entity].sheet).sheet,
        sheet_columns(entity),
        ENTITIES[entity].label_plural,
    )
    for entity in SHEET_ENTITIES
}

# The plan's own fields, as label/value pairs at the top of FØR: (field, label, aliases).
META_FIELDS: tuple[tuple[str, str, tuple[str, ...]], ...] = tuple(
    (f.name, cast(SheetColumn, f.sheet).header, cast(SheetColumn, f.sheet).aliases)
    for f in sheet_fields("maalplan")
)
META_LEFT = 5  # the first five pairs go in columns A:B, the rest in C:D
META_FIRST_ROW = 3
TITLE_ROW, INTRO_ROW = 1, 2

# The workbook layout's format version, stored as a custom document property. Raise it when
# a change means an older app would read a new workbook wrongly (the import refuses newer ones).
TEMPLATE_FORMAT_PROPERTY = "UdviklingsdagSkabelonformat"
TEMPLATE_FORMAT_VERSION = 2  # 2: the Målinger sheet and the Læring table (issue 15)
# The change log's position at the export (`models.kladde.known_changes`): an edited copy that
# comes back is compared with exactly what the database held then.
KNOWN_CHANGES_PROPERTY = "UdviklingsdagKendteAendringer"
PROPERTY_TEXT_MAX = 255
"""The most characters Excel keeps of a custom text property."""

# Rows kept ready for typing in the blank template (and covered by drop-down lists).
TEMPLATE_ROWS = 40
# Empty rows under each tegn on the Målinger sheet, its number filled in, for the next
# months' målinger (the import passes over a row with nothing but the tegn in it).
MAALING_BLANK_ROWS = 3
VALIDATION_ROWS = 500

_TITLE = Font(bold=True, size=14)
_INTRO = Font(italic=True, color="444444")
_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DCE6F1")
_META_FILL = PatternFill("solid", fgColor="F2F2F2")
_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_WRAP_LEFT = Alignment(wrap_text=True, vertical="top", horizontal="left")
_HEAD_ALIGN = Alignment(wrap_text=True, vertical="center")


# --- cell helpers ------------------------------------------------------------------------------


# The characters an .xlsx or a .docx cannot hold: openpyxl's pattern (the C0 controls other
# than tab and line breaks) and what else XML 1.0 leaves out (lone surrogates, U+FFFE,
# U+FFFF), which a database from before the field rules knew them may still hold.
_ILLEGAL = re.compile(ILLEGAL_CHARACTERS_RE.pattern + r"|[\ud800-\udfff\ufffe\uffff]")


def clean_cell_text(text: str) -> str:
    """Remove characters an .xlsx cannot hold (control characters other than tab/newline)."""
    return _ILLEGAL.sub("", text)


def set_cell(cell: Cell, value: Any) -> None:
    """Put a value in a cell. Text is always stored as text: a tegn that reads
    `=HYPERLINK(...)` must never become a live formula in somebody's Excel."""
    if value is None or value == "":
        cell._value = None  # what `cell.value = None` stores
        cell.data_type = "n"
        return
    if isinstance(value, str):
        text = clean_cell_text(value)
        # What `cell.value = text` stores for cleaned text (openpyxl keeps at most 32,767
        # characters), without its type inference: the type is text either way.
        cell._value = text[:32767]
        cell.data_type = "s"
        if text[:1] in ("=", "+", "-", "@"):
            # Excel keeps the leading character as text when the cell is edited later.
            cell.quotePrefix = True
        return
    cell.value = value


def _lines_needed(text: str, width: float) -> int:
    # Neither Excel nor LibreOffice grows a row for wrapped text in a file they did not
    # write, so the height is estimated here: about 1.15 characters per unit of width, and
    # the lines broken at spaces as Excel breaks them (a word that does not fit on what is
    # left of a line starts the next one; a word longer than a line is broken inside).
    per_line = _per_line(width)
    lines = 0
    for part in text.split("\n"):
        if len(part) <= per_line:
            lines += 1
            continue
        n, used = 1, -1
        for word in part.split(" "):
            size = len(word)
            if used >= 0 and used + 1 + size <= per_line:
                used += 1 + size
                continue
            if used >= 0:
                n += 1
            n += (size - 1) // per_line if size else 0
            used = size - (size - 1) // per_line * per_line if size else 0
        lines += n
    return lines


def fit_row_height(
    ws: Worksheet, row: int, widths: dict[int, float], *, line: float = 15.0, bold: bool = False
) -> None:
    """Set a row's height so its wrapped text shows in full (Excel and LibreOffice do not
    autofit rows of a generated file)."""
    values = {col: ws.cell(row, col).value for col in widths}
    _set_row_height(ws, row, widths, values, line=line, bold=bold)


def _set_row_height(
    ws: Worksheet,
    row: int,
    widths: dict[int, float],
    values: dict[int, Any],
    *,
    line: float = 15.0,
    bold: bool = False,
) -> None:
    """`fit_row_height` for a row whose cell values (by column) are at hand."""
    ws.row_dimensions[row].height = row_height(widths, values, line=line, bold=bold)


def row_height(
    widths: dict[int, float], values: dict[int, Any], *, line: float = 15.0, bold: bool = False
) -> float:
    """The height (points) a row needs for its wrapped values, by column, to show in full."""
    lines = 1
    for col, width in widths.items():
        value = values.get(col)
        if value is None:
            continue
        text = value.strftime("%d-%m-%Y") if isinstance(value, date) else str(value)
        width *= 0.92 if bold else 1.0
        if len(text) <= _per_line(width) and "\n" not in text:
            continue  # one line (most cells)
        lines = max(lines, _lines_needed(text, width))
    return min(409, line * lines + 2)


def _styled(cell: Cell, key: str, **attrs: Any) -> None:
    """Give `cell` a named combination of font/fill/border/alignment.

    Setting those one by one makes openpyxl hash every style object for every cell (a large
    export spent most of its workbook time there). The first cell of each combination is
    styled the normal way; every later one gets a copy of its style array (the indexes into
    the workbook's style lists), which is how openpyxl itself copies styles. The file written
    is the same. Call this before `set_cell`, which may add the quote prefix."""
    wb = cell.parent.parent
    cache: dict[str, Any] | None = getattr(wb, "_udviklingsdag_styles", None)
    if cache is None:
        cache = {}
        wb._udviklingsdag_styles = cache
    style = cache.get(key)
    if style is None:
        for name, value in attrs.items():
            setattr(cell, name, value)
        cache[key] = StyleArray(cell._style)
    else:
        cell._style = StyleArray(style)


def _style_array(ws: Worksheet, key: str, attrs: dict[str, Any]) -> StyleArray:
    """The style array of a named combination (`_styled`'s cache), made on a cell that is not
    put in the sheet."""
    cache: dict[str, Any] | None = getattr(ws.parent, "_udviklingsdag_styles", None)
    if cache is None or key not in cache:
        _styled(Cell(ws, row=1, column=1), key, **attrs)
        cache = ws.parent._udviklingsdag_styles
    return cast(StyleArray, cache[key])


# --- table rows as XML -------------------------------------------------------------------------


class SheetRows:
    """The rows of a large table, given to a sheet as ready XML instead of openpyxl cells.

    openpyxl makes an object per cell and writes each through lxml: most of the time a large
    report's workbook took. `add` writes a row as the XML `_SheetWriter` writes for the same
    cells (a text always as text, never a formula; a date and a number as a number in the
    cell's format; the row's height), and keeps its text for the digest (`workbook_text`);
    `_ExcelWriter` puts the rows into the sheet's `sheetData` after the sheet's own cells,
    which must all lie above them. Where that writer is not used (another openpyxl version),
    the rows are written as cells instead, with the same values, styles and heights."""

    def __init__(self, ws: Worksheet) -> None:
        if getattr(ws, "_udviklingsdag_rows", None) is not None:
            raise ValueError(f"arket {ws.title} har allerede rækker som XML")
        self.ws = ws
        self.as_xml = _FAST_WRITER and not ws.parent.write_only
        self.first_row = 0
        self.last_row = 0
        self.last_col = 0
        self.text: list[str] = []  # the cells' text, as `workbook_text` reads it
        self._parts: list[str] = []
        self._quoted: dict[int, int] = {}
        self._letters: dict[int, str] = {}
        ws._udviklingsdag_rows = self

    def style(self, key: str, **attrs: Any) -> int:
        """The style id of a named combination of font/fill/border/alignment/number format
        (the same cache as `_styled`)."""
        return cast(int, self.ws.parent._cell_styles.add(_style_array(self.ws, key, attrs)))

    def _quoted_style(self, style_id: int) -> int:
        quoted = self._quoted.get(style_id)
        if quoted is None:
            array = StyleArray(self.ws.parent._cell_styles[style_id])
            array.quotePrefix = 1
            quoted = self._quoted[style_id] = self.ws.parent._cell_styles.add(array)
        return quoted

    def add(self, row: int, cells: list[tuple[int, Any]], widths: dict[int, float]) -> None:
        """Row `row`: its cells as (style id, value) from column A on, a value being text
        (cleaned here, as `set_cell` does), a date, a number or None; the row as high as
        its text needs in columns this wide (`row_height`)."""
        if row <= self.last_row:
            raise ValueError("rækkerne skal komme i rækkefølge")
        self.first_row = self.first_row or row
        self.last_row = row
        self.last_col = max(self.last_col, len(cells))
        if not self.as_xml:
            self._add_cells(row, cells, widths)
            return
        out: list[str] = []
        stored: dict[int, Any] = {}
        text = self.text
        for col, (style_id, value) in enumerate(cells, start=1):
            letter = self._letters.get(col) or self._letters.setdefault(col, get_column_letter(col))
            ref = f"{letter}{row}"
            if isinstance(value, str):
                value = clean_cell_text(value)[:32767]
            if value is None or value == "":
                out.append(f'<c r="{ref}" s="{style_id}" t="n"></c>')
                continue
            if isinstance(value, str):
                if value[:1] in ("=", "+", "-", "@"):
                    style_id = self._quoted_style(style_id)
                space = ' xml:space="preserve"' if value != value.strip() else ""
                out.append(
                    f'<c r="{ref}" s="{style_id}" t="inlineStr"><is><t{space}>'
                    f"{_xml_text(value)}</t></is></c>"
                )
                text.append(value)
            else:
                if isinstance(value, date):
                    number = safe_string(to_excel(value, self.ws.parent.epoch))
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    number = safe_string(value)
                else:
                    raise TypeError(f"en celle kan ikke rumme {type(value).__name__}")
                out.append(f'<c r="{ref}" s="{style_id}" t="n"><v>{number}</v></c>')
                if number:
                    text.append(repr(float(number)))
            stored[col] = value
        height = safe_string(row_height(widths, stored))
        self._parts.append(f'<row r="{row}" ht="{height}" customHeight="1">')
        self._parts.extend(out)
        self._parts.append("</row>")

    def _add_cells(self, row: int, cells: list[tuple[int, Any]], widths: dict[int, float]) -> None:
        styles = self.ws.parent._cell_styles
        stored: dict[int, Any] = {}
        for col, (style_id, value) in enumerate(cells, start=1):
            cell = self.ws.cell(row=row, column=col)  # public: another openpyxl version
            cell._style = StyleArray(styles[style_id])
            set_cell(cell, value)
            stored[col] = cell._value
        self.ws.row_dimensions[row].height = row_height(widths, stored)

    def xml(self) -> bytes:
        """The rows' XML, as lxml writes it (ASCII, every other character as a reference)."""
        return "".join(self._parts).encode("ascii", "xmlcharrefreplace")


def sheet_rows(ws: Any) -> SheetRows | None:
    """The rows given to `ws` as XML (`SheetRows`), if any."""
    rows = getattr(ws, "_udviklingsdag_rows", None)
    return rows if isinstance(rows, SheetRows) and rows.as_xml else None


def _xml_text(text: str) -> str:
    """Text escaped as lxml escapes an element's text."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


def _header_text(text: str) -> str:
    # '&' starts a code in Excel page headers; the 255-character limit covers the codes too.
    return clean_cell_text(text).replace("&", "&&").replace("\n", " ")[:110]


# --- layout ------------------------------------------------------------------------------------


def _title(ws: Worksheet, text: str, intro: str, width_cols: int) -> None:
    set_cell(ws.cell(TITLE_ROW, 1), text)
    ws.cell(TITLE_ROW, 1).font = _TITLE
    set_cell(ws.cell(INTRO_ROW, 1), intro)
    ws.cell(INTRO_ROW, 1).font = _INTRO
    ws.row_dimensions[TITLE_ROW].height = 22


def _write_table(
    ws: Worksheet,
    header_row: int,
    columns: tuple[SheetColumn, ...],
    rows: list[list[Any]],
    blank_rows: int = 0,
) -> int:
    """Header + rows from `header_row`; returns the last row used."""
    for j, col in enumerate(columns, start=1):
        cell = ws.cell(header_row, j)
        _styled(cell, "head", font=_BOLD, fill=_HEAD_FILL, alignment=_HEAD_ALIGN, border=_BORDER)
        set_cell(cell, col.header)
        letter = get_column_letter(j)
        current = ws.column_dimensions[letter].width
        ws.column_dimensions[letter].width = max(col.width, current or 0)
    widths = {
        j: ws.column_dimensions[get_column_letter(j)].width or 9 for j in range(1, len(columns) + 1)
    }
    fit_row_height(ws, header_row, widths, bold=True)
    context = [j for j, col in enumerate(columns, start=1) if col.key in CONTEXT_KEYS]
    r = header_row
    for values in rows:
        r += 1
        if context:
            values = _shortened_context(values, context, widths)
        written: dict[int, Any] = {}
        for j, value in enumerate(values, start=1):
            # openpyxl's private `_get_cell`: `ws.cell(r, j)` checks its arguments on every call.
            cell = ws._get_cell(r, j)
            _styled(cell, "body", alignment=_WRAP, border=_BORDER)
            set_cell(cell, value)
            written[j] = cell._value
        _set_row_height(ws, r, widths, written)
    for _ in range(blank_rows):
        r += 1
        for j in range(1, len(columns) + 1):
            _styled(ws.cell(r, j), "body", alignment=_WRAP, border=_BORDER)
    return r


# The columns that repeat the text of the row a row belongs to (the mål beside each tegn, the
# prøvehandling beside each evaluering): there to read, not to import (the number beside them
# says which), and the full text is on its own sheet. A long one is shortened («…») to the
# height the row's own text needs (at least `CONTEXT_MIN_LINES` lines), so a long mål neither
# makes every tegn row a page tall nor is cut off at Excel's largest row height.
CONTEXT_KEYS = frozenset({"maal", "proevehandling", "tegn"})
CONTEXT_MIN_LINES = 6
SHORTENED = " …"


def _shortened_context(
    values: list[Any], context: list[int], widths: dict[int, float]
) -> list[Any]:
    """`values` with the long texts in the `context` columns (1-based) shortened; the same
    list when none is long."""
    out = values
    own: int | None = None
    for j in context:
        text = values[j - 1]
        width = widths[j]
        if not isinstance(text, str) or len(text) <= CONTEXT_MIN_LINES * _per_line(width):
            continue
        if own is None:
            own = CONTEXT_MIN_LINES
            for k, value in enumerate(values, start=1):
                if k not in context and value is not None and k in widths:
                    shown = value.strftime("%d-%m-%Y") if isinstance(value, date) else str(value)
                    own = max(own, _lines_needed(shown, widths[k]))
        if _lines_needed(text, width) > own:
            if out is values:
                out = list(values)
            out[j - 1] = shorten_to_lines(text, width, own)
    return out


def _per_line(width: float) -> int:
    return max(1, int(width * 1.15) - 1)


def shorten_to_lines(text: str, width: float, lines: int) -> str:
    """`text` cut at a space and ended with «…» so it fills at most `lines` lines of a column
    `width` wide (as `_lines_needed` counts); unchanged when it fits."""
    if _lines_needed(text, width) <= lines:
        return text
    cut = text[: _per_line(width) * lines]
    while cut and _lines_needed(cut + SHORTENED, width) > lines:
        space = cut.rstrip().rfind(" ")
        cut = cut[:space].rstrip() if space > 0 else cut[: -_per_line(width)]
    return cut.rstrip() + SHORTENED


def _finish_sheet(
    ws: Worksheet,
    *,
    title: str,
    when: date,
    header_rows: list[int],
    last_row: int,
    last_col: int,
    footer_left: str,
) -> None:
    """Print setup: print area, landscape A4 fitted to one page wide, repeated header row,
    title and date in the page header, reference and page number in the footer."""
    first_header = header_rows[0]
    if first_header <= FREEZE_MAX_ROW:
        # Not under a long list of mål without tegn: frozen rows would fill the screen.
        ws.freeze_panes = f"A{first_header + 1}"  # (`ws.cell` would make a cell there)
    ws.print_area = f"A1:{get_column_letter(last_col)}{max(last_row, first_header + 1)}"
    ws.print_title_rows = f"{first_header}:{first_header}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.oddHeader.left.text = _header_text(title)
    ws.oddHeader.left.size = 10
    ws.oddHeader.right.text = _header_text(f"Udskrevet {when.strftime('%d-%m-%Y')}")
    ws.oddHeader.right.size = 10
    ws.oddFooter.left.text = _header_text(footer_left)
    ws.oddFooter.left.size = 8
    ws.oddFooter.right.text = "Side &P af &N"
    ws.oddFooter.right.size = 8


def _add_list(ws: Worksheet, values: list[str], col: int, first_row: int, last_row: int) -> None:
    # A drop-down makes a typed value match what the import expects; other values stay allowed
    # (with a warning) so a pasted old sheet is not blocked. It covers its own table's rows
    # only (`last_row`): the next table on the sheet has other columns in the same letters.
    dv = DataValidation(
        type="list",
        formula1='"' + ",".join(values) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        error="Vælg en af værdierne på listen.",
        errorTitle="Ukendt værdi",
    )
    letter = get_column_letter(col)
    dv.add(f"{letter}{first_row}:{letter}{last_row}")
    ws.add_data_validation(dv)


def _col(columns: tuple[SheetColumn, ...], key: str) -> int:
    return next(i for i, c in enumerate(columns, start=1) if c.key == key)


def _labels(enum: type[StrEnum]) -> list[str]:
    return [enums.label(m) for m in enum]


def _meta_block(ws: Worksheet, values: dict[str, str]) -> int:
    """The plan's fields as label/value pairs (two pairs per row); returns the last row."""
    last = META_FIRST_ROW
    for i, (key, label, _aliases) in enumerate(META_FIELDS):
        left = i < META_LEFT
        row = META_FIRST_ROW + (i if left else i - META_LEFT)
        col = 1 if left else 3
        lab = ws.cell(row, col)
        _styled(lab, "meta_label", font=_BOLD, fill=_META_FILL, border=_BORDER, alignment=_WRAP)
        set_cell(lab, label)
        val = ws.cell(row, col + 1)
        _styled(val, "meta_value", alignment=_WRAP_LEFT, border=_BORDER)
        set_cell(val, values.get(key, ""))
        last = max(last, row)
    widths = {j: ws.column_dimensions[get_column_letter(j)].width or 9 for j in (1, 2, 3, 4)}
    for row in range(META_FIRST_ROW, last + 1):
        fit_row_height(ws, row, widths)
    return last


# --- gaps and the QR code -----------------------------------------------------------------------

# The mål that have nothing yet on del 1 (no tegn) or del 2 (no prøvehandlinger) are listed above
# the sheet's table, one row each: the mål's number, its text and the marker. Above the table
# header, the import never reads them (it reads a table's rows from its header down), so an
# edited workbook comes back without them; a tegn for such a mål is written in the table.
GAP_SHEETS: dict[str, tuple[str, str]] = {
    SHEET_DEL1: ("Mål uden tegn endnu (skriv tegnene i tabellen herunder)", content.NO_TEGN),
    SHEET_DEL2: (
        "Mål uden prøvehandlinger endnu (skriv dem i tabellen herunder)",
        content.NO_PROEVEHANDLINGER,
    ),
}
_GAP_FILL = PatternFill("solid", fgColor="FCE4D6")
_GAP_FONT = Font(italic=True, color="9C3D00")
_GAP_HEAD = Font(bold=True, color="9C3D00")
# Frozen header rows further down than this would fill the screen (a long list of gaps).
FREEZE_MAX_ROW = 12


def gap_maal(view: MaalplanView, sheet: str) -> list[Any]:
    """The mål of `view` that have nothing on `sheet` yet (del 1: tegn, del 2: prøvehandlinger)."""
    if sheet == SHEET_DEL1:
        return [m for m in view.maal if not m.tegn]
    if sheet == SHEET_DEL2:
        return [m for m in view.maal if not m.proevehandlinger]
    return []


def _gap_block(ws: Worksheet, view: MaalplanView, sheet: str, start: int) -> int:
    """The mål without tegn (del 1) or prøvehandlinger (del 2) from row `start`: a heading row,
    then per mål its number (column A), its text (B) and the marker (C to the table's end).
    Returns the row for the table's header (`start` when nothing is missing)."""
    gaps = gap_maal(view, sheet)
    if not gaps:
        return start
    heading, marker = GAP_SHEETS[sheet]
    last_col = len(TABLES["tegn" if sheet == SHEET_DEL1 else "proevehandling"][1])
    set_cell(ws.cell(start, 1), heading)
    ws.cell(start, 1).font = _GAP_HEAD
    widths = {j: ws.column_dimensions[get_column_letter(j)].width or 9 for j in (1, 2, 3)}
    # The marker's cell spans C to the last column: its width for the row height.
    widths[3] = sum(
        ws.column_dimensions[get_column_letter(j)].width or 9 for j in range(3, last_col + 1)
    )
    row = start
    for m in gaps:
        row += 1
        for j in range(1, last_col + 1):
            _styled(
                ws.cell(row, j),
                "gap",
                fill=_GAP_FILL,
                border=_BORDER,
                alignment=_WRAP,
                font=_GAP_FONT,
            )
        set_cell(ws.cell(row, 1), str(m.nr))
        set_cell(ws.cell(row, 2), m.tekst)
        set_cell(ws.cell(row, 3), marker)
        _merge(ws, f"C{row}:{get_column_letter(last_col)}{row}")
        fit_row_height(ws, row, widths)
    return row + 2


def _merge(ws: Worksheet, ref: str) -> None:
    """Merge the empty cells of `ref` into its first one. `ws.merge_cells` also replaces each
    covered cell and redraws the borders, a few milliseconds a range; the cells here are
    empty and already styled alike, so the range is only recorded (the same XML)."""
    ws.merged_cells.add(MergedCellRange(ws, ref))


def _qr_block(ws: Worksheet, qr_png: bytes, reference_text: str, last_col: int) -> None:
    """The QR code at the top right of FØR (in the printed area, beside the plan's fields) and
    the reference beside it, in the two columns to its left."""
    from .reference import parse_reference

    image = _PngImage(qr_png)
    image.width = image.height = QR_PIXELS
    ws.add_image(image, f"{get_column_letter(last_col)}{TITLE_ROW}")
    ref = parse_reference(reference_text)
    short = f"Reference {ref.short}" if ref is not None else "Reference"
    col = max(META_TEXT_COL, last_col - 2)
    cell = ws.cell(META_FIRST_ROW, col)
    _styled(cell, "qr_text", font=_QR_FONT, alignment=_QR_ALIGN)
    set_cell(
        cell,
        f"{short}\n{reference_text}\nTjek udskriften: scan QR-koden og brug "
        "«udviklingsdag verify --reference».",
    )
    _merge(
        ws,
        f"{get_column_letter(col)}{META_FIRST_ROW}:"
        f"{get_column_letter(last_col - 1)}{META_FIRST_ROW + META_LEFT - 1}",
    )


class _PngImage(Image):  # type: ignore[misc]  # openpyxl is untyped
    """A PNG for a sheet, from its bytes: openpyxl's `Image` opens it with Pillow twice (for its
    size, then again to write it), which cost more than the rest of the QR code."""

    def __init__(self, png: bytes) -> None:
        self.ref = png
        self.format = "png"
        self.width, self.height = struct.unpack(">II", png[16:24])  # the IHDR chunk

    def _data(self) -> bytes:
        return self.ref


# About 4 cm (96 pixels an inch), some 3 cm when the sheet is fitted to the page width: about as
# large as the QR code in the .docx, within the rows of the plan's fields.
QR_PIXELS = 150
# The first column the reference text may use (right of the plan's fields in A:D).
META_TEXT_COL = 5
_QR_FONT = Font(size=8, color="595959")
_QR_ALIGN = Alignment(wrap_text=True, vertical="top", horizontal="right")


# --- the workbook --------------------------------------------------------------------------------


# A cell of a table: (the view of the row it belongs to, the row's view) -> value. The row it
# belongs to is the mål of a tegn, prøvehandling or samarbejde, the prøvehandling of an
# evaluering, and nothing for a mål.
_Getter = Callable[[Any, Any], Any]

# The columns around the fields (numbers and the row it belongs to), by table and key.
_CONTEXT_CELLS: dict[str, dict[str, _Getter]] = {
    "maal": {
        "nr": lambda _up, m: m.nr,
        "maalsaetning": lambda _up, m: m.maalsaetning_tekst,
        "kilde": lambda _up, m: content.kilde_label(m.maalsaetning_kilde),
    },
    "tegn": {
        "maal_nr": lambda m, _t: m.nr,
        "maal": lambda m, _t: m.tekst,
        "nr": lambda _m, t: t.nr,
    },
    "proevehandling": {
        "maal_nr": lambda m, _p: m.nr,
        "maal": lambda m, _p: m.tekst,
        "nr": lambda _m, p: p.nr,
    },
    "samarbejde": {"maal_nr": lambda m, _s: m.nr, "maal": lambda m, _s: m.tekst},
    "evaluering": {
        "proevehandling_nr": lambda p, _e: p.nr,
        "proevehandling": lambda p, _e: p.tekst,
    },
    # A læring's prøvehandling, or none: the plan's own (its number left empty).
    "laering": {
        "proevehandling_nr": lambda p, _l: p.nr if p is not None else None,
        "proevehandling": lambda p, _l: p.tekst if p is not None else PLAN_LAERING,
    },
    # A måling's (mål, tegn).
    "maaling": {
        "maal_nr": lambda up, _x: up[0].nr,
        "tegn_nr": lambda up, _x: up[1].nr,
        "tegn": lambda up, _x: up[1].tekst,
    },
}
# What the Prøvehandling column of the Læring table says for the plan's own læring.
PLAN_LAERING = "Hele målplanen"
# References, shown by what they point at.
_REFERENCE_CELLS: dict[tuple[str, str], _Getter] = {
    ("proevehandling", "tegn_ids"): lambda _m, p: content.tegn_nr_text(p.tegn_nr),
    ("samarbejde", "partner_ids"): lambda _m, s: content.partner_text(s.partner_navne),
    ("maalplan", "enhed_id"): lambda _up, plan: plan.enhed_navn,
}


def _field_cell(entity: str, spec: FieldSpec) -> _Getter:
    """How a field's value is written in its cell: a choice by its label, yes/no as ja/nej,
    Plan A as «1, 6», a reference by what it points at, anything else as it is."""
    name = spec.name
    if spec.kind in ("ref", "reflist"):
        return _REFERENCE_CELLS[(entity, name)]
    if spec.kind == "enum":
        enum = cast(type[StrEnum], spec.enum)
        return lambda _up, row: enums.choice_label(enum, getattr(row, name))
    if spec.kind == "bool":
        return lambda _up, row: content.ja_nej(getattr(row, name))
    if spec.kind == "intlist":
        return lambda _up, row: content.plan_a_numbers(getattr(row, name))
    return lambda _up, row: getattr(row, name)


def _cells(entity: str) -> tuple[_Getter, ...]:
    fields = ENTITIES[entity].fields
    context = _CONTEXT_CELLS[entity]
    return tuple(
        context[c.key] if c.key in context else _field_cell(entity, fields[c.key])
        for c in TABLES[entity][1]
    )


_TABLE_CELLS = {entity: _cells(entity) for entity in TABLES}
_META_CELLS = tuple((f.name, _field_cell("maalplan", f)) for f in sheet_fields("maalplan"))


def view_maalinger(tegn: Any) -> list[Any]:
    """The målinger of a tegn of the view (`TegnView.maalinger`), in date order; none when
    the view does not carry them."""
    found = getattr(tegn, "maalinger", None) or []
    return sorted(found, key=lambda x: x.dato or date.min)  # stable: the view's order within a day


def view_laeringer(owner: Any) -> list[Any]:
    """The læring of a prøvehandling or of the plan itself (`ProevehandlingView.laeringer`,
    `MaalplanView.laeringer`), in date order; none when the view does not carry them."""
    found = getattr(owner, "laeringer", None) or []
    return sorted(found, key=lambda x: x.dato or date.min)


def _rows_of(view: MaalplanView) -> dict[str, list[tuple[Any, Any]]]:
    """(the row it belongs to, the row) of every row of each table but the målinger, in plan
    order."""
    return {
        "maal": [(None, m) for m in view.maal],
        "tegn": [(m, t) for m in view.maal for t in m.tegn],
        "proevehandling": [(m, p) for m in view.maal for p in m.proevehandlinger],
        "samarbejde": [(m, s) for m in view.maal for s in m.samarbejder],
        "evaluering": [
            (p, e) for m in view.maal for p in m.proevehandlinger for e in p.evalueringer
        ],
        "laering": [(None, x) for x in view_laeringer(view)]
        + [(p, x) for m in view.maal for p in m.proevehandlinger for x in view_laeringer(p)],
    }


def _plan_rows(view: MaalplanView) -> dict[str, list[list[Any]]]:
    out = {
        entity: [[cell(up, row) for cell in _TABLE_CELLS[entity]] for up, row in rows]
        for entity, rows in _rows_of(view).items()
    }
    out["maaling"] = _maaling_rows(view)
    return out


def _maaling_rows(view: MaalplanView) -> list[list[Any]]:
    """The Målinger sheet's rows: per tegn, in plan order, its målinger by date and then
    `MAALING_BLANK_ROWS` empty rows with the tegn's number for the next ones. The tegn's
    text stands in the first row of its group only, so the group reads as one block."""
    cells = _TABLE_CELLS["maaling"]
    keys = [c.key for c in TABLES["maaling"][1]]
    text_col = keys.index("tegn")
    rows: list[list[Any]] = []
    for m in view.maal:
        for t in m.tegn:
            group: list[list[Any]] = [
                [cell((m, t), x) for cell in cells] for x in view_maalinger(t)
            ]
            blank: list[Any] = [None] * len(cells)
            blank[keys.index("maal_nr")], blank[keys.index("tegn_nr")] = m.nr, t.nr
            blank[text_col] = t.tekst
            group += [list(blank) for _ in range(MAALING_BLANK_ROWS)]
            for row in group[1:]:
                row[text_col] = None
            rows += group
    return rows


def _meta_values(view: MaalplanView | None) -> dict[str, Any]:
    if view is None:
        return {}
    return {name: cell(None, view) for name, cell in _META_CELLS}


def _format_dates(ws: Worksheet, kind: str, first: int, last: int) -> None:
    fields = ENTITIES[kind].fields
    for j, col in enumerate(TABLES[kind][1], start=1):
        if col.key in fields and fields[col.key].kind == "date":
            for r in range(first, last + 1):
                ws.cell(r, j).number_format = "DD-MM-YYYY"


def build_workbook(
    view: MaalplanView | None,
    *,
    when: date,
    reference_text: str = "",
    app_version: str = "",
    template: bool = False,
    qr_png: bytes | None = None,
    known_changes: str = "",
) -> Workbook:
    """The målplanskabelon for one plan (or blank when `view` is None / `template` is set).
    With `qr_png` and `reference_text`, FØR carries the QR code and the reference at the top
    right, so a printed copy can be checked like the .docx and .pdf."""
    wb = Workbook()
    first = wb.active
    if template:
        first.title = SHEET_VEJLEDNING
        _instructions(first)
    else:
        wb.remove(first)
    rows = _plan_rows(view) if view is not None and not template else {k: [] for k in TABLES}
    blank = TEMPLATE_ROWS if template else 0
    plan_title = clean_cell_text(view.titel) if view is not None else "Målplan"
    footer = f"Reference: {reference_text}" if reference_text else "udviklingsdag"

    for sheet in SHEETS:
        ws = wb.create_sheet(sheet)
        ws.sheet_view.zoomScale = 100
        _title(ws, f"{plan_title} - {sheet}", SHEET_INTRO[sheet], 6)
        header_rows: list[int] = []
        last_col = 1
        kinds = [k for k, (s, _c, _n) in TABLES.items() if s == sheet]
        for kind in kinds:
            for j, col in enumerate(TABLES[kind][1], start=1):
                letter = get_column_letter(j)
                ws.column_dimensions[letter].width = max(
                    col.width, ws.column_dimensions[letter].width or 0
                )
        # FØR starts with the plan's own fields; the other sheets go straight to their table,
        # after the mål that have nothing on the sheet yet (del 1 and del 2).
        if sheet == SHEET_FOER:
            start = _meta_block(ws, _meta_values(view)) + 2
            if qr_png and reference_text:
                _qr_block(ws, qr_png, reference_text, len(TABLES["maal"][1]))
        else:
            start = INTRO_ROW + 2
            if view is not None and not template and sheet in GAP_SHEETS:
                start = _gap_block(ws, view, sheet, start)
        tables: list[tuple[str, int, int]] = []  # kind, first row, last row
        for kind in kinds:
            _sheet, columns, _name = TABLES[kind]
            header_rows.append(start)
            last = _write_table(ws, start, columns, rows[kind], blank)
            _format_dates(ws, kind, start + 1, last)
            tables.append((kind, start + 1, last))
            last_col = max(last_col, len(columns))
            start = last + 3
        for n, (kind, first_row, last) in enumerate(tables):
            # A table's rows reach to the row above the next table's header (what the import
            # reads as its rows), the sheet's last table as far as anybody types.
            end = tables[n + 1][1] - 2 if n + 1 < len(tables) else first_row + VALIDATION_ROWS
            _validations(ws, kind, TABLES[kind][1], first_row, max(end, last))
        _finish_sheet(
            ws,
            title=f"{plan_title} - {sheet}",
            when=when,
            header_rows=header_rows,
            last_row=start - 3,
            last_col=last_col,
            footer_left=footer,
        )

    props = wb.properties
    props.title = plan_title if not template else "Målplanskabelon"
    props.title = props.title[:255]
    props.subject = "Målplan" + (f" {view.aar}" if view and view.aar else "")
    props.creator = f"udviklingsdag {app_version}".strip()
    props.lastModifiedBy = props.creator
    props.language = "da-DK"
    props.keywords = "målplan; målplanskabelon" + (f"; {reference_text}" if reference_text else "")
    wb.custom_doc_props.append(
        IntProperty(name=TEMPLATE_FORMAT_PROPERTY, value=TEMPLATE_FORMAT_VERSION)
    )
    if reference_text:
        # verify reads this back; it is the reference in its one-line form.
        props.identifier = reference_text
    # Office keeps at most 255 characters of a text property, and the position holds one
    # entry of about 100 characters per laptop: it goes in parts («…», «…2», «…3», …).
    for n, start in enumerate(range(0, len(known_changes), PROPERTY_TEXT_MAX), start=1):
        wb.custom_doc_props.append(
            StringProperty(
                name=KNOWN_CHANGES_PROPERTY + (str(n) if n > 1 else ""),
                value=known_changes[start : start + PROPERTY_TEXT_MAX],
            )
        )
    return wb


def _validations(
    ws: Worksheet, kind: str, columns: tuple[SheetColumn, ...], first_row: int, last_row: int
) -> None:
    """Drop-down lists for the columns that hold a choice or yes/no, on the table's rows
    `first_row`..`last_row`."""
    fields = ENTITIES[kind].fields
    for j, col in enumerate(columns, start=1):
        spec = fields.get(col.key)
        if kind == "maal" and col.key == "kilde":  # the målsætning's, beside the mål
            _add_list(ws, _labels(enums.Kilde), j, first_row, last_row)
        elif spec is not None and spec.kind == "enum":
            _add_list(ws, _labels(cast(type[StrEnum], spec.enum)), j, first_row, last_row)
        elif spec is not None and spec.kind == "bool":
            _add_list(ws, ["ja", "nej"], j, first_row, last_row)


def _instructions(ws: Worksheet) -> None:
    lines = [
        ("Målplanskabelon - sådan udfylder du den", _TITLE),
        ("", None),
        (
            "Skabelonen har et ark for hvert trin i forløbet: FØR, UNDER udviklingsdage del 1, "
            "UNDER udviklingsdage del 2 og EFTER. Udfyld arkene i den rækkefølge. Arket "
            "Målinger fylder I ud gennem året, efterhånden som I måler på tegnene.",
            None,
        ),
        ("", None),
        ("FØR", _BOLD),
        (
            "Øverst: målplanens titel, enhed, år og ansvarlig (skal udfyldes). Sagsnummer "
            "(fx 00.01.00-G01-12-24) og KLE-nummer kan udfyldes, når sagen findes i SBSYS.",
            None,
        ),
        (
            "Tabellen: ét mål pr. række. «Mål nr» er et løbenummer (1, 2, 3 ...), som de andre ark "
            "henviser til. Skriv målsætningen ud i hver række. Kilde er Politik eller "
            "Budgetaftale. Samarbejdspartnere adskilles med semikolon.",
            None,
        ),
        ("UNDER udviklingsdage del 1", _BOLD),
        (
            "Ét tegn pr. række. Skriv målets nummer i «Mål nr». Type er Kvantitativ (tal) eller "
            "Kvalitativ (faglige iagttagelser). «Tegn nr» kan stå tomt.",
            None,
        ),
        ("UNDER udviklingsdage del 2", _BOLD),
        (
            "Én prøvehandling pr. række, med målets nummer i «Mål nr». Datoer skrives som "
            "24-01-2024. «Tegn den følger» er tegnenes numre, fx 1.1, 1.2.",
            None,
        ),
        ("EFTER", _BOLD),
        (
            "Samarbejder: målets nummer, partnerne (adskilt med semikolon) og niveauet "
            "(Vidensniveau, Koordinationsniveau eller Samskabelsesniveau). Evalueringer: "
            "prøvehandlingens nummer (fx 1.1), Undervejs eller Afslutning, dato, effekt og læring.",
            None,
        ),
        (
            "Læring: dato, det I har lært og hvem der skrev det. Skriv prøvehandlingens nummer "
            "(fx 1.1), eller lad det stå tomt, når læringen gælder hele målplanen.",
            None,
        ),
        ("Målinger", _BOLD),
        (
            "Én måling pr. række: tegnets nummer (fx 1.2), datoen og værdien (et tal som 12,5 "
            "eller 45 %) for et kvantitativt tegn eller en observation for et kvalitativt. "
            "Kilde og «Registreret af» kan udfyldes. Under hvert tegn står tomme rækker klar "
            "til de næste målinger; tomme rækker springes over ved indlæsning.",
            None,
        ),
        ("", None),
        (
            "Indlæs den udfyldte skabelon med:  udviklingsdag import FIL.xlsx  (prøv først med "
            "--dry-run). Fejl meldes med ark, række og kolonne, og intet indlæses, før de er "
            "rettet.",
            None,
        ),
    ]
    ws.column_dimensions["A"].width = 72
    for i, (text, font) in enumerate(lines, start=1):
        cell = ws.cell(i, 1)
        set_cell(cell, text)
        cell.alignment = _WRAP
        if font is not None:
            cell.font = font
        fit_row_height(ws, i, {1: 72}, line=20 if font is _TITLE else 15)
    ws.print_area = f"A1:A{len(lines)}"
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


# --- writing the file ----------------------------------------------------------------------------
#
# openpyxl writes every sheet to a temporary file, zips it and deletes it, and looks up each
# cell's style in the workbook's style list by hashing it. `_ExcelWriter` and `_SheetWriter`
# write the same XML from memory, the sheets' zip entries as openpyxl makes them from its
# temporary files (a regular file, mode 600, stamped with the time it is written), and remember
# the style ids. Anything openpyxl would write differently (formulas, dates, links, comments,
# another openpyxl version) goes through openpyxl's own code.

_FAST_WRITER = openpyxl.__version__.startswith("3.1.")
_SPACE = f"{{{XML_NS}}}space"


class _SheetWriter(WorksheetWriter):  # type: ignore[misc]  # openpyxl is untyped
    def __init__(self, ws: Worksheet) -> None:
        super().__init__(ws, out=io.BytesIO())
        self._style_ids: dict[bytes, int] = {}

    def write_dimensions(self) -> None:
        rows = sheet_rows(self.ws)
        if rows is None or not rows.last_row:
            super().write_dimensions()
            return
        cells = self.ws._cells
        if cells and max(row for row, _ in cells) >= rows.first_row:
            raise ValueError(f"arket {self.ws.title} har celler under sine XML-rækker")
        min_row = min((row for row, _ in cells), default=rows.first_row)
        min_col = min((col for _, col in cells), default=1)
        max_col = max(max((col for _, col in cells), default=1), rows.last_col)
        ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{rows.last_row}"
        self.xf.send(SheetDimension(ref).to_tree())

    def write_row(self, xf: Any, row: list[Cell], row_idx: int) -> None:
        attrs = {"r": f"{row_idx}"}
        attrs.update(self.ws.row_dimensions.get(row_idx, {}))
        with xf.element("row", attrs):
            for cell in row:
                if cell._comment is not None:
                    self.ws._comments.append(CommentRecord.from_cell(cell))
                styled = cell.has_style
                if cell._value is None and not styled and not cell._comment:
                    continue
                if type(cell) is not Cell:  # a merged cell's covered part: openpyxl's way
                    _openpyxl_write_cell(xf, self.ws, cell, styled)
                    continue
                self._write_cell(xf, cell, styled)

    def _write_cell(self, xf: Any, cell: Cell, styled: bool) -> None:
        kind, value = cell.data_type, cell._value
        if (
            kind not in ("s", "n")
            or cell._hyperlink
            or not (value is None or type(value) is (str if kind == "s" else int))
        ):
            _openpyxl_write_cell(xf, self.ws, cell, styled)
            return
        attrs = {"r": f"{get_column_letter(cell.column)}{cell.row}"}
        if styled:
            key = cell._style.tobytes()
            style_id = self._style_ids.get(key)
            if style_id is None:
                style_id = self._style_ids[key] = cell.style_id
            attrs["s"] = f"{style_id}"
        attrs["t"] = "inlineStr" if kind == "s" else kind
        with xf.element("c", attrs):
            if value is None or value == "":
                return
            if isinstance(value, str):  # kind "s" (text); "n" holds an int
                with xf.element("is"):
                    text = Element("t", {_SPACE: "preserve"} if value != value.strip() else {})
                    text.text = value
                    xf.write(text)
            else:
                with xf.element("v"):
                    xf.write(safe_string(value))


class _ExcelWriter(ExcelWriter):  # type: ignore[misc]  # openpyxl is untyped
    def write_worksheet(self, ws: Worksheet) -> None:
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = _SheetWriter(ws)
        writer.write()
        ws._rels = writer._rels
        info = zipfile.ZipInfo(ws.path[1:], date_time=time.localtime(time.time())[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o100600 << 16
        data = writer.read()
        rows = sheet_rows(ws)
        if rows is not None:
            end = data.index(b"</sheetData>")
            data = data[:end] + rows.xml() + data[end:]
        self._archive.writestr(info, data)
        self.manifest.append(ws)


def workbook_bytes(wb: Workbook) -> bytes:
    """Serialise a workbook to .xlsx bytes."""
    buf = io.BytesIO()
    if not _FAST_WRITER or wb.write_only:
        wb.save(buf)
        return buf.getvalue()
    # What `wb.save` does, with the writer above.
    archive = zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    wb.properties.modified = datetime.now(tz=UTC).replace(tzinfo=None)
    _ExcelWriter(wb, archive).save()
    return buf.getvalue()


def stamped_workbook_bytes(wb: Workbook) -> bytes:
    """`workbook_bytes`, with the digest of the workbook's own text in its identifier (what
    `verify` compares): taken from the workbook in memory, or from the saved file when a cell's
    written form is not followed there (`reference.stamp_workbook`)."""
    from .reference import stamp_text_digest, stamp_workbook

    if stamp_workbook(wb):
        return workbook_bytes(wb)
    return stamp_text_digest("arbejdsbog.xlsx", workbook_bytes(wb))


def maalplan_xlsx(
    view: MaalplanView,
    *,
    when: date,
    reference_text: str = "",
    app_version: str = "",
    qr_png: bytes | None = None,
    known_changes: str = "",
    stamp: bool = False,
) -> bytes:
    """The filled målplanskabelon of one plan, as .xlsx bytes (with the QR code on FØR when
    `qr_png` and `reference_text` are given, and the change log's position at the export when
    `known_changes` is, `models.kladde.known_changes`). With `stamp`, the digest of its own
    text goes in its identifier (the SBSYS package's copy, which `verify` compares)."""
    wb = build_workbook(
        view,
        when=when,
        reference_text=reference_text,
        app_version=app_version,
        qr_png=qr_png,
        known_changes=known_changes,
    )
    return stamped_workbook_bytes(wb) if stamp else workbook_bytes(wb)


def template_xlsx(*, when: date, app_version: str = "") -> bytes:
    """A blank, self-explaining målplanskabelon (with a Vejledning sheet), as .xlsx bytes."""
    return workbook_bytes(build_workbook(None, when=when, app_version=app_version, template=True))
