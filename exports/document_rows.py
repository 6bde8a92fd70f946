"""What the målplan documents say, apart from how they look: the header facts, headings,
empty-state sentences and the text of every table row (tegn, prøvehandlinger, samarbejder,
evalueringer). The Word and PDF renderers lay these out each in their own way; the Excel
workbook shares the small joins (partners, tegn numbers, Plan A, ja/nej, labels).

Every function is pure. Renderers pass their own `fmt` (value -> text), because each format
has its own rules for characters it cannot hold."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from operator import attrgetter
from typing import Any, cast

from models import enums
from models.maalplan_view import (
    MaalingView,
    MaalplanView,
    MaalsaetningGroup,
    MaalView,
    ProevehandlingView,
    TegnView,
)
from models.runchart import RunChart
from models.schema import FieldSpec, document_columns, document_fields, format_decimal
from models.words import count

Fmt = Callable[[object], str]
Period = Callable[[date | None, date | None], str]

NO_MAAL = "Målplanen har endnu ingen mål."
NO_TEGN = "Ingen tegn endnu."
NO_PROEVEHANDLINGER = "Ingen prøvehandlinger endnu."
NO_SAMARBEJDER = "Ingen samarbejder på tværs (monofagligt)."

# The tables under each mål: a number (or the prøvehandling's) first, then the columns of
# the entity's fields as the declaration (`FieldSpec.document`) says.
TEGN_HEADERS = ("Nr", *document_columns("tegn"))
PROEVEHANDLING_HEADERS = ("Nr", *document_columns("proevehandling"))
SAMARBEJDE_HEADERS = document_columns("samarbejde")
# Possible partners (maal.mulige_partnere): a table of their own, never among the samarbejder.
MULIGE_PARTNERE_HEADING = "Mulige samarbejdspartnere (fra lederdagen, ikke aftalt)"
MULIGE_PARTNERE_HEADERS = (*document_columns("maal"), "Status")
MULIG_IKKE_AFTALT = "Mulig, endnu ikke aftalt"
EVALUERING_HEADERS = ("Prøvehandling", *document_columns("evaluering"))


# --- small joins shared by all three formats -----------------------------------------------


def document_text(value: object, clean: Callable[[str], str]) -> str:
    """A value as document text: dates as dd-mm-åååå, None as empty, booleans as ja/nej, and
    anything else as `clean(str(value))` (each format removes what it cannot hold)."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, bool):
        return ja_nej(value)
    return clean(str(value))


def ja_nej(value: bool) -> str:
    """«ja» or «nej»."""
    return "ja" if value else "nej"


def partner_text(names: Iterable[str]) -> str:
    """Partner names in one cell, separated by semicolons (the import splits on them)."""
    return "; ".join(names)


def tegn_nr_text(numbers: Iterable[str]) -> str:
    """The tegn a prøvehandling follows, as «1.1, 1.2»."""
    return ", ".join(numbers)


def plan_a_numbers(numbers: Iterable[int]) -> str:
    """Plan A-indikatorer as bare numbers, «1, 3»."""
    return ", ".join(str(n) for n in numbers)


def plan_a_text(numbers: Iterable[int]) -> str:
    """Plan A-indikatorer with their names, «1 Navn, 3 Navn» (unknown numbers left out)."""
    return ", ".join(
        f"{n} {enums.PLAN_A_INDIKATORER[n][1]}" for n in numbers if n in enums.PLAN_A_INDIKATORER
    )


def kilde_label(kilde: str | None) -> str:
    """The Danish label of a målsætning's kilde, or empty when none is set."""
    return enums.choice_label(enums.Kilde, kilde)


# --- the document header ---------------------------------------------------------------------


def status_text(view: MaalplanView) -> str:
    """The four sheets' status in one line: «FØR færdig; del 1 i gang; ...»."""
    return "; ".join(
        f"{sheet} {enums.label(enums.ArkStatus(value)).lower()}"
        for sheet, value in (
            ("FØR", view.status_foer),
            ("del 1", view.status_del1),
            ("del 2", view.status_del2),
            ("EFTER", view.status_efter),
        )
    )


def header_facts(
    view: MaalplanView,
    when: date,
    *,
    plan_a_label: str = "Plan A-indikatorer",
    with_status: bool = True,
) -> list[tuple[str, object]]:
    """The label/value pairs under a document's title, in order, without empty values.

    Values are left as they are (a date stays a date) for the renderer's `fmt`."""
    facts: list[tuple[str, object]] = [
        ("Enhed", view.enhed_navn),
        ("År", view.aar),
        ("Ansvarlig", view.ansvarlig),
        ("Sagsnummer", view.sagsnummer),
        ("KLE-nummer", view.kle),
        (plan_a_label, plan_a_text(view.plan_a)),
    ]
    if with_status:
        facts.append(("Status", status_text(view)))
    facts.append(("Udskrevet", when))
    return [(label, value) for label, value in facts if value not in (None, "")]


