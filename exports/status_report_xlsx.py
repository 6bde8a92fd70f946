"""The August status for the Kommunalbestyrelsen as an Excel workbook to filter and sort
(openpyxl), from `models.status_report.StatusReport`: what the PDF and the .docx say
(`exports.status_report_docs`), one row per thing.

Sheets: «Oversigt» (the title, the first page's sentences, the roll-up per målsætning with the
number of mål per assessment, the QR code and the reference), «Mål» (one row per mål with its
assessment), «Tegn» (the latest måling against baseline and expected level), «Prøvehandlinger»
(status and evaluated effect) and «Læring». Each table has its header in one frozen row, an
autofilter, column widths, its header row repeated on every printed page and dates and
numbers as real cells (Danish formats: dd-mm-åååå, decimal comma in a Danish Excel). Every
text goes through `exports.xlsx.set_cell`, so a text that starts with «=» stays text.

The reference is in the core properties' identifier, where `verify` reads it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from models import enums
from models.status_report import ORDER, MaalStatus, StatusReport, label

from .reference import Reference
from .status_report_docs import (
    CATEGORY,
    KEYWORDS,
    QR_NOTE,
    SUBJECT,
    effekt_text,
    intro,
    proeve_numbers,
    title,
)
from .xlsx import (
    _BOLD,
    _BORDER,
    _HEAD_ALIGN,
    _HEAD_FILL,
    _WRAP,
    SheetRows,
    _finish_sheet,
    _merge,
    _PngImage,
    _styled,
    fit_row_height,
    set_cell,
    stamped_workbook_bytes,
)

SHEET_OVERSIGT = "Oversigt"
SHEET_MAAL = "Mål"
SHEET_TEGN = "Tegn"
SHEET_PROEVEHANDLINGER = "Prøvehandlinger"
SHEET_LAERING = "Læring"
SHEETS = (SHEET_OVERSIGT, SHEET_MAAL, SHEET_TEGN, SHEET_PROEVEHANDLINGER, SHEET_LAERING)

DATE_FORMAT = "DD-MM-YYYY"
# A Danish Excel shows these with its own separators: «1.234» and «12,5».
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0#"
# About 4 cm, as the QR code on the målplan's FØR sheet (`exports.xlsx.QR_PIXELS`).
QR_PIXELS = 150
_POINTS_PER_PIXEL = 0.75  # 96 pixels an inch, 72 points an inch
_DEFAULT_ROW_POINTS = 15.0

_TITLE_FONT = Font(bold=True, size=14)
_INTRO_FONT = Font(italic=True, color="444444")
_SENTENCE_FONT = Font(size=12)
_QR_FONT = Font(size=8, color="595959")
_QR_ALIGN = Alignment(wrap_text=True, vertical="top", horizontal="left")


@dataclass(frozen=True, slots=True)
class Column:
    """A column of a sheet's table: its header, width (Excel's units) and what its cells hold:
    `text`, `date`, `number` (a measured value) or `count` (a whole number)."""

    header: str
    width: float
    kind: str = "text"


POLITIK = Column("Politik", 22)
MAALSAETNING = Column("Målsætning", 36)
ENHED = Column("Enhed", 20)
MAAL = Column("Mål", 40)

ROLLUP_COLUMNS: tuple[Column, ...] = (
    POLITIK,
    MAALSAETNING,
    Column("Mål", 7, "count"),
    *(Column(label(v), 11, "count") for v in ORDER),
    Column("Samlet vurdering", 20),
)
MAAL_COLUMNS: tuple[Column, ...] = (
    POLITIK,
    MAALSAETNING,
    ENHED,
    Column("Målplan", 24),
    MAAL,
    Column("Ansvarlig", 18),
    Column("Vurdering", 18),
    Column("Begrundelse", 50),
    Column("Dato", 12, "date"),
    Column("Hvem", 18),
)
TEGN_COLUMNS: tuple[Column, ...] = (
    ENHED,
    MAAL,
    Column("Tegn", 40),
    Column("Type", 12),
    Column("Udgangspunkt", 16),
    Column("Forventet niveau", 16),
    Column("Seneste måling", 12, "number"),
    Column("Dato", 12, "date"),
    Column("Observation", 40),
    Column("Antal målinger", 10, "count"),
    # Målinger dated after the day the report was made: not counted above, not the latest.
    Column("Dateret efter rapportens dag (ikke med)", 14, "count"),
)
PROEVE_COLUMNS: tuple[Column, ...] = (
    ENHED,
    MAAL,
    Column("Nr", 5, "count"),
    Column("Prøvehandling", 44),
    Column("Status", 14),
    Column("Status dato", 12, "date"),
    Column("Vurderet effekt", 50),
)
LAERING_COLUMNS: tuple[Column, ...] = (
    ENHED,
    MAAL,
    Column("Dato", 12, "date"),
    Column("Læring", 60),
    Column("Hvem", 18),
    Column("Fra prøvehandling", 36),
    Column("Skrevet i", 18),
)
# «Skrevet i»: the læring list, or the evaluering whose «Læring» field it was written in.
WRITTEN_IN_LIST = "Læring"
WRITTEN_IN: dict[str, str] = {
    enums.EvalueringType.UNDERVEJS: "Evaluering undervejs",
    enums.EvalueringType.AFSLUTNING: "Evaluering ved afslutning",
}


# --- the rows -------------------------------------------------------------------------------


def rollup_rows(report: StatusReport) -> list[list[Any]]:
    """Per målsætning: politik, målsætning, number of mål, the number per assessment (in
    `ORDER`) and the roll-up's word."""
    rows: list[list[Any]] = []
    for politik in report.politikker:
        for ms in politik.maalsaetninger:
            tally = dict(ms.rollup.fordeling)
            counts = [tally.get(v, 0) for v in ORDER]
            rows.append([politik.navn, ms.tekst, len(ms.maal), *counts, ms.rollup.label])
    return rows


