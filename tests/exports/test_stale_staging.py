"""Leftovers of a crashed export (kill -9, power cut) are cleaned up by the next export: only
our own hidden staging names, older than the process, never a running export's folder and
never the only copy of a package."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

import exports.atomic as atomic
from exports.sbsys import ExportOptions, export_sbsys

ROOT = Path(__file__).resolve().parents[2]

CRASH = """
import os, sys
from pathlib import Path
from exports.atomic import staging_dir
cm = staging_dir(Path(sys.argv[1]))
stage = cm.__enter__()
(stage / "Halv pakke").mkdir()
(stage / "Halv pakke" / "plan.pdf").write_bytes(b"%PDF-1.7 halv")
os._exit(9)  # dies like kill -9: no clean-up runs
"""


def _crash_export(out: Path) -> Path:
    """A real process that dies in the middle of writing into its staging folder."""
    proc = subprocess.run(
        [sys.executable, "-c", CRASH, str(out)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 9
    (stage,) = [p for p in out.iterdir() if p.name.startswith(atomic.STAGING_PREFIX)]
    return stage


def _age(path: Path, seconds: float = 3600) -> None:
    old = time.time() - seconds
    os.utime(path, (old, old))


def test_next_export_removes_a_crashed_exports_staging(plan_store, tmp_path, monkeypatch):
    store, ids = plan_store
    out = tmp_path / "ud"
    crashed = _crash_export(out)
    # Made after this test process started, so not yet provably stale: kept.
    export_sbsys(store.db, out, [ids["plan"]], ExportOptions(when=date(2027, 1, 31)))
    assert crashed.exists()
    # The app is started again later: now it is older than the process, and its process is gone.
    monkeypatch.setattr(atomic, "_PROCESS_START", time.time() + 1)
    result = export_sbsys(store.db, out, [ids["plan"]], ExportOptions(when=date(2027, 1, 31)))
    assert not crashed.exists()
    assert sorted(p.name for p in out.iterdir()) == [result.packages[0].folder.name]


def test_only_our_stale_names_are_removed(tmp_path):
    out = tmp_path / "ud"
    out.mkdir()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    ).stdout.strip()
    names = {
        f"{atomic.STAGING_PREFIX}abc_12xy": "removed",  # an older version's name, no pid
        f"{atomic.STAGING_PREFIX}{dead}-k3j_x9q1": "removed",  # its process is gone
        f"{atomic.STAGING_PREFIX}{os.getpid()}-aaaa1111": "kept",  # a running export (us)
        ".Pakke.0123abcd.old": "removed",  # replaced: the new Pakke is in place
        ".Andet.89abcdef.old": "kept",  # the only copy of Andet: never removed
        ".mine-noter": "kept",  # the user's own hidden folder
        "Pakke": "kept",
    }
    for name in names:
        (out / name).mkdir()
        (out / name / "fil.txt").write_text("x")
        _age(out / name)
    young = out / f"{atomic.STAGING_PREFIX}ny_1234"
    young.mkdir()  # younger than this process: may be another window's export right now
    with atomic.staging_dir(out) as stage:
        assert stage.name.startswith(f"{atomic.STAGING_PREFIX}{os.getpid()}-")
        left = {p.name for p in out.iterdir()}
    assert young.name in left
    for name, fate in names.items():
        assert (name in left) == (fate == "kept"), name
    assert not stage.exists()


@pytest.mark.skipif(os.name != "posix", reason="symlinks and utime as on Linux")
def test_a_symlink_with_our_name_is_left_alone(tmp_path):
    out = tmp_path / "ud"
    out.mkdir()
    target = tmp_path / "andet-sted"
    target.mkdir()
    link = out / f"{atomic.STAGING_PREFIX}abc_12xy"
    link.symlink_to(target)
    os.utime(link, (1, 1), follow_symlinks=False)
    assert atomic.remove_stale_staging(out) == []
    assert link.is_symlink() and target.exists()