def counts_sentence(view: MaalplanView) -> str:
    """«3 mål, 5 tegn, 4 prøvehandlinger og 2 samarbejder.» («1 prøvehandling», «1
    samarbejde» for one)."""
    c = view.counts()
    return (
        f"{count('maal', c.maal)}, {count('tegn', c.tegn)}, "
        f"{count('proevehandling', c.proevehandlinger)} og "
        f"{count('samarbejde', c.samarbejder)}."
    )


# --- headings ----------------------------------------------------------------------------------


def maalsaetning_heading(group: MaalsaetningGroup, fmt: Fmt) -> str:
    """«Målsætning: ...»."""
    return f"Målsætning: {fmt(group.tekst)}"


def kilde_line(group: MaalsaetningGroup) -> str:
    """«Kilde: Politik» under a målsætning, or empty when it has no kilde."""
    kilde = kilde_label(group.kilde)
    return f"Kilde: {kilde}" if kilde else ""


def maal_heading(m: MaalView, fmt: Fmt) -> str:
    """«Mål 2: ...»."""
    return f"Mål {m.nr}: {fmt(m.tekst)}"


def maal_facts(m: MaalView, fmt: Fmt) -> str:
    """Periode, ansvarlig and Plan A of a mål in one line, or empty when none is set."""
    bits = []
    if m.fra_aar or m.til_aar:
        bits.append("Periode: " + year_span(m.fra_aar, m.til_aar))
    if m.ansvarlig:
        bits.append(f"Ansvarlig: {fmt(m.ansvarlig)}")
    if m.plan_a:
        bits.append("Plan A: " + plan_a_numbers(m.plan_a))
    return " · ".join(bits)


def year_span(fra: int | None, til: int | None) -> str:
    """A mål's years: «2027-2028», one year when they are the same («2027»), or the one given."""
    if fra and til and fra != til:
        return f"{fra}-{til}"
    return str(fra or til or "")


# --- the tables under each mål -----------------------------------------------------------------


# A cell: (the row's view, the renderer's fmt, its period) -> text.
Cell = Callable[[Any, Fmt, Period], str]


EXPECT_LABEL = "Vi forventer"
STATUS_SINCE = "siden"


def expectation_text(forventning: str) -> str:
    """A prøvehandling's expectation under what it does: «Vi forventer: færre konflikter.»,
    or the text as it is when it already begins «Vi forventer» (no «Vi forventer: Vi
    forventer, at ...»)."""
    text = forventning.strip()
    if text[: len(EXPECT_LABEL)].casefold() == EXPECT_LABEL.casefold():
        return text
    return f"{EXPECT_LABEL}: {text}"


def _what(p: ProevehandlingView, fmt: Fmt, _period: Period) -> str:
    what = fmt(p.tekst)
    if p.forventning:
        what += "\n" + expectation_text(fmt(p.forventning))
    return what


def _borger(p: ProevehandlingView, fmt: Fmt, _period: Period) -> str:
    borger = ja_nej(p.borgerinddragelse)
    if p.borgerinddragelse_hvordan:
        borger += f": {fmt(p.borgerinddragelse_hvordan)}"
    return borger


def _evaluering_dates(p: ProevehandlingView, fmt: Fmt, _period: Period) -> str:
    evals = []
    if p.evaluering_undervejs:
        evals.append(f"Undervejs {fmt(p.evaluering_undervejs)}")
    if p.evaluering_afslutning:
        evals.append(f"Afslutning {fmt(p.evaluering_afslutning)}")
    return "\n".join(evals)


def _period_status(p: ProevehandlingView, fmt: Fmt, period: Period) -> str:
    """The period, and under it the status once it is more than «planlagt» with no date
    (a plan filed after del 2 reads as before; one followed through the year says where each
    prøvehandling stands)."""
    text = period(p.start, p.slut)
    if p.status == enums.ProevehandlingStatus.PLANLAGT and not p.status_dato:
        return text
    status = enums.choice_label(enums.ProevehandlingStatus, p.status)
    if p.status_dato:
        status += f" {STATUS_SINCE} {fmt(p.status_dato)}"
    return f"{text}\n{status}" if text else status


# The columns that show several fields, each in its own way, by (entity, column).
_COMBINED: dict[tuple[str, str], Cell] = {
    ("proevehandling", "Hvad gør vi"): _what,
    ("proevehandling", "Periode"): _period_status,
    ("proevehandling", "Borgerinddragelse"): _borger,
    ("proevehandling", "Evaluering"): _evaluering_dates,
}
# References, shown by what they point at.
_REFERENCES: dict[tuple[str, str], Cell] = {
    ("proevehandling", "tegn_ids"): lambda p, _fmt, _period: tegn_nr_text(p.tegn_nr),
    ("samarbejde", "partner_ids"): lambda s, _fmt, _period: partner_text(s.partner_navne),
}


