"""Read-only views of målplaner for exports and screens: a målplan with its enhed, mål (grouped
by målsætning), tegn, prøvehandlinger, evalueringer and samarbejder, as plain dataclasses.

The dataclasses hold only plain values (str, int, bool, date, lists), so they pickle cheaply
to the worker processes that render documents. Deleted rows are left out everywhere.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache, partial
from typing import TYPE_CHECKING, Any

from .errors import NotFoundError
from .revisions import actions_by_row, id_parts

if TYPE_CHECKING:
    from .db import Database
    from .runchart import RunChart

# The database modules (SQLAlchemy, the table classes) are imported where the plans are read,
# not here: the export's worker processes only unpickle and render these dataclasses, and start
# half a second sooner without them.

# Bumped when the digest's canonical content changes shape, so old references never match by
# accident against a new computation.
DIGEST_VERSION = 1
DIGEST_LENGTH = 16


@dataclass(frozen=True, slots=True)
class MaalingView:
    """A måling on a tegn: a number, an observation or both."""

    id: str
    dato: date | None = None
    vaerdi: float | None = None
    observation: str | None = None
    kilde: str | None = None
    hvem: str | None = None


@dataclass(frozen=True)
class TegnView:
    """A tegn as shown in a målplan, with its målinger (in date order) and, when it has any,
    its run chart (`models.runchart`: the points, median, baseline, target and the periods of
    the prøvehandlinger that follow it)."""

    id: str
    nr: str  # "2.1": mål 2, tegn 1 (stable within one export, used to link prøvehandlinger)
    tekst: str
    type: str
    datakilde: str | None = None
    baseline: str | None = None
    forventet_niveau: str | None = None
    maalinger: list[MaalingView] = field(default_factory=list)
    chart: RunChart | None = None


@dataclass(frozen=True)
class EvalueringView:
    """An evaluering of a prøvehandling."""

    id: str
    type: str
    dato: date | None = None
    effekt: str | None = None
    laering: str | None = None


@dataclass(frozen=True)
class LaeringView:
    """A dated læring on a prøvehandling or on the plan as a whole."""

    id: str
    dato: date | None = None
    tekst: str = ""
    hvem: str | None = None


@dataclass(frozen=True)
class ProevehandlingView:
    """A prøvehandling with the numbers of the tegn it follows and its evalueringer."""

    id: str
    nr: str
    tekst: str
    forventning: str | None = None
    ansvarlig: str | None = None
    start: date | None = None
    slut: date | None = None
    borgerinddragelse: bool = False
    borgerinddragelse_hvordan: str | None = None
    evaluering_undervejs: date | None = None
    evaluering_afslutning: date | None = None
    status: str = "planlagt"
    status_dato: date | None = None
    tegn_nr: list[str] = field(default_factory=list)
    evalueringer: list[EvalueringView] = field(default_factory=list)
    laeringer: list[LaeringView] = field(default_factory=list)


@dataclass(frozen=True)
class SamarbejdeView:
    """A samarbejde with its partner enheder by name."""

    id: str
    partner_ids: list[str]
    partner_navne: list[str]
    niveau: str
    forventningsafstemning: str | None = None
    rollefordeling: str | None = None
    maal_for_samarbejdet: str | None = None


@dataclass(frozen=True)
class MaalView:
    """A mål with its målsætning, tegn, prøvehandlinger and samarbejder."""

    id: str
    nr: str
    tekst: str
    maalsaetning_id: str | None
    maalsaetning_tekst: str
    maalsaetning_kilde: str
    fra_aar: int | None = None
    til_aar: int | None = None
    ansvarlig: str | None = None
    plan_a: list[int] = field(default_factory=list)
    # The possible partners from the lederdag (FØR), one name a line: not agreed samarbejder.
    mulige_partnere: str | None = None
    tegn: list[TegnView] = field(default_factory=list)
    proevehandlinger: list[ProevehandlingView] = field(default_factory=list)
    samarbejder: list[SamarbejdeView] = field(default_factory=list)

    @property
    def partner_navne(self) -> list[str]:
        """Every partner enhed named in this mål's samarbejder, once, in order."""
        seen: list[str] = []
        for s in self.samarbejder:
            for navn in s.partner_navne:
                if navn not in seen:
                    seen.append(navn)
        return seen

    @property
    def mulige_partner_navne(self) -> list[str]:
        """The possible partners, one name each, without blank lines."""
        return [n.strip() for n in (self.mulige_partnere or "").splitlines() if n.strip()]


