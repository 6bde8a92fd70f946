"""What the screens read: small frozen dataclasses, never dicts read with string keys.

The workspace (`models.workspace.Workspace`) returns these; the home screen's first read
(`models.overview.quick_home`) builds them too, before SQLAlchemy has loaded. So this module
is standard library only, and a screen may import it at module level without slowing the
cold start.

A record holds the fields its screens show, already resolved (an enhed's name next to its
id, a mål's counts); ids are `str`, lists are tuples, dates are `datetime.date`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, TypeAlias

# The home screen's records live in `records_home` (the cold start imports only those).
from .records_home import Bord as Bord
from .records_home import Counts as Counts
from .records_home import HomeSnapshot as HomeSnapshot
from .records_home import Udviklingsdag as Udviklingsdag
from .records_home import UdviklingsdagOverview as UdviklingsdagOverview

if TYPE_CHECKING:
    from .runchart import RunChart

Choice: TypeAlias = tuple[str, str]
"""A picker's choice: (label shown, row id)."""


# --- a bord and its mål ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MaalProgress:
    """A mål on a bord's list: its text, who owns it and how much it has."""

    id: str
    tekst: str
    enhed_navn: str
    ansvarlig: str | None
    tegn: int
    proevehandlinger: int
    samarbejder: int
    fra_aar: int | None = None
    til_aar: int | None = None
    mulige_partnere: str | None = None


@dataclass(frozen=True, slots=True)
class MaalGroup:
    """A målsætning (`id` "" for mål without one) with the bord's mål under it. On a
    lederdag every målsætning of the bord is a group, with or without mål."""

    id: str
    tekst: str
    maal: tuple[MaalProgress, ...]


@dataclass(frozen=True, slots=True)
class BordOverview:
    """A bord, its udviklingsdag (None if that is gone) and its mål grouped by målsætning."""

    bord: Bord
    dag: Udviklingsdag | None
    groups: tuple[MaalGroup, ...]

    @property
    def dagdel(self) -> str:
        """The day's part («del1» when the day is unknown): it decides what completes a mål."""
        return self.dag.dagdel if self.dag is not None and self.dag.dagdel else "del1"


# --- one mål -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Maal:
    """A mål's own fields."""

    id: str
    maalsaetning_id: str | None
    enhed_id: str | None
    maalplan_id: str | None
    tekst: str
    fra_aar: int | None
    til_aar: int | None
    ansvarlig: str | None
    plan_a: tuple[int, ...]
    mulige_partnere: str | None = None  # possible partners from the lederdag, one a line


@dataclass(frozen=True, slots=True)
class Tegn:
    """A tegn's own fields."""

    id: str
    maal_id: str | None
    tekst: str
    type: str
    datakilde: str | None
    baseline: str | None
    forventet_niveau: str | None


@dataclass(frozen=True, slots=True)
class Proevehandling:
    """A prøvehandling's own fields and how many evalueringer it has."""

    id: str
    maal_id: str | None
    tekst: str
    forventning: str | None
    ansvarlig: str | None
    start: date | None
    slut: date | None
    borgerinddragelse: bool
    borgerinddragelse_hvordan: str | None
    evaluering_undervejs: date | None
    evaluering_afslutning: date | None
    tegn_ids: tuple[str, ...]
    evalueringer: int
    status: str = "planlagt"
    status_dato: date | None = None


@dataclass(frozen=True, slots=True)
class Maaling:
    """A måling on a tegn: a number (kvantitativ) or an observation (kvalitativ), or both."""

    id: str
    tegn_id: str | None
    dato: date | None
    vaerdi: float | None
    observation: str | None
    kilde: str | None
    hvem: str | None


@dataclass(frozen=True, slots=True)
class Laering:
    """A dated læring on a prøvehandling or on a målplan."""

    id: str
    maalplan_id: str | None
    proevehandling_id: str | None
    dato: date | None
    tekst: str
    hvem: str | None


@dataclass(frozen=True, slots=True)
class Samarbejde:
    """A samarbejde's own fields, with its partners' names resolved (`partnere`)."""

    id: str
    maal_id: str | None
    partner_ids: tuple[str, ...]
    partnere: tuple[str, ...]
    niveau: str
    forventningsafstemning: str | None
    rollefordeling: str | None
    maal_for_samarbejdet: str | None


