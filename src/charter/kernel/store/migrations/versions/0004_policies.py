"""Policies, waivers, documents; the model version evidence was scored by; when a model
version was registered.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _system_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["system_id"], ["systems.id"], name=op.f(f"fk_{table}_system_id_systems")
    )


def upgrade() -> None:
    op.create_table(
        "policies",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("source", sa.JSON(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("loaded_by", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policies")),
    )
    op.create_table(
        "waivers",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("system_id", sa.String(length=40), nullable=False),
        sa.Column("policy_id", sa.String(length=100), nullable=False),
        sa.Column("requirement_id", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("compensating_measures", sa.Text(), nullable=False),
        sa.Column("granted_by", sa.String(length=40), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        _system_fk("waivers"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waivers")),
    )
    op.create_index(op.f("ix_waivers_system_id"), "waivers", ["system_id"])
    op.create_table(
        "documents",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("system_id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("uri", sa.String(length=2000), nullable=False),
        sa.Column("attached_by", sa.String(length=40), nullable=False),
        sa.Column("attached_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_by", sa.String(length=40), nullable=True),
        sa.Column("approved_role", sa.String(length=50), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        _system_fk("documents"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
    )
    op.create_index(op.f("ix_documents_system_id"), "documents", ["system_id"])
    with op.batch_alter_table("evidence") as batch:
        batch.add_column(sa.Column("model_version_id", sa.String(length=40), nullable=True))
    with op.batch_alter_table("model_versions") as batch:
        batch.add_column(sa.Column("registered_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("model_versions") as batch:
        batch.drop_column("registered_at")
    with op.batch_alter_table("evidence") as batch:
        batch.drop_column("model_version_id")
    op.drop_index(op.f("ix_documents_system_id"), table_name="documents")
    op.drop_table("documents")
    op.drop_index(op.f("ix_waivers_system_id"), table_name="waivers")
    op.drop_table("waivers")
    op.drop_table("policies")
