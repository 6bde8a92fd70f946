"""Målinger and læring in the living workbook (issue 15): the Målinger sheet (one row a måling,
grouped by mål and tegn, empty rows under each tegn for the next months, dates and numbers as
Excel shows them) and the Læring table on EFTER go out with the plan and come back: an edited
value, observation or date, a måling typed under a tegn, a deleted row (only when asked), a new
læring; a conflict where the database changed the same cell since the export; the same file
twice changes nothing."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from exports.reference import reference_for
from exports.template_import import _Bad, _cell_value, import_workbook
from exports.xlsx import MAALING_BLANK_ROWS, PLAN_LAERING, maalplan_xlsx, template_xlsx
from models import maalplan_view
from models.kladde import known_changes
from models.maalplan_view import MaalplanView, load_maalplan, load_maalplaner
from models.schema import ENTITIES, SHEET_EFTER, SHEET_MAALINGER
from models.store import Store

BOTH_BACKENDS = True
WHEN = date(2027, 6, 30)

# The plan's view carries its læring once `models.maalplan_view` reads it; until then the
# workbook's Læring table is written empty and only læring typed into it can come back.
VIEW_HAS_LAERING = "laeringer" in {
    f.name for f in dataclasses.fields(maalplan_view.ProevehandlingView)
}
needs_laering_view = pytest.mark.skipif(
    not VIEW_HAS_LAERING, reason="maalplan_view does not carry the læring yet"
)


def _plan(store: Store) -> tuple[MaalplanView, dict[str, str]]:
    """Nordlys Skole's plan with three målinger on its first tegn and one on the second."""
    view = next(
        v for v in load_maalplaner(store.db) if v.enhed_navn == "Nordlys Skole" and v.aar == 2027
    )
    t1, t2 = view.maal[0].tegn[0], view.maal[0].tegn[1]
    ids = {
        "jan": store.create(
            "maaling",
            tegn_id=t1.id,
            dato=date(2027, 1, 31),
            vaerdi=12.5,
            kilde="Fraværslisten (test)",
        ),
        "feb": store.create(
            "maaling", tegn_id=t1.id, dato=date(2027, 2, 28), vaerdi=14.125, hvem="Anne Holm"
        ),
        "mar": store.create("maaling", tegn_id=t1.id, dato=date(2027, 3, 31), vaerdi=15.0625),
        "obs": store.create(
            "maaling",
            tegn_id=t2.id,
            dato=date(2027, 2, 15),
            observation="Flere elever siger godmorgen ved døren.",
        ),
    }
    return load_maalplan(store.db, view.id), ids


def _export(view: MaalplanView, path: Path, store: Store) -> Path:
    path.write_bytes(
        maalplan_xlsx(
            view,
            when=WHEN,
            reference_text=reference_for(view).text,
            known_changes=known_changes(store.db),
        )
    )
    return path


def _table(ws: Any, first: str, third: str) -> tuple[dict[str, int], list[int]]:
    """The table whose header row starts with `first` and has `third` in its third column:
    its columns by header and its rows (to the next empty row or header)."""
    header = next(
        r
        for r in range(1, ws.max_row + 1)
        if ws.cell(r, 1).value == first and ws.cell(r, 3).value == third
    )
    cols = {
        str(ws.cell(header, c).value): c
        for c in range(1, ws.max_column + 1)
        if ws.cell(header, c).value
    }
    rows = []
    for r in range(header + 1, ws.max_row + 1):
        if all(ws.cell(r, c).value is None for c in cols.values()):
            break
        rows.append(r)
    return cols, rows


def _maalinger(ws: Any) -> tuple[dict[str, int], list[int]]:
    return _table(ws, "Mål nr", "Tegn")


def _laering(ws: Any) -> tuple[dict[str, int], list[int]]:
    return _table(ws, "Prøvehandling nr", "Dato")


