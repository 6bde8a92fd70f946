"""The August report as an SBSYS package (exports/status_report_package.py) and `verify` on it
(exports/reference.py, kind STATUS): the folder and its files, journalisering.json/.txt with
the report's own fields, verify current / outdated / changed / unknown on each document and on
the QR code's text, a hostile document made with the app's own writer that carries a report's
reference and a valid text digest, a failed write leaving nothing behind, the CLI."""

from __future__ import annotations

import errno
import hashlib
import io
import json
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest

from exports.atomic import ExportError
from exports.reference import (
    REF_RE,
    TEXT_DIGEST_RE,
    RefKind,
    VerifyStatus,
    read_reference,
    stamp_text_digest,
    status_reference,
    verify_file,
    verify_reference_text,
)
from exports.status_report_package import (
    ReportOptions,
    export_report_package,
    export_status_report,
)
from models.db import open_database
from models.demo import build_demo
from models.status_report import status_report
from models.store import Store
from models.workspace import Workspace
from tui.cli import main

WHEN = date(2026, 12, 6)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rapportpakke") / "demo.db"
    db = open_database(str(path), device_name="Testbærbar")
    try:
        build_demo(Store(db))
    finally:
        db.close()
    return path


@pytest.fixture
def ws(demo_db: Path, tmp_path: Path) -> Workspace:
    copy = tmp_path / "kopi.db"
    shutil.copyfile(demo_db, copy)
    workspace = Workspace(open_database(str(copy), device_name="Tovholder"))
    yield workspace
    workspace.close()


def _assess(ws: Workspace, value: str = "delvist") -> str:
    """Give the first mål of the 2026 report an assessment; its id."""
    report = status_report(ws.database, 2026, WHEN)
    maal = report.maal[0]
    ws.set_vurdering(maal.id, 2026, value, "Tallene er på vej op.")
    return maal.id


def _package(ws: Workspace, folder: Path, **options: object) -> tuple[Path, dict[str, Path]]:
    package = export_report_package(
        ws.database,
        folder,
        2026,
        ReportOptions(when=WHEN, **options),  # type: ignore[arg-type]
    )
    return package.folder, {p.suffix or p.name: p for p in package.files}


def test_the_package_has_the_documents_and_the_journalisering(
    ws: Workspace, tmp_path: Path
) -> None:
    _assess(ws)
    folder, files = _package(ws, tmp_path / "ud", sagsnummer="00.01.00-G01-12-26")
    stem = "2026-12-06_Augustrapport_2026"
    assert folder == tmp_path / "ud" / stem
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{stem}.pdf", f"{stem}.docx", f"{stem}.xlsx", "journalisering.json", "journalisering.txt"]
    )
    report = status_report(ws.database, 2026, WHEN)
    ref = status_reference(report)
    assert ref.text == f"UDVD:STATUS:2026:R{report.revision}:{report.digest.upper()}"
    data = json.loads((folder / "journalisering.json").read_text("utf-8"))
    assert data["DokumentNavn"] == "Status på målsætningerne 2026 (augustrapport)"
    assert data["Emne"] == "Augustrapport 2026 til Kommunalbestyrelsen"
    assert data["Sagsnummer"] == "00.01.00-G01-12-26"
    assert data["DokumentDato"] == "2026-12-06"
    assert data["Augustrapport"]["Reference"] == ref.text
    assert ref.text in data["Beskrivelse"]
    for entry in data["Filer"]:
        content = (folder / entry["Navn"]).read_bytes()
        assert entry["SHA256"] == hashlib.sha256(content).hexdigest()
        assert entry["Size"] == len(content)
    assert [e["Rolle"] for e in data["Filer"]] == [
        "Augustrapport (PDF/A til journalisering)",
        "Augustrapport (læsbar udgave)",
        "Augustrapport (regneark med tallene)",
    ]
    txt = (folder / "journalisering.txt").read_bytes()
    assert txt.startswith(b"\xef\xbb\xbf")
    text = txt.decode("utf-8-sig")
    assert "Augustrapporten\r\n---------------" in text
    assert "År: 2026" in text and f"Reference: {ref.text}" in text
    assert "Sagsnummer (Sagsnummer): 00.01.00-G01-12-26" in text
    # Each document carries the reference verify reads.
    for suffix in (".pdf", ".docx", ".xlsx"):
        assert read_reference(files[suffix]) == ref


