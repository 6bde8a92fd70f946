"""Hostile files in the consolidation screen (issue 11): one app previews and imports every file
of the hostile corpus (`tests/reliability/hostile.py`, valid checksums). The app keeps running,
every file gets a Danish answer, and nothing from a file reaches the rendered screen raw: no
ESC, C1 control or bidi override in any line drawn; a device name with ESC shows as ␛."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Button, Input, Static

from models.conflicts import Conflict, ConflictSide
from models.db import open_database
from models.store import Store
from models.visible import is_clean
from screens.conflict import ConflictScreen
from screens.consolidation import ConsolidationScreen, ForeignFileScreen
from tests.reliability.hostile import (
    EXPECTED,
    FOREIGN,
    LEDGER_WARNINGS,
    fresh_copy,
    small_corpus,
)
from tests.tui.helpers import QueueHost

ESC_NAME = "Bord 3\x1b[2J\x1b[H\x9b31m\u202eevil"
UNEXPECTED = ("uventet fejl", "traceback")


class _App(QueueHost):
    """The consolidation screen on a workspace and its database queue."""

    def on_mount(self) -> None:
        self.push_screen(ConsolidationScreen())


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    """(a small workshop database, {class: hostile file}), built once for this module."""
    return small_corpus(tmp_path_factory.mktemp("hostile-tui"))


def _fresh(base: Path, tmp_path: Path) -> Path:
    return fresh_copy(base, tmp_path)


async def _settle(pilot) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def _button(screen: ConsolidationScreen, button_id: str) -> None:
    # Button.press() posts the same Pressed message as a click, without the mouse events
    # (Pilot.click takes a quarter of a second each: most of this test's time).
    screen.query_one(button_id, Button).press()


async def _answer(pilot, screen: ConsolidationScreen, press) -> None:
    """Clear the summary, `await press()`, and wait until the screen answered: a new summary
    (not «Læser filerne …» / «Importerer …») or the dialog for a foreign file."""
    from screens.texts import CONS_IMPORTING, CONS_WORKING

    screen.query_one("#import-summary", Static).update("")
    await press()
    for _ in range(2000):
        if isinstance(pilot.app.screen, ForeignFileScreen) or _summary(screen) not in (
            "",
            CONS_WORKING,
            CONS_IMPORTING,
        ):
            await pilot.pause()
            return
        await asyncio.sleep(0.01)
    raise AssertionError("no answer from the consolidation screen")


def _drawn(app: App) -> str:
    """Every character the app draws now, as `App.export_screenshot` renders it (the screen
    with the screens behind a modal, toasts included), as plain text instead of SVG."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(
        width=width, height=height, file=io.StringIO(), force_terminal=True, record=True
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text(styles=False)


def _assert_drawn_clean(app: App, where: str) -> str:
    drawn = _drawn(app)
    for bad in ("\x1b", "\x9b", "\u202e", "\x07"):
        assert bad not in drawn, (where, bad)
    return drawn


def _summary(screen: ConsolidationScreen) -> str:
    return str(screen.query_one("#import-summary", Static).render())


