"""The Plan A poster of a målplan: an A3 portrait page for the wall, as PDF/A and as .docx
(python-docx, an A3 section). The PDF is written by our own one-page writer
(`exports.page_pdf`) when every text is in its common font (Danish and most European names),
else by fpdf2 with the fonts and the fallback font of `exports.pdf`; the layout is the same
(`_draw` on a `_Canvas`).

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
import functools
import io
import json
import math
import re
import struct
import sys
import threading
import zlib
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, cast
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.simpletypes import ST_HpsMeasure, ST_SignedTwipsMeasure, ST_TwipsMeasure
from docx.shared import Mm, Pt
from fpdf import FPDF

from models.records import PlanAIndikator, PlanAMaal, PlanAPoster

from . import page_pdf
from . import pdf as pdf_fonts
from .docx import _RUN_SPLIT, _run_xml, docx_bytes, set_properties
from .qr import qr_modules
from .reference import Reference, stamp_docx
from .seal import PLACEHOLDER as SEAL_PLACEHOLDER

if TYPE_CHECKING:
    from models.db import Database

# A3 portrait, in mm.
PAGE_W, PAGE_H = page_pdf.PAGE_W_MM, page_pdf.PAGE_H_MM
MARGIN = 20.0
GAP = 8.0
TITLE_PT = 48.0
ENHED_PT = 40.0
MIN_TITLE_PT = 40.0
# The sizes at scale 1; they shrink together down to MIN_SCALE when a column is too full.
LABEL_PT = 18.0
FORSKEL_PT = 16.0
MAAL_PT = 13.0
MIN_SCALE = 0.7  # 9 pt mål, 11 pt forskel: readable from a step away; what does not fit is counted
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
# What a box that did not fit says where it stops: how many of its mål are left out, and that
# the målplan has them (a reader at the wall knows the målplan, not the program).
CUT = "… (resten af teksten står i målplanen)"
CUT_MAAL = "… og {n} mål mere, som står i målplanen"
INTRO = "Den forskel vi vil gøre på opgaver, adfærd og struktur"


def title(poster: PlanAPoster) -> str:
    return f"Plan A {poster.aar}" if poster.aar else "Plan A"


def periode(m: PlanAMaal) -> str:
    if m.fra_aar and m.til_aar and m.fra_aar != m.til_aar:
        return f"{m.fra_aar}–{m.til_aar}"
    return str(m.fra_aar or m.til_aar or "")


def maal_facts(m: PlanAMaal) -> str:
    return " · ".join(x for x in (m.ansvarlig or "", periode(m)) if x)


# --- PDF ------------------------------------------------------------------------------------


class _Line(NamedTuple):
    """One line of the page (a tuple: a poster lays out tens of thousands while it tries its
    columns at several sizes, and the headings' lines are shared between posters)."""

    text: str
    style: str
    size: float
    colour: tuple[int, int, int]
    indent: float = 0.0
    gap_before: float = 0.0
    starts_maal: bool = False  # the first line of a mål (a cut before it leaves it out)


def _fitting(lines: Sequence[_Line], top: float, limit: float) -> int:
    """How many of `lines` are drawn between `top` and `limit`, leaving room for the line that
    says what is left out; a mål that does not fit whole is left out whole (half a mål on
    the wall reads as the whole of it)."""
    ly = top
    for n, line in enumerate(lines):
        step = _line_h(line.size) + line.gap_before
        rest = lines[n + 1 :]
        if ly + step > limit + 0.01 or (
            rest
            and ly + step + _line_h(9) > limit + 0.01
            and sum(_line_h(r.size) + r.gap_before for r in rest) + ly + step > limit + 0.01
        ):
            start = n
            while start > 0 and not lines[start].starts_maal and lines[start].indent:
                start -= 1  # back to the first line of the mål the cut fell in
            return start if lines[start].starts_maal else n
        ly += step
    return len(lines)


def cut_text(rest: Sequence[_Line]) -> str:
    """The line a box ends with when `rest` (from the first line not drawn) did not fit."""
    left_out = sum(line.starts_maal for line in rest)
    return CUT_MAAL.format(n=left_out) if left_out else CUT


@dataclass
class _Box:
    """One indicator in a column: its lines, and whether it is chosen (drawn on a tint)."""

    chosen: bool
    lines: list[_Line] = field(default_factory=list)


def _line_h(size: float) -> float:
    return size * 0.3528 * 1.3  # pt to mm, with leading


class _Canvas(Protocol):
    """Where a poster is drawn, in mm from the page's top left corner: our own one-page
    writer (`exports.page_pdf.Page`), or fpdf2 (`_FpdfCanvas`) when a text has letters
    outside the common font."""

    def wrap(self, text: str, width: float, style: str, size: float) -> list[str]: ...

    def width(self, text: str, style: str, size: float) -> float: ...

    def text(
        self,
        x: float,
        baseline: float,
        text: str,
        style: str,
        size: float,
        colour: tuple[int, int, int],
    ) -> None: ...

    def fill(
        self, x: float, y: float, w: float, h: float, colour: tuple[int, int, int]
    ) -> None: ...

    def rule(self, x1: float, x2: float, y: float, colour: tuple[int, int, int]) -> None: ...


def _wrap(pdf: _Canvas, text: str, width: float, style: str, size: float) -> list[str]:
    return pdf.wrap(text, width, style, size)


def _boxes(pdf: _Canvas, inds: Sequence[PlanAIndikator], width: float, scale: float) -> list[_Box]:
    label_pt = min(LABEL_MAX_PT, max(LABEL_FLOOR_PT, LABEL_PT * scale))
    forskel_pt = FORSKEL_PT * scale
    maal_pt = MAAL_PT * scale
    inner = width - 8
    boxes: list[_Box] = []
    for ind in inds:
        box = _Box(ind.valgt)
        if ind.valgt:
            colour = (0, 0, 0)
            box.lines += _numbered(pdf, ind, ind.label, inner, "B", label_pt, colour)
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
                            starts_maal=first,
                        )
                    )
                    first = False
                facts = maal_facts(m)
                if facts:
                    for t in _wrap(pdf, facts, inner - 5, "", maal_pt * 0.8):
                        box.lines.append(_Line(t, "", maal_pt * 0.8, GREY, indent=3.2))
        else:
            box.lines += _not_chosen(pdf, ind, inner)
        boxes.append(box)
    return boxes


