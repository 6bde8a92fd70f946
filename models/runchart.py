"""A run chart of one tegn, as data: what the terminal (`screens`) and the documents
(`exports`) draw, so both show the same points, lines and periods.

A run chart (as Life QI and the IHI draw it) plots a measure over time with its median; here
also the tegn's baseline («udgangspunkt») and expected level («forventet niveau») as lines,
and the periods of the prøvehandlinger that follow the tegn marked on the time axis, so a
reader sees whether the numbers moved when something was tried.

Standard library only (and the records): a screen may import this at module level."""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from .records import Maaling, Proevehandling, Tegn
from .schema import parse_decimal

# The first number in a free text such as «45 %», «ca. 12 om måneden», «3 ud af 10».
_NUMBER_RE = re.compile(r"[-+\u2212]?\d[\d.\u00a0 ]*(?:,\d+)?")

# A shift: this many points or more in a row on one side of the median (points on the median
# neither break nor count); a trend: this many points or more in a row going up (or down).
SHIFT_POINTS = 6
# A prøvehandling with one of these ends on its status date, not its planned end.
_ENDED = frozenset({"stoppet", "afsluttet"})
TREND_POINTS = 5


def first_number(text: str | None) -> float | None:
    """The first number in a baseline or an expected level as people write them, or None."""
    if not text:
        return None
    for match in _NUMBER_RE.finditer(text):
        try:
            return parse_decimal(match.group().strip())
        except ValueError:
            continue
    return None


@dataclass(frozen=True, slots=True)
class Point:
    """One measured value."""

    dato: date
    vaerdi: float
    maaling_id: str


@dataclass(frozen=True, slots=True)
class Period:
    """A prøvehandling that follows the tegn, with its period (either end may be unknown):
    `slut` as planned, `ended` the day it was stopped or finished when it has been."""

    proevehandling_id: str
    tekst: str
    start: date | None
    slut: date | None
    status: str
    ended: date | None = None

    @property
    def end(self) -> date | None:
        """Where the period ends on a chart: the day it was stopped or finished (its start,
        when that was before it started), else the planned end."""
        if self.ended is None:
            return self.slut
        if self.start is not None and self.ended < self.start:
            return self.start
        return self.ended


@dataclass(frozen=True, slots=True)
class RunChart:
    """Everything a run chart of one tegn shows. `points` are in date order (a day with two
    målinger keeps both, in the order they were made)."""

    tegn_id: str
    tegn_tekst: str
    points: tuple[Point, ...]
    baseline: float | None
    baseline_text: str | None
    target: float | None
    target_text: str | None
    periods: tuple[Period, ...]

    @property
    def median(self) -> float | None:
        """The median of the points (None without points)."""
        if not self.points:
            return None
        return float(statistics.median(p.vaerdi for p in self.points))

    @property
    def dates(self) -> tuple[date, date] | None:
        """The first and last day the chart covers: its points and the known ends of its
        periods (None when it has neither)."""
        days = [p.dato for p in self.points]
        for period in self.periods:
            days += [d for d in (period.start, period.end) if d is not None]
        if not days:
            return None
        return min(days), max(days)

    @property
    def values(self) -> tuple[float, float] | None:
        """The lowest and highest value the chart shows: points, baseline and target."""
        found = [p.vaerdi for p in self.points]
        found += [v for v in (self.baseline, self.target) if v is not None]
        if not found:
            return None
        return min(found), max(found)

    @property
    def shifts(self) -> tuple[tuple[int, int], ...]:
        """Runs of at least `SHIFT_POINTS` points on one side of the median, as (first, last)
        indexes into `points`: a signal that something changed, not chance."""
        median = self.median
        if median is None:
            return ()
        out: list[tuple[int, int]] = []
        side, first, count, last = 0, 0, 0, 0
        for i, point in enumerate(self.points):
            s = (point.vaerdi > median) - (point.vaerdi < median)
            if s == 0:
                continue  # on the median: neither breaks nor counts
            if s != side:
                if count >= SHIFT_POINTS:
                    out.append((first, last))
                side, first, count = s, i, 0
            count += 1
            last = i
        if count >= SHIFT_POINTS:
            out.append((first, last))
        return tuple(out)

    @property
    def trends(self) -> tuple[tuple[int, int], ...]:
        """Runs of at least `TREND_POINTS` points each higher (or each lower) than the one
        before, as (first, last) indexes (equal neighbours end a trend)."""
        out: list[tuple[int, int]] = []
        values = [p.vaerdi for p in self.points]
        direction, first = 0, 0
        for i in range(1, len(values) + 1):
            step = (
                0 if i == len(values) else (values[i] > values[i - 1]) - (values[i] < values[i - 1])
            )
            if step != direction or step == 0:
                if direction != 0 and i - first >= TREND_POINTS:
                    out.append((first, i - 1))
                direction, first = step, i - 1
        return tuple(out)


