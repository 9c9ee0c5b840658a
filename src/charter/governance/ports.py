"""Ports of governance: transition requests and approvals, policies, waivers, documents, the
risk register's judgement of each system's risks, and the gate's conditions and requirement
plugins in force."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from charter.audit.ports import AuditLog
from charter.governance.domain.gates import GateFacts, Plugin
from charter.governance.domain.lifecycle import Approval, Condition, TransitionRequest
from charter.governance.domain.policy import PolicyRecord
from charter.governance.domain.risk_view import RiskPosition
from charter.governance.domain.waivers import Document, Waiver
from charter.inventory.domain import AISystem
from charter.kernel.ports import Repository
from charter.notifications import ports as notifications
from charter.people import ports as people
from charter.validation import ports as validation


class RiskRegister(Protocol):
    """What gates and the system's pages read of the risk register (which sits above
    governance): each system's open risks and how they stand now."""

    def positions(
        self,
        systems: Sequence[AISystem],
        now: datetime,
        facts: Callable[[str], GateFacts | None] | None = None,
        names: Mapping[str, str] | None = None,
    ) -> Mapping[str, Sequence[RiskPosition]]:
        """The open risks of these systems, by system; `facts` gives the facts already read
        of a system (without waivers) for the controls a policy requirement tests, and
        `names` the people's names already read, so they are not read again."""
        ...


class UnitOfWork(people.UnitOfWork, validation.UnitOfWork, notifications.UnitOfWork, Protocol):
    @property
    def audit(self) -> AuditLog: ...

    requests: Repository[TransitionRequest]
    approvals: Repository[Approval]
    policies: Repository[PolicyRecord]
    waivers: Repository[Waiver]
    documents: Repository[Document]

    @property
    def risk_register(self) -> RiskRegister: ...


class Context(people.Context, validation.Context, notifications.Context, Protocol):
    @property
    def uow(self) -> Callable[[], UnitOfWork]: ...
    @property
    def conditions(self) -> Sequence[Condition]: ...
    @property
    def plugins(self) -> Mapping[str, Plugin]:
        """Requirement plugins by name (entry points of group charter.requirements)."""
        ...

    @property
    def policy_file_bytes(self) -> int:
        """Bytes a policy file may hold (CHARTER_POLICY_FILE_BYTES)."""
        ...

    @property
    def reminder_days(self) -> int:
        """A waiver or a training expiring within this many days is reminded of."""
        ...
