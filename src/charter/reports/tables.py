"""Tables of reports: the human-authored sections (every version kept), the final documents
issued (their data, PDF and digests) and the log of what was sent to whom."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from charter.kernel.store.metadata import ID, foreign_key, id_column, metadata

report_sections = Table(
    "report_sections",
    metadata,
    id_column(),
    Column("subject_id", String(ID), nullable=False, index=True),
    Column("kind", String(40), nullable=False),
    Column("item", String(40), nullable=False),
    Column("version", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("written_by", String(ID), nullable=False),
    Column("written_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("subject_id", "kind", "item", "version", name="uq_report_sections_version"),
)

issued_reports = Table(
    "issued_reports",
    metadata,
    id_column(),
    Column("subject_id", String(ID), nullable=False, index=True),
    Column("kind", String(40), nullable=False),
    Column("title", String(300), nullable=False),
    Column("issued_by", String(ID), nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("data", JSON, nullable=False),
    Column("data_sha256", String(64), nullable=False),
    Column("pdf", LargeBinary, nullable=False),
    Column("pdf_sha256", String(64), nullable=False),
    foreign_key("document_id", "documents"),
)

report_submissions = Table(
    "report_submissions",
    metadata,
    id_column(),
    Column("subject_id", String(ID), nullable=False, index=True),
    Column("kind", String(40), nullable=False),
    foreign_key("report_id", "issued_reports", nullable=False),
    Column("sent_to", String(300), nullable=False),
    Column("reference", String(300), nullable=False),
    Column("note", Text, nullable=False),
    Column("sent_by", String(ID), nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=False),
)
