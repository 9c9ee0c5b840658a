"""Tables of monitoring: monitors, runs, alerts and reviews."""

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

monitors = Table(
    "monitors",
    metadata,
    id_column(),
    foreign_key("system_id", "systems", nullable=False),
    Column("name", String(200), nullable=False, unique=True),
    Column("suite", JSON, nullable=False),
    Column("location", JSON, nullable=False),
    Column("schedule", String(100), nullable=False),
    Column("time_zone", String(60), nullable=False),
    Column("window_hours", Integer, nullable=False),
    Column("engine", String(20), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(40), nullable=False),
    Column("active", Boolean, nullable=False),
)

monitor_runs = Table(
    "monitor_runs",
    metadata,
    id_column(),
    foreign_key("monitor_id", "monitors", nullable=False),
    foreign_key("system_id", "systems", nullable=False),
    Column("slot", DateTime(timezone=True), nullable=False),
    Column("window_start", DateTime(timezone=True), nullable=False),
    Column("window_end", DateTime(timezone=True), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=False),
    Column("status", String(20), nullable=False),
    Column("evidence_id", String(40), nullable=True),
    Column("error", Text, nullable=False),
    Column("triggered_by", String(40), nullable=False),
    UniqueConstraint("monitor_id", "slot"),
)

monitor_alerts = Table(
    "monitor_alerts",
    metadata,
    id_column(),
    foreign_key("system_id", "systems", nullable=False),
    foreign_key("monitor_id", "monitors", nullable=False),
    Column("check_id", String(200), nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("run_ids", JSON, nullable=False),
    Column("last_breach_at", DateTime(timezone=True), nullable=False),
    Column("status", String(20), nullable=False, index=True),
    Column("recovered_at", DateTime(timezone=True), nullable=True),
    Column("resolved_at", DateTime(timezone=True), nullable=True),
    Column("resolved_by", String(40), nullable=True),
    Column("note", Text, nullable=False, default=""),
)

monitor_reviews = Table(
    "monitor_reviews",
    metadata,
    id_column(),
    foreign_key("system_id", "systems", nullable=False),
    Column("kind", String(20), nullable=False),
    Column("rule_id", String(60), nullable=False),
    Column("reason", Text, nullable=False),
    Column("assignee_id", String(40), nullable=True),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("status", String(20), nullable=False, index=True),
    Column("closed_at", DateTime(timezone=True), nullable=True),
    Column("closed_by", String(40), nullable=True),
    Column("outcome", Text, nullable=False, default=""),
)
