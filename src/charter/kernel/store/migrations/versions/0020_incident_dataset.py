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


FK = "fk_incidents_dataset_id_datasets"


def upgrade() -> None:
    # no batch copy: it would reflect the systems table, whose expression index (0014)
    # SQLite's reflection cannot read. SQLite takes the reference inline in ADD COLUMN.
    if op.get_bind().dialect.name == "sqlite":
        target = sa.ForeignKey("datasets.id", name=op.f(FK))
        op.add_column(
            "incidents", sa.Column("dataset_id", sa.String(40), target), inline_references=True
        )
    else:
        op.add_column("incidents", sa.Column("dataset_id", sa.String(40), nullable=True))
        op.create_foreign_key(op.f(FK), "incidents", "datasets", ["dataset_id"], ["id"])
    op.create_index(op.f("ix_incidents_dataset_id"), "incidents", ["dataset_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_incidents_dataset_id"), table_name="incidents")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f(FK), "incidents", type_="foreignkey")
    op.drop_column("incidents", "dataset_id")  # plain DROP COLUMN (SQLite 3.35+)
