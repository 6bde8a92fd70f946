"""Ended from outside while typing: the real app runs in a terminal of its own (a pty), a table
note is typed, and the app gets SIGTERM (a shutdown, `kill`) or loses its terminal (the window
is closed: SIGHUP) before the typing pause has saved the text. The text must be in the
database afterwards, and the app must have ended."""

from __future__ import annotations

import fcntl
import os
import re
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest

from tests.tui.helpers import build_small

pytestmark = pytest.mark.skipif(os.name != "posix", reason="needs a pty and POSIX signals")

ROOT = Path(__file__).resolve().parents[2]
# The real command line; only the typing pause is made long, so that what reaches the database
# can only have been written by the signal handler, not by the pause running out.
LAUNCH = """
import sys
import screens.widgets
screens.widgets.DEBOUNCE_SECONDS = 60.0
from tui.cli import main
sys.argv = ["udviklingsdag", "--db", sys.argv[1]]
sys.exit(main())
"""
F4 = "\x1bOS"
ANSI = re.compile(r"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-B]|.)")


class Terminal:
    """The app in a pty that is its controlling terminal (as in a terminal window)."""

    def __init__(self, db: Path) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 110, 0, 0))
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "TERM": "xterm-256color",
            "COLUMNS": "110",
            "LINES": "30",
        }

        def controlling_tty() -> None:
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.proc = subprocess.Popen(
            [sys.executable, "-c", LAUNCH, str(db)],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=ROOT,
            env=env,
            preexec_fn=controlling_tty,
            close_fds=True,
        )
        os.close(slave)
        self.master = master
        self.output = ""
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            with self._lock:
                self.output += data.decode("utf-8", "replace")

    def screen_text(self) -> str:
        with self._lock:
            return ANSI.sub("", self.output)

    def wait_for(self, text: str, timeout: float = 30, *, required: bool = True) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.screen_text():
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        if not required and self.proc.poll() is None:
            return
        tail = self.screen_text()[-2000:]
        raise AssertionError(f"{text!r} never appeared on the screen; last output: {tail!r}")

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def hang_up(self) -> None:
        """The terminal window is closed: the kernel sends SIGHUP to the app."""
        os.close(self.master)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        try:
            os.close(self.master)
        except OSError:
            pass


def _table_notes(path: Path, bord_id: str) -> list[tuple[str, str]]:
    con = sqlite3.connect(path)
    try:
        return con.execute(
            "SELECT type, tekst FROM note WHERE bord_id = ? AND deleted = 0", (bord_id,)
        ).fetchall()
    finally:
        con.close()


def _type_a_note(term: Terminal, text: str) -> None:
    term.wait_for("Bord 1")  # the home screen, the chosen table highlighted
    time.sleep(0.3)  # the database opens behind the first screen
    term.send("\r")  # open the table
    term.wait_for("Alle elever har en voksen")
    term.send(F4)  # the table's own notes; the first note area has the focus
    term.wait_for("Noter for bordet")
    time.sleep(0.3)
    term.send(text)
    # On the screen, so in the field (a terminal may draw it in pieces: then wait a while).
    term.wait_for(text, timeout=5, required=False)
    time.sleep(0.3)


@pytest.mark.parametrize("how", ["SIGTERM", "SIGHUP"])
def test_pending_text_is_written_when_the_app_is_ended(tmp_path: Path, how: str) -> None:
    path = tmp_path / "signal.db"
    ids = build_small(path)
    text = "husk kaffe til bord 1"
    term = Terminal(path)
    try:
        _type_a_note(term, text)
        assert _table_notes(path, ids["bord"]) == []  # not saved yet: the pause is long
        if how == "SIGTERM":
            term.proc.send_signal(signal.SIGTERM)
        else:
            term.hang_up()
        code = term.proc.wait(20)
        if how == "SIGTERM":
            time.sleep(0.2)  # the reader takes the last output
            assert code == 0, term.screen_text()[-2000:]
            assert "Traceback" not in term.screen_text()
    finally:
        term.close()
    assert _table_notes(path, ids["bord"]) == [("note", text)]
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()
