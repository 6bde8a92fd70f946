"""A seal that lets `verify` tell whether one of our PDFs is still the file the export wrote,
without the package's journalisering.json beside it (a Plan A poster is never in a package;
a målplan's PDF is often mailed or printed on its own).

The keywords of every PDF we write end with `PLACEHOLDER` («SEGL:» and 64 zeros). fpdf2
writes the keywords twice, in the XMP metadata (UTF-8) and in the document information
dictionary (there as UTF-16 in hex when the keywords hold a letter such as «å»), both
uncompressed; PDF/A wants the two to say the same, so both get the seal.
Once the file is written, the SHA-256 of its bytes, with the placeholder still in them, goes
in the placeholder's place (the same length, so no offset moves). To check, the digest is
read, zeros are put back, and the bytes are hashed again. Any change to the file after the
export (an edit, a page taken out, a save by another program that keeps the keywords) makes
the two differ; a file without a seal (an older export, a reprint) is not judged here."""

from __future__ import annotations

import binascii
import hashlib
import re

PREFIX = "SEGL:"
_BLANK = "0" * 64
PLACEHOLDER = PREFIX + _BLANK


def _hex(text: str) -> bytes:
    """`text` as fpdf2 writes an information dictionary's string with a letter outside
    ASCII: UTF-16 in lowercase hex («<feff006d00e5…>» for «må…»)."""
    return binascii.hexlify(text.encode("utf-16-be"))


def _encoded(text: str) -> tuple[bytes, ...]:
    """Every form `text` takes in one of our PDFs: the XMP's (UTF-8, here ASCII), UTF-16,
    and UTF-16 in hex."""
    return (text.encode("latin-1"), text.encode("utf-16-be"), _hex(text))


_DIGIT_HEX = rb"(?:003[0-9]|006[1-6])"  # «0»-«9», «a»-«f» in UTF-16 hex
_SEALED = (
    (re.compile(rb"SEGL:([0-9a-f]{64})"), "latin-1"),
    (re.compile(rb"\x00S\x00E\x00G\x00L\x00:((?:\x00[0-9a-f]){64})"), "utf-16-be"),
    (re.compile(re.escape(_hex(PREFIX)) + rb"(" + _DIGIT_HEX + rb"{64})"), "hex"),
)


def _decoded(found: bytes, form: str) -> str:
    if form == "hex":
        return binascii.unhexlify(found).decode("utf-16-be")
    return found.decode(form)


def seal(data: bytes) -> bytes:
    """`data` with its placeholders replaced by the digest of `data` (unchanged when it has
    none)."""
    if PLACEHOLDER.encode("latin-1") not in data:
        return data
    digest = PREFIX + hashlib.sha256(data).hexdigest()
    for blank, sealed in zip(_encoded(PLACEHOLDER), _encoded(digest), strict=True):
        data = data.replace(blank, sealed)
    return data


def unsealed(data: bytes) -> bytes:
    """`data` with zeros in place of its seals, as it was before `seal`."""
    for (pattern, _form), zeros in zip(_SEALED, _encoded(PLACEHOLDER), strict=True):
        data = pattern.sub(zeros, data)  # (no backslash in it: a plain replacement)
    return data


def check(data: bytes) -> bool | None:
    """True: the file is as it was sealed; False: it was changed since; None: no seal."""
    found = {
        _decoded(m.group(1), form) for pattern, form in _SEALED for m in pattern.finditer(data)
    }
    blank = unsealed(data)
    found.discard(_BLANK)
    if not found:
        return None
    if len(found) > 1:
        return False
    return hashlib.sha256(blank).hexdigest() == found.pop()
