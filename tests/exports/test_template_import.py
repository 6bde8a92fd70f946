"""The målplanskabelon in: round trip, messy sheets, bad sheets, and big sheets."""

from __future__ import annotations

import json
import re
import time
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from exports.reference import reference_for
from exports.template_import import ImportError_, import_workbook
from exports.xlsx import SHEETS, maalplan_xlsx, template_xlsx
from models.db import open_database
from models.maalplan_view import (
    MaalplanCounts,
    canonical_content,
    load_maalplan,
    load_maalplaner,
)
from models.queries import counts
from models.store import Store
from tui.cli import main

WHEN = date(2027, 1, 31)

BOTH_BACKENDS = True


@pytest.fixture
def empty_store(new_db_target):
    db = open_database(new_db_target("tom"), device_name="Tom")
    yield Store(db)
    db.close()


def _xlsx(view, path: Path) -> Path:
    path.write_bytes(maalplan_xlsx(view, when=WHEN, reference_text=reference_for(view).text))
    return path


def _header_row(ws, first: str) -> int:
    return next(
        r
        for r in range(1, ws.max_row + 1)
        if ws.cell(r, 1).value == first and ws.cell(r, 2).value is not None and r > 2
    )


def test_round_trip_demo(demo_store, empty_store, tmp_path):
    views = load_maalplaner(demo_store.db)
    assert len(views) >= 3
    for view in views:
        report = import_workbook(empty_store, _xlsx(view, tmp_path / f"{view.id}.xlsx"))
        assert report.imported, [i.text() for i in report.errors]
        assert not report.errors
        again = load_maalplan(empty_store.db, report.maalplan_id)
        assert canonical_content(again) == canonical_content(view)
        assert again.digest == view.digest
        assert again.id == view.id  # the reference in the file keeps the plan's identity
        assert (again.status_foer, again.status_efter) == (view.status_foer, view.status_efter)


def test_round_trip_rich_plan(plan_store, empty_store, tmp_path):
    store, ids = plan_store
    view = load_maalplan(store.db, ids["plan"])
    report = import_workbook(empty_store, _xlsx(view, tmp_path / "p.xlsx"))
    assert report.imported and not report.errors
    assert load_maalplan(empty_store.db, report.maalplan_id).digest == view.digest


def test_messy_sheet_is_handled(plan_store, empty_store, tmp_path):
    store, ids = plan_store
    view = load_maalplan(store.db, ids["plan"])
    path = _xlsx(view, tmp_path / "rodet.xlsx")
    wb = openpyxl.load_workbook(path)
    foer, del1, del2, efter = (wb[s] for s in SHEETS[:4])
    # Trailing spaces and non-breaking spaces.
    foer["B4"] = "  Børnehuset Ærø & Å \xa0 "
    hr = _header_row(foer, "Mål nr")
    foer.cell(hr + 1, 4).value = foer.cell(hr + 1, 4).value + "   "
    # An extra column in the middle and blank rows between the mål.
    foer.insert_cols(3)
    foer.cell(hr, 3).value = "Noter (egne)"
    foer.cell(hr + 1, 3).value = "husk kage"
    foer.insert_rows(hr + 2, amount=2)
    # Mål nr typed as text with a dot, and fra år as text.
    foer.cell(hr + 1, 1).value = "1."
    foer.cell(hr + 1, 6).value = " 2027 "
    # Merged «Mål nr» over the two tegn rows (people do this for readability).
    thr = _header_row(del1, "Mål nr")
    del1.cell(thr + 2, 1).value = None
    del1.merge_cells(start_row=thr + 1, start_column=1, end_row=thr + 2, end_column=1)
    # Dates typed as text in two Danish ways.
    phr = _header_row(del2, "Mål nr")
    del2.cell(phr + 1, 7).value = "01-02-2027"
    del2.cell(phr + 1, 8).value = "30.4.2027"
    # Sheets renamed by somebody.
    foer.title, del1.title, del2.title, efter.title = "Ark1", "Tegn", "Ark 3", "efter "
    wb.save(path)

    report = import_workbook(empty_store, path)
    assert not report.errors, [i.text() for i in report.errors]
    assert report.imported
    warnings = " ".join(i.text() for i in report.warnings)
    assert "Kolonnen kendes ikke" in warnings and "Noter (egne)" in warnings
    assert "forventes på arket «FØR»" in warnings
    again = load_maalplan(empty_store.db, report.maalplan_id)
    assert canonical_content(again) == canonical_content(view)