def _maal_with_context(report: StatusReport) -> list[tuple[str, str, MaalStatus]]:
    return [
        (politik.navn, ms.tekst, m)
        for politik in report.politikker
        for ms in politik.maalsaetninger
        for m in ms.maal
    ]


def maal_rows(report: StatusReport) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for politik, maalsaetning, m in _maal_with_context(report):
        v = m.vurdering
        rows.append(
            [
                politik,
                maalsaetning,
                m.enhed_navn,
                m.maalplan_titel,
                m.tekst,
                m.ansvarlig,
                label(m.opfyldelse),
                v.begrundelse if v else None,
                v.dato if v else None,
                v.hvem if v else None,
            ]
        )
    return rows


def tegn_rows(report: StatusReport) -> list[list[Any]]:
    return [
        [
            m.enhed_navn,
            m.tekst,
            t.tekst,
            enums.label(t.type) if t.type else None,
            t.baseline,
            t.forventet_niveau,
            t.seneste_vaerdi,
            t.seneste_dato,
            t.seneste_observation,
            t.maalinger,
            t.senere or None,
        ]
        for m in report.maal
        for t in m.tegn
    ]


def proeve_rows(report: StatusReport) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for m in report.maal:
        numbers = proeve_numbers(m)
        for p in m.proevehandlinger:
            rows.append(
                [
                    m.enhed_navn,
                    m.tekst,
                    int(numbers[p.id]),
                    p.tekst,
                    enums.label(p.status) if p.status else None,
                    p.status_dato,
                    effekt_text(p),
                ]
            )
    return rows


def laering_rows(report: StatusReport) -> list[list[Any]]:
    """Per mål its læring; then the læring of each målplan as a whole, once (in the Mål
    column: «Hele målplanen: <titel>»)."""
    rows: list[list[Any]] = [
        [
            m.enhed_navn,
            m.tekst,
            line.dato,
            line.tekst,
            line.hvem,
            line.proevehandling,
            WRITTEN_IN.get(line.evaluering or "", WRITTEN_IN_LIST),
        ]
        for m in report.maal
        for line in m.laering
    ]
    for plan in report.planlaering:
        whole = f"Hele målplanen: {plan.maalplan_titel}"
        rows += [
            [plan.enhed_navn, whole, line.dato, line.tekst, line.hvem, None, WRITTEN_IN_LIST]
            for line in plan.laering
        ]
    return rows


