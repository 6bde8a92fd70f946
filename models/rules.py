"""Domain rules the screens show but do not decide: when a mål is complete for the day, the
order of an anonymous bord's deltagere, when each programme block starts, what a new row starts
with where that depends on more than the field's declared default (`models.schema.new_values`),
and the Plan A indicators a 2024 målplan must have.

Standard library only (and the records): a screen may import this at module level."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date

from . import enums
from .records import Deltager, EnhedNode, Evaluering, MaalGroup, MaalProgress, Proevehandling

# --- the day's rule ------------------------------------------------------------------------------


def is_complete(maal: MaalProgress, dagdel: str) -> bool:
    """Whether a mål meets the day's rule: a tegn on del 1, a prøvehandling on del 2. On a
    lederdag the rule is the målsætning's (`group_complete`): a mål written there is the
    day's work, so it counts as done."""
    if dagdel == enums.Del.LEDERDAG:
        return True
    if dagdel == enums.Del.DEL2:
        return maal.proevehandlinger > 0
    return maal.tegn > 0


def group_complete(group: MaalGroup) -> bool:
    """Whether a målsætning of a lederdag bord meets the day's rule: it has a mål."""
    return bool(group.maal)


def progress(groups: Iterable[MaalGroup], dagdel: str) -> tuple[int, int]:
    """(what meets the day's rule, all of it) on a bord: mål on del 1 and del 2, målsætninger
    with a mål on a lederdag."""
    if dagdel == enums.Del.LEDERDAG:
        listed = [g for g in groups if g.id]
        return sum(1 for g in listed if group_complete(g)), len(listed)
    maal = [m for g in groups for m in g.maal]
    return sum(1 for m in maal if is_complete(m, dagdel)), len(maal)


def missing(groups: Iterable[MaalGroup], dagdel: str) -> list[MaalProgress]:
    """The mål that do not meet the day's rule, in the bord's order (none on a lederdag:
    there the målsætninger miss, `missing_maalsaetninger`)."""
    return [m for g in groups for m in g.maal if not is_complete(m, dagdel)]


def missing_maalsaetninger(groups: Iterable[MaalGroup]) -> list[MaalGroup]:
    """The målsætninger of a lederdag bord that have no mål yet, in the bord's order."""
    return [g for g in groups if g.id and not group_complete(g)]


def season_year(today: date) -> int:
    """The plan year being prepared on `today`: this year's until July, then next year's
    (5 December 2026: 2027), as the årshjul counts (`models.aarshjul.season`)."""
    from .aarshjul import season

    return season(today)


def lederdag_year(dato: date | None, today: date) -> int:
    """The year a lederdag writes mål for: the plan year its date belongs to (today's when it
    has no date). A lederdag in the autumn writes next year's mål (28 November 2023 for 2024);
    the same rule as the årshjul's (`models.aarshjul.season`)."""
    from .aarshjul import season

    return season(dato or today)


def new_lederdag_maal(year: int) -> dict[str, object]:
    """What a mål written on a lederdag starts with: it runs in the plan year (the leaders
    widen the period when it runs longer). Its målplan follows its enhed
    (`models.lederdag.place_maal`)."""
    return {"fra_aar": year, "til_aar": year}


# --- an anonymous bord ---------------------------------------------------------------------------


def anonymous_order(deltagere: Iterable[Deltager]) -> list[Deltager]:
    """The deltagere of an anonymous bord in a stable order that says something without their
    names: by enhed (those without one last), then by rolle in the roles' order."""
    roles = list(enums.DeltagerRolle)
    return sorted(
        deltagere,
        key=lambda d: ((d.enhed_navn or "~").casefold(), roles.index(enums.DeltagerRolle(d.rolle))),
    )


# --- the programme -------------------------------------------------------------------------------


def planned_starts(starttid: str | None, blocks: Sequence[tuple[str, int]]) -> list[str]:
    """The planned start time (hh:mm) of each (title, minutes) block from the day's start
    time; no start time (no day), or one that is not hh:mm, counts as 09:00."""
    try:
        h, m = (int(x) for x in (starttid or "").split(":"))
    except ValueError:
        h, m = 9, 0
    minute = h * 60 + m
    out = []
    for _title, minutes in blocks:
        out.append(f"{(minute // 60) % 24:02d}:{minute % 60:02d}")
        minute += minutes
    return out


