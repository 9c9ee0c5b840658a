"""Use cases for policies and waivers, each audited (governed documents: documents.py)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from charter.governance.domain.gates import UNWAIVABLE
from charter.governance.domain.policy import Policy, PolicyRecord, Requirement
from charter.governance.domain.waivers import (
    Waiver,
    check_waiver_terms,
)
from charter.governance.ports import Context, UnitOfWork
from charter.governance.services.facts import (
    Standing,
    parsed,
    policies_in_force,
    standings,
    withheld,
)
from charter.inventory.domain import AISystem
from charter.kernel.access import Actor, ensure_member
from charter.kernel.context import record
from charter.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from charter.kernel.lookups import by_ids, hold, require
from charter.kernel.names import require_name
from charter.kernel.roles import RoleKind


def holding(actor: Actor, kinds: frozenset[RoleKind], system: AISystem | None) -> RoleKind:
    """The first of `kinds` the actor holds (on the system, or organisation-wide)."""
    for r in actor.roles:
        covers = r.covers(system.business_unit_id, system.id) if system else r.scope_id is None
        if r.role in kinds and covers:
            return r.role
    needed = ", ".join(sorted(k.value for k in kinds)) or "a role the decision rights name"
    where = f" for {system.name!r}" if system else " organisation-wide"
    raise Forbidden(
        f"{actor.label} needs one of: {needed}{where}",
        details={
            "roles": sorted(k.value for k in kinds),
            "business_unit_id": system.business_unit_id if system else None,
            "system_id": system.id if system else None,
        },
    )


def may_waive(ctx: Context, actor: Actor, system: AISystem) -> bool:
    """Whether the actor holds a role the decision rights name for waivers on the system."""
    return any(
        r.role in ctx.rights.waivers and r.covers(system.business_unit_id, system.id)
        for r in actor.roles
    )


def load_policies(
    ctx: Context, actor: Actor, items: Sequence[tuple[dict[str, Any], Policy]]
) -> list[PolicyRecord]:
    """Add or replace policies (already validated), all in one transaction; a policy whose
    content did not change is left as it is, unless it was changed outside Charter (its
    stored text no longer matches its recorded digest, or its row disagrees with the audit
    log): then it is stored again, in force, and the load audits what it replaced."""
    holding(actor, ctx.rights.policies, None)
    out = []
    with ctx.uow() as uow:
        off = {s.policy_id: s.off_record for s in standings(uow)}
        for raw, policy in items:
            found = uow.policies.get(policy.id)
            replaced = _replacing(found, off.get(policy.id))
            if found is not None and found.digest == policy.digest and not replaced:
                out.append(found)
                continue
            item = PolicyRecord(
                policy.id, policy.title, policy.digest, raw, True, ctx.clock(), actor.ref
            )
            (uow.policies.add if found is None else uow.policies.update)(item)
            record(
                ctx,
                uow,
                actor,
                "policy.loaded" if found is None else "policy.changed",
                "policy",
                policy.id,
                # as text: the audit log's canonical JSON takes no floats
                {
                    "digest": policy.digest,
                    "title": policy.title,
                    "source": json.dumps(raw, sort_keys=True),
                    **replaced,
                },
            )
            out.append(item)
        uow.commit()
    return out


def _replacing(found: PolicyRecord | None, off: str | None) -> dict[str, Any]:
    """What a load replaces that was changed outside Charter, for its audit event (empty:
    nothing): a stored text that does not match its digest, a row the audit log disagrees
    with (`off`, in the gates' words)."""
    edited = found is not None and withheld(found) is not None
    return {
        **({"replaces_edited_text": True} if edited else {}),
        **({"replaces_off_record": off} if off else {}),
    }


def set_enabled(ctx: Context, actor: Actor, policy_id: str, enabled: bool) -> PolicyRecord:
    holding(actor, ctx.rights.policies, None)
    with ctx.uow() as uow:
        found = require(uow.policies, "policy", policy_id)
        _on_record(uow, found)
        changed = replace(found, enabled=enabled)
        uow.policies.update(changed)
        action = "policy.enabled" if enabled else "policy.disabled"
        record(ctx, uow, actor, action, "policy", policy_id, {"digest": found.digest})
        uow.commit()
    return changed


def _on_record(uow: UnitOfWork, row: PolicyRecord) -> None:
    """Refuse to switch a policy whose stored version is not the one the audit log recorded
    (inserted, or rewritten outside Charter, even with a matching digest) or whose text does
    not match its digest: the switch's event would record the stored digest and so put that
    version on record. A row only switched on or off outside Charter may be switched back."""
    said = next((s.recorded for s in standings(uow) if s.policy_id == row.id), None)
    recorded = str((said.get("data") or {}).get("digest", "")) if said is not None else None
    if recorded != row.digest or withheld(row) is not None:
        raise Conflict(
            f"policy {row.id!r}: its stored version is not the one Charter recorded (changed "
            "outside Charter); load its file again to put it back on record, then switch it"
        )


def list_policies(ctx: Context, actor: Actor) -> list[PolicyRecord]:
    """The stored policies, as stored (`policy_standings` says whether each is enforced)."""
    ensure_member(actor)
    with ctx.uow() as uow:
        return sorted(uow.policies.all(), key=lambda p: p.id)


def policy_standings(ctx: Context, actor: Actor) -> list[Standing]:
    """Every stored policy, and every policy the audit log has in force that is no longer
    stored (deleted outside Charter), each with why it is not enforced as stored, if it is
    not: what the gates enforce, from the same reading."""
    ensure_member(actor)
    with ctx.uow().reading() as uow:
        return _reported(standings(uow))


def policy_standing(ctx: Context, actor: Actor, policy_id: str) -> Standing:
    """One policy as `policy_standings` reports it."""
    found = [s for s in policy_standings(ctx, actor) if s.policy_id == policy_id]
    if not found:
        raise NotFound("policy", policy_id)
    return found[0]


def _reported(found: list[Standing]) -> list[Standing]:
    """The stored policies, and those the stored policies lack but the audit log has in
    force (a policy disabled and then deleted is gone as far as gates are concerned)."""
    return [s for s in found if s.row is not None or s.off_record is not None]


def not_enforced_as_stored(ctx: Context) -> list[str]:
    """Why each policy (in force or not) is not enforced as stored: its text was changed
    outside Charter, or the stored policies disagree with the audit log about it (the
    operator's check, `charter doctor`)."""
    with ctx.uow().reading() as uow:
        found = standings(uow)
    return [why for s in found if (why := s.problem)]


def stored_requirement(uow: UnitOfWork, policy_id: str, requirement_id: str) -> Requirement:
    """A requirement of a stored policy (in force or not: a waiver may be granted before a
    policy is switched back on)."""
    record = uow.policies.get(policy_id)
    if record is None:
        raise NotFound("policy", policy_id)
    if why := withheld(record):
        raise Conflict(f"{why}: nothing of it may be waived")
    found = [r for r in parsed(record).requirements if r.id == requirement_id]
    if not found:
        raise NotFound(f"requirement of policy {policy_id!r}", requirement_id)
    return found[0]


def grant_waiver(
    ctx: Context,
    actor: Actor,
    system_id: str,
    policy_id: str,
    requirement_id: str,
    reason: str,
    measures: str,
    expires_at: datetime,
) -> Waiver:
    """A time-limited exception, granted only by the roles the decision rights name; on a
    system of a tier they name for four eyes, a waiver of a blocking requirement takes
    effect only once a second person confirms it (confirm_waiver)."""
    with ctx.uow() as uow:
        system = hold(uow.systems, "system", system_id)
        holding(actor, ctx.rights.waivers, system)
        waiver = add_waiver(
            ctx, uow, actor, system, (policy_id, requirement_id), reason, measures, expires_at,
            four_eyes=system.risk_tier in ctx.rights.second_person_tiers,
        )  # fmt: skip
        uow.commit()
    return waiver


def add_waiver(
    ctx: Context,
    uow: UnitOfWork,
    actor: Actor,
    system: AISystem,
    requirement: tuple[str, str],
    reason: str,
    measures: str,
    expires_at: datetime,
    extra: dict[str, Any] | None = None,
    four_eyes: bool = False,
) -> Waiver:
    """Store a waiver of (policy, requirement) and its audit event inside the caller's
    transaction; who may grant it is the caller's to check (a person, or a body's vote).
    With `four_eyes`, a waiver of a blocking requirement awaits a second person."""
    policy_id, requirement_id = requirement
    now = ctx.clock()
    check_waiver_terms(reason, measures, now, expires_at)
    waived = stored_requirement(uow, policy_id, requirement_id)
    if waived.kind in UNWAIVABLE:
        raise Forbidden(
            f"{policy_id}/{requirement_id} cannot be waived: a residual risk above appetite is "
            "accepted by a body whose remit covers risk acceptance, in a meeting with quorum"
        )
    needs_second = waived.blocking and four_eyes
    same = uow.waivers.all(system_id=system.id, policy_id=policy_id, requirement_id=requirement_id)
    live = [w for w in same if w.revoked_at is None and w.expires_at > now]
    if live:
        raise Conflict(
            f"{policy_id}/{requirement_id} is already waived for {system.name!r} until "
            f"{live[0].expires_at:%Y-%m-%d} (waiver {live[0].id}); revoke it to grant another"
        )
    if actor.person_id is None:
        raise InvalidInput("a waiver is granted by a person")
    waiver = Waiver(
        ctx.new_id("wv"), system.id, policy_id, requirement_id, reason.strip(), measures.strip(),
        actor.person_id, now, expires_at, needs_second=needs_second,
    )  # fmt: skip
    uow.waivers.add(waiver)
    record(
        ctx, uow, actor, "waiver.granted", "system", system.id,
        {
            "waiver": waiver.id, "policy": policy_id, "requirement": requirement_id,
            "reason": waiver.reason, "compensating_measures": waiver.compensating_measures,
            "expires_at": expires_at.isoformat(), "needs_second": needs_second,
            **(extra or {}),
        },
    )  # fmt: skip
    return waiver


def confirm_waiver(ctx: Context, actor: Actor, waiver_id: str) -> Waiver:
    """The second person confirms a waiver that awaits one: someone other than its granter,
    holding a role the decision rights name for waivers on the system."""
    with ctx.uow() as uow:
        system = hold(uow.systems, "system", require(uow.waivers, "waiver", waiver_id).system_id)
        waiver = require(uow.waivers, "waiver", waiver_id)
        holding(actor, ctx.rights.waivers, system)
        if not waiver.awaiting_second:
            raise Conflict(f"waiver {waiver_id} needs no second person, or has one")
        if waiver.revoked_at is not None or waiver.expires_at <= ctx.clock():
            raise Conflict(f"waiver {waiver_id} is revoked or expired")
        if actor.person_id in (None, waiver.granted_by):
            raise Forbidden(f"four eyes: {actor.label} granted waiver {waiver_id}; another "
                            "person must confirm it")  # fmt: skip
        confirmed = replace(waiver, second_by=actor.person_id, second_at=ctx.clock())
        uow.waivers.update(confirmed, when={"second_by": None})
        record(ctx, uow, actor, "waiver.confirmed", "system", system.id, {"waiver": waiver_id})
        uow.commit()
    return confirmed


def revoke_waiver(ctx: Context, actor: Actor, waiver_id: str, reason: str) -> Waiver:
    with ctx.uow() as uow:
        system = hold(uow.systems, "system", require(uow.waivers, "waiver", waiver_id).system_id)
        waiver = require(uow.waivers, "waiver", waiver_id)
        holding(actor, ctx.rights.waivers, system)
        if waiver.revoked_at is not None:
            raise Conflict(f"waiver {waiver_id} is already revoked")
        revoked = replace(waiver, revoked_at=ctx.clock())
        uow.waivers.update(revoked)
        record(
            ctx,
            uow,
            actor,
            "waiver.revoked",
            "system",
            system.id,
            {"waiver": waiver_id, "reason": require_name(reason, "reason", 4000)},
        )
        uow.commit()
    return revoked


def list_waivers(ctx: Context, actor: Actor, system_id: str | None = None) -> list[Waiver]:
    with ctx.uow().reading() as uow:
        return waivers_in(uow, actor, system_id)[0]


def waivers_in(
    uow: UnitOfWork, actor: Actor, system_id: str | None = None
) -> tuple[list[Waiver], dict[str, AISystem]]:
    """`list_waivers` in a unit of work the caller holds, with the waivers' systems."""
    found = uow.waivers.all(system_id=system_id) if system_id else uow.waivers.all()
    systems = by_ids(uow.systems, {w.system_id for w in found})
    visible = [
        w
        for w in found
        if any(r.covers(systems[w.system_id].business_unit_id, w.system_id) for r in actor.roles)
    ]
    return sorted(visible, key=lambda w: w.granted_at, reverse=True), systems


def citing(ctx: Context, actor: Actor) -> dict[str, list[str]]:
    """Framework requirement id -> the policy requirements in force that cite it."""
    ensure_member(actor)
    with ctx.uow() as uow:
        found = policies_in_force(uow)
    out: dict[str, list[str]] = {}
    for policy in found:
        for req in policy.requirements:
            for cite in req.cites:
                out.setdefault(cite, []).append(f"{policy.id}/{req.id}")
    return out
