"""The run chart of a tegn in the målplan documents: laid out once, in millimetres, as a short
list of drawing primitives (lines, a polyline, dots, boxes, labels), then drawn as vector
graphics, on an fpdf2 page (the PDF, `draw_pdf`) or as an Enhanced Metafile (the Word
document, `exports.emf`). Both drawings come from the same layout, so they show the same
thing.

What is drawn is exactly `models.runchart.RunChart`: the measured points joined by a line,
the median, the baseline («Udgangspunkt») and the expected level («Forventet niveau») as
horizontal lines, points in a shift or a trend marked, and the prøvehandlinger that follow the
tegn as bars above the plot with their start and end marked across it, each labelled with its
number.

Why no plotting library: matplotlib (with numpy) is some 40 MB and a second or more to import
on the locked-down laptops this runs on, and would draw the PDF as its own fonts and paths;
fpdf2's own primitives give true vector graphics in the document's font (DejaVu Sans), and a
few EMF records do the same in Word. Pillow (already installed for fpdf2 and the QR codes)
measures the labels."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from models.runchart import RunChart, date_ticks, value_label, value_ticks

if TYPE_CHECKING:
    from fpdf import FPDF
    from PIL import ImageFont

FONT_DIR = Path(__file__).parent / "fonts"
_FONTS = {"": FONT_DIR / "DejaVuSans.ttf", "B": FONT_DIR / "DejaVuSans-Bold.ttf"}

# The chart's height in mm (its width is the text width of the page).
CHART_HEIGHT_MM = 66.0

_PT = 25.4 / 72  # mm per point

Color = tuple[int, int, int]
MEASURED: Color = (31, 78, 121)
SIGNAL: Color = (192, 0, 0)
MEDIAN: Color = (110, 110, 110)
BASELINE: Color = (200, 110, 0)
TARGET: Color = (0, 125, 60)
PERIOD: Color = (112, 48, 160)
PERIOD_FILL: Color = (226, 214, 238)
GRID: Color = (225, 225, 225)
AXIS: Color = (90, 90, 90)
TEXT: Color = (60, 60, 60)

# The legend's words.
LEGEND_MEASURED = "Målt"
LEGEND_MEDIAN = "Median"
LEGEND_BASELINE = "Udgangspunkt"
LEGEND_TARGET = "Forventet niveau"
LEGEND_PERIOD = "Prøvehandling (nr.)"
LEGEND_SIGNAL = "Skift eller tendens"

_TICK_SIZE = 6.5  # pt
_LEGEND_SIZE = 7.0
_LANE = 3.6  # mm per row of prøvehandling bars
_MOST_LANES = 4
# With more points than this, the points are not marked one by one (only the line).
_MOST_DOTS = 120


@dataclass(frozen=True, slots=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    color: Color
    width: float
    dash: tuple[float, float] | None = None


@dataclass(frozen=True, slots=True)
class Polyline:
    points: tuple[tuple[float, float], ...]
    color: Color
    width: float


@dataclass(frozen=True, slots=True)
class Dot:
    x: float
    y: float
    radius: float
    color: Color


@dataclass(frozen=True, slots=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    color: Color


@dataclass(frozen=True, slots=True)
class Label:
    """Text with its baseline at `y`, anchored at `x` on its left, centre or right."""

    x: float
    y: float
    text: str
    size: float
    color: Color
    anchor: str = "l"
    bold: bool = False


Shape = Line | Polyline | Dot | Box | Label


@dataclass(frozen=True, slots=True)
class Layout:
    """A chart as primitives, in mm from its top left corner."""

    width: float
    height: float
    shapes: tuple[Shape, ...]


@lru_cache(maxsize=4)
def _measure_font(style: str) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    return ImageFont.truetype(str(_FONTS[style]), 200)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width in mm of `text` in DejaVu Sans at `size` pt."""
    return _unit_width(text, bold) * size


@lru_cache(maxsize=65536)
def _unit_width(text: str, bold: bool) -> float:
    # Axis labels (months, values, «Median») repeat from chart to chart: measured once each
    # (a report with thousands of charts spent a third of their layout time measuring).
    return float(_measure_font("B" if bold else "").getlength(text)) / 200 * _PT


def _fit(text: str, size: float, room: float) -> str:
    """`text`, cut with «…» until it fits in `room` mm (empty when not even that fits)."""
    if text_width(text, size) <= room:
        return text
    while text and text_width(text + "…", size) > room:
        text = text[:-1]
    return text + "…" if text else ""


# The axes' labels repeat from chart to chart (the same round values, the same months): each
# set is made and measured once per process.


@lru_cache(maxsize=4096)
def _value_labels(ticks: tuple[float, ...], room: float) -> tuple[tuple[str, ...], float]:
    """The value axis's labels, each cut to `room` mm, and where the plot starts (mm)."""
    labels = tuple(_fit(value_label(v), _TICK_SIZE, room) for v in ticks)
    return labels, max(text_width(t, _TICK_SIZE) for t in labels) + 2.5


