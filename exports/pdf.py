"""The målplan as PDF/A-2b (fpdf2), for filing: the same content as the Word document, with the
DejaVu Sans font shipped in `exports/fonts/` (freely licensed, see LICENSE-DejaVu.txt) embedded,
so Danish letters are right on a machine without any system fonts.

Symbols DejaVu lacks (most emoji, pictographs, dingbats) are drawn with a fallback font shipped
beside it (a subset of Symbola, see LICENSE-Symbola.txt); a character neither font has is
printed as a visible «□», and `unprintable` names those so the export can say so: nothing is
dropped in silence."""

from __future__ import annotations

import copy
import io
import re
import zlib
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from fontTools import subset as ftsubset  # type: ignore[import-untyped]  # no type hints
from fontTools import ttLib
from fpdf import FPDF, FPDF_VERSION
from fpdf.enums import Align, RenderStyle, TextMode
from fpdf.fonts import SubsetMap, TTFFont
from fpdf.line_break import TotalPagesSubstitutionFragment
from fpdf.output import OutputProducer
from fpdf.util import escape_parens

from models.maalplan_view import MaalplanView

from . import charts
from . import document_rows as content
from .reference import Reference
from .seal import PLACEHOLDER as SEAL_PLACEHOLDER
from .seal import seal

FONT_DIR = Path(__file__).parent / "fonts"
FONT_REGULAR = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
FAMILY = "DejaVu"
FALLBACK_FONT = FONT_DIR / "Symbola.ttf"
FALLBACK_FAMILY = "Symbola"
# Printed in place of a character no font has (DejaVu has it, in `_FAST_RANGES` too).
REPLACEMENT = "\u25a1"
COMPLIANCE = "PDFA_2B"

_GREY = (89, 89, 89)
_HEAD_FILL = (220, 230, 241)

# Column widths of the tables under each mål, by `document_rows.Section.key` (see `_scale`).
# One per column of the section's headers (a field given a document column needs one here).
COLUMN_WIDTHS_MM: dict[str, list[float]] = {
    "tegn": [9, 52, 20, 34, 26, 33],
    # Ansvarlig wide enough for «Viceskoleleder», «Sundhedsplejerske», «Ungdomsskoleleder».
    "proevehandling": [9, 41, 31, 21, 34, 25, 13],
    "samarbejde": [35.5, 32.5, 42, 32, 32],
    "evaluering": [26, 22, 22, 52, 52],
    "mulige_partnere": [104, 70],
    "maaling": [22, 110, 42],
    "laering": [26, 22, 91, 35],
    "plan_laering": [22, 117, 35],
}


# Control characters (C0 but the line break, DEL and C1) have no glyph.
_CONTROL_RE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


# Invisible selectors (emoji and text presentation, tags) that only pick a glyph's look.
_SELECTOR_RE = re.compile("[\ufe00-\ufe0f\U000e0000-\U000e007f]")


def _clean(text: str) -> str:
    # A tab reads as a space; other control characters are left out; a character no font has
    # becomes a visible «□».
    text = _CONTROL_RE.sub("", text.replace("\t", " "))
    if text.isascii():
        return text
    text = _SELECTOR_RE.sub("", text)
    missing = _coverage().missing
    return missing.sub(REPLACEMENT, text) if missing.search(text) else text


# --- the fallback font ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Coverage:
    """Which characters the fonts have: `missing` finds one that neither DejaVu Sans nor the
    fallback has; per style of DejaVu, `routed` are those drawn with the fallback font, and
    `widths` their widths (in fpdf2's units)."""

    missing: re.Pattern[str]
    routed: dict[str, frozenset[int]]
    widths: dict[int, int]


@lru_cache(maxsize=1)
def _coverage() -> _Coverage:
    with ttLib.TTFont(str(FONT_REGULAR), lazy=True) as font:
        regular = set(font.getBestCmap())
    with ttLib.TTFont(str(FONT_BOLD), lazy=True) as font:
        bold = set(font.getBestCmap())
    with ttLib.TTFont(str(FALLBACK_FONT), lazy=True) as fallback:
        cmap = dict(fallback.getBestCmap())
        scale = 1000 / fallback["head"].unitsPerEm
        metrics = dict(fallback["hmtx"].metrics)
    # As fpdf2 rounds a glyph's width (`TTFFont.cw`).
    widths = {u: round(scale * metrics[name][0] + 0.001) for u, name in cmap.items()}
    # In both styles of DejaVu or in the fallback (a heading is bold, a cell regular).
    ranges = char_class((regular & bold) | set(cmap) | set(range(0x80)))
    return _Coverage(
        missing=re.compile(f"[^{ranges}\\s]"),
        routed={"": frozenset(set(cmap) - regular), "B": frozenset(set(cmap) - bold)},
        widths=widths,
    )


def char_class(code_points: Iterable[int]) -> str:
    """The inside of a regular expression's character class matching `code_points`, as
    ranges («a-z0-9»)."""
    spans: list[list[int]] = []
    for u in sorted(code_points):
        if spans and spans[-1][1] == u - 1:
            spans[-1][1] = u
        else:
            spans.append([u, u])
    return "".join(
        re.escape(chr(lo)) + ("" if lo == hi else "-" + re.escape(chr(hi))) for lo, hi in spans
    )


def unprintable(texts: Iterable[str]) -> list[str]:
    """The characters of `texts` that no font of the PDF has (printed as «□»), in order of
    first appearance; control characters and invisible selectors are not counted."""
    missing = _coverage().missing
    found: dict[str, None] = {}
    for text in texts:
        if not text.isascii():
            found.update(dict.fromkeys(missing.findall(_SELECTOR_RE.sub("", text))))
    found.pop(REPLACEMENT, None)
    for ch in list(found):
        if _CONTROL_RE.match(ch):
            del found[ch]
    return list(found)


