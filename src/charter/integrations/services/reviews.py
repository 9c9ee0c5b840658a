"""Evidence that needs review: an incident or a data-quality breach on a dataset puts the
evidence of every system that depends on it under review (a gate judges it inconclusive) until
a person resolves the review. Two follow on their own, in the transaction of what caused them:
a serious incident on a system (`incident_within`, wired to incident classification) and a
validation run whose data-quality checks fail on data that is on record (`breach_within`,
wired to the recording of evidence)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from charter.integrations.ports import Context, UnitOfWork
from charter.integrations.services.lineage import dependents, find_dataset
from charter.inventory.domain import AISystem
from charter.kernel.access import Action, Actor, allowed, ensure, ensure_member
from charter.kernel.context import record
from charter.kernel.errors import Conflict, InvalidInput, NotFound
from charter.kernel.lookups import hold, require
from charter.validation.domain.evidence import Evidence, EvidenceReview
from charter.validation.domain.suite import Suite

MAX_REASON = 2000
#: who could put a system's evidence under review by hand: an automatic mark reaches no further
MARKERS = (Action.EVIDENCE_RECORD, Action.INCIDENT_MANAGE)


@dataclass(frozen=True, slots=True)
class Reason:
    """Why evidence needs review, as each reviewed system's readers see it: in full on the
    system that caused it; on every other system without naming that system, its evidence,
    suite or incident (their readers may not read them: another unit's, say). The audit event
    keeps the full text (the audit trail needs an organisation-wide role)."""

    full: str
    elsewhere: str
    cause: str | None = None  # the system whose evidence or incident caused the review

    def on(self, system: AISystem) -> str:
        return self.full if system.id == self.cause else self.elsewhere


def _typed(reason: str) -> Reason:
    """A reason a person wrote, who holds the right on every system it marks."""
    return Reason(reason, reason)


def _reach(actor: Actor, cause: AISystem | None) -> Callable[[AISystem], bool]:
    """The systems a mark that follows on its own may reach: those the person who caused it
    could mark by hand (a run's recorder, an incident's classifier), never another unit's
    they hold no right on; for a scheduled run (no person), its own system's business unit."""
    if actor.person_id is None:
        unit = cause.business_unit_id if cause else None
        return lambda s: unit is not None and s.business_unit_id == unit
    return lambda s: any(allowed(actor, a, s.business_unit_id, s.id) for a in MARKERS)


def _review(
    ctx: Context,
    uow: UnitOfWork,
    actor: Actor,
    systems: list[AISystem],
    reason: Reason,
    dataset_id: str | None,
    skip: str = "",
) -> list[EvidenceReview]:
    """A review of every piece of the systems' evidence not already under review."""
    open_ = {r.evidence_id for r in uow.reviews.all(resolved_at=None)}
    marked = []
    for s in systems:
        for ev in uow.evidence.for_system(s.id):
            if ev.id in open_ or ev.id == skip:
                continue
            review = EvidenceReview(ctx.new_id("rev"), ev.id, s.id, reason.on(s), ctx.clock(),
                                    actor.ref, dataset_id)  # fmt: skip
            uow.reviews.add(review)
            marked.append(review)
    return marked


def _mark(
    ctx: Context,
    uow: UnitOfWork,
    actor: Actor,
    dataset_ref: str,
    reason: Reason,
    skip: str = "",
    reach: Callable[[AISystem], bool] | None = None,
) -> list[EvidenceReview]:
    """Mark the dependents: a person asking needs the right on each (else nothing is
    marked); a mark that follows on its own marks only those within `reach`."""
    dataset, start = find_dataset(uow, dataset_ref)
    found = dependents(uow, dataset, start)
    everyone = sorted(found.systems, key=lambda s: s.id)  # locks in one order
    systems = everyone if reach is None else [s for s in everyone if reach(s)]
    for s in systems:
        hold(uow.systems, "system", s.id)
        if reach is None:
            ensure(actor, Action.EVIDENCE_RECORD, s.business_unit_id, s.id)
    marked = _review(ctx, uow, actor, systems, reason, dataset.id if dataset else None, skip)
    data = {
        "dataset": dataset.id if dataset else dataset_ref[:200], "reason": reason.full,
        "systems": [s.id for s in systems], "evidence": [r.evidence_id for r in marked],
        "out_of_reach": [s.id for s in everyone if s not in systems],
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
        marked = _mark(ctx, uow, actor, dataset_id, _typed(reason))
        uow.commit()
    return marked


def _breach_reason(evidence: Evidence, failed: list[str]) -> Reason:
    full = (
        f"data-quality breach found by evidence {evidence.id} "
        f"({evidence.suite_name}): {', '.join(failed)} not satisfied"
    )
    elsewhere = "data-quality breach of data it depends on, found by a validation of another system"
    return Reason(full, elsewhere, evidence.system_id)


def quality_breach(
    ctx: Context, actor: Actor, dataset_id: str, evidence_id: str
) -> list[EvidenceReview]:
    """A validation run found the dataset's data quality breached (a data-quality check not
    satisfied): the evidence of the systems depending on it needs review."""
    with ctx.uow() as uow:
        evidence = require(uow.evidence, "evidence", evidence_id)
        failed = evidence.quality_breaches
        if not failed:
            raise InvalidInput(f"evidence {evidence_id} shows no failed data-quality check")
        reason = _breach_reason(evidence, failed)
        marked = _mark(ctx, uow, actor, dataset_id, reason, skip=evidence_id)
        uow.commit()
    return marked


def suite_datasets(uow: UnitOfWork, suite: Suite) -> list[str]:
    """The datasets a suite's data is: the Charter datasets whose source is the suite's file
    or table as the suite names it, and the dataset (Charter's or the lineage graph's) of that
    name. None when the data is not on record."""
    ref = suite.data.file or suite.data.table or ""
    refs = [d.id for d in uow.datasets.all(source=ref)] if ref else []
    try:
        dataset, nodes = find_dataset(uow, ref) if ref else (None, [])
    except NotFound:
        return refs
    if dataset is not None:
        refs.append(dataset.id)
    elif nodes:
        refs.append(ref)
    return list(dict.fromkeys(refs))


def breach_within(
    ctx: Context, uow: UnitOfWork, actor: Actor, evidence: Evidence, suite: Suite
) -> list[EvidenceReview]:
    """Evidence just recorded (in the caller's transaction) with a data-quality check not
    satisfied is a breach of the data its suite read: the evidence of every system depending
    on that data and within the reach of whoever ran it is put under review at once."""
    failed = evidence.quality_breaches
    if not failed:
        return []
    reason = _breach_reason(evidence, failed)
    reach = _reach(actor, uow.systems.get(evidence.system_id))
    marked: list[EvidenceReview] = []
    for ref in suite_datasets(uow, suite):
        marked += _mark(ctx, uow, actor, ref, reason, skip=evidence.id, reach=reach)
    return marked


def incident_within(
    ctx: Context,
    uow: UnitOfWork,
    actor: Actor,
    incident_id: str,
    system_id: str,
    dataset_id: str | None = None,
) -> list[EvidenceReview]:
    """A serious incident on a system (in the caller's transaction, the system held): the
    evidence of the system and of every system downstream of it in the lineage graph (from
    the nodes that are the system or its models) needs review, and when the incident concerns
    a dataset, of every system depending on that dataset (its blast radius, as `charter
    lineage impact` finds it) that the classifier could mark by hand."""
    system = hold(uow.systems, "system", system_id)
    models = [m.id for m in uow.models.all(system_id=system_id)]
    start = uow.lineage_nodes.linked("system_id", [system_id])
    start += uow.lineage_nodes.linked("model_id", models) if models else []
    dataset = require(uow.datasets, "dataset", dataset_id) if dataset_id else None
    start += uow.lineage_nodes.linked("dataset_id", [dataset.id]) if dataset else []
    found = dependents(uow, dataset, start)
    reach = _reach(actor, system)
    downstream = sorted((s for s in found.systems if s.id != system_id), key=lambda s: s.id)
    others = [s for s in downstream if reach(s)]
    for s in others:
        hold(uow.systems, "system", s.id)
    concerning = f" concerning dataset {dataset.name}" if dataset else ""
    reason = Reason(
        f"serious incident {incident_id} on system {system.name}{concerning}",
        "serious incident on a system upstream of it in the lineage graph"
        + (f" or on data it depends on{concerning}" if dataset else ""),
        system.id,
    )
    marked = _review(ctx, uow, actor, [system, *others], reason, dataset_id)
    data = {"incident": incident_id, "reason": reason.full, "dataset": dataset_id,
            "systems": [system.id, *(s.id for s in others)],
            "evidence": [r.evidence_id for r in marked],
            "out_of_reach": [s.id for s in downstream if s not in others]}  # fmt: skip
    record(ctx, uow, actor, "evidence.review_requested", "system", system.id, data)
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
