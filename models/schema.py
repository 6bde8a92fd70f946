"""The declaration of every tracked entity and field, and the rules that check its values.

One `FieldSpec` per field says what the field holds (kind, choices, reference, length), its
Danish label, whether it must be filled in, a new row's value, and where it shows: in the
entity's form, in the målplanskabelon (which sheet and column) and in the Word/PDF documents
(which column of the entity's table). The write API, the merge, the importers, the exports and
the screens read it, so a rule lives in one place. What cannot be derived from it is checked
against it by a test (tests/test_declaration.py): the SQLModel tables, the migrations, the
SQLite views, the document rows."""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, cast

from . import enums
from .errors import ValidationError
from .visible import visible
from .words import thousands

if TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlmodel import SQLModel

# The SQLModel classes (models.tables) are looked up where they are used, not imported here:
# the declaration is read by screens and by the export's worker processes, which start sooner
# without SQLAlchemy.

# ASCII digits only (`\d` alone takes every Unicode digit: «0٩:00» would be a time).
SAGSNUMMER_RE = re.compile(r"^\d{2}\.\d{2}\.\d{2}-[A-Z]\d{2}-\d+-\d{2}$", re.ASCII)
KLE_RE = re.compile(r"^\d{2}(\.\d{2}){0,2}$", re.ASCII)
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$", re.ASCII)
# C0 and C1 control characters, DEL, and the bidi/format characters that can hide text.
# Lone surrogates too (JSON "\\ud800"): no text can hold them; they cannot even be stored.
# And U+FFFE/U+FFFF, which no XML file (a .docx, an .xlsx) can hold.
_CONTROL_RE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
# In a one-line field the Unicode line and paragraph separators are line breaks too.
_LINE_CONTROL_RE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)

LINE_MAX = 500
TEXT_MAX = 10_000

# The kinds of field, by what their value is.
KINDS = (
    "line",  # one line of text, at most LINE_MAX characters
    "text",  # text with line breaks, at most TEXT_MAX characters
    "int",
    "bool",
    "date",
    "time",  # «09:00»
    "enum",  # one of `FieldSpec.enum`'s values
    "ref",  # the id of a row of `FieldSpec.ref`
    "reflist",  # ids of rows of `FieldSpec.ref`
    "intlist",  # whole numbers (Plan A-indikatorer)
    "decimal",  # a measured number (a måling's value): stored as a float, at most 6 decimals
    "sagsnummer",  # an SBSYS case number, one line
    "kle",  # a KLE number, one line
)
LIST_KINDS = ("reflist", "intlist")
# The kinds held as one line of text (and at most LINE_MAX characters).
LINE_KINDS = ("line", "sagsnummer", "kle", "time")

# --- the målplanskabelon's sheets (exports.xlsx writes them, exports.template_import reads them)

SHEET_FOER = "FØR"
SHEET_DEL1 = "UNDER udviklingsdage del 1"
SHEET_DEL2 = "UNDER udviklingsdage del 2"
SHEET_EFTER = "EFTER"
# The year after the days: the workplaces' målinger on each tegn (one row a måling).
SHEET_MAALINGER = "Målinger"
SHEETS = (SHEET_FOER, SHEET_DEL1, SHEET_DEL2, SHEET_EFTER, SHEET_MAALINGER)


@dataclass(frozen=True)
class SheetColumn:
    """A column of an entity's table in the målplanskabelon: its header, width (Excel's
    units) and the other headers the import accepts for it. For the målplan's own fields,
    which stand as label/value pairs at the top of FØR, the header is the label and the width
    is not used. `key` names a column that is not a field (the mål a tegn belongs to, a
    number); a field's column is keyed by the field's name."""

    header: str
    width: float = 0
    aliases: tuple[str, ...] = ()
    key: str = ""


@dataclass(frozen=True)
class SheetTable:
    """Where an entity stands in the målplanskabelon: on which sheet, with which columns
    around its fields' columns (numbers and the row it belongs to, which the import uses to
    link the tables), and the fields' order when it is not the declaration's."""

    sheet: str
    before: tuple[SheetColumn, ...] = ()
    after: tuple[SheetColumn, ...] = ()
    order: tuple[str, ...] = ()


@dataclass(frozen=True)
class FieldSpec:
    """One tracked field. `kind` is one of `KINDS`; `enum` gives the choices of an enum,
    `ref` the entity a ref or reflist points at, `minimum`/`maximum` the range of a number.

    `required`: it must be filled in (a form marks it with *). `default`: the value a row
    holds before one is given (`Store.create` fills in the fields not given with it, the merge
    inserts a new row with the defaults before its values); a field with a default is never
    NULL (its column is NOT NULL) and cannot be emptied. A required field without a default
    (a reference, the målplan's year) is refused empty as well, but its column allows NULL: a
    database an older version filled from an incomplete file may hold such rows. `form`: shown
    in the entity's form. `sheet`: its column in the målplanskabelon (None: not there).
    `document`: the header of the column that shows it in the entity's table in the Word/PDF
    documents (several fields may share one column). `name` is filled in by the registry."""

    kind: str
    label: str
    required: bool = False
    enum: type[StrEnum] | None = None
    ref: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    default: Any = None
    form: bool = True
    sheet: SheetColumn | None = None
    document: str | None = None
    name: str = ""

    @property
    def nullable(self) -> bool:
        """Whether its column allows NULL: the field has no default. A list is never NULL
        (an empty list is its empty value)."""
        return self.default is None and self.kind not in LIST_KINDS

    @property
    def may_be_empty(self) -> bool:
        """Whether a value may empty the field: it is neither required nor has a default."""
        return self.nullable and not self.required

    @property
    def max_length(self) -> int | None:
        """The most characters a text kind holds (None for the other kinds)."""
        if self.kind == "text":
            return TEXT_MAX
        return LINE_MAX if self.kind in LINE_KINDS else None

    @property
    def new_value(self) -> Any:
        """A new row's value when none is given (a fresh list for a list)."""
        if self.kind in LIST_KINDS:
            return list(self.default or ())
        return self.default


