"""Ports of risk management: the register (risks, controls and their links and manual tests,
appetite statements, acceptances), the bodies an acceptance names (their records are
bodies'), and the risk model and assessment rules in force."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from charter.governance import ports as governance
from charter.kernel.ports import Lookup, Repository
from charter.risks.domain.assessment import Rules
from charter.risks.domain.controls import Control, ControlLink, ControlTest
from charter.risks.domain.model import RiskModel
from charter.risks.domain.register import Risk
from charter.risks.domain.standing import Acceptance, AppetiteStatement


class Named(Protocol):
    """What the register needs of a body (bodies' record): its name."""

    @property
    def name(self) -> str: ...


class UnitOfWork(governance.UnitOfWork, Protocol):
    risks: Repository[Risk]
    controls: Repository[Control]
    control_links: Repository[ControlLink]
    control_tests: Repository[ControlTest]
    risk_appetites: Repository[AppetiteStatement]
    risk_acceptances: Repository[Acceptance]

    @property
    def bodies(self) -> Lookup[Named]: ...


class Context(governance.Context, Protocol):
    @property
    def uow(self) -> Callable[[], UnitOfWork]: ...
    @property
    def risk_model(self) -> RiskModel:
        """Scales, bands, the residual rule, default appetite and the catalogue in force."""
        ...

    @property
    def risk_rules(self) -> Rules:
        """The automated assessment's rules in force."""
        ...
