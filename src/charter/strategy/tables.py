"""Tables of strategy alignment: objectives, use cases, KPIs and their measurements."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
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

objectives = Table(
    "objectives",
    metadata,
    id_column(),
    Column("name", String(200), nullable=False, unique=True),
    Column("description", Text, nullable=False, default=""),
    foreign_key("owner_id", "people"),
)

use_cases = Table(
    "use_cases",
    metadata,
    id_column(),
    Column("title", String(200), nullable=False),
    foreign_key("objective_id", "objectives", nullable=False),
    foreign_key("business_unit_id", "business_units", nullable=False),
    foreign_key("submitted_by", "people", nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("description", Text, nullable=False, default=""),
    foreign_key("sponsor_id", "people"),
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
    id_column(),
    Column("name", String(200), nullable=False),
    Column("unit", String(40), nullable=False),
    Column("direction", String(10), nullable=False),
    Column("target", Float, nullable=False),
    foreign_key("owner_id", "people", nullable=False),
    foreign_key("use_case_id", "use_cases"),
    foreign_key("system_id", "systems"),
    Column("baseline", Float, nullable=True),
    Column("tracks", String(10), nullable=False),
    Column("alert_after", Integer, nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("active", Boolean, nullable=False, default=True),
)

kpi_measurements = Table(
    "kpi_measurements",
    metadata,
    id_column(),
    foreign_key("kpi_id", "kpis", nullable=False),
    Column("period", Date, nullable=False),
    Column("value", Float, nullable=False),
    Column("recorded_by", String(ID), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("source", String(40), nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("stated_source", String(200), nullable=False, default="", server_default=""),
    UniqueConstraint("kpi_id", "period", name="uq_kpi_measurements_kpi_period"),
)

kpi_previews = Table(
    "kpi_previews",
    metadata,
    Column("id", String(64), primary_key=True),  # SHA-256 of the preview's secret
    Column("actor", String(80), nullable=False, index=True),
    Column("digest", String(64), nullable=False),
    Column("rows", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
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
