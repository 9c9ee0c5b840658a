"""Table definitions. One metadata for SQLite and PostgreSQL; Alembic migrations mirror it."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
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


def id_column() -> Column[str]:
    return Column("id", String(ID), primary_key=True)


def foreign_key(name: str, target: str, nullable: bool = True) -> Column[str]:
    return Column(name, String(ID), ForeignKey(f"{target}.id"), nullable=nullable, index=True)


business_units = Table(
    "business_units",
    metadata,
    id_column(),
    Column("name", String(200), nullable=False, unique=True),
    Column("description", Text, nullable=False, default=""),
)

people = Table(
    "people",
    metadata,
    id_column(),
    Column("name", String(200), nullable=False),
    Column("email", String(320), nullable=False, unique=True),
    foreign_key("business_unit_id", "business_units"),
    Column("title", String(200), nullable=False, default=""),
    Column("active", Boolean, nullable=False, default=True),
)

role_assignments = Table(
    "role_assignments",
    metadata,
    id_column(),
    foreign_key("person_id", "people", nullable=False),
    Column("role", String(40), nullable=False, index=True),
    Column("scope", String(20), nullable=False),
    Column("scope_id", String(ID), nullable=True),
)

vendors = Table(
    "vendors",
    metadata,
    id_column(),
    Column("name", String(200), nullable=False, unique=True),
    Column("website", String(500), nullable=False, default=""),
    Column("contact", String(500), nullable=False, default=""),
    Column("notes", Text, nullable=False, default=""),
)

systems = Table(
    "systems",
    metadata,
    id_column(),
    Column("name", String(200), nullable=False, unique=True),
    Column("purpose", Text, nullable=False),
    foreign_key("business_unit_id", "business_units", nullable=False),
    foreign_key("owner_id", "people"),
    Column("stage", String(40), nullable=False, index=True),
    Column("operator_role", String(20), nullable=False),
    Column("risk_tier", String(20), nullable=False, index=True),
    Column("deployment_context", Text, nullable=False, default=""),
    Column("intended_use", Text, nullable=False, default=""),
    foreign_key("vendor_id", "vendors"),
    Column("tags", JSON, nullable=False),
    Column("stage_before_suspension", String(40), nullable=True),
)

datasets = Table(
    "datasets",
    metadata,
    id_column(),
    Column("name", String(200), nullable=False, unique=True),
    foreign_key("owner_id", "people"),
    Column("source", Text, nullable=False, default=""),
    Column("contains_personal_data", Boolean, nullable=False),
    Column("special_category_data", Boolean, nullable=False),
    Column("retention", String(200), nullable=False, default=""),
)

models = Table(
    "models",
    metadata,
    id_column(),
    Column("name", String(200), nullable=False, unique=True),
    foreign_key("system_id", "systems"),
    Column("description", Text, nullable=False, default=""),
)

model_versions = Table(
    "model_versions",
    metadata,
    id_column(),
    foreign_key("model_id", "models", nullable=False),
    Column("version", String(100), nullable=False),
    Column("artifact_uri", String(2000), nullable=False),
    Column("framework", String(100), nullable=False, default=""),
    foreign_key("training_dataset_id", "datasets"),
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
    id_column(),
    foreign_key("system_id", "systems", nullable=False),
    Column("source", String(40), nullable=False),
    Column("target", String(40), nullable=False),
    foreign_key("requested_by", "people", nullable=False),
    Column("reason", Text, nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("status", String(20), nullable=False, index=True),
    Column("decided_at", DateTime(timezone=True), nullable=True),
)

approvals = Table(
    "approvals",
    metadata,
    id_column(),
    foreign_key("request_id", "transition_requests", nullable=False),
    foreign_key("person_id", "people", nullable=False),
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
    id_column(),
    foreign_key("person_id", "people", nullable=False),
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
    id_column(),
    foreign_key("system_id", "systems", nullable=False),
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
    id_column(),
    foreign_key("system_id", "systems", nullable=False),
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
    id_column(),
    foreign_key("system_id", "systems", nullable=False),
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
    foreign_key("person_id", "people", nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True), nullable=True),
)

sign_in_throttles = Table(
    "sign_in_throttles",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("window_start", DateTime(timezone=True), nullable=False, index=True),
    Column("locked_until", DateTime(timezone=True), nullable=True),
)