# Per process, the lines that are the same in many posters of our own writer: the headings of
# the indicators (their names are the eight of Plan A) by size, and the box of an indicator not
# chosen, which is drawn at one size whatever the column's scale. fpdf2's pages (the rare
# poster with letters outside the common font) measure with their own fonts and keep nothing.
_HEADINGS: dict[tuple[object, ...], tuple[_Line, ...]] = {}


def _kept(
    key: tuple[object, ...], pdf: _Canvas, make: Callable[[], tuple[_Line, ...]]
) -> tuple[_Line, ...]:
    """`make()`, kept in `_HEADINGS` under `key` when `pdf` is our own writer's page."""
    if not isinstance(pdf, page_pdf.Page):
        return make()
    lines = _HEADINGS.get(key)
    if lines is None:
        if len(_HEADINGS) > 2_000:  # the names of many years' indicators: start again
            _HEADINGS.clear()
        lines = _HEADINGS[key] = make()
    return lines


def _not_chosen(pdf: _Canvas, ind: PlanAIndikator, inner: float) -> tuple[_Line, ...]:
    def make() -> tuple[_Line, ...]:
        head = f"{ind.label} ({IKKE_VALGT})"
        lines = _numbered(pdf, ind, head, inner, "", 11, LIGHT_GREY)
        if ind.obligatorisk:
            lines += (_Line(OBLIGATORISK.upper(), "B", 9, GREY),)
        return lines

    return _kept(("ikke valgt", ind.nummer, ind.label, ind.obligatorisk, inner), pdf, make)


def _numbered(
    pdf: _Canvas,
    ind: PlanAIndikator,
    text: str,
    width: float,
    style: str,
    size: float,
    colour: tuple[int, int, int],
) -> tuple[_Line, ...]:
    """An indicator's heading, «1. Sammenhæng fra vision …», with a hanging indent: the text
    wraps beside its number, so the number never stands alone on a line (at 22 pt in a third
    of an A3 page «1.» stood above «Sammenhæng»), at the largest size from `size` down to
    `LABEL_FLOOR_PT` at which every word fits beside it (at 22 pt «Borgerinddragelse» and
    «Samarbejdsrelationer» were wider than the column, and were broken inside the word).
    Kept per process (`_HEADINGS`): the same eight names come back in every poster."""

    def make() -> tuple[_Line, ...]:
        fit = size
        number = f"{ind.nummer}. "
        words = text.split()
        while True:
            lead = pdf.width(number, style, fit)
            widest = max((pdf.width(w, style, fit) for w in words), default=0.0)
            if widest <= width - lead or fit - 1 < min(LABEL_FLOOR_PT, fit):
                break
            fit -= 1
        return tuple(
            _Line((number if i == 0 else "") + t, style, fit, colour, indent=lead if i else 0.0)
            for i, t in enumerate(_wrap(pdf, text, width - lead, style, fit))
        )

    return _kept(("overskrift", ind.nummer, text, width, style, size, colour), pdf, make)


def _box_h(box: _Box) -> float:
    pad = 4.0 if box.chosen else 1.5
    return sum(_line_h(x.size) + x.gap_before for x in box.lines) + 2 * pad


def _column_h(boxes: list[_Box]) -> float:
    return sum(_box_h(b) + 4 for b in boxes)


def _column_height(
    pdf: _Canvas, inds: Sequence[PlanAIndikator], width: float, scale: float
) -> float:
    """`_column_h(_boxes(pdf, inds, width, scale))` without making the lines: the same heights
    added in the same order (so the same float), from how many lines each text wraps to. The
    scale search measures two or three layouts a column and keeps one."""
    label_pt = min(LABEL_MAX_PT, max(LABEL_FLOOR_PT, LABEL_PT * scale))
    forskel_h, maal_h = _line_h(FORSKEL_PT * scale), _line_h(MAAL_PT * scale)
    facts_h = _line_h(MAAL_PT * scale * 0.8)
    inner = width - 8
    column = 0.0
    for ind in inds:
        if not ind.valgt:
            lines = _not_chosen(pdf, ind, inner)
            column += sum(_line_h(x.size) + x.gap_before for x in lines) + 2 * 1.5 + 4
            continue
        heading = _numbered(pdf, ind, ind.label, inner, "B", label_pt, (0, 0, 0))
        addends = [_line_h(x.size) + x.gap_before for x in heading]
        if ind.obligatorisk:
            addends.append(_line_h(10) + 0.5)
        forskel = len(
            _wrap(pdf, ind.forskel.strip() or INGEN_FORSKEL, inner, "", FORSKEL_PT * scale)
        )
        addends += [forskel_h + 2.5] + [forskel_h + 0] * (forskel - 1)
        addends.append(maal_h + 3)
        if not ind.maal:
            addends += [maal_h + 0] * len(_wrap(pdf, INGEN_MAAL, inner, "", MAAL_PT * scale))
        for m in ind.maal:
            n = len(_wrap(pdf, m.tekst, inner - 5, "", MAAL_PT * scale))
            addends += [maal_h + 1.2] + [maal_h + 0] * (n - 1)
            facts = maal_facts(m)
            if facts:
                addends += [facts_h + 0] * len(
                    _wrap(pdf, facts, inner - 5, "", MAAL_PT * scale * 0.8)
                )
        column += sum(addends) + 2 * 4.0 + 4
    return column