def _view_texts(value: object) -> Iterator[str]:
    """Every text in a målplan view (its dataclasses, lists and dicts, recursively)."""
    if isinstance(value, str):
        yield value
    elif is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            yield from _view_texts(getattr(value, f.name))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _view_texts(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _view_texts(item)


def unprintable_in_view(view: MaalplanView, most: int = 3) -> tuple[list[str], list[str]]:
    """The characters of the plan's texts that the PDF prints as «□», and up to `most` of the
    texts they are in (each cut to 60 characters), for the export's notice."""
    chars: dict[str, None] = {}
    where: list[str] = []
    for text in _view_texts(view):
        found = unprintable([text])
        if not found:
            continue
        chars.update(dict.fromkeys(found))
        if len(where) < most:
            one_line = " ".join(text.split())
            where.append(one_line if len(one_line) <= 60 else one_line[:59] + "…")
    return list(chars), where


def _fallback_font(pdf: FPDF) -> TTFFont:
    """The fallback font on `pdf`, added the first time a document needs it (parsing it costs
    time only such documents pay). fpdf2's own text calls (`cell`) fall back to it as well."""
    key = FALLBACK_FAMILY.lower()
    font = pdf.fonts.get(key)
    if not isinstance(font, TTFFont):
        pdf.add_font(FALLBACK_FAMILY, "", str(FALLBACK_FONT))
        pdf.set_fallback_fonts([FALLBACK_FAMILY], exact_match=False)
        font = cast(TTFFont, pdf.fonts[key])
    return font


def _runs(text: str, routed: frozenset[int]) -> list[tuple[bool, str]]:
    """`text` in runs of (drawn with the fallback font, characters)."""
    runs: list[tuple[bool, str]] = []
    for ch in text:
        fallback = ord(ch) in routed
        if runs and runs[-1][0] == fallback:
            runs[-1] = (fallback, runs[-1][1] + ch)
        else:
            runs.append((fallback, ch))
    return runs


def _t(value: object) -> str:
    return content.document_text(value, _clean)


def _period(start: date | None, slut: date | None) -> str:
    return content.period_text(start, slut, _t)


# What the fast path keeps of DejaVu Sans: Latin with all its extensions (Danish, and names
# from all over Europe), punctuation, currency, arrows and a few symbols. A document that
# needs anything else is rendered again with the full font (see `maalplan_pdf`).
_FAST_RANGES = (
    (0x0000, 0x024F),
    (0x02B0, 0x02FF),
    (0x0300, 0x036F),
    (0x1E00, 0x1EFF),
    (0x2000, 0x206F),
    (0x20A0, 0x20CF),
    (0x2100, 0x214F),
    (0x2190, 0x21FF),
    (0x2212, 0x2212),
    (0x2260, 0x2265),
    (0x25A0, 0x25FF),
    (0x2713, 0x2718),
    (0xFFFD, 0xFFFD),
)


@lru_cache(maxsize=4)
def _fast_font(style: str, path: Path) -> tuple[TTFFont, bytes]:
    """A reduced copy of a font (fewer glyphs, no layout tables) and its parsed metrics.

    Parsing and subsetting all of DejaVu (6,000 glyphs, large layout tables) costs 100-200 ms
    per font and document; the reduced copy is made once per installation
    (`_prepared_fonts`) and costs a few ms per document."""
    prepared = _prepared_fonts()
    data = prepared.get(f"fast{style}") if path == _OWN_FONTS.get(style) else None
    if data is None:
        data = _reduced(path)
    scratch = FPDF()
    # fpdf2 reads the font from a file object as well as from a path.
    font_file = cast(Path, io.BytesIO(data))
    proto = TTFFont(scratch, font_file, f"{FAMILY.lower()}{style}", style)
    _fallback_widths(proto, style)
    return proto, data


def _reduced(path: Path) -> bytes:
    """The font at `path` cut down to `_FAST_RANGES`, without hinting and layout tables."""
    font = ttLib.TTFont(str(path), recalcTimestamp=False)
    options = ftsubset.Options(
        notdef_outline=True,
        recommended_glyphs=True,
        hinting=False,
        layout_features=[],
        name_IDs=["*"],
        name_languages=["*"],
    )
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern", "hdmx", "FFTM", "MATH", "meta"]
    subsetter = ftsubset.Subsetter(options)
    subsetter.populate(unicodes=[u for lo, hi in _FAST_RANGES for u in range(lo, hi + 1)])
    subsetter.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def _fallback_widths(font: TTFFont, style: str) -> None:
    """The widths of the characters drawn with the fallback font, in DejaVu's width table, so
    that lines are measured (and wrapped) with them."""
    coverage = _coverage()
    widths = coverage.widths
    font.cw.update({u: widths[u] for u in coverage.routed[style]})


# What nearly every document uses: ASCII, Latin-1 (Danish letters) and Latin Extended-A, and
# the usual typographic punctuation.
_COMMON_RANGES = (
    (0x0020, 0x007E),
    (0x00A0, 0x017F),
    (0x2010, 0x2027),
    (0x2030, 0x203A),
    (0x20AC, 0x20AC),
)


@lru_cache(maxsize=4)
def _common_font(style: str, path: Path) -> tuple[frozenset[str], bytes]:
    """The reduced font cut down further to `_COMMON_RANGES` (about 330 glyphs), keeping the
    glyph names, and the names it holds.

    fpdf2 subsets the embedded font when it writes the PDF, from whatever font the document
    holds; starting from this smaller copy halves that work, and the subset it writes has the
    same glyphs under the same names. See `_embed_from_common`."""
    prepared = _prepared_fonts()
    if path == _OWN_FONTS.get(style) and f"common{style}" in prepared:
        names = prepared[f"common-names{style}"].decode("utf-8").split("\n")
        return frozenset(names), prepared[f"common{style}"]
    return _common_cut(_fast_font(style, path)[1])


def _common_cut(data: bytes) -> tuple[frozenset[str], bytes]:
    """A reduced font (`_reduced`) cut down to `_COMMON_RANGES`, and its glyphs' names."""
    font = ttLib.TTFont(io.BytesIO(data), recalcTimestamp=False, lazy=True)
    cmap = font.getBestCmap()
    names = {cmap[u] for lo, hi in _COMMON_RANGES for u in range(lo, hi + 1) if u in cmap}
    options = ftsubset.Options(
        notdef_outline=True,
        recommended_glyphs=True,
        glyph_names=True,
        name_IDs=["*"],
        name_languages=["*"],
    )
    subsetter = ftsubset.Subsetter(options)
    subsetter.populate(glyphs=sorted(names))
    subsetter.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    return frozenset(font.getGlyphOrder()), buf.getvalue()


# The fonts `_prepared_fonts` prepares, by style.
_OWN_FONTS = {"": FONT_REGULAR, "B": FONT_BOLD}


@lru_cache(maxsize=1)
def _prepared_fonts() -> dict[str, bytes]:
    """Both styles of DejaVu Sans reduced (`_reduced`) and cut down to the common letters
    (`_common_cut`), with the common copies' glyph names: read from the app's data folder when
    they were prepared before with the same fonts, libraries and rules (`font_cache`), else
    made here (about 0.6 s) and kept there. Empty when the font files cannot be read (each
    font is then made as before, and fails as before)."""
    import fontTools

    from . import font_cache

    try:
        sources = [FONT_REGULAR.read_bytes(), FONT_BOLD.read_bytes()]
    except OSError:
        return {}
    rules = repr((_FAST_RANGES, _COMMON_RANGES, fontTools.version, FPDF_VERSION)).encode()
    name = font_cache.key([rules, *sources])
    parts = font_cache.load(name)
    if parts is not None and _usable(parts):
        return parts
    parts = {}
    for style, path in _OWN_FONTS.items():
        parts[f"fast{style}"] = fast = _reduced(path)
        names, parts[f"common{style}"] = _common_cut(fast)
        parts[f"common-names{style}"] = "\n".join(sorted(names)).encode("utf-8")
    font_cache.store(name, parts)
    return parts


def _usable(parts: dict[str, bytes]) -> bool:
    """Whether stored parts are the fonts `_prepared_fonts` makes: every part there, each font
    readable with the letters it should have (a few ms; whatever the file holds, a PDF is
    never made from a font that is not one)."""
    try:
        for style in _OWN_FONTS:
            fast, common = parts[f"fast{style}"], parts[f"common{style}"]
            names = set(parts[f"common-names{style}"].decode("utf-8").split("\n"))
            for data in (fast, common):
                with ttLib.TTFont(io.BytesIO(data), lazy=True) as font:
                    if not set(map(ord, "Aaæøå€–")) <= set(font.getBestCmap()):
                        return False
                    # The names are those the cut made (`_common_cut`); read back, fontTools
                    # names some glyphs after their index, so only their number is compared.
                    if data is common and len(font.getGlyphOrder()) != len(names):
                        return False
    except Exception:  # a damaged font: fontTools raises many kinds of errors
        return False
    return True


@lru_cache(maxsize=4)
def _common_characters(style: str, path: Path) -> frozenset[str]:
    """The names of the common copy's glyphs for characters, as fpdf2 reads them from the
    embedded bytes (the copy keeps no glyph names: fontTools makes them from its cmap; the
    glyphs only other glyphs are built from come along by themselves)."""
    _names, data = _common_font(style, path)
    font = ttLib.TTFont(io.BytesIO(data), recalcTimestamp=False, lazy=True)
    return frozenset(font.getBestCmap().values()) | {".notdef"}


def _embed_from_common(pdf: FPDF, *, whole: bool = False) -> None:
    """Before output: let fonts whose used glyphs all lie in the common set be subset from
    the smaller common copy (the same glyphs, in about half the time). With `whole`, such a
    font is embedded with every glyph of the common set: the same subset for every document,
    made once per process (`_CachingSubsetter`), for documents of a page or two, where cutting
    the font down to their own letters was a third of the time (the Plan A posters)."""
    for style, path in (("", FONT_REGULAR), ("B", FONT_BOLD)):
        font = pdf.fonts.get(f"{FAMILY.lower()}{style}")
        if not isinstance(font, TTFFont) or not isinstance(font.subset, SubsetMap):
            continue
        try:
            names, data = _common_font(style, path)
        except Exception:  # never let a speed-up cost the document
            return
        if set(font.subset.get_all_glyph_names()) <= names:
            font.ttfont = ttLib.TTFont(
                io.BytesIO(data), recalcTimestamp=False, recalcBBoxes=False, lazy=True
            )
            font.ttfont._udviklingsdag_source = ("common", style)
            if whole:
                font.ttfont._udviklingsdag_whole = _common_characters(style, path)


# --- the embedded font subsets, once per set of glyphs -------------------------------------------
#
# fpdf2 embeds each font cut down to the glyphs the document uses (fontTools' subsetter, then
# saving the font: a third of a PDF's time). The plans of one export mostly use the same
# letters, so the result is kept per process, by font and set of glyphs: the same input to
# the subsetter gives the same bytes. Only the fonts made here (`_add_font`,
# `_embed_from_common`) are cached; any other font goes through fontTools as usual.

_SUBSETS: OrderedDict[tuple[Any, ...], tuple[bytes, dict[str, int]]] = OrderedDict()
_SUBSETS_KEPT = 64


class _CachingSubsetter(ftsubset.Subsetter):  # type: ignore[misc]  # fontTools is untyped
    """fontTools' Subsetter, which remembers what it made of our own fonts."""

    _glyphs: frozenset[str] | None = None

    def populate(
        self,
        glyphs: Iterable[str] = (),
        gids: Iterable[int] = (),
        unicodes: Iterable[int] = (),
        text: str = "",
    ) -> None:
        glyphs, gids, unicodes = list(glyphs), list(gids), list(unicodes)
        only_names = not (gids or unicodes or text)
        self._glyphs = frozenset(glyphs) if only_names else None
        super().populate(glyphs=glyphs, gids=gids, unicodes=unicodes, text=text)

    def subset(self, font: ttLib.TTFont) -> None:
        source = getattr(font, "_udviklingsdag_source", None)
        if source is None or self._glyphs is None:
            super().subset(font)
            return
        whole: frozenset[str] | None = getattr(font, "_udviklingsdag_whole", None)
        if whole is not None and self._glyphs <= whole:
            super().populate(glyphs=sorted(whole - self._glyphs))
            self._glyphs = whole
        options = tuple(sorted((k, repr(v)) for k, v in vars(self.options).items()))
        key = (source, self._glyphs, options)
        hit = _SUBSETS.get(key)
        if hit is None:
            super().subset(font)
            buf = io.BytesIO()
            font.save(buf)
            hit = (buf.getvalue(), {name: font.getGlyphID(name) for name in font.getGlyphOrder()})
            _SUBSETS[key] = hit
            if len(_SUBSETS) > _SUBSETS_KEPT:
                _SUBSETS.popitem(last=False)
        else:
            _SUBSETS.move_to_end(key)
            # The font becomes the subset, as if it had been cut down here (read lazily).
            font.__init__(io.BytesIO(hit[0]), recalcTimestamp=False, recalcBBoxes=False, lazy=True)
        data, ids = hit
        # What fpdf2 asks of the subset font next, without reading it again: glyph ids by
        # name and the saved bytes.
        font.getGlyphID = ids.__getitem__
        font.save = lambda file, *_a, **_kw: file.write(data)


class _SubsetModule:
    """Stands in for `fontTools.subset` inside fpdf2's writer while our PDF is written."""

    Options = ftsubset.Options
    Subsetter = _CachingSubsetter

    def __getattr__(self, name: str) -> Any:
        return getattr(ftsubset, name)


class _WithInfo(OutputProducer):
    """fpdf2's writer, which also writes the document information dictionary (title, author,
    subject, keywords, creator, producer, creation date) for a PDF/A file.

    fpdf2 leaves it out for PDF/A and writes the same facts only as XMP metadata, which many
    readers (file properties, SBSYS, pypdf's `metadata`) do not look at. PDF/A-2 allows it
    when it says what the XMP says, and both are made from the same values. The writer asks
    whether the document is PDF/A between writing the XMP metadata and the encryption
    dictionary; the answer is «no» just there."""

    _compliance: Any = None

    def _add_xmp_metadata(self) -> Any:
        xmp = super()._add_xmp_metadata()
        self._compliance, self.fpdf._compliance = self.fpdf._compliance, None
        return xmp

    def _add_encryption(self) -> Any:
        if self._compliance is not None:
            self.fpdf._compliance, self._compliance = self._compliance, None
        return super()._add_encryption()


def _producer() -> type[OutputProducer]:
    """`_WithInfo` when this fpdf2 writes PDFs as it is written for, else fpdf2's own."""
    needed = ("_add_xmp_metadata", "_add_info", "_add_encryption")
    return _WithInfo if all(hasattr(OutputProducer, n) for n in needed) else OutputProducer


class _CompressedOnce:
    """The `zlib` fpdf2 compresses its streams with, remembering what it made of the larger
    ones it sees again: the embedded fonts and the colour profile are the same bytes in
    document after document (see `_SUBSETS`), and the same bytes compress to the same bytes.
    A stream is kept from its second time on, so the pages' own streams, each seen once, never
    push the fonts out."""

    _KEPT = 16
    _SEEN = 256
    _LARGE = 2048  # smaller streams compress in about the time a look-up takes

    def __init__(self, zlib: Any) -> None:
        self._zlib = zlib
        self._made: OrderedDict[tuple[bytes, int], bytes] = OrderedDict()
        self._seen: OrderedDict[int, None] = OrderedDict()  # hashes of streams seen once

    def __getattr__(self, name: str) -> Any:
        return getattr(self._zlib, name)

    def compress(self, data: bytes, level: int = -1, **kwargs: Any) -> bytes:
        if len(data) < self._LARGE or kwargs or not isinstance(data, bytes):
            return cast(bytes, self._zlib.compress(data, level, **kwargs))
        key = (data, level)
        made = self._made.get(key)
        if made is not None:
            self._made.move_to_end(key)
            return made
        made = cast(bytes, self._zlib.compress(data, level))
        seen = hash(key)
        if seen in self._seen:
            del self._seen[seen]
            self._made[key] = made
            if len(self._made) > self._KEPT:
                self._made.popitem(last=False)
        else:
            self._seen[seen] = None
            if len(self._seen) > self._SEEN:
                self._seen.popitem(last=False)
        return made


# The zlib level of the PDFs' streams. fpdf2 takes zlib's default (6); level 1 writes a large
# report's 2,921 pages in 0.3 s instead of 0.9 s, for a file a seventh larger (12.6 → 14.4 MB).
STREAM_LEVEL = 1


def _output(pdf: FPDF) -> bytes:
    """`pdf.output()`, with the embedded font subsets taken from the cache when they can, the
    streams that repeat from document to document compressed once, every stream compressed
    at `STREAM_LEVEL`, and the file sealed (`exports.seal`: its keywords end with the seal's
    placeholder)."""
    return seal(_written(pdf))


def _written(pdf: FPDF) -> bytes:
    """The bytes of `_output` before the seal (see `exports.seal`)."""
    try:
        import fpdf.output as writer
        import fpdf.syntax as syntax

        real = writer.ftsubset  # type: ignore[attr-defined]  # fpdf2 does not export it
        real_zlib = syntax.zlib  # type: ignore[attr-defined]  # nor this
    except (ImportError, AttributeError):  # an fpdf2 upgrade moved it: no cache, same file
        return bytes(pdf.output())
    # The level on its own: an fpdf2 without it keeps the caches above (at its own level).
    stream = getattr(syntax, "PDFContentStream", None)
    real_level = getattr(stream, "_COMPRESSION_LEVEL", None)
    writer.ftsubset = _SubsetModule()  # type: ignore[attr-defined]
    syntax.zlib = _COMPRESSED_ONCE  # type: ignore[attr-defined,assignment]
    if real_level is not None:
        stream._COMPRESSION_LEVEL = STREAM_LEVEL  # type: ignore[union-attr]
    try:
        return bytes(pdf.output())
    finally:
        writer.ftsubset = real  # type: ignore[attr-defined]
        syntax.zlib = real_zlib  # type: ignore[attr-defined]
        if real_level is not None:
            stream._COMPRESSION_LEVEL = real_level  # type: ignore[union-attr]


_COMPRESSED_ONCE = _CompressedOnce(zlib)


def _add_font(pdf: FPDF, style: str, path: Path, fast: bool) -> None:
    """Register a font on `pdf`: from the per-process reduced copy (`fast`), or the full file.

    fpdf2 subsets the font object's fontTools tables in place when it writes the PDF, so each
    document gets its own TTFont (loaded lazily from bytes in memory) and its own subset map,
    while the width and glyph tables are shared read-only.

    The TTFonts are loaded with `recalcBBoxes=False`: the embedded subset then keeps the
    larger font's overall bounding box and maxima (valid upper bounds) instead of fontTools
    decompiling every glyph again to recount them, a fifth of the PDF's time."""
    key = f"{FAMILY.lower()}{style}"
    if fast:
        try:
            proto, data = _fast_font(style, path)
            font = copy.copy(proto)
            font.ttfont = ttLib.TTFont(
                io.BytesIO(data), recalcTimestamp=False, recalcBBoxes=False, lazy=True
            )
            font.ttfont._udviklingsdag_source = ("fast", style)
            font.i = len(pdf.fonts) + 1
            font.cw = proto.cw.copy()
            font.glyph_ids = dict(proto.glyph_ids)
            font.missing_glyphs = []
            font.biggest_size_pt = 0
            font.subset = SubsetMap(font)
            pdf.fonts[key] = font
            return
        except Exception:  # an fpdf2 upgrade changed its internals: take the sure path
            pdf.fonts.pop(key, None)
    pdf.add_font(FAMILY, style, str(path))
    _fallback_widths(cast(TTFFont, pdf.fonts[key]), style)


class _MaalplanPDF(FPDF):
    def __init__(self, title: str, reference: str, fast: bool = True) -> None:
        super().__init__(orientation="P", unit="mm", format="A4", enforce_compliance=COMPLIANCE)
        self._doc_title = title
        self._reference = reference
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=18)
        _add_font(self, "", FONT_REGULAR, fast)
        _add_font(self, "B", FONT_BOLD, fast)

    def output(self, *args: Any, **kwargs: Any) -> Any:
        # With the document information dictionary (title and the rest): see `_WithInfo`.
        kwargs.setdefault("output_producer_class", _producer())
        return super().output(*args, **kwargs)

    @property
    def missing_glyphs(self) -> bool:
        return any(getattr(f, "missing_glyphs", None) for f in self.fonts.values())

    def footer(self) -> None:  # called by fpdf2 for every page
        # Two lines, so a long title never runs into the page number.
        self.set_font(FAMILY, "", 7)
        self.set_text_color(*_GREY)
        self.set_xy(self.l_margin, -14)
        self.cell(0, 3.5, self._doc_title[:120], align=Align.L)
        self.set_xy(self.l_margin, -14)
        self.cell(0, 3.5, f"Side {self.page_no()} af {{nb}}", align=Align.R)
        self.set_xy(self.l_margin, -10.5)
        self.cell(0, 3.5, f"Reference: {self._reference}", align=Align.L)
        self.set_text_color(0, 0, 0)


