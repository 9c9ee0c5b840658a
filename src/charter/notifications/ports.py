"""Ports of notifications: the outbox every capability writes notices to in its own
transaction, the delivery log, endpoints and preferences, the people notices go to (their
records are accountability's), and the transports that carry them (SMTP, HTTP)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from charter.audit import ports as audit
from charter.kernel.ports import Repository
from charter.kernel.roles import RoleAssignment
from charter.notifications.domain import (
    Attempt,
    Delivery,
    Endpoint,
    Mail,
    Network,
    Notice,
    Outcome,
    Preference,
)


class Outbox(Protocol):
    def add(self, notice: Notice) -> bool:
        """Write the notice in the caller's transaction; False (and nothing written) when a
        notice with its key exists already."""
        ...

    def undispatched(self, limit: int) -> list[Notice]: ...
    def get(self, ident: str) -> Notice | None: ...
    def update(self, item: Notice) -> None: ...
    def recent(self, limit: int, recipient: str | None = None) -> list[Notice]: ...


class DeliveryLog(Repository[Delivery], Protocol):
    def due(self, now: datetime, limit: int) -> list[Delivery]:
        """Pending deliveries whose next attempt is due, oldest first."""
        ...


class Addressed(Protocol):
    """What a notice needs of a person (accountability's record)."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def email(self) -> str: ...
    @property
    def active(self) -> bool: ...


class AddressBook(Protocol):
    """The people a notice may go to, by id (and all of them, as the audit pages read)."""

    def get(self, ident: str) -> Addressed | None: ...
    def all(self, **filters: object) -> Sequence[Addressed]: ...


class UnitOfWork(audit.UnitOfWork, Protocol):
    outbox: Outbox
    deliveries: DeliveryLog
    attempts: Repository[Attempt]
    endpoints: Repository[Endpoint]
    preferences: Repository[Preference]
    roles: Repository[RoleAssignment]

    @property
    def people(self) -> AddressBook: ...


class Mailer(Protocol):
    """Sends e-mail (SMTP); None in the context: e-mail is not configured."""

    def send(self, mails: Sequence[Mail]) -> Outcome: ...


class Poster(Protocol):
    """Posts a webhook body with its headers; never follows redirects."""

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> Outcome: ...


class Context(audit.Context, Protocol):
    @property
    def uow(self) -> Callable[[], UnitOfWork]: ...
    @property
    def mailer(self) -> Mailer | None: ...
    @property
    def poster(self) -> Poster: ...
    @property
    def public_url(self) -> str | None:
        """Where people reach Charter: links in notices; None: no links."""
        ...

    @property
    def webhook_networks(self) -> Sequence[Network]:
        """Networks webhooks may reach although they are this server's or its network's own
        (loopback, private, link-local): none unless configured."""
        ...

    @property
    def digest_hour(self) -> int:
        """The hour (UTC) daily digests go out."""
        ...
