"""Shared fixtures. Every test runs with its own data folder and database, never the user's.

Test modules that set `BOTH_BACKENDS = True` run their `db` / `store` tests on SQLite and on
PostgreSQL. The PostgreSQL server comes from $UDVIKLINGSDAG_TEST_PG, or is started by
tests/pg/start-server.sh when PostgreSQL is installed (unix socket only)."""

from __future__ import annotations

import fcntl
import glob
import os
import socket
import subprocess
import uuid
from functools import cache
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


@cache
def pg_url() -> str | None:
    """The URL of a PostgreSQL server for tests, or None when there is none."""
    url = os.environ.get("UDVIKLINGSDAG_TEST_PG")
    if url:
        return url
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        return None
    lock_path = Path("/tmp/udviklingsdag-pg.lock")
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        result = subprocess.run(
            ["bash", str(HERE / "pg" / "start-server.sh")], capture_output=True, text=True
        )
    if result.returncode != 0:
        return None
    url = result.stdout.strip()
    os.environ["UDVIKLINGSDAG_TEST_PG"] = url
    return url


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames and getattr(metafunc.module, "BOTH_BACKENDS", False):
        backends = ["sqlite"]
        if pg_url():
            backends.append("postgresql")
        metafunc.parametrize("backend", backends)


@pytest.fixture(autouse=True)
def _isolate_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Keep the user's own data folder and settings out of tests."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv("UDVIKLINGSDAG_DB", raising=False)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch):
    """The app never talks to a network: any attempt to connect fails the test."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        if self.family == socket.AF_UNIX:
            return real_connect(self, address)
        raise AssertionError(f"Netværksforbindelse forsøgt under test: {address!r}")

    monkeypatch.setattr(socket.socket, "connect", guarded)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


def _pg_admin(url: str):
    from sqlalchemy import create_engine

    return create_engine(
        url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )


@pytest.fixture
def db_target(backend: str, db_path: Path):
    """Where the test database lives: a SQLite path, or a fresh PostgreSQL database URL."""
    if backend == "sqlite":
        yield str(db_path)
        return
    from sqlalchemy import text

    base = pg_url()
    assert base is not None
    name = f"udv_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin(base)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield base.replace("/postgres?", f"/{name}?")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def backend() -> str:
    """Overridden by parametrisation (see pytest_generate_tests)."""
    return "sqlite"


@pytest.fixture
def db(db_target: str):
    from models.db import open_database

    database = open_database(db_target, device_name="Testbærbar")
    yield database
    database.close()


@pytest.fixture
def store(db):
    from models.store import Store

    return Store(db)


@pytest.fixture
def demo_store(store):
    """A store holding the demo workshop."""
    from models.demo import build_demo

    build_demo(store)
    return store
