"""Item 2: a body's decision is never made in other people's names. A vote counts once its
member casts it with their own token; the effect is the decision's and its recorder's; the
recorder is neither the requester nor a builder; a waiver needs a voter holding the waiver
right; a meeting recorded late says so, with a reason; membership is as of the meeting."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from charter.audit import services as audit
from charter.bodies.domain import BodyKind, Function, MemberRole, Remit
from charter.bodies.services import bodies
from charter.governance.files import check_policy
from charter.governance.services import policies
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.roles import RoleKind as R
from tests.security.conftest import Site


def _board(site: Site) -> tuple[str, dict[str, str]]:
    """A board chaired by the board member, with the CAIO and the ethics officer; the
    auditor is its secretary (and votes)."""
    w = site.world
    body = bodies.create_body(
        w.ctx, w.admin, "AI governance board", BodyKind.GOVERNANCE_BOARD, "Decides.",
        [Function.LEGAL], 2, 30, [Remit.TRANSITIONS, Remit.WAIVERS],
    )  # fmt: skip
    people = {
        "chair": (R.BOARD_MEMBER, Function.LEGAL, MemberRole.CHAIR),
        "caio": (R.CHIEF_AI_OFFICER, Function.DATA_SCIENCE, MemberRole.MEMBER),
        "ethics": (R.ETHICS_COMPLIANCE, Function.RISK, MemberRole.MEMBER),
        "secretary": (R.AUDITOR, Function.OPERATIONS, MemberRole.SECRETARY),
    }
    since = w.ctx.clock() - timedelta(days=90)
    for role, function, member_role in people.values():
        bodies.add_member(
            w.ctx, w.admin, body.id, w.people[role].id, function, member_role, since, "on paper"
        )
    return body.id, {k: w.people[v[0]].id for k, v in people.items()}


def _post(site: Site, path: str, role: R, body: dict[str, Any]) -> Any:
    return site.client.post(f"/api/v1{path}", json=body, headers=site.auth(role))


def _meeting(site: Site, body: str, days_ago: int, *present: str, late: str = "") -> Any:
    at = (site.world.ctx.clock() - timedelta(days=days_ago)).isoformat()
    made = _post(site, f"/bodies/{body}/meetings", R.AUDITOR, {"scheduled_for": at})
    assert made.status_code == 201, made.text
    attendance = {"attendees": list(present), "late_reason": late}
    return made.json()["id"], _post(
        site, f"/meetings/{made.json()['id']}/attendance", R.AUDITOR, attendance
    )


def _pending(site: Site) -> tuple[str, str]:
    w = site.world
    system = w.system()
    w.advance(system.id, S.IN_VALIDATION)
    asked = _post(
        site, f"/systems/{system.id}/transitions", R.PROGRAM_MANAGER,
        {"to": "approved_for_deployment", "reason": "ready"},
    )  # fmt: skip
    assert asked.status_code == 201, asked.text
    return system.id, asked.json()["request"]["id"]


def test_the_secretary_alone_cannot_approve_in_the_members_names(site: Site) -> None:
    body, p = _board(site)
    system_id, request_id = _pending(site)
    meeting, late = _meeting(site, body, 30, p["chair"], p["caio"], p["secretary"])
    assert late.status_code == 422 and "late-entry reason" in late.json()["detail"], late.text
    held = _post(site, f"/meetings/{meeting}/attendance", R.AUDITOR,
                 {"attendees": [p["chair"], p["caio"], p["secretary"]],
                  "late_reason": "minutes typed up from paper"})  # fmt: skip
    assert held.status_code == 200 and held.json()["late_reason"], held.text
    motion = {"subject_kind": "transition", "subject_id": request_id, "outcome": "approve",
              "title": "Deploy", "reason": "board approves",
              "votes": {p["chair"]: "for", p["caio"]: "for"}}  # fmt: skip
    assert _post(site, f"/meetings/{meeting}/decisions", R.AUDITOR, motion).status_code == 422
    put = _post(
        site, f"/meetings/{meeting}/decisions", R.AUDITOR, {**motion, "late_reason": "paper"}
    )
    assert put.status_code == 201, put.text
    decision = put.json()
    assert decision["status"] == "open" and not decision["carried"], decision
    assert decision["late_reason"] == "paper"
    gate = site.client.get(f"/api/v1/transitions/{request_id}", headers=site.auth(R.AUDITOR))
    assert gate.json()["decisions"] == [], "the minuted votes alone made an approval"
    votes = f"/decisions/{decision['id']}/votes"
    assert _post(site, votes, R.DATA_SCIENTIST, {"vote": "for"}).status_code == 403
    assert _post(site, votes, R.BOARD_MEMBER, {"vote": "for"}).json()["status"] == "open"
    done = _post(site, votes, R.CHIEF_AI_OFFICER, {"vote": "for"}).json()
    assert done["status"] == "decided" and done["carried"] and done["record_id"], done
    events = audit.entity_history(site.world.ctx, site.world.admin, "system", system_id)
    [approved] = [
        e.body() for e in events
        if e.body()["action"] == "transition.approved" and e.body()["data"]["request"] == request_id
    ]  # fmt: skip
    assert approved["actor"] == p["secretary"], "the approval is audited as a voter's act"
    assert approved["data"]["body_decision"] == decision["id"]


def test_who_asked_or_built_does_not_record_and_membership_is_as_of_the_meeting(
    site: Site,
) -> None:
    body, p = _board(site)
    w = site.world
    _, request_id = _pending(site)
    manager = w.people[R.PROGRAM_MANAGER].id
    bodies.add_member(w.ctx, w.admin, body, manager, Function.BUSINESS_STRATEGY,
                      MemberRole.SECRETARY)  # fmt: skip
    _, back_dated = _meeting(site, body, 20, p["chair"], manager, late="from paper")
    assert back_dated.status_code == 422 and manager in back_dated.json()["detail"]
    meeting, held = _meeting(site, body, 0, p["chair"], p["caio"], manager)
    assert held.status_code == 200, held.text
    motion = {"subject_kind": "transition", "subject_id": request_id, "outcome": "approve",
              "title": "Deploy", "reason": "r", "votes": {p["chair"]: "for"}}  # fmt: skip
    asked = _post(site, f"/meetings/{meeting}/decisions", R.PROGRAM_MANAGER, motion)
    assert asked.status_code == 403 and "asked for it" in asked.json()["detail"], asked.text


def test_a_waiver_needs_a_voter_holding_the_waiver_right(site: Site) -> None:
    body, p = _board(site)
    w = site.world
    system = w.system()
    raw = {"id": "owner", "title": "Owner", "requirements": [
        {"id": "owner", "kind": "accountability", "owner_named": True}]}  # fmt: skip
    policies.load_policies(w.ctx, w.actor(R.CHIEF_AI_OFFICER), [(raw, check_policy(raw, "p"))])
    meeting, _ = _meeting(site, body, 0, p["chair"], p["ethics"], p["secretary"])
    expires = (w.ctx.clock() + timedelta(days=30)).isoformat()
    terms = {"policy_id": "owner", "requirement_id": "owner", "measures": "monthly review",
             "expires_at": expires}  # fmt: skip
    votes = {p["secretary"]: "for", p["ethics"]: "for", p["chair"]: "abstain"}
    motion = {"subject_kind": "waiver", "subject_id": system.id, "outcome": "grant",
              "title": "Waive", "reason": "risk", "terms": terms, "votes": votes}  # fmt: skip
    refused = _post(site, f"/meetings/{meeting}/decisions", R.AUDITOR, motion)
    assert refused.status_code == 403 and "waiver right" in refused.json()["detail"], refused.text
    assert policies.list_waivers(w.ctx, w.admin, system.id) == []