def test_the_maalinger_sheet_groups_by_tegn_with_empty_rows(demo_store, tmp_path):
    view, _ids = _plan(demo_store)
    m = view.maal[0]
    path = _export(view, tmp_path / "k.xlsx", demo_store)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[-1] == SHEET_MAALINGER
    ws = wb[SHEET_MAALINGER]
    cols, rows = _maalinger(ws)
    assert list(cols) == [
        "Mål nr",
        "Tegn nr",
        "Tegn",
        "Dato",
        "Værdi",
        "Observation",
        "Kilde",
        "Registreret af",
    ]
    first_tegn = [r for r in rows if ws.cell(r, cols["Tegn nr"]).value == m.tegn[0].nr]
    existing = len(m.tegn[0].maalinger)
    assert len(first_tegn) == existing + MAALING_BLANK_ROWS
    # The tegn's text on the group's first row only; its målinger by date, then empty rows.
    texts = [ws.cell(r, cols["Tegn"]).value for r in first_tegn]
    assert texts[0] == m.tegn[0].tekst and texts[1:] == [None] * (len(texts) - 1)
    dates = [ws.cell(r, cols["Dato"]).value for r in first_tegn[:existing]]
    assert dates == sorted(dates)
    jan = next(r for r in first_tegn if ws.cell(r, cols["Kilde"]).value == "Fraværslisten (test)")
    value = ws.cell(jan, cols["Værdi"])
    assert value.value == 12.5 and value.data_type == "n"  # a number Excel shows as 12,5
    when = ws.cell(jan, cols["Dato"])
    assert when.value.date() == date(2027, 1, 31) and when.number_format == "DD-MM-YYYY"
    for r in first_tegn[existing:]:
        assert ws.cell(r, cols["Dato"]).value is None
        assert ws.cell(r, cols["Mål nr"]).value == m.nr
    # Every tegn of the plan has its group, a tegn without målinger too.
    shown = {ws.cell(r, cols["Tegn nr"]).value for r in rows}
    assert shown == {t.nr for mm in view.maal for t in mm.tegn}
    # The læring table on EFTER, under the evalueringer.
    efter = wb[SHEET_EFTER]
    lcols, _rows = _laering(efter)
    assert list(lcols) == [
        "Prøvehandling nr",
        "Prøvehandling",
        "Dato",
        "Det har vi lært",
        "Skrevet af",
    ]
    # The blank template has both tables too, and says how to fill them in.
    blank = tmp_path / "skabelon.xlsx"
    blank.write_bytes(template_xlsx(when=WHEN))
    twb = openpyxl.load_workbook(blank)
    assert _maalinger(twb[SHEET_MAALINGER])[1] == []
    guide = " ".join(str(c.value) for c in twb["Vejledning"]["A"] if c.value)
    assert "Målinger" in guide and "12,5" in guide and "hele målplanen" in guide


