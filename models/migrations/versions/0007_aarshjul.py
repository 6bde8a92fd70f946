"""The year around the days: lederdag borde, prøvehandling status, målinger and læring

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 17:00:00

Issue 15: a bord on a lederdag works on målsætninger (`bord.maalsaetning_ids`); a
prøvehandling has a status and the date it changed; a tegn has målinger (a number or an
observation, dated, with source and who); a prøvehandling or a målplan has dated læring. Rows
that exist keep what they hold: their prøvehandlinger are «planlagt» and borde have no
målsætninger until someone says otherwise.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _fk(column: str, table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{table}.id"], initially="DEFERRED", deferrable=True)


def upgrade() -> None:
    op.add_column(
        "proevehandling",
        sa.Column("status", sa.String(), nullable=False, server_default="planlagt"),
    )
    op.add_column("proevehandling", sa.Column("status_dato", sa.Date(), nullable=True))
    op.add_column(
        "bord", sa.Column("maalsaetning_ids", sa.JSON(), nullable=False, server_default="[]")
    )
    op.create_table(
        "maaling",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("tegn_id", sa.String(length=36), nullable=True),
        sa.Column("dato", sa.Date(), nullable=True),
        sa.Column("vaerdi", sa.Float(), nullable=True),
        sa.Column("observation", sa.Text(), nullable=True),
        sa.Column("kilde", sa.String(), nullable=True),
        sa.Column("hvem", sa.String(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        _fk("tegn_id", "tegn"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_maaling_tegn_id"), "maaling", ["tegn_id"], unique=False)
    op.create_table(
        "laering",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("maalplan_id", sa.String(length=36), nullable=True),
        sa.Column("proevehandling_id", sa.String(length=36), nullable=True),
        sa.Column("dato", sa.Date(), nullable=True),
        sa.Column("tekst", sa.Text(), nullable=False),
        sa.Column("hvem", sa.String(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        _fk("maalplan_id", "maalplan"),
        _fk("proevehandling_id", "proevehandling"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_laering_maalplan_id"), "laering", ["maalplan_id"], unique=False)
    op.create_index(
        op.f("ix_laering_proevehandling_id"), "laering", ["proevehandling_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_laering_proevehandling_id"), table_name="laering")
    op.drop_index(op.f("ix_laering_maalplan_id"), table_name="laering")
    op.drop_table("laering")
    op.drop_index(op.f("ix_maaling_tegn_id"), table_name="maaling")
    op.drop_table("maaling")
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35 and later), as in 0006.
    op.drop_column("bord", "maalsaetning_ids")
    op.drop_column("proevehandling", "status_dato")
    op.drop_column("proevehandling", "status")
