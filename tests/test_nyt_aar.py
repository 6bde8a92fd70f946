"""«Nyt år» (issue 16): what the proposal carries to next year and what it leaves behind with
the reason, that `carry` writes exactly the chosen rows with `fra_id` links as one undoable
action, that a second run writes nothing twice, that next year's plan is reused when it exists,
and that deleted rows are left out. On SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import select

from models.db import Database
from models.nyt_aar import NytAarValg, carry, new_title, plan_years, proposal
from models.schema import ENTITIES
from models.store import Store
from models.tables import sql_table

BOTH_BACKENDS = True  # the `db` fixture (tests/conftest.py): SQLite and PostgreSQL

TODAY = date(2026, 11, 20)


def _rows(store: Store, entity: str, **where: Any) -> list[dict[str, Any]]:
    table = sql_table(ENTITIES[entity].table)
    query = select(table).where(~table.c.deleted)
    for name, value in where.items():
        query = query.where(table.c[name] == value)
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def _world(store: Store) -> dict[str, str]:
    """Two 2026 plans: Alfa with a running mål (tegn with målinger, open and closed
    prøvehandlinger, a samarbejde, notes, evalueringer, læring, vurdering), an ended one, one
    without an end and a deleted one; Beta whose enhed has a 2027 plan already."""
    s = store
    ids: dict[str, str] = {}
    ms = s.create("maalsaetning", {"tekst": "Flere borgere klarer sig selv."})
    alfa = s.create("enhed", {"navn": "Alfa", "type": "enhed"})
    beta = s.create("enhed", {"navn": "Beta", "type": "enhed"})
    ids["plan"] = s.create(
        "maalplan",
        {
            "titel": "Målplan 2026 for Alfa",
            "aar": 2026,
            "enhed_id": alfa,
            "ansvarlig": "Anna Chef",
            "sagsnummer": "00.01.00-A00-1-26",
            "kle": "27.12",
            "plan_a": [1, 6, 8],
            "status_foer": "godkendt",
        },
    )
    ids["maal"] = s.create(
        "maal",
        {
            "maalplan_id": ids["plan"],
            "maalsaetning_id": ms,
            "enhed_id": alfa,
            "tekst": "Flere klarer morgenen selv.",
            "fra_aar": 2026,
            "til_aar": 2027,
            "ansvarlig": "Bo Leder",
            "plan_a": [6],
            "mulige_partnere": "Træningscenteret",
        },
    )
    ids["tegn1"] = s.create(
        "tegn",
        {
            "maal_id": ids["maal"],
            "tekst": "Andel der klarer morgenen selv",
            "type": "kvantitativ",
            "baseline": "40 %",
            "forventet_niveau": "60 %",
        },
    )
    ids["tegn2"] = s.create("tegn", {"maal_id": ids["maal"], "tekst": "Borgerne fortæller"})
    s.create("maaling", {"tegn_id": ids["tegn1"], "dato": date(2026, 3, 1), "vaerdi": 41.0})
    s.create("maaling", {"tegn_id": ids["tegn1"], "dato": date(2026, 9, 1), "vaerdi": 52.5})
    ids["ph_i_gang"] = s.create(
        "proevehandling",
        {
            "maal_id": ids["maal"],
            "tekst": "Morgentræning i hjemmet",
            "status": "i_gang",
            "status_dato": date(2026, 3, 1),
            "start": date(2026, 3, 1),
            "slut": date(2027, 6, 30),
            "evaluering_undervejs": date(2026, 9, 1),
            "tegn_ids": [ids["tegn1"], ids["tegn2"]],
        },
    )
    ids["ph_planlagt"] = s.create(
        "proevehandling", {"maal_id": ids["maal"], "tekst": "Hjælpemidler først"}
    )
    ids["ph_afsluttet"] = s.create(
        "proevehandling", {"maal_id": ids["maal"], "tekst": "Pjece", "status": "afsluttet"}
    )
    ids["ph_stoppet"] = s.create(
        "proevehandling", {"maal_id": ids["maal"], "tekst": "Video", "status": "stoppet"}
    )
    gone = s.create(
        "proevehandling", {"maal_id": ids["maal"], "tekst": "Slettet", "status": "i_gang"}
    )
    s.delete("proevehandling", gone)
    ids["samarbejde"] = s.create(
        "samarbejde", {"maal_id": ids["maal"], "partner_ids": [beta], "niveau": "koordination"}
    )
    s.create("evaluering", {"proevehandling_id": ids["ph_i_gang"], "effekt": "God effekt"})
    s.create(
        "laering",
        {"proevehandling_id": ids["ph_i_gang"], "dato": date(2026, 5, 1), "tekst": "Lært"},
    )
    s.create("note", {"maal_id": ids["maal"], "tekst": "En note"})
    s.create("vurdering", {"maal_id": ids["maal"], "aar": 2026, "maalopfyldelse": "delvist"})
    ids["ended"] = s.create(
        "maal",
        {
            "maalplan_id": ids["plan"],
            "maalsaetning_id": ms,
            "tekst": "Et mål der sluttede.",
            "fra_aar": 2026,
            "til_aar": 2026,
        },
    )
    s.create(
        "proevehandling", {"maal_id": ids["ended"], "tekst": "Stadig i gang", "status": "i_gang"}
    )
    ids["open_ended"] = s.create(
        "maal", {"maalplan_id": ids["plan"], "maalsaetning_id": ms, "tekst": "Uden slutår."}
    )
    deleted = s.create(
        "maal",
        {
            "maalplan_id": ids["plan"],
            "maalsaetning_id": ms,
            "tekst": "Slettet mål",
            "til_aar": 2028,
        },
    )
    s.delete("maal", deleted)
    ids["beta_plan"] = s.create("maalplan", {"titel": "Beta 2026", "aar": 2026, "enhed_id": beta})
    ids["beta_maal"] = s.create(
        "maal",
        {
            "maalplan_id": ids["beta_plan"],
            "maalsaetning_id": ms,
            "tekst": "Beta fortsætter.",
            "fra_aar": 2025,
            "til_aar": 2028,
        },
    )
    ids["beta_2027"] = s.create(
        "maalplan", {"titel": "Betas plan for næste år", "aar": 2027, "enhed_id": beta}
    )
    # A deleted 2026 plan is not in the proposal.
    gone_plan = s.create("maalplan", {"titel": "Væk 2026", "aar": 2026, "enhed_id": alfa})
    s.create("maal", {"maalplan_id": gone_plan, "maalsaetning_id": ms, "tekst": "Under slettet"})
    s.delete("maalplan", gone_plan)
    return ids


def test_new_title() -> None:
    assert new_title("Målplan 2026 for Alfa", 2026) == "Målplan 2027 for Alfa"
    assert new_title("Alfas plan", 2026) == "Alfas plan 2027"


def test_proposal_says_what_is_and_is_not_carried(store: Store) -> None:
    ids = _world(store)
    offer = proposal(store, 2026)
    assert [p.titel for p in offer.planer] == ["Målplan 2026 for Alfa", "Beta 2026"]
    alfa, beta = offer.planer
    assert alfa.target_id is None and alfa.ny_titel == "Målplan 2027 for Alfa"
    assert beta.target_id == ids["beta_2027"]
    # Running mål: til_aar 2027 and no til_aar; the ended and the deleted are not offered.
    assert [m.id for m in alfa.maal] == [ids["maal"], ids["open_ended"]]
    (ended,) = alfa.udeladt
    assert ended.id == ids["ended"]
    assert ended.grund.startswith("sluttede i 2026 (1 åben prøvehandling følger ikke med)")
    maal = alfa.maal[0]
    assert [t.id for t in maal.tegn] == [ids["tegn1"], ids["tegn2"]]
    assert maal.tegn[0].baseline == "40 %" and maal.tegn[0].forventet_niveau == "60 %"
    assert maal.tegn[0].seneste_maaling == "52,5 (01.09.2026)" and maal.tegn[0].maalinger == 2
    assert [p.id for p in maal.proevehandlinger] == [ids["ph_i_gang"], ids["ph_planlagt"]]
    assert {(u.id, u.grund) for u in maal.udeladt} == {
        (ids["ph_afsluttet"], "afsluttet"),
        (ids["ph_stoppet"], "stoppet"),
    }
    assert [s.id for s in maal.samarbejder] == [ids["samarbejde"]]
    assert "Beta" in maal.samarbejder[0].tekst
    choice = offer.default_choice()
    assert choice.maal_ids == {ids["maal"], ids["open_ended"], ids["beta_maal"]}
    assert choice.proevehandling_ids == {ids["ph_i_gang"], ids["ph_planlagt"]}
    assert choice.tegn_ids == {ids["tegn1"], ids["tegn2"]}
    assert not choice.samarbejde_ids and not choice.plan_a_ids
    assert offer.summary(choice) == (
        "2 målplaner, 3 mål, 2 tegn og 2 prøvehandlinger bliver overført til 2027."
    )
    assert plan_years(store) == (2027, 2026)


def test_carry_writes_exactly_the_chosen_rows_and_one_undo_removes_them(store: Store) -> None:
    ids = _world(store)
    offer = proposal(store, 2026)
    choice = replace(
        offer.default_choice(),
        maal_ids=frozenset({ids["maal"], ids["beta_maal"]}),  # not the mål without an end
        tegn_ids=frozenset({ids["tegn1"]}),  # not tegn2
        proevehandling_ids=frozenset({ids["ph_i_gang"]}),  # not the planned one
        samarbejde_ids=frozenset({ids["samarbejde"]}),
        plan_a_ids=frozenset({ids["plan"]}),
    )
    before = {
        e: len(_rows(store, e)) for e in ("evaluering", "laering", "note", "vurdering", "maaling")
    }
    result = carry(store, choice, TODAY)
    assert result.antal.maal == 2 and result.antal.tegn == 1
    assert result.antal.proevehandlinger == 1 and result.antal.samarbejder == 1
    assert len(result.nye_planer) == 1 and ids["beta_2027"] in result.planer

    (new_plan,) = _rows(store, "maalplan", aar=2027, titel="Målplan 2027 for Alfa")
    assert new_plan["ansvarlig"] == "Anna Chef" and new_plan["kle"] == "27.12"
    assert new_plan["sagsnummer"] is None and new_plan["plan_a"] == [1, 6, 8]
    assert new_plan["status_foer"] == "ikke_paabegyndt"

    (copy,) = _rows(store, "maal", fra_id=ids["maal"])
    assert copy["maalplan_id"] == new_plan["id"]
    assert (copy["tekst"], copy["fra_aar"], copy["til_aar"]) == (
        "Flere klarer morgenen selv.",
        2026,
        2027,
    )
    assert copy["plan_a"] == [6] and copy["mulige_partnere"] == "Træningscenteret"
    assert copy["ansvarlig"] == "Bo Leder"
    (beta_copy,) = _rows(store, "maal", fra_id=ids["beta_maal"])
    assert beta_copy["maalplan_id"] == ids["beta_2027"]  # reused, no second Beta plan
    assert len(_rows(store, "maalplan", aar=2027)) == 2
    assert _rows(store, "maal", fra_id=ids["open_ended"]) == []

    (tegn,) = _rows(store, "tegn", maal_id=copy["id"])
    assert (tegn["tekst"], tegn["baseline"], tegn["forventet_niveau"]) == (
        "Andel der klarer morgenen selv",
        "40 %",
        "60 %",
    )
    (ph,) = _rows(store, "proevehandling", maal_id=copy["id"])
    assert ph["fra_id"] == ids["ph_i_gang"] and ph["status"] == "i_gang"
    assert ph["status_dato"] == TODAY
    assert ph["start"] is None and ph["evaluering_undervejs"] is None  # 2026 dates not kept
    assert ph["slut"] == date(2027, 6, 30)
    assert ph["tegn_ids"] == [tegn["id"]]  # the copy of tegn1; tegn2 was not chosen
    (original,) = _rows(store, "proevehandling", id=ids["ph_i_gang"])
    assert original["status"] == "viderefoert" and original["status_dato"] == TODAY
    (planned,) = _rows(store, "proevehandling", id=ids["ph_planlagt"])
    assert planned["status"] == "planlagt"
    (sam,) = _rows(store, "samarbejde", maal_id=copy["id"])
    assert sam["niveau"] == "koordination"
    # Nothing else was copied.
    after = {e: len(_rows(store, e)) for e in before}
    assert after == before

    # One undo takes it all away, and the original's status comes back.
    assert store.undo() is not None
    assert _rows(store, "maal", fra_id=ids["maal"]) == []
    assert _rows(store, "maal", fra_id=ids["beta_maal"]) == []
    assert _rows(store, "maalplan", aar=2027, titel="Målplan 2027 for Alfa") == []
    assert _rows(store, "tegn", maal_id=copy["id"]) == []
    assert _rows(store, "proevehandling", fra_id=ids["ph_i_gang"]) == []
    (original,) = _rows(store, "proevehandling", id=ids["ph_i_gang"])
    assert original["status"] == "i_gang"


def test_running_twice_does_not_duplicate(store: Store) -> None:
    ids = _world(store)
    offer = proposal(store, 2026)
    first = replace(offer.default_choice(), proevehandling_ids=frozenset({ids["ph_i_gang"]}))
    carry(store, first, TODAY)
    again = proposal(store, 2026)
    alfa = again.planer[0]
    assert alfa.target_id is not None  # the plan made by the first run
    maal = alfa.maal[0]
    copy_id = _rows(store, "maal", fra_id=ids["maal"])[0]["id"]
    assert maal.viderefoert_id == copy_id and maal.tegn == ()
    # Only the open prøvehandling not carried yet is offered, into the existing copy.
    assert [p.id for p in maal.proevehandlinger] == [ids["ph_planlagt"]]
    assert (ids["ph_i_gang"], "allerede ført videre til 2027") in {
        (u.id, u.grund) for u in maal.udeladt
    }
    choice = again.default_choice()
    assert choice.maal_ids == set()
    assert again.summary(choice) == (
        "1 målplan, 0 mål, 0 tegn og 1 prøvehandling bliver overført til 2027."
    )
    # The whole first choice again writes nothing new.
    result = carry(store, first, TODAY)
    assert result.antal.maal == 0 and result.antal.proevehandlinger == 0
    assert len(_rows(store, "maal", fra_id=ids["maal"])) == 1
    assert len(_rows(store, "maalplan", aar=2027)) == 2
    # The remaining one goes into the existing copy, with the copy's tegn.
    carry(store, choice, TODAY)
    (ph,) = _rows(store, "proevehandling", fra_id=ids["ph_planlagt"])
    assert ph["maal_id"] == copy_id and ph["status"] == "planlagt" and ph["status_dato"] is None
    assert len(_rows(store, "maal", fra_id=ids["maal"])) == 1


def test_a_deleted_copy_is_offered_again(store: Store) -> None:
    ids = _world(store)
    offer = proposal(store, 2026)
    carry(store, offer.default_choice(), TODAY)
    copy_id = _rows(store, "maal", fra_id=ids["maal"])[0]["id"]
    store.delete("maal", copy_id)
    again = proposal(store, 2026)
    maal = again.planer[0].maal[0]
    assert not maal.carried and len(maal.tegn) == 2


def test_the_summary_says_where_the_plan_a_indicators_go(store: Store) -> None:
    """Chosen with one of the plan's mål, the Plan A indicators go to the new plan, and the
    summary says so; chosen without any of its mål they cannot go, and the summary says that
    instead of leaving them out without a word."""
    ids = _world(store)
    offer = proposal(store, 2026)
    plan = next(p for p in offer.planer if p.id == ids["plan"])
    with_maal = replace(offer.default_choice(), plan_a_ids=frozenset({ids["plan"]}))
    assert with_maal.maal_ids & {m.id for m in plan.maal}
    assert offer.summary(with_maal).endswith(
        "bliver overført til 2027. Plan A-indikatorerne følger med til 1 målplan."
    )
    alone = NytAarValg(2026, plan_a_ids=frozenset({ids["plan"]}))
    assert offer.summary(alone) == (
        f"Intet er valgt til 2027. Plan A-indikatorerne fra «{plan.titel}» kommer ikke med: de "
        "følger kun med, når mindst ét af planens mål gør."
    )
    assert "Plan A" not in offer.summary(offer.default_choice())


def test_nothing_chosen_writes_nothing(store: Store) -> None:
    _world(store)
    result = carry(store, NytAarValg(2026), TODAY)
    assert result.antal.maal == 0 and result.planer == ()
    assert result.text() == "Intet blev overført til 2027."
    assert len(_rows(store, "maalplan", aar=2027)) == 1


def test_demo_2026_into_the_existing_2027_plans(demo_store: Store) -> None:
    """The demo's 2026 mål all end in 2026: none is offered, each with its reason; extend one
    and it goes into the enhed's existing 2027 plan."""
    store = demo_store
    offer = proposal(store, 2026)
    assert {p.enhed for p in offer.planer} == {"Jobcenteret", "Hjemmeplejen", "Nordlys Skole"}
    assert all(p.target_id is not None for p in offer.planer)
    assert all(not p.maal for p in offer.planer)
    reasons = [u.grund for p in offer.planer for u in p.udeladt]
    assert len(reasons) == 4 and all(r.startswith("sluttede i 2026") for r in reasons)
    assert offer.summary(offer.default_choice()) == "Intet er valgt til 2027."

    job = next(p for p in offer.planer if p.enhed == "Jobcenteret")
    maal_id = job.udeladt[0].id
    store.update("maal", maal_id, {"til_aar": 2027})
    offer = proposal(store, 2026)
    job = next(p for p in offer.planer if p.enhed == "Jobcenteret")
    (maal,) = job.maal
    statuses = {p.status for p in maal.proevehandlinger}
    assert statuses == {"viderefoert"}  # the open one; the ended one is listed as not carried
    assert [u.grund for u in maal.udeladt] == ["afsluttet"]
    plans_2027 = len(_rows(store, "maalplan", aar=2027))
    result = carry(store, offer.default_choice(), TODAY)
    assert result.nye_planer == () and result.planer == (job.target_id,)
    (copy,) = _rows(store, "maal", fra_id=maal_id)
    assert copy["maalplan_id"] == job.target_id
    assert len(_rows(store, "maalplan", aar=2027)) == plans_2027
    assert len(_rows(store, "tegn", maal_id=copy["id"])) == len(maal.tegn)
    assert _rows(store, "maaling", tegn_id=_rows(store, "tegn", maal_id=copy["id"])[0]["id"]) == []


