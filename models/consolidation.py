"""The read side of the consolidation view: the import ledger, what arrived from each laptop,
the mål that lack tegn or prøvehandlinger, and the enheder by niveau matrix; with the warnings
about a laptop's clock that the ledger and an import show. Pure Python; no user-interface
imports.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from . import enums
from .changes import CHANGE, row_table
from .clock import iso_millis
from .db import Database, bytewise
from .store import Store, database_of
from .tables import Device, ImportLedger, sql_table
from .visible import visible
from .words import antal

DEVICE = sql_table(Device)
LEDGER = sql_table(ImportLedger)


@dataclass(frozen=True)
class LedgerRow:
    """One imported file, as recorded."""

    id: str
    sha256: str
    filnavn: str
    kind: str
    device_id: str
    device_navn: str
    imported_at: str
    received: int
    new: int
    known: int
    conflicts: int
    # The writer's clock minus this laptop's at the import, in seconds (None: not recorded).
    clock_offset: int | None = None

    @property
    def clock_warning(self) -> str | None:
        """«uret på Bord 3 går 73 år for hurtigt», when the writer's clock was far off."""
        return clock_warning(self.device_navn, self.clock_offset)


# A laptop's clock is named in the ledger when it is off by more than this.
CLOCK_WARN_SECONDS = 10 * 60


def _duration(seconds: int) -> str:
    """A rough Danish duration: «73 år», «3 dage», «2 timer», «15 minutter»."""
    minutes, hours, days = seconds / 60, seconds / 3600, seconds / 86400
    for amount, one, many in (
        (days / 365.2425, "år", "år"),
        (days, "dag", "dage"),
        (hours, "time", "timer"),
        (minutes, "minut", "minutter"),
    ):
        if amount >= 1:
            n = round(amount)
            return f"{n} {one if n == 1 else many}"
    return antal(seconds, "sekund", "sekunder")


def clock_offset(created_at: object) -> int | None:
    """The writer's clock minus this computer's, in seconds, from a manifest's `created_at`
    (None when it is not a time within the clock's range): what the ledger records."""
    created = iso_millis(created_at)
    return None if created is None else round((created - time.time() * 1000) / 1000)


def clock_warning(device_name: str, offset: int | None) -> str | None:
    """A Danish warning about a laptop's clock from its offset in seconds (the file's
    `created_at` minus the importing laptop's clock), or None within `CLOCK_WARN_SECONDS`.
    A file made long before it is imported looks like a slow clock too, so a negative
    offset is worded with that possibility."""
    if offset is None or abs(offset) <= CLOCK_WARN_SECONDS:
        return None
    name = visible(device_name, limit=40) or "bærbaren"
    if offset > 0:
        return f"uret på {name} går {_duration(offset)} for hurtigt"
    span = _duration(-offset)
    return f"uret på {name} går {span} for langsomt (eller filen blev lavet {span} før importen)"


def ledger(db: Database | Store) -> list[LedgerRow]:
    """Every import, oldest first."""
    with database_of(db).engine.connect() as conn:
        order = (LEDGER.c.imported_at, bytewise(LEDGER.c.id))
        rows = conn.execute(select(LEDGER).order_by(*order))
        return [LedgerRow(**r._mapping) for r in rows]


@dataclass
class DeviceSummary:
    """What arrived from one laptop: files, entries, and what its newest file promised."""

    device_id: str
    navn: str
    is_local: bool
    files: int = 0
    received: int = 0
    new: int = 0
    known: int = 0
    conflicts: int = 0
    in_log: int = 0
    latest_file_entries: int = 0
    last_import: str = ""
    borde: list[str] = field(default_factory=list)
    # The writer's clock against this laptop's, in seconds: of its files the offset closest
    # to ahead (a file carried for hours before its import makes a clock look slow).
    clock_offset: int | None = None

    @property
    def clock_warning(self) -> str | None:
        """«uret på Bord 3 går 73 år for hurtigt» when this laptop's clock is far off."""
        return clock_warning(self.navn, self.clock_offset)

    @property
    def complete(self) -> bool:
        """Whether every entry of the newest file from this laptop is in the database."""
        return self.in_log >= self.latest_file_entries


