"""Opening databases: migrations with backup, newer versions refused, foreign files untouched."""

from __future__ import annotations

import hashlib
import sqlite3
import stat
from pathlib import Path

import pytest

from models.db import list_backups, make_engine, open_database, upgrade_schema
from models.errors import DatabaseError, NewerDatabaseError
from models.migrations import HEAD_REVISION, SCRIPT_LOCATION


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_head_constant_matches_alembic():
    from alembic.script import ScriptDirectory

    assert ScriptDirectory(SCRIPT_LOCATION).get_current_head() == HEAD_REVISION


def test_first_revision_database_is_upgraded_after_a_backup(tmp_path):
    path = tmp_path / "gammel.db"
    engine = make_engine(str(path))
    upgrade_schema(engine, "0001")
    engine.dispose()
    con = sqlite3.connect(path)
    con.execute(
        "insert into enhed (id, navn, type, deleted) values ('e1', 'Egeskolen', 'enhed', 0)"
    )
    con.commit()
    con.close()

    db = open_database(str(path))
    try:
        assert db.revision == HEAD_REVISION
        assert db.backup_path is not None and db.backup_path.exists()
        with sqlite3.connect(db.backup_path) as b:
            assert b.execute("select version_num from alembic_version").fetchone()[0] == "0001"
        with sqlite3.connect(path) as c:
            assert c.execute("select navn from enhed").fetchone()[0] == "Egeskolen"
            assert c.execute("select count(*) from import_ledger").fetchone()[0] == 0
        assert list_backups(path) == [db.backup_path]
    finally:
        db.close()
    # A current database opens without another backup.
    db = open_database(str(path))
    assert db.backup_path is None
    db.close()


def test_newer_database_is_refused_and_untouched(tmp_path):
    path = tmp_path / "ny.db"
    open_database(str(path)).close()
    with sqlite3.connect(path) as c:
        c.execute("update alembic_version set version_num = '9999'")
    before = _digest(path)
    with pytest.raises(NewerDatabaseError, match="nyere version"):
        open_database(str(path))
    assert _digest(path) == before


@pytest.mark.parametrize("content", [b"hej med dig\n" * 10, b"PK\x03\x04 not sqlite"])
def test_foreign_file_is_refused_and_untouched(tmp_path, content):
    path = tmp_path / "noget.db"
    path.write_bytes(content)
    with pytest.raises(DatabaseError, match="ikke en database fra udviklingsdag"):
        open_database(str(path))
    assert path.read_bytes() == content


def test_other_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "andet.db"
    with sqlite3.connect(path) as c:
        c.execute("create table kunder (id integer)")
    before = _digest(path)
    with pytest.raises(DatabaseError, match="ikke er lavet af udviklingsdag"):
        open_database(str(path))
    assert _digest(path) == before


def test_corrupt_database_names_the_newest_backup(tmp_path):
    path = tmp_path / "data.db"
    open_database(str(path)).close()
    backup = path.with_name("data.backup-20261201-101010.db")
    backup.write_bytes(path.read_bytes())
    raw = bytearray(path.read_bytes())
    raw[100:4096] = b"\xff" * (4096 - 100)
    raw[16:18] = b"\x00\x00"
    path.write_bytes(bytes(raw))
    before = _digest(path)
    with pytest.raises(DatabaseError) as info:
        open_database(str(path))
    assert "beskadiget" in str(info.value)
    assert str(backup) in str(info.value)
    assert _digest(path) == before


def test_new_database_is_owner_only_and_uses_the_pragmas(tmp_path):
    path = tmp_path / "sub" / "ny.db"
    db = open_database(str(path))
    try:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("pragma journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("pragma synchronous").scalar() == 2
            assert conn.exec_driver_sql("pragma foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("pragma busy_timeout").scalar() > 0
    finally:
        db.close()


def test_directory_as_database_is_refused(tmp_path):
    with pytest.raises(DatabaseError, match="mappe"):
        open_database(str(tmp_path))


def test_database_in_read_only_folder(tmp_path):
    import os

    folder = tmp_path / "laast"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.geteuid() == 0:
            pytest.skip("root ignores folder permissions")
        with pytest.raises(DatabaseError, match="adgang"):
            open_database(str(folder / "x.db"))
    finally:
        folder.chmod(0o700)


def test_postgres_errors_never_show_the_password():
    from tests.conftest import pg_url

    base = pg_url()
    if base is None:
        pytest.skip("ingen PostgreSQL-server")
    url = base.replace("postgres@", "postgres:HemmeligKode42@").replace(
        "/postgres?", "/findes_ikke_db?"
    )
    with pytest.raises(DatabaseError) as info:
        open_database(url)
    assert "HemmeligKode42" not in str(info.value)
    assert "findes ikke" in str(info.value)


def test_unknown_url_scheme_is_refused():
    with pytest.raises(DatabaseError, match="hverken en filsti"):
        open_database("mysql://bruger:pw@host/db")


def test_postgres_database_at_first_revision_is_upgraded_and_newer_refused():
    import uuid

    from sqlalchemy import create_engine, text

    from tests.conftest import pg_url

    base = pg_url()
    if base is None:
        pytest.skip("ingen PostgreSQL-server")
    name = f"udv_mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(
        base.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.replace("/postgres?", f"/{name}?")
    try:
        engine = make_engine(url)
        upgrade_schema(engine, "0001")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "insert into enhed (id, navn, type, deleted)"
                    " values ('e1', 'Egeskolen', 'enhed', false)"
                )
            )
        engine.dispose()
        db = open_database(url)
        assert db.revision == HEAD_REVISION
        with db.engine.connect() as conn:
            assert conn.execute(text("select navn from enhed")).scalar() == "Egeskolen"
            assert conn.execute(text("select count(*) from import_ledger")).scalar() == 0
        with db.engine.begin() as conn:
            conn.execute(text("update alembic_version set version_num = '9999'"))
        db.close()
        with pytest.raises(NewerDatabaseError):
            open_database(url)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