def test_workspace_door(db: Database) -> None:
    from models.workspace import Workspace

    ws = Workspace(db)
    ids = _world(ws.store)
    assert ws.nyt_aar_years() == (2027, 2026)
    offer = ws.nyt_aar(2026)
    result = ws.carry_nyt_aar(offer.default_choice())
    assert result.antal.maal == 3
    assert "Ctrl+Z" in result.text()
    undone = ws.undo()
    assert undone is not None
    # The one action is named by all it made, not as «ny målplan».
    assert "oprettelse af" in undone.description and "3 mål" in undone.description
    assert _rows(ws.store, "maal", fra_id=ids["maal"]) == []


def test_links_say_where_a_carried_row_came_from_and_where_it_went(store: Store) -> None:
    """The confirm dialog promises a link back: the copy names the plan it came from, and
    the original the year it went to (a typed read; a row never carried has no link)."""
    from models.nyt_aar import Videreforing, links

    ids = _world(store)
    offer = proposal(store, 2026)
    carry(store, offer.default_choice(), TODAY)
    (copy,) = _rows(store, "maal", fra_id=ids["maal"])
    (ph_copy,) = _rows(store, "proevehandling", fra_id=ids["ph_i_gang"])
    maal = links(store, "maal", [ids["maal"], copy["id"], ids["ended"]])
    assert maal.fra == {copy["id"]: Videreforing(2026, "Målplan 2026 for Alfa")}
    assert maal.til == {ids["maal"]: (Videreforing(2027, "Målplan 2027 for Alfa"),)}
    ph = links(store, "proevehandling", [ids["ph_i_gang"], ph_copy["id"], ids["ph_afsluttet"]])
    assert ph.fra == {ph_copy["id"]: Videreforing(2026, "Målplan 2026 for Alfa")}
    assert ph.til == {ids["ph_i_gang"]: (Videreforing(2027, "Målplan 2027 for Alfa"),)}
    # A deleted copy is no link.
    store.delete("maal", copy["id"])
    assert links(store, "maal", [ids["maal"]]).til == {}
    assert links(store, "maal", []).fra == {}


