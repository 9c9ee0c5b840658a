"""Tables of the people side: leadership bodies, talent and training, adoption, delivery."""

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

from charter.store.tables import ID, foreign_key, id_column, metadata

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
    UniqueConstraint("body_id", "person_id", name="uq_body_members_body_person"),
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
)

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

iterations = Table(
    "iterations",
    metadata,
    id_column(),
    foreign_key("use_case_id", "use_cases", nullable=False),
    Column("number", Integer, nullable=False),
    Column("goal", Text, nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("outcome", Text, nullable=False),
    Column("learnings", Text, nullable=False),
    Column("decision", String(20), nullable=True),
    Column("decided_by", String(ID), nullable=True),
    Column("decided_at", DateTime(timezone=True), nullable=True),
    UniqueConstraint("use_case_id", "number", name="uq_iterations_use_case_number"),
)

experiments = Table(
    "experiments",
    metadata,
    id_column(),
    foreign_key("use_case_id", "use_cases", nullable=False),
    Column("hypothesis", Text, nullable=False),
    Column("metric", String(200), nullable=False),
    foreign_key("iteration_id", "iterations"),
    Column("result", String(20), nullable=True),
    Column("finding", Text, nullable=False),
    Column("recorded_by", String(ID), nullable=False),
    Column("concluded_at", DateTime(timezone=True), nullable=True),
)
