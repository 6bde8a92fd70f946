"""A standalone SQLite file of the current state (not the change log), for a tovholder to open in
any SQLite tool, Excel or Power BI: one table per kind of data, link tables for lists, readable
views, and a `dokumentation` table that explains every table, view and column."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, cast

from sqlalchemy import select

from models import enums
from models.db import Database
from models.errors import disk_full_message, is_disk_full
from models.schema import ENTITIES, ENTITY_ORDER

from .atomic import ExportError, fsync_dir, guard_target, write_error

FORMAT_VERSION = 1

TABLE_DOC = {
    "enhed": "Organisationen: direktørområder, stabe, afdelinger og enheder (arbejdspladser).",
    "politik": "Politikker (fireårige, pr. fagområde).",
    "maalsaetning": "Politiske målsætninger fra en politik eller budgetaftalen.",
    "maalplan": "En enheds målplan for et år (arkiveres i SBSYS som målplanskabelon).",
    "maal": "Konkrete, tidsbestemte mål under en målsætning, i en målplan.",
    "tegn": "Tegn på, at forandringen sker (kvantitative eller kvalitative).",
    "proevehandling": "Prøvehandlinger: afprøvninger med ukendt udfald.",
    "evaluering": "Evalueringer af prøvehandlinger (undervejs og ved afslutning).",
    "samarbejde": "Samarbejder på tværs af enheder om et mål, på et af de tre niveauer.",
    "udviklingsdag": "Lederdage og udviklingsdage (lederdag: mål, del 1: tegn, del 2: "
    "prøvehandlinger).",
    "programblok": "Programpunkter på en udviklingsdag.",
    "bord": "Borde på en lederdag eller udviklingsdag med facilitator, målsætninger og mål.",
    "deltager": "Deltagere ved et bord.",
    "note": "Noter, parkeringspladsen og læring på et mål eller et bord.",
    "maaling": "Målinger på tegn: dato, værdi (kvantitativ) eller observation (kvalitativ).",
    "laering": "Dateret læring på en prøvehandling eller en målplan.",
    "samarbejde_partner": "Link: hvilke enheder der er partnere i hvert samarbejde.",
    "proevehandling_tegn": "Link: hvilke tegn hver prøvehandling følger.",
    "bord_maal": "Link: hvilke mål hvert bord arbejder med.",
    "bord_maalsaetning": "Link: hvilke målsætninger hvert bord arbejder med (lederdagen).",
    "om_eksporten": "Hvornår og hvorfra filen er lavet.",
    "dokumentation": "Denne forklaring af tabeller, visninger og kolonner.",
}

VIEWS: dict[str, tuple[str, str]] = {
    "v_maal": (
        "Ét mål pr. række med enhed, målsætning, målplan, mulige samarbejdspartnere fra "
        "lederdagen (ikke aftalte; én pr. linje) og antal tegn, prøvehandlinger og aftalte "
        "samarbejder.",
        """
        SELECT m.id AS maal_id, mp.titel AS maalplan, mp.aar AS aar, e.navn AS enhed,
               ms.tekst AS maalsaetning, ms.kilde_navn AS kilde, m.tekst AS maal,
               m.fra_aar, m.til_aar, m.ansvarlig, m.mulige_partnere,
               (SELECT count(*) FROM tegn t WHERE t.maal_id = m.id) AS antal_tegn,
               (SELECT count(*) FROM proevehandling p WHERE p.maal_id = m.id)
                   AS antal_proevehandlinger,
               (SELECT count(*) FROM samarbejde s WHERE s.maal_id = m.id) AS antal_samarbejder,
               (SELECT count(*) FROM evaluering ev JOIN proevehandling p
                    ON ev.proevehandling_id = p.id WHERE p.maal_id = m.id) AS antal_evalueringer
        FROM maal m
        LEFT JOIN maalplan mp ON mp.id = m.maalplan_id
        LEFT JOIN enhed e ON e.id = COALESCE(m.enhed_id, mp.enhed_id)
        LEFT JOIN maalsaetning ms ON ms.id = m.maalsaetning_id
        """,
    ),
    "v_samarbejde": (
        "Én række pr. samarbejde og partner: målets enhed, partnerenheden og niveauet.",
        """
        SELECT s.id AS samarbejde_id, e1.navn AS enhed, e2.navn AS partner,
               s.niveau_navn AS niveau, m.tekst AS maal, mp.titel AS maalplan,
               s.forventningsafstemning, s.rollefordeling, s.maal_for_samarbejdet
        FROM samarbejde s
        JOIN maal m ON m.id = s.maal_id
        LEFT JOIN maalplan mp ON mp.id = m.maalplan_id
        LEFT JOIN enhed e1 ON e1.id = COALESCE(m.enhed_id, mp.enhed_id)
        JOIN samarbejde_partner sp ON sp.samarbejde_id = s.id
        JOIN enhed e2 ON e2.id = sp.enhed_id
        """,
    ),
    "v_maalplan": (
        "Én målplan pr. række med enhed, SBSYS-sagsnummer, status pr. ark og antal.",
        """
        SELECT mp.id AS maalplan_id, mp.titel, mp.aar, e.navn AS enhed, mp.ansvarlig,
               mp.sagsnummer, mp.kle, mp.status_foer_navn AS status_foer,
               mp.status_del1_navn AS status_del1, mp.status_del2_navn AS status_del2,
               mp.status_efter_navn AS status_efter,
               (SELECT count(*) FROM maal m WHERE m.maalplan_id = mp.id) AS antal_maal,
               (SELECT count(*) FROM tegn t JOIN maal m ON m.id = t.maal_id
                    WHERE m.maalplan_id = mp.id) AS antal_tegn,
               (SELECT count(*) FROM proevehandling p JOIN maal m ON m.id = p.maal_id
                    WHERE m.maalplan_id = mp.id) AS antal_proevehandlinger
        FROM maalplan mp LEFT JOIN enhed e ON e.id = mp.enhed_id
        """,
    ),
    "v_proevehandling": (
        "Én prøvehandling pr. række med mål, enhed, periode, status (og hvornår den sidst "
        "ændrede sig) og antal evalueringer og læringer.",
        """
        SELECT p.id AS proevehandling_id, e.navn AS enhed, m.tekst AS maal, p.tekst AS
               proevehandling, p.ansvarlig, p.start, p.slut, p.borgerinddragelse,
               p.evaluering_undervejs, p.evaluering_afslutning,
               (SELECT count(*) FROM evaluering ev WHERE ev.proevehandling_id = p.id)
                   AS antal_evalueringer,
               p.status_navn AS status, p.status_dato,
               (SELECT count(*) FROM laering l WHERE l.proevehandling_id = p.id)
                   AS antal_laeringer
        FROM proevehandling p
        JOIN maal m ON m.id = p.maal_id
        LEFT JOIN maalplan mp ON mp.id = m.maalplan_id
        LEFT JOIN enhed e ON e.id = COALESCE(m.enhed_id, mp.enhed_id)
        """,
    ),
    "v_maaling": (
        "Én måling pr. række med tegnet (type, udgangspunkt og forventet niveau), målet, "
        "enheden og målplanen: til kurver over tid i Excel eller Power BI.",
        """
        SELECT x.id AS maaling_id, x.dato, x.vaerdi, x.observation, x.kilde,
               x.hvem AS registreret_af, t.id AS tegn_id, t.tekst AS tegn,
               t.type_navn AS tegn_type, t.baseline AS udgangspunkt,
               t.forventet_niveau, m.tekst AS maal, e.navn AS enhed,
               mp.titel AS maalplan, mp.aar
        FROM maaling x
        JOIN tegn t ON t.id = x.tegn_id
        JOIN maal m ON m.id = t.maal_id
        LEFT JOIN maalplan mp ON mp.id = m.maalplan_id
        LEFT JOIN enhed e ON e.id = COALESCE(m.enhed_id, mp.enhed_id)
        """,
    ),
    "v_tegn_maalinger": (
        "Ét tegn pr. række med antal målinger, den første og den seneste dato og den seneste "
        "værdi, ved siden af udgangspunkt og forventet niveau (til statussen i august).",
        """
        SELECT t.id AS tegn_id, e.navn AS enhed, mp.titel AS maalplan, m.tekst AS maal,
               t.tekst AS tegn, t.type_navn AS tegn_type, t.baseline AS udgangspunkt,
               t.forventet_niveau,
               (SELECT count(*) FROM maaling x WHERE x.tegn_id = t.id) AS antal_maalinger,
               (SELECT min(x.dato) FROM maaling x WHERE x.tegn_id = t.id) AS foerste_dato,
               (SELECT max(x.dato) FROM maaling x WHERE x.tegn_id = t.id) AS seneste_dato,
               (SELECT x.vaerdi FROM maaling x WHERE x.tegn_id = t.id AND x.vaerdi IS NOT NULL
                    ORDER BY x.dato DESC, x.id DESC LIMIT 1) AS seneste_vaerdi
        FROM tegn t
        JOIN maal m ON m.id = t.maal_id
        LEFT JOIN maalplan mp ON mp.id = m.maalplan_id
        LEFT JOIN enhed e ON e.id = COALESCE(m.enhed_id, mp.enhed_id)
        """,
    ),
    "v_laering": (
        "Én læring pr. række med datoen, prøvehandlingen (tom, når læringen gælder hele "
        "målplanen), målet, enheden og målplanen.",
        """
        SELECT l.id AS laering_id, l.dato, l.tekst AS laering, l.hvem AS skrevet_af,
               p.tekst AS proevehandling, m.tekst AS maal, e.navn AS enhed,
               mp.titel AS maalplan, mp.aar
        FROM laering l
        LEFT JOIN proevehandling p ON p.id = l.proevehandling_id
        LEFT JOIN maal m ON m.id = p.maal_id
        LEFT JOIN maalplan mp ON mp.id = COALESCE(l.maalplan_id, m.maalplan_id)
        LEFT JOIN enhed e ON e.id = COALESCE(m.enhed_id, mp.enhed_id)
        """,
    ),
    "v_maal_uden_tegn_eller_proevehandlinger": (
        "Mål, der mangler tegn eller prøvehandlinger (til Chefforums gennemgang).",
        "SELECT * FROM v_maal WHERE antal_tegn = 0 OR antal_proevehandlinger = 0",
    ),
}

# Link tables made from list fields: (entity, field, table, id column, target column)
LINKS = (
    ("samarbejde", "partner_ids", "samarbejde_partner", "samarbejde_id", "enhed_id"),
    ("proevehandling", "tegn_ids", "proevehandling_tegn", "proevehandling_id", "tegn_id"),
    ("bord", "maal_ids", "bord_maal", "bord_id", "maal_id"),
    ("bord", "maalsaetning_ids", "bord_maalsaetning", "bord_id", "maalsaetning_id"),
)


def _sql_type(kind: str) -> str:
    if kind == "decimal":
        return "REAL"
    return "INTEGER" if kind in ("int", "bool") else "TEXT"


def _value(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind in ("date",) and isinstance(value, date):
        return value.isoformat()
    if kind == "bool":
        return 1 if value else 0
    if kind in ("reflist", "intlist"):
        return json.dumps(value, ensure_ascii=False)
    return value


# Rows are read and written this many at a time: the export's memory does not depend on the
# size of the database (a batch of the widest table is a few MB).
BATCH_ROWS = 2000


def _converter(entity: str) -> Callable[[Sequence[Any]], list[Any]]:
    """How a row read as (id, field, field, ...) becomes the export table's row (an enum's
    label follows its value)."""
    steps: list[tuple[str, type[StrEnum] | None]] = []
    for fspec in ENTITIES[entity].fields.values():
        enum = cast(type[StrEnum], fspec.enum) if fspec.kind == "enum" else None
        steps.append((fspec.kind, enum))

    def convert(row: Sequence[Any]) -> list[Any]:
        values = [row[0]]
        for (kind, enum), value in zip(steps, row[1:], strict=True):
            values.append(_value(kind, value))
            if enum is not None:
                values.append(enums.choice_label(enum, value) or None)
        return values

    return convert


def _copy_rows(src: Any, conn: sqlite3.Connection, entity: str) -> int:
    """Copy the live rows of `entity` in batches of BATCH_ROWS (a server-side cursor on
    PostgreSQL, SQLite's own step-by-step cursor on SQLite), in the order the source keeps
    them. Returns how many were written."""
    spec = ENTITIES[entity]
    table = spec.sql_table
    query = select(table.c.id, *(table.c[name] for name in spec.fields)).where(~table.c.deleted)
    convert = _converter(entity)
    width = 1 + len(spec.fields) + sum(1 for f in spec.fields.values() if f.kind == "enum")
    insert = f"INSERT INTO {entity} VALUES ({', '.join('?' * width)})"
    written = 0
    options = {"stream_results": True, "yield_per": BATCH_ROWS}
    result = src.execute(query, execution_options=options)
    try:
        for batch in result.partitions(BATCH_ROWS):
            conn.executemany(insert, [convert(row) for row in batch])
            written += len(batch)
    finally:
        result.close()
    return written


def _fill_links(conn: sqlite3.Connection) -> None:
    """The link tables, from the list fields already written: every listed id that is a live
    row of its table, in list order (the first place wins when an id is listed twice)."""
    for entity, fname, link, _id_col, _target_col in LINKS:
        target = ENTITIES[entity].fields[fname].ref or ""
        try:
            # SQLite does the work without the rows passing through Python: CROSS JOIN keeps
            # the rows in table order, json_each gives each list in its order.
            conn.execute(
                f"INSERT OR IGNORE INTO {link} SELECT e.id, j.value, j.key FROM {entity} AS e "
                f"CROSS JOIN json_each(e.{fname}) AS j "
                f"WHERE j.type = 'text' AND j.value IN (SELECT id FROM {target})"
            )
        except sqlite3.OperationalError as exc:
            if "json_each" not in str(exc):
                raise
            _fill_link_in_python(conn, entity, fname, link, target)


def _fill_link_in_python(
    conn: sqlite3.Connection, entity: str, fname: str, link: str, target: str
) -> None:
    """The same as `_fill_links` where SQLite was built without its JSON functions."""
    read = conn.execute(f"SELECT id, {fname} FROM {entity} ORDER BY rowid")
    while batch := read.fetchmany(BATCH_ROWS):
        pairs = []
        for rid, text in batch:
            for i, tid in enumerate(json.loads(text or "[]")):
                if (
                    isinstance(tid, str)
                    and conn.execute(f"SELECT 1 FROM {target} WHERE id = ?", (tid,)).fetchone()
                ):
                    pairs.append((rid, tid, i))
        conn.executemany(f"INSERT OR IGNORE INTO {link} VALUES (?, ?, ?)", pairs)


def _build(conn: sqlite3.Connection, db: Database, app_version: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    docs: list[tuple[str, str, str]] = []
    with db.engine.connect() as src:
        for entity in ENTITY_ORDER:
            spec = ENTITIES[entity]
            cols = ["id TEXT PRIMARY KEY"]
            docs.append((entity, "", TABLE_DOC.get(entity, spec.label_plural)))
            docs.append((entity, "id", "Rækkens faste id (det samme i alle kopier af data)."))
            for fname, fspec in spec.fields.items():
                ref = f" REFERENCES {fspec.ref}(id)" if fspec.kind == "ref" else ""
                cols.append(f"{fname} {_sql_type(fspec.kind)}{ref}")
                extra = " (JSON-liste)" if fspec.kind in ("reflist", "intlist") else ""
                docs.append((entity, fname, fspec.label + extra))
                if fspec.kind == "enum":
                    cols.append(f"{fname}_navn TEXT")
                    docs.append((entity, f"{fname}_navn", f"{fspec.label} (som tekst)"))
            conn.execute(f"CREATE TABLE {entity} ({', '.join(cols)})")
            counts[entity] = _copy_rows(src, conn, entity)
    # Participants at a table marked anonymous are not named outside the app.
    conn.execute(
        "UPDATE deltager SET navn = NULL WHERE bord_id IN (SELECT id FROM bord WHERE anonym = 1)"
    )
    docs.append(("deltager", "navn", "Navn (tomt for deltagere ved anonyme borde)"))
    for entity, fname, link, id_col, target_col in LINKS:
        target = ENTITIES[entity].fields[fname].ref or ""
        conn.execute(
            f"CREATE TABLE {link} ({id_col} TEXT REFERENCES {entity}(id), "
            f"{target_col} TEXT REFERENCES {target}(id), raekkefoelge INTEGER, "
            f"PRIMARY KEY ({id_col}, {target_col}))"
        )
        docs.append((link, "", TABLE_DOC[link]))
    _fill_links(conn)
    for name, (doc, sql) in VIEWS.items():
        conn.execute(f"CREATE VIEW {name} AS {sql}")
        docs.append((name, "", doc))
    conn.execute("CREATE TABLE om_eksporten (noegle TEXT PRIMARY KEY, vaerdi TEXT)")
    conn.executemany(
        "INSERT INTO om_eksporten VALUES (?, ?)",
        [
            ("eksporteret", datetime.now().astimezone().isoformat(timespec="seconds")),
            ("program", f"udviklingsdag {app_version}"),
            ("kilde", db.display_target),
            ("formatversion", str(FORMAT_VERSION)),
            ("indhold", "Den aktuelle tilstand; slettede rækker og ændringsloggen er ikke med."),
        ],
    )
    docs.append(("om_eksporten", "", TABLE_DOC["om_eksporten"]))
    conn.execute(
        "CREATE TABLE dokumentation (objekt TEXT, kolonne TEXT, beskrivelse TEXT, "
        "PRIMARY KEY (objekt, kolonne))"
    )
    docs.append(("dokumentation", "", TABLE_DOC["dokumentation"]))
    conn.executemany("INSERT OR REPLACE INTO dokumentation VALUES (?, ?, ?)", docs)
    return counts


def export_sqlite(db: Database, path: Path | str, *, app_version: str = "") -> dict[str, int]:
    """Write the current state to a new SQLite file at `path` (replacing an older export
    atomically). Returns the number of rows per table."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise ExportError(f"{target} er en mappe. Angiv et filnavn, fx data.sqlite.")
    if target.exists() and _same_file(target, db):
        raise ExportError("Eksporten må ikke overskrive den database, der eksporteres fra.")
    guard_target(target, "sqlite")  # an open database's -wal/-shm, or a file not ours
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_error(exc, target.parent) from None
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        conn = sqlite3.connect(tmp)
        try:
            conn.execute("PRAGMA journal_mode=DELETE")
            with conn:
                counts = _build(conn, db, app_version)
        finally:
            conn.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        _unlink(tmp)
        raise write_error(exc, target.parent) from None
    except sqlite3.Error as exc:
        _unlink(tmp)
        if is_disk_full(exc):
            raise ExportError(disk_full_message(target, saved="Intet er gemt.")) from None
        raise ExportError(
            f"SQLite-filen {target} kunne ikke skrives: {exc}. Intet er gemt."
        ) from None
    except BaseException:
        _unlink(tmp)
        raise
    fsync_dir(target.parent)
    return counts


def _unlink(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
    for suffix in ("-journal", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            Path(str(path) + suffix).unlink()


def _same_file(target: Path, db: Database) -> bool:
    if "://" in db.target:
        return False
    try:
        return target.resolve() == Path(db.target).resolve()
    except OSError:
        return False
