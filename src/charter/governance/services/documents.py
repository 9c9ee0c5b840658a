"""Use cases for governed documents, each audited: attach (superseding an earlier one of
the same kind), approve in a role a policy in force asks for, list; and the vocabulary of
kinds policies use."""

from __future__ import annotations

from dataclasses import replace

from charter.governance.domain.waivers import Document, check_document_kind
from charter.governance.files import document_kinds
from charter.governance.ports import Context, UnitOfWork
from charter.governance.services.gates import parsed, policies_in_force
from charter.governance.services.policies import holding
from charter.inventory.domain import AISystem
from charter.kernel.access import Action, Actor, ensure, ensure_member
from charter.kernel.context import record
from charter.kernel.errors import Conflict, Forbidden, InvalidInput
from charter.kernel.lookups import hold, require
from charter.kernel.names import require_name
from charter.kernel.roles import RoleKind


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
        for requirement in parsed(record).requirements
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
        holding(actor, frozenset({RoleKind(role)}), system)
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
