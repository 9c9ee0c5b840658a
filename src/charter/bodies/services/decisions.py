"""Use cases for a body's decisions: a motion put to the vote of the members present at a
meeting, each vote cast by its own member, and, once every vote minuted is cast, the tally
and its effect (the transition approval, the use-case decision, the waiver or the risk
acceptance), recorded once and linked both ways. Who may see a decision is decided by its
subject."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from charter.accountability.services.raci import builders_of
from charter.bodies.domain import (
    Body,
    BodyDecision,
    DecisionStatus,
    Meeting,
    Member,
    MemberRole,
    Remit,
    SubjectKind,
    check_motion,
    check_votes,
    late_entry,
    members_at,
    tally,
    vote_of,
)
from charter.bodies.ports import Context, UnitOfWork
from charter.bodies.services import effects
from charter.bodies.services.effects import Motion as Motion  # noqa: PLC0414 (re-exported)
from charter.governance.services import lifecycle
from charter.kernel.access import Action, Actor, allowed, ensure_member
from charter.kernel.context import record, snapshot
from charter.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from charter.kernel.lookups import hold, require
from charter.kernel.lookups import person_id as resolve_person
from charter.kernel.names import require_name
from charter.kernel.visibility import Visibility, visibility
from charter.risks.services.register import hold_risk, scope_of


def secretariat(uow: UnitOfWork, actor: Actor, body: Body) -> list[Member]:
    """The body's members, past ones too; the actor must chair it or be its secretary now,
    or manage bodies."""
    members = uow.members.all(body_id=body.id)
    clerks = {m.person_id for m in members
              if m.current and m.role in (MemberRole.CHAIR, MemberRole.SECRETARY)}  # fmt: skip
    if actor.person_id not in clerks and not allowed(actor, Action.BODY_MANAGE):
        raise Forbidden(f"{actor.label} neither chairs {body.name} nor is its secretary")
    return members


def _check_remit(body: Body, motion: Motion) -> None:
    needed = {
        SubjectKind.TRANSITION: Remit.TRANSITIONS,
        SubjectKind.USE_CASE: Remit.PORTFOLIO,
        SubjectKind.WAIVER: Remit.WAIVERS,
        SubjectKind.RISK: Remit.RISK_ACCEPTANCE,
    }.get(motion.subject_kind)
    if needed is not None and needed not in body.remit:
        raise Forbidden(f"{body.name} has no remit over {needed.value}")


_TERMS = {
    SubjectKind.WAIVER: ("a waiver", ("policy_id", "requirement_id", "measures", "expires_at")),
    SubjectKind.RISK: ("a risk acceptance", ("conditions", "expires_at")),
}


def _terms(motion: Motion) -> dict[str, Any] | None:
    """A waiver's or risk acceptance's terms as stored with the decision (the expiry in
    ISO 8601); None for other motions, and for a revocation."""
    if motion.subject_kind not in _TERMS or motion.outcome == "revoke":
        return None
    what, needed = _TERMS[motion.subject_kind]
    terms = dict(motion.terms or {})
    missing = [k for k in needed if not terms.get(k)]
    if missing:
        raise InvalidInput(f"{what} motion needs: {', '.join(missing)}")
    expires = terms["expires_at"]
    if not isinstance(expires, datetime):
        raise InvalidInput("expires_at must be a date and time")
    return {k: str(terms[k]) for k in needed[:-1]} | {"expires_at": expires.isoformat()}


def _hold_subject(uow: UnitOfWork, kind: SubjectKind, subject_id: str) -> None:
    """Lock the system a decision acts on first, as every lifecycle change does."""
    if kind is SubjectKind.TRANSITION:
        lifecycle.hold_request(uow, subject_id)
    elif kind is SubjectKind.WAIVER:
        hold(uow.systems, "system", subject_id)
    elif kind is SubjectKind.RISK:
        hold_risk(uow, subject_id)


@dataclass(frozen=True, slots=True)
class _Subject:
    """What a motion decides: where it belongs and who asked for it."""

    business_unit_id: str | None
    system_id: str | None
    asked_by: str | None


def _subject(uow: UnitOfWork, kind: SubjectKind, subject: str) -> _Subject:
    if kind is SubjectKind.USE_CASE:
        use_case = require(uow.use_cases, "use case", subject)
        return _Subject(use_case.business_unit_id, None, use_case.submitted_by)
    if kind is SubjectKind.MOTION:
        return _Subject(None, None, None)
    if kind is SubjectKind.RISK:
        unit, system_id = scope_of(uow, require(uow.risks, "risk", subject))
        return _Subject(unit, system_id, None)
    asked, system_id = None, subject
    if kind is SubjectKind.TRANSITION:
        request = require(uow.requests, "transition request", subject)
        asked, system_id = request.requested_by, request.system_id
    unit = require(uow.systems, "system", system_id).business_unit_id
    return _Subject(unit, system_id, asked)


def _check_reader(actor: Actor, subject: _Subject) -> None:
    """Who records a decision may read what the body decides: no answer below names what
    they may not see."""
    if not visibility(actor).sees(subject.business_unit_id, subject.system_id):
        raise Forbidden(f"{actor.label} may not read what this motion decides")


def _check_recorder(uow: UnitOfWork, actor: Actor, motion: Motion) -> None:
    """The recorder may read the subject; segregation of duties: who asked for it, or built
    the system it is about, does not record the body's decision on it."""
    subject = _subject(uow, motion.subject_kind, motion.subject_id)
    _check_reader(actor, subject)
    if subject.asked_by == actor.person_id:
        raise Forbidden("segregation of duties: who asked for it may not record its decision")
    if subject.system_id is not None and actor.person_id in builders_of(uow, subject.system_id):
        raise Forbidden(
            "segregation of duties: a builder of the system may not record a decision on it"
        )


