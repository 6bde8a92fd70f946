"""The årshjul's read (issue 15): the fixed points of a plan year from the udviklingsdage's own
dates or the usual ones, every målplan's phase and what is due next as of a given day, the
counts of målinger, evalueringer and læring, deleted rows left out, and a number of queries
that does not grow with the number of plans."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from models import aarshjul as wheel
from models.aarshjul import aarshjul, aarshjul_plan, next_due, plan_year, season
from models.db import Database, open_database
from models.records import Aarshjul, AarshjulPlan, PlanTask
from models.store import Store

BOTH_BACKENDS = True  # the `db` fixture (tests/conftest.py): SQLite and PostgreSQL


def _points(year: Any) -> dict[str, Any]:
    return {p.key: p for p in year.points}


def _plan(result: Aarshjul, plan_id: str) -> AarshjulPlan:
    return next(p for p in result.plans if p.id == plan_id)


@contextmanager
def counted_queries(database: Database) -> Iterator[list[str]]:
    """The SQL statements run on `database` inside the block."""
    from sqlalchemy import event

    seen: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(database.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(database.engine, "before_cursor_execute", before)


# --- the fixed points --------------------------------------------------------------------------


def test_season_puts_the_autumn_days_in_the_next_plan_year() -> None:
    assert season(date(2026, 11, 28)) == 2027
    assert season(date(2027, 1, 14)) == 2027
    assert season(date(2027, 6, 30)) == 2027
    assert season(date(2027, 7, 1)) == 2028


def test_usual_dates_when_the_data_has_none() -> None:
    year = plan_year(2027, {}, date(2026, 12, 10))
    points = _points(year)
    assert [p.key for p in year.points] == list(wheel.POINTS)
    assert not any(p.from_data for p in year.points)
    assert points["lederdag"].dato == date(2026, *wheel.USUAL_LEDERDAG)
    assert points["del1"].dato == date(2026, *wheel.USUAL_DEL1)
    assert points["del2"].dato == date(2027, *wheel.USUAL_DEL2)
    assert points["start"].dato == date(2027, 3, 1)
    assert points["august"].dato == date(2027, 8, 15)
    assert points["naeste_lederdag"].dato == date(2027, 11, 28)
    # Chefforum checks the lederdag's mål before del 1 (the day before it, here), and the
    # others two weeks after their day.
    assert points["chefforum_maal"].dato == date(2026, 12, 3)
    assert points["chefforum_tegn"].dato == date(2026, 12, 18)
    assert points["chefforum_proevehandlinger"].dato == date(2027, 2, 1)
    dates = [p.dato for p in year.points]
    assert dates == sorted(dates)
    # Passed: before today; the next one is the first that has not passed.
    assert [p.key for p in year.points if p.passed] == ["lederdag", "chefforum_maal", "del1"]
    assert year.next_key == "chefforum_tegn"


def test_dates_from_the_udviklingsdage(db: Database) -> None:
    s = Store(db)
    s.create(
        "udviklingsdag", {"titel": "Lederdag", "dagdel": "lederdag", "dato": date(2026, 11, 20)}
    )
    s.create("udviklingsdag", {"titel": "Del 1 a", "dagdel": "del1", "dato": date(2026, 12, 3)})
    s.create("udviklingsdag", {"titel": "Del 1 b", "dagdel": "del1", "dato": date(2026, 12, 4)})
    s.create("udviklingsdag", {"titel": "Del 2", "dagdel": "del2", "dato": date(2027, 1, 14)})
    gone = s.create(
        "udviklingsdag", {"titel": "Aflyst", "dagdel": "del2", "dato": date(2027, 1, 2)}
    )
    s.delete("udviklingsdag", gone)
    s.create("udviklingsdag", {"titel": "Uden dato", "dagdel": "del2"})
    s.create(
        "udviklingsdag",
        {"titel": "Næste lederdag", "dagdel": "lederdag", "dato": date(2027, 11, 19)},
    )
    enhed = s.create("enhed", {"navn": "Nordlys Skole"})
    s.create("maalplan", {"titel": "Plan", "aar": 2027, "enhed_id": enhed})
    result = aarshjul(db, date(2026, 12, 4))
    assert result.shown_year == 2027
    year = result.year(2027)
    assert year is not None
    points = _points(year)
    assert (points["lederdag"].dato, points["lederdag"].from_data) == (date(2026, 11, 20), True)
    assert (points["del1"].dato, points["del1"].slut) == (date(2026, 12, 3), date(2026, 12, 4))
    assert points["del1"].from_data and not points["del1"].passed  # its last day is today
    assert (points["del2"].dato, points["del2"].from_data) == (date(2027, 1, 14), True)
    assert points["naeste_lederdag"].dato == date(2027, 11, 19)
    assert points["naeste_lederdag"].from_data
    assert points["chefforum_maal"].dato == date(2026, 12, 2)  # before del 1
    assert points["chefforum_tegn"].dato == date(2026, 12, 18)  # two weeks after del 1's end
    assert not points["chefforum_tegn"].from_data and not points["start"].from_data
    assert year.next_key == "del1"


def test_usual_dates_keep_the_order_after_a_late_data_date() -> None:
    # Del 1 held in February: the usual del 2 cannot come before it.
    days = {(2027, "del1"): [date(2027, 2, 10)]}
    year = plan_year(2027, days, date(2027, 1, 1))
    dates = [p.dato for p in year.points]
    assert dates == sorted(dates)
    # and an early del 1 moves the usual lederdag before it
    days = {(2027, "del1"): [date(2026, 11, 10)]}
    points = _points(plan_year(2027, days, date(2027, 1, 1)))
    assert points["lederdag"].dato == date(2026, 11, 3)
    assert points["lederdag"].dato < points["chefforum_maal"].dato < points["del1"].dato


# --- plans in every phase ------------------------------------------------------------------------


def _world(db: Database) -> dict[str, Any]:
    """Plans for 2027 in every state, with the usual dates (no udviklingsdage)."""
    s = Store(db)
    ids: dict[str, Any] = {}
    afd = s.create("enhed", {"navn": "Skole og Dagtilbud", "type": "afdeling"})
    ms = s.create("maalsaetning", {"tekst": "Flere børn trives."})

    def plan(name: str, **values: Any) -> str:
        enhed = s.create("enhed", {"navn": name, "type": "enhed", "parent_id": afd})
        ids[f"enhed:{name}"] = enhed
        return s.create(
            "maalplan", {"titel": f"Plan {name}", "aar": 2027, "enhed_id": enhed, **values}
        )

    def maal(plan_id: str) -> str:
        return s.create("maal", {"maalplan_id": plan_id, "maalsaetning_id": ms, "tekst": "Et mål"})

    def tegn(maal_id: str) -> str:
        return s.create("tegn", {"maal_id": maal_id, "tekst": "Et tegn", "type": "kvantitativ"})

    def ph(maal_id: str, **values: Any) -> str:
        return s.create(
            "proevehandling", {"maal_id": maal_id, "tekst": "En prøvehandling", **values}
        )

    # A: nothing yet (a deleted mål does not count)
    ids["A"] = plan("Alfa")
    s.delete("maal", maal(ids["A"]))
    # B: a mål without tegn (its deleted tegn does not count), one with
    ids["B"] = plan("Beta", status_foer="udfyldt")
    b1 = maal(ids["B"])
    s.delete("tegn", tegn(b1))
    tegn(maal(ids["B"]))
    # C: tegn for every mål, no prøvehandling
    ids["C"] = plan("Gamma", status_foer="godkendt", status_del1="udfyldt")
    tegn(maal(ids["C"]))
    # D: a prøvehandling for every mål, none started
    ids["D"] = plan("Delta", status_foer="udfyldt", status_del1="udfyldt")
    d1 = maal(ids["D"])
    tegn(d1)
    ids["D.ph"] = ph(
        d1,
        evaluering_undervejs=date(2027, 4, 1),
        evaluering_afslutning=date(2027, 4, 20),
    )
    # E: started, with målinger, an overdue and a soon evaluering, læring
    ids["E"] = plan("Epsilon", status_foer="udfyldt", status_del1="udfyldt", status_del2="udfyldt")
    e1 = maal(ids["E"])
    ids["E.tegn"] = tegn(e1)
    ids["E.ph"] = ph(
        e1,
        status="i_gang",
        status_dato=date(2027, 3, 2),
        evaluering_undervejs=date(2027, 4, 1),
        evaluering_afslutning=date(2027, 4, 20),
    )
    ids["E.ph2"] = ph(e1, evaluering_undervejs=date(2027, 6, 1))
    for day, value in ((date(2027, 1, 31), 40.0), (date(2027, 3, 31), 44.5)):
        s.create("maaling", {"tegn_id": ids["E.tegn"], "dato": day, "vaerdi": value})
    gone = s.create("maaling", {"tegn_id": ids["E.tegn"], "dato": date(2027, 4, 5), "vaerdi": 1.0})
    s.delete("maaling", gone)
    s.create("laering", {"maalplan_id": ids["E"], "dato": date(2027, 3, 20), "tekst": "Læring"})
    s.create(
        "laering", {"proevehandling_id": ids["E.ph"], "dato": date(2027, 3, 21), "tekst": "Mere"}
    )
    gone = s.create("laering", {"maalplan_id": ids["E"], "dato": date(2027, 3, 22), "tekst": "Væk"})
    s.delete("laering", gone)
    # F: every prøvehandling decided and evaluated
    ids["F"] = plan("Zeta", status_foer="udfyldt", status_del1="udfyldt", status_del2="udfyldt")
    f1 = maal(ids["F"])
    tegn(f1)
    ids["F.ph"] = ph(
        f1,
        status="afsluttet",
        status_dato=date(2027, 3, 30),
        evaluering_undervejs=date(2027, 3, 15),
        evaluering_afslutning=date(2027, 3, 30),
    )
    for kind in ("undervejs", "afslutning"):
        s.create("evaluering", {"proevehandling_id": ids["F.ph"], "type": kind})
    # A deleted plan is not in the årshjul.
    ids["gone"] = plan("Slettet")
    s.delete("maalplan", ids["gone"])
    return ids


def test_phases_through_the_year(db: Database) -> None:
    ids = _world(db)
    february = aarshjul(db, date(2027, 2, 10))
    assert {p.id for p in february.plans} == {ids[k] for k in "ABCDEF"}
    phase = {k: _plan(february, ids[k]).phase for k in "ABCDEF"}
    assert phase == {
        "A": "foer_lederdag",
        "B": "efter_lederdag",
        "C": "efter_del1",
        "D": "efter_del2",
        "E": "i_gang",  # started before March
        "F": "klar_til_august",
    }
    april = aarshjul(db, date(2027, 4, 10))
    assert _plan(april, ids["D"]).phase == "i_gang"  # March has come
    september = aarshjul(db, date(2027, 9, 1))
    assert _plan(september, ids["E"]).phase == "efter_august"
    assert _plan(september, ids["B"]).phase == "efter_lederdag"  # the calendar does not hide it
    # Every phase has its Danish name on screen.
    from screens import texts

    assert set(texts.AARSHJUL_PHASES) == set(wheel.PHASES)


def test_counts_and_deleted_rows(db: Database) -> None:
    ids = _world(db)
    result = aarshjul(db, date(2027, 4, 10))
    a, b, e, f = (_plan(result, ids[k]) for k in "ABEF")
    assert (a.maal, a.tegn) == (0, 0)
    assert (b.maal, b.maal_med_tegn, b.tegn) == (2, 1, 1)
    assert (e.maal, e.maal_med_tegn, e.maal_med_proevehandlinger) == (1, 1, 1)
    assert (e.proevehandlinger.i_gang, e.proevehandlinger.planlagt) == (1, 1)
    assert e.proevehandlinger.total == 2
    assert (e.maalinger, e.seneste_maaling) == (2, date(2027, 3, 31))
    assert e.laeringer == 2
    # E: undervejs 1.4. overdue, afslutning 20.4. soon; ph2's undervejs 1.6. later.
    assert (e.evalueringer_forfaldne, e.evalueringer_snart) == (1, 1)
    assert e.naeste_evaluering == date(2027, 4, 1)
    assert (f.evalueringer_forfaldne, f.evalueringer_snart, f.naeste_evaluering) == (0, 0, None)
    assert f.proevehandlinger.afsluttet == 1
    assert (e.enhed_navn, e.afdeling_navn) == ("Epsilon", "Skole og Dagtilbud")


def test_what_is_due_next(db: Database) -> None:
    ids = _world(db)
    december = aarshjul(db, date(2026, 12, 1))
    naeste = {k: _plan(december, ids[k]).naeste for k in "ABC"}
    # A has no mål and the usual lederdag (28.11.) has passed: overdue.
    assert naeste["A"] is not None and (naeste["A"].key, naeste["A"].overdue) == ("maal", True)
    # B wrote its mål and sheet FØR: next is tegn for the mål without, at del 1 (4.12.).
    assert naeste["B"] is not None
    assert (naeste["B"].key, naeste["B"].dato, naeste["B"].count) == ("tegn", date(2026, 12, 4), 1)
    assert not naeste["B"].overdue
    # C has its tegn and both sheets: next is the prøvehandlinger at del 2.
    assert naeste["C"] is not None and naeste["C"].key == "proevehandlinger"
    april = aarshjul(db, date(2027, 4, 10))
    e = _plan(april, ids["E"])
    # E's sheet EFTER is not filled (due at the check after del 2) and comes before its
    # evaluering of 1.4.
    assert e.naeste is not None and (e.naeste.key, e.naeste.overdue) == ("ark_efter", True)
    f = _plan(april, ids["F"])
    assert f.naeste is not None and f.naeste.key == "ark_efter"


def test_next_due_picks_the_earliest_open_task() -> None:
    tasks = [
        PlanTask("ark_foer", "chefforum_maal", date(2026, 12, 3), True, False),
        PlanTask("august", "august", date(2027, 8, 15), False, False),
        PlanTask("evaluering", "", date(2027, 4, 1), False, True, 3, 3),
        PlanTask("start", "start", date(2027, 3, 1), True, False),
    ]
    due = next_due(tasks)
    assert due is not None and (due.key, due.overdue, due.count) == ("evaluering", True, 3)
    assert next_due([PlanTask("august", "august", date(2027, 8, 15), True, False)]) is None


def test_the_next_evaluering_stands_by_its_date_among_the_points() -> None:
    """A plan's timeline reads in date order: the next evaluering (15 May) comes before the
    August status and next year's lederdag, not after them."""
    year = plan_year(2027, {}, date(2027, 4, 20))
    counts = wheel._Counts(maal=1, naeste_evaluering=date(2027, 5, 15), snart=1)
    sheets = dict.fromkeys(("status_foer", "status_del1", "status_del2", "status_efter"), "")
    tasks = wheel.plan_tasks(year, counts, sheets, date(2027, 4, 20))
    dates = [t.dato for t in tasks]
    assert dates == sorted(dates)
    keys = [t.key for t in tasks]
    assert keys.index("start") < keys.index("evaluering") < keys.index("august")
    assert keys[-1] == "naeste_lederdag"


