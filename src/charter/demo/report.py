"""What the demo contains, counted from the database: the summary `charter demo` prints."""

from __future__ import annotations

from collections import Counter
from typing import Any

from charter.accountability.services import raci
from charter.bodies.services import bodies, decisions
from charter.demo.after_go_live import go_live_summary
from charter.demo.build import Demo, load_spec
from charter.frameworks.domain.packs import rollup
from charter.frameworks.files import load_packs
from charter.governance.domain.lifecycle import (
    GateResult,
    RequestStatus,
    TransitionRequest,
    right_for,
)
from charter.governance.services import lifecycle, policies, readiness
from charter.kernel.lookups import require
from charter.kernel.verdicts import Verdict
from charter.people.services import adoption, talent
from charter.risks.services import views
from charter.scorecard import services as scorecard
from charter.strategy.services import kpis, portfolio
from charter.wiring import Context


def policies_in_force_ids(ctx: Context) -> list[str]:
    with ctx.uow() as uow:
        return [p.id for p in uow.policies.all(enabled=True)]


def _blocked(
    ctx: Context, demo: Demo, pending: list[TransitionRequest]
) -> list[tuple[TransitionRequest, GateResult]]:
    """Pending requests whose every approval is given but whose gate still refuses."""
    out = []
    for request in pending:
        _, gate, approvals = lifecycle.gate_status(ctx, demo.admin, request.id)
        slots = len(
            right_for(ctx.rights, _system(ctx, request.system_id), request.target).approvals
        )
        if len(approvals) >= slots and not gate.passed:
            out.append((request, gate))
    return out


def _system(ctx: Context, system_id: str) -> Any:
    with ctx.uow() as uow:
        return require(uow.systems, "system", system_id)


def strategy_summary(ctx: Context, demo: Demo) -> dict[str, Any]:
    """The portfolio's size, spread over quadrants and statuses, and the KPIs' state."""
    found = portfolio.portfolio(ctx, demo.admin)
    cases = portfolio.list_use_cases(ctx, demo.admin)
    views = kpis.kpi_views(ctx, demo.admin)
    value = kpis.value_report(ctx, demo.admin)
    return {
        "use_cases": len(cases),
        "use_cases_by_status": dict(Counter(u.status.value for u in cases)),
        "live_use_cases_by_quadrant": dict(
            Counter(r.score.quadrant or "unplaced" for r in found.ranked)
        ),
        "kpis": len(views),
        "kpi_measurements": sum(len(v.series) for v in views),
        "kpi_alerts": len(value.alerts),
        "value_shortfalls": sum(1 for line in value.lines if (line.shortfall or 0) > 0),
    }


def people_summary(ctx: Context, demo: Demo) -> dict[str, Any]:
    """Bodies, meetings and decisions; training and literacy; adoption; the scorecard."""
    found = bodies.list_bodies(ctx, demo.admin)
    meetings = [m for b, _ in found for m in bodies.get_body(ctx, demo.admin, b.id)[2]]
    logged = decisions.decision_log(ctx, demo.admin)
    view = talent.talent_view(ctx, demo.admin)
    pillars = scorecard.leadership_scorecard(ctx, demo.admin)
    return {
        "bodies": len(found),
        "meetings": len(meetings),
        "decisions": len(logged),
        "decisions_not_carried": sum(1 for d in logged if not d.carried),
        "skills": len(view.skills),
        "skill_gaps": len(view.gaps),
        "completions": len(view.completions),
        "literacy_by_role": {c.key: c.share for c in view.by_role},
        "adoption_figures": len(adoption.adoption_view(ctx, demo.admin).figures),
        "scorecard": {p.pillar.value: None if p.score is None else round(p.score) for p in pillars},
    }


def risks_summary(ctx: Context, demo: Demo) -> dict[str, Any]:
    """The register as the board pack reads it."""
    found = views.risk_summary(ctx, demo.admin)
    return {
        "open": found.open,
        "systems": len({p.risk.system_id for p in views.register(ctx, demo.admin)}),
        "above_appetite": len(found.above_appetite),
        "accepted": [p.risk.title for p in found.accepted],
        "failing_controls": len(found.failing_controls),
        "overdue": len(found.overdue),
        "high": found.high,
        "high_in_hand": found.high_in_hand,
    }


def summary(ctx: Context, demo: Demo) -> dict[str, Any]:
    """What the demo contains, counted from the database."""
    with ctx.uow() as uow:
        systems = uow.systems.all()
        people = uow.people.all()
        roles = uow.roles.all()
        units = uow.units.all()
        pending = uow.requests.all(status=RequestStatus.PENDING)
        events = uow.audit.size()
    findings = raci.all_findings(ctx, demo.admin)
    return {
        "organisation": load_spec()["name"],
        "business_units": len(units),
        "people": len(people),
        "roles_covered": sorted({r.role.value for r in roles}),
        "systems": len(systems),
        "systems_by_stage": dict(Counter(s.stage.value for s in systems)),
        "stages_covered": sorted({s.stage.value for s in systems}),
        "raci_findings": len(findings),
        "raci_findings_by_kind": dict(Counter(f.kind.value for f in findings)),
        "pending_transition_requests": len(pending),
        "systems_by_risk_tier": dict(Counter(s.risk_tier.value for s in systems)),
        "readiness": rollup(readiness.system_readiness(ctx, demo.admin, load_packs())),
        "policies_in_force": len(policies_in_force_ids(ctx)),
        "waivers": [
            {"system": w.system_id, "requirement": f"{w.policy_id}/{w.requirement_id}"}
            for w in policies.list_waivers(ctx, demo.admin)
        ],
        "blocked_requests": [
            {"system": r.system_id, "to": r.target.value, "blocking": gate.blocking_reasons}
            for r, gate in _blocked(ctx, demo, pending)
        ],
        "strategy": strategy_summary(ctx, demo),
        "people_side": people_summary(ctx, demo),
        "after_go_live": go_live_summary(demo),
        "risks": risks_summary(ctx, demo),
        "audit_events": events,
        "evidence": [
            {
                "system": e.system_id,
                "system_name": next((s.name for s in systems if s.id == e.system_id), ""),
                "suite": e.suite_name,
                "passed": e.passed,
                "not_satisfied": [
                    r.check_id for r in e.results if r.verdict is Verdict.NOT_SATISFIED
                ],
            }
            for e in demo.evidence
        ],
    }
