"""Reads over the current state: generic rows for the command line, the exports and the tests
(`live_rows`, `get_row`, `counts`, `database_info`), and the typed reads the workspace hands to
the screens (records from `models.records`, never dicts)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from . import overview
from .clock import to_seconds
from .db import Database, bytewise, id_filters
from .records import (
    Bord,
    BordDeltagere,
    BordOverview,
    Choice,
    Deltager,
    EnhedNode,
    Evaluering,
    Maal,
    MaalDetail,
    MaalGroup,
    MaalItem,
    MaalplanOverview,
    MaalProgress,
    MaalsaetningMaal,
    Note,
    Proevehandling,
    ProevehandlingEvalueringer,
    Programblok,
    Programme,
    Row,
    Samarbejde,
    Tegn,
    Udviklingsdag,
    UdviklingsdagOverview,
)
from .schema import ENTITIES
from .tables import Change, Device, sql_table


def counts(db: Database) -> dict[str, int]:
    """Counts of live (not deleted) rows, keyed as in `udviklingsdag info --json`."""
    with overview.run_on(db) as run:
        return overview.counts(run)


def database_info(db: Database) -> dict[str, Any]:
    """Where the database is, its schema revision, this device and the counts."""
    with db.engine.connect() as conn:
        changes = int(
            conn.execute(select(func.count()).select_from(sql_table(Change))).scalar() or 0
        )
        devices = int(
            conn.execute(select(func.count()).select_from(sql_table(Device))).scalar() or 0
        )
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
            conn.execute(select(sql_table(ENTITIES[e].table).c.id).limit(1)).first()
            for e in ("enhed", "maalsaetning", "udviklingsdag")
        )


# --- generic rows ------------------------------------------------------------------------------


def live_rows(db: Database, entity: str, **where: Any) -> list[dict[str, Any]]:
    """Live rows of one entity as dicts, in their stored order (position, then id)."""
    table = sql_table(ENTITIES[entity].table)
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


def owned_rows(db: Database, entity: str, row_id: str) -> dict[str, int]:
    """The live rows that deleting the row would take along with it (its tegn, their målinger,
    …: what `Store.delete` tombstones), counted by entity; empty when there are none."""
    from .revisions import id_parts

    counts: dict[str, int] = {}
    with db.engine.connect() as conn:
        parents = {entity: [row_id]}
        while parents:
            found: dict[str, list[str]] = {}
            for parent, ids in parents.items():
                for child, fk in ENTITIES[parent].children:
                    table = sql_table(ENTITIES[child].table)
                    kids: list[str] = []
                    for part in id_parts(ids):
                        query = select(table.c.id).where(table.c[fk].in_(part), ~table.c.deleted)
                        kids += conn.execute(query).scalars()
                    if kids:
                        counts[child] = counts.get(child, 0) + len(kids)
                        found.setdefault(child, []).extend(kids)
            parents = found
    return {e: counts[e] for e in _owned_order(entity) if e in counts}


def _owned_order(entity: str) -> list[str]:
    """The entities a row of `entity` owns, each after its parent («tegn, måling,
    prøvehandling, evaluering, læring, …» for a mål), each once."""
    order: list[str] = []
    for child, _fk in ENTITIES[entity].children:
        for e in (child, *_owned_order(child)):
            if e not in order:
                order.append(e)
    return order


def get_row(db: Database, entity: str, row_id: str) -> dict[str, Any] | None:
    """One row (deleted or not) as a dict, or None when it does not exist."""
    table = sql_table(ENTITIES[entity].table)
    with db.engine.connect() as conn:
        row = conn.execute(select(table).where(table.c.id == row_id)).mappings().first()
    return dict(row) if row is not None else None


def _live(db: Database, entity: str, row_id: str | None) -> dict[str, Any] | None:
    row = get_row(db, entity, row_id) if row_id else None
    return row if row is not None and not row["deleted"] else None


def form_row(db: Database, entity: str, row_id: str) -> Row | None:
    """One live row's tracked fields, for the edit form; None when it is gone."""
    row = _live(db, entity, row_id)
    if row is None:
        return None
    return Row(entity, row_id, {name: row[name] for name in ENTITIES[entity].fields})


# --- rows as records ----------------------------------------------------------------------------


def _ints(value: Any) -> tuple[int, ...]:
    return tuple(int(v) for v in value or ())


def _strs(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value or ())


def _udviklingsdag(r: Mapping[str, Any]) -> Udviklingsdag:
    return Udviklingsdag(
        r["id"], r["titel"], r["dagdel"], r["dato"], r["starttid"], r["udfordring"], r["sted"]
    )


