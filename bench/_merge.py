"""Child process of the merge rows: `python -m bench._merge TARGET BASE FILE...`.

Copies BASE (a SQLite file) to TARGET, or, when TARGET is a postgresql:// URL, uses that
database as it is; then imports FILE... twice (fresh, then again: every entry known) and prints
one JSON line with the two durations, the entries counted and the peak resident memory of this
process (ru_maxrss). Run in its own process so the memory figure is the merge's own."""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    target, base, *files = argv
    from models.db import open_database
    from models.merge import import_bundles
    from models.store import Store

    if "://" not in target:
        from bench.generate import copy_sqlite

        copy_sqlite(Path(base), Path(target))
    db = open_database(target)
    try:
        store = Store(db)
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t0 = time.perf_counter()
        first = import_bundles(store, files)
        fresh = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = import_bundles(store, files)
        repeat = time.perf_counter() - t0
    finally:
        db.close()
    print(
        json.dumps(
            {
                "fresh": fresh,
                "repeat": repeat,
                "received": first.received,
                "new": first.new,
                "conflicts": first.conflicts,
                "open_conflicts": first.open_conflicts,
                "repeat_new": again.new,
                "rss_before_mb": rss0 / 1024,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