# --- the sheets -----------------------------------------------------------------------------


def _widths(ws: Worksheet, columns: Sequence[Column]) -> dict[int, float]:
    for j, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(j)].width = col.width
    return {j: col.width for j, col in enumerate(columns, start=1)}


class _Styles:
    """The style ids of a table's cells: text, date, whole number and decimal number."""

    def __init__(self, rows: SheetRows) -> None:
        self.text = rows.style("status_text", alignment=_WRAP, border=_BORDER)
        self.date = rows.style(
            "status_date", alignment=_WRAP, border=_BORDER, number_format=DATE_FORMAT
        )
        self.whole = rows.style(
            "status_int", alignment=_WRAP, border=_BORDER, number_format=INTEGER_FORMAT
        )
        self.decimal = rows.style(
            "status_decimal", alignment=_WRAP, border=_BORDER, number_format=DECIMAL_FORMAT
        )


def _cell(styles: _Styles, column: Column, value: Any) -> tuple[int, Any]:
    """A table cell as (style id, value): text as text (never a formula), a date as a date, a
    number as a number, each in its Danish format."""
    if column.kind == "date" and isinstance(value, date):
        return styles.date, value
    if (
        column.kind in ("number", "count")
        and isinstance(value, (int, float))
        and not isinstance(value, bool)
    ):
        if float(value).is_integer():
            return styles.whole, int(value) if column.kind == "count" else value
        return styles.decimal, value
    return styles.text, value if value is None or isinstance(value, str) else str(value)


def _table(ws: Worksheet, header_row: int, columns: Sequence[Column], rows: list[list[Any]]) -> int:
    """The header and the rows from `header_row`, with an autofilter; returns the last row.
    The rows go in as XML (`exports.xlsx.SheetRows`): a large report has 200,000 cells."""
    widths = _widths(ws, columns)
    for j, col in enumerate(columns, start=1):
        cell = ws.cell(header_row, j)
        _styled(cell, "head", font=_BOLD, fill=_HEAD_FILL, alignment=_HEAD_ALIGN, border=_BORDER)
        set_cell(cell, col.header)
    fit_row_height(ws, header_row, widths, bold=True)
    table = SheetRows(ws)
    styles = _Styles(table)
    r = header_row
    for values in rows:
        r += 1
        cells = [_cell(styles, col, value) for col, value in zip(columns, values, strict=True)]
        table.add(r, cells, widths)
    last_col = get_column_letter(len(columns))
    ws.auto_filter.ref = f"A{header_row}:{last_col}{max(r, header_row + 1)}"
    return r


def _data_sheet(
    wb: Workbook,
    name: str,
    columns: Sequence[Column],
    rows: list[list[Any]],
    *,
    heading: str,
    when: date,
    ref: Reference,
) -> None:
    ws = wb.create_sheet(name)
    last = _table(ws, 1, columns, rows)
    _finish_sheet(
        ws,
        title=f"{heading} - {name}",
        when=when,
        header_rows=[1],
        last_row=last,
        last_col=len(columns),
        footer_left=f"Reference: {ref.text}",
    )


