"""Discovery proposals: what a scan found, matched against the inventory, kept as proposals
that a person accepts (the record is created through the inventory's own use case) or
dismisses. Nothing enters the inventory without a person's acceptance."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, replace
from typing import Any

from charter.integrations.domain.discovery import Catalogue, Draft, Finding, Known, propose
from charter.integrations.domain.records import DiscoveryScan, Proposal, ProposalStatus
from charter.integrations.ports import Context, UnitOfWork
from charter.inventory import services as inventory
from charter.inventory.domain import AISystem, Model, Vendor
from charter.kernel.access import Action, Actor, ensure, ensure_member
from charter.kernel.context import record
from charter.kernel.errors import Conflict, InvalidInput
from charter.kernel.lookups import require


def _known(uow: UnitOfWork) -> Known:
    return Known(
        {s.name.lower(): s.id for s in uow.systems.all()},
        {v.name.lower(): v.id for v in uow.vendors.all()},
        {m.name.lower(): m.id for m in uow.models.all()},
    )


def draft_proposals(
    ctx: Context, actor: Actor, root: str, findings: list[Finding], cat: Catalogue
) -> list[Draft]:
    """What a scan would propose, matched against the inventory; writes nothing."""
    ensure_member(actor)
    with ctx.uow() as uow:
        return propose(root, findings, cat, _known(uow))


def record_scan(
    ctx: Context, actor: Actor, root: str, files: int, findings: list[Finding], cat: Catalogue
) -> tuple[DiscoveryScan, list[Proposal]]:
    """Keep a scan and its proposals for a person to accept or dismiss."""
    ensure(actor, Action.INVENTORY_WRITE)
    scan = DiscoveryScan(ctx.new_id("scan"), root[:200], ctx.clock(), actor.ref, files,
                         tuple(asdict(f) for f in findings[:5000]))  # fmt: skip
    with ctx.uow() as uow:
        drafts = propose(root, findings, cat, _known(uow))
        uow.discovery_scans.add(scan)
        made = [Proposal(ctx.new_id("prop"), scan.id, d.kind, d.name[:200], dict(d.fields),
                         dict(d.found), match_id=d.match_id) for d in drafts]  # fmt: skip
        for p in made:
            uow.proposals.add(p)
        data = {"root": scan.root, "files": files, "findings": len(findings),
                "proposals": [[p.kind, p.name] for p in made]}  # fmt: skip
        record(ctx, uow, actor, "discovery.scanned", "discovery_scan", scan.id, data)
        uow.commit()
    return scan, made


def proposals(ctx: Context, actor: Actor, status: str | None = "open") -> list[Proposal]:
    ensure_member(actor)
    with ctx.uow() as uow:
        found = uow.proposals.all(**({"status": ProposalStatus(status)} if status else {}))
    return sorted(found, key=lambda p: (p.scan_id, p.kind, p.name))


def _create(
    ctx: Context, uow: UnitOfWork, actor: Actor, p: Proposal, given: Mapping[str, Any]
) -> str:
    values = {**p.fields, **{k: v for k, v in given.items() if v not in (None, "")}}
    if p.kind == "vendor":
        return inventory.add_vendor(ctx, uow, actor, Vendor(ctx.new_id("ven"), p.name)).id
    if p.kind == "model":
        what = f"{values.get('format', 'model')} file {values.get('artifact_uri', '')}"
        model = Model(ctx.new_id("mdl"), p.name, values.get("system_id"), what)
        return inventory.add_model(ctx, uow, actor, model).id
    if not values.get("business_unit_id"):
        raise InvalidInput("to register the system, give its business_unit_id",
                           details={"field": "business_unit_id"})  # fmt: skip
    system = inventory.clean_system(AISystem(
        ctx.new_id("sys"), p.name, str(values["purpose"]), str(values["business_unit_id"]),
        values.get("owner_id"), tags=tuple(values.get("tags", ()))))  # fmt: skip
    inventory.add_system(ctx, uow, actor, system)
    return system.id


def accept(
    ctx: Context, actor: Actor, proposal_id: str, given: Mapping[str, Any] | None = None
) -> Proposal:
    """Accept a proposal: the record is created through the inventory's use case (a system
    needs its business unit, and may take a purpose and owner); a proposal that matches an
    existing record is accepted as that record, and nothing is created."""
    with ctx.uow() as uow:
        p = require(uow.proposals, "proposal", proposal_id)
        if p.status is not ProposalStatus.OPEN:
            raise Conflict(f"proposal {proposal_id} is already {p.status.value}")
        created = p.match_id or _create(ctx, uow, actor, p, given or {})
        if p.match_id:
            ensure(actor, Action.INVENTORY_WRITE)
        after = replace(p, status=ProposalStatus.ACCEPTED, decided_at=ctx.clock(),
                        decided_by=actor.ref, created_id=created)  # fmt: skip
        uow.proposals.update(after, when={"status": ProposalStatus.OPEN})
        data = {"kind": p.kind, "name": p.name, "record": created, "matched": bool(p.match_id)}
        record(ctx, uow, actor, "discovery.accepted", "proposal", p.id, data)
        uow.commit()
    return after


def dismiss(ctx: Context, actor: Actor, proposal_id: str) -> Proposal:
    ensure(actor, Action.INVENTORY_WRITE)
    with ctx.uow() as uow:
        p = require(uow.proposals, "proposal", proposal_id)
        if p.status is not ProposalStatus.OPEN:
            raise Conflict(f"proposal {proposal_id} is already {p.status.value}")
        after = replace(p, status=ProposalStatus.DISMISSED, decided_at=ctx.clock(),
                        decided_by=actor.ref)  # fmt: skip
        uow.proposals.update(after, when={"status": ProposalStatus.OPEN})
        record(ctx, uow, actor, "discovery.dismissed", "proposal", p.id, {"name": p.name})
        uow.commit()
    return after
