"""The August status, Plan A posters and next year: assessments, Plan A texts, carried rows

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 18:00:00

Issue 16: a mål's assessment per year (`vurdering`: målopfyldelse, begrundelse, date, who), the
difference a workplace wants to make on each Plan A indicator of its målplan
(`plan_a_forskel`), and the link from a mål or a prøvehandling of next year's plan to the one
of this year's it carries on (`maal.fra_id`, `proevehandling.fra_id`). Rows that exist keep
what they hold.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _fk(column: str, table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{table}.id"], initially="DEFERRED", deferrable=True)


def _ref_column(table: str, column: str, target: str) -> None:
    # A reference added to a table that exists: on SQLite an inline REFERENCES clause (a new
    # column with a NULL default may carry one), on PostgreSQL a constraint; deferred, as all.
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        if column in {c["name"] for c in sa.inspect(bind).get_columns(table)}:
            # Kept by a downgrade (see there), with its REFERENCES clause: only the index.
            op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)
            return
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN {column} VARCHAR(36) "
            f"REFERENCES {target} (id) DEFERRABLE INITIALLY DEFERRED"
        )
    else:
        op.add_column(table, sa.Column(column, sa.String(length=36), nullable=True))
        op.create_foreign_key(
            f"fk_{table}_{column}_{target}",
            table,
            target,
            [column],
            ["id"],
            deferrable=True,
            initially="DEFERRED",
        )
    op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)


def upgrade() -> None:
    _ref_column("maal", "fra_id", "maal")
    _ref_column("proevehandling", "fra_id", "proevehandling")
    op.create_table(
        "vurdering",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("maal_id", sa.String(length=36), nullable=True),
        sa.Column("aar", sa.Integer(), nullable=True),
        sa.Column("maalopfyldelse", sa.String(), nullable=False),
        sa.Column("begrundelse", sa.Text(), nullable=True),
        sa.Column("dato", sa.Date(), nullable=True),
        sa.Column("hvem", sa.String(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        _fk("maal_id", "maal"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_vurdering_maal_id"), "vurdering", ["maal_id"], unique=False)
    op.create_table(
        "plan_a_forskel",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("maalplan_id", sa.String(length=36), nullable=True),
        sa.Column("indikator", sa.Integer(), nullable=True),
        sa.Column("forskel", sa.Text(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        _fk("maalplan_id", "maalplan"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_plan_a_forskel_maalplan_id"), "plan_a_forskel", ["maalplan_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_plan_a_forskel_maalplan_id"), table_name="plan_a_forskel")
    op.drop_table("plan_a_forskel")
    op.drop_index(op.f("ix_vurdering_maal_id"), table_name="vurdering")
    op.drop_table("vurdering")
    for table in ("proevehandling", "maal"):
        op.drop_index(op.f(f"ix_{table}_fra_id"), table_name=table)
        if op.get_bind().dialect.name == "sqlite":
            # SQLite cannot drop a column that has a foreign key, and copying the table is
            # refused by the tables that point at it: the column stays, empty to the older
            # version (which never writes it).
            continue
        op.drop_constraint(f"fk_{table}_fra_id_{table}", table, type_="foreignkey")
        op.drop_column(table, "fra_id")
