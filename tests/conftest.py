"""Shared fixtures. Every test runs with its own data folder and database, never the user's."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolate_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Keep the user's own data folder and settings out of tests."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv("UDVIKLINGSDAG_DB", raising=False)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch):
    """The app never talks to a network: any attempt to connect fails the test."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        if self.family == socket.AF_UNIX:
            return real_connect(self, address)
        raise AssertionError(f"Netværksforbindelse forsøgt under test: {address!r}")

    monkeypatch.setattr(socket.socket, "connect", guarded)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
def db(db_path: Path):
    from models.db import open_database

    database = open_database(str(db_path), device_name="Testbærbar")
    yield database
    database.close()


@pytest.fixture
def store(db):
    from models.store import Store

    return Store(db)


@pytest.fixture
def demo_store(store):
    """A store holding the demo workshop."""
    from models.demo import build_demo

    build_demo(store)
    return store