def test_every_hostile_file_previewed_and_imported(corpus, tmp_path: Path):
    base, files = corpus
    db = open_database(str(_fresh(base, tmp_path)))
    seen: dict[str, str] = {}
    # Files whose answer is not the corpus's expected one (checked after every file ran).
    wrong: list[tuple[str, str]] = []

    async def run() -> None:
        app = _App(db)
        async with app.run_test(size=(140, 45)) as pilot:
            await _settle(pilot)
            screen = app.screen
            assert isinstance(screen, ConsolidationScreen)

            async def preview(path: Path) -> None:
                # Without Input.Changed (it would only reset the preview, as the preview
                # does itself), so no pause is needed before the press.
                paths = screen.query_one("#paths", Input)
                with paths.prevent(Input.Changed):
                    paths.value = str(path)
                await _answer(pilot, screen, lambda: _button(screen, "#preview"))

            # Every file previewed against the same database: the answer is the file's own.
            for name in sorted(files):
                await preview(files[name])
                if isinstance(app.screen, ForeignFileScreen):
                    _assert_drawn_clean(app, name)
                    await _answer(pilot, screen, lambda: pilot.press("escape"))
                assert app.is_running and app.screen is screen, name
                summary = _summary(screen)
                drawn = _assert_drawn_clean(app, name)
                if name == "navn-esc-baerbar":
                    # The refusal quotes the name: ESC shows as ␛ on the screen.
                    assert "Bord 3␛[2J␛[H" in drawn, summary
                assert is_clean(summary, multiline=True), name
                assert not any(w in summary.lower() for w in UNEXPECTED), (name, summary)
                seen[name] = summary
                expected = EXPECTED.get(name)
                if expected is None:
                    assert summary.startswith("Prøveimport"), (name, summary)
                    if "AFVIST" in summary:
                        wrong.append((name, summary))
                else:
                    assert screen.query_one("#apply", Button).disabled, name
                    if expected.lower() not in summary.lower():
                        wrong.append((name, summary))

            # Then every file the preview accepted (and the foreign one, confirmed) imported,
            # one after the other (later ones may now be refused as tampered, known or in
            # conflict: still a Danish answer, still running).
            accepted = [n for n in sorted(files) if "AFVIST" not in seen[n] or n in FOREIGN]
            assert len(accepted) >= 5
            for name in accepted:
                await preview(files[name])
                if isinstance(app.screen, ForeignFileScreen):
                    await _answer(pilot, screen, lambda: pilot.press("enter"))
                if not screen.query_one("#apply", Button).disabled:
                    await _answer(pilot, screen, lambda: _button(screen, "#apply"))
                    assert _summary(screen).startswith("Import"), name
                assert app.is_running and app.screen is screen, name
                summary = _summary(screen)
                assert summary and not any(w in summary.lower() for w in UNEXPECTED), name
                _assert_drawn_clean(app, name)

            for tab in ("devices", "conflicts", "gaps", "matrix"):
                await pilot.click(f"#--content-tab-tab-{tab}")
                await _settle(pilot)
                _assert_drawn_clean(app, tab)

    asyncio.run(run())
    db.close()
    assert not wrong, "\n".join(f"{n}: {s}" for n, s in wrong)
    # A file with ESC in the device name is refused with a message that names the problem.
    assert "navn på bærbaren" in seen["navn-esc-baerbar"].lower()


@pytest.mark.parametrize("name", sorted(FOREIGN))
def test_foreign_file_asks_first(name: str, corpus, tmp_path: Path):
    """A file from another database: a dialog explains; Esc imports nothing, Enter shows the
    preview, and Importér then imports it."""
    base, files = corpus
    db = open_database(str(_fresh(base, tmp_path)))

    async def run() -> None:
        app = _App(db)
        async with app.run_test(size=(100, 30)) as pilot:
            await _settle(pilot)
            screen = app.screen
            screen.query_one("#paths", Input).value = str(files[name])
            await pilot.pause()
            await _answer(pilot, screen, lambda: pilot.press("enter"))
            assert isinstance(app.screen, ForeignFileScreen)
            drawn = _assert_drawn_clean(app, name)
            assert "anden database" in drawn
            await _answer(pilot, screen, lambda: pilot.press("escape"))
            assert app.screen is screen
            assert "ikke godkendt" in _summary(screen)
            assert screen.query_one("#apply", Button).disabled

            await _answer(pilot, screen, lambda: _button(screen, "#preview"))
            assert isinstance(app.screen, ForeignFileScreen)
            await _answer(pilot, screen, lambda: pilot.press("enter"))
            assert app.screen is screen
            assert _summary(screen).startswith("Prøveimport"), _summary(screen)
            await _answer(pilot, screen, lambda: _button(screen, "#apply"))
            assert _summary(screen).startswith("Import:"), _summary(screen)

    asyncio.run(run())
    from models.consolidation import ledger

    assert [r.filnavn for r in ledger(db)] == [files[name].name]
    db.close()


def test_devices_tab_shows_clock_warnings_and_placeholders(corpus, tmp_path: Path):
    """The Bærbare tab: a laptop whose clock ran far ahead is named with its offset; a device
    name with ESC that is already in a database (imported before names were checked) shows
    as ␛ in the table of laptops and in the ledger; nothing raw is drawn."""
    from exports.bundle import import_bundles

    base, files = corpus
    path = _fresh(base, tmp_path)
    clocks = [files[name] for name in sorted(LEDGER_WARNINGS)]
    db = open_database(str(path))
    import_bundles(Store(db), clocks)
    db.close()
    con = sqlite3.connect(path)
    con.execute(
        "INSERT INTO device (id, navn, is_local) VALUES (?, ?, 0)",
        ("0c1d2e3f-0000-4000-8000-000000000001", ESC_NAME),
    )
    con.execute(
        "INSERT INTO import_ledger (id, sha256, filnavn, kind, device_id, device_navn, "
        "imported_at, received, new, known, conflicts) VALUES (?, ?, ?, ?, ?, ?, ?, 1, 1, 0, 0)",
        (
            "0c1d2e3f-0000-4000-8000-000000000002",
            "0" * 64,
            "bord\x1b]0;titel\x07.udviklingsdag.json",
            "handoff",
            "0c1d2e3f-0000-4000-8000-000000000001",
            ESC_NAME,
            "2026-12-03T10:00:00",
        ),
    )
    con.commit()
    con.close()
    db = open_database(str(path))

    async def run() -> None:
        app = _App(db)
        async with app.run_test(size=(160, 40)) as pilot:
            await _settle(pilot)
            await pilot.click("#--content-tab-tab-devices")
            await _settle(pilot)
            drawn = _assert_drawn_clean(app, "devices")
            assert "Bord 3␛[2J␛[H⟨U+009B⟩31m⟨U+202E⟩evil" in drawn
            assert "bord␛]0;titel␇.udviklingsdag.json" in drawn
            for fragment in LEDGER_WARNINGS.values():
                assert f"⚠ uret på Bord 3 går {fragment}" in drawn
            assert "Alt modtaget ⚠ uret" in drawn  # the mark in the laptop's status cell

    asyncio.run(run())
    db.close()