# --- what a new row starts with --------------------------------------------------------------

CHILD_TYPE = {
    enums.EnhedType.DIREKTOEROMRAADE.value: enums.EnhedType.AFDELING.value,
    enums.EnhedType.STAB.value: enums.EnhedType.AFDELING.value,
    enums.EnhedType.AFDELING.value: enums.EnhedType.ENHED.value,
    enums.EnhedType.ENHED.value: enums.EnhedType.ENHED.value,
}
"""The type of an enhed added under one of each type."""


def new_enhed(parent: EnhedNode | None) -> dict[str, object]:
    """A new enhed's type and parent, added where `parent` is highlighted: under it (an enhed
    beside it, as enheder have no children), or at the top when nothing is."""
    if parent is None:
        return {"type": enums.EnhedType.DIREKTOEROMRAADE.value}
    if parent.type == enums.EnhedType.ENHED.value:
        return {"type": enums.EnhedType.ENHED.value, "parent_id": parent.parent_id}
    return {"type": CHILD_TYPE[parent.type], "parent_id": parent.id}


def new_maalplan(year: int) -> dict[str, object]:
    """What a new målplan starts with beyond its declared defaults: this year, and in 2024
    the Plan A indicators that were mandatory that year."""
    values: dict[str, object] = {"aar": year}
    if year == 2024:
        values["plan_a"] = list(enums.PLAN_A_OBLIGATORISKE_2024)
    return values


def new_evaluering(
    proevehandling: Proevehandling, evalueringer: Collection[Evaluering]
) -> dict[str, object]:
    """A new evaluering: undervejs first, afslutning once there is an undervejs; dated as
    planned on the prøvehandling for that kind, if it is."""
    kinds = {e.type for e in evalueringer}
    if enums.EvalueringType.UNDERVEJS.value in kinds:
        kind, planned = enums.EvalueringType.AFSLUTNING, proevehandling.evaluering_afslutning
    else:
        kind, planned = enums.EvalueringType.UNDERVEJS, proevehandling.evaluering_undervejs
    values: dict[str, object] = {"type": kind.value}
    if planned:
        values["dato"] = planned
    return values


def missing_plan_a(aar: int | None, plan_a: Collection[int]) -> list[int]:
    """The Plan A indicators mandatory in 2024 that a 2024 målplan lacks (else none)."""
    if aar != 2024:
        return []
    return [n for n in enums.PLAN_A_OBLIGATORISKE_2024 if n not in plan_a]


# --- rules of a whole record, beyond each field's own check -------------------------------------

SAMARBEJDE_NEEDS_PARTNER = (
    "Et samarbejde skal have mindst én samarbejdspartner. Skriv navnet på en anden enhed i "
    "feltet Samarbejdspartnere og tryk Enter."
)


MAALING_NEEDS_VALUE = (
    "En måling skal have en værdi (et tal) eller en observation. Skriv tallet i feltet Værdi "
    "eller det, I så, i feltet Observation."
)
LAERING_NEEDS_PLACE = (
    "En læring hører til en prøvehandling eller en målplan. Vælg den målplan, læringen handler om."
)


def record_problem(
    entity: str, values: Mapping[str, object], *, new: bool
) -> tuple[str, str] | None:
    """Why a record of `entity` cannot be saved with `values`, as (field, Danish message), or
    None. `new`: `values` are a new row's (a field not given is empty); otherwise they are the
    fields being changed (a field not given keeps what it holds).

    A samarbejde needs at least one partner: it is an agreement with another enhed. A new
    måling needs a number or an observation; a new læring a prøvehandling or a målplan."""
    asked = new or "partner_ids" in values
    if entity == "samarbejde" and asked and not values.get("partner_ids"):
        return "partner_ids", SAMARBEJDE_NEEDS_PARTNER
    if not new:
        return None
    if entity == "maaling" and values.get("vaerdi") is None and not values.get("observation"):
        return "vaerdi", MAALING_NEEDS_VALUE
    if entity == "laering" and not (values.get("proevehandling_id") or values.get("maalplan_id")):
        return "maalplan_id", LAERING_NEEDS_PLACE
    return None


def needs_value(entity: str, field: str) -> bool:
    """Whether a record rule refuses `field` left empty (the form marks it like a required
    field)."""
    return record_problem(entity, {field: None}, new=False) is not None
