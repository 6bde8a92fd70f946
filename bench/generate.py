"""Data for the benchmarks: a large municipality and the handoff files of a big workshop.

* `build_municipality(store)`: about 2,000 mål, 10,000 tegn, 10,000 prøvehandlinger and 3,000
  samarbejder in 120 enheder, with two udviklingsdage of 40 borde each. Rows are written by
  `BulkWriter`, which produces exactly the rows, change-log entries and field heads that
  `Store.create` would (tests/reliability/test_bench_generator.py compares the two), but sends
  them in batches: the Store takes about 3 ms a row, so 35,000 rows would take two minutes.
* `make_workshop(folder)`: the municipality as the tovholder's database, a workshop pack for
  udviklingsdag del 2, and 40 handoff files of about 2,000 entries each, made by 40 simulated
  laptops that imported the pack and then typed through the real `Store` (new tegn,
  prøvehandlinger and samarbejder, edits, autosave chains, a delete, an undo, and edits of a
  neighbouring table's tegn, so the merge meets real conflicts).

The number of borde (`tables`), laptops (handoff files), målplaner (`plans`) and entries per
handoff file are independent of each other and of `scale` (which sizes the mål and everything
under them); a request the generator cannot honour raises `GeneratorError`, never less data.

With `maalinger=N` (`--maalinger N`) the municipality also has the year's follow-up: N monthly
målinger on every kvantitativ tegn, the prøvehandlinger' statuses and læring, and the workshop
gets a leader's laptop's handoff file with N more months of målinger (`leader_laptop`). It is a
different cache key; N=0, the default, makes exactly the data it made before.

Run `python -m bench.generate FOLDER [--scale 0.1] [--tables 40] [--laptops 40] [--plans 120]
[--entries 2000] [--maalinger 12]` to write them by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from models.changes import ChangeRow, append_changes, row_table
from models.db import open_database
from models.migrations import HEAD_REVISION
from models.schema import DELETED, ENTITIES, ENTITY_ORDER
from models.store import Action, Store, new_id, new_row, parent_field

GENERATOR_VERSION = 5
IDS = "uuid7"  # how the ids the data was made with were made (`workshop_settings`)
# Version 4 made the same data as version 5 for the shapes `_same_as_version_4` accepts; their
# cache key stays the version-4 one, so a cached municipality stays valid.
_V4 = 4
DEFAULT_TABLES = 40
DEFAULT_LAPTOPS = 40
DEFAULT_ENTRIES = 2000


class GeneratorError(ValueError):
    """A request the generator cannot honour (it never quietly makes less)."""


# --- text that looks like what people write at a workshop table ------------------------------

_GRUPPER = [
    "børn i 0.-3. klasse",
    "elever i udskolingen",
    "unge mellem 15 og 25 år",
    "ældre borgere i eget hjem",
    "familier med små børn",
    "borgere på kanten af arbejdsmarkedet",
    "nyankomne familier",
    "medarbejderne i hjemmeplejen",
    "forældre i dagtilbuddene",
    "borgere med en kronisk sygdom",
    "unge uden en ungdomsuddannelse",
    "beboerne i Hyldespjældet",
]
_FORANDRING = [
    "oplever, at de hører til i et fællesskab",
    "kommer i gang med en uddannelse eller et job",
    "klarer mere af deres hverdag selv",
    "bliver inddraget i beslutninger om deres eget forløb",
    "møder en voksen, der kender dem, hver dag",
    "bruger byens kultur- og fritidstilbud",
    "har færre sygedage og bedre trivsel",
    "får hjælp tidligere, før problemerne vokser",
    "kender de tilbud, der findes i nærområdet",
]
_TID = [
    "inden sommerferien 2027",
    "i løbet af 2027",
    "inden udgangen af 2028",
    "i skoleåret 2027/28",
]
_TEGN_KVANT = [
    "Andelen af {g}, der svarer ja i trivselsmålingen, stiger fra {a} % til {b} %",
    "Antallet af henvendelser fra {g} falder fra {a} til {b} om måneden",
    "{b} % af {g} deltager i mindst ét tilbud om ugen (i dag {a} %)",
    "Fraværet blandt {g} falder fra {a} til {b} dage om året",
]
_TEGN_KVAL = [
    "Medarbejderne fortæller, at {g} selv tager initiativ oftere",
    "Vi hører {g} tale om 'vores' sted og ikke 'jeres'",
    "Forældrene beskriver, at de ved, hvem de skal ringe til",
    "{g} kommer af sig selv tilbage efter første besøg",
    "Samarbejdspartnerne oplever, at vi kontakter dem tidligere",
]
_HANDLING = [
    "Vi prøver en fast morgenvelkomst ved indgangen i seks uger",
    "Vi inviterer {g} med til at planlægge næste fællesarrangement",
    "Vi afprøver telefonopfølgning efter tre dages fravær",
    "Vi holder åbent værksted hver torsdag eftermiddag i to måneder",
    "Vi laver en fælles kalender med foreningerne i området",
    "Vi afprøver korte trivselssamtaler på fem minutter hver fredag",
    "Vi flytter et personalemøde ud i boligområdet én gang om måneden",
    "Vi tester en sms-påmindelse dagen før aftaler",
]
_FORVENTNING = [
    "Vi forventer, at flere kommer igen, og at vi hører om problemer tidligere.",
    "Vi tror, at det giver ro i overgangene og færre konflikter.",
    "Vi forventer ikke store tal, men bedre samtaler.",
    "Måske virker det ikke; så ved vi det og prøver noget andet.",
]
_FORVENTNINGSAFSTEMNING = [
    "Vi mødes hver sjette uge og aftaler, hvem der gør hvad til næste gang.",
    "Vi deler viden om de familier, vi begge kender, når de har givet samtykke.",
    "Vi laver én fælles plan for borgeren i stedet for to.",
]
_ROLLER = [
    "Vi har tovholderrollen; partnerne bidrager med viden og lokaler.",
    "Jobcenteret indkalder, skolen forbereder den unge.",
    "Hver part har én fast kontaktperson.",
]
_NAVNE = [
    "Anne", "Jakob", "Karim", "Mette", "Louise", "Henrik", "Fatima", "Søren", "Ida", "Mads",
    "Zeynep", "Birgitte", "Ole", "Camilla", "Jonas", "Aisha", "Peter", "Lærke", "Bo", "Nanna",
]  # fmt: skip
_EFTERNAVNE = ["Holm", "Riis", "Nasser", "Juul", "Berg", "Olsen", "Hassan", "Østergaard", "Kjær"]
_ENHED_TYPER = [
    "Skole", "Dagtilbud", "Plejecenter", "Hjemmepleje", "Jobcenter", "Bibliotek", "Klub",
    "Sundhedscenter", "Familiehus", "Bosted",
]  # fmt: skip
_STEDER = [
    "Nordlys", "Egelund", "Birkely", "Solsikken", "Hyldespjældet", "Tranegården", "Kongsholm",
    "Herstedlund", "Vestervang", "Lindely", "Bakkehuset", "Rosenhaven",
]  # fmt: skip


_LAERING = [
    "Det virker bedst, når vi aftaler det med borgeren på forhånd.",
    "Små faste rutiner holder bedre end store kampagner.",
    "Vi skal spørge de unge selv, før vi planlægger næste skridt.",
    "Når kollegerne ved, hvorfor vi gør det, bliver det gjort.",
    "Tallene flytter sig først, når medarbejderne har prøvet det et par uger.",
]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_NAVNE)} {rng.choice(_EFTERNAVNE)}"


def _long(rng: random.Random, base: str) -> str:
    # A few rows get the long texts people paste in from a document.
    if rng.random() < 0.02:
        extra = " ".join(rng.choice(_FORVENTNING) for _ in range(rng.randint(10, 25)))
        return f"{base} {extra}"
    return base


# --- a bulk path that writes exactly what Store.create writes ---------------------------------


class BulkWriter:
    """Create many rows in one open `store.action()`, exactly as `Store.create` would (same
    validation, defaults, positions, change-log entries, heads and clock), but with one
    multi-row INSERT per table at `flush()`, the change log written by the one writer
    (`models.changes.append_changes`) in one go. The deferred foreign keys still check every
    reference when the transaction commits."""

    def __init__(self, store: Store, tx: Action) -> None:
        self.store = store
        self.tx = tx
        self.rows: dict[str, list[dict[str, Any]]] = {name: [] for name in ENTITIES}
        self.changes: list[ChangeRow] = []
        self._positions: dict[tuple[str, Any], int] = {}

    def create(self, entity: str, **values: Any) -> str:
        """Queue one new row (validated like `Store.create`); return its id."""
        spec = ENTITIES[entity]
        clean, row = new_row(entity, values)
        rid = new_id()
        if "position" in spec.fields:
            pfield = parent_field(entity)
            key = (entity, row[pfield] if pfield else None)
            if key not in self._positions:
                # Rows already in the database count, as in Store.create.
                self._positions[key] = self.store.next_position(self.tx.conn, entity, row) - 1
            if "position" not in clean:
                row["position"] = self._positions[key] + 1
            self._positions[key] = max(self._positions[key], row["position"])
        self.rows[entity].append({"id": rid, "deleted": False, **row})
        for fname in (*spec.fields, DELETED):
            value = False if fname == DELETED else row[fname]
            change = self.store.new_change(self.tx, entity, rid, fname, value)
            self.changes.append(change)
            self.tx.written.append(change.id)
        return rid

    def flush(self) -> None:
        """Send the queued rows, entries and heads to the database (inside the transaction)."""
        conn = self.tx.conn
        for entity in ENTITY_ORDER:
            rows = self.rows[entity]
            for i in range(0, len(rows), 5000):
                conn.execute(row_table(entity).insert(), rows[i : i + 5000])
            rows.clear()
        append_changes(conn, self.changes)
        self.changes.clear()


# --- the large municipality --------------------------------------------------------------------


@dataclass
class Municipality:
    """The ids the benchmarks need from a generated municipality."""

    maal: list[str] = field(default_factory=list)
    tegn: dict[str, list[str]] = field(default_factory=dict)  # by mål
    enheder: list[str] = field(default_factory=list)
    dage: dict[str, str] = field(default_factory=dict)  # dagdel -> id
    borde: dict[str, list[str]] = field(default_factory=dict)  # dagdel -> bord ids
    bord_maal: dict[str, list[str]] = field(default_factory=dict)  # bord id -> mål ids
    counts: dict[str, int] = field(default_factory=dict)
    # Every kvantitativ tegn with the numbers of its text (baseline, expected level).
    kvantitative: list[tuple[str, float, float]] = field(default_factory=list)


def _spread(rng: random.Random, total: int, buckets: int, empty_share: float) -> list[int]:
    """Split `total` items over `buckets`, unevenly, leaving about `empty_share` empty (the
    gaps Chefforum looks for)."""
    weights = [0.0 if rng.random() < empty_share else rng.uniform(0.3, 2.0) for _ in range(buckets)]
    if not any(weights):
        weights[0] = 1.0
    picks = rng.choices(range(buckets), weights=weights, k=total)
    out = [0] * buckets
    for p in picks:
        out[p] += 1
    return out


@dataclass(frozen=True)
class Shape:
    """How many rows of each kind a municipality gets (`municipality_shape`)."""

    maal: int
    tegn: int
    proevehandlinger: int
    samarbejder: int
    evalueringer: int
    maalplaner: int  # one per enhed
    borde: int  # per udviklingsdag


def _v4_plans(scale: float) -> int:
    return max(6, round(120 * min(1.0, scale * 4)))


def municipality_shape(
    scale: float = 1.0, *, n_borde: int = DEFAULT_TABLES, n_maalplaner: int | None = None
) -> Shape:
    """The counts `build_municipality` makes. `scale` sizes the mål and what hangs on them;
    målplaner default to 120 at scale 1 (fewer below a quarter, 120 x scale above 1, so a
    larger municipality has more plans, not larger ones). Raises `GeneratorError` for a
    request that cannot be met."""
    if not scale > 0:
        raise GeneratorError(f"skalaen skal være større end 0 (fik {scale})")
    n_maal = max(10, round(2000 * scale))
    plans = n_maalplaner
    if plans is None:
        plans = _v4_plans(scale) if scale <= 1 else round(120 * scale)
    if plans < 1:
        raise GeneratorError(f"der skal være mindst 1 målplan (fik {plans})")
    if n_borde < 1:
        raise GeneratorError(f"der skal være mindst 1 bord (fik {n_borde})")
    if n_borde > n_maal:
        raise GeneratorError(
            f"{n_borde} borde kræver mindst {n_borde} mål (ét pr. bord), men skala {scale} "
            f"giver {n_maal} mål: hæv skalaen eller sænk antallet af borde"
        )
    return Shape(
        maal=n_maal,
        tegn=round(10_000 * scale),
        proevehandlinger=round(10_000 * scale),
        samarbejder=round(3000 * scale),
        evalueringer=round(2000 * scale),
        maalplaner=plans,
        borde=n_borde,
    )


def build_municipality(
    store: Store,
    *,
    scale: float = 1.0,
    seed: int = 1,
    n_borde: int = DEFAULT_TABLES,
    n_maalplaner: int | None = None,
    maalinger: int = 0,
) -> Municipality:
    """Write a large municipality through the store's bulk path: at scale 1, 2,000 mål,
    10,000 tegn, 10,000 prøvehandlinger, 3,000 samarbejder, 2,000 evalueringer, 120 enheder
    with one målplan each (or `n_maalplaner`) and two udviklingsdage with `n_borde` borde each
    (every mål at one bord per day, the borde differing by at most one mål). With `maalinger`
    above 0, also the year's follow-up: that many monthly målinger on every kvantitativ tegn,
    the prøvehandlinger' statuses on FOLLOW_UP_DAY and læring (`_follow_up`)."""
    if maalinger < 0:
        raise GeneratorError(f"antallet af målinger kan ikke være negativt (fik {maalinger})")
    shape = municipality_shape(scale, n_borde=n_borde, n_maalplaner=n_maalplaner)
    rng = random.Random(seed)
    n_maal = shape.maal
    n_tegn = shape.tegn
    n_proevehandlinger = shape.proevehandlinger
    n_samarbejder = shape.samarbejder
    n_evalueringer = shape.evalueringer
    n_enheder = shape.maalplaner
    out = Municipality()
    with store.action() as tx:
        w = BulkWriter(store, tx)
        # The organisation: 2 direktørområder and a stab, afdelinger, enheder.
        tops = [
            w.create("enhed", navn="Børn, Unge og Sundhed", type="direktoeromraade"),
            w.create("enhed", navn="By, Beskæftigelse og Kultur", type="direktoeromraade"),
            w.create("enhed", navn="Økonomi og Stab", type="stab"),
        ]
        afdelinger = [
            w.create(
                "enhed",
                navn=f"Afdeling {i + 1}: {rng.choice(_ENHED_TYPER)}område",
                type="afdeling",
                parent_id=tops[i % 3],
                leder=_person(rng),
            )
            for i in range(16)
        ]
        for i in range(n_enheder):
            navn = f"{rng.choice(_ENHED_TYPER)} {rng.choice(_STEDER)} {i + 1}"
            out.enheder.append(
                w.create(
                    "enhed",
                    navn=navn,
                    type="enhed",
                    parent_id=afdelinger[i % len(afdelinger)],
                    leder=_person(rng),
                )
            )
        politikker = [
            w.create(
                "politik", navn=navn, periode="2026-2029", beskrivelse=rng.choice(_FORVENTNING)
            )
            for navn in (
                "Børne- og ungepolitik",
                "Sundhedspolitik",
                "Ældrepolitik",
                "Beskæftigelsespolitik",
                "Kultur- og fritidspolitik",
                "Klimapolitik",
            )
        ]
        maalsaetninger = []
        for i in range(40):
            budget = i % 5 == 4
            maalsaetninger.append(
                w.create(
                    "maalsaetning",
                    tekst=f"Flere {rng.choice(_GRUPPER)} {rng.choice(_FORANDRING)} ({i + 1}).",
                    kilde="budgetaftale" if budget else "politik",
                    politik_id=None if budget else politikker[i % len(politikker)],
                    aar=2027,
                )
            )
        maalplaner = {
            e: w.create(
                "maalplan",
                enhed_id=e,
                aar=2027,
                titel=f"Målplan 2027 ({n + 1})",
                ansvarlig=_person(rng),
                status_foer=rng.choice(["udfyldt", "godkendt"]),
                status_del1=rng.choice(["i_gang", "udfyldt"]),
                plan_a=[1, 6, 8],
            )
            for n, e in enumerate(out.enheder)
        }
        for i in range(n_maal):
            enhed = rng.choice(out.enheder)
            g = rng.choice(_GRUPPER)
            tekst = f"Flere {g} {rng.choice(_FORANDRING)} {rng.choice(_TID)} (mål {i + 1})."
            fra = rng.choice([2026, 2027])
            mid = w.create(
                "maal",
                maalsaetning_id=maalsaetninger[i % len(maalsaetninger)],
                enhed_id=enhed,
                maalplan_id=maalplaner[enhed],
                tekst=_long(rng, tekst),
                fra_aar=fra,
                til_aar=fra + rng.randint(0, 3),
                ansvarlig=_person(rng),
                plan_a=sorted(rng.sample(range(1, 9), rng.randint(1, 3))),
            )
            out.maal.append(mid)
            out.tegn[mid] = []
        for mid, n in zip(out.maal, _spread(rng, n_tegn, n_maal, 0.04), strict=True):
            for _ in range(n):
                g = rng.choice(_GRUPPER)
                kvant = rng.random() < 0.45
                a = rng.randint(5, 60)
                # The same draws in the same order as `choice(...).format(b=a + randint())`.
                template = rng.choice(_TEGN_KVANT if kvant else _TEGN_KVAL)
                b = a + rng.randint(3, 25)
                tekst = template.format(g=g, a=a, b=b)
                tid = w.create(
                    "tegn",
                    maal_id=mid,
                    tekst=_long(rng, tekst),
                    type="kvantitativ" if kvant else "kvalitativ",
                    datakilde="Trivselsmåling og fraværsregistrering" if kvant else None,
                    baseline=f"{a} %" if kvant else None,
                    forventet_niveau="Stigning" if kvant else None,
                )
                out.tegn[mid].append(tid)
                if kvant:
                    out.kvantitative.append((tid, float(a), float(b)))
        proevehandlinger: list[str] = []
        # The year's follow-up (målinger, statuses, læring) draws from its own generator, so
        # the data without it (maalinger=0) stays exactly what it was.
        year = random.Random(seed * 1_000_003 + maalinger) if maalinger else None
        periods: list[tuple[str, date, date]] = []
        for mid, n in zip(out.maal, _spread(rng, n_proevehandlinger, n_maal, 0.06), strict=True):
            for _ in range(n):
                start = date(2027, 2, 1) + timedelta(days=rng.randint(0, 120))
                slut = start + timedelta(days=rng.randint(14, 180))
                borger = rng.random() < 0.35
                tegn = out.tegn[mid]
                followed = {} if year is None else _status(year, start, slut)
                proevehandlinger.append(
                    w.create(
                        "proevehandling",
                        **followed,
                        maal_id=mid,
                        tekst=_long(rng, rng.choice(_HANDLING).format(g=rng.choice(_GRUPPER))),
                        forventning=rng.choice(_FORVENTNING),
                        ansvarlig=_person(rng),
                        start=start,
                        slut=slut,
                        borgerinddragelse=borger,
                        borgerinddragelse_hvordan="Borgerne er med i planlægningen."
                        if borger
                        else None,
                        evaluering_undervejs=start + (slut - start) / 2,
                        evaluering_afslutning=slut,
                        tegn_ids=rng.sample(tegn, min(len(tegn), rng.randint(0, 2))),
                    )
                )
                periods.append((proevehandlinger[-1], start, slut))
        for _ in range(n_evalueringer):
            w.create(
                "evaluering",
                proevehandling_id=rng.choice(proevehandlinger),
                type=rng.choice(["undervejs", "afslutning"]),
                dato=date(2027, 5, 1) + timedelta(days=rng.randint(0, 200)),
                effekt=rng.choice(_FORVENTNING),
                laering="Det virkede bedst, når vi aftalte det på forhånd.",
            )
        for mid, n in zip(out.maal, _spread(rng, n_samarbejder, n_maal, 0.3), strict=True):
            for _ in range(n):
                w.create(
                    "samarbejde",
                    maal_id=mid,
                    # min(): a municipality of fewer than 3 enheder (the draw stays the same).
                    partner_ids=rng.sample(out.enheder, min(len(out.enheder), rng.randint(1, 3))),
                    niveau=rng.choices(["viden", "koordination", "samskabelse"], weights=[5, 3, 2])[
                        0
                    ],
                    forventningsafstemning=rng.choice(_FORVENTNINGSAFSTEMNING),
                    rollefordeling=rng.choice(_ROLLER),
                    maal_for_samarbejdet="Vi kender hinandens indsatser og bruger dem.",
                )
        shuffled = out.maal[:]
        rng.shuffle(shuffled)
        for dagdel, dato in (("del1", date(2026, 12, 3)), ("del2", date(2027, 1, 14))):
            dag = w.create(
                "udviklingsdag",
                titel=f"Udviklingsdag {dagdel[-1]}: fællesskaber og job",
                dagdel=dagdel,
                dato=dato,
                starttid="08:30",
                udfordring="Flere borgere skal være en del af et fællesskab.",
                sted="Rådhusets kantine",
            )
            out.dage[dagdel] = dag
            out.borde[dagdel] = []
            for titel, minutter in (
                ("Velkomst", 15),
                ("Oplæg", 30),
                ("Arbejde ved bordene", 90),
                ("Frokost", 45),
                ("Arbejde ved bordene", 75),
                ("Opsamling", 30),
            ):
                w.create("programblok", udviklingsdag_id=dag, titel=titel, minutter=minutter)
            # Even slices (sizes differ by at most one, none empty): the same slices as
            # version 4's ceil-sized ones whenever the mål divide evenly among the borde.
            n = len(shuffled)
            for b in range(n_borde):
                maal_ids = shuffled[b * n // n_borde : (b + 1) * n // n_borde]
                bord = w.create(
                    "bord",
                    udviklingsdag_id=dag,
                    navn=f"Bord {b + 1}",
                    facilitator=_person(rng),
                    maal_ids=maal_ids,
                )
                out.borde[dagdel].append(bord)
                out.bord_maal[bord] = maal_ids
                for _ in range(6):
                    w.create(
                        "deltager",
                        bord_id=bord,
                        navn=_person(rng),
                        enhed_id=rng.choice(out.enheder),
                        rolle=rng.choice(["leder", "medarbejder", "medarbejder", "borger"]),
                    )
                w.create(
                    "note",
                    bord_id=bord,
                    type="parkering",
                    tekst="Tages op i Chefforum: hvem ejer opgaven på tværs?",
                )
        if year is not None:
            _follow_up(w, year, maalinger, out.kvantitative, periods, list(maalplaner.values()))
        out.counts = {name: len(rows) for name, rows in w.rows.items() if rows}
        w.flush()
    return out


# The day the year's follow-up is generated up to: prøvehandlinger that ended before it have
# an end status, those under way are «i gang» (the TUI rows open their screens on this day).
FOLLOW_UP_DAY = date(2027, 9, 15)
# The first måling of a kvantitativ tegn; the next ones come a month apart.
FIRST_MAALING = date(2027, 1, 28)


def month_after(first: date, months: int) -> date:
    """`first` moved `months` calendar months on (the day kept, at most the 28th)."""
    index = first.month - 1 + months
    return date(first.year + index // 12, index % 12 + 1, min(first.day, 28))


def _status(year: random.Random, start: date, slut: date) -> dict[str, Any]:
    """A prøvehandling's status on FOLLOW_UP_DAY, with the day it changed."""
    if slut < FOLLOW_UP_DAY:
        status = year.choices(["afsluttet", "stoppet", "viderefoert"], weights=[8, 1, 1])[0]
        if status == "stoppet":
            return {"status": status, "status_dato": start + (slut - start) / 2}
        return {"status": status, "status_dato": slut}
    if start <= FOLLOW_UP_DAY:
        return {"status": "i_gang", "status_dato": start}
    return {}


def _follow_up(
    w: BulkWriter,
    year: random.Random,
    n: int,
    kvantitative: list[tuple[str, float, float]],
    periods: list[tuple[str, date, date]],
    maalplaner: list[str],
) -> None:
    """`n` monthly målinger on every kvantitativ tegn (from its baseline toward its expected
    level, with noise), læring on about a fifth of the prøvehandlinger that have started and
    one on every målplan."""
    for tegn_id, a, b in kvantitative:
        for i, dato in enumerate(maaling_dates(n)):
            trend = (b - a) * min(1.0, i / max(1, n - 1))
            value = min(100.0, max(0.0, a + trend + year.gauss(0, 1 + abs(b - a) * 0.15)))
            w.create(
                "maaling",
                tegn_id=tegn_id,
                dato=dato,
                vaerdi=round(value, 1),
                kilde="Månedligt udtræk",
                hvem=_person(year),
            )
    for pid, start, slut in periods:
        if start <= FOLLOW_UP_DAY and year.random() < 0.2:
            w.create(
                "laering",
                proevehandling_id=pid,
                dato=min(slut, FOLLOW_UP_DAY),
                tekst=year.choice(_LAERING),
                hvem=_person(year),
            )
    for plan in maalplaner:
        w.create(
            "laering",
            maalplan_id=plan,
            dato=FOLLOW_UP_DAY,
            tekst=year.choice(_LAERING),
            hvem=_person(year),
        )


def maaling_dates(n: int, first: date = FIRST_MAALING) -> list[date]:
    """The dates of `n` monthly målinger from `first`."""
    return [month_after(first, i) for i in range(n)]


def make_municipality_db(
    path: Path,
    *,
    scale: float = 1.0,
    seed: int = 1,
    n_borde: int = DEFAULT_TABLES,
    n_maalplaner: int | None = None,
    maalinger: int = 0,
) -> Municipality:
    """A new database file at `path` holding the large municipality."""
    municipality_shape(scale, n_borde=n_borde, n_maalplaner=n_maalplaner)  # refuse before writing
    db = open_database(str(path), device_name="Tovholder")
    try:
        return build_municipality(
            Store(db),
            scale=scale,
            seed=seed,
            n_borde=n_borde,
            n_maalplaner=n_maalplaner,
            maalinger=maalinger,
        )
    finally:
        db.close()


# --- the workshop: a pack out, 40 laptops, 40 handoff files back -------------------------------


@dataclass
class Workshop:
    """Where the generated workshop files are."""

    folder: Path
    base_db: Path  # the tovholder's database the pack was written from
    pack: Path
    laptop_template: Path  # a fresh database with the pack imported
    handoffs: list[Path]
    entries: int  # entries in all handoff files
    seconds: dict[str, float]
    # With målinger: a leader's laptop's handoff file carrying a year of målinger (not counted
    # in `handoffs` or `entries`).
    leader: Path | None = None


def copy_sqlite(src: Path, dest: Path) -> None:
    """A consistent copy of a SQLite database file (its WAL included)."""
    if dest.exists():
        dest.unlink()
    s = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    try:
        d = sqlite3.connect(dest)
        try:
            s.backup(d)
        finally:
            d.close()
    finally:
        s.close()


def _simulate_laptop(args: tuple[Any, ...]) -> tuple[str, int]:
    """One facilitator laptop: a copy of the laptop template under a new device id, then about
    `target` change entries typed through the real Store, then its handoff file."""
    from exports.bundle import write_handoff

    template, folder, index, target, own_maal, own_tegn, neighbour_tegn, seed = args
    rng = random.Random(seed * 1000 + index)
    path = Path(folder) / f"laptop-{index + 1:02d}.db"
    copy_sqlite(Path(template), path)
    # A laptop that opened the pack is a fresh database with its own device id: give the copy
    # one, as open_database would have done on that laptop.
    con = sqlite3.connect(path)
    with con:
        con.execute(
            "UPDATE device SET id = ?, navn = ? WHERE is_local = 1",
            (str(uuid.uuid4()), f"Bord {index + 1} · bærbar"),
        )
    con.close()
    db = open_database(str(path))
    store = Store(db)
    made = 0
    deleted: set[str] = set()  # tegn this laptop deleted: a person does not edit those

    def count(n: int) -> None:
        nonlocal made
        made += n

    try:
        from models.queries import live_rows

        maal_cycle = own_maal[:]
        rng.shuffle(maal_cycle)
        step = 0
        while made < target:
            mid = maal_cycle[step % len(maal_cycle)]
            step += 1
            existing = [r["id"] for r in live_rows(db, "tegn", maal_id=mid)]
            # New tegn, typed and then corrected: each autosave is its own action.
            tid = store.create(
                "tegn",
                maal_id=mid,
                tekst=f"Vi ser, at {rng.choice(_GRUPPER)} {rng.choice(_FORANDRING)}",
                type="kvalitativ",
            )
            count(8)
            for _ in range(rng.randint(1, 3)):
                count(
                    store.update(
                        "tegn",
                        tid,
                        tekst=f"Vi ser, at {rng.choice(_GRUPPER)} "
                        f"{rng.choice(_FORANDRING)} ({rng.randint(1, 99)})",
                    )
                )
            with store.action() as tx:
                store.create(
                    "proevehandling",
                    maal_id=mid,
                    tekst=rng.choice(_HANDLING).format(g=rng.choice(_GRUPPER)),
                    forventning=rng.choice(_FORVENTNING),
                    ansvarlig=_person(rng),
                    tegn_ids=[tid],
                    tx=tx,
                )
                count(13)
            if rng.random() < 0.4:
                store.create(
                    "samarbejde",
                    maal_id=mid,
                    niveau=rng.choice(["viden", "koordination", "samskabelse"]),
                    maal_for_samarbejdet="Vi deler viden om de samme familier.",
                )
                count(8)
            for old in rng.sample(existing, min(len(existing), 2)):
                count(store.update("tegn", old, baseline=f"{rng.randint(1, 90)} %"))
            if step % 7 == 0 and existing:
                count(store.delete("tegn", existing[-1]))
                deleted.add(existing[-1])
            if step % 11 == 0:
                store.create("note", maal_id=mid, type="note", tekst="Husk at spørge borgerne.")
                count(5)
                result = store.undo()
                count(5 if result else 0)
            if step % 5 == 0 and neighbour_tegn:
                # The same tegn edited here and at the next table (which edits its own first
                # tegn too): concurrent edits, conflicts for the tovholder.
                k = (step // 5) % len(neighbour_tegn)
                for tegn_id in {neighbour_tegn[k], *own_tegn[k : k + 1]} - deleted:
                    count(
                        store.update(
                            "tegn", tegn_id, forventet_niveau=f"Bord {index + 1} mener mere"
                        )
                    )
        out = Path(folder) / f"overlevering-bord-{index + 1:02d}.udviklingsdag.json"
        info = write_handoff(db, out)
        return str(out), info.entries
    finally:
        db.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def workshop_settings(
    *,
    scale: float = 1.0,
    tables: int = DEFAULT_TABLES,
    laptops: int = DEFAULT_LAPTOPS,
    plans: int | None = None,
    entries_per_laptop: int = DEFAULT_ENTRIES,
    seed: int = 1,
    maalinger: int = 0,
) -> dict[str, Any]:
    """The cache key of a workshop (checked against the folder's workshop.json). Raises
    `GeneratorError` for a request that cannot be met: more laptops than borde (each laptop
    is one bord's), more borde than mål, fewer than one entry per laptop, fewer than 0
    målinger."""
    if maalinger < 0:
        raise GeneratorError(f"antallet af målinger kan ikke være negativt (fik {maalinger})")
    shape = municipality_shape(scale, n_borde=tables, n_maalplaner=plans)
    if laptops < 1:
        raise GeneratorError(f"der skal være mindst 1 bærbar (fik {laptops})")
    if laptops > tables:
        raise GeneratorError(
            f"{laptops} bærbare kræver mindst {laptops} borde (hver bærbar er ét bords), "
            f"men der er {tables}: giv også --tables {laptops} (eller flere)"
        )
    if entries_per_laptop < 1:
        raise GeneratorError(f"hver bærbar skal lave mindst 1 ændring (fik {entries_per_laptop})")
    key: dict[str, Any] = {
        "version": _V4,
        "scale": scale,
        "laptops": laptops,
        "entries_per_laptop": entries_per_laptop,
        "seed": seed,
    }
    # Data made since ids are in time order (`models.store.new_id`, UUID version 7) merges
    # differently from data with random ids: a key of its own, so cached data is made again.
    if maalinger == 0 and _same_as_version_4(scale, shape):
        return {**key, "ids": IDS}
    key = {**key, "version": GENERATOR_VERSION, "tables": tables, "plans": shape.maalplaner}
    key = {**key, "maalinger": maalinger} if maalinger else key
    return {**key, "ids": IDS}


def _same_as_version_4(scale: float, shape: Shape) -> bool:
    """Version 4 had 40 borde and its own plan count, and cut the mål into ceil-sized slices,
    which equal version 5's even ones when the mål divide by the borde."""
    return (
        shape.borde == DEFAULT_TABLES
        and shape.maalplaner == _v4_plans(scale)
        and shape.maal % shape.borde == 0
    )


@contextmanager
def _pack_limits(pack: Path, say: Any) -> Iterator[None]:
    """Let the laptop template import a workshop pack larger than the app's bundle limits
    (`exports.bundle.MAX_FILE_BYTES`, `MAX_JSON_BYTES` and `MAX_ENTRIES`; a pack of 3x the
    large municipality is about 300 MB, of 10x about 1.1 GB and 2.2 million entries), in this
    process only: the benchmark needs the laptops, and the merge it measures reads only the
    handoff files, under the app's own limits. Says so when it happens, since the app itself
    would refuse such a pack."""
    from exports import bundle

    size = pack.stat().st_size
    saved = bundle.MAX_FILE_BYTES, bundle.MAX_JSON_BYTES, bundle.MAX_ENTRIES
    if size <= bundle.MAX_FILE_BYTES:
        yield
        return
    say(
        f"ADVARSEL: workshop-pakken fylder {size // 2**20} MB, over appens grænse på "
        f"{bundle.MAX_FILE_BYTES // 2**20} MB; den importeres her med grænserne hævet"
    )
    bundle.MAX_FILE_BYTES = bundle.MAX_JSON_BYTES = max(saved[1], 2 * size)
    # An entry is well over 100 bytes of JSON: this bound is never the one that stops it.
    bundle.MAX_ENTRIES = max(saved[2], size // 100)
    try:
        yield
    finally:
        bundle.MAX_FILE_BYTES, bundle.MAX_JSON_BYTES, bundle.MAX_ENTRIES = saved


def make_workshop(
    folder: Path,
    *,
    scale: float = 1.0,
    tables: int = DEFAULT_TABLES,
    laptops: int = DEFAULT_LAPTOPS,
    plans: int | None = None,
    entries_per_laptop: int = DEFAULT_ENTRIES,
    seed: int = 1,
    jobs: int = 2,
    log: Any = None,
    maalinger: int = 0,
) -> Workshop:
    """Build (or reuse, when `folder` already holds one made with the same settings) the
    large municipality (`tables` borde a day, `plans` målplaner), its workshop pack and
    `laptops` handoff files of at least `entries_per_laptop` entries each. With `maalinger`
    above 0 the municipality has that many monthly målinger on every kvantitativ tegn (and
    statuses and læring), and one more handoff file comes from a leader's laptop that typed
    the next `maalinger` months' målinger on every kvantitativ tegn of its own enhed
    (`Workshop.leader`). An impossible request raises `GeneratorError` before anything in
    `folder` is touched."""
    from exports.bundle import import_bundles, write_pack

    settings = workshop_settings(
        scale=scale,
        tables=tables,
        laptops=laptops,
        plans=plans,
        entries_per_laptop=entries_per_laptop,
        seed=seed,
        maalinger=maalinger,
    )
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / "workshop.json"
    if marker.exists():
        done = json.loads(marker.read_text())
        # Data made under another schema (a field the merge now requires, say) is made again.
        if done.get("settings") == settings and done.get("schema") == HEAD_REVISION:
            # Names are kept relative, so the folder can be moved or copied.
            return Workshop(
                folder=folder,
                base_db=folder / done["base_db"],
                pack=folder / done["pack"],
                laptop_template=folder / done["laptop_template"],
                handoffs=[folder / p for p in done["handoffs"]],
                entries=done["entries"],
                seconds=done["seconds"],
                leader=folder / done["leader"] if done.get("leader") else None,
            )
        marker.unlink()
    say = log or (lambda *_: None)
    seconds: dict[str, float] = {}
    base = folder / "kommune.db"
    for p in folder.glob("*"):
        if p.is_file():
            p.unlink()
    t0 = time.perf_counter()
    muni = make_municipality_db(
        base, scale=scale, seed=seed, n_borde=tables, n_maalplaner=plans, maalinger=maalinger
    )
    seconds["kommune"] = time.perf_counter() - t0
    say(f"kommune: {seconds['kommune']:.1f} s, {muni.counts}")
    db = open_database(str(base))
    try:
        t0 = time.perf_counter()
        pack = folder / "workshoppakke.udviklingsdag.json"
        write_pack(db, pack, udviklingsdag_id=muni.dage["del2"])
        seconds["write_pack"] = time.perf_counter() - t0
    finally:
        db.close()
    say(f"workshop-pakke: {seconds['write_pack']:.1f} s")
    template = folder / "laptop-skabelon.db"
    tdb = open_database(str(template), device_name="Skabelon")
    try:
        t0 = time.perf_counter()
        with _pack_limits(pack, say):
            import_bundles(tdb, [pack])
        seconds["import_pack"] = time.perf_counter() - t0
    finally:
        tdb.close()
    say(f"pakken importeret på en tom bærbar: {seconds['import_pack']:.1f} s")
    borde = muni.borde["del2"][:laptops]
    assert len(borde) == laptops  # workshop_settings checked laptops <= tables
    tasks = []
    for i, bord in enumerate(borde):
        neighbour = muni.bord_maal[borde[(i + 1) % len(borde)]]
        neighbour_tegn = [t for m in neighbour[:5] for t in muni.tegn[m][:1]]
        own_tegn = [t for m in muni.bord_maal[bord][:5] for t in muni.tegn[m][:1]]
        tasks.append(
            (str(template), str(folder), i, entries_per_laptop, muni.bord_maal[bord],
             own_tegn, neighbour_tegn, seed)
        )  # fmt: skip
    t0 = time.perf_counter()
    if jobs <= 1:
        results = [_simulate_laptop(t) for t in tasks]
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(_simulate_laptop, tasks))
    seconds["laptops"] = time.perf_counter() - t0
    handoffs = [Path(p) for p, _ in results]
    entries = sum(n for _, n in results)
    say(f"{len(handoffs)} bærbare, {entries} ændringer: {seconds['laptops']:.1f} s")
    leader = None
    if maalinger:
        t0 = time.perf_counter()
        leader, made = leader_laptop(template, folder, muni, maalinger, seed)
        seconds["leader"] = time.perf_counter() - t0
        say(f"en leders bærbar med målinger, {made} ændringer: {seconds['leader']:.1f} s")
    ws = Workshop(folder, base, pack, template, handoffs, entries, seconds, leader)
    record: dict[str, Any] = {
        "base_db": base.name,
        "pack": pack.name,
        "laptop_template": template.name,
        "handoffs": [p.name for p in handoffs],
        "entries": entries,
        "seconds": seconds,
        "settings": settings,
        "schema": HEAD_REVISION,
        "leader": leader.name if leader else None,
    }
    marker.write_text(json.dumps(record, indent=1))
    return ws


def leader_laptop(
    template: Path, folder: Path, muni: Municipality, n: int, seed: int
) -> tuple[Path, int]:
    """A leader's laptop (a copy of the laptop template under its own device id) on which the
    leader typed `n` monthly målinger, the months after the municipality's, on every
    kvantitativ tegn of the enhed with the most of them; returns its handoff file and how many
    entries it holds. Written in one action through `BulkWriter` (what `Store.create` would
    write, at a fraction of the time)."""
    from exports.bundle import write_handoff
    from models.queries import live_rows

    path = Path(folder) / "leder.db"
    copy_sqlite(Path(template), path)
    con = sqlite3.connect(path)
    with con:
        con.execute(
            "UPDATE device SET id = ?, navn = ? WHERE is_local = 1",
            (str(uuid.uuid4()), "Leder · bærbar"),
        )
    con.close()
    db = open_database(str(path))
    try:
        enhed_of = {r["id"]: r["enhed_id"] for r in live_rows(db, "maal")}
        tegn_maal = {r["id"]: r["maal_id"] for r in live_rows(db, "tegn")}
        by_enhed: dict[str, list[tuple[str, float, float]]] = {}
        for tegn in muni.kvantitative:
            if tegn[0] in tegn_maal:
                by_enhed.setdefault(enhed_of[tegn_maal[tegn[0]]], []).append(tegn)
        mine = max(by_enhed.values(), key=len)
        store = Store(db)
        year = random.Random(seed * 1_000_003 + n + 1)
        with store.action() as tx:
            w = BulkWriter(store, tx)
            for tegn_id, _a, b in mine:
                for dato in maaling_dates(n, month_after(FIRST_MAALING, n)):
                    w.create(
                        "maaling",
                        tegn_id=tegn_id,
                        dato=dato,
                        vaerdi=round(min(100.0, max(0.0, b + year.gauss(0, 2))), 1),
                        kilde="Lederens eget skema",
                        hvem="Lederen",
                    )
            w.flush()
        out = Path(folder) / "overlevering-leder.udviklingsdag.json"
        info = write_handoff(db, out)
        return out, info.entries
    finally:
        db.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def clear(folder: Path) -> None:
    """Remove a generated folder."""
    shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Lav benchmark-data for udviklingsdag.")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--scale", type=float, default=1.0, help="mål og alt under dem")
    parser.add_argument("--tables", type=int, default=DEFAULT_TABLES, help="borde pr. dag")
    parser.add_argument("--laptops", type=int, default=DEFAULT_LAPTOPS, help="overleveringsfiler")
    parser.add_argument("--plans", type=int, default=None, help="målplaner (én pr. enhed)")
    parser.add_argument("--entries", type=int, default=DEFAULT_ENTRIES, help="ændringer pr. fil")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument(
        "--maalinger",
        type=int,
        default=0,
        help="målinger pr. kvantitativt tegn, én om måneden (og en leders overleveringsfil)",
    )
    args = parser.parse_args(argv)
    try:
        ws = make_workshop(
            args.folder,
            scale=args.scale,
            tables=args.tables,
            laptops=args.laptops,
            plans=args.plans,
            entries_per_laptop=args.entries,
            jobs=args.jobs,
            maalinger=args.maalinger,
            log=lambda *a: print(*a, file=sys.stderr),
        )
    except GeneratorError as exc:
        parser.error(str(exc))
    summary: dict[str, Any] = {"handoffs": len(ws.handoffs), "entries": ws.entries}
    if ws.leader is not None:
        summary["leader"] = str(ws.leader)
    print(json.dumps({**summary, **ws.seconds}))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
