"""A one-page PDF/A-2b writer of our own, for the Plan A posters.

fpdf2 builds every document from scratch: the fonts' objects and glyph maps, the colour
profile, the page tree, all serialised again for each file. A målplan of 35 pages shares that
over its pages; a poster is one page and paid it in full, three times the SBSYS export's cost
a page (issue 16). Here everything that is the same in every poster (the two styles of DejaVu
Sans cut to the common letters, their widths and ToUnicode maps, the colour profile, the
catalogue and the page tree) is written to bytes once per process (`_fixed`), and a poster adds
only its content stream, its XMP metadata and its information dictionary.

The text is drawn with the glyph ids of the embedded font as its codes (Identity-H with an
Identity CIDToGIDMap), so no map is made per document. It draws only the characters of that
common font (ASCII, Latin-1, Latin Extended-A, the usual punctuation: Danish and most
European names). A text with any other character raises `NotCovered`, and the poster is made
with fpdf2 and the fallback fonts instead (`exports.plan_a_poster.poster_pdf`).

What PDF/A-2b asks of the file, and how it is met: the fonts embedded, with widths taken from
the font program itself; an sRGB output intent for the DeviceRGB colours; XMP metadata with
the PDF/A identification, saying what the information dictionary says; a file identifier;
no compression of the metadata, no transparency, no encryption. The keywords end with the
seal's placeholder and the file is sealed as fpdf2's PDFs are (`exports.seal`)."""

from __future__ import annotations

import hashlib
import io
import json
import re
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from . import pdf as pdf_fonts
from .seal import seal

MM = 72 / 25.4  # points per mm
PAGE_W_MM, PAGE_H_MM = 297.0, 420.0  # A3 portrait: the poster's page
_DARK_RUN = re.compile(b"\x01+")  # a run of dark modules in a QR code's row
STREAM_LEVEL = 1  # as `exports.pdf.STREAM_LEVEL`: the content stream is small either way


class NotCovered(Exception):
    """A text has a character the common font does not draw: make the page with fpdf2."""


@dataclass(frozen=True)
class _Font:
    resource: str  # «F1»
    widths: Mapping[int, int]  # code point -> advance in thousandths of an em
    codes: Mapping[int, str]  # code point -> its glyph id as four hex digits (`str.translate`)
    outside: re.Pattern[str]  # finds a character the font does not draw


@dataclass(frozen=True)
class _Fixed:
    """The start of every poster file: the header and the objects that never change, with
    their offsets (object number -> byte offset)."""

    head: bytes
    offsets: dict[int, int]
    fonts: dict[str, _Font]


# Object numbers. The fixed objects come first in the file, the poster's own after them.
_CATALOG, _PAGES, _METADATA, _PAGE, _PROFILE, _RESOURCES = 1, 2, 3, 4, 5, 6
_FONT_OBJECTS = {"": 7, "B": 12}  # each style: Type0, CIDFont, descriptor, program, ToUnicode
_CONTENT, _INFO = 17, 18
_SIZE = 19

_FONT_NAMES = {"": ("UDVAAA+DejaVuSans", 4), "B": ("UDVAAB+DejaVuSans-Bold", 262148)}


def _obj(number: int, body: bytes) -> bytes:
    return b"%d 0 obj\n%s\nendobj\n" % (number, body)


def _stream(number: int, data: bytes, extra: bytes = b"", *, compress: bool = True) -> bytes:
    if compress:
        data = zlib.compress(data, 6)
        extra += b" /Filter /FlateDecode"
    head = b"<< /Length %d%s >>\nstream\n" % (len(data), extra)
    return _obj(number, head + data + b"\nendstream")


def _to_unicode(glyphs: dict[int, int]) -> bytes:
    """A ToUnicode CMap: each glyph id to the (lowest) code point drawn with it."""
    pairs = sorted(glyphs.items())
    out = [
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
    ]
    for start in range(0, len(pairs), 100):
        chunk = pairs[start : start + 100]
        out.append(f"{len(chunk)} beginbfchar\n")
        out.extend(f"<{gid:04X}> <{cp:04X}>\n" for gid, cp in chunk)
        out.append("endbfchar\n")
    out.append("endcmap\nCMapName currentdict /CIDInit /ProcSet findresource pop end end\n")
    return "".join(out).encode("ascii")


