"""Tables of notifications: the outbox, the deliveries and every attempt (the delivery log),
webhook endpoints and each person's preferences."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from charter.kernel.store.metadata import foreign_key, id_column, metadata

notices = Table(
    "notices",
    metadata,
    id_column(),
    Column("type", String(60), nullable=False, index=True),
    Column("subject_type", String(40), nullable=False),
    Column("subject_id", String(40), nullable=False, index=True),
    Column("title", Text, nullable=False),
    Column("data", JSON, nullable=False),
    Column("recipients", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, index=True),
    Column("key", String(200), nullable=True, unique=True),
    Column("dispatched_at", DateTime(timezone=True), nullable=True, index=True),
)

webhook_endpoints = Table(
    "webhook_endpoints",
    metadata,
    id_column(),
    Column("name", String(200), nullable=False, unique=True),
    Column("url", Text, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("signing_secret", String(200), nullable=False),
    Column("event_types", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(40), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("disabled_at", DateTime(timezone=True), nullable=True),
    Column("disabled_reason", Text, nullable=False, default=""),
    Column("failing_since", DateTime(timezone=True), nullable=True),
)

deliveries = Table(
    "deliveries",
    metadata,
    id_column(),
    foreign_key("notice_id", "notices", nullable=False),
    Column("channel", String(20), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False, index=True),
    foreign_key("person_id", "people"),
    foreign_key("endpoint_id", "webhook_endpoints"),
    Column("mode", String(20), nullable=False),
    Column("status", String(20), nullable=False, index=True),
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text, nullable=False, default=""),
    Column("last_status", Integer, nullable=True),
    Column("delivered_at", DateTime(timezone=True), nullable=True),
)

delivery_attempts = Table(
    "delivery_attempts",
    metadata,
    id_column(),
    foreign_key("delivery_id", "deliveries", nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("delivered", Boolean, nullable=False),
    Column("status_code", Integer, nullable=True),
    Column("error", Text, nullable=False),
    Column("duration_ms", Integer, nullable=False),
)

notification_preferences = Table(
    "notification_preferences",
    metadata,
    id_column(),
    foreign_key("person_id", "people", nullable=False),
    Column("event_type", String(60), nullable=False),
    Column("mode", String(20), nullable=False),
    UniqueConstraint("person_id", "event_type"),
)