def run_chart(
    tegn: Tegn, maalinger: Iterable[Maaling], proevehandlinger: Sequence[Proevehandling]
) -> RunChart:
    """The run chart of `tegn` from its målinger (those without a number or a date are left
    out: an observation is not a point) and the prøvehandlinger that follow it (those of
    `proevehandlinger` whose `tegn_ids` name it)."""
    points = sorted(
        (
            Point(m.dato, m.vaerdi, m.id)
            for m in maalinger
            if m.dato is not None and m.vaerdi is not None and m.tegn_id == tegn.id
        ),
        key=lambda p: p.dato,
    )
    periods = tuple(
        Period(
            p.id,
            p.tekst,
            p.start,
            p.slut,
            p.status,
            p.status_dato if p.status in _ENDED and p.status_dato is not None else None,
        )
        for p in proevehandlinger
        if tegn.id in p.tegn_ids
    )
    return RunChart(
        tegn.id,
        tegn.tekst,
        tuple(points),
        first_number(tegn.baseline),
        tegn.baseline,
        first_number(tegn.forventet_niveau),
        tegn.forventet_niveau,
        periods,
    )


# --- issue 15 H3: axis ticks shared by every drawing of a run chart -----------------------------

MONTHS_DA = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def value_ticks(low: float, high: float, most: int = 6) -> tuple[float, ...]:
    """Round values (steps of 1, 2 or 5 times a power of ten) from at or below `low` to at or
    above `high`, at most `most` + 1 of them; a flat range (all points equal) is widened so
    the line sits in the middle."""
    import math

    if not (math.isfinite(low) and math.isfinite(high)):
        return (0.0, 1.0)
    if high < low:
        low, high = high, low
    if high - low < 1e-9 * max(1.0, abs(high), abs(low)):
        pad = abs(high) * 0.1 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / max(1, most)
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(power * f for f in (1, 2, 2.5, 5, 10) if power * f >= raw)
    first = math.floor(low / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    n = round((last - first) / step)
    return tuple(round(first + i * step, 10) for i in range(n + 1))


def value_label(value: float) -> str:
    """A tick value the Danish way, short: «1.250», «12,5», «2,5 mio.», «1.000 mia.»."""
    from .schema import format_decimal

    size = abs(value)
    if size >= 1e9:
        return f"{format_decimal(round(value / 1e9, 2))} mia."
    if size >= 1e6:
        return f"{format_decimal(round(value / 1e6, 2))} mio."
    return format_decimal(round(value, 6))


def _add_months(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 + months
    return date(total // 12, total % 12 + 1, 1)


def date_ticks(first: date, last: date, most: int = 8) -> tuple[tuple[date, str], ...]:
    """Days to mark on the time axis between `first` and `last` with their Danish labels: days
    («03-02») for a few weeks, months («feb 27», the year at January and the first) for up
    to a few years, whole years («2031») beyond, at most about `most` of them."""
    from datetime import timedelta

    span = (last - first).days
    out: list[tuple[date, str]] = []
    if span <= 70:
        step = max(1, -(-span // max(1, most)))
        for i in range(0, span + 1, step):
            day = first + timedelta(days=i)
            out.append((day, day.strftime("%d-%m")))
        return tuple(out)
    months = (last.year - first.year) * 12 + last.month - first.month
    if months <= 12 * 4:
        every = next(n for n in (1, 2, 3, 4, 6, 12) if months / n <= most)
        day = _add_months(first, 1) if first.day > 1 else first
        while (day.month - 1) % every:
            day = _add_months(day, 1)
        while day <= last:
            label = MONTHS_DA[day.month - 1]
            if day.month == 1 or not out:
                label += f" {day.year % 100:02d}"
            out.append((day, label))
            day = _add_months(day, every)
        return tuple(out)
    years = last.year - first.year
    every = next((n for n in (1, 2, 5, 10, 20, 50, 100, 1000) if years / n <= most), 10000)
    year = first.year + (1 if (first.month, first.day) != (1, 1) else 0)
    year += -year % every
    while year <= last.year:
        out.append((date(year, 1, 1), str(year)))
        year += every
    return tuple(out)
