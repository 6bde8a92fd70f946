"""«Nyt år»: next year's målplaner started from this year's.

`proposal(db, fra_aar)` reads every live målplan of the year and says, per plan, what would go
on to next year and what would not, and why:

* A mål *still runs* next year when its «Til år» is next year or later, or when it has none (a
  mål without an end runs until someone ends it). A mål that ended this year is not offered;
  the reason says so (and how many open prøvehandlinger stay behind; extend its «Til år» to
  carry it on). Mål on no målplan are outside «nyt år».
* A running mål is offered with its tegn (text, type, datakilde, udgangspunkt and forventet
  niveau carried as they are: the udgangspunkt stays the mål's starting point, so its run chart
  keeps comparing with it; the latest måling is shown beside it, not copied) and its *open*
  prøvehandlinger (status planlagt, i gang or videreført); afsluttede and stoppede ones are
  listed as not carried. Its samarbejder are offered but not chosen by default (a samarbejde is
  agreed anew each year, on EFTER); one left out is offered again later, into the mål's copy,
  until the copy has a samarbejde with one of its partners (whatever level was agreed anew).
* A mål or prøvehandling that already has a live copy (a row whose `fra_id` names it) is shown
  as carried and not offered again, so running «nyt år» twice writes nothing twice. An open
  prøvehandling not yet carried under an already carried mål goes to that copy.

`carry(store, choice, today)` writes exactly the chosen rows as one undoable action. Per plan
with anything chosen: next year's plan of the same enhed (the one whose title is this plan's
title with the new year, else the enhed's first plan of the year) or a new one (title with the
year replaced, enhed, ansvarlig and KLE-nummer carried; not the sagsnummer, since a new year is a
new sag; sheet statuses «Ikke påbegyndt»; the Plan A indicators only when chosen). Each chosen
mål is copied with `fra_id` (målsætning, enhed, text, ansvarlig, years, Plan A indicators,
possible partners), its chosen tegn copied, its chosen prøvehandlinger copied with `fra_id` (the
copy starts «i gang» when the original was under way, else «planlagt»; dates before the new year
are left empty, to be planned again; its tegn are the copies of the tegn it followed) and the
original, when it was under way, marked «videreført», dated today (a planned one that never ran
stays «planlagt»: marked «videreført» it counted as started, and a plan year that had not begun
looked «i gang» in the årshjul). Plan A indicators left out go later into next year's existing
plan while it has none of its own. Nothing else is copied: no evalueringer, målinger, læring,
notes or vurderinger; they belong to last year's rows.

`too_early(fra_aar, today)` says when «nyt år» starts a year ahead of the årshjul's season,
and `links(db, entity, ids)` where carried mål and prøvehandlinger came from and went."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from . import enums
from .aarshjul import USUAL_START, season
from .db import bytewise
from .errors import ValidationError
from .schema import ENTITIES, format_decimal
from .store import database_of
from .tables import sql_table
from .words import NOUNS, antal

if TYPE_CHECKING:
    from sqlalchemy import Connection, Table

    from .db import Database
    from .store import Store
    from .workspace import Workspace

OPEN = frozenset(
    {
        enums.ProevehandlingStatus.PLANLAGT,
        enums.ProevehandlingStatus.I_GANG,
        enums.ProevehandlingStatus.VIDEREFOERT,
    }
)
"""The statuses of a prøvehandling that is still open at the end of the year."""


def _table(entity: str) -> Table:
    return sql_table(ENTITIES[entity].table)


# --- the proposal ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Udeladt:
    """A row that is not offered, with the reason in Danish."""

    entity: str
    id: str
    tekst: str
    grund: str


@dataclass(frozen=True)
class TegnForslag:
    """A tegn of a running mål: carried with its udgangspunkt and forventet niveau; its
    målinger stay with it (`seneste_maaling` is shown, not copied)."""

    id: str
    tekst: str
    baseline: str
    forventet_niveau: str
    seneste_maaling: str | None
    maalinger: int


@dataclass(frozen=True)
class ProevehandlingForslag:
    """An open prøvehandling of a running mål."""

    id: str
    tekst: str
    status: enums.ProevehandlingStatus


@dataclass(frozen=True)
class SamarbejdeForslag:
    """A samarbejde of a running mål (offered, not chosen by default)."""

    id: str
    tekst: str


@dataclass(frozen=True)
class MaalForslag:
    """A mål that still runs next year. `videreført_id` is its live copy when it is carried
    already (then only its not yet carried open prøvehandlinger are offered, into that copy)."""

    id: str
    tekst: str
    fra_aar: int | None
    til_aar: int | None
    viderefoert_id: str | None
    tegn: tuple[TegnForslag, ...]
    proevehandlinger: tuple[ProevehandlingForslag, ...]
    samarbejder: tuple[SamarbejdeForslag, ...]
    udeladt: tuple[Udeladt, ...]

    @property
    def carried(self) -> bool:
        return self.viderefoert_id is not None


@dataclass(frozen=True)
class PlanForslag:
    """One målplan of the year and where its running mål would go."""

    id: str
    titel: str
    enhed: str
    enhed_id: str
    ny_titel: str
    target_id: str | None
    """Next year's plan the mål go into when it exists already (None: a new one is made)."""
    plan_a: tuple[int, ...]
    maal: tuple[MaalForslag, ...]
    udeladt: tuple[Udeladt, ...]
    target_plan_a: tuple[int, ...] = ()
    """The Plan A indicators next year's existing plan has already (they are not replaced)."""

    @property
    def plan_a_offered(self) -> bool:
        """Whether the plan's Plan A indicators can go on: to a new plan (with at least one
        of its mål), or to next year's existing plan while that has none of its own."""
        return bool(self.plan_a and self.maal) and not self.target_plan_a

    @property
    def plan_a_differs(self) -> bool:
        """Next year's existing plan has Plan A indicators of its own, not these."""
        return bool(self.plan_a and self.target_plan_a) and (
            set(self.plan_a) != set(self.target_plan_a)
        )