@dataclass(frozen=True)
class EntitySpec:
    """One kind of row: its SQLModel class, Danish names, fields (in declaration order) and
    the rows it owns. `form_order` is the order of its form's fields when it is not the
    declaration's; `sheet` where it stands in the målplanskabelon (None: not there)."""

    name: str
    table_class: str  # its SQLModel class in models.tables
    label: str
    label_plural: str
    fields: dict[str, FieldSpec]
    # (child entity, its field pointing here): tombstoned together with this row.
    children: tuple[tuple[str, str], ...] = ()
    title_field: str = "tekst"
    # Danish gender: «et tegn», «et bord» take «nyt»; «en enhed» takes «ny».
    neuter: bool = False
    form_order: tuple[str, ...] = ()
    sheet: SheetTable | None = None

    @property
    def movable(self) -> bool:
        """Whether its rows stand in an order the user chooses (a `position` field), so they
        can be moved up and down; the others are shown by name (enheder, målplaner, ...)."""
        return "position" in self.fields

    @property
    def new_label(self) -> str:
        """«ny enhed» / «nyt tegn»."""
        return f"{'nyt' if self.neuter else 'ny'} {self.label}"

    @property
    def table(self) -> type[SQLModel]:
        """Its SQLModel class (imports models.tables, and so SQLAlchemy, on first use)."""
        from . import tables

        model: type[SQLModel] = getattr(tables, self.table_class)
        return model

    @property
    def sql_table(self) -> Table:
        """Its SQL table."""
        from .tables import sql_table

        return sql_table(self.table)


def _line(label: str, required: bool = False, **more: Any) -> FieldSpec:
    return FieldSpec("line", label, required, **more)


def _text(label: str, required: bool = False, **more: Any) -> FieldSpec:
    return FieldSpec("text", label, required, **more)


def _enum(label: str, e: type[StrEnum], default: StrEnum, **more: Any) -> FieldSpec:
    return FieldSpec("enum", label, True, enum=e, default=default.value, **more)


def _ref(label: str, entity: str, required: bool = False, **more: Any) -> FieldSpec:
    return FieldSpec("ref", label, required, ref=entity, **more)


def _year(label: str, required: bool = False, **more: Any) -> FieldSpec:
    return FieldSpec("int", label, required, minimum=2000, maximum=2100, **more)


def _date(label: str, **more: Any) -> FieldSpec:
    return FieldSpec("date", label, **more)


def _decimal(label: str, **more: Any) -> FieldSpec:
    return FieldSpec("decimal", label, **more)


def _bool(label: str, **more: Any) -> FieldSpec:
    return FieldSpec("bool", label, default=False, **more)


# The order among siblings: kept by the app, never typed in a form.
_POSITION = FieldSpec("int", "Rækkefølge", default=0, form=False)


def _col(header: str, width: float = 0, *aliases: str, key: str = "") -> SheetColumn:
    return SheetColumn(header, width, aliases, key)


ENTITIES: dict[str, EntitySpec] = {}


def _register(spec: EntitySpec) -> None:
    fields = {name: replace(f, name=name) for name, f in spec.fields.items()}
    ENTITIES[spec.name] = replace(spec, fields=fields)