def test_edits_new_rows_deletion_conflict_and_the_same_file_twice(demo_store, tmp_path):
    store = demo_store
    view, ids = _plan(store)
    m = view.maal[0]
    t1, t2 = m.tegn[0], m.tegn[1]
    ph = m.proevehandlinger[0]
    path = _export(view, tmp_path / "kladde.xlsx", store)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_MAALINGER]
    cols, rows = _maalinger(ws)

    def row_of(tegn_nr: str, **where: Any) -> int:
        return next(
            r
            for r in rows
            if ws.cell(r, cols["Tegn nr"]).value == tegn_nr
            and all(ws.cell(r, cols[h]).value == v for h, v in where.items())
        )

    # January's value typed the Danish way; February's date moved; the observation rewritten;
    # March's row emptied (a deletion, only when asked); two new målinger in the empty rows
    # under tegn 1 (a percent cell and a Danish number as text) and one under tegn 2.
    ws.cell(row_of(t1.nr, Kilde="Fraværslisten (test)"), cols["Værdi"]).value = "13,75"
    ws.cell(row_of(t1.nr, Værdi=14.125), cols["Dato"]).value = "1/3-2027"
    obs = row_of(t2.nr, Observation="Flere elever siger godmorgen ved døren.")
    ws.cell(obs, cols["Observation"]).value = "Næsten alle siger godmorgen ved døren."
    march = row_of(t1.nr, Værdi=15.0625)
    for key in ("Dato", "Værdi"):
        ws.cell(march, cols[key]).value = None
    empty = [r for r in rows if ws.cell(r, cols["Tegn nr"]).value == t1.nr][-2:]
    ws.cell(empty[0], cols["Dato"]).value = "30/4-2027"
    pct = ws.cell(empty[0], cols["Værdi"])
    pct.value, pct.number_format = 0.45, "0%"
    ws.cell(empty[1], cols["Dato"]).value = "31. maj 2027"
    ws.cell(empty[1], cols["Værdi"]).value = "1.234,5"
    ws.cell(empty[1], cols["Registreret af"]).value = "Karim"
    under_t2 = [r for r in rows if ws.cell(r, cols["Tegn nr"]).value == t2.nr][-1]
    ws.cell(under_t2, cols["Dato"]).value = "15/5-2027"
    ws.cell(under_t2, cols["Observation"]).value = "Nu også om fredagen."
    # Læring: one on the prøvehandling, one on the whole plan (number left empty).
    efter = wb[SHEET_EFTER]
    lcols, lrows = _laering(efter)
    at = (max(lrows) if lrows else min(lcols.values())) + 1
    header = next(r for r in range(1, efter.max_row + 1) if efter.cell(r, 3).value == "Dato")
    at = max(at, header + 1 + len(lrows))
    efter.cell(at, lcols["Prøvehandling nr"]).value = ph.nr
    efter.cell(at, lcols["Dato"]).value = "2/5-2027"
    efter.cell(at, lcols["Det har vi lært"]).value = "Morgenmaden virker bedst om mandagen."
    efter.cell(at + 1, lcols["Prøvehandling"]).value = PLAN_LAERING
    efter.cell(at + 1, lcols["Dato"]).value = "3/5-2027"
    efter.cell(at + 1, lcols["Det har vi lært"]).value = "Målingerne skal ligge fast hver måned."
    efter.cell(at + 1, lcols["Skrevet af"]).value = "Tovholderen"
    wb.save(path)

    # Meanwhile in the database: January's value (the conflict) and a new måling (it stays).
    store.update("maaling", ids["jan"], vaerdi=13)
    late = store.create("maaling", tegn_id=t1.id, dato=date(2027, 6, 1), vaerdi=16)

    preview = import_workbook(store, path, dry_run=True)
    assert not preview.errors, [i.text() for i in preview.errors]
    got = sorted((c.kind, c.entity, c.field or "") for c in preview.kladde)
    assert got == sorted(
        [
            ("konflikt", "maaling", "vaerdi"),
            ("felt", "maaling", "dato"),
            ("felt", "maaling", "observation"),
            ("slet", "maaling", ""),
            ("ny", "maaling", ""),
            ("ny", "maaling", ""),
            ("ny", "maaling", ""),
            ("ny", "laering", ""),
            ("ny", "laering", ""),
        ]
    ), [c.text() for c in preview.kladde]
    by = {(c.kind, c.field): c for c in preview.kladde}
    conflict = by[("konflikt", "vaerdi")]
    assert conflict.row_id == ids["jan"]
    # Side by side, the Danish way: exported, the sheet's, the database's now.
    assert (
        "«12,5»" in conflict.text() and "«13,75»" in conflict.text() and "«13»" in conflict.text()
    )
    assert by[("slet", None)].row_id == ids["mar"] and "15,0625" in by[("slet", None)].text()
    assert "måling på tegn 1.1" in by[("felt", "dato")].text().lower()
    assert any("læring om målplanen" in c.text() for c in preview.kladde)

    # Without --slet the emptied row stays; the conflict is never written.
    report = import_workbook(store, path, source="kladde.xlsx fra Nordlys")
    assert report.imported, report.summary()
    assert "IKKE slettet" in report.summary()
    after = load_maalplan(store.db, view.id)
    by_id = {x.id: x for x in after.maal[0].tegn[0].maalinger}
    assert by_id[ids["jan"]].vaerdi == 13  # the database's, not the sheet's
    assert by_id[ids["feb"]].dato == date(2027, 3, 1)
    assert ids["mar"] in by_id and late in by_id
    shown = {x.id for x in t1.maalinger}
    new = sorted((x.dato, x.vaerdi, x.hvem) for x in by_id.values() if x.id not in shown | {late})
    assert new == [(date(2027, 4, 30), 45.0, None), (date(2027, 5, 31), 1234.5, "Karim")]
    t2_obs = {x.observation for x in after.maal[0].tegn[1].maalinger}
    assert {"Næsten alle siger godmorgen ved døren.", "Nu også om fredagen."} <= t2_obs
    laering = _laering_rows(store)
    assert laering[("Morgenmaden virker bedst om mandagen.")] == (None, ph.id, date(2027, 5, 2))
    assert laering["Målingerne skal ligge fast hver måned."] == (view.id, None, date(2027, 5, 3))

    # Asked to delete: March goes; the conflict is still only listed.
    deleted = import_workbook(store, path, delete=True)
    assert [(c.kind, c.entity) for c in deleted.kladde] == [
        ("konflikt", "maaling"),
        ("slet", "maaling"),
    ], [c.text() for c in deleted.kladde]
    assert ids["mar"] not in {
        x.id for x in load_maalplan(store.db, view.id).maal[0].tegn[0].maalinger
    }
    # The same file again: nothing but the conflict the user has not settled.
    before = _laering_rows(store), load_maalplan(store.db, view.id)
    again = import_workbook(store, path, delete=True)
    assert [c.kind for c in again.kladde] == ["konflikt"], [c.text() for c in again.kladde]
    assert again.written == 0 and not again.imported
    assert (_laering_rows(store), load_maalplan(store.db, view.id)) == before


