"""The skills measure indexes roles, skills held and skills needed by person and role once:
on generated organisations it gives what checking each person against every record gives."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime

import pytest

from charter.accountability.domain.org import Person
from charter.kernel.roles import RoleAssignment, RoleKind, ScopeKind
from charter.people.domain.talent import PersonSkill, RoleSkill, person_gaps
from charter.scorecard.domain.measures import role_skills
from charter.scorecard.domain.scorecard import Measure, OrgSnapshot

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _plainly(facts: OrgSnapshot) -> Measure:
    """The measure as first written: every person checked against every role and skill."""
    active = [p for p in facts.people if p.active]
    held: dict[str, set[RoleKind]] = {}
    for r in facts.roles:
        held.setdefault(r.person_id, set()).add(r.role)
    wanted = sum(
        len({n.skill_id for n in facts.needs if n.role in held.get(p.id, set())}) for p in active
    )
    gaps = [g for p in active for g in person_gaps(p.id, facts.roles, facts.needs, facts.held)]
    short = tuple(sorted({facts.names.get(g.person_id, g.person_id) for g in gaps}))
    return Measure("role_skills", "Skills their roles need that people hold", wanted - len(gaps),
                   wanted, short, "Close the skill gaps of", False)  # fmt: skip


def _organisation(seed: int) -> OrgSnapshot:
    rng = random.Random(seed)
    kinds, skills = list(RoleKind), [f"skl_{i}" for i in range(12)]
    people = [
        Person(f"per_{i}", f"Person {i}", f"p{i}@example.org", active=rng.random() > 0.1)
        for i in range(80)
    ]
    roles = [
        RoleAssignment(f"rol_{i}", rng.choice(people).id, rng.choice(kinds), ScopeKind.ORGANISATION)
        for i in range(120)
    ]
    needs = [
        RoleSkill(f"rs_{i}", rng.choice(kinds), rng.choice(skills), rng.randint(1, 4))
        for i in range(40)
    ]
    held = [
        PersonSkill(f"ps_{i}", rng.choice(people).id, rng.choice(skills), rng.randint(1, 4),
                    "", "per_0", NOW)
        for i in range(150)
    ]  # fmt: skip
    names = {p.id: p.name for p in people}
    return OrgSnapshot(NOW, people=people, roles=roles, needs=needs, held=held, names=names)


@pytest.mark.parametrize("seed", range(8))
def test_the_indexed_skills_measure_equals_the_plain_one(seed: int) -> None:
    facts = _organisation(seed)
    measured = role_skills(facts, date(2026, 12, 1))
    assert measured == _plainly(facts)
    assert measured.denominator and measured.short
