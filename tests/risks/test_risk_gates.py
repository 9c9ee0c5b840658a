"""The register on both databases, through the real services: a failing fairness check raises
the residual of the risk it mitigates and blocks the gate; a body's acceptance with quorum
unblocks it until it expires; an acceptance without quorum or outside the body's remit is
refused; the acceptance is in the decision log and the audit."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from charter.audit import services as audit
from charter.bodies.domain import (
    BodyKind,
    DecisionStatus,
    Function,
    MemberRole,
    Remit,
    SubjectKind,
)
from charter.bodies.services import bodies, decisions
from charter.bodies.services.decisions import Motion
from charter.governance.files import library_path, load_policy_files
from charter.governance.services import gates, policies
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.errors import Conflict, Forbidden, InvalidInput
from charter.kernel.roles import RoleKind as R
from charter.risks.domain.standing import Standing
from charter.risks.services import controls, register, views
from charter.validation import services as validation
from charter.validation.domain.suite import parse_suite
from charter.validation.engines.runner import run_suite
from tests.factory import World

SUITE = parse_suite(
    {
        "name": "fairness",
        "data": "data.csv",
        "columns": {"label": "y", "prediction": "p", "protected": ["g"]},
        "checks": [  # four rows: compare the groups anyway
            {
                "id": "dp",
                "metric": "demographic_parity_difference",
                "over": ["g"],
                "max": 0.2,
                "min_group_size": 0,
            }
        ],
    }
)
FAIR, UNFAIR = "1,1,a\n0,0,a\n1,1,b\n0,0,b\n", "1,1,a\n0,1,a\n1,0,b\n0,0,b\n"


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def setup(world: World, tmp_path: Path) -> tuple[World, Clock, str, str]:
    """A system in validation under the shipped appetite policy, with a discrimination risk
    (inherent 4 x 4, high; 2 x 2 with its control working) mitigated by a fairness check."""
    # half past midnight (UTC) after now: an hour earlier is yesterday, and a body's members
    # added today were not members then (the suite failed when run in that hour)
    now = world.ctx.clock()
    clock = Clock(now.replace(hour=0, minute=30, second=0, microsecond=0) + timedelta(days=1))
    world.ctx = replace(world.ctx, clock=clock)
    caio = world.actor(R.CHIEF_AI_OFFICER)
    system = world.system()
    world.advance(system.id, S.IN_VALIDATION)
    library = load_policy_files([library_path() / "risk-appetite.yaml"])
    policies.load_policies(world.ctx, caio, library)
    risk = register.register_risk(
        world.ctx, caio,
        {"title": "Loan offers skew by origin", "category": "MIT.1.1",
         "cause": "historic approvals", "consequence": "unequal treatment",
         "owner_id": world.people[R.CHIEF_AI_OFFICER].id, "inherent_likelihood": 4,
         "inherent_impact": 4, "target_likelihood": 2, "target_impact": 2,
         "treatment": "mitigate"},
        (), system_id=system.id,
    )  # fmt: skip
    control = controls.define_control(
        world.ctx, caio,
        {"title": "Parity check", "kind": "check", "system_id": system.id, "check_id": "dp"},
    )  # fmt: skip
    controls.link_control(world.ctx, caio, risk.id, control.id)
    return world, clock, system.id, risk.id


def _evidence(w: World, folder: Path, system_id: str, rows: str) -> None:
    (folder / "data.csv").write_text("y,p,g\n" + rows)
    actor = w.actor(R.DATA_SCIENTIST)
    validation.validate(w.ctx, actor, system_id, SUITE, lambda s: run_suite(s, folder))


def _gate(w: World, system_id: str) -> tuple[bool, str]:
    check = gates.check_gate(
        w.ctx, w.actor(R.CHIEF_AI_OFFICER), system_id, S.APPROVED_FOR_DEPLOYMENT, False
    )
    found = [
        r for v in check.policies if v.policy_id == "residual-risk-within-appetite"
        for r in v.requirements
    ]  # fmt: skip
    return found[0].verdict.value == "satisfied", found[0].reason


def _position(w: World, risk_id: str) -> views.Position:
    return views.risk_detail(w.ctx, w.actor(R.CHIEF_AI_OFFICER), risk_id).position


def test_a_failing_check_raises_the_residual_and_blocks_the_gate(
    setup: tuple[World, Clock, str, str], tmp_path: Path
) -> None:
    w, clock, system, risk = setup
    untested = _position(w, risk)
    assert (untested.residual.score, untested.standing) == (16, Standing.ABOVE)
    assert _gate(w, system)[0] is False
    _evidence(w, tmp_path, system, FAIR)
    working = _position(w, risk)
    assert (working.residual.likelihood, working.residual.impact) == (2, 2)
    assert working.standing is Standing.WITHIN
    assert _gate(w, system) == (True, "1 open risk(s) within appetite")
    clock.now += timedelta(hours=1)
    _evidence(w, tmp_path, system, UNFAIR)
    failing = _position(w, risk)
    assert (failing.residual.score, failing.standing) == (16, Standing.ABOVE)
    assert [c.title for c in failing.failing] == ["Parity check"]
    passed, reason = _gate(w, system)
    assert not passed and "Loan offers skew by origin" in reason
    summary = views.risk_summary(w.ctx, w.actor(R.CHIEF_AI_OFFICER))
    assert [p.risk.id for p in summary.above_appetite] == [risk]
    assert [c.control.title for c in summary.failing_controls] == ["Parity check"]
    cell = next(c for c in summary.heat_map if (c.likelihood, c.impact) == (4, 4))
    assert (cell.inherent, cell.residual) == (1, 1)


def test_a_passing_test_goes_stale_and_half_the_mitigation_is_lost(
    setup: tuple[World, Clock, str, str], tmp_path: Path
) -> None:
    w, clock, system, risk = setup
    _evidence(w, tmp_path, system, FAIR)
    clock.now += timedelta(days=91)  # the model's control_max_age_days is 90
    stale = _position(w, risk)
    assert stale.controls[0][1].state.value == "stale"
    assert (stale.residual.likelihood, stale.residual.impact) == (3, 3)  # halfway, rounded up
    assert (stale.residual_band, stale.appetite_band) == ("medium", "low")
    assert stale.standing is Standing.ABOVE


def _board(w: World, remit: list[Remit], quorum: int = 2) -> tuple[str, dict[str, str]]:
    body = bodies.create_body(
        w.ctx, w.admin, f"Board over {', '.join(remit)}", BodyKind.GOVERNANCE_BOARD,
        "Accepts residual risk above appetite.", [Function.RISK], quorum, 30, remit,
    )  # fmt: skip
    people = {
        "chair": (w.people[R.BOARD_MEMBER].id, Function.LEGAL, MemberRole.CHAIR),
        "caio": (w.people[R.CHIEF_AI_OFFICER].id, Function.DATA_SCIENCE, MemberRole.MEMBER),
        "ethics": (w.people[R.ETHICS_COMPLIANCE].id, Function.RISK, MemberRole.MEMBER),
    }
    for person, function, role in people.values():
        bodies.add_member(w.ctx, w.admin, body.id, person, function, role)
    return body.id, {k: v[0] for k, v in people.items()}


def _meeting(w: World, body: str, *present: str) -> str:
    chair = w.actor(R.BOARD_MEMBER)
    meeting = bodies.schedule_meeting(w.ctx, chair, body, w.ctx.clock())
    bodies.hold_meeting(w.ctx, chair, meeting.id, list(present), "minutes")
    return meeting.id


def _accept(w: World, meeting: str, risk: str, votes: dict[str, str], days: int = 30) -> str:
    terms = {"conditions": "monthly parity report to the board",
             "expires_at": w.ctx.clock() + timedelta(days=days)}  # fmt: skip
    motion = Motion(SubjectKind.RISK, risk, "accept", "Accept the skew risk", "pilot", terms)
    decided = decisions.decide(w.ctx, w.actor(R.BOARD_MEMBER), meeting, motion, votes)
    for person, vote in votes.items():  # each member casts their own vote; the last settles
        if person not in decided.cast_by:
            role = next(r for r, found in w.people.items() if found.id == person)
            decided = decisions.cast_vote(w.ctx, w.actor(role), decided.id, vote)
    assert decided.carried and decided.record_id
    return decided.record_id


def test_a_body_with_quorum_accepts_until_the_acceptance_expires(
    setup: tuple[World, Clock, str, str], tmp_path: Path
) -> None:
    w, clock, system, risk = setup
    _evidence(w, tmp_path, system, UNFAIR)
    body, p = _board(w, [Remit.RISK_ACCEPTANCE])
    agenda = bodies.agenda(w.ctx, w.actor(R.BOARD_MEMBER), body)
    assert [(i.kind, i.ref) for i in agenda] == [("risk", risk)]
    meeting = _meeting(w, body, p["chair"], p["ethics"])
    acceptance = _accept(w, meeting, risk, {p["chair"]: "for", p["ethics"]: "for"})
    accepted = _position(w, risk)
    assert accepted.standing is Standing.ACCEPTED and accepted.acceptance is not None
    assert accepted.acceptance.id == acceptance
    passed, reason = _gate(w, system)
    assert passed and "accepted by a body" in reason
    log = decisions.decision_log(w.ctx, w.actor(R.BOARD_MEMBER), body)
    assert [(d.subject_kind, d.subject_id, d.record_id) for d in log] == [
        (SubjectKind.RISK, risk, acceptance)
    ]
    history = audit.entity_history(w.ctx, w.actor(R.AUDITOR), "risk", risk)
    accepted_event = history[-1].body()
    assert accepted_event["action"] == "risk.accepted"
    assert accepted_event["data"]["body_decision_id"] == log[0].id
    again = _meeting(w, body, p["chair"], p["ethics"])
    with pytest.raises(Conflict, match="already accepted"):
        _accept(w, again, risk, {p["chair"]: "for", p["ethics"]: "for"})
    clock.now += timedelta(days=31)
    assert _position(w, risk).standing is Standing.ABOVE
    assert _gate(w, system)[0] is False


def test_acceptance_without_quorum_or_remit_or_terms_is_refused(
    setup: tuple[World, Clock, str, str], tmp_path: Path
) -> None:
    w, _, system, risk = setup
    _evidence(w, tmp_path, system, UNFAIR)
    body, p = _board(w, [Remit.RISK_ACCEPTANCE], quorum=3)
    thin = _meeting(w, body, p["chair"], p["ethics"])
    with pytest.raises(Conflict, match="no quorum"):
        _accept(w, thin, risk, {p["chair"]: "for", p["ethics"]: "for"})
    other, q = _board(w, [Remit.TRANSITIONS, Remit.WAIVERS])
    elsewhere = _meeting(w, other, q["chair"], q["ethics"])
    with pytest.raises(Forbidden, match="no remit over risk_acceptance"):
        _accept(w, elsewhere, risk, {q["chair"]: "for", q["ethics"]: "for"})
    full = _meeting(w, body, p["chair"], p["ethics"], p["caio"])
    votes = {p["chair"]: "for", p["ethics"]: "for", p["caio"]: "for"}
    with pytest.raises(InvalidInput, match="at most 366 days"):
        _accept(w, full, risk, votes, days=400)
    assert _position(w, risk).standing is Standing.ABOVE
    assert _gate(w, system)[0] is False
    with pytest.raises(Forbidden, match="cannot be waived"):
        policies.grant_waiver(
            w.ctx, w.actor(R.BOARD_MEMBER), system, "residual-risk-within-appetite",
            "appetite", "one person", "none", w.ctx.clock() + timedelta(days=5),
        )  # fmt: skip


def test_an_acceptance_waits_for_every_vote_and_fails_early_when_nothing_is_to_accept(
    setup: tuple[World, Clock, str, str], tmp_path: Path
) -> None:
    w, clock, system, risk = setup
    body, p = _board(w, [Remit.RISK_ACCEPTANCE])
    meeting = _meeting(w, body, p["chair"], p["ethics"])
    terms = {"conditions": "monthly parity report",
             "expires_at": w.ctx.clock() + timedelta(days=30)}  # fmt: skip
    motion = Motion(SubjectKind.RISK, risk, "accept", "Accept the skew risk", "pilot", terms)
    chair, votes = w.actor(R.BOARD_MEMBER), {p["chair"]: "for", p["ethics"]: "for"}
    _evidence(w, tmp_path, system, FAIR)  # within appetite: nothing to accept, nothing put
    with pytest.raises(Conflict, match="nothing to accept"):
        decisions.decide(w.ctx, chair, meeting, motion, votes)
    assert decisions.decision_log(w.ctx, chair, body) == []
    clock.now += timedelta(minutes=1)  # a later run, which fails
    _evidence(w, tmp_path, system, UNFAIR)
    put = decisions.decide(w.ctx, chair, meeting, motion, votes)
    assert put.status is DecisionStatus.OPEN and put.record_id is None
    assert put.terms == {"conditions": "monthly parity report",
                         "expires_at": terms["expires_at"].isoformat()}  # fmt: skip
    assert _position(w, risk).standing is Standing.ABOVE  # not until ethics casts their vote
    done = decisions.cast_vote(w.ctx, w.actor(R.ETHICS_COMPLIANCE), put.id, "for")
    assert done.carried and done.record_id
    accepted = _position(w, risk).acceptance
    assert accepted is not None and (accepted.id, accepted.body_decision_id) == (
        done.record_id,
        put.id,
    )
