"""Use cases for validation: run a suite's checks where the data lives, record the evidence."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from charter.inventory.domain import AISystem, LifecycleStage
from charter.kernel.access import Action, Actor, allowed, ensure
from charter.kernel.context import record
from charter.kernel.errors import InvalidInput
from charter.kernel.lookups import require
from charter.validation.domain.evidence import PROVENANCE, Aggregates, Evidence, judge_suite
from charter.validation.domain.suite import Suite
from charter.validation.ports import Context

Runner = Callable[[Suite], Aggregates]


def validate(
    ctx: Context,
    actor: Actor,
    system_id: str,
    suite: Suite,
    run: Runner,
    model_version_id: str | None = None,
    provenance: str = "local",
    took: Callable[[], float] | None = None,
) -> Evidence:
    """Compute (outside any transaction: a scan may take long), judge, then record the evidence
    and its audit event in one transaction. A run that fails records nothing. The model
    version, when given, must be a version of one of the system's models; `provenance` says
    where the data came from (PROVENANCE). `run` is called only once the actor may record
    evidence for the system (a run begun earlier hands its result over then, and `took` says
    how many seconds it took; else it is timed here)."""
    if provenance not in PROVENANCE:
        raise InvalidInput(f"unknown provenance {provenance!r}")
    with ctx.uow() as uow:
        system = require(uow.systems, "system", system_id)
        if model_version_id is not None:
            version = require(uow.model_versions, "model version", model_version_id)
            model = require(uow.models, "model", version.model_id)
            if model.system_id != system_id:
                raise InvalidInput(
                    f"model version {model_version_id} belongs to another system's model",
                    details={"field": "model_version_id"},
                )
    ensure(actor, Action.EVIDENCE_RECORD, system.business_unit_id, system.id)
    started = time.monotonic()
    aggregates = run(suite)
    results = judge_suite(suite, aggregates)
    evidence = Evidence(
        ctx.new_id("ev"),
        system_id,
        suite.name,
        suite.digest,
        aggregates.fingerprint,
        aggregates.engine,
        ctx.clock(),
        actor.ref,
        int((took() if took else time.monotonic() - started) * 1000),
        results,
        model_version_id,
        aggregates.rows,
        suite.source,
        provenance,
    )
    with ctx.uow() as uow:
        require(uow.systems, "system", system_id)
        uow.evidence.add(evidence)
        record(
            ctx,
            uow,
            actor,
            "evidence.recorded",
            "system",
            system_id,
            {
                "evidence": evidence.id,
                "suite": suite.name,
                "suite_digest": suite.digest,
                "data": aggregates.fingerprint,
                "passed": evidence.passed,
                "model_version": model_version_id,
                "rows": aggregates.rows,
                "provenance": provenance,
                "verdicts": [[r.check_id, r.verdict.value] for r in results],
            },
        )
        ctx.after_evidence(ctx, uow, actor, evidence, suite)
        uow.commit()
    return evidence


def system_evidence(ctx: Context, actor: Actor, system_id: str) -> list[Evidence]:
    with ctx.uow() as uow:
        system = require(uow.systems, "system", system_id)
        ensure(actor, Action.READ, system.business_unit_id, system.id)
        return uow.evidence.for_system(system_id)


#: stages at which a system is expected to have evidence
VALIDATED = frozenset(
    {
        LifecycleStage.IN_VALIDATION,
        LifecycleStage.APPROVED_FOR_DEPLOYMENT,
        LifecycleStage.DEPLOYED,
    }
)


@dataclass(frozen=True, slots=True)
class Freshness:
    system: AISystem
    latest: datetime | None  # when its latest evidence was recorded
    age_days: int | None
    stale: bool  # none, or older than the limit


def evidence_freshness(ctx: Context, actor: Actor, stale_days: int = 90) -> list[Freshness]:
    """How old the latest evidence of each system in validation or beyond is, oldest first
    (none first of all)."""
    with ctx.uow() as uow:
        systems = [
            s
            for s in uow.systems.all()
            if s.stage in VALIDATED and allowed(actor, Action.READ, s.business_unit_id, s.id)
        ]
        latest = uow.evidence.latest(per_system=1)
    now, out = ctx.clock(), []
    for system in systems:
        found = latest.get(system.id)
        when = found[0].recorded_at if found else None
        age = (now - when).days if when else None
        out.append(Freshness(system, when, age, age is None or age > stale_days))
    return sorted(out, key=lambda f: (f.latest is not None, f.latest or now, f.system.name))
