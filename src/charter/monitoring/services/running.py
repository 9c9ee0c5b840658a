"""A monitor's run over its window: the data it reads, its evidence and its run record,
with the alerts and reviews it raises, in one transaction."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from charter.kernel.access import Action, Actor, ensure
from charter.kernel.context import record
from charter.kernel.errors import Conflict, InvalidInput
from charter.kernel.lookups import hold, require
from charter.kernel.records import utc_timestamp
from charter.monitoring.domain.monitors import (
    Location,
    Monitor,
    Run,
    RunStatus,
    breaches,
    parse_location,
)
from charter.monitoring.domain.schedule import latest_slot, parse_cron, render
from charter.monitoring.ports import Context, UnitOfWork
from charter.monitoring.services.alerting import apply_triggers, raise_alerts
from charter.validation.domain.evidence import Aggregates, Evidence, judge_suite
from charter.validation.domain.suite import Source, Suite, parse_suite


def _scheduler(monitor: Monitor) -> Actor:
    return Actor(person_id=None, label=f"monitor:{monitor.id}")


def _source(location: Location, start: datetime, end: datetime) -> Source:
    if location.file:
        return Source(file=render(location.file, start, end))
    return Source(
        table=location.table,
        database=location.database,
        window=(location.time_column or "", start, end),
    )


def _inside(root: Path, source: Source) -> None:
    """A monitor reads files under the data folder only."""
    name = source.file or source.database
    if name is not None and not (root / name).resolve().is_relative_to(root.resolve()):
        raise InvalidInput(f"{name!r} is outside the data folder", details={"file": name})


def _suite(monitor: Monitor, slot: datetime) -> Suite:
    start, end = monitor.window(slot)
    source = _source(parse_location(monitor.location), start, end)
    suite = parse_suite({**monitor.suite, "data": "window.parquet"})
    return replace(suite, data=source)


def _compute(ctx: Context, monitor: Monitor, suite: Suite) -> tuple[Aggregates | None, str, int]:
    """The run's aggregates, or why there are none; outside any transaction."""
    started = time.monotonic()
    root = ctx.data_dir
    try:
        if root is None:
            raise InvalidInput("no data folder is configured (CHARTER_DATA_DIR)")
        _inside(root, suite.data)
        found: Aggregates | None = ctx.run_suite(suite, root, monitor.engine)
        error = ""
    except InvalidInput as exc:
        found, error = None, exc.message
    return found, error, int((time.monotonic() - started) * 1000)


def run_monitor(
    ctx: Context, monitor_id: str, slot: datetime | None = None, actor: Actor | None = None
) -> Run:
    """Run a monitor over the window ending at `slot` (the latest the schedule names when not
    given): its evidence, the run, the alerts it opens or extends and the reviews its triggers
    raise, in one transaction. A person running it needs the right to record evidence."""
    with ctx.uow() as uow:
        monitor = require(uow.monitors, "monitor", monitor_id)
        system = require(uow.systems, "system", monitor.system_id)
    if actor is not None:
        ensure(actor, Action.EVIDENCE_RECORD, system.business_unit_id, system.id)
    at = slot or latest_slot(parse_cron(monitor.schedule), monitor.time_zone, ctx.clock())
    if at is None:
        raise InvalidInput(f"the schedule {monitor.schedule!r} names no moment yet")
    suite = _suite(monitor, at)
    started = ctx.clock()
    aggregates, error, took = _compute(ctx, monitor, suite)
    who = actor or _scheduler(monitor)
    with ctx.uow() as uow:
        system = hold(uow.systems, "system", monitor.system_id)
        if uow.runs.all(monitor_id=monitor.id, slot=at):
            raise Conflict(f"monitor {monitor.name!r} already ran for {utc_timestamp(at)}")
        evidence = _evidence(ctx, uow, monitor, suite, aggregates, who, took)
        if evidence is not None:  # a data-quality breach marks what depends on the data
            ctx.after_evidence(ctx, uow, who, evidence, suite)
        run = _run(ctx, monitor, at, started, evidence, error, who)
        uow.runs.add(run)
        raise_alerts(ctx, uow, monitor, system, run, evidence)
        apply_triggers(ctx, uow, monitor, system)
        record(
            ctx,
            uow,
            who,
            "monitor.ran",
            "system",
            system.id,
            {
                "monitor": monitor.id,
                "run": run.id,
                "slot": utc_timestamp(at),
                "status": run.status.value,
                "evidence": run.evidence_id,
                "error": error,
            },
        )
        uow.commit()
    return run


def _evidence(
    ctx: Context,
    uow: UnitOfWork,
    monitor: Monitor,
    suite: Suite,
    data: Aggregates | None,
    who: Actor,
    took: int,
) -> Evidence | None:
    if data is None:
        return None
    evidence = Evidence(
        ctx.new_id("ev"),
        monitor.system_id,
        suite.name,
        suite.digest,
        data.fingerprint,
        data.engine,
        ctx.clock(),
        who.audited_as,
        took,
        judge_suite(suite, data),
        provenance="data_folder",  # a monitor reads its data under the data folder
    )
    uow.evidence.add(evidence)
    return evidence


def _run(
    ctx: Context,
    monitor: Monitor,
    at: datetime,
    started: datetime,
    evidence: Evidence | None,
    error: str,
    who: Actor,
) -> Run:
    if evidence is None:
        status = RunStatus.FAILED
    else:
        status = RunStatus.BREACHED if breaches(evidence) else RunStatus.PASSED
    start, end = monitor.window(at)
    return Run(
        ctx.new_id("run"),
        monitor.id,
        monitor.system_id,
        at,
        start,
        end,
        started,
        ctx.clock(),
        status,
        evidence.id if evidence else None,
        error[:2000],
        who.person_id or "schedule",
    )