def test_a_planned_proevehandling_carried_early_does_not_start_its_year(store: Store) -> None:
    """7 December 2026: plan year 2027 has not begun. «Nyt år» from 2027 says it is early, and
    carrying a 2027 prøvehandling that is only planned leaves it «Planlagt» (its copy knows
    where it came from), so the 2027 plan stays «Efter del 2» instead of looking started."""
    from models.aarshjul import aarshjul
    from models.nyt_aar import too_early

    ids = _one_plan_2027(store)
    today = date(2026, 12, 7)

    def phase() -> str:
        wheel = aarshjul(store.db, today)
        return next(p.phase for p in wheel.plans if p.id == ids["plan"])

    assert phase() == "efter_del2"
    early = too_early(2027, today)
    assert early is not None and not early.begyndt and early.aktuelt == 2027
    assert early.start == date(2027, 3, 1) and early.til_aar == 2028
    result = carry(store, proposal(store, 2027).default_choice(), today)
    assert result.antal.proevehandlinger == 1
    (original,) = _rows(store, "proevehandling", id=ids["ph"])
    assert original["status"] == "planlagt" and original["status_dato"] is None
    (copy,) = _rows(store, "proevehandling", fra_id=ids["ph"])
    assert copy["status"] == "planlagt"
    assert phase() == "efter_del2"  # not «I gang på arbejdspladsen»
    # Carried all the same: not offered again.
    (maal,) = proposal(store, 2027).planer[0].maal
    assert maal.proevehandlinger == ()
    assert [u.grund for u in maal.udeladt] == ["allerede ført videre til 2028"]


