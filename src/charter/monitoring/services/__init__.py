"""Use cases of monitoring: monitors and their schedule, a run over its window (evidence,
alerts, triggers in one transaction), the runs due now, evidence series, alerts, reviews and
evidence freshness, one module per group; the names are re-exported here."""

from __future__ import annotations

from charter.monitoring.services.alerting import accountable
from charter.monitoring.services.follow_up import (
    alert_page,
    alerts,
    close_review,
    resolve_alert,
    review_page,
    reviews,
)
from charter.monitoring.services.freshness import stale_evidence, sweep_freshness
from charter.monitoring.services.monitors import create_monitor, list_monitors, set_monitor_active
from charter.monitoring.services.reading import runs, system_series
from charter.monitoring.services.running import run_monitor
from charter.monitoring.services.scheduled import run_due, tick

__all__ = [
    "accountable",
    "alert_page",
    "alerts",
    "close_review",
    "create_monitor",
    "list_monitors",
    "resolve_alert",
    "review_page",
    "reviews",
    "run_due",
    "run_monitor",
    "runs",
    "set_monitor_active",
    "stale_evidence",
    "sweep_freshness",
    "system_series",
    "tick",
]