# --- text and borders straight into the page ----------------------------------------------------
#
# A large plan has tens of thousands of table lines. fpdf2's `text()` and `rect()` each pass
# through decorators and checks and encode the text character by character; the functions
# below write the very same operators (byte for byte) with the per-character work cached per
# document. They take fpdf2's own path whenever anything unusual is set.

_STROKE = RenderStyle.coerce("D").operator
_FILL_STROKE = RenderStyle.coerce("DF").operator


class _Encoder(dict[int, str]):
    """Code point -> its escaped two-byte code in this document's font subset ('' when the
    font has no glyph), as fpdf2's `TTFFont.encode_text` makes it; a text is encoded with
    `text.translate(encoder)`. Characters are picked in the order they are first drawn, as
    fpdf2 picks them, so the subset numbering is the same."""

    def __init__(self, font: TTFFont) -> None:
        super().__init__()
        self.font = font

    def __missing__(self, char: int) -> str:
        code = self.font.subset.pick(char)
        out = "" if code is None else escape_parens(chr(code).encode("utf-16-be").decode("latin-1"))
        self[char] = out
        return out


def _plain_text_state(pdf: FPDF) -> bool:
    """Whether `text()` would write nothing but the text (and its colour) right now."""
    font = pdf.current_font
    return (
        isinstance(font, TTFFont)
        and font.type == "TTF"
        and not font.color_font
        and not font.is_symbol
        and pdf.text_mode == TextMode.FILL
        and not pdf.underline
        and not pdf.strikethrough
        and not pdf._record_text_quad_points
    )


