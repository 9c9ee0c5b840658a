"""System names unique whatever their case: "Credit Scoring" and "credit scoring" are one
name. An existing database that holds such a pair stops here, naming it, before any change:
rename one (`charter systems update ID --name ...`) and migrate again.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    clashes = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT lower(name), count(*) FROM systems GROUP BY lower(name) HAVING count(*) > 1"
            )
        )
        .all()
    )
    if clashes:
        names = ", ".join(repr(name) for name, _ in clashes)
        raise RuntimeError(
            f"system names that differ only in case: {names}; rename all but one of each "
            "before upgrading"
        )
    op.create_index("uq_systems_name_folded", "systems", [sa.text("lower(name)")], unique=True)


def downgrade() -> None:
    op.drop_index("uq_systems_name_folded", table_name="systems")
