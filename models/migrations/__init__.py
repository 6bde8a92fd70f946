"""Alembic migrations, run programmatically by `models.db.open_database`."""

from pathlib import Path

SCRIPT_LOCATION = str(Path(__file__).parent)
# The newest revision. A test checks that it equals Alembic's head, so opening a current
# database can check its revision without importing Alembic.
HEAD_REVISION = "0008"
