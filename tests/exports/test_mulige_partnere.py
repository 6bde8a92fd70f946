"""Issue 14: possible partners (FØR's «Mulige samarbejdspartnere», found on the lederdag) are a
field of the mål, not samarbejder. They are read into `maal.mulige_partnere`, shown labelled as
possible in the documents, never on EFTER or in `v_samarbejde`, and survive a round trip."""

from __future__ import annotations

import io
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from pypdf import PdfReader

from exports import document_rows as content
from exports.docx import maalplan_docx
from exports.pdf import maalplan_pdf
from exports.qr import reference_qr_png
from exports.reference import reference_for
from exports.sqlite_export import export_sqlite
from exports.template_import import import_workbook
from exports.xlsx import maalplan_xlsx, template_xlsx
from models.db import make_engine, open_database, upgrade_schema
from models.maalplan_view import load_maalplan
from models.migrations import HEAD_REVISION
from models.store import Store
from tests.tui.helpers import FakeClock, build_small, read, run_async, settle, wait_debounce

WHEN = date(2027, 1, 31)
NAMES = ["Ungdomsskolen", "Foreningen Aftenløb", "Region Syd, psykiatrien"]


@pytest.fixture
def empty_store(new_db_target):
    db = open_database(new_db_target("tom"), device_name="Tom")
    yield Store(db)
    db.close()


def _header_row(ws: Any, first: str) -> int:
    for row in ws.iter_rows():
        if row[0].value == first:
            return int(row[0].row)
    raise AssertionError(first)


def _filled_template(path: Path, partners: str) -> Path:
    path.write_bytes(template_xlsx(when=WHEN))
    wb = openpyxl.load_workbook(path)
    foer = wb["FØR"]
    foer["B3"], foer["B4"], foer["B5"] = "Målplan 2028", "Biblioteket", "2028"
    hr = _header_row(foer, "Mål nr")
    headers = [c.value for c in foer[hr]]
    foer.cell(hr + 1, 2).value = "Byens kultur når ud til flere."
    foer.cell(hr + 1, 4).value = "Flere unge bruger biblioteket om aftenen."
    foer.cell(hr + 1, headers.index("Mulige samarbejdspartnere") + 1).value = partners
    wb.save(path)
    return path


def _plan_with_partners(store: Store) -> str:
    """A plan whose one mål has possible partners and no samarbejde."""
    with store.action() as tx:
        enhed = store.create("enhed", tx=tx, navn="Biblioteket", type="enhed")
        ms = store.create("maalsaetning", tx=tx, tekst="Kultur for alle", kilde="politik")
        plan = store.create("maalplan", tx=tx, enhed_id=enhed, aar=2028, titel="Plan 2028")
        store.create(
            "maal",
            tx=tx,
            maalsaetning_id=ms,
            maalplan_id=plan,
            enhed_id=enhed,
            tekst="Flere unge om aftenen.",
            mulige_partnere="\n".join(NAMES),
        )
    return plan


def test_foer_partners_fill_the_field_and_make_no_samarbejde(empty_store, tmp_path):
    path = _filled_template(tmp_path / "s.xlsx", "Ungdomsskolen; Foreningen Aftenløb\n")
    report = import_workbook(empty_store, path)
    assert report.imported, [i.text() for i in report.errors]
    assert report.counts["samarbejde"] == 0
    view = load_maalplan(empty_store.db, report.maalplan_id)
    (m,) = view.maal
    assert m.samarbejder == []
    assert m.mulige_partnere == "Ungdomsskolen\nForeningen Aftenløb"
    # A name outside the organisation is not made an enhed.
    names = {e["navn"] for e in _rows(empty_store, "enhed")}
    assert "Foreningen Aftenløb" not in names


def _rows(store: Store, table: str) -> list[dict[str, Any]]:
    from sqlalchemy import select

    from models.schema import ENTITIES

    t = ENTITIES[table].sql_table
    with store.db.engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(t)).mappings()]


