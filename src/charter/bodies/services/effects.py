"""The effect of a body's carried decision (a transition approval, a use-case decision, a
waiver, a risk acceptance or its revocation), carried out in the name of the decision and its
recorder, and the checks that fail a motion early when its effect would be refused."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from charter.accountability.services.raci import builders_of
from charter.bodies.domain import Body, SubjectKind
from charter.bodies.ports import Context, UnitOfWork
from charter.governance.domain.lifecycle import Decision, RequestStatus, choose_slot
from charter.governance.services import lifecycle, policies
from charter.inventory.domain import AISystem
from charter.kernel.access import Actor, roles_of
from charter.kernel.errors import Conflict, Forbidden
from charter.kernel.lookups import hold, require
from charter.risks.services import acceptance
from charter.strategy.domain.strategy import PortfolioDecision
from charter.strategy.services import intake as strategy


@dataclass(frozen=True, slots=True)
class Motion:
    """What a body votes on. `terms` carry a waiver's policy, requirement, compensating
    measures and expiry, or a risk acceptance's conditions and expiry."""

    subject_kind: SubjectKind
    subject_id: str
    outcome: str  # approve/refuse; approve/park/reject/stop; grant; accept/revoke; carried
    title: str
    reason: str
    terms: Mapping[str, Any] | None = None


def member_actor(uow: UnitOfWork, person_id: str) -> Actor:
    person = require(uow.people, "person", person_id)
    return Actor(person.id, person.name, roles_of(person.id, uow.roles.all(person_id=person_id)))


def _approver(ctx: Context, uow: UnitOfWork, request_id: str, voters: Sequence[str]) -> Actor:
    """The first member who voted for and may fill an open approval slot (chair first)."""
    request, system = lifecycle.hold_request(uow, request_id)
    if request.status is not RequestStatus.PENDING:
        raise Conflict(f"transition request {request_id} is already {request.status.value}")
    gate = lifecycle.gate_context(ctx, uow, system, request)
    building = builders_of(uow, system.id)
    reasons = []
    for person in voters:
        try:
            choose_slot(gate, person, building)
            return member_actor(uow, person)
        except (Forbidden, Conflict) as exc:
            reasons.append(f"{person}: {exc.message}")
    raise Conflict("no member who voted for may give this approval (" + "; ".join(reasons) + ")")


def effect(
    ctx: Context,
    uow: UnitOfWork,
    recorder: Actor,
    body: Body,
    motion: Motion,
    voters: list[str],
    ref: str,
) -> str | None:
    """Carry the decision out, in the name of the body's decision and its recorder; the id of
    the record it made."""
    if motion.subject_kind is SubjectKind.TRANSITION:
        approver = _approver(ctx, uow, motion.subject_id, voters)
        lifecycle.decide_within(
            ctx, uow, approver, motion.subject_id, Decision(motion.outcome), motion.reason, ref,
            recorder,
        )  # fmt: skip
        found = uow.approvals.all(request_id=motion.subject_id, body_decision_id=ref)
        return found[0].id if found else None
    if motion.subject_kind is SubjectKind.USE_CASE:
        use_case = require(uow.use_cases, "use case", motion.subject_id)
        decision = PortfolioDecision(motion.outcome)
        strategy.apply_decision(
            ctx, uow, recorder, use_case, decision, motion.reason, {"body_decision": ref}
        )
        return use_case.id
    if motion.subject_kind is SubjectKind.WAIVER:
        return _waiver(ctx, uow, recorder, motion, voters, ref)
    if motion.subject_kind is SubjectKind.RISK and motion.outcome == "accept":
        terms = _risk_terms(motion.terms)
        return acceptance.accept_within(
            ctx, uow, recorder, body.id, motion.subject_id, terms, ref
        ).id
    if motion.subject_kind is SubjectKind.RISK:
        return acceptance.revoke_within(ctx, uow, recorder, body.id, motion.subject_id, ref).id
    return None


def _risk_terms(stored: Mapping[str, Any] | None) -> dict[str, Any]:
    """A risk acceptance's terms as stored with the decision, its expiry a datetime again."""
    terms = dict(stored or {})
    return terms | {"expires_at": datetime.fromisoformat(str(terms["expires_at"]))}


def check_risk(ctx: Context, uow: UnitOfWork, body: Body, motion: Motion) -> None:
    """Fail early, when the motion is put: what its effect would refuse now."""
    if motion.outcome == "accept":
        acceptance.check_accept(ctx, uow, body.id, motion.subject_id, motion.terms)
    else:
        acceptance.check_revoke(uow, body.id, motion.subject_id, ctx.clock())


def _waiver(
    ctx: Context, uow: UnitOfWork, recorder: Actor, motion: Motion, voters: list[str], ref: str
) -> str:
    """Grant the waiver a motion carried: only when a member holding the waiver right on the
    system voted for it."""
    terms = dict(motion.terms or {})
    system = hold(uow.systems, "system", motion.subject_id)
    waiver_right(ctx, uow, system, voters)
    waiver = policies.add_waiver(
        ctx, uow, recorder, system, (str(terms["policy_id"]), str(terms["requirement_id"])),
        motion.reason, str(terms["measures"]), datetime.fromisoformat(str(terms["expires_at"])),
        {"body_decision": ref},
    )  # fmt: skip
    return waiver.id


def waiver_right(ctx: Context, uow: UnitOfWork, system: AISystem, voters: list[str]) -> None:
    if not any(policies.may_waive(ctx, member_actor(uow, p), system) for p in voters):
        raise Forbidden(
            "no member who voted for this waiver holds the waiver right on the system "
            f"({', '.join(sorted(r.value for r in ctx.rights.waivers))})"
        )