def _text_wrap(pdf: FPDF) -> tuple[str, str]:
    """What `text()` writes around a text in the colours set now: its own colour in «q … Q»
    when that is not the fill colour. fpdf2's colours are frozen objects, so the answer is kept
    for the two objects it was made of (a large report asks for it 140,000 times, and comparing
    and writing the colours each time was a third of the text's time)."""
    fill, color = pdf.fill_color, pdf.text_color
    kept = pdf.__dict__.get("_udviklingsdag_text_wrap")
    if kept is not None and kept[0] is fill and kept[1] is color:
        return kept[2], kept[3]
    if fill != color and color is not None:
        head, tail = f"q {color.serialize().lower()} BT ", " ET Q"
    else:
        head, tail = "BT ", " ET"
    pdf.__dict__["_udviklingsdag_text_wrap"] = (fill, color, head, tail)
    return head, tail


def _text_ops(pdf: FPDF, items: list[tuple[float, float, str]], out: list[str]) -> None:
    """Append to `out` what `pdf.text(x, y, text)` writes for each item (fonts and colours as
    they are now; the font must already be set on the page)."""
    font = cast(TTFFont, pdf.current_font)  # `_plain_text_state` holds
    encoders: dict[int, _Encoder] = pdf.__dict__.setdefault("_udviklingsdag_encoders", {})
    enc = encoders.get(id(font))
    if enc is None or enc.font is not font:
        enc = encoders[id(font)] = _Encoder(font)
    k, h = pdf.k, pdf.h
    head, tail = _text_wrap(pdf)
    routed = _routed(font)
    for x, y, text in items:
        if not text.isascii() and not routed.isdisjoint(map(ord, text)):
            _mixed_ops(pdf, font, (x, y, text), routed, (head, tail), out)
            continue
        if not pdf.current_font_is_set_on_page:  # after a line that ended in the fallback
            out.append(pdf._set_font_for_page(font, pdf.font_size_pt))
        out.append(f"{head}{x * k:.2f} {(h - y) * k:.2f} Td ({text.translate(enc)}) Tj{tail}")


