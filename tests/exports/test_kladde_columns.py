"""Every column of the exported workbook comes back: a chef's edits on all four sheets (the
samarbejder and evalueringer on EFTER, a mål's målsætning, kilde and mulige partnere, the
plan's enhed) are changes, new rows or deletions against the exported revision, with a
conflict where the database changed the same field since; the same file twice is a no-op."""

from __future__ import annotations

import dataclasses
import json
import time
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from exports.reference import reference_for
from exports.template_import import _COMPARED, import_workbook
from exports.xlsx import TABLES, maalplan_xlsx
from models.kladde import known_changes
from models.maalplan_view import (
    MaalplanView,
    ProevehandlingView,
    load_maalplan,
    load_maalplaner,
)
from models.schema import ENTITIES
from models.store import Store

WHEN = date(2027, 1, 31)

BOTH_BACKENDS = True


def _rich_plan(store: Store) -> MaalplanView:
    """Nordlys Skole's 2027 plan with two tegn, a prøvehandling with an evaluering, two samarbejder
    and possible partners on its mål (added through the Store like any edit)."""
    view = next(
        v for v in load_maalplaner(store.db) if v.enhed_navn == "Nordlys Skole" and v.aar == 2027
    )
    m = view.maal[0]
    ph = m.proevehandlinger[0]
    store.update("maal", m.id, mulige_partnere="Biblioteket\nSSP-konsulenten")
    store.create(
        "evaluering",
        proevehandling_id=ph.id,
        type="undervejs",
        dato=date(2027, 3, 1),
        effekt="Flere elever kommer til tiden.",
        laering="Morgenmaden virker bedst om mandagen.",
    )
    other = next(e for e in load_maalplaner(store.db) if e.enhed_navn == "Biblioteket")
    store.create(
        "samarbejde",
        maal_id=m.id,
        partner_ids=[other.enhed_id],
        niveau="viden",
        maal_for_samarbejdet="Lektiecafé to gange om ugen.",
    )
    # The year after the days: a måling on the first tegn, a læring on the prøvehandling.
    store.create(
        "maaling", tegn_id=m.tegn[0].id, dato=date(2026, 12, 31), vaerdi=7.5, kilde="Listen"
    )
    store.create(
        "laering", proevehandling_id=ph.id, dato=date(2027, 3, 2), tekst="Start små.", hvem="Bo"
    )
    return load_maalplan(store.db, view.id)


def _export(view: MaalplanView, path: Path, store: Store) -> Path:
    """The workbook as an export writes it: with the change log's position."""
    path.write_bytes(
        maalplan_xlsx(
            view,
            when=WHEN,
            reference_text=reference_for(view).text,
            known_changes=known_changes(store.db),
        )
    )
    return path


def _skewed_update(store: Store, entity: str, row_id: str, values: dict[str, Any], skew: str):
    """An edit made on another laptop whose clock is five hours ahead or behind (arrived
    here as a merge would bring it)."""
    from models.clock import HybridClock

    other = Store(store.db)
    other.device_id = "7b0e3c52-9d0e-4c3a-8f43-0000000000aa"
    offset = 5 * 3600 * (1 if skew == "ahead" else -1)
    other.clock = HybridClock(other.device_id, None, wall=lambda: time.time() + offset)
    other.update(entity, row_id, values)


def _tables(ws: Any) -> dict[str, tuple[dict[str, int], list[int]]]:
    """The tables of a sheet by their first header (a second table with the same first header,
    EFTER's læring after its evalueringer, as «… 2»): columns by header, and their data rows
    (to the first empty row)."""
    out: dict[str, tuple[dict[str, int], list[int]]] = {}
    current: list[int] | None = None
    for r in range(1, ws.max_row + 1):
        first = ws.cell(r, 1).value
        if first in ("Mål nr", "Prøvehandling nr") and ws.cell(r, 2).value:
            cols = {
                str(ws.cell(r, c).value): c
                for c in range(1, ws.max_column + 1)
                if ws.cell(r, c).value
            }
            current = []
            out[str(first) if str(first) not in out else f"{first} 2"] = (cols, current)
        elif current is not None and any(ws.cell(r, c).value is not None for c in (1, 2, 3)):
            current.append(r)
        elif current is not None:
            current = None
    return out


