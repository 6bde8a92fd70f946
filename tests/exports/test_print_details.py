"""The printed documents (issue 14): gaps shown in the workbook, drop-downs on their own
columns, the workbook's QR code, rows tall enough for their text, no word or date broken in
the PDF and .docx tables, «Side X af Y» and Danish proofing in the .docx, the PDF's title in
its metadata, one «Vi forventer», one year for a one-year period, and an export that says
when it overwrote a package or could not fill a QR link."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest
from openpyxl.utils import get_column_letter, range_boundaries
from pypdf import PdfReader

from exports import document_rows as content
from exports import pdf as pdf_mod
from exports.docx import maalplan_docx
from exports.qr import reference_qr_png
from exports.reference import reference_for
from exports.sbsys import ExportOptions, export_sbsys
from exports.template_import import import_workbook
from exports.xlsx import (
    SHEET_DEL1,
    SHEET_DEL2,
    SHEET_EFTER,
    SHEET_FOER,
    TABLES,
    _lines_needed,
    maalplan_xlsx,
    template_xlsx,
)
from models.db import open_database
from models.maalplan_view import MaalView, load_maalplan, load_maalplaner
from models.store import Store
from tui.cli import main

WHEN = date(2027, 1, 31)
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture
def empty_store(new_db_target):
    db = open_database(new_db_target("tom"), device_name="Tom")
    yield Store(db)
    db.close()


def _workbook(view, *, qr: bool = True) -> openpyxl.Workbook:
    ref = reference_for(view)
    data = maalplan_xlsx(
        view, when=WHEN, reference_text=ref.text, qr_png=reference_qr_png(ref) if qr else None
    )
    return openpyxl.load_workbook(io.BytesIO(data))


def _header_rows(ws) -> dict[int, str]:
    """The header rows of the sheet's tables: row -> table kind (by the first three headers)."""
    firsts = {
        tuple(c.header for c in cols[:3]): kind
        for kind, (sheet, cols, _n) in TABLES.items()
        if sheet == ws.title
    }
    rows = {r: tuple(ws.cell(r, c).value for c in (1, 2, 3)) for r in range(1, ws.max_row + 1)}
    return {r: firsts[key] for r, key in rows.items() if key in firsts}


# --- gaps ---------------------------------------------------------------------------------------


def test_a_mal_without_tegn_or_proevehandlinger_has_a_gap_row(plan_store):
    store, ids = plan_store
    view = load_maalplan(store.db, ids["plan"])
    m2 = next(m for m in view.maal if m.id == ids["m2"])
    assert not m2.tegn and not m2.proevehandlinger
    wb = _workbook(view)
    for sheet, marker in ((SHEET_DEL1, content.NO_TEGN), (SHEET_DEL2, content.NO_PROEVEHANDLINGER)):
        ws = wb[sheet]
        (header,) = _header_rows(ws)
        gaps = [
            (ws.cell(r, 1).value, ws.cell(r, 2).value, ws.cell(r, 3).value)
            for r in range(1, header)
            if ws.cell(r, 3).value == marker
        ]
        # Only the mål that lacks them, with its number and text, above the table.
        assert gaps == [(m2.nr, m2.tekst, marker)], sheet
        row = next(r for r in range(1, header) if ws.cell(r, 3).value == marker)
        assert ws.cell(row, 3).fill.fgColor.rgb.endswith("FCE4D6")  # reads as a gap
        assert ws.cell(row, 3).font.i
        # The marker spans the rest of the table's width, inside the printed area.
        merged = [str(m) for m in ws.merged_cells.ranges if m.min_row == row]
        last = get_column_letter(
            len(TABLES["tegn" if sheet == SHEET_DEL1 else "proevehandling"][1])
        )
        assert merged == [f"C{row}:{last}{row}"]
        assert ws.print_area[0].startswith(f"'{sheet}'!$A$1") or "$A$1" in str(ws.print_area)
    # FØR and EFTER list no gaps; a plan where every mål has both has none either.
    for sheet in (SHEET_FOER, SHEET_EFTER):
        values = {c.value for row in wb[sheet].iter_rows() for c in row}
        assert content.NO_TEGN not in values and content.NO_PROEVEHANDLINGER not in values