_register(
    EntitySpec(
        "enhed",
        "Enhed",
        "enhed",
        "enheder",
        {
            "navn": _line("Navn", True, default=""),
            "type": _enum("Type", enums.EnhedType, enums.EnhedType.ENHED),
            "parent_id": _ref("Hører under", "enhed"),
            "leder": _line("Leder"),
        },
        title_field="navn",
    )
)
_register(
    EntitySpec(
        "politik",
        "Politik",
        "politik",
        "politikker",
        {
            "navn": _line("Navn", True, default=""),
            "periode": _line("Periode"),
            "beskrivelse": _text("Beskrivelse"),
        },
        title_field="navn",
    )
)
_register(
    EntitySpec(
        "maalsaetning",
        "Maalsaetning",
        "målsætning",
        "målsætninger",
        {
            "tekst": _text("Målsætning", True, default=""),
            "kilde": _enum("Kilde", enums.Kilde, enums.Kilde.POLITIK),
            "politik_id": _ref("Politik", "politik", form=False),
            "aar": _year("År"),
            "position": _POSITION,
        },
        children=(("maal", "maalsaetning_id"),),
    )
)
_register(
    EntitySpec(
        "maalplan",
        "Maalplan",
        "målplan",
        "målplaner",
        {
            "enhed_id": _ref(
                "Enhed", "enhed", True, sheet=_col("Enhed", 0, "arbejdsplads", "enhed/arbejdsplads")
            ),
            "aar": _year("År", True, sheet=_col("År", 0, "aar", "år for målplanen")),
            "titel": _line(
                "Titel", True, default="", sheet=_col("Målplan", 0, "titel", "målplanens titel")
            ),
            "ansvarlig": _line(
                "Ansvarlig", sheet=_col("Ansvarlig", 0, "ansvarlig chef", "tovholder")
            ),
            "sagsnummer": FieldSpec(
                "sagsnummer", "Sagsnummer", sheet=_col("Sagsnummer", 0, "sagsnr", "sagsnr.")
            ),
            "kle": FieldSpec("kle", "KLE-nummer", sheet=_col("KLE-nummer", 0, "kle")),
            "status_foer": _enum(
                "Status FØR",
                enums.ArkStatus,
                enums.ArkStatus.IKKE_PAABEGYNDT,
                sheet=_col("Status FØR"),
            ),
            "status_del1": _enum(
                "Status UNDER del 1",
                enums.ArkStatus,
                enums.ArkStatus.IKKE_PAABEGYNDT,
                sheet=_col(
                    "Status del 1", 0, "status under del 1", "status under udviklingsdage del 1"
                ),
            ),
            "status_del2": _enum(
                "Status UNDER del 2",
                enums.ArkStatus,
                enums.ArkStatus.IKKE_PAABEGYNDT,
                sheet=_col(
                    "Status del 2", 0, "status under del 2", "status under udviklingsdage del 2"
                ),
            ),
            "status_efter": _enum(
                "Status EFTER",
                enums.ArkStatus,
                enums.ArkStatus.IKKE_PAABEGYNDT,
                sheet=_col("Status EFTER"),
            ),
            "plan_a": FieldSpec(
                "intlist",
                "Plan A-indikatorer",
                minimum=1,
                maximum=8,
                sheet=_col("Plan A-indikatorer", 0, "plan a"),
            ),
        },
        title_field="titel",
        form_order=(
            "titel",
            "enhed_id",
            "aar",
            "ansvarlig",
            "sagsnummer",
            "kle",
            "status_foer",
            "status_del1",
            "status_del2",
            "status_efter",
            "plan_a",
        ),
        # Label/value pairs at the top of FØR; the first five in columns A:B.
        sheet=SheetTable(
            SHEET_FOER,
            order=(
                "titel",
                "enhed_id",
                "aar",
                "ansvarlig",
                "plan_a",
                "sagsnummer",
                "kle",
                "status_foer",
                "status_del1",
                "status_del2",
                "status_efter",
            ),
        ),
    )
)
# The number and text of the mål a row of the later sheets belongs to.
_MAAL_NR = _col("Mål nr", 9, "nr", "mål nr.", "maal nr", key="maal_nr")
_register(
    EntitySpec(
        "maal",
        "Maal",
        "mål",
        "mål",
        {
            "maalsaetning_id": _ref("Målsætning", "maalsaetning", True),
            "enhed_id": _ref("Enhed", "enhed"),
            "maalplan_id": _ref("Målplan", "maalplan"),
            "tekst": _text(
                "Mål", True, default="", sheet=_col("Mål", 50, "maal", "målet", "mål (tekst)")
            ),
            "fra_aar": _year("Fra år", sheet=_col("Fra år", 9, "fra", "fra aar")),
            "til_aar": _year("Til år", sheet=_col("Til år", 9, "til", "til aar")),
            "ansvarlig": _line("Ansvarlig", sheet=_col("Ansvarlig", 22, "ansvarlig leder")),
            "plan_a": FieldSpec(
                "intlist",
                "Plan A-indikatorer",
                minimum=1,
                maximum=8,
                sheet=_col("Plan A-indikatorer", 13, "plan a", "plan a indikatorer"),
            ),
            # The possible partners the leaders found on the lederdag (FØR): free text, one
            # name a line, since a name may be outside the organisation (a forening, a
            # region) or a unit not yet registered. Not a samarbejde: those are agreed, on
            # EFTER, with a level.
            # The mål of last year's plan this one carries on («nyt år»); kept by the app.
            "fra_id": _ref("Videreført fra", "maal", form=False),
            "mulige_partnere": _text(
                "Mulige samarbejdspartnere",
                sheet=_col(
                    "Mulige samarbejdspartnere",
                    30,
                    "samarbejdspartnere",
                    "mulige partnere",
                    "partnere",
                ),
                document="Mulig samarbejdspartner",
            ),
            "position": _POSITION,
        },
        children=(
            ("tegn", "maal_id"),
            ("proevehandling", "maal_id"),
            ("samarbejde", "maal_id"),
            ("note", "maal_id"),
            ("vurdering", "maal_id"),
        ),
        neuter=True,
        form_order=(
            "maalsaetning_id",
            "tekst",
            "enhed_id",
            "maalplan_id",
            "ansvarlig",
            "fra_aar",
            "til_aar",
            "plan_a",
            "mulige_partnere",
        ),
        sheet=SheetTable(
            SHEET_FOER,
            before=(
                _col("Mål nr", 19, "nr", "mål nr.", "maal nr", "nummer", key="nr"),
                _col("Målsætning", 40, "politisk målsætning", "maalsaetning", key="maalsaetning"),
                _col("Kilde", 14, key="kilde"),
            ),
        ),
    )
)
_register(
    EntitySpec(
        "tegn",
        "Tegn",
        "tegn",
        "tegn",
        {
            "maal_id": _ref("Mål", "maal", True),
            "tekst": _text(
                "Hvad kigger vi efter",
                True,
                default="",
                sheet=_col("Tegn: hvad kigger vi efter", 45, "tegn", "hvad kigger vi efter"),
                document="Hvad kigger vi efter",
            ),
            "type": _enum(
                "Type",
                enums.TegnType,
                enums.TegnType.KVALITATIV,
                sheet=_col("Type", 14, "datatype"),
                document="Type",
            ),
            "datakilde": _text(
                "Datakilde / sådan måles det",
                sheet=_col("Datakilde / sådan måles det", 30, "datakilde"),
                document="Datakilde",
            ),
            "baseline": _line(
                "Udgangspunkt (baseline)",
                sheet=_col("Udgangspunkt (baseline)", 18, "udgangspunkt", "baseline"),
                document="Udgangspunkt",
            ),
            "forventet_niveau": _line(
                "Forventet niveau",
                sheet=_col("Forventet niveau", 18, "forventet"),
                document="Forventet niveau",
            ),
            "position": _POSITION,
        },
        children=(("maaling", "tegn_id"),),
        neuter=True,
        sheet=SheetTable(
            SHEET_DEL1,
            before=(
                _MAAL_NR,
                _col("Mål", 40, "maal", key="maal"),
                _col("Tegn nr", 9, "tegn nr.", key="nr"),
            ),
        ),
    )
)
_register(
    EntitySpec(
        "proevehandling",
        "Proevehandling",
        "prøvehandling",
        "prøvehandlinger",
        {
            "maal_id": _ref("Mål", "maal", True),
            "tekst": _text(
                "Hvad gør vi",
                True,
                default="",
                sheet=_col("Prøvehandling: hvad gør vi", 40, "prøvehandling", "hvad gør vi"),
                document="Hvad gør vi",
            ),
            "forventning": _text(
                "Vi forventer at ...",
                sheet=_col("Vi forventer at ...", 30, "vi forventer at", "forventning"),
                document="Hvad gør vi",
            ),
            "ansvarlig": _line("Ansvarlig", sheet=_col("Ansvarlig", 18), document="Ansvarlig"),
            "start": _date("Start", sheet=_col("Start", 12, "startdato"), document="Periode"),
            "slut": _date("Slut", sheet=_col("Slut", 12, "slutdato"), document="Periode"),
            "borgerinddragelse": _bool(
                "Borgerinddragelse",
                sheet=_col("Borgerinddragelse (ja/nej)", 17, "borgerinddragelse"),
                document="Borgerinddragelse",
            ),
            "borgerinddragelse_hvordan": _text(
                "Sådan inddrager vi borgerne",
                sheet=_col("Sådan inddrager vi borgerne", 28, "hvordan inddrager vi borgerne"),
                document="Borgerinddragelse",
            ),
            "evaluering_undervejs": _date(
                "Evaluering undervejs",
                sheet=_col("Evaluering undervejs", 13, "evaluering undervejs (dato)"),
                document="Evaluering",
            ),
            "evaluering_afslutning": _date(
                "Evaluering ved afslutning",
                sheet=_col(
                    "Evaluering ved afslutning",
                    13,
                    "evaluering afslutning",
                    "evaluering ved afslutning (dato)",
                ),
                document="Evaluering",
            ),
            "tegn_ids": FieldSpec(
                "reflist",
                "Tegn den følger",
                ref="tegn",
                sheet=_col("Tegn den følger (nr)", 12, "tegn den følger", "tegn nr"),
                document="Tegn",
            ),
            # Where it stands in the year, and the day that changed (the workspace dates a
            # status change today unless the edit gives its own date).
            "status": _enum(
                "Status",
                enums.ProevehandlingStatus,
                enums.ProevehandlingStatus.PLANLAGT,
                sheet=_col("Status", 12, "status for prøvehandlingen"),
                document="Periode",
            ),
            "status_dato": _date(
                "Status ændret",
                sheet=_col("Status ændret", 12, "status dato", "statusdato"),
                document="Periode",
            ),
            # The prøvehandling of last year's plan this one carries on («nyt år»).
            "fra_id": _ref("Videreført fra", "proevehandling", form=False),
            "position": _POSITION,
        },
        children=(("evaluering", "proevehandling_id"), ("laering", "proevehandling_id")),
        sheet=SheetTable(
            SHEET_DEL2,
            before=(
                _MAAL_NR,
                _col("Mål", 32, "maal", key="maal"),
                _col("Prøvehandling nr", 16, "prøvehandling nr.", "proevehandling nr", key="nr"),
            ),
        ),
    )
)
_register(
    EntitySpec(
        "evaluering",
        "Evaluering",
        "evaluering",
        "evalueringer",
        {
            "proevehandling_id": _ref("Prøvehandling", "proevehandling", True),
            "type": _enum(
                "Type",
                enums.EvalueringType,
                enums.EvalueringType.UNDERVEJS,
                sheet=_col("Evaluering", 14, "evalueringstype", "type"),
                document="Type",
            ),
            "dato": _date("Dato", sheet=_col("Dato", 12), document="Dato"),
            "effekt": _text(
                "Effekt og værdi",
                sheet=_col("Effekt og værdi", 40, "effekt"),
                document="Effekt og værdi",
            ),
            "laering": _text("Læring", sheet=_col("Læring", 40, "laering"), document="Læring"),
        },
        title_field="effekt",
        sheet=SheetTable(
            SHEET_EFTER,
            before=(
                _col(
                    "Prøvehandling nr",
                    16,
                    "prøvehandling nr.",
                    "proevehandling nr",
                    key="proevehandling_nr",
                ),
                _col("Prøvehandling", 36, key="proevehandling"),
            ),
        ),
    )
)
_register(
    EntitySpec(
        "samarbejde",
        "Samarbejde",
        "samarbejde",
        "samarbejder",
        {
            "maal_id": _ref("Mål", "maal", True),
            "partner_ids": FieldSpec(
                "reflist",
                "Samarbejdspartnere",
                ref="enhed",
                sheet=_col("Samarbejdspartnere", 28, "partnere", "samarbejdspartner"),
                document="Samarbejdspartnere",
            ),
            "niveau": _enum(
                "Niveau",
                enums.Niveau,
                enums.Niveau.VIDEN,
                sheet=_col("Niveau", 20, "samarbejdsniveau"),
                document="Niveau",
            ),
            "forventningsafstemning": _text(
                "Forventningsafstemning",
                sheet=_col("Forventningsafstemning", 30),
                document="Forventningsafstemning",
            ),
            "rollefordeling": _text(
                "Rollefordeling", sheet=_col("Rollefordeling", 30), document="Rollefordeling"
            ),
            "maal_for_samarbejdet": _text(
                "Mål for samarbejdet",
                sheet=_col("Mål for samarbejdet", 30),
                document="Mål for samarbejdet",
            ),
            "position": _POSITION,
        },
        title_field="maal_for_samarbejdet",
        neuter=True,
        sheet=SheetTable(SHEET_EFTER, before=(_MAAL_NR, _col("Mål", 32, "maal", key="maal"))),
    )
)
_register(
    EntitySpec(
        "udviklingsdag",
        "Udviklingsdag",
        "udviklingsdag",
        "udviklingsdage",
        {
            "titel": _line("Titel", True, default=""),
            "dagdel": _enum("Del", enums.Del, enums.Del.DEL1),
            "dato": _date("Dato"),
            "starttid": FieldSpec("time", "Starttid", True, default="09:00"),
            "udfordring": _text("Udfordring"),
            "sted": _line("Sted"),
        },
        children=(("programblok", "udviklingsdag_id"), ("bord", "udviklingsdag_id")),
        title_field="titel",
    )
)
_register(
    EntitySpec(
        "programblok",
        "ProgramBlok",
        "programpunkt",
        "programpunkter",
        {
            "udviklingsdag_id": _ref("Udviklingsdag", "udviklingsdag", True),
            "titel": _line("Titel", True, default=""),
            "minutter": FieldSpec(
                "int", "Varighed (minutter)", True, minimum=1, maximum=600, default=30
            ),
            "beskrivelse": _text("Beskrivelse"),
            "position": _POSITION,
        },
        title_field="titel",
        neuter=True,
    )
)
_register(
    EntitySpec(
        "bord",
        "Bord",
        "bord",
        "borde",
        {
            "udviklingsdag_id": _ref("Udviklingsdag", "udviklingsdag", True),
            "navn": _line("Navn", True, default=""),
            "facilitator": _line("Facilitator"),
            "device_id": _line("Bærbar", form=False),
            "maal_ids": FieldSpec("reflist", "Bordets mål", ref="maal"),
            # On a lederdag the bord works on målsætninger and writes the mål for them.
            "maalsaetning_ids": FieldSpec("reflist", "Bordets målsætninger", ref="maalsaetning"),
            "anonym": _bool("Anonymt bord"),
            "position": _POSITION,
        },
        children=(("deltager", "bord_id"), ("note", "bord_id")),
        title_field="navn",
        neuter=True,
    )
)
_register(
    EntitySpec(
        "deltager",
        "Deltager",
        "deltager",
        "deltagere",
        {
            "bord_id": _ref("Bord", "bord", True),
            "navn": _line("Navn", True, default=""),
            "enhed_id": _ref("Enhed", "enhed"),
            "rolle": _enum("Rolle", enums.DeltagerRolle, enums.DeltagerRolle.MEDARBEJDER),
        },
        title_field="navn",
    )
)
_register(
    EntitySpec(
        "note",
        "Note",
        "note",
        "noter",
        {
            "maal_id": _ref("Mål", "maal"),
            "bord_id": _ref("Bord", "bord"),
            "type": _enum("Type", enums.NoteType, enums.NoteType.NOTE),
            "tekst": _text("Tekst", True, default=""),
        },
    )
)
_register(
    EntitySpec(
        "maaling",
        "Maaling",
        "måling",
        "målinger",
        {
            "tegn_id": _ref("Tegn", "tegn", True),
            "dato": FieldSpec(
                "date", "Dato", True, sheet=_col("Dato", 12, "målt", "dato for målingen")
            ),
            # A number for a kvantitativ tegn, an observation for a kvalitativ one (either or
            # both: `models.rules.record_problem` asks for one of them).
            "vaerdi": _decimal("Værdi", sheet=_col("Værdi", 11, "vaerdi", "tal", "resultat")),
            "observation": _text(
                "Observation",
                sheet=_col("Observation", 40, "iagttagelse", "faglig iagttagelse"),
            ),
            "kilde": _line("Kilde", sheet=_col("Kilde", 18, "kilde til målingen")),
            "hvem": _line("Registreret af", sheet=_col("Registreret af", 16, "hvem")),
        },
        title_field="dato",
        neuter=False,
        # One row a måling, under the tegn it measures (by number; the tegn's text to read).
        sheet=SheetTable(
            SHEET_MAALINGER,
            before=(
                _MAAL_NR,
                _col("Tegn nr", 9, "tegn nr.", "tegnets nr", key="tegn_nr"),
                _col("Tegn", 40, "tegnet", "tegn: hvad kigger vi efter", key="tegn"),
            ),
        ),
    )
)
_register(
    EntitySpec(
        "vurdering",
        "Vurdering",
        "vurdering",
        "vurderinger",
        {
            # The tovholder's assessment of how far a mål got in a year (the August status).
            "maal_id": _ref("Mål", "maal", True),
            "aar": _year("År", True),
            "maalopfyldelse": _enum(
                "Målopfyldelse", enums.Maalopfyldelse, enums.Maalopfyldelse.FOR_TIDLIGT
            ),
            "begrundelse": _text("Begrundelse"),
            "dato": _date("Vurderet"),
            "hvem": _line("Vurderet af"),
        },
        title_field="maalopfyldelse",
    )
)
_register(
    EntitySpec(
        "plan_a_forskel",
        "PlanAForskel",
        "Plan A-forskel",
        "Plan A-forskelle",
        {
            # For one Plan A indicator a workplace chose for the year (on its målplan): the
            # difference it wants to make. The Plan A poster shows it.
            "maalplan_id": _ref("Målplan", "maalplan", True),
            "indikator": FieldSpec("int", "Indikator", True, minimum=1, maximum=8),
            "forskel": _text("Den forskel vi vil gøre"),
        },
        title_field="forskel",
    )
)
_register(
    EntitySpec(
        "laering",
        "Laering",
        "læring",
        "læringer",
        {
            # On a prøvehandling or on the målplan as a whole (one of them: a record rule).
            "maalplan_id": _ref("Målplan", "maalplan"),
            "proevehandling_id": _ref("Prøvehandling", "proevehandling"),
            "dato": FieldSpec("date", "Dato", True, sheet=_col("Dato", 12)),
            "tekst": _text(
                "Det har vi lært",
                True,
                default="",
                sheet=_col("Det har vi lært", 50, "lært", "det vi har lært"),
            ),
            "hvem": _line("Skrevet af", sheet=_col("Skrevet af", 16, "hvem")),
        },
        # On EFTER under the evalueringer: a prøvehandling's by its number, the plan's with
        # the number left empty. The header «Det har vi lært» (not «Læring», the evaluering's
        # column) keeps the two tables apart when the import finds them by their headers.
        sheet=SheetTable(
            SHEET_EFTER,
            before=(
                _col(
                    "Prøvehandling nr",
                    16,
                    "prøvehandling nr.",
                    "proevehandling nr",
                    key="proevehandling_nr",
                ),
                _col("Prøvehandling", 36, key="proevehandling"),
            ),
        ),
    )
)

