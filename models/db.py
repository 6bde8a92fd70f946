"""Opening a database: the engine factory, SQLite pragmas, migrations and the local device.

Nothing happens at import time; `open_database` does the work when it is called."""

from __future__ import annotations

import os
import socket
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import DatabaseError, DiskFullError, NewerDatabaseError, disk_full_error
from .migrations import HEAD_REVISION, SCRIPT_LOCATION
from .paths import HIDDEN, as_address, is_url, parse_keywords, redact_address
from .settings import DATABASE_CREATED_AT

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
# Advisory lock key for writers on PostgreSQL (any constant; "udvdag" in ASCII).
WRITE_LOCK_KEY = 0x756476646167


@dataclass
class Database:
    """An open database: its engine, where it is, and this database's own device."""

    engine: Engine
    target: str
    device_id: str
    device_name: str
    revision: str
    backup_path: Path | None = None
    # The quick integrity check ran to its end on this file (see `ensure_intact`).
    integrity_checked: bool = False
    _registered: bool = field(default=False, repr=False)  # in `open_database_files`

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def display_target(self) -> str:
        return redact_address(self.target)

    def close(self) -> None:
        if self._registered:
            self._registered = False  # closing twice must not forget another handle's file
            _forget_open_file(self.target)
        self.engine.dispose()


# --- the files of the databases open in this process -----------------------------------------
# No export may write over them (exports.atomic.guard_target asks `open_database_files`).
_OPEN_FILES: dict[str, int] = {}
_OPEN_LOCK = threading.Lock()
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def _file_key(path: Path | str) -> str:
    return os.path.realpath(os.path.expanduser(str(path)))


def _remember_open_file(path: Path | str) -> None:
    with _OPEN_LOCK:
        key = _file_key(path)
        _OPEN_FILES[key] = _OPEN_FILES.get(key, 0) + 1


def _forget_open_file(path: Path | str) -> None:
    with _OPEN_LOCK:
        key = _file_key(path)
        left = _OPEN_FILES.get(key, 0) - 1
        if left > 0:
            _OPEN_FILES[key] = left
        else:
            _OPEN_FILES.pop(key, None)


def open_database_files() -> list[Path]:
    """Every file of the SQLite databases open in this process: the database itself and its
    -wal, -shm and -journal companions (whether they exist right now or not)."""
    with _OPEN_LOCK:
        keys = list(_OPEN_FILES)
    return [Path(k + suffix) for k in keys for suffix in ("", *SQLITE_COMPANIONS)]


def sqlite_url(path: Path | str) -> Any:
    """SQLAlchemy's URL of a SQLite file, built from its parts: a «?» or «%» in the file's name
    is part of the name, not URL syntax (`sqlite:///hvad?.db` would open a file «hvad»)."""
    from sqlalchemy.engine import URL

    return URL.create("sqlite", database=str(Path(path)))


def readonly_uri(path: Path | str) -> str:
    """The SQLite URI that opens the file at `path` read-only. «%», «?» and «#» in its name are
    escaped: unescaped they are URI syntax, and `file:workshop #2.db?mode=ro` opens (and
    creates) a file «workshop », writable, instead of the database."""
    text = str(path).replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    return f"file:{text}?mode=ro"


