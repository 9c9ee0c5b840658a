"""Reads of the AI inventory: systems, models, the directory collections, and the names
people read in place of ids."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from charter.inventory.domain import AISystem, Model
from charter.inventory.ports import Context
from charter.kernel import directory
from charter.kernel.access import Action, Actor, ensure, ensure_member, visible_scopes
from charter.kernel.lookups import require
from charter.kernel.paging import PAGE, every
from charter.kernel.ports import Page
from charter.kernel.visibility import visibility


def list_systems(
    ctx: Context,
    actor: Actor,
    filters: Mapping[str, object] | None = None,
    *,
    search: str | None = None,
    named: str | None = None,
    limit: int = 50,
    offset: int = 0,
    order: str | None = None,
) -> Page[AISystem]:
    """Systems the actor may read, filtered and paged in the database (`named`: those of
    that name, case aside)."""
    ensure_member(actor)
    with ctx.uow().reading() as uow:
        return uow.systems.find(
            filters,
            search=search,
            named=named,
            limit=limit,
            offset=offset,
            order=order,
            any_of=visible_scopes(actor),
        )


def all_systems(
    ctx: Context,
    actor: Actor,
    filters: Mapping[str, object] | None = None,
    *,
    search: str | None = None,
    order: str | None = None,
) -> list[AISystem]:
    """Every system the actor may read (for a choice among them), read page by page in one
    transaction: never only the first page."""
    ensure_member(actor)
    with ctx.uow().reading() as uow:
        return every(
            lambda offset: uow.systems.find(
                filters,
                search=search,
                limit=PAGE,
                offset=offset,
                order=order,
                any_of=visible_scopes(actor),
            )
        )


def system_names(ctx: Context, actor: Actor, ids: Collection[str]) -> dict[str, str]:
    """The names of exactly these systems, by id: only those the actor may read (the others
    stay unnamed, as if unknown)."""
    ensure_member(actor)
    wanted = frozenset(i for i in ids if i)
    if not wanted:
        return {}
    with ctx.uow().reading() as uow:
        return {
            s.id: s.name
            for s in uow.systems.find({"id": wanted}, any_of=visible_scopes(actor)).items
        }


def systems_per_unit(ctx: Context, actor: Actor, unit_ids: Collection[str]) -> dict[str, int]:
    """How many systems the actor may read each of these business units owns, counted in
    the database in one grouped query (not by listing them)."""
    ensure_member(actor)
    units = frozenset(unit_ids)
    if not units:
        return {}
    with ctx.uow().reading() as uow:
        found = uow.systems.count_by(
            "business_unit_id", {"business_unit_id": units}, any_of=visible_scopes(actor)
        )
    return {u: found.get(u, 0) for u in units}


def get_system(ctx: Context, actor: Actor, system_id: str) -> AISystem:
    with ctx.uow().reading() as uow:
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


#: the inventory's directory collections, by the name the interfaces use
DIRECTORY: dict[str, directory.Listing] = {
    "vendors": ("vendor", lambda u: u.vendors),
    "datasets": ("dataset", lambda u: u.datasets),
    "models": ("model", lambda u: u.models),
    "model_versions": ("model version", lambda u: u.model_versions),
}


def names(ctx: Context, actor: Actor) -> dict[str, str]:
    """What people call the records tables name by id: people and business units (the
    directory any role holder reads) and the systems this reader may read."""
    named = directory.names_in(ctx, actor, [lambda u: u.people, lambda u: u.units])
    with ctx.uow() as uow:
        seen = visibility(actor).scopes
        systems = uow.systems.all() if seen is None else uow.systems.find(any_of=seen).items
    return named | {s.id: s.name for s in systems}


def list_directory(
    ctx: Context, actor: Actor, name: str, filters: Mapping[str, object] | None = None, **page: Any
) -> Page[Any]:
    """A page of a directory collection; models (and their versions) only of the systems the
    reader may read, or of none."""
    return directory.list_in(
        ctx, actor, DIRECTORY[name], filters, **page, any_of=_models_seen(ctx, actor, name)
    )


def all_in_directory(
    ctx: Context, actor: Actor, name: str, filters: Mapping[str, object] | None = None, **how: Any
) -> list[Any]:
    """Every record of a directory collection the filters match, not only a first page."""
    return directory.all_in(
        ctx, actor, DIRECTORY[name], filters, **how, any_of=_models_seen(ctx, actor, name)
    )


def _models_seen(ctx: Context, actor: Actor, name: str) -> dict[str, frozenset[str | None]] | None:
    if name not in ("models", "model_versions"):
        return None
    with ctx.uow() as uow:
        systems = visibility(actor).system_ids(uow.systems)
        if systems is None:
            return None
        seen: frozenset[str | None] = frozenset({None, *systems})
        if name == "models":
            return {"system_id": seen}
        models = uow.models.find(any_of={"system_id": seen}).items
        return {"model_id": frozenset(m.id for m in models)}


def get_directory(ctx: Context, actor: Actor, name: str, ident: str) -> Any:
    return directory.get_in(ctx, actor, DIRECTORY[name], ident)