def test_too_early_follows_the_season_rule() -> None:
    from models.nyt_aar import too_early

    assert too_early(2026, date(2026, 12, 7)) is None  # the usual: 2026 on to 2027
    assert too_early(2027, date(2027, 8, 1)) is None  # July on: 2028 is being prepared
    running = too_early(2027, date(2027, 4, 1))
    assert running is not None and running.begyndt
    later = too_early(2028, date(2026, 12, 7))
    assert later is not None and not later.begyndt and later.aktuelt == 2027


def _one_plan_2027(store: Store) -> dict[str, str]:
    ms = store.create("maalsaetning", {"tekst": "Trivsel."})
    enhed = store.create("enhed", {"navn": "Nordlys", "type": "enhed"})
    plan = store.create(
        "maalplan", {"titel": "Målplan 2027 for Nordlys", "aar": 2027, "enhed_id": enhed}
    )
    maal = store.create(
        "maal",
        {
            "maalplan_id": plan,
            "maalsaetning_id": ms,
            "enhed_id": enhed,
            "tekst": "En voksen at gå til.",
            "fra_aar": 2027,
            "til_aar": 2028,
        },
    )
    store.create("tegn", {"maal_id": maal, "tekst": "Svar i trivselsmålingen"})
    ph = store.create("proevehandling", {"maal_id": maal, "tekst": "Frikvartersvoksen"})
    return {"plan": plan, "maal": maal, "ph": ph}


