"""The context's defaults, each loading its capability only when it is used: `Later` values
loaded on first read, and thin wrappers that import their adapter or service on first call."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

if TYPE_CHECKING:
    from charter.governance.domain.lifecycle import Condition
    from charter.integrations.ports import Registry
    from charter.kernel.access import Actor
    from charter.monitoring.domain.rules import Rules
    from charter.notifications.domain import Network
    from charter.reports.ports import Renderer
    from charter.risks.domain.assessment import Rules as RiskRules
    from charter.risks.domain.model import RiskModel
    from charter.validation.domain.evidence import Evidence
    from charter.validation.domain.suite import Suite

T = TypeVar("T")


class Later(Generic[T]):
    """A context field whose value is loaded when first read (what a command does not use it
    does not load): given a loader as default, or as the value (`Later(load)`)."""

    def __init__(self, load: Callable[[], T]) -> None:
        self.load = load
        self._slot = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self._slot = f"_loaded_{name}"

    @overload
    def __get__(self, obj: None, owner: Any = None) -> Later[T]: ...
    @overload
    def __get__(self, obj: object, owner: Any = None) -> T: ...
    def __get__(self, obj: object | None, owner: Any = None) -> T | Later[T]:
        if obj is None:
            return self  # the dataclass's default: this descriptor, loaded per instance
        found = obj.__dict__.get(self._slot, self)
        if isinstance(found, Later):
            found = found.load()
            obj.__dict__[self._slot] = found
        return found  # type: ignore[no-any-return]

    def __set__(self, obj: object, value: T | Later[T]) -> None:
        obj.__dict__[self._slot] = value


# The context's defaults, each loading its capability only when it is used.


def default_conditions() -> tuple[Condition, ...]:
    from charter.governance.domain.gates import PolicyCondition
    from charter.governance.domain.lifecycle import ApprovalsCondition

    return (ApprovalsCondition(), PolicyCondition())


def run_suite(*args: Any, **kwargs: Any) -> Any:
    from charter.validation.engines.runner import run_suite

    return run_suite(*args, **kwargs)


@dataclass(frozen=True)
class WebhookPoster:
    """Posts webhooks through the HTTP transport, loaded with the first post."""

    allowed: Sequence[Network] = ()  # networks of this server's own it may post to

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> Any:
        from charter.notifications.adapters.transports import HttpPoster

        return HttpPoster(self.allowed).post(url, body, headers)


class PdfRenderer:
    """The documents' renderer, loaded with the first document."""

    def __init__(self) -> None:
        self._renderer: Renderer | None = None

    def pdf(self, report: Any, draft: bool) -> bytes:
        if self._renderer is None:
            from charter.reports.charts import DocumentRenderer

            self._renderer = DocumentRenderer()
        return self._renderer.pdf(report, draft)


def mlflow_registry(url: str, token: str | None) -> Registry:
    from charter.integrations.adapters.mlflow import HttpRegistry

    return HttpRegistry(url, token)


def breach_within(ctx: Any, uow: Any, actor: Actor, evidence: Evidence, suite: Suite) -> object:
    """Evidence without a data-quality breach marks nothing: what acts on a breach (lineage,
    reviews) loads only when there is one."""
    if not evidence.quality_breaches:
        return []
    from charter.integrations.services import reviews

    return reviews.breach_within(ctx, uow, actor, evidence, suite)


def incident_within(
    ctx: Any,
    uow: Any,
    actor: Actor,
    incident_id: str,
    system_id: str,
    dataset_id: str | None = None,
) -> object:
    from charter.integrations.services import reviews

    return reviews.incident_within(ctx, uow, actor, incident_id, system_id, dataset_id)


def move_to_system(ctx: Any, uow: Any, actor: Actor, use_case_id: str, system_id: str) -> object:
    from charter.risks.services import register

    return register.move_to_system(ctx, uow, actor, use_case_id, system_id)


def shipped_monitoring_rules() -> Rules:
    from charter.monitoring.files import load_rules

    return load_rules()


def shipped_risk_model() -> RiskModel:
    from charter.risks.files import default_model

    return default_model()


def shipped_risk_rules() -> RiskRules:
    from charter.risks.files import default_rules

    return default_rules()
