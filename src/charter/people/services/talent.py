"""Use cases for talent and AI literacy: the skills catalogue, skills held and needed,
courses and completions, gaps and literacy coverage."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from charter.kernel.access import PERMISSIONS, Action, Actor, ensure, ensure_member
from charter.kernel.context import record, snapshot
from charter.kernel.errors import Forbidden, InvalidInput
from charter.kernel.lookups import ensure_unique, find_person, require
from charter.kernel.names import require_name
from charter.kernel.roles import RoleKind
from charter.people.domain.talent import (
    Completion,
    Course,
    Coverage,
    Demand,
    Gap,
    PersonSkill,
    RoleSkill,
    Skill,
    SkillCategory,
    check_level,
    expiry,
    literacy_coverage,
    person_gaps,
    portfolio_demand,
    renewals_due,
    team_gaps,
)
from charter.people.ports import Context
from charter.strategy.domain.strategy import LIVE
from charter.strategy.services.portfolio import visible


def add_skill(
    ctx: Context, actor: Actor, name: str, category: SkillCategory, description: str = ""
) -> Skill:
    ensure(actor, Action.TALENT_MANAGE)
    skill = Skill(
        ctx.new_id("skl"), require_name(name).lower(), SkillCategory(category), description.strip()
    )
    with ctx.uow() as uow:
        ensure_unique(uow.skills, "skill", "name", skill.name)
        uow.skills.add(skill)
        record(ctx, uow, actor, "skill.added", "skill", skill.id, snapshot(skill))
        uow.commit()
    return skill


def need_skill(ctx: Context, actor: Actor, role: RoleKind, skill_id: str, level: int) -> RoleSkill:
    """The AI role needs the skill at least at this level (replaces an earlier need)."""
    ensure(actor, Action.TALENT_MANAGE)
    with ctx.uow() as uow:
        require(uow.skills, "skill", skill_id)
        found = uow.role_skills.all(role=RoleKind(role), skill_id=skill_id)
        item = RoleSkill(found[0].id if found else ctx.new_id("rsk"), RoleKind(role), skill_id,
                         check_level(level))  # fmt: skip
        (uow.role_skills.update if found else uow.role_skills.add)(item)
        record(ctx, uow, actor, "skill.needed", "skill", skill_id, snapshot(item))
        uow.commit()
    return item


def assess_skill(
    ctx: Context, actor: Actor, person_id: str, skill_id: str, level: int, evidence: str
) -> PersonSkill:
    """Record the level a person holds a skill at, with its evidence (a certificate, a
    project, a review); an assessment of the same skill replaces the earlier one."""
    with ctx.uow() as uow:
        person = find_person(uow.people, person_id)
        ensure(actor, Action.TRAINING_RECORD, person.business_unit_id)
        require(uow.skills, "skill", skill_id)
        found = uow.person_skills.all(person_id=person.id, skill_id=skill_id)
        item = PersonSkill(
            found[0].id if found else ctx.new_id("psk"), person.id, skill_id, check_level(level),
            require_name(evidence, "evidence", 2000), actor.ref, ctx.clock(),
        )  # fmt: skip
        (uow.person_skills.update if found else uow.person_skills.add)(item)
        record(ctx, uow, actor, "skill.assessed", "person", person.id, snapshot(item))
        uow.commit()
    return item


def add_course(
    ctx: Context,
    actor: Actor,
    title: str,
    provider: str = "",
    literacy: bool = False,
    roles: Sequence[RoleKind] = (),
    skill_ids: Sequence[str] = (),
    validity_months: int | None = 24,
) -> Course:
    ensure(actor, Action.TALENT_MANAGE)
    if validity_months is not None and not 1 <= validity_months <= 120:
        raise InvalidInput("validity is from 1 to 120 months", details={"field": "validity_months"})
    course = Course(
        ctx.new_id("crs"), require_name(title, "title", 300), provider.strip(), literacy,
        tuple(dict.fromkeys(RoleKind(r) for r in roles)), tuple(dict.fromkeys(skill_ids)),
        validity_months,
    )  # fmt: skip
    with ctx.uow() as uow:
        for skill in course.skill_ids:
            require(uow.skills, "skill", skill)
        ensure_unique(uow.courses, "course", "title", course.title)
        uow.courses.add(course)
        record(ctx, uow, actor, "course.added", "course", course.id, snapshot(course))
        uow.commit()
    return course


def record_completion(
    ctx: Context,
    actor: Actor,
    person_id: str,
    course_id: str,
    completed_on: date,
    evidence: str = "",
) -> Completion:
    """A person completed a course; it expires after the course's validity. Someone else
    records it: a completion counts for literacy duties (EU AI Act Art. 4) and for gates that
    ask for trained people, so nobody vouches for their own."""
    if completed_on > ctx.clock().date():
        raise InvalidInput(
            "a completion cannot be in the future", details={"field": "completed_on"}
        )
    with ctx.uow() as uow:
        person = find_person(uow.people, person_id)
        ensure(actor, Action.TRAINING_RECORD, person.business_unit_id)
        _not_own(actor, person.id, person.business_unit_id)
        course = require(uow.courses, "course", course_id)
        item = Completion(
            ctx.new_id("cmp"), person.id, course_id, completed_on, expiry(course, completed_on),
            actor.ref, evidence.strip()[:2000],
        )  # fmt: skip
        uow.completions.add(item)
        record(ctx, uow, actor, "training.completed", "person", person.id, snapshot(item))
        uow.commit()
    return item


def _not_own(actor: Actor, person_id: str, unit_id: str | None) -> None:
    if actor.person_id == person_id:
        raise Forbidden(
            "nobody records their own training completion: another person who may record "
            "training records it, with its evidence",
            details={
                "action": Action.TRAINING_RECORD.value,
                "roles": sorted(r.value for r in PERMISSIONS[Action.TRAINING_RECORD]),
                "business_unit_id": unit_id, "field": "person_id",
            },
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class TalentView:
    """Everything the talent page shows, computed on one day."""

    on: date
    skills: tuple[Skill, ...]
    courses: tuple[Course, ...]
    needs: tuple[RoleSkill, ...]
    held: tuple[PersonSkill, ...]
    completions: tuple[Completion, ...]
    gaps: tuple[Gap, ...]  # every person's
    by_team: Mapping[str, Mapping[str, int]]  # business unit -> skill -> people lacking it
    demand: tuple[Demand, ...]  # the live portfolio's skills against who holds them
    by_role: tuple[Coverage, ...]
    by_unit: tuple[Coverage, ...]
    renewals: tuple[Completion, ...]  # current training that lapses within 60 days
    # completions recorded by their own person: on record, never counted (none may be now)
    self_recorded: tuple[Completion, ...] = ()

    def gaps_of(self, person_id: str) -> list[Gap]:
        return [g for g in self.gaps if g.person_id == person_id]


def talent_view(ctx: Context, actor: Actor, on: date | None = None) -> TalentView:
    ensure_member(actor)
    day = on or ctx.clock().date()
    with ctx.uow() as uow:
        people, roles = uow.people.all(active=True), uow.roles.all()
        skills, courses = uow.skills.all(), uow.courses.all()
        needs, held = uow.role_skills.all(), uow.person_skills.all()
        completions = uow.completions.all()
        live = uow.use_cases.all(status=frozenset(s.value for s in LIVE))
    cases = [u for u in live if visible(actor, u)]  # the demand of what the reader may see
    gaps = [g for p in people for g in person_gaps(p.id, roles, needs, held)]
    demand = portfolio_demand({u.id: u.skills_needed for u in cases}, skills, held)
    by_course = {c.id: c for c in courses}
    by_role, by_unit = literacy_coverage(people, roles, completions, by_course, day)
    return TalentView(
        day, tuple(sorted(skills, key=lambda s: s.name)),
        tuple(sorted(courses, key=lambda c: c.title)),
        tuple(needs), tuple(held), tuple(completions), tuple(gaps), team_gaps(gaps, people),
        tuple(demand),
        tuple(by_role), tuple(by_unit), tuple(renewals_due(completions, day)),
        tuple(sorted((c for c in completions if c.self_recorded),
                     key=lambda c: (c.completed_on, c.id))),
    )  # fmt: skip


def person_training(ctx: Context, actor: Actor, person_id: str) -> list[Completion]:
    ensure_member(actor)
    with ctx.uow() as uow:
        person = find_person(uow.people, person_id)
        return sorted(uow.completions.all(person_id=person.id), key=lambda c: c.completed_on)
