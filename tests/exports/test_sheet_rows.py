"""`exports.xlsx.SheetRows`: a large table's rows written as XML instead of openpyxl cells.

The XML must be what openpyxl itself writes for the same cells: the same sheet, byte for byte,
as the rows written as cells and saved by openpyxl's own writer (the path taken with another
openpyxl version), and the text `workbook_text` takes in memory must be what `verify` reads
from the file."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime

import openpyxl
import pytest

import exports.xlsx as xlsx
from exports.reference import office_text, workbook_text
from exports.xlsx import _BORDER, _WRAP, SheetRows, set_cell, workbook_bytes

WIDTHS = {1: 20.0, 2: 12.0, 3: 40.0}
ROWS: list[list[object]] = [
    ["Ærø & <Å> \"citat\" 'enkelt'", date(2027, 8, 16), 12],
    ["  mellemrum  ", datetime(2027, 8, 16, 12, 30), 12.5],
    ["=SUM(A1:A3)", None, 0],
    ["-minus", "", -0.25],
    ["+plus", "@snabel", 1e20],
    ["linje\r\nto\nlinjer", "tab\there", 2**40],
    ["\U0001f600 og æøå", "styretegn\x01\x1f væk", 0.1],
    ["x" * 40_000, "U+FFFE\ufffe væk", 3.141592653589793],
    [None, None, None],
    ["et meget langt ord " * 20, "ord" * 50, float("nan")],
]


def _build(as_xml: bool) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tabel"
    set_cell(ws.cell(1, 1), "Overskrift")  # an ordinary cell above the rows
    ws.cell(2, 2).value = 7
    rows = SheetRows(ws)
    rows.as_xml = as_xml
    text = rows.style("t", alignment=_WRAP, border=_BORDER)
    day = rows.style("d", alignment=_WRAP, number_format="DD-MM-YYYY")
    number = rows.style("n", number_format="#,##0.0#")
    for r, (a, b, c) in enumerate(ROWS, start=4):
        kind = day if isinstance(b, date) else text
        rows.add(r, [(text, a), (kind, b), (number, c)], WIDTHS)
    return wb


def _sheet_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read("xl/worksheets/sheet1.xml")


def test_rows_as_xml_are_the_sheet_openpyxl_writes_for_them(monkeypatch):
    fast = workbook_bytes(_build(as_xml=True))
    # The same rows as cells, saved by openpyxl's own writer.
    monkeypatch.setattr(xlsx, "_FAST_WRITER", False)
    slow_wb = _build(as_xml=False)
    assert xlsx.sheet_rows(slow_wb.active) is None
    slow = workbook_bytes(slow_wb)
    assert _sheet_xml(fast) == _sheet_xml(slow)
    with zipfile.ZipFile(io.BytesIO(fast)) as a, zipfile.ZipFile(io.BytesIO(slow)) as b:
        assert a.read("xl/styles.xml") == b.read("xl/styles.xml")
    # What a reader sees: the quote prefix keeps «=SUM(...)» text, dates are dates.
    ws = openpyxl.load_workbook(io.BytesIO(fast)).active
    assert ws["A6"].value == "=SUM(A1:A3)" and ws["A6"].data_type == "s"
    assert ws["A6"].quotePrefix and ws["A7"].quotePrefix and not ws["A4"].quotePrefix
    assert ws["B4"].value == datetime(2027, 8, 16) and ws["B4"].number_format == "DD-MM-YYYY"
    assert ws["A4"].value == "Ærø & <Å> \"citat\" 'enkelt'"
    assert ws["A10"].value == "\U0001f600 og æøå" and ws["B10"].value == "styretegn væk"
    assert len(ws["A11"].value) == 32767
    assert ws.row_dimensions[13].height > ws.row_dimensions[4].height
    assert ws.dimensions == "A1:C13"


def test_the_text_of_rows_as_xml_is_known_before_saving():
    wb = _build(as_xml=True)
    text = workbook_text(wb)
    assert text and "Ærø & <Å>" in text and "Overskrift" in text
    assert text == office_text(workbook_bytes(wb), ".xlsx")


def test_rows_must_lie_below_the_sheets_cells_and_in_order():
    wb = _build(as_xml=True)
    rows = xlsx.sheet_rows(wb.active)
    assert rows is not None
    with pytest.raises(ValueError, match="rækkefølge"):
        rows.add(5, [(0, "igen")], WIDTHS)
    wb.active.cell(20, 1).value = "under rækkerne"
    with pytest.raises(ValueError, match="under sine XML-rækker"):
        workbook_bytes(wb)
    with pytest.raises(ValueError, match="allerede"):
        SheetRows(wb.active)


def test_the_reports_workbook_is_the_same_written_either_way(demo_store, monkeypatch):
    from exports.qr import reference_qr_png
    from exports.reference import status_reference
    from exports.status_report_xlsx import build_status_workbook
    from models.status_report import report_years, status_report

    when = date(2027, 8, 16)
    report = status_report(demo_store.db, max(report_years(demo_store.db)), when)
    ref = status_reference(report, None)
    png = reference_qr_png(ref)
    fast = workbook_bytes(build_status_workbook(report, ref, png, when=when))
    monkeypatch.setattr(xlsx, "_FAST_WRITER", False)
    slow = workbook_bytes(build_status_workbook(report, ref, png, when=when))
    with zipfile.ZipFile(io.BytesIO(fast)) as a, zipfile.ZipFile(io.BytesIO(slow)) as b:
        sheets = [n for n in a.namelist() if re.match(r"xl/worksheets/sheet\d+\.xml$", n)]
        assert len(sheets) == 5
        for name in sheets:
            assert a.read(name) == b.read(name), name
    assert office_text(fast, ".xlsx") == office_text(slow, ".xlsx")
