"""Use cases of monitoring: monitors and their schedule, a run over its window (evidence,
alerts, triggers in one transaction), the runs due now, evidence series, alerts, reviews and
evidence freshness."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from charter.accountability.domain.raci import Activity, RaciLetter
from charter.inventory.domain import AISystem
from charter.kernel.access import Action, Actor, allowed, ensure, ensure_member
from charter.kernel.context import record
from charter.kernel.errors import Conflict, InvalidInput
from charter.kernel.lookups import ensure_unique, hold, require
from charter.kernel.records import utc_timestamp
from charter.monitoring.domain.monitors import (
    Alert,
    AlertStatus,
    Location,
    Monitor,
    Review,
    ReviewKind,
    Run,
    RunStatus,
    Series,
    breaches,
    check_monitor,
    parse_location,
    placed_at,
    series,
)
from charter.monitoring.domain.rules import fired
from charter.monitoring.domain.schedule import latest_slot, parse_cron, render
from charter.monitoring.ports import Context, UnitOfWork
from charter.notifications.services import notify
from charter.validation.domain.evidence import Aggregates, Evidence, judge_suite
from charter.validation.domain.suite import Source, Suite, parse_suite


def _scheduler(monitor: Monitor) -> Actor:
    return Actor(person_id=None, label=f"monitor:{monitor.id}")


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
    with ctx.uow() as uow:
        systems = {s.id: s for s in uow.systems.all()}
        found = uow.monitors.all(**({"system_id": system_id} if system_id else {}))
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


# --- a run ---------------------------------------------------------------------------------


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


def accountable(uow: UnitOfWork, system: AISystem) -> str | None:
    """Who is Accountable for monitoring the system (its RACI), else its owner."""
    for entry in uow.raci.for_system(system.id):
        if entry.activity is Activity.MONITORING and entry.letter is RaciLetter.ACCOUNTABLE:
            return entry.person_id
    return system.owner_id


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
        run = _run(ctx, monitor, at, started, evidence, error, who)
        uow.runs.add(run)
        _alerts(ctx, uow, monitor, system, run, evidence)
        _triggers(ctx, uow, monitor, system)
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


def _alerts(
    ctx: Context,
    uow: UnitOfWork,
    monitor: Monitor,
    system: AISystem,
    run: Run,
    evidence: Evidence | None,
) -> None:
    """Open an alert per breached check (or extend the open one with this run); mark the open
    ones whose check this run satisfied as recovered."""
    now = ctx.clock()
    breached = {r.check_id: r for r in breaches(evidence)} if evidence else {}
    checks = set(breached) or ({"run"} if evidence is None else set())
    open_alerts = {
        a.check_id: a for a in uow.alerts.all(monitor_id=monitor.id, status=AlertStatus.OPEN)
    }
    for check in sorted(checks):
        found = open_alerts.get(check)
        if found is not None:
            uow.alerts.update(
                replace(
                    found, run_ids=(*found.run_ids, run.id), last_breach_at=now, recovered_at=None
                )
            )
            continue
        alert = Alert(ctx.new_id("al"), system.id, monitor.id, check, now, (run.id,), now)
        uow.alerts.add(alert)
        result = breached.get(check)
        what = (
            f"{check} = {result.value if result and result.value is not None else 'no value'}"
            f" ({result.verdict.value})"
            if result
            else f"the run failed: {run.error}"
        )
        notify(
            ctx,
            uow,
            "monitor.breach" if result else "monitor.failed",
            ("system", system.id),
            f"{system.name}: {monitor.name}: {what}",
            [accountable(uow, system)],
            {
                "system_id": system.id,
                "monitor": monitor.name,
                "check": check,
                "run": run.id,
                "alert": alert.id,
            },
        )
    if evidence is not None:
        for check, alert in open_alerts.items():
            if check not in checks and alert.recovered_at is None:
                uow.alerts.update(replace(alert, recovered_at=now))


def _triggers(ctx: Context, uow: UnitOfWork, monitor: Monitor, system: AISystem) -> None:
    """Raise a review for each trigger the system's recent series meet, unless one is open."""
    recent = uow.evidence.for_system(system.id, 100)
    found = series([e for e in recent if e.suite_name == monitor.suite.get("name")])
    open_rules = {r.rule_id for r in uow.monitor_reviews.all(system_id=system.id, status="open")}
    for trigger, hit in fired(ctx.monitoring_rules, found):
        if trigger.id in open_rules:
            continue
        open_rules.add(trigger.id)
        reason = f"{trigger.title}: {hit.check_id} ({hit.metric}) over the last {trigger.runs} runs"
        _open_review(ctx, uow, system, trigger.raise_kind.value, trigger.id, reason)


def _open_review(
    ctx: Context, uow: UnitOfWork, system: AISystem, kind: str, rule: str, reason: str
) -> Review:
    review = Review(
        ctx.new_id("rv"),
        system.id,
        ReviewKind(kind),
        rule,
        reason,
        accountable(uow, system),
        ctx.clock(),
    )
    uow.monitor_reviews.add(review)
    record(
        ctx,
        uow,
        Actor(None, "monitoring"),
        "review.opened",
        "system",
        system.id,
        {"review": review.id, "rule": rule, "kind": kind, "assignee": review.assignee_id},
    )
    notify(
        ctx,
        uow,
        "review.assigned",
        ("system", system.id),
        f"{system.name}: {reason}",
        [review.assignee_id],
        {"system_id": system.id, "review": review.id, "kind": kind},
    )
    return review


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


