"""Tables of the audit trail: events, the one-row head, Merkle nodes, signed checkpoints."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)

from charter.kernel.store.metadata import ID, metadata

audit_events = Table(
    "audit_events",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(100), nullable=False),
    Column("entity_type", String(40), nullable=False),
    Column("entity_id", String(ID), nullable=False),
    Column("canonical", LargeBinary, nullable=False),
    Column("hash", String(64), nullable=False),
    Index("ix_audit_events_entity", "entity_type", "entity_id"),
)


audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("root", LargeBinary, nullable=False),
    Column("frontier", LargeBinary, nullable=False),
)


# Perfect subtrees of the Merkle tree above the leaves: level >= 1, leaves idx*2**level ...
audit_nodes = Table(
    "audit_nodes",
    metadata,
    Column("level", Integer, primary_key=True, autoincrement=False),
    Column("idx", Integer, primary_key=True, autoincrement=False),
    Column("hash", LargeBinary, nullable=False),
)


audit_checkpoints = Table(
    "audit_checkpoints",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("size", Integer, nullable=False, index=True),
    Column("root", LargeBinary, nullable=False),
    Column("note", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
