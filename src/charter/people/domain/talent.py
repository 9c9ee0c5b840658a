"""Talent and AI literacy: a skills catalogue, skills people hold (with level and evidence),
skills each AI role needs, gaps, training courses and completions that expire, and AI
literacy coverage (EU AI Act Art. 4) per role and business unit."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from charter.accountability.domain.org import Person
from charter.kernel.errors import InvalidInput
from charter.kernel.roles import RoleAssignment, RoleKind

LEVELS = {1: "aware", 2: "practitioner", 3: "expert", 4: "leads others"}


class SkillCategory(StrEnum):
    TECHNICAL = "technical"
    GOVERNANCE = "governance"
    BUSINESS = "business"
    LITERACY = "literacy"


@dataclass(frozen=True, slots=True)
class Skill:
    id: str
    name: str
    category: SkillCategory
    description: str = ""


@dataclass(frozen=True, slots=True)
class PersonSkill:
    id: str
    person_id: str
    skill_id: str
    level: int
    evidence: str
    assessed_by: str
    assessed_at: datetime


@dataclass(frozen=True, slots=True)
class RoleSkill:
    """A skill an AI role needs, at least at this level."""

    id: str
    role: RoleKind
    skill_id: str
    level: int


@dataclass(frozen=True, slots=True)
class Course:
    id: str
    title: str
    provider: str = ""
    literacy: bool = False  # counts as AI literacy training (EU AI Act Art. 4)
    roles: tuple[RoleKind, ...] = ()  # roles it trains for (empty: everyone)
    skill_ids: tuple[str, ...] = ()  # skills it builds
    validity_months: int | None = 24  # None: does not expire


@dataclass(frozen=True, slots=True)
class Completion:
    id: str
    person_id: str
    course_id: str
    completed_on: date
    expires_on: date | None
    recorded_by: str
    evidence: str = ""

    @property
    def self_recorded(self) -> bool:
        """Recorded by the person who completed it (refused since; kept if on record)."""
        return self.recorded_by == self.person_id

    def in_force(self, on: date) -> bool:
        """Completed and not expired on the day (whoever recorded it)."""
        return self.completed_on <= on and (self.expires_on is None or on < self.expires_on)

    def current(self, on: date) -> bool:
        """Counts on the day: in force, and vouched for by someone else."""
        return not self.self_recorded and self.in_force(on)


def check_level(level: int) -> int:
    if isinstance(level, bool) or not isinstance(level, int) or level not in LEVELS:
        raise InvalidInput(
            "a level is 1 (aware), 2 (practitioner), 3 (expert) or 4 (leads others)",
            details={"field": "level"},
        )
    return level


def expiry(course: Course, completed_on: date) -> date | None:
    if course.validity_months is None:
        return None
    months = completed_on.month - 1 + course.validity_months
    year, month = completed_on.year + months // 12, months % 12 + 1
    day = min(completed_on.day, 28)
    return date(year, month, day)


def trains_for(course: Course, role: RoleKind) -> bool:
    return not course.roles or role in course.roles


def literate(
    person_id: str,
    role: RoleKind | None,
    completions: Iterable[Completion],
    courses: Mapping[str, Course],
    on: date,
) -> bool:
    """Whether the person holds current AI-literacy training (for that role, if given)."""
    return _holds_literacy(person_id, role, completions, courses, lambda c: c.current(on))


def self_literate(
    person_id: str,
    role: RoleKind | None,
    completions: Iterable[Completion],
    courses: Mapping[str, Course],
    on: date,
) -> bool:
    """Whether the person's AI-literacy training (for that role, if given) is on record, in
    force, only as recorded by themselves: it does not count, and the talent page says so."""
    own = [c for c in completions if c.self_recorded]
    return _holds_literacy(person_id, role, own, courses, lambda c: c.in_force(on))


def _holds_literacy(
    person_id: str,
    role: RoleKind | None,
    completions: Iterable[Completion],
    courses: Mapping[str, Course],
    counts: Callable[[Completion], bool],
) -> bool:
    for c in completions:
        course = courses.get(c.course_id)
        if c.person_id != person_id or course is None or not course.literacy:
            continue
        if counts(c) and (role is None or trains_for(course, role)):
            return True
    return False


@dataclass(frozen=True, slots=True)
class Gap:
    person_id: str
    skill_id: str
    needed: int
    held: int  # 0: not held
    because: tuple[RoleKind, ...]  # the roles that need it


def person_gaps(
    person_id: str,
    roles: Sequence[RoleAssignment],
    needs: Sequence[RoleSkill],
    held: Sequence[PersonSkill],
) -> list[Gap]:
    """Skills the person's roles need at a level they do not hold."""
    mine = {r.role for r in roles if r.person_id == person_id}
    levels = {h.skill_id: h.level for h in held if h.person_id == person_id}
    wanted: dict[str, tuple[int, list[RoleKind]]] = {}
    for need in needs:
        if need.role in mine:
            level, why = wanted.get(need.skill_id, (0, []))
            wanted[need.skill_id] = (max(level, need.level), [*why, need.role])
    return [
        Gap(person_id, skill, level, levels.get(skill, 0), tuple(sorted(set(why))))
        for skill, (level, why) in sorted(wanted.items())
        if levels.get(skill, 0) < level
    ]


