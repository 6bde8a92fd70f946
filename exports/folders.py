"""Where a handoff file can go: likely USB sticks first, and the check that a folder exists.
Kept out of the screens, which never touch files themselves."""

from __future__ import annotations

import getpass
import os
import string
import sys
from collections.abc import Callable
from pathlib import Path

from models.errors import ValidationError


def removable_folders() -> list[Path]:
    """Mounted removable drives (USB sticks) this system shows, most likely first."""
    found: list[Path] = []
    try:
        user = getpass.getuser()
    except Exception:  # no user name in a container or service: look in the shared places
        user = ""
    roots = [Path("/media") / user, Path("/run/media") / user, Path("/media"), Path("/Volumes")]
    for root in roots:
        try:
            found.extend(p for p in sorted(root.iterdir()) if p.is_dir() and p not in found)
        except OSError:
            continue
    found = [p for p in found if p.name not in ("", user)]
    if sys.platform == "win32":
        # After the filter: a drive's root has no name (PureWindowsPath("E:\\").name == "").
        found.extend(Path(drive) for drive in windows_drives())
    return found


def windows_drives(exists: Callable[[str], bool] = os.path.isdir) -> list[str]:
    """The roots of the drives after C: that are there (`D:\\`, `E:\\` ...): on Windows, where
    a USB stick appears. `exists` asks the system (a test gives its own)."""
    # From D: on; C: is the laptop itself.
    return [f"{letter}:\\" for letter in string.ascii_uppercase[3:] if exists(f"{letter}:\\")]


def default_handoff_folder() -> Path:
    """A USB stick if one is mounted, otherwise the user's home folder."""
    sticks = removable_folders()
    return sticks[0] if sticks else Path.home()


def browse_root() -> Path:
    """Where the folder browser starts: the place USB sticks appear, or the home folder."""
    if sys.platform == "win32":
        drives = windows_drives()
        return Path(drives[0]) if drives else Path.home()
    for root in (Path("/media"), Path("/run/media"), Path("/Volumes")):
        if root.is_dir() and any(root.iterdir()):
            return root
    return Path.home()


def check_folder(folder: str) -> Path:
    """The folder as a path; a Danish `ValidationError` when it does not exist or is a file.
    Quotes around it are dropped (Windows Explorer's «Copy as path» adds them)."""
    text = folder.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1].strip()
    path = Path(os.path.expanduser(text or "."))
    if not path.is_dir():
        raise ValidationError(
            f"Mappen «{path}» findes ikke. Vælg en mappe, der findes (sæt USB-stikket i).",
            field="Mappe",
        )
    return path
