"""Constraints that keep decisions single under concurrency: one pending transition request
per system, one decision per approval slot of a request.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

PENDING = sa.text("status = 'pending'")


def _refuse_duplicates() -> None:
    """Records that already break the rules are reported, not silently changed."""
    conn = op.get_bind()
    for what, query in (
        ("systems with several pending transition requests",
         "SELECT system_id FROM transition_requests WHERE status = 'pending' "
         "GROUP BY system_id HAVING count(*) > 1"),
        ("requests with several decisions in one approval slot",
         "SELECT request_id FROM approvals GROUP BY request_id, slot HAVING count(*) > 1"),
    ):  # fmt: skip
        found = [row[0] for row in conn.execute(sa.text(query))]
        if found:
            raise RuntimeError(
                f"cannot add the decision constraints: {what}: {', '.join(found[:20])}; "
                "decide which record stands (refuse the others) and migrate again"
            )


def upgrade() -> None:
    _refuse_duplicates()
    op.create_index(
        "uq_transition_requests_one_pending", "transition_requests", ["system_id"],
        unique=True, sqlite_where=PENDING, postgresql_where=PENDING,
    )  # fmt: skip
    with op.batch_alter_table("approvals") as batch:
        batch.create_unique_constraint("uq_approvals_request_slot", ["request_id", "slot"])


def downgrade() -> None:
    with op.batch_alter_table("approvals") as batch:
        batch.drop_constraint("uq_approvals_request_slot", type_="unique")
    op.drop_index("uq_transition_requests_one_pending", table_name="transition_requests")