def team_gaps(gaps: Sequence[Gap], people: Sequence[Person]) -> dict[str, dict[str, int]]:
    """Per business unit (a team), how many of its people lack each skill their roles need."""
    unit = {p.id: p.business_unit_id or "none" for p in people}
    out: dict[str, dict[str, int]] = {}
    for g in gaps:
        skills = out.setdefault(unit.get(g.person_id, "none"), {})
        skills[g.skill_id] = skills.get(g.skill_id, 0) + 1
    return {u: dict(sorted(s.items(), key=lambda kv: -kv[1])) for u, s in sorted(out.items())}


@dataclass(frozen=True, slots=True)
class Demand:
    """A skill the portfolio needs, against the people who hold it."""

    skill: str  # the skill's name, as use cases name it
    use_cases: tuple[str, ...]
    holders: tuple[str, ...]  # people holding it at practitioner level or above

    @property
    def short(self) -> bool:
        return len(self.holders) < 1


def portfolio_demand(
    needs: Mapping[str, Sequence[str]],  # use case id -> skill names it needs
    skills: Sequence[Skill],
    held: Sequence[PersonSkill],
) -> list[Demand]:
    """Each skill named by the use cases, with who holds it (names matched case-blind)."""
    by_name = {s.name.strip().lower(): s.id for s in skills}
    wanted: dict[str, list[str]] = {}
    for use_case, names in needs.items():
        for name in names:
            wanted.setdefault(name.strip().lower(), []).append(use_case)
    out = []
    for name, cases in sorted(wanted.items()):
        skill = by_name.get(name)
        holders = sorted({h.person_id for h in held if h.skill_id == skill and h.level >= 2})
        out.append(Demand(name, tuple(sorted(cases)), tuple(holders)))
    return out


@dataclass(frozen=True, slots=True)
class Coverage:
    """Share of people with current AI-literacy training, for one group."""

    key: str  # a role or a business unit id
    people: int
    trained: int
    untrained: tuple[str, ...]
    # of the untrained, those whose training is on record only as recorded by themselves
    self_recorded: tuple[str, ...] = ()

    @property
    def share(self) -> float | None:
        return self.trained / self.people if self.people else None


def literacy_coverage(
    people: Sequence[Person],
    roles: Sequence[RoleAssignment],
    completions: Sequence[Completion],
    courses: Mapping[str, Course],
    on: date,
) -> tuple[list[Coverage], list[Coverage]]:
    """Coverage of people holding AI roles, per role and per business unit."""
    active = {p.id: p for p in people if p.active}
    holders: dict[str, set[str]] = {}
    for r in roles:
        if r.person_id in active and r.role is not RoleKind.ADMINISTRATOR:
            holders.setdefault(r.role.value, set()).add(r.person_id)

    def tests(role: RoleKind | None) -> tuple[Callable[[str], bool], Callable[[str], bool]]:
        return (
            lambda p: literate(p, role, completions, courses, on),
            lambda p: self_literate(p, role, completions, courses, on),
        )

    by_role = [
        _coverage(role, ids, *tests(RoleKind(role))) for role, ids in sorted(holders.items())
    ]
    in_roles = set().union(*holders.values()) if holders else set()
    units: dict[str, set[str]] = {}
    for pid in in_roles:
        units.setdefault(active[pid].business_unit_id or "none", set()).add(pid)
    by_unit = [_coverage(unit, ids, *tests(None)) for unit, ids in sorted(units.items())]
    return by_role, by_unit


def _coverage(
    key: str, ids: set[str], ok: Callable[[str], bool], own: Callable[[str], bool]
) -> Coverage:
    """`ok`: trained; `own`: trained only by their own record (counted as not trained)."""
    trained = sorted(p for p in ids if ok(p))
    untrained = tuple(sorted(ids - set(trained)))
    mine = tuple(p for p in untrained if own(p))
    return Coverage(key, len(ids), len(trained), untrained, mine)


def renewals_due(completions: Sequence[Completion], on: date, days: int = 60) -> list[Completion]:
    """Current completions that expire within `days`."""
    soon = on + timedelta(days=days)
    return [c for c in completions if c.current(on) and c.expires_on and c.expires_on <= soon]
