"""SQLModel tables: the current state (domain rows) and the change log that travels.

Every domain table has a UUID `id` created where the row was born and a `deleted` tombstone
flag; rows are never removed. The columns other than `id` are the *tracked fields*: each write
to one of them goes through `models.store.Store` and appends a `Change`.

The domain tables are written out here for SQLModel, but what each column holds is declared in
`models.schema` (`ENTITIES`): tests/test_declaration.py checks every column (type, NULL or
not, default) against that declaration, and so does it for the schema the migrations build.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Float, ForeignKey, Index, String, Table, Text
from sqlmodel import Field, SQLModel


def sql_table(model: type[SQLModel]) -> Table:
    """The SQL table of a table class (SQLModel sets `__table__`; its types do not say so)."""
    table: Table = getattr(model, "__table__")  # noqa: B009
    return table


def _ref(table: str) -> Any:
    # Deferred, so a merge can write rows in any order; the check runs at commit and a file
    # that references unknown rows is rejected whole.
    fk = ForeignKey(f"{table}.id", deferrable=True, initially="DEFERRED")
    return Field(default=None, sa_column=Column(String(36), fk, index=True, nullable=True))


class Enhed(SQLModel, table=True):
    """A node of the organisation: direktørområde, stab, afdeling or enhed (workplace)."""

    __tablename__ = "enhed"
    id: str = Field(primary_key=True, max_length=36)
    navn: str = ""
    type: str = "enhed"
    parent_id: str | None = _ref("enhed")
    leder: str | None = None
    deleted: bool = False


class Politik(SQLModel, table=True):
    __tablename__ = "politik"
    id: str = Field(primary_key=True, max_length=36)
    navn: str = ""
    periode: str | None = None
    beskrivelse: str | None = Field(default=None, sa_column=Column(Text))
    deleted: bool = False


class Maalsaetning(SQLModel, table=True):
    """A political objective, from a politik or the yearly budgetaftale."""

    __tablename__ = "maalsaetning"
    id: str = Field(primary_key=True, max_length=36)
    tekst: str = Field(default="", sa_column=Column(Text, nullable=False))
    kilde: str = "politik"
    politik_id: str | None = _ref("politik")
    aar: int | None = None
    position: int = 0
    deleted: bool = False


class Maalplan(SQLModel, table=True):
    """A unit's plan for one year, filed in SBSYS as a målplanskabelon."""

    __tablename__ = "maalplan"
    id: str = Field(primary_key=True, max_length=36)
    enhed_id: str | None = _ref("enhed")
    aar: int | None = None
    titel: str = ""
    ansvarlig: str | None = None
    sagsnummer: str | None = None
    kle: str | None = None
    status_foer: str = "ikke_paabegyndt"
    status_del1: str = "ikke_paabegyndt"
    status_del2: str = "ikke_paabegyndt"
    status_efter: str = "ikke_paabegyndt"
    plan_a: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    deleted: bool = False


class Maal(SQLModel, table=True):
    """A concrete, time-bound situation a unit works toward for a målsætning."""

    __tablename__ = "maal"
    id: str = Field(primary_key=True, max_length=36)
    maalsaetning_id: str | None = _ref("maalsaetning")
    enhed_id: str | None = _ref("enhed")
    maalplan_id: str | None = _ref("maalplan")
    tekst: str = Field(default="", sa_column=Column(Text, nullable=False))
    fra_aar: int | None = None
    til_aar: int | None = None
    ansvarlig: str | None = None
    plan_a: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    mulige_partnere: str | None = Field(default=None, sa_column=Column(Text))
    fra_id: str | None = _ref("maal")
    position: int = 0
    deleted: bool = False


class Tegn(SQLModel, table=True):
    """A sign that shows whether the change among the target group is happening."""

    __tablename__ = "tegn"
    id: str = Field(primary_key=True, max_length=36)
    maal_id: str | None = _ref("maal")
    tekst: str = Field(default="", sa_column=Column(Text, nullable=False))
    type: str = "kvalitativ"
    datakilde: str | None = Field(default=None, sa_column=Column(Text))
    baseline: str | None = None
    forventet_niveau: str | None = None
    position: int = 0
    deleted: bool = False


