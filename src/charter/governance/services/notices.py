"""What governance tells people, written in the transaction of the change: an approval
requested of them, a gate that passed, blocked or was refused."""

from __future__ import annotations

from charter.accountability.domain.raci import DEPLOYMENT_STAGES
from charter.accountability.services.raci import builders_of
from charter.governance.domain.lifecycle import (
    Decision,
    GateResult,
    RequestStatus,
    TransitionRequest,
    right_for,
)
from charter.governance.ports import Context, UnitOfWork
from charter.inventory.domain import AISystem
from charter.kernel.verdicts import PASSING
from charter.notifications.services import notify


def _about(system: AISystem, request: TransitionRequest) -> dict[str, object]:
    return {
        "system_id": system.id,
        "system": system.name,
        "request": request.id,
        "from": request.source.value,
        "to": request.target.value,
    }


def approvers(
    ctx: Context, uow: UnitOfWork, system: AISystem, request: TransitionRequest
) -> list[str]:
    """Who may fill an approval the request still waits for (not its requester, nor a builder
    of the system for a deployment)."""
    right = right_for(ctx.rights, system, request.target)
    given = {a.slot for a in uow.approvals.all(request_id=request.id)}
    kinds = {k for slot in right.approvals if slot.label not in given for k in slot.any_of}
    barred = {request.requested_by}
    if request.target in DEPLOYMENT_STAGES:
        barred |= builders_of(uow, system.id)
    return sorted(
        {
            r.person_id
            for r in uow.roles.all()
            if r.role in kinds
            and r.covers(system.business_unit_id, system.id)
            and r.person_id not in barred
        }
    )


def announce(
    ctx: Context,
    uow: UnitOfWork,
    system: AISystem,
    request: TransitionRequest,
    result: GateResult,
    decision: Decision | None = None,
) -> None:
    """Tell those concerned where a request stands after a request, decision or recheck."""
    about, people = _about(system, request), [request.requested_by, system.owner_id]
    move = f"{system.name}: {request.source.value} → {request.target.value}"
    if request.status is RequestStatus.APPLIED:
        notify(
            ctx, uow, "gate.passed", ("system", system.id), f"{move} passed its gate", people, about
        )
    elif request.status is RequestStatus.REFUSED:
        notify(
            ctx, uow, "gate.refused", ("system", system.id), f"{move} was refused", people, about
        )
    elif decision is None:
        wanted = approvers(ctx, uow, system, request)
        if wanted:
            notify(
                ctx,
                uow,
                "approval.requested",
                ("request", request.id),
                f"{move} awaits your approval",
                wanted,
                {**about, "reason": request.reason},
            )
        blocking = [
            r.reason
            for r in result.results
            if r.blocking and r.verdict not in PASSING and not r.condition.startswith("approval:")
        ]
        if blocking:
            notify(
                ctx,
                uow,
                "gate.blocked",
                ("system", system.id),
                f"{move} is blocked",
                people,
                {**about, "blocking": "; ".join(blocking[:5])},
            )
