"""Issue 17: the merge checks each file a chunk of entries at a time and applies the new
entries in batches (`models.importing.CHECK_CHUNK`, `MERGE_BATCH`). Every file of the hostile
corpus (tests/reliability/hostile.py) gets the same answer, word for word, with chunks and
batches of one entry as with the default: the same refusal, or the same accepted import."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from exports.bundle import import_bundles
from models import importing
from models.db import open_database
from models.errors import UdviklingsdagError
from models.store import Store
from tests.reliability.hostile import EXPECTED, PAIRS, small_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    return small_corpus(tmp_path_factory.mktemp("fjendtlig-bidder"))


def _answers(base: Path, files: dict[str, Path], tmp: Path) -> dict[str, str | tuple[int, ...]]:
    """Per class of the corpus: the refusal's text, or (received, new, known, conflicts)."""
    tmp.mkdir()
    out: dict[str, str | tuple[int, ...]] = {}
    for name in sorted(EXPECTED):
        paths = [files[n] for n in PAIRS[name]] if name in PAIRS else [files[name]]
        target = tmp / f"{name}.db"
        shutil.copy(base, target)
        db = open_database(str(target))
        try:
            report = import_bundles(Store(db), paths)
            out[name] = (report.received, report.new, report.known, report.conflicts)
        except UdviklingsdagError as exc:
            out[name] = str(exc)
        finally:
            db.close()
    return out


def test_every_hostile_file_gets_the_same_answer_in_chunks_of_one(
    corpus: tuple[Path, dict[str, Path]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    base, files = corpus
    default = _answers(base, files, tmp_path / "standard")
    monkeypatch.setattr(importing, "CHECK_CHUNK", 1)
    monkeypatch.setattr(importing, "MERGE_BATCH", 1)
    assert _answers(base, files, tmp_path / "en-ad-gangen") == default
    refused = [name for name, expected in EXPECTED.items() if expected is not None]
    assert all(isinstance(default[name], str) for name in refused)