def decide(
    ctx: Context,
    actor: Actor,
    meeting_id: str,
    motion: Motion,
    votes: Mapping[str, str],
    late_reason: str = "",
) -> BodyDecision:
    """Put a motion to the vote of the members present, with the votes as minuted. Refused
    without quorum or the required functions. A vote counts once its member casts it
    (cast_vote; the recorder's own counts at once); when every vote minuted is cast, and at
    least a quorum, the motion is carried by a simple majority and takes effect."""
    check_motion(motion.subject_kind, motion.subject_id, motion.outcome)
    with ctx.uow() as uow:
        _hold_subject(uow, motion.subject_kind, motion.subject_id)
        meeting = require(uow.meetings, "meeting", meeting_id)
        body = require(uow.bodies, "body", meeting.body_id)
        members = members_at(secretariat(uow, actor, body), meeting.scheduled_for)
        _check_remit(body, motion)
        votes = dict(zip(person_ids(uow, list(votes)), votes.values(), strict=True))
        check_votes(body, members, meeting, votes)
        if actor.person_id is None:
            raise InvalidInput("a body's decision is recorded by a person")
        _check_recorder(uow, actor, motion)
        if motion.subject_kind is SubjectKind.WAIVER:  # fail early: the votes as minuted
            system = require(uow.systems, "system", motion.subject_id)
            effects.waiver_right(ctx, uow, system, [p for p, v in votes.items() if v == "for"])
        if motion.subject_kind is SubjectKind.RISK:
            effects.check_risk(ctx, uow, body, motion)
        now = ctx.clock()
        late = late_entry(meeting.scheduled_for, now, ctx.late_grace, late_reason, "a decision")
        decision = BodyDecision(
            ctx.new_id("bd"), body.id, meeting.id, motion.subject_kind, motion.subject_id,
            require_name(motion.title, "title", 300), motion.outcome, False, dict(votes),
            require_name(motion.reason, "reason", 4000), meeting.scheduled_for,
            actor.person_id, now, None, DecisionStatus.OPEN,
            (actor.person_id,) if actor.person_id in votes else (), late, _terms(motion),
        )  # fmt: skip
        uow.body_decisions.add(decision)
        record(ctx, uow, actor, "body.motion_put", "body", body.id, snapshot(decision))
        decision = _settle(ctx, uow, body, members, meeting, decision)
        uow.commit()
    return decision