# Where the page total goes in a text written by `_draw_with_page_total`, until fpdf2 knows
# it: zero bytes, which no encoded text holds four of in a row (code 0 is the .notdef glyph,
# never given to a character).
_TOTAL_MARK = "\x00\x00\x00\x00sider\x00\x00\x00\x00"


class _PageTotal:
    """The page total of a text written by `_draw_with_page_total`, for fpdf2's substitution
    of the total when the document is written (what it does for «{nb}» in a cell)."""

    def __init__(self, encoder: dict[int, str]) -> None:
        self._encoder = encoder

    def get_placeholder_string(self) -> str:
        return _TOTAL_MARK

    def render_text_substitution(self, total: str) -> str:
        return total.translate(self._encoder)


def _draw_with_page_total(pdf: FPDF, x: float, y: float, text: str) -> bool:
    """`text` with the page total after it, left-aligned with its baseline at (x, y), in the
    current font and colour: a footer's «Side 12 af 2921» without a `cell` for every page.
    False (nothing written) when the text is not plain (`_plain_text_state`) or needs the
    fallback font: then use `cell` with «{nb}»."""
    if not _plain_text_state(pdf) or not pdf.str_alias_nb_pages or not text.isascii():
        return False
    font = cast(TTFFont, pdf.current_font)  # `_plain_text_state` holds
    out: list[str] = []
    if not pdf.current_font_is_set_on_page:
        out.append(pdf._set_font_for_page(font, pdf.font_size_pt))
    _text_ops(pdf, [(x, y, text)], out)
    head, tj, tail = out[-1].rpartition(") Tj")
    out[-1] = f"{head}{_TOTAL_MARK}{tj}{tail}"
    encoders: dict[int, _Encoder] = pdf.__dict__["_udviklingsdag_encoders"]
    total = _PageTotal(encoders[id(font)])
    pdf.pages[pdf.page].add_text_substitution(cast(TotalPagesSubstitutionFragment, total))
    pdf._out("\n".join(out))
    return True


