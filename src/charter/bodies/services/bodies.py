"""Use cases for leadership bodies: set them up, appoint members, schedule and hold
meetings, and read the agenda (what the reader may see of it). Decisions are
charter.bodies.services.decisions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

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
    check_body,
    late_entry,
    members_at,
    scope_of,
    standing,
)
from charter.bodies.ports import Context
from charter.bodies.services import agenda as agendas
from charter.bodies.services import decisions
from charter.kernel.access import Action, Actor, ensure, ensure_member
from charter.kernel.context import record, snapshot
from charter.kernel.errors import Conflict, InvalidInput
from charter.kernel.lookups import ensure_unique, require
from charter.kernel.names import require_name
from charter.kernel.visibility import Visibility, visibility


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
    since: datetime | None = None,
) -> Member:
    """Appoint a member from now (or from `since`, an appointment made before it was
    recorded; audited as given): meetings before that date do not count them."""
    ensure(actor, Action.BODY_MANAGE)
    member = Member(
        ctx.new_id("mbr"), body_id, person_id, Function(function), MemberRole(role),
        min(since, ctx.clock()) if since else ctx.clock(),
    )  # fmt: skip
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


def schedule_meeting(ctx: Context, actor: Actor, body_id: str, at: datetime) -> Meeting:
    meeting = Meeting(ctx.new_id("mtg"), body_id, at)
    with ctx.uow() as uow:
        decisions.secretariat(uow, actor, require(uow.bodies, "body", body_id))
        uow.meetings.add(meeting)
        record(ctx, uow, actor, "meeting.scheduled", "body", body_id, snapshot(meeting))
        uow.commit()
    return meeting


def hold_meeting(
    ctx: Context,
    actor: Actor,
    meeting_id: str,
    attendees: Sequence[str],
    minutes: str = "",
    late_reason: str = "",
) -> tuple[Meeting, Quorum]:
    """Record who attended (members as of the meeting's date only) and freeze the agenda; a
    meeting without quorum is still held and recorded, but decides nothing. A meeting more
    than the grace period in the past is held only with a late-entry reason, shown with it."""
    with ctx.uow() as uow:
        meeting = require(uow.meetings, "meeting", meeting_id)
        body = require(uow.bodies, "body", meeting.body_id)
        members = members_at(decisions.secretariat(uow, actor, body), meeting.scheduled_for)
        if meeting.status is MeetingStatus.HELD:
            raise Conflict(f"meeting {meeting_id} is already held")
        now = ctx.clock()
        if meeting.scheduled_for > now + timedelta(days=1):
            raise Conflict(
                f"meeting {meeting_id} is scheduled for {meeting.scheduled_for:%Y-%m-%d}"
            )
        late = late_entry(meeting.scheduled_for, now, ctx.late_grace, late_reason, "a meeting")
        strangers = sorted(set(attendees) - {m.person_id for m in members})
        if strangers:
            raise InvalidInput(
                f"not members of {body.name} on {meeting.scheduled_for:%Y-%m-%d}: "
                f"{', '.join(strangers)}"
            )
        items = agendas.agenda_for(ctx, uow, body, members)
        held = replace(
            meeting, status=MeetingStatus.HELD, attendees=tuple(dict.fromkeys(attendees)),
            minutes=minutes.strip()[:20000], agenda=tuple(i.title for i in items),
            agenda_scopes=tuple(i.scope for i in items), held_at=now, late_reason=late,
        )  # fmt: skip
        uow.meetings.update(held, when={"status": MeetingStatus.PLANNED})
        where = standing(body, members, held.attendees)
        data = {"meeting": meeting_id, "attendees": list(held.attendees),
                "quorate": where.quorate, "agenda": list(held.agenda)}  # fmt: skip
        if late:
            data["late_reason"] = late
        record(ctx, uow, actor, "meeting.held", "body", body.id, data)
        uow.commit()
    return _agenda_seen(held, visibility(actor)), where


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
    """What is pending for the body now, in its remit, that the reader may see."""
    ensure_member(actor)
    with ctx.uow() as uow:
        body = require(uow.bodies, "body", body_id)
        items = agendas.agenda_for(ctx, uow, body, uow.members.all(body_id=body_id))
    return visibility(actor).only(items, lambda i: (i.business_unit_id, i.system_id))


def _agenda_seen(meeting: Meeting, seen: Visibility) -> Meeting:
    """The meeting with the agenda items the reader may see (a meeting held before items
    recorded where they belong shows its agenda only to who sees every unit)."""
    if seen.everything:
        return meeting
    if len(meeting.agenda_scopes) != len(meeting.agenda):
        return replace(meeting, agenda=(), agenda_scopes=())
    kept = [(t, w) for t, w in zip(meeting.agenda, meeting.agenda_scopes, strict=True)
            if seen.sees(*scope_of(w))]  # fmt: skip
    return replace(
        meeting, agenda=tuple(t for t, _ in kept), agenda_scopes=tuple(w for _, w in kept)
    )


def get_meeting(
    ctx: Context, actor: Actor, meeting_id: str
) -> tuple[Meeting, Body, list[Member], list[BodyDecision]]:
    ensure_member(actor)
    with ctx.uow() as uow:
        meeting = require(uow.meetings, "meeting", meeting_id)
        body = require(uow.bodies, "body", meeting.body_id)
        seen = visibility(actor)
        made = uow.body_decisions.all(meeting_id=meeting_id)
        made = decisions.decisions_seen(uow, seen, made)
        return _agenda_seen(meeting, seen), body, uow.members.all(body_id=body.id), made
