"""Tables of governance: transition requests and approvals, policies, waivers, documents."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)

from charter.kernel.store.kept_json import KeptJson
from charter.kernel.store.metadata import ID, foreign_key, id_column, metadata

PENDING = text("status = 'pending'")

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
    # one pending request per system, whatever path writes it
    Index(
        "uq_transition_requests_one_pending", "system_id", unique=True,
        sqlite_where=PENDING, postgresql_where=PENDING,
    ),
)  # fmt: skip


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
    Column("inputs", JSON, nullable=True),  # the system's applicability inputs when given
    UniqueConstraint("request_id", "person_id", name="uq_approvals_request_person"),
    UniqueConstraint("request_id", "slot", name="uq_approvals_request_slot"),  # one per slot
)


policies = Table(
    "policies",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("title", String(300), nullable=False),
    Column("digest", String(64), nullable=False),
    # the policy as loaded (after schema validation); read by every gate, parsed once per text
    Column("source", KeptJson, nullable=False),
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
    Column("needs_second", Boolean, nullable=False, default=False, server_default=false()),
    Column("second_by", String(ID), nullable=True),
    Column("second_at", DateTime(timezone=True), nullable=True),
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
    Column("superseded_by", String(ID), nullable=True),
    Column("superseded_at", DateTime(timezone=True), nullable=True),
)