@dataclass(frozen=True, slots=True)
class Note:
    """A note of a mål or a bord, with where it came from (read from the change log).

    `written_by_id`: the laptop that wrote it (None for a note without log entries), `own`:
    this laptop; `edited_by_id` / `edited`: the latest change of its text. Several notes of
    one kind are normal after a merge of handoff files."""

    id: str
    type: str
    tekst: str
    maal_id: str | None
    bord_id: str | None
    written_by_id: str | None
    written_by: str
    own: bool
    written: datetime | None
    edited_by_id: str | None
    edited_by: str
    edited: datetime | None


@dataclass(frozen=True, slots=True)
class MaalDetail:
    """One mål with its målsætning's text, its enhed's name, its tegn, prøvehandlinger,
    samarbejder and notes."""

    maal: Maal
    maalsaetning: str
    enhed_navn: str
    tegn: tuple[Tegn, ...]
    proevehandlinger: tuple[Proevehandling, ...]
    samarbejder: tuple[Samarbejde, ...]
    noter: tuple[Note, ...]


@dataclass(frozen=True, slots=True)
class NoteSaved:
    """What a note's save did: the row it wrote to now (None when the note was emptied and
    deleted, or never created) and whether it deleted the note."""

    note_id: str | None
    deleted: bool


# --- deltagere and evalueringer ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Deltager:
    """A deltager, with the name of their enhed."""

    id: str
    bord_id: str | None
    navn: str
    enhed_id: str | None
    enhed_navn: str
    rolle: str


@dataclass(frozen=True, slots=True)
class BordDeltagere:
    """A bord with its deltagere (by name)."""

    bord: Bord
    deltagere: tuple[Deltager, ...]


@dataclass(frozen=True, slots=True)
class Evaluering:
    """An evaluering's own fields."""

    id: str
    proevehandling_id: str | None
    type: str
    dato: date | None
    effekt: str | None
    laering: str | None


@dataclass(frozen=True, slots=True)
class ProevehandlingEvalueringer:
    """A prøvehandling with its evalueringer (undervejs before afslutning, by date)."""

    proevehandling: Proevehandling
    evalueringer: tuple[Evaluering, ...]


# --- the programme and the preparation -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Programblok:
    """A block of an udviklingsdag's programme."""

    id: str
    udviklingsdag_id: str | None
    titel: str
    minutter: int
    beskrivelse: str | None


@dataclass(frozen=True, slots=True)
class Programme:
    """An udviklingsdag with its programme's blocks, in order."""

    dag: Udviklingsdag
    blokke: tuple[Programblok, ...]


@dataclass(frozen=True, slots=True)
class EnhedNode:
    """An enhed in the organisation tree, flattened depth first (`depth` 0 is the top)."""

    id: str
    navn: str
    type: str
    parent_id: str | None
    leder: str | None
    depth: int


@dataclass(frozen=True, slots=True)
class MaalItem:
    """A mål in the preparation's list."""

    id: str
    maalsaetning_id: str | None
    tekst: str
    enhed_navn: str
    ansvarlig: str | None


@dataclass(frozen=True, slots=True)
class MaalsaetningMaal:
    """A målsætning with its mål."""

    id: str
    tekst: str
    kilde: str
    aar: int | None
    maal: tuple[MaalItem, ...]


@dataclass(frozen=True, slots=True)
class MaalplanOverview:
    """A målplan with its enhed's name and how many mål point to it."""

    id: str
    titel: str
    enhed_id: str | None
    enhed_navn: str
    aar: int | None
    ansvarlig: str | None
    sagsnummer: str | None
    kle: str | None
    status_foer: str
    status_del1: str
    status_del2: str
    status_efter: str
    plan_a: tuple[int, ...]
    maal: int


@dataclass(frozen=True, slots=True)
class Preparation:
    """Everything the preparation screen lists, in one read."""

    days: tuple[UdviklingsdagOverview, ...]
    blokke: tuple[Programblok, ...]
    organisation: tuple[EnhedNode, ...]
    maalsaetninger: tuple[MaalsaetningMaal, ...]
    enheder: tuple[Choice, ...]
    maalplaner: tuple[MaalplanOverview, ...]


# --- forms and undo ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    """One live row of any entity, for the edit form: its tracked fields by name (the form
    is built from the field registry, so it reads them by the registry's names)."""

    entity: str
    id: str
    values: Mapping[str, object]


@dataclass(frozen=True, slots=True)
class Undone:
    """What an undo did, for «Fortrudt: …». With `done` False: the action was made before
    this session and is not undone yet (`Workspace.undo`'s `in_session`); `action_id` undoes
    exactly it once the user says so, `when` is when it was made (local time)."""

    description: str
    done: bool = True
    action_id: str = ""
    when: datetime | None = None


# --- issue 15 H1 ---
# --- end H1 ---