@dataclass(frozen=True)
class MaalsaetningGroup:
    """A målsætning and the plan's mål under it (for headings in documents)."""

    id: str | None
    tekst: str
    kilde: str
    maal: list[MaalView]


@dataclass(frozen=True)
class MaalplanView:
    """A målplan with everything shown in its documents, plus its revision and digest."""

    id: str
    titel: str
    aar: int | None
    enhed_id: str | None
    enhed_navn: str
    ansvarlig: str | None = None
    sagsnummer: str | None = None
    kle: str | None = None
    status_foer: str = "ikke_paabegyndt"
    status_del1: str = "ikke_paabegyndt"
    status_del2: str = "ikke_paabegyndt"
    status_efter: str = "ikke_paabegyndt"
    plan_a: list[int] = field(default_factory=list)
    maal: list[MaalView] = field(default_factory=list)
    laeringer: list[LaeringView] = field(default_factory=list)
    """The plan's own læring (that of its prøvehandlinger stands on them)."""
    revision: int = 0
    digest: str = ""

    @property
    def maalsaetninger(self) -> list[MaalsaetningGroup]:
        """The plan's mål grouped by målsætning, in plan order."""
        groups: dict[str | None, list[MaalView]] = {}
        for m in self.maal:
            groups.setdefault(m.maalsaetning_id, []).append(m)
        out = []
        for mid, items in groups.items():
            first = items[0]
            out.append(
                MaalsaetningGroup(mid, first.maalsaetning_tekst, first.maalsaetning_kilde, items)
            )
        return out

    def counts(self) -> MaalplanCounts:
        """How many mål, tegn, prøvehandlinger, samarbejder and evalueringer the plan holds."""
        return MaalplanCounts(
            maal=len(self.maal),
            tegn=sum(len(m.tegn) for m in self.maal),
            proevehandlinger=sum(len(m.proevehandlinger) for m in self.maal),
            samarbejder=sum(len(m.samarbejder) for m in self.maal),
            evalueringer=sum(len(p.evalueringer) for m in self.maal for p in m.proevehandlinger),
        )


@dataclass(frozen=True)
class MaalplanCounts:
    """How many rows of each kind a målplan holds (`MaalplanView.counts`)."""

    maal: int
    tegn: int
    proevehandlinger: int
    samarbejder: int
    evalueringer: int


# --- loading ---------------------------------------------------------------------------------


def _table(entity: str) -> Any:
    from .schema import ENTITIES

    return ENTITIES[entity].sql_table


@cache
def _readers(entity: str) -> tuple[tuple[str, Any], ...]:
    """(field, how its stored value becomes the view's) of the fields the målplan exports show
    (`schema.shown_fields`) that the view holds as they are stored (references are resolved by
    each view's loader)."""
    from .schema import shown_fields

    out: list[tuple[str, Any]] = []
    for spec in shown_fields(entity):
        if spec.kind in ("ref", "reflist"):
            continue
        convert = {"bool": bool, "intlist": lambda v: list(v or [])}.get(spec.kind)
        out.append((spec.name, convert))
    return tuple(out)


def _values(entity: str, row: dict[str, Any]) -> dict[str, Any]:
    """The shown fields' values of a row, for its view's dataclass."""
    return {
        name: row[name] if convert is None else convert(row[name])
        for name, convert in _readers(entity)
    }