def _fitted(pdf: _Canvas, inds: Sequence[PlanAIndikator], width: float, room: float) -> list[_Box]:
    """The column's boxes at the largest scale of `SCALES` at which they fit in `room` (the
    smallest scale when none does). A column's height shrinks about as the square of its scale
    (smaller type and fewer lines), so the search starts where that says it fits and steps
    from there: two or three layouts instead of up to thirteen."""
    heights: dict[int, float] = {}

    def fits(i: int) -> bool:
        if i not in heights:
            heights[i] = _column_height(pdf, inds, width, SCALES[i])
        return heights[i] <= room

    last = len(SCALES) - 1
    if fits(0):
        return _boxes(pdf, inds, width, SCALES[0])
    target = SCALES[0] * math.sqrt(room / max(heights[0], 1e-6))
    i = min(last, max(1, sum(1 for s in SCALES if s > target + 1e-9)))
    if fits(i):
        while i > 1 and fits(i - 1):
            i -= 1
    else:
        while i < last and not fits(i):
            i += 1
    return _boxes(pdf, inds, width, SCALES[i])


# The scales a column's type is tried at, largest first (steps of 0.05).
SCALES = tuple(
    round(MAX_SCALE - 0.05 * k, 2) for k in range(round((MAX_SCALE - MIN_SCALE) / 0.05) + 1)
)


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


class _FpdfCanvas:
    """A poster drawn with fpdf2 (for the texts our own writer cannot draw)."""

    def __init__(self, pdf: _PosterPDF, qr_png: bytes) -> None:
        self.pdf = pdf
        self.qr_png = qr_png

    def wrap(self, text: str, width: float, style: str, size: float) -> list[str]:
        return pdf_fonts.wrap_text(self.pdf, pdf_fonts._clean(text), width, style, size)

    def width(self, text: str, style: str, size: float) -> float:
        return pdf_fonts._text_width(self.pdf, pdf_fonts._clean(text), style, size)

    def text(
        self,
        x: float,
        baseline: float,
        text: str,
        style: str,
        size: float,
        colour: tuple[int, int, int],
    ) -> None:
        self.pdf.set_font(pdf_fonts.FAMILY, style, size)
        self.pdf.set_text_color(*colour)
        if text:
            pdf_fonts._draw_text(self.pdf, [(x, baseline, text)])

    def fill(self, x: float, y: float, w: float, h: float, colour: tuple[int, int, int]) -> None:
        self.pdf.set_fill_color(*colour)
        self.pdf.rect(x, y, w, h, style="F")

    def rule(self, x1: float, x2: float, y: float, colour: tuple[int, int, int]) -> None:
        self.pdf.set_draw_color(*colour)
        self.pdf.line(x1, y, x2, y)

    def qr(self, x: float, y: float, size: float) -> None:
        self.pdf.image(io.BytesIO(self.qr_png), x=x, y=y, w=size, h=size)


def _text(pdf: _Canvas, x: float, y: float, line: _Line) -> None:
    """Draw one line with its top at `y`."""
    pdf.text(x, y + _line_h(line.size) * 0.78, line.text, line.style, line.size, line.colour)


@dataclass(frozen=True)
class _Facts:
    """The poster's document properties (the same in both writers)."""

    title: str
    subject: str
    creator: str
    keywords: str
    created: datetime


def _facts(poster: PlanAPoster, ref: Reference, when: date, app_version: str) -> _Facts:
    enhed = page_pdf.clean(poster.enhed)
    return _Facts(
        title=f"{title(poster)} · {enhed}",
        subject=f"Plan A-plakat for {enhed}",
        creator=f"udviklingsdag {app_version}".strip(),
        # verify reads the reference here, and the seal is written in the placeholder's place
        keywords=f"plan a {ref.text} {SEAL_PLACEHOLDER}",
        created=datetime.combine(when, time(12, 0)).astimezone(),
    )


def poster_pdf(
    poster: PlanAPoster, ref: Reference, qr_png: bytes, *, when: date, app_version: str = ""
) -> bytes:
    """The poster as PDF/A-2b bytes: one A3 portrait page. Written by our own one-page writer
    (`exports.page_pdf`) when every text is in its common font, else by fpdf2 (`qr_png` is the
    QR code's picture there; our writer draws the same modules as vectors)."""
    facts = _facts(poster, ref, when, app_version)
    page = page_pdf.Page.start()
    if page is not None:
        modules = qr_modules(ref.qr_payload)
        try:
            _draw(page, poster, ref, when, functools.partial(page.qr, modules))
        except page_pdf.NotCovered:
            pass
        else:
            return page.finish(
                page_pdf.Metadata(
                    title=facts.title,
                    subject=facts.subject,
                    author="udviklingsdag",
                    creator=facts.creator,
                    producer=PRODUCER,
                    keywords=facts.keywords,
                    created=facts.created,
                )
            )
    pdf = _render(poster, ref, qr_png, when, facts, fast=True)
    if pdf.missing_glyphs:
        pdf = _render(poster, ref, qr_png, when, facts, fast=False)
    else:
        pdf_fonts._embed_from_common(pdf, whole=True)  # one page: the same font every time
    return pdf_fonts._output(pdf)


# What our own writer names itself in the PDF (`exports.reference` knows it as ours).
PRODUCER = "udviklingsdag (plakat)"


