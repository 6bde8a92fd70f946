"""The SBSYS package opened with independent readers: openpyxl, python-docx, pypdf and a real
QR decoder (zxing-cpp)."""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import docx
import openpyxl
import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from exports.reference import parse_reference
from exports.sbsys import ExportOptions, PackageMeta, export_sbsys
from exports.xlsx import SHEETS
from models.maalplan_view import load_maalplan

from .conftest import FORMULA_TEXT, MARKUP_TEXT

WHEN = date(2027, 1, 31)

BOTH_BACKENDS = True


@pytest.fixture
def package(plan_store, tmp_path):
    store, ids = plan_store
    options = ExportOptions(
        when=WHEN,
        zip=True,
        drop_file=True,
        link_template="https://sbsys.eksempel.dk/sag/{sagsnummer}",
        meta={ids["plan"]: PackageMeta("Notat", False, "4711")},
    )
    result = export_sbsys(store.db, tmp_path / "ud", [ids["plan"]], options)
    view = load_maalplan(store.db, ids["plan"])
    return result, result.packages[0], view, ids


def _file(pkg, suffix: str) -> Path:
    return next(p for p in pkg.files if p.suffix == suffix)


def test_folder_and_names(package):
    result, pkg, _view, _ids = package
    assert pkg.folder.parent == result.outdir
    stem = "2027-01-31_Maalplan_Børnehuset-Ærø-&-Å_2027-Trivsel-på-Ærø"
    assert pkg.folder.name == stem
    names = sorted(p.name for p in pkg.folder.iterdir())
    assert names == sorted(
        [
            f"{stem}.xlsx",
            f"{stem}.docx",
            f"{stem}.pdf",
            "journalisering.json",
            "journalisering.txt",
            "SbsysDropFile.xml",
        ]
    )
    # Nothing from the staging folder is left behind.
    assert sorted(p.name for p in result.outdir.iterdir()) == [stem, f"{stem}.zip"]
    with zipfile.ZipFile(pkg.zip_path) as zf:
        assert sorted(zf.namelist()) == sorted(f"{stem}/{n}" for n in names)
        assert zf.read(f"{stem}/{stem}.pdf") == _file(pkg, ".pdf").read_bytes()


def test_journalisering(package):
    _result, pkg, view, ids = package
    data = json.loads((pkg.folder / "journalisering.json").read_text(encoding="utf-8"))
    assert data["DokumentNavn"] == "Målplan 2027: Trivsel på Ærø (Børnehuset Ærø & Å)"
    assert data["Emne"] == "Målplan 2027 for Børnehuset Ærø & Å"
    assert data["DokumentDato"] == "2027-01-31"
    assert data["DokumentArt"] == "Notat"
    assert data["OmfattetAfAktindsigt"] is False
    assert data["Ansvarlig"] == "Åse Øster"
    assert data["Enhed"] == "Børnehuset Ærø & Å"
    assert data["Sagsnummer"] == "00.01.00-G01-12-27"
    assert data["SagID"] == "4711"
    assert data["KLE"] == "00.01.00"
    assert data["AppVersion"]
    assert data["Maalplan"]["Id"] == ids["plan"]
    assert data["Maalplan"]["Revision"] == view.revision
    assert data["Maalplan"]["Digest"] == view.digest
    assert data["Maalplan"]["Link"] == "https://sbsys.eksempel.dk/sag/00.01.00-G01-12-27"
    listed = {f["Navn"]: f for f in data["Filer"]}
    assert set(listed) == {p.name for p in pkg.files} - {
        "journalisering.json",
        "journalisering.txt",
    }
    for name, f in listed.items():
        content = (pkg.folder / name).read_bytes()
        assert f["Size"] == len(content)
        assert f["SHA256"] == hashlib.sha256(content).hexdigest()
        assert f["Filendelse"] == Path(name).suffix[1:]
    txt = (pkg.folder / "journalisering.txt").read_text(encoding="utf-8-sig")
    assert "Dokumentart (DokumentArt): Notat" in txt
    assert "Omfattet af aktindsigt (OmfattetAfAktindsigt): Nej" in txt
    assert "Dokumentdato (DokumentDato): 31-01-2027" in txt
    drop = ElementTree.fromstring((pkg.folder / "SbsysDropFile.xml").read_bytes())
    command = drop.find("Command")
    assert command is not None and command.get("Verb") == "JournaliserFiler"
    assert command.get("Navn") == data["DokumentNavn"]
    assert [f.get("Sti") for f in command.findall("Fil")] == [_file(pkg, ".pdf").name]


