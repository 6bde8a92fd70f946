"""Kill at any moment during an SBSYS export: the export folder never shows a half-written
package. Every package folder that is visible is complete (every file there and whole), and a
package from an earlier export that was being replaced is never lost."""

from __future__ import annotations

import json
import random
import shutil
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from exports import sbsys
from models.db import open_database

from ._util import fork_and_kill

ROUNDS = 6


def _export(db_path: Path, out: Path, ids: list[str]) -> Callable[[Callable[[str], None]], None]:
    def work(report: Callable[[str], None]) -> None:
        db = open_database(str(db_path))
        report("ready")
        sbsys.export_sbsys(db, out, ids, sbsys.ExportOptions(workers=1))
        report("done")

    return work


def _whole(path: Path) -> bool:
    data = path.read_bytes()
    if path.suffix in (".xlsx", ".docx", ".zip"):
        try:
            with zipfile.ZipFile(path) as z:
                return z.testzip() is None
        except zipfile.BadZipFile:
            return False
    if path.suffix == ".pdf":
        return data.startswith(b"%PDF") and b"%%EOF" in data[-1024:]
    if path.suffix == ".json":
        try:
            json.loads(data)
        except ValueError:
            return False
        return True
    return len(data) > 0


def _packages(out: Path) -> dict[str, set[str]]:
    """Visible package folders and their files (hidden staging/old folders left out)."""
    return {
        p.name: {f.name for f in p.iterdir()}
        for p in out.iterdir()
        if p.is_dir() and not p.name.startswith(".")
    }


def test_sigkill_during_sbsys_export_leaves_no_half_package(
    small_workshop, base_copy: Path, tmp_path: Path
) -> None:
    from models.queries import maalplaner_overview

    db = open_database(str(base_copy))
    try:
        ids = [p.id for p in maalplaner_overview(db)][:2]
    finally:
        db.close()
    assert len(ids) == 2
    reference = tmp_path / "reference"
    t0 = time.perf_counter()
    fork_and_kill(_export(base_copy, reference, ids), 600)
    duration = time.perf_counter() - t0
    expected = _packages(reference)
    assert len(expected) == len(ids)
    files = next(iter(expected.values()))
    assert {".xlsx", ".docx", ".pdf"} <= {Path(f).suffix for f in files}

    rng = random.Random(66)
    for n in range(ROUNDS):
        out = tmp_path / f"round-{n}"
        replacing = n % 2 == 1
        if replacing:
            shutil.copytree(reference, out)
        # Rendering comes first and writes nothing; aim most kills at the writing and renaming.
        delay = duration * rng.choice([rng.uniform(0, 1), rng.uniform(0.6, 1.05)])
        lines, _finished = fork_and_kill(_export(base_copy, out, ids), delay)
        if not out.exists():
            assert not replacing
            continue
        visible = _packages(out)
        for name, names in visible.items():
            assert name in expected, name
            assert names == expected[name], f"half-written package {name}: {names}"
            for f in names:
                assert _whole(out / name / f), f"{name}/{f} is not whole"
        if replacing:
            hidden = {p.name for p in out.iterdir() if p.name.startswith(".")}
            for name in expected:
                # Being swapped at the moment of the kill: the old one is kept beside it.
                assert name in visible or any(h.startswith(f".{name}.") for h in hidden), name
        if "done" in lines:
            assert visible == expected
