"""Reminders the server's schedule writes: a waiver or a training that expires within the
context's `reminder_days`, a KPI whose latest periods missed its target as often as it allows.
Each is written once (a notice key names what it is about), so a round that runs again, or a
second server, tells nobody twice."""

from __future__ import annotations

from datetime import timedelta

from charter.governance.ports import Context, UnitOfWork
from charter.kernel.records import utc_timestamp
from charter.notifications.services import notify
from charter.people.domain.talent import renewals_due
from charter.strategy.domain.kpis import alert


def _waivers(ctx: Context, uow: UnitOfWork) -> int:
    now = ctx.clock()
    soon, written = now + timedelta(days=ctx.reminder_days), 0
    for waiver in uow.waivers.all(revoked_at=None):
        if not (waiver.active(now) and waiver.expires_at <= soon):
            continue
        system = uow.systems.get(waiver.system_id)
        name = system.name if system else waiver.system_id
        written += notify(
            ctx,
            uow,
            "waiver.expiring",
            ("waiver", waiver.id),
            f"{name}: the waiver of {waiver.policy_id}/{waiver.requirement_id} expires on "
            f"{waiver.expires_at:%Y-%m-%d}",
            [system.owner_id if system else None, waiver.granted_by],
            {"system_id": waiver.system_id, "expires_at": utc_timestamp(waiver.expires_at)},
            key=f"waiver.expiring:{waiver.id}:{waiver.expires_at:%Y-%m-%d}",
        )
    return written


def _trainings(ctx: Context, uow: UnitOfWork) -> int:
    today, written = ctx.clock().date(), 0
    courses = {c.id: c.title for c in uow.courses.all()}
    for done in renewals_due(uow.completions.all(), today, ctx.reminder_days):
        title = courses.get(done.course_id, done.course_id)
        written += notify(
            ctx,
            uow,
            "training.expiring",
            ("completion", done.id),
            f"Your training {title} expires on {done.expires_on}",
            [done.person_id],
            {"course_id": done.course_id, "expires_on": str(done.expires_on)},
            key=f"training.expiring:{done.id}",
        )
    return written


def _kpis(ctx: Context, uow: UnitOfWork) -> int:
    kpis = [k for k in uow.kpis.all() if k.active]
    measured = uow.measurements.all(kpi_id=frozenset(k.id for k in kpis)) if kpis else []
    written = 0
    for kpi in kpis:
        missed = alert(kpi, [m for m in measured if m.kpi_id == kpi.id])
        if missed is None:
            continue
        written += notify(
            ctx,
            uow,
            "kpi.missed",
            ("kpi", kpi.id),
            f"{kpi.name} missed its target {missed.missed} periods in a row "
            f"(last {missed.last:g}, target {kpi.target:g} {kpi.unit})",
            [kpi.owner_id],
            {"kpi_id": kpi.id, "since": str(missed.since), "missed": missed.missed},
            key=f"kpi.missed:{kpi.id}:{missed.since}",  # once per streak
        )
    return written


def remind_due(ctx: Context) -> int:
    """Write the reminders due now in one transaction; how many were new."""
    with ctx.uow() as uow:
        written = _waivers(ctx, uow) + _trainings(ctx, uow) + _kpis(ctx, uow)
        uow.commit()
    return written
