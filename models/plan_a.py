"""A workplace's Plan A for a year, as its poster shows it.

A målplan holds the Plan A of its enhed for its year: `maalplan.plan_a` lists the indicators
the workplace chose, `maal.plan_a` tags each mål with the indicators it serves, and one
`plan_a_forskel` row per chosen indicator holds the difference the workplace wants to make.

One live `plan_a_forskel` per (målplan, indikator): `set_forskel` updates the one there is. Two
laptops can still each create one before they merge; the reads then pick one deterministically
(`_pick`: a row with text before an empty one, then the smallest id) and `set_forskel` writes
that same row, so every laptop shows and edits the same text.

`plan_a_posters` reads every plan of a year in four statements (plans, mål, forskelle, the
enheder through a join), so the large benchmark municipality never runs a query per plan; each
poster comes with its own revision and digest (its reference in print: `poster_content`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import select

from . import enums
from .changes import row_table
from .db import Database, bytewise
from .records import PlanAIndikator, PlanAMaal, PlanAMangel, PlanAPerspektiv, PlanAPoster
from .revisions import count_actions, digest_of, id_parts

PERSPEKTIVER = ("Opgaver", "Adfærd", "Struktur")

# The kinds of `PlanAMangel`.
UDEN_FORSKEL = "uden_forskel"
IKKE_VALGT = "ikke_valgt"
IKKE_I_PLAN = "ikke_i_plan"


def obligatoriske(aar: int | None) -> tuple[int, ...]:
    """The indicators required in `aar` (only 2024 had any)."""
    return enums.PLAN_A_OBLIGATORISKE_2024 if aar == 2024 else ()


def _ints(value: Any) -> list[int]:
    out: list[int] = []
    for v in value or ():
        try:
            n = int(v)
        except (TypeError, ValueError):
            continue
        if n in enums.PLAN_A_INDIKATORER and n not in out:
            out.append(n)
    return out


def _pick(rows: Iterable[Any]) -> Any | None:
    """Of several live forskel rows for one indicator (a merge of two laptops' rows), the
    one every laptop shows: with text before without, then the smallest id."""
    ordered = sorted(rows, key=lambda r: (not (r.forskel or "").strip(), r.id))
    return ordered[0] if ordered else None


def _build(plan: Any, maal: Sequence[Any], forskelle: Sequence[Any]) -> PlanAPoster:
    chosen = _ints(plan.plan_a)
    required = obligatoriske(plan.aar)
    by_indikator: dict[int, list[Any]] = defaultdict(list)
    for f in forskelle:
        if f.indikator is not None:
            by_indikator[int(f.indikator)].append(f)
    tagged: dict[int, list[PlanAMaal]] = defaultdict(list)
    mangler: list[PlanAMangel] = []
    for m in maal:
        item = PlanAMaal(m.id, m.tekst or "", m.ansvarlig, m.fra_aar, m.til_aar)
        for n in _ints(m.plan_a):
            tagged[n].append(item)
            if n not in chosen:
                mangler.append(PlanAMangel(IKKE_I_PLAN, n, item.tekst))
    perspektiver: list[PlanAPerspektiv] = []
    for navn in PERSPEKTIVER:
        indikatorer: list[PlanAIndikator] = []
        for n, (perspektiv, label) in enums.PLAN_A_INDIKATORER.items():
            if perspektiv != navn:
                continue
            row = _pick(by_indikator.get(n, ()))
            indikatorer.append(
                PlanAIndikator(
                    n,
                    label,
                    n in chosen,
                    n in required,
                    (row.forskel or "") if row is not None else "",
                    row.id if row is not None else None,
                    tuple(tagged.get(n, ())),
                )
            )
        perspektiver.append(PlanAPerspektiv(navn, tuple(indikatorer)))
    for ind in (i for p in perspektiver for i in p.indikatorer):
        if ind.valgt and not ind.forskel.strip():
            mangler.append(PlanAMangel(UDEN_FORSKEL, ind.nummer))
    mangler.extend(PlanAMangel(IKKE_VALGT, n) for n in required if n not in chosen)
    order = {UDEN_FORSKEL: 0, IKKE_VALGT: 1, IKKE_I_PLAN: 2}
    mangler.sort(key=lambda x: (order[x.kind], x.indikator))
    return PlanAPoster(
        plan.id,
        plan.enhed_navn or "",
        plan.aar,
        plan.titel or "",
        tuple(perspektiver),
        tuple(mangler),
    )


def _read(db: Database, where: Any) -> list[PlanAPoster]:
    plan, enhed = row_table("maalplan"), row_table("enhed")
    m, f = row_table("maal"), row_table("plan_a_forskel")
    plans_q = (
        select(
            plan.c.id,
            plan.c.aar,
            plan.c.titel,
            plan.c.plan_a,
            plan.c.enhed_id,
            plan.c.sagsnummer,
            enhed.c.navn.label("enhed_navn"),
        )
        .select_from(plan)
        .outerjoin(enhed, enhed.c.id == plan.c.enhed_id)
        .where(~plan.c.deleted, where)
    )
    ids = plans_q.with_only_columns(plan.c.id).scalar_subquery()
    with db.engine.connect() as conn:
        plans = conn.execute(plans_q.order_by(bytewise(enhed.c.navn), bytewise(plan.c.id))).all()
        if not plans:
            return []
        maal = conn.execute(
            select(
                m.c.id,
                m.c.maalplan_id,
                m.c.tekst,
                m.c.ansvarlig,
                m.c.fra_aar,
                m.c.til_aar,
                m.c.plan_a,
            )
            .where(~m.c.deleted, m.c.maalplan_id.in_(ids))
            .order_by(m.c.position, bytewise(m.c.id))
        ).all()
        forskelle = conn.execute(
            select(f.c.id, f.c.maalplan_id, f.c.indikator, f.c.forskel).where(
                ~f.c.deleted, f.c.maalplan_id.in_(ids)
            )
        ).all()
    maal_by: dict[str, list[Any]] = defaultdict(list)
    for r in maal:
        maal_by[r.maalplan_id].append(r)
    forskel_by: dict[str, list[Any]] = defaultdict(list)
    for row in forskelle:
        forskel_by[row.maalplan_id].append(row)
    posters = [_build(p, maal_by[p.id], forskel_by[p.id]) for p in plans]
    with db.engine.connect() as conn:
        return _with_reference(
            conn, posters, [p.enhed_id for p in plans], [p.sagsnummer for p in plans]
        )


def poster_content(poster: PlanAPoster) -> list[Any]:
    """What the poster shows, for its digest (ids and what it lacks left out)."""
    return [
        poster.enhed,
        poster.aar,
        poster.titel,
        [
            [
                p.navn,
                [
                    [
                        i.nummer,
                        i.valgt,
                        i.obligatorisk,
                        i.forskel,
                        [[m.tekst, m.ansvarlig, m.fra_aar, m.til_aar] for m in i.maal],
                    ]
                    for i in p.indikatorer
                ],
            ]
            for p in poster.perspektiver
        ],
    ]


def _with_reference(
    conn: Any,
    posters: list[PlanAPoster],
    enhed_ids: Sequence[str | None],
    sagsnumre: Sequence[str | None],
) -> list[PlanAPoster]:
    """The posters with their revision (actions on the plan, its enhed, its mål and its
    forskel rows, deleted ones included so the number never goes down) and digest."""
    m, f = row_table("maal"), row_table("plan_a_forskel")
    ids = [p.maalplan_id for p in posters]
    groups: dict[str, dict[str, list[str]]] = {
        p.maalplan_id: {
            "maalplan": [p.maalplan_id],
            "enhed": [e] if e else [],
            "maal": [],
            "plan_a_forskel": [],
        }
        for p, e in zip(posters, enhed_ids, strict=True)
    }
    for part in id_parts(ids):
        for table, entity in ((m, "maal"), (f, "plan_a_forskel")):
            query = select(table.c.id, table.c.maalplan_id).where(table.c.maalplan_id.in_(part))
            for row_id, plan_id in conn.execute(query):
                groups[plan_id][entity].append(row_id)
    revisions = count_actions(conn, groups)
    return [
        replace(
            p,
            revision=revisions[p.maalplan_id],
            digest=digest_of(poster_content(p)),
            sagsnummer=sagsnummer,
        )
        for p, sagsnummer in zip(posters, sagsnumre, strict=True)
    ]


def plan_a_poster(db: Database, maalplan_id: str) -> PlanAPoster | None:
    """One målplan's Plan A; None when the plan is gone."""
    found = _read(db, row_table("maalplan").c.id == maalplan_id)
    return found[0] if found else None


def plan_a_posters(
    db: Database, aar: int | None = None, maalplan_ids: Sequence[str] | None = None
) -> list[PlanAPoster]:
    """The Plan A of every live målplan of `aar` (or of the plans `maalplan_ids`; both None:
    every plan), by enhed name."""
    plan = row_table("maalplan")
    where: Any = plan.c.id.is_not(None)
    if aar is not None:
        where = where & (plan.c.aar == aar)
    if maalplan_ids is not None:
        where = where & plan.c.id.in_(list(maalplan_ids))
    return _read(db, where)


def set_forskel(store: Any, db: Database, maalplan_id: str, indikator: int, text: str) -> str:
    """Write the difference for one indicator of a plan: update the row the reads show, or
    create one. Returns its id. `store` is the workspace's `models.store.Store`."""
    f = row_table("plan_a_forskel")
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(f.c.id, f.c.forskel).where(
                ~f.c.deleted, f.c.maalplan_id == maalplan_id, f.c.indikator == indikator
            )
        ).all()
    row = _pick(rows)
    if row is None:
        created: str = store.create(
            "plan_a_forskel", {"maalplan_id": maalplan_id, "indikator": indikator, "forskel": text}
        )
        return created
    store.update("plan_a_forskel", row.id, {"forskel": text})
    return str(row.id)