def _font_objects(style: str, data: bytes, first: int) -> tuple[list[bytes], _Font]:
    from fontTools import ttLib  # type: ignore[import-untyped]

    font = ttLib.TTFont(io.BytesIO(data), recalcTimestamp=False, lazy=True)
    scale = 1000 / font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    order = font.getGlyphOrder()
    # As fpdf2 rounds a glyph's width (`TTFFont.cw`), so lines measure as they did there.
    advance = [round(scale * metrics[name][0] + 0.001) for name in order]
    gid_of = {name: i for i, name in enumerate(order)}
    widths: dict[int, int] = {}
    codes: dict[int, str] = {}
    first_cp: dict[int, int] = {}
    for cp, name in sorted(font.getBestCmap().items()):
        gid = gid_of[name]
        if gid == 0:
            continue
        widths[cp] = advance[gid]
        codes[cp] = f"{gid:04X}"
        first_cp.setdefault(gid, cp)
    head, hhea = font["head"], font["hhea"]
    glyf = font["glyf"]
    cap = glyf["H"].yMax if "H" in gid_of else hhea.ascent
    weight = font["OS/2"].usWeightClass
    name, flags = _FONT_NAMES[style]
    bbox = " ".join(str(round(v * scale)) for v in (head.xMin, head.yMin, head.xMax, head.yMax))
    t0, cid, desc, prog, tou = range(first, first + 5)
    w = " ".join(map(str, advance))
    objects = [
        _obj(
            t0,
            f"<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H "
            f"/DescendantFonts [{cid} 0 R] /ToUnicode {tou} 0 R >>".encode("ascii"),
        ),
        _obj(
            cid,
            f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{name} "
            f"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
            f"/FontDescriptor {desc} 0 R /CIDToGIDMap /Identity /DW {advance[0]} "
            f"/W [0 [{w}]] >>".encode("ascii"),
        ),
        _obj(
            desc,
            f"<< /Type /FontDescriptor /FontName /{name} /Flags {flags} /FontBBox [{bbox}] "
            f"/ItalicAngle {font['post'].italicAngle:g} /Ascent {round(hhea.ascent * scale)} "
            f"/Descent {round(hhea.descent * scale)} /CapHeight {round(cap * scale)} "
            f"/StemV {50 + int((weight / 65) ** 2)} /MissingWidth {advance[0]} "
            f"/FontFile2 {prog} 0 R >>".encode("ascii"),
        ),
        _stream(prog, data, b" /Length1 %d" % len(data)),
        _stream(tou, _to_unicode(first_cp)),
    ]
    resource = "F1" if style == "" else "F2"
    return objects, _Font(resource, widths, codes, _outside(widths))


def _outside(covered: Mapping[int, int]) -> re.Pattern[str]:
    """A pattern that finds any character not in `covered`."""
    return re.compile(f"[^{pdf_fonts.char_class(covered)}]")


def _profile() -> bytes:
    """The sRGB profile fpdf2 ships (the one its PDF/A files carry)."""
    import fpdf

    return (Path(fpdf.__file__).parent / "data" / "color_profiles" / "sRGB2014.icc").read_bytes()


# The kind of prepared parts (`font_cache`) the fixed part of the posters is kept as.
FIXED_KIND = "plakat-pdf"


@lru_cache(maxsize=1)
def _fixed() -> _Fixed | None:
    """The fixed part of every poster, once per process: read from the app's data folder
    when it was made before from the same sources (`font_cache`), else made here (about 40 ms
    with the prepared fonts' file to read) and kept there. None when the fonts or the colour
    profile cannot be read (the posters are then made with fpdf2)."""
    from . import font_cache

    return font_cache.kept_or_made(_fixed_name(), FIXED_KIND, _from_parts, _make_fixed, _as_parts)


