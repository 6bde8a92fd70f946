"""`udviklingsdag export sbsys` and `template` from the command line."""

from __future__ import annotations

import json

import openpyxl

from exports.xlsx import SHEETS
from tui.cli import main

BOTH_BACKENDS = True


def test_export_sbsys_all_and_one(plan_store, tmp_path, db_target, capsys):
    _store, ids = plan_store
    out = tmp_path / "ud"
    assert main(["export", "sbsys", "--db", db_target, str(out), "--zip", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["pakker"]) == 2
    assert all(p["zip"] for p in data["pakker"])
    assert (
        main(
            [
                "export",
                "sbsys",
                "--db",
                db_target,
                str(tmp_path / "en"),
                "--maalplan",
                ids["empty"],
                "--dokumentart",
                "Notat",
                "--dropfil",
            ]
        )
        == 0
    )
    text = capsys.readouterr().out
    assert "1 målplan er eksporteret" in text
    folder = next((tmp_path / "en").iterdir())
    meta = json.loads((folder / "journalisering.json").read_text(encoding="utf-8"))
    assert meta["DokumentArt"] == "Notat"
    assert (folder / "SbsysDropFile.xml").exists()


def test_export_errors_are_danish(plan_store, tmp_path, db_target, capsys):
    assert (
        main(
            [
                "export",
                "sbsys",
                "--db",
                db_target,
                str(tmp_path),
                "--maalplan",
                "00000000-0000-4000-8000-000000000000",
            ]
        )
        == 1
    )
    assert "findes ikke" in capsys.readouterr().err
    assert main(["export", "sbsys", "--db", db_target, str(tmp_path), "--dokumentart", " "]) == 1
    assert "dokumentart" in capsys.readouterr().err.lower()


def test_template(tmp_path, db_target, capsys):
    target = tmp_path / "skabelon.xlsx"
    assert main(["template", "--db", db_target, str(target)]) == 0
    assert "udviklingsdag import" in capsys.readouterr().out
    assert openpyxl.load_workbook(target).sheetnames == ["Vejledning", *SHEETS]
    assert main(["template", str(tmp_path / "forkert.txt")]) == 1


def test_qr_link_template_is_checked_and_saved(plan_store, tmp_path, db_target, capsys):
    store, ids = plan_store
    assert (
        main(
            [
                "export",
                "sbsys",
                "--db",
                db_target,
                str(tmp_path / "a"),
                "--qr-link",
                "ftp://x/{sagsnummer}",
            ]
        )
        == 1
    )
    assert "https://" in capsys.readouterr().err
    assert (
        main(
            [
                "export",
                "sbsys",
                "--db",
                db_target,
                str(tmp_path / "b"),
                "--maalplan",
                ids["plan"],
                "--qr-link",
                "https://sbsys.eksempel.dk/sag/{sagsnummer}",
            ]
        )
        == 0
    )
    folder = next((tmp_path / "b").iterdir())
    meta = json.loads((folder / "journalisering.json").read_text(encoding="utf-8"))
    assert meta["Maalplan"]["Link"] == "https://sbsys.eksempel.dk/sag/00.01.00-G01-12-27"
    assert store.get_setting("export.qr_link_template").endswith("{sagsnummer}")
