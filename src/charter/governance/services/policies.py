"""Use cases for policies, waivers and governed documents, each audited."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from charter.governance.domain.gates import UNWAIVABLE
from charter.governance.domain.policy import Policy, PolicyRecord, Requirement, parse_policy
from charter.governance.domain.waivers import (
    Document,
    Waiver,
    check_document_kind,
    check_waiver_terms,
)
from charter.governance.files import document_kinds
from charter.governance.ports import Context, UnitOfWork
from charter.governance.services.gates import parsed, policies_in_force
from charter.inventory.domain import AISystem
from charter.kernel.access import Action, Actor, ensure, ensure_member
from charter.kernel.context import record
from charter.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from charter.kernel.lookups import hold, require
from charter.kernel.names import require_name
from charter.kernel.roles import RoleKind


def _holding(actor: Actor, kinds: frozenset[RoleKind], system: AISystem | None) -> RoleKind:
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
    content did not change is left as it is."""
    _holding(actor, ctx.rights.policies, None)
    out = []
    with ctx.uow() as uow:
        for raw, policy in items:
            found = uow.policies.get(policy.id)
            if found is not None and found.digest == policy.digest:
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
                },
            )
            out.append(item)
        uow.commit()
    return out


def set_enabled(ctx: Context, actor: Actor, policy_id: str, enabled: bool) -> PolicyRecord:
    _holding(actor, ctx.rights.policies, None)
    with ctx.uow() as uow:
        found = require(uow.policies, "policy", policy_id)
        changed = replace(found, enabled=enabled)
        uow.policies.update(changed)
        action = "policy.enabled" if enabled else "policy.disabled"
        record(ctx, uow, actor, action, "policy", policy_id, {"digest": found.digest})
        uow.commit()
    return changed


def list_policies(ctx: Context, actor: Actor) -> list[PolicyRecord]:
    ensure_member(actor)
    with ctx.uow() as uow:
        return sorted(uow.policies.all(), key=lambda p: p.id)


def get_policy(ctx: Context, actor: Actor, policy_id: str) -> PolicyRecord:
    ensure_member(actor)
    with ctx.uow() as uow:
        return require(uow.policies, "policy", policy_id)


def stored_requirement(uow: UnitOfWork, policy_id: str, requirement_id: str) -> Requirement:
    """A requirement of a stored policy (in force or not: a waiver may be granted before a
    policy is switched back on)."""
    record = uow.policies.get(policy_id)
    if record is None:
        raise NotFound("policy", policy_id)
    found = [r for r in parse_policy(record.source).requirements if r.id == requirement_id]
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
        _holding(actor, ctx.rights.waivers, system)
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
        _holding(actor, ctx.rights.waivers, system)
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
        _holding(actor, ctx.rights.waivers, system)
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
    with ctx.uow() as uow:
        systems = {s.id: s for s in uow.systems.all()}
        found = uow.waivers.all(system_id=system_id) if system_id else uow.waivers.all()
    visible = [
        w
        for w in found
        if any(r.covers(systems[w.system_id].business_unit_id, w.system_id) for r in actor.roles)
    ]
    return sorted(visible, key=lambda w: w.granted_at, reverse=True)


def _known_kinds(uow: UnitOfWork) -> dict[str, str]:
    """Document kinds by id, with their titles: Charter's vocabulary and what stored
    policies add to it."""
    out = {k: v["title"] for k, v in document_kinds().items()}
    for stored in uow.policies.all():
        for kind, title in parsed(stored).document_kinds.items():
            out.setdefault(kind, title)
    return out


def list_document_kinds(ctx: Context, actor: Actor) -> dict[str, str]:
    ensure_member(actor)
    with ctx.uow() as uow:
        return dict(sorted(_known_kinds(uow).items()))


def attach_document(
    ctx: Context,
    actor: Actor,
    system_id: str,
    kind: str,
    title: str,
    uri: str,
    supersedes: str | None = None,
) -> Document:
    """Attach a document of a known kind; with `supersedes`, it replaces an earlier one of
    the same kind on the same system, which no longer counts (its approval neither)."""
    with ctx.uow() as uow:
        system = hold(uow.systems, "system", system_id)
        doc = attach_within(ctx, uow, actor, system, kind, title, uri, supersedes)
        uow.commit()
    return doc