def _col(cols: dict[str, int], start: str) -> int:
    if start in cols:
        return cols[start]
    return next(c for h, c in cols.items() if h.startswith(start))


def _row_of(ws: Any, rows: list[int], col: int, value: str) -> int:
    return next(r for r in rows if str(ws.cell(r, col).value) == value)


def test_chef_edits_every_sheet_one_conflict_then_noop(demo_store, tmp_path):
    store = demo_store
    view = _rich_plan(store)
    m = view.maal[0]
    t1, t2 = m.tegn[0], m.tegn[1]
    ph = m.proevehandlinger[0]
    s1, s2 = m.samarbejder[0], m.samarbejder[1]
    ev = ph.evalueringer[0]
    path = _export(view, tmp_path / "kladde.xlsx", store)

    wb = openpyxl.load_workbook(path)
    foer, del1 = wb["FØR"], wb["UNDER udviklingsdage del 1"]
    del2, efter = wb["UNDER udviklingsdage del 2"], wb["EFTER"]
    # FØR: the mål's text with stray spaces, a new målsætning, its possible partners.
    cols, rows = _tables(foer)["Mål nr"]
    r = _row_of(foer, rows, 1, m.nr)
    foer.cell(r, cols["Mål"]).value = "  Alle elever møder til tiden  og har spist.  "
    foer.cell(r, cols["Målsætning"]).value = "Alle børn lærer mere, også om morgenen."
    foer.cell(r, _col(cols, "Mulige")).value = "Biblioteket\nSSP-konsulenten\nFritidsklubben"
    # Del 1: a percent cell and a new datakilde (the database changes it too: the conflict),
    # the second tegn deleted, a new tegn row without a number.
    cols, rows = _tables(del1)["Mål nr"]
    r1 = _row_of(del1, rows, _col(cols, "Tegn nr"), t1.nr)
    r2 = _row_of(del1, rows, _col(cols, "Tegn nr"), t2.nr)
    pct = del1.cell(r1, _col(cols, "Forventet"))
    pct.value, pct.number_format = 0.78, "0%"
    del1.cell(r1, _col(cols, "Datakilde")).value = "Arkets datakilde"
    for c in range(1, del1.max_column + 1):
        del1.cell(r2, c).value = None
    new = del1.max_row + 1
    del1.cell(new, 1).value = m.nr
    del1.cell(new, _col(cols, "Tegn:")).value = "Eleverne hilser på læreren ved døren."
    # Del 2: a date typed the Danish way, the mål number merged over its cell.
    cols, rows = _tables(del2)["Mål nr"]
    r = _row_of(del2, rows, _col(cols, "Prøvehandling nr"), ph.nr)
    del2.cell(r, _col(cols, "Start")).value = "4.12.2023"
    del2.cell(r, _col(cols, "Tegn den")).value = t1.nr  # it followed the deleted tegn too
    del2.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
    # EFTER: a samarbejde's level, the other deleted, a new one with a new partner; an
    # evaluering's læring.
    tables = _tables(efter)
    cols, rows = tables["Mål nr"]
    partner_col = _col(cols, "Samarbejdspartnere")
    first = next(
        r for r in rows if efter.cell(r, _col(cols, "Mål for")).value != s2.maal_for_samarbejdet
    )
    second = next(r for r in rows if r != first)
    efter.cell(first, _col(cols, "Niveau")).value = "Samskabelsesniveau"
    efter.cell(second, partner_col).value = "Fritidsklubben Hjørnet"
    efter.cell(second, _col(cols, "Niveau")).value = "Vidensniveau"
    efter.cell(second, _col(cols, "Mål for")).value = "Fælles lektiehjælp om aftenen."
    for key in ("Forventningsafstemning", "Rollefordeling"):
        efter.cell(second, _col(cols, key)).value = None
    cols, rows = tables["Prøvehandling nr"]
    r = _row_of(efter, rows, 1, ph.nr)
    efter.cell(r, _col(cols, "Læring")).value = "Morgenmaden virker hver dag."
    new = max(rows) + 1  # a new evaluering below the last
    efter.cell(new, 1).value = ph.nr
    efter.cell(new, _col(cols, "Evaluering")).value = "Afslutning"
    efter.cell(new, _col(cols, "Dato")).value = "4/6-2027"
    efter.cell(new, _col(cols, "Effekt")).value = "Eleverne kommer selv i tide nu."
    wb.save(path)

    # Meanwhile in the database: the same tegn field (the conflict), another mål field, a
    # new evaluering (not in the sheet: it stays).
    store.update("tegn", t1.id, datakilde="Databasens datakilde")
    store.update("maal", m.id, ansvarlig="Ny ansvarlig i databasen")
    late = store.create(
        "evaluering", proevehandling_id=ph.id, type="afslutning", effekt="Skrevet bagefter."
    )

    preview = import_workbook(store, path, dry_run=True)
    assert not preview.errors, [i.text() for i in preview.errors]
    got = sorted((c.kind, c.entity, c.field or "") for c in preview.kladde)
    assert got == sorted(
        [
            ("felt", "maal", "tekst"),
            ("felt", "maal", "maalsaetning"),
            ("felt", "maal", "mulige_partnere"),
            ("felt", "tegn", "forventet_niveau"),
            ("konflikt", "tegn", "datakilde"),
            ("ny", "tegn", ""),
            ("slet", "tegn", ""),
            ("felt", "proevehandling", "start"),
            ("felt", "proevehandling", "tegn_ids"),
            ("felt", "samarbejde", "niveau"),
            ("ny", "samarbejde", ""),
            ("slet", "samarbejde", ""),
            ("felt", "evaluering", "laering"),
            ("ny", "evaluering", ""),
        ]
    ), [c.text() for c in preview.kladde]
    assert len(preview.conflicts) == 1
    by = {(c.kind, c.entity, c.field): c for c in preview.kladde}
    assert by[("slet", "tegn", None)].row_id == t2.id
    assert by[("slet", "samarbejde", None)].row_id == s2.id
    assert by[("felt", "samarbejde", "niveau")].row_id == s1.id
    assert by[("felt", "evaluering", "laering")].row_id == ev.id
    assert "Samskabelse" in by[("felt", "samarbejde", "niveau")].text()
    assert by[("felt", "maal", "tekst")].sheet == "Alle elever møder til tiden og har spist." or (
        by[("felt", "maal", "tekst")].sheet == "Alle elever møder til tiden  og har spist."
    )

    report = import_workbook(store, path, delete=True, source="kladde.xlsx fra Anne")
    assert report.imported, report.summary()
    after = load_maalplan(store.db, view.id)
    a = after.maal[0]
    assert a.maalsaetning_tekst == "Alle børn lærer mere, også om morgenen."
    assert a.mulige_partnere == "Biblioteket\nSSP-konsulenten\nFritidsklubben"
    assert a.ansvarlig == "Ny ansvarlig i databasen"
    assert [t.id for t in a.tegn if t.id == t2.id] == []
    assert a.tegn[0].datakilde == "Databasens datakilde"  # the conflict is not overwritten
    assert a.tegn[0].forventet_niveau == "78 %"
    assert any(t.tekst == "Eleverne hilser på læreren ved døren." for t in a.tegn)
    assert a.proevehandlinger[0].start == date(2023, 12, 4)
    levels = {s.id: s.niveau for s in a.samarbejder}
    assert levels.get(s1.id) == "samskabelse" and s2.id not in levels
    added = next(s for s in a.samarbejder if s.id != s1.id)
    assert added.partner_navne == ["Fritidsklubben Hjørnet"] and added.niveau == "viden"
    evals = {e.id: e for e in a.proevehandlinger[0].evalueringer}
    assert evals[ev.id].laering == "Morgenmaden virker hver dag." and late in evals
    june = [e for e in evals.values() if e.dato == date(2027, 6, 4)]
    assert [(e.type, e.effekt) for e in june] == [("afslutning", "Eleverne kommer selv i tide nu.")]

    # The same file again: nothing but the conflict the user has not settled.
    digest = after.digest
    again = import_workbook(store, path, delete=True)
    assert [c.kind for c in again.kladde] == ["konflikt"], [c.text() for c in again.kladde]
    assert again.written == 0 and not again.imported
    assert load_maalplan(store.db, view.id).digest == digest


