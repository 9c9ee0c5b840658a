"""Use cases for leadership bodies: set them up, meet, and decide. A decision needs quorum
and the required functions present; when it carries, it takes effect in the same
transaction: the transition approval, the use-case decision or the waiver it decides,
recorded once and linked both ways."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from charter.accountability.domain.raci import builders
from charter.bodies.domain import (
    AgendaItem,
    Body,
    BodyDecision,
    BodyKind,
    Function,
    Meeting,
    MeetingStatus,
    Member,
    MemberRole,
    Quorum,
    Remit,
    SubjectKind,
    check_body,
    check_motion,
    standing,
    tally,
)
from charter.bodies.ports import Context, UnitOfWork
from charter.bodies.services import agenda as agendas
from charter.governance.domain.lifecycle import Decision, RequestStatus, choose_slot
from charter.governance.services import lifecycle, policies
from charter.kernel.access import Action, Actor, allowed, ensure, ensure_member, roles_of
from charter.kernel.context import record, snapshot
from charter.kernel.errors import Conflict, Forbidden, InvalidInput
from charter.kernel.lookups import ensure_unique, hold, require
from charter.kernel.names import require_name
from charter.risks.services import acceptance
from charter.strategy.domain.strategy import PortfolioDecision
from charter.strategy.services import intake as strategy


def create_body(
    ctx: Context,
    actor: Actor,
    name: str,
    kind: BodyKind,
    charter: str,
    required_functions: Sequence[Function],
    quorum: int,
    cadence_days: int,
    remit: Sequence[Remit] = (),
) -> Body:
    ensure(actor, Action.BODY_MANAGE)
    body = check_body(
        Body(
            ctx.new_id("bdy"), require_name(name), BodyKind(kind), charter.strip(),
            tuple(dict.fromkeys(Function(f) for f in required_functions)), quorum,
            cadence_days, tuple(dict.fromkeys(Remit(r) for r in remit)),
        )
    )  # fmt: skip
    with ctx.uow() as uow:
        ensure_unique(uow.bodies, "body", "name", body.name)
        uow.bodies.add(body)
        record(ctx, uow, actor, "body.created", "body", body.id, snapshot(body))
        uow.commit()
    return body


def add_member(
    ctx: Context,
    actor: Actor,
    body_id: str,
    person_id: str,
    function: Function,
    role: MemberRole = MemberRole.MEMBER,
) -> Member:
    ensure(actor, Action.BODY_MANAGE)
    member = Member(ctx.new_id("mbr"), body_id, person_id, Function(function), MemberRole(role))
    with ctx.uow() as uow:
        require(uow.bodies, "body", body_id)
        require(uow.people, "person", person_id)
        if uow.members.all(body_id=body_id, person_id=person_id):
            raise Conflict(f"person {person_id} is already a member of body {body_id}")
        uow.members.add(member)
        record(ctx, uow, actor, "body.member_added", "body", body_id, snapshot(member))
        uow.commit()
    return member


def remove_member(ctx: Context, actor: Actor, member_id: str) -> None:
    ensure(actor, Action.BODY_MANAGE)
    with ctx.uow() as uow:
        member = require(uow.members, "member", member_id)
        uow.members.delete(member_id)
        record(ctx, uow, actor, "body.member_removed", "body", member.body_id, snapshot(member))
        uow.commit()


def _secretariat(uow: UnitOfWork, actor: Actor, body: Body) -> list[Member]:
    """The body's members; the actor must chair it, be its secretary, or manage bodies."""
    members = uow.members.all(body_id=body.id)
    clerks = {m.person_id for m in members if m.role in (MemberRole.CHAIR, MemberRole.SECRETARY)}
    if actor.person_id not in clerks and not allowed(actor, Action.BODY_MANAGE):
        raise Forbidden(f"{actor.label} neither chairs {body.name} nor is its secretary")
    return members


def schedule_meeting(ctx: Context, actor: Actor, body_id: str, at: datetime) -> Meeting:
    meeting = Meeting(ctx.new_id("mtg"), body_id, at)
    with ctx.uow() as uow:
        _secretariat(uow, actor, require(uow.bodies, "body", body_id))
        uow.meetings.add(meeting)
        record(ctx, uow, actor, "meeting.scheduled", "body", body_id, snapshot(meeting))
        uow.commit()
    return meeting


