"""QR codes carrying a målplan's reference, as PNG bytes for documents."""

from __future__ import annotations

import struct
import zlib
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from operator import itemgetter
from typing import Any

import qrcode
from qrcode import base, util
from qrcode.constants import ERROR_CORRECT_M
from qrcode.exceptions import DataOverflowError

from .reference import Reference

_EXP, _LOG = base.EXP_TABLE, base.LOG_TABLE


@lru_cache(maxsize=256)
def qr_png(payload: str, box_size: int = 8, border: int = 4) -> bytes:
    """A black-on-white, one bit a pixel PNG (no transparency, so it is allowed in PDF/A) of a
    QR code (`qr_modules`), with a quiet zone of `border` modules: the four scanners need.

    The picture is made from the module matrix in one go (qrcode's own image draws it module
    by module) and kept at one bit a pixel: half the bytes of a greyscale PNG, a third of the
    time to compress, and fpdf2 puts it in a PDF as a fax-coded bilevel image instead of
    decoding and compressing it again."""
    return bilevel_png(qr_modules(payload), box_size, border)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bilevel_png(modules: Sequence[Sequence[bool]], box_size: int, border: int) -> bytes:
    """A PNG of a module matrix: `box_size` pixels a module, dark modules black, `border`
    light modules around it. One bit a pixel, greyscale (0 is black); each row of pixels is
    packed into bytes behind its filter byte, a row of modules once, repeated `box_size` times.
    Written here instead of drawn with Pillow and saved with its encoder: 0.6 against 1.7 ms a
    poster's code (7 December, `tests/exports/test_qr.py` compares the pixels with qrcode's
    own picture). zlib's level 6: level 9 took three times as long to save a tenth of the
    bytes."""
    side = (len(modules) + 2 * border) * box_size
    pad = -side % 8  # the last byte of a row is filled up with light pixels
    light, dark = "1" * box_size, "0" * box_size
    cell = (light, dark)  # by the module's value
    edge = light * border

    def packed(cells: str) -> bytes:
        return b"\x00" + int(cells + "1" * pad, 2).to_bytes((side + pad) // 8, "big")

    quiet = packed("1" * side) * (border * box_size)
    rows = [quiet]
    for row in modules:
        rows.append(packed(edge + "".join(map(cell.__getitem__, row)) + edge) * box_size)
    rows.append(quiet)
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", zlib.compress(b"".join(rows), 6)),
            _chunk(b"IEND", b""),
        )
    )


@lru_cache(maxsize=256)
def qr_modules(payload: str) -> tuple[tuple[bool, ...], ...]:
    """The module matrix of a QR code of `payload` (True: dark), without its quiet zone.

    Error correction M survives a smudged or creased printout. The mask is the one the QR
    standard's penalty rules choose, the same one qrcode's `make(fit=True)` picks
    (`best_mask`)."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M)
    qr.add_data(payload)
    _fit(qr)
    qr.data_cache = _codewords(qr.version, qr.error_correction, qr.data_list)
    bare, mask = best_mask(qr)
    # The chosen mask laid over the data, and the patterns with the format (and version)
    # information for that mask where no data is.
    g = _Grid.of(qr.version)
    n = g.n
    code = ((bare ^ g.masks[mask][0]) & g.free[0]) | g.information[mask]
    bits = format(code, f"0{n * n}b")  # the last row first
    dark = "1".__eq__
    return tuple(tuple(map(dark, bits[(n - 1 - r) * n : (n - r) * n])) for r in range(n))


# --- the codewords: qrcode's, with its bit buffer as one integer -------------------------------
#
# qrcode collects the data bit by bit in a list (a call per bit), and computes the error
# correction with polynomial objects; half of a poster's QR code. Here the bits go into one
# integer and the error correction is the usual shift register over the field's log tables: the
# same codewords (`tests/exports/test_qr.py` compares the modules with qrcode's own).


class _Bits:
    """qrcode's `util.BitBuffer` as one integer: what `QRData.write` needs of it."""

    def __init__(self) -> None:
        self.value = 0
        self.length = 0

    def put(self, num: int, length: int) -> None:
        self.value = (self.value << length) | (num & ((1 << length) - 1))
        self.length += length

    def __len__(self) -> int:
        return self.length