def _render(
    poster: PlanAPoster, ref: Reference, qr_png: bytes, when: date, facts: _Facts, *, fast: bool
) -> _PosterPDF:
    pdf = _PosterPDF(fast)
    pdf.set_title(facts.title)
    pdf.set_subject(facts.subject)
    pdf.set_author("udviklingsdag")
    pdf.set_creator(facts.creator)
    pdf.set_producer("udviklingsdag (fpdf2)")
    pdf.set_keywords(facts.keywords)
    pdf.set_lang("da-DK")
    pdf.set_creation_date(facts.created)
    pdf.add_page()
    canvas = _FpdfCanvas(pdf, qr_png)
    _draw(canvas, poster, ref, when, canvas.qr)
    pdf.set_text_color(0, 0, 0)
    return pdf


def _draw(
    pdf: _Canvas,
    poster: PlanAPoster,
    ref: Reference,
    when: date,
    qr: Callable[[float, float, float], None],
) -> None:
    """The poster's page: the title, the three columns, the footer with `qr` drawing the QR
    code at (x, y) with the given size."""
    enhed = poster.enhed  # cleaned where it is wrapped
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
        pdf.fill(x, y, col_w, band_h, colour)
        _text(pdf, x + 4, y + 2.5, _Line(perspektiv.navn, "B", 24, (255, 255, 255)))
        _draw_column(pdf, boxes, x, body_top, col_w, footer_top, TINTS.get(perspektiv.navn))

    # The footer: the reference and the QR code.
    pdf.rule(MARGIN, PAGE_W - MARGIN, footer_top, LIGHT_GREY)
    qr_y = PAGE_H - MARGIN - QR_MM
    qr(PAGE_W - MARGIN - QR_MM, qr_y, QR_MM)
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


def _draw_column(
    pdf: _Canvas,
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
            pdf.fill(x, y, width, height, tint or (240, 240, 240))
        ly = y + pad
        limit = y + height - pad
        shown = _fitting(box.lines, ly, limit)
        for line in box.lines[:shown]:
            ly += line.gap_before
            _text(pdf, x + 4 + line.indent, ly, line)
            ly += _line_h(line.size)
        if shown < len(box.lines):
            _text(pdf, x + 4, ly, _Line(cut_text(box.lines[shown:]), "", 9, GREY))
        y += height + 4
        if y >= bottom:
            return


# --- docx -----------------------------------------------------------------------------------
#
# A poster is one page, so python-docx's fixed costs were most of its .docx: opening the
# default template (styles of 0.8 MB of XML), building the section and the footer, and writing
# and compressing every part again. The package is therefore made once per process
# (`_template`): python-docx builds the poster's A3 section, its Normal style and a footer with
# the QR code's picture, and every part that is the same for every poster is kept compressed.
# Per poster only the body (`word/document.xml`), the footer's text, the QR picture and the
# document properties are written, as the XML those python-docx calls wrote (the test builds a
# poster both ways and compares the parts).


def _hex(c: tuple[int, int, int]) -> str:
    return "".join(f"{v:02X}" for v in c)


_AFTER = ST_TwipsMeasure.convert_to_xml(Pt(2))


def _paragraph_xml(
    text: str,
    size: float,
    *,
    bold: bool = False,
    colour: tuple[int, int, int] = (0, 0, 0),
    space_before: float = 0,
    indent: float = 0,
    hanging: bool = False,
    clean: bool = True,
) -> str:
    """A paragraph of one run: its spacing (2 pt after) and its indent (`indent` pt; with
    `hanging` the first line starts at the margin and its text after a tab at the indent),
    then the run's bold, colour and size (in the order Word's schema puts them), then its
    text (`clean`: cleaned here first)."""
    run = _run_xml(_docx_text(text) if clean else text)
    head = _paragraph_head(size, bold, colour, space_before, indent, hanging)
    return f"{head}{run[len('<w:r>') :]}</w:p>"


@functools.cache
def _paragraph_head(
    size: float,
    bold: bool,
    colour: tuple[int, int, int],
    space_before: float,
    indent: float,
    hanging: bool,
) -> str:
    """A paragraph's XML up to its run's text, made once for each look."""
    weight = "<w:b/>" if bold else '<w:b w:val="0"/>'
    # Sizes in Word's units as python-docx converts them (half-points cut, not rounded).
    before = ST_TwipsMeasure.convert_to_xml(Pt(space_before))
    half_points = ST_HpsMeasure.convert_to_xml(Pt(size))
    ind = ""
    if indent:
        ind = f'<w:ind w:left="{ST_SignedTwipsMeasure.convert_to_xml(Pt(indent))}"'
        if hanging:
            ind += f' w:hanging="{ST_TwipsMeasure.convert_to_xml(Pt(indent))}"'
        ind += "/>"
    return (
        f'<w:p><w:pPr><w:spacing w:before="{before}" w:after="{_AFTER}"/>{ind}</w:pPr>'
        f'<w:r><w:rPr>{weight}<w:color w:val="{_hex(colour)}"/>'
        f'<w:sz w:val="{half_points}"/></w:rPr>'
    )


def _docx_text(text: str) -> str:
    from .xlsx import clean_cell_text

    return clean_cell_text(text)


class _Body:
    """The body's XML as it is built, and the text of its paragraphs as `verify` reads it back
    from the file (`exports.reference.body_text`: each paragraph's `w:t` texts joined, so a
    tab or a line break, written as `w:tab` or `w:br`, adds nothing), for the digest."""

    def __init__(self) -> None:
        self.xml: list[str] = []
        self.texts: list[str] = []

    def para(
        self,
        text: str,
        size: float,
        *,
        bold: bool = False,
        colour: tuple[int, int, int] = (0, 0, 0),
        space_before: float = 0,
        indent: float = 0,
        lead: str = "",
    ) -> str:
        """A paragraph of `text`, indented `indent` pt; with `lead` (a number, a bullet)
        before it and a tab, the lead stands at the margin and the text's lines start under
        each other at the indent (as the PDF draws them)."""
        text = _docx_text(text)
        if lead:
            text = f"{lead}\t{text}"
        self.texts.append(_RUN_SPLIT.sub("", text))
        return _paragraph_xml(
            text,
            size,
            bold=bold,
            colour=colour,
            space_before=space_before,
            indent=indent,
            hanging=bool(lead),
            clean=False,
        )


def _indikator_xml(body: _Body, ind: PlanAIndikator) -> list[str]:
    para = body.para
    number = f"{ind.nummer}. "  # with its space: the text `verify` reads is as before
    if not ind.valgt:
        head = f"{ind.label} ({IKKE_VALGT})"
        xml = [para(head, 11, colour=LIGHT_GREY, space_before=6, lead=number, indent=14)]
        if ind.obligatorisk:
            xml.append(para(OBLIGATORISK.upper(), 9, bold=True, colour=GREY))
        return xml
    xml = [para(ind.label, LABEL_PT, bold=True, space_before=10, lead=number, indent=24)]
    if ind.obligatorisk:
        xml.append(para(OBLIGATORISK.upper(), 10, bold=True, colour=GREY))
    if ind.forskel.strip():
        xml.append(para(ind.forskel.strip(), FORSKEL_PT, space_before=4))
    else:
        xml.append(para(INGEN_FORSKEL, FORSKEL_PT, colour=GREY, space_before=4))
    xml.append(para(MAAL_HEADING, MAAL_PT, bold=True, space_before=6))
    if not ind.maal:
        xml.append(para(INGEN_MAAL, MAAL_PT, colour=GREY))
    for m in ind.maal:
        xml.append(para(m.tekst, MAAL_PT, space_before=2, lead="• ", indent=10))
        if facts := maal_facts(m):
            xml.append(para(facts, MAAL_PT * 0.8, colour=GREY, indent=10))
    return xml


# The table's three columns: the page's text width in thirds, in twips.
_COLUMNS = 3
_COL_TWIPS = round((PAGE_W - 2 * MARGIN) / _COLUMNS * 1440 / 25.4)
# Room between the columns' texts: 200 twips (3.5 mm) left and right in every cell.
_TABLE_START = (
    '<w:tbl><w:tblPr><w:tblW w:type="auto" w:w="0"/><w:jc w:val="center"/>'
    '<w:tblLayout w:type="fixed"/><w:tblLook w:firstColumn="1" w:firstRow="1" '
    'w:lastColumn="0" w:lastRow="0" w:noHBand="0" w:noVBand="1" w:val="04A0"/>'
    '<w:tblCellMar><w:left w:w="200" w:type="dxa"/><w:right w:w="200" w:type="dxa"/>'
    "</w:tblCellMar></w:tblPr><w:tblGrid>"
    + f'<w:gridCol w:w="{_COL_TWIPS}"/>' * _COLUMNS
    + "</w:tblGrid>"
)


def _cell_xml(paragraphs: list[str], fill: tuple[int, int, int] | None = None) -> str:
    shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{_hex(fill)}"/>' if fill else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{_COL_TWIPS}"/>{shade}</w:tcPr>'
        f"{''.join(paragraphs) or '<w:p/>'}</w:tc>"
    )