def test_documents_show_them_as_possible_never_as_samarbejde(store, tmp_path):
    plan = _plan_with_partners(store)
    view = load_maalplan(store.db, plan)
    ref = reference_for(view)
    png = reference_qr_png(ref)

    # The workbook: on FØR, not on EFTER.
    path = tmp_path / "p.xlsx"
    path.write_bytes(maalplan_xlsx(view, when=WHEN, reference_text=ref.text))
    wb = openpyxl.load_workbook(path)
    foer_text = " ".join(str(c.value) for r in wb["FØR"].iter_rows() for c in r if c.value)
    assert "Region Syd, psykiatrien" in foer_text
    efter_text = " ".join(str(c.value) for r in wb["EFTER"].iter_rows() for c in r if c.value)
    assert not any(n in efter_text for n in NAMES)

    document = docx.Document(io.BytesIO(maalplan_docx(view, ref, png, when=WHEN)))
    paragraphs = [p.text for p in document.paragraphs]
    assert content.MULIGE_PARTNERE_HEADING in paragraphs
    assert content.NO_SAMARBEJDER in paragraphs  # no agreed samarbejde
    tables = [[[c.text for c in r.cells] for r in t.rows] for t in document.tables[1:]]
    partner_table = [t for t in tables if t[0] == list(content.MULIGE_PARTNERE_HEADERS)]
    assert partner_table == [
        [list(content.MULIGE_PARTNERE_HEADERS), *[[n, content.MULIG_IKKE_AFTALT] for n in NAMES]]
    ]
    assert not any(t[0] == list(content.SAMARBEJDE_HEADERS) for t in tables)

    reader = PdfReader(io.BytesIO(maalplan_pdf(view, ref, png, when=WHEN)))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "ikke aftalt" in text and "Foreningen Aftenløb" in text
    assert content.NO_SAMARBEJDER in text

    out = tmp_path / "x.sqlite"
    export_sqlite(store.db, out)
    con = sqlite3.connect(out)
    try:
        assert con.execute("SELECT count(*) FROM v_samarbejde").fetchone()[0] == 0
        (shown,) = con.execute("SELECT mulige_partnere FROM v_maal").fetchone()
        assert shown.splitlines() == NAMES
    finally:
        con.close()


def test_round_trip_keeps_them(store, empty_store, tmp_path):
    plan = _plan_with_partners(store)
    view = load_maalplan(store.db, plan)
    path = tmp_path / "rt.xlsx"
    path.write_bytes(maalplan_xlsx(view, when=WHEN, reference_text=reference_for(view).text))
    report = import_workbook(empty_store, path)
    assert report.imported, [i.text() for i in report.errors]
    again = load_maalplan(empty_store.db, report.maalplan_id)
    assert again.maal[0].mulige_partner_navne == NAMES
    assert again.maal[0].samarbejder == []


def test_migration_0006_upgrades_a_0005_database(tmp_path):
    path = tmp_path / "gammel.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_schema(engine, "0005")
    engine.dispose()
    con = sqlite3.connect(path)
    assert "mulige_partnere" not in [r[1] for r in con.execute("PRAGMA table_info(maal)")]
    con.close()
    db = open_database(str(path), device_name="Ny")
    try:
        assert db.revision == HEAD_REVISION
        store = Store(db)
        plan = _plan_with_partners(store)
        assert load_maalplan(db, plan).maal[0].mulige_partner_navne == NAMES
    finally:
        db.close()


@run_async
async def test_the_maal_form_edits_them(tmp_path: Path) -> None:
    from screens.forms import FormSpec, RecordForm
    from screens.widgets import AutoTextArea
    from tui.app import UdviklingsdagApp

    path = tmp_path / "form.db"
    ids = build_small(path)
    app = UdviklingsdagApp(str(path), clock=FakeClock())
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        form = RecordForm(
            FormSpec("maal", hidden=("maalsaetning_id", "enhed_id", "maalplan_id")), ids["m1"]
        )
        app.push_screen(form)
        await settle(app, pilot)
        for _ in range(50):  # the fields are mounted once the row is read
            if form.query("#f-mulige_partnere"):
                break
            await pilot.pause(0.05)
        area = form.query_one("#f-mulige_partnere", AutoTextArea)
        area.focus()
        area.insert("Sundhedsplejen\nFritidsklubben")
        await wait_debounce(app, pilot)
    (m,) = [r for r in read(path, "maal") if r["id"] == ids["m1"]]
    assert m["mulige_partnere"] == "Sundhedsplejen\nFritidsklubben"
