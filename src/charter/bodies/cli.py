"""charter bodies"""

from __future__ import annotations

from datetime import datetime

import typer

from charter.bodies.domain import (
    BodyDecision,
    BodyKind,
    DecisionStatus,
    Function,
    MemberRole,
    Remit,
    SubjectKind,
)
from charter.bodies.services import bodies, decisions
from charter.bodies.services.decisions import Motion
from charter.inventory import services as inventory
from charter.kernel.cli.output import JsonOpt, console, emit, name_of, reporting, table
from charter.kernel.cli.session import AS_HELP, acting, context
from charter.kernel.errors import InvalidInput
from charter.kernel.present import as_json

bodies_app = typer.Typer(
    help="Leadership bodies: members, meetings, agendas, decisions.", no_args_is_help=True
)
AsOpt = typer.Option(None, "--as", help=AS_HELP)


@bodies_app.command("list")
def bodies_list(who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """Leadership bodies and their members."""
    with reporting(json_):
        ctx = context()
        found = bodies.list_bodies(ctx, acting(ctx, who))
    emit(
        {"items": [{**as_json(b), "members": as_json(m)} for b, m in found]},
        json_,
        lambda: table("Bodies", ["id", "name", "kind", "quorum", "members"], [
            (b.id, b.name, b.kind.value, b.quorum, len(m)) for b, m in found
        ]),
    )  # fmt: skip


@bodies_app.command("create")
def bodies_create(
    name: str,
    kind: BodyKind = typer.Option(...),
    charter: str = typer.Option(..., help="What the body is for and decides."),
    function: list[Function] | None = typer.Option(None, "--function", help="Required (repeat)."),
    quorum: int = typer.Option(..., min=1),
    cadence: int = typer.Option(30, help="Days between meetings."),
    remit: list[Remit] | None = typer.Option(None, "--remit", help="What it decides (repeat)."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Create a body with its charter, required functions, quorum, cadence and remit."""
    with reporting(json_):
        ctx = context()
        body = bodies.create_body(
            ctx, acting(ctx, who), name, kind, charter, function or [], quorum, cadence,
            remit or [],
        )  # fmt: skip
    emit(as_json(body), json_, lambda: typer.echo(f"created body {body.id}"))


@bodies_app.command("show")
def bodies_show(body: str, who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """A body with its members and meetings."""
    with reporting(json_):
        ctx = context()
        actor = acting(ctx, who)
        found, members, meetings = bodies.get_body(ctx, actor, body)
        named = inventory.names(ctx, actor)
    data = {**as_json(found), "members": as_json(members), "meetings": as_json(meetings)}

    def human() -> None:
        console.print(f"[bold]{found.name}[/] ({found.kind.value}): {found.charter}")
        table("Members", ["id", "person", "function", "role"], [
            (m.id, name_of(named, m.person_id), m.function.value, m.role.value) for m in members
        ])  # fmt: skip
        table("Meetings", ["id", "when", "status", "attendees"], [
            (m.id, f"{m.scheduled_for:%Y-%m-%d}", m.status.value, len(m.attendees))
            for m in meetings
        ])  # fmt: skip

    emit(data, json_, human)


@bodies_app.command("add-member")
def bodies_add_member(
    body: str,
    person: str,
    function: Function = typer.Option(...),
    role: MemberRole = typer.Option(MemberRole.MEMBER),
    since: datetime | None = typer.Option(
        None, formats=["%Y-%m-%d"], help="First day of an appointment made earlier (UTC)."
    ),
    reason: str = typer.Option("", help="Why the appointment is back-dated (then needed)."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Appoint a person to a body, for a function (from an earlier day with --since and
    --reason: at most three years back, after the body's last meeting held)."""
    with reporting(json_):
        ctx = context()
        start = bodies.first_day(since.date()) if since else None
        member = bodies.add_member(
            ctx, acting(ctx, who), body, person, function, role, start, reason
        )
    emit(as_json(member), json_, lambda: typer.echo(f"added member {member.id}"))


@bodies_app.command("remove-member")
def bodies_remove_member(member: str, who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """Take a member off a body from now (the membership stays on record, ended)."""
    with reporting(json_):
        ctx = context()
        ended = bodies.remove_member(ctx, acting(ctx, who), member)
    emit(as_json(ended), json_, lambda: typer.echo(f"removed member {member}"))


@bodies_app.command("agenda")
def bodies_agenda(body: str, who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """What is pending for the body now, in its remit."""
    with reporting(json_):
        ctx = context()
        items = bodies.agenda(ctx, acting(ctx, who), body)
    emit(
        {"items": as_json(items)},
        json_,
        lambda: table("Agenda", ["kind", "item", "detail"], [
            (i.kind, i.title, i.detail) for i in items
        ]),
    )  # fmt: skip


@bodies_app.command("schedule")
def bodies_schedule(
    body: str,
    at: datetime = typer.Option(..., help="When (ISO date and time)."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Schedule a meeting of the body."""
    with reporting(json_):
        ctx = context()
        moment = at if at.tzinfo else at.astimezone()
        meeting = bodies.schedule_meeting(ctx, acting(ctx, who), body, moment)
    emit(as_json(meeting), json_, lambda: typer.echo(f"scheduled meeting {meeting.id}"))


@bodies_app.command("hold")
def bodies_hold(
    meeting: str,
    attendee: list[str] = typer.Option(..., "--attendee", help="A member present (repeat)."),
    minutes: str = "",
    late_reason: str = typer.Option(
        "", "--late-reason", help="Why it is recorded more than the grace period late."
    ),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Record a meeting's attendance and minutes; says whether it may decide."""
    with reporting(json_):
        ctx = context()
        held, where = bodies.hold_meeting(
            ctx, acting(ctx, who), meeting, attendee, minutes, late_reason
        )
    data = {**as_json(held), "may_decide": where.may_decide, "refusal": where.refusal()}
    emit(data, json_, lambda: typer.echo("may decide" if where.may_decide else where.refusal()))


def _votes(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        person, sep, vote = item.partition("=")
        if not sep:
            raise InvalidInput(f"--vote {item!r} is not PERSON=for|against|abstain")
        out[person.strip()] = vote.strip()
    return out


@bodies_app.command("decide")
def bodies_decide(
    meeting: str,
    kind: SubjectKind = typer.Option(..., help="transition, use_case, waiver, risk or motion"),
    subject: str = typer.Option("", help="The request, use case, system or risk decided."),
    outcome: str = typer.Option(
        ..., help="approve, refuse, park, reject, stop, grant, accept, revoke, carried"
    ),
    title: str = typer.Option(...),
    reason: str = typer.Option(...),
    vote: list[str] = typer.Option(
        [],
        "--vote",
        help="PERSON=for|against|abstain as minuted (repeat); each is cast by "
        "its member (`charter bodies vote`), yours at once.",
    ),
    policy: str | None = typer.Option(None, help="Waiver: the policy."),
    requirement: str | None = typer.Option(None, help="Waiver: the requirement."),
    measures: str | None = typer.Option(None, help="Waiver: compensating measures."),
    conditions: str | None = typer.Option(None, help="Risk acceptance: its conditions."),
    expires: datetime | None = typer.Option(None, help="Waiver, risk acceptance: when it lapses."),
    late_reason: str = typer.Option(
        "", "--late-reason", help="Why it is recorded more than the grace period late."
    ),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Put a motion to the vote of the members present (refused without quorum or a
    required function); once the members named cast their votes, carried, it takes effect."""
    with reporting(json_):
        terms: dict[str, object] | None = None
        when = expires.astimezone() if expires and not expires.tzinfo else expires
        if kind is SubjectKind.WAIVER:
            terms = {"policy_id": policy, "requirement_id": requirement, "measures": measures,
                     "expires_at": when}  # fmt: skip
        if kind is SubjectKind.RISK and outcome == "accept":
            terms = {"conditions": conditions, "expires_at": when}
        ctx = context()
        motion = Motion(kind, subject, outcome, title, reason, terms)
        decision = decisions.decide(
            ctx, acting(ctx, who), meeting, motion, _votes(vote), late_reason
        )
    emit(as_json(decision), json_, lambda: typer.echo(_verdict(decision)))


def _verdict(decision: BodyDecision) -> str:
    if decision.status is DecisionStatus.OPEN:
        waiting = ", ".join(decision.unconfirmed()) or "a quorum of votes"
        return f"{decision.title}: open, awaiting the votes of {waiting} ({decision.id})"
    return f"{decision.title}: {'carried' if decision.carried else 'not carried'}"


@bodies_app.command("vote")
def bodies_vote(
    decision: str,
    vote: str = typer.Argument(..., help="for, against or abstain"),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Cast (or confirm) your own vote on an open decision of a meeting you attended."""
    with reporting(json_):
        ctx = context()
        found = decisions.cast_vote(ctx, acting(ctx, who), decision, vote)
    emit(as_json(found), json_, lambda: typer.echo(_verdict(found)))


@bodies_app.command("decisions")
def bodies_decisions(
    body: str | None = None,
    subject: str | None = None,
    search: str | None = typer.Option(None, "--search", "-q"),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """The decision log, newest first."""
    with reporting(json_):
        ctx = context()
        found = decisions.decision_log(ctx, acting(ctx, who), body, search, subject)
    emit(
        {"items": as_json(found), "total": len(found)},
        json_,
        lambda: table("Decisions", ["when", "title", "outcome", "carried"], [
            (f"{d.decided_at:%Y-%m-%d}", d.title, d.outcome, d.carried) for d in found
        ]),
    )  # fmt: skip
