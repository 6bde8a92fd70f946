"""The August status for the Kommunalbestyrelsen as documents: PDF/A-2b (fpdf2, the fonts,
tables and page set-up of `exports.pdf`, run charts as vector graphics) and .docx
(python-docx, run charts as PNG pictures), both from `models.status_report.StatusReport`.

The first page says in plain Danish how far the municipality got (the summary's sentences)
and shows the roll-up per målsætning in a small table; then, per politik and målsætning, each
mål with its assessment and begrundelse, its tegn (latest måling against baseline and expected
level, and the run chart), its prøvehandlinger (status and evaluated effect) and its læring.

The report has no reference or QR code yet (`verify` knows målplaner only)."""

from __future__ import annotations

import io
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docx import Document
from docx.enum.text import WD_BREAK
from docx.shared import Mm, Pt, RGBColor
from fpdf import FPDF
from fpdf.enums import Align

from models import enums
from models.status_report import MaalStatus, StatusReport, TegnStatus, label

from . import charts
from . import pdf as pdf_base

if TYPE_CHECKING:
    from models.db import Database

TITLE = "Status på målsætningerne {aar}"
NO_DATA = "–"
_GREY = (89, 89, 89)
_DOCX_GREY = RGBColor(0x59, 0x59, 0x59)
ROLLUP_HEADERS = ["Målsætning", "Mål", "Samlet vurdering"]
ROLLUP_WIDTHS = [100.0, 14.0, 60.0]
TEGN_HEADERS = ["Tegn", "Udgangspunkt", "Forventet niveau", "Seneste måling"]
TEGN_WIDTHS = [62.0, 36.0, 36.0, 40.0]
PROEVE_HEADERS = ["Nr", "Prøvehandling", "Status", "Vurderet effekt"]
PROEVE_WIDTHS = [9.0, 58.0, 30.0, 77.0]


def title(report: StatusReport) -> str:
    return TITLE.format(aar=report.aar)


def _day(d: date | None) -> str:
    return f"{d.day}-{d.month}-{d.year}" if d else ""