def _bord(r: Mapping[str, Any]) -> Bord:
    return Bord(
        r["id"],
        r["udviklingsdag_id"],
        r["navn"],
        r["facilitator"],
        _strs(r["maal_ids"]),
        bool(r["anonym"]),
        _strs(r.get("maalsaetning_ids")),
    )


def _maal(r: Mapping[str, Any]) -> Maal:
    return Maal(
        r["id"],
        r["maalsaetning_id"],
        r["enhed_id"],
        r["maalplan_id"],
        r["tekst"],
        r["fra_aar"],
        r["til_aar"],
        r["ansvarlig"],
        _ints(r["plan_a"]),
        r.get("mulige_partnere"),
    )


def _tegn(r: Mapping[str, Any]) -> Tegn:
    return Tegn(
        r["id"],
        r["maal_id"],
        r["tekst"],
        r["type"],
        r["datakilde"],
        r["baseline"],
        r["forventet_niveau"],
    )


def _proevehandling(r: Mapping[str, Any], evalueringer: int) -> Proevehandling:
    return Proevehandling(
        r["id"],
        r["maal_id"],
        r["tekst"],
        r["forventning"],
        r["ansvarlig"],
        r["start"],
        r["slut"],
        bool(r["borgerinddragelse"]),
        r["borgerinddragelse_hvordan"],
        r["evaluering_undervejs"],
        r["evaluering_afslutning"],
        _strs(r["tegn_ids"]),
        evalueringer,
        r.get("status") or "planlagt",
        r.get("status_dato"),
    )


def _evaluering(r: Mapping[str, Any]) -> Evaluering:
    return Evaluering(
        r["id"], r["proevehandling_id"], r["type"], r["dato"], r["effekt"], r["laering"]
    )


def _programblok(r: Mapping[str, Any]) -> Programblok:
    return Programblok(
        r["id"], r["udviklingsdag_id"], r["titel"], int(r["minutter"]), r["beskrivelse"]
    )


def _enhed_names(db: Database) -> dict[str, str]:
    return {r["id"]: r["navn"] for r in live_rows(db, "enhed")}


# --- typed reads for the screens ----------------------------------------------------------------


def udviklingsdage_overview(db: Database) -> tuple[UdviklingsdagOverview, ...]:
    """Every live udviklingsdag (by date) with its programme's length and its borde: the home
    screen's read (`models.overview.udviklingsdage`)."""
    with overview.run_on(db) as run:
        return overview.udviklingsdage(run)


def organisation(db: Database) -> tuple[EnhedNode, ...]:
    """The organisation tree flattened depth first (siblings by name)."""
    rows = live_rows(db, "enhed")
    by_parent: dict[str | None, list[dict[str, Any]]] = {}
    ids = {r["id"] for r in rows}
    for r in rows:
        parent = r["parent_id"] if r["parent_id"] in ids else None
        by_parent.setdefault(parent, []).append(r)
    out: list[EnhedNode] = []

    def walk(parent: str | None, depth: int) -> None:
        for r in sorted(by_parent.get(parent, []), key=lambda x: x["navn"].casefold()):
            out.append(EnhedNode(r["id"], r["navn"], r["type"], r["parent_id"], r["leder"], depth))
            if depth < 20:  # a cycle from a bad merge must not hang the screen
                walk(r["id"], depth + 1)

    walk(None, 0)
    return tuple(out)


def maalsaetninger_with_maal(db: Database) -> tuple[MaalsaetningMaal, ...]:
    """Every live målsætning (in order) with its live mål (in order), enhed names resolved."""
    enheder = _enhed_names(db)
    maal = live_rows(db, "maal")
    return tuple(
        MaalsaetningMaal(
            ms["id"],
            ms["tekst"],
            ms["kilde"],
            ms["aar"],
            tuple(
                MaalItem(
                    m["id"],
                    m["maalsaetning_id"],
                    m["tekst"],
                    enheder.get(m["enhed_id"], ""),
                    m["ansvarlig"],
                )
                for m in maal
                if m["maalsaetning_id"] == ms["id"]
            ),
        )
        for ms in live_rows(db, "maalsaetning")
    )


def _children_counts(conn: Connection, entity: str, parent: str, ids: list[str]) -> dict[str, int]:
    """How many live rows of `entity` point to each of `ids` through `parent`."""
    if not ids:
        return {}
    table = sql_table(ENTITIES[entity].table)
    query = (
        select(table.c[parent], func.count())
        .where(~table.c.deleted, table.c[parent].in_(ids))
        .group_by(table.c[parent])
    )
    return {pid: int(n) for pid, n in conn.execute(query)}