def device_summary(db: Database | Store) -> list[DeviceSummary]:
    """Per device (laptop): files imported, entries received/new/known, entries in the change
    log, and the borde it was used at. Proves that each laptop's every entry arrived."""
    bord = row_table("bord")
    with database_of(db).engine.connect() as conn:
        out = {
            r.id: DeviceSummary(r.id, r.navn, bool(r.is_local))
            for r in conn.execute(select(DEVICE))
        }
        for dev_id, n in conn.execute(
            select(CHANGE.c.device_id, func.count()).group_by(CHANGE.c.device_id)
        ):
            out.setdefault(dev_id, DeviceSummary(dev_id, dev_id[:8], False)).in_log = n
        order = (LEDGER.c.imported_at, bytewise(LEDGER.c.id))
        for r in conn.execute(select(LEDGER).order_by(*order)):
            s = out.setdefault(r.device_id, DeviceSummary(r.device_id, r.device_navn, False))
            s.files += 1
            s.received += r.received
            s.new += r.new
            s.known += r.known
            s.conflicts += r.conflicts
            if r.kind == "handoff":
                s.latest_file_entries = r.received
            s.last_import = r.imported_at
            if r.clock_offset is not None:
                known = s.clock_offset
                s.clock_offset = r.clock_offset if known is None else max(known, r.clock_offset)
        for r in conn.execute(
            select(bord.c.navn, bord.c.device_id)
            .where(~bord.c.deleted, bord.c.device_id.is_not(None))
            .order_by(bord.c.position, bytewise(bord.c.navn))
        ):
            # A bord whose laptop has sent nothing yet still shows, so it is not forgotten.
            summary = out.setdefault(
                r.device_id, DeviceSummary(r.device_id, "(ingen fil endnu)", False)
            )
            summary.borde.append(r.navn)
        for dev_id, names in _borde_by_device(conn).items():
            if dev_id in out:
                shown = out[dev_id].borde
                shown.extend(n for n in names if n not in shown)
    return sorted(out.values(), key=lambda s: (not s.is_local, s.navn.casefold()))


# What a laptop writes at a bord, and how it leads to the bord: directly (`bord_id`), through
# the mål (a bord lists its mål) or through the prøvehandling's mål.
_AT_BORD = ("deltager", "note", "tegn", "proevehandling", "samarbejde", "evaluering")


def _borde_by_device(conn: Connection) -> dict[str, list[str]]:
    """The borde each laptop worked at, read from the change log: the bord of the deltagere
    and notes it wrote, and the bord whose mål got its tegn, prøvehandlinger, samarbejder and
    evalueringer. A mål on several borde counts for the one the laptop also wrote on directly,
    else for each of them. Names in the borde's order."""
    bord = row_table("bord")
    borde = {
        r.id: r.navn
        for r in conn.execute(
            select(bord.c.id, bord.c.navn, bord.c.maal_ids)
            .where(~bord.c.deleted)
            .order_by(bord.c.position, bytewise(bord.c.navn))
        )
    }
    order = {bord_id: n for n, bord_id in enumerate(borde)}
    maal_borde: dict[str, list[str]] = defaultdict(list)
    for bord_id, ids in conn.execute(select(bord.c.id, bord.c.maal_ids).where(~bord.c.deleted)):
        for maal_id in ids or []:
            maal_borde[maal_id].append(bord_id)
    parents: dict[tuple[str, str], tuple[str | None, str | None]] = {}  # -> (bord_id, maal_id)
    for name in ("deltager", "note", "tegn", "proevehandling", "samarbejde"):
        table = row_table(name)
        bord_col = table.c.bord_id if "bord_id" in table.c else None
        maal_col = table.c.maal_id if "maal_id" in table.c else None
        columns = [table.c.id, bord_col, maal_col]
        for r in conn.execute(select(*(c for c in columns if c is not None))):
            values = r._mapping
            parents[(name, r.id)] = (values.get("bord_id"), values.get("maal_id"))
    evaluering = row_table("evaluering")
    for r in conn.execute(select(evaluering.c.id, evaluering.c.proevehandling_id)):
        parent = parents.get(("proevehandling", r.proevehandling_id))
        parents[("evaluering", r.id)] = (None, parent[1] if parent else None)
    direct: dict[str, set[str]] = defaultdict(set)
    via_maal: dict[str, set[str]] = defaultdict(set)
    for dev_id, entity, row_id in conn.execute(
        select(CHANGE.c.device_id, CHANGE.c.entity, CHANGE.c.row_id)
        .where(CHANGE.c.entity.in_(_AT_BORD))
        .distinct()
    ):
        bord_id, maal_id = parents.get((entity, row_id), (None, None))
        if bord_id is not None and bord_id in borde:
            direct[dev_id].add(bord_id)
        elif maal_id:
            via_maal[dev_id].add(maal_id)
    out: dict[str, list[str]] = {}
    for dev_id in direct.keys() | via_maal.keys():
        found = set(direct[dev_id])
        for maal_id in via_maal[dev_id]:
            candidates = set(maal_borde.get(maal_id, ()))
            found |= (candidates & direct[dev_id]) or candidates
        names = [borde[b] for b in sorted(found, key=order.__getitem__)]
        out[dev_id] = list(dict.fromkeys(names))
    return out