# The order in which entities are applied and exported (parents before children).
ENTITY_ORDER: tuple[str, ...] = tuple(ENTITIES)
DELETED = "deleted"


def entity_name(entity: str | type[SQLModel]) -> str:
    """Accept a table class or an entity name; return the entity name."""
    if isinstance(entity, str):
        if entity not in ENTITIES:
            raise ValidationError(f"Ukendt type af data: {entity!r}.")
        return entity
    for name, spec in ENTITIES.items():
        if spec.table is entity:
            return name
    raise ValidationError(f"Ukendt type af data: {entity!r}.")


# --- what is derived from the declaration ---------------------------------------------------


def form_fields(entity: str, *, fixed: Collection[str] = ()) -> tuple[FieldSpec, ...]:
    """The fields a form for `entity` shows, in order, less those `fixed` by where the form
    was opened (the mål of a new tegn)."""
    spec = ENTITIES[entity]
    names = spec.form_order or tuple(n for n, f in spec.fields.items() if f.form)
    return tuple(spec.fields[n] for n in names if n not in fixed)


def new_values(entity: str) -> dict[str, Any]:
    """The starting values of a form for a new row: the defaults of its form fields that say
    something (a choice, a time, a number; not an empty text or an unticked box)."""
    return {
        f.name: f.new_value
        for f in form_fields(entity)
        if f.default not in (None, "") and f.kind != "bool"
    }