def _cell_xml_with_formula(path: Path, sheet_index: int, ref: str, formula: str) -> None:
    """Give a numeric cell a formula while keeping its saved result (as Excel writes it)."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == f"xl/worksheets/sheet{sheet_index}.xml":
                text = data.decode("utf-8")
                text, n = re.subn(rf'(<c r="{ref}"[^>]*>)(<v>)', rf"\1<f>{formula}</f>\2", text)
                assert n == 1
                data = text.encode("utf-8")
            dst.writestr(item, data)
    tmp.replace(path)


def test_formula_with_saved_result_is_used(plan_store, empty_store, tmp_path):
    store, ids = plan_store
    view = load_maalplan(store.db, ids["plan"])
    path = _xlsx(view, tmp_path / "formel.xlsx")
    ws = openpyxl.load_workbook(path)["FØR"]
    hr = _header_row(ws, "Mål nr")
    _cell_xml_with_formula(path, 1, f"E{hr + 1}", "2026+1")
    assert openpyxl.load_workbook(path)["FØR"].cell(hr + 1, 5).data_type == "f"
    report = import_workbook(empty_store, path)
    assert report.imported and not report.errors
    assert load_maalplan(empty_store.db, report.maalplan_id).maal[0].fra_aar == 2027


def test_bad_workbook_reports_sheet_row_column_and_imports_nothing(
    plan_store, empty_store, tmp_path
):
    store, ids = plan_store
    view = load_maalplan(store.db, ids["plan"])
    path = _xlsx(view, tmp_path / "fejl.xlsx")
    wb = openpyxl.load_workbook(path)
    foer, del1, del2, efter = (wb[s] for s in SHEETS[:4])
    hr = _header_row(foer, "Mål nr")
    foer.cell(hr + 2, 5).value = "20x4"  # mål 2: fra år
    foer.cell(hr + 2, 6).value = "=E11+1"  # a formula with no saved result
    thr = _header_row(del1, "Mål nr")
    del1.cell(thr + 2, 1).value = 7  # a tegn on a mål that does not exist
    phr = _header_row(del2, "Mål nr")
    del2.cell(phr + 1, 8).value = "32-13-2027"
    shr = _header_row(efter, "Mål nr")
    efter.cell(shr + 1, 4).value = "Super"
    wb.save(path)
    before = counts(empty_store.db)

    report = import_workbook(empty_store, path)
    assert not report.imported
    assert counts(empty_store.db) == before
    texts = [i.text() for i in report.errors]
    assert any(
        t.startswith(f"Ark «FØR», række {hr + 2}, kolonne E (Fra år)") and "20x4" in t
        for t in texts
    ), texts
    assert any(f"række {hr + 2}, kolonne F (Til år)" in t and "formlen" in t for t in texts)
    assert any(
        t.startswith(f"Ark «UNDER udviklingsdage del 1», række {thr + 2}, kolonne A")
        and "Mål nr 7 findes ikke" in t
        for t in texts
    ), texts
    assert any(f"række {phr + 1}, kolonne H (Slut)" in t and "ikke en dato" in t for t in texts)
    assert any(
        f"Ark «EFTER», række {shr + 1}, kolonne D (Niveau)" in t and "Samskabelsesniveau" in t
        for t in texts
    ), texts
    assert "Intet er indlæst" in report.summary()

    # The user chooses to import the good rows: the bad ones (and what hangs on them) stay out.
    report = import_workbook(empty_store, path, good_rows=True)
    assert report.imported
    again = load_maalplan(empty_store.db, report.maalplan_id)
    assert [m.tekst for m in again.maal] == [view.maal[0].tekst]  # mål 2 had errors
    assert again.counts() == MaalplanCounts(
        maal=1, tegn=1, proevehandlinger=0, samarbejder=0, evalueringer=0
    )
    assert any("springes over" in i.text() for i in report.warnings)


def test_dry_run_writes_nothing(plan_store, empty_store, tmp_path):
    store, ids = plan_store
    path = _xlsx(load_maalplan(store.db, ids["plan"]), tmp_path / "p.xlsx")
    before = counts(empty_store.db)
    report = import_workbook(empty_store, path, dry_run=True)
    assert not report.imported and not report.errors
    assert report.counts["maal"] == 2 and report.counts["tegn"] == 2
    assert counts(empty_store.db) == before
    assert report.summary().startswith("Prøvekørsel")


def test_ten_thousand_rows(empty_store, tmp_path):
    path = tmp_path / "stor.xlsx"
    path.write_bytes(template_xlsx(when=WHEN))
    wb = openpyxl.load_workbook(path)
    foer, del1 = wb["FØR"], wb["UNDER udviklingsdage del 1"]
    foer["B3"], foer["B4"], foer["B5"] = "Stor plan", "Enheden", 2027
    hr = _header_row(foer, "Mål nr")
    foer.cell(hr + 1, 1).value = 1
    foer.cell(hr + 1, 2).value = "En målsætning"
    foer.cell(hr + 1, 4).value = "Et mål"
    thr = _header_row(del1, "Mål nr")
    for i in range(10_000):
        del1.cell(thr + 1 + i, 1).value = 1
        del1.cell(thr + 1 + i, 4).value = f"Tegn nummer {i} med æøå "
    del1.cell(thr + 5000, 5).value = "Måske"  # one bad type among 10,000
    wb.save(path)
    started = time.perf_counter()
    report = import_workbook(empty_store, path, dry_run=True)
    elapsed = time.perf_counter() - started
    assert [i.row for i in report.errors] == [thr + 5000]
    report = import_workbook(empty_store, path, dry_run=True, good_rows=True)
    assert report.counts["tegn"] == 9_999
    assert elapsed < 30


def test_blank_template_then_filled(empty_store, tmp_path):
    path = tmp_path / "skabelon.xlsx"
    path.write_bytes(template_xlsx(when=WHEN))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Vejledning", *SHEETS]
    report = import_workbook(empty_store, path, dry_run=True)
    fields = {i.header for i in report.errors}
    assert {"Målplan", "Enhed", "År"} <= fields
    foer = wb["FØR"]
    foer["B3"], foer["B4"], foer["B5"] = "Målplan 2028", "Biblioteket", "2028"
    hr = _header_row(foer, "Mål nr")
    foer.cell(hr + 1, 2).value = "Byens kultur når ud til flere."
    foer.cell(hr + 1, 3).value = "budgetaftale"
    foer.cell(hr + 1, 4).value = "Flere unge bruger biblioteket om aftenen."
    foer.cell(hr + 1, 9).value = "Ungdomsskolen; Kulturhuset Tårnet"
    wb.save(path)
    report = import_workbook(empty_store, path)
    assert report.imported, [i.text() for i in report.errors]
    view = load_maalplan(empty_store.db, report.maalplan_id)
    assert view.maal[0].nr == "1" and view.maal[0].maalsaetning_kilde == "budgetaftale"
    # Issue 14: FØR's names are possible partners on the mål, not agreed samarbejder.
    assert view.maal[0].samarbejder == []
    assert view.maal[0].mulige_partner_navne == ["Ungdomsskolen", "Kulturhuset Tårnet"]


def test_not_a_workbook(empty_store, tmp_path):
    bad = tmp_path / "x.xlsx"
    bad.write_text("ikke excel")
    with pytest.raises(ImportError_, match="kan ikke læses som en Excel"):
        import_workbook(empty_store, bad)
    old = tmp_path / "x.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(ImportError_, match=r"gamle Excel-format \(\.xls\)"):
        import_workbook(empty_store, old)
    other = tmp_path / "andet.xlsx"
    openpyxl.Workbook().save(other)
    with pytest.raises(ImportError_, match="ligner ikke en målplanskabelon"):
        import_workbook(empty_store, other)


def test_cli_import_json_and_exit_codes(plan_store, tmp_path, new_db_target, capsys):
    store, ids = plan_store
    path = _xlsx(load_maalplan(store.db, ids["plan"]), tmp_path / "p.xlsx")
    target = new_db_target("ny")
    assert main(["import", "--db", target, "--dry-run", "--json", str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["proevekoersel"] is True and data["antal"]["maal"] == 2
    assert main(["import", "--db", target, str(path)]) == 0
    assert "indlæst" in capsys.readouterr().out
    # The same plan again: recognised as the plan that is here, nothing to do, nothing doubled.
    assert main(["import", "--db", target, str(path)]) == 0
    assert "intet at indlæse" in capsys.readouterr().out
    db = open_database(target)
    try:
        assert len(load_maalplaner(db)) == 1
    finally:
        db.close()
