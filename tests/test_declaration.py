"""The declaration of entities and fields (`models.schema.ENTITIES`) against everything that
is written out by hand instead of derived from it: the SQLModel tables, the schema the
migrations build (SQLite and PostgreSQL), the SQLite export's views, the målplan views and the
document tables. A field added to the declaration and forgotten elsewhere fails here."""

from __future__ import annotations

import dataclasses
import re

import pytest
from sqlalchemy import JSON, Boolean, Date, Float, Integer, String, Text, inspect
from sqlalchemy.types import TypeEngine
from sqlmodel.sql.sqltypes import AutoString

from models import enums, maalplan_view, schema
from models.schema import ENTITIES, SHEET_ENTITIES

BOTH_BACKENDS = True

# The columns every domain table has besides its fields.
ROW_COLUMNS = {"id", "deleted"}


def _sql_kind(sql_type: TypeEngine) -> str:
    """A column type as one of the few kinds the declaration maps to (Text before String:
    it is one)."""
    for kind, cls in (
        ("text", Text),
        ("string", String),
        ("string", AutoString),  # SQLModel's VARCHAR
        ("bool", Boolean),
        ("int", Integer),
        ("date", Date),
        ("json", JSON),
        ("float", Float),
    ):
        if isinstance(sql_type, cls):
            return kind
    raise AssertionError(f"unknown column type {sql_type!r}")


def _expected_kind(spec: schema.FieldSpec) -> str:
    return {
        "line": "string",
        "sagsnummer": "string",
        "kle": "string",
        "time": "string",
        "enum": "string",
        "ref": "string",
        "text": "text",
        "int": "int",
        "bool": "bool",
        "date": "date",
        "reflist": "json",
        "intlist": "json",
        "decimal": "float",
    }[spec.kind]


def _column_default(column) -> object:
    default = column.default
    if default is None:
        return None
    return default.arg(None) if default.is_callable else default.arg


@pytest.mark.parametrize("entity", list(ENTITIES))
def test_table_columns_follow_the_declaration(entity):
    spec = ENTITIES[entity]
    table = spec.sql_table
    assert set(table.c.keys()) == set(spec.fields) | ROW_COLUMNS
    blank = spec.table()  # the model's defaults (what the merge inserts a new row with)
    for name, field in spec.fields.items():
        column = table.c[name]
        where = f"{entity}.{name}"
        assert _sql_kind(column.type) == _expected_kind(field), where
        assert column.nullable == field.nullable, where
        assert getattr(blank, name) == field.new_value, where
        assert _column_default(column) in (None, field.new_value), where
        if field.kind == "ref":
            assert [fk.column.table.name for fk in column.foreign_keys] == [field.ref], where


@pytest.mark.parametrize("entity", list(ENTITIES))
def test_declaration_is_consistent(entity):
    spec = ENTITIES[entity]
    for name, field in spec.fields.items():
        assert field.name == name
        assert field.kind in schema.KINDS
        assert (field.enum is not None) == (field.kind == "enum"), name
        assert (field.ref is not None) == (field.kind in ("ref", "reflist")), name
        assert field.ref is None or field.ref in ENTITIES, name
        if field.default not in (None, ""):
            # A default is a value the field accepts ("" is the value a row holds before its
            # required text arrives).
            assert schema.validate_value(entity, name, field.default) == field.default, name
        if field.default == "":
            assert field.required and field.kind in ("line", "text"), name
    assert spec.title_field in spec.fields
    for child, ref in spec.children:
        assert ENTITIES[child].fields[ref].ref == entity
    if spec.form_order:
        assert sorted(spec.form_order) == sorted(n for n, f in spec.fields.items() if f.form)
    if spec.sheet is not None and spec.sheet.order:
        assert sorted(spec.sheet.order) == sorted(
            n for n, f in spec.fields.items() if f.sheet is not None
        )


def test_sheet_entities_are_the_declared_ones():
    declared = {n for n, s in ENTITIES.items() if s.sheet is not None} - {"maalplan"}
    assert set(SHEET_ENTITIES) == declared
    for entity in SHEET_ENTITIES:
        keys = [column.key for column in schema.sheet_columns(entity)]
        assert all(keys) and len(keys) == len(set(keys)), entity


