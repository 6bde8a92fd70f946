"""What SQLite alone takes to write what a merge writes: `python -m bench.bare_merge_write
BASE FOLDER FILE...` (issue 17's «the merge near its floor»).

Merges the handoff files FILE... into a copy of the database BASE with the app (in FOLDER),
then takes what the merge changed (the new change rows, field heads and superseded ids, and
every domain row that differs) into a side file, and copies it into a second, fresh copy of
BASE with plain `INSERT … SELECT` statements in one transaction, with the app's pragmas (WAL,
synchronous=FULL, the merge's page cache): no Python per row, no checks. Prints one JSON
line with each step's seconds and the rows written. Heads the merge removed are not removed
here, so the figure is if anything below what the merge's writes cost."""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
import time
from pathlib import Path

_LOG = ("change", "field_head", "superseded")
_LOCAL = ("import_ledger", "meta", "device", "alembic_version")


def _merged(base: Path, folder: Path, files: list[str]) -> Path:
    from exports.bundle import import_bundles
    from models.db import open_database
    from models.store import Store

    merged = folder / "merged.db"
    shutil.copy(base, merged)
    db = open_database(str(merged))
    try:
        import_bundles(Store(db), files)
    finally:
        db.close()
    return merged


def _delta(base: Path, merged: Path, side: Path) -> dict[str, int]:
    side.unlink(missing_ok=True)
    con = sqlite3.connect(side)
    con.execute("ATTACH ? AS m", (str(merged),))
    con.execute("ATTACH ? AS b", (str(base),))
    con.execute(
        'CREATE TABLE "change" AS SELECT * FROM m."change" '
        'WHERE id NOT IN (SELECT id FROM b."change")'
    )
    names = [
        r[0]
        for r in con.execute(
            "SELECT name FROM m.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
        )
    ]
    for name in names:
        if name not in ("change", *_LOCAL):
            con.execute(
                f'CREATE TABLE "{name}" AS SELECT * FROM m."{name}" EXCEPT SELECT * FROM b."{name}"'
            )
    con.commit()
    counts = {
        name: con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
        for name in names
        if name not in _LOCAL
    }
    con.close()
    return {k: v for k, v in counts.items() if v}


def main(argv: list[str]) -> int:
    base, folder, *files = argv
    work = Path(folder)
    work.mkdir(parents=True, exist_ok=True)
    merged = _merged(Path(base), work, files)
    side = work / "delta.db"
    counts = _delta(Path(base), merged, side)
    target = work / "bare.db"
    shutil.copy(base, target)
    con = sqlite3.connect(target, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute("PRAGMA cache_size=-65536")
    con.execute("ATTACH ? AS d", (str(side),))
    steps: dict[str, float] = {}
    t0 = time.perf_counter()
    con.execute("BEGIN IMMEDIATE")
    for name in counts:
        t = time.perf_counter()
        order = " ORDER BY entity, row_id" if name in ("change", "field_head") else ""
        verb = "INSERT" if name == "change" else "INSERT OR REPLACE"
        con.execute(f'{verb} INTO main."{name}" SELECT * FROM d."{name}"{order}')
        key = name if name in _LOG else "rows"
        steps[key] = steps.get(key, 0.0) + (time.perf_counter() - t)
    t = time.perf_counter()
    con.execute("COMMIT")
    steps["commit"] = time.perf_counter() - t
    total = time.perf_counter() - t0
    con.close()
    print(json.dumps({"seconds": total, "steps": steps, "rows": counts}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
