"""Use cases for the AI inventory: systems, models and versions, datasets, vendors."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from charter.inventory.domain import (
    AISystem,
    Dataset,
    Model,
    ModelVersion,
    OperatorRole,
    RiskTier,
    Vendor,
    normalise_tags,
)
from charter.inventory.ports import Context, UnitOfWork
from charter.kernel import directory
from charter.kernel.access import Action, Actor, ensure, ensure_member, visible_scopes
from charter.kernel.context import record, snapshot
from charter.kernel.errors import Conflict, InvalidInput
from charter.kernel.lookups import (
    check_fields,
    ensure_unique,
    hold,
    optional_person_id,
    require,
    unit_id,
)
from charter.kernel.names import near_names, require_name
from charter.kernel.ports import Page
from charter.kernel.records import changes

SYSTEM_FIELDS = (
    "name",
    "purpose",
    "intended_use",
    "business_unit_id",
    "owner_id",
    "operator_role",
    "risk_tier",
    "deployment_context",
    "vendor_id",
    "tags",
)


NULLABLE_SYSTEM_FIELDS = frozenset({"owner_id", "vendor_id"})


def _resolve_refs(uow: UnitOfWork, system: AISystem) -> AISystem:
    """The system with its unit and owner named by id (given by id, e-mail or name)."""
    if system.vendor_id is not None:
        require(uow.vendors, "vendor", system.vendor_id)
    return replace(
        system,
        business_unit_id=unit_id(uow.units, system.business_unit_id),
        owner_id=optional_person_id(uow.people, system.owner_id),
    )


def _clean(system: AISystem) -> AISystem:
    return replace(
        system,
        name=require_name(system.name),
        purpose=require_name(system.purpose, "purpose", 4000),
        operator_role=OperatorRole(system.operator_role),
        risk_tier=RiskTier(system.risk_tier),
        tags=normalise_tags(system.tags),
    )


def _check_rights(
    actor: Actor, before: AISystem, after: AISystem, diff: dict[str, list[object]]
) -> None:
    """Descriptive fields need inventory rights (in both units when moved); the tier, classify."""
    if set(diff) - {"risk_tier"}:
        ensure(actor, Action.INVENTORY_WRITE, before.business_unit_id, before.id)
    if after.business_unit_id != before.business_unit_id:
        ensure(actor, Action.INVENTORY_WRITE, after.business_unit_id)
    if "risk_tier" in diff:
        ensure(actor, Action.RISK_CLASSIFY, before.business_unit_id, before.id)


@dataclass(frozen=True, slots=True)
class Registered:
    """A system just registered, and the systems whose names read almost as its name does
    (id, name): registered all the same, flagged for the person to check."""

    system: AISystem
    similar: tuple[tuple[str, str], ...] = ()


def register_system(ctx: Context, actor: Actor, **values: Any) -> Registered:
    """Register a system; it starts as proposed and unclassified unless a tier is given. A
    name another system holds, case and spacing aside, is refused; a near one is flagged."""
    check_fields("system", values, SYSTEM_FIELDS, NULLABLE_SYSTEM_FIELDS)
    missing = [f for f in ("name", "purpose", "business_unit_id") if not values.get(f)]
    if missing:
        raise InvalidInput(f"missing system field(s): {', '.join(missing)}")
    values.setdefault("owner_id", None)
    system = _clean(AISystem(id=ctx.new_id("sys"), **values))
    with ctx.uow() as uow:
        system = add_system(ctx, uow, actor, system)
        others = [(s.id, s.name) for s in uow.systems.all() if s.id != system.id]
        similar = near_names(system.name, others)
        uow.commit()
    return Registered(system, tuple(similar))


def add_system(ctx: Context, uow: UnitOfWork, actor: Actor, system: AISystem) -> AISystem:
    """Register a checked system inside the caller's transaction (also used by use cases
    that become systems); the system as stored, its unit and owner named by id."""
    system = _resolve_refs(uow, system)
    ensure(actor, Action.INVENTORY_WRITE, system.business_unit_id)
    if system.risk_tier is not RiskTier.UNCLASSIFIED:
        ensure(actor, Action.RISK_CLASSIFY, system.business_unit_id)
    ensure_unique(uow.systems, "system", "name", system.name)
    uow.systems.add(system)
    record(ctx, uow, actor, "system.registered", "system", system.id, snapshot(system))
    return system


def update_system(ctx: Context, actor: Actor, system_id: str, **values: Any) -> AISystem:
    """Change descriptive fields. The stage changes only through transitions."""
    hint = " (the stage changes by lifecycle transitions)" if "stage" in values else ""
    check_fields("system", values, SYSTEM_FIELDS, NULLABLE_SYSTEM_FIELDS, hint)
    with ctx.uow() as uow:
        before = hold(uow.systems, "system", system_id)
        ensure(actor, Action.READ, before.business_unit_id, system_id)
        after = _resolve_refs(uow, _clean(replace(before, **values)))
        diff = changes(before, after, SYSTEM_FIELDS)
        _check_rights(actor, before, after, diff)
        ensure_unique(uow.systems, "system", "name", after.name, except_id=system_id)
        if diff:
            uow.systems.update(after)
            record(ctx, uow, actor, "system.updated", "system", system_id, diff)
            uow.commit()
    return after


def register_vendor(
    ctx: Context, actor: Actor, name: str, website: str = "", contact: str = "", notes: str = ""
) -> Vendor:
    ensure(actor, Action.INVENTORY_WRITE)
    vendor = Vendor(
        ctx.new_id("ven"), require_name(name), website.strip(), contact.strip(), notes.strip()
    )
    with ctx.uow() as uow:
        ensure_unique(uow.vendors, "vendor", "name", vendor.name)
        uow.vendors.add(vendor)
        record(ctx, uow, actor, "vendor.registered", "vendor", vendor.id, snapshot(vendor))
        uow.commit()
    return vendor


def register_dataset(
    ctx: Context, actor: Actor, name: str, owner_id: str | None = None, **values: Any
) -> Dataset:
    ensure(actor, Action.INVENTORY_WRITE)
    check_fields("dataset", values, {f.name for f in fields(Dataset)} - {"id", "name", "owner_id"})
    with ctx.uow() as uow:
        owner = optional_person_id(uow.people, owner_id)
        dataset = Dataset(ctx.new_id("ds"), require_name(name), owner, **values)
        ensure_unique(uow.datasets, "dataset", "name", dataset.name)
        uow.datasets.add(dataset)
        record(ctx, uow, actor, "dataset.registered", "dataset", dataset.id, snapshot(dataset))
        uow.commit()
    return dataset


def register_model(
    ctx: Context, actor: Actor, name: str, system_id: str | None = None, description: str = ""
) -> Model:
    model = Model(ctx.new_id("mdl"), require_name(name), system_id, description.strip())
    with ctx.uow() as uow:
        if system_id is not None:
            system = require(uow.systems, "system", system_id)
            ensure(actor, Action.INVENTORY_WRITE, system.business_unit_id, system.id)
        else:
            ensure(actor, Action.INVENTORY_WRITE)
        ensure_unique(uow.models, "model", "name", model.name)
        uow.models.add(model)
        record(ctx, uow, actor, "model.registered", "model", model.id, snapshot(model))
        uow.commit()
    return model


def add_model_version(
    ctx: Context,
    actor: Actor,
    model_id: str,
    version: str,
    artifact_uri: str,
    framework: str = "",
    training_dataset_id: str | None = None,
) -> ModelVersion:
    item = ModelVersion(
        ctx.new_id("mv"),
        model_id,
        require_name(version, "version", 100),
        require_name(artifact_uri, "artifact_uri", 2000),
        framework.strip(),
        training_dataset_id,
        ctx.clock(),
    )
    with ctx.uow() as uow:
        model = require(uow.models, "model", model_id)
        system = uow.systems.get(model.system_id) if model.system_id else None
        ensure(
            actor,
            Action.INVENTORY_WRITE,
            system.business_unit_id if system else None,
            system.id if system else None,
        )
        if training_dataset_id is not None:
            require(uow.datasets, "dataset", training_dataset_id)
        if uow.model_versions.all(model_id=model_id, version=item.version):
            raise Conflict(f"model {model.name!r} already has version {item.version!r}")
        uow.model_versions.add(item)
        record(ctx, uow, actor, "model_version.added", "model", model_id, snapshot(item))
        uow.commit()
    return item


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


#: the inventory's directory collections, by the name the interfaces use
DIRECTORY: dict[str, directory.Listing] = {
    "vendors": ("vendor", lambda u: u.vendors),
    "datasets": ("dataset", lambda u: u.datasets),
    "models": ("model", lambda u: u.models),
    "model_versions": ("model version", lambda u: u.model_versions),
}


def names(ctx: Context, actor: Actor) -> dict[str, str]:
    """The names of people and business units by id (the directory any role holder reads),
    for tables that show names rather than ids."""
    return directory.names_in(ctx, actor, [lambda u: u.people, lambda u: u.units])


def list_directory(
    ctx: Context, actor: Actor, name: str, filters: Mapping[str, object] | None = None, **page: Any
) -> Page[Any]:
    return directory.list_in(ctx, actor, DIRECTORY[name], filters, **page)


def get_directory(ctx: Context, actor: Actor, name: str, ident: str) -> Any:
    return directory.get_in(ctx, actor, DIRECTORY[name], ident)
