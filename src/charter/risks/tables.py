"""Tables of risk management: risks, controls, the links between them, manual control tests,
appetite statements and acceptances."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from charter.kernel.store.metadata import ID, foreign_key, id_column, metadata

risks = Table(
    "risks",
    metadata,
    id_column(),
    Column("title", String(300), nullable=False),
    Column("category", String(40), nullable=False, index=True),
    Column("cause", Text, nullable=False),
    Column("consequence", Text, nullable=False),
    foreign_key("owner_id", "people", nullable=False),
    Column("inherent_likelihood", Integer, nullable=False),
    Column("inherent_impact", Integer, nullable=False),
    Column("target_likelihood", Integer, nullable=False),
    Column("target_impact", Integer, nullable=False),
    Column("treatment", String(20), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(ID), nullable=False),
    foreign_key("system_id", "systems"),
    foreign_key("use_case_id", "use_cases"),
    foreign_key("body_id", "bodies"),
    Column("requirements", JSON, nullable=False),
    Column("review_by", Date, nullable=True),
    Column("status", String(20), nullable=False),
    Column("origin", String(100), nullable=False),
    Column("reviewed_at", DateTime(timezone=True), nullable=True),
    Column("reviewed_by", String(ID), nullable=True),
    Column("closed_at", DateTime(timezone=True), nullable=True),
    Column("closure_reason", Text, nullable=False),
)

risk_controls = Table(
    "risk_controls",
    metadata,
    id_column(),
    Column("title", String(300), nullable=False),
    Column("kind", String(20), nullable=False),
    foreign_key("owner_id", "people", nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(ID), nullable=False),
    foreign_key("system_id", "systems"),
    Column("description", Text, nullable=False),
    Column("check_id", String(100), nullable=True),
    Column("metric", String(100), nullable=True),
    Column("document", String(100), nullable=True),
    Column("approvers", JSON, nullable=False),
    Column("policy_id", String(100), nullable=True),
    Column("requirement_id", String(100), nullable=True),
    Column("max_age_days", Integer, nullable=False),
)

risk_control_links = Table(
    "risk_control_links",
    metadata,
    id_column(),
    foreign_key("risk_id", "risks", nullable=False),
    foreign_key("control_id", "risk_controls", nullable=False),
    Column("linked_at", DateTime(timezone=True), nullable=False),
    Column("linked_by", String(ID), nullable=False),
    UniqueConstraint("risk_id", "control_id", name="uq_risk_control_links_risk_control"),
)

control_tests = Table(
    "control_tests",
    metadata,
    id_column(),
    foreign_key("control_id", "risk_controls", nullable=False),
    Column("passed", Boolean, nullable=False),
    Column("tested_at", DateTime(timezone=True), nullable=False),
    Column("tested_by", String(ID), nullable=False),
    Column("evidence", Text, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("note", Text, nullable=False),
)

risk_appetites = Table(
    "risk_appetites",
    metadata,
    id_column(),
    Column("category", String(40), nullable=False),
    Column("tier", String(20), nullable=False),
    Column("max_band", String(40), nullable=False),
    Column("rationale", Text, nullable=False),
    Column("set_by", String(ID), nullable=False),
    Column("set_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("category", "tier", name="uq_risk_appetites_category_tier"),
)

risk_acceptances = Table(
    "risk_acceptances",
    metadata,
    id_column(),
    foreign_key("risk_id", "risks", nullable=False),
    foreign_key("body_id", "bodies", nullable=False),
    Column("body_decision_id", String(ID), nullable=False),
    Column("conditions", Text, nullable=False),
    Column("accepted_score", Integer, nullable=False),
    Column("accepted_band", String(40), nullable=False),
    Column("accepted_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", String(ID), nullable=False),
    foreign_key("system_id", "systems"),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("revoked_by_decision", String(ID), nullable=True),
)