def test_a_plan_without_gaps_keeps_its_table_at_the_top(plan_store):
    store, ids = plan_store
    store.delete("maal", ids["m2"])
    wb = _workbook(load_maalplan(store.db, ids["plan"]))
    for sheet in (SHEET_DEL1, SHEET_DEL2):
        assert list(_header_rows(wb[sheet])) == [4]
        assert wb[sheet].freeze_panes == "A5"


def test_gap_rows_are_skipped_on_import_and_in_a_kladde(plan_store, empty_store, tmp_path):
    store, ids = plan_store
    view = load_maalplan(store.db, ids["plan"])
    path = tmp_path / "huller.xlsx"
    ref = reference_for(view)
    path.write_bytes(
        maalplan_xlsx(view, when=WHEN, reference_text=ref.text, qr_png=reference_qr_png(ref))
    )
    # A new plan from it: the same content, no «Ingen tegn endnu.» tegn.
    report = import_workbook(empty_store, path)
    assert report.imported and not report.errors, [i.text() for i in report.issues]
    again = load_maalplan(empty_store.db, report.maalplan_id)
    assert again.digest == view.digest
    assert not any(t.tekst == content.NO_TEGN for m in again.maal for t in m.tegn)
    # The same plan as an edited kladde: nothing changed.
    preview = import_workbook(store, path, dry_run=True)
    assert preview.update_of == view.id and preview.kladde == [] and not preview.errors
    # A tegn typed into the table for the mål in the gap list comes in as a new tegn.
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_DEL1]
    row = ws.max_row + 1
    ws.cell(row, 1).value = next(m.nr for m in view.maal if m.id == ids["m2"])
    ws.cell(row, 4).value = "Færre sygedage i statistikken."
    ws.cell(row, 5).value = "Kvantitativ"
    wb.save(path)
    preview = import_workbook(store, path, dry_run=True)
    assert [(c.kind, c.entity) for c in preview.kladde] == [("ny", "tegn")]


# --- drop-downs ---------------------------------------------------------------------------------


def _validated_cells(ws) -> list[tuple[str, int, int, int]]:
    """(list formula, column, first row, last row) of every range of every list validation."""
    out = []
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            min_col, min_row, max_col, max_row = range_boundaries(str(rng))
            assert min_col == max_col
            out.append((dv.formula1, min_col, min_row, max_row))
    return out


@pytest.mark.parametrize("template", [False, True])
def test_each_drop_down_covers_only_its_own_tables_column(plan_store, template):
    store, ids = plan_store
    view = load_maalplan(store.db, ids["plan"])
    data = template_xlsx(when=WHEN) if template else maalplan_xlsx(view, when=WHEN)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in (SHEET_FOER, SHEET_DEL1, SHEET_DEL2, SHEET_EFTER):
        ws = wb[sheet]
        headers = _header_rows(ws)
        starts = sorted(headers)
        for formula, col, first, last in _validated_cells(ws):
            # Inside one table: no other table's header row in the range.
            owner = max(r for r in starts if r < first)
            assert not [r for r in starts if first <= r <= last], (sheet, formula, first, last)
            column = TABLES[headers[owner]][1][col - 1]
            assert column.key in ("kilde", "type", "niveau", "borgerinddragelse", "status"), (
                sheet,
                column.key,
            )
    efter = wb[SHEET_EFTER]
    headers = _header_rows(efter)
    eval_header = next(r for r, k in headers.items() if k == "evaluering")
    dato = next(i for i, c in enumerate(TABLES["evaluering"][1], 1) if c.key == "dato")
    niveau = next(i for i, c in enumerate(TABLES["samarbejde"][1], 1) if c.key == "niveau")
    assert dato == niveau  # the same letter: what made the evaluation dates offer levels
    for _formula, col, _first, last in _validated_cells(efter):
        if col == niveau:
            assert last < eval_header
    type_col = next(i for i, c in enumerate(TABLES["evaluering"][1], 1) if c.key == "type")
    assert any(c == type_col and f > eval_header for _x, c, f, _l in _validated_cells(efter))


