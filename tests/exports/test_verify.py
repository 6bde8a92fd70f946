"""verify's answers (aktuel, forældet, ukendt; ændret and ikke sammenlignet in test_verify_copies),
from the API and the command line."""

from __future__ import annotations

from datetime import date

import docx
import openpyxl
import pytest

from exports.reference import (
    EXIT_CODES,
    Reference,
    VerifyStatus,
    parse_reference,
    read_reference,
    render_link,
    verify_file,
)
from exports.sbsys import ExportOptions, export_sbsys
from models.errors import UdviklingsdagError, ValidationError
from models.maalplan_view import load_maalplan
from tui.cli import main

BOTH_BACKENDS = True


@pytest.fixture
def exported(plan_store, tmp_path):
    store, ids = plan_store
    result = export_sbsys(
        store.db, tmp_path / "ud", [ids["plan"]], ExportOptions(when=date(2027, 1, 31))
    )
    return store, ids, result.packages[0]


def test_current_then_outdated(exported):
    store, ids, pkg = exported
    for path in pkg.files:
        if path.suffix in (".docx", ".xlsx", ".pdf"):
            result = verify_file(store.db, path)
            assert result.status is VerifyStatus.CURRENT, path
            assert result.message.startswith("Aktuel")
    store.update("tegn", ids["t1"], tekst="Et nyt tegn")
    for path in pkg.files:
        if path.suffix in (".docx", ".xlsx", ".pdf"):
            result = verify_file(store.db, path)
            assert result.status is VerifyStatus.OUTDATED, path
            assert "ændret" in result.message
            assert result.current.revision > result.reference.revision


def test_revision_changes_but_content_same_is_current(exported):
    store, ids, pkg = exported
    store.update("maalplan", ids["plan"], ansvarlig="Midlertidig")
    store.update("maalplan", ids["plan"], ansvarlig="Åse Øster")
    result = verify_file(store.db, pkg.files[0])
    assert result.status is VerifyStatus.CURRENT
    assert "indholdet er det samme" in result.message


def test_unknown_without_reference_or_plan(exported, tmp_path):
    store, ids, pkg = exported
    plain = tmp_path / "fremmed.xlsx"
    openpyxl.Workbook().save(plain)
    assert verify_file(store.db, plain).status is VerifyStatus.UNKNOWN
    other = tmp_path / "fremmed.docx"
    docx.Document().save(other)
    assert verify_file(store.db, other).status is VerifyStatus.UNKNOWN
    store.delete("maalplan", ids["plan"])
    result = verify_file(store.db, pkg.files[0])
    assert result.status is VerifyStatus.UNKNOWN
    assert "findes ikke" in result.message


def test_cli_exit_codes(exported, db_target, capsys):
    store, ids, pkg = exported
    pdf = next(p for p in pkg.files if p.suffix == ".pdf")
    assert main(["verify", "--db", db_target, str(pdf)]) == EXIT_CODES[VerifyStatus.CURRENT]
    assert "Aktuel" in capsys.readouterr().out
    store.update("maal", ids["m2"], tekst="Et andet mål")
    assert main(["verify", "--db", db_target, str(pdf)]) == 3
    assert "Forældet" in capsys.readouterr().out
    store.delete("maalplan", ids["plan"])
    assert main(["verify", "--db", db_target, "--json", str(pdf)]) == 4
    assert '"svar": "ukendt"' in capsys.readouterr().out
    assert main(["verify", "--db", db_target, str(pdf.with_name("findes-ikke.pdf"))]) == 1
    assert "findes ikke" in capsys.readouterr().err


def test_bad_files(tmp_path):
    broken = tmp_path / "x.docx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(UdviklingsdagError, match="ikke en gyldig"):
        read_reference(broken)
    txt = tmp_path / "x.txt"
    txt.write_text("hej")
    with pytest.raises(UdviklingsdagError, match=r"kun \.docx"):
        read_reference(txt)


def test_reference_text_round_trip_and_link_template(plan_store):
    store, ids = plan_store
    view = load_maalplan(store.db, ids["plan"])
    ref = Reference(view.id, 12, view.digest, "https://x.dk/s")
    assert ref.text == ref.text.upper()
    assert parse_reference(ref.qr_payload) == ref
    assert render_link("https://x.dk/{sagsnummer}?r={rev}", view) == (
        f"https://x.dk/00.01.00-G01-12-27?r={view.revision}"
    )
    with pytest.raises(ValidationError, match="pladsholderne"):
        render_link("https://x.dk/{ukendt}", view)
