"""Governance after go-live (issue 25): the notification outbox, deliveries and their
attempts, webhook endpoints and preferences; monitors, their runs, alerts and reviews;
incidents, their evidence snapshots, corrective actions and submissions to authorities.

Revision ID: 0017
Revises: 0016
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def _id() -> sa.Column[str]:
    return sa.Column("id", sa.String(40), primary_key=True)


def _fk(name: str, target: str, nullable: bool = True) -> sa.Column[str]:
    return sa.Column(name, sa.String(40), sa.ForeignKey(f"{target}.id"), nullable=nullable)


def _index(table: str, *columns: str) -> None:
    for column in columns:
        op.create_index(f"ix_{table}_{column}", table, [column])


def _notifications() -> None:
    op.create_table(
        "notices", _id(),
        sa.Column("type", sa.String(60), nullable=False),
        sa.Column("subject_type", sa.String(40), nullable=False),
        sa.Column("subject_id", sa.String(40), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("key", sa.String(200), nullable=True),
        sa.Column("dispatched_at", TZ, nullable=True),
        sa.UniqueConstraint("key", name=op.f("uq_notices_key")),
    )  # fmt: skip
    _index("notices", "type", "subject_id", "created_at", "dispatched_at")
    op.create_table(
        "webhook_endpoints", _id(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.UniqueConstraint("name", name=op.f("uq_webhook_endpoints_name")),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("signing_secret", sa.String(200), nullable=False),
        sa.Column("event_types", sa.JSON(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("created_by", sa.String(40), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("disabled_at", TZ, nullable=True),
        sa.Column("disabled_reason", sa.Text(), nullable=False),
        sa.Column("failing_since", TZ, nullable=True),
    )  # fmt: skip
    op.create_table(
        "deliveries", _id(),
        _fk("notice_id", "notices", nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("next_attempt_at", TZ, nullable=False),
        _fk("person_id", "people"),
        _fk("endpoint_id", "webhook_endpoints"),
        sa.Column("mode", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("delivered_at", TZ, nullable=True),
    )  # fmt: skip
    _index("deliveries", "notice_id", "next_attempt_at", "person_id", "endpoint_id", "status")
    op.create_table(
        "delivery_attempts", _id(),
        _fk("delivery_id", "deliveries", nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("delivered", sa.Boolean(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
    )  # fmt: skip
    _index("delivery_attempts", "delivery_id")
    op.create_table(
        "notification_preferences", _id(),
        _fk("person_id", "people", nullable=False),
        sa.Column("event_type", sa.String(60), nullable=False),
        sa.Column("mode", sa.String(20), nullable=False),
        sa.UniqueConstraint("person_id", "event_type",
                            name="uq_notification_preferences_person_id"),
    )  # fmt: skip
    _index("notification_preferences", "person_id")


def _incidents() -> None:
    op.create_table(
        "incidents", _id(),
        _fk("system_id", "systems", nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("reported_by", sa.String(300), nullable=False),
        sa.Column("aware_at", TZ, nullable=False),
        sa.Column("recorded_at", TZ, nullable=False),
        sa.Column("recorded_by", sa.String(40), nullable=False),
        sa.Column("time_zone", sa.String(60), nullable=False),
        sa.Column("occurred_at", TZ, nullable=True),
        sa.Column("affected_persons", sa.Integer(), nullable=True),
        sa.Column("affected_description", sa.Text(), nullable=False),
        sa.Column("serious", sa.Boolean(), nullable=True),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("death", sa.Boolean(), nullable=False),
        sa.Column("widespread", sa.Boolean(), nullable=False),
        sa.Column("classification_reason", sa.Text(), nullable=False),
        sa.Column("classified_at", TZ, nullable=True),
        sa.Column("classified_by", sa.String(40), nullable=True),
        sa.Column("deadline_at", TZ, nullable=True),
        sa.Column("deadline_days", sa.Integer(), nullable=True),
        sa.Column("deadline_basis", sa.String(40), nullable=False),
        sa.Column("escalated_at", TZ, nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("closed_at", TZ, nullable=True),
        sa.Column("closed_by", sa.String(40), nullable=True),
        sa.Column("closing_note", sa.Text(), nullable=False),
        sa.Column("suspension_request_id", sa.String(40), nullable=True),
    )  # fmt: skip
    _index("incidents", "system_id", "deadline_at", "status")
    op.create_table(
        "corrective_actions", _id(),
        _fk("incident_id", "incidents", nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        _fk("owner_id", "people", nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("created_by", sa.String(40), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("done_at", TZ, nullable=True),
        sa.Column("done_by", sa.String(40), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=False),
    )  # fmt: skip
    _index("corrective_actions", "incident_id", "owner_id")
    op.create_table(
        "incident_snapshots", _id(),
        _fk("incident_id", "incidents", nullable=False),
        sa.Column("evidence_id", sa.String(40), nullable=False),
        sa.Column("taken_at", TZ, nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
    )  # fmt: skip
    _index("incident_snapshots", "incident_id")
    op.create_table(
        "incident_submissions", _id(),
        _fk("incident_id", "incidents", nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("authority", sa.String(300), nullable=False),
        sa.Column("sent_at", TZ, nullable=False),
        sa.Column("recorded_at", TZ, nullable=False),
        sa.Column("recorded_by", sa.String(40), nullable=False),
        sa.Column("reference", sa.String(300), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("missing", sa.JSON(), nullable=False),
    )  # fmt: skip
    _index("incident_submissions", "incident_id")


def _monitoring() -> None:
    op.create_table(
        "monitors", _id(),
        _fk("system_id", "systems", nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.UniqueConstraint("name", name=op.f("uq_monitors_name")),
        sa.Column("suite", sa.JSON(), nullable=False),
        sa.Column("location", sa.JSON(), nullable=False),
        sa.Column("schedule", sa.String(100), nullable=False),
        sa.Column("time_zone", sa.String(60), nullable=False),
        sa.Column("window_hours", sa.Integer(), nullable=False),
        sa.Column("engine", sa.String(20), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("created_by", sa.String(40), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
    )  # fmt: skip
    _index("monitors", "system_id")
    op.create_table(
        "monitor_runs", _id(),
        _fk("monitor_id", "monitors", nullable=False),
        _fk("system_id", "systems", nullable=False),
        sa.Column("slot", TZ, nullable=False),
        sa.Column("window_start", TZ, nullable=False),
        sa.Column("window_end", TZ, nullable=False),
        sa.Column("started_at", TZ, nullable=False),
        sa.Column("finished_at", TZ, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("evidence_id", sa.String(40), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("triggered_by", sa.String(40), nullable=False),
        sa.UniqueConstraint("monitor_id", "slot", name="uq_monitor_runs_monitor_id"),
    )  # fmt: skip
    _index("monitor_runs", "monitor_id", "system_id")
    op.create_table(
        "monitor_alerts", _id(),
        _fk("system_id", "systems", nullable=False),
        _fk("monitor_id", "monitors", nullable=False),
        sa.Column("check_id", sa.String(200), nullable=False),
        sa.Column("opened_at", TZ, nullable=False),
        sa.Column("run_ids", sa.JSON(), nullable=False),
        sa.Column("last_breach_at", TZ, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("recovered_at", TZ, nullable=True),
        sa.Column("resolved_at", TZ, nullable=True),
        sa.Column("resolved_by", sa.String(40), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
    )  # fmt: skip
    _index("monitor_alerts", "system_id", "monitor_id", "status")
    op.create_table(
        "monitor_reviews", _id(),
        _fk("system_id", "systems", nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("rule_id", sa.String(60), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("assignee_id", sa.String(40), nullable=True),
        sa.Column("opened_at", TZ, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("closed_at", TZ, nullable=True),
        sa.Column("closed_by", sa.String(40), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=False),
    )  # fmt: skip
    _index("monitor_reviews", "system_id", "status")


#: frozen records: evidence an incident cites, and reports as they were sent
FROZEN = ("incident_snapshots", "incident_submissions")


def _freeze() -> None:
    """The database refuses to change or delete a frozen row (as it does audit events)."""
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute(
            "CREATE FUNCTION charter_frozen() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION 'frozen incident records cannot be changed'; END $$"
        )
    for table in FROZEN:
        if postgres:
            op.execute(
                f"CREATE TRIGGER {table}_frozen BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION charter_frozen()"
            )
            continue
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'frozen incident records cannot be changed'); END"
            )


def upgrade() -> None:
    _notifications()
    _incidents()
    _monitoring()
    _freeze()


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in FROZEN:
        if postgres:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_frozen ON {table}")
    if postgres:
        op.execute("DROP FUNCTION IF EXISTS charter_frozen()")
    for table in ("monitor_reviews", "monitor_alerts", "monitor_runs", "monitors",
                  "incident_submissions", "incident_snapshots", "corrective_actions",
                  "incidents", "notification_preferences", "delivery_attempts", "deliveries",
                  "webhook_endpoints", "notices"):  # fmt: skip
        op.drop_table(table)
