"""The classifications table: each EU AI Act classification recorded for a system; and the
questionnaire drafts of the web UI."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    ForeignKey,
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

#: the answers given so far to a system's questionnaire in the web UI (one per system, its id
#: the system's): not a classification, removed when its answers are submitted or discarded
classification_drafts = Table(
    "classification_drafts",
    metadata,
    Column("id", String(ID), ForeignKey("systems.id"), primary_key=True),
    Column("answers", JSON, nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("started_by", String(ID), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(ID), nullable=False),
)
