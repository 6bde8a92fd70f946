"""Where data lives: the user's data folder (platformdirs), overridable by flag and environment."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "udviklingsdag"
ENV_DB = "UDVIKLINGSDAG_DB"


def data_dir() -> Path:
    """The app's own data folder (not created here)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    return data_dir() / "udviklingsdag.db"


def resolve_db(cli_value: str | None = None, environ: dict[str, str] | None = None) -> str:
    """The database to use: `--db`, else $UDVIKLINGSDAG_DB, else the default file.
    Returns a file path or a database URL (postgresql://...)."""
    env = os.environ if environ is None else environ
    value = cli_value or env.get(ENV_DB) or str(default_db_path())
    return value


def is_url(target: str) -> bool:
    return "://" in target


def redact(target: str) -> str:
    """A database target fit for display: the password of a URL is replaced by ***."""
    if not is_url(target):
        return target
    from sqlalchemy.engine import make_url

    try:
        return make_url(target).render_as_string(hide_password=True)
    except Exception:
        return target.split("://", 1)[0] + "://***"