def _body_xml(poster: PlanAPoster) -> _Body:
    """The poster's body: the title, the enhed and the intro, then a table of three columns:
    a row of the perspectives' coloured names over a row of their indicators."""
    body = _Body()
    para = body.para
    xml = body.xml
    xml += [
        para(title(poster), TITLE_PT, bold=True, colour=COLOURS["Opgaver"]),
        para(poster.enhed, ENHED_PT, bold=True),
        para(INTRO, 16, colour=GREY, space_before=4),
        _TABLE_START,
        "<w:tr>",
    ]
    perspektiver = list(poster.perspektiver[:_COLUMNS])
    for i in range(_COLUMNS):
        if i < len(perspektiver):
            navn = perspektiver[i].navn
            head = [para(navn, 24, bold=True, colour=(255, 255, 255))]
            xml.append(_cell_xml(head, COLOURS.get(navn, (60, 60, 60))))
        else:
            xml.append(_cell_xml([]))
    xml.append("</w:tr><w:tr>")
    for i in range(_COLUMNS):
        inds = perspektiver[i].indikatorer if i < len(perspektiver) else ()
        xml.append(_cell_xml([x for ind in inds for x in _indikator_xml(body, ind)]))
    xml.append("</w:tr></w:tbl>")
    return body


@dataclass(frozen=True)
class _Template:
    """The poster package's parts that are the same for every poster (`_template`)."""

    package: bytes  # a .docx zip of every fixed part, compressed
    document_head: str  # word/document.xml up to and with `<w:body>`
    document_tail: str  # the section (A3, margins, the footer's reference) and the end tags
    footer_head: str  # word/footer1.xml with the QR picture's paragraph, without `</w:ftr>`
    document_name: str
    footer_name: str
    image_name: str
    core_name: str
    # docProps/core.xml as python-docx writes it for a poster, with `_CORE_SLOTS` where a
    # poster's own values go (`_core_xml`); empty: set with python-docx for every poster.
    core_xml: str
    # The fixed parts as the start of every poster's zip: their entries (header and data),
    # their records of the zip's directory, and how many there are (`_poster_zip`).
    zip_entries: bytes = field(init=False)
    zip_directory: bytes = field(init=False)
    zip_count: int = field(init=False)

    def __post_init__(self) -> None:
        entries, directory, count = _zip_parts(self.package)
        object.__setattr__(self, "zip_entries", entries)
        object.__setattr__(self, "zip_directory", directory)
        object.__setattr__(self, "zip_count", count)


