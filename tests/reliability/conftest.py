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


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo workshop, built once per test process; copy it with `demo_db`."""
    from models.db import open_database
    from models.demo import build_demo
    from models.store import Store

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    db = open_database(str(path), device_name="Tovholder")
    try:
        build_demo(Store(db))
    finally:
        db.close()
    return path


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Path:
    """A private copy of the demo database."""
    from bench.generate import copy_sqlite

    target = tmp_path / "demo.db"
    copy_sqlite(demo_template, target)
    return target
