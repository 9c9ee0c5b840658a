"""Use cases that change the AI inventory's models and their versions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from charter.inventory.domain import Model, ModelVersion
from charter.inventory.ports import Context, UnitOfWork
from charter.kernel.access import Action, Actor, ensure
from charter.kernel.context import record, snapshot
from charter.kernel.errors import Conflict
from charter.kernel.lookups import check_fields, ensure_unique, hold, require
from charter.kernel.names import require_name
from charter.kernel.records import changes


def register_model(
    ctx: Context,
    actor: Actor,
    name: str,
    system_id: str | None = None,
    description: str = "",
    vendor_id: str | None = None,
) -> Model:
    model = Model(ctx.new_id("mdl"), name, system_id, description, vendor_id)
    with ctx.uow() as uow:
        model = add_model(ctx, uow, actor, model)
        uow.commit()
    return model


MODEL_FIELDS = ("name", "system_id", "description", "vendor_id")


def _model_rights(uow: UnitOfWork, actor: Actor, model: Model) -> Model:
    """The model cleaned, its references checked, and the actor's right to write it (in its
    system's scope when it has one)."""
    model = replace(model, name=require_name(model.name), description=model.description.strip())
    if model.system_id is not None:
        system = require(uow.systems, "system", model.system_id)
        ensure(actor, Action.INVENTORY_WRITE, system.business_unit_id, system.id)
    else:
        ensure(actor, Action.INVENTORY_WRITE)
    if model.vendor_id is not None:
        require(uow.vendors, "vendor", model.vendor_id)
    return model


def add_model(ctx: Context, uow: UnitOfWork, actor: Actor, model: Model) -> Model:
    """Register a model inside the caller's transaction."""
    model = _model_rights(uow, actor, model)
    ensure_unique(uow.models, "model", "name", model.name)
    uow.models.add(model)
    record(ctx, uow, actor, "model.registered", "model", model.id, snapshot(model))
    return model


def change_model(
    ctx: Context, uow: UnitOfWork, actor: Actor, model_id: str, values: Mapping[str, Any]
) -> Model:
    """Change a model's fields inside the caller's transaction (the model held first; only the
    fields that change are written and audited); moving it from a system needs the right in
    both."""
    check_fields("model", values, MODEL_FIELDS, {"system_id", "vendor_id"})
    before = hold(uow.models, "model", model_id)
    _model_rights(uow, actor, before)
    after = _model_rights(uow, actor, replace(before, **values))
    ensure_unique(uow.models, "model", "name", after.name, except_id=model_id)
    diff = changes(before, after, MODEL_FIELDS)
    if diff:
        uow.models.update(after)
        record(ctx, uow, actor, "model.updated", "model", model_id, diff)
    return after


def update_model(ctx: Context, actor: Actor, model_id: str, **values: Any) -> Model:
    """Change a model's fields; moving it to another system needs the right in both."""
    with ctx.uow() as uow:
        after = change_model(ctx, uow, actor, model_id, values)
        uow.commit()
    return after


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
        ctx.new_id("mv"), model_id, version, artifact_uri, framework, training_dataset_id
    )
    with ctx.uow() as uow:
        item = add_version(ctx, uow, actor, item)
        uow.commit()
    return item


def add_version(ctx: Context, uow: UnitOfWork, actor: Actor, item: ModelVersion) -> ModelVersion:
    """Add a model version inside the caller's transaction; registered now, it becomes the
    model's current version."""
    item = replace(
        item,
        version=require_name(item.version, "version", 100),
        artifact_uri=require_name(item.artifact_uri, "artifact_uri", 2000),
        framework=item.framework.strip(),
        registered_at=ctx.clock(),
    )
    model = require(uow.models, "model", item.model_id)
    system = uow.systems.get(model.system_id) if model.system_id else None
    ensure(
        actor,
        Action.INVENTORY_WRITE,
        system.business_unit_id if system else None,
        system.id if system else None,
    )
    if item.training_dataset_id is not None:
        require(uow.datasets, "dataset", item.training_dataset_id)
    if uow.model_versions.all(model_id=model.id, version=item.version):
        raise Conflict(f"model {model.name!r} already has version {item.version!r}")
    uow.model_versions.add(item)
    record(ctx, uow, actor, "model_version.added", "model", model.id, snapshot(item))
    return item
