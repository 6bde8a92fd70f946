"""Paths as Windows sees them, tested on any platform with `ntpath` (PureWindowsPath): names built
from plan, enhed and laptop names are valid Windows file names (no reserved device name such as
CON, AUX or COM1, no trailing dot or space, no drive or folder smuggled in), they fit under a
USB stick's drive letter, the stick's drive is offered, a path copied from Explorer (in quotes)
works, database paths are shown as typed, and an atomic write works without the folder fsync
that Windows cannot do."""

from __future__ import annotations

import os
import stat
import sys
import zipfile
from datetime import date
from pathlib import Path, PureWindowsPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pathvalidate import validate_filename

from exports import atomic, folders
from exports.bundle import SUFFIX, suggest_filename
from exports.naming import package_stem, safe_component
from exports.sbsys import ExportOptions, export_sbsys
from models.errors import ValidationError
from models.paths import resolve_db, shown_address

USB = PureWindowsPath("E:\\udviklingsdag")
# Windows' reserved device names (the digits include the superscripts ¹ ² ³, which Windows
# also treats as device numbers) and the console's own names.
RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    "conin$",
    "conout$",
    *(f"{port}{n}" for port in ("com", "lpt") for n in "0123456789¹²³"),
}
HOSTILE = [
    "CON",
    "Con",
    "PRN",
    "AUX",
    "Aux.",
    "aux .",
    "NUL",
    "nul.txt",
    "COM1",
    "com¹",
    "LPT1",
    "LPT1 ",
    " PRN . ",
    "CONIN$",
    "conout$.txt",
    "Bord 3.",
    "Bord 3 ",
    "Bord 3...",
    "..",
    ".",
    "E:\\Bord 3",
    "..\\..\\Windows\\System32",
    "C:",
    "a:b",
    "Skole/Hus",
    '"Solsikken"?*<>|',
    "\x00\x1b[31m",
    "",
]


def windows_problem(name: str) -> str | None:
    """Why `name` cannot be a file name on Windows, or None (checked without pathvalidate, so
    that these tests do not trust the library the code uses)."""
    if name in ("", ".", ".."):
        return "empty or a relative folder"
    if any(ch in '<>:"/\\|?*' or ord(ch) < 32 for ch in name):
        return "a reserved character"
    if name[-1] in " .":
        return "a trailing dot or space (Windows drops it)"
    if name.split(".")[0].rstrip(" ").casefold() in RESERVED:
        return "a reserved device name"
    if len(name) > 255:
        return "too long"
    return None


def assert_safe_on_usb_stick(name: str) -> None:
    assert windows_problem(name) is None, (name, windows_problem(name))
    validate_filename(name, platform="windows")
    path = USB / name
    # The name is one component under the folder: no drive, root or «..» gets in.
    assert path.parent == USB and path.name == name and path.drive == "E:"


@pytest.mark.parametrize("text", HOSTILE)
def test_name_parts_are_safe_windows_file_names(text):
    assert_safe_on_usb_stick(safe_component(text))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_text_gives_a_safe_windows_file_name(text):
    assert_safe_on_usb_stick(safe_component(text))


@pytest.mark.parametrize("titel", ["CON", "Aux.", "LPT1 ", "CONIN$", "..\\..\\x", "E:"])
def test_package_names_from_plan_titles_fit_on_the_stick(titel):
    stem = package_stem(titel, titel, date(2027, 1, 31))
    for name in (stem, f"{stem}.docx", f"{stem}.xlsx", f"{stem}.pdf", f"{stem}.zip"):
        assert_safe_on_usb_stick(name)
    # The package folder and its documents stay far below Windows' 260-character limit.
    assert len(str(USB / stem / f"{stem}_2.docx")) < 200


def test_export_of_plans_named_like_devices_writes_safe_names(store, tmp_path):
    with store.action() as tx:
        enhed = store.create("enhed", tx=tx, navn="Aux.", type="enhed")
        store.create("maalplan", tx=tx, enhed_id=enhed, aar=2027, titel="CON")
        store.create("maalplan", tx=tx, enhed_id=enhed, aar=2027, titel="con")
    result = export_sbsys(
        store.db, tmp_path / "ud", None, ExportOptions(when=date(2027, 1, 31), zip=True)
    )
    assert len(result.packages) == 2
    names = set()
    for package in result.packages:
        assert_safe_on_usb_stick(package.folder.name)
        names.add(package.folder.name.casefold())
        for path in package.files:
            assert_safe_on_usb_stick(path.name)
        assert package.zip_path is not None
        assert_safe_on_usb_stick(package.zip_path.name)
        with zipfile.ZipFile(package.zip_path) as zf:
            for member in zf.namelist():
                for part in member.split("/"):
                    assert_safe_on_usb_stick(part)
    assert len(names) == 2  # «CON» and «con» are one name on Windows: the second gets _2


