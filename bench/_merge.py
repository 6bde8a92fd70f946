"""Child process of the merge rows: `python -m bench._merge TARGET BASE FILE...`.

Copies BASE (a SQLite file) to TARGET, or, when TARGET is a postgresql:// URL, uses that
database as it is; then imports FILE... twice (fresh, then again: every entry known) and prints
one JSON line with the two durations, the entries counted and the peak resident memory of this
process. Run in its own process so the memory figure is the merge's own.

The peak is read from VmHWM in /proc/self/status where there is one, not from ru_maxrss: Linux
carries ru_maxrss across fork and exec, so a child reports at least the peak of the process
that started it (subprocess forks the bench runner, which has just imported the workshop pack
into PostgreSQL itself and holds some 900 MB). VmHWM belongs to the address space, which exec
makes new. ru_maxrss remains the fallback (macOS, where it is in bytes).

The growth benchmark (`bench.run --scale N`) also measures the exports here, each in its own
process for the same reason: `python -m bench._merge --export sqlite DB OUT` (the SQLite
export of DB to the file OUT) and `python -m bench._merge --export sbsys DB OUT` (SBSYS
packages for every målplan of DB into the folder OUT; the peak is the main process's, the
export's worker processes are not counted). Each prints one JSON line with the seconds, the
peak memory and what was written."""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def peak_rss_mb() -> float:
    """This process's own peak resident memory in MB since it was started (see above)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def export(kind: str, db_path: str, out: str) -> dict[str, object]:
    """Time one export of the database at `db_path` in this process (see the module's text)."""
    from models.db import open_database

    db = open_database(db_path)
    try:
        rss0 = peak_rss_mb()
        if kind == "sqlite":
            from exports.sqlite_export import export_sqlite

            t0 = time.perf_counter()
            written = export_sqlite(db, out)
            seconds = time.perf_counter() - t0
            what = {"rows": sum(written.values())}
        elif kind == "sbsys":
            from exports.sbsys import ExportOptions, export_sbsys
            from models.queries import maalplaner_overview

            ids = [p.id for p in maalplaner_overview(db)]
            t0 = time.perf_counter()
            export_sbsys(db, out, ids, ExportOptions())
            seconds = time.perf_counter() - t0
            what = {"maalplaner": len(ids)}
        else:
            raise SystemExit(f"ukendt eksport: {kind}")
    finally:
        db.close()
    return {"seconds": seconds, "rss_before_mb": rss0, "peak_rss_mb": peak_rss_mb(), **what}


def main(argv: list[str]) -> int:
    if argv[:1] == ["--export"]:
        _flag, kind, db_path, out = argv
        print(json.dumps(export(kind, db_path, out)))
        return 0
    target, base, *files = argv
    from exports.bundle import import_bundles
    from models.db import open_database
    from models.store import Store

    if "://" not in target:
        from bench.generate import copy_sqlite

        copy_sqlite(Path(base), Path(target))
    db = open_database(target)
    try:
        store = Store(db)
        rss0 = peak_rss_mb()
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
                "rss_before_mb": rss0,
                "peak_rss_mb": peak_rss_mb(),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
