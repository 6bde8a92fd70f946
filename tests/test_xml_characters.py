"""U+FFFE and U+FFFF: characters no XML file can hold, so neither a .docx nor an .xlsx.

They passed the text rules, and a tegn holding one made the Word and Excel exports fail with
lxml's «All strings must be XML compatible». Now the text rules refuse them (a typed edit, a
handoff file built with the app's own writer), and the exports leave them out of a text a
database from before the rule may still hold."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from sqlalchemy import update

from exports.bundle import import_bundles
from exports.docx import maalplan_docx
from exports.pdf import maalplan_pdf
from exports.qr import reference_qr_png
from exports.reference import reference_for
from exports.xlsx import clean_cell_text, maalplan_xlsx
from models import maalplan_view
from models.db import open_database
from models.errors import ValidationError
from models.importing import MergeError
from models.schema import ENTITIES, validate_value
from models.store import Store
from tests.reliability._util import db_digest
from tests.test_declaration import full_plan  # noqa: F401  (a fixture)
from tests.trust_world import read_doc, write_doc

NONCHARACTERS = ("\ufffe", "\uffff")


@pytest.mark.parametrize("bad", NONCHARACTERS)
@pytest.mark.parametrize(("entity", "field"), [("tegn", "tekst"), ("maalplan", "titel")])
def test_the_text_rules_refuse_what_xml_cannot_hold(entity, field, bad):
    with pytest.raises(ValidationError, match=f"U\\+{ord(bad):04X}.*Word- eller Excel"):
        validate_value(entity, field, f"Børnene{bad} hilser")


@pytest.mark.parametrize("bad", NONCHARACTERS)
def test_a_handoff_carrying_one_is_refused_and_nothing_is_merged(world, tmp_path, bad):
    doc = read_doc(world["handoff"])
    entry = next(e for e in doc["entries"] if e["entity"] == "tegn" and e["field"] == "tekst")
    entry["value"] = f"Børnene hilser{bad}"
    hostile = write_doc(tmp_path / "ikke-xml.json", doc)  # a valid checksum
    before = db_digest(world["tov"])
    db = open_database(str(world["tov"]))
    try:
        with pytest.raises(MergeError, match="ændring nr") as info:
            import_bundles(Store(db), [hostile])
    finally:
        db.close()
    assert "Word- eller Excel" in str(info.value)
    assert db_digest(world["tov"]) == before


def test_the_exports_leave_them_out_of_a_text_stored_before_the_rule(full_plan, tmp_path):  # noqa: F811
    store, plan = full_plan
    # A database written before the rule: the value is in the table as it came.
    table = ENTITIES["tegn"].sql_table
    with store.db.engine.begin() as conn:
        conn.execute(update(table).values(tekst="Børnene\ufffe hilser\uffff på hinanden"))
    view = maalplan_view.load_maalplan(store.db, plan)
    when = date(2027, 1, 31)

    ref = reference_for(view)
    png = reference_qr_png(ref)
    with zipfile.ZipFile(io.BytesIO(maalplan_docx(view, ref, png, when=when))) as zf:
        body = zf.read("word/document.xml").decode("utf-8")
    assert "Børnene hilser på hinanden" in body

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(maalplan_xlsx(view, when=when)))
    texts = {c.value for ws in wb for row in ws.iter_rows() for c in row if c.value}
    assert "Børnene hilser på hinanden" in texts

    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO(maalplan_pdf(view, ref, png, when=when)))
    assert "hinanden" in " ".join(page.extract_text() for page in pdf.pages)


def test_clean_cell_text_keeps_what_xml_can_hold():
    assert (
        clean_cell_text("a\ufffe\x01b\uffff\udc80c\x85\U0001f600\tæ\n") == "abc\x85\U0001f600\tæ\n"
    )
