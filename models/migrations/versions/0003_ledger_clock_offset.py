"""Importjournal: the clock offset of the laptop that wrote each file

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("import_ledger", schema=None) as batch_op:
        batch_op.add_column(sa.Column("clock_offset", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("import_ledger", schema=None) as batch_op:
        batch_op.drop_column("clock_offset")