def test_the_migrated_schema_follows_the_declaration(db):
    """What `alembic upgrade head` built (the `db` fixture opens a migrated database) has
    the columns, types and nullability the declaration says."""
    inspector = inspect(db.engine)
    for entity, spec in ENTITIES.items():
        columns = {c["name"]: c for c in inspector.get_columns(spec.sql_table.name)}
        assert set(columns) == set(spec.fields) | ROW_COLUMNS, entity
        for name, field in spec.fields.items():
            column = columns[name]
            where = f"{entity}.{name}"
            assert _sql_kind(column["type"]) == _expected_kind(field), where
            assert column["nullable"] == field.nullable, where
        refs = {
            fk["constrained_columns"][0]: fk["referred_table"]
            for fk in inspector.get_foreign_keys(spec.sql_table.name)
        }
        assert refs == {n: f.ref for n, f in spec.fields.items() if f.kind == "ref"}, entity


def test_a_field_with_a_default_is_never_emptied():
    """Its column is NOT NULL: an empty value is refused, not written (it was an
    IntegrityError from the database)."""
    from models.errors import ValidationError

    for entity, spec in ENTITIES.items():
        for name, field in spec.fields.items():
            if field.may_be_empty or field.kind in schema.LIST_KINDS:
                continue
            with pytest.raises(ValidationError, match="skal udfyldes"):
                schema.validate_value(entity, name, None)


# --- the målplan views ---------------------------------------------------------------------

VIEWS = {
    "maal": maalplan_view.MaalView,
    "tegn": maalplan_view.TegnView,
    "proevehandling": maalplan_view.ProevehandlingView,
    "samarbejde": maalplan_view.SamarbejdeView,
    "evaluering": maalplan_view.EvalueringView,
    "maalplan": maalplan_view.MaalplanView,
    "maaling": maalplan_view.MaalingView,
    "laering": maalplan_view.LaeringView,
}


# A list of references is shown by what it points at.
RESOLVED = {("proevehandling", "tegn_ids"): "tegn_nr"}


@pytest.mark.parametrize("entity", list(VIEWS))
def test_the_maalplan_views_hold_every_shown_field(entity):
    attributes = {f.name for f in dataclasses.fields(VIEWS[entity])}
    for field in schema.shown_fields(entity):
        name = RESOLVED.get((entity, field.name), field.name)
        assert name in attributes, f"{VIEWS[entity].__name__} mangler {name}"


# --- the SQLite export's views ---------------------------------------------------------------


def test_the_sqlite_views_name_declared_columns():
    from exports.sqlite_export import LINKS
    from exports.sqlite_export import VIEWS as SQL_VIEWS

    columns = {e: {"id", *s.fields} for e, s in ENTITIES.items()}
    for e, s in ENTITIES.items():
        columns[e] |= {f"{n}_navn" for n, f in s.fields.items() if f.kind == "enum"}
    for entity, fname, link, id_col, target_col in LINKS:
        assert ENTITIES[entity].fields[fname].kind == "reflist"
        columns[link] = {id_col, target_col, "raekkefoelge"}
    for name, (_doc, sql) in SQL_VIEWS.items():
        aliases = dict(re.findall(r"(?:FROM|JOIN)\s+(\w+)\s+(\w+)", sql))
        for alias, column in re.findall(r"\b(\w+)\.(\w+)\b", sql):
            if alias not in aliases:
                continue
            assert column in columns[aliases[alias]], f"{name}: {alias}.{column}"


# --- the målplanskabelon and the documents, field by field --------------------------------


def _sample(spec: schema.FieldSpec) -> object:
    """A value of each kind that is not its default, and tells the fields apart."""
    from datetime import date

    kind, name = spec.kind, spec.name
    if kind == "line":
        return f"{name} på én linje"
    if kind == "text":
        return f"{name}: første linje\nanden linje"
    if kind == "int":
        return 2026 if name == "fra_aar" else 2027
    if kind == "date":
        return {"start": date(2027, 2, 1), "slut": date(2027, 3, 1)}.get(name, date(2027, 2, 15))
    if kind == "bool":
        return True
    if kind == "enum":
        return list(spec.enum)[-1].value
    if kind == "intlist":
        return [2, 5]
    if kind == "sagsnummer":
        return "00.01.00-G01-12-27"
    if kind == "kle":
        return "00.01"
    if kind == "decimal":
        return 12.5
    raise AssertionError(kind)


