"""Following the prøvehandlinger through the year (models/followup.py): the overview of
evalueringer that fall due against a fixed today, the status rule through the workspace
(dated today in the same undoable action, unless a date is given; a merge keeps the date it
carries), and the læring of a prøvehandling and of a målplan."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from exports.bundle import import_bundles, write_handoff, write_pack
from models import settings
from models.db import open_database
from models.followup import FORFALDEN, SENERE, SNART, due_evalueringer
from models.store import Store
from models.workspace import Workspace

TODAY = date(2026, 5, 1)


def fixed_clock(day: date = TODAY) -> Any:
    return lambda: datetime(day.year, day.month, day.day, 10, 0)


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


def build_followup(path: Path) -> dict[str, str]:
    """Two målplaner (Nordlys Skole and Familiehuset, 2026) with prøvehandlinger whose planned
    evalueringer are overdue, soon, later, written, stopped, finished and deleted; see the
    expected list in `test_the_overview_lists_what_is_due_by_date`."""
    db = open_database(str(path), device_name="Tovholder")
    s = Store(db)
    ids: dict[str, str] = {}
    with s.action() as tx:
        ids["skole"] = s.create("enhed", navn="Nordlys Skole", type="enhed", tx=tx)
        ids["fam"] = s.create("enhed", navn="Familiehuset", type="enhed", tx=tx)
        ids["ms"] = s.create(
            "maalsaetning", tekst="Flere børn trives i fællesskaber.", kilde="politik", tx=tx
        )
        ids["plan_skole"] = s.create(
            "maalplan", enhed_id=ids["skole"], aar=2026, titel="Trivsel", tx=tx
        )
        ids["plan_fam"] = s.create(
            "maalplan", enhed_id=ids["fam"], aar=2026, titel="Netværk", tx=tx
        )
        ids["m1"] = s.create(
            "maal",
            maalsaetning_id=ids["ms"],
            enhed_id=ids["skole"],
            maalplan_id=ids["plan_skole"],
            tekst="Alle elever har en voksen, de kan gå til.",
            tx=tx,
        )
        ids["m2"] = s.create(
            "maal",
            maalsaetning_id=ids["ms"],
            enhed_id=ids["fam"],
            maalplan_id=ids["plan_fam"],
            tekst="Flere forældre deltager i netværksgrupper.",
            tx=tx,
        )
        ids["m3"] = s.create(
            "maal", maalsaetning_id=ids["ms"], maalplan_id=ids["plan_fam"], tekst="Slettes", tx=tx
        )

        def ph(key: str, maal: str, tekst: str, **values: Any) -> None:
            ids[key] = s.create("proevehandling", maal_id=ids[maal], tekst=tekst, tx=tx, **values)

        ph(
            "ph1",
            "m1",
            "Morgenmøde i klassen",
            evaluering_undervejs=days(-10),
            evaluering_afslutning=days(30),
            status="i_gang",
            status_dato=days(-40),
        )
        ph(
            "ph2",
            "m1",
            "Legepatruljer i frikvarteret",
            evaluering_undervejs=days(5),
            evaluering_afslutning=days(14),
        )
        ph(
            "ph3",
            "m1",
            "Elevsamtaler hver måned",
            evaluering_undervejs=days(-20),
            evaluering_afslutning=days(-1),
            status="i_gang",
        )
        ph(
            "ph4",
            "m1",
            "Stoppet forsøg",
            evaluering_undervejs=days(-5),
            evaluering_afslutning=days(20),
            status="stoppet",
        )
        ph(
            "ph5",
            "m1",
            "Afsluttet forsøg",
            evaluering_undervejs=days(-40),
            evaluering_afslutning=days(-3),
            status="afsluttet",
        )
        ph("ph6", "m2", "Forældrecafé", evaluering_undervejs=days(0), status="viderefoert")
        ph(
            "ph7",
            "m2",
            "Netværksgruppe for fædre",
            evaluering_undervejs=days(-7),
            evaluering_afslutning=days(15),
        )
        ph("ph8", "m2", "Slettet prøvehandling", evaluering_undervejs=days(-2))
        ph("ph9", "m3", "Under et slettet mål", evaluering_undervejs=days(-2))
        ph("ph10", "m2", "Uden planlagte evalueringer")
        # ph3's undervejs is written; ph7's afslutning is written (before its planned date).
        s.create(
            "evaluering", proevehandling_id=ids["ph3"], type="undervejs", dato=days(-19), tx=tx
        )
        s.create(
            "evaluering", proevehandling_id=ids["ph7"], type="afslutning", dato=days(-6), tx=tx
        )
    s.delete("proevehandling", ids["ph8"])
    s.delete("maal", ids["m3"])
    s.set_setting(settings.DEVICE_NAMED.key, "1")  # no naming dialog in the Pilot tests
    db.close()
    return ids


def workspace(path: Path, day: date = TODAY) -> Workspace:
    ws = Workspace(open_database(str(path)))
    ws.clock = fixed_clock(day)
    return ws


def test_the_overview_lists_what_is_due_by_date(tmp_path: Path) -> None:
    ids = build_followup(tmp_path / "f.db")
    ws = workspace(tmp_path / "f.db")
    data = ws.forfald()
    got = [(i.proevehandling_id, i.kind, i.dato, i.days, i.state) for i in data.items]
    assert got == [
        (ids["ph1"], "undervejs", days(-10), -10, FORFALDEN),
        (ids["ph5"], "afslutning", days(-3), -3, FORFALDEN),
        (ids["ph3"], "afslutning", days(-1), -1, FORFALDEN),
        (ids["ph6"], "undervejs", days(0), 0, SNART),
        (ids["ph2"], "undervejs", days(5), 5, SNART),
        (ids["ph2"], "afslutning", days(14), 14, SNART),
        (ids["ph1"], "afslutning", days(30), 30, SENERE),
    ]
    assert (data.forfaldne, data.snart, data.senere, data.matching) == (3, 3, 1, 7)
    assert data.today == TODAY
    first = data.items[0]
    assert (first.enhed, first.aar, first.maalplan_id) == ("Nordlys Skole", 2026, ids["plan_skole"])
    assert first.maal == "Alle elever har en voksen, de kan gå til."
    assert (first.proevehandling, first.nr, first.status) == ("Morgenmøde i klassen", 1, "i_gang")
    assert first.status_dato == days(-40)
    assert {i.proevehandling_id: i.nr for i in data.items}[ids["ph5"]] == 5
    assert data.enheder == (("Familiehuset", ids["fam"]), ("Nordlys Skole", ids["skole"]))


def test_filters_by_state_and_enhed_and_limits(tmp_path: Path) -> None:
    ids = build_followup(tmp_path / "f.db")
    ws = workspace(tmp_path / "f.db")
    assert [i.state for i in ws.forfald(state=SNART).items] == [SNART] * 3
    fam = ws.forfald(enhed_id=ids["fam"])
    assert [(i.proevehandling_id, i.kind) for i in fam.items] == [(ids["ph6"], "undervejs")]
    assert (fam.forfaldne, fam.snart, fam.senere, fam.matching) == (0, 1, 0, 1)
    # Every enhed stays a choice while one is chosen.
    assert len(fam.enheder) == 2
    skole_overdue = ws.forfald(state=FORFALDEN, enhed_id=ids["skole"])
    assert skole_overdue.matching == 3 and len(skole_overdue.items) == 3
    limited = due_evalueringer(ws.database, TODAY, limit=2)
    assert len(limited.items) == 2 and limited.matching == 7


def test_written_and_deleted_evalueringer_and_statuses(tmp_path: Path) -> None:
    ids = build_followup(tmp_path / "f.db")
    ws = workspace(tmp_path / "f.db")

    def due() -> set[tuple[str, str]]:
        return {(i.proevehandling_id, i.kind) for i in ws.forfald().items}

    # Writing the overdue undervejs evaluering removes it; deleting it brings it back.
    evaluering = ws.create(
        "evaluering", {"proevehandling_id": ids["ph1"], "type": "undervejs", "dato": TODAY}
    )
    assert (ids["ph1"], "undervejs") not in due()
    assert (ids["ph1"], "afslutning") in due()
    ws.delete("evaluering", evaluering)
    assert (ids["ph1"], "undervejs") in due()
    # Stopping a prøvehandling removes both; restarting brings them back.
    ws.save_field("proevehandling", ids["ph1"], "status", "stoppet")
    assert not {k for k in due() if k[0] == ids["ph1"]}
    ws.save_field("proevehandling", ids["ph1"], "status", "i_gang")
    assert {k for k in due() if k[0] == ids["ph1"]} == {
        (ids["ph1"], "undervejs"),
        (ids["ph1"], "afslutning"),
    }
    # Afsluttet: the undervejs is no longer due, the afslutning still is.
    ws.save_field("proevehandling", ids["ph1"], "status", "afsluttet")
    assert {k for k in due() if k[0] == ids["ph1"]} == {(ids["ph1"], "afslutning")}
    # An afslutning written: nothing more for ph2 either (its undervejs is too late now).
    ws.create("evaluering", {"proevehandling_id": ids["ph2"], "type": "afslutning"})
    assert not {k for k in due() if k[0] == ids["ph2"]}
    # A deleted målplan takes its plan's items with it.
    ws.delete("maalplan", ids["plan_fam"])
    assert not {k for k in due() if k[0] == ids["ph6"]}
    # Moving today moves the states.
    later = workspace(tmp_path / "f.db", days(31))
    assert {i.state for i in later.forfald().items} == {FORFALDEN}


def test_a_status_change_is_dated_today_and_undone_with_it(tmp_path: Path) -> None:
    ids = build_followup(tmp_path / "f.db")
    ws = workspace(tmp_path / "f.db")
    row = ws.row("proevehandling", ids["ph2"])
    assert row is not None and row.values["status"] == "planlagt"
    assert row.values["status_dato"] is None
    assert ws.save_field("proevehandling", ids["ph2"], "status", "i_gang") == 1
    row = ws.row("proevehandling", ids["ph2"])
    assert row is not None
    assert (row.values["status"], row.values["status_dato"]) == ("i_gang", TODAY)
    # The same status again changes nothing (the date stays).
    later = workspace(tmp_path / "f.db", days(3))
    assert later.save_field("proevehandling", ids["ph2"], "status", "i_gang") == 0
    assert later.evalueringer(ids["ph2"]).proevehandling.status_dato == TODAY  # type: ignore[union-attr]
    # One undo takes back both the status and its date.
    undone = ws.undo()
    assert undone is not None
    row = ws.row("proevehandling", ids["ph2"])
    assert row is not None
    assert (row.values["status"], row.values["status_dato"]) == ("planlagt", None)


def test_a_date_the_user_gives_is_kept(tmp_path: Path) -> None:
    ids = build_followup(tmp_path / "f.db")
    ws = workspace(tmp_path / "f.db")
    # A form's save with both fields keeps the typed date.
    ws.create_or_update(
        "proevehandling", ids["ph2"], {"status": "afsluttet", "status_dato": days(-9)}
    )
    data = ws.evalueringer(ids["ph2"])
    assert data is not None
    assert (data.proevehandling.status, data.proevehandling.status_dato) == ("afsluttet", days(-9))
    # A form's save without a date dates a changed status today; a new prøvehandling that
    # starts «i gang» is dated today, one that starts «planlagt» is not.
    ws.create_or_update("proevehandling", ids["ph1"], {"status": "afsluttet", "tekst": "Ny"})
    data = ws.evalueringer(ids["ph1"])
    assert data is not None and data.proevehandling.status_dato == TODAY
    started = ws.create_or_update(
        "proevehandling",
        None,
        {"tekst": "Straks i gang", "status": "i_gang"},
        fixed={"maal_id": ids["m1"]},
    )
    planned = ws.create_or_update(
        "proevehandling",
        None,
        {"tekst": "Senere", "status": "planlagt"},
        fixed={"maal_id": ids["m1"]},
    )
    dates = {i: ws.evalueringer(i).proevehandling.status_dato for i in (started, planned)}  # type: ignore[union-attr]
    assert dates == {started: TODAY, planned: None}
    # The status first (dated today), then the date typed: the typed date wins.
    ws.save_field("proevehandling", ids["ph3"], "status", "afsluttet")
    ws.save_field("proevehandling", ids["ph3"], "status_dato", days(-2))
    data = ws.evalueringer(ids["ph3"])
    assert data is not None and data.proevehandling.status_dato == days(-2)
    # Another field of the prøvehandling leaves the date alone.
    ws.save_field("proevehandling", ids["ph3"], "ansvarlig", "Mette")
    data = ws.evalueringer(ids["ph3"])
    assert data is not None and data.proevehandling.status_dato == days(-2)


def test_a_bad_status_is_refused_with_a_message(tmp_path: Path) -> None:
    import pytest

    from models.errors import ValidationError

    ids = build_followup(tmp_path / "f.db")
    ws = workspace(tmp_path / "f.db")
    with pytest.raises(ValidationError):
        ws.save_field("proevehandling", ids["ph2"], "status", "måske")
    row = ws.row("proevehandling", ids["ph2"])
    assert row is not None and row.values["status_dato"] is None


def test_a_merge_keeps_the_date_the_status_carries(tmp_path: Path) -> None:
    ids = build_followup(tmp_path / "tov.db")
    tov = workspace(tmp_path / "tov.db", days(30))
    pack = write_pack(tov.database, tmp_path / "pakke.udviklingsdag.json")
    laptop = Workspace(open_database(str(tmp_path / "laptop.db"), device_name="Skolens bærbar"))
    laptop.clock = fixed_clock(days(-4))
    import_bundles(laptop, [pack.path])
    laptop.save_field("proevehandling", ids["ph2"], "status", "i_gang")
    handoff = write_handoff(laptop, tmp_path / "skolen.udviklingsdag.json")
    import_bundles(tov, [handoff.path])
    data = tov.evalueringer(ids["ph2"])
    assert data is not None
    assert (data.proevehandling.status, data.proevehandling.status_dato) == ("i_gang", days(-4))


def test_laering_of_a_proevehandling_and_of_a_maalplan(tmp_path: Path) -> None:
    ids = build_followup(tmp_path / "f.db")
    ws = workspace(tmp_path / "f.db")
    ws.create(
        "laering",
        {
            "proevehandling_id": ids["ph2"],
            "dato": days(-3),
            "tekst": "Gårdvagter hjælper.",
            "hvem": "Anne",
        },
    )
    ws.create("laering", {"maalplan_id": ids["plan_skole"], "dato": days(-1), "tekst": "Planen"})
    ws.create("laering", {"proevehandling_id": ids["ph1"], "dato": days(-20), "tekst": "Ældst"})
    ws.create("laering", {"maalplan_id": ids["plan_fam"], "dato": days(0), "tekst": "Andet"})
    own = ws.laering(proevehandling_id=ids["ph2"])
    assert own is not None and own.title == "Legepatruljer i frikvarteret"
    assert [(i.laering.tekst, i.laering.hvem) for i in own.items] == [
        ("Gårdvagter hjælper.", "Anne")
    ]
    plan = ws.laering(maalplan_id=ids["plan_skole"])
    assert plan is not None and plan.title == "Nordlys Skole 2026 Trivsel"
    assert [(i.laering.tekst, i.proevehandling_nr, i.proevehandling) for i in plan.items] == [
        ("Planen", None, None),
        ("Gårdvagter hjælper.", 2, "Legepatruljer i frikvarteret"),
        ("Ældst", 1, "Morgenmøde i klassen"),
    ]
    # A deleted prøvehandling takes its læring along; undo brings it back.
    ws.delete("proevehandling", ids["ph2"])
    plan = ws.laering(maalplan_id=ids["plan_skole"])
    assert plan is not None and [i.laering.tekst for i in plan.items] == ["Planen", "Ældst"]
    assert ws.laering(proevehandling_id=ids["ph2"]) is None
    ws.undo()
    plan = ws.laering(maalplan_id=ids["plan_skole"])
    assert plan is not None and len(plan.items) == 3
    assert ws.laering(maalplan_id="findes-ikke") is None
    assert ws.laering() is None


def test_the_overview_and_laering_on_postgresql(tmp_path: Path, pg_databases: Any) -> None:
    """The same SQL on the shared PostgreSQL server (skipped when there is none)."""
    ids = build_followup(tmp_path / "f.db")
    sqlite = workspace(tmp_path / "f.db")
    ws = Workspace(pg_databases.copy_of(tmp_path / "f.db"))
    ws.clock = fixed_clock()
    try:
        got = ws.forfald()
        want = sqlite.forfald()
        assert got == want and len(got.items) == 7
        assert ws.forfald(state=SNART, enhed_id=ids["skole"]) == sqlite.forfald(
            state=SNART, enhed_id=ids["skole"]
        )
        ws.save_field("proevehandling", ids["ph2"], "status", "i_gang")
        data = ws.evalueringer(ids["ph2"])
        assert data is not None and data.proevehandling.status_dato == TODAY
        ws.create("laering", {"proevehandling_id": ids["ph2"], "dato": TODAY, "tekst": "PG"})
        plan = ws.laering(maalplan_id=ids["plan_skole"])
        assert plan is not None and [i.proevehandling_nr for i in plan.items] == [2]
    finally:
        ws.close()