def sheet_fields(entity: str) -> tuple[FieldSpec, ...]:
    """The fields of `entity` that stand in the målplanskabelon, in the sheet's order."""
    spec = ENTITIES[entity]
    if spec.sheet is not None and spec.sheet.order:
        return tuple(spec.fields[n] for n in spec.sheet.order)
    return tuple(f for f in spec.fields.values() if f.sheet is not None)


def sheet_columns(entity: str) -> tuple[SheetColumn, ...]:
    """Every column of `entity`'s table in the målplanskabelon, left to right, each with its
    key: the columns around the fields keep their own, a field's column is keyed by the
    field's name."""
    table = ENTITIES[entity].sheet
    if table is None:
        return ()
    own = tuple(replace(cast(SheetColumn, f.sheet), key=f.name) for f in sheet_fields(entity))
    return table.before + own + table.after


# The entities that stand in the målplanskabelon as a table, in the workbook's order (the
# målplan's own fields stand as label/value pairs at the top of FØR instead).
SHEET_ENTITIES = (
    "maal",
    "tegn",
    "proevehandling",
    "samarbejde",
    "evaluering",
    "laering",
    "maaling",
)


def document_columns(entity: str) -> tuple[str, ...]:
    """The headers of the columns that show `entity`'s fields in the Word/PDF documents, in
    order (the first field of each column decides its place)."""
    return tuple(dict.fromkeys(f.document for f in ENTITIES[entity].fields.values() if f.document))


