"""QR codes carrying a målplan's reference, as PNG bytes for documents."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import qrcode
from PIL import Image
from qrcode import util
from qrcode.constants import ERROR_CORRECT_M

from .reference import Reference

_BLACK = b"\x00"
_WHITE = b"\xff"


@lru_cache(maxsize=256)
def qr_png(payload: str, box_size: int = 8, border: int = 4) -> bytes:
    """A black-on-white, one bit a pixel PNG (no transparency, so it is allowed in PDF/A) of a
    QR code.

    Error correction M survives a smudged or creased printout; the quiet zone `border` is the
    four modules scanners need. The mask is the one the QR standard's penalty rules choose,
    the same one qrcode's `make(fit=True)` picks (`best_mask`). The picture is made from the
    module matrix in one go (qrcode's own image draws it module by module) and kept at one bit
    a pixel: half the bytes of a greyscale PNG, a third of the time to compress, and fpdf2 puts
    it in a PDF as a fax-coded bilevel image instead of decoding and compressing it again."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=border)
    qr.add_data(payload)
    qr.best_fit(start=qr.version)
    qr.makeImpl(False, best_mask(qr))
    buf = io.BytesIO()
    # Level 9 without Pillow's optimize pass, which only repeats the compression here.
    qr_image(qr.modules, box_size, border).save(buf, format="PNG", compress_level=9)
    return buf.getvalue()


# --- the mask: the penalty rules of ISO/IEC 18004 as qrcode counts them ------------------------
#
# qrcode tries each of the eight masks by placing the data bit by bit and scoring the matrix
# module by module: three quarters of a poster's QR code. Here the data is placed once (with
# mask 0, by qrcode) and taken off again; each mask is then laid over it, and the matrix scored,
# as one integer of n*n bits (row r in bits r*n to r*n+n-1), with its transpose for the columns.


class _Layout(qrcode.QRCode):  # type: ignore[type-arg]  # generic only in the stubs
    """A QR code of one version that records which modules hold data: what is still empty when
    qrcode starts placing the data (finder, timing and alignment patterns, format and version
    information are in place by then)."""

    free: list[list[bool]]

    def map_data(self, data: Sequence[int], mask_pattern: int) -> None:
        self.free = [[m is None for m in row] for row in self.modules]


def _matrix(rows: Sequence[Sequence[bool | None]]) -> tuple[int, int]:
    """A square matrix as bits (row by row, a row's first module highest), and its transpose."""
    text = ["".join("1" if m else "0" for m in row) for row in rows]
    columns = ["".join(c) for c in zip(*text, strict=True)]
    return int("".join(reversed(text)), 2), int("".join(reversed(columns)), 2)


def _where(n: int, ok: Callable[[int], bool]) -> int:
    """The bits of an n*n matrix whose place in their row passes `ok`, in every row."""
    row = sum(1 << k for k in range(n) if ok(k))
    return sum(row << (r * n) for r in range(n))


@dataclass(frozen=True)
class _Grid:
    """What the penalty of a `version` QR code needs, made once per version."""

    n: int
    free: tuple[int, int]  # the data modules (matrix, transpose)
    masks: tuple[tuple[int, int], ...]  # each mask's pattern (matrix, transpose)
    pairs: int  # a module with a right-hand neighbour in its row
    blocks: int  # a module with neighbours to the right, below and below right
    windows: int  # a module from which eleven fit in its row

    @staticmethod
    @cache
    def of(version: int) -> _Grid:
        layout = _Layout(version=version, error_correction=ERROR_CORRECT_M)
        layout.data_cache = []  # nothing is placed here
        layout.makeImpl(True, 0)
        n = layout.modules_count
        masks = tuple(
            _matrix([[f(r, c) for c in range(n)] for r in range(n)])
            for f in (util.mask_func(k) for k in range(8))
        )
        pairs = _where(n, lambda k: k < n - 1)
        return _Grid(
            n=n,
            free=_matrix(layout.free),
            masks=masks,
            pairs=pairs,
            blocks=pairs & ((1 << (n * (n - 1))) - 1),
            windows=_where(n, lambda k: k <= n - 11),
        )


# The 1:1:3:1:1 finder-like pattern with four light modules after it, in a window of eleven
# (lowest bit first): its mirror image is the same pattern with the light modules before it.
_FINDER = 0b00001011101
_FINDER_BITS = tuple((_FINDER >> i) & 1 for i in range(11))


def _runs_and_finders(m: int, g: _Grid) -> int:
    """Rules 1 and 3 along the rows of `m`: 3 + (length - 5) for every run of five or more
    alike, 40 for every finder-like pattern either way round."""
    alike = ~(m ^ (m >> 1)) & g.pairs  # a module the same as the next one in its row
    five = alike & (alike >> 1) & (alike >> 2) & (alike >> 3)  # ... and the next four too
    points = five.bit_count() + 2 * (five & ~(five << 1)).bit_count()
    light = ~m
    for pattern in (_FINDER_BITS, _FINDER_BITS[::-1]):
        found = g.windows
        for i, dark in enumerate(pattern):
            found &= (m if dark else light) >> i
        points += 40 * found.bit_count()
    return points


def _penalty(m: int, t: int, g: _Grid) -> int:
    """qrcode's `util.lost_point` of the matrix `m` (`t` its transpose)."""
    n = g.n
    points = _runs_and_finders(m, g) + _runs_and_finders(t, g)
    # Rule 2: three points for every 2x2 block of one colour.
    below = m >> n
    same = ~(m ^ (m >> 1)) & ~(below ^ (below >> 1)) & ~(m ^ below) & g.blocks
    points += 3 * same.bit_count()
    # Rule 4: ten points for every full 5 % the dark modules are away from half.
    return points + int(abs(float(m.bit_count()) / (n**2) * 100 - 50) / 5) * 10


def best_mask(qr: qrcode.QRCode) -> int:  # type: ignore[type-arg]
    """The mask qrcode's `best_mask_pattern` chooses for `qr` (its version fitted): the lowest
    penalty, the first of equals."""
    g = _Grid.of(qr.version)
    qr.makeImpl(True, 0)
    placed = _matrix(qr.modules)
    # The matrix with the data bare: mask 0 taken off the data modules.
    bare = [placed[i] ^ (g.masks[0][i] & g.free[i]) for i in (0, 1)]
    scores = [
        _penalty(bare[0] ^ (mask[0] & g.free[0]), bare[1] ^ (mask[1] & g.free[1]), g)
        for mask in g.masks
    ]
    return scores.index(min(scores))


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
