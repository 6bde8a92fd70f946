"""The local settings registry (models/settings.py): one typed entry per key, one key style,
read and written through the workspace; migration 0005 renames the older keys."""

from __future__ import annotations

import re
import sqlite3

from models import settings
from models.db import make_engine, open_database, upgrade_schema
from models.workspace import Workspace

KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


def test_every_key_is_dotted_lower_case_ascii_and_declared_once() -> None:
    keys = [s.key for s in settings.SETTINGS] + [f.of("id_1").key for f in settings.FAMILIES]
    assert all(KEY.match(k) for k in keys), keys
    assert len(set(s.key for s in settings.SETTINGS)) == len(settings.SETTINGS)
    assert settings.TIMER.of("abc").key == "timer.abc"
    assert settings.known(settings.SBSYS_SAGID.of("x").key) and not settings.known("tema")
    assert set(settings.RENAMED.values()) <= {s.key for s in settings.SETTINGS}


def test_values_are_typed_and_unreadable_ones_read_as_the_default() -> None:
    assert settings.THEME.read(None) == settings.DARK_THEME
    assert settings.THEME.read("textual-light") == settings.LIGHT_THEME
    assert settings.THEME.read("noget-andet") == settings.DARK_THEME
    assert settings.DEVICE_NAMED.read("1") is True and settings.DEVICE_NAMED.read(None) is False
    assert settings.SBSYS_AKTINDSIGT.read("nej") is False
    assert settings.SBSYS_AKTINDSIGT.read(None) is True
    assert settings.CHOSEN_BORD.format(None) is None  # None removes the key


def test_the_workspace_reads_and_writes_them(tmp_path) -> None:
    ws = Workspace(open_database(str(tmp_path / "s.db")))
    try:
        assert ws.setting(settings.CHOSEN_BORD) is None
        ws.set_setting(settings.CHOSEN_BORD, "b1")
        ws.set_setting(settings.DEVICE_NAMED, True)
        ws.set_setting(settings.TIMER.of("d1"), '{"index": 1}')
        assert ws.setting(settings.CHOSEN_BORD) == "b1" and ws.setting(settings.DEVICE_NAMED)
        assert ws.setting(settings.TIMER.of("d1")) == '{"index": 1}'
        ws.set_setting(settings.CHOSEN_BORD, None)
        assert ws.setting(settings.CHOSEN_BORD) is None
    finally:
        ws.close()


def test_migration_0005_renames_the_older_keys(tmp_path) -> None:
    path = tmp_path / "gammel.db"
    engine = make_engine(str(path))
    upgrade_schema(engine, "0004")
    engine.dispose()
    con = sqlite3.connect(path)
    con.executemany(
        "INSERT INTO meta (key, value) VALUES (?, ?)",
        [
            ("tema", "textual-light"),
            ("valgt_dag", "d1"),
            ("valgt_bord", "b1"),
            ("baerbar_navngivet", "1"),
            ("timer:d1", '{"index": 2}'),
            ("sbsys.sagid.p1", "42"),
        ],
    )
    con.commit()
    con.close()
    ws = Workspace(open_database(str(path)))
    try:
        assert ws.setting(settings.THEME) == settings.LIGHT_THEME
        assert ws.setting(settings.CHOSEN_UDVIKLINGSDAG) == "d1"
        assert ws.setting(settings.CHOSEN_BORD) == "b1"
        assert ws.setting(settings.DEVICE_NAMED)
        assert ws.setting(settings.TIMER.of("d1")) == '{"index": 2}'
        assert ws.setting(settings.SBSYS_SAGID.of("p1")) == "42"
    finally:
        ws.close()
    con = sqlite3.connect(path)
    keys = {k for (k,) in con.execute("SELECT key FROM meta")}
    con.close()
    assert not keys & {"tema", "valgt_dag", "valgt_bord", "baerbar_navngivet", "timer:d1"}
