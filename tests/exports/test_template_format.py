"""The målplanskabelon's format version, and Danish messages for damaged workbooks."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from openpyxl.packaging.custom import IntProperty

from exports.reference import reference_for
from exports.template_import import ImportError_, import_workbook
from exports.xlsx import (
    TEMPLATE_FORMAT_PROPERTY,
    TEMPLATE_FORMAT_VERSION,
    maalplan_xlsx,
    template_xlsx,
)
from models.maalplan_view import load_maalplan
from tui.cli import main

WHEN = date(2027, 1, 31)


def _format_version(data: bytes) -> object:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return next(
        (p.value for p in wb.custom_doc_props.props if p.name == TEMPLATE_FORMAT_PROPERTY), None
    )


def _with_version(data: bytes, path: Path, version: int | None) -> Path:
    """A copy of a workbook with its format version changed (None: property removed)."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    props = wb.custom_doc_props
    for name in [p.name for p in props.props if p.name == TEMPLATE_FORMAT_PROPERTY]:
        del props[name]
    if version is not None:
        props.append(IntProperty(name=TEMPLATE_FORMAT_PROPERTY, value=version))
    wb.save(path)
    return path


def test_exported_workbooks_carry_the_format_version(plan_store):
    store, ids = plan_store
    view = load_maalplan(store.db, ids["plan"])
    assert _format_version(maalplan_xlsx(view, when=WHEN)) == TEMPLATE_FORMAT_VERSION
    assert _format_version(template_xlsx(when=WHEN)) == TEMPLATE_FORMAT_VERSION


def test_newer_format_is_refused_in_danish(plan_store, tmp_path, new_db_target, capsys):
    store, ids = plan_store
    view = load_maalplan(store.db, ids["plan"])
    data = maalplan_xlsx(view, when=WHEN, reference_text=reference_for(view).text)
    newer = _with_version(data, tmp_path / "nyere.xlsx", TEMPLATE_FORMAT_VERSION + 1)
    with pytest.raises(ImportError_, match="nyere udgave af udviklingsdag") as info:
        import_workbook(store, newer, dry_run=True)
    assert f"skabelonformat {TEMPLATE_FORMAT_VERSION + 1}" in str(info.value)
    target = new_db_target("ny")
    assert main(["import", "--db", target, str(newer)]) == 1
    out = capsys.readouterr()
    assert "nyere udgave" in out.out + out.err
    assert "Traceback" not in out.out + out.err
    # The same workbook at the current version, or without the property (hand-made), is read.
    for version, name in ((TEMPLATE_FORMAT_VERSION, "samme.xlsx"), (None, "uden.xlsx")):
        path = _with_version(data, tmp_path / name, version)
        assert main(["import", "--db", target, "--dry-run", str(path)]) == 0
        assert "nyere udgave" not in capsys.readouterr().out


def _damaged(good: bytes) -> bytes:
    """The workbook with bytes inside its first sheet's compressed data flipped."""
    with zipfile.ZipFile(io.BytesIO(good)) as z:
        info = next(i for i in z.infolist() if i.filename.startswith("xl/worksheets/"))
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data = bytearray(good)
    for i in range(start + 10, start + info.compress_size - 10, 13):
        data[i] ^= 0x5A
    return bytes(data)


def test_damaged_workbook_message_is_danish_only(plan_store, tmp_path):
    store, ids = plan_store
    good = maalplan_xlsx(load_maalplan(store.db, ids["plan"]), when=WHEN)
    cases = {
        "vendte.xlsx": _damaged(good),
        "afkortet.xlsx": good[: len(good) // 2],
        "tekst.xlsx": b"ikke en projektmappe",
    }
    for name, content in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(ImportError_) as info:
            import_workbook(store, path, dry_run=True)
        message = str(info.value)
        assert message.startswith(f"{name} kan ikke læses som en Excel-projektmappe"), message
        assert "gem den som .xlsx" in message
        # No English exception text pasted into the sentence.
        for english in ("Error", "error", "File is not", "Bad", "invalid", "zip"):
            assert english not in message, message


def test_other_file_type_is_named(plan_store, tmp_path):
    store, _ids = plan_store
    path = tmp_path / "plan.csv"
    path.write_text("Mål;Tegn\nAlle børn;Hilser\n", encoding="utf-8")
    with pytest.raises(ImportError_, match=r"plan\.csv har ikke endelsen \.xlsx"):
        import_workbook(store, path, dry_run=True)