def _routed(font: TTFFont) -> frozenset[int]:
    """The characters drawn with the fallback font instead of `font` (a style of DejaVu)."""
    return _coverage().routed["B" if font.fontkey.endswith("b") else ""]


def _advance(font: TTFFont, run: str, size: float, k: float) -> float:
    return sum(map(font.cw.__getitem__, map(ord, run))) * size / 1000 / k


def _mixed_ops(
    pdf: FPDF,
    font: TTFFont,
    item: tuple[float, float, str],
    routed: frozenset[int],
    wrap: tuple[str, str],
    out: list[str],
) -> None:
    """A line with characters of the fallback font, a run at a time, each where the one before
    it ends: what `_text_routed` makes fpdf2 write (the font chosen before each run's text)."""
    encoders: dict[int, _Encoder] = pdf.__dict__["_udviklingsdag_encoders"]
    fallback = _fallback_font(pdf)
    size = pdf.font_size_pt
    k, h = pdf.k, pdf.h
    x, y, text = item
    head, tail = wrap
    main_set = pdf.current_font_is_set_on_page
    for in_fallback, run in _runs(text, routed):
        use = fallback if in_fallback else font
        enc = encoders.get(id(use))
        if enc is None or enc.font is not use:
            enc = encoders[id(use)] = _Encoder(use)
        if in_fallback:
            out.append(pdf._set_font_for_page(fallback, size))
            main_set = False
        elif not main_set:
            out.append(pdf._set_font_for_page(font, size))
            main_set = True
        shown = run.translate(enc)
        out.append(f"{head}{x * k:.2f} {(h - y) * k:.2f} Td ({shown}) Tj{tail}")
        x += _advance(use, run, size, k)
    pdf.current_font_is_set_on_page = main_set


def _text_routed(pdf: FPDF, x: float, y: float, text: str) -> None:
    """`pdf.text(x, y, text)`, with the characters DejaVu lacks in the fallback font."""
    font = cast(TTFFont, pdf.current_font)
    routed = _routed(font)
    if text.isascii() or routed.isdisjoint(map(ord, text)):
        pdf.text(x, y, text)
        return
    family, style, size = pdf.font_family, pdf.font_style, pdf.font_size_pt
    fallback = _fallback_font(pdf)
    for in_fallback, run in _runs(text, routed):
        if in_fallback:
            pdf.set_font(FALLBACK_FAMILY, "", size)
        else:
            pdf.set_font(family, style, size)
        pdf.text(x, y, run)
        x += _advance(fallback if in_fallback else font, run, size, pdf.k)
    pdf.set_font(family, style, size)


def _draw_text(pdf: FPDF, items: list[tuple[float, float, str]]) -> None:
    """`pdf.text(x, y, text)` for each item, in the current font and colour."""
    if not items:
        return
    if not _plain_text_state(pdf):
        for x, y, text in items:
            _text_routed(pdf, x, y, text)
        return
    out: list[str] = []
    if not pdf.current_font_is_set_on_page:
        font = cast(TTFFont, pdf.current_font)  # `_plain_text_state` holds
        out.append(pdf._set_font_for_page(font, pdf.font_size_pt))
    _text_ops(pdf, items, out)
    pdf._out("\n".join(out))


_FAMILY_KEY = FAMILY.lower()


def _use_font(pdf: FPDF, style: str, size: float) -> None:
    """`pdf.set_font(FAMILY, style, size)`, skipped when that is the font already (what
    fpdf2 then does too, after normalising its arguments: tens of thousands of table rows and
    lines ask for the font they have)."""
    font = pdf.current_font
    if (
        font is None
        or pdf.font_size_pt != size
        or pdf.font_style != style
        or pdf.font_family != _FAMILY_KEY
        or pdf.underline
        or pdf.strikethrough
        or font.fontkey != _FAMILY_KEY + style
    ):
        pdf.set_font(FAMILY, style, size)


def _lines(
    pdf: FPDF,
    text: str,
    *,
    size: float,
    style: str = "",
    line: float | None = None,
    width: float | None = None,
    x: float | None = None,
) -> None:
    """Wrapped text from the current position down (see `wrap_text` for why not multi_cell)."""
    line = line or size * 0.45
    x = pdf.l_margin if x is None else x
    width = width or (pdf.w - pdf.r_margin - x)
    _use_font(pdf, style, size)
    for text_line in wrap_text(pdf, text, width, style, size):
        if pdf.get_y() + line > pdf.h - pdf.b_margin:
            pdf.add_page()
        y = pdf.get_y()
        if text_line:
            _draw_text(pdf, [(x, y + line * 0.78, text_line)])
        pdf.set_y(y + line)


def _heading(pdf: FPDF, text: str, size: float, space: float = 3) -> None:
    # Keep a heading together with at least a few lines of what follows it.
    if pdf.get_y() > pdf.h - pdf.b_margin - 30:
        pdf.add_page()
    pdf.ln(space)
    _lines(pdf, text, size=size, style="B", line=size * 0.5)
    pdf.ln(1)


def _note(pdf: FPDF, text: str, size: float = 9) -> None:
    pdf.set_text_color(*_GREY)
    _lines(pdf, text, size=size, line=size * 0.48)
    pdf.set_text_color(0, 0, 0)


_TABLE_SIZE = 8.0  # pt
_LINE = 3.6  # mm between baselines in tables
_PAD_X, _PAD_Y = 1.2, 1.0


def _text_width(pdf: FPDF, text: str, style: str, size: float = _TABLE_SIZE) -> float:
    """Width in mm of `text` (plain sums over the font's width table)."""
    cw = cast(TTFFont, pdf.fonts[f"{FAMILY.lower()}{style}"]).cw
    return text_mm(cw, text, size, pdf.k)


