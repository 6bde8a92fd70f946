"""File and folder names that are safe on Windows (and so everywhere): no reserved characters
or names, no trailing dot or space, short enough for deep SBSYS and network-drive paths.
Danish letters are kept."""

from __future__ import annotations

import re
import sys
import unicodedata
from datetime import date

from pathvalidate import sanitize_filename

# SBSYS and Windows tools break on long paths; the whole name (with extension) stays below.
MAX_NAME = 80
# Room for the longest extension we add (".docx", ".xlsx") and a "_2" for duplicates.
_RESERVE = 8

# Device names Windows reserves that pathvalidate does not know: the console's input and
# output (a file «CONIN$» cannot be made; Windows opens the console instead).
_CONSOLE_NAMES = {"conin$", "conout$"}
_SPACE_RE = re.compile(r"\s+")
_DASHES_RE = re.compile(r"-{2,}")


# A name of letters and digits (Latin-1 and Latin Extended-A: Danish and most European
# names) in words joined by single dashes: nothing in it that pathvalidate changes, unless it
# is a reserved device name or too long (`_plain`).
_PLAIN_RE = re.compile(
    "[0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u017f]+"
    "(?:-[0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u017f]+)*"
)
_DEVICE_RE = re.compile(r"(?i)(?:con|prn|aux|nul|clock\$|com[0-9]|lpt[0-9])")


def _plain(text: str) -> bool:
    """Whether pathvalidate's `sanitize_filename` (Windows, at most 255 bytes) would give
    `text` back as it is: words of letters and digits, not a reserved device name, short
    enough in the file system's encoding. It takes a tenth of a millisecond to say so itself
    (a Plan A export names a poster for every workplace); a test compares the two."""
    if not _PLAIN_RE.fullmatch(text) or _DEVICE_RE.fullmatch(text):
        return False
    try:
        return len(text.encode(sys.getfilesystemencoding())) <= 255
    except (UnicodeError, LookupError):
        return False


def safe_component(text: str, *, max_len: int = MAX_NAME, fallback: str = "uden-navn") -> str:
    """One safe name part: reserved characters removed, whitespace turned into '-', no
    leading/trailing dots, spaces or dashes, reserved device names (CON, NUL, COM1 ...)
    avoided, at most `max_len` characters. Never empty and never '.' or '..'."""
    return _safe_component(text, max_len, fallback, quick=True)


def _safe_component(text: str, max_len: int, fallback: str, *, quick: bool) -> str:
    """`safe_component`; `quick`: a plain name (`_plain`) is not given to pathvalidate."""
    text = unicodedata.normalize("NFC", text or "")
    # Control characters would survive some sanitisers as invisible garbage.
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf") else ch for ch in text)
    text = text.replace("/", " ").replace("\\", " ")
    text = _SPACE_RE.sub("-", text.strip())
    plain = quick and _plain(text)
    if not plain:
        text = sanitize_filename(text, platform="windows", replacement_text="", max_len=255)
    text = _DASHES_RE.sub("-", text).strip(" .-_")
    if len(text) > max_len:
        cut = text[:max_len]
        # Cut at a word boundary when one is near, so a name does not end in half a word.
        if "-" in cut[max_len // 2 :] and text[max_len] != "-":
            cut = cut[: cut.rfind("-")]
        text = cut
    text = text.rstrip(" .-_")
    if not text:
        return fallback
    # pathvalidate appends "_" to reserved names; run it again after our own trimming (a
    # plain name cut short is still plain, unless the cut left a device name).
    if not (plain and _plain(text)):
        text = sanitize_filename(text, platform="windows", max_len=255).rstrip(" .")
    head, dot, rest = text.partition(".")
    if head.rstrip(" ").casefold() in _CONSOLE_NAMES:
        text = f"{head}_{dot}{rest}"
    return text or fallback


def package_stem(enhed: str, titel: str, when: date) -> str:
    """`YYYY-MM-DD_Maalplan_<enhed>_<kort titel>`, at most MAX_NAME minus room for an
    extension. The title is shortened before the enhed."""
    prefix = f"{when.isoformat()}_Maalplan_"
    budget = MAX_NAME - _RESERVE - len(prefix)
    # Lengths are counted in characters (NTFS counts UTF-16 units; Danish letters are one).
    enhed_part = safe_component(enhed, max_len=max(8, budget * 3 // 5), fallback="enhed")
    titel_budget = max(0, budget - len(enhed_part) - 1)
    titel_part = safe_component(
        _short_title(titel, enhed), max_len=max(titel_budget, 1), fallback=""
    )
    stem = prefix + enhed_part + (f"_{titel_part}" if titel_part and titel_budget >= 4 else "")
    return stem[: MAX_NAME - _RESERVE].rstrip(" .-_")


def _short_title(titel: str, enhed: str) -> str:
    # "Målplan 2027 for Nordlys Skole" says nothing the prefix does not: drop the repeats.
    short = re.sub(r"(?i)^målplan\b", "", titel.strip()).strip()
    if enhed and short.casefold().endswith(enhed.casefold()):
        short = short[: -len(enhed)].strip()
        short = re.sub(r"(?i)\s+for$", "", short).strip()
    return short or titel


def unique_name(name: str, taken: set[str]) -> str:
    """`name`, or `name_2`, `name_3` ... when it is taken (compared case-insensitively, as
    on Windows). Adds the chosen name to `taken`."""
    candidate, n = name, 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{name}_{n}"
    taken.add(candidate.casefold())
    return candidate
