"""The audit trail for people and for other tools: an event's line on a page (names, not
ids), and exports of a search as CSV (a spreadsheet) or JSON Lines (each event as signed,
for offline checks)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from charter.audit.domain.events import AuditEvent
from charter.kernel.csv_text import csv_lines

COLUMNS = ("seq", "at", "actor", "actor_name", "action", "entity_type", "entity_id",
           "entity_name", "data", "hash")  # fmt: skip


def line(event: AuditEvent, names: Mapping[str, str]) -> dict[str, Any]:
    """An event as a page shows it: who and what by name where Charter knows one."""
    body = event.body()
    actor, entity = body["actor"], body["entity"]
    return {
        "seq": event.seq, "at": body["at"], "actor": actor,
        "actor_name": names.get(actor.removeprefix("service-account:"), ""),
        "action": body["action"], "entity_type": entity["type"], "entity_id": entity["id"],
        "entity_name": names.get(entity["id"], ""), "data": body["data"], "hash": event.hash,
    }  # fmt: skip


def as_csv(events: Iterable[AuditEvent], names: Mapping[str, str]) -> Iterator[str]:
    """A header, then one row per event."""
    lines = (line(e, names) for e in events)
    return csv_lines(COLUMNS, ([shown[c] for c in COLUMNS] for shown in lines))


def as_jsonl(events: Iterable[AuditEvent]) -> Iterator[str]:
    """One event per line: its number, hash and signed body, as `GET /audit/events` has it."""
    for event in events:
        yield json.dumps(event.presented(), sort_keys=True, ensure_ascii=False) + "\n"