def _values(entity: str, **refs: object) -> dict[str, object]:
    """Every field of `entity` that the exports show, with its sample (references given)."""
    out: dict[str, object] = dict(refs)
    for spec in schema.shown_fields(entity):
        if spec.kind not in ("ref", "reflist"):
            out[spec.name] = _sample(spec)
    return out


@pytest.fixture
def full_plan(store):
    """A plan with one row of each table, every shown field holding its sample."""
    with store.action() as tx:
        home = store.create("enhed", tx=tx, navn="Hjemmeplejen Syd", type="enhed")
        partner = store.create("enhed", tx=tx, navn="Genoptræningen", type="enhed")
        ms = store.create("maalsaetning", tx=tx, tekst="Flere klarer sig selv.", kilde="politik")
        plan = store.create("maalplan", tx=tx, **_values("maalplan", enhed_id=home))
        maal = store.create(
            "maal", tx=tx, **_values("maal", maalsaetning_id=ms, maalplan_id=plan, enhed_id=home)
        )
        tegn = store.create("tegn", tx=tx, **_values("tegn", maal_id=maal))
        ph = store.create(
            "proevehandling", tx=tx, **_values("proevehandling", maal_id=maal, tegn_ids=[tegn])
        )
        store.create("evaluering", tx=tx, **_values("evaluering", proevehandling_id=ph))
        store.create("maaling", tx=tx, **_values("maaling", tegn_id=tegn))
        if _VIEW_HAS_LAERING:
            store.create("laering", tx=tx, **_values("laering", proevehandling_id=ph))
        store.create(
            "samarbejde", tx=tx, **_values("samarbejde", maal_id=maal, partner_ids=[partner])
        )
    return store, plan


# The plan's view carries the læring once `models.maalplan_view` reads it (issue 15): until
# then the workbook has no læring to write, and the round trip leaves the table out.
_VIEW_HAS_LAERING = "laeringer" in {
    f.name for f in dataclasses.fields(maalplan_view.ProevehandlingView)
}


def _only_row(store, entity: str) -> dict[str, object]:
    from sqlalchemy import select

    table = ENTITIES[entity].sql_table
    with store.db.engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(select(table)).mappings()]
    assert len(rows) == 1, entity
    return rows[0]


@pytest.mark.sqlite_only
def test_every_sheet_field_goes_out_and_comes_back(full_plan, tmp_path):
    """The workbook has a column for every field the declaration puts on a sheet, and the
    import reads each back into the same field."""
    from datetime import date

    import openpyxl

    from exports.template_import import import_workbook
    from exports.xlsx import maalplan_xlsx
    from models.db import open_database
    from models.store import Store

    store, plan = full_plan
    view = maalplan_view.load_maalplan(store.db, plan)
    path = tmp_path / "plan.xlsx"
    path.write_bytes(maalplan_xlsx(view, when=date(2027, 1, 31)))
    wb = openpyxl.load_workbook(path)
    for entity in SHEET_ENTITIES:
        sheet = wb[ENTITIES[entity].sheet.sheet]
        headers = {c.value for row in sheet.iter_rows() for c in row if c.value}
        for column in schema.sheet_columns(entity):
            assert column.header in headers, f"{entity}: {column.header}"

    db = open_database(str(tmp_path / "ny.db"), device_name="Ny")
    try:
        other = Store(db)
        report = import_workbook(other, path)
        assert report.imported, report.to_json()
        for entity in ("maalplan", *SHEET_ENTITIES):
            if entity == "laering" and not _VIEW_HAS_LAERING:
                continue
            before, after = _only_row(store, entity), _only_row(other, entity)
            for spec in schema.sheet_fields(entity):
                if spec.kind in ("ref", "reflist"):
                    assert bool(after[spec.name]) == bool(before[spec.name]), spec.name
                else:
                    assert after[spec.name] == before[spec.name], f"{entity}.{spec.name}"
    finally:
        db.close()