def _fixed_name() -> str | None:
    """A name for everything the fixed part is made from: this module and `exports.pdf`
    (the rules), the font files, the colour profile, fontTools' version. None when one cannot
    be read (an installation without its source files: the part is made each time)."""
    import fontTools

    from . import font_cache

    try:
        sources = [
            Path(__file__).read_bytes(),
            Path(pdf_fonts.__file__).read_bytes(),
            pdf_fonts.FONT_REGULAR.read_bytes(),
            pdf_fonts.FONT_BOLD.read_bytes(),
            _profile(),
        ]
    except (OSError, TypeError):
        return None
    return font_cache.key([str(fontTools.version).encode(), *sources])


def _as_parts(fixed: _Fixed) -> dict[str, bytes]:
    fonts = {
        style: {
            "resource": font.resource,
            "widths": sorted(font.widths.items()),
            "codes": sorted(font.codes.items()),
        }
        for style, font in fixed.fonts.items()
    }
    layout = {"offsets": sorted(fixed.offsets.items()), "fonts": fonts}
    return {"head": fixed.head, "layout": json.dumps(layout).encode("ascii")}


def _from_parts(parts: dict[str, bytes] | None) -> _Fixed | None:
    """The fixed part `_as_parts` kept, or None when `parts` are not such parts: the
    objects where the offsets say, each font's widths and four-digit glyph codes for the same
    characters. Whatever else a file in the data folder holds, it is made again."""
    if parts is None or set(parts) != {"head", "layout"} or not parts["head"].startswith(b"%PDF-"):
        return None
    head = parts["head"]
    try:
        layout = json.loads(parts["layout"])
        offsets = {int(n): int(at) for n, at in layout["offsets"]}
        fonts: dict[str, _Font] = {}
        for style, font in layout["fonts"].items():
            widths = {int(cp): int(w) for cp, w in font["widths"]}
            codes = {int(cp): str(code) for cp, code in font["codes"]}
            resource = "F1" if style == "" else "F2"
            if (
                font["resource"] != resource
                or not widths
                or set(codes) != set(widths)
                or not all(0x20 <= cp <= 0x10FFFF and 0 <= w <= 10_000 for cp, w in widths.items())
                or not all(_GLYPH_CODE.fullmatch(code) for code in codes.values())
            ):
                return None
            fonts[str(style)] = _Font(resource, widths, codes, _outside(widths))
        if set(fonts) != set(_FONT_OBJECTS) or set(offsets) != set(range(1, _CONTENT)) - {
            _METADATA
        }:
            return None
        if not all(
            0 < at < len(head) and head.startswith(b"%d 0 obj\n" % n, at)
            for n, at in offsets.items()
        ):
            return None
    except Exception:  # anything a damaged or foreign file may hold: made again
        return None
    return _Fixed(head, offsets, fonts)


_GLYPH_CODE = re.compile("[0-9A-F]{4}")


def _make_fixed() -> _Fixed | None:
    """The fixed part of every poster, made from the fonts and the colour profile."""
    try:
        fonts_data = {
            style: pdf_fonts._common_font(style, path)[1]
            for style, path in (("", pdf_fonts.FONT_REGULAR), ("B", pdf_fonts.FONT_BOLD))
        }
        profile = _profile()
        font_objects: list[bytes] = []
        fonts: dict[str, _Font] = {}
        for style, data in fonts_data.items():
            objects, font = _font_objects(style, data, _FONT_OBJECTS[style])
            font_objects += objects
            fonts[style] = font
    except Exception:  # a damaged font or an fpdf2 without the profile: fpdf2 makes the poster
        return None
    width, height = PAGE_W_MM * MM, PAGE_H_MM * MM
    font_refs = " ".join(f"/{f.resource} {_FONT_OBJECTS[s]} 0 R" for s, f in fonts.items())
    parts = [
        _obj(
            _CATALOG,
            f"<< /Type /Catalog /Pages {_PAGES} 0 R /Metadata {_METADATA} 0 R /Lang (da-DK) "
            f"/OutputIntents [<< /Type /OutputIntent /S /GTS_PDFA1 "
            f"/OutputConditionIdentifier (sRGB) /OutputCondition (IEC 61966-2-1:1999) "
            f"/RegistryName (http://www.color.org) /Info (sRGB2014 \\(v2\\)) "
            f"/DestOutputProfile {_PROFILE} 0 R >>] >>".encode("ascii"),
        ),
        _obj(_PAGES, f"<< /Type /Pages /Kids [{_PAGE} 0 R] /Count 1 >>".encode("ascii")),
        _obj(
            _PAGE,
            f"<< /Type /Page /Parent {_PAGES} 0 R /MediaBox [0 0 {width:.2f} {height:.2f}] "
            f"/Resources {_RESOURCES} 0 R /Contents {_CONTENT} 0 R >>".encode("ascii"),
        ),
        _stream(_PROFILE, profile, b" /N 3 /Alternate /DeviceRGB"),
        _obj(_RESOURCES, f"<< /Font << {font_refs} >> >>".encode("ascii")),
        *font_objects,
    ]
    head = bytearray(b"%PDF-1.7\n%\xe9\xeb\xf1\xbf\n")
    offsets: dict[int, int] = {}
    for part in parts:
        offsets[int(part.split(b" ", 1)[0])] = len(head)
        head += part
    return _Fixed(bytes(head), offsets, fonts)


