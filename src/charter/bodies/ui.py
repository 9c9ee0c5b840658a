"""Web UI pages of leadership bodies: the bodies and the decision log, a body (members,
agenda, meetings), a meeting (attendance, standing, the vote). JSON twins: GET /bodies,
/bodies/{id}, /bodies/{id}/agenda, /meetings/{id}, /decisions."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from charter.bodies.domain import (
    OUTCOMES,
    BodyDecision,
    DecisionStatus,
    Function,
    Member,
    MemberRole,
    SubjectKind,
    members_at,
    standing,
)
from charter.bodies.services import bodies, decisions
from charter.bodies.services.decisions import Motion
from charter.kernel.access import Action, Actor, allowed
from charter.kernel.errors import CharterError, InvalidInput
from charter.kernel.web.pages import back_to, check_csrf, ctx_of, page, refusal, signed_in
from charter.kernel.web.picker import Choice, Picker, Within, listed, resolve
from charter.strategy.ui import names_of

router = APIRouter(prefix="/ui", include_in_schema=False)

#: the kinds of motion the meeting page offers (waivers are granted through the API, CLI)
OFFERED = (SubjectKind.MOTION, SubjectKind.TRANSITION, SubjectKind.USE_CASE, SubjectKind.RISK)
#: the agenda items a motion may decide (a risk's lapsing acceptance is decided as the risk)
AGENDA = ("transition", "use_case", "risk", "acceptance_expiring")


def may_clerk(who: Actor, members: list[Member]) -> bool:
    clerks = {m.person_id for m in members
              if m.current and m.role in (MemberRole.CHAIR, MemberRole.SECRETARY)}  # fmt: skip
    return who.person_id in clerks or allowed(who, Action.BODY_MANAGE)


@router.get("/bodies")
def bodies_page(request: Request, q: str | None = None) -> HTMLResponse:
    who, session = signed_in(request)
    ctx = ctx_of(request)
    found = bodies.list_bodies(ctx, who)
    covered = {
        b.id: [(f, f in {m.function for m in ms}) for f in b.required_functions] for b, ms in found
    }
    return page(
        request, "bodies.html", who, session, title="Leadership bodies", bodies=found,
        covered=covered, decisions=decisions.decision_log(ctx, who, search=q)[:50], q=q,
        names=names_of(ctx, who), body_names={b.id: b.name for b, _ in found},
    )  # fmt: skip


@router.get("/bodies/{body_id}")
def body_page(request: Request, body_id: str) -> HTMLResponse:
    who, session = signed_in(request)
    ctx = ctx_of(request)
    body, members, meetings = bodies.get_body(ctx, who, body_id)
    rows = [
        (m, standing(body, members_at(members, m.scheduled_for), m.attendees))
        for m in reversed(meetings)
    ]
    return page(
        request, "body.html", who, session, title=body.name, body=body,
        members=[m for m in members if m.current], past=[m for m in members if not m.current],
        meetings=rows, agenda=bodies.agenda(ctx, who, body_id), names=names_of(ctx, who),
        clerk=may_clerk(who, members), manage=allowed(who, Action.BODY_MANAGE),
        functions=list(Function), seats=list(MemberRole),
    )  # fmt: skip


@router.post("/bodies/{body_id}/meetings")
def schedule(
    request: Request,
    body_id: str,
    when: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    who, session = signed_in(request)
    check_csrf(session, csrf)
    try:
        at = datetime.fromisoformat(when)
        meeting = bodies.schedule_meeting(
            ctx_of(request), who, body_id, at if at.tzinfo else at.replace(tzinfo=UTC)
        )
    except ValueError:
        return back_to(
            request, f"/ui/bodies/{quote(body_id)}", f"{when!r} is not a date and time", True
        )
    except CharterError as exc:
        return back_to(request, f"/ui/bodies/{quote(body_id)}", exc.message, error=True)
    return back_to(request, f"/ui/meetings/{quote(meeting.id)}", "meeting scheduled")


@router.post("/bodies/{body_id}/members")
def appoint(
    request: Request,
    body_id: str,
    person: Annotated[str, Form()],
    function: Annotated[Function, Form()],
    role: Annotated[MemberRole, Form()] = MemberRole.MEMBER,
    since: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Appoint a member, from now or (with a reason) from an earlier day."""
    who, session = signed_in(request)
    check_csrf(session, csrf)
    here = f"/ui/bodies/{quote(body_id)}"
    try:
        start = bodies.first_day(date.fromisoformat(since)) if since else None
        bodies.add_member(ctx_of(request), who, body_id, person, function, role, start, reason)
    except ValueError:
        return back_to(request, here, f"{since!r} is not a date", error=True)
    except CharterError as exc:
        return back_to(request, here, exc.message, error=True)
    return back_to(request, here, "member appointed")


