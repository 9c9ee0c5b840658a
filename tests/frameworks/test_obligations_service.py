"""The obligations calendar and the impact of a change, on both backends: dates per system
from the recorded answers, who answers for each (RACI Accountable, else the owner), a dry run
that records nothing."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from charter.frameworks import services as classification
from charter.frameworks.files import classification_data
from charter.kernel.errors import Forbidden
from charter.kernel.roles import RoleKind as R
from tests.factory import World

NOW = datetime(2026, 11, 28, 9, tzinfo=UTC)


def _fixed(world: World) -> World:
    world.ctx = replace(world.ctx, clock=lambda: NOW)
    return world


def _classify(world: World, answers: dict[str, object]) -> str:
    system = world.system()
    classification.classify_system(
        world.ctx, world.actor(R.ETHICS_COMPLIANCE), system.id, answers, classification_data()
    )
    return system.id


def test_the_calendar_lists_upcoming_dates_with_who_answers_for_each(world: World) -> None:
    _fixed(world)
    hiring = _classify(world, {"annex_iii": ["4.a"], "roles": ["provider", "deployer"]})
    world.full_raci(hiring)
    bot = _classify(world, {"transparency": ["chatbot"], "schedule": "original"})
    found = classification.obligations_calendar(
        world.ctx, world.actor(R.AUDITOR), classification_data()
    )
    assert found.stale == {}
    rows = {(d.system_id, d.obligation.id, d.obligation.role): d for d in found.items}
    art9 = rows[(hiring, "EUAIA.ART9", "provider")]
    assert art9.on == date(2027, 12, 2) and art9.obligation.uncertain
    pm = world.people[R.PROGRAM_MANAGER]
    assert (art9.answerable.person_id, art9.answerable.basis) == (
        pm.id,
        "accountable for design (RACI)",
    )
    assert rows[(hiring, "EUAIA.ART26", "deployer")].answerable.basis == (
        "accountable for monitoring (RACI)"
    )
    assert (hiring, "EUAIA.ART4", "provider") not in rows  # in force since 2 February 2025
    assert (bot, "EUAIA.ART50.1", "provider") not in rows  # original: 2 August 2026, past
    assert [d.on for d in found.items] == sorted(d.on for d in found.items)
    sponsor = world.people[R.EXECUTIVE_SPONSOR]
    unraced = _classify(world, {"annex_iii": ["5.b"]})
    owner = classification.obligations_calendar(
        world.ctx, world.actor(R.AUDITOR), classification_data(), system_id=unraced
    )
    assert {(d.answerable.person_id, d.answerable.basis) for d in owner.items} == {
        (sponsor.id, "system owner")
    }
    early = classification.obligations_calendar(
        world.ctx, world.admin, classification_data(), until=date(2027, 12, 1)
    )
    assert early.items == []


def test_the_calendar_follows_the_schedule_in_force_not_the_one_recorded(world: World) -> None:
    """As readiness does: answers recorded under the original schedule (the one in force when
    they were given) are dated by the amended one once it is in force; the recorded schedule
    is asked for by name."""
    _fixed(world)
    recorded = _classify(world, {"annex_iii": ["4.a"], "schedule": "original"})
    auditor, data = world.actor(R.AUDITOR), classification_data()
    now = classification.obligations_calendar(world.ctx, auditor, data, system_id=recorded)
    assert (date(2027, 12, 2), "EUAIA.ART9") in {(d.on, d.obligation.id) for d in now.items}
    then = classification.obligations_calendar(world.ctx, auditor, data, "original", None, recorded)
    assert "EUAIA.ART9" not in {d.obligation.id for d in then.items}  # 2 August 2026: past


def test_impact_of_a_schedule_and_of_a_data_version_per_system(world: World) -> None:
    _fixed(world)
    hiring = _classify(world, {"annex_iii": ["4.a"]})
    found = classification.obligations_impact(
        world.ctx, world.actor(R.AUDITOR), classification_data(), "original"
    )
    [item] = [i for i in found if i.system_id == hiring]
    shipped = classification_data()["version"]
    assert (item.before, item.after) == (f"amended (data {shipped})", f"original (data {shipped})")
    moved = {s.id: s for s in item.shifts}
    assert (moved["EUAIA.ART9"].change, moved["EUAIA.ART9"].before, moved["EUAIA.ART9"].after) == (
        "date",
        date(2027, 12, 2),
        date(2026, 8, 2),
    )
    assert "EUAIA.ART4" not in moved  # same date in both
    assert moved["EUAIA.ART9"].answerable.basis == "system owner"
    newer = copy.deepcopy(classification_data())
    newer["version"] = "2027-01-01"
    newer["obligations"] = [o for o in newer["obligations"] if o["id"] != "EUAIA.ART72"]
    newer["questions"]["ai_system"]["ask"] = "Is it an AI system?"
    again = classification.obligations_impact(world.ctx, world.admin, newer, "amended")
    [changed] = [i for i in again if i.system_id == hiring]
    assert [(s.id, s.change) for s in changed.shifts] == [("EUAIA.ART72", "removed")]
    del newer["questions"]["annex_iii"]
    [stale] = classification.obligations_impact(world.ctx, world.admin, newer, "amended")
    assert "unknown answer(s): annex_iii" in stale.stale


def test_a_dry_run_records_nothing_and_needs_the_right_to_classify(world: World) -> None:
    system = world.system()
    with world.ctx.uow() as uow:
        before = uow.audit.size()
    result = classification.preview_classification(
        world.ctx, world.actor(R.CHIEF_AI_OFFICER), system.id, {"annex_iii": ["4.a"]},
        classification_data(),
    )  # fmt: skip
    assert result.tier == "high"
    with world.ctx.uow() as uow:
        assert uow.audit.size() == before and uow.classifications.all() == []
    with pytest.raises(Forbidden):
        classification.preview_classification(
            world.ctx, world.actor(R.DATA_SCIENTIST), system.id, {}, classification_data()
        )
