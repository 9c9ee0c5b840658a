"""Leadership bodies on both databases: quorum and required functions, votes, a board's
approval in a meeting counted once at the gate, use-case and waiver decisions, the agenda."""

from __future__ import annotations

from datetime import timedelta

import pytest

from charter.audit import services as audit
from charter.bodies.domain import BodyDecision, BodyKind, Function, MemberRole, Remit, SubjectKind
from charter.bodies.services import bodies, decisions
from charter.bodies.services.decisions import Motion
from charter.frameworks.files import classification_data
from charter.governance.domain.lifecycle import Decision, RequestStatus
from charter.governance.files import check_policy
from charter.governance.services import lifecycle, policies
from charter.identity.services import access
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.access import Actor
from charter.kernel.errors import Conflict, Forbidden, InvalidInput
from charter.kernel.roles import RoleKind as R
from charter.strategy.services import intake as strategy
from charter.strategy.services import portfolio
from tests.factory import World


def _board(w: World, quorum: int = 2) -> tuple[str, dict[str, str]]:
    """A governance board: the board member chairs (legal), the CAIO (data science), the
    ethics officer (risk) and an auditor as an advisor who does not vote."""
    body = bodies.create_body(
        w.ctx, w.admin, "AI governance board", BodyKind.GOVERNANCE_BOARD,
        "Approves high-risk AI and accepts residual risk.", [Function.LEGAL, Function.RISK],
        quorum, 30, [Remit.TRANSITIONS, Remit.WAIVERS, Remit.PORTFOLIO],
    )  # fmt: skip
    people = {
        "chair": w.people[R.BOARD_MEMBER].id,
        "caio": w.people[R.CHIEF_AI_OFFICER].id,
        "ethics": w.people[R.ETHICS_COMPLIANCE].id,
        "advisor": w.people[R.AUDITOR].id,
    }
    roles = {
        "chair": (Function.LEGAL, MemberRole.CHAIR),
        "caio": (Function.DATA_SCIENCE, MemberRole.MEMBER),
        "ethics": (Function.RISK, MemberRole.MEMBER),
        "advisor": (Function.OPERATIONS, MemberRole.ADVISOR),
    }
    for key, (function, role) in roles.items():
        bodies.add_member(w.ctx, w.admin, body.id, people[key], function, role)
    return body.id, people


def _meeting(w: World, body: str, *present: str) -> str:
    chair = w.actor(R.BOARD_MEMBER)
    meeting = bodies.schedule_meeting(w.ctx, chair, body, w.ctx.clock())
    bodies.hold_meeting(w.ctx, chair, meeting.id, list(present), "minutes")
    return meeting.id


def _decide(
    w: World, recorder: Actor, meeting: str, motion: Motion, votes: dict[str, str]
) -> BodyDecision:
    """The recorder puts the motion with the votes as minuted; each member then casts their
    own with their own session (the recorder's counts at once)."""
    decision = decisions.decide(w.ctx, recorder, meeting, motion, votes)
    for person, vote in votes.items():
        if person != recorder.person_id:
            decision = decisions.cast_vote(
                w.ctx, access.actor_for(w.ctx, person), decision.id, vote
            )
    return decision


def _motion(kind: SubjectKind, subject: str, outcome: str = "approve", **terms: object) -> Motion:
    return Motion(kind, subject, outcome, "Motion", "as discussed", terms or None)


def test_no_decision_without_quorum_or_a_required_function(world: World) -> None:
    body, p = _board(world, quorum=3)
    chair = world.actor(R.BOARD_MEMBER)
    thin = _meeting(world, body, p["chair"], p["caio"], p["advisor"])  # 2 voting of 3
    motion = _motion(SubjectKind.MOTION, "", "carried")
    with pytest.raises(Conflict, match="no quorum: 2 voting member\\(s\\) present, 3 needed"):
        decisions.decide(world.ctx, chair, thin, motion, {p["chair"]: "for", p["caio"]: "for"})
    no_risk = _meeting(world, body, p["chair"], p["caio"], p["advisor"])
    with pytest.raises(Conflict, match="required function\\(s\\) not present: risk"):
        decisions.decide(world.ctx, chair, no_risk, motion, {p["chair"]: "for"})
    full = _meeting(world, body, p["chair"], p["caio"], p["ethics"], p["advisor"])
    with pytest.raises(Exception, match="only voting members present may vote"):
        decisions.decide(world.ctx, chair, full, motion, {p["advisor"]: "for"})
    votes = {p["chair"]: "for", p["caio"]: "against", p["ethics"]: "against"}
    lost = _decide(world, chair, full, motion, votes)
    assert not lost.carried
    short = _decide(world, chair, full, motion, {p["chair"]: "for", p["ethics"]: "for"})
    assert short.status.value == "open" and not short.carried  # 2 votes cast, quorum 3
    won = decisions.cast_vote(world.ctx, world.actor(R.CHIEF_AI_OFFICER), short.id, "abstain")
    assert won.carried and won.status.value == "decided"
    assert [d.id for d in decisions.decision_log(world.ctx, chair, body)] == [won.id, lost.id]
    with pytest.raises(InvalidInput, match="resolves approve, refuse, not 'park'"):
        decisions.decide(
            world.ctx, chair, full, _motion(SubjectKind.TRANSITION, "tr_x", "park"), {}
        )
    with pytest.raises(InvalidInput, match="say which use case"):
        decisions.decide(world.ctx, chair, full, _motion(SubjectKind.USE_CASE, ""), {})
    with pytest.raises(Forbidden, match="neither chairs"):
        decisions.decide(world.ctx, world.actor(R.DATA_SCIENTIST), full, motion, {})


