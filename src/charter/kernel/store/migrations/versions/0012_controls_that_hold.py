"""Controls that cannot be bypassed (issue 21, items 2, 3, 4, 6 and 8): the RACI letters
taken off a system are kept, so that who built it stays a builder; an approval records the
applicability inputs it was given under (those given before count as they are); evidence
records its row count, a system its official suite, a document what superseded it; body
members their appointment date, meetings and decisions a late-entry reason, and a body's
decision stays open until the members minuted cast their own votes (those before: decided);
a meeting's frozen agenda says where each item belongs, so readers see only their units'.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "raci_removals",
        sa.Column("system_id", sa.String(40), sa.ForeignKey("systems.id"), primary_key=True),
        sa.Column("activity", sa.String(40), primary_key=True),
        sa.Column("person_id", sa.String(40), sa.ForeignKey("people.id"), primary_key=True),
        sa.Column("removed_at", sa.DateTime(timezone=True), primary_key=True),
        sa.Column("letter", sa.String(1), nullable=False),
        sa.Column("removed_by", sa.String(40), nullable=False),
    )
    op.add_column("approvals", sa.Column("inputs", sa.JSON(), nullable=True))
    op.add_column(
        "systems",
        sa.Column("official_suite", sa.String(200), nullable=False, server_default=""),
    )
    op.add_column("evidence", sa.Column("rows", sa.Integer(), nullable=True))
    op.add_column("documents", sa.Column("superseded_by", sa.String(40), nullable=True))
    op.add_column(
        "documents", sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("body_members", sa.Column("since", sa.DateTime(timezone=True), nullable=True))
    op.add_column("meetings", sa.Column("held_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "meetings", sa.Column("late_reason", sa.Text(), nullable=False, server_default="")
    )
    op.add_column(
        "meetings",
        sa.Column("agenda_scopes", sa.JSON(), nullable=False, server_default=sa.text("'[]'")),
    )
    decisions = (
        sa.Column("status", sa.String(10), nullable=False, server_default="decided"),
        sa.Column("cast_by", sa.JSON(), nullable=False, server_default=sa.text("'[]'")),
        sa.Column("late_reason", sa.Text(), nullable=False, server_default=""),
        sa.Column("terms", sa.JSON(), nullable=True),
    )
    for column in decisions:
        op.add_column("body_decisions", column)


def downgrade() -> None:
    with op.batch_alter_table("body_decisions") as batch:
        for name in ("terms", "late_reason", "cast_by", "status"):
            batch.drop_column(name)
    with op.batch_alter_table("meetings") as batch:
        batch.drop_column("agenda_scopes")
        batch.drop_column("late_reason")
        batch.drop_column("held_at")
    with op.batch_alter_table("body_members") as batch:
        batch.drop_column("since")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("superseded_at")
        batch.drop_column("superseded_by")
    with op.batch_alter_table("evidence") as batch:
        batch.drop_column("rows")
    with op.batch_alter_table("systems") as batch:
        batch.drop_column("official_suite")
    with op.batch_alter_table("approvals") as batch:
        batch.drop_column("inputs")
    op.drop_table("raci_removals")