def hold_meeting(
    ctx: Context, actor: Actor, meeting_id: str, attendees: Sequence[str], minutes: str = ""
) -> tuple[Meeting, Quorum]:
    """Record who attended (members only) and freeze the agenda; a meeting without quorum
    is still held and recorded, but decides nothing."""
    with ctx.uow() as uow:
        meeting = require(uow.meetings, "meeting", meeting_id)
        body = require(uow.bodies, "body", meeting.body_id)
        members = _secretariat(uow, actor, body)
        if meeting.status is MeetingStatus.HELD:
            raise Conflict(f"meeting {meeting_id} is already held")
        if meeting.scheduled_for > ctx.clock() + timedelta(days=1):
            raise Conflict(
                f"meeting {meeting_id} is scheduled for {meeting.scheduled_for:%Y-%m-%d}"
            )
        strangers = sorted(set(attendees) - {m.person_id for m in members})
        if strangers:
            raise InvalidInput(f"not members of {body.name}: {', '.join(strangers)}")
        items = agendas.agenda_for(ctx, uow, body, members)
        held = replace(
            meeting, status=MeetingStatus.HELD, attendees=tuple(dict.fromkeys(attendees)),
            minutes=minutes.strip()[:20000], agenda=tuple(i.title for i in items),
        )  # fmt: skip
        uow.meetings.update(held, when={"status": MeetingStatus.PLANNED})
        where = standing(body, members, held.attendees)
        data = {"meeting": meeting_id, "attendees": list(held.attendees),
                "quorate": where.quorate, "agenda": list(held.agenda)}  # fmt: skip
        record(ctx, uow, actor, "meeting.held", "body", body.id, data)
        uow.commit()
    return held, where


@dataclass(frozen=True, slots=True)
class Motion:
    """What a body votes on. `terms` carry a waiver's policy, requirement, compensating
    measures and expiry, or a risk acceptance's conditions and expiry."""

    subject_kind: SubjectKind
    subject_id: str
    outcome: (
        str  # approve/refuse (transition); approve/park/reject/stop; grant; accept/revoke; carried
    )
    title: str
    reason: str
    terms: Mapping[str, Any] | None = None


def _check_remit(body: Body, motion: Motion) -> None:
    needed = {
        SubjectKind.TRANSITION: Remit.TRANSITIONS,
        SubjectKind.USE_CASE: Remit.PORTFOLIO,
        SubjectKind.WAIVER: Remit.WAIVERS,
        SubjectKind.RISK: Remit.RISK_ACCEPTANCE,
    }.get(motion.subject_kind)
    if needed is not None and needed not in body.remit:
        raise Forbidden(f"{body.name} has no remit over {needed.value}")


def _member_actor(uow: UnitOfWork, person_id: str) -> Actor:
    person = require(uow.people, "person", person_id)
    return Actor(person.id, person.name, roles_of(person.id, uow.roles.all(person_id=person_id)))


def _approver(ctx: Context, uow: UnitOfWork, request_id: str, voters: Sequence[str]) -> Actor:
    """The first member who voted for and may fill an open approval slot (chair first)."""
    request, system = lifecycle.hold_request(uow, request_id)
    if request.status is not RequestStatus.PENDING:
        raise Conflict(f"transition request {request_id} is already {request.status.value}")
    gate = lifecycle.gate_context(ctx, uow, system, request)
    building = builders(uow.raci.for_system(system.id))
    reasons = []
    for person in voters:
        try:
            choose_slot(gate, person, building)
            return _member_actor(uow, person)
        except (Forbidden, Conflict) as exc:
            reasons.append(f"{person}: {exc.message}")
    raise Conflict("no member who voted for may give this approval (" + "; ".join(reasons) + ")")


def _effect(
    ctx: Context,
    uow: UnitOfWork,
    recorder: Actor,
    body: Body,
    motion: Motion,
    voters: list[str],
    ref: str,
) -> str | None:
    """Carry the decision out; the id of the record it made."""
    if motion.subject_kind is SubjectKind.TRANSITION:
        approver = _approver(ctx, uow, motion.subject_id, voters)
        lifecycle.decide_within(
            ctx, uow, approver, motion.subject_id, Decision(motion.outcome), motion.reason, ref
        )
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
        return _waiver(ctx, uow, recorder, motion, ref)
    if motion.subject_kind is SubjectKind.RISK and motion.outcome == "accept":
        done = acceptance.accept_within(
            ctx, uow, recorder, body.id, motion.subject_id, motion.terms, ref
        )
        return done.id
    if motion.subject_kind is SubjectKind.RISK:
        return acceptance.revoke_within(ctx, uow, recorder, body.id, motion.subject_id, ref).id
    return None