@router.post("/members/{member_id}/end")
def take_off(request: Request, member_id: str, csrf: Annotated[str, Form()] = "") -> Response:
    """End a membership from now (it stays on record)."""
    who, session = signed_in(request)
    check_csrf(session, csrf)
    try:
        ended = bodies.remove_member(ctx_of(request), who, member_id)
    except CharterError as exc:
        return back_to(request, "/ui/bodies", exc.message, error=True)
    return back_to(request, f"/ui/bodies/{quote(ended.body_id)}", "membership ended")


def _subjects(items: list[Any]) -> dict[str, list[tuple[str, str]]]:
    """What the agenda lets the body decide, by kind: (id, title)."""
    out: dict[str, list[tuple[str, str]]] = {"transition": [], "use_case": [], "risk": []}
    for item in items:
        kind = "risk" if item.kind == "acceptance_expiring" else item.kind
        if kind in out:
            out[kind].append((item.ref, item.title))
    return out


@router.get("/meetings/{meeting_id}")
def meeting_page(request: Request, meeting_id: str) -> HTMLResponse:
    return show_meeting(request, meeting_id)


def show_meeting(
    request: Request, meeting_id: str, typed: dict[str, Any] | None = None, refused: str = ""
) -> HTMLResponse:
    """The meeting; with a motion refused filled in as typed, and why (at the top of the
    page and beside the form)."""
    who, session = signed_in(request)
    ctx = ctx_of(request)
    meeting, body, members, made = bodies.get_meeting(ctx, who, meeting_id)
    where = standing(body, members, meeting.attendees)  # the members on the meeting's date
    voters = [m for m in members if m.votes and m.person_id in meeting.attendees]
    subjects = _subjects(bodies.agenda(ctx, who, body.id))
    return page(
        request, "meeting.html", who, session, title=f"{body.name} meeting", meeting=meeting,
        body=body, members=members, decisions=made, standing=where, voters=voters,
        names=names_of(ctx, who), clerk=may_clerk(who, members),
        may_vote=who.person_id in {m.person_id for m in voters}, me=who.person_id,
        late=ctx.clock() - meeting.scheduled_for > ctx.late_grace,
        subjects=subjects, outcomes={
            k: OUTCOMES[k] for k in OFFERED if k is SubjectKind.MOTION or subjects.get(k.value)
        }, f=typed or {}, refused=refused,
        **({"message": refused, "error": True} if refused else {}),
    )  # fmt: skip


def _agenda_picker(meeting_id: str) -> Picker:
    """What a meeting's motion may decide: the items of its body's agenda the person may
    see (charter.kernel.web.picker), found by their title or id."""

    def items(ctx: Any, who: Actor) -> list[Choice]:
        _, body, _, _ = bodies.get_meeting(ctx, who, meeting_id)
        found = bodies.agenda(ctx, who, body.id)
        return list({i.ref: Choice(i.ref, i.title) for i in found if i.kind in AGENDA}.values())

    return listed("agenda item", items)


def pickers() -> dict[str, Within]:
    """The bodies' searchable choices: "agenda:<meeting id>", what its motion may decide."""
    return {"agenda": _agenda_picker}