def test_plan_detail(db: Database) -> None:
    ids = _world(db)
    detail = aarshjul_plan(db, ids["E"], date(2027, 4, 10))
    assert detail is not None
    assert detail.plan.id == ids["E"] and detail.year.aar == 2027
    assert [t.key for t in detail.tasks][:3] == ["maal", "ark_foer", "tegn"]
    by_id = {p.id: p for p in detail.proevehandlinger}
    first = by_id[ids["E.ph"]]
    assert first.status == "i_gang" and first.laeringer == 1
    assert (first.undervejs_state, first.afslutning_state) == ("forfalden", "snart")
    assert by_id[ids["E.ph2"]].undervejs_state == "senere"
    (tegn,) = detail.tegn
    assert (tegn.maalinger, tegn.seneste_dato, tegn.seneste_vaerdi) == (2, date(2027, 3, 31), 44.5)
    f = aarshjul_plan(db, ids["F"], date(2027, 4, 10))
    assert f is not None
    (done,) = f.proevehandlinger
    assert done.undervejs_done and done.afslutning_done and done.undervejs_state is None
    assert aarshjul_plan(db, ids["gone"], date(2027, 4, 10)) is None
    assert aarshjul_plan(db, "no-such-plan", date(2027, 4, 10)) is None


def test_the_plans_timeline_reads_in_date_order(db: Database) -> None:
    """The plan's detail on the screen (`screens.aarshjul.tasks_table`): the next evaluering
    (1 April, due) stands between the points before and after it, not after next year's
    lederdag at the end."""
    import re

    from rich.console import Console

    from screens.aarshjul import tasks_table

    ids = _world(db)
    detail = aarshjul_plan(db, ids["E"], date(2027, 3, 20))
    assert detail is not None
    console = Console(width=120, record=True, color_system=None)
    console.print(tasks_table(detail))
    lines = console.export_text().splitlines()
    found = [
        date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        for line in lines
        if (m := re.search(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", line))
    ]
    assert found == sorted(found), lines
    assert any("evaluering" in line.lower() and "1.4.2027" in line for line in lines), lines


def test_empty_database(db: Database) -> None:
    result = aarshjul(db, date(2026, 12, 3))
    assert result.plans == () and result.shown_year == 2027
    assert result.year(2027) is not None


# --- the number of queries ----------------------------------------------------------------------


def _many_plans(db: Database, n: int) -> None:
    s = Store(db)
    enhed = s.create("enhed", {"navn": "Nordlys Skole"})
    ms = s.create("maalsaetning", {"tekst": "Flere børn trives."})
    for i in range(n):
        plan = s.create("maalplan", {"titel": f"Plan {i}", "aar": 2027, "enhed_id": enhed})
        maal = s.create("maal", {"maalplan_id": plan, "maalsaetning_id": ms, "tekst": "Et mål"})
        tegn = s.create("tegn", {"maal_id": maal, "tekst": "Et tegn"})
        s.create("maaling", {"tegn_id": tegn, "dato": date(2027, 2, 1), "vaerdi": 1.0})
        s.create(
            "proevehandling",
            {"maal_id": maal, "tekst": "Prøv", "evaluering_undervejs": date(2027, 3, 1)},
        )


def test_the_read_does_not_query_per_plan(tmp_path: Path) -> None:
    sizes = {}
    for n in (2, 12):
        database = open_database(str(tmp_path / f"{n}.db"), device_name="Test")
        try:
            _many_plans(database, n)
            with counted_queries(database) as seen:
                result = aarshjul(database, date(2027, 4, 1))
            assert len(result.plans) == n
            assert all(p.evalueringer_forfaldne == 1 for p in result.plans)
            sizes[n] = len(seen)
        finally:
            database.close()
    assert sizes[2] == sizes[12] <= 10, sizes
