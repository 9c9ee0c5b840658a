"""Risk acceptance by a body: carried out when the body's decision (charter.bodies) settles,
in the same transaction as the last vote cast, after the body's quorum, required functions
and remit were checked there; checked already when the motion is put. An acceptance is
time-limited, states its conditions, and covers the residual rating accepted, not a worse
one; a body may also revoke it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from charter.kernel.access import Actor
from charter.kernel.context import record, snapshot
from charter.kernel.errors import Conflict, Forbidden, InvalidInput
from charter.kernel.lookups import require
from charter.risks.domain.register import Risk, RiskStatus
from charter.risks.domain.standing import Acceptance, Position, Standing, check_acceptance_terms
from charter.risks.ports import Context, UnitOfWork
from charter.risks.services.register import hold_risk
from charter.risks.services.standing import Register

OUTCOMES = ("accept", "revoke")


def _terms(terms: Mapping[str, Any] | None) -> tuple[str, datetime]:
    given = dict(terms or {})
    conditions, expires = str(given.get("conditions") or ""), given.get("expires_at")
    if not isinstance(expires, datetime):
        raise InvalidInput(
            "a risk acceptance needs its conditions and expires_at (a date and time)"
        )
    return conditions, expires


def _checked(
    ctx: Context, uow: UnitOfWork, body_id: str, risk: Risk, terms: Mapping[str, Any] | None
) -> tuple[str, datetime, Position]:
    """The acceptance's conditions, expiry and the risk as it stands now: refused for a risk
    closed, within appetite (nothing to accept), overseen by another body, or already
    accepted."""
    conditions, expires = _terms(terms)
    now = ctx.clock()
    check_acceptance_terms(conditions, now, expires)
    if risk.status is RiskStatus.CLOSED:
        raise Conflict(f"risk {risk.id} is closed")
    if risk.body_id and risk.body_id != body_id:
        name = require(uow.bodies, "body", risk.body_id).name
        raise Forbidden(f"risk {risk.id} is overseen by {name}: only that body may accept it")
    [now_at] = Register(uow, ctx.risk_model).judge([risk], now)
    if now_at.standing is Standing.ACCEPTED and now_at.acceptance is not None:
        raise Conflict(
            f"risk {risk.id} is already accepted until {now_at.acceptance.expires_at:%Y-%m-%d}"
        )
    if now_at.standing is not Standing.ABOVE:
        raise Conflict(
            f"risk {risk.id} is {now_at.standing.value} appetite: there is nothing to accept"
        )
    return conditions, expires, now_at


def check_accept(
    ctx: Context, uow: UnitOfWork, body_id: str, risk_id: str, terms: Mapping[str, Any] | None
) -> None:
    """Whether the body could accept the risk now (a motion to accept it fails early, when
    it is put, not only when its votes are cast)."""
    _checked(ctx, uow, body_id, require(uow.risks, "risk", risk_id), terms)


def accept_within(
    ctx: Context,
    uow: UnitOfWork,
    recorder: Actor,
    body_id: str,
    risk_id: str,
    terms: Mapping[str, Any] | None,
    decision_id: str,
) -> Acceptance:
    """The body accepts the risk's residual rating as it stands now, until a date, on
    conditions (see _checked for what is refused)."""
    risk = hold_risk(uow, risk_id)
    conditions, expires, now_at = _checked(ctx, uow, body_id, risk, terms)
    if recorder.person_id is None:
        raise InvalidInput("an acceptance is recorded by a person")
    now = ctx.clock()
    accepted = Acceptance(
        ctx.new_id("acc"), risk_id, body_id, decision_id, conditions.strip()[:4000],
        now_at.residual.score, now_at.residual_band, now, expires, recorder.person_id,
        risk.system_id,
    )  # fmt: skip
    uow.risk_acceptances.add(accepted)
    record(ctx, uow, recorder, "risk.accepted", "risk", risk_id, snapshot(accepted))
    return accepted


def check_revoke(uow: UnitOfWork, body_id: str, risk_id: str, now: datetime) -> list[Acceptance]:
    """The body's active acceptances of the risk, which a revocation ends: refused when there
    is none, or only another body's."""
    require(uow.risks, "risk", risk_id)
    live = [a for a in uow.risk_acceptances.all(risk_id=risk_id) if a.active(now)]
    if not live:
        raise Conflict(f"risk {risk_id} has no active acceptance to revoke")
    mine = [a for a in live if a.body_id == body_id]
    if not mine:
        raise Forbidden("only the body that accepted a risk may revoke its acceptance")
    return mine


def revoke_within(
    ctx: Context, uow: UnitOfWork, recorder: Actor, body_id: str, risk_id: str, decision_id: str
) -> Acceptance:
    """The body ends its active acceptances of the risk before they lapse."""
    hold_risk(uow, risk_id)
    now = ctx.clock()
    revoked: list[Acceptance] = []
    for found in check_revoke(uow, body_id, risk_id, now):
        revoked.append(replace(found, revoked_at=now, revoked_by_decision=decision_id))
        uow.risk_acceptances.update(revoked[-1], when={"revoked_at": None})
        data = {"acceptance": found.id, "body_decision": decision_id}
        record(ctx, uow, recorder, "risk.acceptance_revoked", "risk", risk_id, data)
    return revoked[-1]
