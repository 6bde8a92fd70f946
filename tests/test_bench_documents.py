"""The document rows' child process (bench/_documents.py) on the demo: the August report
package, the Plan A posters and a sample of SBSYS packages are written and their PDF pages
counted, so `bench.run`'s `documents` rows measure what they say."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import _documents
from models.db import open_database
from models.demo import build_demo
from models.store import Store


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench-documents") / "demo.db"
    db = open_database(str(path), device_name="Bench")
    try:
        build_demo(Store(db))
    finally:
        db.close()
    return path


def test_the_report_package(demo: Path, tmp_path: Path) -> None:
    result = _documents.run("augustrapport", str(demo), str(tmp_path / "ud"))
    assert result["maal"] and result["pages"] >= 2
    assert 0 < result["data_seconds"] < result["seconds"] + result["data_seconds"]
    (folder,) = (tmp_path / "ud").iterdir()
    assert (folder / "journalisering.json").exists()


def test_posters_and_sbsys_pages(demo: Path, tmp_path: Path) -> None:
    posters = _documents.run("plan-a", str(demo), str(tmp_path / "plakater"))
    assert posters["posters"] > 0 and posters["pages"] == posters["posters"]  # one A3 page each
    sbsys = _documents.run("sbsys:2", str(demo), str(tmp_path / "sbsys"))
    assert sbsys["maalplaner"] == 2 and sbsys["pages"] >= 2
    with pytest.raises(SystemExit):
        _documents.run("ukendt", str(demo), str(tmp_path / "x"))
