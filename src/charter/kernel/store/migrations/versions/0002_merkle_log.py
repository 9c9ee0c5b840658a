"""Merkle log: tree nodes, frontier and root on the head, signed checkpoints.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

EMPTY_ROOT = hashlib.sha256(b"").digest()
TABLES = ("audit_nodes", "audit_checkpoints")


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _backfill() -> None:
    """Build the tree over events written before this revision (same rules as the log)."""
    bind = op.get_bind()
    frontier: list[bytes] = []
    rows = bind.execute(sa.text("SELECT hash FROM audit_events ORDER BY seq"))
    for size, (hex_hash,) in enumerate(rows):
        current, level, carry = bytes.fromhex(hex_hash), 0, size
        while carry & 1:
            current = _node(frontier.pop(), current)
            level += 1
            bind.execute(
                sa.text("INSERT INTO audit_nodes (level, idx, hash) VALUES (:l, :i, :h)"),
                {"l": level, "i": ((size + 1) >> level) - 1, "h": current},
            )
            carry >>= 1
        frontier.append(current)
    root = frontier[-1] if frontier else EMPTY_ROOT
    for left in reversed(frontier[:-1]):
        root = _node(left, root)
    bind.execute(
        sa.text("UPDATE audit_head SET root = :r, frontier = :f WHERE id = 1"),
        {"r": root, "f": b"".join(frontier)},
    )


def _protect() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in TABLES:
        if postgres:
            op.execute(
                f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION charter_audit_append_only()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION charter_audit_append_only()"
            )
        else:
            for verb in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END"
                )


def upgrade() -> None:
    with op.batch_alter_table("audit_head") as batch:
        batch.add_column(
            sa.Column(
                "root",
                sa.LargeBinary(),
                nullable=False,
                server_default=sa.text("X''")
                if op.get_bind().dialect.name == "sqlite"
                else sa.text("''::bytea"),
            )
        )
        batch.add_column(
            sa.Column(
                "frontier",
                sa.LargeBinary(),
                nullable=False,
                server_default=sa.text("X''")
                if op.get_bind().dialect.name == "sqlite"
                else sa.text("''::bytea"),
            )
        )
    with op.batch_alter_table("audit_head") as batch:
        batch.alter_column("root", server_default=None)
        batch.alter_column("frontier", server_default=None)
    op.create_table(
        "audit_nodes",
        sa.Column("level", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("idx", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("hash", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("level", "idx", name=op.f("pk_audit_nodes")),
    )
    op.create_table(
        "audit_checkpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("root", sa.LargeBinary(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_checkpoints")),
    )
    op.create_index(op.f("ix_audit_checkpoints_size"), "audit_checkpoints", ["size"])
    _backfill()
    _protect()


def downgrade() -> None:
    op.drop_index(op.f("ix_audit_checkpoints_size"), table_name="audit_checkpoints")
    op.drop_table("audit_checkpoints")
    op.drop_table("audit_nodes")
    with op.batch_alter_table("audit_head") as batch:
        batch.drop_column("frontier")
        batch.drop_column("root")
