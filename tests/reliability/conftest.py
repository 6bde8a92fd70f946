"""Fixtures of the reliability suite: a small generated workshop (a municipality, its pack and
a few laptops' handoff files), made once per test process."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def small_workshop(tmp_path_factory: pytest.TempPathFactory):
    """bench.generate's workshop at a fiftieth of the size: 3 laptops, ~200 entries each."""
    from bench.generate import make_workshop

    folder = tmp_path_factory.mktemp("workshop")
    return make_workshop(folder, scale=0.02, laptops=3, entries_per_laptop=200, jobs=1)


@pytest.fixture
def base_copy(small_workshop, tmp_path: Path) -> Path:
    """A private copy of the tovholder's database (holds the workshop pack's rows)."""
    from bench.generate import copy_sqlite

    target = tmp_path / "tovholder.db"
    copy_sqlite(small_workshop.base_db, target)
    return target
