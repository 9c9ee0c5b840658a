"""Tables of leadership bodies: bodies, members, meetings and decisions."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    text,
)

from charter.kernel.store.metadata import ID, foreign_key, id_column, metadata

bodies = Table(
    "bodies",
    metadata,
    id_column(),
    Column("name", String(200), nullable=False, unique=True),
    Column("kind", String(30), nullable=False),
    Column("charter", Text, nullable=False),
    Column("required_functions", JSON, nullable=False),
    Column("quorum", Integer, nullable=False),
    Column("cadence_days", Integer, nullable=False),
    Column("remit", JSON, nullable=False),
)


body_members = Table(
    "body_members",
    metadata,
    id_column(),
    foreign_key("body_id", "bodies", nullable=False),
    foreign_key("person_id", "people", nullable=False),
    Column("function", String(30), nullable=False),
    Column("role", String(20), nullable=False),
    Column("since", DateTime(timezone=True), nullable=True),  # NULL: before dates were kept
    Column("until", DateTime(timezone=True), nullable=True),  # NULL: a member now
    Index(
        "uq_body_members_current",
        "body_id",
        "person_id",
        unique=True,
        sqlite_where=text("until IS NULL"),
        postgresql_where=text("until IS NULL"),
    ),
)


meetings = Table(
    "meetings",
    metadata,
    id_column(),
    foreign_key("body_id", "bodies", nullable=False),
    Column("scheduled_for", DateTime(timezone=True), nullable=False),
    Column("status", String(20), nullable=False),
    Column("attendees", JSON, nullable=False),
    Column("minutes", Text, nullable=False),
    Column("agenda", JSON, nullable=False),
    # where each agenda item belongs ("unit/system"): who may read it; [] before 0012
    Column("agenda_scopes", JSON, nullable=False, default=list, server_default=text("'[]'")),
    Column("held_at", DateTime(timezone=True), nullable=True),
    Column("late_reason", Text, nullable=False, default="", server_default=""),
)


body_decisions = Table(
    "body_decisions",
    metadata,
    id_column(),
    foreign_key("body_id", "bodies", nullable=False),
    foreign_key("meeting_id", "meetings", nullable=False),
    Column("subject_kind", String(20), nullable=False),
    Column("subject_id", String(ID), nullable=False, index=True),
    Column("title", String(300), nullable=False),
    Column("outcome", String(30), nullable=False),
    Column("carried", Boolean, nullable=False),
    Column("votes", JSON, nullable=False),
    Column("reason", Text, nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", String(ID), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("record_id", String(ID), nullable=True),
    Column("status", String(10), nullable=False, default="decided", server_default="decided"),
    Column("cast_by", JSON, nullable=False, default=list, server_default=text("'[]'")),
    Column("late_reason", Text, nullable=False, default="", server_default=""),
    Column("terms", JSON, nullable=True),
)
