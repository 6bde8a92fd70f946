"""Text that came from data or files, made safe to show in a terminal.

A value typed on another laptop, a device name in a manifest, a cell of a workbook or the name of
an unknown field in a refused file can hold control characters: ESC starts a terminal escape
sequence (clear the screen, move the cursor, set the window title), C1 controls do the same on
some terminals, and bidi overrides reorder the text the tovholder reads. Every CLI line and every
widget that shows such text passes it through `visible` first, which replaces each of them with a
visible placeholder instead of dropping it, so the reader sees that something odd was there.
(`screens.widgets.plain` and `visible_markup` build on it for widgets; this module needs neither
Textual nor Rich.)
"""

from __future__ import annotations

import re
from typing import Any

# C0 controls, DEL, C1 controls; the bidi embeddings, overrides and isolates (U+202A-U+202E,
# U+2066-U+2069), the Arabic letter mark (U+061C), the line and paragraph separators
# (U+2028/U+2029, which some terminals treat as new lines) and the BOM / zero-width no-break
# space (U+FEFF). And lone surrogates (a file name the system could not decode, a "\\udc80"
# in JSON): no terminal can show them, and writing one raises UnicodeEncodeError.
# Beyond the C0 controls (a regex character-class body): also what `tui.cli.safe_json_text`
# escapes in JSON output, where `json.dumps` has escaped the C0 controls already.
UNSAFE_BEYOND_C0 = r"\x7f-\x9f\u061c\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff"
_UNSAFE = re.compile(rf"[\x00-\x1f{UNSAFE_BEYOND_C0}]")
_UNSAFE_MULTILINE = re.compile(rf"[\x00-\x08\x0b-\x1f{UNSAFE_BEYOND_C0}]")
_ELLIPSIS = "…"


def _placeholder(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        # The Unicode control pictures: ESC is shown as ␛, NUL as ␀, a tab as ␉ ...
        return chr(0x2400 + code)
    if code == 0x7F:
        return "␡"
    return f"⟨U+{code:04X}⟩"


def visible(value: Any, limit: int | None = None, *, multiline: bool = False) -> str:
    """`value` as text with every control character shown as a visible placeholder.

    With `multiline`, new lines and tabs are kept (for a note shown in a text area or a
    paragraph); otherwise they are shown as ␊ and ␉ too. With `limit`, the text (before the
    placeholders) is cut to that many characters and ends with «…»."""
    text = value if isinstance(value, str) else str(value)
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)] + _ELLIPSIS
    pattern = _UNSAFE_MULTILINE if multiline else _UNSAFE
    if multiline:
        text = text.replace("\r\n", "\n")
    return pattern.sub(_placeholder, text)


def is_clean(text: str, *, multiline: bool = False) -> bool:
    """True when `visible` would show `text` unchanged (no control characters in it)."""
    pattern = _UNSAFE_MULTILINE if multiline else _UNSAFE
    return pattern.search(text) is None
