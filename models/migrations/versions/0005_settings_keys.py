"""Settings keys in one style: dotted, `area.name`

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-08 09:00:00

Issue 12: the `meta` table's keys were spelled four ways (`tema`, `valgt_dag`, `timer:<id>`,
`sbsys.sagid.<id>`). They are now declared once, in `models.settings`, all dotted. This
renames the older keys in an existing database; the SBSYS and export keys were dotted already.
The renames are written out here (not read from `models.settings`) so that the migration stays
what it was when later versions rename again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

RENAMES = (
    ("tema", "app.theme"),
    ("valgt_dag", "home.udviklingsdag"),
    ("valgt_bord", "home.bord"),
    ("baerbar_navngivet", "device.named"),
    ("created_at", "database.created_at"),
)


def _rename(old: str, new: str) -> None:
    conn = op.get_bind()
    # A key written under the new name by a newer build wins over the old one.
    conn.execute(
        sa.text(
            "DELETE FROM meta WHERE key = :old AND EXISTS (SELECT 1 FROM meta m WHERE m.key = :new)"
        ),
        {"old": old, "new": new},
    )
    conn.execute(sa.text("UPDATE meta SET key = :new WHERE key = :old"), {"old": old, "new": new})


def _rename_prefix(old: str, new: str) -> None:
    conn = op.get_bind()
    keys = conn.execute(
        sa.text("SELECT key FROM meta WHERE substr(key, 1, :n) = :old"),
        {"n": len(old), "old": old},
    ).scalars()
    for key in list(keys):
        _rename(key, new + key[len(old) :])


def upgrade() -> None:
    for old, new in RENAMES:
        _rename(old, new)
    _rename_prefix("timer:", "timer.")


def downgrade() -> None:
    for old, new in RENAMES:
        _rename(new, old)
    _rename_prefix("timer.", "timer:")
