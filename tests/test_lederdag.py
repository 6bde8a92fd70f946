"""The lederdag (issue 15): a bord works on målsætninger and writes their mål. The day's rule
(every målsætning of the bord has a mål), the bord's groups (a målsætning without a mål is an
empty group), a mål put on the bord and on its enhed's målplan in the action that created it
(one undo takes both away), and the workshop pack and the handoff: a lederdag laptop gets what
it needs, and the mål it writes reach FØR of the målplan's workbook on the tovholder's machine."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from exports.bundle import import_bundles, write_handoff, write_pack
from exports.xlsx import maalplan_xlsx
from models import rules
from models.db import open_database
from models.maalplan_view import load_maalplan
from models.queries import bord_overview, live_rows
from models.records import MaalGroup, MaalProgress
from models.store import Store
from models.workspace import Workspace

BOTH_BACKENDS = True  # the tovholder's database may be the shared PostgreSQL


def _progress(mid: str, tekst: str = "et mål") -> MaalProgress:
    return MaalProgress(mid, tekst, "Nordlys Skole", "Anne", 0, 0, 0)


def test_the_days_rule_is_a_maal_for_every_maalsaetning() -> None:
    groups = (
        MaalGroup("ms1", "Flere børn trives.", (_progress("m1"),)),
        MaalGroup("ms2", "Flere unge i job.", ()),
        MaalGroup("ms3", "Mere natur.", (_progress("m2"), _progress("m3"))),
    )
    assert rules.progress(groups, "lederdag") == (2, 3)
    assert [g.id for g in rules.missing_maalsaetninger(groups)] == ["ms2"]
    assert rules.missing(groups, "lederdag") == []  # the mål themselves miss nothing
    # The same groups on del 1: mål without tegn.
    assert rules.progress(groups, "del1") == (0, 3)
    assert rules.group_complete(groups[0]) and not rules.group_complete(groups[1])
    # A mål of the bord whose målsætning is gone (group id "") is no målsætning to count.
    assert rules.progress((MaalGroup("", "", (_progress("m4"),)),), "lederdag") == (0, 0)


def test_a_new_maal_runs_in_the_plan_year_of_its_lederdag() -> None:
    """A lederdag in the autumn writes next year's mål (28 November 2023 for 2024; the new mål
    started in the day's own year, so it found no målplan for the year it was written for)."""
    assert rules.lederdag_year(date(2026, 11, 20), date(2025, 1, 1)) == 2027
    assert rules.lederdag_year(date(2023, 11, 28), date(2025, 1, 1)) == 2024
    assert rules.lederdag_year(date(2027, 2, 3), date(2025, 1, 1)) == 2027  # a late one
    assert rules.lederdag_year(None, date(2025, 1, 1)) == 2025
    assert rules.lederdag_year(None, date(2026, 12, 7)) == 2027
    assert rules.new_lederdag_maal(2027) == {"fra_aar": 2027, "til_aar": 2027}


def build_lederdag(store: Store) -> dict[str, Any]:
    """A tovholder's database: a politik with two målsætninger, three enheder (two with a
    målplan for 2027, one with a 2026 plan too), a del 1 day and a lederdag with one bord
    that works on both målsætninger."""
    ids: dict[str, Any] = {}
    with store.action() as tx:
        ids["top"] = store.create("enhed", navn="Børn og Unge", type="direktoeromraade", tx=tx)
        ids["skole"] = store.create("enhed", navn="Nordlys Skole", parent_id=ids["top"], tx=tx)
        ids["fam"] = store.create("enhed", navn="Familiehuset", parent_id=ids["top"], tx=tx)
        ids["politik"] = store.create("politik", navn="Børne- og ungepolitik", tx=tx)
        ids["ms1"] = store.create(
            "maalsaetning", tekst="Flere børn trives.", politik_id=ids["politik"], tx=tx
        )
        ids["ms2"] = store.create(
            "maalsaetning", tekst="Flere unge i uddannelse.", politik_id=ids["politik"], tx=tx
        )
        ids["plan_skole"] = store.create(
            "maalplan", enhed_id=ids["skole"], aar=2027, titel="Nordlys Skole 2027", tx=tx
        )
        ids["plan_skole_old"] = store.create(
            "maalplan", enhed_id=ids["skole"], aar=2026, titel="Nordlys Skole 2026", tx=tx
        )
        ids["plan_fam"] = store.create(
            "maalplan", enhed_id=ids["fam"], aar=2027, titel="Familiehuset 2027", tx=tx
        )
        ids["del1"] = store.create("udviklingsdag", titel="Del 1", dagdel="del1", tx=tx)
        ids["dag"] = store.create(
            "udviklingsdag",
            titel="Lederdag 2027",
            dagdel="lederdag",
            dato=date(2027, 1, 14),
            tx=tx,
        )
        ids["bord"] = store.create(
            "bord",
            udviklingsdag_id=ids["dag"],
            navn="Bord A",
            facilitator="Lise",
            maalsaetning_ids=[ids["ms1"], ids["ms2"]],
            tx=tx,
        )
    return ids


def test_a_lederdag_bord_shows_its_maalsaetninger_also_without_maal(store: Store) -> None:
    ids = build_lederdag(store)
    data = bord_overview(store.db, ids["bord"])
    assert data is not None and data.dagdel == "lederdag"
    assert data.bord.maalsaetning_ids == (ids["ms1"], ids["ms2"])
    assert [(g.id, g.maal) for g in data.groups] == [(ids["ms1"], ()), (ids["ms2"], ())]
    assert rules.progress(data.groups, data.dagdel) == (0, 2)