@dataclass(frozen=True)
class NytAarValg:
    """What the user chose to carry: ids of last year's rows."""

    fra_aar: int
    maal_ids: frozenset[str] = frozenset()
    tegn_ids: frozenset[str] = frozenset()
    proevehandling_ids: frozenset[str] = frozenset()
    samarbejde_ids: frozenset[str] = frozenset()
    plan_a_ids: frozenset[str] = frozenset()
    """Plans whose Plan A indicators go to next year's plan (only when it is new)."""


@dataclass(frozen=True)
class NytAarForslag:
    """Everything «nyt år» from `fra_aar` would offer, and what it leaves behind."""

    fra_aar: int
    planer: tuple[PlanForslag, ...]

    @property
    def til_aar(self) -> int:
        return self.fra_aar + 1

    def default_choice(self) -> NytAarValg:
        """The sensible start: running mål not yet carried with all their tegn, and every
        open prøvehandling; no samarbejder, no Plan A indicators."""
        maal: set[str] = set()
        tegn: set[str] = set()
        handlinger: set[str] = set()
        for plan in self.planer:
            for m in plan.maal:
                if not m.carried:
                    maal.add(m.id)
                    tegn.update(t.id for t in m.tegn)
                handlinger.update(p.id for p in m.proevehandlinger)
        return NytAarValg(self.fra_aar, frozenset(maal), frozenset(tegn), frozenset(handlinger))

    def counts(self, choice: NytAarValg) -> Counts:
        """How many rows of each kind `choice` would write."""
        plans = maal = tegn = handlinger = samarbejder = plan_a = 0
        for plan in self.planer:
            used = False
            for m in plan.maal:
                new = not m.carried and m.id in choice.maal_ids
                if new:
                    maal += 1
                    tegn += sum(t.id in choice.tegn_ids for t in m.tegn)
                if new or m.carried:
                    chosen = sum(p.id in choice.proevehandling_ids for p in m.proevehandlinger)
                    chosen_s = sum(s.id in choice.samarbejde_ids for s in m.samarbejder)
                    handlinger += chosen
                    samarbejder += chosen_s
                    used = used or new or chosen > 0 or chosen_s > 0
            # Plan A goes into a new plan only with one of its mål; into an existing one alone.
            chosen_a = plan.id in choice.plan_a_ids and plan.plan_a_offered
            if chosen_a and (plan.target_id is not None or used):
                plan_a += 1
                used = True
            plans += used
        return Counts(plans, maal, tegn, handlinger, samarbejder, plan_a)

    def summary(self, choice: NytAarValg) -> str:
        """«3 målplaner, 9 mål, 14 tegn og 6 prøvehandlinger bliver overført til 2027», and
        what happens to the Plan A indicators chosen (they go to a new plan only, and only
        with at least one of the plan's mål)."""
        c = self.counts(choice)
        if not c.any:
            return f"Intet er valgt til {self.til_aar}.{self._plan_a_note(choice)}"
        parts = [
            antal(c.maalplaner, NOUNS["maalplan"]),
            antal(c.maal, NOUNS["maal"]),
            antal(c.tegn, NOUNS["tegn"]),
        ]
        if c.samarbejder:
            parts.append(antal(c.samarbejder, NOUNS["samarbejde"]))
        parts.append(antal(c.proevehandlinger, NOUNS["proevehandling"]))
        listed = ", ".join(parts[:-1]) + " og " + parts[-1]
        return f"{listed} bliver overført til {self.til_aar}.{self._plan_a_note(choice)}"

    def _plan_a_note(self, choice: NytAarValg) -> str:
        """The chosen Plan A indicators: how many plans get them, and which plans' do not go
        because none of their mål does ('' when none are chosen)."""
        chosen = [p for p in self.planer if p.id in choice.plan_a_ids and p.plan_a_offered]
        going = [
            p
            for p in chosen
            if p.target_id is not None
            or any(not m.carried and m.id in choice.maal_ids for m in p.maal)
        ]
        note = ""
        if going:
            note += f" Plan A-indikatorerne følger med til {antal(len(going), NOUNS['maalplan'])}."
        for p in chosen:
            if p not in going:
                note += (
                    f" Plan A-indikatorerne fra «{p.titel}» kommer ikke med: de følger kun med, "
                    "når mindst ét af planens mål gør."
                )
        return note

    def has_choice(self) -> bool:
        """Whether anything is left to carry (a mål, prøvehandling, samarbejde or Plan A)."""
        return any(
            p.plan_a_offered
            or any(not m.carried or m.proevehandlinger or m.samarbejder for m in p.maal)
            for p in self.planer
        )


