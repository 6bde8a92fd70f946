"""Environment faults: a full disk and a read-only folder while exporting (simulated), a
read-only database folder, two processes writing one database at once, a database from a newer
version, a corrupt database file, and the no-network guard of the test session itself."""

from __future__ import annotations

import errno
import os
import shutil
import socket
import sqlite3
import subprocess
from pathlib import Path

import pytest

from bench.generate import copy_sqlite
from models.db import backup_sqlite, open_database
from models.errors import DatabaseError, NewerDatabaseError, UdviklingsdagError
from models.store import Store

from ._util import db_digest, file_digest, fork_and_kill, integrity, scalar

ROOT = Path(__file__).resolve().parents[2]


def _small_db(path: Path) -> str:
    db = open_database(str(path), device_name="Bord 2")
    try:
        store = Store(db)
        e = store.create("enhed", navn="Egeskolen", type="enhed")
        ms = store.create("maalsaetning", tekst="Flere børn trives.")
        m = store.create("maal", maalsaetning_id=ms, enhed_id=e, tekst="Alle har en ven.")
        store.create("tegn", maal_id=m, tekst="Børnene hilser.")
        return m
    finally:
        db.close()


def _folder_listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _without_empty_wal(folder: Path) -> list[str]:
    """The listing, leaving out SQLite's -shm files and empty -wal files: a read-only look at a
    WAL database may create them; they hold nothing."""
    out = []
    for p in sorted(folder.rglob("*")):
        if p.name.endswith("-shm") or (p.name.endswith("-wal") and p.stat().st_size == 0):
            continue
        out.append(str(p.relative_to(folder)))
    return out


# --- no network ---------------------------------------------------------------------------------


def test_network_guard_fires() -> None:
    """The autouse fixture in tests/conftest.py refuses every network connection."""
    with pytest.raises(AssertionError, match="Netværksforbindelse"):
        socket.create_connection(("127.0.0.1", 9), timeout=1)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        with pytest.raises(AssertionError, match="Netværksforbindelse"):
            sock.connect(("192.0.2.1", 53))
        with pytest.raises(AssertionError, match="Netværksforbindelse"):
            sock.connect_ex(("192.0.2.1", 53))
    finally:
        sock.close()


def test_unix_sockets_still_work(tmp_path: Path) -> None:
    """The guard lets local unix sockets through (the test PostgreSQL server uses one)."""
    path = str(tmp_path / "s")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(1)
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        client.connect(path)
    finally:
        client.close()
        server.close()


# --- exports to a full disk or a read-only folder ------------------------------------------------


def _fail_with(code: int):
    def fail(*_a: object, **_k: object) -> None:
        raise OSError(code, os.strerror(code))

    return fail


