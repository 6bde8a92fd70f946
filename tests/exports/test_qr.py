"""The QR code's picture: the modules qrcode chose, drawn one bit a pixel, readable after a
trip through a PDF page."""

from __future__ import annotations

import io

import pytest
import qrcode
import zxingcpp
from fpdf import FPDF
from PIL import Image, ImageChops
from pypdf import PdfReader
from qrcode.constants import ERROR_CORRECT_M

from exports.qr import qr_png

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
@pytest.mark.parametrize(("box_size", "border"), [(8, 4), (3, 2)])
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