def cast_vote(ctx: Context, actor: Actor, decision_id: str, vote: str) -> BodyDecision:
    """A member present at the meeting casts (or confirms) their own vote on an open
    decision; the last vote minuted settles it."""
    with ctx.uow() as uow:
        found = require(uow.body_decisions, "decision", decision_id)
        _hold_subject(uow, found.subject_kind, found.subject_id)
        decision = hold(uow.body_decisions, "decision", decision_id)
        if decision.status is not DecisionStatus.OPEN:
            raise Conflict(f"decision {decision_id} is already decided")
        meeting = require(uow.meetings, "meeting", decision.meeting_id)
        body = require(uow.bodies, "body", decision.body_id)
        members = members_at(uow.members.all(body_id=body.id), meeting.scheduled_for)
        person = actor.person_id
        voting = {m.person_id for m in members if m.votes and m.person_id in meeting.attendees}
        if person is None or person not in voting:
            raise Forbidden(
                f"{actor.label} is not a voting member present at this meeting of {body.name}"
            )
        cast = vote_of(vote).value
        changed = replace(
            decision, votes={**decision.votes, person: cast},
            cast_by=tuple(dict.fromkeys((*decision.cast_by, person))),
        )  # fmt: skip
        uow.body_decisions.update(changed, when={"status": DecisionStatus.OPEN})
        data = {"decision": decision.id, "vote": cast, "minuted": decision.votes.get(person)}
        record(ctx, uow, actor, "body.vote_cast", "body", body.id, data)
        changed = _settle(ctx, uow, body, members, meeting, changed)
        uow.commit()
    return changed


def _settle(
    ctx: Context,
    uow: UnitOfWork,
    body: Body,
    members: Sequence[Member],
    meeting: Meeting,
    decision: BodyDecision,
) -> BodyDecision:
    """Decide an open decision once every vote minuted is cast: the tally, and when carried
    its effect, in the name of the decision and its recorder (audited as theirs)."""
    if not decision.ready(body.quorum):
        return decision
    counted = tally(body, members, meeting, decision.votes)
    recorder = effects.member_actor(uow, decision.recorded_by)
    chair = [m.person_id for m in members if m.role is MemberRole.CHAIR]
    voters = sorted(
        (p for p, v in decision.votes.items() if v == "for"), key=lambda p: p not in chair
    )
    motion = Motion(
        decision.subject_kind, decision.subject_id, decision.outcome, decision.title,
        decision.reason, decision.terms,
    )  # fmt: skip
    made = (
        effects.effect(ctx, uow, recorder, body, motion, voters, decision.id)
        if counted.carried
        else None
    )
    done = replace(decision, status=DecisionStatus.DECIDED, carried=counted.carried, record_id=made)
    uow.body_decisions.update(done, when={"status": DecisionStatus.OPEN})
    record(ctx, uow, recorder, "body.decided", "body", body.id, snapshot(done))
    return done


def decisions_seen(
    uow: UnitOfWork, seen: Visibility, decisions: Sequence[BodyDecision]
) -> list[BodyDecision]:
    """The decisions whose subject the reader may see (a general motion: every member)."""
    if seen.everything:
        return list(decisions)
    system_of = seen.systems_where(uow.systems)

    def where(d: BodyDecision) -> tuple[str | None, str | None]:
        if d.subject_kind is SubjectKind.TRANSITION:
            request = uow.requests.get(d.subject_id)
            return system_of(request.system_id if request else d.subject_id)
        if d.subject_kind is SubjectKind.WAIVER:
            return system_of(d.subject_id)
        if d.subject_kind is SubjectKind.USE_CASE:
            use_case = uow.use_cases.get(d.subject_id)
            return (use_case.business_unit_id if use_case else d.subject_id), None
        if d.subject_kind is SubjectKind.RISK:
            risk = uow.risks.get(d.subject_id)
            return scope_of(uow, risk) if risk else (d.subject_id, d.subject_id)
        return None, None

    return seen.only(decisions, where)


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
        found = decisions_seen(uow, visibility(actor), found)
    return sorted(found, key=lambda d: (d.decided_at, d.recorded_at), reverse=True)


def person_ids(uow: UnitOfWork, refs: Sequence[str]) -> list[str]:
    """Members named by id, e-mail or name, by id (one naming no one stays as given, for
    the caller to refuse as a stranger)."""
    out = []
    for ref in refs:
        try:
            out.append(resolve_person(uow.people, ref))
        except NotFound:
            out.append(ref)
    return out