_BODY_OPEN, _BODY_CLOSE = "<w:body>", "<w:sectPr"
_FOOTER_CLOSE = "</w:ftr>"
# The kind of prepared parts (`font_cache`) the template is kept as.
TEMPLATE_KIND = "plakat-docx"
_TEMPLATE_TEXTS = (
    "document_head",
    "document_tail",
    "footer_head",
    "document_name",
    "footer_name",
    "image_name",
    "core_name",
    "core_xml",
)


@functools.cache
def _template() -> _Template:
    """The template, once per process: read from the app's data folder when it was made
    before from the same sources (`font_cache`), else made with python-docx (about 35 ms)
    and kept there."""
    from . import font_cache

    made = font_cache.kept_or_made(
        _template_name(), TEMPLATE_KIND, _template_from, _make_template, _as_parts
    )
    return cast(_Template, made)  # `_make_template` always makes one


def _as_parts(t: _Template) -> dict[str, bytes]:
    texts = {key: getattr(t, key) for key in _TEMPLATE_TEXTS}
    return {"package": t.package, "texts": json.dumps(texts).encode("utf-8")}


def _template_name() -> str | None:
    """A name for everything the template is made from: this module, the modules it uses
    to make it, python-docx's own template and the versions of python-docx and lxml. None
    when one cannot be read (the template is then made each time)."""
    import docx
    from lxml import etree  # type: ignore[import-untyped]

    from . import docx as our_docx
    from . import font_cache, qr

    try:
        sources = [Path(module.__file__ or "").read_bytes() for module in (page_pdf, qr, our_docx)]
        sources.append(Path(__file__).read_bytes())
        sources.append(
            (Path(docx.__file__ or "").parent / "templates" / "default.docx").read_bytes()
        )
    except OSError:
        return None
    versions = repr((getattr(docx, "__version__", ""), etree.LXML_VERSION)).encode()
    return font_cache.key([versions, *sources])


def _template_from(parts: dict[str, bytes] | None) -> _Template | None:
    """The template `_template` kept, or None when `parts` are not such parts: a whole zip of
    the fixed parts (with its content types, without the poster's own four), the four parts'
    distinct ASCII names, XML that is whole once a poster's body goes in, and the properties'
    slots. Whatever else a file in the data folder holds, it is made again."""
    import zipfile
    from xml.etree import ElementTree

    if parts is None or set(parts) != {"package", "texts"}:
        return None
    try:
        texts = json.loads(parts["texts"])
        values = {key: texts[key] for key in _TEMPLATE_TEXTS}
        if not all(isinstance(v, str) for v in values.values()):
            return None
        names = [values[f"{part}_name"] for part in ("document", "footer", "image", "core")]
        if (
            not all(name.isascii() and name for name in names)
            or len(set(names)) != len(names)
            or not values["document_head"].endswith(_BODY_OPEN)
            or not values["document_tail"].startswith(_BODY_CLOSE)
            or not _core_slots_ok(values["core_xml"])
        ):
            return None
        with zipfile.ZipFile(io.BytesIO(parts["package"])) as fixed:
            listed = fixed.namelist()
            if (
                "[Content_Types].xml" not in listed
                or len(listed) > 200
                or set(names) & set(listed)
                or fixed.testzip() is not None
            ):
                return None
        for xml in (
            values["document_head"] + values["document_tail"],
            values["footer_head"] + _FOOTER_CLOSE,
            values["core_xml"],
        ):
            if xml:
                ElementTree.fromstring(xml.encode("utf-8"))
        return _Template(package=parts["package"], **values)
    except Exception:  # anything a damaged or foreign file may hold: made again
        return None


def _make_template() -> _Template:
    import zipfile

    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    from .qr import bilevel_png

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
    footer = section.footer
    # A square picture in the QR code's place (every QR code is square; its pixels are
    # replaced per poster, its size on the page stays).
    square = io.BytesIO(bilevel_png([[False] * 64] * 64, 1, 0))  # white, 64 x 64 pixels
    footer.paragraphs[0].add_run().add_picture(square, width=Mm(28))
    image = next(r.target_part for r in footer.part.rels.values() if r.reltype == RT.IMAGE)
    names = {
        "document": doc.part.partname.membername,
        "footer": footer.part.partname.membername,
        "image": image.partname.membername,
        "core": doc.part.package.part_related_by(RT.CORE_PROPERTIES).partname.membername,
    }
    whole = zipfile.ZipFile(io.BytesIO(docx_bytes(doc)))
    document = whole.read(names["document"]).decode("utf-8")
    footer_xml = whole.read(names["footer"]).decode("utf-8")
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as fixed:
        for info in whole.infolist():
            if info.filename not in names.values():
                # Compressed once here, more tightly than the poster's own parts: the styles'
                # 0.8 MB of XML take 25 KB instead of 42 KB at level 1, a poster's .docx 40 KB
                # instead of 57 (level 9 saved 2 KB more and took 14 ms instead of 5).
                fixed.writestr(info, whole.read(info), zipfile.ZIP_DEFLATED, 6)
    body = document.index(_BODY_OPEN) + len(_BODY_OPEN)
    return _Template(
        package=package.getvalue(),
        document_head=document[:body],
        document_tail=document[document.index(_BODY_CLOSE, body) :],
        footer_head=footer_xml[: footer_xml.rindex(_FOOTER_CLOSE)],
        document_name=names["document"],
        footer_name=names["footer"],
        image_name=names["image"],
        core_name=names["core"],
        core_xml=_core_template(Document()),
    )