def test_a_row_deleted_in_the_database_does_not_come_back(demo_store, tmp_path):
    store = demo_store
    view = _rich_plan(store)
    m = view.maal[0]
    s2 = m.samarbejder[1]
    t2 = m.tegn[1]
    path = _export(view, tmp_path / "kladde.xlsx", store)
    store.delete("samarbejde", s2.id)  # after the export, the sheet still shows them
    store.delete("tegn", t2.id)
    report = import_workbook(store, path, dry_run=True)
    assert report.kladde == [], [c.text() for c in report.kladde]
    # The sheet changed the deleted row: a conflict, never a new row.
    wb = openpyxl.load_workbook(path)
    efter = wb["EFTER"]
    cols, rows = _tables(efter)["Mål nr"]
    r = next(
        r for r in rows if efter.cell(r, _col(cols, "Mål for")).value == s2.maal_for_samarbejdet
    )
    efter.cell(r, _col(cols, "Rollefordeling")).value = "Biblioteket står for kaffen."
    wb.save(path)
    report = import_workbook(store, path, dry_run=True)
    assert [(c.kind, c.entity) for c in report.kladde] == [("konflikt", "samarbejde")]
    assert "slettet i databasen" in report.kladde[0].text()


# A value for each column that differs from the exported one, as a chef would type it.
_EDITS: dict[tuple[str, str], Any] = {
    ("maal", "maalsaetning"): "En helt ny målsætning.",
    ("maal", "kilde"): "Budgetaftale",
    ("maal", "tekst"): "Et nyt mål.",
    ("maal", "fra_aar"): 2026,
    ("maal", "til_aar"): 2029,
    ("maal", "ansvarlig"): "Ny leder",
    ("maal", "plan_a"): "2, 3",
    ("maal", "mulige_partnere"): "Fritidsklubben",
    ("tegn", "tekst"): "Et nyt tegn.",
    ("tegn", "type"): "Kvantitativ",
    ("tegn", "datakilde"): "Ny kilde",
    ("tegn", "baseline"): "12",
    ("tegn", "forventet_niveau"): "20",
    ("proevehandling", "tekst"): "En ny prøvehandling.",
    ("proevehandling", "forventning"): "Ny forventning",
    ("proevehandling", "ansvarlig"): "Ny ansvarlig",
    ("proevehandling", "start"): "2/2-2027",
    ("proevehandling", "slut"): "31/12-2027",
    ("proevehandling", "borgerinddragelse"): "ja",
    ("proevehandling", "borgerinddragelse_hvordan"): "Vi spørger forældrene.",
    ("proevehandling", "evaluering_undervejs"): "1/6-2027",
    ("proevehandling", "evaluering_afslutning"): "1/12-2027",
    ("proevehandling", "tegn_ids"): "",  # follows no tegn any more
    ("proevehandling", "status"): "Afsluttet",
    ("proevehandling", "status_dato"): "30/11-2027",
    ("samarbejde", "partner_ids"): "Biblioteket; PPR",
    ("samarbejde", "niveau"): "Samskabelsesniveau",
    ("samarbejde", "forventningsafstemning"): "Ny afstemning",
    ("samarbejde", "rollefordeling"): "Nye roller",
    ("samarbejde", "maal_for_samarbejdet"): "Nyt mål for samarbejdet",
    ("evaluering", "type"): "Afslutning",
    ("evaluering", "dato"): "2/2-2028",
    ("evaluering", "effekt"): "Ny effekt",
    ("evaluering", "laering"): "Ny læring",
    ("maaling", "dato"): "17/3-2027",
    ("maaling", "vaerdi"): "987,25",
    ("maaling", "observation"): "En helt ny observation.",
    ("maaling", "kilde"): "Ny kilde til målingen",
    ("maaling", "hvem"): "Ny registrator",
    ("laering", "dato"): "4/3-2027",
    ("laering", "tekst"): "Start endnu mindre.",
    ("laering", "hvem"): "Ny skribent",
}
# The tables that are known by their numbers and edited all at once; the others one column at
# a time (they are known by what they say, so a row with every cell rewritten is another).
_BY_NUMBER = ("maal", "tegn", "proevehandling")
# Which of a sheet's tables an entity's is (by its first header; `_tables`).
_TABLE_OF = {"evaluering": "Prøvehandling nr", "laering": "Prøvehandling nr 2"}
_VIEW_HAS_LAERING = "laeringer" in {f.name for f in dataclasses.fields(ProevehandlingView)}
_PLAN_EDITS: dict[str, Any] = {
    "titel": "Målplan 2027 for Nordlys Skole, rettet",
    "enhed_id": "Egeskolen",
    "aar": 2028,
    "ansvarlig": "Ny skoleleder",
    "plan_a": "1, 2",
    "sagsnummer": "00.01.00-G01-99-27",
    "kle": "00.01.02",
    "status_foer": "I gang",
    "status_del1": "Udfyldt",
    "status_del2": "I gang",
    "status_efter": "I gang",
}


