"""The home screen's read (models/overview.py): the same answer from the plain standard-library
read of a SQLite file as through the database layer, and no answer (so the app opens the
database the normal way first) whenever the plain read is not safe."""

from __future__ import annotations

import sqlite3
import sys
from datetime import date

import pytest

from models import overview, settings
from models.db import make_engine, open_database, upgrade_schema
from models.store import Store

BOTH_BACKENDS = True


def _workshop(store: Store) -> dict[str, str]:
    ids: dict[str, str] = {}
    ids["enhed"] = store.create("enhed", navn="Egeskolen", type="enhed")
    ids["gone"] = store.create("enhed", navn="Lukket skole", type="enhed")
    ids["ms"] = store.create("maalsaetning", tekst="Flere trives.", kilde="politik")
    ids["maal"] = store.create(
        "maal", maalsaetning_id=ids["ms"], enhed_id=ids["enhed"], tekst="Alle har en voksen."
    )
    ids["late"] = store.create("udviklingsdag", titel="B-dag", dagdel="del2")
    ids["day"] = store.create(
        "udviklingsdag", titel="Æblerne · del 1", dagdel="del1", dato=date(2026, 12, 3)
    )
    for n, navn in enumerate(["Bord 2", "Bord 1"]):
        ids[f"bord{n}"] = store.create(
            "bord", udviklingsdag_id=ids["day"], navn=navn, maal_ids=[ids["maal"]]
        )
    store.create("programblok", udviklingsdag_id=ids["day"], titel="Velkomst", minutter=20)
    store.create("programblok", udviklingsdag_id=ids["day"], titel="Tegn", minutter=45)
    store.delete("enhed", ids["gone"])
    store.set_setting(settings.CHOSEN_UDVIKLINGSDAG.key, ids["day"])
    return ids


def test_home_read_through_the_database_layer(db):
    store = Store(db)
    ids = _workshop(store)
    home = overview.home_of(db)
    assert [d.dag.titel for d in home.days] == ["Æblerne · del 1", "B-dag"]  # dated first
    day = home.days[0]
    assert day.dag.dato == date(2026, 12, 3)
    assert [b.navn for b in day.borde] == ["Bord 2", "Bord 1"]  # their order, not names
    assert day.borde[0].maal_ids == (ids["maal"],)
    assert (day.minutter, day.blokke) == (65, 2)
    assert home.days[1].borde == () and home.days[1].dag.dato is None
    assert home.counts.enheder == 1  # the deleted one is not counted
    assert home.counts.maal == 1 and home.counts.borde == 2
    assert home.chosen_udviklingsdag == ids["day"] and home.chosen_bord is None
    assert home.theme == settings.DARK_THEME and not home.device_named
    assert home.device == "Testbærbar"


@pytest.mark.sqlite_only
def test_quick_read_of_the_file_gives_the_same_answer(db, db_path):
    _workshop(Store(db))
    assert overview.quick_home(db_path) == overview.home_of(db)


@pytest.mark.sqlite_only
def test_quick_read_does_not_load_sqlalchemy(db_path, tmp_path):
    import subprocess

    db = open_database(str(db_path))
    _workshop(Store(db))
    db.close()
    code = (
        "import sys; from models.overview import quick_home; "
        f"assert quick_home({str(db_path)!r}).counts.maal == 1; "
        "print(sorted(m for m in sys.modules if m.startswith(('sqlalchemy', 'sqlmodel'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


@pytest.mark.sqlite_only
def test_quick_read_declines_what_it_should_not_read(tmp_path):
    assert overview.quick_home(tmp_path / "findes-ikke.db") is None
    empty = tmp_path / "tom.db"
    empty.write_bytes(b"")
    assert overview.quick_home(empty) is None
    junk = tmp_path / "ikke-sqlite.db"
    junk.write_bytes(b"Dette er et regneark, ikke en database\n" * 200)
    assert overview.quick_home(junk) is None
    foreign = tmp_path / "fremmed.db"
    con = sqlite3.connect(foreign)
    con.execute("create table kunder (id integer)")
    con.commit()
    con.close()
    assert overview.quick_home(foreign) is None
    # An older schema must be upgraded (after a backup) before anything is shown from it.
    old = tmp_path / "gammel.db"
    engine = make_engine(str(old))
    upgrade_schema(engine, "0001")
    engine.dispose()
    assert overview.quick_home(old) is None
    # Our database with no device yet (the normal open adds it).
    con = sqlite3.connect(old)
    con.execute("update alembic_version set version_num = '0002'")
    con.commit()
    con.close()
    assert overview.quick_home(old) is None
    # Files that are not ours are left exactly as they were, with nothing beside them.
    assert junk.read_bytes() == b"Dette er et regneark, ikke en database\n" * 200
    assert empty.read_bytes() == b""
    beside = {p.name for p in tmp_path.iterdir() if p.name.endswith(("-wal", "-shm", "-journal"))}
    assert not beside & {f"{f.name}{s}" for f in (empty, junk, foreign) for s in ("-wal", "-shm")}
