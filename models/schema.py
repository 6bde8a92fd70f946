"""The registry of tracked entities and fields: what each field holds, its Danish label and how
it is validated. The write API, the merge, the importers and the screens all read it, so a rule
lives in one place."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from . import enums
from .errors import ValidationError
from .tables import (
    Bord,
    Deltager,
    Enhed,
    Evaluering,
    Maal,
    Maalplan,
    Maalsaetning,
    Note,
    Politik,
    Proevehandling,
    ProgramBlok,
    Samarbejde,
    Tegn,
    Udviklingsdag,
)
from .visible import visible

# ASCII digits only (`\d` alone takes every Unicode digit: «0٩:00» would be a time).
SAGSNUMMER_RE = re.compile(r"^\d{2}\.\d{2}\.\d{2}-[A-Z]\d{2}-\d+-\d{2}$", re.ASCII)
KLE_RE = re.compile(r"^\d{2}(\.\d{2}){0,2}$", re.ASCII)
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$", re.ASCII)
# C0 and C1 control characters, DEL, and the bidi/format characters that can hide text.
# Lone surrogates too (JSON "\\ud800"): no text can hold them; they cannot even be stored.
_CONTROL_RE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
# In a one-line field the Unicode line and paragraph separators are line breaks too.
_LINE_CONTROL_RE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)

LINE_MAX = 500
TEXT_MAX = 10_000


@dataclass(frozen=True)
class FieldSpec:
    """One tracked field. `kind` is one of: line, text, int, bool, date, time, enum, ref,
    reflist, intlist, sagsnummer, kle."""

    kind: str
    label: str
    required: bool = False
    enum: type[StrEnum] | None = None
    ref: str | None = None
    minimum: int | None = None
    maximum: int | None = None


@dataclass(frozen=True)
class EntitySpec:
    name: str
    table: type
    label: str
    label_plural: str
    fields: dict[str, FieldSpec]
    # (child entity, its field pointing here): tombstoned together with this row.
    children: tuple[tuple[str, str], ...] = ()
    title_field: str = "tekst"
    # Danish gender: «et tegn», «et bord» take «nyt»; «en enhed» takes «ny».
    neuter: bool = False

    @property
    def new_label(self) -> str:
        """«ny enhed» / «nyt tegn»."""
        return f"{'nyt' if self.neuter else 'ny'} {self.label}"


def _line(label: str, required: bool = False) -> FieldSpec:
    return FieldSpec("line", label, required)


def _text(label: str, required: bool = False) -> FieldSpec:
    return FieldSpec("text", label, required)


def _enum(label: str, e: type[StrEnum]) -> FieldSpec:
    return FieldSpec("enum", label, True, enum=e)


def _ref(label: str, entity: str, required: bool = False) -> FieldSpec:
    return FieldSpec("ref", label, required, ref=entity)


_YEAR = {"minimum": 2000, "maximum": 2100}

ENTITIES: dict[str, EntitySpec] = {}


def _register(spec: EntitySpec) -> None:
    ENTITIES[spec.name] = spec


_register(
    EntitySpec(
        "enhed",
        Enhed,
        "enhed",
        "enheder",
        {
            "navn": _line("Navn", True),
            "type": _enum("Type", enums.EnhedType),
            "parent_id": _ref("Hører under", "enhed"),
            "leder": _line("Leder"),
        },
        title_field="navn",
    )
)
_register(
    EntitySpec(
        "politik",
        Politik,
        "politik",
        "politikker",
        {
            "navn": _line("Navn", True),
            "periode": _line("Periode"),
            "beskrivelse": _text("Beskrivelse"),
        },
        title_field="navn",
    )
)
_register(
    EntitySpec(
        "maalsaetning",
        Maalsaetning,
        "målsætning",
        "målsætninger",
        {
            "tekst": _text("Målsætning", True),
            "kilde": _enum("Kilde", enums.Kilde),
            "politik_id": _ref("Politik", "politik"),
            "aar": FieldSpec("int", "År", **_YEAR),
            "position": FieldSpec("int", "Rækkefølge"),
        },
        children=(("maal", "maalsaetning_id"),),
    )
)
_register(
    EntitySpec(
        "maalplan",
        Maalplan,
        "målplan",
        "målplaner",
        {
            "enhed_id": _ref("Enhed", "enhed", True),
            "aar": FieldSpec("int", "År", True, **_YEAR),
            "titel": _line("Titel", True),
            "ansvarlig": _line("Ansvarlig"),
            "sagsnummer": FieldSpec("sagsnummer", "Sagsnummer"),
            "kle": FieldSpec("kle", "KLE-nummer"),
            "status_foer": _enum("Status FØR", enums.ArkStatus),
            "status_del1": _enum("Status UNDER del 1", enums.ArkStatus),
            "status_del2": _enum("Status UNDER del 2", enums.ArkStatus),
            "status_efter": _enum("Status EFTER", enums.ArkStatus),
            "plan_a": FieldSpec("intlist", "Plan A-indikatorer", minimum=1, maximum=8),
        },
        title_field="titel",
    )
)
_register(
    EntitySpec(
        "maal",
        Maal,
        "mål",
        "mål",
        {
            "maalsaetning_id": _ref("Målsætning", "maalsaetning", True),
            "enhed_id": _ref("Enhed", "enhed"),
            "maalplan_id": _ref("Målplan", "maalplan"),
            "tekst": _text("Mål", True),
            "fra_aar": FieldSpec("int", "Fra år", **_YEAR),
            "til_aar": FieldSpec("int", "Til år", **_YEAR),
            "ansvarlig": _line("Ansvarlig"),
            "plan_a": FieldSpec("intlist", "Plan A-indikatorer", minimum=1, maximum=8),
            "position": FieldSpec("int", "Rækkefølge"),
        },
        children=(
            ("tegn", "maal_id"),
            ("proevehandling", "maal_id"),
            ("samarbejde", "maal_id"),
            ("note", "maal_id"),
        ),
        neuter=True,
    )
)
_register(
    EntitySpec(
        "tegn",
        Tegn,
        "tegn",
        "tegn",
        {
            "maal_id": _ref("Mål", "maal", True),
            "tekst": _text("Hvad kigger vi efter", True),
            "type": _enum("Type", enums.TegnType),
            "datakilde": _text("Datakilde / sådan måles det"),
            "baseline": _line("Udgangspunkt (baseline)"),
            "forventet_niveau": _line("Forventet niveau"),
            "position": FieldSpec("int", "Rækkefølge"),
        },
        neuter=True,
    )
)
_register(
    EntitySpec(
        "proevehandling",
        Proevehandling,
        "prøvehandling",
        "prøvehandlinger",
        {
            "maal_id": _ref("Mål", "maal", True),
            "tekst": _text("Hvad gør vi", True),
            "forventning": _text("Vi forventer at ..."),
            "ansvarlig": _line("Ansvarlig"),
            "start": FieldSpec("date", "Start"),
            "slut": FieldSpec("date", "Slut"),
            "borgerinddragelse": FieldSpec("bool", "Borgerinddragelse"),
            "borgerinddragelse_hvordan": _text("Sådan inddrager vi borgerne"),
            "evaluering_undervejs": FieldSpec("date", "Evaluering undervejs"),
            "evaluering_afslutning": FieldSpec("date", "Evaluering ved afslutning"),
            "tegn_ids": FieldSpec("reflist", "Tegn den følger", ref="tegn"),
            "position": FieldSpec("int", "Rækkefølge"),
        },
        children=(("evaluering", "proevehandling_id"),),
    )
)
_register(
    EntitySpec(
        "evaluering",
        Evaluering,
        "evaluering",
        "evalueringer",
        {
            "proevehandling_id": _ref("Prøvehandling", "proevehandling", True),
            "type": _enum("Type", enums.EvalueringType),
            "dato": FieldSpec("date", "Dato"),
            "effekt": _text("Effekt og værdi"),
            "laering": _text("Læring"),
        },
        title_field="effekt",
    )
)
_register(
    EntitySpec(
        "samarbejde",
        Samarbejde,
        "samarbejde",
        "samarbejder",
        {
            "maal_id": _ref("Mål", "maal", True),
            "partner_ids": FieldSpec("reflist", "Samarbejdspartnere", ref="enhed"),
            "niveau": _enum("Niveau", enums.Niveau),
            "forventningsafstemning": _text("Forventningsafstemning"),
            "rollefordeling": _text("Rollefordeling"),
            "maal_for_samarbejdet": _text("Mål for samarbejdet"),
            "position": FieldSpec("int", "Rækkefølge"),
        },
        title_field="maal_for_samarbejdet",
        neuter=True,
    )
)
_register(
    EntitySpec(
        "udviklingsdag",
        Udviklingsdag,
        "udviklingsdag",
        "udviklingsdage",
        {
            "titel": _line("Titel", True),
            "dagdel": _enum("Del", enums.Del),
            "dato": FieldSpec("date", "Dato"),
            "starttid": FieldSpec("time", "Starttid", True),
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
        ProgramBlok,
        "programpunkt",
        "programpunkter",
        {
            "udviklingsdag_id": _ref("Udviklingsdag", "udviklingsdag", True),
            "titel": _line("Titel", True),
            "minutter": FieldSpec("int", "Varighed (minutter)", True, minimum=1, maximum=600),
            "beskrivelse": _text("Beskrivelse"),
            "position": FieldSpec("int", "Rækkefølge"),
        },
        title_field="titel",
        neuter=True,
    )
)
_register(
    EntitySpec(
        "bord",
        Bord,
        "bord",
        "borde",
        {
            "udviklingsdag_id": _ref("Udviklingsdag", "udviklingsdag", True),
            "navn": _line("Navn", True),
            "facilitator": _line("Facilitator"),
            "device_id": _line("Bærbar"),
            "maal_ids": FieldSpec("reflist", "Bordets mål", ref="maal"),
            "anonym": FieldSpec("bool", "Anonymt bord"),
            "position": FieldSpec("int", "Rækkefølge"),
        },
        children=(("deltager", "bord_id"), ("note", "bord_id")),
        title_field="navn",
        neuter=True,
    )
)
_register(
    EntitySpec(
        "deltager",
        Deltager,
        "deltager",
        "deltagere",
        {
            "bord_id": _ref("Bord", "bord", True),
            "navn": _line("Navn", True),
            "enhed_id": _ref("Enhed", "enhed"),
            "rolle": _enum("Rolle", enums.DeltagerRolle),
        },
        title_field="navn",
    )
)
_register(
    EntitySpec(
        "note",
        Note,
        "note",
        "noter",
        {
            "maal_id": _ref("Mål", "maal"),
            "bord_id": _ref("Bord", "bord"),
            "type": _enum("Type", enums.NoteType),
            "tekst": _text("Tekst", True),
        },
    )
)

# The order in which entities are applied and exported (parents before children).
ENTITY_ORDER: tuple[str, ...] = tuple(ENTITIES)
TABLE_TO_ENTITY: dict[type, str] = {spec.table: name for name, spec in ENTITIES.items()}
DELETED = "deleted"


def entity_name(entity: str | type) -> str:
    """Accept a table class or an entity name; return the entity name."""
    if isinstance(entity, str):
        if entity not in ENTITIES:
            raise ValidationError(f"Ukendt type af data: {entity!r}.")
        return entity
    try:
        return TABLE_TO_ENTITY[entity]
    except KeyError:
        raise ValidationError(f"Ukendt type af data: {entity!r}.") from None


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


def thousands(n: int) -> str:
    """A number the Danish way: 20.000."""
    return f"{n:,}".replace(",", ".")


def _clean_text(value: Any, spec: FieldSpec, where: str) -> str | None:
    if not isinstance(value, str):
        raise ValidationError(f"{where} skal være tekst.", field=spec.label)
    limit = TEXT_MAX if spec.kind == "text" else LINE_MAX
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
    return _clean_text(value, FieldSpec("line", "Navn"), where)


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
        result = _validate(spec, value, where, strict)
    except ValidationError as exc:
        exc.entity = exc.entity or entity
        raise
    if result is None and spec.required:
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


def _validate(spec: FieldSpec, value: Any, where: str, strict: bool = False) -> Any:
    kind = spec.kind
    if strict:
        _strict_type(spec, value, where)
    if isinstance(value, str) and kind not in ("line", "text") and not value.strip():
        value = None
    if value is None:
        return [] if kind in ("reflist", "intlist") else None
    if kind in ("line", "text"):
        return _clean_text(value, spec, where)
    if kind == "sagsnummer":
        text = _clean_text(value, FieldSpec("line", spec.label), where)
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
        text = _clean_text(value, FieldSpec("line", spec.label), where)
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
        text = _clean_text(value, FieldSpec("line", spec.label), where)
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
        return _int(spec, value, where)
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
        return sorted({_int(spec, item, where, strict) for item in value})
    raise AssertionError(kind)


def _int(spec: FieldSpec, value: Any, where: str, strict: bool = False) -> int:
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
