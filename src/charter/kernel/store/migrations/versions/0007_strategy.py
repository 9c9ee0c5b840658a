"""Strategy: objectives, use cases, KPIs and their measurements.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

ID = 40


def _fk(name: str, target: str, table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [name], [f"{target}.id"], name=op.f(f"fk_{table}_{name}_{target}")
    )


def _index(table: str, *columns: str) -> None:
    for column in columns:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column])


def upgrade() -> None:
    op.create_table(
        "objectives",
        sa.Column("id", sa.String(length=ID), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.String(length=ID), nullable=True),
        _fk("owner_id", "people", "objectives"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objectives")),
        sa.UniqueConstraint("name", name=op.f("uq_objectives_name")),
    )
    _index("objectives", "owner_id")
    op.create_table(
        "use_cases",
        sa.Column("id", sa.String(length=ID), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("objective_id", sa.String(length=ID), nullable=False),
        sa.Column("business_unit_id", sa.String(length=ID), nullable=False),
        sa.Column("submitted_by", sa.String(length=ID), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("sponsor_id", sa.String(length=ID), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("estimates", sa.JSON(), nullable=False),
        sa.Column("cost_estimate", sa.BigInteger(), nullable=True),
        sa.Column("time_to_value_months", sa.Integer(), nullable=True),
        sa.Column("ratings", sa.JSON(), nullable=False),
        sa.Column("data_needed", sa.Text(), nullable=False),
        sa.Column("skills_needed", sa.JSON(), nullable=False),
        sa.Column("screening", sa.JSON(), nullable=False),
        sa.Column("screening_tier", sa.String(length=20), nullable=True),
        sa.Column("start_quarter", sa.String(length=7), nullable=True),
        sa.Column("end_quarter", sa.String(length=7), nullable=True),
        sa.Column("depends_on", sa.JSON(), nullable=False),
        sa.Column("system_ids", sa.JSON(), nullable=False),
        sa.Column("duplicates", sa.JSON(), nullable=False),
        sa.Column("decided_by", sa.String(length=ID), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=False),
        _fk("objective_id", "objectives", "use_cases"),
        _fk("business_unit_id", "business_units", "use_cases"),
        _fk("submitted_by", "people", "use_cases"),
        _fk("sponsor_id", "people", "use_cases"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_use_cases")),
    )
    _index("use_cases", "objective_id", "business_unit_id", "submitted_by", "sponsor_id", "status")
    op.create_table(
        "kpis",
        sa.Column("id", sa.String(length=ID), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("target", sa.Float(), nullable=False),
        sa.Column("owner_id", sa.String(length=ID), nullable=False),
        sa.Column("use_case_id", sa.String(length=ID), nullable=True),
        sa.Column("system_id", sa.String(length=ID), nullable=True),
        sa.Column("baseline", sa.Float(), nullable=True),
        sa.Column("tracks", sa.String(length=10), nullable=False),
        sa.Column("alert_after", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _fk("owner_id", "people", "kpis"),
        _fk("use_case_id", "use_cases", "kpis"),
        _fk("system_id", "systems", "kpis"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kpis")),
    )
    _index("kpis", "owner_id", "use_case_id", "system_id")
    op.create_table(
        "kpi_measurements",
        sa.Column("id", sa.String(length=ID), nullable=False),
        sa.Column("kpi_id", sa.String(length=ID), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("recorded_by", sa.String(length=ID), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        _fk("kpi_id", "kpis", "kpi_measurements"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kpi_measurements")),
        sa.UniqueConstraint("kpi_id", "period", name="uq_kpi_measurements_kpi_period"),
    )
    _index("kpi_measurements", "kpi_id")


def downgrade() -> None:
    for table in ("kpi_measurements", "kpis", "use_cases", "objectives"):
        op.drop_table(table)
