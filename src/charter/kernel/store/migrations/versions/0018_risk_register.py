"""Risk register (issue 27): risks, controls and their links, manual control tests, appetite
statements and body acceptances.

Revision ID: 0018
Revises: 0017
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

ID = sa.String(length=40)
WHEN = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def _indexes(table: str, *columns: str) -> None:
    for column in columns:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)


def upgrade() -> None:
    op.create_table(
        "risks",
        sa.Column("id", ID, nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("cause", sa.Text(), nullable=False),
        sa.Column("consequence", sa.Text(), nullable=False),
        sa.Column("owner_id", ID, nullable=False),
        sa.Column("inherent_likelihood", sa.Integer(), nullable=False),
        sa.Column("inherent_impact", sa.Integer(), nullable=False),
        sa.Column("target_likelihood", sa.Integer(), nullable=False),
        sa.Column("target_impact", sa.Integer(), nullable=False),
        sa.Column("treatment", sa.String(length=20), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("created_by", ID, nullable=False),
        sa.Column("system_id", ID, nullable=True),
        sa.Column("use_case_id", ID, nullable=True),
        sa.Column("body_id", ID, nullable=True),
        sa.Column("requirements", sa.JSON(), nullable=False),
        sa.Column("review_by", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("origin", sa.String(length=100), nullable=False),
        sa.Column("reviewed_at", WHEN, nullable=True),
        sa.Column("reviewed_by", ID, nullable=True),
        sa.Column("closed_at", WHEN, nullable=True),
        sa.Column("closure_reason", sa.Text(), nullable=False),
        _fk("risks", "owner_id", "people"),
        _fk("risks", "system_id", "systems"),
        _fk("risks", "use_case_id", "use_cases"),
        _fk("risks", "body_id", "bodies"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risks")),
    )
    _indexes("risks", "category", "owner_id", "system_id", "use_case_id", "body_id")
    op.create_table(
        "risk_controls",
        sa.Column("id", ID, nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("owner_id", ID, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("created_by", ID, nullable=False),
        sa.Column("system_id", ID, nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("check_id", sa.String(length=100), nullable=True),
        sa.Column("metric", sa.String(length=100), nullable=True),
        sa.Column("document", sa.String(length=100), nullable=True),
        sa.Column("approvers", sa.JSON(), nullable=False),
        sa.Column("policy_id", sa.String(length=100), nullable=True),
        sa.Column("requirement_id", sa.String(length=100), nullable=True),
        sa.Column("max_age_days", sa.Integer(), nullable=False),
        _fk("risk_controls", "owner_id", "people"),
        _fk("risk_controls", "system_id", "systems"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_controls")),
    )
    _indexes("risk_controls", "owner_id", "system_id")
    op.create_table(
        "risk_control_links",
        sa.Column("id", ID, nullable=False),
        sa.Column("risk_id", ID, nullable=False),
        sa.Column("control_id", ID, nullable=False),
        sa.Column("linked_at", WHEN, nullable=False),
        sa.Column("linked_by", ID, nullable=False),
        _fk("risk_control_links", "risk_id", "risks"),
        _fk("risk_control_links", "control_id", "risk_controls"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_control_links")),
        sa.UniqueConstraint("risk_id", "control_id", name="uq_risk_control_links_risk_control"),
    )
    _indexes("risk_control_links", "risk_id", "control_id")
    op.create_table(
        "control_tests",
        sa.Column("id", ID, nullable=False),
        sa.Column("control_id", ID, nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("tested_at", WHEN, nullable=False),
        sa.Column("tested_by", ID, nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("recorded_at", WHEN, nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        _fk("control_tests", "control_id", "risk_controls"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_control_tests")),
    )
    _indexes("control_tests", "control_id")
    op.create_table(
        "risk_appetites",
        sa.Column("id", ID, nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("tier", sa.String(length=20), nullable=False),
        sa.Column("max_band", sa.String(length=40), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("set_by", ID, nullable=False),
        sa.Column("set_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_appetites")),
        sa.UniqueConstraint("category", "tier", name="uq_risk_appetites_category_tier"),
    )
    op.create_table(
        "risk_acceptances",
        sa.Column("id", ID, nullable=False),
        sa.Column("risk_id", ID, nullable=False),
        sa.Column("body_id", ID, nullable=False),
        sa.Column("body_decision_id", ID, nullable=False),
        sa.Column("conditions", sa.Text(), nullable=False),
        sa.Column("accepted_score", sa.Integer(), nullable=False),
        sa.Column("accepted_band", sa.String(length=40), nullable=False),
        sa.Column("accepted_at", WHEN, nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
        sa.Column("recorded_by", ID, nullable=False),
        sa.Column("system_id", ID, nullable=True),
        sa.Column("revoked_at", WHEN, nullable=True),
        sa.Column("revoked_by_decision", ID, nullable=True),
        _fk("risk_acceptances", "risk_id", "risks"),
        _fk("risk_acceptances", "body_id", "bodies"),
        _fk("risk_acceptances", "system_id", "systems"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_acceptances")),
    )
    _indexes("risk_acceptances", "risk_id", "body_id", "system_id")


def downgrade() -> None:
    for table in (
        "risk_acceptances", "risk_appetites", "control_tests", "risk_control_links",
        "risk_controls", "risks",
    ):  # fmt: skip
        op.drop_table(table)
