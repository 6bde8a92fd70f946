"""An exported målplan edited in Excel comes back as changes against the revision it was
exported at: changes, one conflict, deletions only when accepted, the same file twice a no-op."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl

from exports.reference import Reference, reference_for
from exports.template_import import import_workbook
from exports.xlsx import maalplan_xlsx, template_xlsx
from models.maalplan_view import load_maalplan, load_maalplaner
from models.queries import counts
from models.store import Store
from tui.cli import main

WHEN = date(2027, 1, 31)

BOTH_BACKENDS = True


def _export(view, path: Path, ref: Reference | None = None) -> Path:
    ref = ref or reference_for(view)
    path.write_bytes(maalplan_xlsx(view, when=WHEN, reference_text=ref.text))
    return path


def _table(ws, first: str) -> tuple[int, dict[str, int]]:
    """The header row of the table whose first header is `first`, and its columns by header."""
    for r in range(3, ws.max_row + 1):
        if ws.cell(r, 1).value == first and ws.cell(r, 2).value is not None:
            return r, {
                str(ws.cell(r, c).value): c
                for c in range(1, ws.max_column + 1)
                if ws.cell(r, c).value
            }
    raise AssertionError(f"no table {first} on {ws.title}")


def _col(cols: dict[str, int], start: str) -> int:
    return next(c for h, c in cols.items() if h.startswith(start))


def _pick(store: Store):
    """A demo plan with a mål holding two tegn and a prøvehandling, and a second mål (added
    through the Store like any edit where the demo has fewer)."""
    view = next(v for v in load_maalplaner(store.db) if v.maal and v.maal[0].proevehandlinger)
    m1 = view.maal[0]
    for i in range(2 - len(m1.tegn)):
        store.create("tegn", maal_id=m1.id, tekst=f"Ekstra tegn {i}", type="kvalitativ")
    if len(view.maal) < 2:
        store.create(
            "maal",
            maalsaetning_id=m1.maalsaetning_id,
            maalplan_id=view.id,
            enhed_id=view.enhed_id,
            tekst="Et andet mål.",
        )
    return load_maalplan(store.db, view.id)


def _rows(ws, hr: int, nr_col: int) -> dict[str, int]:
    out = {}
    for r in range(hr + 1, ws.max_row + 1):
        v = ws.cell(r, nr_col).value
        if v is not None:
            out[str(v)] = r
    return out


def test_edited_kladde_comes_back_as_changes(demo_store, tmp_path, capsys):
    store = demo_store
    view = _pick(store)
    m1, m2 = view.maal[0], view.maal[1]
    t1, t_last = m1.tegn[0], m1.tegn[-1]
    ph = m1.proevehandlinger[0]
    path = _export(view, tmp_path / "kladde.xlsx")

    wb = openpyxl.load_workbook(path)
    foer, del1, del2 = wb["FØR"], wb["UNDER udviklingsdage del 1"], wb["UNDER udviklingsdage del 2"]
    hr, cols = _table(foer, "Mål nr")
    row_m1 = _rows(foer, hr, 1)[m1.nr]
    foer.cell(row_m1, cols["Mål"]).value = "  Alle børn trives, også om fredagen.  "
    hr1, cols1 = _table(del1, "Mål nr")
    nr_col = _col(cols1, "Tegn nr")
    rows1 = _rows(del1, hr1, nr_col)
    r_t1, r_last = rows1[t1.nr], rows1[t_last.nr]
    pct = del1.cell(r_t1, _col(cols1, "Forventet"))
    pct.value, pct.number_format = 0.78, "0%"
    del1.cell(r_t1, _col(cols1, "Datakilde")).value = "Sheetets datakilde"
    for c in range(1, del1.max_column + 1):  # a chef deletes the last tegn's row
        del1.cell(r_last, c).value = None
    new = del1.max_row + 1
    del1.cell(new, 1).value = m1.nr
    del1.cell(new, _col(cols1, "Tegn:")).value = "Forældrene siger hej ved døren."
    # A merged cell: the mål number merged over the first tegn row and the row below.
    hr2, cols2 = _table(del2, "Mål nr")
    ph_nr_col = _col(cols2, "Prøvehandling nr")
    r_ph = _rows(del2, hr2, ph_nr_col)[ph.nr]
    del2.cell(r_ph, _col(cols2, "Start")).value = "4.12.2023"
    del2.merge_cells(start_row=r_ph, start_column=1, end_row=r_ph, end_column=1)
    wb.save(path)

    # Meanwhile in the database: the same field differently (a conflict), another field.
    store.update("tegn", t1.id, datakilde="Databasens datakilde")
    store.update("maal", m2.id, ansvarlig="Ny ansvarlig i databasen")

    preview = import_workbook(store, path, dry_run=True)
    assert not preview.errors, [i.text() for i in preview.errors]
    assert preview.update_of == view.id
    got = sorted((c.kind, c.entity, c.nr, c.field) for c in preview.kladde)
    assert got == sorted(
        [
            ("felt", "maal", m1.nr, "tekst"),
            ("felt", "tegn", t1.nr, "forventet_niveau"),
            ("felt", "proevehandling", ph.nr, "start"),
            ("konflikt", "tegn", t1.nr, "datakilde"),
            ("ny", "tegn", f"{m1.nr}.ny{len(m1.tegn)}", None),
            ("slet", "tegn", t_last.nr, None),
        ]
    ), [c.text() for c in preview.kladde]
    by = {(c.entity, c.field): c for c in preview.kladde}
    assert by[("tegn", "forventet_niveau")].sheet == "78 %"
    assert by[("proevehandling", "start")].sheet == date(2023, 12, 4)
    assert by[("maal", "tekst")].sheet == "Alle børn trives, også om fredagen."
    conflict = by[("tegn", "datakilde")]
    assert (conflict.sheet, conflict.current) == ("Sheetets datakilde", "Databasens datakilde")
    assert conflict.base == t1.datakilde
    before = counts(store.db)

    report = import_workbook(store, path, source="kladde.xlsx fra Åse")
    assert report.imported and report.written == 4  # 3 fields + 1 new tegn; no deletion
    after = load_maalplan(store.db, view.id)
    a1 = next(m for m in after.maal if m.id == m1.id)
    assert a1.tekst == "Alle børn trives, også om fredagen."
    assert a1.tegn[0].datakilde == "Databasens datakilde"  # the conflict is not overwritten
    assert a1.tegn[0].forventet_niveau == "78 %"
    assert any(t.tekst == "Forældrene siger hej ved døren." for t in a1.tegn)
    assert any(t.id == t_last.id for t in a1.tegn)  # not deleted without --slet
    assert next(m for m in after.maal if m.id == m2.id).ansvarlig == "Ny ansvarlig i databasen"
    notes = (
        store.db.engine.connect()
        .execute(
            __import__("sqlalchemy").text("select tekst from note where maal_id = :m"), {"m": m1.id}
        )
        .all()
    )
    assert any("kladde.xlsx fra Åse" in n.tekst for n in notes)
    assert counts(store.db) != before

    # The deletion, accepted.
    report = import_workbook(store, path, delete=True)
    assert [c.kind for c in report.kladde if c.kind != "konflikt"] == ["slet"]
    assert report.written == 1
    assert all(t.id != t_last.id for t in load_maalplan(store.db, view.id).maal[0].tegn)

    # The same file again: nothing but the conflict the user has not settled.
    snapshot = load_maalplan(store.db, view.id).digest
    report = import_workbook(store, path, delete=True)
    assert [c.kind for c in report.kladde] == ["konflikt"]
    assert report.written == 0 and not report.imported
    assert load_maalplan(store.db, view.id).digest == snapshot


def test_cli_import_preview_then_apply(new_db_target, tmp_path, capsys):
    from models.db import open_database
    from models.demo import build_demo

    target = new_db_target("cli")
    db = open_database(target, device_name="Tovholder")
    try:
        store = Store(db)
        build_demo(store)
        view = _pick(store)
        path = _export(view, tmp_path / "kladde.xlsx")
    finally:
        db.close()
    wb = openpyxl.load_workbook(path)
    foer = wb["FØR"]
    hr, cols = _table(foer, "Mål nr")
    foer.cell(_rows(foer, hr, 1)[view.maal[0].nr], cols["Mål"]).value = "Ændret i Excel."
    wb.save(path)
    capsys.readouterr()
    assert main(["import", "--db", target, str(path)]) == 0
    out = capsys.readouterr().out
    assert "Ændret i Excel." in out and "Intet er gemt endnu" in out and "--ja" in out
    assert main(["import", "--db", target, "--json", str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["opdaterer"] == view.id and data["aendringer"][0]["arket"] == "Ændret i Excel."
    assert main(["import", "--db", target, "--ja", "--fra", "Åse Øster", str(path)]) == 0
    out = capsys.readouterr().out
    assert "indlæst i målplanen" in out and "sendt af Åse Øster" in out
    db = open_database(target)
    try:
        assert load_maalplan(db, view.id).maal[0].tekst == "Ændret i Excel."
    finally:
        db.close()
    assert main(["import", "--db", target, "--ja", str(path)]) == 0
    assert "intet at indlæse" in capsys.readouterr().out


def test_same_file_twice_unchanged_is_noop(demo_store, tmp_path):
    view = _pick(demo_store)
    path = _export(view, tmp_path / "uroert.xlsx")
    before = counts(demo_store.db)
    report = import_workbook(demo_store, path)
    assert report.update_of == view.id and report.kladde == [] and not report.imported
    assert counts(demo_store.db) == before
    assert "intet at indlæse" in report.summary()


def test_hand_filled_template_twice_is_one_plan(store, tmp_path):
    path = tmp_path / "skabelon.xlsx"
    path.write_bytes(template_xlsx(when=WHEN))
    wb = openpyxl.load_workbook(path)
    foer = wb["FØR"]
    foer["B3"], foer["B4"], foer["B5"] = "Målplan 2028", "Biblioteket", "2028"
    hr, _cols = _table(foer, "Mål nr")
    foer.cell(hr + 1, 2).value = "Byens kultur når ud til flere."
    foer.cell(hr + 1, 3).value = "budgetaftale"
    foer.cell(hr + 1, 4).value = "Flere unge bruger biblioteket om aftenen."
    wb.save(path)
    first = import_workbook(store, path)
    assert first.imported and first.update_of is None, [i.text() for i in first.errors]
    n = counts(store.db)
    again = import_workbook(store, path)
    assert again.update_of == first.maalplan_id and again.kladde == []
    assert counts(store.db) == n
    foer.cell(hr + 1, 4).value = "Flere unge bruger biblioteket om aftenen og i weekenden."
    wb.save(path)
    third = import_workbook(store, path)
    assert [(c.kind, c.field) for c in third.kladde] == [("felt", "tekst")]
    assert len(load_maalplaner(store.db)) == 1
    plan = load_maalplan(store.db, first.maalplan_id)
    assert plan.maal[0].tekst.endswith("i weekenden.")


def test_revision_that_never_was_writes_nothing(demo_store, tmp_path):
    view = _pick(demo_store)
    ref = reference_for(view)
    path = _export(view, tmp_path / "fremmed.xlsx", Reference(ref.subject, 9999, "0" * 16))
    before = counts(demo_store.db)
    report = import_workbook(demo_store, path)
    assert report.errors and not report.imported
    text = report.errors[0].message
    assert "revision 9999" in text and "anden database" in text
    assert counts(demo_store.db) == before


def test_file_from_another_database_writes_nothing(demo_store, new_db_target, tmp_path):
    from models.db import open_database
    from models.demo import build_demo

    other_db = open_database(new_db_target("anden"), device_name="Anden")
    try:
        other = Store(other_db)
        build_demo(other)  # the same titles, other ids: another office's database
        view = load_maalplaner(other_db)[0]
        path = _export(view, tmp_path / "anden.xlsx")
    finally:
        other_db.close()
    before = counts(demo_store.db)
    report = import_workbook(demo_store, path)
    assert report.errors and not report.imported
    assert "anden database" in report.errors[0].message
    assert counts(demo_store.db) == before


def test_deleted_plan_says_so(demo_store, tmp_path):
    view = _pick(demo_store)
    path = _export(view, tmp_path / "k.xlsx")
    demo_store.delete("maalplan", view.id)
    before = counts(demo_store.db)
    report = import_workbook(demo_store, path)
    assert report.errors and "slettet" in report.errors[0].message
    assert counts(demo_store.db) == before


def test_numbers_and_dates_read_as_excel_shows_them(demo_store, tmp_path):
    view = _pick(demo_store)
    m1 = view.maal[0]
    path = _export(view, tmp_path / "tal.xlsx")
    wb = openpyxl.load_workbook(path)
    del1, del2 = wb["UNDER udviklingsdage del 1"], wb["UNDER udviklingsdage del 2"]
    hr1, cols1 = _table(del1, "Mål nr")
    r_t1 = _rows(del1, hr1, _col(cols1, "Tegn nr"))[m1.tegn[0].nr]
    del1.cell(r_t1, _col(cols1, "Udgangspunkt")).value = 5.8  # a number in a text column
    pct = del1.cell(r_t1, _col(cols1, "Forventet"))
    pct.value, pct.number_format = 0.125, "0.0%"
    hr2, cols2 = _table(del2, "Mål nr")
    r_ph = _rows(del2, hr2, _col(cols2, "Prøvehandling nr"))[m1.proevehandlinger[0].nr]
    del2.cell(r_ph, _col(cols2, "Start")).value = "31/1-2024"
    del2.cell(r_ph, _col(cols2, "Slut")).value = "1. februar 2029"
    wb.save(path)
    report = import_workbook(demo_store, path, dry_run=True)
    assert not report.errors, [i.text() for i in report.errors]
    got = {c.field: c.sheet for c in report.kladde}
    assert got["baseline"] == "5,8"
    assert got["forventet_niveau"] == "12,5 %"
    assert got["start"] == date(2024, 1, 31)
    assert got["slut"] == date(2029, 2, 1)


def test_tui_kladde_screen_previews_then_applies(demo_store, tmp_path):
    import asyncio

    from textual.widgets import Button, DataTable, Input, Static

    from screens.consolidation import ConsolidationScreen
    from screens.kladde import KladdeScreen
    from tests.tui.helpers import QueueHost

    view = _pick(demo_store)
    path = _export(view, tmp_path / "kladde.xlsx")
    wb = openpyxl.load_workbook(path)
    foer = wb["FØR"]
    hr, cols = _table(foer, "Mål nr")
    foer.cell(_rows(foer, hr, 1)[view.maal[0].nr], cols["Mål"]).value = "Rettet i TUI-testen."
    wb.save(path)

    class _App(QueueHost):
        def on_mount(self) -> None:
            self.push_screen(ConsolidationScreen())

        def reload_screens(self) -> None:
            pass

    async def settle(pilot) -> None:
        for _ in range(100):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            if all(w.is_finished for w in pilot.app.workers):
                return

    async def run() -> None:
        app = _App(demo_store.db)
        async with app.run_test(size=(140, 45)) as pilot:
            await settle(pilot)
            await pilot.press("f8")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, KladdeScreen)
            screen.query_one("#kladde-path", Input).value = str(path)
            screen.query_one("#kladde-from", Input).value = "Åse"
            await pilot.pause()
            screen.query_one("#kladde-preview", Button).press()
            await settle(pilot)
            await settle(pilot)
            rows = screen.query_one("#kladde-table", DataTable).row_count
            assert rows == 1, str(screen.query_one("#kladde-summary", Static).render())
            assert load_maalplan(demo_store.db, view.id).maal[0].tekst != "Rettet i TUI-testen."
            assert not screen.query_one("#kladde-apply", Button).disabled
            screen.query_one("#kladde-apply", Button).press()
            await settle(pilot)
            await settle(pilot)
            assert "indlæst" in str(screen.query_one("#kladde-summary", Static).render())

    asyncio.run(run())
    assert load_maalplan(demo_store.db, view.id).maal[0].tekst == "Rettet i TUI-testen."


def test_revision_boundary_counts_as_the_revision_does(demo_store):
    from models.errors import NotFoundError
    from models.kladde import revision_boundary

    for view in load_maalplaner(demo_store.db):
        assert revision_boundary(demo_store.db, view.id, view.revision)
        try:
            revision_boundary(demo_store.db, view.id, view.revision + 1)
        except NotFoundError as exc:
            assert "anden database" in str(exc)
        else:
            raise AssertionError("a revision past the last was accepted")