def test_every_column_of_every_sheet_is_compared(demo_store, tmp_path):
    """Each column the workbook carries, edited, is a field change of its row, and applied,
    the file is the plan again. The plan's fields, the mål, tegn and prøvehandlinger at once
    (they are known by their numbers); a samarbejde's or an evaluering's columns one at a
    time (they are known by what they say, so a row with every cell rewritten is another)."""
    store = demo_store
    view = _rich_plan(store)
    assert set(_PLAN_EDITS) == set(_COMPARED["maalplan"])
    for entity in TABLES:
        assert {k for e, k in _EDITS if e == entity} == set(_COMPARED[entity]), entity
    t1, ph = view.maal[0].tegn[0], view.maal[0].proevehandlinger[0]
    edits = dict(_EDITS)
    edits[("tegn", "type")] = "Kvalitativ" if t1.type == "kvantitativ" else "Kvantitativ"
    edits[("proevehandling", "borgerinddragelse")] = "nej" if ph.borgerinddragelse else "ja"
    path = _export(view, tmp_path / "alt.xlsx", store)
    wb = openpyxl.load_workbook(path)
    foer = wb["FØR"]
    header_row = min(_tables(foer)["Mål nr"][1]) - 1
    labels = {
        spec.name: spec.sheet.header
        for spec in ENTITIES["maalplan"].fields.values()
        if spec.sheet is not None
    }
    for r in range(1, header_row):
        for c in range(1, 8):
            for key, header in labels.items():
                if foer.cell(r, c).value == header and key in _PLAN_EDITS:
                    foer.cell(r, c + 1).value = _PLAN_EDITS[key]

    def cell(entity: str, header: str) -> Any:
        ws = wb[TABLES[entity][0]]
        cols, rows = _tables(ws)[_TABLE_OF.get(entity, "Mål nr")]
        return ws.cell(rows[0], _col(cols, header))

    by_rows = _BY_NUMBER
    for entity in by_rows:
        for column in TABLES[entity][1]:
            if (entity, column.key) in edits:
                cell(entity, column.header).value = edits[(entity, column.key)]
    wb.save(path)
    preview = import_workbook(store, path, dry_run=True)
    assert not preview.errors, [i.text() for i in preview.errors]
    got = sorted((c.kind, c.entity, c.field or "") for c in preview.kladde)
    wanted = sorted(
        [("felt", "maalplan", k) for k in _PLAN_EDITS]
        + [("felt", e, k) for e, k in edits if e in by_rows]
    )
    assert got == wanted, [c.text() for c in preview.kladde]
    assert import_workbook(store, path).imported

    for entity in (e for e in TABLES if e not in _BY_NUMBER):
        if entity == "laering" and not _VIEW_HAS_LAERING:
            continue  # the view does not carry the læring yet: the table is empty
        for column in TABLES[entity][1]:
            if (entity, column.key) not in edits:
                continue
            cell(entity, column.header).value = edits[(entity, column.key)]
            wb.save(path)
            report = import_workbook(store, path)
            got = [(c.kind, c.entity, c.field) for c in report.kladde]
            assert got == [("felt", entity, column.key)], [c.text() for c in report.kladde]
            assert report.written >= 1

    again = import_workbook(store, path, dry_run=True)
    assert again.kladde == [], [c.text() for c in again.kladde]
    plan = load_maalplan(store.db, view.id)
    assert plan.enhed_navn == "Egeskolen" and plan.aar == 2028
    m = plan.maal[0]
    assert m.maalsaetning_tekst == "En helt ny målsætning."
    assert m.maalsaetning_kilde == "budgetaftale"
    assert m.proevehandlinger[0].tegn_nr == []
    assert sorted(m.samarbejder[0].partner_navne) == ["Biblioteket", "PPR"]
    assert m.proevehandlinger[0].evalueringer[0].laering == "Ny læring"
    first = min(m.tegn[0].maalinger, key=lambda x: (x.kilde != "Ny kilde til målingen", x.dato))
    assert (first.dato, first.vaerdi, first.observation, first.kilde, first.hvem) == (
        date(2027, 3, 17),
        987.25,
        "En helt ny observation.",
        "Ny kilde til målingen",
        "Ny registrator",
    )