def _oversigt(
    wb: Workbook, report: StatusReport, ref: Reference, qr_png: bytes, *, when: date
) -> None:
    """Title, the sentences, the QR code with the reference at the top right, then the
    roll-up per målsætning."""
    ws = wb.active
    ws.title = SHEET_OVERSIGT
    widths = _widths(ws, ROLLUP_COLUMNS)
    n = len(ROLLUP_COLUMNS)
    text_cols = n - 3  # the text runs over A..F; the QR code and reference in the last two
    text_width = sum(widths[j] for j in range(1, text_cols + 1))
    qr_col = n - 1
    qr_width = widths[n - 1] + widths[n]
    letter = get_column_letter

    heading = title(report)
    set_cell(ws.cell(1, 1), heading)
    ws.cell(1, 1).font = _TITLE_FONT
    ws.row_dimensions[1].height = 22
    lines: list[tuple[str, Font, float]] = [(intro(report), _INTRO_FONT, 15.0)]
    lines += [(s, _SENTENCE_FONT, 18.0) for s in report.summary.saetninger]
    row = 2
    for text, font, line in lines:
        cell = ws.cell(row, 1)
        set_cell(cell, text)
        cell.font = font
        cell.alignment = _WRAP
        _merge(ws, f"A{row}:{letter(text_cols)}{row}")
        fit_row_height(
            ws, row, {1: text_width * (0.85 if font is _SENTENCE_FONT else 1.0)}, line=line
        )
        row += 1

    # The QR code at the top right; the reference and what it is for in the first row under it.
    image = _PngImage(qr_png)
    image.width = image.height = QR_PIXELS
    ws.add_image(image, f"{letter(qr_col)}1")
    qr_points = QR_PIXELS * _POINTS_PER_PIXEL
    below, top = 1, 0.0
    while top < qr_points + 4:
        top += ws.row_dimensions[below].height or _DEFAULT_ROW_POINTS
        below += 1
    cell = ws.cell(below, qr_col)
    cell.font = _QR_FONT
    cell.alignment = _QR_ALIGN
    set_cell(cell, f"Reference {ref.short}\n{ref.text}\n{QR_NOTE}")
    # Over the rows of the sentences beside it (the last one grows when they are too low).
    last = max(below, row - 1)
    _merge(ws, f"{letter(qr_col)}{below}:{letter(n)}{last}")
    heights = [ws.row_dimensions[r].height or _DEFAULT_ROW_POINTS for r in range(below, last + 1)]
    fit_row_height(ws, below, {qr_col: qr_width * 1.2}, line=11)  # the height it needs
    need = (ws.row_dimensions[below].height or 0) - sum(heights[:-1])
    ws.row_dimensions[below].height = heights[0]
    ws.row_dimensions[last].height = max(heights[-1], need)

    header_row = max(row, below + 1) + 1
    set_cell(ws.cell(header_row - 1, 1), "Samlet vurdering pr. målsætning")
    ws.cell(header_row - 1, 1).font = _BOLD
    last = _table(ws, header_row, ROLLUP_COLUMNS, rollup_rows(report))
    _finish_sheet(
        ws,
        title=heading,
        when=when,
        header_rows=[header_row],
        last_row=last,
        last_col=n,
        footer_left=f"Reference: {ref.text}",
    )
    # The sentences above the table are what to read first: no frozen rows over them.
    ws.freeze_panes = None


def build_status_workbook(
    report: StatusReport, ref: Reference, qr_png: bytes, *, when: date, app_version: str = ""
) -> Workbook:
    """The workbook of the report (see the module's docstring)."""
    wb = Workbook()
    _oversigt(wb, report, ref, qr_png, when=when)
    heading = title(report)
    tables = (
        (SHEET_MAAL, MAAL_COLUMNS, maal_rows(report)),
        (SHEET_TEGN, TEGN_COLUMNS, tegn_rows(report)),
        (SHEET_PROEVEHANDLINGER, PROEVE_COLUMNS, proeve_rows(report)),
        (SHEET_LAERING, LAERING_COLUMNS, laering_rows(report)),
    )
    for name, columns, rows in tables:
        _data_sheet(wb, name, columns, rows, heading=heading, when=when, ref=ref)

    props = wb.properties
    props.title = heading
    props.subject = SUBJECT.format(aar=report.aar)
    props.creator = f"udviklingsdag {app_version}".strip()
    props.lastModifiedBy = props.creator
    props.language = "da-DK"
    props.keywords = f"{KEYWORDS}; {ref.text}"
    props.category = CATEGORY
    props.description = (
        "Lavet af udviklingsdag. Referencen (identifier) kan tjekkes med «udviklingsdag verify»."
    )
    props.created = datetime.combine(when, time(12, 0))
    # verify reads this back; it is the reference in its one-line form.
    props.identifier = ref.text
    return wb


def status_report_xlsx(
    report: StatusReport, ref: Reference, qr_png: bytes, *, when: date, app_version: str = ""
) -> bytes:
    """The report as .xlsx bytes, with the digest of its own text in its identifier."""
    return stamped_workbook_bytes(
        build_status_workbook(report, ref, qr_png, when=when, app_version=app_version)
    )