class Proevehandling(SQLModel, table=True):
    """A trial action whose outcome is not known in advance."""

    __tablename__ = "proevehandling"
    id: str = Field(primary_key=True, max_length=36)
    maal_id: str | None = _ref("maal")
    tekst: str = Field(default="", sa_column=Column(Text, nullable=False))
    forventning: str | None = Field(default=None, sa_column=Column(Text))
    ansvarlig: str | None = None
    start: date | None = None
    slut: date | None = None
    borgerinddragelse: bool = False
    borgerinddragelse_hvordan: str | None = Field(default=None, sa_column=Column(Text))
    evaluering_undervejs: date | None = None
    evaluering_afslutning: date | None = None
    tegn_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = "planlagt"
    status_dato: date | None = None
    fra_id: str | None = _ref("proevehandling")
    position: int = 0
    deleted: bool = False


class Evaluering(SQLModel, table=True):
    __tablename__ = "evaluering"
    id: str = Field(primary_key=True, max_length=36)
    proevehandling_id: str | None = _ref("proevehandling")
    type: str = "undervejs"
    dato: date | None = None
    effekt: str | None = Field(default=None, sa_column=Column(Text))
    laering: str | None = Field(default=None, sa_column=Column(Text))
    deleted: bool = False


class Samarbejde(SQLModel, table=True):
    """A cross-unit collaboration on a mål, at one of the three levels."""

    __tablename__ = "samarbejde"
    id: str = Field(primary_key=True, max_length=36)
    maal_id: str | None = _ref("maal")
    partner_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    niveau: str = "viden"
    forventningsafstemning: str | None = Field(default=None, sa_column=Column(Text))
    rollefordeling: str | None = Field(default=None, sa_column=Column(Text))
    maal_for_samarbejdet: str | None = Field(default=None, sa_column=Column(Text))
    position: int = 0
    deleted: bool = False


class Udviklingsdag(SQLModel, table=True):
    __tablename__ = "udviklingsdag"
    id: str = Field(primary_key=True, max_length=36)
    titel: str = ""
    dagdel: str = "del1"
    dato: date | None = None
    starttid: str = "09:00"
    udfordring: str | None = Field(default=None, sa_column=Column(Text))
    sted: str | None = None
    deleted: bool = False


class ProgramBlok(SQLModel, table=True):
    """A time-boxed block of an udviklingsdag's programme."""

    __tablename__ = "programblok"
    id: str = Field(primary_key=True, max_length=36)
    udviklingsdag_id: str | None = _ref("udviklingsdag")
    titel: str = ""
    minutter: int = 30
    beskrivelse: str | None = Field(default=None, sa_column=Column(Text))
    position: int = 0
    deleted: bool = False


class Bord(SQLModel, table=True):
    """A table at an udviklingsdag, with its facilitator, laptop and mål."""

    __tablename__ = "bord"
    id: str = Field(primary_key=True, max_length=36)
    udviklingsdag_id: str | None = _ref("udviklingsdag")
    navn: str = ""
    facilitator: str | None = None
    device_id: str | None = None
    maal_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    maalsaetning_ids: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    anonym: bool = False
    position: int = 0
    deleted: bool = False


class Deltager(SQLModel, table=True):
    __tablename__ = "deltager"
    id: str = Field(primary_key=True, max_length=36)
    bord_id: str | None = _ref("bord")
    navn: str = ""
    enhed_id: str | None = _ref("enhed")
    rolle: str = "medarbejder"
    deleted: bool = False


class Note(SQLModel, table=True):
    """A free note, parking-lot item or læring, on a mål or on a table."""

    __tablename__ = "note"
    id: str = Field(primary_key=True, max_length=36)
    maal_id: str | None = _ref("maal")
    bord_id: str | None = _ref("bord")
    type: str = "note"
    tekst: str = Field(default="", sa_column=Column(Text, nullable=False))
    deleted: bool = False


class Maaling(SQLModel, table=True):
    """A measurement on a tegn: a number (kvantitativ) or an observation (kvalitativ)."""

    __tablename__ = "maaling"
    id: str = Field(primary_key=True, max_length=36)
    tegn_id: str | None = _ref("tegn")
    dato: date | None = None
    vaerdi: float | None = Field(default=None, sa_column=Column(Float))
    observation: str | None = Field(default=None, sa_column=Column(Text))
    kilde: str | None = None
    hvem: str | None = None
    deleted: bool = False