def test_verify_each_document_current_then_outdated(ws: Workspace, tmp_path: Path) -> None:
    maal_id = _assess(ws)
    _, files = _package(ws, tmp_path / "ud")
    for suffix in (".pdf", ".docx", ".xlsx"):
        result = verify_file(ws.database, files[suffix])
        assert result.status is VerifyStatus.CURRENT, (suffix, result.message)
        assert "augustrapporten for 2026" in result.message
        assert result.reference is not None and result.reference.kind is RefKind.STATUS
    # A change the report does not show (a målplan's case number) leaves it current.
    plan_id = status_report(ws.database, 2026, WHEN).maal[0].maalplan_id
    ws.save_field("maalplan", plan_id, "sagsnummer", "00.01.00-G01-99-26")
    assert verify_file(ws.database, files[".docx"]).status is VerifyStatus.CURRENT
    # A new assessment is in the report: every copy is outdated.
    ws.set_vurdering(maal_id, 2026, "opfyldt", "Målet er nået.")
    for suffix in (".pdf", ".docx", ".xlsx"):
        result = verify_file(ws.database, files[suffix])
        assert result.status is VerifyStatus.OUTDATED, (suffix, result.message)
        assert "augustrapporten for 2026 er ændret" in result.message
        assert result.current is not None and result.reference is not None
        assert result.current.revision > result.reference.revision
    # The QR code's text says the same.
    ref = read_reference(files[".pdf"])
    assert ref is not None
    assert verify_reference_text(ws.database, ref.qr_payload).status is VerifyStatus.OUTDATED


def test_a_copy_outside_the_package_and_an_edited_copy(ws: Workspace, tmp_path: Path) -> None:
    _assess(ws)
    _, files = _package(ws, tmp_path / "ud")
    # The docx moved out of its folder: its own text digest still proves it.
    alone = tmp_path / "sendt.docx"
    shutil.copyfile(files[".docx"], alone)
    assert verify_file(ws.database, alone).status is VerifyStatus.CURRENT
    # Edited by hand in Word: changed.
    import docx

    document = docx.Document(str(alone))
    document.add_paragraph("Rettet af en læser")
    document.save(str(alone))
    result = verify_file(ws.database, alone)
    assert result.status is VerifyStatus.CHANGED
    assert "Dataene bag rapporten er ikke ændret" in result.message


def test_a_hostile_copy_with_a_valid_digest_is_not_taken_for_the_report(
    ws: Workspace, tmp_path: Path
) -> None:
    """A målplan's docx from the app's own writer, given the report's reference and a text
    digest recomputed for its own text: every checksum is valid, but it is not the report."""
    from exports.sbsys import export_sbsys

    _assess(ws)
    report = status_report(ws.database, 2026, WHEN)
    ref = status_reference(report)
    plans = export_sbsys(ws.database, tmp_path / "planer", [report.maal[0].maalplan_id])
    source = next(p for p in plans.packages[0].files if p.suffix == ".docx")
    out = io.BytesIO()
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "docProps/core.xml":
                # Every reference in the properties becomes the report's; the text digest goes.
                core = REF_RE.sub(ref.text, body.decode("utf-8"))
                body = TEXT_DIGEST_RE.sub("", core).encode("utf-8")
            dst.writestr(info, body)
    forged = tmp_path / "falsk.docx"
    forged.write_bytes(stamp_text_digest("falsk.docx", out.getvalue()))
    assert read_reference(forged) == ref
    result = verify_file(ws.database, forged)
    assert result.status is VerifyStatus.CHANGED, result.message
    assert "augustrapporten for 2026" in result.message