@dataclass(frozen=True)
class Counts:
    """Rows of each kind (chosen, or written)."""

    maalplaner: int
    maal: int
    tegn: int
    proevehandlinger: int
    samarbejder: int
    plan_a: int = 0
    """Plans whose Plan A indicators are set from last year's."""

    @property
    def any(self) -> bool:
        """Whether anything is (or would be) written."""
        return bool(self.maal or self.proevehandlinger or self.samarbejder or self.plan_a)


@dataclass(frozen=True)
class NytAarResultat:
    """What `carry` wrote: the new plans (made now), the plans written into, and counts."""

    til_aar: int
    nye_planer: tuple[str, ...]
    planer: tuple[str, ...]
    antal: Counts
    maal_ids: Mapping[str, str] = field(default_factory=dict)
    """Last year's mål id -> its new copy."""

    def text(self) -> str:
        c = self.antal
        if not c.any:
            return f"Intet blev overført til {self.til_aar}."
        parts = [
            antal(len(self.planer), NOUNS["maalplan"])
            + (f" ({len(self.nye_planer)} nye)" if self.nye_planer else ""),
            antal(c.maal, NOUNS["maal"]),
            antal(c.tegn, NOUNS["tegn"]),
        ]
        if c.samarbejder:
            parts.append(antal(c.samarbejder, NOUNS["samarbejde"]))
        parts.append(antal(c.proevehandlinger, NOUNS["proevehandling"]))
        listed = ", ".join(parts[:-1]) + " og " + parts[-1]
        plan_a = (
            f" Plan A-indikatorerne fulgte med til {antal(c.plan_a, NOUNS['maalplan'])}."
            if c.plan_a
            else ""
        )
        return f"{listed} er overført til {self.til_aar}.{plan_a} Ctrl+Z fortryder det hele."


