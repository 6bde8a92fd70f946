"""QR codes carrying a målplan's reference, as PNG bytes for documents."""

from __future__ import annotations

import io
from functools import lru_cache

import qrcode
from qrcode.constants import ERROR_CORRECT_M

from .reference import Reference


@lru_cache(maxsize=256)
def qr_png(payload: str, box_size: int = 8, border: int = 4) -> bytes:
    """A black-on-white PNG (no transparency, so it is allowed in PDF/A) of a QR code.

    Error correction M survives a smudged or creased printout; the quiet zone `border` is the
    four modules scanners need."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=border)
    qr.add_data(payload)
    qr.make(fit=True)
    image = qr.make_image(fill_color="black", back_color="white").get_image().convert("L")
    buf = io.BytesIO()
    # Level 9 writes the same bytes as optimize=True here (one grey channel, two colours)
    # without Pillow's extra optimising pass, which took half of the QR code's time.
    image.save(buf, format="PNG", compress_level=9)
    return buf.getvalue()


def reference_qr_png(ref: Reference) -> bytes:
    """The QR code for a målplan reference (with its link when one is configured)."""
    return qr_png(ref.qr_payload)