def test_a_report_of_an_earlier_wording_edition_is_not_called_changed(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A report made before its words changed (edition 1: no «%» after a percentage) cannot
    be made again word for word: verify says its text was not compared and why, and that the
    data behind it is current, instead of calling the printout changed. Edited by hand it is
    still changed (its own digest); a report of today's edition is compared in full."""
    import docx

    from exports import reference, status_report_docs

    _assess(ws)
    monkeypatch.setitem(reference.WORDING, RefKind.STATUS, 1)
    monkeypatch.setattr(status_report_docs, "_unit", lambda _t: "")  # edition 1's words
    _, old = _package(ws, tmp_path / "gammel")
    monkeypatch.undo()
    assert reference.WORDING[RefKind.STATUS] == 3
    _, new = _package(ws, tmp_path / "ny")
    with zipfile.ZipFile(old[".docx"]) as zf:
        assert ";UDGAVE=" not in zf.read("docProps/core.xml").decode("utf-8")
    for suffix in (".docx", ".xlsx"):
        with zipfile.ZipFile(new[suffix]) as zf:
            assert ";UDGAVE=3<" in zf.read("docProps/core.xml").decode("utf-8"), suffix
        assert verify_file(ws.database, new[suffix]).status is VerifyStatus.CURRENT, suffix
        result = verify_file(ws.database, old[suffix])
        assert result.status is VerifyStatus.NOT_COMPARED, (suffix, result.message)
        assert "udgave 1 af programmets tekster" in result.message
        assert "nu udgave 3" in result.message and "revision" in result.message
    # Outside its package (no SHA-256 to fall back on) and edited in Word: changed.
    alone = tmp_path / "gammel.docx"
    document = docx.Document(str(old[".docx"]))
    document.add_paragraph("Rettet af en læser")
    document.save(str(alone))
    assert verify_file(ws.database, alone).status is VerifyStatus.CHANGED
    # The målplan's documents are still of edition 1, without the tag.
    from exports.sbsys import export_sbsys

    plan = status_report(ws.database, 2026, WHEN).maal[0].maalplan_id
    plans = export_sbsys(ws.database, tmp_path / "planer", [plan])
    plan_docx = next(p for p in plans.packages[0].files if p.suffix == ".docx")
    with zipfile.ZipFile(plan_docx) as zf:
        assert ";UDGAVE=" not in zf.read("docProps/core.xml").decode("utf-8")
    assert verify_file(ws.database, plan_docx).status is VerifyStatus.CURRENT


def test_a_reference_to_a_year_the_database_lacks(ws: Workspace) -> None:
    result = verify_reference_text(ws.database, "UDVD:STATUS:1999:R3:0123456789ABCDEF")
    assert result.status is VerifyStatus.UNKNOWN
    assert "ingen målplaner for 1999" in result.message
    # Not a year: no reference at all.
    result = verify_reference_text(ws.database, "UDVD:STATUS:99:R3:0123456789ABCDEF")
    assert result.status is VerifyStatus.UNKNOWN and result.reference is None


def test_drop_file_zip_and_replacing_an_earlier_package(ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "ud"
    first = export_report_package(
        ws.database, out, 2026, ReportOptions(when=WHEN, drop_file=True, zip=True)
    )
    assert not first.replaced
    assert first.zip_path is not None and first.zip_path.exists()
    with zipfile.ZipFile(first.zip_path) as zf:
        assert sorted(zf.namelist()) == sorted(f"{first.folder.name}/{p.name}" for p in first.files)
    drop = (first.folder / "SbsysDropFile.xml").read_text("utf-8")
    assert f'Sti="{first.folder.name}.pdf"' in drop and "JournaliserFiler" in drop
    again = export_report_package(ws.database, out, 2026, ReportOptions(when=WHEN))
    assert again.replaced and not (again.folder / "SbsysDropFile.xml").exists()
    assert sorted(p.name for p in out.iterdir()) == [first.folder.name, f"{first.folder.name}.zip"]


def test_a_failed_write_leaves_nothing(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import exports.status_report_package as package

    def full(path: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(package, "write_bytes", full)
    out = tmp_path / "ud"
    with pytest.raises(ExportError, match="plads"):
        export_report_package(ws.database, out, 2026, ReportOptions(when=WHEN))
    assert not out.exists()
    (tmp_path / "fil").write_text("x")
    with pytest.raises(ExportError, match="er en fil"):
        export_report_package(ws.database, tmp_path / "fil", 2026, ReportOptions(when=WHEN))


def test_the_case_number_is_checked_and_remembered_for_the_year(
    ws: Workspace, tmp_path: Path
) -> None:
    from models.errors import ValidationError

    with pytest.raises(ValidationError, match="ikke et gyldigt sagsnummer"):
        export_status_report(ws, tmp_path / "ud", 2026, sagsnummer="sag 12")
    assert not (tmp_path / "ud").exists()
    package = export_status_report(ws, tmp_path / "ud", 2026, sagsnummer="00.01.00-G01-12-26")
    again = export_status_report(ws, tmp_path / "ud2", 2026)
    for written in (package, again):
        data = json.loads((written.folder / "journalisering.json").read_text("utf-8"))
        assert data["Sagsnummer"] == "00.01.00-G01-12-26"
    cleared = export_status_report(ws, tmp_path / "ud3", 2026, sagsnummer="")
    assert "Sagsnummer" not in json.loads((cleared.folder / "journalisering.json").read_text())


def test_cli_export_and_verify(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "kopi.db"
    shutil.copyfile(demo_db, copy)
    out = tmp_path / "rapport"
    argv = ["export", "augustrapport", "--db", str(copy), str(out), "--aar", "2026"]
    assert main([*argv, "--sagsnummer", "sag 12"]) == 1
    assert "ikke et gyldigt sagsnummer" in capsys.readouterr().err
    assert main([*argv, "--zip", "--dropfil", "--json"]) == 0
    said = json.loads(capsys.readouterr().out)
    assert said["reference"].startswith("UDVD:STATUS:2026:R")
    assert said["zip"] and Path(said["zip"]).exists()
    pdf = next(Path(p) for p in said["filer"] if p.endswith(".pdf"))
    assert main(["verify", "--db", str(copy), str(pdf)]) == 0
    assert "Aktuel" in capsys.readouterr().out
    assert main(["verify", "--db", str(copy), "--reference", said["reference"]]) == 0


def test_a_large_report_is_rendered_in_two_processes_with_the_same_result(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From `PARALLEL_MAAL` mål on, the worker processes start before the report is read and
    render the PDF in one and the .docx in the other while the workbook is made here: the same
    documents."""
    import exports.sbsys as sbsys
    import exports.status_report_package as package

    _assess(ws)
    options = ReportOptions(when=WHEN)
    alone = export_report_package(ws.database, tmp_path / "en", 2026, options)
    started: list[int] = []
    real_start = sbsys._start_pool

    def counted(workers: int) -> object:
        started.append(workers)
        return real_start(workers)

    monkeypatch.setattr(sbsys, "_start_pool", counted)
    monkeypatch.setattr(package, "PARALLEL_MAAL", 1)
    monkeypatch.setattr(package.os, "cpu_count", lambda: 2)
    here: list[str] = []
    real_render = package.render_document

    def rendered_here(suffix: str, *args: object) -> bytes:
        here.append(suffix)
        return real_render(suffix, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(package, "render_document", rendered_here)
    together = export_report_package(ws.database, tmp_path / "to", 2026, options)
    assert started == [2]
    assert here == [".xlsx"]  # the workers have the module as it is, not this patch
    assert [p.name for p in together.files] == [p.name for p in alone.files]
    from exports.reference import office_text, pdf_text

    # The same text (the time the file was written, in the PDF's metadata and the zip's
    # entries, differs from second to second), and the same reference.
    assert together.reference == alone.reference
    for first, second in zip(alone.files, together.files, strict=True):
        content, other = first.read_bytes(), second.read_bytes()
        if first.suffix == ".pdf":
            assert pdf_text(other) == pdf_text(content)
            assert len(other) == len(content)
        elif first.suffix in (".docx", ".xlsx"):
            assert office_text(other, first.suffix) == office_text(content, first.suffix)
    # And each copy is current to verify.
    for path in together.files:
        if path.suffix in (".pdf", ".docx", ".xlsx"):
            assert verify_file(ws.database, path).status is VerifyStatus.CURRENT, path


def test_the_reports_workbook_is_not_read_as_a_maalplan(ws: Workspace, tmp_path: Path) -> None:
    """Given to the workbook import by mistake, the report's .xlsx is refused with a Danish
    message that says what it is, and nothing is written."""
    from exports.template_import import ImportError_, import_workbook

    _, files = _package(ws, tmp_path / "ud")

    def changes() -> int:
        with ws.database.engine.connect() as conn:
            return int(conn.exec_driver_sql("SELECT count(*) FROM change").scalar() or 0)

    before = changes()
    with pytest.raises(ImportError_, match="er augustrapporten for 2026"):
        import_workbook(Store(ws.database), files[".xlsx"])
    assert changes() == before


def test_the_report_goes_to_the_workers_whole(ws: Workspace) -> None:
    """`pickled` (the report's dataclasses as their field values) gives back an equal report,
    with every object of the right class; other objects are pickled as usual."""
    import pickle

    from exports.status_report_package import pickled

    _assess(ws)
    report = status_report(ws.database, 2026, WHEN)
    assert report.maal and any(t.chart for m in report.maal for t in m.tegn)
    back = pickle.loads(pickled((report, Path("x"), {"a": 1})))
    assert back == (report, Path("x"), {"a": 1})
    assert type(back[0].maal[0]) is type(report.maal[0])
    assert back[0].digest == report.digest
    # Dates, enums and dataclasses without slots (the reference) go the usual way.
    from models import enums

    other = (WHEN, enums.Maalopfyldelse.OPFYLDT, status_reference(report, None))
    assert pickle.loads(pickled(other)) == other


def test_a_new_maaling_makes_the_report_outdated_and_says_why_with_one_revision(
    ws: Workspace, tmp_path: Path
) -> None:
    """A måling is in the report but not in its revision (which counts the målplaner and the
    vurderinger): verify says the report is outdated without a revision that contradicts it
    («filen har revision 12, databasen har revision 12»), and says what kind of change it is."""
    _, files = _package(ws, tmp_path / "ud")
    tegn = next(t for m in status_report(ws.database, 2026, WHEN).maal for t in m.tegn)
    Store(ws.database).create("maaling", {"tegn_id": tegn.id, "dato": date(2026, 11, 30)})
    for suffix in (".pdf", ".docx", ".xlsx"):
        result = verify_file(ws.database, files[suffix])
        assert result.status is VerifyStatus.OUTDATED, (suffix, result.message)
        assert result.current is not None and result.reference is not None
        assert result.current.revision == result.reference.revision
        revision = result.reference.revision
        assert f"revision {revision}, databasen har revision {revision}" not in result.message
        assert f"Begge har revision {revision}, for revisionsnummeret tæller kun" in (
            result.message
        )
        assert "en måling eller læring er tilføjet, rettet eller slettet" in result.message
        assert result.message.startswith("Forældet: augustrapporten for 2026 er ændret, siden")
    ref = read_reference(files[".pdf"])
    assert ref is not None
    answer = verify_reference_text(ws.database, ref.text)
    assert "siden referencen blev lavet. Begge har revision" in answer.message


def test_maalinger_and_laering_dated_after_the_report_day_are_left_out_and_said(
    ws: Workspace, tmp_path: Path
) -> None:
    """A måling of 52,5 % typed with the wrong year (15-01-2099) is not the tegn's latest
    måling (which would make the mål look reached), nor a point of its run chart, nor counted;
    a læring so dated is not listed. The export says how many were left out, on the first page,
    beside the tegn and in its result; the reference still checks as current."""
    import openpyxl
    from pypdf import PdfReader

    report = status_report(ws.database, 2026, WHEN)
    maal, tegn = next(
        (m, t) for m in report.maal for t in m.tegn if t.tekst.startswith("Andelen af nye borgere")
    )
    before = (tegn.seneste_dato, tegn.seneste_vaerdi, tegn.maalinger)
    store = Store(ws.database)
    store.create("maaling", {"tegn_id": tegn.id, "dato": date(2099, 1, 15), "vaerdi": 52.5})
    ph = maal.proevehandlinger[0].id
    store.create("laering", {"proevehandling_id": ph, "dato": date(2099, 3, 15), "tekst": "Senere"})
    store.create(
        "evaluering",
        {
            "proevehandling_id": ph,
            "type": "afslutning",
            "dato": date(2099, 6, 1),
            "effekt": "Effekt fra fremtiden",
        },
    )
    after = status_report(ws.database, 2026, WHEN)
    (now,) = [t for m in after.maal for t in m.tegn if t.id == tegn.id]
    assert (now.seneste_dato, now.seneste_vaerdi, now.maalinger, now.senere) == (*before, 1)
    assert now.chart is not None and 52.5 not in [p.vaerdi for p in now.chart.points]
    assert not any(x.tekst == "Senere" for m in after.maal for x in m.laering)
    assert (after.senere_maalinger, after.senere_laering, after.senere_effekter) == (1, 1, 1)
    (pv,) = [p for m in after.maal for p in m.proevehandlinger if p.id == ph]
    assert pv.senere == 1 and "Effekt fra fremtiden" not in [e.effekt for e in pv.effekter]
    said = (
        "1 måling, 1 læring og 1 evaluering er dateret efter den dag, rapporten er lavet, og er "
        "ikke med"
    )
    assert said in after.summary.saetninger[-1]

    package = export_report_package(ws.database, tmp_path / "ud", 2026, ReportOptions(when=WHEN))
    assert said in package.summary
    files = {p.suffix: p for p in package.files}
    pdf = " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(files[".pdf"]).pages
    )
    assert said in pdf and "52,5" not in pdf and "Senere" not in pdf
    assert "Effekt fra fremtiden" not in pdf
    assert "1 evaluering dateret efter rapportens dag er ikke med" in pdf
    assert "1 måling dateret efter rapportens dag er ikke med" in pdf
    assert "1 læring dateret efter rapportens dag er ikke med." in pdf
    rows = openpyxl.load_workbook(files[".xlsx"])["Tegn"].iter_rows(min_row=2, values_only=True)
    (row,) = [r for r in rows if r[2] == tegn.tekst]
    assert (row[6], row[9], row[10]) == (before[1], before[2], 1)
    for suffix in (".pdf", ".docx", ".xlsx"):
        assert verify_file(ws.database, files[suffix]).status is VerifyStatus.CURRENT, suffix