def _laering_rows(store: Store) -> dict[str, tuple[str | None, str | None, date]]:
    from sqlalchemy import select

    table = ENTITIES["laering"].sql_table
    with store.db.engine.connect() as conn:
        return {
            r.tekst: (r.maalplan_id, r.proevehandling_id, r.dato)
            for r in conn.execute(select(table).where(~table.c.deleted))
        }


@needs_laering_view
def test_laering_shown_in_the_workbook_is_edited_and_kept(demo_store, tmp_path):
    store = demo_store
    view, _ids = _plan(store)
    ph = view.maal[0].proevehandlinger[0]
    on_ph = store.create("laering", proevehandling_id=ph.id, dato=date(2027, 4, 1), tekst="A")
    on_plan = store.create("laering", maalplan_id=view.id, dato=date(2027, 4, 2), tekst="B")
    view = load_maalplan(store.db, view.id)
    path = _export(view, tmp_path / "l.xlsx", store)
    wb = openpyxl.load_workbook(path)
    efter = wb[SHEET_EFTER]
    cols, rows = _laering(efter)
    texts = {efter.cell(r, cols["Det har vi lært"]).value: r for r in rows}
    assert efter.cell(texts["B"], cols["Prøvehandling nr"]).value is None
    assert efter.cell(texts["B"], cols["Prøvehandling"]).value == PLAN_LAERING
    assert efter.cell(texts["A"], cols["Prøvehandling nr"]).value == ph.nr
    assert import_workbook(store, path, dry_run=True).kladde == []
    efter.cell(texts["A"], cols["Det har vi lært"]).value = "A, skrevet om"
    for c in cols.values():
        efter.cell(texts["B"], c).value = None
    wb.save(path)
    report = import_workbook(store, path, dry_run=True)
    got = sorted((c.kind, c.entity, c.field or "", c.row_id) for c in report.kladde)
    assert got == [("felt", "laering", "tekst", on_ph), ("slet", "laering", "", on_plan)]


@pytest.mark.parametrize(
    ("raw", "wanted"),
    [
        (12.5, 12.5),
        (12, 12.0),
        ("12,5", 12.5),
        ("45 %", 45.0),
        ("1.234", 1234.0),
        ("1.234,5", 1234.5),
        (" -3,25 ", -3.25),
        (None, None),
    ],
)
def test_a_decimal_cell_is_read_the_danish_way(raw, wanted):
    spec = ENTITIES["maaling"].fields["vaerdi"]
    assert _cell_value("maaling", spec, raw) == wanted


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("mange", "ikke et tal"),
        (date(2027, 2, 1), "er en dato"),
        (True, "skal være et tal"),
        (1e13, "urimeligt stort"),
    ],
)
def test_a_bad_decimal_cell_has_a_danish_message(raw, fragment):
    spec = ENTITIES["maaling"].fields["vaerdi"]
    with pytest.raises(_Bad) as info:
        _cell_value("maaling", spec, raw)
    assert fragment in info.value.message


