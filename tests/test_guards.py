"""Issue 11, «Guards» and «Secrets»: no command writes over the open database (or its
-wal/-shm/-journal) or over an existing file of another kind; no password is shown in any form
of address, and a libpq keyword string is PostgreSQL, never a file name."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from exports.atomic import ExportError, atomic_write, guard_target
from models.db import open_database, open_database_files, redact_address, redact_message
from models.errors import DatabaseError
from models.paths import as_address, resolve_db
from tui.cli import main

SECRET = "Hemmelig-7qz"


def _digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def _rows(path: Path) -> str:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        h = hashlib.sha256()
        for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY 1"):
            for row in sorted(repr(r) for r in con.execute(f'SELECT * FROM "{name}"')):
                h.update(row.encode())
        return h.hexdigest()
    finally:
        con.close()


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "udviklingsdag.db"
    assert main(["demo", "--no-open", "--db", str(path)]) == 0
    return path


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> Path:
    from bench.generate import copy_sqlite

    path = tmp_path / "udviklingsdag.db"
    copy_sqlite(demo_file, path)
    return path


def _first_plan(db_file: Path) -> str:
    from models.queries import maalplaner_overview

    db = open_database(str(db_file))
    try:
        return maalplaner_overview(db)[0].id
    finally:
        db.close()


@pytest.fixture
def held(demo: Path):
    """The demo database held open by a second reader, so its -wal and -shm exist during the
    command (as when the app is open in another window)."""
    con = sqlite3.connect(demo)
    con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    con.execute("BEGIN")
    con.execute("SELECT count(*) FROM change").fetchone()  # a read snapshot keeps the WAL
    assert Path(f"{demo}-wal").exists() and Path(f"{demo}-shm").exists()
    yield demo
    con.close()


def _commands(db: Path, target: Path) -> list[list[str]]:
    return [
        ["bundle", "export", "--db", str(db), str(target)],
        ["bundle", "export", "--db", str(db), "--pack", str(target)],
        ["export", "sqlite", "--db", str(db), str(target)],
    ]


@pytest.mark.parametrize("which", ["", "-wal", "-shm", "-journal"])
@pytest.mark.parametrize("n", [0, 1, 2])
def test_no_command_writes_over_the_open_database(held: Path, which: str, n: int, capsys) -> None:
    target = Path(f"{held}{which}")
    before_file, before_rows = _digest(target), _rows(held)
    before_listing = sorted(p.name for p in held.parent.iterdir())
    code = main(_commands(held, target)[n])
    err = capsys.readouterr().err
    assert code == 1
    assert ("database" in err and "overskrives ikke" in err) or "må ikke overskrive" in err, err
    assert "Traceback" not in err
    assert _digest(target) == before_file
    assert _rows(held) == before_rows
    assert sorted(p.name for p in held.parent.iterdir()) == before_listing


def test_bundle_export_over_the_database_itself_keeps_it(demo: Path, capsys) -> None:
    """The case of the issue: `bundle export --db X X` replaced X by a JSON file."""
    before = _digest(demo)
    assert main(["bundle", "export", "--db", str(demo), str(demo)]) == 1
    assert "overskrives ikke" in capsys.readouterr().err
    assert _digest(demo) == before
    db = open_database(str(demo))  # still the database, whole
    db.close()


def test_a_link_to_the_database_is_the_database(demo: Path, tmp_path: Path, capsys) -> None:
    link = tmp_path / "overlevering.udviklingsdag.json"
    link.symlink_to(demo)
    hard = tmp_path / "kopi.udviklingsdag.json"
    os.link(demo, hard)
    before = _digest(demo)
    for target in (link, hard):
        assert main(["bundle", "export", "--db", str(demo), str(target)]) == 1
        assert "overskrives ikke" in capsys.readouterr().err
    assert link.is_symlink() and _digest(demo) == before


FOREIGN = {
    "regneark.xlsx": b"PK\x03\x04 not really a workbook but somebody's file",
    "en-anden.db": b"SQLite format 3\x00" + b"\x00" * 200,
    "noter.txt": "Mine noter fra mødet, æøå.\n".encode(),
}


@pytest.mark.parametrize("name", sorted(FOREIGN))
@pytest.mark.parametrize("n", [0, 1, 2])
def test_no_command_writes_over_a_file_of_another_kind(
    demo: Path, tmp_path: Path, name: str, n: int, capsys
) -> None:
    target = tmp_path / name
    target.write_bytes(FOREIGN[name])
    code = main(_commands(demo, target)[n])
    err = capsys.readouterr().err
    assert code == 1 and "findes allerede og er ikke" in err and "intet er skrevet" in err, err
    assert target.read_bytes() == FOREIGN[name]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_the_wal_of_a_database_open_elsewhere_is_not_replaced(
    demo: Path, tmp_path: Path, capsys
) -> None:
    """Another window's database is not in this process's list; its companions are known by
    their names next to a SQLite file (an empty -wal included)."""
    other = tmp_path / "bord3.db"
    open_database(str(other)).close()
    for suffix in ("-wal", "-shm", "-journal"):
        companion = Path(f"{other}{suffix}")
        companion.write_bytes(b"")
        assert main(["bundle", "export", "--db", str(demo), str(companion)]) == 1
        assert "overskrives ikke" in capsys.readouterr().err
        assert companion.read_bytes() == b""


def test_another_app_database_is_not_replaced_by_an_export(demo: Path, tmp_path: Path, capsys):
    """A second udviklingsdag database (not the open one) is a SQLite file, not an export."""
    other = tmp_path / "bord3.db"
    open_database(str(other)).close()
    before = _digest(other)
    for argv in _commands(demo, other):
        assert main(argv) == 1
        assert "findes allerede og er ikke" in capsys.readouterr().err
    assert _digest(other) == before


def test_files_of_the_same_kind_are_replaced(demo: Path, tmp_path: Path, capsys) -> None:
    """The guard does not stand in the way of the normal case: a newer file over an older one
    of its kind, and over an empty file."""
    handoff = tmp_path / "overlevering.udviklingsdag.json"
    for _ in range(2):
        assert main(["bundle", "export", "--db", str(demo), str(handoff)]) == 0
    gz = tmp_path / "pakke.udviklingsdag.json.gz"
    for _ in range(2):
        assert main(["bundle", "export", "--db", str(demo), "--pack", str(gz)]) == 0
    sqlite_file = tmp_path / "data.sqlite"
    for _ in range(2):
        assert main(["export", "sqlite", "--db", str(demo), str(sqlite_file)]) == 0
    template = tmp_path / "skabelon.xlsx"
    for _ in range(2):
        assert main(["template", str(template)]) == 0
    empty = tmp_path / "tom.udviklingsdag.json"
    empty.write_bytes(b"")
    assert main(["bundle", "export", "--db", str(demo), str(empty)]) == 0
    capsys.readouterr()


def test_template_is_not_written_over_another_file(tmp_path: Path, capsys) -> None:
    target = tmp_path / "budget.xlsx"
    target.write_bytes(b"not a workbook at all")
    assert main(["template", str(target)]) == 1
    assert "findes allerede og er ikke en Excel-projektmappe" in capsys.readouterr().err
    assert target.read_bytes() == b"not a workbook at all"


def _package_names(demo: Path, tmp_path: Path, capsys) -> list[str]:
    probe = tmp_path / "probe"
    plan = _first_plan(demo)
    assert (
        main(["export", "sbsys", "--db", str(demo), "--maalplan", plan, "--zip", str(probe)]) == 0
    )
    capsys.readouterr()
    return sorted(p.name for p in probe.iterdir() if not p.name.startswith("."))


def test_sbsys_export_leaves_a_foreign_folder_and_file_of_the_same_name(
    demo: Path, tmp_path: Path, capsys
) -> None:
    names = _package_names(demo, tmp_path, capsys)
    folder = next(n for n in names if not n.endswith(".zip"))
    zip_name = f"{folder}.zip"
    assert zip_name in names
    for case in ("folder", "zip"):
        out = tmp_path / f"ud-{case}"
        out.mkdir()
        if case == "folder":
            mine = out / folder
            mine.mkdir()
            (mine / "mine-billeder.txt").write_text("Feriebilleder", encoding="utf-8")
            kept = mine / "mine-billeder.txt"
        else:
            kept = out / zip_name
            kept.write_bytes(b"ikke en zip, men vigtig")
        before = _digest(kept)
        code = main(
            [
                "export",
                "sbsys",
                "--db",
                str(demo),
                "--maalplan",
                _first_plan(demo),
                "--zip",
                str(out),
            ]
        )
        err = capsys.readouterr().err
        assert code == 1 and "findes allerede og er ikke" in err, err
        assert _digest(kept) == before
        # Nothing half-written is left, and no other package was left behind either.
        assert sorted(p.name for p in out.iterdir()) == [kept.relative_to(out).parts[0]]


def test_sbsys_export_never_replaces_a_folder_holding_the_database(
    demo: Path, tmp_path: Path, capsys
) -> None:
    names = _package_names(demo, tmp_path, capsys)
    folder = next(n for n in names if not n.endswith(".zip"))
    out = tmp_path / "ud"
    (out / folder).mkdir(parents=True)
    (out / folder / "journalisering.json").write_text("{}", encoding="utf-8")
    db = out / folder / "udviklingsdag.db"
    demo.rename(db)
    before = _rows(db)
    assert main(["export", "sbsys", "--db", str(db), "--maalplan", _first_plan(db), str(out)]) == 1
    assert "overskrives ikke" in capsys.readouterr().err
    assert db.exists() and _rows(db) == before
    # Closed, the database in an older package folder is still never thrown away with it.
    elsewhere = tmp_path / "andet.db"
    shutil.copy(db, elsewhere)
    kept = _digest(db)
    assert (
        main(["export", "sbsys", "--db", str(elsewhere), "--maalplan", _first_plan(db), str(out)])
        == 1
    )
    assert "findes allerede og er ikke" in capsys.readouterr().err
    assert _digest(db) == kept


def test_sbsys_export_replaces_its_own_older_package(demo: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "ud"
    argv = [
        "export",
        "sbsys",
        "--db",
        str(demo),
        "--maalplan",
        _first_plan(demo),
        "--zip",
        str(out),
    ]
    assert main(argv) == 0
    first = sorted(p.name for p in out.iterdir())
    assert main(argv) == 0
    assert sorted(p.name for p in out.iterdir()) == first
    capsys.readouterr()


def test_guard_and_atomic_write_directly(tmp_path: Path) -> None:
    db_file = tmp_path / "x.db"
    db = open_database(str(db_file))
    try:
        assert Path(os.path.realpath(db_file)) in open_database_files()
        for suffix in ("", "-wal", "-shm", "-journal"):
            with pytest.raises(ExportError, match="overskrives ikke"):
                atomic_write(Path(f"{db_file}{suffix}"), b"{}")
        folder = tmp_path / "mappe.udviklingsdag.json"
        folder.mkdir()
        with pytest.raises(ExportError, match="er en mappe"):
            guard_target(folder, "bundle")
        fifo = tmp_path / "roer.udviklingsdag.json"
        os.mkfifo(fifo)
        with pytest.raises(ExportError, match="ikke en almindelig fil"):
            guard_target(fifo, "bundle")
    finally:
        db.close()
    assert Path(os.path.realpath(db_file)) not in open_database_files()
    atomic_write(tmp_path / "ny.txt", b"ok")  # closed: nothing protected any more


# --- secrets ---------------------------------------------------------------------------------

ADDRESSES = [
    f"postgresql://tov:{SECRET}@db.kommune.dk:5432/udv",
    f"postgresql://tov@db.kommune.dk/udv?sslmode=require&password={SECRET}",
    f"postgresql+psycopg://tov@/udv?host=/run/pg&PASSWORD={SECRET}&application_name=x",
    f"host=db.kommune.dk port=5432 dbname=udv user=tov password={SECRET}",
    f"host=db dbname=udv password='{SECRET} med mellemrum og \\' citat' user=tov",
    f"password = {SECRET} host=db",
    f"sslpassword={SECRET} host=db dbname=udv",
]


@pytest.mark.parametrize("address", ADDRESSES)
def test_password_hidden_in_every_form(address: str) -> None:
    shown = redact_address(address)
    assert SECRET not in shown and "***" in shown
    assert "db" in shown or "/run/pg" in shown  # the rest stays readable
    from models.db import address_secrets

    (password,) = address_secrets(address)
    assert SECRET in password
    message = f"connection failed for {address}: FATAL {password}"
    assert SECRET not in redact_message(message, address)


def test_address_without_password_is_unchanged() -> None:
    for text in (
        "postgresql://postgres@/postgres?host=/tmp/udviklingsdag-pg/sock",
        "/home/tov/udviklingsdag.db",
        "C:\\Users\\tov\\udviklingsdag.db",
    ):
        assert redact_address(text) == text


def test_keyword_string_is_postgresql_never_a_file(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    url = as_address(f"host=db.kommune.dk port=5433 dbname=udv user=tov password='{SECRET} x'")
    assert url.startswith("postgresql://tov:") and url.endswith("@db.kommune.dk:5433/udv")
    from urllib.parse import unquote, urlsplit

    assert unquote(urlsplit(url).password or "") == f"{SECRET} x"
    sock = as_address("host=/run/postgresql dbname=udv user=tov")
    assert sock == "postgresql://tov@/udv?host=%2Frun%2Fpostgresql"
    assert resolve_db(f"host=h password={SECRET}").startswith("postgresql://")
    # Plain paths, also with «=» in them, stay paths.
    assert as_address("/data/a=b.db") == "/data/a=b.db"
    assert as_address("bord=3.db") == "bord=3.db"
    with pytest.raises(DatabaseError, match="PostgreSQL-forbindelsestekst") as info:
        as_address(f"host=db kodeord={SECRET}")
    assert SECRET not in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_keyword_string_on_the_command_line_creates_no_file(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    """The issue's case: `--db "host=… password=…"` made a SQLite file named after the
    password. Now it is PostgreSQL (here: a server that is not there), or refused."""
    monkeypatch.chdir(tmp_path)
    nowhere = tmp_path / "ingen-server"
    for value in (
        f"host={nowhere} dbname=udv user=tov password={SECRET}",
        f"host={nowhere} dbname=udv user=tov password='{SECRET}'",
        f"host=x kodeord={SECRET}",
    ):
        code = main(["info", "--db", value])
        out, err = capsys.readouterr()
        assert code == 1, out
        assert SECRET not in out + err
        assert "Traceback" not in err
        assert "PostgreSQL" in err
    assert list(tmp_path.iterdir()) == []


def test_display_target_and_home_address_hide_the_password(pg_databases) -> None:
    url = pg_databases.new()
    sep = "&" if "?" in url else "?"
    db = open_database(f"{url}{sep}password={SECRET}")
    try:
        assert SECRET not in db.display_target and "password=***" in db.display_target
        from models.paths import shown_address  # what the home screen shows

        assert SECRET not in shown_address(db.target)
    finally:
        db.close()


def test_info_and_login_errors_never_show_the_password(pg_databases, capsys) -> None:
    url = pg_databases.new()
    from urllib.parse import parse_qs, urlsplit

    parts = urlsplit(url)
    sock = parse_qs(parts.query)["host"][0]
    name = parts.path.lstrip("/")
    sep = "&" if "?" in url else "?"
    for value in (
        f"{url}{sep}password={SECRET}",
        f"host={sock} dbname={name} user={parts.username} password={SECRET}",
        f"host={sock} dbname={name} user={parts.username} password='{SECRET} x'",
    ):
        assert main(["info", "--db", value]) == 0
        out, err = capsys.readouterr()
        assert SECRET not in out + err and "***" in out, out
    for value in (
        f"postgresql://nobody:{SECRET}@/findes_ikke?host={sock}",
        f"postgresql://nobody@/findes_ikke?host={sock}&password={SECRET}",
        f"host={sock} dbname=findes_ikke user=nobody password={SECRET}",
    ):
        code = main(["info", "--db", value])
        out, err = capsys.readouterr()
        assert code == 1 and SECRET not in out + err, err
        assert "PostgreSQL" in err or "findes ikke" in err, err


def test_unexpected_error_text_hides_the_password() -> None:
    from tui.cli import _unexpected

    for address in ADDRESSES[:4]:
        text = _unexpected(RuntimeError(f"boom {address} {SECRET}"), address)
        assert SECRET not in text
