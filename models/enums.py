"""Enumerations of the domain. Values are stable ASCII keys; Danish labels live in `LABELS`."""

from __future__ import annotations

from enum import StrEnum
from functools import cache


class EnhedType(StrEnum):
    """A node in the organisation tree."""

    DIREKTOEROMRAADE = "direktoeromraade"
    STAB = "stab"
    AFDELING = "afdeling"
    ENHED = "enhed"


class Kilde(StrEnum):
    """Where a målsætning comes from."""

    POLITIK = "politik"
    BUDGETAFTALE = "budgetaftale"


class TegnType(StrEnum):
    KVANTITATIV = "kvantitativ"
    KVALITATIV = "kvalitativ"


class Niveau(StrEnum):
    """The three levels of cross-unit collaboration."""

    VIDEN = "viden"
    KOORDINATION = "koordination"
    SAMSKABELSE = "samskabelse"


class EvalueringType(StrEnum):
    UNDERVEJS = "undervejs"
    AFSLUTNING = "afslutning"


class Del(StrEnum):
    """Which workshop day: the lederdag before them, or one of the two udviklingsdage."""

    LEDERDAG = "lederdag"
    DEL1 = "del1"
    DEL2 = "del2"


class ProevehandlingStatus(StrEnum):
    """Where a prøvehandling stands in the year (with the date it changed)."""

    PLANLAGT = "planlagt"
    I_GANG = "i_gang"
    AFSLUTTET = "afsluttet"
    STOPPET = "stoppet"
    VIDEREFOERT = "viderefoert"


class Maalopfyldelse(StrEnum):
    """How far a mål got in a year, as the tovholder assesses it for the August status."""

    OPFYLDT = "opfyldt"
    DELVIST = "delvist"
    IKKE_ENDNU = "ikke_endnu"
    FOR_TIDLIGT = "for_tidligt"


class ArkStatus(StrEnum):
    """Status of one sheet of a målplanskabelon."""

    IKKE_PAABEGYNDT = "ikke_paabegyndt"
    I_GANG = "i_gang"
    UDFYLDT = "udfyldt"
    GODKENDT = "godkendt"


class NoteType(StrEnum):
    NOTE = "note"
    PARKERING = "parkering"
    LAERING = "laering"


class DeltagerRolle(StrEnum):
    LEDER = "leder"
    MEDARBEJDER = "medarbejder"
    BORGER = "borger"
    ANDEN = "anden"


# Keyed by the members; a member equals its value, so the plain value finds its label too.
LABELS: dict[str, str] = {
    EnhedType.DIREKTOEROMRAADE: "Direktørområde",
    EnhedType.STAB: "Stab",
    EnhedType.AFDELING: "Afdeling",
    EnhedType.ENHED: "Enhed",
    Kilde.POLITIK: "Politik",
    Kilde.BUDGETAFTALE: "Budgetaftale",
    TegnType.KVANTITATIV: "Kvantitativ",
    TegnType.KVALITATIV: "Kvalitativ",
    Niveau.VIDEN: "Vidensniveau",
    Niveau.KOORDINATION: "Koordinationsniveau",
    Niveau.SAMSKABELSE: "Samskabelsesniveau",
    EvalueringType.UNDERVEJS: "Undervejs",
    EvalueringType.AFSLUTNING: "Afslutning",
    Del.LEDERDAG: "Lederdag",
    Del.DEL1: "Udviklingsdag del 1",
    Del.DEL2: "Udviklingsdag del 2",
    ProevehandlingStatus.PLANLAGT: "Planlagt",
    ProevehandlingStatus.I_GANG: "I gang",
    ProevehandlingStatus.AFSLUTTET: "Afsluttet",
    ProevehandlingStatus.STOPPET: "Stoppet",
    ProevehandlingStatus.VIDEREFOERT: "Videreført",
    Maalopfyldelse.OPFYLDT: "Opfyldt",
    Maalopfyldelse.DELVIST: "Delvist opfyldt",
    Maalopfyldelse.IKKE_ENDNU: "Ikke opfyldt endnu",
    Maalopfyldelse.FOR_TIDLIGT: "For tidligt at sige",
    ArkStatus.IKKE_PAABEGYNDT: "Ikke påbegyndt",
    ArkStatus.I_GANG: "I gang",
    ArkStatus.UDFYLDT: "Udfyldt",
    ArkStatus.GODKENDT: "Godkendt",
    NoteType.NOTE: "Note",
    NoteType.PARKERING: "Parkeringsplads",
    NoteType.LAERING: "Læring",
    DeltagerRolle.LEDER: "Leder",
    DeltagerRolle.MEDARBEJDER: "Medarbejder",
    DeltagerRolle.BORGER: "Borger",
    DeltagerRolle.ANDEN: "Anden",
}

NIVEAU_FORKLARING: dict[Niveau, str] = {
    Niveau.VIDEN: "I fortæller hinanden om jeres indsatser, så I kender til dem.",
    Niveau.KOORDINATION: "I aftaler, hvordan indsatserne passer sammen, men udfører dem hver"
    " for sig.",
    Niveau.SAMSKABELSE: "I løser den samme opgave sammen på tværs af enheder og afdelinger.",
}

# Plan A: three perspectives, eight indicators (number -> (perspective, short label)).
PLAN_A_INDIKATORER: dict[int, tuple[str, str]] = {
    1: ("Opgaver", "Sammenhæng fra vision til indsatser"),
    2: ("Opgaver", "Gennemskuelig afrapportering af målopfyldelse"),
    3: ("Opgaver", "Rammer for faglig refleksion og læring"),
    4: ("Adfærd", "Borgerinddragelse er en naturlig del af opgaven"),
    5: ("Adfærd", "Samarbejdsrelationer der fungerer"),
    6: ("Adfærd", "Høj trivsel og lavt fravær"),
    7: ("Struktur", "Klar opgavefordeling"),
    8: ("Struktur", "Tværfagligt samarbejde er en del af strukturen"),
}

PLAN_A_OBLIGATORISKE_2024 = (1, 6, 8)


def label(value: StrEnum | str | None) -> str:
    """The Danish label of an enum value (or the value itself when it has none)."""
    if value is None:
        return ""
    return LABELS.get(value, str(value))


@cache
def choice_label(enum: type[StrEnum], value: str | None) -> str:
    """The Danish label of a stored choice of `enum`, or empty when none is set (exports ask
    for the same few labels tens of thousands of times, so they are remembered). Raises
    ValueError for a value that is not one of `enum`'s."""
    return label(enum(value)) if value else ""
