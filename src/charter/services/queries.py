"""Read use cases: lists with filters and pages, and single records, permission-checked."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from charter.domain.access import Action, Actor, allowed, ensure, ensure_member, visible_scopes
from charter.domain.inventory import AISystem, Model
from charter.domain.lifecycle import RequestStatus, TransitionRequest
from charter.domain.rights import DecisionRight
from charter.services.context import Context
from charter.services.lookups import require
from charter.services.ports import Page, Repository, UnitOfWork

T = TypeVar("T")

#: Directory collections any role holder may read, by the name the interfaces use.
DIRECTORY: dict[str, tuple[str, Callable[[UnitOfWork], Repository[Any]]]] = {
    "business_units": ("business unit", lambda u: u.units),
    "people": ("person", lambda u: u.people),
    "role_assignments": ("role assignment", lambda u: u.roles),
    "vendors": ("vendor", lambda u: u.vendors),
    "datasets": ("dataset", lambda u: u.datasets),
    "models": ("model", lambda u: u.models),
    "model_versions": ("model version", lambda u: u.model_versions),
}


def list_directory(
    ctx: Context,
    actor: Actor,
    collection: str,
    filters: Mapping[str, object] | None = None,
    *,
    search: str | None = None,
    limit: int = 50,
    offset: int = 0,
    order: str | None = None,
) -> Page[Any]:
    ensure_member(actor)
    _, repo = DIRECTORY[collection]
    with ctx.uow() as uow:
        return repo(uow).find(filters, search=search, limit=limit, offset=offset, order=order)


def get_directory(ctx: Context, actor: Actor, collection: str, ident: str) -> Any:
    ensure_member(actor)
    kind, repo = DIRECTORY[collection]
    with ctx.uow() as uow:
        return require(repo(uow), kind, ident)


def list_systems(
    ctx: Context,
    actor: Actor,
    filters: Mapping[str, object] | None = None,
    *,
    search: str | None = None,
    limit: int = 50,
    offset: int = 0,
    order: str | None = None,
) -> Page[AISystem]:
    """Systems the actor may read, filtered and paged in the database."""
    ensure_member(actor)
    with ctx.uow() as uow:
        return uow.systems.find(
            filters,
            search=search,
            limit=limit,
            offset=offset,
            order=order,
            any_of=visible_scopes(actor),
        )


def get_system(ctx: Context, actor: Actor, system_id: str) -> AISystem:
    with ctx.uow() as uow:
        system = require(uow.systems, "system", system_id)
    ensure(actor, Action.READ, system.business_unit_id, system.id)
    return system


def get_model(ctx: Context, actor: Actor, model_id: str) -> Model:
    ensure_member(actor)
    with ctx.uow() as uow:
        model = require(uow.models, "model", model_id)
        system = uow.systems.get(model.system_id) if model.system_id else None
    if system is not None:
        ensure(actor, Action.READ, system.business_unit_id, system.id)
    return model


def system_transitions(ctx: Context, actor: Actor, system_id: str) -> list[TransitionRequest]:
    get_system(ctx, actor, system_id)
    with ctx.uow() as uow:
        return uow.requests.find({"system_id": system_id}, order="-requested_at").items


def list_tokens(ctx: Context, actor: Actor, person_id: str | None = None) -> list[Any]:
    ensure(actor, Action.TOKEN_MANAGE)
    with ctx.uow() as uow:
        filters = {"person_id": person_id} if person_id else {}
        return uow.tokens.find(filters, order="created_at").items


def decision_rights(ctx: Context, actor: Actor) -> list[DecisionRight]:
    ensure_member(actor)
    return list(ctx.rights.rights)


def pending_requests(
    ctx: Context, actor: Actor, system_id: str | None = None
) -> list[TransitionRequest]:
    """Transition requests awaiting decision on systems the actor may read, oldest first."""
    ensure_member(actor)
    with ctx.uow() as uow:
        systems = {s.id: s for s in uow.systems.all()}
        found = uow.requests.all(status=RequestStatus.PENDING)
    visible = [
        r
        for r in found
        if (system_id is None or r.system_id == system_id)
        and allowed(actor, Action.READ, systems[r.system_id].business_unit_id, r.system_id)
    ]
    return sorted(visible, key=lambda r: r.requested_at)
