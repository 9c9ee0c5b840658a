"""What capabilities below governance read of its records through their ports: the
lifecycle facts segregation of duties needs (accountability), and which policies a change
to a system switches on or off (inventory)."""

from __future__ import annotations

from datetime import datetime

from charter.governance.domain.lifecycle import RequestStatus, TransitionRequest
from charter.governance.domain.policy import PolicyRecord
from charter.governance.services.gates import parsed
from charter.inventory.domain import AISystem, LifecycleStage
from charter.kernel.ports import Repository


class RequestLifecycle:
    """accountability.ports.Lifecycle over the transition requests."""

    def __init__(self, requests: Repository[TransitionRequest]) -> None:
        self._requests = requests

    def pending_targets(self, system_id: str) -> frozenset[LifecycleStage]:
        pending = self._requests.all(system_id=system_id, status=RequestStatus.PENDING)
        return frozenset(r.target for r in pending)

    def development_began(self, system_id: str) -> datetime | None:
        entered = [
            r.decided_at
            for r in self._requests.all(
                system_id=system_id,
                status=RequestStatus.APPLIED,
                target=LifecycleStage.IN_DEVELOPMENT,
            )
            if r.decided_at is not None
        ]
        return min(entered, default=None)


class PolicyApplicability:
    """inventory.ports.Applicability over the stored policies (in force or not: a policy
    switched back on applies again)."""

    def __init__(self, policies: Repository[PolicyRecord]) -> None:
        self._policies = policies

    def switched(self, before: AISystem, after: AISystem) -> list[str]:
        stored = [parsed(r) for r in sorted(self._policies.all(), key=lambda r: r.id)]
        return [p.id for p in stored if p.applies.selects(before) != p.applies.selects(after)]
