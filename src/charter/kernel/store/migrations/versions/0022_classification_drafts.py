"""The EU AI Act questionnaire in the web UI (issue 23): the answers given so far to a
system's questionnaire, kept between visits (one draft per system).

Revision ID: 0022
Revises: 0021
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

ID = sa.String(length=40)
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "classification_drafts",
        sa.Column("id", ID, nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("started_at", WHEN, nullable=False),
        sa.Column("started_by", ID, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("updated_by", ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["id"], ["systems.id"], name=op.f("fk_classification_drafts_id_systems")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_classification_drafts")),
    )


def downgrade() -> None:
    op.drop_table("classification_drafts")
