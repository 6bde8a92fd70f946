"""The take-away summary of one mål: a short plain-text text a participant can scan from the
facilitator's screen as a QR code (no network needed), and the QR matrix that holds it.

Pure Python: the terminal UI draws the matrix; this module only decides what goes in it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from exports.document_rows import period_text

# Byte-mode capacity grows with the QR version; a terminal holds small versions only, so the
# text is shortened step by step until it fits.
ELLIPSIS = "…"
QUIET_ZONE = 2  # modules of white around the code (scanners need a margin)
MAX_VERSION = 40


@dataclass(frozen=True)
class Takeaway:
    """The text to encode, whether it was shortened to fit, and the QR matrix (True = dark)."""

    text: str
    shortened: bool
    version: int
    matrix: list[list[bool]]


def _fmt_date(value: date | str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return f"{value.day}.{value.month}.{value.year}"


def period(start: Any, slut: Any) -> str:
    """A compact period for the take-away text and the mål screen: «1.2.2027-30.4.2027»."""
    return period_text(start, slut, _fmt_date, sep="-")


def _cut(text: str, limit: int | None) -> str:
    text = " ".join((text or "").split())
    if limit is None or len(text) <= limit:
        return text
    return text[: max(1, limit - 1)].rstrip() + ELLIPSIS


def summary_text(
    maal_tekst: str,
    proevehandlinger: Sequence[Mapping[str, Any]],
    *,
    limit: int | None = None,
    max_items: int | None = None,
    with_dates: bool = True,
    compact: bool = False,
) -> str:
    """The plain-text summary: the mål, then each prøvehandling with ansvarlig and dates.

    `limit` cuts every text to that many characters, `max_items` keeps only the first
    prøvehandlinger (and says how many were left out), `with_dates` drops the dates and
    `compact` puts each prøvehandling on one line with its ansvarlig in brackets."""
    lines = [f"Mål: {_cut(maal_tekst, limit)}"]
    items = list(proevehandlinger)
    shown = items if max_items is None else items[:max_items]
    if not items:
        lines.append("Ingen prøvehandlinger endnu.")
    elif not compact:
        lines.append("Prøvehandlinger:")
    if compact:
        for p in shown:
            who = f" ({_cut(p['ansvarlig'], limit)})" if p.get("ansvarlig") else ""
            lines.append(f"- {_cut(p.get('tekst') or '', limit)}{who}")
        shown, items_left = [], len(items) - len(shown)
        if items_left > 0:
            lines.append(f"+ {items_left} flere")
        return "\n".join(lines)
    for n, p in enumerate(shown, 1):
        lines.append(f"{n}. {_cut(p.get('tekst') or '', limit)}")
        details = []
        if p.get("ansvarlig"):
            details.append(f"Ansvarlig: {_cut(p['ansvarlig'], limit)}")
        dates = period(p.get("start"), p.get("slut")) if with_dates else ""
        if dates:
            details.append(dates)
        if details:
            lines.append("   " + ", ".join(details))
    if len(shown) < len(items):
        lines.append(f"+ {len(items) - len(shown)} flere prøvehandlinger")
    return "\n".join(lines)


def qr_version_for(text: str, max_version: int = MAX_VERSION) -> int | None:
    """The smallest QR version (error correction L, byte mode) that holds the text, or None
    when it needs a bigger one than `max_version`."""
    import qrcode
    from qrcode.exceptions import DataOverflowError

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_L, border=0)
    qr.add_data(text.encode("utf-8"))
    try:
        qr.make(fit=True)
    except (DataOverflowError, ValueError):
        return None
    return qr.version if qr.version <= max_version else None


def qr_matrix(text: str, version: int) -> list[list[bool]]:
    """The QR code of the text at the given version, with a white quiet zone around it."""
    import qrcode

    qr = qrcode.QRCode(
        version=version, error_correction=qrcode.constants.ERROR_CORRECT_L, border=QUIET_ZONE
    )
    qr.add_data(text.encode("utf-8"))
    qr.make(fit=False)
    return [list(row) for row in qr.get_matrix()]


def max_version_for(width_cells: int, height_cells: int) -> int:
    """The largest QR version that fits a terminal area drawn with half-block characters:
    one module per column and two per row, quiet zone included."""
    modules = min(width_cells, height_cells * 2) - 2 * QUIET_ZONE
    return max(0, min(MAX_VERSION, (modules - 17) // 4))


def build_takeaway(
    maal_tekst: str, proevehandlinger: Sequence[Mapping[str, Any]], max_version: int = MAX_VERSION
) -> Takeaway | None:
    """The fullest summary that fits a QR code of at most `max_version`, shortening the texts,
    then dropping dates, then dropping prøvehandlinger until it fits. None if not even the mål
    alone, cut short, fits (the terminal is too small)."""
    items = list(proevehandlinger)
    attempts: list[dict[str, Any]] = [{}]
    for limit in (160, 100, 70, 50, 35):
        attempts.append({"limit": limit})
    for limit in (50, 35, 25):
        attempts.append({"limit": limit, "with_dates": False})
    for keep in range(len(items) - 1, 0, -1):
        attempts.append({"limit": 35, "with_dates": False, "max_items": keep})
        attempts.append({"limit": 25, "with_dates": False, "max_items": keep})
    for keep in range(len(items), 0, -1):
        attempts.append({"limit": 30, "compact": True, "max_items": keep})
        attempts.append({"limit": 22, "compact": True, "max_items": keep})
    attempts.append({"limit": 35, "with_dates": False, "max_items": 0})
    attempts.append({"limit": 20, "with_dates": False, "max_items": 0})
    for n, kw in enumerate(attempts):
        text = summary_text(maal_tekst, items, **kw)
        version = qr_version_for(text, max_version)
        if version is not None:
            return Takeaway(text, n > 0, version, qr_matrix(text, version))
    return None
