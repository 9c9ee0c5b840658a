"""A body's agenda, built from what is pending in its remit: transitions whose open approval
its voting members may give, waivers about to lapse, use cases awaiting a decision, KPIs
missing their target, risks above appetite and acceptances about to lapse."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from charter.bodies.domain import AgendaItem, Body, Member, Remit
from charter.bodies.ports import Context, UnitOfWork
from charter.governance.domain.lifecycle import Approval, Decision, RequestStatus, right_for
from charter.kernel.figures import readable
from charter.kernel.labels import label
from charter.kernel.lookups import by_ids
from charter.risks.services import views
from charter.strategy.domain.kpis import Kpi, Measurement, alert
from charter.strategy.domain.strategy import UseCaseStatus

WAIVER_NOTICE = timedelta(days=30)


def _transitions(ctx: Context, uow: UnitOfWork, members: Sequence[Member]) -> list[AgendaItem]:
    voters = {m.person_id for m in members if m.votes}
    roles = [r for r in uow.roles.all() if r.person_id in voters]
    pending = sorted(uow.requests.all(status=RequestStatus.PENDING), key=lambda r: r.requested_at)
    systems = by_ids(uow.systems, {r.system_id for r in pending})
    approvals: dict[str, list[Approval]] = {}
    for a in uow.approvals.all(request_id=frozenset(r.id for r in pending)) if pending else ():
        approvals.setdefault(a.request_id, []).append(a)
    out = []
    for request in pending:
        system = systems.get(request.system_id)
        if system is None or system.stage is not request.source:
            continue
        given = {
            a.slot
            for a in approvals.get(request.id, ())
            if a.decision is Decision.APPROVE and a.counts_for(system)
        }
        for slot in right_for(ctx.rights, system, request.target).approvals:
            entitled = any(
                r.role in slot.any_of and r.covers(system.business_unit_id, system.id)
                for r in roles
            )
            if slot.label not in given and entitled:
                out.append(AgendaItem(
                    "transition", request.id,
                    f"{system.name}: {label(request.source)} → {label(request.target)} "
                    f"({slot.label})", request.reason, system.business_unit_id, system.id,
                ))  # fmt: skip
    return out


def _waivers(ctx: Context, uow: UnitOfWork) -> list[AgendaItem]:
    now = ctx.clock()
    lapsing = [
        w for w in uow.waivers.all() if w.active(now) and w.expires_at - now <= WAIVER_NOTICE
    ]
    systems = by_ids(uow.systems, {w.system_id for w in lapsing})
    return [
        AgendaItem(
            "waiver_expiring", w.id,
            f"Waiver of {w.policy_id}/{w.requirement_id} on "
            f"{systems[w.system_id].name if w.system_id in systems else w.system_id} "
            f"expires {w.expires_at:%Y-%m-%d}: renew or let it lapse", w.compensating_measures,
            systems[w.system_id].business_unit_id if w.system_id in systems else None,
            w.system_id,
        )
        for w in sorted(lapsing, key=lambda w: w.expires_at)
    ]  # fmt: skip


def _use_cases(uow: UnitOfWork) -> list[AgendaItem]:
    waiting = uow.use_cases.all(status=UseCaseStatus.SUBMITTED)
    return [
        AgendaItem(
            "use_case", u.id, f"Use case awaiting a decision: {u.title}",
            "sponsor named" if u.sponsor_id else "no executive sponsor yet", u.business_unit_id,
        )
        for u in sorted(waiting, key=lambda u: u.submitted_at)
    ]  # fmt: skip


def _kpi_misses(uow: UnitOfWork) -> list[AgendaItem]:
    kpis = [k for k in uow.kpis.all() if k.active]
    systems = {
        i: s.business_unit_id
        for i, s in by_ids(uow.systems, {k.system_id for k in kpis if k.system_id}).items()
    }
    cases = {
        i: u.business_unit_id
        for i, u in by_ids(uow.use_cases, {k.use_case_id for k in kpis if k.use_case_id}).items()
    }

    def where(kpi: Kpi) -> tuple[str | None, str | None]:
        if kpi.system_id:
            return systems.get(kpi.system_id), kpi.system_id
        return cases.get(kpi.use_case_id or ""), None

    series: dict[str, list[Measurement]] = {}
    for m in uow.measurements.all(kpi_id=frozenset(k.id for k in kpis)) if kpis else []:
        series.setdefault(m.kpi_id, []).append(m)
    out = []
    for kpi in sorted(kpis, key=lambda k: k.name):
        found = alert(kpi, series.get(kpi.id, []))
        if found is not None:
            out.append(AgendaItem(
                "kpi_miss", kpi.id,
                f"KPI {kpi.name} missed its target for {found.missed} periods",
                f"last {readable(found.last)} {kpi.unit}, target {readable(kpi.target)}",
                *where(kpi),
            ))  # fmt: skip
    return out


def _risks(ctx: Context, uow: UnitOfWork, body: Body) -> list[AgendaItem]:
    """Risks above appetite the body may accept, and its acceptances about to lapse."""
    now = ctx.clock()
    items = [
        AgendaItem(
            "risk", p.risk.id,
            f"Risk above appetite: {p.risk.title} (residual {p.residual_band}, appetite "
            f"{p.appetite_band}): accept it or ask for treatment", p.risk.consequence,
        )
        for p in views.above_in_remit(ctx, uow, body.id)
    ]  # fmt: skip
    lapsing = [
        a for a in uow.risk_acceptances.all(body_id=body.id)
        if a.active(now) and a.expires_at - now <= WAIVER_NOTICE
    ]  # fmt: skip
    return items + [
        AgendaItem(
            "acceptance_expiring", a.risk_id,
            f"Acceptance {a.id} of risk {a.risk_id} lapses {a.expires_at:%Y-%m-%d}: renew or "
            "let it lapse", a.conditions,
        )
        for a in sorted(lapsing, key=lambda a: a.expires_at)
    ]  # fmt: skip


def agenda_for(
    ctx: Context, uow: UnitOfWork, body: Body, members: Sequence[Member]
) -> list[AgendaItem]:
    items: list[AgendaItem] = []
    if Remit.TRANSITIONS in body.remit:
        items += _transitions(ctx, uow, members)
    if Remit.WAIVERS in body.remit:
        items += _waivers(ctx, uow)
    if Remit.PORTFOLIO in body.remit:
        items += _use_cases(uow)
    if Remit.VALUE in body.remit:
        items += _kpi_misses(uow)
    if Remit.RISK_ACCEPTANCE in body.remit:
        items += _risks(ctx, uow, body)
    return items