@router.post("/meetings/{meeting_id}/attendance")
def attendance(
    request: Request,
    meeting_id: str,
    attendee: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI copies the default
    minutes: Annotated[str, Form()] = "",
    late_reason: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    who, session = signed_in(request)
    check_csrf(session, csrf)
    back = f"/ui/meetings/{quote(meeting_id)}"
    try:
        _, where = bodies.hold_meeting(
            ctx_of(request), who, meeting_id, attendee, minutes, late_reason
        )
    except CharterError as exc:
        return back_to(request, back, exc.message, error=True)
    note = "held; the meeting may decide" if where.may_decide else f"held; {where.refusal()}"
    return back_to(request, back, note)


def _acceptance_terms(conditions: str, expires: str) -> dict[str, object] | None:
    if not expires:
        return {"conditions": conditions, "expires_at": None}
    try:
        at = datetime.fromisoformat(expires)
    except ValueError as exc:
        raise InvalidInput(f"{expires!r} is not a date", details={"field": "expires"}) from exc
    return {"conditions": conditions, "expires_at": at if at.tzinfo else at.replace(tzinfo=UTC)}


@router.post("/meetings/{meeting_id}/decisions")
def vote(
    request: Request,
    meeting_id: str,
    subject_kind: Annotated[str, Form()] = "motion",
    subject_id: Annotated[str, Form(max_length=320)] = "",
    outcome: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    votes: Annotated[list[str], Form(alias="vote")] = [],  # noqa: B006 - "<person>:<vote>"
    conditions: Annotated[str, Form()] = "",
    expires: Annotated[str, Form()] = "",
    late_reason: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Put a motion to the vote of the members present, with the votes as minuted; its
    subject typed (an agenda item's title or id); a risk acceptance carries its conditions
    and the date it lapses. Refused, the form comes back filled in as typed, saying why."""
    who, session = signed_in(request)
    check_csrf(session, csrf)
    cast = dict(v.split(":", 1) for v in votes if ":" in v and not v.endswith(":"))
    typed = {"subject_kind": subject_kind, "subject_id": subject_id, "outcome": outcome,
             "title": title, "reason": reason, "votes": cast, "conditions": conditions,
             "expires": expires, "late_reason": late_reason}  # fmt: skip
    try:
        kind = _kind(subject_kind)
        subject = resolve(request, who, f"agenda:{meeting_id}", subject_id) or ""
        terms = _acceptance_terms(conditions, expires) if kind is SubjectKind.RISK else None
        motion = Motion(kind, subject, outcome, title, reason, terms)
        decided = decisions.decide(ctx_of(request), who, meeting_id, motion, cast, late_reason)
    except CharterError as exc:
        shown = show_meeting(request, meeting_id, typed, refusal(request, who, exc))
        shown.status_code = exc.status
        return shown
    return back_to(request, f"/ui/meetings/{quote(meeting_id)}", _outcome(decided))


def _kind(typed: str) -> SubjectKind:
    try:
        return SubjectKind(typed)
    except ValueError:
        raise InvalidInput(f"unknown subject kind {typed!r}") from None


def _outcome(decision: BodyDecision) -> str:
    if decision.status is DecisionStatus.OPEN:
        return f"{decision.title}: open until the members named cast their own votes"
    return f"{decision.title}: {'carried' if decision.carried else 'not carried'}"


@router.post("/decisions/{decision_id}/vote")
def cast_vote(
    request: Request,
    decision_id: str,
    vote: Annotated[str, Form()] = "",
    meeting: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """A member present casts (or confirms) their own vote."""
    who, session = signed_in(request)
    check_csrf(session, csrf)
    back = f"/ui/meetings/{quote(meeting)}" if meeting else "/ui/bodies"
    try:
        found = decisions.cast_vote(ctx_of(request), who, decision_id, vote)
    except CharterError as exc:
        return back_to(request, back, exc.message, error=True)
    return back_to(request, back, f"your vote is cast; {_outcome(found)}")