def test_xlsx_content_and_print_setup(package):
    _result, pkg, view, _ids = package
    wb = openpyxl.load_workbook(_file(pkg, ".xlsx"))
    assert wb.sheetnames == list(SHEETS)
    assert wb.sheetnames == [
        "FØR",
        "UNDER udviklingsdage del 1",
        "UNDER udviklingsdage del 2",
        "EFTER",
        "Målinger",
    ]
    assert parse_reference(wb.properties.identifier).digest == view.digest
    for ws in wb.worksheets:
        assert ws.print_area, ws.title
        assert ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.freeze_panes is not None
        assert ws.print_title_rows
        assert "Trivsel på Ærø" in ws.oddHeader.left.text
        assert "31-01-2027" in ws.oddHeader.right.text
    values = {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row}
    assert "Alle børn har en voksen, de går til, inden udgangen af 2027." in values
    assert MARKUP_TEXT in values
    assert "Samskabelsesniveau" in values
    assert "Sundhedsplejen Øst; Kulturhuset" in values
    # A tegn that looks like a formula is stored as text, never as a live formula.
    cell = next(
        c
        for row in wb["UNDER udviklingsdage del 1"].iter_rows()
        for c in row
        if c.value == FORMULA_TEXT
    )
    assert cell.data_type == "s"
    raw = zipfile.ZipFile(_file(pkg, ".xlsx")).read("xl/worksheets/sheet2.xml").decode()
    assert "<f>" not in raw
    # Wrapped text in the data rows.
    foer = wb["FØR"]
    header_row = int(re.sub(r"\D", "", foer.freeze_panes)) - 1
    assert foer.cell(header_row, 4).value == "Mål"
    assert foer.cell(header_row + 1, 4).alignment.wrap_text


def test_docx_content_metadata_and_qr(package):
    _result, pkg, view, _ids = package
    document = docx.Document(str(_file(pkg, ".docx")))
    ref = parse_reference(document.core_properties.identifier)
    assert ref is not None and (ref.subject, ref.digest) == (view.id, view.digest)
    assert document.core_properties.title == "Målplan 2027: Trivsel på Ærø"
    headings = [
        p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))
    ]
    assert headings[0] == "Målplan 2027: Trivsel på Ærø"
    assert "Målsætning: Flere børn trives i fællesskaber." in headings
    assert any(h.startswith("Mål 1: Alle børn har en voksen") for h in headings)
    assert {"Tegn", "Prøvehandlinger", "Samarbejder", "Evalueringer"} <= set(headings)
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert MARKUP_TEXT in cells
    assert FORMULA_TEXT in cells
    assert "Samskabelsesniveau" in cells
    assert "Sundhedsplejen Øst; Kulturhuset" in cells
    blobs = [r.target_part.blob for r in document.part.rels.values() if "image" in r.reltype]
    assert len(blobs) == 1
    decoded = zxingcpp.read_barcodes(
        Image.open(io.BytesIO(blobs[0])), formats=zxingcpp.BarcodeFormat.QRCode
    )
    # One QR code; zxing sometimes reports the same symbol twice (found at two positions).
    texts = {d.text for d in decoded}
    assert len(texts) == 1
    qr = parse_reference(texts.pop())
    assert qr == pkg.reference
    assert qr.link == "https://sbsys.eksempel.dk/sag/00.01.00-G01-12-27"