def new_title(titel: str, fra_aar: int) -> str:
    """The plan's title for next year: the year in it replaced, else the year added."""
    old, new = str(fra_aar), str(fra_aar + 1)
    if old in titel:
        return titel.replace(old, new)
    return f"{titel} {new}".strip()


def plan_years(db: Database | Store | Workspace) -> tuple[int, ...]:
    """The years with live målplaner, newest first (the year chooser)."""
    plan = _table("maalplan")
    with database_of(db).engine.connect() as conn:
        rows = conn.execute(
            select(plan.c.aar).where(~plan.c.deleted).group_by(plan.c.aar).order_by(plan.c.aar)
        )
        return tuple(sorted((int(r.aar) for r in rows), reverse=True))


def _live(conn: Connection, entity: str, column: str, ids: Iterable[str]) -> list[Any]:
    table = _table(entity)
    wanted = sorted(set(ids))
    if not wanted:
        return []
    order = [table.c.position] if "position" in table.c else []
    rows: list[Any] = []
    # Chunks keep the IN list within SQLite's parameter limit.
    for i in range(0, len(wanted), 500):
        query = select(table).where(~table.c.deleted, table.c[column].in_(wanted[i : i + 500]))
        rows.extend(conn.execute(query.order_by(*order, bytewise(table.c.id))))
    return rows


def _copies(conn: Connection, entity: str, ids: Iterable[str]) -> dict[str, str]:
    """Last year's id -> its live copy's id (a row whose `fra_id` names it)."""
    return {r.fra_id: r.id for r in _live(conn, entity, "fra_id", ids)}


def _next_plan(conn: Connection, enhed_id: str, aar: int, titel: str) -> str | None:
    plan = _table("maalplan")
    rows = conn.execute(
        select(plan.c.id, plan.c.titel)
        .where(~plan.c.deleted, plan.c.enhed_id == enhed_id, plan.c.aar == aar)
        .order_by(bytewise(plan.c.titel), bytewise(plan.c.id))
    ).all()
    for row in rows:
        if row.titel == titel:
            return str(row.id)
    return str(rows[0].id) if rows else None


def _short(text: str | None, width: int = 300) -> str:
    # The text on one line, whole as a screen or the command line can show it (a list wraps
    # it); only a text longer than any mål's usual few sentences is cut.
    line = " ".join((text or "").split())
    return line if len(line) <= width else line[: width - 1] + "…"


