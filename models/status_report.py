"""The August status for the Kommunalbestyrelsen, as data: per politik and målsætning the mål
that serve it in a year's målplaner, each with its tegn (the latest måling against baseline and
expected level, and its run chart), its prøvehandlinger (status and evaluated effect), a short
læring summary and the tovholder's assessment of målopfyldelse (`vurdering`); a roll-up per
målsætning (`rollup`, the one rule) and a first page in plain Danish (`Summary`).

The screens and, later, the documents read these frozen dataclasses; nothing here renders.

One vurdering per (mål, år): `set_vurdering` updates the one there is. Should a merge bring two
for the same mål and year (two laptops assessed the same mål), every read takes the one with
the newest `dato`, then the highest id (`chosen_vurdering`), and tells how many others there
are (`Vurdering.andre`); the next `set_vurdering` keeps the chosen one and deletes the others
in the same action.

Everything is read with a handful of queries whatever the number of plans (the mål, tegn,
prøvehandlinger, målinger, evalueringer and læring through `models.maalplan_view`, which also
builds the run charts, as the målplan documents show them)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, is_dataclass, replace
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

from . import enums
from .revisions import count_actions, digest_of, id_parts
from .runchart import RunChart
from .words import count, listed

if TYPE_CHECKING:
    from .db import Database
    from .maalplan_view import LaeringView, MaalView, ProevehandlingView, TegnView
    from .store import Store

# The roll-up's word when no mål of a målsætning is assessed (not one of the four choices).
IKKE_VURDERET = "ikke_vurderet"
IKKE_VURDERET_LABEL = "Ikke vurderet"
# The group of the målsætninger from the budget agreement, and of those under no politik.
BUDGETAFTALE = "Budgetaftale"
UDEN_POLITIK = "Uden politik"
# How many læring texts a mål's summary holds (the newest).
LAERING_LINES = 3

# The order of the assessments, best first (the summary's counts follow it).
ORDER: tuple[str, ...] = (
    enums.Maalopfyldelse.OPFYLDT,
    enums.Maalopfyldelse.DELVIST,
    enums.Maalopfyldelse.IKKE_ENDNU,
    enums.Maalopfyldelse.FOR_TIDLIGT,
    IKKE_VURDERET,
)
# How much each assessment counts when the målsætninger are compared (best and worst);
# «for tidligt at sige» and «ikke vurderet» do not count.
_SCORE: dict[str, float] = {
    enums.Maalopfyldelse.OPFYLDT: 1.0,
    enums.Maalopfyldelse.DELVIST: 0.5,
    enums.Maalopfyldelse.IKKE_ENDNU: 0.0,
}


def label(value: str) -> str:
    """The Danish label of an assessment or of «ikke vurderet»."""
    return IKKE_VURDERET_LABEL if value == IKKE_VURDERET else enums.label(value)


# --- the records ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TegnStatus:
    """A tegn with its latest måling (value and/or observation) beside its baseline and
    expected level; `chart` is the run chart when it has målinger (as the målplan shows)."""

    id: str
    tekst: str
    type: str
    baseline: str | None
    forventet_niveau: str | None
    maalinger: int
    seneste_dato: date | None
    seneste_vaerdi: float | None
    seneste_observation: str | None
    chart: RunChart | None = None
    # Målinger dated after the day the report is made (a year typed wrong, most likely): not
    # counted, not the latest and not in the chart; how many were left out.
    senere: int = 0


@dataclass(frozen=True, slots=True)
class Effekt:
    """What an evaluering found the prøvehandling's effect to be."""

    type: str
    dato: date | None
    effekt: str


@dataclass(frozen=True, slots=True)
class ProevehandlingStatus:
    """A prøvehandling with its status (since when) and its evaluated effects."""

    id: str
    tekst: str
    status: str
    status_dato: date | None
    effekter: tuple[Effekt, ...]
    # Effects of evalueringer dated after the day the report is made: left out; how many.
    senere: int = 0