def _field_cell(entity: str, spec: FieldSpec) -> Cell:
    """How one field fills its column: a choice by its label, yes/no as ja/nej, a reference
    by what it points at, anything else through the renderer's `fmt`."""
    name = spec.name
    if spec.kind in ("ref", "reflist"):
        return _REFERENCES[(entity, name)]
    if spec.kind == "enum":
        enum = cast(type[StrEnum], spec.enum)
        return lambda row, _fmt, _period: enums.choice_label(enum, getattr(row, name))
    if spec.kind == "bool":
        return lambda row, _fmt, _period: ja_nej(getattr(row, name))
    get = attrgetter(name)
    return lambda row, fmt, _period: fmt(get(row))


def _cells(entity: str, *first: Cell) -> tuple[Cell, ...]:
    """The cells of a row of `entity`'s table: `first` (its number), then one per column of
    its fields, from the declaration."""
    out = list(first)
    for column in document_columns(entity):
        fields = document_fields(entity, column)
        if len(fields) == 1:
            out.append(_field_cell(entity, fields[0]))
        else:
            out.append(_COMBINED[(entity, column)])
    return tuple(out)


def _nr(row: Any, _fmt: Fmt, _period: Period) -> str:
    return str(row.nr)


_TEGN_CELLS = _cells("tegn", _nr)
_PROEVEHANDLING_CELLS = _cells("proevehandling", _nr)
_SAMARBEJDE_CELLS = _cells("samarbejde")
_EVALUERING_CELLS = _cells("evaluering")


def _no_period(_start: date | None, _slut: date | None) -> str:
    return ""


def tegn_rows(m: MaalView, fmt: Fmt) -> list[list[str]]:
    """One row per tegn, in the columns of `TEGN_HEADERS`."""
    cells = _TEGN_CELLS
    return [[cell(t, fmt, _no_period) for cell in cells] for t in m.tegn]


def proevehandling_rows(m: MaalView, fmt: Fmt, period: Period) -> list[list[str]]:
    """One row per prøvehandling, in the columns of `PROEVEHANDLING_HEADERS`; `period` writes
    the start and slut dates as one text."""
    cells = _PROEVEHANDLING_CELLS
    return [[cell(p, fmt, period) for cell in cells] for p in m.proevehandlinger]


def samarbejde_rows(m: MaalView, fmt: Fmt) -> list[list[str]]:
    """One row per samarbejde, in the columns of `SAMARBEJDE_HEADERS`."""
    cells = _SAMARBEJDE_CELLS
    return [[cell(s, fmt, _no_period) for cell in cells] for s in m.samarbejder]


def evaluering_rows(m: MaalView, fmt: Fmt) -> list[list[str]]:
    """One row per evaluering of the mål's prøvehandlinger, in the columns of
    `EVALUERING_HEADERS` (the first is the prøvehandling's number)."""
    cells = _EVALUERING_CELLS
    return [
        [p.nr, *[cell(e, fmt, _no_period) for cell in cells]]
        for p in m.proevehandlinger
        for e in p.evalueringer
    ]


# The læring written along the way (`laering` rows): under each mål those of its
# prøvehandlinger, and at the end of the plan those of the plan as a whole.
LAERING_HEADERS = ("Prøvehandling", "Dato", "Det har vi lært", "Skrevet af")
PLAN_LAERING_HEADING = "Læring for hele planen"
PLAN_LAERING_HEADERS = ("Dato", "Det har vi lært", "Skrevet af")


def laering_rows(m: MaalView, fmt: Fmt) -> list[list[str]]:
    """One row per læring of the mål's prøvehandlinger, oldest first under each, in the
    columns of `LAERING_HEADERS` (the first is the prøvehandling's number)."""
    return [
        [p.nr, fmt(x.dato), fmt(x.tekst), fmt(x.hvem)]
        for p in m.proevehandlinger
        for x in p.laeringer
    ]


def plan_laering_section(view: MaalplanView, fmt: Fmt) -> Section | None:
    """The plan's own læring (on no prøvehandling) as a table; None when there is none."""
    rows = [[fmt(x.dato), fmt(x.tekst), fmt(x.hvem)] for x in view.laeringer]
    if not rows:
        return None
    return Section("plan_laering", PLAN_LAERING_HEADING, PLAN_LAERING_HEADERS, rows, "")


