"""Issue 11: a database with damaged indexes is named as damaged (with its newest backup and
what to do) and takes no import; a full disk is named as a full disk, with what to do, on the
command line, in the app and in the export's writer, never as «disk I/O error» or «prøv igen»."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import pytest

import models.db as models_db
from exports import atomic
from exports.xlsx import template_xlsx
from models.db import DamagedDatabaseError, backup_sqlite, open_database, quick_check
from models.errors import disk_full_error, disk_full_kind, is_disk_full
from tests.reliability._util import db_digest, file_digest
from tui.cli import main

# --- a database with damaged indexes -----------------------------------------------------------


def _damage_an_index(path: Path) -> str:
    """Write rubbish over the root page of one of the change log's indexes (the file stays a
    SQLite file whose schema and tables read fine). Returns the index's name."""
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = con.execute("PRAGMA page_size").fetchone()[0]
        name, root = con.execute(
            "SELECT name, rootpage FROM sqlite_master WHERE type = 'index' AND "
            "tbl_name = 'change' AND rootpage > 1 ORDER BY rootpage DESC LIMIT 1"
        ).fetchone()
    finally:
        con.close()
    with path.open("r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(bytes((i * 89 + 7) % 251 for i in range(page_size)))
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return name


def _filled_workbook(path: Path) -> Path:
    path.write_bytes(template_xlsx(when=date(2027, 1, 31)))
    wb = openpyxl.load_workbook(path)
    foer = wb["FØR"]
    foer["B3"], foer["B4"], foer["B5"] = "Målplan 2027", "Biblioteket", 2027
    hr = next(r for r in range(3, foer.max_row + 1) if foer.cell(r, 1).value == "Mål nr")
    foer.cell(hr + 1, 1).value = 1
    foer.cell(hr + 1, 2).value = "Flere læser."
    foer.cell(hr + 1, 4).value = "Flere unge låner bøger."
    wb.save(path)
    return path


def _listing(folder: Path) -> list[str]:
    """The files in a folder, leaving out an empty -wal and the -shm a reader of a WAL database
    creates (they hold nothing)."""
    return sorted(
        p.name
        for p in folder.iterdir()
        if not p.name.endswith("-shm") and not (p.name.endswith("-wal") and p.stat().st_size == 0)
    )


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A handoff file from another laptop and a filled workbook: both import into an intact
    database (checked by `test_the_same_files_import_into_an_intact_copy`)."""
    tmp_path = tmp_path_factory.mktemp("filer")
    other = tmp_path / "bord.db"
    assert main(["demo", "--no-open", "--db", str(other)]) == 0
    handoff = tmp_path / "bord.udviklingsdag.json"
    assert main(["bundle", "export", "--db", str(other), str(handoff)]) == 0
    return {"handoff": handoff, "workbook": _filled_workbook(tmp_path / "plan.xlsx")}


@pytest.fixture
def damaged(demo_db: Path) -> tuple[Path, Path, str]:
    """The demo database with a backup next to it (as the migration makes them), then an index
    damaged. Returns (database, backup, index name)."""
    backup = backup_sqlite(demo_db, "backup")
    name = _damage_an_index(demo_db)
    return demo_db, backup, name


def _imports(db: Path, files: dict[str, Path]) -> list[list[str]]:
    return [
        ["bundle", "import", "--fremmed", "--db", str(db), str(files["handoff"])],
        ["import", "--db", str(db), str(files["workbook"])],
    ]


def test_the_same_files_import_into_an_intact_copy(
    demo_db: Path, files: dict[str, Path], capsys
) -> None:
    for argv in _imports(demo_db, files):
        before = db_digest(demo_db)
        assert main(argv) == 0, capsys.readouterr().err
        assert db_digest(demo_db) != before
    capsys.readouterr()


def test_quick_check_finds_the_damage(damaged: tuple[Path, Path, str]) -> None:
    path, _backup, _name = damaged
    problems = quick_check(path)
    assert problems, "PRAGMA quick_check saw nothing"
    # Opening without the check would succeed (the schema and the device read fine).
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    assert con.execute("SELECT count(*) FROM device").fetchone()[0] >= 1
    con.close()


def test_open_names_the_damage_and_the_newest_backup(damaged: tuple[Path, Path, str]) -> None:
    path, backup, _name = damaged
    old = backup_sqlite(backup, "backup")  # an older copy: not the one to name
    os.utime(old, (1_700_000_000, 1_700_000_000))
    before = file_digest(path)
    listing = _listing(path.parent)
    with pytest.raises(DamagedDatabaseError) as info:
        open_database(str(path))
    message = str(info.value)
    assert "er beskadiget" in message and "Filen er ikke ændret" in message
    assert str(backup) in message and str(old) not in message and "--db" in message
    assert "integritetstjekket fandt" in message  # what the check saw, for whoever helps
    assert file_digest(path) == before
    assert _listing(path.parent) == listing


@pytest.mark.parametrize("n", [0, 1])
def test_no_import_into_a_damaged_database(
    damaged: tuple[Path, Path, str], files: dict[str, Path], n: int, capsys
) -> None:
    path, backup, _name = damaged
    before = file_digest(path)
    code = main(_imports(path, files)[n])
    err = capsys.readouterr().err
    assert code == 1
    assert "beskadiget" in err and str(backup) in err and "Traceback" not in err
    assert file_digest(path) == before


@pytest.mark.parametrize("n", [0, 1])
def test_a_large_database_is_checked_in_full_before_an_import(
    damaged: tuple[Path, Path, str], files: dict[str, Path], n: int, monkeypatch, capsys
) -> None:
    """A database too large to check within the open's time budget opens (unchecked) and is
    checked in full before the first import or merge: no import is taken."""
    path, backup, _name = damaged
    monkeypatch.setattr(models_db, "OPEN_CHECK_SECONDS", 0.0)
    db = open_database(str(path))
    assert not db.integrity_checked
    db.close()
    before = file_digest(path)
    code = main(_imports(path, files)[n])
    err = capsys.readouterr().err
    assert code == 1
    assert "beskadiget" in err and "ikke" in err and str(backup) in err
    assert file_digest(path) == before


def test_the_open_check_is_stopped_inside_one_long_step() -> None:
    """The open's time budget holds also where SQLite calls no progress handler: PRAGMA
    quick_check reads a large table in one step of its program (2.8 s on the ten-times
    municipality), so a timer interrupts the statement from outside. Here a long statement on
    a connection without a progress handler: only the timer can stop it."""
    con = sqlite3.connect(":memory:")
    try:
        stop = models_db._interrupt_after(con, 0.05)
        try:
            with pytest.raises(sqlite3.OperationalError, match="interrupt"):
                con.execute(
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                    " WHERE i < 10000000) SELECT max(i) FROM n"
                ).fetchall()
        finally:
            stop()
        # Cancelled: the next statement runs to its end.
        assert con.execute("SELECT 1").fetchall() == [(1,)]
    finally:
        con.close()


def test_sound_database_is_checked_once(demo_db: Path, monkeypatch) -> None:
    calls: list[object] = []
    real = models_db.quick_check

    def counting(path: Path, *, seconds: float | None = None) -> list[str] | None:
        calls.append(seconds)
        return real(path, seconds=seconds)

    monkeypatch.setattr(models_db, "quick_check", counting)
    db = open_database(str(demo_db))
    try:
        assert db.integrity_checked and calls == [models_db.OPEN_CHECK_SECONDS]
        models_db.ensure_intact(db)
        assert calls == [models_db.OPEN_CHECK_SECONDS]  # not again
    finally:
        db.close()


def test_the_app_shows_the_damage(damaged: tuple[Path, Path, str]) -> None:
    import asyncio

    from tui.app import UdviklingsdagApp

    path, backup, _name = damaged
    before = file_digest(path)

    async def run() -> str:
        app = UdviklingsdagApp(db_target=str(path))
        async with app.run_test(size=(100, 30)) as pilot:
            for _ in range(500):
                if type(app.screen).__name__ == "ErrorScreen":
                    break
                await pilot.pause(0.01)
            assert type(app.screen).__name__ == "ErrorScreen"
            return app.screen.message  # type: ignore[attr-defined]

    message = asyncio.run(run())
    assert "beskadiget" in message and str(backup) in message
    assert file_digest(path) == before


# --- a full disk -------------------------------------------------------------------------------


def test_every_form_of_full_disk_is_recognised() -> None:
    from sqlalchemy.exc import OperationalError

    full = sqlite3.connect(":memory:")
    full.execute("CREATE TABLE t (x)")
    page_count = full.execute("PRAGMA page_count").fetchone()[0]
    full.execute(f"PRAGMA max_page_count = {page_count}")
    with pytest.raises(sqlite3.Error) as sq:
        full.execute("INSERT INTO t VALUES (randomblob(100000))")
    assert "full" in str(sq.value)
    wrapped = OperationalError("INSERT ...", {}, sq.value)
    cases: list[BaseException] = [
        OSError(errno.ENOSPC, "No space left on device"),
        OSError(errno.EDQUOT, "Disk quota exceeded"),
        sq.value,
        wrapped,
    ]
    try:
        from psycopg import errors as pg_errors

        cases.append(pg_errors.DiskFull("could not extend file"))
    except ImportError:
        pass
    for exc in cases:
        assert is_disk_full(exc), exc
        message = str(disk_full_error(exc))
        assert message.startswith("Disken") and "er fuld" in message and "plads" in message
        assert "vist som gemt, er gemt" in message or "administrator" in message
    if len(cases) > 4:
        assert disk_full_kind(cases[-1]) == "server"
    for exc in (OSError(errno.EIO, "I/O"), sqlite3.OperationalError("disk I/O error"), KeyError()):
        assert not is_disk_full(exc)


def _page_limited_engine(monkeypatch, extra_pages: int) -> None:
    """Every engine the app makes gets `PRAGMA max_page_count` a few pages above the file's
    size: the next writes that need more space meet SQLITE_FULL, as on a full disk."""
    from sqlalchemy import event

    real = models_db.make_engine

    def make(target: str):
        engine = real(target)

        @event.listens_for(engine, "connect")
        def _limit(dbapi_conn, _record) -> None:
            pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
            dbapi_conn.execute(f"PRAGMA max_page_count = {pages + extra_pages}")

        return engine

    monkeypatch.setattr(models_db, "make_engine", make)


def test_full_database_file_on_the_command_line(
    demo_db: Path, files: dict[str, Path], monkeypatch, capsys
) -> None:
    _page_limited_engine(monkeypatch, extra_pages=1)
    before = db_digest(demo_db)
    code = main(["bundle", "import", "--fremmed", "--db", str(demo_db), str(files["handoff"])])
    err = capsys.readouterr().err
    assert code == 1
    assert "Disken er fuld" in err and "Frigør plads" in err, err
    assert "I/O" not in err and "uventet" not in err and "Traceback" not in err
    assert db_digest(demo_db) == before


def test_full_disk_while_writing_a_file(demo_db: Path, tmp_path: Path, monkeypatch, capsys):
    def no_space(path: Path, data: bytes) -> None:
        Path(path).write_bytes(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic, "write_bytes", no_space)
    target = tmp_path / "ud" / "overlevering.udviklingsdag.json"
    target.parent.mkdir()
    code = main(["bundle", "export", "--db", str(demo_db), str(target)])
    err = capsys.readouterr().err
    assert code == 1 and "Disken er fuld" in err and "Intet er gemt" in err, err
    assert list(target.parent.iterdir()) == []


def test_unexpected_full_disk_error_on_the_command_line(monkeypatch, capsys, tmp_path) -> None:
    """Whatever command meets it, a full disk that escapes as a raw error is named."""
    import tui.cli as cli

    def boom(_args) -> int:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(cli, "cmd_info", boom)
    assert main(["info", "--db", str(tmp_path / "x.db")]) == 1
    err = capsys.readouterr().err
    assert "Disken er fuld" in err and "uventet" not in err


def test_disk_io_error_on_a_full_drive_is_a_full_disk(monkeypatch, capsys, tmp_path) -> None:
    """SQLite says «disk I/O error» when a failed fsync or a -shm that cannot grow meets a full
    drive: with no space left on the database's drive, that is named as a full disk."""
    import models.errors as errors
    import tui.cli as cli

    def boom(_args) -> int:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(cli, "cmd_info", boom)
    monkeypatch.setattr(errors, "FULL_BELOW_BYTES", 1 << 62)  # every drive is «full»
    assert main(["info", "--db", str(tmp_path / "x.db")]) == 1
    assert "Disken er fuld" in capsys.readouterr().err
    monkeypatch.setattr(errors, "FULL_BELOW_BYTES", 0)  # no drive is
    assert main(["info", "--db", str(tmp_path / "x.db")]) == 1
    err = capsys.readouterr().err
    assert "Disken er fuld" not in err and "I/O" in err


def test_the_app_names_a_full_disk(demo_db: Path) -> None:
    import asyncio

    from tui.app import UdviklingsdagApp

    async def run() -> list[str]:
        app = UdviklingsdagApp(db_target=str(demo_db))
        async with app.run_test(size=(100, 30)) as pilot:
            app.report_error(sqlite3.OperationalError("database or disk is full"))
            await pilot.pause()
            return [n.message for n in app._notifications]

    messages = asyncio.run(run())
    assert any(m.startswith("Disken er fuld") for m in messages), messages


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("mount"), reason="needs root to mount")
def test_a_real_full_disk(demo_db: Path, tmp_path: Path, capsys) -> None:
    """A real 64 KB tmpfs: the pack does not fit, the message says so and nothing is left."""
    mnt = tmp_path / "usb"
    mnt.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip("tmpfs cannot be mounted here")
    try:
        code = main(["bundle", "export", "--pack", "--db", str(demo_db), str(mnt / "p.json")])
        err = capsys.readouterr().err
        assert code == 1 and "Disken er fuld" in err, err
        assert list(mnt.iterdir()) == []
    finally:
        subprocess.run(["umount", str(mnt)], check=False)