@dataclass(frozen=True, slots=True)
class LaeringLine:
    """A dated læring; `proevehandling` names the prøvehandling it was learnt from (None: the
    plan as a whole); `evaluering` is the type of the evaluering it was written in (its
    «Læring» field, dated by the evaluering), None for one from the plan's læring list."""

    dato: date | None
    tekst: str
    hvem: str | None
    proevehandling: str | None
    evaluering: str | None = None


@dataclass(frozen=True, slots=True)
class PlanLaering:
    """The læring of a målplan as a whole (not of one mål or prøvehandling): shown once for
    the plan, not under each of its mål."""

    maalplan_id: str
    maalplan_titel: str
    enhed_navn: str
    laering: tuple[LaeringLine, ...]
    senere: int = 0  # læring of the plan dated after the day the report is made: left out


@dataclass(frozen=True, slots=True)
class Vurdering:
    """The assessment of a mål for the year; `andre` is how many more live vurderinger the
    mål has for the same year (after a merge), which this one was chosen over."""

    id: str
    maalopfyldelse: str
    begrundelse: str | None
    dato: date | None
    hvem: str | None
    andre: int = 0


@dataclass(frozen=True, slots=True)
class MaalStatus:
    """A mål of one of the year's målplaner with the data beside its assessment."""

    id: str
    tekst: str
    ansvarlig: str | None
    maalplan_id: str
    maalplan_titel: str
    enhed_navn: str
    tegn: tuple[TegnStatus, ...]
    proevehandlinger: tuple[ProevehandlingStatus, ...]
    laering: tuple[LaeringLine, ...]
    vurdering: Vurdering | None
    # The læring of the mål's plan as a whole (`PlanLaering`), for a screen that shows one mål;
    # the documents show it once per plan, and it is not counted twice in the digest.
    plan_laering: tuple[LaeringLine, ...] = ()
    # Its læring dated after the day the report is made: left out; how many.
    senere_laering: int = 0

    @property
    def opfyldelse(self) -> str:
        """The assessment's value, or `IKKE_VURDERET`."""
        return self.vurdering.maalopfyldelse if self.vurdering else IKKE_VURDERET


@dataclass(frozen=True, slots=True)
class Rollup:
    """A målsætning's mål taken together (`rollup`): one word (`value`, an assessment or
    `IKKE_VURDERET`), how many mål have each assessment (in `ORDER`, zeros left out) and
    whether every mål is assessed."""

    value: str
    fordeling: tuple[tuple[str, int], ...]
    vurderet: int
    maal: int

    @property
    def label(self) -> str:
        return label(self.value)

    @property
    def score(self) -> float | None:
        """The mean of the assessments that count (opfyldt 1, delvist ½, ikke endnu 0); None
        when none counts. Used to find where it went best and worst."""
        points = [_SCORE[v] for v, n in self.fordeling if v in _SCORE for _ in range(n)]
        return sum(points) / len(points) if points else None

    def text(self) -> str:
        """«Delvist opfyldt (1 opfyldt, 1 ikke opfyldt endnu)»: the word and the distribution;
        the word alone when every mål has it («Opfyldt», not «Opfyldt (1 opfyldt)»). When most
        mål are not assessed, that comes first, for the word rests on the few that are: «Kun 1
        af 3 mål er vurderet: for tidligt at sige»."""
        if self.vurderet and self.maal - self.vurderet > self.vurderet:
            assessed = [(v, n) for v, n in self.fordeling if v != IKKE_VURDERET]
            head = (
                f"Kun {self.vurderet} af {count('maal', self.maal)} er vurderet: "
                f"{self.label.lower()}"
            )
            return head + _distribution(assessed, self.value)
        return self.label + _distribution(self.fordeling, self.value)


def _distribution(fordeling: Sequence[tuple[str, int]], value: str) -> str:
    """« (1 opfyldt, 2 ikke vurderet)»; nothing when it would only repeat `value`."""
    if not fordeling or (len(fordeling) == 1 and fordeling[0][0] == value):
        return ""
    return f" ({', '.join(f'{n} {label(v).lower()}' for v, n in fordeling)})"


