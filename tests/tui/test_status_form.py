"""A prøvehandling's status typed in its form dates itself, and the form shows that date at once
(the workspace writes «Status ændret» beside the status, in the same undoable action)."""

from __future__ import annotations

from pathlib import Path

from models.db import open_database
from models.store import Store
from tests.tui.helpers import FIXED_NOW, FakeClock, build_small, read, run_async, settle


@run_async
async def test_a_status_change_shows_its_new_date_in_the_open_form(tmp_path: Path) -> None:
    from screens.forms import AutoSelect, FormSpec, RecordForm
    from screens.widgets import AutoInput
    from tui.app import UdviklingsdagApp

    path = tmp_path / "status.db"
    ids = build_small(path)
    db = open_database(str(path))
    try:
        pid = Store(db).create(
            "proevehandling", maal_id=ids["m1"], tekst="Lektiecafé", status_dato="01-02-2026"
        )
    finally:
        db.close()
    app = UdviklingsdagApp(str(path), clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        form = RecordForm(FormSpec("proevehandling", hidden=("maal_id",)), pid)
        app.push_screen(form)
        for _ in range(50):  # the fields are mounted once the row is read
            if form.query("#f-status_dato"):
                break
            await pilot.pause(0.05)
        dato = form.query_one("#f-status_dato", AutoInput)
        assert dato.value == "01-02-2026"
        status = next(w for w in form.query(AutoSelect) if w.field_name == "status")
        status.value = "i_gang"
        await settle(app, pilot, rounds=5)
        row = next(r for r in read(path, "proevehandling") if r["id"] == pid)
        assert row["status"] == "i_gang"
        assert row["status_dato"] == FIXED_NOW.date()
        assert dato.value == FIXED_NOW.strftime("%d-%m-%Y")
        await pilot.press("escape")  # the form closes; one Ctrl+Z undoes status and date
        await settle(app, pilot)
        await pilot.press("ctrl+z")
        await settle(app, pilot, rounds=5)
        row = next(r for r in read(path, "proevehandling") if r["id"] == pid)
        assert (row["status"], str(row["status_dato"])) == ("planlagt", "2026-02-01")
