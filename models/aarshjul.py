"""The årshjul: where each målplan stands in its plan year, with the process's fixed points.

A plan year (`maalplan.aar`, say 2027) runs from the lederdag in the autumn before it through
udviklingsdag del 1 and del 2, each followed by Chefforum's quality check, to the start at the
workplaces in March, the status to the Kommunalbestyrelsen in August and the next year's
lederdag. The days' dates come from the data where it has them (the udviklingsdage with dagdel
lederdag, del1, del2 and their dato); every other date is the usual one, set here and only here
(the constants below), and each fixed point says which it is.

`aarshjul(db, today)` reads every live målplan with a fixed number of aggregating queries (one
per kind of row, grouped by målplan; never one query per plan), and derives per plan its phase
and what is due next. `aarshjul_plan(db, plan_id, today)` adds one plan's prøvehandlinger and
tegn for its detail view. Deleted rows, and rows under deleted parents, are left out.

The evaluation counts are the overdue overview's (`models.followup`, one set of rules): an
evaluering (undervejs or afslutning) is *due* when its prøvehandling has a planned date for it
and none of that type is written (a stopped prøvehandling owes none, an ended one no undervejs);
*forfalden* when that date is before today, *snart* when it is today or within
`followup.SOON_DAYS` days."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from .followup import FORFALDEN, SNART, due_query
from .records import (
    Aarshjul,
    AarshjulPlan,
    AarshjulPlanDetail,
    Due,
    FixedPoint,
    PlanTask,
    PlanYear,
    ProevehandlingYear,
    StatusCounts,
    TegnYear,
)

if TYPE_CHECKING:
    from sqlalchemy import Connection, Select, Table

    from .db import Database

# --- the usual dates (the only place they are set) --------------------------------------------

SEASON_FIRST_MONTH = 7
"""A day from July on belongs to the next plan year (the lederdag in November 2026 and del 2
in January 2027 are both plan year 2027's)."""
USUAL_LEDERDAG = (11, 28)  # (month, day) in the year before the plan year
USUAL_DEL1 = (12, 4)  # in the year before the plan year
USUAL_DEL2 = (1, 18)  # in the plan year
USUAL_START = (3, 1)  # the work starts at the workplaces, in the plan year
USUAL_AUGUST = (8, 15)  # the status to the Kommunalbestyrelsen, in the plan year
CHEFFORUM_AFTER = timedelta(days=14)
"""Chefforum's quality check after each day: two weeks after it, or the day before the next
fixed point when that comes sooner (the lederdag's mål are checked before del 1)."""
LEDERDAG_BEFORE_DEL1 = timedelta(days=7)
"""The usual lederdag moves to a week before del 1 when del 1 is dated earlier."""

# --- the fixed points, tasks and phases, in the order of the process ---------------------------

LEDERDAG = "lederdag"
CHEFFORUM_MAAL = "chefforum_maal"
DEL1 = "del1"
CHEFFORUM_TEGN = "chefforum_tegn"
DEL2 = "del2"
CHEFFORUM_PROEVEHANDLINGER = "chefforum_proevehandlinger"
START = "start"
AUGUST = "august"
NAESTE_LEDERDAG = "naeste_lederdag"

POINTS = (
    LEDERDAG,
    CHEFFORUM_MAAL,
    DEL1,
    CHEFFORUM_TEGN,
    DEL2,
    CHEFFORUM_PROEVEHANDLINGER,
    START,
    AUGUST,
    NAESTE_LEDERDAG,
)
DAY_POINTS = {LEDERDAG: "lederdag", DEL1: "del1", DEL2: "del2"}
"""The fixed points that are udviklingsdage in the data (point -> dagdel)."""

TASKS: dict[str, str] = {
    "maal": LEDERDAG,  # the plan has mål
    "ark_foer": CHEFFORUM_MAAL,  # sheet FØR filled
    "tegn": DEL1,  # every mål has a tegn
    "ark_del1": CHEFFORUM_TEGN,  # sheet UNDER udviklingsdage del 1 filled
    "proevehandlinger": DEL2,  # every mål has a prøvehandling
    "ark_del2": CHEFFORUM_PROEVEHANDLINGER,  # sheet UNDER udviklingsdage del 2 filled
    "ark_efter": CHEFFORUM_PROEVEHANDLINGER,  # sheet EFTER filled
    "start": START,  # a prøvehandling has started
    "evaluering": "",  # the next planned evaluering (dated by the prøvehandling)
    "august": AUGUST,  # the status to the Kommunalbestyrelsen
    "naeste_lederdag": NAESTE_LEDERDAG,  # next year's mål
}
"""A målplan's tasks in the year, each with the fixed point it is due at."""

PHASES = (
    "foer_lederdag",  # no mål yet
    "efter_lederdag",  # mål, but not every mål has a tegn
    "efter_del1",  # every mål has a tegn, not every one a prøvehandling
    "efter_del2",  # every mål has a prøvehandling; the work has not started
    "i_gang",  # the work runs at the workplace
    "klar_til_august",  # every prøvehandling decided and evaluated as planned
    "efter_august",  # the August status is past: toward next year's lederdag
)

SHEET_DONE = frozenset({"udfyldt", "godkendt"})
DECIDED = ("afsluttet", "stoppet", "viderefoert")


def season(day: date) -> int:
    """The plan year a date belongs to (see `SEASON_FIRST_MONTH`)."""
    return day.year + 1 if day.month >= SEASON_FIRST_MONTH else day.year


# --- the fixed points of a plan year ----------------------------------------------------------


@dataclass(frozen=True)
class _Span:
    dato: date
    slut: date
    from_data: bool


def _span(dates: list[date] | None, usual: date) -> _Span:
    if dates:
        return _Span(min(dates), max(dates), True)
    return _Span(usual, usual, False)


def _after(span: _Span, earliest: date) -> _Span:
    """A usual date no earlier than `earliest` (data dates stay as they are)."""
    if span.from_data or span.dato >= earliest:
        return span
    return _Span(earliest, earliest, False)


def plan_year(aar: int, days: Mapping[tuple[int, str], list[date]], today: date) -> PlanYear:
    """The fixed points of plan year `aar`: `days` holds the dated udviklingsdage by (plan
    year, dagdel). Usual dates keep the order of the process after a data date."""
    one = timedelta(days=1)
    del1 = _span(days.get((aar, "del1")), date(aar - 1, *USUAL_DEL1))
    lederdag = _span(days.get((aar, "lederdag")), date(aar - 1, *USUAL_LEDERDAG))
    if not lederdag.from_data and lederdag.dato >= del1.dato:
        moved = del1.dato - LEDERDAG_BEFORE_DEL1
        lederdag = _Span(moved, moved, False)
    del1 = _after(del1, lederdag.slut + one)
    del2 = _after(_span(days.get((aar, "del2")), date(aar, *USUAL_DEL2)), del1.slut + one)
    start = _after(_span(None, date(aar, *USUAL_START)), del2.slut + one)
    august = _after(_span(None, date(aar, *USUAL_AUGUST)), start.slut + one)
    naeste = _after(
        _span(days.get((aar + 1, "lederdag")), date(aar, *USUAL_LEDERDAG)), august.slut + one
    )

    def check(day: _Span, following: _Span) -> _Span:
        when = max(day.slut, min(day.slut + CHEFFORUM_AFTER, following.dato - one))
        return _Span(when, when, False)

    spans = {
        LEDERDAG: lederdag,
        CHEFFORUM_MAAL: check(lederdag, del1),
        DEL1: del1,
        CHEFFORUM_TEGN: check(del1, del2),
        DEL2: del2,
        CHEFFORUM_PROEVEHANDLINGER: check(del2, start),
        START: start,
        AUGUST: august,
        NAESTE_LEDERDAG: naeste,
    }
    points = tuple(
        FixedPoint(key, s.dato, s.slut, s.from_data, s.slut < today)
        for key, s in ((k, spans[k]) for k in POINTS)
    )
    return PlanYear(aar, points, next((p.key for p in points if not p.passed), None))


def _point(year: PlanYear, key: str) -> FixedPoint:
    return next(p for p in year.points if p.key == key)


# --- one plan's phase and tasks ---------------------------------------------------------------


@dataclass(frozen=True)
class _Counts:
    """What the aggregating queries found for one plan."""

    maal: int = 0
    maal_med_tegn: int = 0
    maal_med_proevehandlinger: int = 0
    tegn: int = 0
    status: StatusCounts = field(default_factory=StatusCounts)
    maalinger: int = 0
    seneste_maaling: date | None = None
    forfaldne: int = 0
    snart: int = 0
    naeste_evaluering: date | None = None
    laeringer: int = 0


def plan_tasks(
    year: PlanYear,
    c: _Counts,
    sheets: Mapping[str, str],
    today: date,
) -> tuple[PlanTask, ...]:
    """The plan's tasks in its year, in the order of the process (the evaluering, when one is
    due, by its date)."""
    ph = c.status
    started = ph.total - ph.planlagt
    done_by_task: dict[str, tuple[bool, int, int]] = {
        "maal": (c.maal > 0, c.maal, c.maal),
        "ark_foer": (sheets["status_foer"] in SHEET_DONE, 0, 0),
        "tegn": (c.maal > 0 and c.maal_med_tegn >= c.maal, c.maal - c.maal_med_tegn, c.maal),
        "ark_del1": (sheets["status_del1"] in SHEET_DONE, 0, 0),
        "proevehandlinger": (
            c.maal > 0 and c.maal_med_proevehandlinger >= c.maal,
            c.maal - c.maal_med_proevehandlinger,
            c.maal,
        ),
        "ark_del2": (sheets["status_del2"] in SHEET_DONE, 0, 0),
        "ark_efter": (sheets["status_efter"] in SHEET_DONE, 0, 0),
        "start": (started > 0, started, ph.total),
    }
    tasks: list[PlanTask] = []
    evaluering: PlanTask | None = None
    for key, point_key in TASKS.items():
        if key == "evaluering":
            if c.naeste_evaluering is not None:
                overdue = c.naeste_evaluering < today
                count = c.forfaldne if overdue else c.snart
                evaluering = PlanTask(
                    key, "", c.naeste_evaluering, False, overdue, count, c.forfaldne
                )
            continue
        point = _point(year, point_key)
        if key in done_by_task:
            done, count, total = done_by_task[key]
            tasks.append(
                PlanTask(
                    key, point_key, point.dato, done, not done and point.slut < today, count, total
                )
            )
        else:  # the August status and the next lederdag: done once they have passed
            tasks.append(PlanTask(key, point_key, point.dato, point.passed, False))
    if evaluering is not None:
        # By its date among the points of the year (before the first that comes later), so
        # the plan's timeline reads in date order.
        at = next((i for i, t in enumerate(tasks) if t.dato > evaluering.dato), len(tasks))
        tasks.insert(at, evaluering)
    return tuple(tasks)


def next_due(tasks: Iterable[PlanTask]) -> Due | None:
    """The task due next: the earliest of those not done (an overdue one is due now)."""
    order = {key: n for n, key in enumerate(TASKS)}
    open_tasks = sorted((t for t in tasks if not t.done), key=lambda t: (t.dato, order[t.key]))
    if not open_tasks:
        return None
    t = open_tasks[0]
    return Due(t.key, t.dato, t.overdue, t.count)


def plan_phase(year: PlanYear, c: _Counts, today: date) -> str:
    """Where the plan stands (a key of `PHASES`): what it holds decides, the calendar only
    moves a complete plan on (to «i gang» in March, past August)."""
    ph = c.status
    if c.maal == 0:
        return "foer_lederdag"
    if c.maal_med_tegn < c.maal:
        return "efter_lederdag"
    if c.maal_med_proevehandlinger < c.maal:
        return "efter_del1"
    started = ph.total - ph.planlagt > 0
    if not started and today < _point(year, START).dato:
        return "efter_del2"
    if _point(year, AUGUST).passed:
        return "efter_august"
    decided = sum(getattr(ph, s) for s in DECIDED)
    if ph.total and decided == ph.total and c.forfaldne == 0 and c.naeste_evaluering is None:
        return "klar_til_august"
    return "i_gang"


# --- the reads ----------------------------------------------------------------------------------


def _t(name: str) -> Table:
    from .schema import ENTITIES
    from .tables import sql_table

    return sql_table(ENTITIES[name].table)


def _only(query: Select[Any], column: Any, plan_id: str | None) -> Select[Any]:
    return query if plan_id is None else query.where(column == plan_id)


def _plans(conn: Connection, plan_id: str | None) -> list[Any]:
    from sqlalchemy import select

    plan, enhed = _t("maalplan"), _t("enhed")
    own = enhed.alias("own")
    parent = enhed.alias("parent")
    query = (
        select(
            plan.c.id,
            plan.c.titel,
            plan.c.aar,
            plan.c.enhed_id,
            plan.c.status_foer,
            plan.c.status_del1,
            plan.c.status_del2,
            plan.c.status_efter,
            own.c.navn.label("enhed_navn"),
            own.c.type.label("enhed_type"),
            parent.c.navn.label("parent_navn"),
        )
        .select_from(
            plan.outerjoin(own, (own.c.id == plan.c.enhed_id) & ~own.c.deleted).outerjoin(
                parent, (parent.c.id == own.c.parent_id) & ~parent.c.deleted
            )
        )
        .where(~plan.c.deleted)
    )
    return list(conn.execute(_only(query, plan.c.id, plan_id)))


def _days(conn: Connection) -> dict[tuple[int, str], list[date]]:
    from sqlalchemy import select

    dag = _t("udviklingsdag")
    out: dict[tuple[int, str], list[date]] = defaultdict(list)
    query = select(dag.c.dagdel, dag.c.dato).where(~dag.c.deleted, dag.c.dato.is_not(None))
    for dagdel, dato in conn.execute(query):
        out[(season(dato), dagdel)].append(dato)
    return out


def _maalinger(conn: Connection, plan_id: str | None) -> dict[str, tuple[int, date | None]]:
    """How many målinger each plan's tegn have, and the latest one's date (counted per tegn
    first, in one pass over the målinger, then summed per plan)."""
    from sqlalchemy import func, select

    maal, tegn, maaling = _t("maal"), _t("tegn"), _t("maaling")
    plan_col = maal.c.maalplan_id
    per_tegn = (
        select(
            maaling.c.tegn_id.label("tegn_id"),
            func.count().label("n"),
            func.max(maaling.c.dato).label("latest"),
        )
        .where(~maaling.c.deleted)
        .group_by(maaling.c.tegn_id)
        .subquery()
    )
    query = (
        select(plan_col, func.sum(per_tegn.c.n), func.max(per_tegn.c.latest))
        .select_from(
            per_tegn.join(tegn, tegn.c.id == per_tegn.c.tegn_id).join(
                maal, maal.c.id == tegn.c.maal_id
            )
        )
        .where(~maal.c.deleted, plan_col.is_not(None), ~tegn.c.deleted)
        .group_by(plan_col)
    )
    return {
        pid: (int(n or 0), _date(latest))
        for pid, n, latest in conn.execute(_only(query, plan_col, plan_id))
    }


def _counts(conn: Connection, today: date, plan_id: str | None) -> dict[str, dict[str, Any]]:
    """Everything counted per plan but the målinger (`_maalinger`), in grouped queries: the
    fields of `_Counts` by plan."""
    from sqlalchemy import and_, case, exists, func, literal, select, union_all

    maal, tegn, ph = _t("maal"), _t("tegn"), _t("proevehandling")
    laering = _t("laering")
    plan_col = maal.c.maalplan_id
    live_maal = and_(~maal.c.deleted, plan_col.is_not(None))
    values: dict[str, dict[str, Any]] = defaultdict(dict)

    has_tegn = exists().where(tegn.c.maal_id == maal.c.id, ~tegn.c.deleted)
    has_ph = exists().where(ph.c.maal_id == maal.c.id, ~ph.c.deleted)
    query = (
        select(
            plan_col,
            func.count(),
            func.sum(case((has_tegn, 1), else_=0)),
            func.sum(case((has_ph, 1), else_=0)),
        )
        .where(live_maal)
        .group_by(plan_col)
    )
    for pid, n, with_tegn, with_ph in conn.execute(_only(query, plan_col, plan_id)):
        values[pid].update(
            maal=int(n),
            maal_med_tegn=int(with_tegn or 0),
            maal_med_proevehandlinger=int(with_ph or 0),
        )

    tegn_of_plan = tegn.join(maal, maal.c.id == tegn.c.maal_id)
    query = (
        select(plan_col, func.count())
        .select_from(tegn_of_plan)
        .where(live_maal, ~tegn.c.deleted)
        .group_by(plan_col)
    )
    for pid, n in conn.execute(_only(query, plan_col, plan_id)):
        values[pid]["tegn"] = int(n)

    ph_of_plan = ph.join(maal, maal.c.id == ph.c.maal_id)
    query = (
        select(plan_col, ph.c.status, func.count())
        .select_from(ph_of_plan)
        .where(live_maal, ~ph.c.deleted)
        .group_by(plan_col, ph.c.status)
    )
    status: dict[str, dict[str, int]] = defaultdict(dict)
    for pid, state, n in conn.execute(_only(query, plan_col, plan_id)):
        status[pid][state or "planlagt"] = status[pid].get(state or "planlagt", 0) + int(n)
    for pid, by_state in status.items():
        known = {k: v for k, v in by_state.items() if k in StatusCounts.__dataclass_fields__}
        unknown = sum(v for k, v in by_state.items() if k not in known)
        counts = StatusCounts(**known)
        values[pid]["status"] = replace(counts, planlagt=counts.planlagt + unknown)

    # The evalueringer due, by the overdue overview's own rules (`models.followup`).
    due = due_query(today)
    query = select(
        due.c.maalplan_id,
        func.sum(case((due.c.state == FORFALDEN, 1), else_=0)),
        func.sum(case((due.c.state == SNART, 1), else_=0)),
        func.min(due.c.dato),
    ).where(due.c.maalplan_id.is_not(None))
    query = _only(query, due.c.maalplan_id, plan_id).group_by(due.c.maalplan_id)
    for pid, overdue, upcoming, first in conn.execute(query):
        values[pid].update(
            forfaldne=int(overdue or 0), snart=int(upcoming or 0), naeste_evaluering=_date(first)
        )

    own = select(laering.c.maalplan_id.label("plan"), literal(1).label("one")).where(
        ~laering.c.deleted, laering.c.maalplan_id.is_not(None)
    )
    via = (
        select(plan_col.label("plan"), literal(1).label("one"))
        .select_from(laering.join(ph_of_plan, ph.c.id == laering.c.proevehandling_id))
        .where(~laering.c.deleted, laering.c.maalplan_id.is_(None), ~ph.c.deleted, live_maal)
    )
    if plan_id is not None:
        own = own.where(laering.c.maalplan_id == plan_id)
        via = via.where(plan_col == plan_id)
    notes = union_all(own, via).subquery()
    query = select(notes.c.plan, func.count()).group_by(notes.c.plan)
    for pid, n in conn.execute(query):
        values[pid]["laeringer"] = int(n)
    return values


def _date(value: object) -> date | None:
    """A date from an aggregate over a UNION (SQLite hands those back as text)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _afdeling(row: Any) -> str:
    if row.enhed_type == "afdeling":
        return str(row.enhed_navn or "")
    return str(row.parent_navn or "")


def _plan_record(
    row: Any, year: PlanYear, c: _Counts, today: date
) -> tuple[AarshjulPlan, tuple[PlanTask, ...]]:
    sheets = {
        "status_foer": row.status_foer,
        "status_del1": row.status_del1,
        "status_del2": row.status_del2,
        "status_efter": row.status_efter,
    }
    tasks = plan_tasks(year, c, sheets, today)
    plan = AarshjulPlan(
        id=row.id,
        titel=row.titel or "",
        aar=row.aar,
        enhed_id=row.enhed_id,
        enhed_navn=str(row.enhed_navn or ""),
        afdeling_navn=_afdeling(row),
        status_foer=row.status_foer,
        status_del1=row.status_del1,
        status_del2=row.status_del2,
        status_efter=row.status_efter,
        maal=c.maal,
        maal_med_tegn=c.maal_med_tegn,
        maal_med_proevehandlinger=c.maal_med_proevehandlinger,
        tegn=c.tegn,
        proevehandlinger=c.status,
        maalinger=c.maalinger,
        seneste_maaling=c.seneste_maaling,
        evalueringer_forfaldne=c.forfaldne,
        evalueringer_snart=c.snart,
        naeste_evaluering=c.naeste_evaluering,
        laeringer=c.laeringer,
        phase=plan_phase(year, c, today),
        naeste=next_due(tasks),
    )
    return plan, tasks


def _shown_year(today: date, years: set[int]) -> int:
    now = season(today)
    if now in years or not years:
        return now
    return min(years, key=lambda y: (abs(y - now), -y))


def _read(
    db: Database, today: date, plan_id: str | None
) -> tuple[Aarshjul, dict[str, tuple[PlanTask, ...]]]:
    with db.engine.connect() as conn:
        rows = _plans(conn, plan_id)
        days = _days(conn)
        values = _counts(conn, today, plan_id) if rows else defaultdict(dict)
        if rows:
            for pid, (n, latest) in _maalinger(conn, plan_id).items():
                values[pid].update(maalinger=n, seneste_maaling=latest)
    counts = {pid: _Counts(**v) for pid, v in values.items()}
    shown = _shown_year(today, {r.aar for r in rows if r.aar is not None})
    wanted = {r.aar if r.aar is not None else shown for r in rows} | {shown}
    years = {aar: plan_year(aar, days, today) for aar in sorted(wanted, reverse=True)}
    plans: list[AarshjulPlan] = []
    tasks: dict[str, tuple[PlanTask, ...]] = {}
    for row in rows:
        year = years[row.aar if row.aar is not None else shown]
        plan, plan_tasks_ = _plan_record(row, year, counts.get(row.id, _Counts()), today)
        plans.append(plan)
        tasks[plan.id] = plan_tasks_
    plans.sort(
        key=lambda p: (
            -(p.aar or shown),
            p.afdeling_navn.casefold(),
            p.enhed_navn.casefold(),
            p.titel.casefold(),
            p.id,
        )
    )
    return Aarshjul(today, tuple(years.values()), shown, tuple(plans)), tasks


def aarshjul(db: Database, today: date) -> Aarshjul:
    """Every live målplan in its plan year (newest year first, then by afdeling, enhed and
    title), with the fixed points of the years they belong to, as of `today`."""
    return _read(db, today, None)[0]


def aarshjul_plan(db: Database, plan_id: str, today: date) -> AarshjulPlanDetail | None:
    """One målplan's year: its fixed points and tasks, its prøvehandlinger (with the state of
    their evalueringer) and its tegn (with their latest måling). None when it is gone."""
    from sqlalchemy import func, select

    wheel, all_tasks = _read(db, today, plan_id)
    if not wheel.plans:
        return None
    plan = wheel.plans[0]
    year = wheel.year(plan.aar if plan.aar is not None else wheel.shown_year)
    assert year is not None
    maal, tegn, ph = _t("maal"), _t("tegn"), _t("proevehandling")
    maaling, evaluering, laering = _t("maaling"), _t("evaluering"), _t("laering")
    live = (maal.c.maalplan_id == plan_id) & ~maal.c.deleted
    with db.engine.connect() as conn:
        ph_rows = list(
            conn.execute(
                select(ph)
                .select_from(ph.join(maal, maal.c.id == ph.c.maal_id))
                .where(live, ~ph.c.deleted)
                .order_by(maal.c.position, ph.c.position, ph.c.id)
            )
        )
        ids = [r.id for r in ph_rows]
        done: set[tuple[str, str]] = set()
        states: dict[tuple[str, str], str] = {}
        notes: dict[str, int] = {}
        if ids:
            for pid, kind in conn.execute(
                select(evaluering.c.proevehandling_id, evaluering.c.type)
                .where(~evaluering.c.deleted, evaluering.c.proevehandling_id.in_(ids))
                .distinct()
            ):
                done.add((pid, kind))
            due = due_query(today)
            for pid, kind, state in conn.execute(
                select(due.c.proevehandling_id, due.c.kind, due.c.state).where(
                    due.c.maalplan_id == plan_id
                )
            ):
                states[(pid, kind)] = state
            notes = {
                pid: int(n)
                for pid, n in conn.execute(
                    select(laering.c.proevehandling_id, func.count())
                    .where(~laering.c.deleted, laering.c.proevehandling_id.in_(ids))
                    .group_by(laering.c.proevehandling_id)
                )
            }
        tegn_rows = list(
            conn.execute(
                select(tegn.c.id, tegn.c.maal_id, tegn.c.tekst, tegn.c.type)
                .select_from(tegn.join(maal, maal.c.id == tegn.c.maal_id))
                .where(live, ~tegn.c.deleted)
                .order_by(maal.c.position, tegn.c.position, tegn.c.id)
            )
        )
        latest: dict[str, Any] = {}
        how_many: dict[str, int] = defaultdict(int)
        for m in conn.execute(
            select(maaling.c.tegn_id, maaling.c.dato, maaling.c.vaerdi, maaling.c.observation)
            .select_from(
                maaling.join(tegn, tegn.c.id == maaling.c.tegn_id).join(
                    maal, maal.c.id == tegn.c.maal_id
                )
            )
            .where(live, ~tegn.c.deleted, ~maaling.c.deleted)
            .order_by(maaling.c.dato, maaling.c.id)
        ):
            how_many[m.tegn_id] += 1
            latest[m.tegn_id] = m
    proevehandlinger = tuple(
        ProevehandlingYear(
            id=r.id,
            maal_id=r.maal_id,
            tekst=r.tekst or "",
            status=r.status or "planlagt",
            status_dato=r.status_dato,
            start=r.start,
            slut=r.slut,
            evaluering_undervejs=r.evaluering_undervejs,
            evaluering_afslutning=r.evaluering_afslutning,
            undervejs_done=(r.id, "undervejs") in done,
            afslutning_done=(r.id, "afslutning") in done,
            undervejs_state=states.get((r.id, "undervejs")),
            afslutning_state=states.get((r.id, "afslutning")),
            laeringer=notes.get(r.id, 0),
        )
        for r in ph_rows
    )
    tegn_records = tuple(
        TegnYear(
            id=t.id,
            maal_id=t.maal_id,
            tekst=t.tekst or "",
            type=t.type or "kvalitativ",
            maalinger=how_many.get(t.id, 0),
            seneste_dato=latest[t.id].dato if t.id in latest else None,
            seneste_vaerdi=latest[t.id].vaerdi if t.id in latest else None,
            seneste_observation=latest[t.id].observation if t.id in latest else None,
        )
        for t in tegn_rows
    )
    return AarshjulPlanDetail(plan, year, all_tasks[plan.id], proevehandlinger, tegn_records)
