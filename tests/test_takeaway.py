"""The take-away summary and its QR code: content, shortening to fit, and that a phone-style
decoder reads back exactly the text (zxing-cpp on the rendered matrix)."""

from __future__ import annotations

from datetime import date

import pytest

from exports.takeaway import (
    QUIET_ZONE,
    build_takeaway,
    max_version_for,
    qr_matrix,
    qr_version_for,
    summary_text,
)

ITEMS = [
    {
        "tekst": "Fast frikvartersvoksen i tre måneder",
        "ansvarlig": "Anne Holm",
        "start": date(2027, 2, 1),
        "slut": date(2027, 4, 30),
    },
    {
        "tekst": "Elevrådet vælger aktiviteterne",
        "ansvarlig": None,
        "start": None,
        "slut": date(2027, 6, 1),
    },
]
MAAL = "Alle elever på mellemtrinnet har en voksen, de kan gå til. [bold] står som skrevet."


def _decode(matrix: list[list[bool]]) -> str:
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    scale = 6
    size = len(matrix)
    img = Image.new("L", (size * scale, size * scale), 255)
    px = img.load()
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                for dy in range(scale):
                    for dx in range(scale):
                        px[x * scale + dx, y * scale + dy] = 0
    results = zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode)
    assert results, "the code could not be read"
    return results[0].text


def test_summary_holds_maal_proevehandlinger_ansvarlig_and_dates() -> None:
    text = summary_text(MAAL, ITEMS)
    assert text.splitlines()[0] == f"Mål: {MAAL}"
    assert "1. Fast frikvartersvoksen i tre måneder" in text
    assert "Ansvarlig: Anne Holm, 1.2.2027-30.4.2027" in text
    assert "2. Elevrådet vælger aktiviteterne" in text and "til 1.6.2027" in text
    assert summary_text("Et mål", []) == "Mål: Et mål\nIngen prøvehandlinger endnu."


def test_full_text_when_it_fits_and_decodes_exactly() -> None:
    result = build_takeaway(MAAL, ITEMS, max_version=20)
    assert result is not None and not result.shortened
    assert result.text == summary_text(MAAL, ITEMS)
    assert len(result.matrix) == 17 + 4 * result.version + 2 * QUIET_ZONE
    assert _decode(result.matrix) == result.text  # Danish letters survive (UTF-8)


def test_too_long_for_the_terminal_is_shortened_and_still_decodes() -> None:
    many = ITEMS * 6
    version = max_version_for(46, 23)  # what an 80x24 terminal leaves for the code
    assert 4 <= version <= 6
    result = build_takeaway(MAAL * 3, many, max_version=version)
    assert result is not None and result.shortened and result.version <= version
    assert result.text.startswith("Mål: Alle elever")
    assert "flere" in result.text  # says that prøvehandlinger were left out
    assert _decode(result.matrix) == result.text


def test_nothing_fits_a_tiny_window() -> None:
    assert max_version_for(20, 8) == 0
    assert build_takeaway(MAAL, ITEMS, max_version=0) is None


def test_version_choice_and_matrix_shape() -> None:
    assert qr_version_for("kort") == 1
    assert qr_version_for("x" * 3000, max_version=10) is None
    matrix = qr_matrix("kort", 1)
    assert len(matrix) == len(matrix[0]) == 21 + 2 * QUIET_ZONE
    assert not any(matrix[0]) and not any(row[0] for row in matrix)  # white quiet zone


def test_qr_widget_is_black_on_white_whatever_the_theme() -> None:
    from screens.widgets import QR_STYLE, QRCode

    widget = QRCode(qr_matrix("hej", 1))
    rendered = widget.render()
    assert {str(span.style) for span in rendered.spans} == {str(QR_STYLE)}
    assert QR_STYLE.color.name == "#000000" and QR_STYLE.bgcolor.name == "#ffffff"
    lines = rendered.plain.splitlines()
    assert len(lines) == (25 + 1) // 2 and all(len(line) == 25 for line in lines)