def attach_within(
    ctx: Context,
    uow: UnitOfWork,
    actor: Actor,
    system: AISystem,
    kind: str,
    title: str,
    uri: str,
    supersedes: str | None = None,
) -> Document:
    """Attach a document inside the caller's transaction, the system held (an issued report
    attaches itself)."""
    ensure(actor, Action.EVIDENCE_RECORD, system.business_unit_id, system.id)
    if actor.person_id is None:
        raise InvalidInput("a document is attached by a person")
    known = _known_kinds(uow)
    doc = Document(
        ctx.new_id("doc"),
        system.id,
        check_document_kind(require_name(kind, "kind", 100).lower(), known),
        require_name(title, "title", 300),
        require_name(uri, "uri", 2000),
        actor.person_id,
        ctx.clock(),
    )
    uow.documents.add(doc)
    data = {"document": doc.id, "kind": doc.kind, "title": doc.title, "uri": doc.uri}
    if supersedes is not None:
        data["supersedes"] = _supersede(uow, doc, supersedes)
    record(ctx, uow, actor, "document.attached", "system", system.id, data)
    return doc


def _supersede(uow: UnitOfWork, doc: Document, old_id: str) -> str:
    old = require(uow.documents, "document", old_id)
    if old.system_id != doc.system_id or old.kind != doc.kind:
        raise InvalidInput(
            f"document {old_id} is not a {doc.kind} of this system: it cannot be superseded "
            "by this one",
            details={"field": "supersedes"},
        )
    if old.superseded_by is not None:
        raise Conflict(f"document {old_id} is already superseded by {old.superseded_by}")
    gone = replace(old, superseded_by=doc.id, superseded_at=doc.attached_at)
    uow.documents.update(gone, when={"superseded_by": None})
    return old_id


def asked_roles(uow: UnitOfWork, kind: str) -> frozenset[RoleKind]:
    """The roles that policies in force ask to approve documents of this kind."""
    return frozenset(
        role
        for record in uow.policies.all(enabled=True)
        for requirement in parse_policy(record.source).requirements
        if requirement.document == kind
        for role in requirement.roles
    )


def asked_document_kinds(ctx: Context, actor: Actor) -> dict[str, frozenset[RoleKind]]:
    """The kinds of document the policies in force ask for, and the roles asked to approve
    each: the vocabulary the attach and approve forms offer (policies parsed once, cached)."""
    ensure_member(actor)
    with ctx.uow() as uow:
        in_force = policies_in_force(uow)
    kinds: dict[str, set[RoleKind]] = {}
    for policy in in_force:
        for requirement in policy.requirements:
            if requirement.document:
                kinds.setdefault(requirement.document, set()).update(requirement.roles)
    return {kind: frozenset(roles) for kind, roles in sorted(kinds.items())}


def approve_document(ctx: Context, actor: Actor, document_id: str, role: RoleKind) -> Document:
    """Approve a document in a role some policy in force asks for documents of its kind, and
    that the approver holds on its system; the person who attached it may not approve it."""
    with ctx.uow() as uow:
        system = hold(
            uow.systems, "system", require(uow.documents, "document", document_id).system_id
        )
        doc = require(uow.documents, "document", document_id)
        asked = asked_roles(uow, doc.kind)
        if RoleKind(role) not in asked:
            named = ", ".join(sorted(r.value for r in asked)) or "none"
            raise InvalidInput(
                f"no policy in force asks for a {doc.kind} approved by a {RoleKind(role).value} "
                f"(roles asked for: {named})",
                details={"field": "role"},
            )
        _holding(actor, frozenset({RoleKind(role)}), system)
        if actor.person_id == doc.attached_by:
            raise Forbidden("segregation of duties: who attached a document may not approve it")
        if doc.approved_at is not None:
            raise Conflict(f"document {document_id} is already approved")
        if doc.superseded_by is not None:
            raise Conflict(f"document {document_id} is superseded by {doc.superseded_by}")
        approved = replace(
            doc, approved_by=actor.person_id, approved_role=RoleKind(role), approved_at=ctx.clock()
        )
        uow.documents.update(approved, when={"approved_at": None})
        record(
            ctx,
            uow,
            actor,
            "document.approved",
            "system",
            system.id,
            {"document": document_id, "role": RoleKind(role).value},
        )
        uow.commit()
    return approved


def list_documents(ctx: Context, actor: Actor, system_id: str) -> list[Document]:
    with ctx.uow() as uow:
        system = require(uow.systems, "system", system_id)
        ensure(actor, Action.READ, system.business_unit_id, system.id)
        return sorted(
            uow.documents.all(system_id=system_id), key=lambda d: d.attached_at, reverse=True
        )


def citing(ctx: Context, actor: Actor) -> dict[str, list[str]]:
    """Framework requirement id -> the policy requirements in force that cite it."""
    ensure_member(actor)
    with ctx.uow() as uow:
        found = [parse_policy(r.source) for r in uow.policies.all(enabled=True)]
    out: dict[str, list[str]] = {}
    for policy in found:
        for req in policy.requirements:
            for cite in req.cites:
                out.setdefault(cite, []).append(f"{policy.id}/{req.id}")
    return out
