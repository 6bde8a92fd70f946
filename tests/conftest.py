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
        if pg_url() and metafunc.definition.get_closest_marker("sqlite_only") is None:
            backends.append("postgresql")
        metafunc.parametrize("backend", backends)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: in a BOTH_BACKENDS module, run this test on SQLite only"
    )


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


# --- PostgreSQL test databases ----------------------------------------------------------------
#
# CREATE DATABASE costs about 0.3 s and running the migrations about 0.8 s, while emptying a
# small database takes some 20 ms. So each test process migrates one template database, clones
# it when it needs another database, and gives databases back to a pool after each test (all
# rows deleted, schema checked). Everything is dropped when the process's session ends.

PG_PREFIX = "udv_t"


def pg_database_url(base: str, name: str) -> str:
    """The URL of database `name` on the server of `base` (the server's postgres database)."""
    return base.replace("/postgres?", f"/{name}?")


class PgPool:
    """This test process's PostgreSQL databases: a migrated template and emptied databases
    waiting to be reused."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.admin = _pg_admin(base)
        self.prefix = f"{PG_PREFIX}_{os.getpid()}_"
        self.template: str | None = None
        self.columns = 0
        self.free: list[str] = []
        self.made: list[str] = []
        self._drop_stale()

    def _drop_stale(self) -> None:
        """Drop databases left by test processes that died (same machine only)."""
        from sqlalchemy import text

        if "host=/" not in self.base:
            return
        with self.admin.connect() as conn:
            names = conn.execute(
                text("SELECT datname FROM pg_database WHERE datname LIKE :p"),
                {"p": f"{PG_PREFIX}\\_%"},
            ).scalars()
            for name in list(names):
                pid = name.split("_")[2] if name.count("_") >= 3 else ""
                if not pid.isdigit() or _alive(int(pid)):
                    continue
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def url(self, name: str) -> str:
        return pg_database_url(self.base, name)

    def _columns(self, conn) -> int:
        from sqlalchemy import text

        return conn.execute(
            text("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public'")
        ).scalar()

    def _ensure_template(self) -> str:
        if self.template is None:
            from sqlalchemy import text

            from models.db import make_engine, upgrade_schema

            name = f"{self.prefix}tpl"
            with self.admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                try:
                    # Like a Danish municipality's server: text sorts the Danish way (æ, ø,
                    # å last; «aa» as å), not byte by byte as in SQLite.
                    conn.execute(
                        text(
                            f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
                            "LOCALE_PROVIDER icu ICU_LOCALE 'da-DK'"
                        )
                    )
                except Exception:
                    conn.execute(text(f'CREATE DATABASE "{name}"'))
            self.made.append(name)
            engine = make_engine(self.url(name))
            try:
                # Migrated, but without a local device: each database gets its own on open.
                upgrade_schema(engine)
                with engine.connect() as conn:
                    self.columns = self._columns(conn)
            finally:
                engine.dispose()
            self.template = name
        return self.template

    def take(self) -> str:
        """An empty, migrated database (its URL) with no device yet."""
        from sqlalchemy import text

        if self.free:
            return self.url(self.free.pop())
        template = self._ensure_template()
        name = f"{self.prefix}{len(self.made)}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        self.made.append(name)
        return self.url(name)

    def give_back(self, url: str) -> None:
        """Empty a database and keep it for the next test; drop it if a test changed its
        schema."""
        from sqlalchemy import text
        from sqlalchemy.engine import make_url

        from models.migrations import HEAD_REVISION

        name = make_url(url).database
        with self.admin.connect() as conn:
            # Settings a test gave the database (ALTER DATABASE ... SET) must not follow it.
            conn.execute(text(f'ALTER DATABASE "{name}" RESET ALL'))
            # Connections the test left open (a Store, an app) must not hold locks or see
            # the next test's data.
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :n AND pid <> pg_backend_pid()"
                ),
                {"n": name},
            )
        from sqlalchemy import create_engine
        from sqlalchemy.exc import SQLAlchemyError

        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
        reusable = False
        try:
            with engine.begin() as conn:
                rev = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
                if rev == HEAD_REVISION and self._columns(conn) == self.columns:
                    tables = conn.execute(
                        text(
                            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                            "AND tablename <> 'alembic_version'"
                        )
                    ).scalars()
                    for table in list(tables):
                        conn.execute(text(f'DELETE FROM "{table}"'))
                    reusable = True
        except SQLAlchemyError:
            reusable = False
        finally:
            engine.dispose()
        if reusable:
            self.free.append(name)
        else:
            with self.admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def drop_all(self) -> None:
        from sqlalchemy import text

        with self.admin.connect() as conn:
            for name in self.made:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_POOL: PgPool | None = None


def pg_pool() -> PgPool | None:
    """This process's pool of PostgreSQL test databases, or None without a server."""
    global _POOL
    if _POOL is None:
        base = pg_url()
        if base is None:
            return None
        _POOL = PgPool(base)
    return _POOL


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _POOL is not None:
        _POOL.drop_all()


