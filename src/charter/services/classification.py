"""Use cases for EU AI Act classification: classify a system (recorded, audited, and its risk
tier updated in the same transaction), read its latest classification."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from charter.domain.access import Action, Actor, ensure
from charter.domain.classification import (
    Classification,
    ClassificationRecord,
    as_plain,
    classify,
)
from charter.services.context import Context, record
from charter.services.lookups import require


def classify_system(
    ctx: Context,
    actor: Actor,
    system_id: str,
    answers: Mapping[str, Any],
    data: Mapping[str, Any],
) -> tuple[ClassificationRecord, Classification]:
    """Classify from the answers; a new answer set re-classifies (the latest record counts)."""
    with ctx.uow() as uow:
        system = require(uow.systems, "system", system_id)
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
