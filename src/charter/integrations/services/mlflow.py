"""MLflow registry sync: registered models become Charter models of the systems they are
tagged or mapped to, their versions Charter model versions, each version's run metrics
evidence *reported by MLflow* (kept apart from the evidence Charter computes), and a version
promoted in MLflow whose system has not passed its deployment gate for it is flagged.

One sync is one transaction, through the inventory's own use cases and permissions; a second
sync of an unchanged registry writes nothing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from charter.governance.domain.lifecycle import RequestStatus
from charter.integrations.domain.mlflow import (
    Registered,
    RegisteredVersion,
    finite_metrics,
    gate_gap,
    promoted_as,
    system_ref,
)
from charter.integrations.domain.records import ExternalLink, PromotionFlag, ReportedEvidence
from charter.integrations.ports import Context, Registry, UnitOfWork
from charter.inventory import services as inventory
from charter.inventory.domain import AISystem, LifecycleStage, Model, ModelVersion
from charter.kernel.access import Action, Actor, allowed, ensure
from charter.kernel.context import record
from charter.kernel.lookups import require

SOURCE = "mlflow"


@dataclass(slots=True)
class SyncReport:
    url: str
    # what was written: models, versions, metrics, flags, flags_cleared, links, models_moved
    created: dict[str, int] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # model, why
    flagged: list[dict[str, str]] = field(default_factory=list)  # open promotion flags
    committed: bool = False

    def count(self, what: str) -> None:
        self.created[what] = self.created.get(what, 0) + 1


def _first(items: list[Any]) -> Any:
    return items[0] if items else None


def _system(uow: UnitOfWork, ref: str) -> AISystem | None:
    return uow.systems.get(ref) or _first(uow.systems.all(name=ref))


def _link(uow: UnitOfWork, url: str, kind: str, key: str) -> ExternalLink | None:
    found: ExternalLink | None = _first(
        uow.external_links.all(source=SOURCE, key=f"{url}#{kind}:{key}")
    )
    return found


def _keep_link(
    ctx: Context, uow: UnitOfWork, url: str, kind: str, key: str, charter_id: str,
    data: dict[str, Any], out: SyncReport,
) -> None:  # fmt: skip
    """Record (or refresh) where a Charter record came from and what the registry says of it
    (stage, aliases, tags)."""
    found = _link(uow, url, kind, key)
    if found is None:
        address = f"{url}#{kind}:{key}"
        uow.external_links.add(
            ExternalLink(ctx.new_id("xl"), SOURCE, address, kind, charter_id, data, ctx.clock())
        )
        out.count("links")
    elif found.data != data:
        uow.external_links.update(replace(found, data=data, synced_at=ctx.clock()))
        out.count("links")


def _model(
    ctx: Context, uow: UnitOfWork, actor: Actor, url: str, item: Registered, system: AISystem,
    out: SyncReport,
) -> Model:  # fmt: skip
    link = _link(uow, url, "model", item.name)
    model = uow.models.get(link.charter_id) if link else _first(uow.models.all(name=item.name))
    if model is None:
        model = Model(ctx.new_id("mdl"), item.name, system.id, item.description[:4000])
        inventory.add_model(ctx, uow, actor, model)
        out.count("models")
    elif model.system_id != system.id:
        model = inventory.change_model(ctx, uow, actor, model.id, {"system_id": system.id})
        out.count("models_moved")
    data = {"tags": dict(item.tags), "description": item.description}
    _keep_link(ctx, uow, url, "model", item.name, model.id, data, out)
    return model


def _version(
    ctx: Context, uow: UnitOfWork, actor: Actor, url: str, model: Model,
    item: RegisteredVersion, out: SyncReport,
) -> ModelVersion:  # fmt: skip
    key = f"{model.name}/{item.version}"
    link = _link(uow, url, "model_version", key)
    found = uow.model_versions.get(link.charter_id) if link else _first(
        uow.model_versions.all(model_id=model.id, version=item.version))  # fmt: skip
    if found is None:
        names = item.run.datasets if item.run else ()
        trained = _first([d for n in names for d in uow.datasets.all(name=n)])
        framework = item.tags.get("framework") or item.tags.get("mlflow.flavor", "")
        found = inventory.add_version(ctx, uow, actor, ModelVersion(
            ctx.new_id("mv"), model.id, item.version, item.source or f"models:/{key}",
            framework[:100], trained.id if trained else None))  # fmt: skip
        out.count("versions")
    data = {"stage": item.stage, "aliases": list(item.aliases), "tags": dict(item.tags),
            "run_id": item.run.run_id if item.run else None}  # fmt: skip
    _keep_link(ctx, uow, url, "model_version", key, found.id, data, out)
    return found


def _metrics(
    ctx: Context, uow: UnitOfWork, actor: Actor, url: str, system: AISystem,
    version: ModelVersion, item: RegisteredVersion, out: SyncReport,
) -> None:  # fmt: skip
    run = item.run
    if run is None or not run.metrics:
        return
    metrics = finite_metrics(run.metrics)
    found = _first(uow.reported_evidence.all(source=SOURCE, run_id=run.run_id,
                                             model_version_id=version.id))  # fmt: skip
    if found is not None and found.metrics == metrics:
        return
    ensure(actor, Action.EVIDENCE_RECORD, system.business_unit_id, system.id)
    run_url = f"{url}/#/experiments/runs/{run.run_id}"
    if found is None:
        uow.reported_evidence.add(ReportedEvidence(
            ctx.new_id("rep"), system.id, version.id, SOURCE, run.run_id, run_url, metrics,
            run.ended_at, ctx.clock(), actor.ref))  # fmt: skip
    else:
        uow.reported_evidence.update(replace(found, metrics=metrics, recorded_at=ctx.clock()))
    out.count("metrics")


def _gate_passed_at(uow: UnitOfWork, system: AISystem) -> datetime | None:
    applied = uow.requests.all(system_id=system.id, status=RequestStatus.APPLIED,
                               target=LifecycleStage.APPROVED_FOR_DEPLOYMENT)  # fmt: skip
    times = [r.decided_at for r in applied if r.decided_at is not None]
    return max(times) if times else None


def _current(uow: UnitOfWork, model: Model) -> str | None:
    versions = [v for v in uow.model_versions.all(model_id=model.id) if v.registered_at]
    return max(versions, key=lambda v: (v.registered_at, v.id)).id if versions else None


def _flag(
    ctx: Context, uow: UnitOfWork, system: AISystem, model: Model, version: ModelVersion,
    item: RegisteredVersion, out: SyncReport,
) -> None:  # fmt: skip
    how = promoted_as(item)
    gap = how and gate_gap(system.stage, _current(uow, model), version.id,
                           _gate_passed_at(uow, system), version.registered_at)  # fmt: skip
    open_ = uow.promotion_flags.all(model_version_id=version.id, cleared_at=None)
    for stale in [f for f in open_ if not gap or f.promoted_as != how]:
        uow.promotion_flags.update(replace(stale, cleared_at=ctx.clock()))
        out.count("flags_cleared")
    if how and gap:
        if not [f for f in open_ if f.promoted_as == how]:
            uow.promotion_flags.add(PromotionFlag(ctx.new_id("pf"), system.id, version.id,
                                                  SOURCE, how, gap, ctx.clock()))  # fmt: skip
            out.count("flags")
        out.flagged.append({"model": model.name, "version": item.version, "promoted_as": how,
                            "system_id": system.id, "reason": gap})  # fmt: skip


def _sync_one(
    ctx: Context, uow: UnitOfWork, actor: Actor, url: str, item: Registered,
    mapping: Mapping[str, str], out: SyncReport,
) -> bool:  # fmt: skip
    ref = system_ref(item, mapping)
    if ref is None:
        out.skipped.append((item.name, "no charter.system tag and no mapping"))
        return False
    system = _system(uow, ref)
    if system is None:
        out.skipped.append((item.name, f"system {ref!r} does not exist in Charter"))
        return False
    model = _model(ctx, uow, actor, url, item, system, out)
    for v in item.versions:
        version = _version(ctx, uow, actor, url, model, v, out)
        _metrics(ctx, uow, actor, url, system, version, v, out)
        _flag(ctx, uow, system, model, version, v, out)
    return True


def sync_registry(
    ctx: Context, actor: Actor, registry: Registry, mapping: Mapping[str, str] | None = None,
    dry_run: bool = False,
) -> SyncReport:  # fmt: skip
    """Read the registry (outside any transaction), then apply it in one transaction; a model
    whose system cannot be found is skipped and said so; any refusal writes nothing."""
    ensure(actor, Action.INVENTORY_WRITE)
    found = registry.registered()
    out = SyncReport(registry.url)
    with ctx.uow() as uow:
        synced = [m.name for m in found if _sync_one(ctx, uow, actor, registry.url, m,
                                                      mapping or {}, out)]  # fmt: skip
        if out.created and not dry_run:
            data = {"url": registry.url, "models": synced, "created": out.created,
                    "flagged": [f"{f['model']}/{f['version']}" for f in out.flagged]}  # fmt: skip
            record(ctx, uow, actor, "mlflow.synced", "registry", SOURCE, data)
            uow.commit()
            out.committed = True
    return out


def promotion_flags(ctx: Context, actor: Actor, open_only: bool = True) -> list[PromotionFlag]:
    """Versions promoted in the registry ahead of Charter's gate, on systems the actor reads."""
    with ctx.uow() as uow:
        found = uow.promotion_flags.all(**({"cleared_at": None} if open_only else {}))
        systems = _readable(uow, actor, {f.system_id for f in found})
    return sorted((f for f in found if f.system_id in systems), key=lambda f: f.flagged_at)


def reported_metrics(ctx: Context, actor: Actor, system_id: str) -> list[ReportedEvidence]:
    """What MLflow reported for a system's model versions (never read by a gate)."""
    with ctx.uow() as uow:
        system = require(uow.systems, "system", system_id)
        ensure(actor, Action.READ, system.business_unit_id, system.id)
        found = uow.reported_evidence.all(system_id=system_id)
    return sorted(found, key=lambda r: r.recorded_at, reverse=True)


def _readable(uow: UnitOfWork, actor: Actor, ids: set[str]) -> set[str]:
    systems = uow.systems.all(id=frozenset(ids)) if ids else []
    return {s.id for s in systems if allowed(actor, Action.READ, s.business_unit_id, s.id)}
