"""The tovholder's flow in the real app on the shared database: the app started with a
database target (a SQLite file or a postgresql:// URL with a password), the consolidation
screen opened from the home screen, handoff files imported, the conflict shown; the password
never on screen."""

from __future__ import annotations

import shlex
from pathlib import Path

from textual.widgets import DataTable, Input, Static

from exports.bundle import write_handoff
from models import consolidation
from models.conflicts import open_conflicts
from models.db import open_database
from models.store import Store
from tests.test_merge import World
from tests.test_merge import world as world  # the fixture
from tests.tui.helpers import FakeClock, run_async, settle

BOTH_BACKENDS = True
SECRET = "Skjult-Kode-93"


def _screen_text(app) -> str:
    return " ".join(str(w.render()) for w in app.screen.query(Static))


@run_async
async def test_consolidation_screen_on_the_shared_database(
    world: World, tmp_path: Path, backend: str
):
    from screens.consolidation import ConsolidationScreen
    from tui.app import UdviklingsdagApp

    ids = world.ids
    tov = world.db("tov", tmp_path)
    target = tov.target
    if backend == "postgresql":
        # Trust authentication ignores the password; it must still never be shown.
        target = target.replace("postgresql://postgres@", f"postgresql://postgres:{SECRET}@")
    f1, f2 = world.db("f1", tmp_path), world.db("f2", tmp_path)
    Store(f1).update("maal", ids["m1"], tekst="Mål 1 fra bord 1")
    Store(f2).update("maal", ids["m1"], tekst="Mål 1 fra bord 2")
    Store(f2).create("tegn", maal_id=ids["m3"], tekst="Tegn fra bord 2")
    files = [
        write_handoff(db, tmp_path / f"bord {n}.udviklingsdag.json").path
        for n, db in ((1, f1), (2, f2))
    ]

    app = UdviklingsdagApp(target, clock=FakeClock())
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        assert app.workspace is not None
        assert app.workspace.database.is_sqlite == (backend == "sqlite")
        assert SECRET not in _screen_text(app)
        app.action_consolidation()
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ConsolidationScreen)
        screen.query_one("#paths", Input).value = " ".join(shlex.quote(str(p)) for p in files)
        await pilot.click("#preview")
        await settle(app, pilot)
        await pilot.click("#apply")
        await settle(app, pilot)
        summary = str(screen.query_one("#import-summary", Static).render())
        assert "konflikter 1" in summary, summary
        await pilot.click("#--content-tab-tab-conflicts")
        await pilot.pause()
        assert screen.query_one("#conflicts", DataTable).row_count == 1
        assert SECRET not in _screen_text(app)
    # What the screen did is in the shared database, seen from a fresh connection.
    check = open_database(tov.target)
    assert len(consolidation.ledger(check)) == 2
    (conflict,) = open_conflicts(check)
    assert conflict.key == ("maal", ids["m1"], "tekst")
    check.close()
    for db in (tov, f1, f2):
        db.close()
