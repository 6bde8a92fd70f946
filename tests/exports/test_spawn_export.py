"""The SBSYS export as Windows runs it: Windows has no `forkserver`, so the rendering processes
start with `spawn` (each imports the libraries itself, and the main module is imported again
as `__mp_main__`). These tests make this platform offer only `spawn`, as Windows does, and
check that the worker processes really render the packages, with the same text as an export
rendered in one process, and that the command ends cleanly."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from exports import sbsys
from exports.reference import office_text, pdf_text

ROOT = Path(__file__).resolve().parents[2]
WHEN = date(2026, 11, 25)


def test_start_method_is_spawn_where_there_is_no_forkserver():
    assert sbsys.worker_start_method(["spawn"]) == "spawn"  # Windows
    assert sbsys.worker_start_method(["fork", "spawn", "forkserver"]) == "forkserver"  # Linux
    assert sbsys.worker_start_method(["spawn", "fork", "forkserver"]) == "forkserver"  # macOS


def _texts(folder: Path) -> dict[str, str]:
    """The document text of every package in `folder` (what a reader sees, without the
    timestamps inside the files)."""
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        if path.suffix in (".docx", ".xlsx"):
            found[path.relative_to(folder).as_posix()] = office_text(path.read_bytes(), path.suffix)
        elif path.suffix == ".pdf":
            found[path.relative_to(folder).as_posix()] = pdf_text(path.read_bytes())
    return found


def test_spawned_workers_render_what_one_process_renders(plan_store, tmp_path, monkeypatch):
    store, _ids = plan_store
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    monkeypatch.setattr(sbsys, "PARALLEL_THRESHOLD", 1)
    pools = []
    jobs = []
    start_pool = sbsys._start_pool

    def recording_pool(workers):
        pool = start_pool(workers)
        assert pool is not None, "the worker processes did not start with spawn"
        submit = pool.submit

        def recording_submit(fn, /, *args, **kwargs):
            future = submit(fn, *args, **kwargs)
            jobs.append((fn, future))
            return future

        pool.submit = recording_submit
        pools.append(pool)
        return pool

    monkeypatch.setattr(sbsys, "_start_pool", recording_pool)
    spawned = sbsys.export_sbsys(
        store.db, tmp_path / "spawn", None, sbsys.ExportOptions(when=WHEN, workers=2)
    )
    assert [pool._mp_context.get_start_method() for pool in pools] == ["spawn"]
    rendered = [future for fn, future in jobs if fn is sbsys.render_package]
    # Every package came back from a worker (none was left to the fallback in this process).
    assert len(rendered) == len(spawned.packages) == 2
    assert all(f.done() and not f.cancelled() and f.exception() is None for f in rendered)

    here = sbsys.export_sbsys(
        store.db, tmp_path / "here", None, sbsys.ExportOptions(when=WHEN, workers=1)
    )
    assert [p.folder.name for p in spawned.packages] == [p.folder.name for p in here.packages]
    spawned_texts = _texts(tmp_path / "spawn")
    assert len(spawned_texts) == 6  # .xlsx, .docx and .pdf of each plan
    assert spawned_texts == _texts(tmp_path / "here")


# The export through the command line with only `spawn` on offer, run as a script: the
# spawned workers import this file again as `__mp_main__`, as they import the
# `udviklingsdag` launcher on Windows, so the guard below keeps them from exporting too.
SCRIPT = """
import multiprocessing
import sys

from exports import sbsys

multiprocessing.get_all_start_methods = lambda: ["spawn"]
sbsys.PARALLEL_THRESHOLD = 1

if __name__ == "__main__":
    from tui.cli import main

    sys.exit(main(["--db", sys.argv[1], "export", "sbsys", sys.argv[2]]))
"""


def test_cli_export_with_spawn_ends_cleanly(plan_store, db_path, tmp_path):
    script = tmp_path / "export_spawn.py"
    script.write_text(SCRIPT, encoding="utf-8")
    systemtemp = tmp_path / "systemtemp"
    systemtemp.mkdir()
    out = tmp_path / "ud"
    run = subprocess.run(
        [sys.executable, str(script), str(db_path), str(out)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(systemtemp)},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 0, run.stderr
    assert "2 målplaner er eksporteret" in run.stdout, run.stdout
    assert "Traceback" not in run.stderr, run.stderr
    folders = sorted(p for p in out.iterdir() if not p.name.startswith("."))
    assert len(folders) == 2
    for folder in folders:
        assert sorted(p.suffix for p in folder.iterdir() if p.suffix != ".json") == [
            ".docx",
            ".pdf",
            ".txt",
            ".xlsx",
        ]
    assert list(systemtemp.iterdir()) == []  # the workers' temp folder went with them


@pytest.mark.skipif(os.name == "nt", reason="tells the POSIX default apart from Windows'")
def test_this_platform_still_uses_the_forkserver():
    assert sbsys.worker_start_method() == "forkserver"
