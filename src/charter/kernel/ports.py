"""Ports every capability's services depend on: repositories, the unit of work's transaction
and audit trail, the clock and ids. Each capability's own ports (its repositories, and what it
needs from the context) extend these in its `ports` module; adapters implement them."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any, Generic, Protocol, Self, TypeVar

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    limit: int | None
    offset: int


class Repository(Protocol[T]):
    def get(self, ident: str) -> T | None: ...
    def lock(self, ident: str) -> T | None:
        """The record, locked against other writers until the transaction ends."""
        ...

    def add(self, item: T) -> None: ...
    def update(self, item: T, *, when: Mapping[str, object] | None = None) -> None:
        """Write the fields that changed since the record was read; with `when`, only if the
        stored record still has those values (else Conflict)."""
        ...

    def delete(self, ident: str) -> None: ...
    def find(
        self,
        filters: Mapping[str, object] | None = None,
        *,
        search: str | None = None,
        named: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        order: str | None = None,
        any_of: Mapping[str, frozenset[str | None]] | Mapping[str, frozenset[str]] | None = None,
    ) -> Page[T]:
        """A page of the records the filters match; `search`: whose searched columns hold
        the text, `named`: whose name is the text (case aside), compared in the database."""
        ...

    def count_by(
        self,
        column: str,
        filters: Mapping[str, object] | None = None,
        *,
        any_of: Mapping[str, frozenset[str | None]] | Mapping[str, frozenset[str]] | None = None,
    ) -> dict[Any, int]:
        """How many records match, by their value of column (values with none left out), in
        one grouped query."""
        ...

    def all(self, **filters: object) -> list[T]: ...


class Lookup(Protocol[T_co]):
    """What a capability needs of another's records when it only checks that an id names
    one (an owner, a business unit): the record's type stays the other capability's."""

    def get(self, ident: str) -> T_co | None: ...


class Identified(Protocol):
    @property
    def id(self) -> str: ...


class Directory(Protocol[T_co]):
    """A collection people name by id, e-mail or name (people, business units): what a
    capability needs to turn what a user typed into the record's id."""

    def get(self, ident: str) -> T_co | None: ...
    def all(self, **filters: object) -> Sequence[T_co]: ...


class AuditTrail(Protocol):
    """Where a use case appends its audit event, in its own transaction."""

    def append(
        self,
        *,
        at: datetime,
        actor: str,
        action: str,
        entity_type: str,
        entity_id: str,
        data: Mapping[str, Any],
    ) -> object: ...


class UnitOfWork(Protocol):
    """One transaction: left without commit, it rolls back. Every capability's unit of work
    extends this with its repositories."""

    @property
    def audit(self) -> AuditTrail: ...

    def reading(self) -> Self:
        """Marks it read-only before it is entered: it reads a consistent snapshot without
        waiting for writers (or making them wait), and refuses to commit."""
        ...

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def commit(self) -> None: ...


Clock = Callable[[], datetime]
IdFactory = Callable[[str], str]


class Context(Protocol):
    """What every use case receives. Each capability's `ports.Context` extends it with its own
    unit of work and settings; the composition root (charter.wiring) provides them all."""

    @property
    def uow(self) -> Callable[[], UnitOfWork]: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def new_id(self) -> IdFactory: ...
