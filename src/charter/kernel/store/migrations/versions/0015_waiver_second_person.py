"""Four eyes on waivers: a waiver the decision rights say needs a second person is in effect
only once someone other than its granter confirms it. Waivers granted before this migration
need none.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "waivers",
        sa.Column("needs_second", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("waivers", sa.Column("second_by", sa.String(length=40)))
    op.add_column("waivers", sa.Column("second_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    # plain DROP COLUMN (SQLite 3.35+): a batch copy would reflect the systems table, whose
    # expression index (0018) SQLite's reflection cannot read
    for column in ("second_at", "second_by", "needs_second"):
        op.drop_column("waivers", column)