def document_fields(entity: str, column: str) -> tuple[FieldSpec, ...]:
    """The fields shown in one column of `entity`'s table in the documents."""
    return tuple(f for f in ENTITIES[entity].fields.values() if f.document == column)


def shown_fields(entity: str) -> tuple[FieldSpec, ...]:
    """The fields the målplan exports show (in the målplanskabelon or the documents), in
    declaration order: what `models.maalplan_view` reads for them."""
    return tuple(f for f in ENTITIES[entity].fields.values() if f.sheet is not None or f.document)


# --- validation -------------------------------------------------------------------------------

_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%y", "%d.%m.%y")


def parse_date(value: str) -> date:
    """Parse an ISO date or a Danish day-month-year date ('24-01-2024', '24.1.2024')."""
    text = value.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


# What is stripped from both ends of a text: ordinary white space only (space, tab, new line,
# carriage return and the Unicode spaces). `str.strip` would also take control characters such
# as \x1c, \x0b and \x85 off the ends, so they would pass the control-character rule and the
# stored text (after a later edit in front of them) could still hold them; here they stay in
# the text and are refused wherever they are.
_SPACES = " \t\n\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009" + (
    "\u200a\u202f\u205f\u3000"
)
# A text longer than this many times its limit is refused before it is looked at (ten million
# spaces after a word): no stripping makes it a sensible value.
_RAW_FACTOR = 2


def clean_text(value: Any, spec: FieldSpec, where: str) -> str | None:
    """A text by the rules of `spec` (a `line` or a `text`): NFC, stripped of white space at
    the ends, one kind of line break (a `text`) or one line (anything else), no control or
    direction characters, at most `LINE_MAX`/`TEXT_MAX` characters; None when empty. Raises
    `ValidationError` naming the value as `where`."""
    if not isinstance(value, str):
        raise ValidationError(f"{where} skal være tekst.", field=spec.label)
    limit = spec.max_length or LINE_MAX
    if len(value) > limit * _RAW_FACTOR:
        raise ValidationError(
            f"{where} er for lang ({thousands(len(value))} tegn; højst {thousands(limit)}). "
            "Gør den kortere.",
            field=spec.label,
        )
    text = unicodedata.normalize("NFC", value)
    if spec.kind == "text":
        # One kind of line break in a stored text (some terminals take U+2028 as one too).
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    text = text.strip(_SPACES)
    if "\x00" in text:
        raise ValidationError(
            f"{where} indeholder et NUL-tegn (en usynlig nulbyte). Skriv teksten igen uden det.",
            field=spec.label,
        )
    pattern = _LINE_CONTROL_RE if spec.kind != "text" else _CONTROL_RE
    bad = pattern.search(text)
    if bad:
        if bad.group() in ("\n", "\r", "\u2028", "\u2029"):
            raise ValidationError(f"{where} skal stå på én linje.", field=spec.label)
        code = ord(bad.group())
        if 0xD800 <= code <= 0xDFFF:
            raise ValidationError(
                f"{where} indeholder et ugyldigt tegn (en halv UTF-16-kode, U+{code:04X}), som "
                "ikke kan gemmes. Skriv teksten igen.",
                field=spec.label,
            )
        if code >= 0xFFFE:
            raise ValidationError(
                f"{where} indeholder et ugyldigt tegn (U+{code:04X}), som et Word- eller "
                "Excel-dokument ikke kan rumme. Skriv teksten igen uden det.",
                field=spec.label,
            )
        if code >= 0x202A:
            raise ValidationError(
                f"{where} indeholder et usynligt tegn, der vender tekstens retning (U+{code:04X})"
                " og kan skjule dele af teksten. Skriv teksten igen uden at kopiere den ind.",
                field=spec.label,
            )
        raise ValidationError(
            f"{where} indeholder et usynligt styretegn (kode {code:#04x}). "
            "Fjern det, fx ved at skrive teksten igen.",
            field=spec.label,
        )
    if len(text) > limit:
        raise ValidationError(
            f"{where} er for lang ({thousands(len(text))} tegn; højst {thousands(limit)}). "
            "Gør den kortere.",
            field=spec.label,
        )
    if not text:
        return None
    return text


def clean_line(value: Any, where: str) -> str | None:
    """A name that is not a tracked field (a laptop's name, typed or from a file's manifest),
    by the rules of a `line` field: one line, no control characters, at most `LINE_MAX`
    characters, stripped and NFC. Raises `ValidationError` naming it as `where`."""
    return clean_text(value, FieldSpec("line", "Navn"), where)


