"""Reading a system's monitoring: its evidence series, a monitor's runs."""

from __future__ import annotations

from datetime import datetime

from charter.inventory.domain import AISystem
from charter.kernel.access import Action, Actor, ensure
from charter.kernel.lookups import require
from charter.monitoring.domain.monitors import Run, Series, placed_at, series
from charter.monitoring.ports import Context


def readable_system(ctx: Context, actor: Actor, system_id: str) -> AISystem:
    with ctx.uow() as uow:
        system = require(uow.systems, "system", system_id)
    ensure(actor, Action.READ, system.business_unit_id, system.id)
    return system


def system_series(
    ctx: Context,
    actor: Actor,
    system_id: str,
    check: str | None = None,
    since: datetime | None = None,
    limit: int = 500,
) -> list[Series]:
    """Each check's values over the system's evidence, oldest first: a monitor run's at the
    end of the window it measured (`since` compares that time too)."""
    readable_system(ctx, actor, system_id)
    with ctx.uow() as uow:
        found = uow.evidence.for_system(system_id, limit)
        ids = frozenset(e.id for e in found)
        measured = uow.runs.find({"evidence_id": ids}).items if ids else []
    windows = {r.evidence_id: (r.window_start, r.window_end) for r in measured if r.evidence_id}
    kept = [e for e in found if since is None or placed_at(e, windows) >= since]
    return series(kept, check, windows)


def runs(ctx: Context, actor: Actor, monitor_id: str, limit: int = 50) -> list[Run]:
    with ctx.uow() as uow:
        monitor = require(uow.monitors, "monitor", monitor_id)
    readable_system(ctx, actor, monitor.system_id)
    with ctx.uow() as uow:
        return uow.runs.find({"monitor_id": monitor_id}, order="-slot", limit=limit).items
