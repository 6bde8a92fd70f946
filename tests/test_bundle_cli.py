"""The end-to-end path on the command line: a pack exported, imported on two "laptops" (two
database files), edited there through the app's API, handoff files merged back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models.conflicts import open_conflicts
from models.db import open_database
from models.store import Store
from tests.test_merge import build_tovholder, dump
from tui.cli import main

BOTH_BACKENDS = True


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_pack_out_handoffs_back(tmp_path: Path, db_target: str, capsys: pytest.CaptureFixture[str]):
    tov_path, pack = db_target, tmp_path / "pakke.udviklingsdag.json"
    tov = open_database(str(tov_path), device_name="Tovholder")
    ids = build_tovholder(Store(tov))
    tov.close()

    code, out, _ = _run(
        capsys, "bundle", "export", "--db", str(tov_path), "--pack", "--dag", ids["dag"], str(pack)
    )
    assert code == 0 and "Workshop-pakke fra «Tovholder»" in out

    handoffs = []
    for n, text in ((1, "Mål 1 set fra bord 1"), (2, "Mål 1 set fra bord 2")):
        laptop = tmp_path / f"bord{n}.db"
        open_database(str(laptop), device_name=f"Bord {n}").close()
        code, out, _ = _run(capsys, "bundle", "import", "--db", str(laptop), "--json", str(pack))
        result = json.loads(out)
        assert code == 0 and result["known"] == 0 and result["new"] == result["received"] > 0
        db = open_database(str(laptop))
        store = Store(db)
        store.update("maal", ids["m1"], tekst=text)
        store.create("tegn", maal_id=ids["m2"], tekst=f"Tegn fra bord {n}")
        db.close()
        handoff = tmp_path / f"bord{n}.udviklingsdag.json"
        code, out, _ = _run(capsys, "bundle", "export", "--db", str(laptop), "--json", str(handoff))
        assert code == 0 and json.loads(out)["kind"] == "handoff"
        handoffs.append(handoff)

    before = dump(open_database(str(tov_path)))
    code, out, _ = _run(
        capsys,
        "bundle",
        "import",
        "--db",
        str(tov_path),
        "--dry-run",
        "--json",
        *map(str, handoffs),
    )
    assert code == 0 and json.loads(out)["dry_run"] is True
    assert dump(open_database(str(tov_path))) == before

    code, out, _ = _run(
        capsys,
        "bundle",
        "import",
        "--db",
        str(tov_path),
        "--json",
        str(handoffs[0]),
        str(handoffs[1]),
        str(handoffs[0]),
    )
    result = json.loads(out)
    assert code == 0
    one = result["files"][0]["received"]
    assert result["received"] == 2 * one + result["files"][1]["received"]
    assert result["known"] == one
    assert result["new"] == result["received"] - result["known"]
    assert result["conflicts"] == 1
    db = open_database(str(tov_path))
    (conflict,) = open_conflicts(db)
    assert {s.shown for s in conflict.sides} == {"Mål 1 set fra bord 1", "Mål 1 set fra bord 2"}
    tegn = {r["tekst"] for r in dump(db)["tegn"]}
    assert {"Tegn fra bord 1", "Tegn fra bord 2"} <= tegn

    # Importing again changes nothing and says so.
    code, out, _ = _run(capsys, "bundle", "import", "--db", str(tov_path), *map(str, handoffs))
    assert code == 0 and "nye 0," in out


def test_rejected_file_exit_code_and_danish_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    db_path = tmp_path / "t.db"
    open_database(str(db_path)).close()
    bad = tmp_path / "noter.txt"
    bad.write_text("ikke en pakke", encoding="utf-8")
    code, out, err = _run(capsys, "bundle", "import", "--db", str(db_path), "--json", str(bad))
    assert code == 1 and out == ""
    assert "ikke en fil fra udviklingsdag" in err and "Traceback" not in err
    code, _, err = _run(capsys, "bundle", "import", "--db", str(db_path), str(tmp_path / "x.json"))
    assert code == 1 and "findes ikke" in err
    code, _, err = _run(
        capsys, "bundle", "export", "--db", str(db_path), "--dag", "x", str(tmp_path / "p.json")
    )
    assert code == 1 and "--pack" in err


def test_show_describes_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    db_path = tmp_path / "t.db"
    db = open_database(str(db_path), device_name="Bord 7")
    Store(db).create("enhed", navn="Skole")
    db.close()
    path = tmp_path / "h.json.gz"
    assert _run(capsys, "bundle", "export", "--db", str(db_path), str(path))[0] == 0
    code, out, _ = _run(capsys, "bundle", "show", "--json", str(path))
    info = json.loads(out)
    assert code == 0 and info["device_name"] == "Bord 7" and info["counts"] == {"enheder": 1}