@pytest.mark.parametrize(
    ("code", "words"),
    [(errno.ENOSPC, "plads"), (errno.EROFS, "skrivebeskyttet"), (errno.EACCES, "adgang")],
)
def test_handoff_export_to_full_or_read_only_disk(
    code: int, words: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writing a handoff file fails cleanly: a Danish message, no file, no temp file left, and an
    older file of the same name kept as it was."""
    import exports.atomic as atomic
    import exports.bundle as bundle

    db_path = tmp_path / "bord.db"
    _small_db(db_path)
    out = tmp_path / "usb"
    out.mkdir()
    target = out / "overlevering.udviklingsdag.json"
    # An older file of the same kind (a file of another kind is never replaced: issue 11).
    target.write_bytes(b'{"format": "udviklingsdag-bundle"} den gamle fil')
    before = _folder_listing(out)
    db = open_database(str(db_path))
    try:
        # The bundle writes through exports.atomic, as every export does.
        monkeypatch.setattr(atomic.os, "fsync", _fail_with(code))
        with pytest.raises(bundle.BundleError) as info:
            bundle.write_handoff(db, target)
    finally:
        monkeypatch.undo()
        db.close()
    assert words in str(info.value)
    assert _folder_listing(out) == before
    assert target.read_bytes() == b'{"format": "udviklingsdag-bundle"} den gamle fil'


def _export_fixture(tmp_path: Path) -> tuple[Path, list[str]]:
    from models.demo import build_demo
    from models.queries import maalplaner_overview

    path = tmp_path / "demo.db"
    db = open_database(str(path))
    try:
        build_demo(Store(db))
        return path, [p.id for p in maalplaner_overview(db)]
    finally:
        db.close()


@pytest.mark.parametrize(
    ("code", "words"),
    [(errno.ENOSPC, "ikke plads nok"), (errno.EROFS, "skrivebeskyttet"), (errno.EIO, "Drevet")],
)
def test_sbsys_export_to_full_or_read_only_disk(
    code: int, words: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failing write part-way through an SBSYS export leaves the folder as it was."""
    import exports.sbsys as sbsys

    db_path, ids = _export_fixture(tmp_path)
    out = tmp_path / "eksport"
    out.mkdir()
    (out / "gammel.txt").write_text("fra sidste år")
    before = _folder_listing(out)
    real = sbsys.write_bytes
    calls = {"n": 0}

    def flaky(path: Path, data: bytes) -> None:
        calls["n"] += 1
        if calls["n"] > 3:  # the first package is half written when the disk fills up
            raise OSError(code, os.strerror(code))
        real(path, data)

    monkeypatch.setattr(sbsys, "write_bytes", flaky)
    db = open_database(str(db_path))
    try:
        with pytest.raises(UdviklingsdagError) as info:
            sbsys.export_sbsys(db, out, ids, sbsys.ExportOptions(workers=1))
    finally:
        db.close()
    assert calls["n"] > 3
    assert words in str(info.value)
    assert "Intet" in str(info.value)
    assert _folder_listing(out) == before


def test_sbsys_export_to_read_only_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The staging folder cannot even be made: a Danish message and nothing written."""
    import exports.atomic as atomic
    import exports.sbsys as sbsys

    db_path, ids = _export_fixture(tmp_path)
    out = tmp_path / "skrivebeskyttet"
    out.mkdir()
    monkeypatch.setattr(atomic.tempfile, "mkdtemp", _fail_with(errno.EROFS))
    db = open_database(str(db_path))
    try:
        with pytest.raises(UdviklingsdagError, match="skrivebeskyttet"):
            sbsys.export_sbsys(db, out, ids, sbsys.ExportOptions(workers=1))
    finally:
        db.close()
    assert _folder_listing(out) == []


# --- the database folder read-only -------------------------------------------------------------


def _immutable(path: Path, on: bool) -> bool:
    """Set or clear the immutable attribute (ext4 and most Linux file systems): unlike the
    permission bits, it stops root too."""
    chattr = shutil.which("chattr")
    if chattr is None:
        return False
    proc = subprocess.run([chattr, "+i" if on else "-i", str(path)], capture_output=True)
    return proc.returncode == 0


def test_database_in_read_only_folder(tmp_path: Path) -> None:
    """A database whose folder cannot be written (SQLite cannot make its -wal file): a Danish
    message, and the file is untouched. Root ignores permission bits, so the folder is made
    immutable instead (`chattr +i`), which stops every user."""
    folder = tmp_path / "skrivebeskyttet"
    folder.mkdir()
    path = folder / "udviklingsdag.db"
    _small_db(path)
    assert not Path(f"{path}-wal").exists()
    before = file_digest(path)
    if not _immutable(folder, True):
        pytest.skip("chattr +i virker ikke på dette filsystem")
    try:
        with pytest.raises(DatabaseError) as info:
            open_database(str(path))
    finally:
        _immutable(folder, False)
    assert "kan ikke skrives" in str(info.value)
    assert file_digest(path) == before
    assert sorted(p.name for p in folder.iterdir()) == ["udviklingsdag.db"]


def test_database_folder_cannot_be_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new database in a folder that cannot be created (read-only drive): a Danish message."""
    import models.db as mdb

    def refuse(*_a: object, **_k: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(mdb.Path, "mkdir", refuse)
    with pytest.raises(DatabaseError, match="ikke adgang til at oprette databasen"):
        open_database(str(tmp_path / "ny" / "udviklingsdag.db"))


# --- two writers on one file --------------------------------------------------------------------


def test_two_processes_write_one_database_at_once(tmp_path: Path) -> None:
    """Two Store objects in two processes (two app instances) type into the same file at the
    same time: every edit of both is there."""
    path = tmp_path / "delt.db"
    maal_id = _small_db(path)
    per_writer = 60

    def writer(tag: str):
        def work(report) -> None:  # type: ignore[no-untyped-def]
            db = open_database(str(path))
            store = Store(db)
            report("ready")
            for n in range(per_writer):
                rid = store.create("tegn", maal_id=maal_id, tekst=f"{tag}-{n}")
                store.update("tegn", rid, baseline=f"{n} %")
                report(rid)
            db.close()

        return work

    # Both writers start at once (A from a forked helper, B from here); each is given ample
    # time to finish (no kill intended).
    pid_a = os.fork()
    if pid_a == 0:
        try:
            lines, done = fork_and_kill(writer("a"), 60)
            os._exit(0 if done and len(lines) == per_writer else 1)
        finally:
            os._exit(2)
    lines_b, done_b = fork_and_kill(writer("b"), 60)
    _, status = os.waitpid(pid_a, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert done_b and len(lines_b) == per_writer
    assert integrity(path) == "ok"
    con = sqlite3.connect(path)
    try:
        texts = {r[0] for r in con.execute("SELECT tekst FROM tegn")}
        baselines = con.execute("SELECT count(*) FROM tegn WHERE baseline IS NOT NULL").fetchone()
    finally:
        con.close()
    for tag in "ab":
        assert {f"{tag}-{n}" for n in range(per_writer)} <= texts
    assert baselines[0] == 2 * per_writer
    assert scalar(path, "SELECT count(DISTINCT device_id) FROM change") == 1


# --- a newer database, a corrupt database ------------------------------------------------------


def test_database_from_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "nyere.db"
    _small_db(path)
    con = sqlite3.connect(path)
    with con:
        con.execute("UPDATE alembic_version SET version_num = '9999_fremtiden'")
    con.close()
    before = file_digest(path)
    files = _folder_listing(tmp_path)
    with pytest.raises(NewerDatabaseError, match="nyere version"):
        open_database(str(path))
    assert file_digest(path) == before
    assert _without_empty_wal(tmp_path) == files


def _corrupt(path: Path) -> None:
    """Overwrite the file's schema page (after the 100-byte header) with rubbish."""
    data = bytearray(path.read_bytes())
    for i in range(100, min(len(data), 4096)):
        data[i] = (i * 37) % 251
    path.write_bytes(bytes(data))


def test_corrupt_database_names_newest_backup_and_is_untouched(tmp_path: Path) -> None:
    path = tmp_path / "udviklingsdag.db"
    _small_db(path)
    old = backup_sqlite(path, "backup")
    os.utime(old, (1_700_000_000, 1_700_000_000))
    newest = backup_sqlite(path, "backup")
    _corrupt(path)
    before = file_digest(path)
    files = _without_empty_wal(tmp_path)
    with pytest.raises(DatabaseError) as info:
        open_database(str(path))
    message = str(info.value)
    assert "beskadiget" in message
    assert str(newest) in message and str(old) not in message
    assert file_digest(path) == before
    assert _without_empty_wal(tmp_path) == files
    # The backup it names is whole and opens.
    copy = tmp_path / "gendannet.db"
    shutil.copy(newest, copy)
    db = open_database(str(copy))
    db.close()
    assert integrity(copy) == "ok"


def test_corrupt_database_on_the_command_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """`udviklingsdag info` on a damaged file: a Danish message, exit code 1, no traceback."""
    from tui.cli import main

    path = tmp_path / "udviklingsdag.db"
    _small_db(path)
    backup = backup_sqlite(path, "backup")
    _corrupt(path)
    before = file_digest(path)
    assert main(["info", "--db", str(path)]) == 1
    err = capsys.readouterr().err
    assert "beskadiget" in err and str(backup) in err
    assert "Traceback" not in err
    assert file_digest(path) == before


def test_not_a_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "noter.db"
    path.write_bytes("Dette er en tekstfil med æøå, ikke en database.\n".encode())
    before = file_digest(path)
    with pytest.raises(DatabaseError, match="ikke en SQLite-database"):
        open_database(str(path))
    assert file_digest(path) == before


def test_digest_helper_sees_a_change(tmp_path: Path) -> None:
    """The digest the suite relies on for «unchanged» does notice a one-field edit."""
    path = tmp_path / "d.db"
    _small_db(path)
    before = db_digest(path)
    con = sqlite3.connect(path)
    with con:
        con.execute("UPDATE tegn SET baseline = 'x'")
    con.close()
    assert db_digest(path) != before
    copy = tmp_path / "kopi.db"
    copy_sqlite(path, copy)
    assert db_digest(copy) == db_digest(path)


@pytest.mark.parametrize("case", ["beskadiget", "nyere"])
def test_app_shows_the_database_error_and_leaves_the_file(case: str, tmp_path: Path) -> None:
    """The terminal app on a damaged or newer database: its error screen with the Danish
    message (naming the newest backup), no traceback, and the file as it was."""
    import asyncio

    from tui.app import UdviklingsdagApp

    path = tmp_path / "udviklingsdag.db"
    _small_db(path)
    backup = backup_sqlite(path, "backup")
    if case == "beskadiget":
        _corrupt(path)
    else:
        con = sqlite3.connect(path)
        with con:
            con.execute("UPDATE alembic_version SET version_num = '9999_fremtiden'")
        con.close()
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
    assert "Traceback" not in message
    if case == "beskadiget":
        assert "beskadiget" in message and str(backup) in message
    else:
        assert "nyere version" in message
    assert file_digest(path) == before
