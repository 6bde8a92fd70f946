"""The command line as a user runs it: demo, info, errors without tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from models.migrations import HEAD_REVISION
from tui.cli import main


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=Path(__file__).resolve().parent.parent,
        timeout=120,
    )


def test_demo_then_info_json_counts(tmp_path):
    db = tmp_path / "demo.db"
    result = run_cli("demo", "--db", str(db), "--no-open")
    assert result.returncode == 0, result.stderr
    info = run_cli("info", "--db", str(db), "--json")
    assert info.returncode == 0, info.stderr
    data = json.loads(info.stdout)
    counts = data["counts"]
    assert counts["direktoeromraader"] >= 2
    assert counts["afdelinger"] >= 6
    assert counts["enheder"] >= 15
    assert counts["maalsaetninger"] >= 4
    assert counts["maal"] >= 12
    assert counts["tegn"] > 0 and counts["proevehandlinger"] > 0 and counts["samarbejder"] > 0
    assert counts["udviklingsdage"] == 3  # the lederdag, del 1 and del 2
    assert data["schema_revision"] == HEAD_REVISION
    assert data["database"] == str(db)
    # Running demo again does not duplicate anything.
    again = run_cli("demo", "--db", str(db), "--no-open")
    assert again.returncode == 0
    assert "allerede data" in again.stderr
    assert json.loads(run_cli("info", "--db", str(db), "--json").stdout)["counts"] == counts


def test_environment_variable_selects_database(tmp_path, capsys):
    db = tmp_path / "fra_miljoe.db"
    os.environ["UDVIKLINGSDAG_DB"] = str(db)
    try:
        assert main(["info", "--json"]) == 0
    finally:
        del os.environ["UDVIKLINGSDAG_DB"]
    assert json.loads(capsys.readouterr().out)["database"] == str(db)
    assert db.exists()


def test_default_database_lives_in_the_user_data_folder(capsys):
    from models.paths import default_db_path

    assert main(["info", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["database"] == str(default_db_path())
    assert "udviklingsdag" in str(default_db_path())


def test_errors_go_to_stderr_without_traceback(tmp_path):
    bad = tmp_path / "ikke.db"
    bad.write_text("dette er ikke en database")
    result = run_cli("info", "--db", str(bad))
    assert result.returncode != 0
    assert "ikke en database fra udviklingsdag" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_version_and_usage_error():
    result = run_cli("--version")
    assert result.returncode == 0 and "udviklingsdag 0.1.0" in result.stdout
    result = run_cli("findesikke")
    assert result.returncode == 2
    assert "fejl i kommandoen" in result.stderr


@pytest.mark.parametrize("args", [["info"], ["info", "--json"]])
def test_info_text_and_json(tmp_path, capsys, args):
    assert main([*args, "--db", str(tmp_path / "x.db")]) == 0
    out = capsys.readouterr().out
    assert HEAD_REVISION in out


def test_info_on_postgres_hides_the_password(capsys):
    import uuid

    from sqlalchemy import create_engine, text

    from tests.conftest import pg_url

    base = pg_url()
    if base is None:
        pytest.skip("ingen PostgreSQL-server")
    name = f"udv_cli_{uuid.uuid4().hex[:10]}"
    admin = create_engine(
        base.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        # Trust authentication ignores the password, so it reaches every place it could leak.
        url = base.replace("postgres@", "postgres:TopHemmelig@").replace("/postgres?", f"/{name}?")
        assert main(["demo", "--no-open", "--db", url]) == 0
        assert main(["info", "--json", "--db", url]) == 0
        out = capsys.readouterr()
        assert "TopHemmelig" not in out.out + out.err
        data = json.loads(out.out.split("\n", 1)[1])
        assert data["backend"] == "postgresql"
        assert data["counts"]["maal"] >= 12
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_unexpected_error_is_a_danish_line_without_password(monkeypatch, capsys):
    import models.queries

    def broken(db):
        raise RuntimeError("forbindelse til postgresql://tov:Hemmelig9@server/udv mistet")

    monkeypatch.setattr(models.queries, "database_info", broken)
    monkeypatch.setenv("UDVIKLINGSDAG_DB", "postgresql://tov:Hemmelig9@server/udv")
    monkeypatch.setattr(
        "models.db.open_database", lambda target: type("D", (), {"close": lambda s: None})()
    )
    assert main(["info"]) == 1
    err = capsys.readouterr().err
    assert "uventet fejl" in err and "Hemmelig9" not in err and "Traceback" not in err


def test_db_before_or_after_the_subcommand(tmp_path, capsys):
    """`udviklingsdag --db X demo` and `udviklingsdag demo --db X` mean the same file; the
    subcommand's own (unset) --db must not replace the one given before it."""
    before, after = tmp_path / "foer.db", tmp_path / "efter.db"
    assert main(["--db", str(before), "demo", "--no-open"]) == 0
    assert main(["demo", "--db", str(after), "--no-open"]) == 0
    capsys.readouterr()
    for args in (["--db", str(before), "info", "--json"], ["info", "--db", str(after), "--json"]):
        assert main(args) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["counts"]["maal"] >= 12
        assert data["database"] == args[args.index("--db") + 1]
    # A nested subcommand too: a handoff file written from the database named before `bundle`.
    out = tmp_path / "fil.udvd.json"
    assert main(["--db", str(before), "bundle", "export", str(out)]) == 0
    assert out.exists()
