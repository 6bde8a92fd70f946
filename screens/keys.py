"""The keys: every binding of the app by its id, and the user's keymap file that remaps them.

A keymap is Textual's (`App.set_keymap`): binding id -> keys. The file is `keymap.toml` in the
user's config folder; the app never writes it. A bad file is reported in Danish and the
default keys stay; a name the app does not know is reported and the rest still applies."""

from __future__ import annotations

import importlib
import pkgutil
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.binding import Binding, BindingType
from textual.dom import DOMNode

from models.visible import visible
from screens import texts
from screens.keymap_file import KEYMAP_FILE as KEYMAP_FILE
from screens.keymap_file import keymap_path as keymap_path

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel


def _bindings_of(node_class: type) -> Iterable[Binding]:
    for binding in node_class.__dict__.get("BINDINGS", []):
        if isinstance(binding, Binding):
            yield binding


def declared_bindings(extra: Iterable[BindingType] = ()) -> list[tuple[str, Binding]]:
    """(where, binding) for every binding declared by the screens and widgets of this package
    and in `extra` (the App's own), in the order of their modules. Imports every screen
    module."""
    import screens

    out = [("App", b) for b in extra if isinstance(b, Binding)]
    for module_info in sorted(pkgutil.iter_modules(screens.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"screens.{module_info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, DOMNode)
                and value.__module__ == module.__name__
            ):
                out.extend((value.__qualname__, b) for b in _bindings_of(value))
    return out


def all_bindings(extra: Iterable[BindingType] = ()) -> list[Binding]:
    """Every binding with an id (see `declared_bindings`), each id once."""
    seen: dict[str, Binding] = {}
    for _where, binding in declared_bindings(extra):
        if binding.id:
            seen.setdefault(binding.id, binding)
    return list(seen.values())


def with_shift(keys: str) -> str:
    """The keys with the capital of every single letter added: Shift+K (and Caps Lock) does
    what K does."""
    out: list[str] = []
    for key in (k.strip() for k in keys.split(",")):
        if key and key not in out:
            out.append(key)
        if len(key) == 1 and key.isalpha() and key.islower() and key.upper() not in out:
            out.append(key.upper())
    return ",".join(out)


@dataclass(frozen=True, slots=True)
class KeymapRead:
    """What the keymap file gave: the keymap to apply (empty: the default keys), why the file
    could not be used (None: it could), and the names in it the app does not know."""

    keymap: dict[str, str]
    problem: str | None = None
    unknown: tuple[str, ...] = ()

    def messages(self, path: Path) -> list[tuple[SeverityLevel, str]]:
        """(severity, Danish message) for the user; none when all is well."""
        out: list[tuple[SeverityLevel, str]] = []
        where = visible(str(path))
        if self.problem is not None:
            out.append(("error", texts.KEYMAP_BAD.format(path=where, reason=self.problem)))
        if self.unknown:
            names = ", ".join(f"«{visible(n)}»" for n in self.unknown)
            out.append(("warning", texts.KEYMAP_UNKNOWN.format(path=where, names=names)))
        return out


def _flatten(table: Mapping[str, Any], prefix: str = "") -> Iterable[tuple[str, Any]]:
    # `maal.qr = "f8"` without quotes is a table `maal` with a key `qr` in TOML: both spellings
    # mean the binding «maal.qr».
    for name, value in table.items():
        full = f"{prefix}{name}"
        if isinstance(value, dict):
            yield from _flatten(value, full + ".")
        else:
            yield full, value


def _keys(value: Any) -> str | None:
    """A key string from the file's value («ctrl+k», «f8, ctrl+k» or a list), None if it
    is not one."""
    if isinstance(value, str):
        keys = [k.strip() for k in value.split(",")]
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        keys = [k.strip() for v in value for k in v.split(",")]
    else:
        return None
    if not keys or not all(keys) or any(" " in k for k in keys):
        return None
    # «F8», «Ctrl+K» as the help writes them; a single letter keeps its case.
    keys = [k if len(k) == 1 else k.lower() for k in keys]
    return with_shift(",".join(keys))


def parse_keymap(text: str, known: Iterable[str] | None = None) -> KeymapRead:
    """The keymap in a file's text. Anything wrong with the file as a whole (not TOML, a value
    that is not a key) gives no keymap at all. Names not in `known` are left out and reported
    (`known` None: every name is kept; see `unknown_names`)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib says what is wrong in English; where it is is enough for the user.
        where = re.search(r"line (\d+), column (\d+)", str(exc))
        if where is None:
            return KeymapRead({}, texts.KEYMAP_BAD_TOML_SOMEWHERE)
        line, column = where.groups()
        return KeymapRead({}, texts.KEYMAP_BAD_TOML.format(line=line, column=column))
    table = data.get("keymap", data)
    if not isinstance(table, dict):
        return KeymapRead({}, texts.KEYMAP_BAD_VALUE.format(name="keymap"))
    known_ids = None if known is None else set(known)
    keymap: dict[str, str] = {}
    unknown: list[str] = []
    for name, value in _flatten(table):
        keys = _keys(value)
        if keys is None:
            return KeymapRead({}, texts.KEYMAP_BAD_VALUE.format(name=visible(name, 60)))
        if known_ids is None or name in known_ids:
            keymap[name] = keys
        else:
            unknown.append(name)
    return KeymapRead(keymap, None, tuple(unknown))


def unknown_names(keymap: Mapping[str, str], extra: Iterable[BindingType] = ()) -> tuple[str, ...]:
    """The names in a keymap that no binding has (imports every screen module)."""
    known = {b.id for b in all_bindings(extra)}
    return tuple(name for name in keymap if name not in known)


def read_keymap(path: Path, known: Iterable[str] | None = None) -> KeymapRead | None:
    """The keymap file at `path`; None when there is none (the default keys)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except PermissionError:
        return KeymapRead({}, texts.KEYMAP_NO_ACCESS)
    except IsADirectoryError:
        return KeymapRead({}, texts.KEYMAP_FOLDER)
    except OSError:
        return KeymapRead({}, texts.KEYMAP_UNREADABLE)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return KeymapRead({}, texts.KEYMAP_NOT_UTF8)
    return parse_keymap(text, known)


_MODIFIERS = {"ctrl": "Ctrl", "shift": "Shift", "alt": "Alt", "meta": "Meta", "super": "Super"}
_KEY_WORDS = {
    "escape": "Esc",
    "space": "Mellemrum",
    "enter": "Enter",
    "tab": "Tab",
    "insert": "Insert",
    "delete": "Delete",
    "backspace": "Backspace",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "home": "Home",
    "end": "End",
}


def key_label(key: str) -> str:
    """A key as it is printed on the keyboard, in the words the help uses: «ctrl+z» is
    «Ctrl+Z», «question_mark» «?», «escape» «Esc», «space» «Mellemrum», «f1» «F1»."""
    from textual.keys import format_key, key_to_character

    *modifiers, base = key.split("+")
    if base in _KEY_WORDS:
        name = _KEY_WORDS[base]
    elif re.fullmatch(r"f\d{1,2}", base):
        name = base.upper()
    else:
        char = key_to_character(base) or format_key(base)
        name = char.upper() if len(char) == 1 and char.isprintable() and char != " " else base
    return "+".join([*(_MODIFIERS.get(m, m) for m in modifiers), name])


def _key_cell(key: str) -> str:
    """A key in F1's table: as printed on the keyboard, and as the keymap file writes it
    when that is another word («?» (`question_mark`))."""
    shown = key_label(key)
    return shown if shown.lower() == key else f"{shown} (`{key}`)"


def keymap_help(extra: Iterable[BindingType] = (), keymap: Mapping[str, str] | None = None) -> str:
    """F1's section on the keymap file: where it is, an example, and every binding's name
    with its keys now (after the user's keymap) and what it does."""
    rows = [texts.HELP_KEYMAP.format(path=keymap_path())]
    for binding in all_bindings(extra):
        assert binding.id is not None
        keys = (keymap or {}).get(binding.id, binding.key)
        shown = ", ".join(
            _key_cell(k.strip()) for k in keys.split(",") if not (len(k) == 1 and k.isupper())
        )
        what = binding.tooltip or binding.description
        cells = (binding.id, shown, what)
        rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |\n")
    return "".join(rows)
