"""The August status as documents (exports/status_report_docs.py): the demo's report as PDF/A
and .docx, their content read back as text (first page, roll-ups, assessments, run charts), a
chart page rendered (pdftoppm) and not blank, the CLI `export augustrapport`, and Ctrl+E on
the August screen (screens/vurdering.py) at 80x24 and 120x40."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import docx
import pytest
from PIL import Image
from pypdf import PdfReader

from exports.atomic import ExportError
from exports.status_report_package import ReportOptions, export_report_package, report_stem
from models.db import open_database
from models.demo import build_demo
from models.status_report import StatusReport, TegnStatus, status_report
from models.store import Store
from tui.cli import main

WHEN = date(2026, 12, 6)
PDFTOPPM = shutil.which("pdftoppm")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, StatusReport, list[Path]]:
    folder = tmp_path_factory.mktemp("augustrapport")
    path = folder / "demo.db"
    db = open_database(str(path), device_name="Testbærbar")
    try:
        build_demo(Store(db))
        report = status_report(db, 2026, WHEN)
        package = export_report_package(db, folder / "ud", 2026, ReportOptions(when=WHEN))
        written = [p for p in package.files if p.suffix in (".pdf", ".docx")]
    finally:
        db.close()
    return path, report, written


def _squash(text: str) -> str:
    return " ".join(text.split())


def _pdf_pages(path: Path) -> list[str]:
    return [_squash(p.extract_text()) for p in PdfReader(str(path)).pages]


def _docx_text(path: Path) -> tuple[str, int]:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    pictures = len(document.inline_shapes)
    return _squash("\n".join(parts)), pictures


def test_files_are_named_and_written(demo: tuple[Path, StatusReport, list[Path]]) -> None:
    _, _, written = demo
    stem = report_stem(2026, WHEN)
    assert stem == "2026-12-06_Augustrapport_2026"
    assert [p.name for p in written] == [f"{stem}.pdf", f"{stem}.docx"]
    assert written[0].parent.name == stem  # the package's folder
    assert written[0].read_bytes().startswith(b"%PDF")
    assert b"pdfaid:part" in written[0].read_bytes()  # PDF/A metadata


def test_pdf_holds_the_status(demo: tuple[Path, StatusReport, list[Path]]) -> None:
    _, report, written = demo
    pages = _pdf_pages(written[0])
    first = pages[0]
    assert first.startswith("Status på målsætningerne 2026")
    assert report.summary.saetninger
    for sentence in report.summary.saetninger:
        assert _squash(sentence) in first
    assert "Samlet vurdering pr. målsætning" in first
    everything = " ".join(pages)
    for ms in report.maalsaetninger:
        assert _squash(ms.rollup.text()) in first
        assert f"Samlet: {_squash(ms.rollup.text())}" in everything
    assessed = [m for m in report.maal if m.vurdering and m.vurdering.begrundelse]
    assert assessed
    for m in assessed:
        assert m.vurdering is not None and m.vurdering.begrundelse
        assert _squash(m.vurdering.begrundelse) in everything
        assert _squash(m.tekst) in everything
    assert "Vurdering: Opfyldt" in everything
    # The run charts: their heading and legend words, and the periods of the prøvehandlinger
    # labelled with the number the mål's prøvehandling table gives them.
    for word in ("Målinger:", "Målt", "Median", "Udgangspunkt", "Forventet niveau"):
        assert word in everything
    followed = [
        m
        for m in report.maal
        for t in m.tegn
        if t.chart is not None and t.maalinger and t.chart.periods
    ]
    assert followed
    assert "Prøvehandling 1" in everything
    # A prøvehandling's evaluated effect and a læring.
    effekter = [e.effekt for m in report.maal for p in m.proevehandlinger for e in p.effekter]
    assert effekter and _squash(effekter[0]) in everything
    laering = [line.tekst for m in report.maal for line in m.laering]
    assert laering and _squash(laering[0]) in everything


@pytest.mark.skipif(PDFTOPPM is None, reason="pdftoppm is not installed")
def test_chart_page_is_not_blank(
    demo: tuple[Path, StatusReport, list[Path]], tmp_path: Path
) -> None:
    _, _, written = demo
    pages = _pdf_pages(written[0])
    number = next(i for i, text in enumerate(pages, 1) if "Målinger:" in text)
    prefix = tmp_path / "side"
    page = str(number)
    command = [str(PDFTOPPM), "-r", "40", "-png", "-f", page, "-l", page, str(written[0])]
    subprocess.run(
        [*command, str(prefix)],
        check=True,
        timeout=60,
    )
    (png,) = list(tmp_path.glob("side*.png"))
    image = Image.open(png).convert("L")
    dark = sum(image.histogram()[:200])
    assert dark > image.width * image.height * 0.01
    # Colour: the chart's lines are not only black text.
    rgb = Image.open(png).convert("RGB")
    _, high = rgb.convert("HSV").split()[1].getextrema()
    assert isinstance(high, int) and high > 60


def test_docx_holds_the_status(demo: tuple[Path, StatusReport, list[Path]]) -> None:
    _, report, written = demo
    text, pictures = _docx_text(written[1])
    assert "Status på målsætningerne 2026" in text
    for sentence in report.summary.saetninger:
        assert _squash(sentence) in text
    for ms in report.maalsaetninger:
        assert _squash(ms.rollup.text()) in text
    for m in report.maal:
        if m.vurdering and m.vurdering.begrundelse:
            assert _squash(m.vurdering.begrundelse) in text
    assert "Målinger:" in text
    charts = sum(1 for m in report.maal for t in m.tegn if t.chart is not None and t.maalinger)
    assert charts and pictures == charts + 1  # and the QR code on the first page
    document = docx.Document(str(written[1]))
    images = [r.target_part for r in document.part.rels.values() if "image" in r.reltype]
    assert len(images) == charts + 1
    # The run charts are vector pictures (EMF), the QR code a black and white PNG.
    emf = [i for i in images if i.content_type == "image/x-emf"]
    assert len(emf) == charts
    assert all(i.blob[:4] == b"\x01\0\0\0" and i.blob[40:44] == b" EMF" for i in emf)
    (qr,) = [Image.open(io.BytesIO(i.blob)) for i in images if i not in emf]
    assert qr.format == "PNG" and qr.mode in ("1", "L")
    props = document.core_properties
    assert props.language == "da-DK" and props.title == "Status på målsætningerne 2026"


def test_year_without_plans(demo: tuple[Path, StatusReport, list[Path]], tmp_path: Path) -> None:
    path = demo[0]
    db = open_database(str(path), device_name="Testbærbar")
    try:
        with pytest.raises(ExportError, match="ingen målplaner for 1999"):
            export_report_package(db, tmp_path / "tom", 1999, ReportOptions(when=WHEN))
    finally:
        db.close()
    assert not (tmp_path / "tom").exists()


def test_cli(
    demo: tuple[Path, StatusReport, list[Path]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "kopi.db"
    shutil.copyfile(demo[0], copy)
    out = tmp_path / "rapport"
    argv = ["export", "augustrapport", "--db", str(copy), str(out)]
    assert main([*argv, "--aar", "2026"]) == 0
    said = capsys.readouterr().out
    assert "Augustrapporten for 2026 er skrevet" in said
    (folder,) = out.iterdir()
    assert folder.name.endswith("_Augustrapport_2026")
    documents = [p for p in folder.iterdir() if p.suffix in (".pdf", ".docx", ".xlsx")]
    assert sorted(p.suffix for p in documents) == [".docx", ".pdf", ".xlsx"]
    assert all(p.stat().st_size > 1000 for p in documents)
    assert main([*argv, "--aar", "1999"]) == 1
    assert "ingen målplaner for 1999" in capsys.readouterr().err


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_ctrl_e_on_the_august_screen_writes_the_report(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    from tests.tui.helpers import assert_all_reachable, run_async, settle
    from tests.tui.test_vurdering import _app, _open, with_demo

    @run_async
    async def scenario() -> None:
        from textual.widgets import Input, Label

        from screens.vurdering import ReportFolderScreen, VurderingScreen

        with_demo(tmp_path / "d.db")
        app = _app(tmp_path / "d.db")
        out = tmp_path / "rapport"
        async with app.run_test(size=size) as pilot:
            await _open(app, pilot)
            await pilot.press("ctrl+e")
            await settle(app, pilot)
            dialog = app.screen
            assert isinstance(dialog, ReportFolderScreen)
            await assert_all_reachable(
                pilot,
                "#vurdering-outdir",
                "#vurdering-sagsnummer",
                "#vurdering-export-ok",
                "#vurdering-export-cancel",
            )
            field = dialog.query_one("#vurdering-outdir", Input)
            assert field.value  # prefilled with the export folder
            field.value = ""
            await pilot.press("enter")
            await settle(app, pilot)
            error = dialog.query_one("#vurdering-outdir-error", Label)
            assert "Skriv, hvilken mappe" in str(error.render())
            assert not out.exists()
            field.focus()
            await pilot.press(*str(out))
            # A case number that is not one is refused in the dialog, in Danish.
            case = dialog.query_one("#vurdering-sagsnummer", Input)
            case.value = "sag 12"
            await pilot.press("enter")
            await settle(app, pilot)
            assert "ikke et gyldigt sagsnummer" in str(
                dialog.query_one("#vurdering-sagsnummer-error", Label).render()
            )
            assert app.screen is dialog and not out.exists()
            case.value = "00.01.00-G01-12-26"
            await pilot.press("enter")
            await settle(app, pilot)
            await app.workers.wait_for_complete()
            await settle(app, pilot)
            assert isinstance(app.screen, VurderingScreen)
            stem = "2026-12-03_Augustrapport_2026"
            assert [p.name for p in out.iterdir()] == [stem]
            assert sorted(p.name for p in (out / stem).iterdir()) == [
                f"{stem}.docx",
                f"{stem}.pdf",
                f"{stem}.xlsx",
                "journalisering.json",
                "journalisering.txt",
            ]
            meta = json.loads((out / stem / "journalisering.json").read_text("utf-8"))
            assert meta["Sagsnummer"] == "00.01.00-G01-12-26"
            # Esc closes the dialog without writing; the case number is remembered.
            await pilot.press("ctrl+e")
            await settle(app, pilot)
            assert isinstance(app.screen, ReportFolderScreen)
            assert app.screen.query_one("#vurdering-sagsnummer", Input).value == (
                "00.01.00-G01-12-26"
            )
            await pilot.press("escape")
            await settle(app, pilot)
            assert isinstance(app.screen, VurderingScreen)

    scenario()


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None or PDFTOPPM is None, reason="LibreOffice is not installed")
def test_docx_renders_in_libreoffice(
    demo: tuple[Path, StatusReport, list[Path]], tmp_path: Path
) -> None:
    _, report, written = demo
    profile = (tmp_path / "lo-profile").as_uri()
    convert = [str(SOFFICE), f"-env:UserInstallation={profile}", "--headless"]
    subprocess.run(
        [*convert, "--convert-to", "pdf", "--outdir", str(tmp_path), str(written[1])],
        check=True,
        timeout=180,
        capture_output=True,
    )
    rendered = tmp_path / f"{written[1].stem}.pdf"
    pages = _pdf_pages(rendered)
    assert pages[0].startswith("Status på målsætningerne 2026")
    assert _squash(report.summary.saetninger[0]) in pages[0]
    number = next(i for i, text in enumerate(pages, 1) if "Målinger:" in text)
    page = str(number)
    command = [str(PDFTOPPM), "-r", "40", "-png", "-f", page, "-l", page, str(rendered)]
    subprocess.run([*command, str(tmp_path / "lo")], check=True, timeout=60)
    (png,) = list(tmp_path.glob("lo*.png"))
    _, high = Image.open(png).convert("RGB").convert("HSV").split()[1].getextrema()
    assert isinstance(high, int) and high > 60  # the chart's colours are on the page


def test_a_percentage_tegn_shows_its_latest_maaling_in_percent(
    demo: tuple[Path, StatusReport, list[Path]],
) -> None:
    """Beside «udgangspunkt 7,9 %» the latest måling is «7,1 %» in both documents, not a bare
    «7,1» that a council member could read as a count; a tegn counted in numbers keeps its bare
    number."""
    _, report, written = demo
    tegn = [t for m in report.maal for t in m.tegn if t.seneste_vaerdi is not None]
    percent = [t for t in tegn if "%" in (t.baseline or "") + (t.forventet_niveau or "")]
    counted = [t for t in tegn if t not in percent]
    assert percent and counted
    text, _ = _docx_text(written[1])
    pages = " ".join(_pdf_pages(written[0]))

    def shown(t: TegnStatus, unit: str) -> str:
        assert t.seneste_vaerdi is not None and t.seneste_dato is not None
        value = f"{t.seneste_vaerdi:.2f}".rstrip("0").rstrip(".").replace(".", ",")
        day = t.seneste_dato
        return f"{value}{unit} ({day.day}-{day.month}-{day.year})"

    for t in percent:
        assert shown(t, " %") in text and shown(t, " %") in pages
    for t in counted:
        assert shown(t, "") in text and shown(t, " %") not in text


def test_the_percent_unit_is_decided_by_the_baseline() -> None:
    """«120 elever» with «10 % færre» expected counts pupils (a måling of 130 is no «130 %»);
    a baseline without a number leaves it to the expected level; «pct.» and «procent» count."""
    from exports.status_report_docs import _unit

    def unit(baseline: str | None, forventet: str | None) -> str:
        t = TegnStatus("t", "Tegn", "kvantitativ", baseline, forventet, 1, WHEN, 1.0, None)
        return _unit(t)

    assert unit("18 %", "30 %") == " %"
    assert unit("7,9 % sygefravær", None) == " %"
    assert unit("120 elever", "10 % færre") == ""
    assert unit("3 ud af 10", "50 %") == ""
    assert unit(None, "45 pct.") == " %"
    assert unit("ingen data endnu", "60 procent") == " %"
    assert unit(None, None) == ""


def test_evaluation_laering_and_plan_laering_are_where_they_belong(
    demo: tuple[Path, StatusReport, list[Path]],
) -> None:
    """The læring a tovholder writes in an evaluering's «Læring» field reaches the report
    (dated by the evaluering, saying where it is from), and the læring of a målplan as a whole
    stands once for the plan, not under each of its mål (the sick-leave mål got the training
    mål's plan læring)."""
    import openpyxl

    _, report, written = demo
    fra_evaluering = "Det fælles første besøg bliver en fast del af opstarten fra 2027."
    plan_laering = "Borgerne træner mere, når målet er deres eget."
    owners = [m for m in report.maal for line in m.laering if line.tekst == fra_evaluering]
    assert len(owners) == 1
    (line,) = [x for x in owners[0].laering if x.tekst == fra_evaluering]
    assert (line.dato, line.evaluering) == (date(2026, 9, 16), "afslutning")
    assert not any(x.tekst.startswith(plan_laering) for m in report.maal for x in m.laering)
    (plan,) = [p for p in report.planlaering if p.enhed_navn == "Hjemmeplejen"]
    assert [x.tekst.startswith(plan_laering) for x in plan.laering].count(True) == 1
    # Every mål of the plan still knows it (the «Vurdér målet» dialog says it is the plan's).
    assert all(
        m.plan_laering == plan.laering for m in report.maal if m.maalplan_id == plan.maalplan_id
    )
    pdf = " ".join(_pdf_pages(written[0]))
    word, _ = _docx_text(written[1])
    for text in (pdf, word):
        assert f"16-9-2026: {fra_evaluering} (fra evalueringen ved afslutning af «" in text
        assert text.count(plan_laering) == 1
        assert "Læring for hele målplanen" in text
    workbook = openpyxl.load_workbook(written[0].with_suffix(".xlsx"))
    rows = list(workbook["Læring"].iter_rows(min_row=2, values_only=True))
    assert next(r for r in rows if r[3] == fra_evaluering)[6] == "Evaluering ved afslutning"
    (whole,) = [r for r in rows if str(r[3]).startswith(plan_laering)]
    assert whole[0] == "Hjemmeplejen" and str(whole[1]).startswith("Hele målplanen: ")


def test_the_first_pages_table_says_each_maalsaetnings_politik(
    demo: tuple[Path, StatusReport, list[Path]],
) -> None:
    """Page 1's table names the politik (or the budget agreement) of every målsætning, as the
    workbook's Oversigt does: the budget målsætning is marked as such where a council member
    reads first."""
    _, report, written = demo
    first = _pdf_pages(written[0])[0]
    word, _ = _docx_text(written[1])
    assert "Politik Målsætning Mål Samlet vurdering" in first
    budget = report.politikker[-1]
    assert budget.navn == "Budgetaftale"
    assert f"Budgetaftale {_squash(budget.maalsaetninger[0].tekst)}" in first
    assert f"Budgetaftale {_squash(budget.maalsaetninger[0].tekst)}" in word