def clean(text: str) -> str:
    """`exports.pdf._clean(text)`: control characters out, a tab as a space, a letter no font
    has as «□». A text the common font covers needs only the first two, and is cleaned here
    without building `_clean`'s map of every font's letters (60 ms, once a process)."""
    plain = pdf_fonts._CONTROL_RE.sub("", text.replace("\t", " "))
    fixed = _fixed()
    if fixed is not None and not fixed.fonts[""].outside.search(plain.replace("\n", "")):
        return plain
    return pdf_fonts._clean(text)


# --- a poster's own objects -------------------------------------------------------------------


@dataclass(frozen=True)
class Metadata:
    title: str
    subject: str
    author: str
    creator: str
    producer: str
    keywords: str
    created: datetime  # with its time zone


def _pdf_string(text: str) -> str:
    """A text string of the information dictionary: literal when ASCII, else UTF-16 in hex
    (as fpdf2 writes them, so `exports.seal` finds the keywords in either form)."""
    if text.isascii():
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return f"({escaped})"
    return "<feff" + text.encode("utf-16-be").hex() + ">"


def _pdf_date(when: datetime) -> str:
    """«D:20270816120000+02'00'»: the time with its offset in hours and minutes (an offset
    with seconds, which no present-day zone has, is cut to its minutes)."""
    minutes = int((when.utcoffset() or timedelta()).total_seconds() / 60)
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"D:{when:%Y%m%d%H%M%S}{sign}{hours:02d}'{mins:02d}'"


def _xmp(meta: Metadata) -> bytes:
    """The XMP packet: the PDF/A identification and what the information dictionary says."""
    stamp = meta.created.isoformat(timespec="seconds")
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        '    xmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"\n'
        '    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"\n'
        '    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"\n'
        f"    xmp:CreatorTool={quoteattr(meta.creator)}\n"
        f'    xmp:CreateDate="{stamp}"\n'
        f'    xmp:ModifyDate="{stamp}"\n'
        f'    xmp:MetadataDate="{stamp}"\n'
        f"    pdf:Producer={quoteattr(meta.producer)}\n"
        f"    pdf:Keywords={quoteattr(meta.keywords)}\n"
        '    pdfaid:part="2"\n'
        '    pdfaid:conformance="B">\n'
        "   <dc:title><rdf:Alt>"
        f'<rdf:li xml:lang="x-default">{escape(meta.title)}</rdf:li>'
        "</rdf:Alt></dc:title>\n"
        "   <dc:description><rdf:Alt>"
        f'<rdf:li xml:lang="x-default">{escape(meta.subject)}</rdf:li>'
        "</rdf:Alt></dc:description>\n"
        f"   <dc:creator><rdf:Seq><rdf:li>{escape(meta.author)}</rdf:li></rdf:Seq></dc:creator>\n"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    ).encode()


def _info(meta: Metadata) -> bytes:
    date = _pdf_date(meta.created)
    entries = (
        ("Title", meta.title),
        ("Subject", meta.subject),
        ("Author", meta.author),
        ("Keywords", meta.keywords),
        ("Creator", meta.creator),
        ("Producer", meta.producer),
    )
    body = " ".join(f"/{key} {_pdf_string(value)}" for key, value in entries)
    return f"<< {body} /CreationDate ({date}) /ModDate ({date}) >>".encode("latin-1")