def test_a_written_maal_lands_on_the_bord_and_its_plan_and_one_undo_removes_it(
    store: Store,
) -> None:
    ids = build_lederdag(store)
    ws = Workspace(store.db)
    # The form creates the mål (its first save) and saves a field after that; it closes.
    maal = ws.create_or_update(
        "maal",
        None,
        {"tekst": "Alle elever har en voksen.", "enhed_id": ids["skole"], "fra_aar": 2027},
        fixed={"maalsaetning_id": ids["ms1"]},
    )
    ws.save_field("maal", maal, "mulige_partnere", "PPR\nForeningen Aftenløb")
    assert ws.place_lederdag_maal(ids["bord"], maal, year=2027)
    row = live_rows(store.db, "maal", id=maal)[0]
    assert row["maalplan_id"] == ids["plan_skole"]  # the enhed's plan for the year
    data = bord_overview(store.db, ids["bord"])
    assert data is not None
    first = data.groups[0]
    assert [m.id for m in first.maal] == [maal]
    assert first.maal[0].mulige_partnere == "PPR\nForeningen Aftenløb"
    assert first.maal[0].fra_aar == 2027
    assert rules.progress(data.groups, data.dagdel) == (1, 2)
    # Nothing more to do the second time (the form of a mål that was only looked at).
    assert not ws.place_lederdag_maal(ids["bord"], maal, year=2027)

    # Another enhed: the mål moves to that enhed's plan (an edit, its own action).
    ws.save_field("maal", maal, "enhed_id", ids["fam"])
    assert ws.place_lederdag_maal(ids["bord"], maal, year=2027)
    assert live_rows(store.db, "maal", id=maal)[0]["maalplan_id"] == ids["plan_fam"]
    ws.undo()  # the plan's move
    ws.undo()  # the enhed
    assert live_rows(store.db, "maal", id=maal)[0]["maalplan_id"] == ids["plan_skole"]

    # The mål itself, from the bord too: putting it there joined the action that created
    # it, the newest of the form's actions, so it goes before the partners' later save.
    undone = ws.undo()
    assert undone is not None and undone.description == "nyt mål"
    assert live_rows(store.db, "maal", id=maal) == []
    assert live_rows(store.db, "bord", id=ids["bord"])[0]["maal_ids"] == []


def test_a_maal_of_an_enhed_without_a_plan_for_the_year_gets_none(store: Store) -> None:
    ids = build_lederdag(store)
    ws = Workspace(store.db)
    maal = ws.create_or_update(
        "maal",
        None,
        {"tekst": "Mere natur.", "fra_aar": 2028, "enhed_id": ids["skole"]},
        fixed={"maalsaetning_id": ids["ms2"]},
    )
    ws.place_lederdag_maal(ids["bord"], maal, year=2027)
    assert live_rows(store.db, "maal", id=maal)[0]["maalplan_id"] is None
    assert live_rows(store.db, "bord", id=ids["bord"])[0]["maal_ids"] == [maal]


@pytest.mark.parametrize("gone", ["bord", "maal"])
def test_placing_on_a_deleted_bord_or_maal_changes_nothing(store: Store, gone: str) -> None:
    ids = build_lederdag(store)
    ws = Workspace(store.db)
    maal = ws.create("maal", {"maalsaetning_id": ids["ms1"], "tekst": "Et mål."})
    ws.delete(gone, ids["bord"] if gone == "bord" else maal)
    assert not ws.place_lederdag_maal(ids["bord"], maal, year=2027)


def test_pack_handoff_merge_and_foer(store: Store, tmp_path: Path) -> None:
    """The tovholder's pack for the lederdag holds the politik, målsætninger, enheder and
    målplaner; the laptop writes a mål; its handoff merged back puts it on FØR."""
    ids = build_lederdag(store)
    pack = write_pack(store, tmp_path / "pakke.udviklingsdag.json", udviklingsdag_id=ids["dag"])
    laptop_db = open_database(str(tmp_path / "laptop.db"), device_name="Bord A")
    try:
        laptop = Workspace(laptop_db)
        import_bundles(laptop, [pack.path])
        for entity, wanted in (
            ("politik", {ids["politik"]}),
            ("maalsaetning", {ids["ms1"], ids["ms2"]}),
            ("enhed", {ids["top"], ids["skole"], ids["fam"]}),
            ("maalplan", {ids["plan_skole"], ids["plan_skole_old"], ids["plan_fam"]}),
            ("udviklingsdag", {ids["dag"]}),  # not the other day
            ("bord", {ids["bord"]}),
        ):
            assert {r["id"] for r in live_rows(laptop_db, entity)} == wanted, entity
        maal = laptop.create_or_update(
            "maal",
            None,
            {
                "tekst": "Alle elever har en voksen.",
                "enhed_id": ids["skole"],
                "ansvarlig": "Anne Holm",
                "fra_aar": 2027,
                "til_aar": 2029,
                "mulige_partnere": "PPR",
            },
            fixed={"maalsaetning_id": ids["ms1"]},
        )
        laptop.place_lederdag_maal(ids["bord"], maal, year=2027)
        handoff = write_handoff(laptop, tmp_path / "overlevering.udviklingsdag.json")
    finally:
        laptop_db.close()

    import_bundles(store, [handoff.path])
    assert live_rows(store.db, "bord", id=ids["bord"])[0]["maal_ids"] == [maal]
    view = load_maalplan(store.db, ids["plan_skole"])
    path = tmp_path / "plan.xlsx"
    path.write_bytes(maalplan_xlsx(view, when=date(2027, 1, 15)))
    foer = openpyxl.load_workbook(path)["FØR"]
    cells = [str(c.value) for row in foer.iter_rows() for c in row if c.value is not None]
    for text in ("Alle elever har en voksen.", "Anne Holm", "PPR", "Flere børn trives."):
        assert text in cells, text