def test_samarbejder_and_plan_a_left_out_are_offered_again(store: Store) -> None:
    """Left unticked on the first run, a running mål's samarbejde is offered again (into the
    mål's copy) and the plan's Plan A indicators (into next year's plan while it has none of
    its own); once carried, neither is offered a third time. A plan for next year with
    indicators of its own keeps them, and the proposal says so."""
    ids = _world(store)
    carry(store, proposal(store, 2026).default_choice(), TODAY)
    again = proposal(store, 2026)
    alfa = next(p for p in again.planer if p.id == ids["plan"])
    maal = next(m for m in alfa.maal if m.id == ids["maal"])
    assert maal.carried and [s.id for s in maal.samarbejder] == [ids["samarbejde"]]
    assert alfa.target_id is not None and alfa.plan_a_offered
    assert again.has_choice()
    assert again.default_choice().samarbejde_ids == set()  # offered, not chosen
    choice = replace(
        again.default_choice(),
        samarbejde_ids=frozenset({ids["samarbejde"]}),
        plan_a_ids=frozenset({ids["plan"]}),
    )
    assert again.summary(choice) == (
        "1 målplan, 0 mål, 0 tegn, 1 samarbejde og 0 prøvehandlinger bliver overført til "
        "2027. Plan A-indikatorerne følger med til 1 målplan."
    )
    result = carry(store, choice, TODAY)
    assert result.antal.samarbejder == 1 and result.antal.plan_a == 1
    assert "Plan A-indikatorerne fulgte med til 1 målplan." in result.text()
    (copy,) = _rows(store, "maal", fra_id=ids["maal"])
    (sam,) = _rows(store, "samarbejde", maal_id=copy["id"])
    assert sam["niveau"] == "koordination"
    (target,) = _rows(store, "maalplan", id=alfa.target_id)
    assert target["plan_a"] == [1, 6, 8]
    # The level is agreed anew on next year's EFTER: the samarbejde is still the one carried
    # (offered again, a second tick made a duplicate; found in review).
    store.update("samarbejde", sam["id"], {"niveau": "samskabelse"})
    third = proposal(store, 2026)
    alfa = next(p for p in third.planer if p.id == ids["plan"])
    assert next(m for m in alfa.maal if m.id == ids["maal"]).samarbejder == ()
    assert not alfa.plan_a_offered and not alfa.plan_a_differs
    # Next year's plan chose its own: not offered, and said.
    store.update("maalplan", alfa.target_id, {"plan_a": [2, 3]})
    alfa = next(p for p in proposal(store, 2026).planer if p.id == ids["plan"])
    assert not alfa.plan_a_offered and alfa.plan_a_differs
    # Undo (the indicators chosen, the level, then the run) takes the samarbejde and the
    # indicators away again.
    store.undo()
    store.undo()
    store.undo()
    assert _rows(store, "samarbejde", maal_id=copy["id"]) == []
    assert not _rows(store, "maalplan", id=alfa.target_id)[0]["plan_a"]
