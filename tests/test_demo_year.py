"""The demo has a year around its workshop (issue 15): the lederdag before del 1, and last
year's plans followed through 2026 with målinger, statuses, evaluations and læring, so a new
user sees the follow-up at once. Today's workshop (del 1 and del 2) stays what it was."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from models import settings
from models.demo import build_demo
from models.queries import live_rows
from models.runchart import first_number
from models.store import Store

TODAY = date(2026, 12, 6)


def _day(value: Any) -> date | None:
    return date.fromisoformat(str(value)[:10]) if value else None


@pytest.fixture
def demo(store: Store) -> tuple[Store, dict[str, str]]:
    return store, build_demo(store)


def test_the_lederdag_comes_before_del_1_and_writes_a_mal_for_every_malsaetning(demo) -> None:
    store, ids = demo
    db = store.db
    days = {d["dagdel"]: d for d in live_rows(db, "udviklingsdag")}
    assert set(days) == {"lederdag", "del1", "del2"}
    assert _day(days["lederdag"]["dato"]) < _day(days["del1"]["dato"]) < TODAY
    maal = {m["id"]: m for m in live_rows(db, "maal")}
    borde = live_rows(db, "bord", udviklingsdag_id=days["lederdag"]["id"])
    assert 2 <= len(borde) <= 3
    written = set()
    for bord in borde:
        assert bord["maalsaetning_ids"] and bord["maal_ids"]
        # Each mål at the bord is for one of its målsætninger, and each of its målsætninger
        # has a mål (the lederdag's completeness rule).
        for_ms = {maal[m]["maalsaetning_id"] for m in bord["maal_ids"]}
        assert for_ms == set(bord["maalsaetning_ids"])
        written |= set(bord["maal_ids"])
        assert live_rows(db, "deltager", bord_id=bord["id"])
    # Every 2027 mål was written there, and the leaders' possible partners are on them.
    assert written == {m for m, row in maal.items() if row["fra_aar"] == 2027}
    assert sum(1 for m in written if maal[m]["mulige_partnere"]) == 3
    # The home screen still opens on today's workshop.
    assert store.get_setting(settings.CHOSEN_UDVIKLINGSDAG.key) == ids["dag:del1"]


def test_last_years_plans_have_a_year_of_malinger(demo) -> None:
    store, _ids = demo
    db = store.db
    plans = [p for p in live_rows(db, "maalplan") if p["aar"] == 2026]
    assert len(plans) == 3
    plan_ids = {p["id"] for p in plans}
    maal = {m["id"] for m in live_rows(db, "maal") if m["maalplan_id"] in plan_ids}
    tegn = [t for t in live_rows(db, "tegn") if t["maal_id"] in maal]
    kvantitative = [t for t in tegn if t["type"] == "kvantitativ"]
    assert len(kvantitative) >= 4 and len(tegn) > len(kvantitative)
    for t in tegn:
        rows = sorted(live_rows(db, "maaling", tegn_id=t["id"]), key=lambda r: str(r["dato"]))
        days = [_day(r["dato"]) for r in rows]
        assert all(d is not None and date(2026, 2, 1) <= d < TODAY for d in days)
        if t["type"] == "kvalitativ":
            assert rows and all(r["observation"] and r["vaerdi"] is None for r in rows)
            continue
        # About one a month from February to November, numbers moving toward the target.
        assert 9 <= len(rows) <= 12 and len({(d.year, d.month) for d in days if d}) == len(rows)
        values = [r["vaerdi"] for r in rows]
        assert all(isinstance(v, float) for v in values)
        baseline, target = first_number(t["baseline"]), first_number(t["forventet_niveau"])
        assert baseline is not None and target is not None
        assert abs(values[-1] - target) < abs(values[0] - target)


def test_statuses_evaluations_and_laering_as_in_december(demo) -> None:
    store, _ids = demo
    db = store.db
    trials = live_rows(db, "proevehandling")
    statuses = [p["status"] for p in trials]
    for wanted in ("afsluttet", "i_gang"):
        assert statuses.count(wanted) >= 2
    assert statuses.count("stoppet") == 1 and statuses.count("viderefoert") == 1
    for p in trials:
        if p["status"] != "planlagt":
            assert _day(p["status_dato"]) is not None and _day(p["status_dato"]) <= TODAY
    held = {(e["proevehandling_id"], e["type"]) for e in live_rows(db, "evaluering")}
    overdue, soon = [], []
    for p in trials:
        for kind in ("undervejs", "afslutning"):
            due = _day(p[f"evaluering_{kind}"])
            if due is None or (p["id"], kind) in held or p["status"] == "stoppet":
                continue
            if due < TODAY:
                overdue.append(p["tekst"])
            elif (due - TODAY).days <= 14:
                soon.append(p["tekst"])
    assert len(overdue) >= 2 and len(soon) >= 1
    assert any(e["effekt"] and e["laering"] for e in live_rows(db, "evaluering"))
    laering = live_rows(db, "laering")
    assert sum(1 for r in laering if r["proevehandling_id"]) >= 3
    assert sum(1 for r in laering if r["maalplan_id"]) >= 3
    assert all(_day(r["dato"]) and _day(r["dato"]) < TODAY and r["tekst"] for r in laering)
