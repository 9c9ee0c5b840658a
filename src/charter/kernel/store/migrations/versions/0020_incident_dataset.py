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
    # no batch copy on SQLite: it would reflect the systems table, whose expression index
    # (0014) SQLite's reflection cannot read; SQLite adds a column with its reference inline
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE incidents ADD COLUMN dataset_id VARCHAR(40) "
            f"CONSTRAINT {FK} REFERENCES datasets (id)"
        )
    else:
        op.add_column("incidents", sa.Column("dataset_id", sa.String(length=40), nullable=True))
        op.create_foreign_key(op.f(FK), "incidents", "datasets", ["dataset_id"], ["id"])
    op.create_index(op.f("ix_incidents_dataset_id"), "incidents", ["dataset_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_incidents_dataset_id"), table_name="incidents")
    if op.get_bind().dialect.name != "sqlite":  # SQLite drops the column's reference with it
        op.drop_constraint(op.f(FK), "incidents", "foreignkey")
    op.drop_column("incidents", "dataset_id")