def test_pdf_is_pdfa2_with_embedded_fonts_and_qr(package):
    _result, pkg, view, _ids = package
    reader = PdfReader(str(_file(pkg, ".pdf")))
    xmp = reader.xmp_metadata
    assert xmp is not None
    raw_xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"<pdfaid:part>2</pdfaid:part>", raw_xmp)
    assert re.search(r"<pdfaid:conformance>B</pdfaid:conformance>", raw_xmp)
    assert parse_reference(raw_xmp).digest == view.digest
    assert reader.trailer["/Root"].get("/OutputIntents")
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = "/FontFile2" in descriptor
    assert fonts and all(fonts.values()), fonts
    assert any("DejaVu" in name for name in fonts)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Målplan 2027: Trivsel på Ærø" in text
    assert "Børnehuset Ærø & Å" in text
    assert "[bold]ja[/]" in text
    assert "Samskabelsesniveau" in text
    images = reader.pages[0].images
    assert len(images) == 1
    decoded = zxingcpp.read_barcodes(images[0].image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert [parse_reference(t) for t in {d.text for d in decoded}] == [pkg.reference]


def test_pdf_page_renders_qr_that_decodes(package):
    """The QR code as printed: rasterise the page with a PDF renderer and decode that."""
    import shutil
    import subprocess

    _result, pkg, _view, _ids = package
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) er ikke installeret")
    out = subprocess.run(
        ["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", str(_file(pkg, ".pdf"))],
        capture_output=True,
        check=True,
    ).stdout
    decoded = zxingcpp.read_barcodes(
        Image.open(io.BytesIO(out)), formats=zxingcpp.BarcodeFormat.QRCode
    )
    assert [parse_reference(t) for t in {d.text for d in decoded}] == [pkg.reference]


def test_empty_plan_exports(plan_store, tmp_path):
    store, ids = plan_store
    result = export_sbsys(store.db, tmp_path, [ids["empty"]], ExportOptions(when=WHEN))
    pkg = result.packages[0]
    reader = PdfReader(str(_file(pkg, ".pdf")))
    assert "ingen mål" in reader.pages[0].extract_text()
    wb = openpyxl.load_workbook(_file(pkg, ".xlsx"))
    assert wb.sheetnames == list(SHEETS)


def test_same_name_twice_gets_a_suffix(store, tmp_path):
    with store.action() as tx:
        e = store.create("enhed", tx=tx, navn="Egeskolen", type="enhed")
        a = store.create("maalplan", tx=tx, enhed_id=e, aar=2027, titel="Målplan")
        b = store.create("maalplan", tx=tx, enhed_id=e, aar=2027, titel="Målplan")
    out = tmp_path / "ud"
    result = export_sbsys(store.db, out, [a, b], ExportOptions(when=WHEN))
    names = [p.folder.name for p in result.packages]
    assert names == [
        "2027-01-31_Maalplan_Egeskolen_Målplan",
        "2027-01-31_Maalplan_Egeskolen_Målplan_2",
    ]
    # Exporting again replaces the folders instead of failing or piling up.
    export_sbsys(store.db, out, [a, b], ExportOptions(when=WHEN))
    assert sorted(p.name for p in out.iterdir()) == names


def test_parallel_export_matches_serial(demo_store, tmp_path):
    """Large exports render in two worker processes; the result is the same packages."""
    serial = export_sbsys(
        demo_store.db, tmp_path / "a", options=ExportOptions(when=WHEN, workers=1)
    )
    parallel = export_sbsys(
        demo_store.db, tmp_path / "b", options=ExportOptions(when=WHEN, workers=2)
    )
    assert len(parallel.packages) >= 8  # enough to take the worker path
    assert [p.folder.name for p in parallel.packages] == [p.folder.name for p in serial.packages]
    assert [p.reference for p in parallel.packages] == [p.reference for p in serial.packages]
    for a, b in zip(serial.packages, parallel.packages, strict=True):
        ja = json.loads((a.folder / "journalisering.json").read_text(encoding="utf-8"))
        jb = json.loads((b.folder / "journalisering.json").read_text(encoding="utf-8"))
        assert [f["Navn"] for f in ja["Filer"]] == [f["Navn"] for f in jb["Filer"]]
        assert ja["Maalplan"] == jb["Maalplan"]
