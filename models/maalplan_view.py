"""Read-only views of målplaner for exports and screens: a målplan with its enhed, mål (grouped
by målsætning), tegn, prøvehandlinger, evalueringer and samarbejder, as plain dataclasses.

The dataclasses hold only plain values (str, int, bool, date, lists), so they pickle cheaply
to the worker processes that render documents. Deleted rows are left out everywhere.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import or_, select

from . import enums
from .db import Database
from .errors import NotFoundError
from .schema import ENTITIES, encode_value
from .tables import Change

# Bumped when the digest's canonical content changes shape, so old references never match by
# accident against a new computation.
DIGEST_VERSION = 1
DIGEST_LENGTH = 16


@dataclass(frozen=True)
class TegnView:
    """A tegn as shown in a målplan."""

    id: str
    nr: str  # "2.1": mål 2, tegn 1 (stable within one export, used to link prøvehandlinger)
    tekst: str
    type: str
    datakilde: str | None = None
    baseline: str | None = None
    forventet_niveau: str | None = None

    @property
    def type_label(self) -> str:
        return enums.label(enums.TegnType(self.type)) if self.type else ""


@dataclass(frozen=True)
class EvalueringView:
    """An evaluering of a prøvehandling."""

    id: str
    type: str
    dato: date | None = None
    effekt: str | None = None
    laering: str | None = None

    @property
    def type_label(self) -> str:
        return enums.label(enums.EvalueringType(self.type)) if self.type else ""


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
    tegn_nr: list[str] = field(default_factory=list)
    evalueringer: list[EvalueringView] = field(default_factory=list)


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

    @property
    def niveau_label(self) -> str:
        return enums.label(enums.Niveau(self.niveau)) if self.niveau else ""


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

    def counts(self) -> dict[str, int]:
        """How many mål, tegn, prøvehandlinger, samarbejder and evalueringer the plan holds."""
        return {
            "maal": len(self.maal),
            "tegn": sum(len(m.tegn) for m in self.maal),
            "proevehandlinger": sum(len(m.proevehandlinger) for m in self.maal),
            "samarbejder": sum(len(m.samarbejder) for m in self.maal),
            "evalueringer": sum(len(p.evalueringer) for m in self.maal for p in m.proevehandlinger),
        }


@dataclass(frozen=True)
class MaalplanSummary:
    """One line of a list of målplaner (for pickers)."""

    id: str
    titel: str
    aar: int | None
    enhed_navn: str
    ansvarlig: str | None
    sagsnummer: str | None
    kle: str | None
    antal_maal: int


# --- loading ---------------------------------------------------------------------------------


def _live(conn: Any, entity: str, *where: Any) -> list[dict[str, Any]]:
    table = ENTITIES[entity].table.__table__
    query = select(table).where(~table.c.deleted, *where)
    return [dict(r) for r in conn.execute(query).mappings()]


def _order(row: dict[str, Any]) -> tuple[Any, ...]:
    return (row.get("position") or 0, row["id"])


def list_maalplaner(db: Database) -> list[MaalplanSummary]:
    """All live målplaner, ordered by year, enhed and title."""
    with db.engine.connect() as conn:
        plans = _live(conn, "maalplan")
        enheder = {r["id"]: r["navn"] for r in _live(conn, "enhed")}
        maal = _live(conn, "maal")
    per_plan: dict[str, int] = defaultdict(int)
    for m in maal:
        if m["maalplan_id"]:
            per_plan[m["maalplan_id"]] += 1
    out = [
        MaalplanSummary(
            p["id"],
            p["titel"],
            p["aar"],
            enheder.get(p["enhed_id"], ""),
            p["ansvarlig"],
            p["sagsnummer"],
            p["kle"],
            per_plan[p["id"]],
        )
        for p in plans
    ]
    out.sort(key=lambda s: (-(s.aar or 0), s.enhed_navn.casefold(), s.titel.casefold(), s.id))
    return out


def load_maalplaner(db: Database, ids: Sequence[str] | None = None) -> list[MaalplanView]:
    """Load several målplaner (all live ones when `ids` is None) with a handful of queries.

    Raises `NotFoundError` when an asked-for id is missing or deleted. The order follows `ids`
    (or `list_maalplaner` when all are loaded)."""
    with db.engine.connect() as conn:
        plan_rows = {r["id"]: r for r in _live(conn, "maalplan")}
        if ids is None:
            wanted = [s.id for s in list_maalplaner(db)]
        else:
            wanted = list(dict.fromkeys(ids))
            missing = [i for i in wanted if i not in plan_rows]
            if missing:
                raise NotFoundError(
                    f"Målplanen {missing[0]} findes ikke (eller er slettet). "
                    "Se listen over målplaner og vælg en, der findes."
                )
        if not wanted:
            return []
        enheder = {r["id"]: r for r in _live(conn, "enhed")}
        maalsaetninger = {r["id"]: r for r in _live(conn, "maalsaetning")}
        maal_table = ENTITIES["maal"].table.__table__
        maal_rows = _live(conn, "maal", maal_table.c.maalplan_id.in_(wanted))
        maal_ids = [m["id"] for m in maal_rows]
        children: dict[str, list[dict[str, Any]]] = {}
        for entity in ("tegn", "proevehandling", "samarbejde"):
            t = ENTITIES[entity].table.__table__
            children[entity] = _chunked(conn, entity, t.c.maal_id, maal_ids)
        ph_ids = [p["id"] for p in children["proevehandling"]]
        ev_table = ENTITIES["evaluering"].table.__table__
        evalueringer = _chunked(conn, "evaluering", ev_table.c.proevehandling_id, ph_ids)
        revisions = {pid: _revision(conn, pid) for pid in wanted}

    by_maal: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for entity, rows in children.items():
        for r in rows:
            by_maal[r["maal_id"]][entity].append(r)
    evals_by_ph: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in evalueringer:
        evals_by_ph[e["proevehandling_id"]].append(e)
    maal_by_plan: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in maal_rows:
        maal_by_plan[m["maalplan_id"]].append(m)

    views = []
    for pid in wanted:
        p = plan_rows[pid]

        def ms_key(m: dict[str, Any]) -> tuple[Any, ...]:
            ms = maalsaetninger.get(m["maalsaetning_id"]) or {}
            return (ms.get("position") or 0, ms.get("id") or "", *_order(m))

        maal_views = []
        for i, m in enumerate(sorted(maal_by_plan[pid], key=ms_key), start=1):
            maal_views.append(_maal_view(m, i, maalsaetninger, enheder, by_maal, evals_by_ph))
        view = MaalplanView(
            id=pid,
            titel=p["titel"],
            aar=p["aar"],
            enhed_id=p["enhed_id"],
            enhed_navn=(enheder.get(p["enhed_id"]) or {}).get("navn", ""),
            ansvarlig=p["ansvarlig"],
            sagsnummer=p["sagsnummer"],
            kle=p["kle"],
            status_foer=p["status_foer"],
            status_del1=p["status_del1"],
            status_del2=p["status_del2"],
            status_efter=p["status_efter"],
            plan_a=list(p["plan_a"] or []),
            maal=maal_views,
            revision=revisions[pid],
        )
        views.append(_with_digest(view))
    return views


def load_maalplan(db: Database, maalplan_id: str) -> MaalplanView:
    """One målplan with everything under it. Raises `NotFoundError` when it does not exist."""
    return load_maalplaner(db, [maalplan_id])[0]


def _chunked(conn: Any, entity: str, column: Any, ids: list[str]) -> list[dict[str, Any]]:
    # SQLite limits bound parameters; 500 per query keeps us far below it.
    out: list[dict[str, Any]] = []
    for i in range(0, len(ids), 500):
        out.extend(_live(conn, entity, column.in_(ids[i : i + 500])))
    return out


def _maal_view(
    m: dict[str, Any],
    nr: int,
    maalsaetninger: dict[str, dict[str, Any]],
    enheder: dict[str, dict[str, Any]],
    by_maal: dict[str, dict[str, list[dict[str, Any]]]],
    evals_by_ph: dict[str, list[dict[str, Any]]],
) -> MaalView:
    kids = by_maal.get(m["id"], {})
    tegn_rows = sorted(kids.get("tegn", []), key=_order)
    tegn = [
        TegnView(
            t["id"],
            f"{nr}.{j}",
            t["tekst"],
            t["type"],
            t["datakilde"],
            t["baseline"],
            t["forventet_niveau"],
        )
        for j, t in enumerate(tegn_rows, start=1)
    ]
    tegn_nr = {t.id: t.nr for t in tegn}
    phs = []
    for j, p in enumerate(sorted(kids.get("proevehandling", []), key=_order), start=1):
        evals = sorted(
            evals_by_ph.get(p["id"], []),
            key=lambda e: (
                0 if e["type"] == "undervejs" else 1,
                e["dato"] or date.max,
                e["effekt"] or "",
                e["laering"] or "",
                e["id"],
            ),
        )
        phs.append(
            ProevehandlingView(
                id=p["id"],
                nr=f"{nr}.{j}",
                tekst=p["tekst"],
                forventning=p["forventning"],
                ansvarlig=p["ansvarlig"],
                start=p["start"],
                slut=p["slut"],
                borgerinddragelse=bool(p["borgerinddragelse"]),
                borgerinddragelse_hvordan=p["borgerinddragelse_hvordan"],
                evaluering_undervejs=p["evaluering_undervejs"],
                evaluering_afslutning=p["evaluering_afslutning"],
                # A link to a tegn that was deleted or belongs elsewhere is left out.
                tegn_nr=[tegn_nr[t] for t in (p["tegn_ids"] or []) if t in tegn_nr],
                evalueringer=[
                    EvalueringView(e["id"], e["type"], e["dato"], e["effekt"], e["laering"])
                    for e in evals
                ],
            )
        )
    sams = []
    for s in sorted(kids.get("samarbejde", []), key=_order):
        partners = [pid for pid in (s["partner_ids"] or []) if pid in enheder]
        sams.append(
            SamarbejdeView(
                s["id"],
                partners,
                [enheder[pid]["navn"] for pid in partners],
                s["niveau"],
                s["forventningsafstemning"],
                s["rollefordeling"],
                s["maal_for_samarbejdet"],
            )
        )
    ms = maalsaetninger.get(m["maalsaetning_id"]) or {}
    return MaalView(
        id=m["id"],
        nr=str(nr),
        tekst=m["tekst"],
        maalsaetning_id=m["maalsaetning_id"],
        maalsaetning_tekst=ms.get("tekst", ""),
        maalsaetning_kilde=ms.get("kilde", "politik"),
        fra_aar=m["fra_aar"],
        til_aar=m["til_aar"],
        ansvarlig=m["ansvarlig"],
        plan_a=list(m["plan_a"] or []),
        tegn=tegn,
        proevehandlinger=phs,
        samarbejder=sams,
    )


# --- revision and digest ---------------------------------------------------------------------


def _revision(conn: Any, maalplan_id: str) -> int:
    """How many user actions have touched the plan or anything shown in it.

    Counted over the change log (which only grows), including mål that were in the plan once
    and rows now deleted, so the number never goes down."""
    change = Change.__table__
    maal_t = ENTITIES["maal"].table.__table__
    plan_t = ENTITIES["maalplan"].table.__table__
    former = conn.execute(
        select(change.c.row_id).where(
            change.c.entity == "maal",
            change.c.field == "maalplan_id",
            change.c.value == encode_value(maalplan_id),
        )
    ).scalars()
    maal_ids = set(former) | set(
        conn.execute(select(maal_t.c.id).where(maal_t.c.maalplan_id == maalplan_id)).scalars()
    )
    rows: dict[str, set[str]] = {"maalplan": {maalplan_id}, "maal": maal_ids}
    plan = conn.execute(select(plan_t.c.enhed_id).where(plan_t.c.id == maalplan_id)).first()
    enhed_ids = {plan.enhed_id} if plan and plan.enhed_id else set()
    ms_ids: set[str] = set()
    if maal_ids:
        for r in conn.execute(select(maal_t.c.maalsaetning_id).where(maal_t.c.id.in_(maal_ids))):
            if r.maalsaetning_id:
                ms_ids.add(r.maalsaetning_id)
        for entity in ("tegn", "proevehandling", "samarbejde"):
            t = ENTITIES[entity].table.__table__
            cols = [t.c.id] + ([t.c.partner_ids] if entity == "samarbejde" else [])
            found = list(conn.execute(select(*cols).where(t.c.maal_id.in_(maal_ids))))
            rows[entity] = {r.id for r in found}
            if entity == "samarbejde":
                for r in found:
                    enhed_ids.update(r.partner_ids or [])
        ev = ENTITIES["evaluering"].table.__table__
        if rows["proevehandling"]:
            rows["evaluering"] = set(
                conn.execute(
                    select(ev.c.id).where(ev.c.proevehandling_id.in_(rows["proevehandling"]))
                ).scalars()
            )
    rows["maalsaetning"] = ms_ids
    rows["enhed"] = enhed_ids
    conditions = [
        (change.c.entity == entity) & change.c.row_id.in_(ids)
        for entity, ids in rows.items()
        if ids
    ]
    actions = conn.execute(select(change.c.action_id).where(or_(*conditions)).distinct()).scalars()
    return len(list(actions))


def canonical_content(view: MaalplanView) -> dict[str, Any]:
    """What a reader sees of the plan, without row ids: the input of the digest.

    Ids are left out on purpose, so a plan exported to the målplanskabelon and imported into
    another database has the same digest when nothing was changed."""

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
        "maal": [
            {
                "maalsaetning": m.maalsaetning_tekst,
                "kilde": m.maalsaetning_kilde,
                "tekst": m.tekst,
                "fra_aar": m.fra_aar,
                "til_aar": m.til_aar,
                "ansvarlig": m.ansvarlig,
                "plan_a": m.plan_a,
                "tegn": [
                    [t.tekst, t.type, t.datakilde, t.baseline, t.forventet_niveau] for t in m.tegn
                ],
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
                            [e.type, d(e.dato), e.effekt, e.laering] for e in p.evalueringer
                        ],
                    }
                    for p in m.proevehandlinger
                ],
                "samarbejder": [
                    [
                        s.partner_navne,
                        s.niveau,
                        s.forventningsafstemning,
                        s.rollefordeling,
                        s.maal_for_samarbejdet,
                    ]
                    for s in m.samarbejder
                ],
            }
            for m in view.maal
        ],
    }


def content_digest(view: MaalplanView) -> str:
    """A short SHA-256 digest (hex) of the plan's visible content."""
    text = json.dumps(
        canonical_content(view), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGEST_LENGTH]


def _with_digest(view: MaalplanView) -> MaalplanView:
    from dataclasses import replace

    return replace(view, digest=content_digest(view))


def view_as_dict(view: MaalplanView) -> dict[str, Any]:
    """The view as plain JSON-friendly data (dates as ISO text)."""

    def conv(value: Any) -> Any:
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, dict):
            return {k: conv(v) for k, v in value.items()}
        if isinstance(value, list):
            return [conv(v) for v in value]
        return value

    return conv(asdict(view))


def find_maalplan_ids(db: Database, ids: Iterable[str]) -> list[str]:
    """Which of `ids` are live målplaner."""
    wanted = list(ids)
    if not wanted:
        return []
    t = ENTITIES["maalplan"].table.__table__
    with db.engine.connect() as conn:
        found = set(conn.execute(select(t.c.id).where(t.c.id.in_(wanted), ~t.c.deleted)).scalars())
    return [i for i in wanted if i in found]