def test_bad_rows_are_reported_by_sheet_row_and_column_and_nothing_is_written(demo_store, tmp_path):
    store = demo_store
    view, _ids = _plan(store)
    t1 = view.maal[0].tegn[0]
    path = _export(view, tmp_path / "fejl.xlsx", store)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_MAALINGER]
    cols, rows = _maalinger(ws)
    empty = [r for r in rows if ws.cell(r, cols["Tegn nr"]).value == t1.nr][-3:]
    ws.cell(empty[0], cols["Dato"]).value = "30/4-2027"
    ws.cell(empty[0], cols["Værdi"]).value = "mange"  # not a number
    ws.cell(empty[1], cols["Værdi"]).value = 17  # no date
    ws.cell(empty[2], cols["Dato"]).value = "31/5-2027"  # neither value nor observation
    ws.cell(empty[2], cols["Kilde"]).value = "Listen"
    last = max(rows) + 1
    ws.cell(last, cols["Tegn nr"]).value = "9.9"  # no such tegn
    ws.cell(last, cols["Dato"]).value = "30/6-2027"
    ws.cell(last, cols["Værdi"]).value = 3
    efter = wb[SHEET_EFTER]
    lcols, lrows = _laering(efter)
    header = next(r for r in range(1, efter.max_row + 1) if efter.cell(r, 3).value == "Dato")
    at = header + 1 + len(lrows)
    efter.cell(at, lcols["Prøvehandling nr"]).value = "7.7"
    efter.cell(at, lcols["Dato"]).value = "1/5-2027"
    efter.cell(at, lcols["Det har vi lært"]).value = "Om en prøvehandling, der ikke findes."
    efter.cell(at + 1, lcols["Det har vi lært"]).value = "Uden dato."
    wb.save(path)
    before = _laering_rows(store), load_maalplan(store.db, view.id)
    report = import_workbook(store, path)
    texts = [i.text() for i in report.errors]
    assert not report.imported
    assert (_laering_rows(store), load_maalplan(store.db, view.id)) == before
    letter = {h: openpyxl.utils.get_column_letter(c) for h, c in cols.items()}

    def has(row: int, column: str, fragment: str, sheet: str = SHEET_MAALINGER) -> bool:
        return any(
            f"Ark «{sheet}», række {row}, kolonne {column}" in t and fragment in t for t in texts
        )

    assert has(empty[0], letter["Værdi"], "ikke et tal"), texts
    assert has(empty[1], letter["Dato"], "Skriv datoen for målingen"), texts
    assert has(empty[2], letter["Værdi"], "værdi (et tal"), texts
    assert has(last, letter["Tegn nr"], "Tegn nr 9.9 findes ikke"), texts
    lletter = {h: openpyxl.utils.get_column_letter(c) for h, c in lcols.items()}
    assert has(at, lletter["Prøvehandling nr"], "7.7 findes ikke", SHEET_EFTER), texts
    assert has(at + 1, lletter["Dato"], "Skriv datoen for læringen", SHEET_EFTER), texts
    assert len(texts) == 6, texts


def test_a_new_plan_from_the_workbook_brings_its_maalinger(demo_store, new_db_target, tmp_path):
    """Imported into another database (a new plan), the målinger and the læring typed in the
    sheet are created under their tegn and prøvehandling."""
    from models.db import open_database

    view, _ids = _plan(demo_store)
    path = _export(view, tmp_path / "ny.xlsx", demo_store)
    wb = openpyxl.load_workbook(path)
    efter = wb[SHEET_EFTER]
    lcols, lrows = _laering(efter)
    header = next(r for r in range(1, efter.max_row + 1) if efter.cell(r, 3).value == "Dato")
    at = header + 1 + len(lrows)
    efter.cell(at, lcols["Dato"]).value = "3/5-2027"
    efter.cell(at, lcols["Det har vi lært"]).value = "Planens egen læring."
    wb.save(path)
    db = open_database(new_db_target("tom"), device_name="Ny")
    try:
        other = Store(db)
        report = import_workbook(other, path)
        assert report.imported, report.to_json()
        assert "målinger" in report.summary()
        plan = load_maalplan(db, report.maalplan_id)
        got = {
            t.nr: sorted((x.dato, x.vaerdi, x.observation) for x in t.maalinger)
            for t in plan.maal[0].tegn
        }
        want = {
            t.nr: sorted((x.dato, x.vaerdi, x.observation) for x in t.maalinger)
            for t in view.maal[0].tegn
        }
        assert got == want and got[view.maal[0].tegn[0].nr]
        assert _laering_rows(other)["Planens egen læring."][0] == plan.id
    finally:
        db.close()


