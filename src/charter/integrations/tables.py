"""Tables of the integrations: the lineage graph, links to records in an MLflow registry,
metrics an MLflow run reported, promotions flagged, discovery scans and their proposals."""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, Integer, String, Table, Text, UniqueConstraint

from charter.kernel.store.metadata import ID, foreign_key, id_column, metadata

lineage_nodes = Table(
    "lineage_nodes",
    metadata,
    id_column(),
    Column("kind", String(20), nullable=False),  # dataset, job, model, system
    Column("namespace", String(500), nullable=False),
    Column("name", String(1000), nullable=False),
    foreign_key("dataset_id", "datasets"),
    foreign_key("model_id", "models"),
    foreign_key("system_id", "systems"),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
    Column("facets", JSON, nullable=False),  # the names of the facets last seen
    UniqueConstraint("kind", "namespace", "name", name="uq_lineage_nodes_key"),
)

lineage_edges = Table(
    "lineage_edges",
    metadata,
    id_column(),
    foreign_key("source_id", "lineage_nodes", nullable=False),
    foreign_key("target_id", "lineage_nodes", nullable=False),
    Column("run_id", String(200), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
    UniqueConstraint("source_id", "target_id", name="uq_lineage_edges_pair"),
)

external_links = Table(
    "external_links",
    metadata,
    id_column(),
    Column("source", String(40), nullable=False),  # mlflow
    Column("key", String(1000), nullable=False),  # the record's address in the source
    Column("kind", String(40), nullable=False),  # model, model_version
    Column("charter_id", String(ID), nullable=False, index=True),
    Column("data", JSON, nullable=False),
    Column("synced_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("source", "key", name="uq_external_links_key"),
)

reported_evidence = Table(
    "reported_evidence",
    metadata,
    id_column(),
    foreign_key("system_id", "systems", nullable=False),
    foreign_key("model_version_id", "model_versions"),
    Column("source", String(40), nullable=False),
    Column("run_id", String(200), nullable=False),
    Column("run_url", String(2000), nullable=False),
    Column("metrics", JSON, nullable=False),
    Column("reported_at", DateTime(timezone=True), nullable=True),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", String(ID), nullable=False),
    UniqueConstraint("source", "run_id", "model_version_id", name="uq_reported_evidence_run"),
)

promotion_flags = Table(
    "promotion_flags",
    metadata,
    id_column(),
    foreign_key("system_id", "systems", nullable=False),
    foreign_key("model_version_id", "model_versions", nullable=False),
    Column("source", String(40), nullable=False),
    Column("promoted_as", String(200), nullable=False),  # a stage or an alias
    Column("reason", Text, nullable=False),
    Column("flagged_at", DateTime(timezone=True), nullable=False),
    Column("cleared_at", DateTime(timezone=True), nullable=True),
)

discovery_scans = Table(
    "discovery_scans",
    metadata,
    id_column(),
    Column("root", String(200), nullable=False),
    Column("scanned_at", DateTime(timezone=True), nullable=False),
    Column("scanned_by", String(ID), nullable=False),
    Column("files_scanned", Integer, nullable=False),
    Column("findings", JSON, nullable=False),
)

discovery_proposals = Table(
    "discovery_proposals",
    metadata,
    id_column(),
    foreign_key("scan_id", "discovery_scans", nullable=False),
    Column("kind", String(20), nullable=False),  # system, vendor, model
    Column("name", String(200), nullable=False),
    Column("fields", JSON, nullable=False),
    Column("found", JSON, nullable=False),  # where: files and lines, SDKs
    Column("match_id", String(ID), nullable=True),
    Column("status", String(20), nullable=False, index=True),
    Column("decided_at", DateTime(timezone=True), nullable=True),
    Column("decided_by", String(ID), nullable=True),
    Column("created_id", String(ID), nullable=True),
)
