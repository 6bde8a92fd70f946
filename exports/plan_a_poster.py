"""The Plan A poster of a målplan: an A3 portrait page for the wall, as PDF/A (fpdf2, the
fonts of `exports.pdf`) and as .docx (python-docx, an A3 section).

The page: a big title (Plan A and the year, the enhed), the three perspectives as three
columns, each with its indicators. A chosen indicator stands out with the difference the
workplace wants to make and the mål tagged with it; an indicator not chosen is small and grey;
a required one says so. The footer holds the poster's reference and its QR code.

The reference is the poster's own (`exports.reference.poster_reference`: kind PLANA, the
målplan's id, a revision and a digest of what the poster shows, forskel texts included):
`udviklingsdag verify` finds it and says whether the poster would still look the same.

Everything fits on one page in the PDF: the type shrinks step by step (never below
`MIN_SCALE` of its size), and a text still too long for its column is cut with a note that the
rest is in the app. The .docx keeps all text and lets Word flow it on."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell
from fpdf import FPDF

from models.records import PlanAIndikator, PlanAMaal, PlanAPoster

from . import pdf as pdf_fonts
from .docx import _run_xml, docx_bytes, set_properties
from .reference import Reference, stamp_docx

if TYPE_CHECKING:
    from models.db import Database

# A3 portrait, in mm.
PAGE_W, PAGE_H = 297.0, 420.0
MARGIN = 20.0
GAP = 8.0
TITLE_PT = 48.0
ENHED_PT = 40.0
MIN_TITLE_PT = 40.0
# The sizes at scale 1; they shrink together down to MIN_SCALE when a column is too full.
LABEL_PT = 18.0
FORSKEL_PT = 16.0
MAAL_PT = 13.0
MIN_SCALE = 0.55
MAX_SCALE = 1.3
LABEL_FLOOR_PT = 14.0  # an indicator's name never gets smaller than this
LABEL_MAX_PT = 22.0  # nor larger than this (a long compound word still fits a column)
QR_MM = 34.0

# One colour per perspective (dark enough for white text on it), and the greys.
COLOURS: dict[str, tuple[int, int, int]] = {
    "Opgaver": (31, 78, 121),
    "Adfærd": (46, 107, 48),
    "Struktur": (133, 64, 13),
}
TINTS: dict[str, tuple[int, int, int]] = {
    "Opgaver": (229, 238, 247),
    "Adfærd": (230, 242, 228),
    "Struktur": (248, 236, 224),
}
GREY = (110, 110, 110)
LIGHT_GREY = (150, 150, 150)

OBLIGATORISK = "obligatorisk i 2024"
IKKE_VALGT = "ikke valgt i år"
INGEN_FORSKEL = "Forskellen er ikke skrevet endnu."
INGEN_MAAL = "Ingen mål er knyttet til indikatoren."
MAAL_HEADING = "Mål"
CUT = "… (resten står i udviklingsdag)"
INTRO = "Den forskel vi vil gøre på opgaver, adfærd og struktur"


def title(poster: PlanAPoster) -> str:
    return f"Plan A {poster.aar}" if poster.aar else "Plan A"


def periode(m: PlanAMaal) -> str:
    if m.fra_aar and m.til_aar and m.fra_aar != m.til_aar:
        return f"{m.fra_aar}–{m.til_aar}"
    return str(m.fra_aar or m.til_aar or "")


def maal_facts(m: PlanAMaal) -> str:
    return " · ".join(x for x in (m.ansvarlig or "", periode(m)) if x)


def indikator_heading(ind: PlanAIndikator) -> str:
    return f"{ind.nummer}. {ind.label}"


# --- PDF ------------------------------------------------------------------------------------


@dataclass
class _Line:
    text: str
    style: str
    size: float
    colour: tuple[int, int, int]
    indent: float = 0.0
    gap_before: float = 0.0


@dataclass
class _Box:
    """One indicator in a column: its lines, and whether it is chosen (drawn on a tint)."""

    chosen: bool
    lines: list[_Line] = field(default_factory=list)


def _line_h(size: float) -> float:
    return size * 0.3528 * 1.3  # pt to mm, with leading


def _wrap(pdf: FPDF, text: str, width: float, style: str, size: float) -> list[str]:
    pdf.set_font(pdf_fonts.FAMILY, style, size)
    return pdf_fonts.wrap_text(pdf, pdf_fonts._clean(text), width, style, size)


def _boxes(pdf: FPDF, inds: Sequence[PlanAIndikator], width: float, scale: float) -> list[_Box]:
    label_pt = min(LABEL_MAX_PT, max(LABEL_FLOOR_PT, LABEL_PT * scale))
    forskel_pt = FORSKEL_PT * scale
    maal_pt = MAAL_PT * scale
    inner = width - 8
    boxes: list[_Box] = []
    for ind in inds:
        box = _Box(ind.valgt)
        if ind.valgt:
            colour = (0, 0, 0)
            for t in _wrap(pdf, indikator_heading(ind), inner, "B", label_pt):
                box.lines.append(_Line(t, "B", label_pt, colour))
            if ind.obligatorisk:
                box.lines.append(_Line(OBLIGATORISK.upper(), "B", 10, GREY, gap_before=0.5))
            text = ind.forskel.strip() or INGEN_FORSKEL
            style_colour = (0, 0, 0) if ind.forskel.strip() else GREY
            first = True
            for t in _wrap(pdf, text, inner, "", forskel_pt):
                box.lines.append(
                    _Line(t, "", forskel_pt, style_colour, gap_before=2.5 if first else 0)
                )
                first = False
            box.lines.append(_Line(MAAL_HEADING, "B", maal_pt, colour, gap_before=3))
            if not ind.maal:
                for t in _wrap(pdf, INGEN_MAAL, inner, "", maal_pt):
                    box.lines.append(_Line(t, "", maal_pt, GREY))
            for m in ind.maal:
                first = True
                for t in _wrap(pdf, m.tekst, inner - 5, "", maal_pt):
                    box.lines.append(
                        _Line(
                            ("• " if first else "") + t,
                            "",
                            maal_pt,
                            colour,
                            indent=0 if first else 3.2,
                            gap_before=1.2 if first else 0,
                        )
                    )
                    first = False
                facts = maal_facts(m)
                if facts:
                    for t in _wrap(pdf, facts, inner - 5, "", maal_pt * 0.8):
                        box.lines.append(_Line(t, "", maal_pt * 0.8, GREY, indent=3.2))
        else:
            head = f"{indikator_heading(ind)} ({IKKE_VALGT})"
            for t in _wrap(pdf, head, inner, "", 11):
                box.lines.append(_Line(t, "", 11, LIGHT_GREY))
            if ind.obligatorisk:
                box.lines.append(_Line(OBLIGATORISK.upper(), "B", 9, GREY))
        boxes.append(box)
    return boxes


def _box_h(box: _Box) -> float:
    pad = 4.0 if box.chosen else 1.5
    return sum(_line_h(x.size) + x.gap_before for x in box.lines) + 2 * pad


def _column_h(boxes: list[_Box]) -> float:
    return sum(_box_h(b) + 4 for b in boxes)


def _fitted(pdf: FPDF, inds: Sequence[PlanAIndikator], width: float, room: float) -> list[_Box]:
    scale = MAX_SCALE
    boxes = _boxes(pdf, inds, width, scale)
    while scale > MIN_SCALE and _column_h(boxes) > room:
        scale = round(scale - 0.05, 2)
        boxes = _boxes(pdf, inds, width, scale)
    return boxes


class _PosterPDF(FPDF):
    def __init__(self, fast: bool) -> None:
        super().__init__(
            orientation="P",
            unit="mm",
            format=(PAGE_W, PAGE_H),
            enforce_compliance=pdf_fonts.COMPLIANCE,
        )
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(False)
        pdf_fonts._add_font(self, "", pdf_fonts.FONT_REGULAR, fast)
        pdf_fonts._add_font(self, "B", pdf_fonts.FONT_BOLD, fast)

    @property
    def missing_glyphs(self) -> bool:
        return any(getattr(f, "missing_glyphs", None) for f in self.fonts.values())


def _text(pdf: FPDF, x: float, y: float, line: _Line) -> None:
    """Draw one line with its top at `y`."""
    pdf.set_font(pdf_fonts.FAMILY, line.style, line.size)
    pdf.set_text_color(*line.colour)
    if line.text:
        pdf_fonts._draw_text(pdf, [(x, y + _line_h(line.size) * 0.78, line.text)])


def poster_pdf(
    poster: PlanAPoster, ref: Reference, qr_png: bytes, *, when: date, app_version: str = ""
) -> bytes:
    """The poster as PDF/A-2b bytes: one A3 portrait page."""
    pdf = _render(poster, ref, qr_png, when, app_version, fast=True)
    if pdf.missing_glyphs:
        pdf = _render(poster, ref, qr_png, when, app_version, fast=False)
    else:
        pdf_fonts._embed_from_common(pdf, whole=True)  # one page: the same font every time
    return pdf_fonts._output(pdf)


def _render(
    poster: PlanAPoster,
    ref: Reference,
    qr_png: bytes,
    when: date,
    app_version: str,
    *,
    fast: bool,
) -> _PosterPDF:
    pdf = _PosterPDF(fast)
    enhed = pdf_fonts._clean(poster.enhed)
    pdf.set_title(f"{title(poster)} · {enhed}")
    pdf.set_subject(f"Plan A-plakat for {enhed}")
    pdf.set_author("udviklingsdag")
    pdf.set_creator(f"udviklingsdag {app_version}".strip())
    pdf.set_producer("udviklingsdag (fpdf2)")
    pdf.set_keywords(f"plan a {ref.text}")  # verify reads the reference here
    pdf.set_lang("da-DK")
    pdf.set_creation_date(datetime.combine(when, time(12, 0)).astimezone())
    pdf.add_page()
    full = PAGE_W - 2 * MARGIN

    # The title: «Plan A 2026» and the enhed; a long name wraps, then shrinks (not below 40).
    y = MARGIN
    _text(pdf, MARGIN, y, _Line(title(poster), "B", TITLE_PT, COLOURS["Opgaver"]))
    y += _line_h(TITLE_PT)
    size = ENHED_PT
    lines = _wrap(pdf, enhed, full, "B", size)
    while len(lines) > 2 and size > MIN_TITLE_PT:
        size -= 2
        lines = _wrap(pdf, enhed, full, "B", size)
    if len(lines) > 2:
        lines = [lines[0], lines[1].rstrip() + " …"]
    for t in lines:
        _text(pdf, MARGIN, y, _Line(t, "B", size, (0, 0, 0)))
        y += _line_h(size)
    y += 2
    _text(pdf, MARGIN, y, _Line(INTRO, "", 16, GREY))
    y += _line_h(16) + 6

    # The three columns, each under a coloured band with the perspective's name.
    col_w = (full - 2 * GAP) / 3
    footer_top = PAGE_H - MARGIN - QR_MM - 4
    band_h = 16.0
    body_top = y + band_h + 5
    room = footer_top - body_top
    # Per column the largest type that fits: a short Plan A is written larger, a long one
    # smaller, and one long text does not shrink the other columns.
    columns = [_fitted(pdf, p.indikatorer, col_w, room) for p in poster.perspektiver]
    for i, (perspektiv, boxes) in enumerate(zip(poster.perspektiver, columns, strict=True)):
        x = MARGIN + i * (col_w + GAP)
        colour = COLOURS.get(perspektiv.navn, (60, 60, 60))
        pdf.set_fill_color(*colour)
        pdf.rect(x, y, col_w, band_h, style="F")
        _text(pdf, x + 4, y + 2.5, _Line(perspektiv.navn, "B", 24, (255, 255, 255)))
        _draw_column(pdf, boxes, x, body_top, col_w, footer_top, TINTS.get(perspektiv.navn))

    # The footer: the reference and the QR code.
    pdf.set_draw_color(*LIGHT_GREY)
    pdf.line(MARGIN, footer_top, PAGE_W - MARGIN, footer_top)
    qr_y = PAGE_H - MARGIN - QR_MM
    pdf.image(io.BytesIO(qr_png), x=PAGE_W - MARGIN - QR_MM, y=qr_y, w=QR_MM, h=QR_MM)
    fy = qr_y + 4
    for t in (
        poster.titel[:120],
        f"Lavet med udviklingsdag {when.strftime('%d-%m-%Y')}",
        f"Reference: {ref.text}",
        "Tjek om plakaten er aktuel: udviklingsdag verify (eller scan QR-koden)",
    ):
        for part in _wrap(pdf, t, full - QR_MM - 6, "", 10):
            _text(pdf, MARGIN, fy, _Line(part, "", 10, GREY))
            fy += _line_h(10)
    pdf.set_text_color(0, 0, 0)
    return pdf


def _draw_column(
    pdf: FPDF,
    boxes: list[_Box],
    x: float,
    top: float,
    width: float,
    bottom: float,
    tint: tuple[int, int, int] | None,
) -> None:
    y = top
    for box in boxes:
        pad = 4.0 if box.chosen else 1.5
        height = min(_box_h(box), bottom - y)
        if height <= pad * 2 + 2:
            return
        if box.chosen:
            pdf.set_fill_color(*(tint or (240, 240, 240)))
            pdf.rect(x, y, width, height, style="F")
        ly = y + pad
        limit = y + height - pad
        for n, line in enumerate(box.lines):
            step = _line_h(line.size) + line.gap_before
            rest = box.lines[n + 1 :]
            if ly + step > limit + 0.01 or (
                rest
                and ly + step + _line_h(9) > limit + 0.01
                and sum(_line_h(r.size) + r.gap_before for r in rest) + ly + step > limit + 0.01
            ):
                _text(pdf, x + 4, ly, _Line(CUT, "", 9, GREY))
                break
            ly += line.gap_before
            _text(pdf, x + 4 + line.indent, ly, line)
            ly += _line_h(line.size)
        y += height + 4
        if y >= bottom:
            return


# --- docx -----------------------------------------------------------------------------------


def _rgb(c: tuple[int, int, int]) -> RGBColor:
    return RGBColor(*c)


def _shade(cell: _Cell, colour: tuple[int, int, int]) -> None:
    props = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), "".join(f"{c:02X}" for c in colour))
    props.append(shd)


def _run(
    cell_or_para: object,
    text: str,
    size: float,
    *,
    bold: bool = False,
    colour: tuple[int, int, int] = (0, 0, 0),
    space_before: float = 0,
) -> None:
    from docx.text.paragraph import Paragraph

    if not isinstance(cell_or_para, Paragraph):
        # A new paragraph at the end of a cell, the body or the footer: the XML python-docx
        # writes for the lines below, made in one piece (a poster has some forty of them).
        container = cell_or_para._element  # type: ignore[attr-defined]
        container.append(parse_xml(_paragraph_xml(text, size, bold, colour, space_before)))
        return
    para = cell_or_para
    para.paragraph_format.space_before = Pt(space_before)
    para.paragraph_format.space_after = Pt(2)
    run = para.add_run(_docx_text(text))
    run.font.size = Pt(size)
    run.bold = bold
    run.font.color.rgb = _rgb(colour)


def _paragraph_xml(
    text: str, size: float, bold: bool, colour: tuple[int, int, int], space_before: float
) -> str:
    """A paragraph of one run, as `_run` makes it through python-docx: its spacing, then the
    run's bold, colour and size (in the order Word's schema puts them), then its text."""
    from docx.oxml.ns import nsdecls
    from docx.oxml.simpletypes import ST_HpsMeasure, ST_TwipsMeasure

    before = ST_TwipsMeasure.convert_to_xml(Pt(space_before))
    after = ST_TwipsMeasure.convert_to_xml(Pt(2))
    weight = "<w:b/>" if bold else '<w:b w:val="0"/>'
    props = (
        f'{weight}<w:color w:val="{_rgb(colour)}"/>'
        f'<w:sz w:val="{ST_HpsMeasure.convert_to_xml(Pt(size))}"/>'
    )
    run = _run_xml(_docx_text(text))
    return (
        f'<w:p {nsdecls("w")}><w:pPr><w:spacing w:before="{before}" w:after="{after}"/></w:pPr>'
        f"<w:r><w:rPr>{props}</w:rPr>{run[len('<w:r>') :]}</w:p>"
    )


def _docx_text(text: str) -> str:
    from .xlsx import clean_cell_text

    return clean_cell_text(text)


def poster_docx(
    poster: PlanAPoster, ref: Reference, qr_png: bytes, *, when: date, app_version: str = ""
) -> bytes:
    """The poster as .docx bytes: an A3 portrait section, the perspectives in a three-column
    table, the reference and QR code in the footer."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_W), Mm(PAGE_H)
    section.left_margin = section.right_margin = Mm(MARGIN)
    section.top_margin = Mm(MARGIN)
    section.bottom_margin = Mm(MARGIN + 10)
    section.footer_distance = Mm(8)
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(14)

    first = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    _run(first, title(poster), TITLE_PT, bold=True, colour=COLOURS["Opgaver"])
    _run(doc.add_paragraph(), poster.enhed, ENHED_PT, bold=True)
    _run(doc.add_paragraph(), INTRO, 16, colour=GREY, space_before=4)

    table = doc.add_table(rows=2, cols=3)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    # Room between the columns' texts (python-docx has no API for a table's cell margins).
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        mar = OxmlElement(f"w:{side}")
        mar.set(qn("w:w"), "200")  # twips: 3.5 mm
        mar.set(qn("w:type"), "dxa")
        margins.append(mar)
    table._tbl.tblPr.append(margins)
    col_w = Mm((PAGE_W - 2 * MARGIN) / 3)
    for i, perspektiv in enumerate(poster.perspektiver):
        head, body = table.rows[0].cells[i], table.rows[1].cells[i]
        head.width = body.width = col_w
        _shade(head, COLOURS.get(perspektiv.navn, (60, 60, 60)))
        _run(head.paragraphs[0], perspektiv.navn, 24, bold=True, colour=(255, 255, 255))
        body_para = body.paragraphs[0]
        used_first = False
        for ind in perspektiv.indikatorer:
            target: object = body_para if not used_first else body
            used_first = True
            if ind.valgt:
                _run(target, indikator_heading(ind), LABEL_PT, bold=True, space_before=10)
                if ind.obligatorisk:
                    _run(body, OBLIGATORISK.upper(), 10, bold=True, colour=GREY)
                if ind.forskel.strip():
                    _run(body, ind.forskel.strip(), FORSKEL_PT, space_before=4)
                else:
                    _run(body, INGEN_FORSKEL, FORSKEL_PT, colour=GREY, space_before=4)
                _run(body, MAAL_HEADING, MAAL_PT, bold=True, space_before=6)
                if not ind.maal:
                    _run(body, INGEN_MAAL, MAAL_PT, colour=GREY)
                for m in ind.maal:
                    _run(body, f"• {m.tekst}", MAAL_PT, space_before=2)
                    if facts := maal_facts(m):
                        _run(body, f"   {facts}", MAAL_PT * 0.8, colour=GREY)
            else:
                _run(
                    target,
                    f"{indikator_heading(ind)} ({IKKE_VALGT})",
                    11,
                    colour=LIGHT_GREY,
                    space_before=6,
                )
                if ind.obligatorisk:
                    _run(body, OBLIGATORISK.upper(), 9, bold=True, colour=GREY)

    footer = section.footer
    fpara = footer.paragraphs[0]
    fpara.add_run().add_picture(io.BytesIO(qr_png), width=Mm(28))
    _run(
        footer.add_paragraph(),
        f"{poster.titel} · Lavet med udviklingsdag {when.strftime('%d-%m-%Y')}",
        9,
        colour=GREY,
    )
    _run(footer.add_paragraph(), f"Reference: {ref.text}", 9, colour=GREY)

    set_properties(
        doc,
        title=f"{title(poster)} · {_docx_text(poster.enhed)}",
        subject=f"Plan A-plakat for {_docx_text(poster.enhed)}",
        author="udviklingsdag",
        keywords=f"plan a; {ref.text}",
        comments="Lavet af udviklingsdag. Referencen (identifier) kan tjekkes med "
        "«udviklingsdag verify».",
        category="Plan A-plakat",
        ref=ref,
        when=when,
        app_version=app_version,
    )
    stamp_docx(doc)  # the text digest `verify` compares, taken before the file is written
    return docx_bytes(doc)


