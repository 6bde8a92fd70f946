"""A run chart (`exports.charts.Layout`) as an Enhanced Metafile: the vector picture format
Word has read since Word 97 and LibreOffice reads too, for the Word documents' run charts.

The same layout is drawn as PDF path operators in the PDF (`charts.draw_pdf`); here it is
written as EMF records, so the chart in the .docx is as sharp on paper as in the PDF, a few
kilobytes instead of a 300 dpi PNG, and a fraction of a millisecond to make instead of fifteen
(a large August report has thousands of them).

Only a handful of records are used, all from the first EMF specification and read alike by
GDI, Word on the Mac and LibreOffice:
- the header, with a reference device of one logical unit per 0.01 mm, so the coordinates
  are simply hundredths of a millimetre with y downwards (MM_TEXT, no mapping records);
- solid pens (flat ends for the straight lines, round ends and joints for the measured line),
  solid brushes and fonts, each created once and selected when needed;
- polylines, ellipses and rectangles;
- text as UTF-16 with its glyph advances given (DejaVu Sans's, as the layout measured them),
  so a label sits where the layout put it whatever font the reader substitutes.

Every number written is clamped to what its field holds: a layout is made by this app, but a
picture that cannot be written must never make an export fail."""

from __future__ import annotations

import struct
from collections.abc import Callable
from functools import lru_cache

from . import charts

# Record types ([MS-EMF] 2.1.1).
_HEADER = 1
_POLYLINE = 4
_POLYPOLYLINE = 7
_EOF = 14
_SETBKMODE = 18
_SETTEXTALIGN = 22
_SETTEXTCOLOR = 24
_SELECTOBJECT = 37
_CREATEBRUSHINDIRECT = 39
_ELLIPSE = 42
_RECTANGLE = 43
_EXTCREATEFONTINDIRECTW = 82
_EXTTEXTOUTW = 84
_EXTCREATEPEN = 95

_SIGNATURE = 0x464D4520  # " EMF"
_NULL_PEN = 0x80000008  # stock objects
_NULL_BRUSH = 0x80000005
_TRANSPARENT = 1
_TA_BASELINE = 24
_PS_GEOMETRIC = 0x00010000
_PS_ENDCAP_ROUND = 0x0000
_PS_ENDCAP_FLAT = 0x0200
_PS_JOIN_ROUND = 0x0000
_GM_COMPATIBLE = 1
_FW_NORMAL, _FW_BOLD = 400, 700
_DEFAULT_CHARSET = 1
_FF_SWISS_VARIABLE = 0x22  # a sans-serif font of variable pitch, when DejaVu Sans is missing
FACE = "DejaVu Sans"

UNITS_PER_MM = 100
_MOST = 2**31 - 1


def _i(mm: float) -> int:
    """`mm` in hundredths of a millimetre, as a 32-bit integer (0 for what is no number)."""
    try:
        value = round(mm * UNITS_PER_MM)
    except (ValueError, OverflowError):  # NaN, infinity
        return 0
    if -_MOST <= value <= _MOST:
        return value
    return _MOST if value > 0 else -_MOST


def _ints(values: list[float]) -> list[int]:
    """`_i` of each value (a chart's coordinates are hundreds of them)."""
    try:
        out = [round(v * UNITS_PER_MM) for v in values]
    except (ValueError, OverflowError):
        return [_i(v) for v in values]
    if out and (min(out) < -_MOST or max(out) > _MOST):
        out = [max(-_MOST, min(_MOST, v)) for v in out]
    return out


@lru_cache(maxsize=64)
def _colorref(color: charts.Color) -> int:
    r, g, b = (max(0, min(255, int(c))) for c in color)
    return r | g << 8 | b << 16


@lru_cache(maxsize=4096)
def _advance(char: str, bold: bool) -> float:
    """The advance of one character in DejaVu Sans at 1 pt, in mm."""
    return charts.text_width(char, 1.0, bold)


_RECORD_HEAD = struct.Struct("<II")
_ONE = struct.Struct("<I")
_FOUR = struct.Struct("<iiii")