def _waiver(ctx: Context, uow: UnitOfWork, recorder: Actor, motion: Motion, ref: str) -> str:
    terms = dict(motion.terms or {})
    missing = [
        k for k in ("policy_id", "requirement_id", "measures", "expires_at") if not terms.get(k)
    ]
    if missing:
        raise InvalidInput(f"a waiver motion needs: {', '.join(missing)}")
    system = hold(uow.systems, "system", motion.subject_id)
    expires = terms["expires_at"]
    if not isinstance(expires, datetime):
        raise InvalidInput("expires_at must be a date and time")
    waiver = policies.add_waiver(
        ctx, uow, recorder, system, (str(terms["policy_id"]), str(terms["requirement_id"])),
        motion.reason, str(terms["measures"]), expires, {"body_decision": ref},
    )  # fmt: skip
    return waiver.id


def decide(
    ctx: Context, actor: Actor, meeting_id: str, motion: Motion, votes: Mapping[str, str]
) -> BodyDecision:
    """Put a motion to the vote of the members present; refused without quorum or the
    required functions; carried by a simple majority; its effect in the same transaction."""
    with ctx.uow() as uow:
        meeting = require(uow.meetings, "meeting", meeting_id)
        body = require(uow.bodies, "body", meeting.body_id)
        members = _secretariat(uow, actor, body)
        _check_remit(body, motion)
        check_motion(motion.subject_kind, motion.subject_id, motion.outcome)
        counted = tally(body, members, meeting, votes)
        if actor.person_id is None:
            raise InvalidInput("a body's decision is recorded by a person")
        ref = ctx.new_id("bd")
        chair = [m.person_id for m in members if m.role is MemberRole.CHAIR]
        voters = sorted((p for p, v in votes.items() if v == "for"), key=lambda p: p not in chair)
        made = _effect(ctx, uow, actor, body, motion, voters, ref) if counted.carried else None
        decision = BodyDecision(
            ref, body.id, meeting.id, motion.subject_kind, motion.subject_id,
            require_name(motion.title, "title", 300), motion.outcome, counted.carried,
            dict(votes), require_name(motion.reason, "reason", 4000), meeting.scheduled_for,
            actor.person_id, ctx.clock(), made,
        )  # fmt: skip
        uow.body_decisions.add(decision)
        record(ctx, uow, actor, "body.decided", "body", body.id, snapshot(decision))
        uow.commit()
    return decision


def list_bodies(ctx: Context, actor: Actor) -> list[tuple[Body, list[Member]]]:
    ensure_member(actor)
    with ctx.uow() as uow:
        members = uow.members.all()
        return [
            (b, [m for m in members if m.body_id == b.id])
            for b in sorted(uow.bodies.all(), key=lambda b: b.name)
        ]


def get_body(ctx: Context, actor: Actor, body_id: str) -> tuple[Body, list[Member], list[Meeting]]:
    ensure_member(actor)
    with ctx.uow() as uow:
        body = require(uow.bodies, "body", body_id)
        meetings = sorted(uow.meetings.all(body_id=body_id), key=lambda m: m.scheduled_for)
        return body, uow.members.all(body_id=body_id), meetings


def agenda(ctx: Context, actor: Actor, body_id: str) -> list[AgendaItem]:
    """What is pending for the body now, in its remit."""
    ensure_member(actor)
    with ctx.uow() as uow:
        body = require(uow.bodies, "body", body_id)
        return agendas.agenda_for(ctx, uow, body, uow.members.all(body_id=body_id))


def decision_log(
    ctx: Context,
    actor: Actor,
    body_id: str | None = None,
    search: str | None = None,
    subject_id: str | None = None,
) -> list[BodyDecision]:
    """Decisions, newest first: by body, by what they decided, or by words."""
    ensure_member(actor)
    filters = {k: v for k, v in (("body_id", body_id), ("subject_id", subject_id)) if v}
    with ctx.uow() as uow:
        found = uow.body_decisions.find(filters, search=search, limit=None).items
    return sorted(found, key=lambda d: (d.decided_at, d.recorded_at), reverse=True)


def get_meeting(
    ctx: Context, actor: Actor, meeting_id: str
) -> tuple[Meeting, Body, list[Member], list[BodyDecision]]:
    ensure_member(actor)
    with ctx.uow() as uow:
        meeting = require(uow.meetings, "meeting", meeting_id)
        body = require(uow.bodies, "body", meeting.body_id)
        decisions = uow.body_decisions.all(meeting_id=meeting_id)
        return meeting, body, uow.members.all(body_id=body.id), decisions
