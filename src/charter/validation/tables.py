"""The evidence table: check results kept as JSON beside the columns that index them."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
)

from charter.kernel.store.metadata import ID, metadata

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
    Column("rows", Integer, nullable=True),  # rows the checks ran on; NULL: not recorded
    Column("suite_source", JSON, nullable=True),
    # where the data came from (data_folder, upload, local); NULL: recorded before it was kept
    Column("provenance", String(20), nullable=True),
)


evidence_reviews = Table(
    "evidence_reviews",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("evidence_id", String(ID), ForeignKey("evidence.id"), nullable=False, index=True),
    Column("system_id", String(ID), ForeignKey("systems.id"), nullable=False, index=True),
    Column("reason", Text, nullable=False),
    Column("flagged_at", DateTime(timezone=True), nullable=False),
    Column("flagged_by", String(ID), nullable=False),
    Column("dataset_id", String(ID), ForeignKey("datasets.id"), nullable=True),
    Column("resolved_at", DateTime(timezone=True), nullable=True),
    Column("resolved_by", String(ID), nullable=True),
    Column("resolution", Text, nullable=False, default=""),
)
