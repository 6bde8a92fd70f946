"""Possible partners on the mål: `maal.mulige_partnere`

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 13:00:00

Issue 14: the names in FØR's «Mulige samarbejdspartnere» (found on the lederdag) are a field of
the mål, free text with one name a line, and no longer samarbejder. Samarbejder already made
from such names by an older import are left as they are: they cannot be told from a real
samarbejde that is not filled in yet.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("maal", sa.Column("mulige_partnere", sa.Text(), nullable=True))


def downgrade() -> None:
    # A plain ALTER TABLE ... DROP COLUMN (SQLite 3.35 and later): batch mode would copy the
    # table, which the foreign keys of tegn, prøvehandling and samarbejde refuse.
    op.drop_column("maal", "mulige_partnere")
