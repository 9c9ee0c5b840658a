"""What a run raises: an alert for a breach (opened or extended, with the runs that show
it), the reviews a monitoring rule's trigger asks for, for the accountable person."""

from __future__ import annotations

from dataclasses import replace

from charter.accountability.domain.raci import Activity, RaciLetter
from charter.inventory.domain import AISystem
from charter.kernel.access import Actor
from charter.kernel.context import record
from charter.monitoring.domain.monitors import (
    Alert,
    AlertStatus,
    Monitor,
    Review,
    ReviewKind,
    Run,
    breaches,
    series,
)
from charter.monitoring.domain.rules import fired
from charter.monitoring.ports import Context, UnitOfWork
from charter.notifications.services import notify
from charter.validation.domain.evidence import Evidence


def accountable(uow: UnitOfWork, system: AISystem) -> str | None:
    """Who is Accountable for monitoring the system (its RACI), else its owner."""
    for entry in uow.raci.for_system(system.id):
        if entry.activity is Activity.MONITORING and entry.letter is RaciLetter.ACCOUNTABLE:
            return entry.person_id
    return system.owner_id


def raise_alerts(
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


def apply_triggers(ctx: Context, uow: UnitOfWork, monitor: Monitor, system: AISystem) -> None:
    """Raise a review for each trigger the system's recent series meet, unless one is open."""
    recent = uow.evidence.for_system(system.id, 100)
    found = series([e for e in recent if e.suite_name == monitor.suite.get("name")])
    open_rules = {r.rule_id for r in uow.monitor_reviews.all(system_id=system.id, status="open")}
    for trigger, hit in fired(ctx.monitoring_rules, found):
        if trigger.id in open_rules:
            continue
        open_rules.add(trigger.id)
        reason = f"{trigger.title}: {hit.check_id} ({hit.metric}) over the last {trigger.runs} runs"
        open_review(ctx, uow, system, trigger.raise_kind.value, trigger.id, reason)


def open_review(
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