@pytest.mark.parametrize("skew", ["ahead", "behind"])
def test_database_edit_after_export_is_a_conflict_with_a_skewed_clock(demo_store, tmp_path, skew):
    store = demo_store
    """The revision's clock stored in the workbook decides what changed since: an edit made
    after the export on a laptop whose clock is hours off is a conflict, not an overwrite."""
    view = _rich_plan(store)
    t1 = view.maal[0].tegn[0]
    path = _export(view, tmp_path / "k.xlsx", store)
    wb = openpyxl.load_workbook(path)
    ws = wb["UNDER udviklingsdage del 1"]
    cols, rows = _tables(ws)["Mål nr"]
    r = _row_of(ws, rows, _col(cols, "Tegn nr"), t1.nr)
    ws.cell(r, _col(cols, "Datakilde")).value = "Arkets datakilde"
    wb.save(path)
    _skewed_update(store, "tegn", t1.id, {"datakilde": "Rettet på en anden pc"}, skew)
    report = import_workbook(store, path, dry_run=True)
    assert [(c.kind, c.field) for c in report.kladde] == [("konflikt", "datakilde")]
    report = import_workbook(store, path)
    assert not report.imported
    assert load_maalplan(store.db, view.id).maal[0].tegn[0].datakilde == "Rettet på en anden pc"