def _live(conn: Any, entity: str, *where: Any) -> list[dict[str, Any]]:
    from sqlalchemy import select

    table = _table(entity)
    result = conn.execute(select(table).where(~table.c.deleted, *where))
    keys = list(result.keys())
    return [dict(zip(keys, row, strict=True)) for row in result]


def _order(row: dict[str, Any]) -> tuple[Any, ...]:
    return (row.get("position") or 0, row["id"])


def load_maalplaner(
    db: Database, ids: Sequence[str] | None = None, *, digests: bool = True
) -> list[MaalplanView]:
    """Load several målplaner (all live ones when `ids` is None) with a handful of queries.
    Without `digests` the views' `digest` stays empty (a reader that prints no plan's
    reference: the digest is a tenth of the reading).

    Raises `NotFoundError` when an asked-for id is missing or deleted. The order follows `ids`
    (or `models.queries.maalplaner_overview` when all are loaded)."""
    chunks = iter_maalplaner(db, ids, sizes=(1 << 30,), digests=digests)
    return [view for chunk in chunks for view in chunk]


# A batch of plans holds at most this many mål (unless one plan alone has more): the reading
# side of an export then holds about the same whatever the size of the plans or the
# municipality (the mål is what everything in a plan hangs on).
MAAL_PER_BATCH = 400


def iter_maalplaner(
    db: Database,
    ids: Sequence[str] | None = None,
    *,
    sizes: Sequence[int] = (2, 6, 16, 32),
    maal_per_batch: int = MAAL_PER_BATCH,
    digests: bool = True,
) -> Iterator[list[MaalplanView]]:
    """`load_maalplaner` a few plans at a time: the first `sizes[0]` plans, then `sizes[1]`, ...
    (the last size repeats), so an export can start rendering the first plans while the rest
    are read; a batch stops early where its plans hold `maal_per_batch` mål, so large plans come
    fewer at a time. Every asked-for id is checked before the first chunk is yielded."""
    with db.engine.connect() as conn:
        plan_rows = {r["id"]: r for r in _live(conn, "maalplan")}
        if ids is None:
            from .queries import maalplaner_overview

            wanted = [p.id for p in maalplaner_overview(db)]
        else:
            wanted = list(dict.fromkeys(ids))
            missing = [i for i in wanted if i not in plan_rows]
            if missing:
                raise NotFoundError(
                    f"Målplanen {missing[0]} findes ikke (eller er slettet). "
                    "Se listen over målplaner og vælg en, der findes."
                )
        if not wanted:
            return
        enheder = {r["id"]: r for r in _live(conn, "enhed")}
        maalsaetninger = {r["id"]: r for r in _live(conn, "maalsaetning")}
        maal_count = _maal_counts(conn) if len(wanted) > 1 else {}
        moved = _moved_maal(conn, wanted)
    done = 0
    for n in _chunk_sizes(sizes):
        if done >= len(wanted):
            return
        part = [wanted[done]]
        held = maal_count.get(wanted[done], 0)
        for pid in wanted[done + 1 : done + n]:
            held += maal_count.get(pid, 0)
            if held > maal_per_batch:
                break
            part.append(pid)
        done += len(part)
        with db.engine.connect() as conn:
            # Yielded without a name here: the generator must not hold the batch while the
            # caller works through it (an export lets go of each plan once written).
            load = partial(_load_views, conn, part, plan_rows, enheder, maalsaetninger, moved)
            yield _batch(load, digests)


def _batch(load: Callable[[], list[MaalplanView]], digests: bool) -> list[MaalplanView]:
    """A batch of views, loaded with the garbage collector paused (a batch is many objects
    made at once, `models.memory`), digested when asked."""
    from .memory import collector_paused

    with collector_paused():
        return _digested(load(), digests)


def _digested(views: list[MaalplanView], digests: bool) -> list[MaalplanView]:
    return [_with_digest(v) for v in views] if digests else views