def proposal(db: Database | Store | Workspace, fra_aar: int) -> NytAarForslag:
    """What «nyt år» from `fra_aar` to the year after would carry, per målplan of `fra_aar`."""
    til = fra_aar + 1
    plan_t, enhed_t = _table("maalplan"), _table("enhed")
    status_label = enums.LABELS
    with database_of(db).engine.connect() as conn:
        plans = conn.execute(
            select(plan_t, enhed_t.c.navn.label("enhed_navn"))
            .join(enhed_t, enhed_t.c.id == plan_t.c.enhed_id)
            .where(~plan_t.c.deleted, plan_t.c.aar == fra_aar)
            .order_by(bytewise(enhed_t.c.navn), bytewise(plan_t.c.titel), bytewise(plan_t.c.id))
        ).all()
        maal_rows = _live(conn, "maal", "maalplan_id", (p.id for p in plans))
        maal_ids = [m.id for m in maal_rows]
        tegn_rows = _live(conn, "tegn", "maal_id", maal_ids)
        handling_rows = _live(conn, "proevehandling", "maal_id", maal_ids)
        samarbejde_rows = _live(conn, "samarbejde", "maal_id", maal_ids)
        maal_copies = _copies(conn, "maal", maal_ids)
        handling_copies = _copies(conn, "proevehandling", (h.id for h in handling_rows))
        latest = _latest_maalinger(conn, [t.id for t in tegn_rows])
        names = {r.id: r.navn for r in conn.execute(select(enhed_t.c.id, enhed_t.c.navn))}
        targets = {
            p.id: _next_plan(conn, p.enhed_id, til, new_title(p.titel, fra_aar)) for p in plans
        }
        target_plan_a = {
            r.id: tuple(r.plan_a or ())
            for r in _live(conn, "maalplan", "id", (t for t in targets.values() if t))
        }
        # A samarbejde has no link of its own: one with any of the same partners on the
        # mål's copy counts as carried (carried by an earlier run, or typed in again by hand;
        # its level and partners are agreed anew on EFTER, so they need not be the same).
        in_copies: dict[str, list[frozenset[str]]] = defaultdict(list)
        for row in _live(conn, "samarbejde", "maal_id", maal_copies.values()):
            in_copies[row.maal_id].append(_partners(row))
    by_plan: dict[str, list[Any]] = defaultdict(list)
    for m in maal_rows:
        by_plan[m.maalplan_id].append(m)
    tegn_of: dict[str, list[Any]] = defaultdict(list)
    for t in tegn_rows:
        tegn_of[t.maal_id].append(t)
    handlinger_of: dict[str, list[Any]] = defaultdict(list)
    for h in handling_rows:
        handlinger_of[h.maal_id].append(h)
    samarbejder_of: dict[str, list[Any]] = defaultdict(list)
    for s in samarbejde_rows:
        samarbejder_of[s.maal_id].append(s)

    planer: list[PlanForslag] = []
    for p in plans:
        offered: list[MaalForslag] = []
        left: list[Udeladt] = []
        for m in by_plan[p.id]:
            open_ones = [h for h in handlinger_of[m.id] if h.status in OPEN]
            if m.til_aar is not None and m.til_aar < til:
                reason = f"sluttede i {m.til_aar}"
                uncarried = [h for h in open_ones if h.id not in handling_copies]
                if uncarried:
                    reason += (
                        f" ({antal(len(uncarried), 'åben prøvehandling', 'åbne prøvehandlinger')}"
                        " følger ikke med)"
                    )
                left.append(Udeladt("maal", m.id, _short(m.tekst), reason))
                continue
            carried_to = maal_copies.get(m.id)
            m_left: list[Udeladt] = []
            handlinger: list[ProevehandlingForslag] = []
            for h in handlinger_of[m.id]:
                if h.status not in OPEN:
                    label = status_label[enums.ProevehandlingStatus(h.status)].lower()
                    m_left.append(Udeladt("proevehandling", h.id, _short(h.tekst), label))
                elif h.id in handling_copies:
                    m_left.append(
                        Udeladt(
                            "proevehandling",
                            h.id,
                            _short(h.tekst),
                            f"allerede ført videre til {til}",
                        )
                    )
                else:
                    handlinger.append(
                        ProevehandlingForslag(
                            h.id, _short(h.tekst), enums.ProevehandlingStatus(h.status)
                        )
                    )
            tegn = tuple(
                TegnForslag(
                    t.id,
                    _short(t.tekst),
                    t.baseline or "",
                    t.forventet_niveau or "",
                    *latest.get(t.id, (None, 0)),
                )
                for t in tegn_of[m.id]
            )
            samarbejder = tuple(
                SamarbejdeForslag(s.id, _samarbejde_text(s, names))
                for s in samarbejder_of[m.id]
                if carried_to is None or not _partnered(s, in_copies.get(carried_to, ()))
            )
            offered.append(
                MaalForslag(
                    m.id,
                    _short(m.tekst),
                    m.fra_aar,
                    m.til_aar,
                    carried_to,
                    () if carried_to else tegn,
                    tuple(handlinger),
                    samarbejder,
                    tuple(m_left),
                )
            )
        planer.append(
            PlanForslag(
                p.id,
                p.titel,
                p.enhed_navn,
                p.enhed_id,
                new_title(p.titel, fra_aar),
                targets[p.id],
                tuple(p.plan_a or ()),
                tuple(offered),
                tuple(left),
                target_plan_a.get(targets[p.id] or "", ()),
            )
        )
    return NytAarForslag(fra_aar, tuple(planer))


def _partners(row: Any) -> frozenset[str]:
    return frozenset(row.partner_ids or ())


