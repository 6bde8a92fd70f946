"""What the home screen shows (the udviklingsdage with their borde, the counts, the remembered
choices), read with plain SQL that SQLite and PostgreSQL both run.

Plain SQL and only the standard library, so that `quick_home` can draw the first screen from a
SQLite file while SQLAlchemy and the write API are still loading in the background (issue 6:
the first screen must not wait for the database layer). With a `Database` the same queries run
through SQLAlchemy (`run_on`), so there is one reading of these numbers, not two."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import settings
from .migrations import HEAD_REVISION
from .records_home import Bord, Counts, HomeSnapshot, Udviklingsdag, UdviklingsdagOverview

if TYPE_CHECKING:
    from .db import Database

Run = Callable[[str], list[tuple[Any, ...]]]

# Keys of `udviklingsdag info --json` → (table, extra condition).
COUNTS: dict[str, tuple[str, str]] = {
    "direktoeromraader": ("enhed", "type = 'direktoeromraade'"),
    "afdelinger": ("enhed", "type = 'afdeling'"),
    "enheder": ("enhed", "type = 'enhed'"),
    "maalsaetninger": ("maalsaetning", ""),
    "maal": ("maal", ""),
    "tegn": ("tegn", ""),
    "proevehandlinger": ("proevehandling", ""),
    "samarbejder": ("samarbejde", ""),
    "evalueringer": ("evaluering", ""),
    "maalplaner": ("maalplan", ""),
    "udviklingsdage": ("udviklingsdag", ""),
    "borde": ("bord", ""),
    "noter": ("note", ""),
}


def counts(run: Run) -> dict[str, int]:
    """Counts of live (not deleted) rows, keyed as in `udviklingsdag info --json`."""
    parts = [
        f"SELECT '{key}', count(*) FROM {table} WHERE NOT deleted"
        + (f" AND {extra}" if extra else "")
        for key, (table, extra) in COUNTS.items()
    ]
    found = {key: int(n) for key, n in run(" UNION ALL ".join(parts))}
    return {key: found.get(key, 0) for key in COUNTS}


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _ids(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return ()
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def udviklingsdage(run: Run) -> tuple[UdviklingsdagOverview, ...]:
    """Every live udviklingsdag (by date, then title) with its programme's length and its
    borde (in their order)."""
    days = [
        Udviklingsdag(
            str(i), titel or "", dagdel or "del1", _date(dato), starttid or "", udfordring, sted
        )
        for i, titel, dagdel, dato, starttid, udfordring, sted in run(
            "SELECT id, titel, dagdel, dato, starttid, udfordring, sted"
            " FROM udviklingsdag WHERE NOT deleted"
        )
    ]
    # Python compares str by code point, which is the bytewise UTF-8 order the rest uses.
    days.sort(key=lambda d: (d.dato is None, d.dato or date.min, d.titel, d.id))
    borde = sorted(
        run(
            "SELECT id, udviklingsdag_id, navn, facilitator, maal_ids, anonym, position,"
            " maalsaetning_ids FROM bord WHERE NOT deleted"
        ),
        key=lambda r: (r[6], r[0]),
    )
    blokke = run("SELECT udviklingsdag_id, minutter FROM programblok WHERE NOT deleted")
    out = []
    for day in days:
        mine = [int(m or 0) for dag, m in blokke if dag == day.id]
        out.append(
            UdviklingsdagOverview(
                day,
                sum(mine),
                len(mine),
                tuple(
                    Bord(
                        str(i),
                        dag,
                        navn or "",
                        facilitator,
                        _ids(maal_ids),
                        bool(anonym),
                        _ids(maalsaetning_ids),
                    )
                    for i, dag, navn, facilitator, maal_ids, anonym, _, maalsaetning_ids in borde
                    if dag == day.id
                ),
            )
        )
    return tuple(out)


_HOME_SETTINGS = (
    settings.THEME,
    settings.CHOSEN_UDVIKLINGSDAG,
    settings.CHOSEN_BORD,
    settings.DEVICE_NAMED,
)


def home(run: Run, device_name: str, target: str, *, with_counts: bool = True) -> HomeSnapshot:
    """Everything the home screen shows, in one read; without `with_counts` the counts (a
    count over every big table, the slow part on a large database) are left out (None)."""
    keys = ", ".join(f"'{s.key}'" for s in _HOME_SETTINGS)  # constants, not user text
    stored: dict[str, str | None] = dict(run(f"SELECT key, value FROM meta WHERE key IN ({keys})"))
    return HomeSnapshot(
        days=udviklingsdage(run),
        counts=Counts(**counts(run)) if with_counts else None,
        device=device_name,
        target=target,
        theme=settings.THEME.read(stored.get(settings.THEME.key)),
        chosen_udviklingsdag=settings.CHOSEN_UDVIKLINGSDAG.read(
            stored.get(settings.CHOSEN_UDVIKLINGSDAG.key)
        ),
        chosen_bord=settings.CHOSEN_BORD.read(stored.get(settings.CHOSEN_BORD.key)),
        device_named=settings.DEVICE_NAMED.read(stored.get(settings.DEVICE_NAMED.key)),
    )


@contextmanager
def run_on(db: Database) -> Iterator[Run]:
    """A `Run` on an open database (SQLite or PostgreSQL), for the `with` block."""
    with db.engine.connect() as conn:
        yield lambda sql: [tuple(r) for r in conn.exec_driver_sql(sql)]


def home_of(db: Database) -> HomeSnapshot:
    """The home screen's read on an open database (SQLite or PostgreSQL)."""
    with run_on(db) as run:
        return home(run, db.device_name, db.display_target)


def quick_home(path: str | Path, *, with_counts: bool = True) -> HomeSnapshot | None:
    """The home screen's data straight from a SQLite file with the standard library, or None
    when that is not the safe thing to do (no file yet, another schema version, a file that
    is not ours or cannot be read): then the app opens the database the normal way first.
    The app's first frame reads it `with_counts=False`: the counts follow once the database
    is open (on a large municipality they are most of this read's time)."""
    path = Path(path).expanduser()
    if not path.is_file():
        return None
    try:
        # Read-only; the normal open (migrations, pragmas, device) runs in the background.
        # A short wait: this runs before the first frame, and a locked file simply takes
        # the normal way (a loading screen while the open waits for the lock).
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.25)
    except (sqlite3.Error, ValueError, OSError):
        return None
    try:
        run: Run = lambda sql: conn.execute(sql).fetchall()  # noqa: E731
        if run("SELECT version_num FROM alembic_version") != [(HEAD_REVISION,)]:
            return None
        local = run("SELECT navn FROM device WHERE is_local")
        if len(local) != 1:
            return None
        return home(run, local[0][0], str(path), with_counts=with_counts)
    except (sqlite3.Error, ValueError, TypeError):
        return None
    finally:
        conn.close()