def test_a_status_changed_in_the_sheet_is_dated_as_in_the_app(demo_store, tmp_path):
    """A prøvehandling's status changed on del 2 without its date: «Status ændret» becomes
    the day of the import (shown in the preview), as a status typed in the app is dated; a
    new prøvehandling typed with a status beyond «planlagt» is dated too. A date the sheet
    gives is kept."""
    store = demo_store
    view, _ids = _plan(store)
    m = view.maal[0]
    ph = m.proevehandlinger[0]
    store.update("proevehandling", ph.id, status="planlagt")
    view = load_maalplan(store.db, view.id)
    path = _export(view, tmp_path / "status.xlsx", store)
    wb = openpyxl.load_workbook(path)
    ws = wb["UNDER udviklingsdage del 2"]
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 3).value == "Prøvehandling nr")
    cols = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}
    row = next(
        r
        for r in range(header + 1, ws.max_row + 1)
        if ws.cell(r, cols["Prøvehandling nr"]).value == ph.nr
    )
    ws.cell(row, cols["Status"]).value = "I gang"
    ws.cell(row, cols["Status ændret"]).value = None
    new = ws.max_row + 1
    ws.cell(new, cols["Mål nr"]).value = m.nr
    ws.cell(new, cols["Prøvehandling: hvad gør vi"]).value = "Gåtur før første time."
    ws.cell(new, cols["Status"]).value = "I gang"
    dated = ws.max_row + 1
    ws.cell(dated, cols["Mål nr"]).value = m.nr
    ws.cell(dated, cols["Prøvehandling: hvad gør vi"]).value = "Frugt i frikvarteret."
    ws.cell(dated, cols["Status"]).value = "Stoppet"
    ws.cell(dated, cols["Status ændret"]).value = "1/4-2027"
    wb.save(path)
    today = date.today()
    preview = import_workbook(store, path, dry_run=True)
    assert not preview.errors, [i.text() for i in preview.errors]
    fields = {(c.kind, c.field): c for c in preview.kladde if c.row_id == ph.id}
    assert set(fields) == {("felt", "status"), ("felt", "status_dato")}
    assert fields[("felt", "status_dato")].sheet == today
    assert import_workbook(store, path).imported
    after = {p.tekst: p for p in load_maalplan(store.db, view.id).maal[0].proevehandlinger}
    assert (after[ph.tekst].status, after[ph.tekst].status_dato) == ("i_gang", today)
    assert after["Gåtur før første time."].status_dato == today
    assert after["Frugt i frikvarteret."].status_dato == date(2027, 4, 1)
    assert import_workbook(store, path, dry_run=True).kladde == []


@pytest.mark.parametrize("hidden", [None, "veryHidden"])
def test_a_copied_maalinger_sheet_is_refused_not_read_twice(demo_store, tmp_path, hidden):
    """Excel's «Flyt eller kopiér → Opret en kopi» makes «Målinger (2)» (perhaps hidden): its
    rows are the same målinger again, so the file is refused with where both tables are, and
    nothing is written (before, every måling came in twice)."""
    store = demo_store
    view, _ids = _plan(store)
    path = _export(view, tmp_path / "kopi.xlsx", store)
    wb = openpyxl.load_workbook(path)
    copy = wb.copy_worksheet(wb[SHEET_MAALINGER])
    copy.title = f"{SHEET_MAALINGER} (2)"
    if hidden:
        copy.sheet_state = hidden
    wb.save(path)
    header = _maalinger(wb[SHEET_MAALINGER])[1][0] - 1
    before = load_maalplan(store.db, view.id)
    report = import_workbook(store, path)
    texts = [i.text() for i in report.errors]
    assert not report.imported
    assert load_maalplan(store.db, view.id) == before
    assert len(texts) == 1, texts
    assert f"Ark «{SHEET_MAALINGER} (2)», række {header}" in texts[0], texts
    assert f"også på arket «{SHEET_MAALINGER}» (række {header})" in texts[0], texts
    assert "Slet kopien" in texts[0]
    # The same file without the copy comes in as before: nothing to change.
    del wb[f"{SHEET_MAALINGER} (2)"]
    wb.save(path)
    assert not import_workbook(store, path).errors


