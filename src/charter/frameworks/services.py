"""Use cases for EU AI Act classification: classify a system (recorded, audited, and its risk
tier updated in the same transaction), read its latest classification."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from charter.frameworks.domain.classification import (
    Classification,
    ClassificationRecord,
    as_plain,
    classify,
)
from charter.frameworks.ports import Context
from charter.kernel.access import Action, Actor, allowed, ensure, ensure_member
from charter.kernel.context import record
from charter.kernel.errors import Forbidden, InvalidInput
from charter.kernel.lookups import hold, require


def classify_system(
    ctx: Context,
    actor: Actor,
    system_id: str,
    answers: Mapping[str, Any],
    data: Mapping[str, Any],
) -> tuple[ClassificationRecord, Classification]:
    """Classify from the answers; a new answer set re-classifies (the latest record counts)."""
    with ctx.uow() as uow:
        system = hold(uow.systems, "system", system_id)
        ensure(actor, Action.RISK_CLASSIFY, system.business_unit_id, system.id)
        now = ctx.clock()
        result = classify(data, answers, system.operator_role, now.date())
        item = ClassificationRecord(
            ctx.new_id("cls"), system.id, dict(answers), as_plain(result), result.tier, now,
            actor.ref,
        )  # fmt: skip
        uow.classifications.add(item)
        if system.risk_tier is not result.risk_tier:
            uow.systems.update(replace(system, risk_tier=result.risk_tier))
        record(
            ctx,
            uow,
            actor,
            "system.classified",
            "system",
            system.id,
            {
                "classification": item.id,
                "tier": result.tier,
                "risk_tier": [system.risk_tier.value, result.risk_tier.value],
                "schedule": result.schedule,
                "cites": list(result.cites),
                "uncertain": result.uncertain,
            },
        )
        uow.commit()
    return item, result


def latest(ctx: Context, actor: Actor, system_id: str) -> ClassificationRecord | None:
    with ctx.uow() as uow:
        system = require(uow.systems, "system", system_id)
        ensure(actor, Action.READ, system.business_unit_id, system.id)
        found = uow.classifications.all(system_id=system_id)
    return max(found, key=lambda c: c.classified_at) if found else None


def screening_answers(
    ctx: Context, actor: Actor, system_id: str, use_case_id: str
) -> Mapping[str, object]:
    """The screening answers of a use case the system delivers: where its classification
    starts. The reader must be able to read the use case (its unit or one of its systems)."""
    ensure_member(actor)
    with ctx.uow() as uow:
        use_case = require(uow.use_cases, "use case", use_case_id)
    readable = allowed(actor, Action.READ, use_case.business_unit_id) or any(
        allowed(actor, Action.READ, None, s) for s in use_case.system_ids
    )
    if not readable:
        raise Forbidden(f"{actor.label} may not read use case {use_case_id}")
    if system_id not in use_case.system_ids:
        raise InvalidInput(f"use case {use_case_id} is not linked to system {system_id}")
    if not use_case.screening:
        raise InvalidInput(f"use case {use_case_id} has no EU AI Act screening")
    return dict(use_case.screening)