def _partnered(row: Any, copies: Iterable[frozenset[str]]) -> bool:
    """Whether one of `copies` (the partners of the samarbejder on the mål's copy) is this
    samarbejde carried: it shares a partner (or neither has one)."""
    mine = _partners(row)
    return any((mine & other) or not (mine or other) for other in copies)


def _samarbejde_text(row: Any, names: Mapping[str, str]) -> str:
    partners = ", ".join(names.get(pid, "?") for pid in (row.partner_ids or ())) or "ingen partner"
    level = enums.LABELS.get(enums.Niveau(row.niveau), "") if row.niveau else ""
    return f"Samarbejde med {partners}" + (f" ({level.lower()})" if level else "")


def _latest_maalinger(conn: Connection, tegn_ids: list[str]) -> dict[str, tuple[str | None, int]]:
    """Per tegn: its latest måling as text («12,5 (3. marts 2026)») and how many it has."""
    result: dict[str, tuple[str | None, int]] = {}
    rows = _live(conn, "maaling", "tegn_id", tegn_ids)
    by_tegn: dict[str, list[Any]] = defaultdict(list)
    for r in rows:
        by_tegn[r.tegn_id].append(r)
    for tid, found in by_tegn.items():
        last = max(found, key=lambda r: (r.dato, r.id))
        text = format_decimal(last.vaerdi) if last.vaerdi is not None else ""
        result[tid] = (f"{text} ({last.dato.strftime('%d.%m.%Y')})".strip(), len(found))
    return result


# --- carrying ---------------------------------------------------------------------------------

_MAAL_FIELDS = (
    "maalsaetning_id",
    "enhed_id",
    "tekst",
    "fra_aar",
    "til_aar",
    "ansvarlig",
    "plan_a",
    "mulige_partnere",
)
_TEGN_FIELDS = ("tekst", "type", "datakilde", "baseline", "forventet_niveau")
_HANDLING_FIELDS = ("tekst", "forventning", "ansvarlig", "borgerinddragelse")
_HANDLING_DATES = ("start", "slut", "evaluering_undervejs", "evaluering_afslutning")
_SAMARBEJDE_FIELDS = (
    "partner_ids",
    "niveau",
    "forventningsafstemning",
    "rollefordeling",
    "maal_for_samarbejdet",
)