def text_mm(widths: Mapping[int, float], text: str, size: float, k: float) -> float:
    """Width of `text` at `size` pt with a font's `widths` (code point -> thousandths of an em),
    in the unit of which `k` points make one (mm for our documents)."""
    return sum(map(widths.__getitem__, map(ord, text))) * size / 1000 / k


def _word_units(pdf: FPDF, style: str) -> dict[str, float]:
    """This document's cache of word widths in font units for one font, whatever the size
    (words repeat a lot, and a poster tries its text at several sizes)."""
    caches: dict[str, dict[str, float]] = pdf.__dict__.setdefault("_udviklingsdag_units", {})
    return caches.setdefault(style, {})


def wrap_text(
    pdf: FPDF, text: str, width: float, style: str = "", size: float = _TABLE_SIZE
) -> list[str]:
    """Greedy word wrap of `text` to lines no wider than `width` mm (long words are split).

    fpdf2's own multi_cell measures a line again for every character it adds, which made a
    100-plan export take minutes; tables are laid out here instead."""
    widths = cast(TTFFont, pdf.fonts[f"{FAMILY.lower()}{style}"]).cw
    return wrap_units(text, width, widths, size, pdf.k, _word_units(pdf, style))


def wrap_units(
    text: str,
    width: float,
    widths: Mapping[int, float],
    size: float,
    k: float,
    known: dict[str, float],
) -> list[str]:
    """`wrap_text` with the font's `widths` (code point -> thousandths of an em), the points
    per unit `k`, and a cache of word widths in font units (`known`) given: also for pages
    written without fpdf2 (`exports.page_pdf`)."""

    def measure(piece: str) -> float:
        return text_mm(widths, piece, size, k)

    lines: list[str] = []
    space = widths[32] * size / 1000 / k  # `measure(" ")`
    for para in text.split("\n"):
        words = para.split(" ")
        line, line_w = "", 0.0
        for word in words:
            units = known.get(word)
            if units is None:
                units = known[word] = sum(map(widths.__getitem__, map(ord, word)))
            w = units * size / 1000 / k
            if line and line_w + space + w <= width:
                line += " " + word
                line_w += space + w
                continue
            if line:
                lines.append(line)
            if w <= width:
                line, line_w = word, w
                continue
            # A word wider than the column (a URL, a long compound): split it after its
            # hyphens and slashes where it has them, else by characters.
            chunk, chunk_w = "", 0.0
            for piece in _break_points(word):
                pw = measure(piece)
                if chunk and chunk_w + pw <= width:
                    chunk += piece
                    chunk_w += pw
                    continue
                if chunk:
                    lines.append(chunk)
                chunk, chunk_w = "", 0.0
                if pw <= width:
                    chunk, chunk_w = piece, pw
                    continue
                for ch in piece:
                    cw = measure(ch)
                    if chunk and chunk_w + cw > width:
                        lines.append(chunk)
                        chunk, chunk_w = "", 0.0
                    chunk += ch
                    chunk_w += cw
            line, line_w = chunk, chunk_w
        lines.append(line)
    return lines or [""]


# A date as the documents write it: never broken at its hyphens.
_DATE_RE = re.compile(r"\d{1,2}-\d{1,2}-\d{4}")
_BREAK_AFTER = re.compile(r"[^-/]+[-/]*|[-/]+")


def _break_points(word: str) -> list[str]:
    """A long word in the pieces it may be broken between: after each hyphen or slash
    («Arbejdsmiljø-» «repræsentant», «www.eksempel.dk/» «side»), never inside a date."""
    if _DATE_RE.fullmatch(word.strip(",.;:()")):
        return [word]
    return _BREAK_AFTER.findall(word) or [word]


def _draw_row(
    pdf: FPDF, cells: list[list[str]], widths: list[float], height: float, style: str, fill: bool
) -> None:
    x, y = pdf.l_margin, pdf.get_y()
    _use_font(pdf, style, _TABLE_SIZE)
    if fill:
        pdf.set_fill_color(*_HEAD_FILL)
    if not _plain_text_state(pdf):
        for lines, w in zip(cells, widths, strict=True):
            pdf.rect(x, y, w, height, style="DF" if fill else "D")
            for i, line in enumerate(lines):
                if line:
                    _text_routed(pdf, x + _PAD_X, y + _PAD_Y + _LINE * i + _LINE * 0.78, line)
            x += w
        pdf.set_y(y + height)
        return
    # What the loop above writes, in one piece: per cell its border (as `rect`), the font
    # when it is not yet set on the page (before the first text, as `text` does), its lines.
    k, page_h = pdf.k, pdf.h
    op = _FILL_STROKE if fill else _STROKE
    out: list[str] = []
    for lines, w in zip(cells, widths, strict=True):
        out.append(f"{x * k:.2f} {(page_h - y) * k:.2f} {w * k:.2f} {-height * k:.2f} re {op}")
        items = [
            (x + _PAD_X, y + _PAD_Y + _LINE * i + _LINE * 0.78, line)
            for i, line in enumerate(lines)
            if line
        ]
        if items:
            if not pdf.current_font_is_set_on_page:
                font = cast(TTFFont, pdf.current_font)  # ours, set by the caller
                out.append(pdf._set_font_for_page(font, pdf.font_size_pt))
            _text_ops(pdf, items, out)
        x += w
    pdf._out("\n".join(out))
    pdf.set_y(y + height)


