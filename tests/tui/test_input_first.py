"""Issue 17's cold start: while the database layer loads behind the home screen, its thread
imports nothing in the moment after a key or a click (`tui.input_first`), so the input is
answered first; other threads' imports never wait."""

from __future__ import annotations

import importlib
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import tui.input_first
from tests.tui.helpers import FakeClock, build_small, hold_database_open, run_async, settle
from tui.input_first import InputFirst


@pytest.fixture
def fresh_modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Two modules no test has imported yet."""
    names = [f"input_first_probe_{n}" for n in range(2)]
    for name in names:
        (tmp_path / f"{name}.py").write_text("VALUE = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield names
    for name in names:
        sys.modules.pop(name, None)


def test_the_loading_thread_waits_after_input_and_others_do_not(
    fresh_modules: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tui.input_first, "WINDOW", 1.0)  # far longer than the steps below
    first = InputFirst()
    seen: list[int] = []

    def load() -> None:
        with first.imports():
            assert first.loading and sys.meta_path[0] is first
            first.hold()  # a key arrives
            # Another thread (the UI's) imports at once, input or not.
            other = threading.Thread(target=importlib.import_module, args=(fresh_modules[1],))
            other.start()
            other.join()
            seen.append(first.waits)
            importlib.import_module(fresh_modules[0])  # the loader waits first
            seen.append(first.waits)

    thread = threading.Thread(target=load)
    thread.start()
    thread.join(20)
    assert not thread.is_alive()
    assert seen == [0, 1]
    assert fresh_modules[0] in sys.modules and fresh_modules[1] in sys.modules
    assert not first.loading and first not in sys.meta_path


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """A small database (made before `held_open`: fixtures run in the order they are named)."""
    path = tmp_path / "dag.db"
    build_small(path)
    return path


@pytest.fixture
def held_open(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Opening a database waits until the test sets the returned event."""
    return hold_database_open(monkeypatch)


@run_async
async def test_a_key_while_the_database_loads_holds_the_loading(
    built: Path, held_open: threading.Event
) -> None:
    from screens.home import HomeScreen
    from tui.app import UdviklingsdagApp

    app = UdviklingsdagApp(str(built), clock=FakeClock())
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and app.workspace is None
        for _ in range(200):  # the loading thread reaches the held open
            if app.input_first.loading:
                break
            await pilot.pause(0.01)
        assert app.input_first.loading
        assert app.input_first._until == 0.0
        await pilot.press("down")
        assert app.input_first._until > 0.0  # the loader imports nothing for a moment
        held_open.set()
        await settle(app, pilot)
        assert app.workspace is not None
        assert not app.input_first.loading and app.input_first not in sys.meta_path
        # Once the database is open, input holds nothing.
        app.input_first._until = 0.0
        await pilot.press("up")
        assert app.input_first._until == 0.0
