"""Ports of identity: API tokens, password credentials, web sessions and the sign-in
throttle, and the password hasher."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime, timedelta
from typing import Protocol, Self

from charter.accountability import ports as accountability
from charter.accountability.domain.org import Person
from charter.identity.domain.sessions import Credential, SignInThrottle, WebSession
from charter.identity.domain.tokens import ApiToken
from charter.kernel.ports import Repository
from charter.kernel.roles import RoleAssignment

#: a token, its owner (None if the row is gone) and the roles the owner holds
Bearer = tuple[ApiToken, Person | None, list[RoleAssignment]]


class TokenRepository(Repository[ApiToken], Protocol):
    def bearer(self, secret_hash: str) -> Bearer | None:
        """The token with this hash, its owner and the owner's roles, in one statement (a
        consistent read without a transaction around it); None: no such token."""
        ...


class ThrottleRepository(Repository[SignInThrottle], Protocol):
    def hold(self, key: str, now: datetime) -> SignInThrottle:
        """The key's throttle (an empty one if none), held against concurrent sign-ins
        until the transaction ends."""
        ...

    def purge(self, started_before: datetime, now: datetime, keep: Collection[str]) -> None: ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...
    def verify(self, stored: str, password: str) -> bool: ...
    def refuse(self, password: str) -> bool: ...


class UnitOfWork(accountability.UnitOfWork, Protocol):
    tokens: TokenRepository
    credentials: Repository[Credential]
    sessions: Repository[WebSession]
    sign_in_throttles: ThrottleRepository

    def reading(self, one_statement: bool = False) -> Self:
        """Read-only (see kernel.ports.UnitOfWork.reading); with `one_statement`, what it
        reads is read by one statement, which needs no transaction around it to see one
        snapshot: on PostgreSQL no BEGIN and ROLLBACK are sent (two round trips fewer)."""
        ...


class Context(accountability.Context, Protocol):
    @property
    def uow(self) -> Callable[[], UnitOfWork]: ...
    @property
    def passwords(self) -> PasswordHasher | None:
        """Web sign-in's hasher; None: passwords cannot be used."""
        ...

    @property
    def token_days(self) -> int:
        """How many days a new API token lives, unless told otherwise."""
        ...

    @property
    def session_idle(self) -> timedelta:
        """How long a web session may go unused before it ends."""
        ...