def validate_value(entity: str, name: str, value: Any, *, strict: bool = False) -> Any:
    """Validate and normalise one value; return it in its stored form (str NFC, date, int,
    bool, list). Raise `ValidationError` with a Danish message that names the field.

    This is the one function that turns an incoming value into the stored value: `Store`
    (typed edits, the workbook import) and the merge (values from bundle files) store exactly
    what it returns. With `strict` (values read from a file), the value must already have the
    JSON type the app writes: a whole number for a number, true/false for yes/no, a date as
    "YYYY-MM-DD", a list for a list; form input ("5", "ja", "24-01-2024") is only understood
    without it. Both modes normalise the same way (text stripped of white space and NFC, lists
    without duplicates, number lists sorted), so a stored value always equals
    `validate_value` of itself."""
    spec_e = ENTITIES[entity]
    try:
        spec = spec_e.fields[name]
    except KeyError:
        raise ValidationError(
            f"Feltet «{visible(name, limit=40)}» findes ikke på en {spec_e.label}.",
            field=name,
            entity=entity,
        ) from None
    where = f"Feltet «{spec.label}»"
    try:
        result = check_value(spec, value, where, strict)
    except ValidationError as exc:
        exc.entity = exc.entity or entity
        raise
    if result is None and not spec.may_be_empty:
        # A required field, or one with a default (a yes/no, a position) whose column is
        # NOT NULL.
        raise ValidationError(f"{where} skal udfyldes.", field=spec.label, entity=entity)
    return result


def to_json(value: Any) -> Any:
    """A stored value as the JSON value a bundle file carries (a date as "YYYY-MM-DD")."""
    return value.isoformat() if isinstance(value, date) else value


_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _shown(value: Any) -> str:
    """A value from outside quoted in a message: short, as JSON writes it (true, not True),
    and with no control character."""
    if isinstance(value, str):
        return visible(value.strip(), limit=40)
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = type(value).__name__
    return visible(text, limit=40)


def _strict_type(spec: FieldSpec, value: Any, where: str) -> None:
    """Refuse a value from a file whose JSON type is not the one the app writes."""
    kind = spec.kind
    if value is None:
        return
    if kind == "int" and (type(value) is not int):
        raise ValidationError(
            f"{where} skal være et helt tal, men filen har «{_shown(value)}».", field=spec.label
        )
    if kind == "bool" and type(value) is not bool:
        raise ValidationError(
            f"{where} skal være ja eller nej (true eller false i filen), men filen har "
            f"«{_shown(value)}».",
            field=spec.label,
        )
    if kind == "date" and (type(value) is not str or not _ISO_DATE_RE.match(value)):
        raise ValidationError(
            f"{where}: «{_shown(value)}» er ikke en dato, som udviklingsdag skriver den i en "
            "fil (ÅÅÅÅ-MM-DD).",
            field=spec.label,
        )
    if kind in ("reflist", "intlist") and type(value) is not list:
        raise ValidationError(f"{where} skal være en liste.", field=spec.label)
    if kind == "decimal" and type(value) not in (int, float):
        raise ValidationError(
            f"{where} skal være et tal, men filen har «{_shown(value)}».", field=spec.label
        )


def check_value(spec: FieldSpec, value: Any, where: str, strict: bool = False) -> Any:
    """One value checked and normalised by its field's `spec` (its kind, limits and choices),
    without the field's `required` rule: the stored form, None (or [] for a list) when empty.
    `strict` as in `validate_value`. Raises `ValidationError` naming the value as `where`."""
    kind = spec.kind
    if strict:
        _strict_type(spec, value, where)
    if isinstance(value, str) and kind not in ("line", "text") and not value.strip():
        value = None
    if value is None:
        return [] if kind in ("reflist", "intlist") else None
    if kind in ("line", "text"):
        return clean_text(value, spec, where)
    if kind == "sagsnummer":
        text = clean_text(value, FieldSpec("line", spec.label), where)
        if text is not None and not SAGSNUMMER_RE.match(text):
            raise ValidationError(
                f"{where}: «{_shown(text)}» er ikke et gyldigt sagsnummer. Det skal se sådan ud: "
                "00.01.00-G01-12-24 (KLE-emne, facet, løbenummer, årstal).",
                field=spec.label,
            )
        return text
    if kind == "kle":
        if not isinstance(value, str):
            raise ValidationError(
                f"{where} skal være et KLE-nummer som tekst, fx 00.01.", field=spec.label
            )
        text = clean_text(value, FieldSpec("line", spec.label), where)
        if text is not None and not KLE_RE.match(text):
            raise ValidationError(
                f"{where}: «{_shown(text)}» er ikke et KLE-nummer. Skriv fx 00.01 eller 00.01.00.",
                field=spec.label,
            )
        return text
    if kind == "time":
        if not isinstance(value, str):
            raise ValidationError(
                f"{where} skal være et klokkeslæt som tekst, fx 09:00.", field=spec.label
            )
        text = clean_text(value, FieldSpec("line", spec.label), where)
        if text is not None and not TIME_RE.match(text):
            raise ValidationError(
                f"{where}: «{_shown(text)}» er ikke et klokkeslæt. Skriv fx 09:00.",
                field=spec.label,
            )
        return text
    if kind == "enum":
        assert spec.enum is not None
        raw = value.value if isinstance(value, StrEnum) else value
        try:
            if not isinstance(raw, str):
                raise ValueError(raw)
            return spec.enum(raw).value
        except ValueError:
            allowed = ", ".join(enums.label(m) for m in spec.enum)
            raise ValidationError(
                f"{where}: «{_shown(raw)}» er ikke en mulighed. Vælg en af: {allowed}.",
                field=spec.label,
            ) from None
    if kind == "int":
        return check_int(spec, value, where)
    if kind == "decimal":
        return check_decimal(spec, value, where)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("ja", "j", "true", "1", "x"):
            return True
        if isinstance(value, str) and value.strip().lower() in ("nej", "n", "false", "0", ""):
            return False
        raise ValidationError(f"{where} skal være ja eller nej.", field=spec.label)
    if kind == "date":
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            result = value
        elif isinstance(value, str):
            try:
                result = date.fromisoformat(value) if strict else parse_date(value)
            except ValueError:
                raise ValidationError(
                    f"{where}: «{_shown(value)}» er ikke en dato. Skriv fx 24-01-2024.",
                    field=spec.label,
                ) from None
        else:
            raise ValidationError(f"{where} skal være en dato.", field=spec.label)
        if not 2000 <= result.year <= 2100:
            raise ValidationError(
                f"{where}: året {result.year} ligger uden for 2000-2100.", field=spec.label
            )
        return result
    if kind == "ref":
        return _uuid(value, spec, where)
    if kind == "reflist":
        if not isinstance(value, list | tuple):
            raise ValidationError(f"{where} skal være en liste.", field=spec.label)
        if len(value) > 1000:
            raise ValidationError(f"{where} har for mange elementer.", field=spec.label)
        out: list[str] = []
        for item in value:
            ref = _uuid(item, spec, where)
            if ref not in out:
                out.append(ref)
        return out
    if kind == "intlist":
        if not isinstance(value, list | tuple):
            raise ValidationError(f"{where} skal være en liste af tal.", field=spec.label)
        if len(value) > 1000:
            raise ValidationError(f"{where} har for mange elementer.", field=spec.label)
        return sorted({check_int(spec, item, where, strict) for item in value})
    raise AssertionError(kind)


