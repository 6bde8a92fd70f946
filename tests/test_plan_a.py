"""A målplan's Plan A (models/plan_a.py): the three perspectives with their indicators, the
forskel per chosen indicator (one live row per indicator: the workspace updates it; two from
a merge are read deterministically and edited as one), the mål tagged per indicator, what the
poster lacks, and the bulk read of a year's plans in a fixed number of statements."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event

from exports.bundle import import_bundles, write_handoff, write_pack
from models.db import Database, open_database
from models.errors import ValidationError
from models.plan_a import IKKE_I_PLAN, IKKE_VALGT, UDEN_FORSKEL, plan_a_posters
from models.store import Store
from models.workspace import Workspace


@contextmanager
def statements(database: Database) -> Iterator[list[str]]:
    """The SQL statements run on `database` inside the block."""
    seen: list[str] = []

    def before(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(database.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(database.engine, "before_cursor_execute", before)


def build(
    path: Path, *, aar: int = 2026, plan_a: list[int] | None = None
) -> tuple[Workspace, dict[str, str]]:
    ws = Workspace(open_database(str(path), device_name="Tovholder"))
    ids: dict[str, str] = {}
    ids["enhed"] = ws.create("enhed", {"navn": "Hjemmeplejen"})
    ids["ms"] = ws.create("maalsaetning", {"tekst": "Borgerne klarer mere selv"})
    ids["plan"] = ws.create(
        "maalplan",
        {
            "enhed_id": ids["enhed"],
            "aar": aar,
            "titel": f"Målplan {aar}",
            "plan_a": [1, 6, 8] if plan_a is None else plan_a,
        },
    )
    ids["bad"] = ws.create(
        "maal",
        {
            "maalsaetning_id": ids["ms"],
            "maalplan_id": ids["plan"],
            "tekst": "Halvdelen klarer selv badet",
            "ansvarlig": "Hanne Dahl",
            "fra_aar": aar,
            "til_aar": aar + 1,
            "plan_a": [1, 6],
        },
    )
    ids["rute"] = ws.create(
        "maal",
        {
            "maalsaetning_id": ids["ms"],
            "maalplan_id": ids["plan"],
            "tekst": "Ruterne har tid til kaffe",
            "plan_a": [4],
        },
    )
    return ws, ids


def test_three_perspectives_with_chosen_indicators_forskel_and_tagged_maal(tmp_path: Path):
    ws, ids = build(tmp_path / "a.db")
    ws.set_plan_a_forskel(ids["plan"], 6, "Færre sygedage")
    poster = ws.plan_a(ids["plan"])
    assert poster is not None
    assert (poster.enhed, poster.aar) == ("Hjemmeplejen", 2026)
    assert [p.navn for p in poster.perspektiver] == ["Opgaver", "Adfærd", "Struktur"]
    assert [[i.nummer for i in p.indikatorer] for p in poster.perspektiver] == [
        [1, 2, 3],
        [4, 5, 6],
        [7, 8],
    ]
    assert [i.nummer for i in poster.valgte] == [1, 6, 8]
    six = next(i for i in poster.valgte if i.nummer == 6)
    assert six.forskel == "Færre sygedage"
    assert [(m.tekst, m.ansvarlig, m.fra_aar, m.til_aar) for m in six.maal] == [
        ("Halvdelen klarer selv badet", "Hanne Dahl", 2026, 2027)
    ]
    # Not 2024: nothing is required.
    assert not any(i.obligatorisk for p in poster.perspektiver for i in p.indikatorer)
    # What is missing: 1 and 8 have no forskel; the second mål is tagged 4, not chosen.
    assert [(m.kind, m.indikator, m.maal) for m in poster.mangler] == [
        (UDEN_FORSKEL, 1, None),
        (UDEN_FORSKEL, 8, None),
        (IKKE_I_PLAN, 4, "Ruterne har tid til kaffe"),
    ]
    assert ws.plan_a("ikke-en-plan") is None


def test_2024_marks_the_required_indicators_and_says_which_are_not_chosen(tmp_path: Path):
    ws, ids = build(tmp_path / "a.db", aar=2024, plan_a=[1, 2])
    poster = ws.plan_a(ids["plan"])
    assert poster is not None
    required = [i.nummer for p in poster.perspektiver for i in p.indikatorer if i.obligatorisk]
    assert required == [1, 6, 8]
    assert [(m.kind, m.indikator) for m in poster.mangler if m.kind == IKKE_VALGT] == [
        (IKKE_VALGT, 6),
        (IKKE_VALGT, 8),
    ]


def test_one_forskel_per_indicator_updated_in_place_and_undone(tmp_path: Path):
    ws, ids = build(tmp_path / "a.db")
    first = ws.set_plan_a_forskel(ids["plan"], 1, "Første udkast")
    second = ws.set_plan_a_forskel(ids["plan"], 1, "Den rigtige tekst")
    assert first == second
    rows = [r for r in _live(ws.database, "plan_a_forskel") if r["maalplan_id"] == ids["plan"]]
    assert len(rows) == 1
    ws.undo()
    poster = ws.plan_a(ids["plan"])
    assert poster is not None and poster.valgte[0].forskel == "Første udkast"
    with pytest.raises(ValidationError):
        ws.set_plan_a_forskel(ids["plan"], 9, "Ingen indikator 9")
    # Hostile text is refused before it reaches a poster: a mark that turns the text around,
    # a NUL; markup and emoji are text like any other (the poster shows them as typed).
    for bad in ("abc\u202edef", "nul\x00byte"):
        with pytest.raises(ValidationError):
            ws.set_plan_a_forskel(ids["plan"], 1, bad)
    ws.set_plan_a_forskel(ids["plan"], 1, "[bold]ja[/] 🎉")
    poster = ws.plan_a(ids["plan"])
    assert poster is not None and poster.valgte[0].forskel == "[bold]ja[/] 🎉"


def test_choosing_indicators_through_the_workspace(tmp_path: Path):
    ws, ids = build(tmp_path / "a.db")
    ws.set_plan_a_valg(ids["plan"], [8, 4, 4])
    poster = ws.plan_a(ids["plan"])
    assert poster is not None
    assert [i.nummer for i in poster.valgte] == [4, 8]
    # The mål tagged 4 is no longer outside the plan; the one tagged 1 and 6 now is.
    assert {(m.kind, m.indikator) for m in poster.mangler if m.kind == IKKE_I_PLAN} == {
        (IKKE_I_PLAN, 1),
        (IKKE_I_PLAN, 6),
    }


def _live(database: Database, entity: str) -> list[dict[str, object]]:
    from tests.test_merge import dump

    return [r for r in dump(database)[entity] if not r["deleted"]]


def test_a_merge_bringing_two_forskelle_reads_one_and_edits_that_one(tmp_path: Path):
    ws, ids = build(tmp_path / "tov.db")
    write_pack(ws.database, tmp_path / "pack.udviklingsdag.json")
    laptops = []
    for n, text in ((1, "Fra bærbar 1"), (2, "")):
        laptop = open_database(str(tmp_path / f"l{n}.db"), device_name=f"Leder {n}")
        import_bundles(laptop, [tmp_path / "pack.udviklingsdag.json"])
        Workspace(laptop).set_plan_a_forskel(ids["plan"], 6, text)
        write_handoff(laptop, tmp_path / f"l{n}.udviklingsdag.json")
        laptops.append(laptop)
    import_bundles(
        ws.database, [tmp_path / "l2.udviklingsdag.json", tmp_path / "l1.udviklingsdag.json"]
    )
    rows = [r for r in _live(ws.database, "plan_a_forskel") if r["indikator"] == 6]
    assert len(rows) == 2  # the merge brought both
    poster = ws.plan_a(ids["plan"])
    assert poster is not None
    six = next(i for i in poster.valgte if i.nummer == 6)
    # The one with text wins over the empty one, whatever the order of the import.
    assert six.forskel == "Fra bærbar 1"
    # Editing changes the row shown; the other stays as it was.
    ws.set_plan_a_forskel(ids["plan"], 6, "Samlet tekst")
    six = next(i for i in ws.plan_a(ids["plan"]).valgte if i.nummer == 6)  # type: ignore[union-attr]
    assert six.forskel == "Samlet tekst"
    texts = [
        r["forskel"] or "" for r in _live(ws.database, "plan_a_forskel") if r["indikator"] == 6
    ]
    assert sorted(map(str, texts)) == ["", "Samlet tekst"]
    # Two rows with text: the smallest id, on every laptop alike.
    store = Store(ws.database)
    other = next(r for r in _live(ws.database, "plan_a_forskel") if not r["forskel"])
    store.update("plan_a_forskel", str(other["id"]), {"forskel": "Også tekst"})
    expected = min(
        (r for r in _live(ws.database, "plan_a_forskel") if r["indikator"] == 6),
        key=lambda r: str(r["id"]),
    )
    six = next(i for i in ws.plan_a(ids["plan"]).valgte if i.nummer == 6)  # type: ignore[union-attr]
    assert six.forskel_id == expected["id"]
    for laptop in laptops:
        laptop.close()


def test_the_bulk_read_runs_the_same_statements_for_one_plan_and_for_many(tmp_path: Path):
    ws, ids = build(tmp_path / "a.db")
    with statements(ws.database) as one:
        assert len(plan_a_posters(ws.database, 2026)) == 1
    for n in range(12):
        enhed = ws.create("enhed", {"navn": f"Enhed {n:02d}"})
        plan = ws.create(
            "maalplan", {"enhed_id": enhed, "aar": 2026, "titel": f"Plan {n}", "plan_a": [1]}
        )
        ws.create(
            "maal",
            {"maalsaetning_id": ids["ms"], "maalplan_id": plan, "tekst": f"Mål {n}", "plan_a": [1]},
        )
        ws.set_plan_a_forskel(plan, 1, f"Forskel {n}")
    with statements(ws.database) as many:
        posters = plan_a_posters(ws.database, 2026)
    assert len(posters) == 13
    selects = [s for s in many if s.lstrip().upper().startswith("SELECT")]
    # Plans, mål and forskelle; for the revisions the rows' ids (mål, forskelle) and the
    # actions on each kind of row that has rows (plan, enhed, mål, forskel): at most nine,
    # whatever the number of plans.
    assert len(selects) == 9
    assert 3 < len([s for s in one if s.lstrip().upper().startswith("SELECT")]) <= 9
    # By enhed name; each with its own forskel and mål.
    assert [p.enhed for p in posters][:2] == ["Enhed 00", "Enhed 01"]
    assert posters[0].valgte[0].forskel == "Forskel 0"
    assert [m.tekst for m in posters[0].valgte[0].maal] == ["Mål 0"]
    assert plan_a_posters(ws.database, 1999) == []