@pytest.mark.sqlite_only
def test_every_document_field_shows_in_its_column(full_plan):
    from exports import document_rows, docx, pdf

    store, plan = full_plan
    view = maalplan_view.load_maalplan(store.db, plan)
    sections = {
        s.key: s
        for s in document_rows.maal_sections(
            view.maal[0], str, lambda a, b: document_rows.period_text(a, b, str)
        )
    }
    views = {
        "tegn": view.maal[0].tegn[0],
        "proevehandling": view.maal[0].proevehandlinger[0],
        "samarbejde": view.maal[0].samarbejder[0],
        "evaluering": view.maal[0].proevehandlinger[0].evalueringer[0],
    }
    # The possible partners (a mål field, one name a line) are a table of their own, one row
    # per name, each labelled as possible, not agreed.
    mulige = sections.pop("mulige_partnere")
    assert len(docx.COLUMN_WIDTHS_CM["mulige_partnere"]) == len(mulige.headers)
    assert len(pdf.COLUMN_WIDTHS_MM["mulige_partnere"]) == len(mulige.headers)
    assert [r[0] for r in mulige.rows] == view.maal[0].mulige_partner_navne
    assert all(r[1] == document_rows.MULIG_IKKE_AFTALT for r in mulige.rows)
    assert mulige.headers[0] in schema.document_columns("maal")
    for entity, section in sections.items():
        assert len(docx.COLUMN_WIDTHS_CM[entity]) == len(section.headers), entity
        assert len(pdf.COLUMN_WIDTHS_MM[entity]) == len(section.headers), entity
        (row,) = section.rows
        for column in schema.document_columns(entity):
            cell = row[section.headers.index(column)]
            for spec in schema.document_fields(entity, column):
                if spec.kind in ("ref", "reflist"):
                    assert cell, f"{entity}.{spec.name}"
                    continue
                value = getattr(views[entity], spec.name)
                if spec.kind == "enum":
                    shown = enums.choice_label(spec.enum, value)
                elif spec.kind == "bool":
                    shown = document_rows.ja_nej(value)
                else:
                    shown = str(value)
                assert shown in cell, f"{entity}.{spec.name}: {shown!r} not in {cell!r}"


# --- forms ------------------------------------------------------------------------------------

# The forms as the screens listed them by hand before `form_fields` (entity: fixed, fields):
# the declaration gives the same fields in the same order.
FORMS = {
    "udviklingsdag": ((), ["titel", "dagdel", "dato", "starttid", "udfordring", "sted"]),
    "programblok": (("udviklingsdag_id",), ["titel", "minutter", "beskrivelse"]),
    "enhed": ((), ["navn", "type", "parent_id", "leder"]),
    "maalsaetning": ((), ["tekst", "kilde", "aar"]),
    "maal": (
        (),
        [
            "maalsaetning_id",
            "tekst",
            "enhed_id",
            "maalplan_id",
            "ansvarlig",
            "fra_aar",
            "til_aar",
            "plan_a",
        ],
    ),
    "bord": (("udviklingsdag_id",), ["navn", "facilitator", "maal_ids", "anonym"]),
    "maalplan": (
        (),
        [
            "titel",
            "enhed_id",
            "aar",
            "ansvarlig",
            "sagsnummer",
            "kle",
            "status_foer",
            "status_del1",
            "status_del2",
            "status_efter",
            "plan_a",
        ],
    ),
    "tegn": (("maal_id",), ["tekst", "type", "datakilde", "baseline", "forventet_niveau"]),
    "proevehandling": (
        ("maal_id",),
        [
            "tekst",
            "forventning",
            "ansvarlig",
            "start",
            "slut",
            "borgerinddragelse",
            "borgerinddragelse_hvordan",
            "evaluering_undervejs",
            "evaluering_afslutning",
            "tegn_ids",
        ],
    ),
    "samarbejde": (
        ("maal_id",),
        [
            "partner_ids",
            "niveau",
            "forventningsafstemning",
            "rollefordeling",
            "maal_for_samarbejdet",
        ],
    ),
    "evaluering": (("proevehandling_id",), ["type", "dato", "effekt", "laering"]),
    "deltager": (("bord_id",), ["navn", "enhed_id", "rolle"]),
}


@pytest.mark.parametrize("entity", list(FORMS))
def test_form_fields_are_the_forms_the_screens_had(entity):
    """Each form keeps its fields in their order (a field declared since may join it)."""
    fixed, fields = FORMS[entity]
    names = [f.name for f in schema.form_fields(entity, fixed=fixed)]
    assert [n for n in names if n in fields] == fields
