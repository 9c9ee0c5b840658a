"""Evidence says where its data came from (issue 21 follow-up c): computed by the server from
its data folder, from an uploaded file, or in the caller's own process. Evidence recorded
before keeps NULL (not recorded).

Revision ID: 0021
Revises: 0020
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN (no batch copy: evidence references systems, whose expression index
    # SQLite's reflection cannot read)
    op.add_column("evidence", sa.Column("provenance", sa.String(20), nullable=True))


def downgrade() -> None:
    op.drop_column("evidence", "provenance")  # plain DROP COLUMN (SQLite 3.35+)