def carry(store: Store | Workspace, choice: NytAarValg, today: date) -> NytAarResultat:
    """Write exactly what `choice` names, as one undoable action; rows carried already (by an
    earlier run) are skipped, so a second run writes nothing twice."""
    from .store import Store

    st = store if isinstance(store, Store) else store.store
    offer = proposal(st, choice.fra_aar)
    til = offer.til_aar
    planned: list[tuple[PlanForslag, list[MaalForslag]]] = []
    for plan in offer.planer:
        # A mål not carried yet goes when chosen; a carried one when one of its open
        # prøvehandlinger or samarbejder is chosen (into its copy).
        chosen = [
            m
            for m in plan.maal
            if (
                m.id in choice.maal_ids
                if not m.carried
                else any(p.id in choice.proevehandling_ids for p in m.proevehandlinger)
                or any(s.id in choice.samarbejde_ids for s in m.samarbejder)
            )
        ]
        plan_a_alone = (
            plan.target_id is not None and plan.plan_a_offered and plan.id in choice.plan_a_ids
        )
        if chosen or plan_a_alone:
            planned.append((plan, chosen))
    nye: list[str] = []
    brugt: list[str] = []
    maal_map: dict[str, str] = {}
    n_maal = n_tegn = n_handling = n_samarbejde = n_plan_a = 0
    if not planned:
        return NytAarResultat(til, (), (), Counts(0, 0, 0, 0, 0), {})
    with st.action() as tx:
        for plan, maal_list in planned:
            source_plan = _row(tx.conn, "maalplan", plan.id)
            target = plan.target_id
            if target is None:
                target = st.create(
                    "maalplan",
                    {
                        "enhed_id": plan.enhed_id,
                        "aar": til,
                        "titel": plan.ny_titel,
                        "ansvarlig": source_plan["ansvarlig"],
                        "kle": source_plan["kle"],
                        "plan_a": list(plan.plan_a) if plan.id in choice.plan_a_ids else None,
                    },
                    tx=tx,
                )
                nye.append(target)
                n_plan_a += plan.id in choice.plan_a_ids and bool(plan.plan_a)
            elif plan.plan_a_offered and plan.id in choice.plan_a_ids:
                # Next year's plan has no indicators of its own yet: it gets last year's.
                st.update("maalplan", target, {"plan_a": list(plan.plan_a)}, tx=tx)
                n_plan_a += 1
            brugt.append(target)
            for m in maal_list:
                tegn_map: dict[str, str] = {}
                if m.carried:
                    new_maal = m.viderefoert_id
                    assert new_maal is not None
                    tegn_map = _tegn_by_text(tx.conn, m.id, new_maal)
                else:
                    old = _row(tx.conn, "maal", m.id)
                    values = {f: old[f] for f in _MAAL_FIELDS}
                    new_maal = st.create(
                        "maal", {**values, "maalplan_id": target, "fra_id": m.id}, tx=tx
                    )
                    maal_map[m.id] = new_maal
                    n_maal += 1
                    for t in m.tegn:
                        if t.id in choice.tegn_ids:
                            old_t = _row(tx.conn, "tegn", t.id)
                            tegn_map[t.id] = st.create(
                                "tegn",
                                {**{f: old_t[f] for f in _TEGN_FIELDS}, "maal_id": new_maal},
                                tx=tx,
                            )
                            n_tegn += 1
                for s in m.samarbejder:
                    if s.id in choice.samarbejde_ids:
                        old_s = _row(tx.conn, "samarbejde", s.id)
                        st.create(
                            "samarbejde",
                            {**{f: old_s[f] for f in _SAMARBEJDE_FIELDS}, "maal_id": new_maal},
                            tx=tx,
                        )
                        n_samarbejde += 1
                for p in m.proevehandlinger:
                    if p.id not in choice.proevehandling_ids:
                        continue
                    old_h = _row(tx.conn, "proevehandling", p.id)
                    values = {f: old_h[f] for f in _HANDLING_FIELDS}
                    if old_h["borgerinddragelse_hvordan"]:
                        values["borgerinddragelse_hvordan"] = old_h["borgerinddragelse_hvordan"]
                    for f in _HANDLING_DATES:
                        kept = old_h[f]
                        values[f] = kept if kept is not None and kept.year >= til else None
                    under_way = p.status != enums.ProevehandlingStatus.PLANLAGT
                    st.create(
                        "proevehandling",
                        {
                            **values,
                            "maal_id": new_maal,
                            "fra_id": p.id,
                            "tegn_ids": [
                                tegn_map[t] for t in (old_h["tegn_ids"] or ()) if t in tegn_map
                            ],
                            "status": enums.ProevehandlingStatus.I_GANG
                            if under_way
                            else enums.ProevehandlingStatus.PLANLAGT,
                            "status_dato": today if under_way else None,
                        },
                        tx=tx,
                    )
                    # Only one that ran is «videreført»: a planned one that never started stays
                    # planned where it was (its copy's `fra_id` tells where it went), so the
                    # old year does not look started, nor decided, because of it.
                    if under_way and old_h["status"] != enums.ProevehandlingStatus.VIDEREFOERT:
                        st.update(
                            "proevehandling",
                            p.id,
                            {
                                "status": enums.ProevehandlingStatus.VIDEREFOERT,
                                "status_dato": today,
                            },
                            tx=tx,
                        )
                    n_handling += 1
    return NytAarResultat(
        til,
        tuple(nye),
        tuple(dict.fromkeys(brugt)),
        Counts(len(dict.fromkeys(brugt)), n_maal, n_tegn, n_handling, n_samarbejde, n_plan_a),
        maal_map,
    )


# --- too early, and where carried rows came from ---------------------------------------------


@dataclass(frozen=True)
class ForTidligt:
    """«Nyt år» from a plan year that is not over: `aktuelt` is the plan year of today by the
    årshjul's season rule; `begyndt` whether the work of `fra_aar` has started (its usual
    start in March has come)."""

    fra_aar: int
    aktuelt: int
    begyndt: bool
    start: date

    @property
    def til_aar(self) -> int:
        return self.fra_aar + 1