def bord_overview(db: Database, bord_id: str) -> BordOverview | None:
    """A bord with its udviklingsdag and its mål grouped by målsætning, each mål with the
    counts of its tegn, prøvehandlinger and samarbejder. On a lederdag every målsætning of
    the bord is a group, also before it has a mål. None when the bord is gone."""
    bord = _live(db, "bord", bord_id)
    if bord is None:
        return None
    day = get_row(db, "udviklingsdag", bord["udviklingsdag_id"] or "")
    enheder = _enhed_names(db)
    maal_table = sql_table(ENTITIES["maal"].table)
    ids = list(bord["maal_ids"] or [])
    with db.engine.connect() as conn:
        rows = {
            r["id"]: dict(r)
            for r in conn.execute(
                select(maal_table).where(maal_table.c.id.in_(ids), ~maal_table.c.deleted)
            ).mappings()
        }
        tegn = _children_counts(conn, "tegn", "maal_id", ids)
        proevehandlinger = _children_counts(conn, "proevehandling", "maal_id", ids)
        samarbejder = _children_counts(conn, "samarbejde", "maal_id", ids)
    maalsaetninger = {r["id"]: r for r in live_rows(db, "maalsaetning")}
    groups: dict[str, tuple[int, str, list[tuple[int, str, MaalProgress]]]] = {}
    if day is not None and day["dagdel"] == "lederdag":
        for ms_id in bord.get("maalsaetning_ids") or ():
            ms = maalsaetninger.get(ms_id)
            if ms is not None:
                groups.setdefault(ms_id, (ms["position"], ms["tekst"], []))
    for mid in ids:
        m = rows.get(mid)
        if m is None:
            continue
        ms = maalsaetninger.get(m["maalsaetning_id"])
        key, position, tekst = (ms["id"], ms["position"], ms["tekst"]) if ms else ("", 10**6, "")
        group = groups.setdefault(key, (position, tekst, []))
        progress = MaalProgress(
            mid,
            m["tekst"],
            enheder.get(m["enhed_id"], ""),
            m["ansvarlig"],
            tegn.get(mid, 0),
            proevehandlinger.get(mid, 0),
            samarbejder.get(mid, 0),
            m["fra_aar"],
            m["til_aar"],
            m.get("mulige_partnere"),
        )
        group[2].append((m["position"], mid, progress))
    ordered = sorted(groups.items(), key=lambda g: (g[1][0], g[0]))
    return BordOverview(
        _bord(bord),
        _udviklingsdag(day) if day is not None else None,
        tuple(
            MaalGroup(key, tekst, tuple(p for _pos, _id, p in sorted(maal)))
            for key, (_position, tekst, maal) in ordered
        ),
    )


def maal_detail(db: Database, maal_id: str) -> MaalDetail | None:
    """One mål with its målsætning, enhed, tegn, prøvehandlinger (with their evalueringer
    counted), samarbejder (partner names resolved) and notes. None when the mål is gone."""
    maal = _live(db, "maal", maal_id)
    if maal is None:
        return None
    enheder = _enhed_names(db)
    ms = _live(db, "maalsaetning", maal["maalsaetning_id"])
    proevehandlinger = live_rows(db, "proevehandling", maal_id=maal_id)
    evalueringer = evaluering_counts(db, [p["id"] for p in proevehandlinger])
    return MaalDetail(
        _maal(maal),
        ms["tekst"] if ms is not None else "",
        enheder.get(maal["enhed_id"], ""),
        tuple(_tegn(t) for t in live_rows(db, "tegn", maal_id=maal_id)),
        tuple(_proevehandling(p, evalueringer.get(p["id"], 0)) for p in proevehandlinger),
        tuple(
            Samarbejde(
                s["id"],
                s["maal_id"],
                _strs(s["partner_ids"]),
                tuple(enheder.get(p, "(ukendt enhed)") for p in s["partner_ids"] or []),
                s["niveau"],
                s["forventningsafstemning"],
                s["rollefordeling"],
                s["maal_for_samarbejdet"],
            )
            for s in live_rows(db, "samarbejde", maal_id=maal_id)
        ),
        notes_with_origin(db, maal_id=maal_id),
    )


def notes_with_origin(
    db: Database, *, maal_id: str | None = None, bord_id: str | None = None
) -> tuple[Note, ...]:
    """The live notes of a mål (or of a bord), oldest first, each with where it came from,
    read from the change log (see `models.records.Note`)."""
    where = {"maal_id": maal_id} if maal_id is not None else {"bord_id": bord_id}
    notes = live_rows(db, "note", **where)
    if not notes:
        return ()
    ids = [n["id"] for n in notes]
    first: dict[str, tuple[str, str]] = {}  # row id -> (hlc, device id) of its first change
    latest: dict[str, tuple[str, str]] = {}  # row id -> the same for its latest text change
    with db.engine.connect() as conn:
        dev, log = sql_table(Device), sql_table(Change)
        devices: dict[str, str] = {r.id: r.navn for r in conn.execute(select(dev.c.id, dev.c.navn))}
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

    def name(device_id: str | None) -> str:
        return devices.get(device_id or "") or (device_id or "")[:8]

    out = []
    for n in notes:
        made_hlc, made_by = first.get(n["id"], (None, None))
        edit_hlc, edit_by = latest.get(n["id"], (made_hlc, made_by))
        note = Note(
            n["id"],
            n["type"],
            n["tekst"],
            n["maal_id"],
            n["bord_id"],
            made_by,
            name(made_by),
            made_by is not None and made_by == db.device_id,
            when(made_hlc),
            edit_by,
            name(edit_by),
            when(edit_hlc),
        )
        out.append((first.get(n["id"], ("",))[0], n["id"], note))
    return tuple(note for _hlc, _id, note in sorted(out, key=lambda t: (t[0], t[1])))