# --- the QR code --------------------------------------------------------------------------------


def test_the_workbook_carries_the_qr_code_and_the_reference(plan_store):
    store, ids = plan_store
    view = load_maalplan(store.db, ids["plan"])
    ref = reference_for(view)
    png = reference_qr_png(ref)
    data = maalplan_xlsx(view, when=WHEN, reference_text=ref.text, qr_png=png)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        media = [n for n in zf.namelist() if n.startswith("xl/media/")]
        assert [zf.read(n) for n in media] == [png]
    wb = openpyxl.load_workbook(io.BytesIO(data))
    foer = wb[SHEET_FOER]
    (image,) = foer._images
    anchor = image.anchor._from
    last_col = len(TABLES["maal"][1])
    # Top right of the printed area, beside the plan's fields.
    assert (anchor.col + 1, anchor.row + 1) == (last_col, 1)
    assert f"$A$1:${get_column_letter(last_col)}$" in str(foer.print_area)
    texts = [c.value for row in foer.iter_rows(max_row=8) for c in row if isinstance(c.value, str)]
    assert any(ref.text in t and ref.short in t for t in texts)
    for sheet in (SHEET_DEL1, SHEET_DEL2, SHEET_EFTER):
        assert not wb[sheet]._images
    # Without a reference (the blank template) there is no code.
    assert not openpyxl.load_workbook(io.BytesIO(template_xlsx(when=WHEN)))[SHEET_FOER]._images


def test_the_sbsys_package_workbook_has_the_qr_code(plan_store, tmp_path):
    store, ids = plan_store
    result = export_sbsys(store.db, tmp_path / "ud", [ids["plan"]], ExportOptions(when=WHEN))
    pkg = result.packages[0]
    xlsx = next(p for p in pkg.files if p.suffix == ".xlsx")
    with zipfile.ZipFile(xlsx) as zf:
        media = [zf.read(n) for n in zf.namelist() if n.startswith("xl/media/")]
    assert media == [reference_qr_png(pkg.reference)]


# --- row heights --------------------------------------------------------------------------------


def test_row_height_estimate_breaks_lines_at_spaces():
    assert _lines_needed("a" * 10, 10) == 1
    assert _lines_needed("a" * 11, 10) == 2
    # Two words that fill a line each: not 1.4 lines' worth of characters but two lines.
    assert _lines_needed("aaaaaaa bbbbbbb", 10) == 2
    assert _lines_needed("første\nanden\n", 40) == 3
    assert _lines_needed("x" * 25, 10) == 3  # a word longer than a line is broken inside


def _long_view(store, ids) -> object:
    words = ["borgerne", "medarbejderne", "fællesskabet", "trivslen", "indsatsen", "opfølgning"]
    long_text = " ".join(words[i % len(words)] for i in range(90)) + " SLUTORD"
    store.update("maal", ids["m1"], tekst="Langt mål: " + long_text)
    store.update("tegn", ids["t1"], tekst="Langt tegn: " + long_text.replace("SLUT", "TEGNSLUT"))
    return load_maalplan(store.db, ids["plan"])