def _fit(qr: qrcode.QRCode) -> None:  # type: ignore[type-arg]
    """qrcode's `best_fit`: the smallest version the data fits in."""
    start = 1
    while True:
        sizes = util.mode_sizes_for_version(start)
        bits = _Bits()
        for data in qr.data_list:
            bits.put(data.mode, 4)
            bits.put(len(data), sizes[data.mode])
            data.write(bits)  # type: ignore[arg-type]  # `_Bits` has what `write` uses
        version = bisect_left(util.BIT_LIMIT_TABLE[qr.error_correction], len(bits), start)
        if version == 41:
            raise DataOverflowError()
        if sizes is util.mode_sizes_for_version(version):
            qr.version = version
            return
        start = version


@cache
def _generator_logs(count: int) -> tuple[int, ...]:
    """The logs of the error correction generator's coefficients after its leading 1."""
    poly = [1]
    for i in range(count):  # (x - a^0)(x - a^1)...: qrcode's rsPoly
        out = [0] * (len(poly) + 1)
        for j, c in enumerate(poly):
            out[j] ^= c
            if c:
                out[j + 1] ^= _EXP[(_LOG[c] + i) % 255]
        poly = out
    return tuple(_LOG[c] for c in poly[1:])


@cache
def _multiples(count: int) -> tuple[int, ...]:
    """The generator's coefficients after its leading 1 times each byte value, each as one
    integer of `count` bytes (the first coefficient highest)."""
    logs = _generator_logs(count)
    out = [0]
    for factor in range(1, 256):
        lf = _LOG[factor]
        out.append(int.from_bytes(bytes(_EXP[(lf + g) % 255] for g in logs), "big"))
    return tuple(out)


def _remainder(data: Sequence[int], count: int) -> list[int]:
    """The `count` error correction codewords of a block of `data` codewords: the usual shift
    register, its `count` bytes held in one integer (a shift and an exclusive or a codeword)."""
    multiples = _multiples(count)
    top = 8 * (count - 1)
    keep = (1 << top) - 1
    rem = 0
    for d in data:
        rem = ((rem & keep) << 8) ^ multiples[d ^ (rem >> top)]
    return list(rem.to_bytes(count, "big"))


