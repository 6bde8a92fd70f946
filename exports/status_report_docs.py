"""The August status for the Kommunalbestyrelsen as documents: PDF/A-2b (fpdf2, the fonts,
tables and page set-up of `exports.pdf`, run charts as vector graphics) and .docx
(python-docx, run charts as vector pictures, EMF), both from `models.status_report.StatusReport`.

The first page says in plain Danish how far the municipality got (the summary's sentences)
and shows the roll-up per målsætning in a small table; then, per politik and målsætning, each
mål with its assessment and begrundelse, its tegn (latest måling against baseline and expected
level, and the run chart), its prøvehandlinger (status and evaluated effect) and its læring.

Both carry the report's reference (`exports.reference.Reference` of kind STATUS, subject the
year): a QR code on the first page, the reference in every page's footer, and in the metadata
`verify` reads (the PDF's XMP keywords, the docx's core properties' identifier). The same
report as a workbook to filter and sort is `exports.status_report_xlsx`; the three are written
as an SBSYS package by `exports.status_report_package`."""

from __future__ import annotations

import io
import re
import warnings
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Cm, Mm, Pt, RGBColor
from fpdf import FPDF
from fpdf.enums import Align

from models import enums
from models.status_report import (
    LaeringLine,
    MaalStatus,
    PlanLaering,
    ProevehandlingStatus,
    StatusReport,
    TegnStatus,
    label,
)
from models.words import count

from . import charts
from . import pdf as pdf_base
from .reference import Reference, stamp_docx
from .seal import PLACEHOLDER as SEAL_PLACEHOLDER

if TYPE_CHECKING:
    pass

PAGE_LABEL_MM = 24.0  # the footer's «Side X af Y»
TITLE = "Status på målsætningerne {aar}"
NO_DATA = "–"
NOT_EVALUATED = "Ikke evalueret"
_GREY = (89, 89, 89)
_DOCX_GREY = RGBColor(0x59, 0x59, 0x59)
# Politik first: a målsætning from the budget agreement says so on page 1.
ROLLUP_HEADERS = ["Politik", "Målsætning", "Mål", "Samlet vurdering"]
ROLLUP_WIDTHS = [34.0, 80.0, 11.0, 49.0]
TEGN_HEADERS = ["Tegn", "Udgangspunkt", "Forventet niveau", "Seneste måling"]
TEGN_WIDTHS = [62.0, 36.0, 36.0, 40.0]
PROEVE_HEADERS = ["Nr", "Prøvehandling", "Status", "Vurderet effekt"]
PROEVE_WIDTHS = [9.0, 58.0, 30.0, 77.0]
# The læring of a målplan as a whole: once per plan, after the politikker.
PLAN_LAERING_HEADING = "Læring for hele målplanen"
PLAN_LAERING_INTRO = (
    "Læring, som en arbejdsplads har skrevet for hele sin målplan og ikke for ét mål eller én "
    "prøvehandling, står her én gang for hver målplan."
)
PLAN_LAERING_SOURCE = "hele målplanen"


def title(report: StatusReport) -> str:
    return TITLE.format(aar=report.aar)


def _day(d: date | None) -> str:
    return f"{d.day}-{d.month}-{d.year}" if d else ""