# --- issue 15 H2 ---


@dataclass(frozen=True, slots=True)
class TegnMaalinger:
    """A tegn with its målinger (newest first), the prøvehandlinger of its mål that follow it
    (in their order) and its run chart (`models.runchart.RunChart`)."""

    tegn: Tegn
    maal_tekst: str
    maalinger: tuple[Maaling, ...]
    proevehandlinger: tuple[Proevehandling, ...]
    chart: RunChart


# --- end H2 ---

# --- issue 15 H5 ---


@dataclass(frozen=True, slots=True)
class DueEvaluering:
    """A planned evaluering (undervejs or ved afslutning) that is not written yet, for the
    overview of evalueringer that fall due (`models.followup.due_evalueringer`)."""

    proevehandling_id: str
    proevehandling: str
    nr: int
    """The prøvehandling's number under its mål (1, 2, ... in their order)."""
    status: str
    status_dato: date | None
    maal_id: str
    maal: str
    maalplan_id: str | None
    enhed: str
    """The målplan's enhed (the mål's own when it is on no målplan); "" when neither has one."""
    aar: int | None
    kind: str
    """The evaluering's type (`enums.EvalueringType` value)."""
    dato: date
    days: int
    """Days from today to the planned date: negative when overdue, 0 today."""
    state: str
    """«forfalden» (the date has passed), «snart» (within `followup.SOON_DAYS`) or «senere»."""


@dataclass(frozen=True, slots=True)
class Forfald:
    """The planned evalueringer not written yet, as of `today`: the counts per state (within
    the enhed asked for, if any), and the items that match the filter, by date (overdue
    first), at most as many as asked for (`matching` says how many there are in all)."""

    today: date
    items: tuple[DueEvaluering, ...]
    matching: int
    forfaldne: int
    snart: int
    senere: int
    enheder: tuple[Choice, ...]
    """Every enhed with a planned evaluering not written yet (name, id), by name."""


@dataclass(frozen=True, slots=True)
class LaeringItem:
    """One læring in a list, with the prøvehandling it is about (None: the målplan itself)."""

    laering: Laering
    proevehandling_nr: int | None
    """The prøvehandling's number under its mål (1, 2, ...)."""
    proevehandling: str | None


@dataclass(frozen=True, slots=True)
class LaeringList:
    """The læring of a prøvehandling, or of a målplan with that of its prøvehandlinger;
    newest first."""

    title: str
    maalplan_id: str | None
    proevehandling_id: str | None
    items: tuple[LaeringItem, ...]


# --- end H5 ---

# --- issue 15 H6 ---


@dataclass(frozen=True, slots=True)
class FixedPoint:
    """A fixed point of a plan year's årshjul (`models.aarshjul.POINTS` names the keys): when
    it is (`dato`, to `slut` for days over several dates), whether that date comes from the
    data (an udviklingsdag's own date) or is the usual one, and whether it has passed."""

    key: str
    dato: date
    slut: date
    from_data: bool
    passed: bool


@dataclass(frozen=True, slots=True)
class PlanYear:
    """The fixed points of one plan year, in the order of the process; `next_key` is the
    first one that has not passed (None when the whole year has)."""

    aar: int
    points: tuple[FixedPoint, ...]
    next_key: str | None


@dataclass(frozen=True, slots=True)
class Due:
    """What is due next for a målplan: a task key (`models.aarshjul.TASKS`), its date, whether
    that date has passed, and how many things it concerns (mål without tegn, evalueringer)."""

    key: str
    dato: date
    overdue: bool
    count: int = 0


@dataclass(frozen=True, slots=True)
class StatusCounts:
    """Prøvehandlinger by status (`enums.ProevehandlingStatus`)."""

    planlagt: int = 0
    i_gang: int = 0
    afsluttet: int = 0
    stoppet: int = 0
    viderefoert: int = 0

    @property
    def total(self) -> int:
        return self.planlagt + self.i_gang + self.afsluttet + self.stoppet + self.viderefoert


@dataclass(frozen=True, slots=True)
class AarshjulPlan:
    """One målplan in the årshjul: its sheets, what it holds, its follow-up and where it
    stands (`phase`, a key of `models.aarshjul.PHASES`) with what is due next."""

    id: str
    titel: str
    aar: int | None
    enhed_id: str | None
    enhed_navn: str
    afdeling_navn: str
    status_foer: str
    status_del1: str
    status_del2: str
    status_efter: str
    maal: int
    maal_med_tegn: int
    maal_med_proevehandlinger: int
    tegn: int
    proevehandlinger: StatusCounts
    maalinger: int
    seneste_maaling: date | None
    evalueringer_forfaldne: int
    evalueringer_snart: int
    naeste_evaluering: date | None
    laeringer: int
    phase: str
    naeste: Due | None