def too_early(fra_aar: int, today: date) -> ForTidligt | None:
    """None when `fra_aar` is a plan year before today's (the usual «nyt år»: in the autumn of
    2026 the plan year is 2027, and 2026 goes on to it); else what is early about it."""
    now = season(today)
    if fra_aar < now:
        return None
    start = date(fra_aar, *USUAL_START)
    return ForTidligt(fra_aar, now, today >= start, start)


@dataclass(frozen=True)
class Videreforing:
    """The other end of a «nyt år» link: the year and title of the målplan that row is on."""

    aar: int
    titel: str


@dataclass(frozen=True)
class Forbindelser:
    """Per row id: the row it was carried on from (`fra`), and its live copies (`til`)."""

    fra: Mapping[str, Videreforing] = field(default_factory=dict)
    til: Mapping[str, tuple[Videreforing, ...]] = field(default_factory=dict)


def links(db: Database | Store | Workspace, entity: str, ids: Iterable[str]) -> Forbindelser:
    """Where the mål or prøvehandlinger `ids` (entity «maal» or «proevehandling») were carried
    from and to by «nyt år», as the målplan's year and title at the other end. Deleted rows,
    and rows on no (live) målplan, have no link."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return Forbindelser()
    with database_of(db).engine.connect() as conn:
        own = _live(conn, entity, "id", wanted)
        origins = _live(conn, entity, "id", (r.fra_id for r in own if r.fra_id))
        copies = _live(conn, entity, "fra_id", wanted)
        ends = [*origins, *copies]
        if entity == "proevehandling":
            maal_plan = {
                m.id: m.maalplan_id for m in _live(conn, "maal", "id", (r.maal_id for r in ends))
            }
            plan_of = {r.id: maal_plan.get(r.maal_id) for r in ends}
        else:
            plan_of = {r.id: r.maalplan_id for r in ends}
        plans = {
            p.id: Videreforing(int(p.aar), p.titel or "")
            for p in _live(conn, "maalplan", "id", (v for v in plan_of.values() if v))
        }
    where = {rid: plans[pid] for rid, pid in plan_of.items() if pid in plans}
    fra = {r.id: where[r.fra_id] for r in own if r.fra_id in where}
    til: dict[str, list[Videreforing]] = defaultdict(list)
    for c in copies:
        if c.id in where:
            til[c.fra_id].append(where[c.id])
    return Forbindelser(fra, {k: tuple(v) for k, v in til.items()})


def _row(conn: Connection, entity: str, row_id: str) -> dict[str, Any]:
    table = _table(entity)
    row = conn.execute(select(table).where(table.c.id == row_id)).mappings().first()
    if row is None or row["deleted"]:
        raise ValidationError(
            f"En valgt {ENTITIES[entity].label} er slettet i mellemtiden. "
            "Åbn «Nyt år» igen og vælg på ny."
        )
    return dict(row)


def _tegn_by_text(conn: Connection, old_maal: str, new_maal: str) -> dict[str, str]:
    """For a prøvehandling carried into a mål carried earlier: last year's tegn -> the copy's
    tegn with the same text (tegn have no link of their own)."""
    tegn = _table("tegn")
    rows = conn.execute(
        select(tegn.c.id, tegn.c.maal_id, tegn.c.tekst).where(
            ~tegn.c.deleted, tegn.c.maal_id.in_([old_maal, new_maal])
        )
    ).all()
    new_by_text = {r.tekst: r.id for r in rows if r.maal_id == new_maal}
    return {
        r.id: new_by_text[r.tekst] for r in rows if r.maal_id == old_maal and r.tekst in new_by_text
    }


__all__ = [
    "OPEN",
    "Counts",
    "ForTidligt",
    "Forbindelser",
    "MaalForslag",
    "NytAarForslag",
    "NytAarResultat",
    "NytAarValg",
    "PlanForslag",
    "ProevehandlingForslag",
    "SamarbejdeForslag",
    "TegnForslag",
    "Udeladt",
    "Videreforing",
    "carry",
    "links",
    "new_title",
    "plan_years",
    "proposal",
    "too_early",
]
