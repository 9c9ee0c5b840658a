"""What capabilities below governance read of its records through their ports: the
lifecycle facts segregation of duties needs (accountability)."""

from __future__ import annotations

from datetime import datetime

from charter.governance.domain.lifecycle import RequestStatus, TransitionRequest
from charter.inventory.domain import LifecycleStage
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
