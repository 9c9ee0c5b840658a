"""An incident may name the dataset it concerns (issue 26 item 3): a serious one puts the
evidence of every system downstream of that dataset under review.

Revision ID: 0020
Revises: 0019
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dataset_id", sa.String(length=40), nullable=True))
        batch_op.create_index(batch_op.f("ix_incidents_dataset_id"), ["dataset_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_incidents_dataset_id_datasets"), "datasets", ["dataset_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_incidents_dataset_id_datasets"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_incidents_dataset_id"))
        batch_op.drop_column("dataset_id")
