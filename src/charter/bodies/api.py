"""API: leadership bodies, their members, meetings, agendas and decisions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from charter.bodies import domain
from charter.bodies.ports import Context
from charter.bodies.schemas import (
    AttendanceIn,
    BodyDecisionIn,
    BodyIn,
    BodyView,
    BodyWithMembers,
    HeldMeeting,
    MeetingIn,
    MeetingView,
    MemberIn,
    VoteIn,
)
from charter.bodies.services import bodies, decisions
from charter.bodies.services.decisions import Motion
from charter.kernel.present import as_json
from charter.kernel.web.contract import Items, Listed, returns
from charter.kernel.web.http import Who, context

Ctx = Annotated[Context, Depends(context)]
router = APIRouter()


@router.get("/bodies", tags=["bodies"], responses=returns(Items[BodyWithMembers]))
def list_bodies(ctx: Ctx, who: Who) -> Any:
    return {
        "items": [{**as_json(b), "members": as_json(m)} for b, m in bodies.list_bodies(ctx, who)]
    }


@router.post("/bodies", status_code=201, tags=["bodies"], responses=returns(domain.Body, 201))
def create_body(ctx: Ctx, who: Who, body: BodyIn) -> Any:
    return as_json(
        bodies.create_body(
            ctx, who, body.name, body.kind, body.charter, body.required_functions,
            body.quorum, body.cadence_days, body.remit,
        )
    )  # fmt: skip


@router.get("/bodies/{body_id}", tags=["bodies"], responses=returns(BodyView))
def get_body(ctx: Ctx, who: Who, body_id: str) -> Any:
    found, members, meetings = bodies.get_body(ctx, who, body_id)
    return {**as_json(found), "members": as_json(members), "meetings": as_json(meetings)}


@router.post(
    "/bodies/{body_id}/members",
    status_code=201,
    tags=["bodies"],
    responses=returns(domain.Member, 201),
)
def add_member(ctx: Ctx, who: Who, body_id: str, body: MemberIn) -> Any:
    """Appoint a member from now, or from an earlier day (`since`) with a `reason`: no
    further back than three years, and after the body's last meeting held."""
    since = bodies.first_day(body.since)
    return as_json(
        bodies.add_member(
            ctx, who, body_id, body.person_id, body.function, body.role, since, body.reason
        )
    )


@router.delete("/members/{member_id}", status_code=204, tags=["bodies"])
def remove_member(ctx: Ctx, who: Who, member_id: str) -> Response:
    """End a membership from now; it stays on record with its end date (`until`)."""
    bodies.remove_member(ctx, who, member_id)
    return Response(status_code=204)


@router.get(
    "/bodies/{body_id}/agenda", tags=["bodies"], responses=returns(Items[domain.AgendaItem])
)
def get_agenda(ctx: Ctx, who: Who, body_id: str) -> Any:
    """What is pending for the body now, in its remit."""
    return {"items": as_json(bodies.agenda(ctx, who, body_id))}


@router.post(
    "/bodies/{body_id}/meetings",
    status_code=201,
    tags=["bodies"],
    responses=returns(domain.Meeting, 201),
)
def schedule_meeting(ctx: Ctx, who: Who, body_id: str, body: MeetingIn) -> Any:
    return as_json(bodies.schedule_meeting(ctx, who, body_id, body.scheduled_for))


@router.get("/meetings/{meeting_id}", tags=["bodies"], responses=returns(MeetingView))
def get_meeting(ctx: Ctx, who: Who, meeting_id: str) -> Any:
    meeting, body, members, decisions = bodies.get_meeting(ctx, who, meeting_id)
    return {
        **as_json(meeting),
        "body": body.name,
        "members": as_json(members),
        "decisions": as_json(decisions),
    }


@router.post("/meetings/{meeting_id}/attendance", tags=["bodies"], responses=returns(HeldMeeting))
def hold_meeting(ctx: Ctx, who: Who, meeting_id: str, body: AttendanceIn) -> Any:
    """Record attendance and minutes; says whether the meeting may decide."""
    meeting, where = bodies.hold_meeting(
        ctx, who, meeting_id, body.attendees, body.minutes, body.late_reason
    )
    return {
        **as_json(meeting),
        "quorate": where.quorate,
        "may_decide": where.may_decide,
        "missing_functions": as_json(where.missing_functions),
    }


@router.post(
    "/meetings/{meeting_id}/decisions",
    status_code=201,
    tags=["bodies"],
    responses=returns(domain.BodyDecision, 201),
)
def decide(ctx: Ctx, who: Who, meeting_id: str, body: BodyDecisionIn) -> Any:
    """Put a motion to the vote with the votes as minuted; refused (409) without quorum or a
    required function. It stays open until every member named casts their own vote."""
    terms = body.terms.model_dump() if body.terms else None
    motion = Motion(
        body.subject_kind, body.subject_id, body.outcome, body.title, body.reason, terms
    )
    votes = {k: v.value for k, v in body.votes.items()}
    return as_json(decisions.decide(ctx, who, meeting_id, motion, votes, body.late_reason))


@router.post(
    "/decisions/{decision_id}/votes", tags=["bodies"], responses=returns(domain.BodyDecision)
)
def cast_vote(ctx: Ctx, who: Who, decision_id: str, body: VoteIn) -> Any:
    """Cast (or confirm) your own vote on an open decision of a meeting you attended."""
    return as_json(decisions.cast_vote(ctx, who, decision_id, body.vote.value))


@router.get("/decisions", tags=["bodies"], responses=returns(Listed[domain.BodyDecision]))
def decision_log(
    ctx: Ctx,
    who: Who,
    body_id: str | None = None,
    subject_id: str | None = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> Any:
    """The decision log, newest first: by body, by what was decided, or by words."""
    found = decisions.decision_log(ctx, who, body_id, q, subject_id)
    return {"items": as_json(found), "total": len(found)}
