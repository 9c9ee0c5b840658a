"""Issue 21, items 2 and 8's follow-up: a body's membership is history. Taking a member off
ends the membership (audited) and keeps it, so a meeting keeps the members it had: their
votes still count and its quorum is what it was. An appointment may be entered from an
earlier day only with a reason, a year or three back at most, and never reaching back to a
meeting already held; appointing someone again cannot change a meeting on record."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from charter.audit import services as audit
from charter.bodies.domain import BodyKind, Function, Remit
from charter.bodies.services import bodies
from charter.kernel.roles import RoleKind as R
from tests.security.conftest import Site
from tests.security.test_body_decisions import _pending


def _call(site: Site, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    return site.client.request(
        method, f"/api/v1{path}", json=body, headers=site.auth(R.ADMINISTRATOR)
    )


def _appoint(site: Site, body: str, role: R, function: Function, seat: str = "member",
             **more: str) -> Any:  # fmt: skip
    person = site.world.people[role].id
    seat_of = {"person_id": person, "function": function.value, "role": seat}
    return _call(site, "POST", f"/bodies/{body}/members", seat_of | more)


def _board(site: Site, *needed: Function, since: str | None = None) -> str:
    w = site.world
    body = bodies.create_body(
        w.ctx, w.admin, "AI board", BodyKind.GOVERNANCE_BOARD, "Decides.", list(needed), 2, 30,
        [Remit.TRANSITIONS],
    )  # fmt: skip
    for role, function, seat in ((R.BOARD_MEMBER, Function.LEGAL, "chair"),
                                 (R.CHIEF_AI_OFFICER, Function.DATA_SCIENCE, "member"),
                                 (R.AUDITOR, Function.OPERATIONS, "secretary")):  # fmt: skip
        back = {"since": since, "reason": "appointed on paper"} if since else {}
        appointed = _appoint(site, body.id, role, function, seat, **back)
        assert appointed.status_code == 201, appointed.text
    return body.id


def _held(site: Site, body: str, days_ago: int = 0, *roles: R) -> str:
    at = site.world.ctx.clock() - timedelta(days=days_ago, minutes=5)
    made = _call(site, "POST", f"/bodies/{body}/meetings", {"scheduled_for": at.isoformat()})
    assert made.status_code == 201, made.text
    present = [site.world.people[r].id for r in roles or (R.BOARD_MEMBER, R.CHIEF_AI_OFFICER)]
    late = "minutes from paper" if days_ago > 7 else ""
    held = _call(site, "POST", f"/meetings/{made.json()['id']}/attendance",
                 {"attendees": present, "late_reason": late})  # fmt: skip
    assert held.status_code == 200, held.text
    return str(made.json()["id"])


def _motion(site: Site, request_id: str) -> dict[str, Any]:
    w = site.world
    return {"subject_kind": "transition", "subject_id": request_id, "outcome": "approve",
            "title": "Deploy", "reason": "board approves",
            "votes": {w.people[R.BOARD_MEMBER].id: "for",
                      w.people[R.CHIEF_AI_OFFICER].id: "for"}}  # fmt: skip


def _member_id(site: Site, body: str, role: R) -> str:
    found = _call(site, "GET", f"/bodies/{body}").json()["members"]
    person = site.world.people[role].id
    return str(next(m["id"] for m in found if m["person_id"] == person and m.get("until") is None))


def test_a_member_taken_off_still_counts_for_the_meetings_they_belonged_to(site: Site) -> None:
    body = _board(site, Function.LEGAL)
    _, request_id = _pending(site)
    meeting = _held(site, body)
    put = site.client.post(f"/api/v1/meetings/{meeting}/decisions", json=_motion(site, request_id),
                           headers=site.auth(R.AUDITOR))  # fmt: skip
    assert put.status_code == 201 and put.json()["status"] == "open", put.text
    votes = f"/api/v1/decisions/{put.json()['id']}/votes"
    site.client.post(votes, json={"vote": "for"}, headers=site.auth(R.BOARD_MEMBER))
    member = _member_id(site, body, R.CHIEF_AI_OFFICER)
    assert _call(site, "DELETE", f"/members/{member}").status_code == 204
    cast = site.client.post(votes, json={"vote": "for"}, headers=site.auth(R.CHIEF_AI_OFFICER))
    assert cast.status_code == 200, cast.text
    assert cast.json()["status"] == "decided" and cast.json()["carried"], cast.json()
    shown = _call(site, "GET", f"/bodies/{body}").json()["members"]
    [ended] = [m for m in shown if m["id"] == member]
    assert ended["until"] is not None, "the membership is kept, with its end"
    then = _call(site, "GET", f"/meetings/{meeting}").json()["members"]
    assert member in {m["id"] for m in then}, "the meeting names who was a member then"
    assert _call(site, "DELETE", f"/members/{member}").status_code == 409
    events = audit.entity_history(site.world.ctx, site.world.admin, "body", body)
    assert [e for e in events if e.body()["action"] == "body.member_removed"]
    again = _appoint(site, body, R.CHIEF_AI_OFFICER, Function.RISK)
    assert again.status_code == 201, "appointed again later: a new membership"


def test_appointing_again_does_not_give_a_held_meeting_a_function_it_lacked(site: Site) -> None:
    body = _board(site, Function.LEGAL, Function.RISK)
    _, request_id = _pending(site)
    meeting = _held(site, body)  # legal and data science present: no risk function
    put = f"/api/v1/meetings/{meeting}/decisions"
    refused = site.client.post(put, json=_motion(site, request_id), headers=site.auth(R.AUDITOR))
    assert refused.status_code == 409, refused.text
    member = _member_id(site, body, R.CHIEF_AI_OFFICER)
    assert _call(site, "DELETE", f"/members/{member}").status_code == 204
    assert _appoint(site, body, R.CHIEF_AI_OFFICER, Function.RISK).status_code == 201
    again = site.client.post(put, json=_motion(site, request_id), headers=site.auth(R.AUDITOR))
    assert again.status_code == 409, "a new appointment changed a meeting on record"


def test_back_dating_needs_a_reason_and_never_reaches_a_meeting_held(site: Site) -> None:
    def day(n: int) -> str:
        return (site.world.ctx.clock() - timedelta(days=n)).date().isoformat()

    body = _board(site, Function.LEGAL, since=day(30))
    bare = _appoint(site, body, R.ETHICS_COMPLIANCE, Function.RISK, since=day(10))
    assert bare.status_code == 422 and "reason" in bare.text, bare.text
    ancient = _appoint(site, body, R.ETHICS_COMPLIANCE, Function.RISK, since=day(1200),
                       reason="elected long ago")  # fmt: skip
    assert ancient.status_code == 422, ancient.text
    _held(site, body, 5)
    before = _appoint(site, body, R.ETHICS_COMPLIANCE, Function.RISK, since=day(6),
                      reason="appointed at the January meeting")  # fmt: skip
    assert before.status_code == 409, before.text
    after = _appoint(site, body, R.ETHICS_COMPLIANCE, Function.RISK, since=day(4),
                     reason="appointed by the board's letter")  # fmt: skip
    assert after.status_code == 201, after.text
    assert after.json()["since"].startswith(day(4))
    events = audit.entity_history(site.world.ctx, site.world.admin, "body", body)
    ethics = site.world.people[R.ETHICS_COMPLIANCE].id
    [added] = [e.body() for e in events if e.body()["action"] == "body.member_added"
               and e.body()["data"]["person_id"] == ethics]  # fmt: skip
    assert added["data"]["backdated_reason"] == "appointed by the board's letter"
    assert added["actor"] == site.world.people[R.ADMINISTRATOR].id


def test_the_body_page_appoints_back_dated_with_a_reason_and_ends_memberships(
    site: Site,
) -> None:
    day = (site.world.ctx.clock() - timedelta(days=3)).date().isoformat()
    body = _board(site, Function.LEGAL)
    assert site.sign_in(R.ADMINISTRATOR).status_code == 303
    page = site.client.get(f"/ui/bodies/{body}").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf is not None and 'name="since"' in page, "the page offers no appointment form"
    ethics = site.world.people[R.ETHICS_COMPLIANCE]
    form = {"person": ethics.email, "function": "risk", "role": "member", "since": day,
            "csrf": csrf.group(1)}  # fmt: skip
    bare = site.client.post(f"/ui/bodies/{body}/members", data=form)
    assert "needs a reason" in bare.text, "appointed from an earlier day without a reason"
    done = site.client.post(f"/ui/bodies/{body}/members", data=form | {"reason": "by letter"})
    assert done.status_code == 200 and ethics.name in done.text, done.text
    member = _member_id(site, body, R.ETHICS_COMPLIANCE)
    assert _call(site, "GET", f"/bodies/{body}").text.count(day) == 1
    ended = site.client.post(f"/ui/members/{member}/end", data={"csrf": csrf.group(1)})
    assert ended.status_code == 200 and "Former members" in ended.text, ended.text
