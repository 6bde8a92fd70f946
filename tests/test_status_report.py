"""The August status (issue 16, `models.status_report`): per politik and målsætning the mål of a
year's plans with their data and assessment, the roll-up rule per målsætning, the first page in
plain Danish, one vurdering per mål and year (also after a merge that brings two), deleted rows
left out and a number of queries that does not grow with the number of plans."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from exports.bundle import import_bundles, write_handoff, write_pack
from models.db import Database, open_database
from models.demo import build_demo
from models.errors import UdviklingsdagError
from models.runchart import RunChart
from models.status_report import (
    IKKE_VURDERET,
    StatusReport,
    chosen_vurdering,
    default_year,
    report_years,
    rollup,
    status_report,
    vurdering_of,
)
from models.store import Store
from models.workspace import Workspace

BOTH_BACKENDS = True  # the `db` fixture (tests/conftest.py): SQLite and PostgreSQL

OPFYLDT, DELVIST, IKKE_ENDNU, FOR_TIDLIGT = "opfyldt", "delvist", "ikke_endnu", "for_tidligt"


@contextmanager
def counted_queries(database: Database) -> Iterator[list[str]]:
    from sqlalchemy import event

    seen: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(database.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(database.engine, "before_cursor_execute", before)


def _live(db: Database, entity: str) -> list[dict[str, Any]]:
    from sqlalchemy import select

    from models.schema import ENTITIES

    table = ENTITIES[entity].sql_table
    with db.engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(table).where(~table.c.deleted)).mappings()]


# --- the roll-up rule ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], IKKE_VURDERET),
        ([None], IKKE_VURDERET),
        ([None, None], IKKE_VURDERET),
        ([OPFYLDT], OPFYLDT),
        ([OPFYLDT, OPFYLDT, OPFYLDT], OPFYLDT),
        ([OPFYLDT, None], DELVIST),  # one mål not assessed: not all opfyldt
        ([OPFYLDT, DELVIST], DELVIST),
        ([OPFYLDT, IKKE_ENDNU], DELVIST),
        ([OPFYLDT, FOR_TIDLIGT], DELVIST),
        ([DELVIST], DELVIST),
        ([DELVIST, IKKE_ENDNU, FOR_TIDLIGT, None], DELVIST),
        ([IKKE_ENDNU], IKKE_ENDNU),
        ([IKKE_ENDNU, FOR_TIDLIGT], IKKE_ENDNU),
        ([IKKE_ENDNU, None], IKKE_ENDNU),
        ([FOR_TIDLIGT], FOR_TIDLIGT),
        ([FOR_TIDLIGT, FOR_TIDLIGT], FOR_TIDLIGT),
        ([FOR_TIDLIGT, None], FOR_TIDLIGT),
    ],
)
def test_rollup_rule(values: list[str | None], expected: str) -> None:
    result = rollup(values)
    assert result.value == expected
    assert result.maal == len(values)
    assert result.vurderet == sum(v is not None for v in values)


def _oracle(values: tuple[str | None, ...]) -> str:
    """The rule said another way: by the best and the set of the assessed values."""
    assessed = {v for v in values if v is not None}
    if not assessed:
        return IKKE_VURDERET
    if assessed == {OPFYLDT} and None not in values:
        return OPFYLDT
    if assessed == {FOR_TIDLIGT}:
        return FOR_TIDLIGT
    if assessed & {OPFYLDT, DELVIST}:
        return DELVIST
    return IKKE_ENDNU


@pytest.mark.parametrize("size", [0, 1, 2, 3, 4])
def test_rollup_every_combination(size: int) -> None:
    """Every combination of up to four mål: the word, the distribution, the order not mattering."""
    choices = (OPFYLDT, DELVIST, IKKE_ENDNU, FOR_TIDLIGT, None)
    for values in itertools.product(choices, repeat=size):
        result = rollup(values)
        assert result.value == _oracle(values), values
        assert rollup(reversed(values)) == result
        assert sum(n for _v, n in result.fordeling) == size
        assert all(n > 0 for _v, n in result.fordeling)
        assert dict(result.fordeling).get(IKKE_VURDERET, 0) == values.count(None)


def test_rollup_text_and_score() -> None:
    mixed = rollup([OPFYLDT, IKKE_ENDNU, None])
    assert mixed.text() == "Delvist opfyldt (1 opfyldt, 1 ikke opfyldt endnu, 1 ikke vurderet)"
    assert mixed.score == 0.5
    assert rollup([FOR_TIDLIGT, None]).score is None
    assert rollup([]).text() == "Ikke vurderet"


def test_rollup_text_says_first_when_most_maal_are_not_assessed() -> None:
    """«For tidligt at sige (1 for tidligt at sige, 2 ikke vurderet)» read on page 1 as if the
    målsætning had been looked at: when most of its mål are not assessed, that comes first;
    and the word is not repeated as its own distribution."""
    assert rollup([FOR_TIDLIGT, None, None]).text() == (
        "Kun 1 af 3 mål er vurderet: for tidligt at sige"
    )
    assert rollup([OPFYLDT, None, None]).text() == (
        "Kun 1 af 3 mål er vurderet: delvist opfyldt (1 opfyldt)"
    )
    assert rollup([OPFYLDT]).text() == "Opfyldt"
    assert rollup([None, None]).text() == "Ikke vurderet"
    assert rollup([FOR_TIDLIGT, None]).text() == (
        "For tidligt at sige (1 for tidligt at sige, 1 ikke vurderet)"
    )


def _politik(*rollups: list[str | None]) -> list[Any]:
    from models.status_report import MaalsaetningStatus, MaalStatus, PolitikStatus, Vurdering

    def maal(i: int, value: str | None) -> MaalStatus:
        vurdering = Vurdering(f"v{i}", value, None, None, None) if value else None
        return MaalStatus(f"m{i}", f"Mål {i}", None, "p", "Plan", "Enhed", (), (), (), vurdering)

    items = []
    for n, values in enumerate(rollups):
        maal_ = tuple(maal(n * 10 + i, v) for i, v in enumerate(values))
        items.append(
            MaalsaetningStatus(f"ms{n}", f"Målsætning {n}", "politik", maal_, rollup(values))
        )
    return [PolitikStatus("pol", "Politik", tuple(items))]


def test_the_first_page_names_every_maalsaetning_that_shares_the_worst_place() -> None:
    """Two målsætninger equally far from the goal: both are named (as equal), none is picked."""
    from models.status_report import summarise

    summary = summarise(2026, _politik([OPFYLDT], [DELVIST], [DELVIST]), 2)
    text = " ".join(summary.saetninger)
    assert summary.vaerst is None and summary.bedst is not None
    assert "Det gik bedst med målsætningen «Målsætning 0»" in text
    assert "Længst fra målet, og lige langt, er målsætningerne «Målsætning 1» (" in text
    assert "og «Målsætning 2» (0 af 1 mål opfyldt, samlet delvist opfyldt)." in text
    # Two sharing the best place, and nothing worse: equally well, none singled out.
    even = " ".join(summarise(2026, _politik([OPFYLDT], [OPFYLDT]), 1).saetninger)
    assert "Det gik lige godt med målsætningerne «Målsætning 0»" in even
    assert "Længst" not in even


def test_the_first_page_says_when_most_maal_are_not_assessed() -> None:
    from models.status_report import summarise

    summary = summarise(2026, _politik([FOR_TIDLIGT, None, None]), 1)
    assert summary.saetninger[1] == (
        "Tovholderne har kun vurderet 1 af de 3 mål; 2 mangler endnu vurdering, så det, der "
        "står herunder, bygger på få mål."
    )
    assert not any("mangler endnu tovholderens" in line for line in summary.saetninger)


def test_default_year() -> None:
    assert default_year((2025, 2026, 2027), date(2026, 12, 6)) == 2026
    assert default_year((2025, 2026, 2027), date(2026, 7, 31)) == 2025
    assert default_year((2026, 2027), date(2026, 8, 1)) == 2026
    assert default_year((2027,), date(2026, 12, 6)) == 2027  # none begun: the newest
    assert default_year((), date(2026, 12, 6)) is None


def test_chosen_vurdering_newest_date_then_id() -> None:
    rows: list[dict[str, Any]] = [
        {"id": "b", "dato": date(2026, 8, 1)},
        {"id": "a", "dato": date(2026, 8, 20)},
        {"id": "c", "dato": None},
    ]
    assert (chosen_vurdering(rows) or {})["id"] == "a"
    rows.append({"id": "d", "dato": date(2026, 8, 20)})
    assert (chosen_vurdering(rows) or {})["id"] == "d"
    assert chosen_vurdering([]) is None


# --- the demo ------------------------------------------------------------------------------


def test_the_demo_august_status(db: Database) -> None:
    ids = build_demo(Store(db))
    assert 2026 in report_years(db)
    report = status_report(db, 2026, date(2026, 12, 6))
    assert isinstance(report, StatusReport) and report.aar == 2026
    names = [p.navn for p in report.politikker]
    # The politikker by name, then the budget agreement
    assert names == [
        "Beskæftigelsespolitik",
        "Børne- og ungepolitik",
        "Sundheds- og ældrepolitik",
        "Budgetaftale",
    ]
    assert report.politikker[-1].id is None
    maal = {m.id: m for m in report.maal}
    by_key = {key: maal[ids[f"maal:2026:{key}"]] for key in ("tilbud", "bad", "sygdom", "ro")}
    assert {k: m.opfyldelse for k, m in by_key.items()} == {
        "tilbud": OPFYLDT,
        "bad": DELVIST,
        "sygdom": IKKE_ENDNU,
        "ro": FOR_TIDLIGT,
    }
    bad = by_key["bad"]
    assert bad.enhed_navn == "Hjemmeplejen"
    assert bad.vurdering is not None and bad.vurdering.dato == date(2026, 8, 18)
    assert "46 %" in (bad.vurdering.begrundelse or "")
    # its quantitative tegn: the latest måling beside baseline and expected level, a run chart
    selvbad = next(t for t in bad.tegn if t.type == "kvantitativ")
    assert (selvbad.baseline, selvbad.forventet_niveau) == ("34 %", "50 %")
    assert (selvbad.seneste_dato, selvbad.seneste_vaerdi) == (date(2026, 11, 28), 47.0)
    assert selvbad.maalinger == 10 and isinstance(selvbad.chart, RunChart)
    assert len(selvbad.chart.points) == 10
    kvalitativ = next(t for t in bad.tegn if t.type == "kvalitativ")
    assert kvalitativ.chart is None and kvalitativ.seneste_observation
    # prøvehandlinger with status, date and evaluated effect
    statuses = {p.status for p in bad.proevehandlinger}
    assert statuses == {"afsluttet", "i_gang"}
    done = next(p for p in bad.proevehandlinger if p.status == "afsluttet")
    assert done.status_dato == date(2026, 8, 31) and done.effekter
    assert all(e.effekt for e in done.effekter)
    # the newest læring first, dated
    laering = [line.dato or date.min for line in by_key["tilbud"].laering]
    assert laering == sorted(laering, reverse=True) and len(laering) == 3
    # the roll-up per målsætning: one mål each here
    rollups = {ms.tekst[:20]: ms.rollup.value for ms in report.maalsaetninger}
    assert sorted(rollups.values()) == sorted([OPFYLDT, DELVIST, IKKE_ENDNU, FOR_TIDLIGT])
    # the first page
    summary = report.summary
    assert (summary.maal, summary.maalsaetninger, summary.enheder) == (4, 4, 3)
    text = " ".join(summary.saetninger)
    assert "I 2026 arbejdede 3 enheder med 4 mål under 4 målsætninger." in text
    assert "Af de 4 mål er 1 opfyldt, 1 delvist opfyldt og 1 ikke opfyldt endnu." in text
    assert "For 1 mål er det for tidligt at sige." in text
    assert summary.bedst is not None and summary.bedst.rollup.value == OPFYLDT
    assert summary.vaerst is not None and summary.vaerst.rollup.value == IKKE_ENDNU
    assert f"Det gik bedst med målsætningen «{summary.bedst.tekst}»" in text
    assert f"Længst fra målet er «{summary.vaerst.tekst}»" in text
    assert "mangler" not in text  # every mål is assessed
    # a year without vurderinger: every mål «ikke vurderet»
    later = status_report(db, 2027, date(2026, 12, 6))
    assert later.maal and all(m.opfyldelse == IKKE_VURDERET for m in later.maal)
    assert all(ms.rollup.value == IKKE_VURDERET for ms in later.maalsaetninger)
    assert f"{later.summary.maal} mål mangler endnu tovholderens vurdering." in " ".join(
        later.summary.saetninger
    )
    assert later.summary.bedst is None and later.summary.vaerst is None


# --- a built case --------------------------------------------------------------------------


def _world(db: Database) -> dict[str, str]:
    """Two plans of 2027 and one of 2026: målsætninger under a politik, from the budget
    agreement and under no politik; deleted rows of every kind."""
    s = Store(db)
    ids: dict[str, str] = {}
    ids["politik"] = s.create("politik", {"navn": "Sundhedspolitik"})
    ids["ms1"] = s.create(
        "maalsaetning", {"tekst": "Flere ældre klarer sig selv", "politik_id": ids["politik"]}
    )
    ids["ms2"] = s.create("maalsaetning", {"tekst": "Lavere sygefravær", "kilde": "budgetaftale"})
    ids["ms3"] = s.create("maalsaetning", {"tekst": "Bedre rådgivning"})
    a = s.create("enhed", {"navn": "Alfa"})
    b = s.create("enhed", {"navn": "Beta"})
    ids["planA"] = s.create("maalplan", {"titel": "Alfa 2027", "aar": 2027, "enhed_id": a})
    ids["planB"] = s.create("maalplan", {"titel": "Beta 2027", "aar": 2027, "enhed_id": b})
    ids["old"] = s.create("maalplan", {"titel": "Alfa 2026", "aar": 2026, "enhed_id": a})
    gone_plan = s.create("maalplan", {"titel": "Væk", "aar": 2027, "enhed_id": b})

    def maal(plan: str, ms: str, tekst: str) -> str:
        return s.create("maal", {"maalplan_id": plan, "maalsaetning_id": ms, "tekst": tekst})

    ids["a1"] = maal(ids["planA"], ids["ms1"], "A1")
    ids["b1"] = maal(ids["planB"], ids["ms1"], "B1")
    ids["a2"] = maal(ids["planA"], ids["ms2"], "A2")
    ids["b3"] = maal(ids["planB"], ids["ms3"], "B3")
    ids["old1"] = maal(ids["old"], ids["ms1"], "Gammelt")
    s.delete("maal", maal(ids["planA"], ids["ms1"], "Slettet mål"))
    maal(gone_plan, ids["ms1"], "I en slettet plan")
    s.delete("maalplan", gone_plan)
    t = s.create(
        "tegn",
        {
            "maal_id": ids["a1"],
            "tekst": "Andel",
            "type": "kvantitativ",
            "baseline": "30 %",
            "forventet_niveau": "50 %",
        },
    )
    s.create("maaling", {"tegn_id": t, "dato": date(2027, 3, 31), "vaerdi": 40.0})
    s.create("maaling", {"tegn_id": t, "dato": date(2027, 5, 31), "vaerdi": 45.0})
    gone = s.create("maaling", {"tegn_id": t, "dato": date(2027, 6, 30), "vaerdi": 99.0})
    s.delete("maaling", gone)
    s.delete("tegn", s.create("tegn", {"maal_id": ids["a1"], "tekst": "Væk"}))
    ph = s.create(
        "proevehandling",
        {
            "maal_id": ids["a1"],
            "tekst": "Træning hjemme",
            "status": "afsluttet",
            "status_dato": date(2027, 6, 1),
        },
    )
    s.create(
        "evaluering",
        {"proevehandling_id": ph, "type": "afslutning", "effekt": "Flere træner selv."},
    )
    s.create("evaluering", {"proevehandling_id": ph, "type": "undervejs", "effekt": "  "})
    s.delete(
        "evaluering",
        s.create("evaluering", {"proevehandling_id": ph, "type": "undervejs", "effekt": "Væk"}),
    )
    s.create("laering", {"proevehandling_id": ph, "dato": date(2027, 4, 1), "tekst": "Først"})
    s.create("laering", {"maalplan_id": ids["planA"], "dato": date(2027, 5, 1), "tekst": "Plan"})
    s.delete(
        "laering",
        s.create("laering", {"proevehandling_id": ph, "dato": date(2027, 6, 1), "tekst": "Væk"}),
    )
    ids["ph"] = ph
    return ids


def _ws(db: Database, day: datetime) -> Workspace:
    ws = Workspace(db)
    ws.clock = lambda: day
    return ws


def test_a_built_case(db: Database) -> None:
    ids = _world(db)
    ws = _ws(db, datetime(2027, 8, 20, 10, 0))
    ws.set_vurdering(ids["a1"], 2027, OPFYLDT, "  Nået.  ")
    ws.set_vurdering(ids["a2"], 2027, IKKE_ENDNU, "")
    # a deleted vurdering counts for nothing; another year's neither
    gone = ws.create("vurdering", {"maal_id": ids["b1"], "aar": 2027, "maalopfyldelse": OPFYLDT})
    ws.delete("vurdering", gone)
    ws.set_vurdering(ids["b1"], 2026, OPFYLDT, None)
    report = ws.status_report(2027)
    assert report.today == date(2027, 8, 20)
    assert [(p.navn, p.id) for p in report.politikker] == [
        ("Sundhedspolitik", ids["politik"]),
        ("Budgetaftale", None),
        ("Uden politik", None),
    ]
    ms1 = report.politikker[0].maalsaetninger[0]
    assert [m.tekst for m in ms1.maal] == ["A1", "B1"]  # by enhed; only 2027's live mål
    assert ms1.rollup.value == DELVIST and ms1.rollup.text() == (
        "Delvist opfyldt (1 opfyldt, 1 ikke vurderet)"
    )
    a1, b1 = ms1.maal
    assert a1.vurdering is not None
    assert (a1.vurdering.begrundelse, a1.vurdering.dato, a1.vurdering.hvem) == (
        "Nået.",
        date(2027, 8, 20),
        "Testbærbar",
    )
    assert b1.vurdering is None and b1.opfyldelse == IKKE_VURDERET
    assert (a1.enhed_navn, a1.maalplan_titel, a1.maalplan_id) == ("Alfa", "Alfa 2027", ids["planA"])
    (tegn,) = a1.tegn
    assert (tegn.seneste_dato, tegn.seneste_vaerdi, tegn.maalinger) == (date(2027, 5, 31), 45.0, 2)
    assert tegn.chart is not None and [p.vaerdi for p in tegn.chart.points] == [40.0, 45.0]
    (ph,) = a1.proevehandlinger
    assert (ph.status, ph.status_dato) == ("afsluttet", date(2027, 6, 1))
    assert [(e.type, e.effekt) for e in ph.effekter] == [("afslutning", "Flere træner selv.")]
    assert [(line.tekst, line.proevehandling) for line in a1.laering] == [
        ("Først", "Træning hjemme"),
    ]
    # The plan's own læring once for the plan, not under each of its mål.
    assert [(p.maalplan_titel, [x.tekst for x in p.laering]) for p in report.planlaering] == [
        ("Alfa 2027", ["Plan"])
    ]
    assert [x.tekst for x in a1.plan_laering] == ["Plan"]
    assert b1.laering == () and b1.plan_laering == ()  # plan B has no læring
    budget = report.politikker[1].maalsaetninger[0]
    assert budget.rollup.value == IKKE_ENDNU and budget.maal[0].vurdering is not None
    assert budget.maal[0].vurdering.begrundelse is None
    assert report.politikker[2].maalsaetninger[0].rollup.value == IKKE_VURDERET
    text = " ".join(report.summary.saetninger)
    assert "I 2027 arbejdede 2 enheder med 4 mål under 3 målsætninger." in text
    assert "Af de 4 mål er 1 opfyldt og 1 ikke opfyldt endnu." in text
    assert "2 mål mangler endnu tovholderens vurdering." in text
    assert "«Flere ældre klarer sig selv» (1 af 2 mål opfyldt, samlet delvist opfyldt)" in text
    assert "Længst fra målet er «Lavere sygefravær»" in text
    assert dict(report.summary.fordeling) == {
        OPFYLDT: 1,
        DELVIST: 0,
        IKKE_ENDNU: 1,
        FOR_TIDLIGT: 0,
        IKKE_VURDERET: 2,
    }
    # the 2026 plan has its own mål and its own year's vurdering
    old = ws.status_report(2026)
    assert [m.tekst for m in old.maal] == ["Gammelt"]
    assert report_years(db) == (2026, 2027)


def test_an_empty_year(db: Database) -> None:
    report = status_report(db, 2030, date(2030, 8, 20))
    assert report.politikker == () and report.summary.maal == 0
    assert report.summary.saetninger == (
        "Der er ingen mål i målplanerne for 2030 endnu, så der er intet at gøre status på.",
    )
    assert report_years(db) == ()


# --- one vurdering per mål and year --------------------------------------------------------


def test_setting_twice_changes_the_one_vurdering_and_undo_restores(db: Database) -> None:
    ids = _world(db)
    ws = _ws(db, datetime(2027, 8, 10, 9, 0))
    first = ws.set_vurdering(ids["a1"], 2027, FOR_TIDLIGT, "Vent og se")
    ws.clock = lambda: datetime(2027, 8, 24, 9, 0)
    second = ws.set_vurdering(ids["a1"], 2027, DELVIST, "Halvvejs")
    assert first == second
    rows = [r for r in _live(db, "vurdering") if r["maal_id"] == ids["a1"]]
    assert len(rows) == 1
    assert (rows[0]["maalopfyldelse"], rows[0]["dato"]) == (DELVIST, date(2027, 8, 24))
    # a bad value is refused before anything is written
    with pytest.raises(UdviklingsdagError, match="Målopfyldelse"):
        ws.set_vurdering(ids["a1"], 2027, "glimrende", None)
    assert ws.undo() is not None
    back = vurdering_of(db, ids["a1"], 2027)
    assert back is not None and (back.maalopfyldelse, back.begrundelse, back.dato) == (
        FOR_TIDLIGT,
        "Vent og se",
        date(2027, 8, 10),
    )
    assert ws.undo() is not None
    assert vurdering_of(db, ids["a1"], 2027) is None
    # another year is another vurdering
    ws.set_vurdering(ids["a1"], 2027, OPFYLDT, None)
    ws.set_vurdering(ids["a1"], 2028, FOR_TIDLIGT, None)
    assert len([r for r in _live(db, "vurdering") if r["maal_id"] == ids["a1"]]) == 2


def test_a_merge_that_brings_two(db: Database, tmp_path: Path) -> None:
    """Two laptops assess the same mål for the same year; the tovholder merges both: nothing
    crashes, the newest counts (and says there is one more), the next assessment keeps one."""
    ids = _world(db)
    write_pack(db, tmp_path / "pack.udviklingsdag.json")
    handoffs = []
    for n, (day, value) in enumerate(((20, IKKE_ENDNU), (22, OPFYLDT)), start=1):
        laptop = open_database(str(tmp_path / f"l{n}.db"), device_name=f"Leder {n}")
        try:
            import_bundles(laptop, [tmp_path / "pack.udviklingsdag.json"])
            _ws(laptop, datetime(2027, 8, day, 12, 0)).set_vurdering(
                ids["a1"], 2027, value, f"Fra leder {n}"
            )
            handoffs.append(write_handoff(laptop, tmp_path / f"l{n}.udviklingsdag.json").path)
        finally:
            laptop.close()
    report = import_bundles(db, handoffs)
    assert report.open_conflicts == 0
    assert len([r for r in _live(db, "vurdering") if r["maal_id"] == ids["a1"]]) == 2
    chosen = vurdering_of(db, ids["a1"], 2027)
    assert chosen is not None
    assert (chosen.maalopfyldelse, chosen.hvem, chosen.andre) == (OPFYLDT, "Leder 2", 1)
    a1 = next(m for m in status_report(db, 2027, date(2027, 9, 1)).maal if m.id == ids["a1"])
    assert a1.vurdering == chosen
    # the tovholder assesses again: one vurdering is left, the chosen one, changed
    ws = _ws(db, datetime(2027, 8, 30, 8, 0))
    assert ws.set_vurdering(ids["a1"], 2027, DELVIST, "Samlet") == chosen.id
    rows = [r for r in _live(db, "vurdering") if r["maal_id"] == ids["a1"]]
    assert [(r["id"], r["maalopfyldelse"], r["hvem"]) for r in rows] == [
        (chosen.id, DELVIST, "Testbærbar")
    ]
    # and one undo brings both back as they were
    ws.undo()
    assert len([r for r in _live(db, "vurdering") if r["maal_id"] == ids["a1"]]) == 2


# --- bulk reads ----------------------------------------------------------------------------


def _many_plans(db: Database, n: int) -> None:
    s = Store(db)
    ms = s.create("maalsaetning", {"tekst": "Flere børn trives"})
    for i in range(n):
        enhed = s.create("enhed", {"navn": f"Enhed {i}"})
        plan = s.create("maalplan", {"titel": f"Plan {i}", "aar": 2027, "enhed_id": enhed})
        for j in range(2):
            maal = s.create("maal", {"maalplan_id": plan, "maalsaetning_id": ms, "tekst": f"{j}"})
            tegn = s.create("tegn", {"maal_id": maal, "tekst": "Tegn", "type": "kvantitativ"})
            s.create("maaling", {"tegn_id": tegn, "dato": date(2027, 2, 1), "vaerdi": 1.0})
            ph = s.create("proevehandling", {"maal_id": maal, "tekst": "Prøv"})
            s.create("evaluering", {"proevehandling_id": ph, "type": "undervejs", "effekt": "God"})
            s.create("laering", {"proevehandling_id": ph, "dato": date(2027, 3, 1), "tekst": "L"})
            s.create("vurdering", {"maal_id": maal, "aar": 2027, "maalopfyldelse": OPFYLDT})


def test_the_report_does_not_query_per_plan_or_maal(tmp_path: Path) -> None:
    sizes = {}
    for n in (2, 12):
        database = open_database(str(tmp_path / f"{n}.db"), device_name="Test")
        try:
            _many_plans(database, n)
            with counted_queries(database) as seen:
                report = status_report(database, 2027, date(2027, 8, 20))
            assert len(report.maal) == 2 * n
            assert report.maalsaetninger[0].rollup.value == OPFYLDT
            sizes[n] = len(seen)
        finally:
            database.close()
    assert sizes[2] == sizes[12] <= 40, sizes
