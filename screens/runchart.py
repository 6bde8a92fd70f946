"""A run chart in the terminal: the points of one tegn over time joined by a line, their median,
the tegn's udgangspunkt and forventet niveau as lines labelled at the right, and the periods of
the prøvehandlinger that follow the tegn as bars under the time axis (with light vertical marks
at their start and end in the plot), as Life QI draws them. Points in a shift or a trend (a
signal that something changed, `RunChart.shifts` / `trends`) stand out in another colour. It
draws `models.runchart.RunChart`, the same data the documents draw.

An own small widget rather than `textual-plotext`: it draws only with characters of the WGL4
set that Consolas and Cascadia Mono (and every other Windows console font) have (no braille,
no quadrant blocks, which show as boxes in a console with Consolas), writes Danish month
names on the time axis, keeps its labels in the margins instead of on top of the line, and
costs no dependency or import time. A chart is laid out once per size and data (a few
thousand cells; 100 points take well under a millisecond) and drawn line by line."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

from models.runchart import (
    Period,
    RunChart,
    date_ticks,
    value_label,
    value_ticks,
)
from models.visible import visible
from screens import texts

# The glyphs, all in WGL4 (every Windows console font has them).
POINT = "●"
LINE = "·"
BASELINE = "─"
TARGET = "═"
MEDIAN = "-"
MARK = "│"


@dataclass(frozen=True, slots=True)
class Layout:
    """A chart laid out in cells: one row of (character, part) per line of the widget."""

    rows: tuple[tuple[tuple[str, str], ...], ...]


def date_label(day: date) -> str:
    """«15. mar. 2026»: a date in a message about the chart, its month abbreviated as the
    årshjul writes it (with a full stop; «maj» is the whole word)."""
    return f"{day.day}. {texts.AARSHJUL_MONTHS[day.month - 1]} {day.year}"


def time_ticks(first: date, last: date, width: int) -> list[tuple[date, str]]:
    """The time axis's labels (`models.runchart.date_ticks`, shared with the documents) for an
    axis `width` cells wide: as many as fit with a space between them."""
    for most in range(max(1, width // 8), 0, -1):
        try:
            labels = list(date_ticks(first, last, most))
        except StopIteration:  # few labels over a long span: date_ticks finds no step
            continue
        if _fits(labels, first, last, width):
            return labels
    return []


def _x(day: date, first: date, last: date, width: int) -> int:
    span = max((last - first).days, 1)
    return round((day - first).days / span * (width - 1))


def _label_start(column: int, label: str, width: int) -> int:
    return min(max(column - len(label) // 2, 0), width - len(label))


def _fits(labels: list[tuple[date, str]], first: date, last: date, width: int) -> bool:
    end = -1
    for day, label in labels:
        start = _label_start(_x(day, first, last, width), label, width)
        if start <= end:
            return False
        end = start + len(label)
    return True


def number(value: float) -> str:
    """A value as the chart writes it beside a line (Danish, at most 2 decimals)."""
    return value_label(round(value, 2))


def layout(chart: RunChart, width: int, height: int) -> Layout | None:
    """The chart in `width` x `height` cells, or None when it does not fit or has too few
    points (the screen says what is missing instead)."""
    if len(chart.points) < 2 or chart.dates is None or chart.values is None:
        return None
    first, last = chart.dates
    if first == last:
        first, last = first - timedelta(days=15), last + timedelta(days=15)

    periods = [p for p in chart.periods if p.start is not None or p.end is not None]
    lanes = _lanes(periods, first, last)
    lane_rows = min(len(set(lanes.values())), 2) if lanes else 0
    plot_rows = height - 2 - lane_rows
    if plot_rows < 4:
        lane_rows = max(0, height - 6)
        plot_rows = height - 2 - lane_rows
    if plot_rows < 4:
        return None

    # The plot spans the values with a little air (every row counts in a terminal); the round
    # values of the axis (shared with the documents) are labelled where they fall inside it.
    low, high = chart.values
    pad = (high - low) * 0.05 if high > low else max(abs(high) * 0.1, 1.0)
    low, high = low - pad, high + pad
    ticks = [v for v in value_ticks(low, high, most=max(2, plot_rows // 3)) if low <= v <= high]
    tick_labels = [value_label(v) for v in ticks]
    left = max((len(t) for t in tick_labels), default=0) + 1  # the labels and the axis
    right_labels = _right_labels(chart)
    right = min(max((len(t) for t, _v, _p in right_labels), default=0) + 1, 18)
    plot_width = width - left - right
    if plot_width < 12:
        right = 0
        plot_width = width - left
    if plot_width < 12:
        return None

    grid = [[(" ", "")] * width for _ in range(height)]

    def row_of(value: float) -> int:
        return round((high - value) / (high - low) * (plot_rows - 1))

    def column_of(day: date) -> int:
        return left + _x(day, first, last, plot_width)

    def put(row: int, column: int, char: str, part: str) -> None:
        if 0 <= row < height and 0 <= column < width:
            grid[row][column] = (char, part)

    # The value axis with its labels.
    for row in range(plot_rows):
        put(row, left - 1, "│", "axis")
    for value, label in zip(ticks, tick_labels, strict=True):
        row = row_of(value)
        for i, char in enumerate(label.rjust(left - 1)):
            put(row, i, char, "label")
        put(row, left - 1, "┤", "axis")

    # The periods' start and end as light marks in the plot.
    for period in periods:
        for day in (period.start, period.end):
            if day is not None and first <= day <= last:
                for row in range(plot_rows):
                    put(row, column_of(day), MARK, "mark")

    # Median, baseline and target across the plot, labelled at the right.
    for _label, value, part in reversed(right_labels):  # the median under the others
        row = row_of(value)
        glyph = {"median": MEDIAN, "baseline": BASELINE, "target": TARGET}[part]
        for column in range(left, left + plot_width):
            if part != "median" or (column - left) % 2 == 0:
                put(row, column, glyph, part)
    _place_right_labels(put, right_labels, row_of, left + plot_width + 1, right - 1, plot_rows)

    # The line between the points, then the points on top.
    cells = [(row_of(p.vaerdi), column_of(p.dato)) for p in chart.points]
    for (r0, c0), (r1, c1) in itertools.pairwise(cells):
        for r, c in _segment(r0, c0, r1, c1):
            put(r, c, LINE, "line")
    signal = {
        i for first_i, last_i in (*chart.shifts, *chart.trends) for i in range(first_i, last_i + 1)
    }
    for i, (r, c) in enumerate(cells):
        put(r, c, POINT, "signal" if i in signal else "point")

    # The time axis with its ticks and the dates under it.
    axis_row = plot_rows
    put(axis_row, left - 1, "└", "axis")
    for column in range(left, left + plot_width):
        put(axis_row, column, "─", "axis")
    for day, label in time_ticks(first, last, plot_width):
        column = column_of(day)
        put(axis_row, column, "┬", "axis")
        start = left + _label_start(column - left, label, plot_width)
        for i, char in enumerate(label):
            put(axis_row + 1, start + i, char, "label")

    # The periods as bars under the dates, named inside the bar.
    for n, period in enumerate(periods):
        lane = lanes[period.proevehandling_id]
        if lane >= lane_rows:
            lane = lane_rows - 1
        if lane < 0:
            continue
        row = axis_row + 2 + lane
        start = column_of(max(period.start or first, first))
        end = column_of(min(period.end or last, last))
        for column in range(start, end + 1):
            put(row, column, "─", "period")
        put(row, start, "├" if period.start is not None else "─", "period")
        put(row, end, "┤" if period.end is not None else "►", "period")
        # Shown as typed, control characters as visible marks (they must not steer the
        # terminal), on one line.
        name = f" {n + 1} {visible(' '.join(period.tekst.split()))} "
        room = end - start - 1
        if room >= 3:
            if len(name) > room:
                name = name[: room - 2] + "… "
            for i, char in enumerate(name):
                put(row, start + 1 + i, char, "period-label")

    return Layout(tuple(tuple(row) for row in grid))


def _right_labels(chart: RunChart) -> list[tuple[str, float, str]]:
    out = []
    if chart.target is not None:
        out.append(
            (texts.RUNCHART_TARGET.format(value=number(chart.target)), chart.target, "target")
        )
    if chart.baseline is not None:
        out.append(
            (
                texts.RUNCHART_BASELINE.format(value=number(chart.baseline)),
                chart.baseline,
                "baseline",
            )
        )
    median = chart.median
    if median is not None:
        out.append((texts.RUNCHART_MEDIAN.format(value=number(median)), median, "median"))
    return out


def _place_right_labels(
    put: Callable[[int, int, str, str], None],
    labels: list[tuple[str, float, str]],
    row_of: Callable[[float], int],
    column: int,
    room: int,
    rows: int,
) -> None:
    """Each line's label at the right of its row (moved a row up or down when two lines
    share a row), cut to `room`."""
    if room < 3:
        return
    taken: set[int] = set()
    for label, value, part in labels:
        row = row_of(value)
        for candidate in (row, row - 1, row + 1, row - 2, row + 2):
            if 0 <= candidate < rows and candidate not in taken:
                row = candidate
                break
        else:
            continue
        taken.add(row)
        text = label if len(label) <= room else label[: room - 1] + "…"
        for i, char in enumerate(text):
            put(row, column + i, char, part)


def _segment(r0: int, c0: int, r1: int, c1: int) -> list[tuple[int, int]]:
    """The cells strictly between two points on a straight line (Bresenham)."""
    cells = []
    dc, dr = abs(c1 - c0), -abs(r1 - r0)
    sc, sr = (1 if c0 < c1 else -1), (1 if r0 < r1 else -1)
    error = dc + dr
    r, c = r0, c0
    while (r, c) != (r1, c1):
        twice = 2 * error
        if twice >= dr:
            error += dr
            c += sc
        if twice <= dc:
            error += dc
            r += sr
        if (r, c) != (r1, c1):
            cells.append((r, c))
    return cells


def _lanes(periods: list[Period], first: date, last: date) -> dict[str, int]:
    """A lane (row) for each period, so that overlapping periods do not share one."""
    ends: list[date] = []
    out: dict[str, int] = {}
    for period in sorted(periods, key=lambda p: p.start or first):
        start, end = period.start or first, period.end or last
        for lane, lane_end in enumerate(ends):
            if lane_end < start:
                ends[lane] = end
                out[period.proevehandling_id] = lane
                break
        else:
            ends.append(end)
            out[period.proevehandling_id] = len(ends) - 1
    return out


class RunChartView(Widget):
    """Draws one `RunChart` in the space it is given. `drawn` counts the times the chart was
    laid out for drawing (0: not drawn yet; a benchmark waits for it)."""

    DEFAULT_CSS = """
    RunChartView { height: 12; }
    RunChartView > .runchart--axis { color: $text-muted; }
    RunChartView > .runchart--label { color: $text-muted; }
    RunChartView > .runchart--mark { color: $secondary 50%; }
    RunChartView > .runchart--median { color: $text-muted; }
    RunChartView > .runchart--baseline { color: $warning; }
    RunChartView > .runchart--target { color: $success; }
    RunChartView > .runchart--line { color: $primary; }
    RunChartView > .runchart--point { color: $accent; text-style: bold; }
    RunChartView > .runchart--signal { color: $error; text-style: bold; }
    RunChartView > .runchart--period { color: $secondary; }
    RunChartView > .runchart--period-label { color: $secondary; text-style: bold; }
    """

    COMPONENT_CLASSES = {
        "runchart--axis",
        "runchart--label",
        "runchart--mark",
        "runchart--median",
        "runchart--baseline",
        "runchart--target",
        "runchart--line",
        "runchart--point",
        "runchart--signal",
        "runchart--period",
        "runchart--period-label",
    }

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.chart: RunChart | None = None
        self.drawn = 0
        self._layout: Layout | None = None
        self._for: tuple[int, int, int] | None = None  # (width, height, id(chart)) laid out

    def show(self, chart: RunChart | None) -> None:
        """Draw `chart` (None: nothing)."""
        self.chart = chart
        self._for = None
        self.refresh()

    def _current(self) -> Layout | None:
        size = self.content_size
        key = (size.width, size.height, id(self.chart))
        if key != self._for:
            self._for = key
            self._layout = (
                layout(self.chart, size.width, size.height) if self.chart is not None else None
            )
            if self._layout is not None:
                self.drawn += 1
        return self._layout

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return container.height

    def render_line(self, y: int) -> Strip:
        current = self._current()
        width = self.content_size.width
        base = self.rich_style
        if current is None or y >= len(current.rows):
            if current is None and self.chart is not None and y == 0:
                # There is a chart, but the window is too small to draw it: say so.
                message = texts.MAALINGER_CHART_SMALL[:width].ljust(width)
                return Strip([Segment(message, base)], width)
            return Strip([Segment(" " * width, base)], width)
        styles: dict[str, Style] = {"": base}
        segments = []
        run, run_part = "", ""
        for char, part in current.rows[y]:
            if part != run_part and run:
                segments.append(Segment(run, self._style(styles, run_part)))
                run = ""
            run_part = part
            run += char
        if run:
            segments.append(Segment(run, self._style(styles, run_part)))
        return Strip(segments, width)

    def _style(self, styles: dict[str, Style], part: str) -> Style:
        if part not in styles:
            styles[part] = self.rich_style + self.get_component_rich_style(
                f"runchart--{part}", partial=True
            )
        return styles[part]
