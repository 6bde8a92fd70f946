"""The standalone SQLite export: tables of the current state, link tables, readable views and
its own documentation."""

from __future__ import annotations

import sqlite3

import pytest

from exports.atomic import ExportError
from exports.sqlite_export import VIEWS, export_sqlite
from tui.cli import main

BOTH_BACKENDS = True


def test_tables_views_and_documentation(plan_store, tmp_path):
    store, ids = plan_store
    store.delete("maal", ids["m2"])
    target = tmp_path / "data.sqlite"
    counts = export_sqlite(store.db, target, app_version="test")
    assert counts["maal"] == 1  # the deleted mål is not there
    conn = sqlite3.connect(target)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='view'")}
    assert set(VIEWS) <= names
    row = conn.execute(
        "SELECT enhed, maal, antal_tegn, antal_proevehandlinger, antal_samarbejder FROM v_maal"
    ).fetchone()
    assert row == (
        "Børnehuset Ærø & Å",
        "Alle børn har en voksen, de går til, inden udgangen af 2027.",
        2,
        1,
        1,
    )
    pairs = conn.execute(
        "SELECT enhed, partner, niveau FROM v_samarbejde ORDER BY partner"
    ).fetchall()
    assert pairs == [
        ("Børnehuset Ærø & Å", "Kulturhuset", "Samskabelsesniveau"),
        ("Børnehuset Ærø & Å", "Sundhedsplejen Øst", "Samskabelsesniveau"),
    ]
    assert conn.execute("SELECT count(*) FROM proevehandling_tegn").fetchone() == (2,)
    assert conn.execute(
        "SELECT sagsnummer, antal_maal FROM v_maalplan WHERE maalplan_id=?", (ids["plan"],)
    ).fetchone() == ("00.01.00-G01-12-27", 1)
    documented = {r[0] for r in conn.execute("SELECT objekt FROM dokumentation")}
    assert {"maal", "v_maal", "v_samarbejde", "samarbejde_partner"} <= documented
    # Not the change log: only the current state travels.
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "change" not in tables and "field_head" not in tables
    conn.close()


def test_maalinger_laering_and_status_views(plan_store, tmp_path):
    """The year's data (issue 15): målinger with their tegn, mål, enhed and plan; a tegn's
    latest måling beside its baseline; læring on a prøvehandling or the whole plan; the
    prøvehandling's status with its date."""
    from datetime import date

    store, ids = plan_store
    store.create("maaling", tegn_id=ids["t1"], dato=date(2027, 1, 31), vaerdi=72.5, hvem="Bo")
    store.create("maaling", tegn_id=ids["t1"], dato=date(2027, 2, 28), vaerdi=80)
    store.create("maaling", tegn_id=ids["t2"], dato=date(2027, 2, 1), observation="Roligt.")
    store.create("laering", proevehandling_id=ids["ph"], dato=date(2027, 3, 1), tekst="Små skridt.")
    store.create("laering", maalplan_id=ids["plan"], dato=date(2027, 3, 2), tekst="Mål hver md.")
    store.update("proevehandling", ids["ph"], status="i_gang", status_dato=date(2027, 2, 1))
    target = tmp_path / "aaret.sqlite"
    counts = export_sqlite(store.db, target)
    assert (counts["maaling"], counts["laering"]) == (3, 2)
    conn = sqlite3.connect(target)
    rows = conn.execute(
        "SELECT dato, vaerdi, observation, registreret_af, tegn_type, udgangspunkt, enhed, aar "
        "FROM v_maaling ORDER BY dato"
    ).fetchall()
    assert rows == [
        ("2027-01-31", 72.5, None, "Bo", "Kvantitativ", "70 %", "Børnehuset Ærø & Å", 2027),
        ("2027-02-01", None, "Roligt.", None, "Kvalitativ", None, "Børnehuset Ærø & Å", 2027),
        ("2027-02-28", 80.0, None, None, "Kvantitativ", "70 %", "Børnehuset Ærø & Å", 2027),
    ]
    latest = conn.execute(
        "SELECT antal_maalinger, foerste_dato, seneste_dato, seneste_vaerdi, forventet_niveau "
        "FROM v_tegn_maalinger WHERE tegn_id = ?",
        (ids["t1"],),
    ).fetchone()
    assert latest == (2, "2027-01-31", "2027-02-28", 80.0, "90 %")
    laering = conn.execute(
        "SELECT laering, proevehandling IS NULL, enhed, maalplan FROM v_laering ORDER BY dato"
    ).fetchall()
    assert [(r[0], r[1], r[2]) for r in laering] == [
        ("Små skridt.", 0, "Børnehuset Ærø & Å"),
        ("Mål hver md.", 1, "Børnehuset Ærø & Å"),
    ]
    # The plan's own læring and the prøvehandling's name the same målplan.
    assert laering[0][3] == laering[1][3] is not None
    status = conn.execute(
        "SELECT status, status_dato, antal_laeringer FROM v_proevehandling"
    ).fetchone()
    assert status == ("I gang", "2027-02-01", 1)
    documented = {r[0] for r in conn.execute("SELECT objekt FROM dokumentation")}
    assert {"maaling", "laering", "v_maaling", "v_tegn_maalinger", "v_laering"} <= documented
    conn.close()


def test_replaces_atomically_and_refuses_own_database(plan_store, tmp_path, db_target):
    store, _ids = plan_store
    target = tmp_path / "data.sqlite"
    export_sqlite(store.db, target)  # an older export: replaced (another kind of file never is)
    older = target.read_bytes()
    export_sqlite(store.db, target)
    assert older.startswith(b"SQLite format 3")
    assert target.read_bytes().startswith(b"SQLite format 3")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    if store.db.is_sqlite:
        with pytest.raises(ExportError, match="må ikke overskrive"):
            export_sqlite(store.db, db_target)
    with pytest.raises(ExportError, match="er en mappe"):
        export_sqlite(store.db, tmp_path)


def test_cli(plan_store, tmp_path, db_target, capsys):
    assert main(["export", "sqlite", "--db", db_target, str(tmp_path / "ud.sqlite")]) == 0
    assert "SQLite-filen er skrevet" in capsys.readouterr().out
    # A folder: the file is named by the day inside it, as the app's «SQLite-fil» names it
    # (it was refused: «er en mappe»).
    folder = tmp_path / "eksport æøå"
    folder.mkdir()
    assert main(["export", "sqlite", "--db", db_target, str(folder)]) == 0
    (written,) = folder.glob("udviklingsdag-*.sqlite")
    assert str(written) in capsys.readouterr().out
    assert written.read_bytes().startswith(b"SQLite format 3")
