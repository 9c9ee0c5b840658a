"""Table definitions. One metadata for SQLite and PostgreSQL; Alembic migrations mirror it."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

ID = 40


def _id() -> Column[str]:
    return Column("id", String(ID), primary_key=True)


def _fk(name: str, target: str, nullable: bool = True) -> Column[str]:
    return Column(name, String(ID), ForeignKey(f"{target}.id"), nullable=nullable, index=True)


business_units = Table(
    "business_units",
    metadata,
    _id(),
    Column("name", String(200), nullable=False, unique=True),
    Column("description", Text, nullable=False, default=""),
)

people = Table(
    "people",
    metadata,
    _id(),
    Column("name", String(200), nullable=False),
    Column("email", String(320), nullable=False, unique=True),
    _fk("business_unit_id", "business_units"),
    Column("title", String(200), nullable=False, default=""),
    Column("active", Boolean, nullable=False, default=True),
)

role_assignments = Table(
    "role_assignments",
    metadata,
    _id(),
    _fk("person_id", "people", nullable=False),
    Column("role", String(40), nullable=False, index=True),
    Column("scope", String(20), nullable=False),
    Column("scope_id", String(ID), nullable=True),
)

vendors = Table(
    "vendors",
    metadata,
    _id(),
    Column("name", String(200), nullable=False, unique=True),
    Column("website", String(500), nullable=False, default=""),
    Column("contact", String(500), nullable=False, default=""),
    Column("notes", Text, nullable=False, default=""),
)

systems = Table(
    "systems",
    metadata,
    _id(),
    Column("name", String(200), nullable=False, unique=True),
    Column("purpose", Text, nullable=False),
    _fk("business_unit_id", "business_units", nullable=False),
    _fk("owner_id", "people"),
    Column("stage", String(40), nullable=False, index=True),
    Column("operator_role", String(20), nullable=False),
    Column("risk_tier", String(20), nullable=False, index=True),
    Column("deployment_context", Text, nullable=False, default=""),
    Column("intended_use", Text, nullable=False, default=""),
    _fk("vendor_id", "vendors"),
    Column("tags", JSON, nullable=False),
    Column("stage_before_suspension", String(40), nullable=True),
)

datasets = Table(
    "datasets",
    metadata,
    _id(),
    Column("name", String(200), nullable=False, unique=True),
    _fk("owner_id", "people"),
    Column("source", Text, nullable=False, default=""),
    Column("contains_personal_data", Boolean, nullable=False),
    Column("special_category_data", Boolean, nullable=False),
    Column("retention", String(200), nullable=False, default=""),
)

models = Table(
    "models",
    metadata,
    _id(),
    Column("name", String(200), nullable=False, unique=True),
    _fk("system_id", "systems"),
    Column("description", Text, nullable=False, default=""),
)

model_versions = Table(
    "model_versions",
    metadata,
    _id(),
    _fk("model_id", "models", nullable=False),
    Column("version", String(100), nullable=False),
    Column("artifact_uri", String(2000), nullable=False),
    Column("framework", String(100), nullable=False, default=""),
    _fk("training_dataset_id", "datasets"),
    Column("registered_at", DateTime(timezone=True), nullable=True),
    UniqueConstraint("model_id", "version", name="uq_model_versions_model_version"),
)

raci = Table(
    "raci",
    metadata,
    Column("system_id", String(ID), ForeignKey("systems.id"), primary_key=True),
    Column("activity", String(40), primary_key=True),
    Column("person_id", String(ID), ForeignKey("people.id"), primary_key=True),
    Column("letter", String(1), nullable=False),
)

transition_requests = Table(
    "transition_requests",
    metadata,
    _id(),
    _fk("system_id", "systems", nullable=False),
    Column("source", String(40), nullable=False),
    Column("target", String(40), nullable=False),
    _fk("requested_by", "people", nullable=False),
    Column("reason", Text, nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("status", String(20), nullable=False, index=True),
    Column("decided_at", DateTime(timezone=True), nullable=True),
)

approvals = Table(
    "approvals",
    metadata,
    _id(),
    _fk("request_id", "transition_requests", nullable=False),
    _fk("person_id", "people", nullable=False),
    Column("slot", String(200), nullable=False),
    Column("decision", String(20), nullable=False),
    Column("reason", Text, nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=False),
    Column("body_decision_id", String(ID), nullable=True),
    UniqueConstraint("request_id", "person_id", name="uq_approvals_request_person"),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    _id(),
    _fk("person_id", "people", nullable=False),
    Column("name", String(100), nullable=False),
    Column("secret_hash", String(64), nullable=False, unique=True),
    Column("hint", String(8), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)

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

evidence = Table(
    "evidence",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("system_id", String(ID), ForeignKey("systems.id"), nullable=False, index=True),
    Column("suite_name", String(200), nullable=False),
    Column("suite_digest", String(64), nullable=False),
    Column("data_fingerprint", String(200), nullable=False),
    Column("engine", String(100), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", String(ID), nullable=False),
    Column("duration_ms", Integer, nullable=False),
    Column("passed", Boolean, nullable=False),
    Column("results", JSON, nullable=False),
    Column("model_version_id", String(ID), nullable=True),
)

policies = Table(
    "policies",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("title", String(300), nullable=False),
    Column("digest", String(64), nullable=False),
    Column("source", JSON, nullable=False),  # the policy as loaded (after schema validation)
    Column("enabled", Boolean, nullable=False),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
    Column("loaded_by", String(ID), nullable=False),
)

waivers = Table(
    "waivers",
    metadata,
    _id(),
    _fk("system_id", "systems", nullable=False),
    Column("policy_id", String(100), nullable=False),
    Column("requirement_id", String(100), nullable=False),
    Column("reason", Text, nullable=False),
    Column("compensating_measures", Text, nullable=False),
    Column("granted_by", String(ID), nullable=False),
    Column("granted_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)

documents = Table(
    "documents",
    metadata,
    _id(),
    _fk("system_id", "systems", nullable=False),
    Column("kind", String(100), nullable=False),
    Column("title", String(300), nullable=False),
    Column("uri", String(2000), nullable=False),
    Column("attached_by", String(ID), nullable=False),
    Column("attached_at", DateTime(timezone=True), nullable=False),
    Column("approved_by", String(ID), nullable=True),
    Column("approved_role", String(50), nullable=True),
    Column("approved_at", DateTime(timezone=True), nullable=True),
)

classifications = Table(
    "classifications",
    metadata,
    _id(),
    _fk("system_id", "systems", nullable=False),
    Column("answers", JSON, nullable=False),
    Column("result", JSON, nullable=False),
    Column("tier", String(20), nullable=False),
    Column("classified_at", DateTime(timezone=True), nullable=False),
    Column("classified_by", String(ID), nullable=False),
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
    _fk("person_id", "people", nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True), nullable=True),
)

objectives = Table(
    "objectives",
    metadata,
    _id(),
    Column("name", String(200), nullable=False, unique=True),
    Column("description", Text, nullable=False, default=""),
    _fk("owner_id", "people"),
)

use_cases = Table(
    "use_cases",
    metadata,
    _id(),
    Column("title", String(200), nullable=False),
    _fk("objective_id", "objectives", nullable=False),
    _fk("business_unit_id", "business_units", nullable=False),
    _fk("submitted_by", "people", nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("description", Text, nullable=False, default=""),
    _fk("sponsor_id", "people"),
    Column("status", String(20), nullable=False, index=True),
    Column("estimates", JSON, nullable=False),
    Column("cost_estimate", BigInteger, nullable=True),
    Column("time_to_value_months", Integer, nullable=True),
    Column("ratings", JSON, nullable=False),
    Column("data_needed", Text, nullable=False, default=""),
    Column("skills_needed", JSON, nullable=False),
    Column("screening", JSON, nullable=False),
    Column("screening_tier", String(20), nullable=True),
    Column("start_quarter", String(7), nullable=True),
    Column("end_quarter", String(7), nullable=True),
    Column("depends_on", JSON, nullable=False),
    Column("system_ids", JSON, nullable=False),
    Column("duplicates", JSON, nullable=False),
    Column("decided_by", String(ID), nullable=True),
    Column("decided_at", DateTime(timezone=True), nullable=True),
    Column("decision_reason", Text, nullable=False, default=""),
)

kpis = Table(
    "kpis",
    metadata,
    _id(),
    Column("name", String(200), nullable=False),
    Column("unit", String(40), nullable=False),
    Column("direction", String(10), nullable=False),
    Column("target", Float, nullable=False),
    _fk("owner_id", "people", nullable=False),
    _fk("use_case_id", "use_cases"),
    _fk("system_id", "systems"),
    Column("baseline", Float, nullable=True),
    Column("tracks", String(10), nullable=False),
    Column("alert_after", Integer, nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("active", Boolean, nullable=False, default=True),
)

kpi_measurements = Table(
    "kpi_measurements",
    metadata,
    _id(),
    _fk("kpi_id", "kpis", nullable=False),
    Column("period", Date, nullable=False),
    Column("value", Float, nullable=False),
    Column("recorded_by", String(ID), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("source", String(40), nullable=False),
    Column("note", Text, nullable=False, default=""),
    UniqueConstraint("kpi_id", "period", name="uq_kpi_measurements_kpi_period"),
)

bodies = Table(
    "bodies",
    metadata,
    _id(),
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
    _id(),
    _fk("body_id", "bodies", nullable=False),
    _fk("person_id", "people", nullable=False),
    Column("function", String(30), nullable=False),
    Column("role", String(20), nullable=False),
    UniqueConstraint("body_id", "person_id", name="uq_body_members_body_person"),
)

meetings = Table(
    "meetings",
    metadata,
    _id(),
    _fk("body_id", "bodies", nullable=False),
    Column("scheduled_for", DateTime(timezone=True), nullable=False),
    Column("status", String(20), nullable=False),
    Column("attendees", JSON, nullable=False),
    Column("minutes", Text, nullable=False),
    Column("agenda", JSON, nullable=False),
)

body_decisions = Table(
    "body_decisions",
    metadata,
    _id(),
    _fk("body_id", "bodies", nullable=False),
    _fk("meeting_id", "meetings", nullable=False),
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
    _id(),
    Column("name", String(200), nullable=False, unique=True),
    Column("category", String(20), nullable=False),
    Column("description", Text, nullable=False),
)

person_skills = Table(
    "person_skills",
    metadata,
    _id(),
    _fk("person_id", "people", nullable=False),
    _fk("skill_id", "skills", nullable=False),
    Column("level", Integer, nullable=False),
    Column("evidence", Text, nullable=False),
    Column("assessed_by", String(ID), nullable=False),
    Column("assessed_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("person_id", "skill_id", name="uq_person_skills_person_skill"),
)

role_skills = Table(
    "role_skills",
    metadata,
    _id(),
    Column("role", String(40), nullable=False),
    _fk("skill_id", "skills", nullable=False),
    Column("level", Integer, nullable=False),
    UniqueConstraint("role", "skill_id", name="uq_role_skills_role_skill"),
)

courses = Table(
    "courses",
    metadata,
    _id(),
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
    _id(),
    _fk("person_id", "people", nullable=False),
    _fk("course_id", "courses", nullable=False),
    Column("completed_on", Date, nullable=False),
    Column("expires_on", Date, nullable=True),
    Column("recorded_by", String(ID), nullable=False),
    Column("evidence", Text, nullable=False),
)

adoption = Table(
    "adoption",
    metadata,
    _id(),
    _fk("system_id", "systems", nullable=False),
    _fk("business_unit_id", "business_units", nullable=False),
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
    _id(),
    Column("title", String(300), nullable=False),
    Column("period", Date, nullable=False),
    Column("responses", Integer, nullable=False),
    Column("sentiment", Float, nullable=False),
    Column("concerns", JSON, nullable=False),
    _fk("business_unit_id", "business_units"),
    _fk("system_id", "systems"),
    Column("recorded_by", String(ID), nullable=False),
)

communications = Table(
    "communications",
    metadata,
    _id(),
    Column("title", String(300), nullable=False),
    Column("channel", String(20), nullable=False),
    Column("sent_on", Date, nullable=False),
    Column("audience", String(ID), nullable=False),
    Column("summary", Text, nullable=False),
    Column("sent_by", String(ID), nullable=False),
    _fk("system_id", "systems"),
)

iterations = Table(
    "iterations",
    metadata,
    _id(),
    _fk("use_case_id", "use_cases", nullable=False),
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
    _id(),
    _fk("use_case_id", "use_cases", nullable=False),
    Column("hypothesis", Text, nullable=False),
    Column("metric", String(200), nullable=False),
    _fk("iteration_id", "iterations"),
    Column("result", String(20), nullable=True),
    Column("finding", Text, nullable=False),
    Column("recorded_by", String(ID), nullable=False),
    Column("concluded_at", DateTime(timezone=True), nullable=True),
)
