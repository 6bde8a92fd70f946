"""Where the user's keymap file is (`screens.keys` reads it). Apart from `screens.keys` so that
the app's start can see there is no file without loading the keymap reader (tomllib, and the
walk over every screen's bindings); `screens.keys` re-exports both names."""

from __future__ import annotations

from pathlib import Path

from models.paths import APP_NAME

KEYMAP_FILE = "keymap.toml"


def keymap_path() -> Path:
    """The user's keymap file (in the config folder; not created here)."""
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False)) / KEYMAP_FILE