def test_rows_are_as_tall_as_their_longest_text(plan_store):
    store, ids = plan_store
    wb = _workbook(_long_view(store, ids))
    for sheet in (SHEET_FOER, SHEET_DEL1):
        ws = wb[sheet]
        row = next(
            c.row
            for r in ws.iter_rows()
            for c in r
            if isinstance(c.value, str) and c.value.startswith("Langt mål")
        )
        assert ws.row_dimensions[row].height >= 15 * 18, sheet


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) er ikke installeret")
def test_long_texts_print_in_full(plan_store, tmp_path):
    """Printed by LibreOffice, the end of a long mål and tegn is on the page, not cut off."""
    store, ids = plan_store
    view = _long_view(store, ids)
    ref = reference_for(view)
    path = tmp_path / "lang.xlsx"
    path.write_bytes(
        maalplan_xlsx(view, when=WHEN, reference_text=ref.text, qr_png=reference_qr_png(ref))
    )
    profile = (tmp_path / "lo-profil").resolve().as_uri()
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    text = "".join(
        "".join(p.extract_text() or "" for p in PdfReader(tmp_path / "lang.pdf").pages).split()
    )
    # FØR, del 1 (the mål beside each tegn, the tegn) and del 2 (the mål).
    assert text.count("SLUTORD") >= 2  # FØR's mål and del 1's tegn
    assert "TEGNSLUTORD" in text
    # Beside each tegn and prøvehandling the long mål is shortened, not cut off.
    assert text.count("…") >= 2


# --- the PDF's tables ---------------------------------------------------------------------------


def _inner_widths(key: str) -> list[float]:
    pdf = pdf_mod._MaalplanPDF("t", "r")
    full = pdf.epw - 0.1
    return [w - 2 * pdf_mod._PAD_X for w in pdf_mod._scale(pdf_mod.COLUMN_WIDTHS_MM[key], full)]


def test_pdf_columns_hold_a_date_and_the_usual_titles_whole():
    pdf = pdf_mod._MaalplanPDF("t", "r")
    headers = {
        "proevehandling": content.PROEVEHANDLING_HEADERS,
        "evaluering": content.EVALUERING_HEADERS,
    }
    ansvarlig = _inner_widths("proevehandling")[headers["proevehandling"].index("Ansvarlig")]
    for word in ("Viceskoleleder", "Sundhedsplejerske", "Ungdomsskoleleder"):
        lines = pdf_mod.wrap_text(pdf, f"{word} Åse Margrethe Østergaard", ansvarlig)
        assert lines[0].split()[0] == word, lines
    for key, column in (
        ("proevehandling", "Periode"),
        ("proevehandling", "Evaluering"),
        ("evaluering", "Dato"),
    ):
        width = _inner_widths(key)[headers[key].index(column)]
        for text in ("15-03-2027 - 30-04-2027", "Undervejs 15-03-2027", "15-03-2027"):
            lines = pdf_mod.wrap_text(pdf, text, width)
            assert all(re.search(r"\d\d-\d\d-\d{4}", w) or "-" not in w for w in lines)
            assert "15-03-2027" in " ".join(lines).split(), (column, lines)


def test_pdf_breaks_a_word_only_when_it_is_wider_than_its_column():
    pdf = pdf_mod._MaalplanPDF("t", "r")
    width = pdf_mod._text_width(pdf, "repræsentanten", "") + 0.5
    # A compound with a hyphen breaks after it; a date never breaks at its hyphens.
    assert pdf_mod._text_width(pdf, "Arbejdsmiljø-repræsentanten", "") > width
    assert pdf_mod.wrap_text(pdf, "Arbejdsmiljø-repræsentanten", width) == [
        "Arbejdsmiljø-",
        "repræsentanten",
    ]
    assert pdf_mod.wrap_text(pdf, "15-03-2027", width) == ["15-03-2027"]
    # Only a word wider than the whole column is broken inside, and nothing is lost.
    long = "Kommunikationsmedarbejderuddannelsen"
    lines = pdf_mod.wrap_text(pdf, long, width)
    assert len(lines) > 1 and "".join(lines) == long
    assert all(pdf_mod._text_width(pdf, line, "") <= width for line in lines)