def _number(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def latest_text(t: TegnStatus) -> str:
    """«12,5 (3-6-2026)», the observation, or «Ingen målinger endnu»."""
    if not t.maalinger:
        return "Ingen målinger endnu"
    parts = []
    if t.seneste_vaerdi is not None:
        parts.append(_number(t.seneste_vaerdi))
    if t.seneste_observation:
        parts.append(t.seneste_observation)
    when = f" ({_day(t.seneste_dato)})" if t.seneste_dato else ""
    return (" – ".join(parts) or "Målt") + when


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


def proeve_rows(m: MaalStatus) -> list[list[str]]:
    rows = []
    numbers = proeve_numbers(m)
    for p in m.proevehandlinger:
        effekt = "; ".join(
            f"{e.effekt} ({_day(e.dato)})" if e.dato else e.effekt for e in p.effekter
        )
        status = status_text(p.status, p.status_dato)
        rows.append([numbers[p.id], p.tekst, status, effekt or "Ikke evalueret"])
    return rows


def laering_lines(m: MaalStatus) -> list[str]:
    out = []
    for line in m.laering:
        source = f" (fra «{line.proevehandling}»)" if line.proevehandling else ""
        out.append(f"{_day(line.dato)}: {line.tekst}{source}".lstrip(": "))
    return out


def rollup_rows(report: StatusReport) -> list[list[str]]:
    return [[ms.tekst, str(len(ms.maal)), ms.rollup.text()] for ms in report.maalsaetninger]


def intro(report: StatusReport) -> str:
    return (
        f"Rapporten viser, hvor langt kommunens arbejdspladser er nået med de mål, de satte sig "
        f"i målplanerne for {report.aar}. For hvert mål har tovholderen vurderet, om målet er "
        "opfyldt, og skrevet hvorfor; ved siden af står de tegn, der blev målt, og de "
        f"prøvehandlinger, der blev afprøvet. Lavet {_day(report.today)}."
    )


# --- PDF ------------------------------------------------------------------------------------


class _ReportPDF(pdf_base._MaalplanPDF):
    def footer(self) -> None:  # called by fpdf2 for every page
        self.set_font(pdf_base.FAMILY, "", 7)
        self.set_text_color(*_GREY)
        self.set_xy(self.l_margin, -14)
        self.cell(0, 3.5, self._doc_title, align=Align.L)
        self.set_xy(self.l_margin, -14)
        self.cell(0, 3.5, f"Side {self.page_no()} af {{nb}}", align=Align.R)
        self.set_text_color(0, 0, 0)


def status_report_pdf(report: StatusReport, *, when: date, app_version: str = "") -> bytes:
    """The report as PDF/A-2b bytes."""
    pdf = _render_pdf(report, when, app_version, fast=True)
    if pdf.missing_glyphs:
        pdf = _render_pdf(report, when, app_version, fast=False)
    else:
        pdf_base._embed_from_common(pdf)
    return pdf_base._output(pdf)


def _scale(widths: list[float], full: float) -> list[float]:
    total = sum(widths)
    return [w * full / total for w in widths]


def _render_pdf(report: StatusReport, when: date, app_version: str, *, fast: bool) -> _ReportPDF:
    t = pdf_base._t
    heading = title(report)
    pdf = _ReportPDF(heading, "", fast)
    pdf.set_title(heading)
    pdf.set_subject(f"Augustrapport {report.aar} til Kommunalbestyrelsen")
    pdf.set_author("udviklingsdag")
    pdf.set_creator(f"udviklingsdag {app_version}".strip())
    pdf.set_lang("da-DK")
    pdf.set_creation_date(datetime.combine(when, time(12, 0)))
    pdf.add_page()
    full = pdf.w - pdf.l_margin - pdf.r_margin

    pdf_base._heading(pdf, heading, 20, 0)
    pdf_base._note(pdf, t(intro(report)), 9)
    pdf.ln(3)
    for sentence in report.summary.saetninger:
        pdf_base._lines(pdf, t(sentence), size=12, line=6)
        pdf.ln(1)
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
            pdf,
            chart,
            pdf.l_margin,
            top,
            pdf_base.FAMILY,
            lambda x, y, s: pdf_base._text_routed(pdf, x, y, s),
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


def _docx_table(doc: Any, headers: list[str], rows: list[list[str]], widths: list[float]) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.autofit = False
    total = sum(widths)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(170 * width / total)  # the grid LibreOffice reads
    for i, text in enumerate(headers):
        cell = table.rows[0].cells[i]
        cell.width = Mm(170 * widths[i] / total)
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(8.5)
    for values in rows:
        cells = table.add_row().cells
        for i, text in enumerate(values):
            cells[i].width = Mm(170 * widths[i] / total)
            cells[i].paragraphs[0].add_run(text).font.size = Pt(8.5)
    doc.add_paragraph()


def _grey(doc: Any, text: str, size: float = 9, bold: bool = False) -> None:
    run = doc.add_paragraph().add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    if not bold:
        run.font.color.rgb = _DOCX_GREY


def status_report_docx(report: StatusReport, *, when: date, app_version: str = "") -> bytes:
    """The report as .docx bytes (the run charts as PNG pictures)."""
    from .docx import DOC_FONT, _danish_proofing, _page_field, _t

    t = _t
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
        doc.styles[name].font.name = DOC_FONT
    doc.styles["Normal"].font.size = Pt(10)
    heading = title(report)
    doc.add_heading(heading, 0)
    _grey(doc, t(intro(report)))
    for sentence in report.summary.saetninger:
        doc.add_paragraph().add_run(t(sentence)).font.size = Pt(12)
    if report.maalsaetninger:
        doc.add_heading("Samlet vurdering pr. målsætning", 2)
        rows = [[t(c) for c in row] for row in rollup_rows(report)]
        _docx_table(doc, ROLLUP_HEADERS, rows, ROLLUP_WIDTHS)

    for politik in report.politikker:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        doc.add_heading(t(politik.navn), 1)
        for ms in politik.maalsaetninger:
            doc.add_heading(f"Målsætning: {t(ms.tekst)}", 2)
            _grey(doc, f"Samlet: {t(ms.rollup.text())}", 10, bold=True)
            for m in ms.maal:
                doc.add_heading(f"Mål: {t(m.tekst)}", 3)
                _grey(doc, t(maal_facts(m)))
                _grey(doc, t(assessment_line(m)), 10, bold=True)
                if begrundelse := begrundelse_line(m):
                    doc.add_paragraph(t(begrundelse))
                if m.tegn:
                    rows = [[t(c) for c in row] for row in tegn_rows(m)]
                    _docx_table(doc, TEGN_HEADERS, rows, TEGN_WIDTHS)
                for tegn in m.tegn:
                    if tegn.chart is None or not tegn.maalinger:
                        continue
                    _grey(doc, f"Målinger: {t(tegn.tekst)}", 9, bold=True)
                    chart = charts.layout(tegn.chart, 170, numbers=proeve_numbers(m))
                    png = charts.render_png(chart)
                    doc.add_picture(io.BytesIO(png), width=Mm(chart.width))
                if m.proevehandlinger:
                    rows = [[t(c) for c in row] for row in proeve_rows(m)]
                    _docx_table(doc, PROEVE_HEADERS, rows, PROEVE_WIDTHS)
                if lines := laering_lines(m):
                    _grey(doc, "Læring", 9, bold=True)
                    for line in lines:
                        _grey(doc, t(line))

    footer = section.footer.paragraphs[0]
    footer.add_run(f"{heading} · Side ").font.size = Pt(7)
    _page_field(footer, "PAGE", Pt(7))
    footer.add_run(" af ").font.size = Pt(7)
    _page_field(footer, "NUMPAGES", Pt(7))
    _danish_proofing(doc)
    props = doc.core_properties
    props.title = heading
    props.subject = f"Augustrapport {report.aar} til Kommunalbestyrelsen"
    props.author = "udviklingsdag"
    props.last_modified_by = f"udviklingsdag {app_version}".strip()
    props.language = "da-DK"
    props.category = "Augustrapport"
    stamp = datetime.combine(when, time(12, 0))
    props.created = stamp
    props.modified = stamp
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# --- writing the files ----------------------------------------------------------------------


def report_stem(aar: int, when: date) -> str:
    """`ÅÅÅÅ-MM-DD_Augustrapport_<år>`."""
    from .naming import safe_component

    return safe_component(f"{when.isoformat()}_Augustrapport_{aar}")


def export_status_report(
    db: Database, folder: Path | str, aar: int, *, when: date, app_version: str = ""
) -> list[Path]:
    """Write the report of `aar` as PDF and .docx into `folder` (created when missing), each
    atomically. Raises `ExportError` (Danish) when the year has no målplaner."""
    from models.status_report import report_years, status_report

    from .atomic import ExportError, atomic_write, write_error
    from .plan_a_poster import _guard_pdf

    if aar not in report_years(db):
        raise ExportError(
            f"Der er ingen målplaner for {aar}, så der er ingen status at lave. Angiv et andet "
            "år med --aar ÅR."
        )
    report = status_report(db, aar, when)
    target = Path(folder)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_error(exc, target) from None
    stem = report_stem(aar, when)
    written: list[Path] = []
    pdf_path = target / f"{stem}.pdf"
    _guard_pdf(pdf_path)
    written.append(
        atomic_write(pdf_path, status_report_pdf(report, when=when, app_version=app_version))
    )
    docx_bytes = status_report_docx(report, when=when, app_version=app_version)
    written.append(atomic_write(target / f"{stem}.docx", docx_bytes, kind="zip"))
    return written
