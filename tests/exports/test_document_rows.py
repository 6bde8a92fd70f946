"""What the målplan documents say (exports.document_rows), apart from layout, and that the Word
and PDF documents show exactly those rows."""

from __future__ import annotations

import io
from datetime import date

import docx
from pypdf import PdfReader

from exports import document_rows as content
from exports.docx import maalplan_docx
from exports.pdf import maalplan_pdf
from exports.qr import reference_qr_png
from exports.reference import reference_for
from models.maalplan_view import (
    EvalueringView,
    MaalplanView,
    MaalView,
    ProevehandlingView,
    SamarbejdeView,
    TegnView,
    content_digest,
)

D1, D2 = date(2027, 2, 3), date(2027, 5, 6)
WHEN = date(2027, 1, 31)


def fmt(value: object) -> str:
    return content.document_text(value, str.upper)


def plain(value: object) -> str:
    return content.document_text(value, str)


def period(start: date | None, slut: date | None) -> str:
    return f"<{fmt(start)}|{fmt(slut)}>"


def _maal(**kw) -> MaalView:
    return MaalView("m", "2", "Målet", "ms", "Målsætningen", "budgetaftale", **kw)


def _plan(maal: list[MaalView], **kw) -> MaalplanView:
    view = MaalplanView(
        "4f0c1b0e-7f44-4c55-9b1d-0c1f5b0a7e11", "Plan", 2027, "e", "Enhed", maal=maal, **kw
    )
    return MaalplanView(**{**view.__dict__, "digest": content_digest(view)})


def test_empty_mal_has_sentences_and_no_evalueringer_section():
    sections = content.maal_sections(_maal(), fmt, period)
    assert [(s.key, s.rows, s.empty) for s in sections] == [
        ("tegn", [], "Ingen tegn endnu."),
        ("proevehandling", [], "Ingen prøvehandlinger endnu."),
        ("samarbejde", [], "Ingen samarbejder på tværs (monofagligt)."),
    ]


def test_proevehandling_row_joins_forventning_borger_evaluering_and_tegn():
    p = ProevehandlingView(
        "p",
        "2.1",
        "gør",
        forventning="mere",
        ansvarlig="ane",
        start=D1,
        borgerinddragelse=True,
        borgerinddragelse_hvordan="møde",
        evaluering_undervejs=D1,
        evaluering_afslutning=D2,
        tegn_nr=["2.1", "2.3"],
        evalueringer=[EvalueringView("e", "undervejs", D1, "godt", None)],
    )
    m = _maal(proevehandlinger=[p])
    assert content.proevehandling_rows(m, fmt, period) == [
        [
            "2.1",
            "GØR\nVi forventer: MERE",
            "ANE",
            "<03-02-2027|>",
            "ja: MØDE",
            "Undervejs 03-02-2027\nAfslutning 06-05-2027",
            "2.1, 2.3",
        ]
    ]
    bare = ProevehandlingView("q", "2.2", "x")
    assert content.proevehandling_rows(_maal(proevehandlinger=[bare]), fmt, period) == [
        ["2.2", "X", "", "<|>", "nej", "", ""]
    ]
    sections = content.maal_sections(m, fmt, period)
    assert sections[-1].key == "evaluering"
    assert sections[-1].rows == [["2.1", "Undervejs", "03-02-2027", "GODT", ""]]


def test_header_facts_leave_out_empty_values():
    view = _plan([], plan_a=[99], sagsnummer="", status_del1="i_gang")
    labels = [label for label, _ in content.header_facts(view, WHEN)]
    assert labels == ["Enhed", "År", "Status", "Udskrevet"]  # unknown Plan A number: no text
    short = content.header_facts(view, WHEN, plan_a_label="Plan A", with_status=False)
    assert [label for label, _ in short] == ["Enhed", "År", "Udskrevet"]
    assert content.header_facts(view, WHEN)[-1] == ("Udskrevet", WHEN)


def test_mal_facts_and_headings():
    m = _maal(til_aar=2029, plan_a=[1, 3], ansvarlig="bo")
    assert content.maal_facts(m, fmt) == "Periode: 2029 · Ansvarlig: BO · Plan A: 1, 3"
    assert content.maal_facts(_maal(), fmt) == ""
    assert content.maal_heading(m, fmt) == "Mål 2: MÅLET"


def test_word_and_pdf_show_the_shared_rows():
    tegn = [TegnView("t", "2.1", "Flere møder", "kvantitativ", datakilde="Tælling")]
    sam = [SamarbejdeView("s", ["a", "b"], ["Skolen", "Klubben"], "samskabelse", "Fælles mål")]
    view = _plan([_maal(tegn=tegn, samarbejder=sam)])
    ref = reference_for(view)
    png = reference_qr_png(ref)
    m = view.maal[0]

    document = docx.Document(io.BytesIO(maalplan_docx(view, ref, png, when=WHEN)))
    tables = [[[c.text for c in r.cells] for r in t.rows] for t in document.tables[1:]]
    assert tables == [
        [list(content.TEGN_HEADERS), *content.tegn_rows(m, plain)],
        [list(content.SAMARBEJDE_HEADERS), *content.samarbejde_rows(m, plain)],
    ]
    paragraphs = [p.text for p in document.paragraphs]
    assert content.NO_PROEVEHANDLINGER in paragraphs
    assert "Evalueringer" not in paragraphs

    text = PdfReader(io.BytesIO(maalplan_pdf(view, ref, png, when=WHEN))).pages[0].extract_text()
    assert "Skolen; Klubben" in text and "Samskabelsesniveau" in text
    assert content.NO_PROEVEHANDLINGER in text and "Evalueringer" not in text