def _maal_counts(conn: Any) -> dict[str, int]:
    """How many live mål each målplan has (one grouped query)."""
    from sqlalchemy import func, select

    maal_t = _table("maal")
    query = (
        select(maal_t.c.maalplan_id, func.count())
        .where(~maal_t.c.deleted, maal_t.c.maalplan_id.is_not(None))
        .group_by(maal_t.c.maalplan_id)
    )
    return {pid: n for pid, n in conn.execute(query)}


def _chunk_sizes(sizes: Sequence[int]) -> Iterator[int]:
    yield from (max(1, n) for n in sizes)
    while True:
        yield max(1, sizes[-1]) if sizes else 1 << 30


def _load_views(
    conn: Any,
    wanted: list[str],
    plan_rows: dict[str, dict[str, Any]],
    enheder: dict[str, dict[str, Any]],
    maalsaetninger: dict[str, dict[str, Any]],
    moved: dict[str, set[str]] | None = None,
) -> list[MaalplanView]:
    maal_rows = _chunked(conn, "maal", _table("maal").c.maalplan_id, wanted)
    maal_ids = [m["id"] for m in maal_rows]
    children: dict[str, list[dict[str, Any]]] = {}
    for entity in ("tegn", "proevehandling", "samarbejde"):
        children[entity] = _chunked(conn, entity, _table(entity).c.maal_id, maal_ids)
    proevehandling_ids = [p["id"] for p in children["proevehandling"]]
    ev_column = _table("evaluering").c.proevehandling_id
    evalueringer = _chunked(conn, "evaluering", ev_column, proevehandling_ids)
    tegn_ids = [t["id"] for t in children["tegn"]]
    maalinger = _chunked(conn, "maaling", _table("maaling").c.tegn_id, tegn_ids)
    laering_t = _table("laering")
    laeringer_by_owner: dict[str, list[LaeringView]] = defaultdict(list)
    on_proevehandling = _chunked(conn, "laering", laering_t.c.proevehandling_id, proevehandling_ids)
    on_plan = _chunked(conn, "laering", laering_t.c.maalplan_id, wanted)
    for row in sorted(
        [*on_proevehandling, *(r for r in on_plan if not r["proevehandling_id"])],
        key=lambda r: (r["dato"] or date.max, r["tekst"], r["hvem"] or "", r["id"]),
    ):
        owner = row["proevehandling_id"] or row["maalplan_id"]
        laeringer_by_owner[owner].append(
            LaeringView(row["id"], dato=row["dato"], tekst=row["tekst"], hvem=row["hvem"])
        )
    revisions = _revisions(conn, wanted, moved)

    by_maal: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for entity, rows in children.items():
        for r in rows:
            by_maal[r["maal_id"]][entity].append(r)
    evalueringer_by_proevehandling: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in evalueringer:
        evalueringer_by_proevehandling[e["proevehandling_id"]].append(e)
    maalinger_by_tegn: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in maalinger:
        maalinger_by_tegn[row["tegn_id"]].append(row)
    maal_by_plan: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in maal_rows:
        maal_by_plan[m["maalplan_id"]].append(m)

    def ms_key(m: dict[str, Any]) -> tuple[Any, ...]:
        ms = maalsaetninger.get(m["maalsaetning_id"]) or {}
        return (ms.get("position") or 0, ms.get("id") or "", *_order(m))

    views = []
    for pid in wanted:
        p = plan_rows[pid]
        maal_views = []
        for i, m in enumerate(sorted(maal_by_plan[pid], key=ms_key), start=1):
            maal_views.append(
                _maal_view(
                    m,
                    i,
                    maalsaetninger,
                    enheder,
                    by_maal,
                    evalueringer_by_proevehandling,
                    maalinger_by_tegn,
                    laeringer_by_owner,
                )
            )
        view = MaalplanView(
            id=pid,
            enhed_id=p["enhed_id"],
            enhed_navn=(enheder.get(p["enhed_id"]) or {}).get("navn", ""),
            maal=maal_views,
            laeringer=laeringer_by_owner.get(pid, []),
            revision=revisions[pid],
            **_values("maalplan", p),
        )
        views.append(view)
    return views