@dataclass(frozen=True)
class Section:
    """One table under a mål: its key (for the renderer's column widths), heading, column
    headers, rows, and the sentence shown instead of the table when there are no rows."""

    key: str
    heading: str
    headers: tuple[str, ...]
    rows: list[list[str]]
    empty: str


def maal_sections(m: MaalView, fmt: Fmt, period: Period) -> list[Section]:
    """The tables under one mål, in document order: tegn, prøvehandlinger, samarbejder,
    evalueringer and læring. Evalueringer and læring have no empty-state sentence: without
    any, the section is left out altogether."""
    sections = [
        Section("tegn", "Tegn", TEGN_HEADERS, tegn_rows(m, fmt), NO_TEGN),
        Section(
            "proevehandling",
            "Prøvehandlinger",
            PROEVEHANDLING_HEADERS,
            proevehandling_rows(m, fmt, period),
            NO_PROEVEHANDLINGER,
        ),
        Section(
            "samarbejde", "Samarbejder", SAMARBEJDE_HEADERS, samarbejde_rows(m, fmt), NO_SAMARBEJDER
        ),
        Section("evaluering", "Evalueringer", EVALUERING_HEADERS, evaluering_rows(m, fmt), ""),
        Section("laering", "Læring", LAERING_HEADERS, laering_rows(m, fmt), ""),
        # The names found on the lederdag (FØR): possible, not agreed; left out when none.
        Section(
            "mulige_partnere",
            MULIGE_PARTNERE_HEADING,
            MULIGE_PARTNERE_HEADERS,
            [[navn, MULIG_IKKE_AFTALT] for navn in m.mulige_partner_navne],
            "",
        ),
    ]
    return [s for s in sections if s.rows or s.empty]


def period_text(start: Any, slut: Any, fmt: Any, *, sep: str = " - ") -> str:
    """A prøvehandling's period: «a - b», «fra a» or «til b» (the same in every document;
    the take-away QR text uses a tighter `sep`)."""
    a, b = (fmt(start) if start else ""), (fmt(slut) if slut else "")
    if a and b:
        return f"{a}{sep}{b}"
    if a:
        return f"fra {a}"
    if b:
        return f"til {b}"
    return ""


# --- målinger under the tegn table (issue 15) --------------------------------------------------

MAALING_HEADERS = ("Dato", "Observation", "Kilde")


@dataclass(frozen=True)
class MaalingBlock:
    """The målinger of one tegn under the mål's tegn table: a heading, a line that sums them
    up, the run chart (a kvantitativ tegn with measured numbers) and a table of the
    observations (a kvalitativ tegn, or observations written beside the numbers)."""

    heading: str
    summary: str
    chart: RunChart | None
    # The number of each prøvehandling by its id, for the chart's period labels.
    numbers: dict[str, str]
    table: Section | None


def maaling_heading(t: TegnView) -> str:
    """«Målinger: Tegn 1.2»."""
    return f"Målinger: Tegn {t.nr}"


def _observation(t: TegnView, m: MaalingView, fmt: Fmt) -> str:
    text = fmt(m.observation) if m.observation else ""
    if m.vaerdi is not None and t.type != enums.TegnType.KVANTITATIV:
        number = format_decimal(m.vaerdi)
        return f"{number}: {text}" if text else number
    return text


def maaling_blocks(m: MaalView, fmt: Fmt) -> list[MaalingBlock]:
    """One block per tegn of the mål that has målinger, in tegn order (none for a plan
    without målinger: its documents look as they always did)."""
    numbers = {p.id: p.nr for p in m.proevehandlinger}
    out = []
    for t in m.tegn:
        if not t.maalinger:
            continue
        chart = t.chart
        quantitative = t.type == enums.TegnType.KVANTITATIV
        if chart is None or not chart.points or not quantitative:
            chart = None
        shown = [
            x for x in t.maalinger if x.observation or (not quantitative and x.vaerdi is not None)
        ]
        rows = [[fmt(x.dato), _observation(t, x, fmt), fmt(x.kilde)] for x in shown]
        table = Section("maaling", "", MAALING_HEADERS, rows, "") if rows else None
        out.append(MaalingBlock(maaling_heading(t), _summary(t, chart, fmt), chart, numbers, table))
    return out


def _summary(t: TegnView, chart: RunChart | None, fmt: Fmt) -> str:
    """«12 målinger fra 05-01-2027 til 20-12-2027; median 48,5.» (without a chart: how many)."""
    days = [x.dato for x in t.maalinger if x.dato]
    text = count("maaling", len(t.maalinger))
    if days and min(days) != max(days):
        text += f" fra {fmt(min(days))} til {fmt(max(days))}"
    elif days:
        text += f" den {fmt(days[0])}"
    if chart is not None and chart.median is not None:
        text += f"; median {format_decimal(round(chart.median, 6))}"
    return text + "."