# --- writing the posters --------------------------------------------------------------------


def poster_stem(poster: PlanAPoster, when: date) -> str:
    """`YYYY-MM-DD_PlanA_<aar>_<enhed>`: safe on Windows, like the SBSYS package's names."""
    from .naming import MAX_NAME, safe_component

    prefix = f"{when.isoformat()}_PlanA_{poster.aar or 'uden-aar'}_"
    return prefix + safe_component(
        poster.enhed, max_len=MAX_NAME - 8 - len(prefix), fallback="enhed"
    )


@dataclass(frozen=True)
class PosterResult:
    written: tuple[Path, ...]
    posters: int

    @property
    def summary(self) -> str:
        from models.words import antal

        return f"{antal(self.posters, 'Plan A-plakat', 'Plan A-plakater')} skrevet (PDF og Word)."


def _guard_pdf(path: Path) -> None:
    """An existing file under a poster's PDF name is replaced only when it is a PDF."""
    from .atomic import ExportError, guard_target

    guard_target(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(5)
    except FileNotFoundError:
        return
    except OSError:
        head = b""
    if head and not head.startswith(b"%PDF"):
        raise ExportError(
            f"{path.name} findes allerede og er ikke en PDF. Den overskrives ikke; intet er "
            "skrevet. Vælg en anden mappe, eller flyt filen først."
        )


# From this many posters on they are rendered in two worker processes (the SBSYS export's
# pool); fewer cost more to start than they save.
PARALLEL_POSTERS = 8


def render_poster(
    poster: PlanAPoster, ref: Reference, stem: str, when: date, app_version: str
) -> tuple[bytes, bytes]:
    """One poster's PDF and .docx (runs in a worker process when there are many). The .docx
    carries the digest of its own text, which `verify` compares (`poster_docx` puts it in)."""
    from .qr import reference_qr_png

    qr = reference_qr_png(ref)
    pdf = poster_pdf(poster, ref, qr, when=when, app_version=app_version)
    docx = poster_docx(poster, ref, qr, when=when, app_version=app_version)
    return pdf, docx


def export_posters(
    db: Database,
    folder: Path | str,
    *,
    when: date,
    aar: int | None = None,
    maalplan_ids: Sequence[str] | None = None,
    link_template: str | None = None,
    app_version: str = "",
) -> PosterResult:
    """Write a PDF and a .docx poster per målplan (of `aar`, or the plans given) into
    `folder` (created when missing), each written atomically. A handful of reads for the
    posters and their references, whatever the number of plans; every PDF's place is checked
    before anything is written (a foreign file of the same name stops the export)."""
    from models.plan_a import plan_a_posters

    from .atomic import atomic_write, write_error
    from .naming import unique_name
    from .reference import poster_reference
    from .sbsys import render_pooled

    target = Path(folder)
    posters = plan_a_posters(db, aar, maalplan_ids)
    if not posters:
        return PosterResult((), 0)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_error(exc, target) from None
    taken: set[str] = set()
    jobs = [
        (
            poster,
            poster_reference(poster, link_template),
            unique_name(poster_stem(poster, when), taken),
        )
        for poster in posters
    ]
    for _poster, _ref, stem in jobs:
        _guard_pdf(target / f"{stem}.pdf")
    written: list[Path] = []
    calls = [(render_poster, (poster, ref, stem, when, app_version)) for poster, ref, stem in jobs]
    # Closed at once if a write fails, so the worker processes stop with it.
    with contextlib.closing(render_pooled(calls, len(jobs) >= PARALLEL_POSTERS)) as rendered:
        for (_poster, _ref, stem), (pdf, docx) in zip(jobs, rendered, strict=True):
            written.append(atomic_write(target / f"{stem}.pdf", pdf))
            written.append(atomic_write(target / f"{stem}.docx", docx, kind="zip"))
    return PosterResult(tuple(written), len(posters))
