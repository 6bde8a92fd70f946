"""The user's device id for shared (PostgreSQL) databases lives in the app's data folder and is
created once: two processes of the same user opening a shared database at the same moment (two
tovholder windows) must end up as one device, not two."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from models import db as dbmod


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    import models.paths

    monkeypatch.setattr(models.paths, "data_dir", lambda: tmp_path)
    return tmp_path / "device-id"


def test_created_once_and_then_read(data: Path) -> None:
    first = dbmod._user_device_id()
    assert uuid.UUID(first) and data.read_text(encoding="utf-8") == first
    assert dbmod._user_device_id() == first
    assert [p.name for p in data.parent.iterdir()] == ["device-id"]  # no temporary file left


def test_a_process_that_loses_the_race_takes_the_winners_id(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process writes its id between this one's check and its own write: both must
    use the id that was written first."""
    winner = str(uuid.uuid4())
    real_write = Path.write_text

    def write_text(self: Path, text: str, *args: object, **kw: object) -> int:
        if self.name.startswith("device-id.") and not data.exists():
            real_write(data, winner, encoding="utf-8")  # the other process, just in time
        return real_write(self, text, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "write_text", write_text)
    assert dbmod._user_device_id() == winner
    assert data.read_text(encoding="utf-8") == winner


def test_a_damaged_file_is_replaced(data: Path) -> None:
    data.write_text("ikke et id", encoding="utf-8")
    value = dbmod._user_device_id()
    assert uuid.UUID(value) and data.read_text(encoding="utf-8") == value