@dataclass(frozen=True)
class Gap:
    """A live mål and how many tegn and prøvehandlinger it has."""

    maal_id: str
    tekst: str
    maalsaetning: str
    enhed: str
    borde: str
    tegn: int
    proevehandlinger: int


def gaps(db: Database | Store) -> list[Gap]:
    """Live mål that lack tegn (a gap after del 1) or prøvehandlinger (after del 2)."""
    maal, tegn = row_table("maal"), row_table("tegn")
    proevehandling = row_table("proevehandling")
    maalsaetning, enhed, bord = row_table("maalsaetning"), row_table("enhed"), row_table("bord")
    with database_of(db).engine.connect() as conn:
        n_tegn: dict[str, int] = dict(
            conn.execute(
                select(tegn.c.maal_id, func.count()).where(~tegn.c.deleted).group_by(tegn.c.maal_id)
            ).all()
        )
        n_proevehandling: dict[str, int] = dict(
            conn.execute(
                select(proevehandling.c.maal_id, func.count())
                .where(~proevehandling.c.deleted)
                .group_by(proevehandling.c.maal_id)
            ).all()
        )
        borde: dict[str, list[str]] = defaultdict(list)
        for navn, ids in conn.execute(
            select(bord.c.navn, bord.c.maal_ids).where(~bord.c.deleted).order_by(bord.c.position)
        ):
            for mid in ids or []:
                borde[mid].append(navn)
        rows = conn.execute(
            select(
                maal.c.id,
                maal.c.tekst,
                maalsaetning.c.tekst.label("maalsaetning"),
                enhed.c.navn.label("enhed"),
            )
            .select_from(maal)
            .outerjoin(maalsaetning, maalsaetning.c.id == maal.c.maalsaetning_id)
            .outerjoin(enhed, enhed.c.id == maal.c.enhed_id)
            .where(~maal.c.deleted)
            .order_by(
                maalsaetning.c.position.asc().nulls_first(),
                maal.c.position,
                bytewise(maal.c.tekst),
            )
        )
        out = []
        for r in rows:
            t, p = n_tegn.get(r.id, 0), n_proevehandling.get(r.id, 0)
            if t == 0 or p == 0:
                names = ", ".join(borde[r.id])
                out.append(Gap(r.id, r.tekst, r.maalsaetning or "", r.enhed or "", names, t, p))
        return out


@dataclass(frozen=True)
class MatrixRow:
    """One enhed and how many samarbejder it takes part in per niveau (`counts`, by the
    niveau's value)."""

    enhed_id: str
    navn: str
    counts: dict[str, int]

    def count(self, niveau: enums.Niveau) -> int:
        """The samarbejder of the enhed at `niveau`."""
        return self.counts.get(niveau.value, 0)

    @property
    def total(self) -> int:
        """All samarbejder of the enhed, over every niveau."""
        return sum(self.counts.values())


def samarbejde_matrix(db: Database | Store) -> list[MatrixRow]:
    """Enheder by niveau: the number of live samarbejder each enhed takes part in, as the
    mål's own enhed or as a partner."""
    samarbejde, maal, enhed = row_table("samarbejde"), row_table("maal"), row_table("enhed")
    with database_of(db).engine.connect() as conn:
        names = dict(conn.execute(select(enhed.c.id, enhed.c.navn).where(~enhed.c.deleted)).all())
        counts: dict[str, dict[str, int]] = defaultdict(lambda: {n.value: 0 for n in enums.Niveau})
        rows = conn.execute(
            select(samarbejde.c.niveau, samarbejde.c.partner_ids, maal.c.enhed_id)
            .join(maal, maal.c.id == samarbejde.c.maal_id)
            .where(~samarbejde.c.deleted, ~maal.c.deleted)
        )
        for niveau, partners, own in rows:
            members = {own, *(partners or [])} - {None}
            for eid in members:
                if eid in names and niveau in counts[eid]:
                    counts[eid][niveau] += 1
    out = [MatrixRow(eid, names[eid], c) for eid, c in counts.items()]
    return sorted(out, key=lambda r: (-r.total, r.navn.casefold()))
