"""The seal of our PDFs (exports.seal): what it says for a sealed file, an edited one, one
whose digest was written over by hand, one with two different seals and one without."""

from __future__ import annotations

import binascii
import hashlib

from exports.seal import PLACEHOLDER, check, seal


def _doc(keywords: str) -> bytes:
    """The three forms keywords take: XMP (UTF-8), UTF-16 and (as fpdf2 writes the
    information dictionary's) UTF-16 in hex."""
    return (
        b'%PDF-1.7\n<x:xmpmeta pdf:Keywords="' + keywords.encode("utf-8") + b'"/>\n'
        b"<< /Keywords (\xfe\xff" + keywords.encode("utf-16-be") + b") >>\n"
        b"<< /Keywords <feff" + binascii.hexlify(keywords.encode("utf-16-be")) + b"> >>\n"
        b"stream\nabc\n%%EOF\n"
    )


def test_sealed_file_checks_and_any_change_does_not() -> None:
    blank = _doc(f"målplan UDVD:M:X:R1:AB {PLACEHOLDER}")
    assert check(blank) is None  # not sealed yet
    sealed = seal(blank)
    assert len(sealed) == len(blank)
    digest = hashlib.sha256(blank).hexdigest()
    assert sealed.count(f"SEGL:{digest}".encode()) == 1
    assert sealed.count(f"SEGL:{digest}".encode("utf-16-be")) == 1
    assert sealed.count(binascii.hexlify(f"SEGL:{digest}".encode("utf-16-be"))) == 1
    assert check(sealed) is True
    assert check(sealed.replace(b"abc", b"abd")) is False
    forged = sealed.replace(digest.encode(), hashlib.sha256(b"x").hexdigest().encode())
    assert check(forged) is False  # one seal written over: the others disagree
    other = hashlib.sha256(b"y").hexdigest()
    both = forged.replace(digest.encode("utf-16-be"), other.encode("utf-16-be"))
    assert check(both) is False


def test_file_without_seal_is_not_judged() -> None:
    assert check(_doc("målplan UDVD:M:X:R1:AB")) is None
    assert seal(b"%PDF-1.7 no seal") == b"%PDF-1.7 no seal"
