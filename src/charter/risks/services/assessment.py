"""Automated risk assessment at intake and classification: a use case's screening answers, or
a system's latest EU AI Act classification, training data and sourcing, with two answers of a
person (autonomy, audience), propose catalogue risks with first ratings. Proposing writes
nothing; adopting registers only the proposals a person chose, with the changes they made."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from charter.inventory.domain import AISystem, OperatorRole
from charter.kernel.access import Action, Actor, allowed, ensure
from charter.kernel.errors import Forbidden, InvalidInput
from charter.kernel.lookups import check_fields, require
from charter.risks.domain.assessment import Proposal, Subject, check_answers, facts_of, propose
from charter.risks.domain.register import EDITABLE, Risk, RiskStatus
from charter.risks.domain.standing import next_review
from charter.risks.ports import Context, UnitOfWork
from charter.risks.services.register import NULLABLE, add_risk, owner_id_of, risk_values

EXTRA = ("personal_data", "special_category")


@dataclass(frozen=True, slots=True)
class Assessment:
    subject: str  # "system" or "use_case"
    subject_id: str
    facts: dict[str, Any]
    proposals: list[Proposal]


def _system_subject(uow: UnitOfWork, system: AISystem) -> Subject:
    found = uow.classifications.all(system_id=system.id)
    latest = max(found, key=lambda c: c.classified_at) if found else None
    models = {m.id for m in uow.models.all(system_id=system.id)}
    used = {v.training_dataset_id for v in uow.model_versions.all() if v.model_id in models}
    data = [d for d in uow.datasets.all() if d.id in used]
    return Subject(
        latest.tier if latest else system.risk_tier.value,
        dict(latest.answers) if latest else {},
        (),
        bool(latest and latest.result.get("gpai")),
        any(d.contains_personal_data for d in data),
        any(d.special_category_data for d in data),
        system.tags,
        system.vendor_id is not None or system.operator_role is not OperatorRole.PROVIDER,
    )


def _subject(
    uow: UnitOfWork, actor: Actor, kind: str, ident: str
) -> tuple[Subject, dict[str, Any]]:
    """What is assessed, and where its risks are registered."""
    if kind == "system":
        system = require(uow.systems, "system", ident)
        ensure(actor, Action.READ, system.business_unit_id, system.id)
        return _system_subject(uow, system), {"system_id": system.id}
    if kind == "use_case":
        case = require(uow.use_cases, "use case", ident)
        if not allowed(actor, Action.READ, case.business_unit_id):
            raise Forbidden(f"{actor.label} may not read use case {ident}")
        tier = case.screening_tier or "unclassified"
        return Subject(tier, dict(case.screening)), {"use_case_id": case.id}
    raise InvalidInput(f"a risk assessment is of a system or a use_case, not {kind!r}")


def _assessed(
    ctx: Context, uow: UnitOfWork, actor: Actor, kind: str, ident: str,
    answers: Mapping[str, str], extra: Mapping[str, bool],
) -> tuple[Assessment, dict[str, Any]]:  # fmt: skip
    given = check_answers(ctx.risk_rules, answers)
    unknown = sorted(set(extra) - set(EXTRA))
    if unknown:
        raise InvalidInput(f"unknown data categories: {', '.join(unknown)}")
    subject, where = _subject(uow, actor, kind, ident)
    facts = facts_of(subject, given, extra)
    open_ = uow.risks.all(status=RiskStatus.OPEN, **where)
    found = propose(ctx.risk_rules, ctx.risk_model, facts, {r.category for r in open_})
    return Assessment(kind, ident, facts, found), where


def assess(
    ctx: Context,
    actor: Actor,
    kind: str,
    ident: str,
    answers: Mapping[str, str],
    extra: Mapping[str, bool] | None = None,
) -> Assessment:
    """The proposals for a system or a use case; nothing is written."""
    with ctx.uow() as uow:
        return _assessed(ctx, uow, actor, kind, ident, answers, extra or {})[0]


def adopt(
    ctx: Context,
    actor: Actor,
    kind: str,
    ident: str,
    answers: Mapping[str, str],
    choices: Sequence[Mapping[str, Any]],
    known: Collection[str],
    extra: Mapping[str, bool] | None = None,
) -> list[Risk]:
    """Register the proposals a person chose (`choices`: each names its `rule` and may change
    any field of the risk), all in one transaction; a rule not proposed is refused."""
    if not choices:
        raise InvalidInput("choose at least one proposal to adopt")
    if actor.person_id is None:
        raise InvalidInput("risks are adopted by a person")
    with ctx.uow() as uow:
        done, where = _assessed(ctx, uow, actor, kind, ident, answers, extra or {})
        proposed = {p.rule: p for p in done.proposals}
        out = []
        for choice in choices:
            rule = str(choice.get("rule", ""))
            if rule not in proposed:
                raise InvalidInput(
                    f"rule {rule!r} proposes nothing here", details={"field": "rule"}
                )
            values = owner_id_of(uow, {k: v for k, v in choice.items() if k != "rule"})
            check_fields("risk", values, EDITABLE, NULLABLE)
            risk = _from_proposal(ctx, actor.person_id, proposed[rule], values, where)
            add_risk(ctx, uow, actor, risk, known)
            out.append(risk)
        uow.commit()
    return out


def _from_proposal(
    ctx: Context, person: str, p: Proposal, values: Mapping[str, Any], where: Mapping[str, Any]
) -> Risk:
    base = {
        "title": p.title, "category": p.category, "cause": p.cause, "consequence": p.consequence,
        "inherent_likelihood": p.rating.likelihood, "inherent_impact": p.rating.impact,
        "treatment": "mitigate", "review_by": next_review(ctx.risk_model, ctx.clock().date()),
    }  # fmt: skip
    fields = risk_values({**base, **values})
    if "owner_id" not in fields:
        raise InvalidInput(f"name the owner of {p.title!r}", details={"field": "owner_id"})
    fields.setdefault("target_likelihood", fields["inherent_likelihood"])
    fields.setdefault("target_impact", fields["inherent_impact"])
    return Risk(
        id=ctx.new_id("rsk"), created_at=ctx.clock(), created_by=person,
        origin=f"assessment:{p.rule}", **where, **fields,
    )  # fmt: skip
