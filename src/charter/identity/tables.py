"""Tables of identity: API tokens, password credentials, web sessions, sign-in throttles."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
)

from charter.kernel.store.metadata import ID, foreign_key, id_column, metadata

api_tokens = Table(
    "api_tokens",
    metadata,
    id_column(),
    foreign_key("person_id", "people", nullable=False),
    Column("name", String(100), nullable=False),
    Column("secret_hash", String(64), nullable=False, unique=True),
    Column("hint", String(8), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("expires_at", DateTime(timezone=True), nullable=True),  # None: refused
    Column("last_used_at", DateTime(timezone=True), nullable=True),
)


credentials = Table(
    "credentials",
    metadata,
    Column("id", String(ID), ForeignKey("people.id"), primary_key=True),
    Column("password_hash", String(500), nullable=False),
    Column("set_at", DateTime(timezone=True), nullable=False),
)


web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    foreign_key("person_id", "people", nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True), nullable=True),
    Column("last_seen_at", DateTime(timezone=True), nullable=True),
)


sign_in_throttles = Table(
    "sign_in_throttles",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("window_start", DateTime(timezone=True), nullable=False, index=True),
    Column("locked_until", DateTime(timezone=True), nullable=True),
)
