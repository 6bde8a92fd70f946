"""Issue 11, «Workbooks without limits»: the workbook import streams and refuses, in well under
a second and in bounded memory, a sheet whose declared or real size is beyond a målplan's (one
cell at XFD1048576, a million rows), a zip bomb, a FIFO and a huge file; `verify` reads at most
a bounded amount of any file. The database is unchanged every time."""

from __future__ import annotations

import io
import os
import re
import threading
import time
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from exports import template_import
from exports.reference import MAX_PROPERTIES_BYTES, read_reference
from exports.template_import import import_workbook
from exports.xlsx import template_xlsx
from models.db import open_database
from models.errors import UdviklingsdagError
from models.store import Store
from tests.reliability._util import db_digest
from tui.cli import main

WHEN = date(2027, 1, 31)
# «Well under a second» on a laptop; the bound leaves room for a loaded test machine.
FAST = 1.0


@pytest.fixture
def store(tmp_path: Path):
    db = open_database(str(tmp_path / "udviklingsdag.db"), device_name="Tovholder")
    yield Store(db)
    db.close()


def _filled(tmp_path: Path) -> openpyxl.Workbook:
    """The app's own template with a plan's name, enhed and year and one mål filled in."""
    path = tmp_path / "skabelon.xlsx"
    path.write_bytes(template_xlsx(when=WHEN))
    wb = openpyxl.load_workbook(path)
    foer = wb["FØR"]
    foer["B3"], foer["B4"], foer["B5"] = "Målplan 2027", "Biblioteket", 2027
    hr = next(r for r in range(3, foer.max_row + 1) if foer.cell(r, 1).value == "Mål nr" and r > 2)
    foer.cell(hr + 1, 1).value = 1
    foer.cell(hr + 1, 2).value = "Flere læser."
    foer.cell(hr + 1, 4).value = "Flere unge låner bøger."
    return wb


def _save(wb: openpyxl.Workbook, path: Path) -> Path:
    wb.save(path)
    return path


def _replace_member(path: Path, name_re: str, make: Callable[[bytes], bytes]) -> Path:
    """Rewrite the first member whose name matches `name_re`, keeping the rest."""
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    done = False
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for info in src.infolist():
            data = src.read(info)
            if not done and re.fullmatch(name_re, info.filename):
                data, done = make(data), True
            zf.writestr(info.filename, data)
    assert done
    path.write_bytes(out.getvalue())
    return path