def _codewords(version: int, error_correction: int, data_list: Sequence[Any]) -> list[int]:
    """qrcode's `util.create_data`: the data and error correction codewords, interleaved."""
    bits = _Bits()
    for data in data_list:
        bits.put(data.mode, 4)
        bits.put(len(data), util.length_in_bits(data.mode, version))
        data.write(bits)
    blocks = base.rs_blocks(version, error_correction)
    limit = sum(block.data_count * 8 for block in blocks)
    if len(bits) > limit:
        raise DataOverflowError()
    bits.put(0, min(limit - len(bits), 4))  # the terminator
    if len(bits) % 8:
        bits.put(0, 8 - len(bits) % 8)
    for i in range((limit - len(bits)) // 8):
        bits.put(util.PAD0 if i % 2 == 0 else util.PAD1, 8)
    words = bits.value.to_bytes(len(bits) // 8, "big")
    data_blocks: list[bytes] = []
    ec_blocks: list[list[int]] = []
    offset = 0
    for block in blocks:
        chunk = words[offset : offset + block.data_count]
        offset += block.data_count
        data_blocks.append(chunk)
        ec_blocks.append(_remainder(chunk, block.total_count - block.data_count))
    out: list[int] = []
    for group in (data_blocks, ec_blocks):
        for i in range(max(len(b) for b in group)):
            out.extend(b[i] for b in group if i < len(b))
    return out


# --- the mask: the penalty rules of ISO/IEC 18004 as qrcode counts them ------------------------
#
# qrcode tries each of the eight masks by placing the data bit by bit and scoring the matrix
# module by module: three quarters of a poster's QR code. Here the data is placed once, unmasked,
# in the order qrcode's `map_data` places it (worked out once per version, `_placement`, and
# applied to the whole bit string at once, `_Grid.placed`); each mask is then laid over it, and
# the matrix scored, as one integer of n*n bits (row r in bits r*n to r*n+n-1), with its
# transpose for the columns. The code's patterns, format and version information for the
# chosen mask come from qrcode too, made once per version and mask (`_Grid.information`).


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
    # Where the data goes: the bits of `_matrix`'s two strings, taken from the data's bits
    # followed by «0» and «1» (`place`); the patterns, the format and the version information
    # of the code with each mask (the modules that hold no data, `information`).
    data_bits: int
    place: tuple[Callable[[str], tuple[str, ...]], Callable[[str], tuple[str, ...]]]
    information: tuple[int, ...]

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
        free = _matrix(layout.free)
        data_bits = 8 * sum(b.total_count for b in base.rs_blocks(version, ERROR_CORRECT_M))
        # Each module's source in the data's bits + «01»: the k-th data module placed takes
        # the k-th bit (the remainder bits after the data are light), the others stay as the
        # test layout qrcode scores the masks on has them (format information light).
        source = [[data_bits + bool(m) for m in row] for row in layout.modules]
        for k, (r, c) in enumerate(_placement(layout.free)):
            source[r][c] = min(k, data_bits)
        rows, cols = range(n - 1, -1, -1), range(n)
        place = (
            itemgetter(*(source[r][c] for r in rows for c in cols)),
            itemgetter(*(source[r][c] for c in rows for r in cols)),
        )
        fixed = ((1 << (n * n)) - 1) ^ free[0]
        information = []
        for mask in range(8):
            full = qrcode.QRCode(version=version, error_correction=ERROR_CORRECT_M)
            full.data_cache = []
            full.makeImpl(False, mask)
            information.append(_matrix(full.modules)[0] & fixed)
        return _Grid(
            n=n,
            free=free,
            masks=masks,
            pairs=pairs,
            blocks=pairs & ((1 << (n * (n - 1))) - 1),
            windows=_where(n, lambda k: k <= n - 11),
            data_bits=data_bits,
            place=place,
            information=tuple(information),
        )

    def placed(self, data: Sequence[int]) -> tuple[int, int]:
        """The test layout with `data` (the codewords) placed, unmasked: matrix, transpose."""
        stream = format(int.from_bytes(bytes(data), "big"), f"0{len(data) * 8}b")
        stream = stream[: self.data_bits].ljust(self.data_bits, "0") + "01"
        return (int("".join(self.place[0](stream)), 2), int("".join(self.place[1](stream)), 2))


def _placement(free: Sequence[Sequence[bool]]) -> list[tuple[int, int]]:
    """The data modules in the order qrcode's `map_data` fills them: two columns at a time
    from the right, up and down in turn, the timing column skipped."""
    n = len(free)
    order: list[tuple[int, int]] = []
    inc, row = -1, n - 1
    for right in range(n - 1, 0, -2):
        col = right - 1 if right <= 6 else right
        while True:
            order.extend((row, c) for c in (col, col - 1) if free[row][c])
            row += inc
            if row < 0 or n <= row:
                row -= inc
                inc = -inc
                break
    return order


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


def best_mask(qr: qrcode.QRCode) -> tuple[int, int]:  # type: ignore[type-arg]
    """The matrix of `qr` (its version fitted) with its data placed but not masked (as bits,
    see `_matrix`; the format information blank), and the mask qrcode's `best_mask_pattern`
    chooses for it: the lowest penalty of the eight laid over it, the first of equals."""
    g = _Grid.of(qr.version)
    if qr.data_cache is None:
        qr.data_cache = _codewords(qr.version, qr.error_correction, qr.data_list)
    bare = g.placed(qr.data_cache)
    scores = [
        _penalty(bare[0] ^ (mask[0] & g.free[0]), bare[1] ^ (mask[1] & g.free[1]), g)
        for mask in g.masks
    ]
    return bare[0], scores.index(min(scores))


def reference_qr_png(ref: Reference) -> bytes:
    """The QR code for a målplan reference (with its link when one is configured)."""
    return qr_png(ref.qr_payload)
