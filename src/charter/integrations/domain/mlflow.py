"""An MLflow model registry as Charter reads it, and the rules of a sync: which Charter system
a registered model belongs to, which versions count as promoted, when a promotion is ahead of
Charter's deployment gate."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from charter.inventory.domain import LifecycleStage

#: the tag on a registered model (or a version) that names its Charter system (id or name)
SYSTEM_TAG = "charter.system"
#: the legacy stage and the aliases that mean "this version serves": a promotion
PROMOTED_STAGES = frozenset({"production"})
PROMOTED_ALIASES = frozenset({"production", "prod", "champion", "live"})
#: the stages at which a system has passed its deployment gate
GATE_PASSED = frozenset({LifecycleStage.APPROVED_FOR_DEPLOYMENT, LifecycleStage.DEPLOYED})


@dataclass(frozen=True, slots=True)
class Run:
    """What a version's training run reported."""

    run_id: str
    metrics: Mapping[str, float]
    ended_at: datetime | None
    datasets: tuple[str, ...] = ()  # names of the datasets logged as the run's inputs


@dataclass(frozen=True, slots=True)
class RegisteredVersion:
    version: str
    source: str  # where the model's files are
    stage: str = "None"
    aliases: tuple[str, ...] = ()
    tags: Mapping[str, str] = field(default_factory=dict)
    run: Run | None = None
    description: str = ""


@dataclass(frozen=True, slots=True)
class Registered:
    """A registered model and its versions, oldest first."""

    name: str
    description: str = ""
    tags: Mapping[str, str] = field(default_factory=dict)
    versions: tuple[RegisteredVersion, ...] = ()


def system_ref(model: Registered, mapping: Mapping[str, str]) -> str | None:
    """The Charter system (id or name) a registered model belongs to: the mapping first, then
    the model's `charter.system` tag."""
    return mapping.get(model.name) or model.tags.get(SYSTEM_TAG) or None


def promoted_as(version: RegisteredVersion) -> str | None:
    """How the registry promotes the version to serve (a stage or an alias), or None."""
    if version.stage.lower() in PROMOTED_STAGES:
        return f"stage {version.stage}"
    aliases = sorted(a for a in version.aliases if a.lower() in PROMOTED_ALIASES)
    return f"alias {aliases[0]}" if aliases else None


def gate_gap(
    stage: LifecycleStage, current_version: str | None, version_id: str, gate_passed_at: datetime
    | None, registered_at: datetime | None,
) -> str | None:  # fmt: skip
    """Why a promoted version runs ahead of Charter's deployment gate, or None when the gate
    passed for it: the system has not passed the gate, or passed it before this version was
    registered in Charter (the gate judged an earlier version)."""
    if stage not in GATE_PASSED:
        return f"the system is {stage.value}: its deployment gate has not passed"
    if gate_passed_at is not None and registered_at is not None and registered_at > gate_passed_at:
        return "the deployment gate passed for an earlier version, before this one was registered"
    if current_version is not None and current_version != version_id:
        return "another version is the system's current one in Charter"
    return None


def finite_metrics(metrics: Mapping[str, float]) -> dict[str, str]:
    """Metrics as text (the audit log takes no floats), leaving out NaN and infinities."""
    return {k: repr(v) for k, v in sorted(metrics.items()) if math.isfinite(v)}