def check_int(spec: FieldSpec, value: Any, where: str, strict: bool = False) -> int:
    """A whole number within `spec`'s minimum and maximum (within 32 bits when it has no
    minimum); a numeric string is understood unless `strict`. A bool is refused."""
    if isinstance(value, bool) or (strict and type(value) is not int):
        raise ValidationError(f"{where} skal være et helt tal.", field=spec.label)
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            raise ValidationError(
                f"{where}: «{_shown(value)}» er ikke et helt tal.", field=spec.label
            ) from None
    if not isinstance(value, int):
        raise ValidationError(f"{where} skal være et helt tal.", field=spec.label)
    if spec.minimum is not None and value < spec.minimum:
        raise ValidationError(f"{where} skal være mindst {spec.minimum}.", field=spec.label)
    if spec.maximum is not None and value > spec.maximum:
        raise ValidationError(f"{where} må højst være {spec.maximum}.", field=spec.label)
    if spec.minimum is None and not -(2**31) <= value < 2**31:
        raise ValidationError(f"{where} er et urimeligt stort tal.", field=spec.label)
    return value


DECIMAL_MAX = 1e12
_DECIMAL_RE = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
_THOUSANDS_DOT_RE = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d*)?$")


def parse_decimal(text: str) -> float:
    """A number as a Danish user types it: «12,5», «12.5», «1.234,5», «1 234», «45 %» (the
    percent sign is dropped: 45). A dot followed by groups of three digits is a thousands
    separator when a comma or nothing else follows («1.234» is 1234; «2.5» is 2.5). Raises
    ValueError."""
    t = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").rstrip("%")
    t = t.replace("\u2212", "-")
    if _THOUSANDS_DOT_RE.match(t):
        t = t.replace(".", "")
    if "," in t and "." in t:
        raise ValueError(text)
    if not _DECIMAL_RE.match(t):
        raise ValueError(text)
    return float(t.replace(",", "."))


def check_decimal(spec: FieldSpec, value: Any, where: str) -> float:
    """A measured number in its one stored form: a finite float within ±10^12, rounded to 6
    decimals (so 0.1 + 0.2 and 0.3 are the same value), never -0.0. A numeric text is read
    the Danish way (`parse_decimal`); a bool is refused."""
    if isinstance(value, bool):
        raise ValidationError(f"{where} skal være et tal.", field=spec.label)
    if isinstance(value, str):
        try:
            value = parse_decimal(value)
        except ValueError:
            raise ValidationError(
                f"{where}: «{_shown(value)}» er ikke et tal. Skriv fx 12 eller 12,5.",
                field=spec.label,
            ) from None
    if not isinstance(value, int | float):
        raise ValidationError(f"{where} skal være et tal.", field=spec.label)
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number) or abs(number) > DECIMAL_MAX:
        raise ValidationError(
            f"{where} er et urimeligt stort tal (højst 1.000.000.000.000).", field=spec.label
        )
    return round(number, 6) + 0.0


def format_decimal(value: float | int | None) -> str:
    """A stored number the Danish way: «12,5», «1.234», «0,75» (no trailing zeros)."""
    if value is None:
        return ""
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    whole, _, frac = text.partition(".")
    whole = whole.replace(",", ".")
    return f"{whole},{frac}" if frac else whole


# A row or change id as `store.new_id` writes it (lower-case UUID); `exports.bundle` builds its
# id and timestamp patterns from it.
UUID_PATTERN = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_UUID_RE = re.compile(rf"^{UUID_PATTERN}\Z")


def _uuid(value: Any, spec: FieldSpec, where: str) -> str:
    if not isinstance(value, str) or not _UUID_RE.match(value):
        raise ValidationError(f"{where} peger ikke på en gyldig række.", field=spec.label)
    return value


# --- encoding of values in the change log (JSON, portable) ------------------------------------


def encode_value(value: Any) -> str:
    """Encode a stored value as the JSON text kept in the change log."""
    if isinstance(value, date):
        return json.dumps(value.isoformat())
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def decode_value(entity: str, name: str, text: str | None) -> Any:
    """Decode a change-log value back to its stored Python form."""
    if text is None:
        return None
    value = json.loads(text)
    if name == DELETED:
        return bool(value)
    spec = ENTITIES[entity].fields.get(name)
    if spec is not None and spec.kind == "date" and isinstance(value, str):
        return date.fromisoformat(value)
    return value


def check_cross_rules(entity: str, row: dict[str, Any]) -> None:
    """Rules that involve two fields of the same row (end after start, ...)."""
    if entity == "proevehandling":
        start, slut = row.get("start"), row.get("slut")
        if start and slut and slut < start:
            raise ValidationError(
                "Slutdatoen ligger før startdatoen. Ret en af dem.", field="Slut", entity=entity
            )
    if entity == "maal":
        fra, til = row.get("fra_aar"), row.get("til_aar")
        if fra and til and til < fra:
            raise ValidationError(
                "«Til år» ligger før «Fra år». Ret en af dem.", field="Til år", entity=entity
            )
