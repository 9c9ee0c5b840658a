"""Reports (issue 24): human-authored sections in versions, final documents issued with
their digests, the log of submissions and notifications; each evidence keeps the suite it
ran, so that a decision bundle can recompute it.

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("evidence", sa.Column("suite_source", sa.JSON(), nullable=True))
    op.create_table(
        "report_sections",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("subject_id", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("item", sa.String(40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("written_by", sa.String(40), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_sections")),
        sa.UniqueConstraint(
            "subject_id", "kind", "item", "version", name="uq_report_sections_version"
        ),
    )
    op.create_index(op.f("ix_report_sections_subject_id"), "report_sections", ["subject_id"])
    op.create_table(
        "issued_reports",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("subject_id", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("issued_by", sa.String(40), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("data_sha256", sa.String(64), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("pdf_sha256", sa.String(64), nullable=False),
        sa.Column("document_id", sa.String(40), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_issued_reports_document_id_documents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issued_reports")),
    )
    op.create_index(op.f("ix_issued_reports_subject_id"), "issued_reports", ["subject_id"])
    op.create_index(op.f("ix_issued_reports_document_id"), "issued_reports", ["document_id"])
    op.create_table(
        "report_submissions",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("subject_id", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("report_id", sa.String(40), nullable=False),
        sa.Column("sent_to", sa.String(300), nullable=False),
        sa.Column("reference", sa.String(300), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("sent_by", sa.String(40), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["issued_reports.id"],
            name=op.f("fk_report_submissions_report_id_issued_reports"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_submissions")),
    )
    op.create_index(op.f("ix_report_submissions_subject_id"), "report_submissions", ["subject_id"])
    op.create_index(op.f("ix_report_submissions_report_id"), "report_submissions", ["report_id"])


def downgrade() -> None:
    op.drop_table("report_submissions")
    op.drop_table("issued_reports")
    op.drop_table("report_sections")
    op.drop_column("evidence", "suite_source")
