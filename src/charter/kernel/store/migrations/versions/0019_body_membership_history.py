"""Body membership history: taking a member off a body ends their membership (an end date)
instead of deleting it, so past meetings keep naming who was a member then; a person may be
appointed again later (one current membership per body and person).

Revision ID: 0019
Revises: 0018
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

CURRENT = sa.text("until IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("body_members") as batch:
        batch.add_column(sa.Column("until", sa.DateTime(timezone=True), nullable=True))
        batch.drop_constraint("uq_body_members_body_person", type_="unique")
    op.create_index(
        "uq_body_members_current", "body_members", ["body_id", "person_id"], unique=True,
        sqlite_where=CURRENT, postgresql_where=CURRENT,
    )  # fmt: skip


def downgrade() -> None:
    op.drop_index("uq_body_members_current", table_name="body_members")
    op.execute("DELETE FROM body_members WHERE until IS NOT NULL")  # ended: no place before
    with op.batch_alter_table("body_members") as batch:
        batch.drop_column("until")
        batch.create_unique_constraint("uq_body_members_body_person", ["body_id", "person_id"])
