"""Use cases of monitors: create one, list them, pause or resume one."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from charter.kernel.access import Action, Actor, allowed, ensure, ensure_member
from charter.kernel.context import record
from charter.kernel.errors import InvalidInput
from charter.kernel.lookups import by_ids, ensure_unique, hold, require
from charter.monitoring.domain.monitors import Monitor, check_monitor, parse_location
from charter.monitoring.domain.schedule import parse_cron
from charter.monitoring.ports import Context
from charter.validation.domain.suite import parse_suite


def create_monitor(
    ctx: Context,
    actor: Actor,
    system_id: str,
    name: str,
    suite: Mapping[str, Any],
    location: Mapping[str, Any],
    schedule: str,
    time_zone: str = "UTC",
    window_hours: int = 24,
    engine: str = "duckdb",
) -> Monitor:
    """A monitor that runs the suite on the schedule over each window's data."""
    parse_suite({**suite, "data": "window.parquet"})  # refuse a malformed suite now
    parse_location(location)
    check_monitor(schedule, time_zone, window_hours, engine)
    if not name.strip():
        raise InvalidInput("a monitor needs a name", details={"field": "name"})
    with ctx.uow() as uow:
        system = hold(uow.systems, "system", system_id)
        ensure(actor, Action.MONITOR_MANAGE, system.business_unit_id, system.id)
        ensure_unique(uow.monitors, "monitor", "name", name.strip())
        monitor = Monitor(
            ctx.new_id("mon"),
            system.id,
            name.strip(),
            dict(suite),
            dict(location),
            parse_cron(schedule).expression,
            time_zone,
            window_hours,
            engine,
            ctx.clock(),
            actor.ref,
        )
        uow.monitors.add(monitor)
        record(
            ctx,
            uow,
            actor,
            "monitor.created",
            "system",
            system.id,
            {
                "monitor": monitor.id,
                "name": monitor.name,
                "schedule": monitor.schedule,
                "time_zone": time_zone,
                "window_hours": window_hours,
                "location": dict(location),
            },
        )
        uow.commit()
    return monitor


def list_monitors(ctx: Context, actor: Actor, system_id: str | None = None) -> list[Monitor]:
    ensure_member(actor)
    with ctx.uow().reading() as uow:
        found = uow.monitors.all(**({"system_id": system_id} if system_id else {}))
        systems = by_ids(uow.systems, {m.system_id for m in found})
    return sorted(
        (
            m
            for m in found
            if allowed(actor, Action.READ, systems[m.system_id].business_unit_id, m.system_id)
        ),
        key=lambda m: m.name,
    )


def set_monitor_active(ctx: Context, actor: Actor, monitor_id: str, active: bool) -> Monitor:
    with ctx.uow() as uow:
        system_id = require(uow.monitors, "monitor", monitor_id).system_id
        system = hold(uow.systems, "system", system_id)
        ensure(actor, Action.MONITOR_MANAGE, system.business_unit_id, system.id)
        changed = replace(require(uow.monitors, "monitor", monitor_id), active=active)
        uow.monitors.update(changed)
        record(
            ctx,
            uow,
            actor,
            "monitor.paused" if not active else "monitor.resumed",
            "system",
            system.id,
            {"monitor": monitor_id},
        )
        uow.commit()
    return changed