def test_the_export_stores_the_change_log_position(demo_store, tmp_path):
    from exports.sbsys import export_sbsys
    from exports.xlsx import KNOWN_CHANGES_PROPERTY

    view = load_maalplaner(demo_store.db)[0]
    result = export_sbsys(demo_store.db, tmp_path / "ud", [view.id])
    xlsx = next(f for f in result.packages[0].files if f.suffix == ".xlsx")
    wb = openpyxl.load_workbook(xlsx)
    stored = {p.name: p.value for p in wb.custom_doc_props.props}
    assert stored[KNOWN_CHANGES_PROPERTY] == known_changes(demo_store.db)


def test_a_long_change_log_position_survives_excel_s_255_characters(demo_store, tmp_path):
    """Office keeps 255 characters of a text property: a position of many laptops is stored
    in parts of at most that, and read back whole."""
    from exports.template_import import _Book
    from exports.xlsx import KNOWN_CHANGES_PROPERTY, PROPERTY_TEXT_MAX, build_workbook
    from models.kladde import parse_known_changes

    view = load_maalplaner(demo_store.db)[0]
    position = json.dumps(
        {
            f"{n:08d}-0000-4000-8000-000000000000": f"{1800000000000 + n:013d}-00000"
            for n in range(15)
        },
        separators=(",", ":"),
    )
    assert len(position) > 3 * PROPERTY_TEXT_MAX
    path = tmp_path / "lang.xlsx"
    build_workbook(view, when=date(2027, 3, 1), known_changes=position).save(path)
    parts = [
        p
        for p in openpyxl.load_workbook(path).custom_doc_props.props
        if p.name.startswith(KNOWN_CHANGES_PROPERTY)
    ]
    assert len(parts) == -(-len(position) // PROPERTY_TEXT_MAX)
    assert all(len(p.value) <= PROPERTY_TEXT_MAX for p in parts)
    read = _Book(path).known_changes()
    assert read == position
    boundary = parse_known_changes(read)
    assert boundary is not None and len(boundary.known) == 15


@pytest.mark.parametrize("text", ["[" * 100_000, "[]", "not json", '{"a": 1}', "x" * 2_000_000])
def test_a_hand_edited_change_log_position_is_ignored_not_a_crash(text):
    from models.kladde import parse_known_changes

    # The workbook's custom property can be edited in Excel; what is not a position is left
    # out (the revision's number then gives the boundary), never a RecursionError.
    assert parse_known_changes(text) is None
    assert parse_known_changes('{"dev": "0001"}') is not None


def _hand_filled(path: Path, title: str, enhed: str, maalsaetning: str, maal: str) -> Path:
    from exports.xlsx import template_xlsx

    path.write_bytes(template_xlsx(when=WHEN))
    wb = openpyxl.load_workbook(path)
    foer = wb["FØR"]
    foer["B3"], foer["B4"], foer["B5"] = title, enhed, "2027"
    cols, _rows = _tables(foer)["Mål nr"]
    header = next(r for r in range(1, foer.max_row + 1) if foer.cell(r, 1).value == "Mål nr")
    foer.cell(header + 1, cols["Målsætning"]).value = maalsaetning
    foer.cell(header + 1, cols["Mål"]).value = maal
    wb.save(path)
    return path


def test_cli_import_into_a_plan_picked_by_title_twice_is_a_noop(new_db_target, tmp_path, capsys):
    from models.db import open_database
    from models.demo import build_demo
    from models.queries import counts
    from tui.cli import main

    target = new_db_target("valgt")
    db = open_database(target, device_name="Tovholder")
    try:
        build_demo(Store(db))
        view = next(v for v in load_maalplaner(db) if v.enhed_navn == "Biblioteket")
    finally:
        db.close()
    # Another title than the plan's: only the pick makes it an update.
    path = _hand_filled(
        tmp_path / "skabelon.xlsx",
        "Bibliotekets kladde",
        "Biblioteket",
        view.maal[0].maalsaetning_tekst,
        "Et mål fra en skabelon.",
    )
    capsys.readouterr()
    assert main(["import", "--db", target, "--plan", view.titel.upper(), str(path)]) == 0
    out = capsys.readouterr().out
    assert "Intet er gemt endnu" in out and "Et mål fra en skabelon." in out
    assert main(["import", "--db", target, "--plan", view.titel, "--ja", "--slet", str(path)]) == 0
    assert "indlæst i målplanen" in capsys.readouterr().out
    db = open_database(target)
    try:
        after = load_maalplan(db, view.id)
        assert after.titel == "Bibliotekets kladde"
        assert [m.tekst for m in after.maal] == ["Et mål fra en skabelon."]
        before = counts(db)
    finally:
        db.close()
    assert main(["import", "--db", target, "--plan", view.id, "--ja", "--slet", str(path)]) == 0
    assert "intet at indlæse" in capsys.readouterr().out
    db = open_database(target)
    try:
        assert counts(db) == before
        assert len(load_maalplaner(db)) == 15
    finally:
        db.close()
    # A plan that is not there, and an exported file pointed at another plan: nothing.
    assert main(["import", "--db", target, "--plan", "Findes ikke", "--ja", str(path)]) == 1
    assert "findes ikke i databasen" in capsys.readouterr().out
    db = open_database(target)
    try:
        other = next(v for v in load_maalplaner(db) if v.enhed_navn == "Egeskolen")
        exported = _export(other, tmp_path / "egeskolen.xlsx", Store(db))
    finally:
        db.close()
    assert main(["import", "--db", target, "--plan", view.id, "--ja", str(exported)]) == 1
    assert "en anden målplan" in capsys.readouterr().out


def test_hand_filled_template_of_an_existing_plan_updates_it(demo_store, tmp_path):
    """Same enhed, year and title: an update of that plan, found without a pick."""
    view = next(v for v in load_maalplaner(demo_store.db) if v.enhed_navn == "Biblioteket")
    path = _hand_filled(
        tmp_path / "s.xlsx",
        view.titel,
        "biblioteket",
        view.maal[0].maalsaetning_tekst,
        view.maal[0].tekst + " Også om lørdagen.",
    )
    report = import_workbook(demo_store, path, dry_run=True)
    assert report.update_of == view.id, [i.text() for i in report.issues]
    got = sorted((c.kind, c.entity, c.field or "") for c in report.kladde)
    assert ("felt", "maal", "tekst") in got and ("slet", "maal", "") in got
    assert all(c.kind != "ny" for c in report.kladde), [c.text() for c in report.kladde]
    # The template's empty cells (the plan's ansvarlig, its statuses) change nothing.
    assert not any(c.entity == "maalplan" for c in report.kladde), got
