"""Reminders the schedule writes, on both databases: a waiver and a training expiring within
the reminder window, a KPI that missed its target as often as it allows; each once."""

from __future__ import annotations

from datetime import timedelta

from charter.governance.files import check_policy
from charter.governance.services import policies, reminders
from charter.kernel.roles import RoleKind
from charter.notifications.domain import Notice
from charter.people.services import talent
from charter.strategy.domain.kpis import Reading
from charter.strategy.services import kpis
from charter.wiring import Context
from tests.clock import Clock, clocked
from tests.factory import World


def _notices(ctx: Context, event: str) -> list[Notice]:
    with ctx.uow() as uow:
        return [n for n in uow.outbox.recent(500) if n.type == event]


def test_a_waiver_expiring_soon_is_reminded_once_to_its_owner_and_granter(
    ctx: Context, world: World
) -> None:
    clock = Clock()
    ctx = clocked(ctx, clock)
    system = world.system()
    rule = {"id": "owner", "kind": "accountability", "owner_named": True}
    raw = {"id": "owner", "title": "Owner named", "requirements": [rule]}
    chief = world.actor(RoleKind.CHIEF_AI_OFFICER)
    policies.load_policies(ctx, chief, [(raw, check_policy(raw, "owner"))])
    granter = world.actor(RoleKind.BOARD_MEMBER)
    policies.grant_waiver(
        ctx, granter, system.id, "owner", "owner", "appointing", "weekly review",
        clock() + timedelta(days=30),
    )  # fmt: skip
    assert reminders.remind_due(ctx) == 0  # 30 days away: not yet
    clock.advance(timedelta(days=17))  # 13 days before it expires
    assert reminders.remind_due(ctx) == 1
    assert reminders.remind_due(ctx) == 0  # once
    (notice,) = _notices(ctx, "waiver.expiring")
    assert set(notice.recipients) == {system.owner_id, granter.person_id}
    assert "expires on" in notice.title and notice.data["system_id"] == system.id


def test_a_training_expiring_soon_is_reminded_to_the_person_trained(
    ctx: Context, world: World
) -> None:
    clock = Clock()
    ctx = clocked(ctx, clock)
    course = talent.add_course(ctx, world.admin, "AI literacy", literacy=True, validity_months=1)
    person = world.people[RoleKind.DATA_SCIENTIST].id
    done = talent.record_completion(ctx, world.admin, person, course.id, clock().date())
    assert done.expires_on is not None
    assert reminders.remind_due(ctx) == 0  # a month away: more than 14 days
    clock.advance(done.expires_on - clock().date() - timedelta(days=3))
    assert reminders.remind_due(ctx) == 1
    assert reminders.remind_due(ctx) == 0
    (notice,) = _notices(ctx, "training.expiring")
    assert notice.recipients == (person,) and "AI literacy" in notice.title


def test_a_kpi_is_reminded_once_per_streak_of_missed_periods(ctx: Context, world: World) -> None:
    owner = world.people[RoleKind.PROGRAM_MANAGER].id
    kpi = kpis.define_kpi(
        ctx, world.actor(RoleKind.CHIEF_AI_OFFICER), name="Adoption", unit="%",
        direction="increase", target=50.0, owner_id=owner, system_id=world.system().id,
        alert_after=2,
    )  # fmt: skip
    recorder = world.actor(RoleKind.CHIEF_AI_OFFICER)
    today = ctx.clock().date().replace(day=1)
    months = [(today - timedelta(days=31 * k)).strftime("%Y-%m") for k in (4, 3, 2, 1)]

    def measure(month: str, value: float) -> int:
        kpis.record_measurements(ctx, recorder, [Reading(kpi.id, month, value)])
        return reminders.remind_due(ctx)

    assert measure(months[0], 30.0) == 0  # one miss: it allows one
    assert measure(months[1], 40.0) == 1  # two in a row
    assert reminders.remind_due(ctx) == 0  # once
    assert measure(months[2], 60.0) == 0  # met
    assert measure(months[3], 20.0) == 0  # a new streak of one
    assert measure(today.strftime("%Y-%m"), 10.0) == 1  # a new streak of two is told again
    found = _notices(ctx, "kpi.missed")
    assert len(found) == 2 and all(n.recipients == (owner,) for n in found)
    assert "missed its target 2 periods in a row" in found[0].title
