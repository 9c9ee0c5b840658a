"""The demo's people side: four leadership bodies with a year of meetings (a few without
quorum) and their decisions, a skills catalogue with needs and assessments, AI-literacy
training (some of it expired), a year of adoption figures, surveys and communications, and
iterations and experiments of the use cases being delivered. Built through the services;
dates in the past are the days things happened (meetings, completions, months measured)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from importlib import resources
from typing import TYPE_CHECKING, Any

from charter.bodies.domain import SubjectKind
from charter.bodies.services import bodies, decisions
from charter.bodies.services.decisions import Motion
from charter.demo.strategy import months_before
from charter.kernel.access import Actor
from charter.people.services import adoption, talent
from charter.strategy.services import delivery

if TYPE_CHECKING:
    from charter.demo.build import Demo

CLERK = "amara"  # the chief AI officer manages bodies and the skills catalogue


def load_people() -> dict[str, Any]:
    text = resources.files("charter.demo").joinpath("people.json").read_text("utf-8")
    spec: dict[str, Any] = json.loads(text)
    return spec


#: the late-entry reason of the meetings before the demo's day (their history, entered at once)
HISTORY = "Entered from the paper minutes when the organisation started using Charter."


def _day(demo: Demo, days_ago: int) -> date:
    return demo.ctx.clock().date() - timedelta(days=days_ago)


def _bodies(demo: Demo, spec: dict[str, Any]) -> None:
    ctx, clerk = demo.ctx, demo.actor(CLERK)
    for b in spec["bodies"]:
        body = bodies.create_body(
            ctx, clerk, b["name"], b["kind"], b["charter"], b["functions"], b["quorum"],
            b["cadence_days"], b["remit"],
        )  # fmt: skip
        demo.ids[f"body:{b['key']}"] = body.id
        since = datetime.combine(_day(demo, 400), time(9), UTC)  # appointed before the history
        for person, function, role in b["members"]:
            bodies.add_member(
                ctx, clerk, body.id, demo.ids[person], function, role, since, "before the demo"
            )


def _members(spec: dict[str, Any], key: str) -> dict[str, str]:
    body = next(b for b in spec["bodies"] if b["key"] == key)
    return {str(p): str(role) for p, _, role in body["members"]}


def _chair(spec: dict[str, Any], key: str) -> str:
    return next(p for p, role in _members(spec, key).items() if role == "chair")


def _voters(spec: dict[str, Any], key: str, present: list[str]) -> list[str]:
    roles = _members(spec, key)
    return [p for p in present if roles[p] != "advisor"]


def _meetings(demo: Demo, spec: dict[str, Any]) -> None:
    """Each body's meetings over the past year, held with their attendance; the quorate
    ones vote a motion (most carried, one a year not)."""
    for key, plan in spec["meetings"].items():
        body, chair = demo.ids[f"body:{key}"], demo.actor(_chair(spec, key))
        for n in range(plan["count"]):
            days_ago = (plan["count"] - n) * plan["every_days"] - plan["every_days"] // 2
            at = datetime.combine(_day(demo, days_ago), time(9), UTC)
            meeting = bodies.schedule_meeting(demo.ctx, chair, body, at)
            present = plan["thin"].get(str(n), plan["usual"])
            held, where = bodies.hold_meeting(
                demo.ctx, chair, meeting.id, [demo.ids[p] for p in present],
                f"{len(present)} members present.", HISTORY,
            )  # fmt: skip
            if where.may_decide:
                title = plan["motions"][n % len(plan["motions"])]
                voting = _voters(spec, key, present)
                lost = n == plan["count"] - 3  # one motion a year the body votes down
                votes = {
                    p: "against" if lost and demo.ids[p] != chair.person_id else "for"
                    for p in voting
                }
                motion = Motion(SubjectKind.MOTION, "", "carried", title, "as minuted")
                put_motion(demo, chair, held.id, motion, votes)
        demo.ids[f"meeting:{key}"] = meeting.id


def _latest_decisions(demo: Demo, spec: dict[str, Any]) -> None:
    """Decisions with an effect, taken at each body's latest meeting."""
    for d in spec["latest"]:
        usual = spec["meetings"][d["body"]]["usual"]
        motion = Motion(
            SubjectKind(d["kind"]), demo.ids[f"use_case:{d['subject']}"], d["outcome"],
            d["title"], d["reason"],
        )  # fmt: skip
        put_motion(
            demo, demo.actor(_chair(spec, d["body"])), demo.ids[f"meeting:{d['body']}"],
            motion, dict.fromkeys(_voters(spec, d["body"], usual), "for"),
        )  # fmt: skip


