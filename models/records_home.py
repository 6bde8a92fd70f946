"""The home screen's records (`records.HomeSnapshot` and what it holds), in a module of their
own: the first frame's quick read (`overview.quick_home`) and the home screen need only these,
and building all of `models.records`' dataclasses costs the cold start tens of milliseconds.
`models.records` re-exports them, so everything else imports them from there as before.

Standard library only, like `models.records`."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

# --- the home screen ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Counts:
    """Live (not deleted) rows, named as in `udviklingsdag info --json`."""

    direktoeromraader: int = 0
    afdelinger: int = 0
    enheder: int = 0
    maalsaetninger: int = 0
    maal: int = 0
    tegn: int = 0
    proevehandlinger: int = 0
    samarbejder: int = 0
    evalueringer: int = 0
    maalplaner: int = 0
    udviklingsdage: int = 0
    borde: int = 0
    noter: int = 0

    def as_dict(self) -> dict[str, int]:
        """The counts by name (for `info --json` and the home screen's sentence)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True, slots=True)
class Udviklingsdag:
    """An udviklingsdag's own fields."""

    id: str
    titel: str
    dagdel: str
    dato: date | None
    starttid: str
    udfordring: str | None
    sted: str | None


@dataclass(frozen=True, slots=True)
class Bord:
    """A bord's own fields."""

    id: str
    udviklingsdag_id: str | None
    navn: str
    facilitator: str | None
    maal_ids: tuple[str, ...]
    anonym: bool
    maalsaetning_ids: tuple[str, ...] = ()
    """On a lederdag: the målsætninger the bord writes mål for."""


@dataclass(frozen=True, slots=True)
class UdviklingsdagOverview:
    """An udviklingsdag with its programme's length and its borde (in their order)."""

    dag: Udviklingsdag
    minutter: int
    blokke: int
    borde: tuple[Bord, ...]

    @property
    def id(self) -> str:
        return self.dag.id


@dataclass(frozen=True, slots=True)
class HomeSnapshot:
    """Everything the home screen shows, in one read."""

    days: tuple[UdviklingsdagOverview, ...]
    counts: Counts | None
    """None in the first frame's quick read (`overview.quick_home(with_counts=False)`)."""
    device: str
    target: str
    theme: str
    chosen_udviklingsdag: str | None
    chosen_bord: str | None
    device_named: bool