def _table(pdf: FPDF, headers: list[str], rows: list[list[str]], widths: list[float]) -> None:
    """A bordered table with a shaded header row that repeats after every page break."""
    pdf.set_draw_color(150, 150, 150)
    pdf.set_line_width(0.2)
    inner = [w - 2 * _PAD_X for w in widths]

    def layout(values: list[str], style: str) -> list[list[str]]:
        return [wrap_text(pdf, v, w, style) for v, w in zip(values, inner, strict=True)]

    def height(cells: list[list[str]]) -> float:
        return max(len(c) for c in cells) * _LINE + 2 * _PAD_Y

    head = layout(headers, "B")
    head_h = height(head)
    bottom = pdf.h - pdf.b_margin
    first = layout(rows[0], "") if rows else head
    if pdf.get_y() + head_h + min(height(first), 25) > bottom:
        pdf.add_page()
    _draw_row(pdf, head, widths, head_h, "B", True)
    for values in rows:
        cells = layout(values, "")
        while cells:
            room = int((bottom - pdf.get_y() - 2 * _PAD_Y) // _LINE)
            tallest = max(len(c) for c in cells)
            if tallest > room and room < 3:
                pdf.add_page()
                _draw_row(pdf, head, widths, head_h, "B", True)
                continue
            # A row taller than what is left of the page continues on the next one.
            take = min(tallest, room)
            part = [c[:take] for c in cells]
            _draw_row(pdf, part, widths, height(part), "", False)
            rest = [c[take:] for c in cells]
            cells = rest if any(rest) else []
            if cells:
                pdf.add_page()
                _draw_row(pdf, head, widths, head_h, "B", True)
    pdf.ln(2)


def maalplan_pdf(
    view: MaalplanView, ref: Reference, qr_png: bytes, *, when: date, app_version: str = ""
) -> bytes:
    """The målplan of one plan as PDF/A-2b bytes."""
    pdf = _render(view, ref, qr_png, when, app_version, fast=True)
    if pdf.missing_glyphs:
        # Text outside the reduced font (rare scripts, emoji): use all of DejaVu Sans.
        pdf = _render(view, ref, qr_png, when, app_version, fast=False)
    else:
        _embed_from_common(pdf)
    return _output(pdf)


def _render(
    view: MaalplanView, ref: Reference, qr_png: bytes, when: date, app_version: str, *, fast: bool
) -> _MaalplanPDF:
    pdf = _MaalplanPDF(_t(view.titel), ref.text, fast)
    pdf.set_title(_t(view.titel))
    pdf.set_subject(f"Målplan {view.aar or ''} for {_t(view.enhed_navn)}".replace("  ", " "))
    pdf.set_author(_t(view.ansvarlig or "udviklingsdag"))
    pdf.set_creator(f"udviklingsdag {app_version}".strip())
    pdf.set_producer("udviklingsdag (fpdf2)")
    # verify reads the reference from the (uncompressed) XMP metadata: pdf:Keywords.
    pdf.set_keywords(f"målplan {ref.text} {SEAL_PLACEHOLDER}")
    pdf.set_lang("da-DK")
    pdf.set_creation_date(datetime.combine(when, time(12, 0)).astimezone())
    pdf.add_page()

    qr_size = 34
    qr_x = pdf.w - pdf.r_margin - qr_size
    top = pdf.get_y()
    pdf.image(io.BytesIO(qr_png), x=qr_x, y=top, w=qr_size, h=qr_size)
    pdf.set_font(FAMILY, "", 6)
    pdf.set_text_color(*_GREY)
    pdf.set_xy(qr_x, top + qr_size)
    pdf.cell(qr_size, 3, f"Reference {ref.short}", align=Align.C)
    pdf.set_text_color(0, 0, 0)

    text_w = qr_x - pdf.l_margin - 4
    pdf.set_xy(pdf.l_margin, top)
    _lines(pdf, _t(view.titel), size=17, style="B", line=8, width=text_w)
    pdf.ln(2)
    for label, value in content.header_facts(view, when, plan_a_label="Plan A", with_status=False):
        pdf.set_font(FAMILY, "B", 9)
        pdf.text(pdf.l_margin, pdf.get_y() + 4.6 * 0.78, f"{label}:")
        _lines(pdf, _t(value), size=9, line=4.6, width=text_w - 28, x=pdf.l_margin + 28)
    pdf.set_y(max(pdf.get_y(), top + qr_size + 5))
    _note(pdf, content.counts_sentence(view))
    if not view.maal:
        _note(pdf, content.NO_MAAL)

    full = pdf.epw - 0.1  # a hair less: fpdf2 refuses a table a rounding error too wide
    for group in view.maalsaetninger:
        _heading(pdf, content.maalsaetning_heading(group, _t), 13, 5)
        if kilde := content.kilde_line(group):
            _note(pdf, kilde)
        for m in group.maal:
            _heading(pdf, content.maal_heading(m, _t), 11)
            if facts := content.maal_facts(m, _t):
                _note(pdf, facts)
            for sec in content.maal_sections(m, _t, _period):
                _heading(pdf, sec.heading, 10, 2)
                if sec.rows:
                    _table(
                        pdf, list(sec.headers), sec.rows, _scale(COLUMN_WIDTHS_MM[sec.key], full)
                    )
                else:
                    _note(pdf, sec.empty)
                if sec.key == "tegn":
                    for block in content.maaling_blocks(m, _t):
                        _maaling_block(pdf, block, full)
    if plan_laering := content.plan_laering_section(view, _t):
        _heading(pdf, plan_laering.heading, 13, 5)
        widths = _scale(COLUMN_WIDTHS_MM[plan_laering.key], full)
        _table(pdf, list(plan_laering.headers), plan_laering.rows, widths)
    return pdf


def _maaling_block(pdf: FPDF, block: content.MaalingBlock, full: float) -> None:
    """A tegn's målinger: heading, summary, the run chart as vector graphics (never split over
    two pages: it starts on a new page when it does not fit) and the observations' table."""
    bottom = pdf.h - pdf.b_margin
    chart = charts.layout(block.chart, full, numbers=block.numbers) if block.chart else None
    # The heading, the summary and the chart (or the table's first rows) together.
    need = 14 + (chart.height if chart else 20)
    if pdf.get_y() + need > bottom:
        pdf.add_page()
    _heading(pdf, block.heading, 10, 2)
    _note(pdf, block.summary)
    if chart is not None:
        if pdf.get_y() + chart.height > bottom:
            pdf.add_page()
        top = pdf.get_y() + 1
        charts.draw_pdf(pdf, chart, pdf.l_margin, top, FAMILY, lambda items: _draw_text(pdf, items))
        pdf.set_y(top + chart.height + 2)
    if block.table is not None:
        widths = _scale(COLUMN_WIDTHS_MM["maaling"], full)
        _table(pdf, list(block.table.headers), block.table.rows, widths)


def _scale(widths: list[float], full: float) -> list[float]:
    # Widths are given in mm for A4 portrait (174 mm between the margins) and chosen so the
    # longest header word and «Samskabelsesniveau» fit on one line.
    total = sum(widths)
    return [w * full / total for w in widths]


def warm_fonts() -> None:
    """Prepare the embedded fonts now (worker processes call this before their first job)."""
    _coverage()
    for style, path in (("", FONT_REGULAR), ("B", FONT_BOLD)):
        _fast_font(style, path)
        _common_font(style, path)
    charts.text_width("0", 7)  # the run charts measure their labels with the same font
