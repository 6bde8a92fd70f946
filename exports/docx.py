"""The målplan as a Word document: headings per målsætning and mål, tables of tegn,
prøvehandlinger, samarbejder (with niveau) and evalueringer, and the QR code with the plan's
reference. Written with python-docx; opens in Word and LibreOffice."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, time
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.simpletypes import ST_HpsMeasure
from docx.shared import Cm, Emu, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from models.maalplan_view import MaalplanView

from . import charts
from . import document_rows as content
from .reference import Reference, stamp_docx
from .xlsx import clean_cell_text

_GREY = RGBColor(0x59, 0x59, 0x59)
DOC_FONT = "Arial"

# Column widths (cm) of the tables under each mål, by `document_rows.Section.key`; 17 cm in all.
# One per column of the section's headers (a field given a document column needs one here).
COLUMN_WIDTHS_CM: dict[str, list[float]] = {
    "tegn": [1.0, 4.7, 2.3, 3.1, 2.7, 3.2],
    # Ansvarlig wide enough for «Sundhedsplejerske», «Ungdomsskoleleder» (never broken
    # inside the word), Periode and Evaluering for a date on a line of its own.
    "proevehandling": [1.0, 3.6, 3.1, 2.3, 3.2, 2.3, 1.5],
    "samarbejde": [3.4, 3.3, 4.0, 3.1, 3.2],
    "evaluering": [2.7, 2.1, 2.2, 5.0, 5.0],
    "mulige_partnere": [10.0, 7.0],
    "maaling": [2.2, 10.8, 4.0],
    "laering": [2.7, 2.2, 8.6, 3.5],
    "plan_laering": [2.2, 11.3, 3.5],
}


def _t(value: object) -> str:
    """Text for a document: dates in Danish form, None as empty, no XML-illegal characters."""
    return content.document_text(value, clean_cell_text)


def _period(start: date | None, slut: date | None) -> str:
    return content.period_text(start, slut, _t)


# python-docx looks styles up by name on every use (a scan of all styles); setting the style
# id directly keeps a 100-plan export fast.
TABLE_TEXT_STYLE = "Tabeltekst"


def _styled(para: Paragraph, style_id: str) -> Paragraph:
    para._p.get_or_add_pPr().style = style_id
    return para


def _heading(doc: DocxDocument, text: str, level: int) -> Paragraph:
    style_id = "Title" if level == 0 else f"Heading{level}"
    para = _styled(doc.add_paragraph(), style_id)
    para.add_run(text)
    return para


_RUN_SPLIT = re.compile(r"([\t\r\n])")
# A date as the documents write it (dd-mm-åååå): Word and LibreOffice break a line after any
# hyphen, so in a narrow column «15-03-2027» came out as «15-» and «03-2027».
_DATE_RE = re.compile(r"\b\d{1,2}-\d{1,2}-\d{4}\b")
# Stands for a hyphen inside a date while a run is built (never in cleaned text).
_NB_HYPHEN = "\x00"


def _text_xml(piece: str) -> str:
    space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
    return f"<w:t{space}>{xml_escape(piece)}</w:t>"


def _run_xml(text: str, bold: bool = False, *, whole_dates: bool = False) -> str:
    """A `w:r` element as python-docx's `add_run(text)` writes it: tabs as `w:tab`, line
    breaks as `w:br`, the rest in `w:t` (space-preserving when it starts or ends with a
    space). With `whole_dates`, the hyphens of a date are non-breaking (`w:noBreakHyphen`),
    so a date is never split over two lines."""
    parts = ["<w:r>", "<w:rPr><w:b/></w:rPr>" if bold else ""]
    for piece in _RUN_SPLIT.split(text) if text else ():
        if piece == "\t":
            parts.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            parts.append("<w:br/>")
        elif whole_dates and "-" in piece and _DATE_RE.search(piece):
            marked = _DATE_RE.sub(lambda m: m.group().replace("-", _NB_HYPHEN), piece)
            for i, bit in enumerate(marked.split(_NB_HYPHEN)):
                if i:
                    parts.append("<w:noBreakHyphen/>")
                if bit:
                    parts.append(_text_xml(bit))
        elif piece:
            parts.append(_text_xml(piece))
    parts.append("</w:r>")
    return "".join(parts)


class _QuickZip:
    """python-docx's zip writer, compressing at level 1: a large report's .docx is written in
    half the time for a fifth more bytes."""

    def __init__(self, buf: io.BytesIO) -> None:
        import zipfile

        self._zip = zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1)

    def write(self, uri: Any, blob: bytes) -> None:
        self._zip.writestr(uri.membername, blob)

    def close(self) -> None:
        self._zip.close()


def docx_bytes(doc: Any) -> bytes:
    """`doc` saved as .docx bytes: what `doc.save` writes, parts in the same order, through
    `_QuickZip` (python-docx's own `save` where its package writer has changed)."""
    buf = io.BytesIO()
    try:
        from docx.opc.pkgwriter import PackageWriter

        package = doc.part.package
        parts = list(package.iter_parts())
        writer = _QuickZip(buf)
        PackageWriter._write_content_types_stream(writer, parts)  # type: ignore[no-untyped-call]
        PackageWriter._write_pkg_rels(writer, package.rels)  # type: ignore[no-untyped-call]
        PackageWriter._write_parts(writer, parts)  # type: ignore[arg-type]
        writer.close()
    except (ImportError, AttributeError):  # pragma: no cover - another python-docx
        buf = io.BytesIO()
        doc.save(buf)
    return buf.getvalue()


def set_properties(
    doc: Any,
    *,
    title: str,
    subject: str,
    author: str,
    keywords: str,
    comments: str,
    category: str,
    ref: Reference,
    when: date,
    app_version: str,
) -> None:
    """The document properties every docx of the app carries: what it is, the reference
    (`identifier`, which `verify` reads), Danish, and the export day as its date (texts cut to
    the 255 characters Office keeps)."""
    props = doc.core_properties
    props.title = title[:255]
    props.subject = subject[:255]
    props.author = author[:255]
    props.last_modified_by = f"udviklingsdag {app_version}".strip()
    props.keywords = keywords
    props.comments = comments
    props.identifier = ref.text
    props.language = "da-DK"
    props.revision = max(1, ref.revision)
    stamp = datetime.combine(when, time(12, 0))
    props.created = stamp
    props.modified = stamp
    props.category = category


def _table_xml(headers: list[str], rows: list[list[str]], widths_cm: list[float], even: int) -> str:
    """A bordered table with a shaded header row that repeats on every page, as XML.

    Building it cell by cell with python-docx (a style, a run and a width per cell) was a third
    of a large export's time. The XML is exactly what those calls produced: the grid and the
    header cells carry the column widths; body cells keep python-docx's even share (`even`,
    twips) of the text width (the fixed layout takes the widths from the grid)."""
    cols = len(headers)
    twips = [Cm(w).twips for w in widths_cm]
    para = f'<w:p><w:pPr><w:pStyle w:val="{TABLE_TEXT_STYLE}"/></w:pPr>'
    xml = [
        "<w:tbl>",
        '<w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:type="auto" w:w="0"/>'
        '<w:jc w:val="left"/><w:tblLayout w:type="fixed"/>'
        '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" '
        'w:noHBand="0" w:noVBand="1" w:val="04A0"/></w:tblPr><w:tblGrid>',
        *(f'<w:gridCol w:w="{w}"/>' for w in twips),
        '</w:tblGrid><w:tr><w:trPr><w:tblHeader w:val="true"/></w:trPr>',
    ]
    for text, w in zip(headers, twips, strict=True):
        xml.append(
            f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{w}"/>'
            '<w:shd w:val="clear" w:color="auto" w:fill="DCE6F1"/></w:tcPr>'
            f"{para}{_run_xml(text, bold=True)}</w:p></w:tc>"
        )
    xml.append("</w:tr>")
    cell = f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{even}"/></w:tcPr>{para}'
    for values in rows:
        if len(values) != cols:
            raise ValueError("a table row has the wrong number of cells")
        xml.append("<w:tr>")
        xml.extend(
            f"{cell}{_run_xml(str(v) if v else '', whole_dates=True)}</w:p></w:tc>" for v in values
        )
        xml.append("</w:tr>")
    xml.append("</w:tbl>")
    return "".join(xml)


def _heading_xml(text: str, level: int) -> str:
    """What `_heading(doc, text, level)` adds, as XML."""
    style_id = "Title" if level == 0 else f"Heading{level}"
    return f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/></w:pPr>{_run_xml(text)}</w:p>'


def _para_xml(
    text: str,
    *,
    italic: bool = False,
    size: float | None = None,
    color: RGBColor | None = None,
    keep_with_next: bool = False,
) -> str:
    """What `_para(doc, text, ...)` adds, as XML (python-docx writes `italic=False` as
    `<w:i w:val="0"/>`)."""
    props = ["<w:i/>" if italic else '<w:i w:val="0"/>']
    if color is not None:
        props.append(f'<w:color w:val="{color}"/>')
    if size:
        props.append(f'<w:sz w:val="{ST_HpsMeasure.convert_to_xml(Pt(size))}"/>')
    run = _run_xml(text)
    run = f"<w:r><w:rPr>{''.join(props)}</w:rPr>{run[len('<w:r>') :]}"
    head = "<w:p><w:pPr><w:keepNext/></w:pPr>" if keep_with_next else "<w:p>"
    return f"{head}{run}</w:p>"


def _append_xml(doc: DocxDocument, parts: list[str]) -> None:
    """Parse the body XML `parts` in one go and add them at the end of the document (before
    its section properties, where python-docx adds paragraphs and tables)."""
    if not parts:
        return
    holder = parse_xml(f"<w:body {nsdecls('w')}>{''.join(parts)}</w:body>")
    body = doc.element.body
    sect = body.find(qn("w:sectPr"))
    for child in list(holder):
        if sect is None:
            body.append(child)
        else:
            sect.addprevious(child)


def _para(
    doc: DocxDocument,
    text: str,
    *,
    italic: bool = False,
    size: float | None = None,
    color: RGBColor | None = None,
    keep_with_next: bool = False,
) -> Paragraph:
    para: Paragraph = doc.add_paragraph()
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


def _page_field(paragraph: Paragraph, instr: str, size: Pt | None = None) -> None:
    # python-docx has no API for fields (PAGE, NUMPAGES): the run's private XML element `_r`
    # takes them as raw elements. The result «1» between separate and end is what a reader
    # shows that does not update fields; Word and LibreOffice put the number in.
    def field_run() -> Any:
        run = paragraph.add_run()
        if size is not None:
            run.font.size = size
        return run._r

    def char(kind: str) -> Any:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    begin = field_run()
    begin.append(char("begin"))
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instr} "
    field_run().append(code)
    field_run().append(char("separate"))
    result = paragraph.add_run("1")
    if size is not None:
        result.font.size = size
    field_run().append(char("end"))