@lru_cache(maxsize=4096)
def _time_labels(lo_day: int, hi_day: int) -> tuple[tuple[int, str, float], ...]:
    """The time axis's labels between two days (ordinals): each label's day, text and half
    its width in mm."""
    try:
        days = date_ticks(date.fromordinal(lo_day), date.fromordinal(hi_day))
    except (ValueError, OverflowError):  # at the ends of the calendar: no labels
        return ()
    return tuple((day.toordinal(), text, text_width(text, _TICK_SIZE) / 2) for day, text in days)


def layout(
    chart: RunChart,
    width: float,
    height: float = CHART_HEIGHT_MM,
    numbers: Mapping[str, str] | None = None,
) -> Layout:
    """The run chart as primitives in a `width` x `height` mm box. `numbers` gives each
    prøvehandling's number («1.2») by its id, for the bars' labels."""
    numbers = numbers or {}
    shapes: list[Shape] = []
    points = chart.points
    span = chart.dates
    values = chart.values
    if span is None or values is None:
        return Layout(width, height, ())

    # The value axis: labels on the left, as wide as the widest (at most a third of the box).
    ticks = value_ticks(*values)
    labels, left = _value_labels(ticks, width / 3)

    # The legend: how many rows it takes decides the plot's height.
    legend: list[tuple[str, str, Color]] = [("line", LEGEND_MEASURED, MEASURED)]
    if points:
        legend.append(("dash", LEGEND_MEDIAN, MEDIAN))
    if chart.baseline is not None:
        legend.append(("dashdot", LEGEND_BASELINE, BASELINE))
    if chart.target is not None:
        legend.append(("longdash", LEGEND_TARGET, TARGET))
    # Points in a shift or a trend, marked when the points are marked one by one.
    signal: set[int] = set()
    if len(points) <= _MOST_DOTS:
        signal = {i for a, b in (*chart.shifts, *chart.trends) for i in range(a, b + 1)}
    if signal:
        legend.append(("dot", LEGEND_SIGNAL, SIGNAL))
    if chart.periods:
        legend.append(("bar", LEGEND_PERIOD, PERIOD))
    sample, gap = 7.0, 4.0
    rows: list[list[tuple[str, str, Color, float]]] = [[]]
    used = 0.0
    for kind, text, color in legend:
        w = sample + 1.2 + text_width(text, _LEGEND_SIZE)
        if rows[-1] and used + gap + w > width - left:
            rows.append([])
            used = 0.0
        rows[-1].append((kind, text, color, w))
        used += (gap if used else 0.0) + w
    legend_h = len(rows) * 4.2 + 1.0

    # The prøvehandlinger's bars, each in the first row (lane) where it does not overlap.
    first, last = span
    if (last - first).days < 2:  # one day: a week on either side
        first = date.fromordinal(max(1, first.toordinal() - 7))
        last = date.fromordinal(min(date.max.toordinal(), last.toordinal() + 7))
    pad = max(1, round((last - first).days * 0.03))
    lo_day = max(1, first.toordinal() - pad)
    hi_day = min(date.max.toordinal(), last.toordinal() + pad)
    lanes: list[int] = []  # the last day taken in each lane
    placed: list[tuple[int, int, int, str, bool, bool]] = []
    for period in chart.periods:
        start = period.start.toordinal() if period.start else lo_day
        end = period.end.toordinal() if period.end else hi_day
        if end < start:
            start, end = end, start
        lane = next((i for i, taken in enumerate(lanes) if taken < start), None)
        if lane is None:
            if len(lanes) < _MOST_LANES:
                lanes.append(end)
                lane = len(lanes) - 1
            else:
                lane = min(range(len(lanes)), key=lanes.__getitem__)
        lanes[lane] = max(lanes[lane], end)
        nr = numbers.get(period.proevehandling_id, "")
        placed.append((lane, start, end, nr, period.start is not None, period.end is not None))
    strip = len(lanes) * _LANE + (1.5 if lanes else 0.0)

    right = width - 1.0
    top = strip + 2.0
    bottom = height - legend_h - 5.0
    if bottom - top < 12:  # a very small box: squeeze the strip, never the plot
        top = max(2.0, bottom - 12)
    v_lo, v_hi = ticks[0], ticks[-1]

    def x_of(day: int) -> float:
        return left + (day - lo_day) / max(1, hi_day - lo_day) * (right - left)

    def y_of(value: float) -> float:
        return bottom - (value - v_lo) / ((v_hi - v_lo) or 1.0) * (bottom - top)

    # Grid and value labels.
    for value, text in zip(ticks, labels, strict=True):
        y = y_of(value)
        shapes.append(Line(left, y, right, y, GRID, 0.15))
        shapes.append(Label(left - 1.2, y + 0.8, text, _TICK_SIZE, TEXT, "r"))
    # Time labels, with a small tick on the axis.
    for day, text, half in _time_labels(lo_day, hi_day):
        x = x_of(day)
        if left <= x <= right:
            shapes.append(Line(x, bottom, x, bottom + 1.0, AXIS, 0.2))
            # Centred under its tick, but never past the box's edge.
            centre = min(max(x, half), width - half)
            shapes.append(Label(centre, bottom + 3.6, text, _TICK_SIZE, TEXT, "c"))

    # The prøvehandlinger: a bar above the plot, and their start and end across it.
    for lane, start, end, nr, has_start, has_end in placed:
        x1, x2 = x_of(start), x_of(end)
        y = 1.0 + lane * _LANE
        shapes.append(Box(x1, y, max(0.6, x2 - x1), _LANE - 0.8, PERIOD_FILL))
        for x, known in ((x1, has_start), (x2, has_end)):
            if known:
                shapes.append(Line(x, y, x, bottom, PERIOD, 0.25, (0.8, 0.8)))
        room = max(0.0, x2 - x1 - 1.0)
        long = f"Prøvehandling {nr}" if nr else "Prøvehandling"
        room_right = width - x1 - 0.6
        text = (
            long
            if text_width(long, _TICK_SIZE) <= room
            else _fit(nr, _TICK_SIZE, min(room + 6, room_right))
        )
        if text:
            shapes.append(Label(x1 + 0.6, y + _LANE - 1.7, text, _TICK_SIZE, PERIOD))

    # The axes.
    shapes.append(Line(left, top, left, bottom, AXIS, 0.25))
    shapes.append(Line(left, bottom, right, bottom, AXIS, 0.25))
    # Baseline and expected level across the plot.
    if chart.baseline is not None:
        y = y_of(chart.baseline)
        shapes.append(Line(left, y, right, y, BASELINE, 0.45, (2.0, 0.8)))
    if chart.target is not None:
        y = y_of(chart.target)
        shapes.append(Line(left, y, right, y, TARGET, 0.45, (3.0, 1.2)))
    # The median over the points' own span.
    median = chart.median
    if median is not None and points:
        y = y_of(median)
        x1 = x_of(points[0].dato.toordinal())
        x2 = x_of(points[-1].dato.toordinal())
        if x2 - x1 < 2:
            x1, x2 = x1 - 3, x2 + 3
        shapes.append(Line(x1, y, x2, y, MEDIAN, 0.35, (1.2, 0.8)))
    # The points.
    xy = tuple((x_of(p.dato.toordinal()), y_of(p.vaerdi)) for p in points)
    if len(xy) > 1:
        shapes.append(Polyline(xy, MEASURED, 0.4))
    if len(xy) <= _MOST_DOTS:
        for i, (x, y) in enumerate(xy):
            shapes.append(Dot(x, y, 0.75, SIGNAL if i in signal else MEASURED))

    # The legend.
    y = bottom + 5.5
    for row in rows:
        x = left
        for kind, text, color, w in row:
            mid = y + 2.0
            if kind == "bar":
                shapes.append(Box(x, mid - 1.2, sample, 2.4, PERIOD_FILL))
                shapes.append(Line(x, mid - 1.4, x, mid + 1.4, color, 0.25, (0.8, 0.8)))
            elif kind == "dot":
                shapes.append(Dot(x + sample / 2, mid, 0.75, color))
            else:
                dash = {"dash": (1.2, 0.8), "dashdot": (2.0, 0.8), "longdash": (3.0, 1.2)}
                thick = 0.4 if kind == "line" else 0.45
                shapes.append(Line(x, mid, x + sample, mid, color, thick, dash.get(kind)))
                if kind == "line":
                    shapes.append(Dot(x + sample / 2, mid, 0.75, color))
            shapes.append(Label(x + sample + 1.2, mid + 0.9, text, _LEGEND_SIZE, TEXT))
            x += w + gap
        y += 4.2
    # The labels last, over every line (a prøvehandling's start and end lines cross the strip
    # where the bars are labelled): the PDF then writes them in a few runs of text.
    drawn = [s for s in shapes if not isinstance(s, Label)]
    return Layout(width, height, (*drawn, *(s for s in shapes if isinstance(s, Label))))


