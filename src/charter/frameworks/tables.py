"""The classifications table: each EU AI Act classification recorded for a system."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    String,
    Table,
)

from charter.kernel.store.metadata import ID, foreign_key, id_column, metadata

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
