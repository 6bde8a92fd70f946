"""Read helpers over the current state. Screens and exports read through these (no SQL in
screens)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from . import overview
from .clock import to_seconds
from .db import Database, bytewise, id_filters
from .schema import ENTITIES
from .tables import Change, Device


def counts(db: Database) -> dict[str, int]:
    """Counts of live (not deleted) rows, keyed as in `udviklingsdag info --json`."""
    with overview.run_on(db) as run:
        return overview.counts(run)


def database_info(db: Database) -> dict[str, Any]:
    """Where the database is, its schema revision, this device and the counts."""
    with db.engine.connect() as conn:
        changes = int(conn.execute(select(func.count()).select_from(Change.__table__)).scalar())
        devices = int(conn.execute(select(func.count()).select_from(Device.__table__)).scalar())
    return {
        "database": db.display_target,
        "backend": db.engine.dialect.name,
        "schema_revision": db.revision,
        "device": {"id": db.device_id, "navn": db.device_name},
        "devices": devices,
        "changes": changes,
        "counts": counts(db),
    }


def has_data(db: Database) -> bool:
    """Whether the database holds any domain rows."""
    with db.engine.connect() as conn:
        return any(
            conn.execute(select(ENTITIES[e].table.__table__.c.id).limit(1)).first()
            for e in ("enhed", "maalsaetning", "udviklingsdag")
        )


# --- reads for the terminal UI (issue 3) -----------------------------------------------------


def live_rows(db: Database, entity: str, **where: Any) -> list[dict[str, Any]]:
    """Live rows of one entity as dicts, in their stored order (position, then id)."""
    table = ENTITIES[entity].table.__table__
    query = select(table).where(~table.c.deleted)
    for name, value in where.items():
        query = query.where(table.c[name] == value)
    if "position" in table.c:
        query = query.order_by(table.c.position, bytewise(table.c.id))
    else:
        title = ENTITIES[entity].title_field
        query = query.order_by(bytewise(table.c[title]), bytewise(table.c.id))
    with db.engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def get_row(db: Database, entity: str, row_id: str) -> dict[str, Any] | None:
    """One row (deleted or not) as a dict, or None when it does not exist."""
    table = ENTITIES[entity].table.__table__
    with db.engine.connect() as conn:
        row = conn.execute(select(table).where(table.c.id == row_id)).mappings().first()
    return dict(row) if row is not None else None


def udviklingsdage_overview(db: Database) -> list[dict[str, Any]]:
    """Every live udviklingsdag (by date) with its programme length and its tables, as whole
    rows for editing: the home screen's read (`models.overview.udviklingsdage`, which gives the
    order and the programme) with each day and table as its full row."""
    with overview.run_on(db) as run:
        days = overview.udviklingsdage(run)
    full_days = {d["id"]: d for d in live_rows(db, "udviklingsdag")}
    full_borde = {b["id"]: b for b in live_rows(db, "bord")}
    return [
        {
            **full_days[d["id"]],
            "minutter": d["minutter"],
            "blokke": d["blokke"],
            "borde": [full_borde[b["id"]] for b in d["borde"] if b["id"] in full_borde],
        }
        for d in days
        if d["id"] in full_days  # (a day deleted between the two reads)
    ]


def organisation(db: Database) -> list[dict[str, Any]]:
    """The organisation tree flattened depth first; each row gets `depth` (0 = top)."""
    rows = live_rows(db, "enhed")
    by_parent: dict[str | None, list[dict[str, Any]]] = {}
    ids = {r["id"] for r in rows}
    for r in rows:
        parent = r["parent_id"] if r["parent_id"] in ids else None
        by_parent.setdefault(parent, []).append(r)
    out: list[dict[str, Any]] = []

    def walk(parent: str | None, depth: int) -> None:
        for r in sorted(by_parent.get(parent, []), key=lambda x: x["navn"].casefold()):
            out.append({**r, "depth": depth})
            if depth < 20:  # a cycle from a bad merge must not hang the screen
                walk(r["id"], depth + 1)

    walk(None, 0)
    return out


def maalsaetninger_with_maal(db: Database) -> list[dict[str, Any]]:
    """Every live målsætning (in order) with its live mål under `maal`, enhed names resolved."""
    enheder = {r["id"]: r["navn"] for r in live_rows(db, "enhed")}
    maal = live_rows(db, "maal")
    out = []
    for ms in live_rows(db, "maalsaetning"):
        ms["maal"] = [
            {**m, "enhed_navn": enheder.get(m["enhed_id"], "")}
            for m in maal
            if m["maalsaetning_id"] == ms["id"]
        ]
        out.append(ms)
    return out


def _children_counts(conn: Any, entity: str, maal_ids: list[str]) -> dict[str, int]:
    table = ENTITIES[entity].table.__table__
    if not maal_ids:
        return {}
    query = (
        select(table.c.maal_id, func.count())
        .where(~table.c.deleted, table.c.maal_id.in_(maal_ids))
        .group_by(table.c.maal_id)
    )
    return {mid: int(n) for mid, n in conn.execute(query)}


def bord_overview(db: Database, bord_id: str) -> dict[str, Any] | None:
    """A table with its day and its mål grouped by målsætning, each mål with the counts of its
    tegn, prøvehandlinger and samarbejder. None when the table does not exist."""
    bord = get_row(db, "bord", bord_id)
    if bord is None or bord["deleted"]:
        return None
    day = get_row(db, "udviklingsdag", bord["udviklingsdag_id"]) or {}
    enheder = {r["id"]: r["navn"] for r in live_rows(db, "enhed")}
    maal_table = ENTITIES["maal"].table.__table__
    ids = list(bord["maal_ids"] or [])
    with db.engine.connect() as conn:
        rows = {
            r["id"]: dict(r)
            for r in conn.execute(
                select(maal_table).where(maal_table.c.id.in_(ids), ~maal_table.c.deleted)
            ).mappings()
        }
        tegn = _children_counts(conn, "tegn", ids)
        proeve = _children_counts(conn, "proevehandling", ids)
        samarb = _children_counts(conn, "samarbejde", ids)
    ms_rows = {r["id"]: r for r in live_rows(db, "maalsaetning")}
    groups: dict[str, dict[str, Any]] = {}
    for mid in ids:
        m = rows.get(mid)
        if m is None:
            continue
        m["enhed_navn"] = enheder.get(m["enhed_id"], "")
        m["tegn"] = tegn.get(mid, 0)
        m["proevehandlinger"] = proeve.get(mid, 0)
        m["samarbejder"] = samarb.get(mid, 0)
        ms = ms_rows.get(m["maalsaetning_id"]) or {"id": "", "tekst": "", "position": 10**6}
        group = groups.setdefault(ms["id"], {**ms, "maal": []})
        group["maal"].append(m)
    ordered = sorted(groups.values(), key=lambda g: (g.get("position", 0), g["id"]))
    for g in ordered:
        g["maal"].sort(key=lambda m: (m["position"], m["id"]))
    return {
        "bord": bord,
        "dag": day,
        "grupper": ordered,
        "noter": live_rows(db, "note", bord_id=bord_id),
    }


def maal_detail(db: Database, maal_id: str) -> dict[str, Any] | None:
    """One mål with its målsætning, enhed, tegn, prøvehandlinger, samarbejder (partner names
    resolved in `partnere`) and notes. None when the mål does not exist or is deleted."""
    maal = get_row(db, "maal", maal_id)
    if maal is None or maal["deleted"]:
        return None
    enheder = {r["id"]: r["navn"] for r in live_rows(db, "enhed")}
    ms = get_row(db, "maalsaetning", maal["maalsaetning_id"]) if maal["maalsaetning_id"] else None
    samarbejder = live_rows(db, "samarbejde", maal_id=maal_id)
    for s in samarbejder:
        s["partnere"] = [enheder.get(p, "(ukendt enhed)") for p in s["partner_ids"] or []]
    return {
        "maal": maal,
        "maalsaetning": (ms or {}).get("tekst", ""),
        "enhed_navn": enheder.get(maal["enhed_id"], ""),
        "tegn": live_rows(db, "tegn", maal_id=maal_id),
        "proevehandlinger": live_rows(db, "proevehandling", maal_id=maal_id),
        "samarbejder": samarbejder,
        "noter": notes_with_origin(db, maal_id=maal_id),
    }


def notes_with_origin(
    db: Database, *, maal_id: str | None = None, bord_id: str | None = None
) -> list[dict[str, Any]]:
    """The live notes of a mål (or of a table), oldest first, each with where it came from,
    read from the change log: `fra` / `fra_id` (the laptop that wrote it), `egen` (this
    laptop), `skrevet` (when), and `rettet_af` / `rettet_af_id` / `rettet` for the latest
    change of its text. Several notes of one kind are normal after a merge of handoff files.
    A note without log entries has `fra_id` None."""
    where = {"maal_id": maal_id} if maal_id is not None else {"bord_id": bord_id}
    notes = live_rows(db, "note", **where)
    if not notes:
        return notes
    ids = [n["id"] for n in notes]
    first: dict[str, tuple[str, str]] = {}  # row id -> (hlc, device id) of its first change
    latest: dict[str, tuple[str, str]] = {}  # row id -> the same for its latest text change
    with db.engine.connect() as conn:
        dev, log = Device.__table__, Change.__table__
        devices = dict(conn.execute(select(dev.c.id, dev.c.navn)).all())
        for rows in id_filters(conn, log.c.row_id, ids):
            query = select(log.c.hlc, log.c.device_id, log.c.row_id, log.c.field).where(
                log.c.entity == "note", rows, log.c.field.in_(("deleted", "tekst"))
            )
            for hlc, device_id, row_id, fname in conn.execute(query):
                if row_id not in first or hlc < first[row_id][0]:
                    first[row_id] = (hlc, device_id)
                if fname == "tekst" and (row_id not in latest or hlc > latest[row_id][0]):
                    latest[row_id] = (hlc, device_id)

    def when(hlc: str | None) -> datetime | None:
        return datetime.fromtimestamp(to_seconds(hlc)) if hlc else None

    for n in notes:
        made_hlc, made_by = first.get(n["id"], (None, None))
        edit_hlc, edit_by = latest.get(n["id"], (made_hlc, made_by))
        n["fra_id"] = made_by
        n["fra"] = devices.get(made_by) or (made_by or "")[:8]
        n["egen"] = made_by is not None and made_by == db.device_id
        n["skrevet"] = when(made_hlc)
        n["rettet_af_id"] = edit_by
        n["rettet_af"] = devices.get(edit_by) or (edit_by or "")[:8]
        n["rettet"] = when(edit_hlc)
    notes.sort(key=lambda n: (first.get(n["id"], ("",))[0], n["id"]))
    return notes


def enhed_choices(db: Database) -> list[tuple[str, str]]:
    """(name, id) of every live enhed of any type, sorted by name: for pickers."""
    return sorted(
        ((r["navn"], r["id"]) for r in live_rows(db, "enhed")), key=lambda t: t[0].casefold()
    )


# --- reads for deltagere, evalueringer and målplaner in the terminal UI ------------------------


def bord_deltagere(db: Database, bord_id: str) -> dict[str, Any] | None:
    """A table with its live deltagere (enhed names resolved in `enhed_navn`), sorted by name.
    None when the table does not exist or is deleted."""
    bord = get_row(db, "bord", bord_id)
    if bord is None or bord["deleted"]:
        return None
    enheder = {r["id"]: r["navn"] for r in live_rows(db, "enhed")}
    deltagere = live_rows(db, "deltager", bord_id=bord_id)
    for d in deltagere:
        d["enhed_navn"] = enheder.get(d["enhed_id"], "")
    deltagere.sort(key=lambda d: (d["navn"].casefold(), d["id"]))
    return {"bord": bord, "deltagere": deltagere}


_EVALUERING_ORDER = {"undervejs": 0, "afslutning": 1}


def proevehandling_evalueringer(db: Database, proevehandling_id: str) -> dict[str, Any] | None:
    """A prøvehandling with its live evalueringer: undervejs before afslutning, each by date
    (undated last). None when the prøvehandling does not exist or is deleted."""
    ph = get_row(db, "proevehandling", proevehandling_id)
    if ph is None or ph["deleted"]:
        return None
    rows = live_rows(db, "evaluering", proevehandling_id=proevehandling_id)
    rows.sort(
        key=lambda e: (
            _EVALUERING_ORDER.get(e["type"], 9),
            e["dato"] is None,
            e["dato"] or "",
            e["id"],
        )
    )
    return {"proevehandling": ph, "evalueringer": rows}


def evaluering_counts(db: Database, proevehandling_ids: list[str]) -> dict[str, int]:
    """How many live evalueringer each of the given prøvehandlinger has (absent: none)."""
    if not proevehandling_ids:
        return {}
    table = ENTITIES["evaluering"].table.__table__
    query = (
        select(table.c.proevehandling_id, func.count())
        .where(~table.c.deleted, table.c.proevehandling_id.in_(proevehandling_ids))
        .group_by(table.c.proevehandling_id)
    )
    with db.engine.connect() as conn:
        return {pid: int(n) for pid, n in conn.execute(query)}


def maalplaner_overview(db: Database) -> list[dict[str, Any]]:
    """Every live målplan with its enhed's name (`enhed_navn`) and how many live mål point to
    it (`maal`); newest year first, then by enhed and title."""
    enheder = {r["id"]: r["navn"] for r in live_rows(db, "enhed")}
    plans = live_rows(db, "maalplan")
    maal_table = ENTITIES["maal"].table.__table__
    with db.engine.connect() as conn:
        counts = {
            pid: int(n)
            for pid, n in conn.execute(
                select(maal_table.c.maalplan_id, func.count())
                .where(~maal_table.c.deleted, maal_table.c.maalplan_id.is_not(None))
                .group_by(maal_table.c.maalplan_id)
            )
        }
    for p in plans:
        p["enhed_navn"] = enheder.get(p["enhed_id"], "")
        p["maal"] = counts.get(p["id"], 0)
    plans.sort(key=lambda p: (-(p["aar"] or 0), p["enhed_navn"].casefold(), p["titel"].casefold()))
    return plans
