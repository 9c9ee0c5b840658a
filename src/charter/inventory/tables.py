"""Tables of the AI inventory: vendors, systems, datasets, models and their versions."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from charter.kernel.store.metadata import foreign_key, id_column, metadata

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
    foreign_key("vendor_id", "vendors"),
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
