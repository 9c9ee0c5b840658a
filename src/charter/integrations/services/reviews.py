"""Evidence that needs review: an incident or a data-quality breach on a dataset puts the
evidence of every system that depends on it under review (a gate judges it inconclusive) until
a person resolves the review."""

from __future__ import annotations

from dataclasses import replace

from charter.integrations.ports import Context, UnitOfWork
from charter.integrations.services.lineage import dependents, find_dataset
from charter.kernel.access import Action, Actor, allowed, ensure, ensure_member
from charter.kernel.context import record
from charter.kernel.errors import Conflict, InvalidInput
from charter.kernel.lookups import hold, require
from charter.kernel.verdicts import Verdict
from charter.validation.domain.evidence import EvidenceReview
from charter.validation.domain.suite import QUALITY, SCHEMA

#: the checks whose failure is a data-quality breach of the data they read
DATA_QUALITY = QUALITY | SCHEMA
MAX_REASON = 2000


def _mark(
    ctx: Context, uow: UnitOfWork, actor: Actor, dataset_ref: str, reason: str, skip: str = ""
) -> list[EvidenceReview]:
    dataset, start = find_dataset(uow, dataset_ref)
    found = dependents(uow, dataset, start)
    systems = sorted(found.systems, key=lambda s: s.id)  # locks in one order
    for s in systems:
        hold(uow.systems, "system", s.id)
        ensure(actor, Action.EVIDENCE_RECORD, s.business_unit_id, s.id)
    open_ = {r.evidence_id for r in uow.reviews.all(resolved_at=None)}
    marked = []
    for s in systems:
        for ev in uow.evidence.for_system(s.id):
            if ev.id in open_ or ev.id == skip:
                continue
            review = EvidenceReview(
                ctx.new_id("rev"), ev.id, s.id, reason, ctx.clock(), actor.ref,
                dataset.id if dataset else None,
            )  # fmt: skip
            uow.reviews.add(review)
            marked.append(review)
    data = {
        "dataset": dataset.id if dataset else dataset_ref[:200], "reason": reason,
        "systems": [s.id for s in systems], "evidence": [r.evidence_id for r in marked],
    }  # fmt: skip
    record(ctx, uow, actor, "evidence.review_requested", "dataset",
           dataset.id if dataset else dataset_ref[:40], data)  # fmt: skip
    return marked


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise InvalidInput("say why the evidence needs review", details={"field": "reason"})
    if len(reason) > MAX_REASON:
        raise InvalidInput(f"the reason is longer than {MAX_REASON} characters")
    return reason


def mark_dependents_for_review(
    ctx: Context, actor: Actor, dataset_id: str, reason: str
) -> list[EvidenceReview]:
    """Put the evidence of every system depending on a dataset (through the lineage graph or
    a model trained on it) under review, in one transaction: an incident on the dataset."""
    ensure_member(actor)
    reason = _reason(reason)
    with ctx.uow() as uow:
        marked = _mark(ctx, uow, actor, dataset_id, reason)
        uow.commit()
    return marked


def quality_breach(
    ctx: Context, actor: Actor, dataset_id: str, evidence_id: str
) -> list[EvidenceReview]:
    """A validation run found the dataset's data quality breached (a data-quality check not
    satisfied): the evidence of the systems depending on it needs review."""
    with ctx.uow() as uow:
        evidence = require(uow.evidence, "evidence", evidence_id)
        failed = [r.check_id for r in evidence.results
                  if r.metric in DATA_QUALITY and r.verdict is Verdict.NOT_SATISFIED]  # fmt: skip
        if not failed:
            raise InvalidInput(f"evidence {evidence_id} shows no failed data-quality check")
        reason = (
            f"data-quality breach found by evidence {evidence_id} "
            f"({evidence.suite_name}): {', '.join(failed)} not satisfied"
        )
        marked = _mark(ctx, uow, actor, dataset_id, reason, skip=evidence_id)
        uow.commit()
    return marked


def resolve_review(ctx: Context, actor: Actor, review_id: str, resolution: str) -> EvidenceReview:
    """A person has looked again: the evidence counts again at gates."""
    resolution = _reason(resolution)
    with ctx.uow() as uow:
        review = require(uow.reviews, "evidence review", review_id)
        system = hold(uow.systems, "system", review.system_id)
        ensure(actor, Action.EVIDENCE_RECORD, system.business_unit_id, system.id)
        if not review.open:
            raise Conflict(f"evidence review {review_id} is already resolved")
        after = replace(review, resolved_at=ctx.clock(), resolved_by=actor.ref,
                        resolution=resolution)  # fmt: skip
        uow.reviews.update(after, when={"resolved_at": None})
        data = {"evidence": review.evidence_id, "resolution": resolution}
        record(ctx, uow, actor, "evidence.review_resolved", "system", system.id, data)
        uow.commit()
    return after


def open_reviews(ctx: Context, actor: Actor, system_id: str | None = None) -> list[EvidenceReview]:
    """The reviews not yet resolved (of one system, or every system the actor may read)."""
    with ctx.uow() as uow:
        found = uow.reviews.all(resolved_at=None, **({"system_id": system_id} if system_id else {}))
        ids = frozenset(r.system_id for r in found)
        units = {s.id: s.business_unit_id for s in uow.systems.all(id=ids)} if ids else {}
    return [r for r in found
            if allowed(actor, Action.READ, units[r.system_id], r.system_id)]  # fmt: skip