class _Writer:
    def __init__(self) -> None:
        self.records: list[bytes] = []  # each record's head and body, one after the other
        self.count = 0
        self.size = 0
        self.handles: dict[tuple[object, ...], int] = {}  # the objects made, by what they are
        self.known: dict[tuple[object, ...], int] = {}  # handles by what a layout asks for
        self.selected: dict[str, int] = {}

    def add(self, kind: int, body: bytes) -> None:
        size = 8 + len(body)
        self.records += (_RECORD_HEAD.pack(kind, size), body)
        self.count += 1
        self.size += size

    def _object(self, key: tuple[object, ...], make: Callable[[], bytes], kind: int) -> int:
        handle = self.handles.get(key)
        if handle is None:
            handle = self.handles[key] = len(self.handles) + 1
            self.add(kind, _ONE.pack(handle) + make())
        return handle

    def select(self, slot: str, handle: int) -> None:
        if self.selected.get(slot) != handle:
            self.selected[slot] = handle
            self.add(_SELECTOBJECT, _ONE.pack(handle))

    def pen(self, color: charts.Color, width: float, round_ends: bool) -> None:
        key = ("pen", color, width, round_ends)
        handle = self.known.get(key)
        if handle is None:
            ends = _PS_ENDCAP_ROUND if round_ends else _PS_ENDCAP_FLAT
            w, ref = max(1, _i(width)), _colorref(color)
            # offBmi, cbBmi, offBits, cbBits (no pattern), then LogPenEx without style entries.
            body = struct.pack(
                "<IIIIIIIIII", 0, 0, 0, 0, _PS_GEOMETRIC | _PS_JOIN_ROUND | ends, w, 0, ref, 0, 0
            )
            # A pen is made once per width and colour as written (two layouts' colours or
            # widths that round alike share it).
            handle = self._object(("pen", ref, w, round_ends), lambda: body, _EXTCREATEPEN)
            self.known[key] = handle
        self.select("pen", handle)

    def brush(self, color: charts.Color) -> None:
        key = ("brush", color)
        handle = self.known.get(key)
        if handle is None:
            ref = _colorref(color)
            body = struct.pack("<III", 0, ref, 0)  # BS_SOLID
            handle = self._object(("brush", ref), lambda: body, _CREATEBRUSHINDIRECT)
            self.known[key] = handle
        self.select("brush", handle)

    def font(self, size: float, bold: bool) -> None:
        key = ("font", size, bold)
        handle = self.known.get(key)
        if handle is None:
            height = -max(1, _i(size * charts._PT))  # negative: the em height
            handle = self._object(
                ("font", height, bold), lambda: _font_body(height, bold), _EXTCREATEFONTINDIRECTW
            )
            self.known[key] = handle
        self.select("font", handle)

    def null(self, slot: str) -> None:
        self.select(slot, _NULL_PEN if slot == "pen" else _NULL_BRUSH)


def _font_body(height: int, bold: bool) -> bytes:
    face = FACE.encode("utf-16-le")[:62].ljust(64, b"\0")
    return (
        struct.pack(
            "<iiiii8B",
            height,
            0,
            0,
            0,
            _FW_BOLD if bold else _FW_NORMAL,
            0,
            0,
            0,
            _DEFAULT_CHARSET,
            0,
            0,
            0,
            _FF_SWISS_VARIABLE,
        )
        + face
    )


def _polyline(w: _Writer, flat: list[int]) -> None:
    """One polyline through the points (x1, y1, x2, y2, …) in `flat`."""
    xs, ys = flat[0::2], flat[1::2]
    bounds = (min(xs), min(ys), max(xs), max(ys))
    w.add(_POLYLINE, struct.pack(f"<4iI{len(flat)}i", *bounds, len(xs), *flat))


def _segments(w: _Writer, flat: list[int]) -> None:
    """Separate straight segments (x1, y1, x2, y2, …) in one record: a dashed line's dashes."""
    n = len(flat) // 4
    xs, ys = flat[0::2], flat[1::2]
    bounds = (min(xs), min(ys), max(xs), max(ys))
    head = struct.pack("<4iII", *bounds, n, 2 * n)
    w.add(
        _POLYPOLYLINE, head + struct.pack(f"<{n}I", *([2] * n)) + struct.pack(f"<{4 * n}i", *flat)
    )


@lru_cache(maxsize=8192)
def _encoded(text: str, size: float, bold: bool) -> tuple[bytes, bytes, int, int]:
    """A label's UTF-16 string (padded to 4 bytes), its glyph advances, their sum and the
    number of UTF-16 units (tick labels and the legend repeat from chart to chart)."""
    units = text.encode("utf-16-le")
    count = len(units) // 2
    # One advance per UTF-16 unit; a character outside the BMP gives its advance to its first.
    advances: list[int] = []
    for char in text:
        advances.append(_i(_advance(char, bold) * size))
        if ord(char) > 0xFFFF:
            advances.append(0)
    string = units + b"\0" * (-len(units) % 4)
    return string, struct.pack(f"<{count}i", *advances), sum(advances), count