@dataclass(frozen=True, slots=True)
class MaalsaetningStatus:
    """A målsætning with the mål that serve it in the year's plans and their roll-up."""

    id: str
    tekst: str
    kilde: str
    maal: tuple[MaalStatus, ...]
    rollup: Rollup


@dataclass(frozen=True, slots=True)
class PolitikStatus:
    """A politik (or the budget agreement, or no politik: `id` None) with its målsætninger."""

    id: str | None
    navn: str
    maalsaetninger: tuple[MaalsaetningStatus, ...]


@dataclass(frozen=True, slots=True)
class Summary:
    """The first page: the counts and the sentences that say them in plain Danish."""

    maal: int
    maalsaetninger: int
    enheder: int
    fordeling: tuple[tuple[str, int], ...]  # every value of `ORDER`, zeros included
    bedst: MaalsaetningStatus | None
    vaerst: MaalsaetningStatus | None
    saetninger: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StatusReport:
    """The August status of year `aar`, as read on `today`; `revision` and `digest` make its
    reference in print (`report_content`)."""

    aar: int
    today: date
    politikker: tuple[PolitikStatus, ...]
    summary: Summary
    revision: int = 0
    digest: str = ""
    planlaering: tuple[PlanLaering, ...] = ()

    @property
    def maalsaetninger(self) -> tuple[MaalsaetningStatus, ...]:
        return tuple(ms for p in self.politikker for ms in p.maalsaetninger)

    @property
    def maal(self) -> tuple[MaalStatus, ...]:
        return tuple(m for ms in self.maalsaetninger for m in ms.maal)

    @property
    def senere_maalinger(self) -> int:
        """How many målinger dated after `today` were left out."""
        return sum(t.senere for m in self.maal for t in m.tegn)

    @property
    def senere_effekter(self) -> int:
        """How many evalueringer's effects dated after `today` were left out."""
        return sum(p.senere for m in self.maal for p in m.proevehandlinger)

    @property
    def senere_laering(self) -> int:
        """How many læringer dated after `today` were left out (a plan's own once)."""
        return sum(m.senere_laering for m in self.maal) + sum(p.senere for p in self.planlaering)


# --- the rules -----------------------------------------------------------------------------


def rollup(values: Iterable[str | None]) -> Rollup:
    """The roll-up of a målsætning's mål, given each mål's assessment (None: not assessed).

    The one rule, first match wins:
    1. no mål assessed (or no mål) -> «ikke vurderet»;
    2. every mål assessed «opfyldt» -> «opfyldt»;
    3. every assessed mål «for tidligt at sige» -> «for tidligt at sige»;
    4. some mål «opfyldt» or «delvist opfyldt» -> «delvist opfyldt»;
    5. otherwise (at least one «ikke opfyldt endnu», none better) -> «ikke opfyldt endnu»."""
    given = [v or IKKE_VURDERET for v in values]
    tally = Counter(given)
    assessed = [v for v in given if v != IKKE_VURDERET]
    fordeling = tuple((v, tally[v]) for v in ORDER if tally[v])
    if not assessed:
        value = IKKE_VURDERET
    elif all(v == enums.Maalopfyldelse.OPFYLDT for v in given):
        value = enums.Maalopfyldelse.OPFYLDT
    elif all(v == enums.Maalopfyldelse.FOR_TIDLIGT for v in assessed):
        value = enums.Maalopfyldelse.FOR_TIDLIGT
    elif any(v in (enums.Maalopfyldelse.OPFYLDT, enums.Maalopfyldelse.DELVIST) for v in assessed):
        value = enums.Maalopfyldelse.DELVIST
    else:
        value = enums.Maalopfyldelse.IKKE_ENDNU
    return Rollup(str(value), fordeling, len(assessed), len(given))


def _vurdering_key(row: dict[str, Any]) -> tuple[date, str]:
    return (row["dato"] or date.min, row["id"])