@lru_cache(maxsize=64)
def _rgb(colour: tuple[int, int, int]) -> str:
    return " ".join(f"{c / 255:.4f}" for c in colour)


# Per process, what the posters' texts wrap to and their words' widths in font units (both
# depend only on the font, which is the same in every poster): the indicators' names, the
# headings and a plan's repeated texts are laid out once, not at every size of every poster.
_WRAPPED: dict[tuple[str, float, str, float], list[str]] = {}
_WORD_UNITS: dict[str, dict[str, float]] = {}
_KEPT = 20_000  # entries; emptied when full (a few MB at most)
_MEASURED: dict[tuple[str, str], tuple[tuple[tuple[str, ...], tuple[float, ...]], ...]] = {}


def _word_units(style: str) -> dict[str, float]:
    known = _WORD_UNITS.setdefault(style, {})
    if len(known) > _KEPT:
        known.clear()
    return known


def _greedy(
    words: Sequence[str], units: Sequence[float], width: float, size: float, space_units: int
) -> list[str] | None:
    """One paragraph's lines, as `pdf_fonts.wrap_units` makes them (the same sums in the same
    order, so the same breaks), from its words and their widths in font units; None when a
    word is wider than `width` (wrap_units splits it)."""
    space = space_units * size / 1000 / MM
    lines: list[str] = []
    line, line_w = "", 0.0
    for word, u in zip(words, units, strict=True):
        w = u * size / 1000 / MM
        if line and line_w + space + w <= width:
            line += " " + word
            line_w += space + w
            continue
        if w > width:
            return None
        if line:
            lines.append(line)
        line, line_w = word, w
    lines.append(line)
    return lines