# --- drawing on a PDF page (vector) ------------------------------------------------------------

# Writes labels (x, y, text) in the current font and colour.
Texts = Callable[[list[tuple[float, float, str]]], None]


@lru_cache(maxsize=64)
def _rgb(color: Color) -> str:
    return " ".join(f"{c / 255:.3f}" for c in color)


_KAPPA = 4 / 3 * (2**0.5 - 1)  # a circle as four Bézier curves, as fpdf2 draws it


@lru_cache(maxsize=16)
def _circle(r: float) -> str:
    """A circle of radius `r` (pt) about the origin as a PDF path: four Bézier curves."""
    c = _KAPPA * r
    return (
        f"{r:.2f} 0 m {r:.2f} {c:.2f} {c:.2f} {r:.2f} 0 {r:.2f} c "
        f"{-c:.2f} {r:.2f} {-r:.2f} {c:.2f} {-r:.2f} 0 c "
        f"{-r:.2f} {-c:.2f} {-c:.2f} {-r:.2f} 0 {-r:.2f} c "
        f"{c:.2f} {-r:.2f} {r:.2f} {-c:.2f} {r:.2f} 0 c"
    )


def draw_pdf(
    pdf: FPDF, chart: Layout, x0: float, y0: float, family: str, texts: Texts | None = None
) -> None:
    """Draw `chart` on `pdf` with its top left corner at (`x0`, `y0`) mm: lines, a polyline,
    circles and rectangles as PDF path operators, labels as text in `family` (the document's
    font; `texts(items)` writes a run of them in one font and colour, `pdf.text` each when
    not given).

    The paths are written as operators straight into the page, each run of them inside «q … Q»
    so fpdf2's idea of the colours, line width and dash pattern stays true: through fpdf2's
    own `line`, `circle` and `rect`, each with its checks and state, they were half the time of
    a large report's PDF. The labels come in runs of one font and colour, in order."""

    def each(items: list[tuple[float, float, str]]) -> None:
        for item in items:
            pdf.text(*item)

    write = texts or each
    run: list[tuple[float, float, str]] = []
    k, page_h = pdf.k, pdf.h
    ops: list[str] = []

    def flush() -> None:
        if ops:
            pdf._out("q " + " ".join(ops) + " Q")
            ops.clear()
        if run:
            write(run)
            run.clear()

    def px(x: float) -> float:
        return (x0 + x) * k

    def py(y: float) -> float:
        return (page_h - y0 - y) * k

    font: tuple[bool, float] | None = None
    text_color: Color | None = None
    for shape in chart.shapes:
        if isinstance(shape, Line):
            dash = f"[{shape.dash[0] * k:.3f} {shape.dash[1] * k:.3f}] 0 d " if shape.dash else ""
            ops.append(
                f"{_rgb(shape.color)} RG {shape.width * k:.2f} w {dash}"
                f"{px(shape.x1):.2f} {py(shape.y1):.2f} m {px(shape.x2):.2f} {py(shape.y2):.2f} l S"
                + (" [] 0 d" if dash else "")
            )
        elif isinstance(shape, Polyline):
            first, *rest = shape.points
            path = " ".join(f"{px(x):.2f} {py(y):.2f} l" for x, y in rest)
            ops.append(
                f"{_rgb(shape.color)} RG {shape.width * k:.2f} w "
                f"{px(first[0]):.2f} {py(first[1]):.2f} m {path} S"
            )
        elif isinstance(shape, Dot):
            # The circle drawn once about the origin and moved to its place (`cm`).
            ops.append(
                f"{_rgb(shape.color)} rg q 1 0 0 1 {px(shape.x):.2f} {py(shape.y):.2f} cm "
                f"{_circle(shape.radius * k)} f Q"
            )
        elif isinstance(shape, Box):
            ops.append(
                f"{_rgb(shape.color)} rg {px(shape.x):.2f} {py(shape.y):.2f} "
                f"{shape.w * k:.2f} {-shape.h * k:.2f} re f"
            )
        else:
            if font != (shape.bold, shape.size) or text_color != shape.color:
                flush()
                font = (shape.bold, shape.size)
                text_color = shape.color
                pdf.set_font(family, "B" if shape.bold else "", shape.size)
                pdf.set_text_color(*shape.color)
            x = x0 + shape.x
            if shape.anchor != "l":
                w = text_width(shape.text, shape.size, shape.bold)
                x -= w if shape.anchor == "r" else w / 2
            run.append((x, y0 + shape.y, shape.text))
    flush()
    pdf.set_text_color(0, 0, 0)


# --- dashes, for drawings that have no dash pattern of their own (EMF) -----------------------


def _dashes(
    x1: float, y1: float, x2: float, y2: float, dash: float, gap: float
) -> list[tuple[float, float, float, float]]:
    """A straight line as its dashes."""
    length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5
    if length == 0 or dash <= 0:
        return [(x1, y1, x2, y2)]
    dx, dy = (x2 - x1) / length, (y2 - y1) / length
    out, at = [], 0.0
    while at < length:
        end = min(length, at + dash)
        out.append((x1 + dx * at, y1 + dy * at, x1 + dx * end, y1 + dy * end))
        at = end + gap
    return out