def make_engine(target: str) -> Engine:
    """An engine for a file path or a URL, with the pragmas this app relies on."""
    from sqlalchemy import create_engine, event

    if not is_url(target):
        engine = create_engine(sqlite_url(target), connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    else:
        url = target
        if url.startswith(("postgresql://", "postgres://")):
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
            try:
                import psycopg  # noqa: F401
            except ImportError:
                raise DatabaseError(
                    "PostgreSQL kræver ekstra pakker: installér med "
                    "pip install 'udviklingsdag[postgres]'."
                ) from None
        elif not url.startswith(("postgresql+", "sqlite")):
            raise DatabaseError(
                f"{redact_address(target)} er hverken en filsti eller en postgresql://-adresse."
            )
        options: dict[str, Any] = {}
        if url.startswith("postgresql"):
            # Writers queue on an advisory lock (`write_begin`) and must then see what the
            # writer before them committed: READ COMMITTED gives each statement a fresh view.
            # A server whose default is REPEATABLE READ or SERIALIZABLE would hand the second
            # tovholder a stale snapshot and a serialization failure instead.
            options["isolation_level"] = "READ COMMITTED"
        try:
            engine = create_engine(url, pool_pre_ping=True, **options)
        except Exception:
            raise DatabaseError(f"Adressen {redact_address(target)} kan ikke bruges.") from None

    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
            # Let SQLAlchemy's BEGIN be the one that starts a transaction (pysqlite quirk).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            # Writers say so (execution option `immediate`): IMMEDIATE takes the write lock up
            # front, so two app instances on one file queue (busy timeout) instead of failing
            # half way through a transaction. Readers never block.
            immediate = conn.get_execution_options().get("immediate")
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _prepare_file(path: Path) -> None:
    """Create the folder and an owner-only file; refuse files that are not SQLite."""
    if path.is_dir():
        raise DatabaseError(f"{path} er en mappe, ikke en databasefil. Angiv en fil med --db.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            os.close(fd)
            return
    except PermissionError:
        raise DatabaseError(
            f"Der er ikke adgang til at oprette databasen {path}. Vælg en anden placering med "
            "--db, eller giv skriveadgang til mappen."
        ) from None
    except OSError as exc:
        raise DatabaseError(f"Databasen {path} kan ikke oprettes: {exc.strerror}.") from None
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except PermissionError:
        raise DatabaseError(f"Der er ikke adgang til at læse databasen {path}.") from None
    if head and head != SQLITE_MAGIC:
        raise DatabaseError(
            f"{path} er ikke en database fra udviklingsdag (filen er ikke en SQLite-database). "
            "Filen er ikke ændret. Angiv den rigtige fil med --db."
        )


def backup_sqlite(path: Path, label: str) -> Path:
    """A consistent copy of a SQLite database next to it (online backup API)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.{label}-{stamp}{path.suffix or '.db'}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.stem}.{label}-{stamp}-{n}{path.suffix or '.db'}")
    src = sqlite3.connect(readonly_uri(path), uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            # A backup is a plain single file: no -wal/-shm companions to lose when copied.
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    os.chmod(target, 0o600)
    return target


def list_backups(path: Path) -> list[Path]:
    """Backups of a database file, newest first."""
    found = [
        p
        for p in path.parent.glob(f"{path.stem}.*backup-*")
        if not p.name.endswith(("-wal", "-shm"))
    ]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


# On open the quick check may take this long; a file it does not finish in that time is checked
# in full before its first import or merge instead (`ensure_intact`). PRAGMA quick_check of the
# benchmark's 230 MB database takes 0.2-0.3 s from the page cache and 3 s from a cold disk (too
# slow for every start); the demo database takes a few milliseconds.
OPEN_CHECK_SECONDS = 0.25


class DamagedDatabaseError(DatabaseError):
    """The database file is damaged (SQLite's quick check found errors)."""


def damaged_error(target: str, *, detail: str = "", during: str = "") -> DamagedDatabaseError:
    """The Danish message for a damaged database file: that it is left as it was, the newest
    backup by name (the migration's `<stem>.backup-<time>.db` copies next to it), and what
    to do. `during` says what was refused (e.g. «Der er ikke importeret noget.»)."""
    shown = redact_address(target)
    backups = [] if is_url(target) else list_backups(Path(target))
    if backups:
        newest = backups[0]
        when = datetime.fromtimestamp(newest.stat().st_mtime).strftime("%d.%m.%Y %H:%M")
        todo = (
            f" Den nyeste sikkerhedskopi er {newest} (fra {when}). Kopiér en sikkerhedskopi til "
            "en ny fil og åbn den med --db; importér derefter overleveringsfilerne igen."
        )
    else:
        todo = (
            " Der er ingen sikkerhedskopi ved siden af filen. Gem filen, som den er, og opret en "
            "ny database: importér den seneste workshop-pakke og overleveringsfilerne i den."
        )
    what = f" ({detail})" if detail else ""
    return DamagedDatabaseError(
        f"Databasefilen {shown} er beskadiget og kan ikke bruges{what}. Filen er ikke ændret."
        f"{(' ' + during) if during else ''}{todo}"
    )


def quick_check(path: Path, *, seconds: float | None = None) -> list[str] | None:
    """SQLite's quick integrity check of a database file, read-only (nothing is written).
    Returns the problems found ([] when the file is sound), or None when `seconds` ran out
    before the check was done."""
    con = sqlite3.connect(readonly_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    stop_timer: Callable[[], None] = lambda: None  # noqa: E731
    try:
        if seconds is not None:
            deadline = time.monotonic() + seconds
            con.set_progress_handler(lambda: int(time.monotonic() > deadline), 20_000)
            # The progress handler runs between steps of SQLite's program, and the check of a
            # large table is one step (2.8 s on the ten-times municipality): a timer
            # interrupts the check from outside as well.
            stop_timer = _interrupt_after(con, seconds)
        try:
            rows = con.execute("PRAGMA quick_check(20)").fetchall()
        except sqlite3.OperationalError as exc:
            if "interrupt" in str(exc).lower():
                return None
            raise
        except sqlite3.DatabaseError as exc:
            return [str(exc)]
        return [str(r[0]) for r in rows if r[0] != "ok"]
    finally:
        stop_timer()
        con.close()


def _interrupt_after(con: sqlite3.Connection, seconds: float) -> Callable[[], None]:
    """Interrupt what `con` runs once `seconds` have passed (from a timer thread). Returns the
    function that cancels the timer: call it before `con` is closed."""
    lock = threading.Lock()
    live = [True]

    def interrupt() -> None:
        with lock:
            if live[0]:
                con.interrupt()

    timer = threading.Timer(seconds, interrupt)
    timer.daemon = True
    timer.start()

    def cancel() -> None:
        with lock:
            live[0] = False
        timer.cancel()

    return cancel


def ensure_intact(db: Database, *, during: str = "") -> None:
    """Before an import or merge: the full quick check of a SQLite file not yet checked to its
    end in this process; raises `DamagedDatabaseError` (Danish) when it finds damage."""
    if not db.is_sqlite or db.integrity_checked:
        return
    try:
        problems = quick_check(Path(db.target))
    except sqlite3.Error as exc:
        raise _translate_open_error(exc, db.target) from None
    if problems:
        raise damaged_error(db.target, detail=_problem_text(problems), during=during)
    db.integrity_checked = True


def intact_check_meanwhile(db: Database, *, during: str = "") -> Callable[[], None]:
    """Start `ensure_intact` on a thread and return a function that waits for it and raises
    what it found. The check reads through its own read-only connection and SQLite leaves the
    interpreter lock while it reads pages, so a merge reads and checks its files meanwhile
    instead of waiting for the whole database to be read first (0.7 s for the benchmark's
    large municipality)."""
    if not db.is_sqlite or db.integrity_checked:
        return lambda: None
    failed: list[BaseException] = []

    def run() -> None:
        try:
            ensure_intact(db, during=during)
        except BaseException as exc:  # raised by `wait` on the caller's thread
            failed.append(exc)

    worker = threading.Thread(target=run, name="quick-check", daemon=True)
    worker.start()

    def wait() -> None:
        worker.join()
        if failed:
            raise failed[0]

    return wait


def _problem_text(problems: list[str]) -> str:
    first = problems[0][:120]
    more = f" og {len(problems) - 1} fejl mere" if len(problems) > 1 else ""
    return f"integritetstjekket fandt: {first}{more}"


def current_revision(engine: Engine) -> tuple[str | None, bool]:
    """(the alembic revision, whether the database has any tables at all)."""
    from sqlalchemy import inspect, text

    with engine.connect() as conn:
        names = set(inspect(conn).get_table_names())
        if "alembic_version" not in names:
            return None, bool(names)
        rev = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        return rev, True


def sqlite_revision(path: Path) -> tuple[str | None, bool]:
    """Like `current_revision`, for a SQLite file, read-only and without SQLAlchemy: a foreign
    database is not touched (no pragma written) before it is recognised."""
    con = sqlite3.connect(readonly_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in names:
            return None, bool(names)
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        return (row[0] if row else None), True
    finally:
        con.close()


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory(SCRIPT_LOCATION).walk_revisions()}


def upgrade_schema(engine: Engine, revision: str = "head") -> None:
    """Run the Alembic migrations on `engine` up to `revision` (`open_database` does this after
    its checks and backup; tests use it to build a database at an older revision)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", SCRIPT_LOCATION)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Two tovholdere opening a new shared database at once: the second waits here
            # and then finds it migrated (Alembic reads the version after the lock).
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def _translate_open_error(exc: Exception, target: str) -> DatabaseError | DiskFullError:
    text = str(exc).lower()
    shown = redact_address(target)
    full = disk_full_error(exc, None if is_url(target) else target)
    if full is not None:
        return full
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return damaged_error(target)
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return DatabaseError(
            f"Databasen {shown} kan ikke skrives (skrivebeskyttet fil eller mappe). "
            "Giv skriveadgang eller vælg en anden fil med --db."
        )
    if "locked" in text or "busy" in text:
        return DatabaseError(
            f"Databasen {shown} er optaget af et andet program. Luk det og prøv igen."
        )
    if is_url(target):
        if "password" in text or "authentication" in text:
            return DatabaseError(
                f"PostgreSQL-serveren {shown} afviste brugernavn eller adgangskode. "
                "Ret adressen i --db eller UDVIKLINGSDAG_DB."
            )
        if "does not exist" in text:
            return DatabaseError(
                f"Databasen {shown} findes ikke på serveren. Bed serverens administrator "
                "oprette den (CREATE DATABASE), og prøv igen."
            )
        return DatabaseError(
            f"Der er ingen forbindelse til PostgreSQL-serveren {shown}. Tjek adressen, og at "
            "serveren kører."
        )
    return DatabaseError(f"Databasen {shown} kan ikke åbnes: {redact_message(str(exc), target)}")


def address_secrets(target: str) -> list[str]:
    """The passwords written in a database address (any form: userinfo, query parameter,
    keyword), `password` and `sslpassword`."""
    keys = ("password", "sslpassword")
    if is_url(target):
        from urllib.parse import parse_qs, unquote, urlsplit

        try:
            parts = urlsplit(target)
            query = parse_qs(parts.query)
            found = [unquote(parts.password)] if parts.password else []
        except ValueError:
            return []
        return found + [v for k, vs in query.items() if k.lower() in keys for v in vs]
    pairs = parse_keywords(target) or {}
    return [pairs[k] for k in keys if pairs.get(k)]


def redact_message(message: str, target: str | None) -> str:
    """A message (a driver's error text) fit to show: `redact_address`, and the passwords of
    `target` removed wherever the message quotes them bare."""
    from urllib.parse import quote

    message = redact_address(message)
    for secret in address_secrets(target) if target else []:
        if len(secret) >= 3:
            message = message.replace(secret, HIDDEN).replace(quote(secret, safe=""), HIDDEN)
    return message


def open_database(target: str, *, device_name: str | None = None) -> Database:
    """Open (creating or upgrading as needed) the database at a path or URL.

    A database from an older version is upgraded after a timestamped backup copy; one from a
    newer version is refused; a file that is not ours is refused and left untouched."""
    from sqlalchemy.exc import DBAPIError

    target = as_address(target)
    path = None if is_url(target) else Path(target).expanduser()
    if path is not None:
        _prepare_file(path)
        target = str(path)
    engine = None
    backup = None
    checked = False
    try:
        if path is not None:
            rev, has_tables = sqlite_revision(path)
            _check_revision(rev, has_tables, target)
            if has_tables:
                # Read-only, before anything is written: a damaged file stays as it was.
                problems = quick_check(path, seconds=OPEN_CHECK_SECONDS)
                if problems:
                    raise damaged_error(target, detail=_problem_text(problems))
                checked = problems is not None
            else:
                checked = True
            engine = make_engine(target)
        else:
            engine = make_engine(target)
            rev, has_tables = current_revision(engine)
            _check_revision(rev, has_tables, target)
        if rev != HEAD_REVISION:
            if rev is not None and path is not None:
                backup = backup_sqlite(path, "backup")
            upgrade_schema(engine)
        device_id, name = _ensure_local_device(engine, device_name)
    except DatabaseError:
        if engine is not None:
            engine.dispose()
        raise
    except (DBAPIError, sqlite3.Error) as exc:
        if engine is not None:
            engine.dispose()
        orig = getattr(exc, "orig", None) or exc
        raise _translate_open_error(orig, target) from None
    db = Database(engine, target, device_id, name, HEAD_REVISION, backup, checked)
    if path is not None:
        _remember_open_file(target)
        db._registered = True
    return db


def _check_revision(rev: str | None, has_tables: bool, target: str) -> None:
    if rev == HEAD_REVISION:
        return
    if rev is None and has_tables:
        raise DatabaseError(
            f"{redact_address(target)} indeholder en database, der ikke er lavet af udviklingsdag."
            " Den er ikke ændret. Angiv en anden fil med --db."
        )
    if rev is not None and rev not in _known_revisions():
        raise NewerDatabaseError(
            f"Databasen {redact_address(target)} er lavet med en nyere version af udviklingsdag "
            f"(skema {rev}). Opdatér programmet for at åbne den; filen er ikke ændret."
        )


def _ensure_local_device(engine: Engine, device_name: str | None) -> tuple[str, str]:
    """This database's own device. A SQLite file is one laptop: its device lives in the file.
    A shared PostgreSQL database has several tovholdere: each user's device id lives in their
    own data folder, so undo and «who changed this» stay per person."""
    from sqlalchemy import select

    from .tables import Device, Meta, sql_table

    dev, meta = sql_table(Device), sql_table(Meta)
    shared = engine.dialect.name != "sqlite"
    own_id = _user_device_id() if shared else None
    where = dev.c.id == own_id if shared else dev.c.is_local
    with engine.connect() as conn:
        row = conn.execute(select(dev.c.id, dev.c.navn).where(where)).first()
        if row is not None:
            return row.id, row.navn
    # As a writer, and looking again: two processes opening a new database at once must not
    # both add a device.
    with write_begin(engine) as conn:
        row = conn.execute(select(dev.c.id, dev.c.navn).where(where)).first()
        if row is not None:
            return row.id, row.navn
        device_id = own_id or str(uuid.uuid4())
        name = device_name or _default_device_name(shared)
        conn.execute(dev.insert().values(id=device_id, navn=name, is_local=True))
        created = {"key": DATABASE_CREATED_AT.key, "value": datetime.now().isoformat()}
        insert_ignore(conn, meta, [created])
        return device_id, name


def _default_device_name(shared: bool) -> str:
    host = socket.gethostname() or "Ukendt bærbar"
    if not shared:
        return host
    import getpass

    try:
        return f"{getpass.getuser()}@{host}"
    except Exception:
        return host


def _user_device_id() -> str:
    """This user's device id for shared databases, kept in the app's data folder."""
    from .paths import data_dir

    path = data_dir() / "device-id"
    try:
        value = path.read_text(encoding="utf-8").strip()
        uuid.UUID(value)
        return value
    except (OSError, ValueError):
        pass
    broken = path.exists()  # there, but not a device id: replace it
    value = str(uuid.uuid4())
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_name(f"device-id.{os.getpid()}.tmp")
        tmp.write_text(value, encoding="utf-8")
        try:
            if broken:
                os.replace(tmp, path)
            else:
                # A hard link appears whole and fails when the name exists: of two processes
                # of this user opening a shared database at once, one id wins and both use it.
                os.link(tmp, path)
        except FileExistsError:
            pass
        except OSError:  # no hard links on this file system: the last writer wins
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        winner = path.read_text(encoding="utf-8").strip()
        uuid.UUID(winner)
        return winner
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "ugyldigt indhold"
        raise DatabaseError(
            f"Programmets datamappe {path.parent} kan ikke skrives ({reason}). "
            "Giv skriveadgang til den, og prøv igen."
        ) from None


@contextmanager
def write_begin(engine: Engine) -> Iterator[Connection]:
    """A write transaction: `with write_begin(engine) as conn: ...` commits or rolls back."""
    with engine.connect() as conn:
        conn.execution_options(immediate=True)
        with conn.begin():
            if conn.dialect.name == "postgresql":
                # The same rule as SQLite's BEGIN IMMEDIATE: one writer at a time per database,
                # so two tovholdere importing at once cannot interleave their head updates.
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")
            yield conn


def insert_ignore(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    """Insert rows, skipping those whose primary key exists (portable: SQLite and PostgreSQL)."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        conn.execute(postgresql.insert(table).on_conflict_do_nothing(), rows)
    else:
        from sqlalchemy.dialects import sqlite

        conn.execute(sqlite.insert(table).on_conflict_do_nothing(), rows)


ID_CHUNK = 900  # ids per IN (...) list on SQLite: below every build's variable limit


def id_filters(conn: Connection, column: Any, ids: Iterable[str]) -> Iterator[Any]:
    """WHERE terms that together select the rows whose `column` is one of `ids`. On SQLite
    IN lists of `ID_CHUNK` ids. On PostgreSQL one `= ANY(...)` with every id in one parameter:
    one round trip, no query of 900 placeholders for psycopg to parse, and the server hashes
    the list. The ids travel as one newline-separated text (psycopg builds a text array in
    Python, measured three times slower for 80,000 ids), unless an id holds a newline."""
    from sqlalchemy import any_

    wanted = sorted(set(ids))
    if not wanted:
        return
    if conn.dialect.name == "postgresql":
        yield column == any_(_pg_texts(wanted))
        return
    for i in range(0, len(wanted), ID_CHUNK):
        yield column.in_(wanted[i : i + ID_CHUNK])


def _pg_texts(values: list[str]) -> Any:
    """A list of texts as one PostgreSQL parameter expression (see `id_filters`)."""
    from sqlalchemy import ARRAY, Text, bindparam, func

    joined = "\n".join(values)
    if joined.count("\n") == len(values) - 1:
        return func.string_to_array(bindparam(None, joined, type_=Text), "\n")
    return bindparam(None, values, type_=ARRAY(Text))


def bytewise(column: Any, *, descending: bool = False) -> Any:
    """An ORDER BY term for `column` that sorts the same on every backend: text by code
    point, as SQLite's BINARY collation does (a PostgreSQL server otherwise sorts by its own
    locale, and a Danish one reads «aa» as «å», so ids and names would come out in another
    order than on the laptops), and NULLs where SQLite puts them (first, or last when
    descending; PostgreSQL does the opposite)."""
    term = _Bytewise(column)
    return term.desc().nulls_last() if descending else term.asc().nulls_first()


def _bytewise_class() -> Any:
    from sqlalchemy import Boolean, Date, Float, Integer
    from sqlalchemy.ext.compiler import compiles
    from sqlalchemy.sql.compiler import SQLCompiler
    from sqlalchemy.sql.elements import ColumnElement
    from sqlalchemy.sql.visitors import InternalTraversal

    class Bytewise(ColumnElement[Any]):
        inherit_cache = True
        _traverse_internals = [("clause", InternalTraversal.dp_clauseelement)]

        def __init__(self, clause: Any) -> None:
            self.clause = clause
            self.type = clause.type

    @compiles(Bytewise)
    def _plain(element: Bytewise, compiler: SQLCompiler, **kw: Any) -> str:
        return compiler.process(element.clause, **kw)

    @compiles(Bytewise, "postgresql")
    def _c_collation(element: Bytewise, compiler: SQLCompiler, **kw: Any) -> str:
        text = compiler.process(element.clause, **kw)
        # Only text has a collation (a date or a number sorts the same everywhere).
        plain = isinstance(element.type, Date | Float | Integer | Boolean)
        return text if plain else f'{text} COLLATE "C"'

    return Bytewise


class _LazyBytewise:
    # Built on first use: importing models.db must stay cheap (SQLAlchemy loads lazily).
    cls: Any = None

    def __call__(self, clause: Any) -> Any:
        if self.cls is None:
            self.cls = _bytewise_class()
        return self.cls(clause)


_Bytewise = _LazyBytewise()