def _text(w: _Writer, label: charts.Label) -> None:
    """The label at its anchor: its left end moved by its width as the advances give it."""
    if not label.text:
        return
    string, advances, width, count = _encoded(label.text, label.size, label.bold)
    ref_x, ref_y = _i(label.x), _i(label.y)
    if label.anchor == "r":
        ref_x -= width
    elif label.anchor == "c":
        ref_x -= width // 2
    height = _i(label.size * charts._PT)
    head = 8 + 16 + 4 + 4 + 4  # record header, bounds, graphics mode, x and y scale
    text_head = 8 + 4 + 4 + 4 + 16 + 4  # reference, count, offString, options, rectangle, offDx
    off_string = head + text_head
    body = struct.pack(
        "<4iIff5i4iI",
        ref_x,
        ref_y - height,
        ref_x + width,
        ref_y + height // 3,
        _GM_COMPATIBLE,
        0.0,
        0.0,
        ref_x,
        ref_y,
        count,
        off_string,
        0,
        0,
        0,
        -1,
        -1,
        off_string + len(string),
    )
    w.add(_EXTTEXTOUTW, body + string + advances)


def _dash_flat(shape: charts.Line) -> list[int]:
    """A dashed line's dashes as (x1, y1, x2, y2, …) in hundredths of a mm: the chart's dashed
    lines are level or upright, counted out in whole units; any other through `_dashes`."""
    assert shape.dash is not None
    x1, y1, x2, y2 = _ints([shape.x1, shape.y1, shape.x2, shape.y2])
    dash, gap = round(shape.dash[0] * UNITS_PER_MM), round(shape.dash[1] * UNITS_PER_MM)
    if dash > 0 and gap >= 0 and (y1 == y2 or x1 == x2):
        lo, hi = (min(x1, x2), max(x1, x2)) if y1 == y2 else (min(y1, y2), max(y1, y2))
        step = dash + gap
        # Only the last dash can reach past the end (the next one starts a gap after it).
        if y1 == y2:
            flat = [c for a in range(lo, hi, step) for c in (a, y1, a + dash, y1)]
            end = -2
        else:
            flat = [c for a in range(lo, hi, step) for c in (x1, a, x1, a + dash)]
            end = -1
        if flat and flat[end] > hi:
            flat[end] = hi
        return flat
    dashes = charts._dashes(shape.x1, shape.y1, shape.x2, shape.y2, *shape.dash)
    return _ints([c for d in dashes for c in d])


def render_emf(chart: charts.Layout) -> bytes:
    """`chart` as EMF bytes, its frame the layout's size in mm."""
    w = _Writer()
    w.add(_SETBKMODE, struct.pack("<I", _TRANSPARENT))
    w.add(_SETTEXTALIGN, struct.pack("<I", _TA_BASELINE))
    text_color: int | None = None
    for shape in chart.shapes:
        if isinstance(shape, charts.Line):
            w.pen(shape.color, shape.width, round_ends=False)
            if shape.dash:
                flat = _dash_flat(shape)
                if flat:
                    _segments(w, flat)
            else:
                _polyline(w, _ints([shape.x1, shape.y1, shape.x2, shape.y2]))
        elif isinstance(shape, charts.Polyline):
            w.pen(shape.color, shape.width, round_ends=True)
            _polyline(w, _ints([c for point in shape.points for c in point]))
        elif isinstance(shape, charts.Dot):
            w.null("pen")
            w.brush(shape.color)
            x, y, r = _i(shape.x), _i(shape.y), max(1, _i(shape.radius))
            w.add(_ELLIPSE, struct.pack("<iiii", x - r, y - r, x + r, y + r))
        elif isinstance(shape, charts.Box):
            w.null("pen")
            w.brush(shape.color)
            box = (_i(shape.x), _i(shape.y), _i(shape.x + shape.w), _i(shape.y + shape.h))
            w.add(_RECTANGLE, struct.pack("<iiii", *box))
        else:
            w.font(shape.size, shape.bold)
            color = _colorref(shape.color)
            if color != text_color:
                text_color = color
                w.add(_SETTEXTCOLOR, struct.pack("<I", color))
            _text(w, shape)
    w.add(_EOF, struct.pack("<III", 0, 16, 20))

    right, bottom = _i(chart.width), _i(chart.height)
    body_size = w.size
    header_size = 108
    header = struct.pack(
        "<II4i4iIIIIHHIIIiiiiIIIii",
        _HEADER,
        header_size,
        0,
        0,
        max(0, right - 1),
        max(0, bottom - 1),  # bounds, in device units (here 0.01 mm), inclusive
        0,
        0,
        right,
        bottom,  # frame, in 0.01 mm
        _SIGNATURE,
        0x10000,
        header_size + body_size,
        w.count + 1,
        len(w.handles) + 1,
        0,
        0,
        0,  # no description
        0,  # no palette
        21000 * UNITS_PER_MM // 100,
        29700 * UNITS_PER_MM // 100,  # the reference device: A4 in 0.01 mm units ...
        210,
        297,  # ... and in mm
        0,
        0,
        0,  # no pixel format, no OpenGL
        210000,
        297000,  # the device in micrometres
    )
    return header + b"".join(w.records)
