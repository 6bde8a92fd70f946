"""The August status documents are SBSYS-ready (exports/status_report_docs.py and
exports/status_report_xlsx.py): the report's reference (kind STATUS) as a QR code on the first
page that decodes to exactly its payload (the PDF rendered with pdftoppm, the docx printed by
LibreOffice), the reference in every page's footer, `read_reference` finding it in each file,
the docx tables styled like the målplan's, the workbook's sheets with real date and number
cells, filters, frozen headers and print titles, and hostile texts (formulas, control
characters, 5000 characters, emoji) giving valid files in which a formula stays text."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
import zxingcpp
from docx.oxml.ns import qn
from PIL import Image
from pypdf import PdfReader

from exports.qr import reference_qr_png
from exports.reference import (
    WORDING,
    Reference,
    RefKind,
    VerifyStatus,
    office_text,
    read_reference,
    stamp_text_digest,
    status_reference,
    text_digest,
    verify_file,
)
from exports.status_report_docs import (
    QR_MM,
    QR_NOTE,
    status_report_docx,
    status_report_pdf,
)
from exports.status_report_xlsx import (
    SHEETS,
    rollup_rows,
    status_report_xlsx,
)
from models import enums
from models.db import open_database
from models.demo import build_demo
from models.status_report import ORDER, StatusReport, label, set_vurdering, status_report
from models.store import Store

WHEN = date(2026, 12, 6)
LINK = "https://sbsys.eksempel.dk/sag/00.01.00-G01-1-26"
PDFTOPPM = shutil.which("pdftoppm")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_pdftoppm = pytest.mark.skipif(PDFTOPPM is None, reason="pdftoppm is not installed")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None or PDFTOPPM is None, reason="LibreOffice or pdftoppm is not installed"
)

Files = dict[str, Path]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("augustrapport-sbsys") / "demo.db"
    db = open_database(str(path), device_name="Testbærbar")
    try:
        build_demo(Store(db))
    finally:
        db.close()
    return path


@pytest.fixture(scope="module")
def report(demo_db: Path) -> StatusReport:
    db = open_database(str(demo_db), device_name="Testbærbar")
    try:
        return status_report(db, 2026, WHEN)
    finally:
        db.close()


@pytest.fixture(scope="module")
def ref(report: StatusReport) -> Reference:
    return Reference(str(report.aar), 7, report.digest, LINK, RefKind.STATUS)


def _write(report: StatusReport, ref: Reference, folder: Path) -> Files:
    qr = reference_qr_png(ref)
    out: Files = {}
    for suffix, render in (
        (".pdf", status_report_pdf),
        (".docx", status_report_docx),
        (".xlsx", status_report_xlsx),
    ):
        path = folder / f"rapport{suffix}"
        path.write_bytes(render(report, ref, qr, when=WHEN))
        out[suffix] = path
    return out


@pytest.fixture(scope="module")
def files(report: StatusReport, ref: Reference, tmp_path_factory: pytest.TempPathFactory) -> Files:
    return _write(report, ref, tmp_path_factory.mktemp("filer"))


def _squash(text: str) -> str:
    return " ".join(text.split())


def _pdf_pages(path: Path) -> list[str]:
    return [_squash(p.extract_text()) for p in PdfReader(str(path)).pages]


def _render(pdf: Path, dpi: int = 150, page: int = 1) -> Image.Image:
    assert PDFTOPPM is not None
    out = subprocess.run(
        [PDFTOPPM, "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", str(pdf)],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    return Image.open(io.BytesIO(out)).convert("L")


def _qr_texts(image: Image.Image) -> set[str]:
    # zxing sometimes reports the same symbol twice (found at two positions).
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return {d.text for d in found}


def _same(found: Reference | None, ref: Reference) -> None:
    # The metadata holds the one-line reference (no link; the link is in the QR code).
    assert found is not None
    assert found == replace(ref, link=None)
    assert found.kind is RefKind.STATUS and found.subject == "2026"


def _libreoffice_pdf(path: Path, folder: Path) -> Path:
    assert SOFFICE is not None
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={(folder / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(path),
        ],
        check=True,
        timeout=180,
        capture_output=True,
    )
    return folder / f"{path.stem}.pdf"


# --- the reference --------------------------------------------------------------------------


def test_reference_of_the_report(report: StatusReport) -> None:
    ref = status_reference(report, LINK)
    assert report.revision > 0 and re.fullmatch(r"[0-9a-f]{16}", report.digest)
    assert ref.text == f"UDVD:STATUS:2026:R{report.revision}:{report.digest.upper()}"
    assert ref.qr_payload == f"{ref.text}\n{LINK}"


@pytest.mark.parametrize("suffix", [".pdf", ".docx", ".xlsx"])
def test_read_reference_finds_it_in_every_file(files: Files, ref: Reference, suffix: str) -> None:
    _same(read_reference(files[suffix]), ref)


def test_verify_answers_for_each_file(demo_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "kopi.db"
    shutil.copyfile(demo_db, copy)
    db = open_database(str(copy), device_name="Testbærbar")
    try:
        report = status_report(db, 2026, WHEN)
        ref = status_reference(report)
        files = _write(report, ref, tmp_path)
        for suffix in (".docx", ".xlsx"):  # as the package writer stamps them
            path = files[suffix]
            path.write_bytes(stamp_text_digest(path.name, path.read_bytes()))
        for suffix, path in files.items():
            result = verify_file(db, path)
            assert result.reference is not None and result.reference.text == ref.text
            # the PDF too, on its own: its seal says it is as written (exports.seal)
            assert result.status is VerifyStatus.CURRENT, (suffix, result.message)
        # A new assessment: every copy is now outdated.
        m = report.maal[0]
        assert m.vurdering is not None
        set_vurdering(
            Store(db),
            m.id,
            2026,
            enums.Maalopfyldelse.IKKE_ENDNU,
            "Vurderet igen.",
            dato=date(2026, 12, 7),
            hvem="Tovholder",
        )
        for path in files.values():
            assert verify_file(db, path).status is VerifyStatus.OUTDATED, path.name
    finally:
        db.close()


# --- PDF ------------------------------------------------------------------------------------


def test_pdf_has_the_reference_on_every_page(
    files: Files, report: StatusReport, ref: Reference
) -> None:
    pages = _pdf_pages(files[".pdf"])
    assert len(pages) > 2
    for number, text in enumerate(pages, start=1):
        assert f"Reference: {ref.text}" in text, number
        assert ref.short in text, number
        assert f"Side {number} af {len(pages)}" in text
    first = pages[0]
    assert first.startswith("Status på målsætningerne 2026")
    assert f"Reference {ref.short}" in first  # the QR code's caption
    assert _squash(QR_NOTE) in first
    assert "udviklingsdag verify FIL" in first
    for sentence in report.summary.saetninger:
        assert _squash(sentence) in first
    raw = files[".pdf"].read_bytes()
    assert f"augustrapport {ref.text}".encode() in raw  # the XMP keywords, uncompressed
    assert b"udviklingsdag (fpdf2)" in raw  # verify tells our own PDF from a reprint
    assert b"pdfaid:part" in raw
    meta = PdfReader(str(files[".pdf"])).metadata
    assert meta is not None and meta.subject == "Augustrapport 2026 til Kommunalbestyrelsen"


def test_pdf_qr_code_is_on_the_first_page_beside_the_text(files: Files) -> None:
    reader = PdfReader(str(files[".pdf"]))
    assert [len(p.images) for p in reader.pages[:1]] == [1]
    assert not any(p.images for p in reader.pages[1:])
    page = reader.pages[0]
    width_pt = float(page.mediabox.width)
    height_pt = float(page.mediabox.height)
    mm = 72 / 25.4
    qr_left = width_pt - (18 + QR_MM) * mm
    qr_bottom = height_pt - (16 + QR_MM) * mm
    starts: list[tuple[float, float, str]] = []

    def visit(text: str, cm: Any, tm: Any, _font: Any, _size: Any) -> None:
        if text.strip():
            starts.append((tm[4], tm[5], text.strip()))

    page.extract_text(visitor_text=visit)
    # Nothing starts inside the QR code's square; text that starts right of its left edge is
    # under it (the caption and the note).
    inside = [t for x, y, t in starts if x >= qr_left - 1 and y > qr_bottom]
    assert inside == []
    assert any(x >= qr_left - 1 and y < qr_bottom for x, y, _t in starts)


@needs_pdftoppm
def test_pdf_qr_decodes_to_the_payload(files: Files, ref: Reference) -> None:
    assert _qr_texts(_render(files[".pdf"])) == {ref.qr_payload}


# --- docx -----------------------------------------------------------------------------------


def _docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return _squash("\n".join(parts))


def test_docx_carries_the_reference(files: Files, report: StatusReport, ref: Reference) -> None:
    document = docx.Document(str(files[".docx"]))
    props = document.core_properties
    # The reference, then the digest of the document's own text (what verify compares), then
    # the report's wording edition.
    data = files[".docx"].read_bytes()
    digest = text_digest(office_text(data, ".docx")).upper()
    assert props.identifier == f"{ref.text};TEKST={digest};UDGAVE={WORDING[RefKind.STATUS]}"
    assert props.title == "Status på målsætningerne 2026"
    assert props.category == "Augustrapport" and props.language == "da-DK"
    assert props.revision == 7
    footer = _squash(" ".join(p.text for p in document.sections[0].footer.paragraphs))
    assert f"Reference: {ref.text}" in footer and ref.short in footer
    text = _docx_text(files[".docx"])
    assert _squash(QR_NOTE) in text and f"Reference {ref.short}" in text
    for sentence in report.summary.saetninger:
        assert _squash(sentence) in text
    # The QR code is the first table's picture (the first page), decoded from its bytes.
    first = document.tables[0]
    blips = first._tbl.findall(".//" + qn("a:blip"))
    assert len(blips) == 1
    blob = document.part.related_parts[blips[0].get(qn("r:embed"))].blob
    assert _qr_texts(Image.open(io.BytesIO(blob)).convert("L")) == {ref.qr_payload}


def test_docx_tables_look_like_the_maalplan(files: Files, report: StatusReport) -> None:
    document = docx.Document(str(files[".docx"]))
    tables = document.tables[1:]  # after the first page's layout table
    # The roll-up, and per mål its tegn and prøvehandlinger.
    expected = 1 + sum(bool(m.tegn) + bool(m.proevehandlinger) for m in report.maal)
    assert len(tables) == expected
    for table in tables:
        tbl = table._tbl
        head = tbl.tr_lst[0]
        repeat = head.find(qn("w:trPr") + "/" + qn("w:tblHeader"))
        assert repeat is not None  # the header row repeats after a page break
        fills = {shd.get(qn("w:fill")) for shd in head.iter(qn("w:shd"))}
        assert fills == {"DCE6F1"}  # shaded as the målplan's header rows
        runs = list(head.iter(qn("w:r")))
        assert runs and all(r.find(qn("w:rPr") + "/" + qn("w:b")) is not None for r in runs)
        assert tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        grid = [int(c.get(qn("w:w"))) for c in tbl.tblGrid.iter(qn("w:gridCol"))]
        assert abs(sum(grid) - 9638) < 30  # 17 cm between the margins
        assert len(set(grid)) > 1  # widths by content, not an even split
        styles = {p.style.name for row in table.rows for c in row.cells for p in c.paragraphs}
        assert styles == {"Tabeltekst"}
    assert "Samlet vurdering" in [c.text for c in tables[0].rows[0].cells]
    assert report.maalsaetninger[0].tekst in [row.cells[1].text for row in tables[0].rows]


@needs_soffice
def test_docx_printed_by_libreoffice_has_a_readable_qr(
    files: Files, ref: Reference, tmp_path: Path
) -> None:
    printed = _libreoffice_pdf(files[".docx"], tmp_path)
    pages = _pdf_pages(printed)
    assert pages[0].startswith("Status på målsætningerne 2026")
    for text in pages:
        assert ref.text in text.replace(" ", "")
    assert _qr_texts(_render(printed)) == {ref.qr_payload}


# --- xlsx -----------------------------------------------------------------------------------


def test_xlsx_sheets_and_cells(files: Files, report: StatusReport, ref: Reference) -> None:
    wb = openpyxl.load_workbook(files[".xlsx"])
    assert (
        wb.sheetnames
        == list(SHEETS)
        == [
            "Oversigt",
            "Mål",
            "Tegn",
            "Prøvehandlinger",
            "Læring",
        ]
    )
    # The reference, then the digest of the workbook's own text (what verify compares), then
    # the report's wording edition.
    digest = text_digest(office_text(files[".xlsx"].read_bytes(), ".xlsx")).upper()
    edition = WORDING[RefKind.STATUS]
    assert wb.properties.identifier == f"{ref.text};TEKST={digest};UDGAVE={edition}"
    assert wb.properties.language == "da-DK"

    oversigt = wb["Oversigt"]
    values = [c.value for row in oversigt.iter_rows() for c in row if c.value is not None]
    texts = [v for v in values if isinstance(v, str)]
    assert texts[0] == "Status på målsætningerne 2026"
    for sentence in report.summary.saetninger:
        assert sentence in texts
    assert any(ref.text in t and ref.short in t and "udviklingsdag verify" in t for t in texts)
    assert len(oversigt._images) == 1
    header = next(r for r in oversigt.iter_rows() if r[0].value == "Politik")
    assert [c.value for c in header][3 : 3 + len(ORDER)] == [label(v) for v in ORDER]
    assert oversigt.auto_filter.ref.startswith(f"A{header[0].row}:")
    assert oversigt.print_title_rows == f"${header[0].row}:${header[0].row}"
    rollup = list(oversigt.iter_rows(min_row=header[0].row + 1, values_only=True))
    assert [list(r) for r in rollup] == rollup_rows(report)
    assert all(isinstance(n, int) for r in rollup for n in r[2:-1])
    assert sum(r[2] for r in rollup) == len(report.maal)

    maal = wb["Mål"]
    rows = list(maal.iter_rows(min_row=2))
    assert len(rows) == len(report.maal)
    assert maal.freeze_panes == "A2"
    assert maal.auto_filter.ref == f"A1:J{len(rows) + 1}"
    assert maal.print_title_rows == "$1:$1"
    assert [c.value for c in maal[1]][:5] == ["Politik", "Målsætning", "Enhed", "Målplan", "Mål"]
    dated = [r for r in rows if r[8].value is not None]
    assert dated and all(r[8].is_date and r[8].number_format == "DD-MM-YYYY" for r in dated)
    by_text = {r[4].value: r for r in rows}
    for m in report.maal:
        row = by_text[m.tekst]
        assert row[6].value == label(m.opfyldelse)
        if m.vurdering is not None:
            assert row[8].value.date() == m.vurdering.dato
            assert row[7].value == m.vurdering.begrundelse

    tegn = wb["Tegn"]
    tegn_rows = list(tegn.iter_rows(min_row=2))
    assert len(tegn_rows) == sum(len(m.tegn) for m in report.maal)
    numeric = [r for r in tegn_rows if r[3].value == enums.label(enums.TegnType.KVANTITATIV)]
    assert numeric
    for r in numeric:
        if r[6].value is not None:
            assert r[6].data_type == "n" and isinstance(r[6].value, (int, float))
            assert r[6].number_format in ("#,##0", "#,##0.0#")
            assert r[7].is_date
    assert all(isinstance(r[9].value, int) for r in tegn_rows)
    assert tegn.freeze_panes == "A2" and tegn.auto_filter.ref

    proeve = wb["Prøvehandlinger"]
    proeve_rows = list(proeve.iter_rows(min_row=2, values_only=True))
    assert len(proeve_rows) == sum(len(m.proevehandlinger) for m in report.maal)
    effekter = [e.effekt for m in report.maal for p in m.proevehandlinger for e in p.effekter]
    assert any(effekter[0] in (r[6] or "") for r in proeve_rows)
    assert all(isinstance(r[2], int) for r in proeve_rows)

    laering = wb["Læring"]
    lines = [line.tekst for m in report.maal for line in m.laering]
    lines += [line.tekst for plan in report.planlaering for line in plan.laering]
    assert [r[3] for r in laering.iter_rows(min_row=2, values_only=True)] == lines


def test_xlsx_qr_decodes(files: Files, ref: Reference) -> None:
    with zipfile.ZipFile(files[".xlsx"]) as zf:
        media = [n for n in zf.namelist() if n.startswith("xl/media/")]
        assert len(media) == 1
        image = Image.open(io.BytesIO(zf.read(media[0]))).convert("L")
    assert _qr_texts(image) == {ref.qr_payload}


# --- hostile texts --------------------------------------------------------------------------

FORMULA = '=HYPERLINK("http://eksempel.dk/x","klik her")'
LONG = ("Vi lærte meget af forløbet med borgerne, og det ændrede vores praksis. " * 80)[:5000]
EMOJI = "Trivsel 😀👍🏽 og ❤️"


def _hostile(report: StatusReport) -> StatusReport:
    """The demo's report with its first mål, its vurdering, tegn and læring made hostile."""
    first = report.maal[0]
    assert first.vurdering is not None and first.tegn and first.laering
    maal = replace(
        first,
        tekst=FORMULA,
        vurdering=replace(first.vurdering, begrundelse="\x07Klokke\x1b[31m " + LONG + " " + EMOJI),
        tegn=(
            replace(first.tegn[0], tekst="+cmd|' /C calc'!A0", baseline="@SUM(1+1)"),
            *first.tegn[1:],
        ),
        laering=(replace(first.laering[0], tekst="-2+3 " + EMOJI), *first.laering[1:]),
    )
    politik = report.politikker[0]
    ms = politik.maalsaetninger[0]
    assert ms.maal[0].id == first.id
    ms = replace(ms, tekst=LONG, maal=(maal, *ms.maal[1:]))
    politik = replace(
        politik, navn="=1+1 " + EMOJI, maalsaetninger=(ms, *politik.maalsaetninger[1:])
    )
    return replace(report, politikker=(politik, *report.politikker[1:]))