def chosen_vurdering(rows: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """Of the live vurderinger of one mål and year, the one that counts: the newest `dato`
    (no date is oldest), then the highest id. None when there is none."""
    return max(rows, key=_vurdering_key) if rows else None


def _vurderinger(conn: Any, aar: int, maal_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    from .maalplan_view import _chunked, _table

    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in _chunked(conn, "vurdering", _table("vurdering").c.maal_id, list(maal_ids)):
        if row["aar"] == aar:
            out[row["maal_id"]].append(row)
    return out


def vurdering_of(db: Database, maal_id: str, aar: int) -> Vurdering | None:
    """The vurdering that counts for a mål and year (`chosen_vurdering`), or None."""
    with db.engine.connect() as conn:
        rows = _vurderinger(conn, aar, [maal_id]).get(maal_id, [])
    return _vurdering(rows)


def _vurdering(rows: list[dict[str, Any]]) -> Vurdering | None:
    row = chosen_vurdering(rows)
    if row is None:
        return None
    return Vurdering(
        id=row["id"],
        maalopfyldelse=row["maalopfyldelse"] or enums.Maalopfyldelse.FOR_TIDLIGT,
        begrundelse=row["begrundelse"],
        dato=row["dato"],
        hvem=row["hvem"],
        andre=len(rows) - 1,
    )


def set_vurdering(
    store: Store,
    maal_id: str,
    aar: int,
    maalopfyldelse: str,
    begrundelse: str | None,
    *,
    dato: date,
    hvem: str,
) -> str:
    """Set the assessment of a mål for a year, dated `dato` by `hvem`, as one undoable action:
    the vurdering that counts is changed (a new one is made when there is none) and any other
    live vurdering of the same mål and year (brought by a merge) is deleted. Returns its id."""
    values: dict[str, object] = {
        "maalopfyldelse": maalopfyldelse,
        "begrundelse": (begrundelse or "").strip() or None,
        "dato": dato,
        "hvem": hvem,
    }
    with store.action() as tx:
        rows = _vurderinger(tx.conn, aar, [maal_id]).get(maal_id, [])
        chosen = chosen_vurdering(rows)
        if chosen is None:
            return store.create("vurdering", {"maal_id": maal_id, "aar": aar, **values}, tx=tx)
        store.update("vurdering", chosen["id"], values, tx=tx)
        for row in rows:
            if row["id"] != chosen["id"]:
                store.delete("vurdering", row["id"], tx=tx)
        return str(chosen["id"])


def report_years(db: Database) -> tuple[int, ...]:
    """The years that have live målplaner, oldest first."""
    from sqlalchemy import select

    from .maalplan_view import _table

    table = _table("maalplan")
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(table.c.aar).where(~table.c.deleted, table.c.aar.is_not(None)).distinct()
        )
        return tuple(sorted(int(r[0]) for r in rows))


def report_maal_count(db: Database, aar: int) -> int:
    """How many live mål the live målplaner of `aar` hold (one query; how large the report
    will be, before it is read)."""
    from sqlalchemy import func, select

    from .maalplan_view import _table

    plan_t, maal_t = _table("maalplan"), _table("maal")
    query = (
        select(func.count())
        .select_from(maal_t.join(plan_t, maal_t.c.maalplan_id == plan_t.c.id))
        .where(~maal_t.c.deleted, ~plan_t.c.deleted, plan_t.c.aar == aar)
    )
    with db.engine.connect() as conn:
        return int(conn.execute(query).scalar() or 0)


def default_year(years: Sequence[int], today: date) -> int | None:
    """The year the report opens on: the newest year whose August has begun by `today` (the
    status is made in August), else the newest year; None when no year has plans."""
    begun = [y for y in years if date(y, 8, 1) <= today]
    if begun:
        return max(begun)
    return max(years) if years else None


# --- reading -------------------------------------------------------------------------------


def _tegn_status(t: TegnView, today: date) -> TegnStatus:
    """A tegn as of `today`: a måling dated after it is left out (counted in `senere`), so a
    year typed wrong does not make it the latest or put it in the chart."""
    kept = [x for x in t.maalinger if x.dato is None or x.dato <= today]
    latest = kept[-1] if kept else None
    chart = t.chart if t.type == enums.TegnType.KVANTITATIV else None
    if chart is not None and len(kept) < len(t.maalinger):
        chart = replace(chart, points=tuple(p for p in chart.points if p.dato <= today))
    return TegnStatus(
        id=t.id,
        tekst=t.tekst,
        type=t.type,
        baseline=t.baseline,
        forventet_niveau=t.forventet_niveau,
        maalinger=len(kept),
        seneste_dato=latest.dato if latest else None,
        seneste_vaerdi=latest.vaerdi if latest else None,
        seneste_observation=latest.observation if latest else None,
        chart=chart,
        senere=len(t.maalinger) - len(kept),
    )


def _later(line: LaeringLine, today: date) -> bool:
    return line.dato is not None and line.dato > today


def _same_text(text: str) -> str:
    return " ".join(text.split()).casefold()


def _newest(lines: list[LaeringLine], today: date) -> tuple[tuple[LaeringLine, ...], int]:
    """The newest `LAERING_LINES` of `lines` dated up to `today`, and how many were dated
    after it (left out)."""
    kept = [line for line in lines if not _later(line, today)]
    kept.sort(key=lambda line: (line.dato or date.min, line.tekst), reverse=True)
    return tuple(kept[:LAERING_LINES]), len(lines) - len(kept)


def _laering(m: MaalView, today: date) -> tuple[tuple[LaeringLine, ...], int]:
    """The newest læring of a mål's prøvehandlinger: their læring list and what their
    evalueringer wrote in «Læring» (dated by the evaluering); a text written in both places
    for the same prøvehandling once (the læring list's, which says who)."""
    lines: list[LaeringLine] = []
    for p in m.proevehandlinger:
        seen: set[str] = set()
        for lv in p.laeringer:
            if lv.tekst.strip():
                lines.append(LaeringLine(lv.dato, lv.tekst, lv.hvem, p.tekst))
                seen.add(_same_text(lv.tekst))
        for e in p.evalueringer:
            text = (e.laering or "").strip()
            if text and _same_text(text) not in seen:
                lines.append(LaeringLine(e.dato, text, None, p.tekst, e.type))
                seen.add(_same_text(text))
    return _newest(lines, today)


def _plan_laering(
    plan_laering: Sequence[LaeringView], today: date
) -> tuple[tuple[LaeringLine, ...], int]:
    """The newest læring of a målplan as a whole, and how many were dated after `today`."""
    lines = [LaeringLine(lv.dato, lv.tekst, lv.hvem, None) for lv in plan_laering if lv.tekst]
    return _newest(lines, today)


def _proevehandling_status(p: ProevehandlingView, today: date) -> ProevehandlingStatus:
    """A prøvehandling with the effects its evalueringer found, as of `today`: an evaluering
    dated after it is left out (counted in `senere`), as a måling or a læring so dated is.
    Only evalueringer with an effect count (one without has nothing to leave out); the
    prøvehandling's status is shown as it is stored, whatever its date."""
    effekter = [
        Effekt(e.type, e.dato, e.effekt.strip())
        for e in p.evalueringer
        if e.effekt and e.effekt.strip()
    ]
    kept = tuple(e for e in effekter if e.dato is None or e.dato <= today)
    return ProevehandlingStatus(
        id=p.id,
        tekst=p.tekst,
        status=p.status,
        status_dato=p.status_dato,
        effekter=kept,
        senere=len(effekter) - len(kept),
    )


def _maal_status(
    m: MaalView,
    plan_id: str,
    plan_titel: str,
    enhed_navn: str,
    plan_laering: tuple[LaeringLine, ...],
    vurderinger: list[dict[str, Any]],
    today: date,
) -> MaalStatus:
    proevehandlinger = tuple(_proevehandling_status(p, today) for p in m.proevehandlinger)
    laering, senere = _laering(m, today)
    return MaalStatus(
        id=m.id,
        tekst=m.tekst,
        ansvarlig=m.ansvarlig,
        maalplan_id=plan_id,
        maalplan_titel=plan_titel,
        enhed_navn=enhed_navn,
        tegn=tuple(_tegn_status(t, today) for t in m.tegn),
        proevehandlinger=proevehandlinger,
        laering=laering,
        vurdering=_vurdering(vurderinger),
        plan_laering=plan_laering,
        senere_laering=senere,
    )


def status_report(db: Database, aar: int, today: date, *, reference: bool = True) -> StatusReport:
    """The August status of `aar`: every live målplan of that year, its mål grouped by politik
    and målsætning, the roll-ups and the first page. A bounded number of queries. Without
    `reference` (a screen), the revision and digest a document prints are left out."""
    from .memory import collector_paused

    with collector_paused():  # a large report is millions of objects made at once
        return _status_report(db, aar, today, reference=reference)


def _status_report(db: Database, aar: int, today: date, *, reference: bool) -> StatusReport:
    from sqlalchemy import select

    from .maalplan_view import _live, _table, load_maalplaner

    plan_t = _table("maalplan")
    with db.engine.connect() as conn:
        plan_ids = [
            r[0]
            for r in conn.execute(select(plan_t.c.id).where(~plan_t.c.deleted, plan_t.c.aar == aar))
        ]
        maalsaetninger = {r["id"]: r for r in _live(conn, "maalsaetning")}
        politikker = {r["id"]: r for r in _live(conn, "politik")}
    views = load_maalplaner(db, plan_ids, digests=False) if plan_ids else []
    maal_ids = [m.id for v in views for m in v.maal]
    with db.engine.connect() as conn:
        vurderinger = _vurderinger(conn, aar, maal_ids)

    by_maalsaetning: dict[str, list[MaalStatus]] = defaultdict(list)
    enheder: set[str] = set()
    planlaering: list[PlanLaering] = []
    for v in sorted(views, key=lambda v: (v.enhed_navn.casefold(), v.titel, v.id)):
        plan_lines, plan_later = _plan_laering(v.laeringer, today)
        shown = False
        for m in v.maal:
            if m.maalsaetning_id is None or m.maalsaetning_id not in maalsaetninger:
                continue
            enheder.add(v.enhed_id or v.id)
            shown = True
            by_maalsaetning[m.maalsaetning_id].append(
                _maal_status(
                    m, v.id, v.titel, v.enhed_navn, plan_lines, vurderinger.get(m.id, []), today
                )
            )
        if shown and (plan_lines or plan_later):
            planlaering.append(PlanLaering(v.id, v.titel, v.enhed_navn, plan_lines, plan_later))

    groups: dict[tuple[int, str, str | None], list[MaalsaetningStatus]] = defaultdict(list)
    names: dict[str, str] = {}
    ordered = sorted(
        by_maalsaetning,
        key=lambda i: (maalsaetninger[i]["position"] or 0, maalsaetninger[i]["tekst"], i),
    )
    for ms_id in ordered:
        ms = maalsaetninger[ms_id]
        items = tuple(by_maalsaetning[ms_id])
        status = MaalsaetningStatus(
            id=ms_id,
            tekst=ms["tekst"],
            kilde=ms["kilde"],
            maal=items,
            rollup=rollup(m.vurdering.maalopfyldelse if m.vurdering else None for m in items),
        )
        politik = politikker.get(ms["politik_id"]) if ms["politik_id"] else None
        if politik is not None:
            key: tuple[int, str, str | None] = (0, politik["navn"].casefold(), politik["id"])
            names[politik["id"]] = politik["navn"]
        elif ms["kilde"] == enums.Kilde.BUDGETAFTALE:
            key = (1, "", None)
        else:
            key = (2, "", None)
        groups[key].append(status)

    fallback = {1: BUDGETAFTALE, 2: UDEN_POLITIK}
    result = tuple(
        PolitikStatus(key[2], names[key[2]] if key[2] else fallback[key[0]], tuple(groups[key]))
        for key in sorted(groups, key=lambda k: (k[0], k[1], k[2] or ""))
    )
    report = StatusReport(
        aar, today, result, summarise(aar, result, len(enheder)), planlaering=tuple(planlaering)
    )
    if left_out := later_sentence(
        report.senere_maalinger, report.senere_laering, report.senere_effekter
    ):
        summary = report.summary
        report = replace(
            report, summary=replace(summary, saetninger=(*summary.saetninger, left_out))
        )
    if not reference:
        return report
    # The revision: the actions on the year's plans (each plan's own count) and on the
    # vurderinger of their mål for the year, deleted ones included (the count never goes down).
    with db.engine.connect() as conn:
        vurdering_ids = _vurdering_ids(conn, aar, maal_ids)
        assessed = count_actions(conn, {"": {"vurdering": vurdering_ids}})[""]
    revision = sum(v.revision for v in views) + assessed
    return replace(report, revision=revision, digest=digest_of(report_content(report)))


def _vurdering_ids(conn: Any, aar: int, maal_ids: Sequence[str]) -> list[str]:
    """Every vurdering row of the mål for the year, deleted ones included."""
    from sqlalchemy import select

    from .maalplan_view import _table

    t = _table("vurdering")
    out: list[str] = []
    for part in id_parts(list(maal_ids)):
        query = select(t.c.id).where(t.c.maal_id.in_(part), t.c.aar == aar)
        out.extend(r[0] for r in conn.execute(query))
    return out


# Left out of the digest: the day the report was read (the same data read on another day is
# the same report), the reference itself, and a mål's copy of its plan's læring (the report's
# `planlaering` counts it once).
_NOT_CONTENT = frozenset({"today", "revision", "digest", "plan_laering"})
# Fields added since reports were first filed: counted only where they hold something, so a
# report that shows nothing of them keeps the digest its earlier files carry.
_SINCE = frozenset({"evaluering", "planlaering", "senere", "senere_laering"})


def report_content(value: Any) -> Any:
    """What the report shows, as JSON-able lists (dataclasses by field, dates as ISO text),
    for its digest. A run chart counts by its points and periods (the rest of it comes from
    its tegn), written out directly: thousands of charts are most of a large report."""
    if isinstance(value, RunChart):
        return [
            [[p.dato.isoformat(), p.vaerdi] for p in value.points],
            [[x.proevehandling_id, str(x.start), str(x.slut)] for x in value.periods],
        ]
    kind: type = type(value)
    names = _content_fields(kind)
    if names is not None:
        return [
            report_content(getattr(value, name))
            for name in names
            if name not in _SINCE or getattr(value, name)
        ]
    if isinstance(value, (tuple, list)):
        return [report_content(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


@cache
def _content_fields(kind: type) -> tuple[str, ...] | None:
    """The content fields of a dataclass (None: not a dataclass), once per class: `fields`
    and `is_dataclass` per value were half the time of a large report's digest."""
    if not is_dataclass(kind):
        return None
    return tuple(f.name for f in fields(kind) if f.name not in _NOT_CONTENT)


# --- the first page ------------------------------------------------------------------------

_PHRASES: dict[str, str] = {
    enums.Maalopfyldelse.OPFYLDT: "{n} opfyldt",
    enums.Maalopfyldelse.DELVIST: "{n} delvist opfyldt",
    enums.Maalopfyldelse.IKKE_ENDNU: "{n} ikke opfyldt endnu",
}


def _share(ms: MaalsaetningStatus) -> str:
    opfyldt = dict(ms.rollup.fordeling).get(enums.Maalopfyldelse.OPFYLDT, 0)
    return f"{opfyldt} af {count('maal', len(ms.maal))} opfyldt, samlet {ms.rollup.label.lower()}"


def later_sentence(maalinger: int, laeringer: int, evalueringer: int = 0) -> str | None:
    """What the report left out for being dated after the day it was made, in plain Danish
    (None when nothing). Without the day itself: the same data read the next day is the same
    report (its digest leaves the day out)."""
    counted = (("maaling", maalinger), ("laering", laeringer), ("evaluering", evalueringer))
    parts = [count(word, n) for word, n in counted if n]
    if not parts:
        return None
    return (
        f"{listed(parts)} er dateret efter den dag, rapporten er lavet, og er ikke med (er "
        "datoen skrevet forkert, så ret den, og lav rapporten igen)."
    )


def _named(group: Sequence[MaalsaetningStatus]) -> str:
    """«A» (1 af 1 mål opfyldt, …) og «B» (…): up to three målsætninger by name."""
    return listed([f"«{ms.tekst}» ({_share(ms)})" for ms in group])


def _ties(scored: Sequence[MaalsaetningStatus], score: float) -> list[MaalsaetningStatus]:
    return [ms for ms in scored if ms.rollup.score == score]


def summarise(aar: int, politikker: Sequence[PolitikStatus], enheder: int) -> Summary:
    """The first page's counts and sentences, in plain Danish. Where it went best and worst
    names every målsætning that shares the place (none singled out of equals), and most mål
    without an assessment is said before the counts that rest on the few assessed."""
    maalsaetninger = [ms for p in politikker for ms in p.maalsaetninger]
    values = [m.opfyldelse for ms in maalsaetninger for m in ms.maal]
    tally = Counter(values)
    fordeling = tuple((v, tally[v]) for v in ORDER)
    scored = [ms for ms in maalsaetninger if ms.rollup.score is not None]
    top = max((ms.rollup.score or 0.0 for ms in scored), default=None)
    low = min((ms.rollup.score or 0.0 for ms in scored), default=None)
    best = _ties(scored, top) if top is not None else []
    worst = _ties(scored, low) if low is not None and low != top else []
    # The one where it went best (worst), or None when several share the place.
    bedst = best[0] if len(best) == 1 else None
    vaerst = worst[0] if len(worst) == 1 else None
    if not values:
        saetninger: tuple[str, ...] = (
            f"Der er ingen mål i målplanerne for {aar} endnu, så der er intet at gøre status på.",
        )
        return Summary(0, 0, 0, fordeling, None, None, saetninger)
    lines = [
        f"I {aar} arbejdede {count('enhed', enheder)} med {count('maal', len(values))} under "
        f"{count('maalsaetning', len(maalsaetninger))}.",
    ]
    missing = tally[IKKE_VURDERET]
    assessed = len(values) - missing
    few = bool(assessed) and missing > assessed
    if few:
        lines.append(
            f"Tovholderne har kun vurderet {assessed} af de {count('maal', len(values))}; "
            f"{missing} mangler endnu vurdering, så det, der står herunder, bygger på få mål."
        )
    judged = [_PHRASES[v].format(n=n) for v, n in fordeling if n and v in _PHRASES]
    if judged:
        of = "Af de" if len(values) > 1 else "Af"
        lines.append(f"{of} {count('maal', len(values))} er {listed(judged)}.")
    if tally[enums.Maalopfyldelse.FOR_TIDLIGT]:
        n = tally[enums.Maalopfyldelse.FOR_TIDLIGT]
        lines.append(f"For {count('maal', n)} er det for tidligt at sige.")
    if len(best) == 1:
        lines.append(f"Det gik bedst med målsætningen {_named(best)}.")
    elif best:
        how = "lige godt" if not worst else "bedst, og lige godt,"
        lines.append(
            f"Det gik {how} med målsætningerne {_named(best)}."
            if len(best) <= 3
            else f"Det gik {how} med {count('maalsaetning', len(best))}."
        )
    if len(worst) == 1:
        lines.append(f"Længst fra målet er {_named(worst)}.")
    elif worst:
        lines.append(
            f"Længst fra målet, og lige langt, er målsætningerne {_named(worst)}."
            if len(worst) <= 3
            else f"{count('maalsaetning', len(worst)).capitalize()} er lige langt fra målet."
        )
    if missing and not few:
        lines.append(f"{count('maal', missing)} mangler endnu tovholderens vurdering.")
    return Summary(
        len(values),
        len(maalsaetninger),
        enheder,
        fordeling,
        bedst,
        vaerst,
        tuple(lines),
    )
