"""Tables of incidents: incidents, corrective actions, frozen evidence and submissions."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Integer, String, Table, Text

from charter.kernel.store.metadata import foreign_key, id_column, metadata

incidents = Table(
    "incidents",
    metadata,
    id_column(),
    foreign_key("system_id", "systems", nullable=False),
    Column("title", String(300), nullable=False),
    Column("description", Text, nullable=False),
    Column("reported_by", String(300), nullable=False),
    Column("aware_at", DateTime(timezone=True), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", String(40), nullable=False),
    Column("time_zone", String(60), nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=True),
    Column("affected_persons", Integer, nullable=True),
    Column("affected_description", Text, nullable=False, default=""),
    Column("serious", Boolean, nullable=True),
    Column("categories", JSON, nullable=False),
    Column("death", Boolean, nullable=False),
    Column("widespread", Boolean, nullable=False),
    Column("classification_reason", Text, nullable=False, default=""),
    Column("classified_at", DateTime(timezone=True), nullable=True),
    Column("classified_by", String(40), nullable=True),
    Column("deadline_at", DateTime(timezone=True), nullable=True, index=True),
    Column("deadline_days", Integer, nullable=True),
    Column("deadline_basis", String(40), nullable=False, default=""),
    Column("escalated_at", DateTime(timezone=True), nullable=True),
    Column("status", String(20), nullable=False, index=True),
    Column("closed_at", DateTime(timezone=True), nullable=True),
    Column("closed_by", String(40), nullable=True),
    Column("closing_note", Text, nullable=False, default=""),
    Column("suspension_request_id", String(40), nullable=True),
    foreign_key("dataset_id", "datasets"),  # the dataset the incident concerns, if any
)

corrective_actions = Table(
    "corrective_actions",
    metadata,
    id_column(),
    foreign_key("incident_id", "incidents", nullable=False),
    Column("description", Text, nullable=False),
    foreign_key("owner_id", "people", nullable=False),
    Column("due_on", Date, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(40), nullable=False),
    Column("status", String(20), nullable=False),
    Column("done_at", DateTime(timezone=True), nullable=True),
    Column("done_by", String(40), nullable=True),
    Column("outcome", Text, nullable=False, default=""),
)

incident_snapshots = Table(
    "incident_snapshots",
    metadata,
    id_column(),
    foreign_key("incident_id", "incidents", nullable=False),
    Column("evidence_id", String(40), nullable=False),
    Column("taken_at", DateTime(timezone=True), nullable=False),
    Column("content", Text, nullable=False),
    Column("digest", String(64), nullable=False),
)

incident_submissions = Table(
    "incident_submissions",
    metadata,
    id_column(),
    foreign_key("incident_id", "incidents", nullable=False),
    Column("kind", String(20), nullable=False),
    Column("authority", String(300), nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", String(40), nullable=False),
    Column("reference", String(300), nullable=False),
    Column("document", Text, nullable=False),
    Column("digest", String(64), nullable=False),
    Column("missing", JSON, nullable=False),
)