def test_a_board_approval_in_a_meeting_counts_once_at_the_gate(world: World) -> None:
    body, p = _board(world)
    system = world.system()
    world.advance(system.id, S.IN_VALIDATION)
    raw = {
        "id": "board-signs", "title": "The board signs deployments off",
        "applies": {"transitions": [{"to": "approved_for_deployment"}]},
        "requirements": [{"id": "board", "kind": "approval", "roles": ["governance_board_member"]}],
    }  # fmt: skip
    policies.load_policies(
        world.ctx, world.actor(R.CHIEF_AI_OFFICER), [(raw, check_policy(raw, "p"))]
    )
    request, _ = lifecycle.request_transition(
        world.ctx, world.actor(R.PROGRAM_MANAGER), system.id, S.APPROVED_FOR_DEPLOYMENT, "ready"
    )
    chair = world.actor(R.BOARD_MEMBER)
    shown = [i.title for i in bodies.agenda(world.ctx, chair, body) if i.ref == request.id]
    assert shown and all(": in validation → approved for deployment (" in t for t in shown)
    meeting = _meeting(world, body, p["chair"], p["caio"], p["ethics"])
    votes = {p["chair"]: "for", p["caio"]: "for", p["ethics"]: "abstain"}
    decision = _decide(world, chair, meeting, _motion(SubjectKind.TRANSITION, request.id), votes)
    assert decision.carried and decision.record_id is not None
    after, gate, approvals = lifecycle.gate_status(world.ctx, world.admin, request.id)
    assert [(a.person_id, a.slot, a.body_decision_id) for a in approvals] == [
        (p["chair"], "leadership sign-off", decision.id)
    ]
    assert decision.record_id == approvals[0].id
    verdicts = {r.condition: r.verdict.value for r in gate.results}
    assert verdicts["approval:leadership sign-off"] == "satisfied"
    assert verdicts["policy:board-signs/board"] == "satisfied"
    assert verdicts["approval:compliance sign-off"] == "not_satisfied"  # one slot, not both
    again = decisions.Motion(SubjectKind.TRANSITION, request.id, "approve", "Again", "once more")
    with pytest.raises(Conflict, match="no member who voted for may give this approval"):
        _decide(world, chair, meeting, again, votes)
    with pytest.raises(Conflict):  # the chair cannot sign the same slot a second time alone
        lifecycle.decide(world.ctx, chair, request.id, Decision.APPROVE, "me too")
    assert len(lifecycle.gate_status(world.ctx, world.admin, request.id)[2]) == 1
    done, _ = lifecycle.decide(
        world.ctx, world.actor(R.ETHICS_COMPLIANCE), request.id, Decision.APPROVE, "compliant"
    )
    assert done.status is RequestStatus.APPLIED and after.status is RequestStatus.PENDING


def test_use_case_and_waiver_decisions_take_effect_with_the_decision(world: World) -> None:
    body, p = _board(world)
    chair = world.actor(R.BOARD_MEMBER)
    objective = strategy.create_objective(world.ctx, world.actor(R.CHIEF_AI_OFFICER), "Grow")
    use_case, _ = strategy.submit_use_case(
        world.ctx, world.actor(R.AI_CHAMPION), classification_data(), title="Triage",
        objective_id=objective.id, business_unit_id=world.unit.id,
        sponsor_id=world.people[R.EXECUTIVE_SPONSOR].id,
    )  # fmt: skip
    system = world.system()
    raw = {"id": "owner", "title": "Owner", "requirements": [
        {"id": "owner", "kind": "accountability", "owner_named": True}]}  # fmt: skip
    policies.load_policies(
        world.ctx, world.actor(R.CHIEF_AI_OFFICER), [(raw, check_policy(raw, "p"))]
    )
    items = {i.kind for i in bodies.agenda(world.ctx, chair, body)}
    assert "use_case" in items
    meeting = _meeting(world, body, p["chair"], p["caio"], p["ethics"])
    votes = {p["chair"]: "for", p["caio"]: "for"}
    decided = _decide(world, chair, meeting, _motion(SubjectKind.USE_CASE, use_case.id), votes)
    assert portfolio.get_use_case(world.ctx, chair, use_case.id).status.value == "approved"
    history = audit.entity_history(world.ctx, world.admin, "use_case", use_case.id)
    assert history[-1].body()["data"]["body_decision"] == decided.id
    expires = world.ctx.clock() + timedelta(days=20)
    terms = {"policy_id": "owner", "requirement_id": "owner", "measures": "monthly review"}
    waiver = _motion(SubjectKind.WAIVER, system.id, "grant", expires_at=expires, **terms)
    granted = _decide(world, chair, meeting, waiver, votes)
    [found] = policies.list_waivers(world.ctx, chair, system.id)
    assert granted.record_id == found.id and found.granted_by == p["chair"]
    agenda = bodies.agenda(world.ctx, chair, body)
    assert any(i.kind == "waiver_expiring" and i.ref == found.id for i in agenda)
    no_remit = bodies.create_body(world.ctx, world.admin, "Innovation council",
                                  BodyKind.INNOVATION_COUNCIL, "Ideas.", [], 1, 30, [])  # fmt: skip
    bodies.add_member(world.ctx, world.admin, no_remit.id, p["chair"], Function.LEGAL,
                      MemberRole.CHAIR)  # fmt: skip
    other = _meeting(world, no_remit.id, p["chair"])
    with pytest.raises(Forbidden, match="no remit over portfolio"):
        decisions.decide(world.ctx, chair, other, _motion(SubjectKind.USE_CASE, use_case.id),
                      {p["chair"]: "for"})  # fmt: skip
