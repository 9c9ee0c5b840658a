"""Integrations (issue 26): the lineage graph, links to an MLflow registry, metrics MLflow
reported, promotions flagged, discovery scans and proposals, evidence that needs review, and
the vendor of a model.

Revision ID: 0016
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "discovery_scans",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("root", sa.String(length=200), nullable=False),
        sa.Column("scanned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("scanned_by", sa.String(length=40), nullable=False),
        sa.Column("files_scanned", sa.Integer(), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discovery_scans")),
    )
    op.create_table(
        "external_links",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=1000), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("charter_id", sa.String(length=40), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_external_links")),
        sa.UniqueConstraint("source", "key", name="uq_external_links_key"),
    )
    with op.batch_alter_table("external_links", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_external_links_charter_id"), ["charter_id"], unique=False
        )

    op.create_table(
        "discovery_proposals",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("scan_id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("found", sa.JSON(), nullable=False),
        sa.Column("match_id", sa.String(length=40), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=40), nullable=True),
        sa.Column("created_id", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["scan_id"],
            ["discovery_scans.id"],
            name=op.f("fk_discovery_proposals_scan_id_discovery_scans"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discovery_proposals")),
    )
    with op.batch_alter_table("discovery_proposals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_discovery_proposals_scan_id"), ["scan_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_discovery_proposals_status"), ["status"], unique=False)

    op.create_table(
        "evidence_reviews",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("evidence_id", sa.String(length=40), nullable=False),
        sa.Column("system_id", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("flagged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("flagged_by", sa.String(length=40), nullable=False),
        sa.Column("dataset_id", sa.String(length=40), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.String(length=40), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dataset_id"], ["datasets.id"], name=op.f("fk_evidence_reviews_dataset_id_datasets")
        ),
        sa.ForeignKeyConstraint(
            ["evidence_id"], ["evidence.id"], name=op.f("fk_evidence_reviews_evidence_id_evidence")
        ),
        sa.ForeignKeyConstraint(
            ["system_id"], ["systems.id"], name=op.f("fk_evidence_reviews_system_id_systems")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_reviews")),
    )
    with op.batch_alter_table("evidence_reviews", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evidence_reviews_evidence_id"), ["evidence_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_evidence_reviews_system_id"), ["system_id"], unique=False
        )

    op.create_table(
        "lineage_nodes",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("namespace", sa.String(length=500), nullable=False),
        sa.Column("name", sa.String(length=1000), nullable=False),
        sa.Column("dataset_id", sa.String(length=40), nullable=True),
        sa.Column("model_id", sa.String(length=40), nullable=True),
        sa.Column("system_id", sa.String(length=40), nullable=True),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("facets", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dataset_id"], ["datasets.id"], name=op.f("fk_lineage_nodes_dataset_id_datasets")
        ),
        sa.ForeignKeyConstraint(
            ["model_id"], ["models.id"], name=op.f("fk_lineage_nodes_model_id_models")
        ),
        sa.ForeignKeyConstraint(
            ["system_id"], ["systems.id"], name=op.f("fk_lineage_nodes_system_id_systems")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lineage_nodes")),
        sa.UniqueConstraint("kind", "namespace", "name", name="uq_lineage_nodes_key"),
    )
    with op.batch_alter_table("lineage_nodes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lineage_nodes_dataset_id"), ["dataset_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_lineage_nodes_model_id"), ["model_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lineage_nodes_system_id"), ["system_id"], unique=False)

    op.create_table(
        "lineage_edges",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("source_id", sa.String(length=40), nullable=False),
        sa.Column("target_id", sa.String(length=40), nullable=False),
        sa.Column("run_id", sa.String(length=200), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["lineage_nodes.id"],
            name=op.f("fk_lineage_edges_source_id_lineage_nodes"),
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["lineage_nodes.id"],
            name=op.f("fk_lineage_edges_target_id_lineage_nodes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lineage_edges")),
        sa.UniqueConstraint("source_id", "target_id", name="uq_lineage_edges_pair"),
    )
    with op.batch_alter_table("lineage_edges", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lineage_edges_source_id"), ["source_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lineage_edges_target_id"), ["target_id"], unique=False)

    op.create_table(
        "promotion_flags",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("system_id", sa.String(length=40), nullable=False),
        sa.Column("model_version_id", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("promoted_as", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("flagged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cleared_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["model_version_id"],
            ["model_versions.id"],
            name=op.f("fk_promotion_flags_model_version_id_model_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["system_id"], ["systems.id"], name=op.f("fk_promotion_flags_system_id_systems")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_promotion_flags")),
    )
    with op.batch_alter_table("promotion_flags", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_promotion_flags_model_version_id"), ["model_version_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_promotion_flags_system_id"), ["system_id"], unique=False
        )

    op.create_table(
        "reported_evidence",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("system_id", sa.String(length=40), nullable=False),
        sa.Column("model_version_id", sa.String(length=40), nullable=True),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("run_id", sa.String(length=200), nullable=False),
        sa.Column("run_url", sa.String(length=2000), nullable=False),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["model_version_id"],
            ["model_versions.id"],
            name=op.f("fk_reported_evidence_model_version_id_model_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["system_id"], ["systems.id"], name=op.f("fk_reported_evidence_system_id_systems")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reported_evidence")),
        sa.UniqueConstraint(
            "source", "run_id", "model_version_id", name="uq_reported_evidence_run"
        ),
    )
    with op.batch_alter_table("reported_evidence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reported_evidence_model_version_id"), ["model_version_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_reported_evidence_system_id"), ["system_id"], unique=False
        )

    with op.batch_alter_table("models", schema=None) as batch_op:
        batch_op.add_column(sa.Column("vendor_id", sa.String(length=40), nullable=True))
        batch_op.create_index(batch_op.f("ix_models_vendor_id"), ["vendor_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_models_vendor_id_vendors"), "vendors", ["vendor_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("models", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_models_vendor_id_vendors"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_models_vendor_id"))
        batch_op.drop_column("vendor_id")

    with op.batch_alter_table("reported_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reported_evidence_system_id"))
        batch_op.drop_index(batch_op.f("ix_reported_evidence_model_version_id"))

    op.drop_table("reported_evidence")
    with op.batch_alter_table("promotion_flags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_promotion_flags_system_id"))
        batch_op.drop_index(batch_op.f("ix_promotion_flags_model_version_id"))

    op.drop_table("promotion_flags")
    with op.batch_alter_table("lineage_edges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lineage_edges_target_id"))
        batch_op.drop_index(batch_op.f("ix_lineage_edges_source_id"))

    op.drop_table("lineage_edges")
    with op.batch_alter_table("lineage_nodes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lineage_nodes_system_id"))
        batch_op.drop_index(batch_op.f("ix_lineage_nodes_model_id"))
        batch_op.drop_index(batch_op.f("ix_lineage_nodes_dataset_id"))

    op.drop_table("lineage_nodes")
    with op.batch_alter_table("evidence_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_reviews_system_id"))
        batch_op.drop_index(batch_op.f("ix_evidence_reviews_evidence_id"))

    op.drop_table("evidence_reviews")
    with op.batch_alter_table("discovery_proposals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_discovery_proposals_status"))
        batch_op.drop_index(batch_op.f("ix_discovery_proposals_scan_id"))

    op.drop_table("discovery_proposals")
    with op.batch_alter_table("external_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_external_links_charter_id"))

    op.drop_table("external_links")
    op.drop_table("discovery_scans")