@pytest.mark.parametrize(
    "device", ["CON", "Aux.", "Bord 3.", "Bord 3 - Jens", "E:\\Bord", "x" * 300, "  "]
)
def test_handoff_file_name_is_safe_and_keeps_its_suffix(store, device):
    store.db.device_name = device
    for kind in ("handoff", "pack"):
        name = suggest_filename(store, kind)
        assert_safe_on_usb_stick(name)
        # The consolidation screen finds handoff files by the suffix: never cut off.
        assert name.endswith(SUFFIX) and len(name) <= 100


def test_handoff_file_name_keeps_the_laptop_name(store):
    store.db.device_name = "Bord 3 Ærø"
    assert suggest_filename(store, "handoff").startswith("overlevering-Bord-3-Ærø-")


# --- the USB stick's drive ------------------------------------------------------------------------


def test_a_drive_root_has_no_name_on_windows():
    # Why the drives are added after the filter on names in `removable_folders`.
    assert PureWindowsPath("E:\\").name == ""


def test_windows_drives_after_c():
    present = {"C:\\", "E:\\", "F:\\"}
    assert folders.windows_drives(present.__contains__) == ["E:\\", "F:\\"]
    assert folders.windows_drives(lambda _root: False) == []


def test_the_usb_stick_is_offered_on_windows(monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(folders, "windows_drives", lambda: ["E:\\"])
    assert Path("E:\\") in folders.removable_folders()
    assert folders.default_handoff_folder() == folders.removable_folders()[0]
    assert folders.browse_root() == Path("E:\\")
    monkeypatch.setattr(folders, "windows_drives", lambda: [])
    assert folders.browse_root() == Path.home()


@pytest.mark.parametrize("quote", ['"', "'"])
def test_a_folder_copied_as_path_in_quotes_is_found(tmp_path, quote):
    stick = tmp_path / "Bord 3"
    stick.mkdir()
    assert folders.check_folder(f" {quote}{stick}{quote} ") == stick
    with pytest.raises(ValidationError):
        folders.check_folder(f'"{tmp_path / "findes ikke"}"')


# --- database paths -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "E:\\udviklingsdag\\Bord 3.db",
        "C:\\Users\\Åse Øster\\AppData\\Local\\udviklingsdag\\udviklingsdag.db",
        "\\\\fil01\\tovholder\\udviklingsdag.db",
    ],
)
def test_windows_database_paths_are_used_and_shown_as_typed(path):
    assert resolve_db(path, environ={}) == path
    assert resolve_db(None, environ={"UDVIKLINGSDAG_DB": path}) == path
    assert shown_address(path) == path


# --- the atomic write without a folder fsync -------------------------------------------


def _record_fsyncs(monkeypatch) -> list[bool]:
    """Make os.open refuse folders as Windows does, and record for each fsync whether it was
    a folder's."""
    synced: list[bool] = []
    real_fsync, real_open = os.fsync, os.open

    def fsync(fd):
        synced.append(stat.S_ISDIR(os.fstat(fd).st_mode))
        real_fsync(fd)

    def open_(path, flags, *args, **kwargs):
        if os.path.isdir(path):
            raise PermissionError(13, "Adgang nægtet", str(path))  # Windows: no folder handles
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(atomic.os, "fsync", fsync)
    monkeypatch.setattr(atomic.os, "open", open_)
    return synced


def test_atomic_write_on_windows_flushes_the_file_and_not_the_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic, "DIRECTORY_FSYNC", False)
    synced = _record_fsyncs(monkeypatch)
    target = tmp_path / "Bord 3.udviklingsdag.json"
    atomic.atomic_write(target, b"ny")
    atomic.atomic_write(target, b"nyere")  # replacing works as on Windows (os.replace)
    assert target.read_bytes() == b"nyere"
    assert synced == [False, False]  # the two files; no folder was opened
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temp file left


def test_atomic_write_on_posix_flushes_the_folder_too(tmp_path, monkeypatch):
    if os.name != "posix":
        pytest.skip("folders can be flushed on POSIX only")
    assert atomic.DIRECTORY_FSYNC
    synced: list[bool] = []
    real_fsync = os.fsync

    def fsync(fd):
        synced.append(stat.S_ISDIR(os.fstat(fd).st_mode))
        real_fsync(fd)

    monkeypatch.setattr(atomic.os, "fsync", fsync)
    atomic.atomic_write(tmp_path / "x.json", b"{}")
    assert synced == [False, True]