def enhed_choices(db: Database) -> tuple[Choice, ...]:
    """(name, id) of every live enhed of any type, sorted by name: for pickers."""
    return tuple(
        sorted(
            ((r["navn"], r["id"]) for r in live_rows(db, "enhed")),
            key=lambda t: t[0].casefold(),
        )
    )


def bord_deltagere(db: Database, bord_id: str) -> BordDeltagere | None:
    """A bord with its live deltagere (enhed names resolved), sorted by name. None when the
    bord is gone."""
    bord = _live(db, "bord", bord_id)
    if bord is None:
        return None
    enheder = _enhed_names(db)
    deltagere = sorted(
        live_rows(db, "deltager", bord_id=bord_id), key=lambda d: (d["navn"].casefold(), d["id"])
    )
    return BordDeltagere(
        _bord(bord),
        tuple(
            Deltager(
                d["id"],
                d["bord_id"],
                d["navn"],
                d["enhed_id"],
                enheder.get(d["enhed_id"], ""),
                d["rolle"],
            )
            for d in deltagere
        ),
    )


_EVALUERING_ORDER = {"undervejs": 0, "afslutning": 1}


def proevehandling_evalueringer(
    db: Database, proevehandling_id: str
) -> ProevehandlingEvalueringer | None:
    """A prøvehandling with its live evalueringer: undervejs before afslutning, each by date
    (undated last). None when the prøvehandling is gone."""
    row = _live(db, "proevehandling", proevehandling_id)
    if row is None:
        return None
    rows = live_rows(db, "evaluering", proevehandling_id=proevehandling_id)
    rows.sort(
        key=lambda e: (
            _EVALUERING_ORDER.get(e["type"], 9),
            e["dato"] is None,
            e["dato"] or date.min,
            e["id"],
        )
    )
    return ProevehandlingEvalueringer(
        _proevehandling(row, len(rows)), tuple(_evaluering(e) for e in rows)
    )


def evaluering_counts(db: Database, proevehandling_ids: Iterable[str]) -> dict[str, int]:
    """How many live evalueringer each of the given prøvehandlinger has (absent: none)."""
    ids = list(proevehandling_ids)
    with db.engine.connect() as conn:
        return _children_counts(conn, "evaluering", "proevehandling_id", ids)


def maalplaner_overview(db: Database) -> tuple[MaalplanOverview, ...]:
    """Every live målplan with its enhed's name and how many live mål point to it; newest
    year first, then by enhed and title."""
    enheder = _enhed_names(db)
    plans = live_rows(db, "maalplan")
    with db.engine.connect() as conn:
        counts = _children_counts(conn, "maal", "maalplan_id", [p["id"] for p in plans])
    out = [
        MaalplanOverview(
            p["id"],
            p["titel"],
            p["enhed_id"],
            enheder.get(p["enhed_id"], ""),
            p["aar"],
            p["ansvarlig"],
            p["sagsnummer"],
            p["kle"],
            p["status_foer"],
            p["status_del1"],
            p["status_del2"],
            p["status_efter"],
            _ints(p["plan_a"]),
            counts.get(p["id"], 0),
        )
        for p in plans
    ]
    out.sort(key=lambda p: (-(p.aar or 0), p.enhed_navn.casefold(), p.titel.casefold()))
    return tuple(out)


def programme(db: Database, udviklingsdag_id: str) -> Programme | None:
    """An udviklingsdag with its programme's blocks, in order; None when the day is gone."""
    day = _live(db, "udviklingsdag", udviklingsdag_id)
    if day is None:
        return None
    return Programme(_udviklingsdag(day), programblokke(db, udviklingsdag_id))


def programblokke(db: Database, udviklingsdag_id: str | None = None) -> tuple[Programblok, ...]:
    """The live programme blocks of one udviklingsdag (of every day when None), in order."""
    where = {} if udviklingsdag_id is None else {"udviklingsdag_id": udviklingsdag_id}
    return tuple(_programblok(b) for b in live_rows(db, "programblok", **where))