def _sheet_member(path: Path, title: str) -> str:
    """The zip member of the sheet called `title`."""
    with zipfile.ZipFile(path) as zf:
        book = zf.read("xl/workbook.xml").decode()
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{re.escape(title)}"[^>]*r:id="([^"]+)"', book)
    assert rid, book[:500]
    target = re.search(rf'Id="{rid.group(1)}"[^>]*Target="([^"]+)"', rels) or re.search(
        rf'Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels
    )
    assert target
    name = target.group(1).lstrip("/")
    return name if name.startswith("xl/") else f"xl/{name}"


def _refused_fast(store: Store, path: Path, *words: str) -> tuple[str, float]:
    before = db_digest(store.db.target)
    started = time.perf_counter()
    with pytest.raises(UdviklingsdagError) as info:
        import_workbook(store, path)
    elapsed = time.perf_counter() - started
    message = str(info.value)
    for word in words:
        assert word in message, message
    assert db_digest(store.db.target) == before
    return message, elapsed


def test_one_cell_at_xfd1048576_is_refused_at_once(store: Store, tmp_path: Path) -> None:
    """The issue's file: a 16 KB workbook with one cell at XFD1048576 ran for a minute and took
    5 GB before a MemoryError."""
    wb = _filled(tmp_path)
    wb["UNDER udviklingsdage del 1"]["XFD1048576"] = "x"
    path = _save(wb, tmp_path / "xfd.xlsx")
    assert path.stat().st_size < 40_000
    message, elapsed = _refused_fast(
        store, path, "«UNDER udviklingsdage del 1»", "for stort", "XFD1048576", "Intet er indlæst"
    )
    assert elapsed < FAST, elapsed
    assert "udviklingsdag template" in message  # says what to do


def test_a_sheet_that_understates_its_size_is_refused_on_its_real_size(
    store: Store, tmp_path: Path
) -> None:
    """The same cell, with a <dimension> that claims the sheet ends at I50: the real size is
    what counts (openpyxl read-only would otherwise stop silently at row 50)."""
    wb = _filled(tmp_path)
    wb["EFTER"]["XFD1048576"] = "x"
    path = _save(wb, tmp_path / "lyver.xlsx")
    member = _sheet_member(path, "EFTER")
    _replace_member(
        path,
        re.escape(member),
        lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:I50"', xml),
    )
    _message, elapsed = _refused_fast(store, path, "«EFTER»", "række nr. 1.048.576")
    assert elapsed < FAST, elapsed


def _million_rows(row: Callable[[int], bytes]) -> Callable[[bytes], bytes]:
    def make(xml: bytes) -> bytes:
        start = xml.index(b"<sheetData")
        end = xml.index(b"</sheetData>") + len(b"</sheetData>") if b"</sheetData>" in xml else None
        if end is None:  # an empty sheet: <sheetData/>
            end = xml.index(b"/>", start) + 2
        body = b"".join(row(n) for n in range(1, 1_000_001))
        return xml[:start] + b"<sheetData>" + body + b"</sheetData>" + xml[end:]

    return make


def test_a_million_row_sheet_is_refused_while_streaming(store: Store, tmp_path: Path) -> None:
    """A million rows (within the unpacked-size limit, rows without numbers, no <dimension>
    to warn): the reading stops at the first row past the limit."""
    path = _save(_filled(tmp_path), tmp_path / "million.xlsx")
    member = _sheet_member(path, "EFTER")

    def no_dimension(make: Callable[[bytes], bytes]) -> Callable[[bytes], bytes]:
        return lambda xml: re.sub(rb"<dimension [^>]*/>", b"", make(xml))

    _replace_member(
        path,
        re.escape(member),
        no_dimension(_million_rows(lambda n: b"<row><c><v>1</v></c></row>")),
    )
    _message, elapsed = _refused_fast(store, path, "«EFTER»", "for stort", "række nr. 20.001")
    assert elapsed < FAST, elapsed


def test_a_million_numbered_rows_are_refused_before_unpacking(store: Store, tmp_path: Path) -> None:
    path = _save(_filled(tmp_path), tmp_path / "million2.xlsx")
    member = _sheet_member(path, "FØR")
    _replace_member(
        path,
        re.escape(member),
        _million_rows(lambda n: b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (n, n, n)),
    )
    _message, elapsed = _refused_fast(store, path, "fylder urimeligt meget, når den pakkes ud")
    assert elapsed < FAST, elapsed


def test_rows_up_to_the_limit_are_read(store: Store, tmp_path: Path) -> None:
    """The limit is far above a real målplan: a sheet with rows near the limit imports."""
    wb = _filled(tmp_path)
    ws = wb["UNDER udviklingsdage del 1"]
    ws.cell(template_import.MAX_ROWS, 1).value = "en note langt nede"
    path = _save(wb, tmp_path / "lang.xlsx")
    report = import_workbook(store, path, dry_run=True)
    assert report.counts["maal"] == 1
    ws.cell(template_import.MAX_ROWS + 1, 1).value = "en række for meget"
    path = _save(wb, tmp_path / "for-lang.xlsx")
    message, _elapsed = _refused_fast(store, path, "for stort")
    assert str(template_import.MAX_ROWS + 1) in message.replace(".", "")


def test_zip_bomb_is_refused_before_anything_is_unpacked(store: Store, tmp_path: Path) -> None:
    path = _save(_filled(tmp_path), tmp_path / "bombe.xlsx")
    size = template_import.MAX_MEMBER_BYTES + 1
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("xl/media/bombe.bin", b"\0" * size)
    assert path.stat().st_size < 200_000
    _message, elapsed = _refused_fast(store, path, "bombe.bin", "pakkes ud")
    assert elapsed < FAST, elapsed


def test_too_many_parts_together_are_refused(store: Store, tmp_path: Path) -> None:
    path = _save(_filled(tmp_path), tmp_path / "mange.xlsx")
    part = template_import.MAX_MEMBER_BYTES // 2
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for n in range(template_import.MAX_UNPACKED_BYTES // part + 1):
            zf.writestr(f"xl/media/del{n}.bin", b"\0" * part)
    _refused_fast(store, path, "fylder urimeligt meget, når den pakkes ud")


def test_huge_file_is_refused_unread(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "kaempe.xlsx"
    with path.open("wb") as fh:
        fh.write(b"PK\x03\x04")
        fh.truncate(template_import.MAX_FILE_BYTES + 1)  # sparse: nothing is written
    _message, elapsed = _refused_fast(store, path, "urimeligt stor")
    assert elapsed < FAST


def _finishes(fn: Callable[[], object], fifo: Path, seconds: float = 5.0) -> BaseException | None:
    """Run `fn` in a thread; if it hangs on the FIFO, unblock it and fail the test."""
    result: list[BaseException | None] = []

    def run() -> None:
        try:
            fn()
            result.append(None)
        except BaseException as exc:  # handed to the test
            result.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
        thread.join(5)
        pytest.fail("the reader waited on a FIFO")
    return result[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_fifo_is_refused_without_waiting(store: Store, tmp_path: Path, capsys) -> None:
    before = db_digest(store.db.target)
    for name in ("roer.xlsx", "roer.docx", "roer.pdf"):
        fifo = tmp_path / name
        os.mkfifo(fifo)
        if name.endswith(".xlsx"):
            exc = _finishes(lambda f=fifo: import_workbook(store, f), fifo)
        else:
            exc = _finishes(lambda f=fifo: read_reference(f), fifo)
        assert isinstance(exc, UdviklingsdagError), exc
        assert "ikke en almindelig fil" in str(exc)
    assert db_digest(store.db.target) == before
    # And on the command line: exit code 1, a Danish line, no traceback.
    fifo = tmp_path / "roer.xlsx"
    code = _finishes(lambda: main(["import", "--db", store.db.target, str(fifo)]), fifo)
    assert code is None
    assert "ikke en almindelig fil" in capsys.readouterr().err


def test_verify_refuses_properties_that_unpack_to_too_much(tmp_path: Path) -> None:
    """`verify` read a docx's properties whole (the issue's file unpacked to 5 GB)."""
    path = tmp_path / "bombe.docx"
    core = b'<?xml version="1.0"?><cp:coreProperties>' + b" " * (MAX_PROPERTIES_BYTES + 1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("docProps/core.xml", core)
    started = time.perf_counter()
    with pytest.raises(UdviklingsdagError, match="pakkes ud"):
        read_reference(path)
    assert time.perf_counter() - started < FAST


def test_verify_stops_reading_at_the_limit_whatever_the_header_says(tmp_path: Path) -> None:
    """A member whose header understates its size: never more than the limit is read."""
    path = tmp_path / "lyver.docx"
    big = b"A" * (MAX_PROPERTIES_BYTES * 4)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("docProps/core.xml", big)
    data = bytearray(path.read_bytes())
    # Patch the declared uncompressed size (local header and central directory) to 100 bytes.
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.index(sig)
        data[at + offset : at + offset + 4] = (100).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(UdviklingsdagError):
        read_reference(path)


def test_verify_refuses_a_huge_file(tmp_path: Path) -> None:
    from exports.reference import MAX_VERIFY_BYTES

    path = tmp_path / "kaempe.pdf"
    with path.open("wb") as fh:
        fh.write(b"%PDF-1.7\n")
        fh.truncate(MAX_VERIFY_BYTES + 1)
    with pytest.raises(UdviklingsdagError, match="urimeligt stor"):
        read_reference(path)


def test_merged_cells_and_formulas_still_read_streaming(store: Store, tmp_path: Path) -> None:
    """Read-only mode has no merged cells of its own: the ranges come from the sheet's XML,
    and a formula's saved result is used."""
    wb = _filled(tmp_path)
    del1 = wb["UNDER udviklingsdage del 1"]
    hr = next(r for r in range(3, del1.max_row + 1) if del1.cell(r, 1).value == "Mål nr")
    del1.cell(hr + 1, 1).value = 1
    del1.cell(hr + 2, 1).value = None
    del1.merge_cells(start_row=hr + 1, start_column=1, end_row=hr + 2, end_column=1)
    del1.cell(hr + 1, 4).value = "Første tegn"
    del1.cell(hr + 2, 4).value = "Andet tegn"
    path = _save(wb, tmp_path / "flettet.xlsx")
    report = import_workbook(store, path, dry_run=True)
    assert not report.errors, [i.text() for i in report.errors]
    assert report.counts["tegn"] == 2
