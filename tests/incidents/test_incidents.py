"""Incidents through the services on both databases: recorded with their evidence frozen,
classified with the clock, escalated once, the system suspended through its lifecycle,
corrective actions to closure, reports to authorities."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from charter.governance.domain.lifecycle import Decision, RequestStatus
from charter.governance.services import lifecycle
from charter.incidents import services as incidents
from charter.incidents.domain import Category, ReportKind, Status
from charter.inventory.domain import LifecycleStage
from charter.kernel.errors import Conflict, Forbidden
from charter.kernel.roles import RoleKind
from charter.notifications import services as notifications
from charter.validation import services as validation
from charter.validation.domain.evidence import Aggregates
from charter.validation.domain.metrics import Counts
from charter.validation.domain.suite import parse_suite
from charter.wiring import Context
from tests.clock import Clock, clocked
from tests.factory import World

SUITE = parse_suite(
    {
        "name": "quality",
        "data": "x.parquet",
        "columns": {"label": "y", "prediction": "p"},
        "checks": [{"id": "accuracy", "metric": "accuracy", "min": 0.8}],
    }
)


def _evidence(ctx: Context, world: World, system_id: str, right: int) -> str:
    counts = {(): Counts(n=100, tp=right, fp=0, tn=0, fn=100 - right)}
    found = validation.validate(
        ctx,
        world.actor(RoleKind.DATA_SCIENTIST),
        system_id,
        SUITE,
        lambda s: Aggregates(counts, None, f"fp-{right}", "duckdb"),
    )
    return found.id


def _types(ctx: Context, world: World) -> list[str]:
    return [n.type for n in notifications.notices(ctx, world.admin)]


def test_an_incident_freezes_its_evidence_and_later_runs_cannot_change_it(
    ctx: Context, world: World, engine: object
) -> None:
    system = world.system()
    first = _evidence(ctx, world, system.id, 90)
    incident = incidents.record_incident(
        ctx,
        world.actor(RoleKind.PROGRAM_MANAGER),
        system.id,
        "Wrong refusals",
        "Customers were refused credit by mistake.",
        "customer complaint",
        ctx.clock() - timedelta(hours=2),
        affected_persons=12,
    )
    _evidence(ctx, world, system.id, 50)  # a later run of the same suite
    found = incidents.get_incident(ctx, world.admin, incident.id)
    (snapshot,) = found.snapshots
    assert snapshot.evidence_id == first and '"value":0.9' in snapshot.content
    assert "incident.recorded" in _types(ctx, world)
    with pytest.raises(DBAPIError), engine.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(text("UPDATE incident_snapshots SET content = 'changed'"))


def test_a_serious_incident_escalates_once_48_hours_before_its_deadline(
    ctx: Context, world: World
) -> None:
    clock = Clock(datetime(2026, 9, 1, 8, tzinfo=UTC))
    ctx = clocked(ctx, clock)
    system = world.system()
    incident = incidents.record_incident(
        ctx,
        world.actor(RoleKind.PROGRAM_MANAGER),
        system.id,
        "Outage",
        "The grid model failed.",
        "operator",
        clock.now - timedelta(hours=1),
    )
    found = incidents.classify_incident(
        ctx,
        world.actor(RoleKind.ETHICS_COMPLIANCE),
        incident.id,
        [Category.FUNDAMENTAL_RIGHTS],
        False,
        False,
        "people were treated unequally",
    )
    assert found.deadline_days == 15 and found.escalated_at is None
    assert "incident.serious" in _types(ctx, world)
    assert incidents.escalate_due(ctx) == 0
    clock.set((found.deadline_at or clock.now) - timedelta(hours=47))
    assert incidents.escalate_due(ctx) == 1
    assert incidents.escalate_due(ctx) == 0  # once
    clock.advance(timedelta(hours=1))
    assert incidents.escalate_due(ctx) == 0
    assert _types(ctx, world).count("incident.deadline_near") == 1


def test_classifying_within_48_hours_of_the_deadline_escalates_at_once(
    ctx: Context, world: World
) -> None:
    # aware at 22:00 in Brussels on 1 September: 2 days end at midnight on the 3rd, 46 hours
    # after the classification at 02:00 on the 2nd
    ctx = clocked(ctx, Clock(datetime(2026, 9, 2, 0, tzinfo=UTC)))
    system = world.system()
    incident = incidents.record_incident(
        ctx,
        world.actor(RoleKind.PROGRAM_MANAGER),
        system.id,
        "Grid",
        "Substations tripped.",
        "operator",
        datetime(2026, 9, 1, 20, tzinfo=UTC),
    )
    found = incidents.classify_incident(
        ctx,
        world.actor(RoleKind.CHIEF_AI_OFFICER),
        incident.id,
        [Category.INFRASTRUCTURE],
        False,
        False,
        "serious and irreversible disruption",
    )
    assert found.deadline_days == 2 and found.escalated_at is not None
    assert incidents.escalate_due(ctx) == 0
    assert _types(ctx, world).count("incident.deadline_near") == 1


def test_only_those_entitled_classify(ctx: Context, world: World) -> None:
    system = world.system()
    incident = incidents.record_incident(
        ctx, world.actor(RoleKind.DATA_SCIENTIST), system.id, "t", "d", "r", ctx.clock()
    )
    with pytest.raises(Forbidden):
        incidents.classify_incident(
            ctx,
            world.actor(RoleKind.DATA_SCIENTIST),
            incident.id,
            [Category.HEALTH],
            False,
            False,
            "mine",
        )


def test_an_incident_suspends_its_system_through_the_lifecycle(ctx: Context, world: World) -> None:
    system = world.system()
    world.advance(system.id, LifecycleStage.IN_DEVELOPMENT)
    incident = incidents.record_incident(
        ctx, world.actor(RoleKind.PROGRAM_MANAGER), system.id, "t", "d", "r", ctx.clock()
    )
    linked, request = incidents.suspend_system(
        ctx, world.actor(RoleKind.PROGRAM_MANAGER), incident.id, "stop harm while we look"
    )
    assert linked.suspension_request_id == request.id and request.status is RequestStatus.PENDING
    assert request.target is LifecycleStage.SUSPENDED
    done, _ = lifecycle.decide(
        ctx, world.actor(RoleKind.ETHICS_COMPLIANCE), request.id, Decision.APPROVE, "suspend"
    )
    assert done.status is RequestStatus.APPLIED
    assert world.system_name(system.id) == system.name
    with pytest.raises(Conflict):
        incidents.suspend_system(ctx, world.actor(RoleKind.PROGRAM_MANAGER), incident.id, "again")


def test_corrective_actions_and_a_complete_report_come_before_closing(
    ctx: Context, world: World
) -> None:
    system = world.system()
    officer = world.actor(RoleKind.ETHICS_COMPLIANCE)
    incident = incidents.record_incident(
        ctx,
        world.actor(RoleKind.PROGRAM_MANAGER),
        system.id,
        "t",
        "d",
        "r",
        ctx.clock() - timedelta(days=1),
        affected_persons=3,
    )
    incidents.classify_incident(ctx, officer, incident.id, [Category.PROPERTY], False, False, "x")
    initial = incidents.record_submission(
        ctx,
        officer,
        incident.id,
        ReportKind.INITIAL,
        "Market surveillance authority",
        ctx.clock(),
        "",
        "<p>r</p>",
    )
    assert initial.missing == ("corrective_actions",)
    assert incidents.get_incident(ctx, officer, incident.id).incident.status is Status.REPORTED
    with pytest.raises(Conflict):  # mandated fields missing: not a complete report
        incidents.record_submission(
            ctx, officer, incident.id, ReportKind.COMPLETE, "MSA", ctx.clock(), "", "<p>r</p>"
        )
    owner = world.people[RoleKind.ML_ENGINEER]
    action = incidents.add_action(
        ctx, officer, incident.id, "Retrain without the bad feed", owner.id
    )
    with pytest.raises(Conflict):
        incidents.close_incident(ctx, officer, incident.id, "done")
    incidents.complete_action(ctx, world.actor(RoleKind.ML_ENGINEER), action.id, "retrained")
    with pytest.raises(Conflict):  # serious: a complete report first
        incidents.close_incident(ctx, officer, incident.id, "done")
    incidents.record_submission(
        ctx,
        officer,
        incident.id,
        ReportKind.COMPLETE,
        "MSA",
        ctx.clock(),
        "ref-1",
        "<p>complete</p>",
    )
    closed = incidents.close_incident(ctx, officer, incident.id, "resolved")
    assert closed.status is Status.CLOSED