def test_a_four_digit_year_is_read_as_written():
    """«24» in a Danish date is 2024; a year written with four digits is that year, also
    «0001» (the field then refuses it as a date before 2000, instead of reading 2001)."""
    from exports.template_import import _date

    assert _date("31/1-24") == date(2024, 1, 31)
    assert _date("31/1-2024") == date(2024, 1, 31)
    assert _date("1/1-0001") == date(1, 1, 1)
    spec = ENTITIES["maaling"].fields["dato"]
    with pytest.raises(_Bad):
        _cell_value("maaling", spec, "1/1-0001")


def test_laering_is_in_the_plans_pdf_and_word_document(demo_store, tmp_path):
    """Læring written on a prøvehandling shows under its mål (number, date, text, who), and
    the plan's own læring at the end, in the PDF and the Word document as in the workbook
    (before, only the workbook's EFTER sheet had it)."""
    from exports.docx import maalplan_docx
    from exports.pdf import maalplan_pdf
    from exports.qr import reference_qr_png
    from exports.reference import office_text, pdf_text

    store = demo_store
    view, _ids = _plan(store)
    m = view.maal[0]
    ph = m.proevehandlinger[0]
    on_ph = "Morgenmaden virker bedst om mandagen."
    on_plan = "Målingerne skal ligge fast hver måned."
    store.create(
        "laering", proevehandling_id=ph.id, dato=date(2027, 5, 2), tekst=on_ph, hvem="Anne Holm"
    )
    store.create("laering", maalplan_id=view.id, dato=date(2027, 5, 3), tekst=on_plan)
    view = load_maalplan(store.db, view.id)
    ref = reference_for(view)
    png = reference_qr_png(ref)
    word = office_text(maalplan_docx(view, ref, png, when=WHEN), ".docx")
    pdf = " ".join(pdf_text(maalplan_pdf(view, ref, png, when=WHEN)).split())
    for text in (word, pdf):
        # (A table's dates keep their hyphens unbroken: Word's own hyphen element, which the
        # text leaves out.)
        assert "Læring Prøvehandling Dato Det har vi lært Skrevet af" in text
        assert re.search(rf"{re.escape(ph.nr)} 02-?05-?2027 {re.escape(on_ph)} Anne Holm", text)
        assert re.search(
            rf"Læring for hele planen Dato Det har vi lært Skrevet af 03-?05-?2027 {on_plan}", text
        )
        # Under its own mål, and the plan's own at the end.
        assert text.index(m.tekst[:30]) < text.index(on_ph) < text.index("hele planen")


def _repeats(report: Any) -> list[tuple[int | None, str]]:
    """The warnings about a måling row that repeats another: (the row, the row it repeats)."""
    out = []
    for issue in report.warnings:
        found = re.search(r"magen til række (\d+)", issue.message)
        if found:
            out.append((issue.row, found.group(1)))
    return sorted(out)


def test_a_maaling_typed_twice_is_let_in_with_a_warning_naming_the_row_it_repeats(
    demo_store, tmp_path
):
    """A new row the same as another row under the same tegn (day, value or observation; who
    wrote it aside) is a warning in the preview, naming the row it repeats (the one that is in
    the database, when one is); both come in. Rows that are in the database twice already, a
    row differing in its value, and a new plan's rows are checked the same way."""
    store = demo_store
    view, ids = _plan(store)
    t1, t2 = view.maal[0].tegn[0], view.maal[0].tegn[1]
    # Two målinger on one day that are both in the database: exported, they are two equal
    # rows that pair with the two, and nothing is said about them.
    for _ in range(2):
        store.create("maaling", tegn_id=t2.id, dato=date(2027, 3, 1), observation="Ens.")
    view = load_maalplan(store.db, view.id)
    path = _export(view, tmp_path / "dobbelt.xlsx", store)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_MAALINGER]
    cols, rows = _maalinger(ws)
    empty1 = [r for r in rows if ws.cell(r, cols["Tegn nr"]).value == t1.nr][-3:]
    for r, value in zip(empty1, (20, 20, 21), strict=True):  # the third differs in its value
        ws.cell(r, cols["Dato"]).value = "30/4-2027"
        ws.cell(r, cols["Værdi"]).value = value
    ws.cell(empty1[1], cols["Registreret af"]).value = "Karim"  # who wrote it: not the måling
    obs = next(
        r
        for r in rows
        if ws.cell(r, cols["Observation"]).value == "Flere elever siger godmorgen ved døren."
    )
    copy = [r for r in rows if ws.cell(r, cols["Tegn nr"]).value == t2.nr][-1]
    ws.cell(copy, cols["Dato"]).value = ws.cell(obs, cols["Dato"]).value
    ws.cell(copy, cols["Observation"]).value = ws.cell(obs, cols["Observation"]).value
    wb.save(path)

    preview = import_workbook(store, path, dry_run=True)
    assert not preview.errors, [i.text() for i in preview.errors]
    assert _repeats(preview) == sorted([(empty1[1], str(empty1[0])), (copy, str(obs))])
    message = next(i for i in preview.warnings if i.row == copy).text()
    assert f"række {copy}" in message and "samme tegn, dato og observation" in message
    assert "Begge indlæses" in message and "2 advarsler" in preview.summary()
    assert [c.kind for c in preview.kladde].count("ny") == 4

    report = import_workbook(store, path)
    assert report.imported, report.summary()
    after = load_maalplan(store.db, view.id)
    aprils = sorted(
        x.vaerdi for x in after.maal[0].tegn[0].maalinger if x.dato == date(2027, 4, 30)
    )
    assert aprils == [20, 20, 21]
    greetings = [
        x for x in after.maal[0].tegn[1].maalinger if x.observation and "godmorgen" in x.observation
    ]
    assert len(greetings) == 2 and ids["obs"] in {x.id for x in greetings}


