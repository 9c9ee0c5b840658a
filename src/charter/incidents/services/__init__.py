"""Use cases of incidents: record (freezing the evidence it cites), classify (the reporting
clock starts from awareness), escalate before the deadline (once), suspend the system through
its lifecycle, corrective actions, reports sent to authorities, and closing."""

from charter.incidents.services.deadlines import classify_incident, escalate_due
from charter.incidents.services.reading import Record, clocks, get_incident, list_incidents
from charter.incidents.services.recording import record_incident, record_within
from charter.incidents.services.response import (
    add_action,
    close_incident,
    complete_action,
    record_submission,
    suspend_system,
)
from charter.incidents.services.shared import answerable

__all__ = [
    "Record",
    "add_action",
    "answerable",
    "classify_incident",
    "clocks",
    "close_incident",
    "complete_action",
    "escalate_due",
    "get_incident",
    "list_incidents",
    "record_incident",
    "record_submission",
    "record_within",
    "suspend_system",
]
