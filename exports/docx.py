"""The målplan as a Word document: headings per målsætning and mål, tables of tegn,
prøvehandlinger, samarbejder (with niveau) and evalueringer, and the QR code with the plan's
reference. Written with python-docx; opens in Word and LibreOffice."""

from __future__ import annotations

import io
from datetime import date, datetime, time

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from models import enums
from models.maalplan_view import MaalplanView

from .reference import Reference
from .xlsx import clean_cell_text

_GREY = RGBColor(0x59, 0x59, 0x59)
DOC_FONT = "Arial"


def _t(value: object) -> str:
    """Text for a document: dates in Danish form, None as empty, no XML-illegal characters."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, bool):
        return "ja" if value else "nej"
    return clean_cell_text(str(value))


def _period(start: date | None, slut: date | None) -> str:
    if start and slut:
        return f"{_t(start)} - {_t(slut)}"
    if start:
        return f"fra {_t(start)}"
    if slut:
        return f"til {_t(slut)}"
    return ""


def _shade(cell, fill: str) -> None:
    props = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    props.append(shd)


def _repeat_header(row) -> None:
    # A table that runs over a page break repeats its header row.
    props = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    props.append(el)


# python-docx looks styles up by name on every use (a scan of all styles); setting the style
# id directly keeps a 100-plan export fast.
TABLE_TEXT_STYLE = "Tabeltekst"


def _styled(para: Paragraph, style_id: str) -> Paragraph:
    para._p.get_or_add_pPr().style = style_id
    return para


def _heading(doc, text: str, level: int) -> Paragraph:
    style_id = "Title" if level == 0 else f"Heading{level}"
    para = _styled(doc.add_paragraph(), style_id)
    para.add_run(text)
    return para


def _table(doc, headers: list[str], rows: list[list[str]], widths_cm: list[float]) -> Table:
    table = doc.add_table(rows=1 + len(rows), cols=len(headers))
    table._tbl.tblPr.style = "TableGrid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False  # fixed layout: the grid widths below hold in Word and LibreOffice
    for col, width in zip(table.columns, widths_cm, strict=True):
        col.width = Cm(width)
    all_rows = table.rows
    head = all_rows[0]
    _repeat_header(head)
    for cell, text, width in zip(head.cells, headers, widths_cm, strict=True):
        cell.width = Cm(width)
        _shade(cell, "DCE6F1")
        para = _styled(cell.paragraphs[0], TABLE_TEXT_STYLE)
        para.add_run(text).bold = True
    for row, values in zip(all_rows[1:], rows, strict=True):
        for cell, text in zip(row.cells, values, strict=True):
            _styled(cell.paragraphs[0], TABLE_TEXT_STYLE).add_run(text)
    return table


def _para(
    doc,
    text: str,
    *,
    italic: bool = False,
    size: float | None = None,
    color: RGBColor | None = None,
    keep_with_next: bool = False,
) -> Paragraph:
    para = doc.add_paragraph()
    if keep_with_next:
        # A line under a heading stays with what follows: no page ends in a lone heading.
        para.paragraph_format.keep_with_next = True
    run = para.add_run(text)
    run.italic = italic
    if size:
        run.font.size = Pt(size)
    if color is not None:
        run.font.color.rgb = color
    return para


def _page_field(paragraph: Paragraph, instr: str) -> None:
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = instr
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(code)
    run._r.append(end)


def maalplan_docx(
    view: MaalplanView, ref: Reference, qr_png: bytes, *, when: date, app_version: str = ""
) -> bytes:
    """The målplan document of one plan, as .docx bytes."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin = section.bottom_margin = Cm(2)
    # Arial: on every Windows PC, and LibreOffice has a metric twin (Liberation Sans), so the
    # tables break lines the same way everywhere (Calibri has no twin on most Linux desktops).
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
        doc.styles[name].font.name = DOC_FONT
    doc.styles["Normal"].font.size = Pt(10)
    table_text = doc.styles.add_style(TABLE_TEXT_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = doc.styles["Normal"]
    table_text.font.size = Pt(8.5)
    table_text.paragraph_format.space_after = Pt(0)
    for level in (1, 2, 3):  # python-docx's template hides unused heading styles until used
        doc.styles[f"Heading {level}"].hidden = False

    _heading(doc, _t(view.titel), 0)

    # Facts on the left, the QR code on the right, in a borderless two-column table.
    top = doc.add_table(rows=1, cols=2)
    top.autofit = False
    left, right = top.rows[0].cells
    left.width, right.width = Cm(13), Cm(4)
    facts = [
        ("Enhed", view.enhed_navn),
        ("År", view.aar),
        ("Ansvarlig", view.ansvarlig),
        ("Sagsnummer", view.sagsnummer),
        ("KLE-nummer", view.kle),
        (
            "Plan A-indikatorer",
            ", ".join(
                f"{n} {enums.PLAN_A_INDIKATORER[n][1]}"
                for n in view.plan_a
                if n in enums.PLAN_A_INDIKATORER
            ),
        ),
        (
            "Status",
            "; ".join(
                f"{sheet} {enums.label(enums.ArkStatus(value)).lower()}"
                for sheet, value in (
                    ("FØR", view.status_foer),
                    ("del 1", view.status_del1),
                    ("del 2", view.status_del2),
                    ("EFTER", view.status_efter),
                )
            ),
        ),
        ("Udskrevet", when),
    ]
    first = True
    for label, value in facts:
        if value in (None, ""):
            continue
        para = left.paragraphs[0] if first else left.add_paragraph()
        first = False
        para.paragraph_format.space_after = Pt(1)
        run = para.add_run(f"{label}: ")
        run.bold = True
        para.add_run(_t(value))
    qr_para = right.paragraphs[0]
    qr_para.add_run().add_picture(io.BytesIO(qr_png), width=Cm(3.6))
    cap = right.add_paragraph()
    cap_run = cap.add_run(f"Reference {ref.short}")
    cap_run.font.size = Pt(7)
    cap_run.font.color.rgb = _GREY

    counts = view.counts()
    _para(
        doc,
        f"{counts['maal']} mål, {counts['tegn']} tegn, {counts['proevehandlinger']} "
        f"prøvehandlinger og {counts['samarbejder']} samarbejder.",
        italic=True,
        size=9,
        color=_GREY,
    )
    if not view.maal:
        _para(doc, "Målplanen har endnu ingen mål.", italic=True)

    for group in view.maalsaetninger:
        kilde = enums.label(enums.Kilde(group.kilde)) if group.kilde else ""
        _heading(doc, f"Målsætning: {_t(group.tekst)}", 1)
        if kilde:
            _para(doc, f"Kilde: {kilde}", italic=True, size=9, color=_GREY, keep_with_next=True)
        for m in group.maal:
            _heading(doc, f"Mål {m.nr}: {_t(m.tekst)}", 2)
            bits = []
            if m.fra_aar or m.til_aar:
                period = f"{m.fra_aar or ''}-{m.til_aar or ''}".strip("-")
                bits.append(f"Periode: {period}")
            if m.ansvarlig:
                bits.append(f"Ansvarlig: {_t(m.ansvarlig)}")
            if m.plan_a:
                bits.append("Plan A: " + ", ".join(str(n) for n in m.plan_a))
            if bits:
                _para(doc, " · ".join(bits), size=9, color=_GREY, keep_with_next=True)

            _heading(doc, "Tegn", 3)
            if m.tegn:
                _table(
                    doc,
                    [
                        "Nr",
                        "Hvad kigger vi efter",
                        "Type",
                        "Datakilde",
                        "Udgangspunkt",
                        "Forventet niveau",
                    ],
                    [
                        [
                            t.nr,
                            _t(t.tekst),
                            t.type_label,
                            _t(t.datakilde),
                            _t(t.baseline),
                            _t(t.forventet_niveau),
                        ]
                        for t in m.tegn
                    ],
                    [1.0, 4.7, 2.3, 3.1, 2.7, 3.2],
                )
            else:
                _para(doc, "Ingen tegn endnu.", italic=True, size=9)

            _heading(doc, "Prøvehandlinger", 3)
            if m.proevehandlinger:
                rows = []
                for p in m.proevehandlinger:
                    what = _t(p.tekst)
                    if p.forventning:
                        what += f"\nVi forventer: {_t(p.forventning)}"
                    borger = "ja" if p.borgerinddragelse else "nej"
                    if p.borgerinddragelse_hvordan:
                        borger += f": {_t(p.borgerinddragelse_hvordan)}"
                    evals = "\n".join(
                        x
                        for x in (
                            f"Undervejs {_t(p.evaluering_undervejs)}"
                            if p.evaluering_undervejs
                            else "",
                            f"Afslutning {_t(p.evaluering_afslutning)}"
                            if p.evaluering_afslutning
                            else "",
                        )
                        if x
                    )
                    rows.append(
                        [
                            p.nr,
                            what,
                            _t(p.ansvarlig),
                            _period(p.start, p.slut),
                            borger,
                            evals,
                            ", ".join(p.tegn_nr),
                        ]
                    )
                _table(
                    doc,
                    [
                        "Nr",
                        "Hvad gør vi",
                        "Ansvarlig",
                        "Periode",
                        "Borgerinddragelse",
                        "Evaluering",
                        "Tegn",
                    ],
                    rows,
                    [1.0, 4.4, 2.3, 2.3, 3.2, 2.3, 1.5],
                )
            else:
                _para(doc, "Ingen prøvehandlinger endnu.", italic=True, size=9)

            _heading(doc, "Samarbejder", 3)
            if m.samarbejder:
                _table(
                    doc,
                    [
                        "Samarbejdspartnere",
                        "Niveau",
                        "Forventningsafstemning",
                        "Rollefordeling",
                        "Mål for samarbejdet",
                    ],
                    [
                        [
                            "; ".join(s.partner_navne),
                            s.niveau_label,
                            _t(s.forventningsafstemning),
                            _t(s.rollefordeling),
                            _t(s.maal_for_samarbejdet),
                        ]
                        for s in m.samarbejder
                    ],
                    [3.4, 3.3, 4.0, 3.1, 3.2],
                )
            else:
                _para(doc, "Ingen samarbejder på tværs (monofagligt).", italic=True, size=9)

            evals_rows = [
                [p.nr, e.type_label, _t(e.dato), _t(e.effekt), _t(e.laering)]
                for p in m.proevehandlinger
                for e in p.evalueringer
            ]
            if evals_rows:
                _heading(doc, "Evalueringer", 3)
                _table(
                    doc,
                    ["Prøvehandling", "Type", "Dato", "Effekt og værdi", "Læring"],
                    evals_rows,
                    [2.7, 2.1, 2.2, 5.0, 5.0],
                )

    footer = section.footer.paragraphs[0]
    run = footer.add_run(f"{_t(view.titel)} · Reference: {ref.text} · Side ")
    run.font.size = Pt(7)
    _page_field(footer, "PAGE")

    props = doc.core_properties
    props.title = _t(view.titel)[:255]
    props.subject = f"Målplan {view.aar or ''} for {_t(view.enhed_navn)}".strip()[:255]
    props.author = _t(view.ansvarlig or "")[:255]
    props.last_modified_by = f"udviklingsdag {app_version}".strip()
    props.keywords = f"målplan; {ref.text}"
    props.comments = "Lavet af udviklingsdag. Referencen (identifier) kan tjekkes med "
    props.comments += "«udviklingsdag verify»."
    props.identifier = ref.text
    props.language = "da-DK"
    props.revision = max(1, ref.revision)
    stamp = datetime.combine(when, time(12, 0))
    props.created = stamp
    props.modified = stamp
    props.category = "Målplan"

    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