class PgDatabases:
    """The PostgreSQL databases one test uses; given back to the pool when it ends."""

    def __init__(self, pool: PgPool) -> None:
        self.pool = pool
        self.urls: list[str] = []

    def new(self) -> str:
        """The URL of an empty, migrated database without a local device."""
        url = self.pool.take()
        self.urls.append(url)
        return url

    def copy_of(self, sqlite_path: Path, *, device_name: str | None = None):
        """A new database holding every row of a SQLite database file (the PostgreSQL
        twin of copying the file); opened. Closing it gives it back to the pool."""
        from models.db import open_database

        url = self.new()
        copy_rows(sqlite_path, url)
        db = open_database(url, device_name=device_name)
        real_close = db.close

        def close() -> None:
            real_close()
            if url in self.urls:
                self.urls.remove(url)
                self.pool.give_back(url)

        db.close = close  # type: ignore[method-assign]
        return db

    def release(self) -> None:
        for url in self.urls:
            self.pool.give_back(url)
        self.urls.clear()


@cache
def _sqlite_rows(path: str, mtime: float) -> dict[str, list[dict]]:
    from sqlalchemy import create_engine, select
    from sqlmodel import SQLModel

    import models.tables  # noqa: F401  (registers the tables)

    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        with engine.connect() as conn:
            return {
                t.name: [dict(r) for r in conn.execute(select(t)).mappings()]
                for t in SQLModel.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def copy_rows(sqlite_path: Path, url: str) -> None:
    """Copy every row of a SQLite database of the current schema into an empty PostgreSQL one."""
    from sqlalchemy import create_engine
    from sqlmodel import SQLModel

    rows = _sqlite_rows(str(sqlite_path), sqlite_path.stat().st_mtime)
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.begin() as conn:
            for table in SQLModel.metadata.sorted_tables:
                if rows[table.name]:
                    conn.execute(table.insert(), rows[table.name])
    finally:
        engine.dispose()


@pytest.fixture
def pg_databases():
    """Hands out PostgreSQL databases for one test (skips without a server)."""
    pool = pg_pool()
    if pool is None:
        pytest.skip("ingen PostgreSQL-server")
    handed = PgDatabases(pool)
    yield handed
    handed.release()


@pytest.fixture
def db_target(backend: str, db_path: Path, request: pytest.FixtureRequest):
    """Where the test database lives: a SQLite path, or an empty migrated PostgreSQL database."""
    if backend == "sqlite":
        return str(db_path)
    return request.getfixturevalue("pg_databases").new()


@pytest.fixture
def new_db_target(backend: str, tmp_path: Path, request: pytest.FixtureRequest):
    """Makes more empty databases on the test's backend: `new_db_target("navn")` gives a SQLite
    path in tmp_path (named after the argument) or the URL of another PostgreSQL database."""

    def make(name: str = "anden") -> str:
        if backend == "sqlite":
            return str(tmp_path / f"{name}.db")
        return request.getfixturevalue("pg_databases").new()

    return make


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


@pytest.fixture
def world(tmp_path: Path) -> dict[str, object]:
    """A tovholder's database with a small workshop, its pack and a facilitator laptop that
    loaded the pack, added a tegn and wrote its handoff file (the trust tests, issue 11)."""
    from tests.trust_world import make_world

    return make_world(tmp_path)