def poster_docx(
    poster: PlanAPoster, ref: Reference, qr_png: bytes, *, when: date, app_version: str = ""
) -> bytes:
    """The poster as .docx bytes: an A3 portrait section, the perspectives in a three-column
    table, the QR code and the reference in the footer, and the digest of its text in the
    document properties (what `verify` compares)."""
    t = _template()
    body = _body_xml(poster)
    document = (t.document_head + "".join(body.xml) + t.document_tail).encode("utf-8")
    footer = (
        t.footer_head
        + _paragraph_xml(
            f"{poster.titel} · Lavet med udviklingsdag {when.strftime('%d-%m-%Y')}", 9, colour=GREY
        )
        + _paragraph_xml(f"Reference: {ref.text}", 9, colour=GREY)
        + _FOOTER_CLOSE
    ).encode("utf-8")
    core = _core_xml(t, poster, ref, " ".join(body.texts), when, app_version)
    return _poster_zip(
        t,
        (
            (t.document_name, document),
            (t.footer_name, footer),
            (t.image_name, qr_png),
            (t.core_name, core),
        ),
    )


# A poster's .docx is the template's fixed parts and four of its own, as `zipfile` appends
# them to a copy of the template (`ZipFile(..., "a")`, level 1): the same entries, byte for
# byte but for the time stamps. Opening the template's zip for each poster read its directory
# back and wrote it again, a third of a poster's .docx.
_LOCAL = struct.Struct("<4s2B4HL2L2H")  # zipfile's structFileHeader
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # zipfile's structCentralDir
_END = struct.Struct("<4s4H2LH")  # zipfile's structEndArchive
_CREATE_SYSTEM = 0 if sys.platform == "win32" else 3  # as zipfile.ZipInfo says who made it


def _zip_parts(blob: bytes) -> tuple[bytes, bytes, int]:
    """A zip without a comment (the template's) as its entries, its directory and the
    number of its entries. ValueError when `blob` is not such a zip."""
    if len(blob) < _END.size:
        raise ValueError("not a zip")
    sig, disk, start, here, count, size, offset, comment = _END.unpack(blob[-_END.size :])
    directory = blob[offset : offset + size]
    if (
        sig != b"PK\005\006"
        or (disk, start, comment) != (0, 0, 0)
        or here != count
        or offset + size + _END.size != len(blob)
        or directory.count(b"PK\001\002") < count
        or not blob.startswith(b"PK\003\004")
    ):
        raise ValueError("not a zip")
    return blob[:offset], directory, count


