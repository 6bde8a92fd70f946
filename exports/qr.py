"""QR codes carrying a målplan's reference, as PNG bytes for documents."""

from __future__ import annotations

import io
from functools import lru_cache

import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M

from .reference import Reference

_BLACK = b"\x00"
_WHITE = b"\xff"


@lru_cache(maxsize=256)
def qr_png(payload: str, box_size: int = 8, border: int = 4) -> bytes:
    """A black-on-white, one bit a pixel PNG (no transparency, so it is allowed in PDF/A) of a
    QR code.

    Error correction M survives a smudged or creased printout; the quiet zone `border` is the
    four modules scanners need. The mask is the one the QR standard's penalty rules choose
    (qrcode's `make(fit=True)`). The picture is made from the module matrix in one go (qrcode's
    own image draws it module by module) and kept at one bit a pixel: half the bytes of a
    greyscale PNG, a third of the time to compress, and fpdf2 puts it in a PDF as a fax-coded
    bilevel image instead of decoding and compressing it again."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=border)
    qr.add_data(payload)
    qr.make(fit=True)
    buf = io.BytesIO()
    # Level 9 without Pillow's optimize pass, which only repeats the compression here.
    qr_image(qr.modules, box_size, border).save(buf, format="PNG", compress_level=9)
    return buf.getvalue()


def qr_image(modules: list[list[bool | None]], box_size: int, border: int) -> Image.Image:
    """A bilevel picture of a module matrix: `box_size` pixels a module, dark modules black,
    `border` light modules around it."""
    side = (len(modules) + 2 * border) * box_size
    dark, light = _BLACK * box_size, _WHITE * box_size
    edge = light * border
    quiet = _WHITE * side * (border * box_size)
    rows = [quiet]
    for row in modules:
        line = edge + b"".join(dark if cell else light for cell in row) + edge
        rows.append(line * box_size)
    rows.append(quiet)
    grey = Image.frombytes("L", (side, side), b"".join(rows))
    return grey.convert("1", dither=Image.Dither.NONE)


def reference_qr_png(ref: Reference) -> bytes:
    """The QR code for a målplan reference (with its link when one is configured)."""
    return qr_png(ref.qr_payload)