@dataclass
class Page:
    """The A3 portrait page being drawn, in mm from its top left corner (as fpdf2 draws)."""

    _fixed: _Fixed
    _ops: list[str] = field(default_factory=list)
    height_mm: float = PAGE_H_MM

    @classmethod
    def start(cls) -> Page | None:
        """A new page, or None when this installation cannot write one (see `_fixed`)."""
        fixed = _fixed()
        if fixed is None:
            return None
        return cls(fixed)

    def _font(self, style: str) -> _Font:
        return self._fixed.fonts[style]

    def _covered(self, text: str, font: _Font) -> None:
        if font.outside.search(text):
            raise NotCovered(text)

    def wrap(self, text: str, width: float, style: str, size: float) -> list[str]:
        """`text` (cleaned as every PDF text is) wrapped to `width` mm, as
        `exports.pdf.wrap_text` wraps it (the lines are kept: a poster tries its columns at
        several sizes, and its fixed-size lines come back each time)."""
        key = (text, width, style, size)
        lines = _WRAPPED.get(key)
        if lines is None:
            font = self._font(style)
            lines = []
            for words, units in self._measured(text, style):
                greedy = _greedy(words, units, width, size, font.widths[32])
                if greedy is None:  # a word wider than the column: split as wrap_units does
                    greedy = pdf_fonts.wrap_units(
                        " ".join(words), width, font.widths, size, MM, _word_units(style)
                    )
                lines += greedy
            if len(_WRAPPED) > _KEPT:
                _WRAPPED.clear()
            _WRAPPED[key] = lines
        return lines

    def _measured(
        self, text: str, style: str
    ) -> tuple[tuple[tuple[str, ...], tuple[float, ...]], ...]:
        """`text` cleaned, as paragraphs of words with their widths in font units (kept per
        process: the same text is wrapped at several sizes)."""
        key = (style, text)
        measured = _MEASURED.get(key)
        if measured is None:
            font = self._font(style)
            cleaned = clean(text)
            self._covered(cleaned.replace("\n", ""), font)
            cw = font.widths
            # A word's width once per process: the posters' texts share most of their words.
            known = _word_units(style)

            def units(word: str) -> float:
                u = known.get(word)
                if u is None:
                    u = known[word] = sum(map(cw.__getitem__, map(ord, word)))
                return u

            measured = tuple(
                (tuple(words), tuple(map(units, words)))
                for words in (para.split(" ") for para in cleaned.split("\n"))
            )
            if len(_MEASURED) > _KEPT:
                _MEASURED.clear()
            _MEASURED[key] = measured
        return measured

    def width(self, text: str, style: str, size: float) -> float:
        """The width of `text` (one line of the font's letters) in mm."""
        font = self._font(style)
        self._covered(text, font)
        return pdf_fonts.text_mm(font.widths, text, size, MM)

    def text(
        self,
        x: float,
        baseline: float,
        text: str,
        style: str,
        size: float,
        colour: tuple[int, int, int],
    ) -> None:
        """`text` (one line) with its baseline at `baseline` mm from the top."""
        font = self._font(style)
        self._covered(text, font)
        if not text:
            return
        self._ops.append(
            f"BT /{font.resource} {size:.2f} Tf {_rgb(colour)} rg "
            f"{x * MM:.2f} {(self.height_mm - baseline) * MM:.2f} Td "
            f"<{text.translate(font.codes)}> Tj ET"
        )

    def fill(self, x: float, y: float, w: float, h: float, colour: tuple[int, int, int]) -> None:
        """A filled rectangle, its top left corner at (x, y)."""
        top = (self.height_mm - y) * MM
        self._ops.append(
            f"{_rgb(colour)} rg {x * MM:.2f} {top - h * MM:.2f} {w * MM:.2f} {h * MM:.2f} re f"
        )

    def rule(self, x1: float, x2: float, y: float, colour: tuple[int, int, int]) -> None:
        """A thin horizontal line from x1 to x2 at y (square ends, as fpdf2 draws them)."""
        yy = (self.height_mm - y) * MM
        self._ops.append(
            f"{_rgb(colour)} RG 0.57 w 2 J {x1 * MM:.2f} {yy:.2f} m {x2 * MM:.2f} {yy:.2f} l S"
        )

    def qr(self, modules: Sequence[Sequence[bool | None]], x: float, y: float, size: float) -> None:
        """A QR code as black squares on the page (a vector: sharp at any print size), with its
        quiet zone of four modules inside `size` mm, as the PNG of `exports.qr` has it."""
        n = len(modules)
        unit = size / (n + 8) * MM
        left = x * MM + 4 * unit
        bottom = (self.height_mm - y) * MM - (n + 4) * unit
        # In the code's own units (one module, from its bottom left corner), so every square
        # is a few small integers instead of four coordinates in points.
        rects: list[str] = []
        for r, row in enumerate(modules):
            line = n - 1 - r
            for run in _DARK_RUN.finditer(bytes(map(bool, row))):
                start, end = run.span()
                rects.append(f"{start} {line} {end - start} 1 re")
        self.fill(x, y, size, size, (255, 255, 255))
        self._ops.append(
            f"q {unit:.4f} 0 0 {unit:.4f} {left:.3f} {bottom:.3f} cm 0 0 0 rg\n"
            + "\n".join(rects)
            + "\nf Q"
        )

    def finish(self, meta: Metadata) -> bytes:
        """The file: the fixed objects, then this page's content, metadata and information
        dictionary, the cross-reference table, and the seal."""
        fixed = self._fixed
        out = bytearray(fixed.head)
        offsets = dict(fixed.offsets)
        content = "\n".join(self._ops).encode("latin-1")
        for number, part in (
            (
                _METADATA,
                _stream(_METADATA, _xmp(meta), b" /Type /Metadata /Subtype /XML", compress=False),
            ),
            (
                _CONTENT,
                _stream(
                    _CONTENT,
                    zlib.compress(content, STREAM_LEVEL),
                    b" /Filter /FlateDecode",
                    compress=False,
                ),
            ),
            (_INFO, _obj(_INFO, _info(meta))),
        ):
            offsets[number] = len(out)
            out += part
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % _SIZE
        out += b"".join(b"%010d 00000 n \n" % offsets[n] for n in range(1, _SIZE))
        file_id = hashlib.md5(out, usedforsecurity=False).hexdigest().upper()
        out += (
            b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [<%s><%s>] >>\n"
            b"startxref\n%d\n%%%%EOF\n"
            % (_SIZE, _CATALOG, _INFO, file_id.encode(), file_id.encode(), xref)
        )
        return seal(bytes(out))