def test_conflict_screen_cannot_be_repainted_by_a_file():
    """Values, device names and the value before from other laptops: shown with placeholders,
    so ESC [2J cannot clear the screen on which the two values are compared."""
    sides = tuple(
        ConflictSide(
            change_id=f"c{i}",
            field="tekst",
            field_label="Tekst",
            value=value,
            shown=value,
            device_id=f"d{i}",
            device_name=device,
            hlc="",
            time="03-12-2026 10:00",
            before="Før\x1b[H\x1b[2J",
        )
        for i, (value, device) in enumerate(
            (("Første\x1b[2J\x1b[Hværdi", ESC_NAME), ("Anden\u202eværdi\x9b", "Bord 4"))
        )
    )
    conflict = Conflict(
        kind="felt",
        entity="tegn",
        row_id="r",
        field="tekst",
        title="Titel\x1b]0;x\x07",
        heads=("c0", "c1"),
        sides=sides,
    )

    class _Modal(App[None]):
        def on_mount(self) -> None:
            self.push_screen(ConflictScreen(conflict))

    async def run() -> None:
        app = _Modal()
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            drawn = _assert_drawn_clean(app, "conflict")
            assert "Første␛[2J␛[Hværdi" in drawn
            assert "Anden⟨U+202E⟩værdi⟨U+009B⟩" in drawn
            assert "Bord 3␛[2J␛[H" in drawn
            assert "Titel␛]0;x␇" in drawn
            # Choosing still returns the value itself, not its placeholder form.
            await pilot.click("#choose-0")
            await pilot.pause()

    asyncio.run(run())


def test_a_worker_failure_is_a_danish_message(tmp_path: Path, monkeypatch):
    """Whatever the merge raises (here a plain ValueError, as a date in the wrong format did),
    the screen says so in Danish and the app keeps running."""
    import screens.consolidation as cons

    def boom(*_a, **_k):
        raise ValueError("Invalid isoformat string: '24-01-2024'\x1b[2J")

    monkeypatch.setattr(cons, "import_bundles", boom)
    db = open_database(str(tmp_path / "t.db"))

    async def run() -> None:
        app = _App(db)
        async with app.run_test(size=(120, 40)) as pilot:
            await _settle(pilot)
            screen = app.screen
            screen.query_one("#paths", Input).value = str(tmp_path / "x.json")
            await pilot.pause()
            await _answer(pilot, screen, lambda: pilot.press("enter"))
            assert app.is_running and app.screen is screen
            summary = _summary(screen)
            assert summary.startswith("Filerne kunne ikke læses (ValueError: Invalid isoformat")
            assert "Intet er ændret i databasen" in summary
            _assert_drawn_clean(app, "worker")

    asyncio.run(run())
    db.close()


def test_a_failing_answer_of_a_database_call_is_reported():
    """A screen's callback that fails on a value nothing foresaw (here a ValueError while
    showing a result) is reported through the queue's error handler, not dropped silently;
    later calls still run."""
    from tui.jobs import DbQueue

    errors: list[Exception] = []
    answers: list[int] = []

    class _Q(App[None]):
        pass

    def show(_value: int) -> None:
        raise ValueError("Invalid isoformat string: '24-01-2024'")

    async def run() -> None:
        app = _Q()
        async with app.run_test() as pilot:
            queue = DbQueue(app, errors.append)
            queue.submit(lambda: 1, done=show)
            queue.submit(lambda: 2, done=answers.append)
            for _ in range(100):
                await pilot.pause(0.01)
                if answers:
                    break
            await app.workers.wait_for_complete()
            await pilot.pause()

    asyncio.run(run())
    assert answers == [2]
    assert [type(e) for e in errors] == [ValueError]
