"""A generated organisation at scale, for the page benchmarks: the demo grown to 2,000
systems, 500 people and 200,000 audit events (issue 23).

    .venv/bin/python -m benchmarks.ui_pages --scale

Everything but the bulk of the audit trail goes through the real use cases: units, people,
vendors, datasets, systems (across the risk tiers), models with a version and each system's
RACI through the bulk import (one transaction, every row through its use case and its audit
event, the importer's permissions checked), and transition requests (pending, so the inbox
and the dashboard have work) through `request_transition`, gate and all. The audit trail is
then topped up to the wanted size through the real log adapter (`SqlAuditLog.append`: the
same hash chain, Merkle nodes and head as any use case writes), with events of the kinds the
use cases write, by the organisation's people, about its records, spread over the past year.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from charter.governance.services import lifecycle
from charter.integrations.domain.sheets import Table
from charter.integrations.services.imports import import_records
from charter.inventory.domain import LifecycleStage, RiskTier
from charter.kernel.access import Actor
from charter.kernel.errors import CharterError
from charter.wiring import Context

#: the organisation's size (issue 23)
SYSTEMS, PEOPLE, EVENTS = 2_000, 500, 200_000
#: events appended in one transaction while topping up the trail
BATCH = 10_000
#: audited changes the top-up writes, as the use cases write them: (action, entity, data)
CHANGES: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("system.updated", "system", {"purpose": ["Scores applications", "Scores loan files"]}),
    ("system.updated", "system", {"tags": [["credit"], ["credit", "decides-on-people"]]}),
    ("raci.assigned", "system", {"activity": "monitoring", "letter": "C"}),
    ("person.updated", "person", {"title": ["Analyst", "Senior analyst"]}),
    ("document.attached", "system", {"kind": "dpia", "title": "DPIA"}),
    ("gate.rechecked", "system", {"verdict": "not_satisfied"}),
)


@dataclass(frozen=True, slots=True)
class Grown:
    systems: int
    people: int
    events: int
    pending: int
    seconds: dict[str, float]


def _table(header: Sequence[str], rows: list[list[str]]) -> Table:
    return Table(tuple(header), tuple(tuple(r) for r in rows))


def _tables(people: int, systems: int) -> dict[str, Table]:
    """Sheets that add `people` people and `systems` systems (and what they hang on)."""
    people, systems = max(1, people), max(4, systems)
    units = [f"Scale unit {i}" for i in range(12)]
    vendors = [f"Scale vendor {i}" for i in range(40)]
    emails = [f"scale{i}@example.org" for i in range(people)]
    tiers = [t.value for t in RiskTier]
    names = [f"Scale system {i:04d}" for i in range(systems)]
    models = names[: systems // 2]
    raci = [[s, "design", emails[i % len(emails)], "A"] for i, s in enumerate(names)]
    raci += [[s, "design", emails[(i + 7) % len(emails)], "R"] for i, s in enumerate(names)]
    return {
        "units": _table(["name", "description"], [[u, "a generated unit"] for u in units]),
        "people": _table(["email", "name", "business_unit", "title"], [
            [e, f"Scale Person {i:03d}", units[i % len(units)], "Analyst"]
            for i, e in enumerate(emails)]),
        "vendors": _table(["name", "website"], [[v, "https://vendor.example"] for v in vendors]),
        "datasets": _table(["name", "owner", "source", "contains_personal_data"], [
            [f"scale-data-{i}", emails[i % len(emails)], f"s3://lake/{i}", "yes" if i % 3 else "no"]
            for i in range(systems // 4)]),
        "systems": _table(
            ["name", "purpose", "business_unit", "owner", "risk_tier", "vendor", "tags"], [
            [s, "Scores applications", units[i % len(units)], emails[i % len(emails)],
             tiers[i % len(tiers)], vendors[i % len(vendors)] if i % 3 else "", "scale, credit"]
            for i, s in enumerate(names)]),
        "models": _table(
            ["name", "system", "description", "version", "artifact_uri", "training_dataset"], [
            [f"scale-model-{i}", s, "a generated model", "1", f"s3://models/{i}/1",
             f"scale-data-{i % (systems // 4)}"]
            for i, s in enumerate(models)]),
        "raci": _table(["system", "activity", "person", "letter"], raci),
    }  # fmt: skip


def _request_some(ctx: Context, actor: Actor, system_ids: list[str], count: int) -> int:
    """Pending transition requests on `count` systems (gate evaluated, nobody approved)."""
    made = 0
    for system_id in system_ids[:count]:
        try:
            lifecycle.request_transition(
                ctx, actor, system_id, LifecycleStage.ASSESSED, "ready to build"
            )
        except CharterError:
            continue
        made += 1
    return made


def _top_up(ctx: Context, events: int, actors: list[str], targets: dict[str, list[str]]) -> int:
    """Append events through the log adapter until the trail holds `events`, oldest first."""
    with ctx.uow() as uow:
        have = uow.audit.size()
    missing, rng, now = max(0, events - have), random.Random(23), ctx.clock()
    start, step = now - timedelta(days=365), timedelta(days=365) / max(1, missing)
    done = 0
    while done < missing:
        with ctx.uow() as uow:
            for i in range(done, min(missing, done + BATCH)):
                action, kind, data = CHANGES[i % len(CHANGES)]
                uow.audit.append(
                    at=start + step * i,
                    actor=rng.choice(actors),
                    action=action,
                    entity_type=kind,
                    entity_id=rng.choice(targets[kind]),
                    data=data,
                )
            uow.commit()
        done = min(missing, done + BATCH)
    return missing


def grow(
    ctx: Context,
    caio: Actor,
    *,
    systems: int = SYSTEMS,
    people: int = PEOPLE,
    events: int = EVENTS,
    pending: int = 100,
) -> Grown:
    """Grow the organisation `ctx` holds (the demo) to `systems` systems, `people` people and
    `events` audit events, with `pending` transition requests, as its `caio`."""
    seconds: dict[str, float] = {}
    with ctx.uow() as uow:
        have_people, have_systems = len(uow.people.all()), len(uow.systems.all())
    started = time.perf_counter()
    sheets = _tables(max(0, people - have_people), max(0, systems - have_systems))
    report = import_records(ctx, caio, "scale.xlsx", sheets)
    assert report.committed, report.problems[:5]
    seconds["import"] = time.perf_counter() - started
    with ctx.uow() as uow:
        everyone = [p.id for p in uow.people.all()]
        grown = [s.id for s in uow.systems.all() if s.name.startswith("Scale system")]
    started = time.perf_counter()
    made = _request_some(ctx, caio, grown, pending)
    seconds["requests"] = time.perf_counter() - started
    started = time.perf_counter()
    _top_up(ctx, events, everyone, {"system": grown, "person": everyone})
    seconds["audit"] = time.perf_counter() - started
    with ctx.uow() as uow:
        size = uow.audit.size()
        return Grown(len(uow.systems.all()), len(uow.people.all()), size, made, seconds)