def test_demo_pdfs_break_no_word_that_fits_its_column(demo_store, monkeypatch):
    """Every line of every table cell in the demo's PDFs consists of whole words, unless a
    word is wider than its column."""
    broken: list[tuple[str, str]] = []
    real = pdf_mod.wrap_text

    def checked(pdf, text, width, style="", size=pdf_mod._TABLE_SIZE):
        lines = real(pdf, text, width, style, size)
        words = set(text.split())
        for line in lines:
            for word in line.split():
                if word not in words and not any(
                    word in w and pdf_mod._text_width(pdf, w, style, size) > width for w in words
                ):
                    broken.append((word, text))
        return lines

    monkeypatch.setattr(pdf_mod, "wrap_text", checked)
    views = load_maalplaner(demo_store.db)
    for view in views:
        ref = reference_for(view)
        pdf_mod.maalplan_pdf(view, ref, reference_qr_png(ref), when=WHEN)
    assert broken == []


# --- the .docx --------------------------------------------------------------------------------


def _docx_parts(view) -> dict[str, str]:
    ref = reference_for(view)
    data = maalplan_docx(view, ref, reference_qr_png(ref), when=WHEN)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {
            n: zf.read(n).decode("utf-8")
            for n in zf.namelist()
            if n.endswith(".xml") and n.startswith("word/")
        } | {"_bytes": data}  # type: ignore[dict-item]


def test_docx_page_numbers_say_side_x_af_y_and_proofing_is_danish(plan_store):
    store, ids = plan_store
    parts = _docx_parts(load_maalplan(store.db, ids["plan"]))
    footer = next(v for k, v in parts.items() if k.startswith("word/footer"))
    assert re.search(r"Side </w:t>.*PAGE.*af </w:t>.*NUMPAGES", footer, re.S)
    assert footer.count('w:fldCharType="begin"') == 2 and footer.count("separate") == 2
    styles = parts["word/styles.xml"]
    defaults = styles[styles.index("<w:docDefaults") : styles.index("</w:docDefaults>")]
    assert 'w:lang w:val="da-DK"' in defaults and 'w:val="en-US"' not in defaults
    assert '<w:themeFontLang w:val="da-DK"' in parts["word/settings.xml"]


def test_docx_table_dates_never_break_at_their_hyphens(plan_store):
    store, ids = plan_store
    view = load_maalplan(store.db, ids["plan"])
    parts = _docx_parts(view)
    body = parts["word/document.xml"]
    assert "<w:t>15</w:t><w:noBreakHyphen/><w:t>03</w:t><w:noBreakHyphen/>" in body
    # Readers still see the date as it is.
    document = docx.Document(io.BytesIO(parts["_bytes"]))  # type: ignore[arg-type]
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert any("Undervejs 15-03-2027" in c for c in cells)


# --- the PDF's metadata -------------------------------------------------------------------------


def test_pdf_information_dictionary_has_the_title(plan_store):
    store, ids = plan_store
    view = load_maalplan(store.db, ids["plan"])
    ref = reference_for(view)
    data = pdf_mod.maalplan_pdf(view, ref, reference_qr_png(ref), when=WHEN)
    meta = PdfReader(io.BytesIO(data)).metadata
    assert meta is not None
    assert meta.title == view.titel
    assert meta.author == view.ansvarlig
    assert meta.producer == "udviklingsdag (fpdf2)"
    assert ref.text in (meta.get("/Keywords") or "")
    # Still PDF/A-2b, with the same title in the XMP metadata.
    assert b"<pdfaid:part>2</pdfaid:part>" in data
    assert "Trivsel på Ærø".encode() in data  # dc:title in the (uncompressed) XMP


# --- texts --------------------------------------------------------------------------------------


