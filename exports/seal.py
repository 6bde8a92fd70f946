"""A seal that lets `verify` tell whether one of our PDFs is still the file the export wrote,
without the package's journalisering.json beside it (a Plan A poster is never in a package;
a målplan's PDF is often mailed or printed on its own).

The keywords of every PDF we write end with `PLACEHOLDER` («SEGL:» and 64 zeros). fpdf2
writes the keywords twice, in the XMP metadata (UTF-8) and in the document information
dictionary (there as UTF-16 when the keywords hold a letter such as «å»), both uncompressed.
Once the file is written, the SHA-256 of its bytes, with the placeholder still in them, goes
in the placeholder's place (the same length, so no offset moves). To check, the digest is
read, zeros are put back, and the bytes are hashed again. Any change to the file after the
export (an edit, a page taken out, a save by another program that keeps the keywords) makes
the two differ; a file without a seal (an older export, a reprint) is not judged here."""

from __future__ import annotations

import hashlib
import re

PREFIX = "SEGL:"
_BLANK = "0" * 64
PLACEHOLDER = PREFIX + _BLANK
_FORMS = ("latin-1", "utf-16-be")  # the XMP's and an information dictionary's UTF-16 text
_SEALED = {
    "latin-1": re.compile(rb"SEGL:([0-9a-f]{64})"),
    "utf-16-be": re.compile(rb"\x00S\x00E\x00G\x00L\x00:((?:\x00[0-9a-f]){64})"),
}


def seal(data: bytes) -> bytes:
    """`data` with its placeholders replaced by the digest of `data` (unchanged when it has
    none)."""
    if PLACEHOLDER.encode("latin-1") not in data:
        return data
    digest = PREFIX + hashlib.sha256(data).hexdigest()
    for form in _FORMS:
        data = data.replace(PLACEHOLDER.encode(form), digest.encode(form))
    return data


def check(data: bytes) -> bool | None:
    """True: the file is as it was sealed; False: it was changed since; None: no seal."""
    found: set[str] = set()
    blank = data
    for form in _FORMS:
        for m in _SEALED[form].finditer(data):
            found.add(m.group(1).decode(form))
        zeros = PLACEHOLDER.encode(form)  # (no backslash in it: a plain replacement)
        blank = _SEALED[form].sub(zeros, blank)
    found.discard(_BLANK)
    if not found:
        return None
    if len(found) > 1:
        return False
    return hashlib.sha256(blank).hexdigest() == found.pop()