@dataclass(frozen=True, slots=True)
class Aarshjul:
    """The årshjul view: today, the plan years' fixed points (`shown_year` is the one the
    band shows), and every live målplan."""

    today: date
    years: tuple[PlanYear, ...]
    shown_year: int
    plans: tuple[AarshjulPlan, ...]

    def year(self, aar: int | None) -> PlanYear | None:
        """The fixed points of plan year `aar` (None when no plan has that year)."""
        return next((y for y in self.years if y.aar == aar), None)


@dataclass(frozen=True, slots=True)
class PlanTask:
    """A task of one målplan at a fixed point (`models.aarshjul.TASKS`): due when, done or
    not, and how many things it concerns (`count` of `total`)."""

    key: str
    point: str
    dato: date
    done: bool
    overdue: bool
    count: int = 0
    total: int = 0


@dataclass(frozen=True, slots=True)
class ProevehandlingYear:
    """A prøvehandling as the årshjul shows it: status and the state of its evalueringer."""

    id: str
    maal_id: str | None
    tekst: str
    status: str
    status_dato: date | None
    start: date | None
    slut: date | None
    evaluering_undervejs: date | None
    evaluering_afslutning: date | None
    undervejs_done: bool
    afslutning_done: bool
    laeringer: int
    undervejs_state: str | None = None  # «forfalden», «snart», «senere»; None: nothing due
    afslutning_state: str | None = None


@dataclass(frozen=True, slots=True)
class TegnYear:
    """A tegn with its målinger: how many and the latest (value or observation)."""

    id: str
    maal_id: str | None
    tekst: str
    type: str
    maalinger: int
    seneste_dato: date | None
    seneste_vaerdi: float | None
    seneste_observation: str | None


@dataclass(frozen=True, slots=True)
class AarshjulPlanDetail:
    """One målplan's year: the plan as listed, its year's fixed points, its tasks at them,
    its prøvehandlinger and its tegn."""

    plan: AarshjulPlan
    year: PlanYear
    tasks: tuple[PlanTask, ...]
    proevehandlinger: tuple[ProevehandlingYear, ...]
    tegn: tuple[TegnYear, ...]


# --- end H6 ---

# --- issue 16 H8 ---
# --- end H8 ---

# --- issue 16 H9 ---


@dataclass(frozen=True, slots=True)
class PlanAMaal:
    """A mål tagged with a Plan A indicator, as the poster lists it."""

    id: str
    tekst: str
    ansvarlig: str | None
    fra_aar: int | None
    til_aar: int | None


@dataclass(frozen=True, slots=True)
class PlanAIndikator:
    """One of the eight Plan A indicators on a målplan's poster."""

    nummer: int
    label: str
    valgt: bool
    obligatorisk: bool  # required for the plan's year (1, 6 and 8 in 2024)
    forskel: str  # the difference the workplace wants to make ("" when none is written)
    forskel_id: str | None
    maal: tuple[PlanAMaal, ...]


@dataclass(frozen=True, slots=True)
class PlanAPerspektiv:
    """Opgaver, Adfærd or Struktur with its indicators."""

    navn: str
    indikatorer: tuple[PlanAIndikator, ...]


@dataclass(frozen=True, slots=True)
class PlanAMangel:
    """Something the poster lacks: `kind` is «uden_forskel» (a chosen indicator without the
    difference written), «ikke_valgt» (a required indicator not chosen) or «ikke_i_plan» (a mål
    tagged with an indicator the plan did not choose; `maal` says which)."""

    kind: str
    indikator: int
    maal: str | None = None


@dataclass(frozen=True, slots=True)
class PlanAPoster:
    """A målplan's Plan A: what the poster shows and what it still lacks."""

    maalplan_id: str
    enhed: str
    aar: int | None
    titel: str
    perspektiver: tuple[PlanAPerspektiv, ...]
    mangler: tuple[PlanAMangel, ...]
    revision: int = 0  # user actions on what the poster shows (`models.revisions`)
    digest: str = ""  # of what the poster shows (its reference in print)
    sagsnummer: str | None = None  # the målplan's case (for the QR code's link)

    @property
    def valgte(self) -> tuple[PlanAIndikator, ...]:
        return tuple(i for p in self.perspektiver for i in p.indikatorer if i.valgt)


# --- end H9 ---

# --- issue 16 H10 ---
# --- end H10 ---
