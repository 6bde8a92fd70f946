"""Kill at any moment: a child process types through `Store` (the app's own save path) and
reports every edit once it has returned; the parent kills it with SIGKILL at random moments.
After every kill the file must pass `PRAGMA integrity_check`, hold every reported edit, hold no
half of an action, and open again with `open_database`."""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from models.db import open_database
from models.store import Store

from ._util import fork_and_kill, integrity

ROUND_BUDGET_S = 9.0
MIN_ROUNDS = 12
MAX_ROUNDS = 60
GROUP = 4  # tegn created by one grouped action


def _seed_db(path: Path) -> str:
    db = open_database(str(path), device_name="Bord 1")
    try:
        store = Store(db)
        e = store.create("enhed", navn="Egeskolen", type="enhed")
        ms = store.create("maalsaetning", tekst="Flere børn oplever fællesskab.")
        return store.create("maal", maalsaetning_id=ms, enhed_id=e, tekst="Alle har en ven.")
    finally:
        db.close()


def _editor(path: Path, maal_id: str, seed: int) -> Callable[[Callable[[str], None]], None]:
    def work(report: Callable[[str], None]) -> None:
        rng = random.Random(seed)
        db = open_database(str(path))
        store = Store(db)
        mine: list[str] = []
        report("ready")
        n = 0
        while True:
            n += 1
            roll = rng.random()
            if roll < 0.45 or not mine:
                text = f"r{seed}-n{n} æøå"
                rid = store.create("tegn", maal_id=maal_id, tekst=text)
                mine.append(rid)
                report(f"C\t{rid}\t{text}")
            elif roll < 0.8:
                rid = rng.choice(mine)
                text = f"r{seed}-u{n} ændret"
                store.update("tegn", rid, tekst=text)
                report(f"U\t{rid}\t{text}")
            elif roll < 0.9:
                with store.action() as tx:
                    ids = [
                        store.create("tegn", maal_id=maal_id, tekst=f"r{seed}-g{n}-{k}", tx=tx)
                        for k in range(GROUP)
                    ]
                report("G\t" + "\t".join(ids))
            else:
                rid = rng.choice(mine)
                store.delete("tegn", rid)
                mine.remove(rid)
                report(f"D\t{rid}\t")

    return work


def _check(path: Path, lines: list[str]) -> int:
    assert integrity(path) == "ok"
    con = sqlite3.connect(path)
    try:
        values = {
            (r, v) for r, v in con.execute("SELECT row_id, value FROM change WHERE field = 'tekst'")
        }
        rows = {r[0]: (r[1], r[2]) for r in con.execute("SELECT id, tekst, deleted FROM tegn")}
        for line in lines:
            kind, rid, *rest = line.split("\t")
            if kind in ("C", "U"):
                # The reported value is in the change log, and the row exists.
                assert (rid, f'"{rest[0]}"') in values, line
                assert rid in rows, line
            elif kind == "G":
                for gid in [rid, *rest]:
                    assert gid in rows, line
            elif kind == "D":
                assert rows[rid][1] == 1, line
        # No half of any action: every created tegn has all its fields in the log ...
        created = dict(
            con.execute(
                "SELECT row_id, count(*) FROM change WHERE entity = 'tegn' AND replaces IS NULL "
                "AND field != 'deleted' GROUP BY row_id"
            ).fetchall()
        )
        assert set(created) == set(rows)
        assert set(created.values()) <= {7}
        # ... every grouped action holds all its rows ...
        sizes = [
            n
            for (n,) in con.execute(
                "SELECT count(DISTINCT row_id) FROM change WHERE entity='tegn' GROUP BY action_id"
            )
        ]
        assert all(n in (1, GROUP) for n in sizes)
        # ... and each row shows the value of its field's head.
        mismatch = con.execute(
            "SELECT count(*) FROM tegn t JOIN field_head h ON h.entity='tegn' AND "
            "h.row_id=t.id AND h.field='tekst' JOIN change c ON c.id=h.change_id "
            "WHERE c.value != json_quote(t.tekst)"
        ).fetchone()[0]
        assert mismatch == 0
        heads = con.execute(
            "SELECT count(*) FROM field_head GROUP BY entity, row_id, field HAVING count(*) > 1"
        ).fetchall()
        assert heads == []
    finally:
        con.close()
    return len(lines)


def test_sigkill_during_edits_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "kill.db"
    maal_id = _seed_db(path)
    rng = random.Random(20261125)
    started = time.monotonic()
    rounds = reported = finished = 0
    all_lines: list[str] = []
    while rounds < MAX_ROUNDS and (
        rounds < MIN_ROUNDS or time.monotonic() - started < ROUND_BUDGET_S
    ):
        rounds += 1
        # Mostly short lives (kills land in every phase of a write), sometimes longer ones.
        delay = rng.choice([rng.uniform(0, 0.03), rng.uniform(0, 0.15), rng.uniform(0.1, 0.4)])
        lines, done = fork_and_kill(_editor(path, maal_id, rounds), delay)
        finished += done
        all_lines.extend(lines)
        # Everything reported in any earlier life must still be there.
        reported = _check(path, all_lines)
        db = open_database(str(path))
        db.close()
    assert finished == 0, "the child must be killed, not finish"
    assert reported > 50, f"only {reported} edits in {rounds} rounds: the test proves little"
    # The database still takes edits afterwards.
    db = open_database(str(path))
    try:
        Store(db).create("tegn", maal_id=maal_id, tekst="efter nedbruddene")
    finally:
        db.close()
    assert integrity(path) == "ok"
