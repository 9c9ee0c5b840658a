"""KPI measurements say who entered them and how (review F5): the server's record of the
interface (`source`) apart from what a caller said the figures came from
(`stated_source`); and the previews a CSV import's confirmation must name, kept by the
server, bound to the person, expiring.

A free text the API took as `source` before this revision moves to `stated_source`; such a
row's `source` becomes `api` (the only interface that took free text). A caller who wrote
one of the interfaces' own words (api, ui, cli, csv, demo) cannot be told apart: the audit
event of the measurement names its recorder either way.

Revision ID: 0023
Revises: 0022
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

KNOWN = ("api", "ui", "cli", "csv", "demo")


def upgrade() -> None:
    op.add_column(
        "kpi_measurements",
        sa.Column("stated_source", sa.String(200), nullable=False, server_default=""),
    )
    rows = sa.table(
        "kpi_measurements", sa.column("source", sa.String(40)), sa.column("stated_source")
    )
    told = rows.c.source.not_in(KNOWN)
    op.execute(rows.update().where(told).values(stated_source=rows.c.source, source="api"))
    op.create_table(
        "kpi_previews",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kpi_previews")),
    )
    op.create_index(op.f("ix_kpi_previews_actor"), "kpi_previews", ["actor"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_kpi_previews_actor"), table_name="kpi_previews")
    op.drop_table("kpi_previews")
    op.drop_column("kpi_measurements", "stated_source")  # no batch: SQLite drops it in place