def test_a_new_plans_maalinger_typed_twice_have_the_warning(demo_store, new_db_target, tmp_path):
    from models.db import open_database

    view, _ids = _plan(demo_store)
    path = _export(view, tmp_path / "ny.xlsx", demo_store)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_MAALINGER]
    cols, rows = _maalinger(ws)
    t1 = view.maal[0].tegn[0]
    first = next(r for r in rows if ws.cell(r, cols["Tegn nr"]).value == t1.nr)
    empty = [r for r in rows if ws.cell(r, cols["Tegn nr"]).value == t1.nr][-1]
    for key in ("Dato", "Værdi", "Kilde"):
        ws.cell(empty, cols[key]).value = ws.cell(first, cols[key]).value
    wb.save(path)
    db = open_database(new_db_target("tom"), device_name="Ny")
    try:
        report = import_workbook(Store(db), path)
        assert report.imported, report.to_json()
        assert _repeats(report) == [(empty, str(first))]
        plan = load_maalplan(db, report.maalplan_id)
        assert len(plan.maal[0].tegn[0].maalinger) == len(t1.maalinger) + 1
    finally:
        db.close()


def test_a_maaling_typed_in_the_kladde_that_was_entered_in_the_app_since_is_warned(
    demo_store, tmp_path
):
    """The kladde goes out to Excel; meanwhile someone types the April måling into the app;
    the kladde comes back with the same måling typed in a blank row. Both are kept (two
    målinger a day can be real), but the preview says the row repeats the måling the database
    got after the export, so the tovholder can delete the row before importing."""
    store = demo_store
    view, _ids = _plan(store)
    t1 = view.maal[0].tegn[0]
    path = _export(view, tmp_path / "kladde.xlsx", store)
    store.create("maaling", tegn_id=t1.id, dato=date(2027, 4, 30), vaerdi=20.0, hvem="Anne")
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_MAALINGER]
    cols, rows = _maalinger(ws)
    blank = [r for r in rows if ws.cell(r, cols["Tegn nr"]).value == t1.nr][-1]
    ws.cell(blank, cols["Dato"]).value = "30/4-2027"
    ws.cell(blank, cols["Værdi"]).value = 20
    wb.save(path)

    preview = import_workbook(store, path, dry_run=True)
    assert not preview.errors, [i.text() for i in preview.errors]
    warned = [i.text() for i in preview.warnings if i.row == blank]
    assert len(warned) == 1, [i.text() for i in preview.warnings]
    assert (
        "magen til en måling 30-04-2027, der er skrevet i programmet af Anne efter " in (warned[0])
    ), warned
    assert "Begge indlæses" in warned[0]
    report = import_workbook(store, path)
    assert report.imported, report.summary()
    after = load_maalplan(store.db, view.id)
    aprils = [x.vaerdi for x in after.maal[0].tegn[0].maalinger if x.dato == date(2027, 4, 30)]
    assert aprils == [20, 20]
