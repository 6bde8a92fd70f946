"""Danish words for counts and numbers: one helper each, so «1 prøvehandling», «2
prøvehandlinger» and «20.000» are right everywhere (the UI, the documents, `journalisering`).
Pure Python: no textual, no rich."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def thousands(n: int) -> str:
    """A number the Danish way: 20.000."""
    return f"{n:,}".replace(",", ".")


# Danish nouns of the domain as (singular, plural), for `antal(n, NOUN["tegn"])`.
NOUNS: dict[str, tuple[str, str]] = {
    "maal": ("mål", "mål"),
    "maalplan": ("målplan", "målplaner"),
    "tegn": ("tegn", "tegn"),
    "proevehandling": ("prøvehandling", "prøvehandlinger"),
    "samarbejde": ("samarbejde", "samarbejder"),
    "evaluering": ("evaluering", "evalueringer"),
    "enhed": ("enhed", "enheder"),
    "bord": ("bord", "borde"),
    "deltager": ("deltager", "deltagere"),
    "konflikt": ("konflikt", "konflikter"),
    "aendring": ("ændring", "ændringer"),
    "sletning": ("sletning", "sletninger"),
    "fil": ("fil", "filer"),
    "raekke": ("række", "rækker"),
    "baerbar": ("bærbar", "bærbare"),
    "pakke": ("pakke", "pakker"),
    "sekund": ("sekund", "sekunder"),
    "advarsel": ("advarsel", "advarsler"),
    "udkast": ("udkast", "udkast"),
    "fejl": ("fejl", "fejl"),
    "revision": ("revision", "revisioner"),
    "maalsaetning": ("målsætning", "målsætninger"),
    "maaling": ("måling", "målinger"),
    "laering": ("læring", "læringer"),
    "ny_maalsaetning": ("ny målsætning", "nye målsætninger"),
    "ny_enhed": ("ny enhed", "nye enheder"),
    "vurdering": ("vurdering", "vurderinger"),
    "note": ("note", "noter"),
    "programblok": ("programblok", "programblokke"),
}

# The plural names of counts (`records.Counts`, `MaalplanView.counts()`) to their noun.
_COUNT_FIELDS = {
    "maalplaner": "maalplan",
    "proevehandlinger": "proevehandling",
    "samarbejder": "samarbejde",
    "evalueringer": "evaluering",
    "enheder": "enhed",
    "borde": "bord",
    "deltagere": "deltager",
    "konflikter": "konflikt",
    "maalinger": "maaling",
    "laeringer": "laering",
    "filer": "fil",
}


def antal(n: int, singular: str | tuple[str, str], plural: str | None = None) -> str:
    """`n` and the noun in the form that goes with it, the number written the Danish way:
    `antal(1, "prøvehandling", "prøvehandlinger")` is «1 prøvehandling», `antal(20000, "tegn",
    "tegn")` «20.000 tegn». The noun may also be a (singular, plural) pair from `NOUNS`."""
    if isinstance(singular, tuple):
        singular, plural = singular
    if plural is None:
        raise ValueError("antal() needs the plural form")
    return f"{thousands(n)} {singular if n == 1 else plural}"


def noun(key: str, n: int) -> str:
    """The noun of `NOUNS[key]` in the form that goes with `n` (without the number)."""
    singular, plural = NOUNS[_COUNT_FIELDS.get(key, key)]
    return singular if n == 1 else plural


def count(key: str, n: int) -> str:
    """`antal` for a noun of `NOUNS` (or the plural name of a count field, «proevehandlinger»):
    `count("konflikt", 1)` is «1 konflikt»."""
    return antal(n, NOUNS[_COUNT_FIELDS.get(key, key)])


def counted(counts: Mapping[str, int]) -> dict[str, str]:
    """Each count of `counts` with its noun, for a text's placeholders:
    `counted({"tegn": 1, "proevehandlinger": 1})` gives «1 tegn» and «1 prøvehandling».
    Keys that are not nouns of `NOUNS` are left out."""
    return {key: count(key, n) for key, n in counts.items() if _COUNT_FIELDS.get(key, key) in NOUNS}


def listed(parts: Sequence[str]) -> str:
    """«a, b og c» («a» alone, «a og b» for two)."""
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} og {parts[-1]}"


def open_conflicts_text(n: int) -> str:
    """«1 åben konflikt», «3 åbne konflikter»."""
    return "1 åben konflikt" if n == 1 else f"{n} åbne konflikter"