def test_periode_is_one_year_when_it_starts_and_ends_the_same_year():
    def maal(fra: int | None, til: int | None) -> MaalView:
        return MaalView("m", "1", "Mål", None, "Målsætning", "politik", fra_aar=fra, til_aar=til)

    assert content.maal_facts(maal(2027, 2027), str) == "Periode: 2027"
    assert content.maal_facts(maal(2027, 2028), str) == "Periode: 2027-2028"
    assert content.maal_facts(maal(None, 2028), str) == "Periode: 2028"
    assert content.maal_facts(maal(2027, None), str) == "Periode: 2027"
    assert content.maal_facts(maal(None, None), str) == ""


def test_vi_forventer_reads_once(demo_store):
    assert content.expectation_text("Færre konflikter.") == "Vi forventer: Færre konflikter."
    said = "Vi forventer, at flere elever kender en voksen."
    assert content.expectation_text(said) == said
    assert content.expectation_text("vi forventer mere ro") == "vi forventer mere ro"
    # The demo's prøvehandlinger begin «Vi forventer, at ...»: no document repeats it.
    for view in load_maalplaner(demo_store.db):
        for m in view.maal:
            for row in content.proevehandling_rows(m, str, lambda a, b: ""):
                assert "Vi forventer: Vi forventer" not in row[1]


# --- the export report --------------------------------------------------------------------------


def test_export_says_when_it_overwrites_a_package(plan_store, tmp_path, db_target, capsys):
    store, ids = plan_store
    out = tmp_path / "ud"
    first = export_sbsys(store.db, out, [ids["plan"]], ExportOptions(when=WHEN))
    assert first.warnings() == [] and not first.packages[0].replaced
    again = export_sbsys(store.db, out, [ids["plan"]], ExportOptions(when=WHEN, zip=True))
    assert again.packages[0].replaced
    (warning,) = again.warnings()
    assert "overskrevet" in warning and again.packages[0].folder.name in warning
    store.db.close()
    cli = ["export", "sbsys", "--db", db_target, "--maalplan", ids["plan"], str(out)]
    assert main(cli) == 0  # today's date: a package of its own
    capsys.readouterr()
    assert main(cli) == 0
    printed = capsys.readouterr().out
    assert "Bemærk:" in printed and "overskrevet" in printed
    assert (
        main(["export", "sbsys", "--db", db_target, "--maalplan", ids["plan"], "--json", str(out)])
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["pakker"][0]["erstattet"] is True and data["advarsler"]


def test_export_says_when_a_qr_link_cannot_be_filled(plan_store, tmp_path):
    store, ids = plan_store
    options = ExportOptions(when=WHEN, link_template="https://sbsys.eksempel.dk/sag/{sagsnummer}")
    result = export_sbsys(store.db, tmp_path / "ud", [ids["plan"], ids["empty"]], options)
    by_id = {p.maalplan_id: p for p in result.packages}
    assert by_id[ids["plan"]].reference.link and not by_id[ids["plan"]].link_missing
    assert by_id[ids["empty"]].reference.link is None and by_id[ids["empty"]].link_missing
    (warning,) = result.warnings()
    assert "Målplan 2027 for Kulturhuset" in warning and "sagsnummer" in warning
    # No template: no link is expected, nothing to say.
    plain = export_sbsys(store.db, tmp_path / "ud2", [ids["empty"]], ExportOptions(when=WHEN))
    assert plain.warnings() == []


def test_export_screen_shows_the_warnings():
    from exports.reference import Reference
    from exports.sbsys import ExportResult, PackageResult
    from screens import texts

    ref = Reference("4f0c1b0e-7f44-4c55-9b1d-0c1f5b0a7e11", 1, "0" * 16)
    pkg = PackageResult("x", "Plan", Path("/ud/pakke"), [], None, ref, replaced=True)
    result = ExportResult(Path("/ud"), [pkg], 0.1)
    shown = texts.EXPORT_WARNING.format(warning=result.warnings()[0])
    assert shown.startswith("\nBemærk:") and "«pakke»" in shown
