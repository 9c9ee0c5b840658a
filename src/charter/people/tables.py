"""Tables of talent and training, adoption and change."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from charter.kernel.store.metadata import ID, foreign_key, id_column, metadata

skills = Table(
    "skills",
    metadata,
    id_column(),
    Column("name", String(200), nullable=False, unique=True),
    Column("category", String(20), nullable=False),
    Column("description", Text, nullable=False),
)

person_skills = Table(
    "person_skills",
    metadata,
    id_column(),
    foreign_key("person_id", "people", nullable=False),
    foreign_key("skill_id", "skills", nullable=False),
    Column("level", Integer, nullable=False),
    Column("evidence", Text, nullable=False),
    Column("assessed_by", String(ID), nullable=False),
    Column("assessed_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("person_id", "skill_id", name="uq_person_skills_person_skill"),
)

role_skills = Table(
    "role_skills",
    metadata,
    id_column(),
    Column("role", String(40), nullable=False),
    foreign_key("skill_id", "skills", nullable=False),
    Column("level", Integer, nullable=False),
    UniqueConstraint("role", "skill_id", name="uq_role_skills_role_skill"),
)

courses = Table(
    "courses",
    metadata,
    id_column(),
    Column("title", String(300), nullable=False, unique=True),
    Column("provider", String(200), nullable=False),
    Column("literacy", Boolean, nullable=False),
    Column("roles", JSON, nullable=False),
    Column("skill_ids", JSON, nullable=False),
    Column("validity_months", Integer, nullable=True),
)

completions = Table(
    "completions",
    metadata,
    id_column(),
    foreign_key("person_id", "people", nullable=False),
    foreign_key("course_id", "courses", nullable=False),
    Column("completed_on", Date, nullable=False),
    Column("expires_on", Date, nullable=True),
    Column("recorded_by", String(ID), nullable=False),
    Column("evidence", Text, nullable=False),
)

adoption = Table(
    "adoption",
    metadata,
    id_column(),
    foreign_key("system_id", "systems", nullable=False),
    foreign_key("business_unit_id", "business_units", nullable=False),
    Column("period", Date, nullable=False),
    Column("active_users", Integer, nullable=False),
    Column("eligible_users", Integer, nullable=False),
    Column("uses", Integer, nullable=False),
    Column("recorded_by", String(ID), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint(
        "system_id", "business_unit_id", "period", name="uq_adoption_system_unit_period"
    ),
)

surveys = Table(
    "surveys",
    metadata,
    id_column(),
    Column("title", String(300), nullable=False),
    Column("period", Date, nullable=False),
    Column("responses", Integer, nullable=False),
    Column("sentiment", Float, nullable=False),
    Column("concerns", JSON, nullable=False),
    foreign_key("business_unit_id", "business_units"),
    foreign_key("system_id", "systems"),
    Column("recorded_by", String(ID), nullable=False),
)

communications = Table(
    "communications",
    metadata,
    id_column(),
    Column("title", String(300), nullable=False),
    Column("channel", String(20), nullable=False),
    Column("sent_on", Date, nullable=False),
    Column("audience", String(ID), nullable=False),
    Column("summary", Text, nullable=False),
    Column("sent_by", String(ID), nullable=False),
    foreign_key("system_id", "systems"),
)