def _poster_zip(
    t: _Template, parts: Sequence[tuple[str, bytes]], now: datetime | None = None
) -> bytes:
    """The template's zip with `parts` added, each deflated at level 1, stamped `now` (the
    local time, as zipfile stamps them)."""
    # A clock outside what a zip can say (1980–2107) gives the nearest it can.
    now = min(max(now or datetime.now(), datetime(1980, 1, 1)), datetime(2107, 12, 31, 23, 59, 58))
    dosdate = (now.year - 1980) << 9 | now.month << 5 | now.day
    dostime = now.hour << 11 | now.minute << 5 | (now.second // 2)
    out = [t.zip_entries]
    directory = [t.zip_directory]
    offset = len(t.zip_entries)
    for name, data in parts:
        packer = zlib.compressobj(1, zlib.DEFLATED, -15)
        packed = packer.compress(data) + packer.flush()
        crc = zlib.crc32(data)
        raw = name.encode("ascii")  # a part name of the template's (word/document.xml ...)
        sizes = (crc, len(packed), len(data), len(raw))
        out += (_LOCAL.pack(b"PK\003\004", 20, 0, 0, 8, dostime, dosdate, *sizes, 0), raw, packed)
        directory += (
            _CENTRAL.pack(
                b"PK\001\002",
                20,
                _CREATE_SYSTEM,
                20,
                0,
                0,
                8,
                dostime,
                dosdate,
                *sizes,
                0,
                0,
                0,
                0,
                0o600 << 16,
                offset,
            ),
            raw,
        )
        offset += _LOCAL.size + len(raw) + len(packed)
    listed = b"".join(directory)
    count = t.zip_count + len(parts)
    end = _END.pack(b"PK\005\006", 0, 0, count, count, len(listed), offset, 0)
    return b"".join(out) + listed + end


_TEMPLATE_LOCK = threading.Lock()


# Where a poster's own values go in the template's docProps/core.xml: values python-docx
# keeps as they are (`_core_template`), so each is found once and nowhere else.
def _noon(day: date) -> str:
    """A poster's created and modified property (the export day at noon) as python-docx
    writes it (`set_properties`)."""
    return datetime.combine(day, time(12, 0)).strftime("%Y-%m-%dT%H:%M:%SZ")


_SLOT_DAY = date(1901, 2, 3)
_CORE_SLOTS = {
    "title": "UDVD-PLAKAT-TITEL",
    "subject": "UDVD-PLAKAT-EMNE",
    "keywords": "UDVD-PLAKAT-NOEGLEORD",
    "identifier": "UDVD-PLAKAT-REFERENCE",
    "last_modified_by": "UDVD-PLAKAT-VERSION",
    "revision": "918273645",
    "stamp": _noon(_SLOT_DAY),  # created and modified
}
_CORE_SLOT_RE = re.compile("|".join(map(re.escape, _CORE_SLOTS.values())))
# What python-docx (lxml) would write other than as it is, or refuse: such a value is set
# with python-docx itself. `&`, `<` and `>` are escaped here as lxml escapes them.
_CORE_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")
_CORE_COMMENTS = (
    "Lavet af udviklingsdag. Referencen (identifier) kan tjekkes med «udviklingsdag verify»."
)


def _set_core(
    doc: Any, title_: str, subject: str, keywords: str, ref: Reference, when: date, version: str
) -> None:
    """A poster's document properties on a python-docx document (`set_properties`, with
    what every poster says the same)."""
    set_properties(
        doc,
        title=title_,
        subject=subject,
        author="udviklingsdag",
        keywords=keywords,
        comments=_CORE_COMMENTS,
        category="Plan A-plakat",
        ref=ref,
        when=when,
        app_version=version,
    )


def _core_blob(doc: Any) -> bytes:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    return cast(bytes, doc.part.package.part_related_by(RT.CORE_PROPERTIES).blob)


def _core_template(doc: Any) -> str:
    """docProps/core.xml as `_set_core` leaves it, with `_CORE_SLOTS` for the values that
    differ from poster to poster (the same elements in the same order: python-docx adds an
    element when it is first set and only changes its text after)."""
    slots = _CORE_SLOTS
    ref = Reference(subject="", revision=int(slots["revision"]), digest="")
    _set_core(doc, slots["title"], slots["subject"], slots["keywords"], ref, _SLOT_DAY, "")
    doc.core_properties.identifier = slots["identifier"]
    doc.core_properties.last_modified_by = slots["last_modified_by"]
    xml = _core_blob(doc).decode("utf-8")
    # Each slot once (the day twice), or python-docx writes the properties otherwise now:
    # then every poster's properties are set with python-docx (`_core_xml`).
    return xml if _core_slots_ok(xml) else ""


def _core_slots_ok(xml: str) -> bool:
    """Whether `xml` is empty or has each of `_CORE_SLOTS` once (the day twice)."""
    expected = sorted([*_CORE_SLOTS.values(), _CORE_SLOTS["stamp"]])
    return not xml or sorted(_CORE_SLOT_RE.findall(xml)) == expected


def _core_xml(
    t: _Template, poster: PlanAPoster, ref: Reference, text: str, when: date, app_version: str
) -> bytes:
    """The poster's document properties (`docProps/core.xml`) as python-docx writes them
    (`_set_core`): filled into the template's properties, or set on its python-docx
    document when a value is one python-docx would write differently or refuse."""
    from .reference import text_stamped

    enhed = _docx_text(poster.enhed)
    title_, subject = f"{title(poster)} · {enhed}", f"Plan A-plakat for {enhed}"
    keywords = f"plan a; {ref.text}"
    values = {
        _CORE_SLOTS["title"]: title_[:255],
        _CORE_SLOTS["subject"]: subject[:255],
        _CORE_SLOTS["keywords"]: keywords,
        _CORE_SLOTS["identifier"]: text_stamped(ref.text, text),
        _CORE_SLOTS["last_modified_by"]: f"udviklingsdag {app_version}".strip(),
        _CORE_SLOTS["revision"]: str(max(1, ref.revision)),
        _CORE_SLOTS["stamp"]: _noon(when),
    }
    if t.core_xml and all(len(v) <= 255 and not _CORE_UNSAFE.search(v) for v in values.values()):
        escaped = {slot: escape(v) for slot, v in values.items()}
        return _CORE_SLOT_RE.sub(lambda m: escaped[m.group()], t.core_xml).encode("utf-8")
    with _TEMPLATE_LOCK:  # the document's properties serve one poster at a time
        doc = _core_doc()
        _set_core(doc, title_, subject, keywords, ref, when, app_version)
        # The text digest `verify` compares, of the text the file's body will hold.
        stamp_docx(doc, text=text)
        return _core_blob(doc)


@functools.cache
def _core_doc() -> Any:
    """A python-docx document whose properties are set for a poster whose values
    `_core_xml` does not fill in itself (its other parts are never used)."""
    return Document()


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


# From this many posters on, two worker processes are started for them (the SBSYS export's
# pool; the posters are made here until the workers are ready). Below it they cost more to
# start than they save: a poster takes about 4 ms here (our own PDF writer), the workers half
# a second to start. The benchmark's posters, made again and again with new references
# (7 December): 120 took 0.58 s here and 0.64 s with the workers, 240 1.07 and 0.94 s, 480
# 2.07 and 1.63 s.
PARALLEL_POSTERS = 180


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
    from models.memory import collector_paused

    # The posters are made of bytes, strings and tuples, with no cycles to collect; the
    # collector's passes over everything this process has loaded (the fonts, the Word and
    # database libraries) were a tenth of the 120 posters' export (`models.memory`).
    with collector_paused():
        return _export_posters(
            db, Path(folder), when, aar, maalplan_ids, link_template, app_version
        )


def _export_posters(
    db: Database,
    target: Path,
    when: date,
    aar: int | None,
    maalplan_ids: Sequence[str] | None,
    link_template: str | None,
    app_version: str,
) -> PosterResult:
    from models.plan_a import plan_a_posters

    from .atomic import BackgroundWriter, write_error
    from .naming import unique_name
    from .reference import poster_reference

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
    calls = [(render_poster, (poster, ref, stem, when, app_version)) for poster, ref, stem in jobs]
    rendered: Generator[tuple[bytes, bytes], None, None]
    if len(jobs) >= PARALLEL_POSTERS:
        from .sbsys import render_pooled

        rendered = render_pooled(calls, True)
    else:  # made here, one after the other (nor is the SBSYS export's machinery loaded)
        rendered = (fn(*args) for fn, args in calls)
    # Closed at once if a write fails, so the worker processes stop with it. The files are
    # written in a thread while the next poster is made.
    with (
        contextlib.closing(rendered),
        BackgroundWriter(target) as writer,
    ):
        for (_poster, _ref, stem), (pdf, docx) in zip(jobs, rendered, strict=True):
            writer.write(target / f"{stem}.pdf", pdf)
            writer.write(target / f"{stem}.docx", docx, kind="zip")
    return PosterResult(tuple(writer.written), len(posters))
