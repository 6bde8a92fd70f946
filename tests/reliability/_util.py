"""Helpers shared by the reliability tests: digests of a database, integrity checks and a
forked child that the parent can kill with SIGKILL at any moment."""

from __future__ import annotations

import hashlib
import os
import select
import signal
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

# Bugs this suite found in other modules. The tests that show them are marked xfail(strict=True):
# they fail the run again (XPASS) as soon as the bug is fixed, so the marker cannot be forgotten.

# Tables whose rows carry a fresh id or a timestamp on every run (compared separately).
VOLATILE = {"import_ledger"}


def db_digest(path: Path | str, *, skip: set[str] | frozenset[str] = frozenset()) -> str:
    """SHA-256 over every row of every table (sorted, so row order does not matter)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        h = hashlib.sha256()
        names = [
            r[0]
            for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
        ]
        for name in names:
            if name in skip:
                continue
            rows = sorted(repr(r) for r in con.execute(f'SELECT * FROM "{name}"'))
            h.update(name.encode())
            for r in rows:
                h.update(r.encode())
        return h.hexdigest()
    finally:
        con.close()


def file_digest(path: Path | str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def integrity(path: Path | str) -> str:
    """`PRAGMA integrity_check` of a SQLite file (replays its WAL first, like any opener)."""
    con = sqlite3.connect(path)
    try:
        return ";".join(r[0] for r in con.execute("PRAGMA integrity_check"))
    finally:
        con.close()


def scalar(path: Path | str, sql: str, *args: object) -> object:
    con = sqlite3.connect(path)
    try:
        row = con.execute(sql, args).fetchone()
        return row[0] if row else None
    finally:
        con.close()


def fork_and_kill(
    work: Callable[[Callable[[str], None]], None], delay: float
) -> tuple[list[str], bool]:
    """Run `work(report)` in a forked child and SIGKILL it after `delay` seconds (measured
    from its first report, "ready"). Returns the lines it reported before it died and whether
    it finished by itself first. A report is written only after the work it describes has
    returned, so a reported edit was committed."""
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        code = 0
        try:
            os.close(rfd)

            def report(line: str) -> None:
                os.write(wfd, (line + "\n").encode())

            work(report)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(wfd)
    buf = b""
    deadline: float | None = None
    finished = False
    # A child that never gets ready (hung in start-up) must not hang the test session.
    give_up = time.monotonic() + 120
    try:
        while True:
            limit = give_up if deadline is None else deadline
            timeout = max(0.0, limit - time.monotonic())
            ready, _, _ = select.select([rfd], [], [], timeout)
            if not ready:
                if deadline is None:
                    raise TimeoutError("the child process never reported «ready»")
                break
            chunk = os.read(rfd, 65536)
            if not chunk:
                finished = True
                break
            buf += chunk
            if deadline is None and b"ready\n" in buf:
                deadline = time.monotonic() + delay
    finally:
        if not finished:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        # What was in the pipe when it died was reported before the kill.
        while True:
            try:
                ready, _, _ = select.select([rfd], [], [], 0)
                if not ready:
                    break
                chunk = os.read(rfd, 65536)
            except OSError:
                break
            if not chunk:
                break
            buf += chunk
        os.close(rfd)
    lines = buf.decode().splitlines()
    return [ln for ln in lines if ln != "ready"], finished