# --- reading -------------------------------------------------------------------------------


def _system(ctx: Context, actor: Actor, system_id: str) -> AISystem:
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
    _system(ctx, actor, system_id)
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
    _system(ctx, actor, monitor.system_id)
    with ctx.uow() as uow:
        return uow.runs.find({"monitor_id": monitor_id}, order="-slot", limit=limit).items


def alerts(
    ctx: Context, actor: Actor, system_id: str | None = None, open_only: bool = True
) -> list[Alert]:
    ensure_member(actor)
    with ctx.uow() as uow:
        systems = {s.id: s for s in uow.systems.all()}
        filters: dict[str, object] = {"status": AlertStatus.OPEN} if open_only else {}
        if system_id:
            filters["system_id"] = system_id
        found = uow.alerts.find(filters, order="-last_breach_at", limit=500).items
    return [
        a
        for a in found
        if allowed(actor, Action.READ, systems[a.system_id].business_unit_id, a.system_id)
    ]


def resolve_alert(ctx: Context, actor: Actor, alert_id: str, note: str) -> Alert:
    with ctx.uow() as uow:
        system_id = require(uow.alerts, "alert", alert_id).system_id
        system = hold(uow.systems, "system", system_id)
        ensure(actor, Action.MONITOR_MANAGE, system.business_unit_id, system.id)
        alert = require(uow.alerts, "alert", alert_id)
        if not note.strip():
            raise InvalidInput("say how the alert was resolved", details={"field": "note"})
        done = replace(
            alert,
            status=AlertStatus.RESOLVED,
            resolved_at=ctx.clock(),
            resolved_by=actor.ref,
            note=note.strip(),
        )
        uow.alerts.update(done, when={"status": AlertStatus.OPEN})
        record(
            ctx,
            uow,
            actor,
            "alert.resolved",
            "system",
            system.id,
            {"alert": alert_id, "note": done.note},
        )
        uow.commit()
    return done


def reviews(
    ctx: Context, actor: Actor, system_id: str | None = None, open_only: bool = True
) -> list[Review]:
    ensure_member(actor)
    with ctx.uow() as uow:
        systems = {s.id: s for s in uow.systems.all()}
        filters: dict[str, object] = {"status": "open"} if open_only else {}
        if system_id:
            filters["system_id"] = system_id
        found = uow.monitor_reviews.find(filters, order="-opened_at", limit=500).items
    return [
        r
        for r in found
        if allowed(actor, Action.READ, systems[r.system_id].business_unit_id, r.system_id)
    ]


def close_review(ctx: Context, actor: Actor, review_id: str, outcome: str) -> Review:
    with ctx.uow() as uow:
        system_id = require(uow.monitor_reviews, "review", review_id).system_id
        system = hold(uow.systems, "system", system_id)
        review = require(uow.monitor_reviews, "review", review_id)
        if actor.person_id != review.assignee_id:
            ensure(actor, Action.MONITOR_MANAGE, system.business_unit_id, system.id)
        if not outcome.strip():
            raise InvalidInput("say what the review found", details={"field": "outcome"})
        done = replace(
            review,
            status="done",
            closed_at=ctx.clock(),
            closed_by=actor.ref,
            outcome=outcome.strip(),
        )
        uow.monitor_reviews.update(done, when={"status": "open"})
        record(
            ctx,
            uow,
            actor,
            "review.closed",
            "system",
            system.id,
            {"review": review_id, "outcome": done.outcome},
        )
        uow.commit()
    return done


def stale_evidence(ctx: Context, actor: Actor) -> list[tuple[AISystem, str, datetime | None]]:
    """Systems whose latest evidence is older than a freshness rule allows at their stage:
    (system, rule id, when the latest evidence was recorded)."""
    ensure_member(actor)
    return [f for f in _stale(ctx) if allowed(actor, Action.READ, f[0].business_unit_id, f[0].id)]


def _stale(ctx: Context) -> list[tuple[AISystem, str, datetime | None]]:
    now, out = ctx.clock(), []
    with ctx.uow() as uow:
        systems = uow.systems.all()
        latest = uow.evidence.latest(per_system=1)
    for system in systems:
        found = latest.get(system.id)
        when = found[0].recorded_at if found else None
        out += [
            (system, rule.id, when)
            for rule in ctx.monitoring_rules.freshness
            if rule.stale(system.stage, when, now)
        ]
    return out


def sweep_freshness(ctx: Context) -> int:
    """Open a review for each system whose evidence a freshness rule finds stale and that asks
    for one (unless one is open for that rule); how many were opened."""
    rules = {r.id: r for r in ctx.monitoring_rules.freshness if r.raise_review}
    opened = 0
    for system, rule_id, when in _stale(ctx):
        if rule_id not in rules:
            continue
        with ctx.uow() as uow:
            held = hold(uow.systems, "system", system.id)
            if uow.monitor_reviews.all(system_id=system.id, rule_id=rule_id, status="open"):
                continue
            age = f"latest {when:%Y-%m-%d}" if when else "none recorded"
            _open_review(ctx, uow, held, "review", rule_id, f"{rules[rule_id].title} ({age})")
            uow.commit()
        opened += 1
    return opened


def tick(ctx: Context) -> None:
    """The server's round: due monitors, then stale evidence."""
    run_due(ctx)
    sweep_freshness(ctx)