def load_maalplan(db: Database, maalplan_id: str) -> MaalplanView:
    """One målplan with everything under it. Raises `NotFoundError` when it does not exist."""
    return load_maalplaner(db, [maalplan_id])[0]


def _chunked(conn: Any, entity: str, column: Any, ids: list[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for part in id_parts(ids):
        out.extend(_live(conn, entity, column.in_(part)))
    return out


def _maal_view(
    m: dict[str, Any],
    nr: int,
    maalsaetninger: dict[str, dict[str, Any]],
    enheder: dict[str, dict[str, Any]],
    by_maal: dict[str, dict[str, list[dict[str, Any]]]],
    evalueringer_by_proevehandling: dict[str, list[dict[str, Any]]],
    maalinger_by_tegn: dict[str, list[dict[str, Any]]],
    laeringer_by_owner: dict[str, list[LaeringView]],
) -> MaalView:
    kids = by_maal.get(m["id"], {})
    tegn_rows = sorted(kids.get("tegn", []), key=_order)
    proevehandling_rows = sorted(kids.get("proevehandling", []), key=_order)
    tegn = [
        _tegn_view(t, f"{nr}.{j}", maalinger_by_tegn.get(t["id"], []), proevehandling_rows)
        for j, t in enumerate(tegn_rows, start=1)
    ]
    tegn_nr = {t.id: t.nr for t in tegn}
    proevehandlinger = []
    for j, p in enumerate(proevehandling_rows, start=1):
        evals = sorted(
            evalueringer_by_proevehandling.get(p["id"], []),
            key=lambda e: (
                0 if e["type"] == "undervejs" else 1,
                e["dato"] or date.max,
                e["effekt"] or "",
                e["laering"] or "",
                e["id"],
            ),
        )
        proevehandlinger.append(
            ProevehandlingView(
                id=p["id"],
                nr=f"{nr}.{j}",
                # A link to a tegn that was deleted or belongs elsewhere is left out.
                tegn_nr=[tegn_nr[t] for t in (p["tegn_ids"] or []) if t in tegn_nr],
                evalueringer=[EvalueringView(e["id"], **_values("evaluering", e)) for e in evals],
                laeringer=laeringer_by_owner.get(p["id"], []),
                **_values("proevehandling", p),
            )
        )
    samarbejder = []
    for s in sorted(kids.get("samarbejde", []), key=_order):
        partners = [pid for pid in (s["partner_ids"] or []) if pid in enheder]
        samarbejder.append(
            SamarbejdeView(
                s["id"],
                partners,
                [enheder[pid]["navn"] for pid in partners],
                **_values("samarbejde", s),
            )
        )
    ms = maalsaetninger.get(m["maalsaetning_id"]) or {}
    return MaalView(
        id=m["id"],
        nr=str(nr),
        maalsaetning_id=m["maalsaetning_id"],
        maalsaetning_tekst=ms.get("tekst", ""),
        maalsaetning_kilde=ms.get("kilde", "politik"),
        tegn=tegn,
        proevehandlinger=proevehandlinger,
        samarbejder=samarbejder,
        **_values("maal", m),
    )


def _maaling_order(row: dict[str, Any]) -> tuple[Any, ...]:
    # By what a reader sees, the id last: the same order (and digest) in another database.
    vaerdi = row["vaerdi"]
    return (
        row["dato"] or date.max,
        vaerdi is None,
        vaerdi or 0.0,
        row["observation"] or "",
        row["kilde"] or "",
        row["hvem"] or "",
        row["id"],
    )


def _tegn_view(
    t: dict[str, Any],
    nr: str,
    maaling_rows: list[dict[str, Any]],
    proevehandling_rows: list[dict[str, Any]],
) -> TegnView:
    """A tegn with its målinger and, when it has any, its run chart (built from the records,
    as the terminal builds it, by `models.runchart.run_chart`)."""
    values = _values("tegn", t)
    if not maaling_rows:
        return TegnView(t["id"], nr, **values)
    from .maalinger import maaling_record
    from .queries import _proevehandling, _tegn
    from .runchart import run_chart

    rows = sorted(maaling_rows, key=_maaling_order)
    maalinger = [
        MaalingView(
            r["id"],
            dato=r["dato"],
            vaerdi=r["vaerdi"],
            observation=r["observation"],
            kilde=r["kilde"],
            hvem=r["hvem"],
        )
        for r in rows
    ]
    records = [maaling_record(r) for r in rows]
    # The records of the mål's prøvehandlinger, as the målinger screen reads them (their
    # evalueringer are not counted: the chart does not show them).
    proevehandlinger = [_proevehandling(p, 0) for p in proevehandling_rows]
    chart = run_chart(_tegn(t), records, proevehandlinger)
    return TegnView(t["id"], nr, **values, maalinger=maalinger, chart=chart)


# --- revision and digest ---------------------------------------------------------------------


def _moved_maal(conn: Any, plan_ids: list[str]) -> dict[str, set[str]]:
    """For each plan: the mål the change log shows were in it once and are in another plan (or
    none) now. One pass over the mål's plan changes, streamed; only the moved mål are kept, so
    this holds a few ids whatever the size of the log."""
    from sqlalchemy import select

    from .schema import encode_value
    from .tables import Change, sql_table

    change = sql_table(Change)
    maal_t = _table("maal")
    by_value = {encode_value(pid): pid for pid in plan_ids}
    query = (
        select(change.c.row_id, change.c.value, maal_t.c.maalplan_id)
        .select_from(change.outerjoin(maal_t, maal_t.c.id == change.c.row_id))
        .where(change.c.entity == "maal", change.c.field == "maalplan_id")
    )
    moved: dict[str, set[str]] = defaultdict(set)
    result = conn.execute(query, execution_options={"stream_results": True, "yield_per": 2000})
    try:
        for rows in result.partitions():
            for row_id, value, now in rows:
                pid = by_value.get(value)
                if pid is not None and pid != now:
                    moved[pid].add(row_id)
    finally:
        result.close()
    return dict(moved)


def _revisions(
    conn: Any, plan_ids: list[str], moved: dict[str, set[str]] | None = None
) -> dict[str, int]:
    """For each plan: how many user actions have touched the plan or anything shown in it.

    Counted over the change log (which only grows), including mål that were in the plan once
    and rows now deleted, so the number never goes down. All plans are counted with the same
    few queries (one per table and 500 ids), not a round of queries per plan. `moved`: the mål
    once in each plan and elsewhere now (`_moved_maal`), when the caller has read them."""
    from sqlalchemy import select

    maal_t, plan_t = _table("maal"), _table("maalplan")
    if moved is None:
        moved = _moved_maal(conn, plan_ids)
    # rows[pid][entity]: the ids of the rows whose changes count for the plan.
    rows: dict[str, dict[str, set[str]]] = {
        pid: {
            "maalplan": {pid},
            "maal": set(moved.get(pid, ())),
            "maalsaetning": set(),
            "enhed": set(),
        }
        for pid in plan_ids
    }
    for part in id_parts(plan_ids):
        query = select(maal_t.c.id, maal_t.c.maalplan_id).where(maal_t.c.maalplan_id.in_(part))
        for r in conn.execute(query):
            rows[r.maalplan_id]["maal"].add(r.id)
        for r in conn.execute(select(plan_t.c.id, plan_t.c.enhed_id).where(plan_t.c.id.in_(part))):
            if r.enhed_id:
                rows[r.id]["enhed"].add(r.enhed_id)

    # Which plans each mål counts for (a mål moved between plans counts for both).
    plans_of_maal: dict[str, list[str]] = defaultdict(list)
    for pid in plan_ids:
        for mid in rows[pid]["maal"]:
            plans_of_maal[mid].append(pid)
    for pid in plan_ids:
        for entity in ("tegn", "proevehandling", "samarbejde", "evaluering"):
            rows[pid].setdefault(entity, set())
    all_maal = list(plans_of_maal)
    for part in id_parts(all_maal):
        query = select(maal_t.c.id, maal_t.c.maalsaetning_id).where(maal_t.c.id.in_(part))
        for r in conn.execute(query):
            if r.maalsaetning_id:
                for pid in plans_of_maal[r.id]:
                    rows[pid]["maalsaetning"].add(r.maalsaetning_id)
    plans_of_proevehandling: dict[str, list[str]] = defaultdict(list)
    for entity in ("tegn", "proevehandling", "samarbejde"):
        t = _table(entity)
        cols = [t.c.id, t.c.maal_id] + ([t.c.partner_ids] if entity == "samarbejde" else [])
        for part in id_parts(all_maal):
            for r in conn.execute(select(*cols).where(t.c.maal_id.in_(part))):
                for pid in plans_of_maal[r.maal_id]:
                    rows[pid][entity].add(r.id)
                    if entity == "samarbejde":
                        rows[pid]["enhed"].update(r.partner_ids or [])
                    elif entity == "proevehandling":
                        plans_of_proevehandling[r.id].append(pid)
    ev = _table("evaluering")
    for part in id_parts(list(plans_of_proevehandling)):
        query = select(ev.c.id, ev.c.proevehandling_id).where(ev.c.proevehandling_id.in_(part))
        for r in conn.execute(query):
            for pid in plans_of_proevehandling[r.proevehandling_id]:
                rows[pid]["evaluering"].add(r.id)

    # The actions behind every row once, then each plan's distinct actions.
    wanted: dict[str, set[str]] = defaultdict(set)
    for per_entity in rows.values():
        for entity, ids in per_entity.items():
            wanted[entity] |= ids
    # A row's changes come in actions of several fields: one of each counts.
    actions = {entity: actions_by_row(conn, entity, list(ids)) for entity, ids in wanted.items()}
    out = {}
    empty: set[str] = set()
    for pid in plan_ids:
        seen: set[str] = set()
        for entity, ids in rows[pid].items():
            per_row = actions[entity]
            seen.update(*(per_row.get(row_id, empty) for row_id in ids))
        out[pid] = len(seen)
    return out


# The fields the digest's first version covers, or leaves out on purpose (the sheets' status).
# A field declared since counts where it differs from its default only, so the digest of a
# plan that does not use it stays what it was and earlier references still match.
_DIGEST_V1: dict[str, frozenset[str]] = {
    "maalplan": frozenset(
        (
            "titel",
            "aar",
            "enhed_id",
            "ansvarlig",
            "sagsnummer",
            "kle",
            "plan_a",
            "status_foer",
            "status_del1",
            "status_del2",
            "status_efter",
        )
    ),
    "maal": frozenset(("tekst", "fra_aar", "til_aar", "ansvarlig", "plan_a")),
    "tegn": frozenset(("tekst", "type", "datakilde", "baseline", "forventet_niveau")),
    "proevehandling": frozenset(
        (
            "tekst",
            "forventning",
            "ansvarlig",
            "start",
            "slut",
            "borgerinddragelse",
            "borgerinddragelse_hvordan",
            "evaluering_undervejs",
            "evaluering_afslutning",
            "tegn_ids",
        )
    ),
    "samarbejde": frozenset(
        (
            "partner_ids",
            "niveau",
            "forventningsafstemning",
            "rollefordeling",
            "maal_for_samarbejdet",
        )
    ),
    "evaluering": frozenset(("type", "dato", "effekt", "laering")),
}


@cache
def _later_fields(entity: str) -> tuple[tuple[str, Any], ...]:
    """(field, default) of the shown fields declared after the digest's first version."""
    from .schema import shown_fields

    return tuple(
        (f.name, f.new_value) for f in shown_fields(entity) if f.name not in _DIGEST_V1[entity]
    )


def _later(entity: str, row: Any) -> dict[str, Any]:
    """The values of `row`'s later fields that differ from their defaults (dates as text)."""
    out: dict[str, Any] = {}
    for name, default in _later_fields(entity):
        value = getattr(row, name)
        if value != default and value not in (None, "", []):
            out[name] = value.isoformat() if isinstance(value, date) else value
    return out


def _with_later(entity: str, row: Any, values: list[Any]) -> list[Any]:
    later = _later(entity, row)
    return [*values, later] if later else values


def canonical_content(view: MaalplanView) -> dict[str, Any]:
    """What a reader sees of the plan, without row ids: the input of the digest.

    Ids are left out on purpose, so a plan exported to the målplanskabelon and imported into
    another database has the same digest when nothing was changed. A field declared after the
    first version counts only where it differs from its default (`_DIGEST_V1`)."""

    def d(value: date | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "v": DIGEST_VERSION,
        "titel": view.titel,
        "aar": view.aar,
        "enhed": view.enhed_navn,
        "ansvarlig": view.ansvarlig,
        "sagsnummer": view.sagsnummer,
        "kle": view.kle,
        "plan_a": view.plan_a,
        **_later("maalplan", view),
        "maal": [
            {
                "maalsaetning": m.maalsaetning_tekst,
                "kilde": m.maalsaetning_kilde,
                "tekst": m.tekst,
                "fra_aar": m.fra_aar,
                "til_aar": m.til_aar,
                "ansvarlig": m.ansvarlig,
                "plan_a": m.plan_a,
                **_later("maal", m),
                "tegn": [_tegn_content(t) for t in m.tegn],
                "proevehandlinger": [
                    {
                        "tekst": p.tekst,
                        "forventning": p.forventning,
                        "ansvarlig": p.ansvarlig,
                        "start": d(p.start),
                        "slut": d(p.slut),
                        "borgerinddragelse": p.borgerinddragelse,
                        "hvordan": p.borgerinddragelse_hvordan,
                        "undervejs": d(p.evaluering_undervejs),
                        "afslutning": d(p.evaluering_afslutning),
                        "tegn": p.tegn_nr,
                        "evalueringer": [
                            _with_later("evaluering", e, [e.type, d(e.dato), e.effekt, e.laering])
                            for e in p.evalueringer
                        ],
                        **_later("proevehandling", p),
                        **_laering_content(p.laeringer),
                    }
                    for p in m.proevehandlinger
                ],
                "samarbejder": [
                    _with_later(
                        "samarbejde",
                        s,
                        [
                            s.partner_navne,
                            s.niveau,
                            s.forventningsafstemning,
                            s.rollefordeling,
                            s.maal_for_samarbejdet,
                        ],
                    )
                    for s in m.samarbejder
                ],
            }
            for m in view.maal
        ],
        **_laering_content(view.laeringer),
    }


def _laering_content(laeringer: list[LaeringView]) -> dict[str, Any]:
    """Læring in the digest only where there is any (a plan without keeps its old digest)."""
    if not laeringer:
        return {}
    return {
        "laering": [[x.dato.isoformat() if x.dato else None, x.tekst, x.hvem] for x in laeringer]
    }


def _tegn_content(t: TegnView) -> list[Any]:
    """A tegn in the digest: its fields as in the first version, and its målinger only when
    it has any (so a plan without målinger keeps the digest it always had)."""
    values = _with_later("tegn", t, [t.tekst, t.type, t.datakilde, t.baseline, t.forventet_niveau])
    if not t.maalinger:
        return values
    maalinger = [
        [m.dato.isoformat() if m.dato else None, m.vaerdi, m.observation, m.kilde]
        for m in t.maalinger
    ]
    return [*values, {"maalinger": maalinger}]


def content_digest(view: MaalplanView) -> str:
    """A short SHA-256 digest (hex) of the plan's visible content."""
    text = json.dumps(
        canonical_content(view), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGEST_LENGTH]


def _with_digest(view: MaalplanView) -> MaalplanView:
    from dataclasses import replace

    return replace(view, digest=content_digest(view))