def test_hostile_texts_give_valid_files(report: StatusReport, tmp_path: Path) -> None:
    hostile = _hostile(report)
    ref = status_reference(hostile)
    files = _write(hostile, ref, tmp_path)
    for path in files.values():
        _same(read_reference(path), ref)

    pdf = " ".join(_pdf_pages(files[".pdf"]))
    assert "Klokke" in pdf and "\x07" not in pdf and "\x1b" not in pdf
    assert _squash(FORMULA) in pdf
    assert _squash(LONG)[-60:].strip() in pdf  # the 5000 characters are there to the end

    text = _docx_text(files[".docx"])
    assert FORMULA in text and EMOJI in text and _squash(LONG) in text
    assert "\x07" not in text

    wb = openpyxl.load_workbook(files[".xlsx"])
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    formulas = [c for c in cells if c.data_type == "f"]
    assert formulas == []
    starting = [c for c in cells if isinstance(c.value, str) and c.value[:1] in "=+-@"]
    assert {c.value for c in starting} >= {FORMULA, "+cmd|' /C calc'!A0", "@SUM(1+1)"}
    assert all(c.data_type == "s" and c.quotePrefix for c in starting)
    begrundelse = next(c.value for c in cells if isinstance(c.value, str) and "Klokke" in c.value)
    assert begrundelse == "Klokke[31m " + LONG + " " + EMOJI  # control characters left out
    with zipfile.ZipFile(files[".xlsx"]) as zf:
        sheets = [zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
    assert sheets and not any(b"<f>" in s or b"<f " in s for s in sheets)


@needs_soffice
def test_hostile_docx_and_xlsx_open_in_libreoffice(report: StatusReport, tmp_path: Path) -> None:
    hostile = _hostile(report)
    ref = status_reference(hostile)
    files = _write(hostile, ref, tmp_path)
    printed = _libreoffice_pdf(files[".docx"], tmp_path)
    assert _squash(FORMULA) in " ".join(_pdf_pages(printed))
    assert _qr_texts(_render(printed)) == {ref.qr_payload}
    sheet = _libreoffice_pdf(files[".xlsx"], tmp_path)
    first = _pdf_pages(sheet)[0]
    assert "Status på målsætningerne 2026" in first