def put_motion(
    demo: Demo, chair: Actor, meeting_id: str, motion: Motion, votes: dict[str, str]
) -> None:
    """The chair puts the motion with the votes as minuted; each member then casts their own
    (the chair's counts at once)."""
    minuted = {demo.ids[p]: v for p, v in votes.items()}
    decision = decisions.decide(demo.ctx, chair, meeting_id, motion, minuted, HISTORY)
    for person, vote in votes.items():
        if demo.ids[person] != chair.person_id:
            decisions.cast_vote(demo.ctx, demo.actor(person), decision.id, vote)


def _talent(demo: Demo, spec: dict[str, Any]) -> None:
    ctx, clerk = demo.ctx, demo.actor(CLERK)
    skills = {
        name: talent.add_skill(ctx, clerk, name, category).id for name, category in spec["skills"]
    }
    for role, skill, level in spec["needs"]:
        talent.need_skill(ctx, clerk, role, skills[skill], level)
    for person, held in spec["held"].items():
        for skill, level in held:
            talent.assess_skill(
                ctx, clerk, demo.ids[person], skills[skill], level, "review with their lead"
            )
    courses = {}
    for c in spec["courses"]:
        courses[c["key"]] = talent.add_course(
            ctx, clerk, c["title"], c["provider"], c["literacy"], c["roles"],
            [skills[s] for s in c.get("skills", [])], c["validity_months"],
        ).id  # fmt: skip
    for course, people, days_ago in spec["completions"]:
        for person in people:
            by = demo.actor("admin") if person == CLERK else clerk  # nobody records their own
            talent.record_completion(
                ctx, by, demo.ids[person], courses[course], _day(demo, days_ago)
            )


def _adoption(demo: Demo, spec: dict[str, Any]) -> None:
    today = demo.ctx.clock().date()
    rows = []
    for a in spec["adoption"]:
        months = months_before(today, a.get("months", 12))
        for i, period in enumerate(months):
            share = i / max(len(months) - 1, 1)
            active = round(a["active"][0] + (a["active"][1] - a["active"][0]) * share)
            uses = round(a["uses"][0] + (a["uses"][1] - a["uses"][0]) * share)
            rows.append({
                "system_id": demo.ids[a["system"]], "business_unit_id": demo.ids[a["unit"]],
                "period": period, "active_users": active, "eligible_users": a["eligible"],
                "uses": uses,
            })  # fmt: skip
    adoption.record_adoption(demo.ctx, demo.actor("elena"), rows, "demo")
    for s in spec["surveys"]:
        period = _day(demo, s["days_ago"]).isoformat()[:7]
        adoption.record_survey(
            demo.ctx, demo.actor(CLERK), s["title"], period, s["responses"], s["sentiment"],
            s["concerns"],
        )  # fmt: skip
    for title, channel, days_ago, audience, by in spec["communications"]:
        actor = demo.actor(by)
        unit = "all" if audience == "all" else demo.ids[audience]
        adoption.log_communication(
            demo.ctx, actor, title, channel, _day(demo, days_ago), unit, title
        )


def _delivery(demo: Demo, spec: dict[str, Any]) -> None:
    planner = demo.actor("elena")
    for key, goal, start, end, decision, outcome, learnings in spec["iterations"]:
        use_case = demo.ids[f"use_case:{key}"]
        item = delivery.open_iteration(
            demo.ctx, planner, use_case, goal, _day(demo, start), _day(demo, end)
        )
        if decision:
            delivery.close_iteration(
                demo.ctx, planner, item.id, decision, outcome, learnings, _day(demo, end)
            )
    for key, hypothesis, metric, result, finding in spec["experiments"]:
        use_case = demo.ids[f"use_case:{key}"]
        found = delivery.start_experiment(demo.ctx, planner, use_case, hypothesis, metric)
        if result:
            delivery.conclude_experiment(demo.ctx, planner, found.id, result, finding)


def build_people_side(demo: Demo) -> None:
    spec = load_people()
    _bodies(demo, spec)
    _talent(demo, spec)
    _meetings(demo, spec)
    _latest_decisions(demo, spec)
    _adoption(demo, spec)
    _delivery(demo, spec)
