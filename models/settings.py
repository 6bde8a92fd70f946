"""The local settings: one typed entry per key kept in the `meta` table.

Settings are this database's own remembered choices and preferences (the chosen day, the
theme, the export folder, SBSYS metadata). They are not change-logged and never travel in a
bundle. Every key is spelled here once, in one style: dotted, lower-case ASCII,
`area.name`, and `area.name.<id>` for a family of settings kept per row (`SettingFamily`).

Read and write them through the workspace, typed:

    ws.setting(settings.THEME)                       # -> str
    ws.set_setting(settings.CHOSEN_BORD, bord_id)    # str | None; None removes the key
    ws.setting(settings.SBSYS_SAGID.of(maalplan_id)) # -> str | None

Migration 0005 renamed the older keys (`tema`, `valgt_dag`, `valgt_bord`,
`baerbar_navngivet`, `timer:<id>`, `created_at`) to these.

Standard library only: the home screen reads settings before SQLAlchemy has loaded
(`models.overview.quick_home`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

DARK_THEME, LIGHT_THEME = "textual-dark", "textual-light"


@dataclass(frozen=True, slots=True)
class Setting(Generic[T]):
    """One key of the `meta` table: its Python type is `T`.

    `parse` turns the stored text into a `T` (a `ValueError` means "not a value this version
    understands": the reader gets `default`); `format` turns a `T` into the text to store, or
    None to remove the key (so a removed key reads as `default`)."""

    key: str
    default: T
    parse: Callable[[str], T]
    format: Callable[[T], str | None]
    doc: str = ""

    def read(self, stored: str | None) -> T:
        """The typed value of the stored text (None: no such key)."""
        if stored is None:
            return self.default
        try:
            return self.parse(stored)
        except ValueError:
            return self.default


@dataclass(frozen=True, slots=True)
class SettingFamily(Generic[T]):
    """Settings kept per row, `prefix.<id>` (a plan's SagID, a day's timer)."""

    prefix: str
    default: T
    parse: Callable[[str], T]
    format: Callable[[T], str | None]
    doc: str = ""

    def of(self, row_id: str) -> Setting[T]:
        """The setting of one row."""
        return Setting(f"{self.prefix}.{row_id}", self.default, self.parse, self.format, self.doc)

    def owns(self, key: str) -> bool:
        """Whether `key` is one of this family's settings."""
        return key.startswith(self.prefix + ".")


def _text(value: str) -> str | None:
    return value or None


def _optional(value: str | None) -> str | None:
    return value if value else None


def _flag(value: str) -> bool:
    return value == "1"


def _flag_text(value: bool) -> str | None:
    return "1" if value else None


def _theme(value: str) -> str:
    if value not in (DARK_THEME, LIGHT_THEME):
        raise ValueError(value)
    return value


def _yes_no(value: str) -> bool:
    return value != "nej"


def _yes_no_text(value: bool) -> str | None:
    return "ja" if value else "nej"


def _same(value: str) -> str:
    return value


# --- the settings ---------------------------------------------------------------------------

THEME: Setting[str] = Setting(
    "app.theme", DARK_THEME, _theme, _same, "The Textual theme (Ctrl+T toggles dark/light)."
)
CHOSEN_UDVIKLINGSDAG: Setting[str | None] = Setting(
    "home.udviklingsdag", None, _text, _optional, "The udviklingsdag chosen on the home screen."
)
CHOSEN_BORD: Setting[str | None] = Setting(
    "home.bord", None, _text, _optional, "The bord chosen on the home screen."
)
DEVICE_NAMED: Setting[bool] = Setting(
    "device.named",
    False,
    _flag,
    _flag_text,
    "Whether this laptop has been named (the first start asks for a name once).",
)
TIMER: SettingFamily[str | None] = SettingFamily(
    "timer", None, _text, _optional, "The programme timer of one udviklingsdag, as JSON."
)
EXPORT_OUTDIR: Setting[str | None] = Setting(
    "export.outdir", None, _text, _optional, "The folder the last SBSYS export went to."
)
HANDOFF_OUTDIR: Setting[str | None] = Setting(
    "handoff.outdir",
    None,
    _text,
    _optional,
    "The folder the last handoff file (Afslut dagen) went to.",
)
IMPORT_FOLDER: Setting[str | None] = Setting(
    "import.folder",
    None,
    _text,
    _optional,
    "The folder the tovholder last imported handoff files from.",
)
VURDERET_AF: Setting[str | None] = Setting(
    "vurdering.hvem",
    None,
    _text,
    _optional,
    "Who set the last målopfyldelse on this laptop (the assessment form starts with it).",
)
EXPORT_QR_LINK_TEMPLATE: Setting[str | None] = Setting(
    "export.qr_link_template",
    None,
    _text,
    _optional,
    "The link a document's QR code points to, with {sagsnummer} and friends.",
)
SBSYS_DOKUMENTART: Setting[str | None] = Setting(
    "sbsys.dokumentart", None, _text, _optional, "The DokumentArt of every målplan's package."
)
SBSYS_DOKUMENTART_FOR: SettingFamily[str | None] = SettingFamily(
    "sbsys.dokumentart", None, _text, _optional, "One målplan's own DokumentArt."
)
SBSYS_AKTINDSIGT: Setting[bool] = Setting(
    "sbsys.omfattet_af_aktindsigt",
    True,
    _yes_no,
    _yes_no_text,
    "OmfattetAfAktindsigt of the packages («nej» stored: not covered).",
)
SBSYS_SAGID: SettingFamily[str | None] = SettingFamily(
    "sbsys.sagid", None, _text, _optional, "One målplan's SBSYS SagID."
)
REPORT_SAGSNUMMER: SettingFamily[str | None] = SettingFamily(
    "augustrapport.sagsnummer",
    None,
    _text,
    _optional,
    "The SBSYS case (sagsnummer) one year's August report is filed on.",
)
DATABASE_CREATED_AT: Setting[str | None] = Setting(
    "database.created_at",
    None,
    _text,
    _optional,
    "When this database was created (ISO time, written once).",
)

SETTINGS: tuple[Setting[str] | Setting[str | None] | Setting[bool], ...] = (
    THEME,
    CHOSEN_UDVIKLINGSDAG,
    CHOSEN_BORD,
    DEVICE_NAMED,
    EXPORT_OUTDIR,
    HANDOFF_OUTDIR,
    IMPORT_FOLDER,
    VURDERET_AF,
    EXPORT_QR_LINK_TEMPLATE,
    SBSYS_DOKUMENTART,
    SBSYS_AKTINDSIGT,
    DATABASE_CREATED_AT,
)
"""Every single setting."""

FAMILIES: tuple[SettingFamily[str | None], ...] = (
    TIMER,
    SBSYS_DOKUMENTART_FOR,
    SBSYS_SAGID,
    REPORT_SAGSNUMMER,
)
"""Every family of per-row settings."""

RENAMED: dict[str, str] = {
    "tema": THEME.key,
    "valgt_dag": CHOSEN_UDVIKLINGSDAG.key,
    "valgt_bord": CHOSEN_BORD.key,
    "baerbar_navngivet": DEVICE_NAMED.key,
    "created_at": DATABASE_CREATED_AT.key,
}
"""Keys before migration 0005 → their key now (and `timer:<id>` → `timer.<id>`)."""


def known(key: str) -> bool:
    """Whether `key` is a setting of this version (a single one or one of a family)."""
    return any(s.key == key for s in SETTINGS) or any(f.owns(key) for f in FAMILIES)