class Vurdering(SQLModel, table=True):
    """The tovholder's assessment of how far a mål got in a year."""

    __tablename__ = "vurdering"
    id: str = Field(primary_key=True, max_length=36)
    maal_id: str | None = _ref("maal")
    aar: int | None = None
    maalopfyldelse: str = "for_tidligt"
    begrundelse: str | None = Field(default=None, sa_column=Column(Text))
    dato: date | None = None
    hvem: str | None = None
    deleted: bool = False


class PlanAForskel(SQLModel, table=True):
    """The difference a workplace wants to make on one of its Plan A indicators."""

    __tablename__ = "plan_a_forskel"
    id: str = Field(primary_key=True, max_length=36)
    maalplan_id: str | None = _ref("maalplan")
    indikator: int | None = None
    forskel: str | None = Field(default=None, sa_column=Column(Text))
    deleted: bool = False


class Laering(SQLModel, table=True):
    """A dated læring on a prøvehandling or on a målplan as a whole."""

    __tablename__ = "laering"
    id: str = Field(primary_key=True, max_length=36)
    maalplan_id: str | None = _ref("maalplan")
    proevehandling_id: str | None = _ref("proevehandling")
    dato: date | None = None
    tekst: str = Field(default="", sa_column=Column(Text, nullable=False))
    hvem: str | None = None
    deleted: bool = False


# --- the change log and its local indexes -------------------------------------------------


class Change(SQLModel, table=True):
    """One entry of the change log: a new value for one field of one row.

    `replaces` lists (space separated) the change ids that were the field's current value(s)
    on the device when this change was made; `covers` (tombstones only) lists the other field
    heads of the row the deleting device had seen, so a concurrent edit can be detected.
    """

    __tablename__ = "change"
    id: str = Field(primary_key=True, max_length=36)
    hlc: str = Field(index=True)
    device_id: str = Field(index=True)
    entity: str
    row_id: str
    field: str
    value: str | None = Field(default=None, sa_column=Column(Text))
    replaces: str | None = Field(default=None, sa_column=Column(Text))
    covers: str | None = Field(default=None, sa_column=Column(Text))
    action_id: str = Field(index=True)
    undo_of: str | None = Field(default=None, index=True)

    __table_args__ = (Index("ix_change_row_field", "entity", "row_id", "field"),)


class FieldHead(SQLModel, table=True):
    """Local index: the change(s) currently holding each field. More than one head is a
    concurrent edit (a conflict when the values differ)."""

    __tablename__ = "field_head"
    entity: str = Field(primary_key=True)
    row_id: str = Field(primary_key=True)
    field: str = Field(primary_key=True)
    change_id: str = Field(primary_key=True)


class Superseded(SQLModel, table=True):
    """Local index: every change id some known change replaced (it may not have arrived yet)."""

    __tablename__ = "superseded"
    change_id: str = Field(primary_key=True)


class Device(SQLModel, table=True):
    """A laptop (or database) that made changes. `is_local` marks this database's own."""

    __tablename__ = "device"
    id: str = Field(primary_key=True, max_length=36)
    navn: str = ""
    is_local: bool = False


class Meta(SQLModel, table=True):
    """Local key/value settings (chosen day and table, ...). Not change-logged."""

    __tablename__ = "meta"
    key: str = Field(primary_key=True)
    value: str | None = Field(default=None, sa_column=Column(Text))


class ImportLedger(SQLModel, table=True):
    """Local record of every file imported: proves that each laptop's every entry arrived."""

    __tablename__ = "import_ledger"
    id: str = Field(primary_key=True, max_length=36)
    sha256: str = Field(index=True)
    filnavn: str = ""
    kind: str = ""
    device_id: str = Field(index=True)
    device_navn: str = ""
    imported_at: str = ""
    received: int = 0
    new: int = 0
    known: int = 0
    conflicts: int = 0
    # The writer's clock minus this laptop's when the file was imported, in seconds (issue 11).
    # 64 bits: the reader accepts clocks up to 2199, some 5.4 billion seconds from now, past
    # PostgreSQL's INTEGER (2.1 billion seconds, 68 years).
    clock_offset: int | None = Field(default=None, sa_column=Column(BigInteger))
