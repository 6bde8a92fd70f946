"""The QR code's picture: the modules qrcode chose, drawn one bit a pixel, readable after a
trip through a PDF page."""

from __future__ import annotations

import io
import random

import pytest
import qrcode
import zxingcpp
from fpdf import FPDF
from PIL import Image, ImageChops
from pypdf import PdfReader
from qrcode.constants import ERROR_CORRECT_M

from exports.qr import qr_modules, qr_png

PAYLOADS = [
    "x",
    "udviklingsdag:maalplan/0b6f1c2e-1234-4d6e-9a7b-abcdefabcdef?v=3",
    "https://sbsys.kommune.dk/sag/2026-004711?plan=" + "æøå" * 40,
]


def _qrcode_own_picture(payload: str, box_size: int, border: int) -> Image.Image:
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=border)
    qr.add_data(payload)
    qr.make(fit=True)
    return qr.make_image(fill_color="black", back_color="white").get_image().convert("L")


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize(("box_size", "border"), [(8, 4), (3, 2), (5, 1)])
def test_the_picture_is_the_one_qrcode_draws_at_one_bit_a_pixel(payload, box_size, border):
    image = Image.open(io.BytesIO(qr_png.__wrapped__(payload, box_size, border)))
    assert image.mode == "1"
    own = _qrcode_own_picture(payload, box_size, border)
    assert image.size == own.size
    assert ImageChops.difference(image.convert("L"), own).getbbox() is None
    assert zxingcpp.read_barcodes(image.convert("L"))[0].text == payload


def test_the_code_reads_back_from_the_pdf_image():
    payload = PAYLOADS[1]
    pdf = FPDF()
    pdf.add_page()
    pdf.image(io.BytesIO(qr_png(payload)), x=20, y=20, w=40, h=40)
    data = bytes(pdf.output())
    # A bilevel picture goes in as a bilevel image, not re-encoded as greyscale.
    assert b"/BitsPerComponent 1" in data
    # The image as a PDF reader decodes it from the page.
    reader = PdfReader(io.BytesIO(data))
    (picture,) = reader.pages[0].images
    assert zxingcpp.read_barcodes(picture.image.convert("L"))[0].text == payload


def _payloads() -> list[str]:
    """Texts of many lengths (QR versions 1 to about 20: below and above version 7, where the
    version information appears) in numeric, alphanumeric and byte mode."""
    rnd = random.Random(7)
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:-/ æøåÆØÅ?=&%"
    out = ["0", "12345678901234567890", "UDVD:PLANA:691E09BA-53EA-4A56-AAAC-3923ADDA055E:R1:CA57"]
    for length in (1, 3, 9, 30, 70, 130, 200, 260, 400, 600):
        out += ["".join(rnd.choice(letters) for _ in range(length)) for _ in range(4)]
    return out


def test_the_mask_and_its_penalty_are_qrcodes():
    """`best_mask` scores the eight masks on whole rows of bits: every score is the one
    qrcode's `util.lost_point` gives the same matrix, and the code is module for module the
    one qrcode's `make(fit=True)` makes."""
    from qrcode import util

    from exports.qr import _Grid, _matrix, _penalty, best_mask

    versions = set()
    for payload in _payloads():
        theirs = qrcode.QRCode(error_correction=ERROR_CORRECT_M)
        theirs.add_data(payload)
        theirs.make(fit=True)
        ours = qrcode.QRCode(error_correction=ERROR_CORRECT_M)
        ours.add_data(payload)
        ours.best_fit(start=ours.version)
        versions.add(ours.version)
        grid = _Grid.of(ours.version)
        for k in range(8):
            ours.makeImpl(True, k)
            assert _penalty(*_matrix(ours.modules), grid) == util.lost_point(ours.modules)
        ours.makeImpl(False, best_mask(ours)[1])
        assert ours.modules == theirs.modules, payload
        # qr_modules lays the chosen mask over the data placed once, then writes the format
        # and version information itself: the same modules.
        assert qr_modules.__wrapped__(payload) == tuple(map(tuple, theirs.modules)), payload
    assert min(versions) == 1 and max(versions) >= 15  # below and above version 7


@pytest.mark.parametrize("mode", ["numeric", "alphanumeric", "bytes", "mixed"])
def test_the_modules_are_qrcodes_in_every_mode_up_to_version_40(mode: str) -> None:
    """`qr_modules` makes its codewords itself (one integer of bits, its own Reed-Solomon):
    module for module qrcode's code for payloads of every mode and of lengths that reach from
    version 1 to 40 (several error correction blocks of unequal size, version information)."""
    import random

    rng = random.Random(mode)
    alphabet = {
        "numeric": "0123456789",
        "alphanumeric": "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:",
        "bytes": "abcæøåÆØÅ€–«»",
        "mixed": "0123456789ABCDEF:/abcæø",
    }[mode]
    longest = {"numeric": 5596, "alphanumeric": 3391, "bytes": 900, "mixed": 1800}[mode]
    versions = set()
    for length in sorted({1, 7, 30, 90, 200, 400, longest // 2, longest}):
        payload = "".join(rng.choice(alphabet) for _ in range(length))
        theirs = qrcode.QRCode(error_correction=ERROR_CORRECT_M)
        theirs.add_data(payload)
        theirs.make(fit=True)
        versions.add(theirs.version)
        assert qr_modules.__wrapped__(payload) == tuple(map(tuple, theirs.modules)), length
    assert min(versions) <= 2 and max(versions) >= 30