def _number(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


# A baseline or expected level written as a percentage: its first number followed by «%»,
# «pct.» or «procent».
_PERCENT_RE = re.compile(r"^\D*?\d[\d.,\u00a0 ]*?\s*(%|pct\b|procent)", re.IGNORECASE)
_HAS_NUMBER = re.compile(r"\d")


def _unit(t: TegnStatus) -> str:
    """« %» when the tegn counts in percent, else nothing: a måling is a bare number, and
    beside «udgangspunkt 18 %» a bare «10» reads as something else. The baseline decides (the
    expected level only when the baseline has no number): «120 elever» with «10 % færre»
    expected counts pupils, and its målinger are no percentages."""
    for text in (t.baseline, t.forventet_niveau):
        if text and _HAS_NUMBER.search(text):
            return " %" if _PERCENT_RE.match(text) else ""
    return ""


def latest_text(t: TegnStatus) -> str:
    """«12,5 (3-6-2026)» (with « %» when the tegn counts in percent), the observation, or
    «Ingen målinger endnu»."""
    if not t.maalinger:
        return "Ingen målinger endnu" + later_note(t.senere, "maaling")
    parts = []
    if t.seneste_vaerdi is not None:
        parts.append(_number(t.seneste_vaerdi) + _unit(t))
    if t.seneste_observation:
        parts.append(t.seneste_observation)
    when = f" ({_day(t.seneste_dato)})" if t.seneste_dato else ""
    return (" – ".join(parts) or "Målt") + when + later_note(t.senere, "maaling")


def later_note(n: int, word: str) -> str:
    """« (1 måling dateret efter rapportens dag er ikke med)», or nothing."""
    return f" ({count(word, n)} dateret efter rapportens dag er ikke med)" if n else ""


def status_text(status: str, since: date | None) -> str:
    word = enums.label(status) if status else NO_DATA
    return f"{word} siden {_day(since)}" if since else word


def assessment_line(m: MaalStatus) -> str:
    """«Vurdering: Delvist opfyldt (12-8-2026, Anne)» or that it is not assessed."""
    if m.vurdering is None:
        return "Vurdering: Ikke vurderet af tovholderen endnu."
    who = ", ".join(x for x in (_day(m.vurdering.dato), m.vurdering.hvem or "") if x)
    return f"Vurdering: {label(m.vurdering.maalopfyldelse)}" + (f" ({who})" if who else "")


def begrundelse_line(m: MaalStatus) -> str | None:
    if m.vurdering is None or not m.vurdering.begrundelse:
        return None
    return f"Begrundelse: {m.vurdering.begrundelse}"


def maal_facts(m: MaalStatus) -> str:
    facts = [f"{m.enhed_navn}: {m.maalplan_titel}"]
    if m.ansvarlig:
        facts.append(f"ansvarlig {m.ansvarlig}")
    return " · ".join(facts)


def tegn_rows(m: MaalStatus) -> list[list[str]]:
    return [
        [t.tekst, t.baseline or NO_DATA, t.forventet_niveau or NO_DATA, latest_text(t)]
        for t in m.tegn
    ]


def proeve_numbers(m: MaalStatus) -> dict[str, str]:
    """The mål's prøvehandlinger numbered 1, 2, … in the report's order: the table's «Nr» and
    the labels of their periods in the run charts say the same."""
    return {p.id: str(i) for i, p in enumerate(m.proevehandlinger, start=1)}


def effekt_text(p: ProevehandlingStatus) -> str:
    """The evaluated effects, «effekt (dato); …», or «Ikke evalueret» (and how many
    evalueringer dated after the report's day were left out)."""
    effekt = "; ".join(f"{e.effekt} ({_day(e.dato)})" if e.dato else e.effekt for e in p.effekter)
    return (effekt or NOT_EVALUATED) + later_note(p.senere, "evaluering")


def proeve_rows(m: MaalStatus) -> list[list[str]]:
    rows = []
    numbers = proeve_numbers(m)
    for p in m.proevehandlinger:
        status = status_text(p.status, p.status_dato)
        rows.append([numbers[p.id], p.tekst, status, effekt_text(p)])
    return rows


def laering_source(line: LaeringLine) -> str:
    """Where a læring was written: «evalueringen ved afslutning af «…»», «…» (the læring list
    of a prøvehandling), or «hele målplanen»."""
    if line.proevehandling is None:
        return PLAN_LAERING_SOURCE
    if line.evaluering == enums.EvalueringType.UNDERVEJS:
        return f"evalueringen undervejs af «{line.proevehandling}»"
    if line.evaluering is not None:
        return f"evalueringen ved afslutning af «{line.proevehandling}»"
    return f"«{line.proevehandling}»"


def laering_lines(m: MaalStatus) -> list[str]:
    out = [
        f"{_day(line.dato)}: {line.tekst} (fra {laering_source(line)})".lstrip(": ")
        for line in m.laering
    ]
    return out + _later_laering(m.senere_laering)


def _later_laering(n: int) -> list[str]:
    return [f"{count('laering', n)} dateret efter rapportens dag er ikke med."] if n else []


def plan_laering_heading(plan: PlanLaering) -> str:
    return f"{plan.enhed_navn}: {plan.maalplan_titel}" if plan.enhed_navn else plan.maalplan_titel


def plan_laering_lines(plan: PlanLaering) -> list[str]:
    lines = [f"{_day(line.dato)}: {line.tekst}".lstrip(": ") for line in plan.laering]
    return lines + _later_laering(plan.senere)


def rollup_rows(report: StatusReport) -> list[list[str]]:
    return [
        [politik.navn, ms.tekst, str(len(ms.maal)), ms.rollup.text()]
        for politik in report.politikker
        for ms in politik.maalsaetninger
    ]


def intro(report: StatusReport) -> str:
    return (
        f"Rapporten viser, hvor langt kommunens arbejdspladser er nået med de mål, de satte sig "
        f"i målplanerne for {report.aar}. For hvert mål har tovholderen vurderet, om målet er "
        "opfyldt, og skrevet hvorfor; ved siden af står de tegn, der blev målt, og de "
        f"prøvehandlinger, der blev afprøvet. Lavet {_day(report.today)}."
    )


# --- what every document of the report carries ------------------------------------------

# Beside the QR code on the first page: what the code is for.
QR_NOTE = (
    "Er rapporten stadig aktuel? Scan QR-koden, eller kør «udviklingsdag verify FIL» på den "
    "gemte fil: svaret siger, om data har ændret sig, siden rapporten blev lavet."
)
SUBJECT = "Augustrapport {aar} til Kommunalbestyrelsen"
KEYWORDS = "augustrapport"
CATEGORY = "Augustrapport"


# --- PDF ------------------------------------------------------------------------------------

QR_MM = 34.0  # as on the målplan's first page


class _ReportPDF(pdf_base._MaalplanPDF):
    def __init__(self, title: str, ref: Reference, fast: bool) -> None:
        super().__init__(title, ref.text, fast)
        self._short = ref.short

    def footer(self) -> None:  # called by fpdf2 for every page
        # Two lines: title and page number, then the reference (and its short form). The three
        # fixed texts are written straight into the page where fpdf2's `cell` puts them (a
        # report of thousands of pages spent most of a second in its footers).
        self.set_font(pdf_base.FAMILY, "", 7)
        self.set_text_color(*_GREY)
        line = 3.5

        def baseline(top: float) -> float:
            return self.h + top + 0.5 * line + 0.3 * self.font_size

        left = self.l_margin + self.c_margin
        right = (
            self.w
            - self.r_margin
            - self.c_margin
            - pdf_base._text_width(self, self._short, "", self.font_size_pt)
        )
        pdf_base._draw_text(
            self,
            [
                (left, baseline(-14), self._doc_title),
                (left, baseline(-10.5), f"Reference: {self._reference}"),
                (right, baseline(-10.5), self._short),
            ],
        )
        # Left-aligned in a box wide enough for «Side 9999 af 9999»: the total is filled in
        # after the pages are drawn, and a right-aligned one of more digits than its alias
        # would run past the margin of a report of thousands of pages. Written straight into
        # the page too, with the total left for fpdf2 to fill in.
        label = f"Side {self.page_no()} af "
        x = self.w - self.r_margin - PAGE_LABEL_MM
        if not pdf_base._draw_with_page_total(self, x + self.c_margin, baseline(-14), label):
            self.set_xy(x, -14)
            self.cell(PAGE_LABEL_MM, line, f"{label}{{nb}}", align=Align.L)
        self.set_text_color(0, 0, 0)


def status_report_pdf(
    report: StatusReport, ref: Reference, qr_png: bytes, *, when: date, app_version: str = ""
) -> bytes:
    """The report as PDF/A-2b bytes, with the QR code of `ref` on the first page and `ref` in
    every footer and in the XMP metadata (`verify`)."""
    pdf = _render_pdf(report, ref, qr_png, when, app_version, fast=True)
    if pdf.missing_glyphs:
        pdf = _render_pdf(report, ref, qr_png, when, app_version, fast=False)
    else:
        pdf_base._embed_from_common(pdf)
    with warnings.catch_warnings():
        # fpdf2's note that the page total is wider than its alias (see `footer`).
        warnings.filterwarnings("ignore", message="The total page count", category=UserWarning)
        return pdf_base._output(pdf)


def _scale(widths: list[float], full: float) -> list[float]:
    total = sum(widths)
    return [w * full / total for w in widths]


def _qr_pdf(pdf: FPDF, ref: Reference, qr_png: bytes, top: float) -> float:
    """The QR code at the top right, its reference and what it is for under it; returns the
    bottom of the block."""
    qr_x = pdf.w - pdf.r_margin - QR_MM
    pdf.image(io.BytesIO(qr_png), x=qr_x, y=top, w=QR_MM, h=QR_MM)
    pdf.set_text_color(*_GREY)
    pdf.set_xy(qr_x, top + QR_MM)
    pdf.set_font(pdf_base.FAMILY, "", 6)
    pdf.cell(QR_MM, 3, f"Reference {ref.short}", align=Align.C)
    pdf.set_y(top + QR_MM + 3.5)
    pdf_base._lines(pdf, QR_NOTE, size=6, line=2.8, width=QR_MM, x=qr_x)
    pdf.set_text_color(0, 0, 0)
    return pdf.get_y()


def _render_pdf(
    report: StatusReport,
    ref: Reference,
    qr_png: bytes,
    when: date,
    app_version: str,
    *,
    fast: bool,
) -> _ReportPDF:
    t = pdf_base._t
    heading = title(report)
    pdf = _ReportPDF(heading, ref, fast)
    pdf.set_title(heading)
    pdf.set_subject(SUBJECT.format(aar=report.aar))
    pdf.set_author("udviklingsdag")
    pdf.set_creator(f"udviklingsdag {app_version}".strip())
    pdf.set_producer("udviklingsdag (fpdf2)")
    # verify reads the reference from the (uncompressed) XMP metadata: pdf:Keywords.
    pdf.set_keywords(f"{KEYWORDS} {ref.text} {SEAL_PLACEHOLDER}")
    pdf.set_lang("da-DK")
    pdf.set_creation_date(datetime.combine(when, time(12, 0)).astimezone())
    pdf.add_page()
    full = pdf.w - pdf.l_margin - pdf.r_margin

    top = pdf.get_y()
    beside = full - QR_MM - 5  # the text's width while it runs beside the QR code
    pdf_base._lines(pdf, t(heading), size=20, style="B", line=10, width=beside)
    after_heading = pdf.get_y()
    qr_bottom = _qr_pdf(pdf, ref, qr_png, top)  # after the heading: a reader reads it first

    def width() -> float:
        return beside if pdf.get_y() < qr_bottom else full

    pdf.set_xy(pdf.l_margin, after_heading + 1)
    pdf.set_text_color(*_GREY)
    pdf_base._lines(pdf, t(intro(report)), size=9, line=9 * 0.48, width=width())
    pdf.set_text_color(0, 0, 0)
    pdf.ln(3)
    for sentence in report.summary.saetninger:
        pdf_base._lines(pdf, t(sentence), size=12, line=6, width=width())
        pdf.ln(1)
    pdf.set_y(max(pdf.get_y(), qr_bottom + 2))
    if report.maalsaetninger:
        pdf_base._heading(pdf, "Samlet vurdering pr. målsætning", 12)
        rows = [[t(c) for c in row] for row in rollup_rows(report)]
        pdf_base._table(pdf, ROLLUP_HEADERS, rows, _scale(ROLLUP_WIDTHS, full))

    for politik in report.politikker:
        pdf.add_page()
        pdf_base._heading(pdf, t(politik.navn), 16, 0)
        for ms in politik.maalsaetninger:
            pdf_base._heading(pdf, f"Målsætning: {t(ms.tekst)}", 13)
            pdf_base._lines(pdf, f"Samlet: {t(ms.rollup.text())}", size=10, style="B")
            for m in ms.maal:
                _maal_pdf(pdf, m, full)
    if report.planlaering:
        pdf_base._heading(pdf, PLAN_LAERING_HEADING, 16)
        pdf_base._note(pdf, PLAN_LAERING_INTRO)
        for plan in report.planlaering:
            pdf_base._heading(pdf, t(plan_laering_heading(plan)), 11)
            for line in plan_laering_lines(plan):
                pdf_base._note(pdf, t(line))
    return pdf


def _maal_pdf(pdf: FPDF, m: MaalStatus, full: float) -> None:
    t = pdf_base._t
    pdf_base._heading(pdf, f"Mål: {t(m.tekst)}", 11)
    pdf_base._note(pdf, t(maal_facts(m)))
    pdf_base._lines(pdf, t(assessment_line(m)), size=10, style="B")
    if begrundelse := begrundelse_line(m):
        pdf_base._lines(pdf, t(begrundelse), size=10)
    pdf.ln(1)
    if m.tegn:
        rows = [[t(c) for c in row] for row in tegn_rows(m)]
        pdf_base._table(pdf, TEGN_HEADERS, rows, _scale(TEGN_WIDTHS, full))
    else:
        pdf_base._note(pdf, "Målet har ingen tegn.")
    for tegn in m.tegn:
        if tegn.chart is None or not tegn.maalinger:
            continue
        chart = charts.layout(tegn.chart, full, numbers=proeve_numbers(m))
        bottom = pdf.h - pdf.b_margin
        if pdf.get_y() + chart.height + 8 > bottom:
            pdf.add_page()
        pdf_base._lines(pdf, f"Målinger: {t(tegn.tekst)}", size=9, style="B")
        top = pdf.get_y() + 1
        charts.draw_pdf(
            pdf, chart, pdf.l_margin, top, pdf_base.FAMILY, lambda it: pdf_base._draw_text(pdf, it)
        )
        pdf.set_y(top + chart.height + 2)
    if m.proevehandlinger:
        rows = [[t(c) for c in row] for row in proeve_rows(m)]
        pdf_base._table(pdf, PROEVE_HEADERS, rows, _scale(PROEVE_WIDTHS, full))
    if lines := laering_lines(m):
        pdf_base._lines(pdf, "Læring", size=9, style="B")
        for line in lines:
            pdf_base._note(pdf, t(line))


# --- docx -----------------------------------------------------------------------------------

DOCX_TEXT_CM = 17.0  # A4 with 2 cm margins
QR_CM = 3.6  # as on the målplan's first page


def _docx_table(headers: list[str], rows: list[list[str]], widths: list[float]) -> list[str]:
    """A table as the målplan's (`exports.docx._table_xml`): shaded bold header row repeated on
    every page, bordered cells in the smaller table text, fixed column widths (`widths` in
    proportion), then an empty line; as body XML."""
    from .docx import _table_xml

    total = sum(widths)
    widths_cm = [round(DOCX_TEXT_CM * w / total, 2) for w in widths]
    even = Cm(DOCX_TEXT_CM / len(headers)).twips
    return [_table_xml(headers, rows, widths_cm, even), "<w:p/>"]


def _bold_xml(text: str, size: float, *, keep_with_next: bool = True) -> str:
    """A bold line (`size` pt) as body XML, kept with what follows it."""
    from docx.oxml.simpletypes import ST_HpsMeasure

    from .docx import _run_xml

    run = _run_xml(text, bold=True)
    sz = ST_HpsMeasure.convert_to_xml(Pt(size))
    run = run.replace("<w:rPr><w:b/></w:rPr>", f'<w:rPr><w:b/><w:sz w:val="{sz}"/></w:rPr>', 1)
    head = "<w:p><w:pPr><w:keepNext/></w:pPr>" if keep_with_next else "<w:p>"
    return f"{head}{run}</w:p>"


def _grey_xml(text: str, size: float = 9, *, keep_with_next: bool = False) -> str:
    from .docx import _para_xml

    return _para_xml(text, size=size, color=_DOCX_GREY, keep_with_next=keep_with_next)


def _grey_run(para: Any, text: str, size: float = 9, bold: bool = False) -> None:
    run = para.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    if not bold:
        run.font.color.rgb = _DOCX_GREY


def _first_page_docx(doc: Any, report: StatusReport, ref: Reference, qr_png: bytes) -> None:
    """What the report says in plain Danish on the left, the QR code with its reference and
    what it is for on the right (a borderless two-column table, as the målplan's)."""
    from .docx import _t

    top = doc.add_table(rows=1, cols=2)
    top.autofit = False
    left, right = top.rows[0].cells
    for column, cell, width in zip(top.columns, (left, right), (13.0, 4.0), strict=True):
        column.width = cell.width = Cm(width)
    _grey_run(left.paragraphs[0], _t(intro(report)))
    for sentence in report.summary.saetninger:
        para = left.add_paragraph()
        para.paragraph_format.space_before = Pt(4)
        para.add_run(_t(sentence)).font.size = Pt(12)
    right.paragraphs[0].add_run().add_picture(io.BytesIO(qr_png), width=Cm(QR_CM))
    _grey_run(right.add_paragraph(), f"Reference {ref.short}", 7)
    _grey_run(right.add_paragraph(), QR_NOTE, 7)


def _maal_docx(doc: Any, m: MaalStatus, pictures: Any) -> list[str]:
    """A mål as body XML: heading, facts, assessment and begrundelse, the tegn's table and run
    charts (vector pictures as wide as the text), the prøvehandlinger's table and the læring."""
    from .docx import _heading_xml, _para_xml, _t, chart_xml

    t = _t
    out = [
        _heading_xml(f"Mål: {t(m.tekst)}", 3),
        _grey_xml(t(maal_facts(m)), keep_with_next=True),
        _bold_xml(t(assessment_line(m)), 10),
    ]
    if begrundelse := begrundelse_line(m):
        out.append(_para_xml(t(begrundelse)))
    if m.tegn:
        out += _docx_table(TEGN_HEADERS, [[t(c) for c in r] for r in tegn_rows(m)], TEGN_WIDTHS)
    for tegn in m.tegn:
        if tegn.chart is None or not tegn.maalinger:
            continue
        out.append(_bold_xml(f"Målinger: {t(tegn.tekst)}", 9))
        chart = charts.layout(tegn.chart, DOCX_TEXT_CM * 10, numbers=proeve_numbers(m))
        out.append(chart_xml(doc, chart, pictures.take(), f"Seriediagram: {t(tegn.tekst)}"))
    if m.proevehandlinger:
        rows = [[t(c) for c in r] for r in proeve_rows(m)]
        out += _docx_table(PROEVE_HEADERS, rows, PROEVE_WIDTHS)
    if lines := laering_lines(m):
        out.append(_bold_xml("Læring", 9))
        out += [_grey_xml(t(line)) for line in lines]
    return out


def status_report_docx(
    report: StatusReport, ref: Reference, qr_png: bytes, *, when: date, app_version: str = ""
) -> bytes:
    """The report as .docx bytes (the run charts as EMF vector pictures), with the QR code of `ref`
    on the first page, `ref` in every footer and in the core properties (`verify`)."""
    from .docx import (
        DOC_FONT,
        TABLE_TEXT_STYLE,
        _append_xml,
        _danish_proofing,
        _heading_xml,
        _page_field,
        _Pictures,
        _t,
        docx_bytes,
        set_properties,
    )

    t = _t
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin = section.bottom_margin = Cm(2)
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
        doc.styles[name].font.name = DOC_FONT
    doc.styles["Normal"].font.size = Pt(10)
    # The målplan's table text style (`exports.docx._table_xml` names it).
    table_text = doc.styles.add_style(TABLE_TEXT_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = doc.styles["Normal"]
    table_text.font.size = Pt(8.5)
    table_text.paragraph_format.space_after = Pt(0)
    heading = title(report)
    doc.add_heading(heading, 0)
    _first_page_docx(doc, report, ref, qr_png)
    # The rest is written as XML and parsed once, as the målplan's body (adding paragraphs
    # one by one through python-docx rescans the whole body for each).
    parts: list[str] = []
    pictures = _Pictures(doc.part.next_id)
    if report.maalsaetninger:
        parts.append(_heading_xml("Samlet vurdering pr. målsætning", 2))
        rows = [[t(c) for c in row] for row in rollup_rows(report)]
        parts += _docx_table(ROLLUP_HEADERS, rows, ROLLUP_WIDTHS)
    for politik in report.politikker:
        parts.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
        parts.append(_heading_xml(t(politik.navn), 1))
        for ms in politik.maalsaetninger:
            parts.append(_heading_xml(f"Målsætning: {t(ms.tekst)}", 2))
            parts.append(_bold_xml(f"Samlet: {t(ms.rollup.text())}", 10))
            for m in ms.maal:
                parts += _maal_docx(doc, m, pictures)
    if report.planlaering:
        parts.append(_heading_xml(PLAN_LAERING_HEADING, 1))
        parts.append(_grey_xml(PLAN_LAERING_INTRO))
        for plan in report.planlaering:
            parts.append(_heading_xml(t(plan_laering_heading(plan)), 3))
            parts += [_grey_xml(t(line)) for line in plan_laering_lines(plan)]
    _append_xml(doc, parts)

    footer = section.footer.paragraphs[0]
    footer.add_run(f"{heading} · Side ").font.size = Pt(7)
    _page_field(footer, "PAGE", Pt(7))
    footer.add_run(" af ").font.size = Pt(7)
    _page_field(footer, "NUMPAGES", Pt(7))
    second = section.footer.add_paragraph()
    second.add_run(f"Reference: {ref.text} · {ref.short}").font.size = Pt(7)
    _danish_proofing(doc)
    set_properties(
        doc,
        title=heading,
        subject=SUBJECT.format(aar=report.aar),
        author="udviklingsdag",
        keywords=f"{KEYWORDS}; {ref.text}",
        comments="Lavet af udviklingsdag. Referencen (identifier) kan tjekkes med "
        "«udviklingsdag verify».",
        category=CATEGORY,
        ref=ref,
        when=when,
        app_version=app_version,
    )
    stamp_docx(doc)  # the text digest `verify` compares, taken before the file is written
    return docx_bytes(doc)
