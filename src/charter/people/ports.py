"""Ports of talent and literacy, adoption and change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from charter.kernel.ports import Repository
from charter.people.domain.adoption import Adoption, Communication, Survey
from charter.people.domain.talent import Completion, Course, PersonSkill, RoleSkill, Skill
from charter.strategy import ports as strategy


class UnitOfWork(strategy.UnitOfWork, Protocol):
    skills: Repository[Skill]
    person_skills: Repository[PersonSkill]
    role_skills: Repository[RoleSkill]
    courses: Repository[Course]
    completions: Repository[Completion]
    adoption: Repository[Adoption]
    surveys: Repository[Survey]
    communications: Repository[Communication]


class Context(strategy.Context, Protocol):
    @property
    def uow(self) -> Callable[[], UnitOfWork]: ...
