"""verify on copies that left the app: edited in Word or Excel, printed to PDF by LibreOffice,
read from a QR code on paper, or faked with a copied reference. None of them is «Aktuel»
unless its content is what was exported."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfWriter

from exports.docx import maalplan_docx
from exports.qr import reference_qr_png
from exports.reference import (
    EXIT_CODES,
    TEXT_DIGEST_RE,
    VerifyStatus,
    office_text,
    parse_reference,
    read_reference,
    stamp_text_digest,
    status_reference,
    verify_file,
    verify_reference_text,
)
from exports.sbsys import ExportOptions, export_sbsys
from exports.xlsx import maalplan_xlsx
from models.errors import UdviklingsdagError
from models.maalplan_view import load_maalplan
from tui.cli import main

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice (soffice) er ikke installeret; .ci/run installerer det",
)
needs_pdftoppm = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) er ikke installeret"
)


@pytest.fixture
def exported(plan_store, tmp_path):
    store, ids = plan_store
    result = export_sbsys(
        store.db, tmp_path / "ud", [ids["plan"]], ExportOptions(when=date(2027, 1, 31))
    )
    pkg = result.packages[0]
    files = {p.suffix: p for p in pkg.files}
    return store, ids, pkg, files


def _away(path: Path, tmp_path: Path, name: str | None = None) -> Path:
    """A copy outside the package folder (no journalisering.json next to it)."""
    target = tmp_path / "kopi" / (name or path.name)
    target.parent.mkdir(exist_ok=True)
    shutil.copyfile(path, target)
    return target


def _soffice_pdf(sources: list[Path], outdir: Path) -> list[Path]:
    """Print documents to PDF with LibreOffice headless, the way a user or SBSYS would."""
    assert SOFFICE is not None
    outdir.mkdir(parents=True, exist_ok=True)
    profile = (outdir / "lo-profil").resolve().as_uri()
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, sources),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdfs = [outdir / (s.stem + ".pdf") for s in sources]
    assert all(p.exists() for p in pdfs), pdfs
    return pdfs


def _soffice_resave(source: Path, outdir: Path) -> Path:
    """Open and save a document in LibreOffice without changing it (as an office program
    does when a user opens the kladde and presses save)."""
    assert SOFFICE is not None
    outdir.mkdir(parents=True, exist_ok=True)
    profile = (outdir / "lo-profil").resolve().as_uri()
    fmt = source.suffix.lstrip(".")
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    out = outdir / source.name
    assert out.exists() and out.read_bytes() != source.read_bytes()
    return out


def _page_qrs(pdf: Path) -> set[str]:
    """Every QR code on every page, decoded from the rasterised pages (pdftoppm)."""
    prefix = pdf.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", str(pdf), str(prefix)], check=True, capture_output=True
    )
    texts: set[str] = set()
    for page in sorted(pdf.parent.glob(prefix.name + "-*.png")):
        decoded = zxingcpp.read_barcodes(Image.open(page), formats=zxingcpp.BarcodeFormat.QRCode)
        texts |= {d.text for d in decoded}
    return texts


# --- the export records what verify needs --------------------------------------------------


def test_export_records_text_digest_and_sha256(exported):
    import hashlib
    import json

    _store, _ids, pkg, files = exported
    for suffix in (".docx", ".xlsx"):
        with zipfile.ZipFile(files[suffix]) as zf:
            core = zf.read("docProps/core.xml").decode()
        assert TEXT_DIGEST_RE.search(core), suffix
        assert read_reference(files[suffix]) == parse_reference(pkg.reference.text)
    data = json.loads((files[".pdf"].parent / "journalisering.json").read_text("utf-8"))
    shas = {f["Navn"]: f["SHA256"] for f in data["Filer"]}
    for suffix in (".docx", ".xlsx", ".pdf"):
        assert shas[files[suffix].name] == hashlib.sha256(files[suffix].read_bytes()).hexdigest()
    assert data["Maalplan"]["Digest"] == pkg.reference.digest


# --- edited copies --------------------------------------------------------------------------


def test_edited_docx_is_changed_untouched_is_current(exported, tmp_path):
    store, _ids, _pkg, files = exported
    # Away from the package: only the text digest can tell.
    untouched = _away(files[".docx"], tmp_path)
    assert verify_file(store.db, untouched).status is VerifyStatus.CURRENT
    # Opened and saved again without changes (new bytes, same text): still current.
    resaved = tmp_path / "kopi" / "gemt-igen.docx"
    docx.Document(str(untouched)).save(str(resaved))
    assert verify_file(store.db, resaved).status is VerifyStatus.CURRENT

    edited = tmp_path / "kopi" / "rettet.docx"
    document = docx.Document(str(untouched))
    para = next(p for p in document.paragraphs if p.text.strip())
    para.runs[0].text = para.runs[0].text + " (rettet i hånden)"
    document.save(str(edited))
    result = verify_file(store.db, edited)
    assert result.status is VerifyStatus.CHANGED
    assert result.message.startswith("Ændret")
    # The same edit inside the package folder: the SHA-256 differs too.
    in_pkg = files[".docx"]
    shutil.copyfile(edited, in_pkg)
    assert verify_file(store.db, in_pkg).status is VerifyStatus.CHANGED


def test_edited_xlsx_is_changed_untouched_is_current(exported, tmp_path, db_target, capsys):
    store, _ids, _pkg, files = exported
    untouched = _away(files[".xlsx"], tmp_path)
    assert verify_file(store.db, untouched).status is VerifyStatus.CURRENT
    resaved = tmp_path / "kopi" / "gemt-igen.xlsx"
    openpyxl.load_workbook(untouched).save(resaved)
    assert verify_file(store.db, resaved).status is VerifyStatus.CURRENT

    wb = openpyxl.load_workbook(untouched)
    ws = wb.worksheets[1]
    cell = next(c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value)
    cell.value = cell.value + " ændret i Excel"
    edited = tmp_path / "kopi" / "rettet.xlsx"
    wb.save(edited)
    result = verify_file(store.db, edited)
    assert result.status is VerifyStatus.CHANGED, result.message
    assert main(["verify", "--db", db_target, str(edited)]) == EXIT_CODES[VerifyStatus.CHANGED]
    assert "Ændret" in capsys.readouterr().out


def test_changed_file_and_changed_plan(exported, tmp_path):
    """Both at once: the file is reported as changed, and the message says the plan moved on."""
    store, ids, _pkg, files = exported
    document = docx.Document(str(files[".docx"]))
    document.add_paragraph("Et nyt afsnit")
    edited = tmp_path / "rettet.docx"
    document.save(str(edited))
    store.update("tegn", ids["t1"], tekst="Et nyt tegn")
    result = verify_file(store.db, edited)
    assert result.status is VerifyStatus.CHANGED
    assert "desuden ændret" in result.message


def test_workbook_text_is_the_same_as_excel_stores_it(tmp_path):
    """Excel writes shared strings where we write inline ones, and may write 0.78 as
    0.78000000000000003: the same text, so the same digest."""
    wb = openpyxl.Workbook()
    wb.active["A1"] = 0.78
    wb.active["B1"] = "Trivsel  på\nÆrø"
    path = tmp_path / "tal.xlsx"
    wb.save(path)
    data = path.read_bytes()
    out = tmp_path / "excel.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert b"<v>0.78</v>" in body
                body = body.replace(b"<v>0.78</v>", b"<v>0.78000000000000003</v>")
            dst.writestr(info, body)
    assert office_text(data, ".xlsx") == office_text(out.read_bytes(), ".xlsx")
    assert "0.78 Trivsel på Ærø" in office_text(data, ".xlsx")


def _tricky_workbook() -> openpyxl.Workbook:
    from datetime import date, datetime

    from exports.xlsx import set_cell

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Første ark"
    values = [
        0.78, 0.1, 1e20, -0.0, 2**60, 12, 3.141592653589793, True, False,
        date(2027, 8, 16), datetime(2027, 8, 16, 12, 30), "  mellemrum  ",
        "linje\r\nto", "Ærø & <Å>", "=SUM(A1:A3)", "",
    ]  # fmt: skip
    for i, value in enumerate(values, 1):
        ws.cell(row=i, column=2, value=value)
    set_cell(ws.cell(row=1, column=5), "=ikke en formel")
    ws.merge_cells("F1:G2")
    ws["F1"] = "flettet"
    other = wb.create_sheet("Andet ark")
    other["C3"] = "sidst"
    other["A1"] = "først"
    return wb


def test_the_workbook_text_is_known_before_it_is_saved(demo_store, tmp_path):
    """`stamp_workbook` takes the digest from the workbook in memory: the same text
    `office_text` reads from the saved file, for the app's workbooks and for every kind of
    cell they may hold, so a fresh export is never «Ændret»."""
    from exports.reference import workbook_text
    from exports.status_report_xlsx import build_status_workbook
    from exports.xlsx import build_workbook, workbook_bytes
    from models.maalplan_view import load_maalplaner
    from models.status_report import report_years, status_report

    db = demo_store.db
    when = date(2027, 8, 16)
    books = [_tricky_workbook()]
    view = load_maalplaner(db)[0]
    books.append(build_workbook(view, when=when, reference_text="UDVD:MAALPLAN:x:R1:AB"))
    report = status_report(db, max(report_years(db)), when)
    ref = status_reference(report, None)
    books.append(build_status_workbook(report, ref, reference_qr_png(ref), when=when))
    for wb in books:
        text = workbook_text(wb)
        assert text and text == office_text(workbook_bytes(wb), ".xlsx")
    # A cell whose written form is not followed: the file is read instead.
    from openpyxl.worksheet.formula import ArrayFormula

    odd = _tricky_workbook()
    odd.active["H1"] = ArrayFormula("H1:H2", "=A1:A2*2")
    assert workbook_text(odd) is None


# --- fakes with a copied reference ----------------------------------------------------------


def test_fakes_with_a_copied_reference_are_never_current(exported, tmp_path):
    store, ids, pkg, files = exported
    ref = pkg.reference
    # A 100-byte «PDF» holding the reference.
    fake = tmp_path / "falsk.pdf"
    fake.write_bytes((b"%PDF-1.7\n% " + ref.text.encode() + b"\n").ljust(100, b" "))
    result = verify_file(store.db, fake)
    assert result.status is not VerifyStatus.CURRENT
    assert result.status is VerifyStatus.CHANGED  # the reference is in no text
    # The same fake in place of the package's PDF: the SHA-256 gives it away.
    shutil.copyfile(fake, files[".pdf"])
    assert verify_file(store.db, files[".pdf"]).status is VerifyStatus.CHANGED

    # A docx made with python-docx, its properties copied from ours (text digest included).
    real = docx.Document(str(files[".docx"]))
    other = docx.Document()
    other.add_paragraph("Et helt andet dokument")
    other.core_properties.identifier = real.core_properties.identifier
    forged = tmp_path / "falsk.docx"
    other.save(str(forged))
    assert verify_file(store.db, forged).status is VerifyStatus.CHANGED
    # Only the bare reference copied (no text digest): not compared, never current.
    other.core_properties.identifier = ref.text
    other.save(str(forged))
    result = verify_file(store.db, forged)
    assert result.status is VerifyStatus.NOT_COMPARED
    assert "Reference fundet, indhold ikke sammenlignet" in result.message

    # The app's own writers: another plan's documents under our reference, stamped with a
    # matching text digest. The digest agrees, but the text is not this plan's.
    other_view = load_maalplan(store.db, ids["empty"])
    forged_docx = stamp_text_digest(
        "x.docx", maalplan_docx(other_view, ref, reference_qr_png(ref), when=date(2027, 1, 31))
    )
    forged_xlsx = stamp_text_digest(
        "x.xlsx", maalplan_xlsx(other_view, when=date(2027, 1, 31), reference_text=ref.text)
    )
    for suffix, content in ((".docx", forged_docx), (".xlsx", forged_xlsx)):
        path = tmp_path / f"andet{suffix}"
        path.write_bytes(content)
        result = verify_file(store.db, path)
        assert result.status is VerifyStatus.CHANGED, (suffix, result.message)
        assert "passer ikke med målplanen" in result.message

    # Our own workbook with its cells emptied.
    wb = openpyxl.load_workbook(files[".xlsx"])
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if type(c).__name__ != "MergedCell":
                    c.value = None
    emptied = tmp_path / "tom.xlsx"
    wb.save(emptied)
    assert verify_file(store.db, emptied).status is VerifyStatus.CHANGED

    # Our own files, truncated: an error (exit 1), never current.
    for suffix in (".docx", ".xlsx"):
        cut = tmp_path / f"afkortet{suffix}"
        cut.write_bytes(files[suffix].read_bytes()[:2000])
        with pytest.raises(UdviklingsdagError):
            verify_file(store.db, cut)
    cut_pdf = tmp_path / "afkortet.pdf"
    cut_pdf.write_bytes(files[".docx"].read_bytes()[:0] + b"%PDF-1.7\n")
    assert verify_file(store.db, cut_pdf).status is VerifyStatus.UNKNOWN


def test_sealed_keywords_are_the_same_in_the_xmp_and_the_information_dictionary(exported):
    """PDF/A: the keywords fpdf2 writes twice (XMP, and the information dictionary in UTF-16
    hex for «målplan») carry the same seal; the review found the second left at zeros."""
    import binascii
    import re

    from exports.seal import check

    _store, _ids, _pkg, files = exported
    data = files[".pdf"].read_bytes()
    xmp = re.search(rb'pdf:Keywords="([^"]*)"', data)
    info = re.search(rb"/Keywords <feff([0-9a-f]+)>", data)
    assert xmp is not None and info is not None
    keywords = xmp.group(1).decode("utf-8")
    assert binascii.unhexlify(info.group(1)).decode("utf-16-be") == keywords
    assert re.search(r"SEGL:[0-9a-f]{64}$", keywords) and "0" * 64 not in keywords
    assert check(data) is True


def test_own_pdf_away_from_its_package_is_checked_by_its_seal(exported, tmp_path):
    """Our PDF on its own: the seal of its bytes (exports.seal) says whether it is as written.
    A page taken out by another program that keeps the metadata is «Ændret» (the user test
    got «lavet af et andet program»); a PDF without a seal (an older export) is still not
    compared, and says where it can be."""
    import re

    from pypdf import PdfReader, PdfWriter

    store, _ids, _pkg, files = exported
    away = _away(files[".pdf"], tmp_path)
    assert verify_file(store.db, away).status is VerifyStatus.CURRENT
    reader = PdfReader(away)
    assert len(reader.pages) >= 2
    writer = PdfWriter(clone_from=reader)
    writer.remove_page(len(writer.pages) - 1)
    shorter = tmp_path / "uden-sidste-side.pdf"
    writer.write(shorter)
    assert b"SEGL:" in shorter.read_bytes()
    result = verify_file(store.db, shorter)
    assert result.status is VerifyStatus.CHANGED, result.message
    assert "segl" in result.message
    older = tmp_path / "aeldre.pdf"
    from exports.seal import PLACEHOLDER, _encoded, seal

    data = away.read_bytes()
    digest = re.search(rb"SEGL:([0-9a-f]{64})", data)
    assert digest is not None and seal(data) == data  # (sealed already: nothing to fill)
    for sealed, blank in zip(
        _encoded("SEGL:" + digest.group(1).decode()), _encoded(PLACEHOLDER), strict=True
    ):
        data = data.replace(sealed, blank)
    older.write_bytes(data)  # as an export before the seal: zeros in both keywords
    result = verify_file(store.db, older)
    assert result.status is VerifyStatus.NOT_COMPARED
    assert "journalisering.json" in result.message


# --- the text read from a QR code -----------------------------------------------------------


def test_reference_text_from_qr(exported, db_target, capsys):
    store, ids, pkg, _files = exported
    payload = pkg.reference.qr_payload
    assert main(["verify", "--db", db_target, "--reference", payload]) == 0
    out = capsys.readouterr().out
    assert "Aktuel" in out and "papiret" in out
    store.update("tegn", ids["t1"], tekst="Et nyt tegn")
    assert main(["verify", "--db", db_target, "--reference", payload]) == 3
    assert "Forældet" in capsys.readouterr().out
    assert verify_reference_text(store.db, "noget helt andet").status is VerifyStatus.UNKNOWN
    assert main(["verify", "--db", db_target, "--json", "--reference", "hej"]) == 4
    assert '"svar": "ukendt"' in capsys.readouterr().out
    # Neither or both: a usage mistake.
    assert main(["verify", "--db", db_target]) == 2
    assert main(["verify", "--db", db_target, "--reference", payload, "x.pdf"]) == 2
    assert "enten" in capsys.readouterr().err


# --- printed by another program -------------------------------------------------------------


@needs_soffice
def test_libreoffice_printed_pdf_of_docx_and_xlsx(exported, tmp_path, db_target, capsys):
    store, ids, pkg, files = exported
    printed = _soffice_pdf([files[".docx"], files[".xlsx"]], tmp_path / "print")
    for pdf in printed:
        result = verify_file(store.db, pdf)
        assert result.status is VerifyStatus.NOT_COMPARED, (pdf, result.message)
        assert result.reference is not None
        assert (result.reference.subject, result.reference.digest) == (
            pkg.reference.subject,
            pkg.reference.digest,
        )
        assert "andet program" in result.message
    assert main(["verify", "--db", db_target, str(printed[0])]) == 6
    # A converter that keeps the reference in the PDF's keywords is still «another program».
    writer = PdfWriter(clone_from=printed[0])
    writer.add_metadata({"/Keywords": pkg.reference.text})
    kept = tmp_path / "print" / "med-noegleord.pdf"
    with kept.open("wb") as fh:
        writer.write(fh)
    assert verify_file(store.db, kept).status is VerifyStatus.NOT_COMPARED
    store.update("tegn", ids["t1"], tekst="Et nyt tegn")
    for pdf in printed:
        assert verify_file(store.db, pdf).status is VerifyStatus.OUTDATED


@needs_soffice
def test_saved_again_by_an_office_program_is_still_current(exported, tmp_path):
    """New bytes (LibreOffice rewrites every part), the same text: still «Aktuel»."""
    store, _ids, _pkg, files = exported
    for suffix in (".docx", ".xlsx"):
        saved = _soffice_resave(files[suffix], tmp_path / "gemt")
        result = verify_file(store.db, saved)
        assert result.status is VerifyStatus.CURRENT, (suffix, result.message)
        # In the package folder, in place of the exported file: a different SHA-256, said so.
        shutil.copyfile(saved, files[suffix])
        result = verify_file(store.db, files[suffix])
        assert result.status is VerifyStatus.CURRENT, (suffix, result.message)
        assert "gemt igen" in result.message


# --- the printed QR code of every format ----------------------------------------------------


@needs_pdftoppm
def test_pdf_pages_carry_a_decodable_qr(exported, tmp_path):
    _store, _ids, pkg, files = exported
    pdf = _away(files[".pdf"], tmp_path)
    assert {parse_reference(t) for t in _page_qrs(pdf)} == {pkg.reference}


@needs_soffice
@needs_pdftoppm
def test_docx_printed_pages_carry_a_decodable_qr(exported, tmp_path):
    _store, _ids, pkg, files = exported
    (pdf,) = _soffice_pdf([files[".docx"]], tmp_path / "print")
    assert {parse_reference(t) for t in _page_qrs(pdf)} == {pkg.reference}


@needs_soffice
@needs_pdftoppm
def test_xlsx_printed_pages_carry_a_decodable_qr(exported, tmp_path):
    _store, _ids, pkg, files = exported
    (pdf,) = _soffice_pdf([files[".xlsx"]], tmp_path / "print")
    assert {parse_reference(t) for t in _page_qrs(pdf)} == {pkg.reference}


def _forged(data: bytes, name: str, old: str, new: str) -> bytes:
    """`data` (a .docx/.xlsx) with the text `old` replaced by `new` where its XML holds it,
    then its text digest stamped again with the app's own `stamp_text_digest`: a forgery
    whose digest matches its own text."""
    import io
    from xml.sax.saxutils import escape

    out = io.BytesIO()
    replaced = False
    # As UTF-8 (python-docx) or with character references (the workbook writer's «&#229;»).
    forms = [
        (escape(t).encode(), escape(t).encode("ascii", "xmlcharrefreplace")) for t in (old, new)
    ]
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            for was, becomes in zip(*forms, strict=True):
                if not replaced and was in body:
                    body = body.replace(was, becomes, 1)
                    replaced = True
            dst.writestr(info, body)
    assert replaced, old
    return stamp_text_digest(name, out.getvalue())


def _without_created(data: bytes, name: str) -> bytes:
    """`data` with the creation date taken out of its core properties, stamped again."""
    import io
    import re

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "docProps/core.xml":
                body, n = re.subn(rb"<dcterms:created\b[^>]*>[^<]*</dcterms:created>", b"", body)
                assert n == 1
            dst.writestr(info, body)
    return stamp_text_digest(name, out.getvalue())


def test_forged_text_with_a_fresh_digest_is_changed_for_every_kind(demo_store, tmp_path):
    """A målplan (.docx, .xlsx), an augustrapport (.docx, .xlsx) and a Plan A poster (.docx)
    as the app writes them are «Aktuel»; the same files with one text changed and their text
    digest stamped again with the app's own function are «Ændret», saying where their text
    parts from what the database gives (before, only a few texts were looked for, so a
    changed verdict, number or prøvehandling passed as «Aktuel»)."""
    from exports.plan_a_poster import poster_docx
    from exports.reference import poster_reference, reference_for
    from exports.status_report_docs import status_report_docx
    from exports.status_report_xlsx import status_report_xlsx
    from models.maalplan_view import load_maalplaner
    from models.plan_a import plan_a_posters
    from models.status_report import report_years, status_report

    db, when = demo_store.db, date(2027, 8, 16)
    view = next(v for v in load_maalplaner(db) if v.maal and v.maal[0].proevehandlinger)
    ref = reference_for(view)
    png = reference_qr_png(ref)
    report = status_report(db, max(report_years(db)), when)
    report_ref = status_reference(report)
    poster = next(p for p in plan_a_posters(db, None, None) if p.valgte and p.valgte[0].forskel)
    poster_ref = poster_reference(poster)
    first_maal = report.maal[0].tekst
    documents = [
        ("plan.docx", maalplan_docx(view, ref, png, when=when), view.maal[0].tekst),
        (
            "plan.xlsx",
            maalplan_xlsx(view, when=when, reference_text=ref.text, qr_png=png, stamp=True),
            view.maal[0].proevehandlinger[0].tekst,
        ),
        ("rapport.docx", status_report_docx(report, report_ref, png, when=when), first_maal),
        ("rapport.xlsx", status_report_xlsx(report, report_ref, png, when=when), first_maal),
        (
            "plakat.docx",
            poster_docx(poster, poster_ref, png, when=when),
            poster.valgte[0].forskel,
        ),
    ]
    for name, data, text in documents:
        genuine = tmp_path / name
        genuine.write_bytes(data)
        result = verify_file(db, genuine)
        assert result.status is VerifyStatus.CURRENT, (name, result.message)
        forged = tmp_path / f"falsk-{name}"
        forged.write_bytes(_forged(data, name, text, f"FORFALSKET {text}"))
        result = verify_file(db, forged)
        assert result.status is VerifyStatus.CHANGED, (name, result.message)
        assert "filen har «" in result.message and "FORFALSKET" in result.message, result.message
        assert "hvor databasen giver «" in result.message
        # The same forgery without its export day (so its text cannot be made again): never
        # «Aktuel», only «not compared».
        undated = tmp_path / f"udateret-{name}"
        undated.write_bytes(_without_created(forged.read_bytes(), name))
        result = verify_file(db, undated)
        assert result.status is VerifyStatus.NOT_COMPARED, (name, result.message)
        assert "eksportdato" in result.message
