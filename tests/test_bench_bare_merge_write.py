"""`python -m bench.bare_merge_write` (issue 17's floor for the merge's own writes): on a small
world, the bare copy holds what the app's merge wrote, row for row."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bench import bare_merge_write
from exports.bundle import write_handoff
from models.store import Store
from tests.test_merge import World, build_world


@pytest.fixture(scope="module")
def small_world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return build_world(tmp_path_factory)


def _rows(path: Path, table: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as con:
        return sorted(con.execute(f'SELECT * FROM "{table}"').fetchall())


def test_the_bare_copy_holds_what_the_merge_wrote(
    small_world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = []
    for n, name in ((1, "f1"), (2, "f2")):
        db = small_world.db(name, tmp_path)
        store = Store(db)
        store.update("maal", small_world.ids[f"m{n}"], tekst=f"Nyt mål {n}")
        store.create("tegn", maal_id=small_world.ids[f"m{n}"], tekst=f"Tegn fra bord {n}")
        files.append(str(write_handoff(db, tmp_path / f"h{n}.udviklingsdag.json").path))
        db.close()
    base = small_world.folder / "tov.db"
    out = tmp_path / "ud"
    assert bare_merge_write.main([str(base), str(out), *files]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["rows"]["tegn"] == 2 and result["rows"]["maal"] == 2
    assert result["rows"]["change"] > 4 and result["seconds"] > 0
    assert set(result["steps"]) == {"change", "field_head", "superseded", "rows", "commit"}
    for table in ("change", "maal", "tegn"):  # what the merge wrote, row for row
        assert _rows(out / "bare.db", table) == _rows(out / "merged.db", table), table
    assert len(_rows(out / "bare.db", "change")) > len(_rows(base, "change"))
