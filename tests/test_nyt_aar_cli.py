"""`udviklingsdag nyt-aar ÅR` (issue 16): the dry run in Danish writes nothing, `--ja` carries
what is proposed once, `--json` tells the same, and bad years get a Danish message."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from models.db import open_database
from models.store import Store
from tests.test_nyt_aar import _rows, _world
from tui.cli import main


@pytest.fixture(autouse=True)
def _december_2026(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line's today: 7 December 2026 (plan year 2027 being prepared)."""
    from models.workspace import Workspace

    monkeypatch.setattr(Workspace, "clock", staticmethod(lambda: datetime(2026, 12, 7, 10, 0)))


def _built(tmp_path: Path) -> tuple[str, dict[str, str]]:
    target = str(tmp_path / "d.db")
    db = open_database(target, device_name="Testbærbar")
    try:
        ids = _world(Store(db))
    finally:
        db.close()
    return target, ids


def _count(target: str, entity: str, **where: str) -> int:
    db = open_database(target)
    try:
        return len(_rows(Store(db), entity, **where))
    finally:
        db.close()


def test_dry_run_shows_the_proposal_and_writes_nothing(tmp_path: Path, capsys) -> None:
    target, ids = _built(tmp_path)
    assert main(["--db", target, "nyt-aar", "2026"]) == 0
    out = capsys.readouterr().out
    assert "Nyt år: fra 2026 til 2027" in out
    assert "Målplan 2026 for Alfa (Alfa) -> ny plan «Målplan 2027 for Alfa»" in out
    assert "Beta 2026 (Beta) -> ind i den eksisterende plan for 2027" in out
    assert "  + Flere klarer morgenen selv. (2026-2027)" in out
    assert "  + Uden slutår. (uden slutår)" in out
    assert "udgangspunkt 40 %, forventet 60 %; seneste måling 52,5 (01.09.2026)" in out
    assert "prøvehandling: Morgentræning i hjemmet" in out
    assert "ikke med: Pjece (afsluttet)" in out and "ikke med: Video (stoppet)" in out
    assert "  - Et mål der sluttede. – sluttede i 2026 (1 åben prøvehandling" in out
    assert ".:" not in out
    assert "(ikke valgt) Plan A-indikatorerne 1, 6, 8" in out
    assert "Bemærk" not in out  # 2026 on to 2027 in December 2026 is the usual
    assert "2 målplaner, 3 mål, 2 tegn og 2 prøvehandlinger bliver overført til 2027." in out
    assert "Kør igen med --ja" in out
    assert _count(target, "maal", fra_id=ids["maal"]) == 0
    assert _count(target, "maalplan", aar="2027") == 1


def test_ja_carries_once(tmp_path: Path, capsys) -> None:
    target, ids = _built(tmp_path)
    assert main(["--db", target, "nyt-aar", "2026", "--ja"]) == 0
    out = capsys.readouterr().out
    assert "2 målplaner (1 nye), 3 mål, 2 tegn og 2 prøvehandlinger er overført til 2027." in out
    assert _count(target, "maal", fra_id=ids["maal"]) == 1
    assert _count(target, "proevehandling", fra_id=ids["ph_i_gang"]) == 1
    # A second run finds it all carried and writes nothing more.
    assert main(["--db", target, "nyt-aar", "2026", "--ja"]) == 0
    out = capsys.readouterr().out
    assert "allerede ført videre" in out and "Intet blev overført til 2027." in out
    assert "Ctrl+Z" not in out  # nothing was written: nothing to undo
    assert _count(target, "maal", fra_id=ids["maal"]) == 1
    assert _count(target, "maalplan", aar="2027") == 2


def test_json(tmp_path: Path, capsys) -> None:
    target, ids = _built(tmp_path)
    assert main(["--db", target, "nyt-aar", "2026", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["fra_aar"] == 2026 and data["til_aar"] == 2027
    alfa = data["planer"][0]
    assert alfa["eksisterende_plan_id"] is None
    assert [m["id"] for m in alfa["maal"]] == [ids["maal"], ids["open_ended"]]
    assert alfa["ikke_med"][0]["id"] == ids["ended"]
    assert alfa["ikke_med"][0]["grund"].startswith("sluttede i 2026")
    assert "resultat" not in data
    assert main(["--db", target, "nyt-aar", "2026", "--json", "--ja"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["resultat"]["maal"] == 3 and len(data["resultat"]["nye_planer"]) == 1
    assert data["resultat"]["maal_ids"][ids["maal"]]


@pytest.mark.parametrize(
    ("year", "message"),
    [("1999", "1999 er uden for 2000-2099"), ("toogtyve", "«toogtyve» er ikke et årstal")],
)
def test_bad_year(tmp_path: Path, capsys, year: str, message: str) -> None:
    target, _ = _built(tmp_path)
    with pytest.raises(SystemExit) as exit_:
        main(["--db", target, "nyt-aar", year])
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err


def test_year_without_plans(tmp_path: Path, capsys) -> None:
    target, _ = _built(tmp_path)
    assert main(["--db", target, "nyt-aar", "2030", "--ja"]) == 1
    assert (
        "Der er ingen målplaner for 2030. År med målplaner: 2027, 2026." in capsys.readouterr().out
    )
    assert _count(target, "maalplan", aar="2031") == 0


def test_the_new_year_typed_instead_of_the_year_to_carry_from(tmp_path: Path, capsys) -> None:
    target, _ = _built(tmp_path)
    assert main(["--db", target, "nyt-aar", "2028"]) == 1
    out = capsys.readouterr().out
    assert "Der er ingen målplaner for 2028." in out
    assert "ÅR er året, der føres videre fra" in out and "nyt-aar 2027" in out


def test_an_early_year_is_said_and_ja_waits_for_alligevel(tmp_path: Path, capsys) -> None:
    """7 December 2026: plan year 2027 has not begun. The proposal from 2027 says so first, and
    `--ja` alone writes nothing; `--ja --alligevel` starts 2028."""
    target, ids = _built(tmp_path)
    db = open_database(target)
    try:
        store = Store(db)
        store.create(
            "maal",
            {
                "maalplan_id": ids["beta_2027"],
                "maalsaetning_id": _rows(store, "maalsaetning")[0]["id"],
                "tekst": "Beta løber videre.",
                "fra_aar": 2027,
                "til_aar": 2028,
            },
        )
    finally:
        db.close()
    assert main(["--db", target, "nyt-aar", "2027"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Bemærk: planår 2027 er ikke begyndt endnu (arbejdet starter 1.3.2027)")
    assert "Kør igen med --ja --alligevel for at starte 2028." in out
    assert main(["--db", target, "nyt-aar", "2027", "--ja"]) == 1
    assert "Intet er skrevet." in capsys.readouterr().out
    assert _count(target, "maalplan", aar="2028") == 0
    assert main(["--db", target, "nyt-aar", "2027", "--ja", "--alligevel"]) == 0
    assert "er overført til 2028" in capsys.readouterr().out
    assert _count(target, "maalplan", aar="2028") == 1
    assert main(["--db", target, "nyt-aar", "2027", "--json"]) == 0
    assert "ikke begyndt" in json.loads(capsys.readouterr().out)["advarsel"]


def test_help_is_danish(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["nyt-aar", "--help"])
    out = capsys.readouterr().out
    assert "før alt det foreslåede videre" in out and "ÅR" in out
