"""Use cases on both backends: one transaction each, exactly one audit event per write."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from charter.accountability.domain.raci import Activity, RaciLetter
from charter.accountability.services import org, raci
from charter.audit import services as audit
from charter.audit.keys import create_key
from charter.bootstrap import context_for
from charter.governance.domain.lifecycle import Decision, RequestStatus
from charter.governance.services import lifecycle
from charter.identity.services import access
from charter.inventory import services as inventory
from charter.inventory.domain import AISystem, RiskTier
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.errors import (
    CharterError,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    TransitionRefused,
    Unauthenticated,
)
from charter.kernel.roles import RoleKind as R
from charter.kernel.roles import ScopeKind
from charter.wiring import Context
from tests.factory import World


def events(ctx: Context) -> int:
    with ctx.uow() as uow:
        return uow.audit.size()


def snapshot(ctx: Context) -> dict[str, int]:
    with ctx.uow() as uow:
        return {
            name: getattr(uow, name).find().total
            for name in (
                "units",
                "people",
                "roles",
                "systems",
                "vendors",
                "datasets",
                "models",
                "model_versions",
                "requests",
                "approvals",
                "tokens",
            )
        } | {"raci": len(uow.raci.all()), "audit": uow.audit.size()}


WRITES: dict[str, Callable[[World, AISystem], Any]] = {
    "create unit": lambda w, s: org.create_unit(w.ctx, w.admin, "Treasury"),
    "update unit": lambda w, s: org.update_unit(w.ctx, w.admin, w.unit.id, description="new"),
    "create person": lambda w, s: org.create_person(w.ctx, w.admin, "Bo", "bo@example.org"),
    "update person": lambda w, s: org.update_person(
        w.ctx, w.admin, w.people[R.AUDITOR].id, title="Lead auditor"
    ),
    "assign role": lambda w, s: org.assign_role(
        w.ctx, w.admin, w.people[R.AUDITOR].id, R.AI_CHAMPION, ScopeKind.BUSINESS_UNIT, w.unit.id
    ),
    "register system": lambda w, s: w.system("Fraud"),
    "update system": lambda w, s: inventory.update_system(
        w.ctx, w.actor(R.CHIEF_AI_OFFICER), s.id, tags=["a", "b"]
    ),
    "register vendor": lambda w, s: inventory.register_vendor(w.ctx, w.actor(R.ML_ENGINEER), "V"),
    "register dataset": lambda w, s: inventory.register_dataset(
        w.ctx, w.actor(R.DATA_SCIENTIST), "Loans", contains_personal_data=True
    ),
    "register model": lambda w, s: inventory.register_model(w.ctx, w.actor(R.DATA_SCIENTIST), "m"),
    "set raci": lambda w, s: raci.set_activity(
        w.ctx,
        w.actor(R.PROGRAM_MANAGER),
        s.id,
        Activity.DESIGN,
        [(w.people[R.DATA_SCIENTIST].id, RaciLetter.RESPONSIBLE)],
    ),
    "request transition": lambda w, s: lifecycle.request_transition(
        w.ctx, w.actor(R.PROGRAM_MANAGER), s.id, S.ASSESSED, "ready"
    ),
    "create token": lambda w, s: access.create_token(w.ctx, w.actor(R.AUDITOR), None, "t"),
}


@pytest.mark.parametrize("name", list(WRITES))
def test_every_successful_write_leaves_exactly_one_audit_event(world: World, name: str) -> None:
    system = world.system()
    before = events(world.ctx)
    WRITES[name](world, system)
    assert events(world.ctx) == before + 1


def test_a_decision_that_applies_the_transition_records_both_facts(world: World) -> None:
    system = world.system()
    request, _ = lifecycle.request_transition(
        world.ctx, world.actor(R.PROGRAM_MANAGER), system.id, S.ASSESSED, "screened"
    )
    before = events(world.ctx)
    lifecycle.decide(
        world.ctx, world.actor(R.ETHICS_COMPLIANCE), request.id, Decision.APPROVE, "ok"
    )
    with world.ctx.uow() as uow:
        actions = [e.body()["action"] for e in uow.audit.events(after=before)]
    assert actions == ["transition.approved", "system.transitioned"]


class Boom(Exception):
    pass


def test_a_write_that_fails_inside_its_transaction_leaves_nothing(world: World) -> None:
    """The clock is read when the audit event is written, after the change: make it fail."""
    calls = {"n": 0}

    def failing_clock() -> datetime:
        calls["n"] += 1
        raise Boom

    broken = replace(world.ctx, clock=failing_clock)
    before = snapshot(world.ctx)
    with pytest.raises(Boom):
        org.create_unit(broken, world.admin, "Half-written")
    with pytest.raises(Boom):
        inventory.update_system(
            broken, world.actor(R.CHIEF_AI_OFFICER), world.system("Target").id, purpose="changed"
        )
    assert calls["n"] == 2
    after = snapshot(world.ctx)
    assert after == {**before, "systems": before["systems"] + 1, "audit": before["audit"] + 1}
    with world.ctx.uow() as uow:
        assert uow.units.all(name="Half-written") == []
        assert uow.systems.all(name="Target")[0].purpose == "Scores things."


FAILURES: dict[str, tuple[Callable[[World], Any], type[CharterError], str]] = {
    "duplicate unit": (
        lambda w: org.create_unit(w.ctx, w.admin, "Retail"),
        Conflict,
        "already exists",
    ),
    "duplicate email": (
        lambda w: org.create_person(w.ctx, w.admin, "X", "ADMIN@example.org"),
        Conflict,
        "email",
    ),
    "bad email": (
        lambda w: org.create_person(w.ctx, w.admin, "X", "not-an-email"),
        InvalidInput,
        "not an e-mail",
    ),
    "unknown unit": (
        lambda w: org.create_person(w.ctx, w.admin, "X", "x@example.org", "bu_nope"),
        NotFound,
        "bu_nope",
    ),
    "empty name": (lambda w: org.create_unit(w.ctx, w.admin, "   "), InvalidInput, "empty"),
    "duplicate system": (lambda w: [w.system("Same"), w.system("Same")], Conflict, "Same"),
    "unknown owner": (
        lambda w: inventory.register_system(
            w.ctx,
            w.actor(R.CHIEF_AI_OFFICER),
            name="S",
            purpose="p",
            business_unit_id=w.unit.id,
            owner_id="p_ghost",
        ),
        NotFound,
        "p_ghost",
    ),
    "stage edit": (
        lambda w: inventory.update_system(
            w.ctx, w.actor(R.CHIEF_AI_OFFICER), w.system().id, stage="deployed"
        ),
        InvalidInput,
        "lifecycle transition",
    ),
    "tier by non-classifier": (
        lambda w: inventory.update_system(
            w.ctx, w.actor(R.PROGRAM_MANAGER), w.system().id, risk_tier=RiskTier.HIGH
        ),
        Forbidden,
        "classification right",
    ),
    "auditor writes": (
        lambda w: org.create_unit(w.ctx, w.actor(R.AUDITOR), "Z"),
        Forbidden,
        "may not org write",
    ),
    "illegal transition": (
        lambda w: lifecycle.request_transition(
            w.ctx, w.actor(R.PROGRAM_MANAGER), w.system().id, S.DEPLOYED, "skip ahead"
        ),
        TransitionRefused,
        "cannot move from proposed to deployed",
    ),
    "requester without right": (
        lambda w: lifecycle.request_transition(
            w.ctx, w.actor(R.AUDITOR), w.system().id, S.ASSESSED, "why not"
        ),
        Forbidden,
        "needs one of",
    ),
    "empty reason": (
        lambda w: lifecycle.request_transition(
            w.ctx, w.actor(R.PROGRAM_MANAGER), w.system().id, S.ASSESSED, " "
        ),
        InvalidInput,
        "reason is required",
    ),
    "two letters one activity": (
        lambda w: raci.set_activity(
            w.ctx,
            w.actor(R.CHIEF_AI_OFFICER),
            w.system().id,
            Activity.DESIGN,
            [(w.admin.ref, RaciLetter.RESPONSIBLE), (w.admin.ref, RaciLetter.ACCOUNTABLE)],
        ),
        InvalidInput,
        "one RACI letter",
    ),
    "revoke last admin": (
        lambda w: org.revoke_role(w.ctx, w.admin, w.admin.roles[0].id),
        Conflict,
        "last administrator",
    ),
    "initialise twice": (
        lambda w: access.initialise(w.ctx, "Eve", "eve@example.org"),
        Conflict,
        "already initialised",
    ),
}


@pytest.mark.parametrize("name", list(FAILURES))
def test_bad_input_names_the_problem_and_writes_nothing(world: World, name: str) -> None:
    action, error, message = FAILURES[name]
    before = snapshot(world.ctx)
    with pytest.raises(error, match=message):
        action(world)
    after = snapshot(world.ctx)
    created_systems = after["systems"] - before["systems"]
    assert after == {
        **before,
        "systems": before["systems"] + created_systems,
        "audit": before["audit"] + created_systems,
    }


def test_approval_by_someone_without_the_decision_right_is_refused(world: World) -> None:
    system = world.system()
    request, _ = lifecycle.request_transition(
        world.ctx, world.actor(R.PROGRAM_MANAGER), system.id, S.ASSESSED, "screen it"
    )
    for role in (R.DATA_SCIENTIST, R.AUDITOR, R.AI_CHAMPION, R.ADMINISTRATOR):
        with pytest.raises(Forbidden, match="no decision right to approve"):
            lifecycle.decide(world.ctx, world.actor(role), request.id, Decision.APPROVE, "ok")
    request_after, gate, approvals = lifecycle.gate_status(world.ctx, world.admin, request.id)
    assert request_after.status is RequestStatus.PENDING and approvals == []
    assert not gate.passed


def test_the_builder_cannot_approve_deployment(world: World) -> None:
    builder = world.person("Bea Builder", R.ETHICS_COMPLIANCE)
    system = world.system()
    world.full_raci(system.id, builder=builder)
    world.advance(system.id, S.IN_VALIDATION)
    request, _ = lifecycle.request_transition(
        world.ctx, world.actor(R.PROGRAM_MANAGER), system.id, S.APPROVED_FOR_DEPLOYMENT, "tested"
    )
    with pytest.raises(Forbidden, match="Responsible for building"):
        lifecycle.decide(
            world.ctx,
            access.actor_for(world.ctx, builder.id),
            request.id,
            Decision.APPROVE,
            "mine is fine",
        )
    # an independent compliance officer may
    lifecycle.decide(
        world.ctx,
        world.actor(R.ETHICS_COMPLIANCE),
        request.id,
        Decision.APPROVE,
        "independent review",
    )


def test_full_walk_records_who_when_why_and_refusal_stops_a_request(world: World) -> None:
    system = world.system()
    world.advance(system.id, S.DEPLOYED)
    with world.ctx.uow() as uow:
        assert uow.systems.get(system.id).stage is S.DEPLOYED  # type: ignore[union-attr]
    history = audit.entity_history(world.ctx, world.admin, "system", system.id)
    moves = [
        e.body()["data"]["stage"] for e in history if e.body()["action"] == "system.transitioned"
    ]
    assert moves[0] == ["proposed", "assessed"] and moves[-1] == [
        "approved_for_deployment",
        "deployed",
    ]
    request, _ = lifecycle.request_transition(
        world.ctx, world.actor(R.ETHICS_COMPLIANCE), system.id, S.SUSPENDED, "drift alarm"
    )
    refused, gate = lifecycle.decide(
        world.ctx, world.actor(R.CHIEF_AI_OFFICER), request.id, Decision.REFUSE, "alarm was a test"
    )
    assert refused.status is RequestStatus.REFUSED and not gate.passed
    with pytest.raises(Conflict, match="already refused"):
        lifecycle.decide(
            world.ctx,
            world.actor(R.CHIEF_AI_OFFICER),
            request.id,
            Decision.APPROVE,
            "changed my mind",
        )


def test_one_pending_request_per_system(world: World) -> None:
    system = world.system()
    lifecycle.request_transition(
        world.ctx, world.actor(R.PROGRAM_MANAGER), system.id, S.ASSESSED, "first"
    )
    with pytest.raises(Conflict, match="already has a pending"):
        lifecycle.request_transition(
            world.ctx, world.actor(R.CHIEF_AI_OFFICER), system.id, S.ASSESSED, "second"
        )


def test_revoked_token_no_longer_authenticates(world: World) -> None:
    token, secret = access.create_token(world.ctx, world.actor(R.AUDITOR), None, "x")
    assert access.authenticate(world.ctx, secret).person_id == world.people[R.AUDITOR].id
    access.revoke_token(world.ctx, world.admin, token.id)
    with pytest.raises(Unauthenticated, match="revoked"):
        access.authenticate(world.ctx, secret)


def test_audit_chain_verifies_after_a_realistic_sequence(
    world: World, engine: Engine, tmp_path: Path
) -> None:
    world.advance(world.system().id, S.DEPLOYED)
    key = tmp_path / "audit.key"
    create_key(key, "test.example/audit")
    signed = context_for(engine, key_file=key)
    audit.make_checkpoint(signed, world.admin)
    report = audit.verify_log(signed, world.actor(R.AUDITOR))
    assert report.intact and report.size == events(world.ctx)
