"""Where a handoff file can go: likely USB sticks first, and the check that a folder exists.
Kept out of the screens, which never touch files themselves."""

from __future__ import annotations

import getpass
import os
import string
import sys
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
    if sys.platform == "win32":
        for letter in string.ascii_uppercase[3:]:  # D: and on; C: is the laptop itself
            drive = Path(f"{letter}:\\")
            if drive.exists():
                found.append(drive)
    return [p for p in found if p.name not in ("", user)]


def default_handoff_folder() -> Path:
    """A USB stick if one is mounted, otherwise the user's home folder."""
    sticks = removable_folders()
    return sticks[0] if sticks else Path.home()


def browse_root() -> Path:
    """Where the folder browser starts: the place USB sticks appear, or the home folder."""
    for root in (Path("/media"), Path("/run/media"), Path("/Volumes")):
        if root.is_dir() and any(root.iterdir()):
            return root
    return Path.home()


def check_folder(folder: str) -> Path:
    """The folder as a path; a Danish `ValidationError` when it does not exist or is a file."""
    path = Path(os.path.expanduser(folder.strip() or "."))
    if not path.is_dir():
        raise ValidationError(
            f"Mappen «{path}» findes ikke. Vælg en mappe, der findes (sæt USB-stikket i).",
            field="Mappe",
        )
    return path
