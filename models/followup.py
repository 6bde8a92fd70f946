"""Following the prøvehandlinger through the year: the evalueringer that fall due, the status
rule, and the læring of a prøvehandling or a målplan.

The overview of evalueringer that fall due (`due_evalueringer`) lists, across every plan, each
planned evaluering (a prøvehandling's `evaluering_undervejs` / `evaluering_afslutning` date)
for which no evaluering of that type is written yet. What drops out:

* a deleted prøvehandling, or one whose mål or målplan is deleted;
* a «stoppet» prøvehandling: it was stopped, so nothing more is due (write why as læring);
* the undervejs evaluering of an «afsluttet» prøvehandling, and of one whose evaluering ved
  afslutning is written already: it is too late to evaluate along the way;
* a planned evaluering once an evaluering of its type exists (the one written from the
  overview is dated as planned, but any date counts: it is done).

«Afsluttet» keeps its evaluering ved afslutning until it is written; «videreført» (carried on
into next year) keeps both. A planned date before today is «forfalden», one within
`SOON_DAYS` days (today included) is «snart», the rest «senere».

The read is two SQL statements over one `UNION ALL` of the two types, with the rules in SQL:
the counts per enhed and state, and one page of items (at most `LIMIT`, ordered and cut in
SQL before each prøvehandling's number is counted), so the large benchmark municipality
(10,000 prøvehandlinger, 17,000 planned evalueringer) never builds a record per row.

The status rule (`dated_status`): a change of a prøvehandling's status also dates it today, in
the same undoable action, unless the same write gives a date of its own. A merge or a workbook
import writes the fields it carries and does not come through here, so it keeps its date."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from sqlalchemy import String, and_, case, exists, func, literal, or_, select, union_all

from . import enums, schema
from .changes import row_table
from .db import Database, bytewise
from .errors import ValidationError
from .records import DueEvaluering, Forfald, Laering, LaeringItem, LaeringList

SOON_DAYS = 14
"""A planned evaluering within this many days is «snart»."""

FORFALDEN, SNART, SENERE = "forfalden", "snart", "senere"

_UNDERVEJS = enums.EvalueringType.UNDERVEJS.value
_AFSLUTNING = enums.EvalueringType.AFSLUTNING.value


def state_of(days: int) -> str:
    """«forfalden», «snart» or «senere» for a planned date `days` from today."""
    if days < 0:
        return FORFALDEN
    return SNART if days <= SOON_DAYS else SENERE


LIMIT = 100
"""The overview shows at most this many items at once (a filter narrows the rest down)."""


def due_query(today: date) -> Any:
    """The planned evalueringer not written yet (the module's rules), one row each: the
    prøvehandling, the kind, the date, the enhed (id and name) and the state."""
    p, m = row_table("proevehandling"), row_table("maal")
    plan, enhed, ev = row_table("maalplan"), row_table("enhed"), row_table("evaluering")

    def written(kind: str) -> Any:
        return exists().where(
            and_(ev.c.proevehandling_id == p.c.id, ev.c.type == kind, ~ev.c.deleted)
        )

    status = func.coalesce(p.c.status, enums.ProevehandlingStatus.PLANLAGT.value)
    enhed_id = func.coalesce(plan.c.enhed_id, m.c.enhed_id)
    parts = []
    for kind, planned in (
        (_UNDERVEJS, p.c.evaluering_undervejs),
        (_AFSLUTNING, p.c.evaluering_afslutning),
    ):
        query = (
            select(
                p.c.id.label("proevehandling_id"),
                literal(kind, String).label("kind"),
                planned.label("dato"),
                enhed.c.id.label("enhed_id"),
                enhed.c.navn.label("enhed"),
                m.c.id.label("maal_id"),
                plan.c.id.label("maalplan_id"),
                plan.c.aar.label("aar"),
                m.c.tekst.label("maal"),
                p.c.position.label("position"),
            )
            .select_from(p)
            .join(m, m.c.id == p.c.maal_id)
            .outerjoin(plan, plan.c.id == m.c.maalplan_id)
            .outerjoin(enhed, enhed.c.id == enhed_id)
            .where(
                ~p.c.deleted,
                ~m.c.deleted,
                or_(plan.c.id.is_(None), ~plan.c.deleted),
                planned.is_not(None),
                status != enums.ProevehandlingStatus.STOPPET.value,
                ~written(kind),
            )
        )
        if kind == _UNDERVEJS:
            query = query.where(
                status != enums.ProevehandlingStatus.AFSLUTTET.value, ~written(_AFSLUTNING)
            )
        parts.append(query)
    due = union_all(*parts).subquery("due")
    state = case(
        (due.c.dato < today, FORFALDEN),
        (due.c.dato <= today + timedelta(days=SOON_DAYS), SNART),
        else_=SENERE,
    )
    return select(due, state.label("state")).subquery("due_state")


def due_evalueringer(
    db: Database,
    today: date,
    *,
    state: str | None = None,
    enhed_id: str | None = None,
    limit: int = LIMIT,
) -> Forfald:
    """The planned evalueringer not written yet (see the module's rules) in the given state
    («forfalden», «snart», «senere»; None: every state) and of the given enhed (None: all),
    by date (overdue first), then enhed, mål and prøvehandling; at most `limit` of them, with
    the counts."""
    p = row_table("proevehandling")
    due = due_query(today)
    sibling = p.alias("sibling")
    # The prøvehandling's number under its mål, counted only for the rows shown.
    nr = (
        select(func.count())
        .where(
            sibling.c.maal_id == p.c.maal_id,
            ~sibling.c.deleted,
            or_(
                sibling.c.position < p.c.position,
                and_(sibling.c.position == p.c.position, sibling.c.id <= p.c.id),
            ),
        )
        .scalar_subquery()
    )
    with db.engine.connect() as conn:
        counted = conn.execute(
            select(due.c.enhed_id, due.c.enhed, due.c.state, func.count()).group_by(
                due.c.enhed_id, due.c.enhed, due.c.state
            )
        ).all()
        # The page first (ordered and cut in SQL), then the prøvehandling's own fields and
        # number for those rows only.
        order = (
            due.c.dato,
            bytewise(due.c.enhed),
            bytewise(due.c.maal),
            due.c.position,
            bytewise(due.c.proevehandling_id),
            due.c.kind.desc(),  # undervejs before afslutning
        )
        page_query = select(due).order_by(*order).limit(max(0, limit))
        if state is not None:
            page_query = page_query.where(due.c.state == state)
        if enhed_id is not None:
            page_query = page_query.where(due.c.enhed_id == enhed_id)
        page = page_query.subquery("page")
        query = (
            select(page, p.c.tekst, p.c.status, p.c.status_dato, nr.label("nr"))
            .join(p, p.c.id == page.c.proevehandling_id)
            .order_by(
                page.c.dato,
                bytewise(page.c.enhed),
                bytewise(page.c.maal),
                page.c.position,
                bytewise(page.c.proevehandling_id),
                page.c.kind.desc(),
            )
        )
        rows = conn.execute(query).all()
    items = tuple(
        DueEvaluering(
            r.proevehandling_id,
            r.tekst or "",
            int(r.nr),
            r.status or enums.ProevehandlingStatus.PLANLAGT.value,
            r.status_dato,
            r.maal_id,
            r.maal or "",
            r.maalplan_id,
            r.enhed or "",
            r.aar,
            r.kind,
            r.dato,
            (r.dato - today).days,
            r.state,
        )
        for r in rows
    )
    totals = {FORFALDEN: 0, SNART: 0, SENERE: 0}
    names: dict[str, str] = {}
    for row_enhed_id, navn, row_state, n in counted:
        if row_enhed_id is not None:
            names[row_enhed_id] = navn or ""
        if enhed_id is None or row_enhed_id == enhed_id:
            totals[row_state] += n
    matching = totals[state] if state is not None else sum(totals.values())
    enheder = tuple(
        sorted(((n, i) for i, n in names.items()), key=lambda c: (c[0].casefold(), c[1]))
    )
    return Forfald(
        today,
        items,
        matching,
        totals[FORFALDEN],
        totals[SNART],
        totals[SENERE],
        enheder,
    )


# --- the status rule --------------------------------------------------------------------------


def dated_status(
    db: Database,
    entity: str,
    row_id: str | None,
    values: Mapping[str, object],
    today: date,
) -> dict[str, object]:
    """`values` for a write of `entity`, with `status_dato` = `today` added when they change
    a prøvehandling's status and give no `status_dato` of their own. A new prøvehandling
    (`row_id` None) is dated when it starts in another status than «planlagt». A value that
    is not a valid status is passed on unchanged (the write refuses it with its message)."""
    out = dict(values)
    if entity != "proevehandling" or "status" not in values or "status_dato" in values:
        return out
    try:
        new = schema.validate_value("proevehandling", "status", values["status"])
    except ValidationError:
        return out
    if row_id is None:
        current: object = enums.ProevehandlingStatus.PLANLAGT.value
    else:
        table = row_table("proevehandling")
        with db.engine.connect() as conn:
            row = conn.execute(
                select(table.c.status, table.c.deleted).where(table.c.id == row_id)
            ).first()
        if row is None or row.deleted:
            return out  # the write says that it is gone
        current = row.status or enums.ProevehandlingStatus.PLANLAGT.value
    if new is not None and new != current:
        out["status_dato"] = today
    return out


# --- læring -------------------------------------------------------------------------------------


def _laering(r: Any) -> Laering:
    return Laering(r.id, r.maalplan_id, r.proevehandling_id, r.dato, r.tekst or "", r.hvem)


def laering_list(
    db: Database, *, maalplan_id: str | None = None, proevehandling_id: str | None = None
) -> LaeringList | None:
    """The læring of a prøvehandling, or of a målplan together with that of the prøvehandlinger
    of its mål; newest first (undated last). None when the prøvehandling or målplan is gone."""
    lae, p, m = row_table("laering"), row_table("proevehandling"), row_table("maal")
    plan, enhed = row_table("maalplan"), row_table("enhed")
    numbered = (
        select(
            p.c.id,
            p.c.tekst,
            p.c.maal_id,
            func.row_number()
            .over(partition_by=p.c.maal_id, order_by=(p.c.position, bytewise(p.c.id)))
            .label("nr"),
        )
        .where(~p.c.deleted)
        .subquery()
    )
    with db.engine.connect() as conn:
        if proevehandling_id is not None:
            own = conn.execute(
                select(numbered.c.tekst, numbered.c.nr).where(numbered.c.id == proevehandling_id)
            ).first()
            if own is None:
                return None
            title = own.tekst or ""
            where: Any = lae.c.proevehandling_id == proevehandling_id
        elif maalplan_id is not None:
            head = conn.execute(
                select(plan.c.titel, plan.c.aar, enhed.c.navn)
                .select_from(plan)
                .outerjoin(enhed, enhed.c.id == plan.c.enhed_id)
                .where(plan.c.id == maalplan_id, ~plan.c.deleted)
            ).first()
            if head is None:
                return None
            title = " ".join(str(x) for x in (head.navn, head.aar, head.titel) if x)
            under = (
                select(numbered.c.id)
                .join(m, m.c.id == numbered.c.maal_id)
                .where(m.c.maalplan_id == maalplan_id, ~m.c.deleted)
            )
            where = or_(lae.c.maalplan_id == maalplan_id, lae.c.proevehandling_id.in_(under))
        else:
            return None
        rows = conn.execute(
            select(lae, numbered.c.nr, numbered.c.tekst.label("proevehandling"))
            .outerjoin(numbered, numbered.c.id == lae.c.proevehandling_id)
            .where(~lae.c.deleted, where)
            .order_by(lae.c.dato.desc().nulls_last(), bytewise(lae.c.id))
        ).all()
    items = tuple(
        LaeringItem(
            _laering(r),
            int(r.nr) if r.nr is not None and proevehandling_id is None else None,
            r.proevehandling if proevehandling_id is None else None,
        )
        for r in rows
        # (a læring of a deleted prøvehandling went with it; one on the målplan stays)
        if r.proevehandling_id is None or r.nr is not None
    )
    return LaeringList(title, maalplan_id, proevehandling_id, items)
