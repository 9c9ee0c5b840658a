"""Ports of leadership bodies: bodies, members, meetings and decisions (over the risk
register's, whose acceptances bodies decide)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Protocol

from charter.bodies.domain import Body, BodyDecision, Meeting, Member
from charter.kernel.ports import Repository
from charter.risks import ports as risks


class UnitOfWork(risks.UnitOfWork, Protocol):
    bodies: Repository[Body]
    members: Repository[Member]
    meetings: Repository[Meeting]
    body_decisions: Repository[BodyDecision]


class Context(risks.Context, Protocol):
    @property
    def uow(self) -> Callable[[], UnitOfWork]: ...

    @property
    def late_grace(self) -> timedelta:
        """Meetings and decisions recorded later than this after the fact need a reason."""
        ...
