"""The server's round: the monitors due now, then stale evidence."""

from __future__ import annotations

from charter.kernel.errors import Conflict
from charter.monitoring.domain.monitors import Run
from charter.monitoring.domain.schedule import latest_slot, parse_cron
from charter.monitoring.ports import Context
from charter.monitoring.services.freshness import sweep_freshness
from charter.monitoring.services.running import run_monitor


def run_due(ctx: Context) -> list[Run]:
    """Run every active monitor whose latest scheduled moment has no run yet (a moment missed
    while no server ran is not made up: `charter monitor run --at` runs it)."""
    now, done = ctx.clock(), []
    with ctx.uow() as uow:
        monitors = uow.monitors.all(active=True)
        ran = {
            (r.monitor_id, r.slot)
            for m in monitors
            for r in uow.runs.find({"monitor_id": m.id}, order="-slot", limit=1).items
        }
    for monitor in monitors:
        slot = latest_slot(parse_cron(monitor.schedule), monitor.time_zone, now)
        if slot is None or slot < monitor.created_at or (monitor.id, slot) in ran:
            continue
        try:
            done.append(run_monitor(ctx, monitor.id, slot))
        except Conflict:
            continue  # another process ran it meanwhile
    return done


def tick(ctx: Context) -> None:
    """The server's round: due monitors, then stale evidence."""
    run_due(ctx)
    sweep_freshness(ctx)
