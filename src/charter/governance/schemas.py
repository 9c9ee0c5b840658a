"""Request bodies of governance: transitions and decisions, policies, waivers, documents."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from charter.governance.domain.lifecycle import Decision
from charter.inventory.domain import LifecycleStage
from charter.kernel.roles import RoleKind
from charter.kernel.web.schemas import Body


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
