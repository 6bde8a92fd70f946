"""Renderers given text no form would accept (control characters, escape codes, markup,
text outside the reduced font) still write files that the independent readers open."""

from __future__ import annotations

import io
from datetime import date

import docx
import openpyxl
from pypdf import PdfReader

from exports.docx import maalplan_docx
from exports.pdf import maalplan_pdf
from exports.qr import reference_qr_png
from exports.reference import reference_for
from exports.xlsx import maalplan_xlsx
from models.maalplan_view import MaalplanView, MaalView, TegnView, content_digest

NASTY = "Bjælde\x07 og \x1b[31mrød\x1b[0m [bold]fed[/] \u200b og\ttab\nny linje, Ωmega, 你好"


def _view() -> MaalplanView:
    tegn = [TegnView("t", "1.1", NASTY, "kvalitativ", datakilde="=SUM(A1:A9)")]
    maal = [MaalView("m", "1", NASTY, "ms", "Målsætning [/]", "politik", tegn=tegn)]
    view = MaalplanView(
        "4f0c1b0e-7f44-4c55-9b1d-0c1f5b0a7e11",
        "Plan \x00[b]æøå[/b]",
        2027,
        "e",
        "Enhed\x1f Ø",
        maal=maal,
        revision=3,
    )
    return MaalplanView(**{**view.__dict__, "digest": content_digest(view)})


def test_all_three_formats_survive_nasty_text():
    view = _view()
    ref = reference_for(view)
    png = reference_qr_png(ref)
    when = date(2027, 1, 31)
    wb = openpyxl.load_workbook(io.BytesIO(maalplan_xlsx(view, when=when, reference_text=ref.text)))
    values = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value]
    assert any("[bold]fed[/]" in str(v) for v in values)
    assert "=SUM(A1:A9)" in values  # text, not a formula
    document = docx.Document(io.BytesIO(maalplan_docx(view, ref, png, when=when)))
    assert any("[bold]fed[/]" in c.text for t in document.tables for r in t.rows for c in r.cells)
    reader = PdfReader(io.BytesIO(maalplan_pdf(view, ref, png, when=when)))
    text = reader.pages[0].extract_text()
    assert "[bold]fed[/]" in text and "Bjælde" in text
    # «你好» is outside the fast font: the PDF falls back to the full font (whose missing
    # glyphs still give a valid file).
    assert "Ωmega" in text
