"""Use cases for leadership bodies: set them up, appoint members, schedule and hold
meetings, and read the agenda (what the reader may see of it). Decisions are
charter.bodies.services.decisions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

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
    current_members,
    late_entry,
    members_at,
    scope_of,
    standing,
)
from charter.bodies.ports import Context, UnitOfWork
from charter.bodies.services import agenda as agendas
from charter.bodies.services import decisions
from charter.kernel.access import Action, Actor, ensure, ensure_member
from charter.kernel.context import record, snapshot
from charter.kernel.errors import Conflict, InvalidInput
from charter.kernel.lookups import ensure_unique, hold, require
from charter.kernel.lookups import person_id as resolve_person
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


#: how far back an appointment may be entered (three years: a board member's usual term)
MAX_BACKDATE = timedelta(days=3 * 365 + 1)


def first_day(day: date | None) -> datetime | None:
    """A day an appointment starts, as its first moment in UTC."""
    return None if day is None else datetime.combine(day, time(), UTC)


def _appointed(uow: UnitOfWork, body_id: str, since: datetime | None, now: datetime,
               reason: str) -> tuple[datetime, str]:  # fmt: skip
    """When an appointment starts: now, or an earlier day given with a reason, no further
    back than MAX_BACKDATE and after every meeting of the body already held (a back-dated
    member never joins the attendance, quorum or votes of a meeting on record)."""
    if since is None or since.astimezone(UTC).date() >= now.astimezone(UTC).date():
        return now, ""
    reason = reason.strip()[:2000]
    if not reason:
        raise InvalidInput(
            "an appointment from an earlier day needs a reason", details={"field": "reason"}
        )
    if since < now - MAX_BACKDATE:
        raise InvalidInput(f"an appointment reaches back {MAX_BACKDATE.days} days at most",
                           details={"field": "since"})  # fmt: skip
    held = [m.scheduled_for for m in uow.meetings.all(body_id=body_id)
            if m.status is MeetingStatus.HELD]  # fmt: skip
    last = max(held, default=None)
    if last is not None and since.astimezone(UTC).date() <= last.astimezone(UTC).date():
        raise Conflict(
            f"an appointment cannot start on or before {last:%Y-%m-%d}, the day of a meeting "
            "already held: its attendance, quorum and votes stand as recorded"
        )
    return since, reason


def add_member(
    ctx: Context,
    actor: Actor,
    body_id: str,
    person_id: str,
    function: Function,
    role: MemberRole = MemberRole.MEMBER,
    since: datetime | None = None,
    reason: str = "",
) -> Member:
    """Appoint a member from now, or from an earlier day (`since`, an appointment made
    before it was recorded) with a reason, audited as given: see _appointed."""
    ensure(actor, Action.BODY_MANAGE)
    with ctx.uow() as uow:
        hold(uow.bodies, "body", body_id)
        person_id = resolve_person(uow.people, person_id)
        start, reason = _appointed(uow, body_id, since, ctx.clock(), reason)
        member = Member(
            ctx.new_id("mbr"), body_id, person_id, Function(function), MemberRole(role), start
        )
        if current_members(uow.members.all(body_id=body_id, person_id=person_id)):
            raise Conflict(f"person {person_id} is already a member of body {body_id}")
        uow.members.add(member)
        data = snapshot(member) | ({"backdated_reason": reason} if reason else {})
        record(ctx, uow, actor, "body.member_added", "body", body_id, data)
        uow.commit()
    return member


def remove_member(ctx: Context, actor: Actor, member_id: str) -> Member:
    """Take a member off a body from now: the membership ends but stays on record, so the
    meetings they belonged to keep their attendance, quorum and votes."""
    ensure(actor, Action.BODY_MANAGE)
    with ctx.uow() as uow:
        member = require(uow.members, "member", member_id)
        hold(uow.bodies, "body", member.body_id)
        member = hold(uow.members, "member", member_id)
        if not member.current:
            raise Conflict(f"member {member_id} was taken off the body on {member.until:%Y-%m-%d}")
        ended = replace(member, until=ctx.clock())
        uow.members.update(ended, when={"until": None})
        record(ctx, uow, actor, "body.member_removed", "body", member.body_id, snapshot(ended))
        uow.commit()
    return ended


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
        attendees = decisions.person_ids(uow, attendees)
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
    """Every body with its members now."""
    ensure_member(actor)
    with ctx.uow() as uow:
        members = current_members(uow.members.all())
        return [
            (b, [m for m in members if m.body_id == b.id])
            for b in sorted(uow.bodies.all(), key=lambda b: b.name)
        ]


def get_body(ctx: Context, actor: Actor, body_id: str) -> tuple[Body, list[Member], list[Meeting]]:
    """The body, its members now and before (those taken off carry `until`), its meetings."""
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
        members = current_members(uow.members.all(body_id=body_id))
        items = agendas.agenda_for(ctx, uow, body, members)
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
    """The meeting, its body, the members on its date and the decisions the reader sees."""
    ensure_member(actor)
    with ctx.uow() as uow:
        meeting = require(uow.meetings, "meeting", meeting_id)
        body = require(uow.bodies, "body", meeting.body_id)
        seen = visibility(actor)
        made = uow.body_decisions.all(meeting_id=meeting_id)
        made = decisions.decisions_seen(uow, seen, made)
        members = members_at(uow.members.all(body_id=body.id), meeting.scheduled_for)
        return _agenda_seen(meeting, seen), body, members, made
