"""Evidence freshness: systems whose latest evidence a freshness rule finds stale, and the
reviews opened for them."""

from __future__ import annotations

from datetime import datetime

from charter.inventory.domain import AISystem
from charter.kernel.access import Action, Actor, allowed, ensure_member
from charter.kernel.lookups import hold
from charter.monitoring.ports import Context
from charter.monitoring.services.alerting import open_review


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
            open_review(ctx, uow, held, "review", rule_id, f"{rules[rule_id].title} ({age})")
            uow.commit()
        opened += 1
    return opened