# Danish spelling and grammar checking (python-docx's template says en-US).
PROOFING_LANGUAGE = "da-DK"


def _danish_proofing(doc: DocxDocument) -> None:
    """Make Danish the language of the document's text (the default run properties in
    styles.xml) and of its theme fonts (settings.xml), so Word and LibreOffice check the
    spelling in Danish."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        for lang in defaults.iter(qn("w:lang")):
            lang.set(qn("w:val"), PROOFING_LANGUAGE)
    settings = doc.settings.element
    for lang in settings.iter(qn("w:themeFontLang")):
        lang.set(qn("w:val"), PROOFING_LANGUAGE)


class _Pictures:
    """Numbers the pictures added as XML (python-docx numbers a new picture after those
    already in the body, and the XML is added to the body only at the end)."""

    def __init__(self, first: int) -> None:
        self.next = first

    def take(self) -> int:
        self.next += 1
        return self.next - 1


def chart_xml(
    doc: DocxDocument, chart: charts.Layout, number: int, descr: str, *, keep_next: bool = False
) -> str:
    """A paragraph with `chart` as a vector picture (EMF, `exports.emf`) as body XML; `number`
    is its unique drawing id.

    Each chart is its own image part under its own relationship id: python-docx's own
    `add_picture` hashes every picture already in the document to look for the same one and
    compares its relationship with all the others, for each picture added (minutes for a large
    report's thousands of run charts)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.parts.image import ImagePart

    from .emf import render_emf

    name = f"seriediagram{number}.emf"
    part = ImagePart(PackURI(f"/word/media/{name}"), "image/x-emf", render_emf(chart))
    rid = f"rIdSeriediagram{number}"
    doc.part.rels.add_relationship(RELATIONSHIP_TYPE.IMAGE, part, rid)
    keep = "<w:pPr><w:keepNext/></w:pPr>" if keep_next else ""
    cx, cy = Mm(chart.width), Mm(chart.height)
    return _CHART_XML.format(
        keep=keep,
        cx=int(cx),
        cy=int(cy),
        id=number,
        descr=xml_escape(descr[:250], {'"': "&quot;"}),
        name=name,
        rid=rid,
    )


# python-docx's `CT_Inline.new_pic_inline` as a template (it parses its XML for every picture).
_CHART_XML = (
    "<w:p>{keep}<w:r><w:drawing>"
    '<wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
    ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    ' xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
    ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<wp:extent cx="{cx}" cy="{cy}"/>'
    '<wp:docPr id="{id}" name="Picture {id}" descr="{descr}"/>'
    '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
    '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
    '<pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="{name}"/><pic:cNvPicPr/></pic:nvPicPr>'
    '<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
    '<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
    '<a:prstGeom prst="rect"/></pic:spPr></pic:pic></a:graphicData></a:graphic>'
    "</wp:inline></w:drawing></w:r></w:p>"
)


def _maaling_xml(
    doc: DocxDocument, block: content.MaalingBlock, width: int, pictures: _Pictures
) -> list[str]:
    """A tegn's målinger as XML: heading, summary, the run chart as a vector picture as wide as
    the text (an inline picture: never split over two pages) and the observations' table."""
    out = [
        _heading_xml(block.heading, 3),
        _para_xml(block.summary, size=9, color=_GREY, keep_with_next=True),
    ]
    if block.chart is not None:
        width_mm = Emu(width).mm
        chart = charts.layout(block.chart, width_mm, numbers=block.numbers)
        descr = f"Seriediagram: {block.heading}"
        keep = block.table is not None
        out.append(chart_xml(doc, chart, pictures.take(), descr, keep_next=keep))
    if block.table is not None:
        widths = COLUMN_WIDTHS_CM["maaling"]
        even = Emu(width // len(block.table.headers)).twips
        out.append(_table_xml(list(block.table.headers), block.table.rows, widths, even))
    return out


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
    for i, (label, value) in enumerate(content.header_facts(view, when)):
        para = left.paragraphs[0] if i == 0 else left.add_paragraph()
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

    _para(doc, content.counts_sentence(view), italic=True, size=9, color=_GREY)
    if not view.maal:
        _para(doc, content.NO_MAAL, italic=True)

    # The mål, their headings, notes and tables: written as XML and parsed once (adding
    # them one by one through python-docx rescans the whole body for every paragraph).
    block = doc._block_width  # python-docx's private width of the text block (no public one)
    parts: list[str] = []
    pictures = _Pictures(doc.part.next_id)
    for group in view.maalsaetninger:
        parts.append(_heading_xml(content.maalsaetning_heading(group, _t), 1))
        if kilde := content.kilde_line(group):
            parts.append(_para_xml(kilde, italic=True, size=9, color=_GREY, keep_with_next=True))
        for m in group.maal:
            parts.append(_heading_xml(content.maal_heading(m, _t), 2))
            if facts := content.maal_facts(m, _t):
                parts.append(_para_xml(facts, size=9, color=_GREY, keep_with_next=True))
            for sec in content.maal_sections(m, _t, _period):
                parts.append(_heading_xml(sec.heading, 3))
                if sec.rows:
                    widths = COLUMN_WIDTHS_CM[sec.key]
                    even = Emu(block // len(sec.headers)).twips
                    parts.append(_table_xml(list(sec.headers), sec.rows, widths, even))
                else:
                    parts.append(_para_xml(sec.empty, italic=True, size=9))
                if sec.key == "tegn":
                    for maalinger in content.maaling_blocks(m, _t):
                        parts.extend(_maaling_xml(doc, maalinger, block, pictures))
    if plan_laering := content.plan_laering_section(view, _t):
        parts.append(_heading_xml(plan_laering.heading, 1))
        widths = COLUMN_WIDTHS_CM[plan_laering.key]
        even = Emu(block // len(plan_laering.headers)).twips
        parts.append(_table_xml(list(plan_laering.headers), plan_laering.rows, widths, even))
    _append_xml(doc, parts)

    footer = section.footer.paragraphs[0]
    run = footer.add_run(f"{_t(view.titel)} · Reference: {ref.text} · Side ")
    run.font.size = Pt(7)
    _page_field(footer, "PAGE", Pt(7))
    run = footer.add_run(" af ")
    run.font.size = Pt(7)
    _page_field(footer, "NUMPAGES", Pt(7))
    _danish_proofing(doc)

    set_properties(
        doc,
        title=_t(view.titel),
        subject=f"Målplan {view.aar or ''} for {_t(view.enhed_navn)}".strip(),
        author=_t(view.ansvarlig or ""),
        keywords=f"målplan; {ref.text}",
        comments="Lavet af udviklingsdag. Referencen (identifier) kan tjekkes med "
        "«udviklingsdag verify».",
        category="Målplan",
        ref=ref,
        when=when,
        app_version=app_version,
    )

    stamp_docx(doc)  # the text digest `verify` compares, taken before the file is written
    return docx_bytes(doc)
