"""Request bodies and response shapes of governance: transitions and decisions, policies,
waivers, documents, gates, posture and readiness."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from charter.frameworks.domain.packs import Pack, PackRequirement, RequirementStatus
from charter.governance.domain.gates import PolicyVerdict, RequirementVerdict
from charter.governance.domain.lifecycle import (
    Approval,
    ConditionResult,
    Decision,
    TransitionRequest,
)
from charter.governance.domain.waivers import Waiver
from charter.inventory.domain import LifecycleStage
from charter.kernel.roles import RoleKind
from charter.kernel.web.schemas import Body
from charter.strategy.domain.strategy import UseCase


class TransitionIn(Body):
    to: LifecycleStage
    reason: str = Field(min_length=1, max_length=4000)


class DecisionIn(Body):
    decision: Decision
    reason: str = Field(min_length=1, max_length=4000)


class PolicySetIn(Body):
    policies: list[dict[str, Any]] = Field(
        min_length=1,
        max_length=500,
        description="Policies as in policy files (JSON Schema at "
        "GET /api/v1/policies/schema); all are validated before any is stored.",
    )


class EnabledIn(Body):
    enabled: bool


class WaiverIn(Body):
    system_id: str = Field(min_length=1, max_length=40)
    policy_id: str = Field(min_length=1, max_length=100)
    requirement_id: str = Field(min_length=1, max_length=100)
    reason: str = Field(min_length=1, max_length=4000)
    compensating_measures: str = Field(min_length=1, max_length=4000)
    expires_at: datetime


class RevokeIn(Body):
    reason: str = Field(min_length=1, max_length=4000)


class DocumentIn(Body):
    kind: str = Field(
        min_length=1, max_length=100, description="A kind GET /document-kinds lists (dpia, ...)"
    )
    title: str = Field(min_length=1, max_length=300)
    uri: str = Field(min_length=1, max_length=2000)
    supersedes: str | None = Field(
        default=None, max_length=40, description="The earlier document of this kind it replaces"
    )


class DocumentApprovalIn(Body):
    role: RoleKind = Field(description="The role, held on the system, the approval is given in")


class StoredPolicy(BaseModel):
    """A policy as stored, and whether it is enforced as stored. A policy the audit log has in
    force that is no longer stored (deleted outside Charter) is listed too, with `stored`
    false, `intact` false and null `source`, `loaded_at` and `loaded_by`: it blocks every
    gate until its file is loaded again."""

    id: str
    title: str = Field(description="as stored; not stored: as the audit log recorded it")
    digest: str = Field(
        description="SHA-256 of the policy's canonical JSON when it was loaded; not stored: "
        "the digest the audit log recorded"
    )
    source: dict[str, Any] | None = Field(description="the policy as stored (null: not stored)")
    enabled: bool = Field(
        description="whether its row is switched on; not stored: whether the audit log has it "
        "in force (always true: only such a policy is listed)"
    )
    loaded_at: datetime | None = Field(description="null: not stored")
    loaded_by: str | None = Field(description="null: not stored")
    stored: bool = Field(
        description="false: the audit log has it in force but it is not stored (deleted "
        "outside Charter)",
    )
    intact: bool = Field(
        description="whether it is enforced as stored: its stored text hashes to its recorded "
        "digest (and parses), and the stored policies agree with the audit log's record of "
        "which version, if any, is in force; false: it was changed outside Charter (disabled, "
        "enabled, deleted, inserted or rewritten), as `problem` says"
    )
    problem: str | None = Field(
        description="why it is not enforced as stored, in the words the gates use (null: it is)"
    )


class PolicyView(StoredPolicy):
    """A policy as stored, and how many requirements gates judge of it."""

    requirements: int = 0


class Gate(BaseModel):
    """A gate's result: whether it passes, what blocks it, and every condition's verdict."""

    passed: bool
    blocking: list[str] = Field(description="the reason of each blocking condition unmet")
    results: list[ConditionResult]
    inputs: dict[str, Any] = Field(
        default_factory=dict,
        description="the system's applicability inputs the policies were chosen on",
    )


class DocumentKind(BaseModel):
    """A kind of governed document a document requirement and an attached document name."""

    id: str
    title: str


class GateCheckOut(Gate):
    """Would the gate pass now (nothing written)."""

    model_config = ConfigDict(populate_by_name=True)

    system: str
    system_name: str = Field(description="what people call the system")
    from_: str = Field(alias="from")
    to: str
    request: str | None = Field(description="the pending request to this stage, if any")
    policies: list[PolicyVerdict]


class TransitionOut(BaseModel):
    request: TransitionRequest
    gate: Gate


class TransitionView(TransitionOut):
    decisions: list[Approval]


class PostureRow(BaseModel):
    system: str
    name: str
    stage: str
    risk_tier: str
    gate: str = Field(description="the next stage whose gate is checked")
    blocking: list[str]
    expiring: list[str]
    policies: dict[str, str] = Field(description="policy id: verdict")


class Posture(BaseModel):
    systems: list[PostureRow]
    policies: dict[str, dict[str, int]] = Field(description="policy id: verdict: systems")
    total: int
    blocked: int


@dataclass(frozen=True)
class InboxTransition(TransitionRequest):
    system: str = ""


@dataclass(frozen=True)
class InboxWaiver(RequirementVerdict):
    system: str = ""
    request: str = ""


class InboxOut(BaseModel):
    """What awaits the caller."""

    transitions: list[InboxTransition]
    waivers: list[InboxWaiver]
    use_cases: list[UseCase] = Field(description="use cases awaiting a decision")
    to_confirm: list[Waiver] = Field(
        default_factory=list,
        description="waivers awaiting a second person (four eyes) the caller may confirm",
    )


class CrosswalkLink(BaseModel):
    id: str
    title: str
    requirements: dict[str, list[str]] = Field(description="pack id: its requirement ids")


@dataclass(frozen=True)
class CitedRequirement(PackRequirement):
    policies: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PackView(Pack):
    """A pack, each requirement with the policies that cite it, and its crosswalk links."""

    requirements: tuple[CitedRequirement, ...]
    crosswalk: list[CrosswalkLink] = field(default_factory=list)


class ReadinessRow(BaseModel):
    system: str
    name: str
    pack: str
    applicable: int
    satisfied: int
    open: int
    not_yet: int
    not_applicable: int
    percent: float | None = Field(description="satisfied over applicable, in %; None: none")
    requirements: list[RequirementStatus] | None = None


class SystemReadiness(BaseModel):
    """One system's counts summed over the packs."""

    system: str
    name: str
    packs: int
    applicable: int
    satisfied: int
    open: int
    not_yet: int
    percent: float | None


class PackReadiness(BaseModel):
    """One pack's counts summed over the organisation's systems."""

    systems: int
    applicable: int
    satisfied: int
    open: int
    not_yet: int
    percent: float | None


class Readiness(BaseModel):
    items: list[ReadinessRow]
    systems: list[SystemReadiness]
    packs: dict[str, PackReadiness] = Field(description="pack id: the organisation's counts")


class ReadinessPage(Readiness):
    """A page of the visible systems (by name): their rows and totals; `packs` counts every
    visible system, not only the page."""

    total: int = Field(description="visible systems in all")
    limit: int
    offset: int
