"""Use cases for strategy alignment: objectives, use-case intake with duplicate detection,
assessment, portfolio decisions, roadmap plans, and the systems that deliver a use case."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from charter.frameworks.domain.classification import classify
from charter.inventory import services as inventory
from charter.inventory.domain import AISystem, OperatorRole
from charter.kernel.access import Action, Actor, allowed, ensure
from charter.kernel.context import record, snapshot
from charter.kernel.errors import Conflict, Forbidden, InvalidInput
from charter.kernel.lookups import (
    check_fields,
    ensure_unique,
    optional_person_id,
    require,
    unit_id,
)
from charter.kernel.names import require_name
from charter.kernel.records import changes
from charter.strategy.domain.similarity import Match, near_duplicates
from charter.strategy.domain.strategy import (
    INTAKE_FIELDS,
    Objective,
    PortfolioDecision,
    UseCase,
    UseCaseStatus,
    check_dependencies,
    check_plan,
    clean,
    decide,
    intake_text,
    is_sponsor,
    parse_estimates,
)
from charter.strategy.ports import Context, UnitOfWork
from charter.strategy.services.portfolio import readable

NULLABLE = frozenset({"sponsor_id", "cost_estimate", "time_to_value_months"})


def create_objective(
    ctx: Context, actor: Actor, name: str, description: str = "", owner_id: str | None = None
) -> Objective:
    ensure(actor, Action.PORTFOLIO_MANAGE)
    name = require_name(name)
    with ctx.uow() as uow:
        owner = optional_person_id(uow.people, owner_id)
        item = Objective(ctx.new_id("obj"), name, description.strip(), owner)
        ensure_unique(uow.objectives, "objective", "name", item.name)
        uow.objectives.add(item)
        record(ctx, uow, actor, "objective.created", "objective", item.id, snapshot(item))
        uow.commit()
    return item


def _screened(use_case: UseCase, data: Mapping[str, Any]) -> UseCase:
    """The tier the EU AI Act screening answers indicate (deployer unless stated)."""
    if not use_case.screening:
        return replace(use_case, screening_tier=None)
    result = classify(data, use_case.screening, OperatorRole.DEPLOYER, use_case.submitted_at.date())
    return replace(use_case, screening_tier=result.tier)


def _resolve_refs(uow: UnitOfWork, use_case: UseCase) -> UseCase:
    """The use case with its unit and sponsor named by id (given by id, e-mail or name)."""
    require(uow.objectives, "objective", use_case.objective_id)
    return replace(
        use_case,
        business_unit_id=unit_id(uow.units, use_case.business_unit_id),
        sponsor_id=optional_person_id(uow.people, use_case.sponsor_id),
    )


def _duplicates(uow: UnitOfWork, use_case: UseCase) -> list[Match]:
    candidates = [
        (f"use_case:{u.id}", u.title, intake_text(u))
        for u in uow.use_cases.all()
        if u.id != use_case.id
    ] + [(f"system:{s.id}", s.name, f"{s.name} {s.purpose}") for s in uow.systems.all()]
    return near_duplicates(intake_text(use_case), candidates)


def submit_use_case(
    ctx: Context, actor: Actor, classification: Mapping[str, Any], **values: Any
) -> tuple[UseCase, list[Match]]:
    """Intake: record a proposed use case, flag near-duplicates of existing use cases and
    systems, and screen it under the EU AI Act when screening answers are given."""
    check_fields("use case", values, INTAKE_FIELDS, NULLABLE)
    missing = [f for f in ("title", "objective_id", "business_unit_id") if not values.get(f)]
    if missing:
        raise InvalidInput(f"missing use case field(s): {', '.join(missing)}")
    if actor.person_id is None:
        raise InvalidInput("a use case is submitted by a person")
    values["estimates"] = parse_estimates(values.get("estimates", []))
    draft = UseCase(
        id=ctx.new_id("uc"), submitted_by=actor.person_id, submitted_at=ctx.clock(), **values
    )
    use_case = _screened(clean(draft), classification)
    with ctx.uow() as uow:
        use_case = _resolve_refs(uow, use_case)
        ensure(actor, Action.USE_CASE_SUBMIT, use_case.business_unit_id)
        inventory.ensure_active_owner(uow, use_case.sponsor_id, field="sponsor_id")
        found = _duplicates(uow, use_case)
        use_case = replace(use_case, duplicates=tuple(m.ref for m in found))
        uow.use_cases.add(use_case)
        data = snapshot(use_case) | {"duplicates": [[m.ref, _percent(m)] for m in found]}
        record(ctx, uow, actor, "use_case.submitted", "use_case", use_case.id, data)
        uow.commit()
        seen = readable(uow, actor)
    shown = seen.as_seen(use_case)
    return shown, [m for m in found if m.ref in shown.duplicates]


def _percent(match: Match) -> int:
    return round(match.similarity * 100)


def _may_edit(actor: Actor, use_case: UseCase) -> None:
    """Assessors of the business unit, or the submitter while it awaits a decision."""
    if allowed(actor, Action.PORTFOLIO_MANAGE, use_case.business_unit_id):
        return
    if actor.person_id == use_case.submitted_by and use_case.status is UseCaseStatus.SUBMITTED:
        return
    raise Forbidden(
        f"{actor.label} may not change use case {use_case.id}: it needs "
        f"{Action.PORTFOLIO_MANAGE.value.replace('_', ' ')} in its business unit"
    )


def update_use_case(
    ctx: Context, actor: Actor, use_case_id: str, classification: Mapping[str, Any], **values: Any
) -> UseCase:
    """Assessment: ratings, estimates, sponsor and the rest of the intake fields."""
    check_fields("use case", values, INTAKE_FIELDS, NULLABLE)
    if "estimates" in values:
        values["estimates"] = parse_estimates(values["estimates"])
    with ctx.uow() as uow:
        before = require(uow.use_cases, "use case", use_case_id)
        _may_edit(actor, before)
        after = _resolve_refs(uow, clean(replace(before, **values)))
        inventory.ensure_active_owner(uow, after.sponsor_id, before.sponsor_id, "sponsor_id")
        if "screening" in values:
            after = _screened(after, classification)
        if after.business_unit_id != before.business_unit_id:
            ensure(actor, Action.PORTFOLIO_MANAGE, after.business_unit_id)
        diff = changes(before, after, (*INTAKE_FIELDS, "screening_tier"))
        if diff:
            uow.use_cases.update(after)
            record(ctx, uow, actor, "use_case.updated", "use_case", use_case_id, diff)
            uow.commit()
        return readable(uow, actor).as_seen(after)


def apply_decision(
    ctx: Context,
    uow: UnitOfWork,
    actor: Actor,
    use_case: UseCase,
    decision: PortfolioDecision,
    reason: str,
    extra: Mapping[str, Any] | None = None,
) -> UseCase:
    """Take a portfolio decision inside the caller's transaction (a body's meeting, too)."""
    if actor.person_id is None:
        raise InvalidInput("a portfolio decision is taken by a person")
    roles = tuple(uow.roles.all())
    sponsor = uow.people.get(use_case.sponsor_id) if use_case.sponsor_id else None
    sponsor_ok = (
        sponsor is not None
        and sponsor.active
        and is_sponsor(sponsor.id, roles, use_case.business_unit_id)
    )  # a sponsor who left sponsors nothing
    after = decide(use_case, decision, actor.person_id, reason, ctx.clock(), sponsor_ok)
    uow.use_cases.update(after)
    data = {
        "decision": decision.value,
        "status": [use_case.status.value, after.status.value],
        "reason": after.decision_reason,
        **(extra or {}),
    }
    record(ctx, uow, actor, f"use_case.{after.status.value}", "use_case", use_case.id, data)
    return after


def decide_use_case(
    ctx: Context, actor: Actor, use_case_id: str, decision: PortfolioDecision, reason: str
) -> UseCase:
    """Approve (with a sponsor holding the role), park, reject, reopen; deliver or stop."""
    decision = PortfolioDecision(decision)
    with ctx.uow() as uow:
        use_case = require(uow.use_cases, "use case", use_case_id)
        action = (
            Action.PORTFOLIO_MANAGE
            if decision in (PortfolioDecision.DELIVER, PortfolioDecision.REOPEN)
            and allowed(actor, Action.PORTFOLIO_MANAGE, use_case.business_unit_id)
            else Action.PORTFOLIO_DECIDE
        )
        ensure(actor, action, use_case.business_unit_id)
        after = apply_decision(ctx, uow, actor, use_case, decision, reason)
        uow.commit()
        return readable(uow, actor).as_seen(after)


def plan_use_case(
    ctx: Context,
    actor: Actor,
    use_case_id: str,
    start_quarter: str | None,
    end_quarter: str | None,
    depends_on: tuple[str, ...] = (),
) -> UseCase:
    """Place a use case on the roadmap: quarters and the use cases it depends on."""
    check_plan(start_quarter, end_quarter)
    with ctx.uow() as uow:
        before = require(uow.use_cases, "use case", use_case_id)
        ensure(actor, Action.PORTFOLIO_MANAGE, before.business_unit_id)
        graph = {u.id: u.depends_on for u in uow.use_cases.all()}
        seen = readable(uow, actor)
        deps = tuple(dict.fromkeys(depends_on))
        if seen.use_cases is not None:  # one the planner may not read is unknown to them
            hidden = tuple(d for d in before.depends_on if d not in seen.use_cases)
            check_dependencies(use_case_id, deps, {u: () for u in seen.use_cases | set(hidden)})
            deps = tuple(dict.fromkeys((*deps, *hidden)))  # kept as they were
        check_dependencies(use_case_id, deps, graph)
        after = replace(
            before, start_quarter=start_quarter, end_quarter=end_quarter, depends_on=deps
        )
        diff = changes(before, after, ("start_quarter", "end_quarter", "depends_on"))
        if diff:
            uow.use_cases.update(after)
            record(ctx, uow, actor, "use_case.planned", "use_case", use_case_id, diff)
            uow.commit()
        return seen.as_seen(after)


def link_system(
    ctx: Context, actor: Actor, use_case_id: str, system_id: str, linked: bool = True
) -> UseCase:
    """Link (or unlink) an AI system that delivers the use case."""
    with ctx.uow() as uow:
        before = require(uow.use_cases, "use case", use_case_id)
        ensure(actor, Action.PORTFOLIO_MANAGE, before.business_unit_id)
        system = require(uow.systems, "system", system_id)
        ensure(actor, Action.READ, system.business_unit_id, system.id)
        present = system_id in before.system_ids
        if present == linked:
            state = "already linked to" if linked else "not linked to"
            raise Conflict(f"system {system_id} is {state} use case {use_case_id}")
        ids = (
            (*before.system_ids, system_id)
            if linked
            else tuple(s for s in before.system_ids if s != system_id)
        )
        after = replace(before, system_ids=ids)
        action = "use_case.system_linked" if linked else "use_case.system_unlinked"
        record(ctx, uow, actor, action, "use_case", use_case_id, {"system": system_id})
        uow.use_cases.update(after)
        uow.commit()
        return readable(uow, actor).as_seen(after)


def promote_use_case(
    ctx: Context, actor: Actor, use_case_id: str, name: str | None = None
) -> tuple[UseCase, AISystem]:
    """An approved use case becomes an AI system in the inventory (proposed, unclassified;
    its owner the sponsor), linked to it, in one transaction, with what follows from it (its
    risks move to the system)."""
    with ctx.uow() as uow:
        use_case = require(uow.use_cases, "use case", use_case_id)
        ensure(actor, Action.PORTFOLIO_MANAGE, use_case.business_unit_id)
        if use_case.status is not UseCaseStatus.APPROVED:
            raise Conflict(f"only an approved use case becomes a system ({use_case.status.value})")
        system = AISystem(
            id=ctx.new_id("sys"),
            name=require_name(name or use_case.title),
            purpose=require_name(use_case.description or use_case.title, "purpose", 4000),
            business_unit_id=use_case.business_unit_id,
            owner_id=use_case.sponsor_id,
            tags=("from-use-case",),
        )
        system = inventory.add_system(ctx, uow, actor, system)
        after = replace(use_case, system_ids=(*use_case.system_ids, system.id))
        uow.use_cases.update(after)
        record(
            ctx, uow, actor, "use_case.system_linked", "use_case", use_case.id,
            {"system": system.id, "registered": True},
        )  # fmt: skip
        ctx.after_promotion(ctx, uow, actor, use_case.id, system.id)
        uow.commit()
    return after, system
