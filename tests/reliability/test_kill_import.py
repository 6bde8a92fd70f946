"""Kill at any moment during an import of handoff files: afterwards either the whole import is
there (its ledger rows and every entry) or none of it, never a half-applied import."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path

from bench.generate import copy_sqlite
from exports.bundle import import_bundles
from models.db import open_database

from ._util import db_digest, fork_and_kill, integrity, scalar

ROUNDS = 14


def _importer(path: Path, files: list[Path]) -> Callable[[Callable[[str], None]], None]:
    def work(report: Callable[[str], None]) -> None:
        db = open_database(str(path))
        report("ready")
        import_bundles(db, files)
        report("done")

    return work


def test_sigkill_during_import_is_all_or_nothing(small_workshop, tmp_path: Path) -> None:
    files = small_workshop.handoffs
    pristine = tmp_path / "pristine.db"
    copy_sqlite(small_workshop.base_db, pristine)
    before = db_digest(pristine, skip={"import_ledger"})
    assert scalar(pristine, "SELECT count(*) FROM import_ledger") == 0

    # The complete import once, for the state it must reach and for its duration.
    full = tmp_path / "full.db"
    copy_sqlite(pristine, full)
    db = open_database(str(full))
    try:
        t0 = time.perf_counter()
        report = import_bundles(db, files)
        duration = time.perf_counter() - t0
    finally:
        db.close()
    assert report.new > 300
    after = db_digest(full, skip={"import_ledger"})
    assert after != before

    rng = random.Random(6)
    outcomes = {"none": 0, "all": 0}
    for n in range(ROUNDS):
        target = tmp_path / f"round-{n}.db"
        copy_sqlite(pristine, target)
        lines, finished = fork_and_kill(_importer(target, files), rng.uniform(0, duration * 1.3))
        assert integrity(target) == "ok"
        ledger = scalar(target, "SELECT count(*) FROM import_ledger")
        state = db_digest(target, skip={"import_ledger"})
        if ledger == 0:
            assert "done" not in lines
            assert state == before, "a killed import left some of its entries behind"
            outcomes["none"] += 1
        else:
            assert ledger == len(files)
            assert state == after, "the ledger says imported, but entries are missing"
            outcomes["all"] += 1
        db = open_database(str(target))
        db.close()
        del finished
    # The kills landed both before and after the commit, so both branches were checked.
    assert outcomes["none"] >= 2, outcomes
    # The interrupted import can simply be run again.
    again = tmp_path / "round-0.db"
    db = open_database(str(again))
    try:
        import_bundles(db, files)
    finally:
        db.close()
    assert db_digest(again, skip={"import_ledger"}) == after
