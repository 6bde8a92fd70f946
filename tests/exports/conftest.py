"""Small målplan data for the export tests, written through the Store like any user edit."""

from __future__ import annotations

from datetime import date

import pytest

FORMULA_TEXT = '=HYPERLINK("http://eksempel.dk","klik")'
MARKUP_TEXT = "Elever siger [bold]ja[/] i [red]målingen[/red]"


@pytest.fixture
def plan_store(store):
    """A store with one rich målplan (Danish letters, markup-like and formula-like text) and
    one nearly empty plan. Returns (store, ids)."""
    ids: dict[str, str] = {}
    with store.action() as tx:
        home = store.create("enhed", tx=tx, navn="Børnehuset Ærø & Å", type="enhed")
        partner = store.create("enhed", tx=tx, navn="Sundhedsplejen Øst", type="enhed")
        other = store.create("enhed", tx=tx, navn="Kulturhuset", type="enhed")
        ms = store.create(
            "maalsaetning", tx=tx, tekst="Flere børn trives i fællesskaber.", kilde="politik"
        )
        ms2 = store.create(
            "maalsaetning", tx=tx, tekst="Sygefraværet skal ned.", kilde="budgetaftale"
        )
        plan = store.create(
            "maalplan",
            tx=tx,
            enhed_id=home,
            aar=2027,
            titel="Målplan 2027: Trivsel på Ærø",
            ansvarlig="Åse Øster",
            sagsnummer="00.01.00-G01-12-27",
            kle="00.01.00",
            plan_a=[1, 6, 8],
        )
        m1 = store.create(
            "maal",
            tx=tx,
            maalsaetning_id=ms,
            maalplan_id=plan,
            enhed_id=home,
            tekst="Alle børn har en voksen, de går til, inden udgangen af 2027.",
            fra_aar=2027,
            til_aar=2027,
            ansvarlig="Leder Bjørn",
            plan_a=[1],
        )
        t1 = store.create(
            "tegn",
            tx=tx,
            maal_id=m1,
            tekst=MARKUP_TEXT,
            type="kvantitativ",
            datakilde="Trivselsmåling",
            baseline="70 %",
            forventet_niveau="90 %",
        )
        t2 = store.create("tegn", tx=tx, maal_id=m1, tekst=FORMULA_TEXT, type="kvalitativ")
        ph = store.create(
            "proevehandling",
            tx=tx,
            maal_id=m1,
            tekst="Fast voksen i garderoben hver morgen\nog ved afhentning.",
            forventning="Færre konflikter.",
            ansvarlig="Pædagog Søren",
            start=date(2027, 2, 1),
            slut=date(2027, 4, 30),
            borgerinddragelse=True,
            borgerinddragelse_hvordan="Forældreråd",
            evaluering_undervejs=date(2027, 3, 15),
            evaluering_afslutning=date(2027, 5, 15),
            tegn_ids=[t1, t2],
        )
        store.create(
            "evaluering",
            tx=tx,
            proevehandling_id=ph,
            type="undervejs",
            dato=date(2027, 3, 15),
            effekt="Roligere morgener.",
            laering="Gør mere.",
        )
        store.create(
            "samarbejde",
            tx=tx,
            maal_id=m1,
            partner_ids=[partner, other],
            niveau="samskabelse",
            forventningsafstemning="Vi mødes månedligt.",
            rollefordeling="Børnehuset leder.",
            maal_for_samarbejdet="Fælles sprog.",
        )
        m2 = store.create(
            "maal",
            tx=tx,
            maalsaetning_id=ms2,
            maalplan_id=plan,
            enhed_id=home,
            tekst="Sygefraværet falder til under 5 % i 2028.",
            fra_aar=2027,
            til_aar=2028,
        )
        empty = store.create(
            "maalplan", tx=tx, enhed_id=other, aar=2027, titel="Målplan 2027 for Kulturhuset"
        )
    ids.update(
        home=home,
        partner=partner,
        other=other,
        plan=plan,
        m1=m1,
        m2=m2,
        t1=t1,
        t2=t2,
        ph=ph,
        empty=empty,
    )
    return store, ids
