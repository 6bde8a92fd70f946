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
