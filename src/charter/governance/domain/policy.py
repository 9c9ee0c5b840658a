"""Policies as data: which systems and transitions a policy applies to, and what it requires.

A policy file (YAML, validated against data/policy.schema.json, then by parse_policy here):

    id: fairness-people
    title: Fairness thresholds for systems that decide on people
    rationale: ...
    applies: {risk_tiers: [high], transitions: [{to: approved_for_deployment}],
              when: '"decides-on-people" in tags'}
    requirements:
      - {id: dp, kind: evidence, metric: demographic_parity_difference, max: 0.1,
         max_age_days: 90, model_version: current, cites: [EUAIA.ART10.2.f-g, MEASURE 2.11]}
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from charter.governance.domain.expr import Compiled, compile_expression
from charter.inventory.domain import AISystem, LifecycleStage, OperatorRole, RiskTier
from charter.kernel.errors import InvalidInput
from charter.kernel.roles import RoleKind
from charter.validation.domain.suite import AUDIT, DISPARITY, METRICS

#: metrics whose evidence records each group's size
GROUPED = DISPARITY | AUDIT


def over_limit(name: str, size: int, limit: int) -> str:
    """Why a policy file of `size` bytes is refused: it names the limit and its setting."""
    return (
        f"{name}: {size:,} bytes, over the limit of {limit:,} bytes a policy file may hold "
        "(setting CHARTER_POLICY_FILE_BYTES)"
    )


class Kind(StrEnum):
    EVIDENCE = "evidence"
    DOCUMENT = "document"
    APPROVAL = "approval"
    ACCOUNTABILITY = "accountability"
    PLUGIN = "plugin"
    TRAINED = "trained"
    RISK_APPETITE = "risk_appetite"
    #: never in a policy file: what stands in for a stored policy whose text does not hash
    #: to its recorded digest (see `unmatched`), never satisfied, never waived
    INTEGRITY = "integrity"


@dataclass(frozen=True, slots=True)
class Transition:
    to: LifecycleStage
    source: LifecycleStage | None = None  # None: from any stage


@dataclass(frozen=True, slots=True)
class Selector:
    """Every field given must match; an empty field matches everything."""

    risk_tiers: frozenset[RiskTier] = frozenset()
    operator_roles: frozenset[OperatorRole] = frozenset()
    business_units: frozenset[str] = frozenset()
    tags_any: frozenset[str] = frozenset()
    transitions: tuple[Transition, ...] = ()
    when: str | None = None
    compiled: Compiled | None = field(default=None, compare=False, repr=False)

    def could_apply(self, target: LifecycleStage | None) -> bool:
        """Whether any transition into `target` may match (to index policies by gate)."""
        return not self.transitions or any(t.to is target for t in self.transitions)

    def matches(
        self,
        system: AISystem,
        source: LifecycleStage | None,
        target: LifecycleStage | None,
        view: Mapping[str, Any] | None = None,
    ) -> bool:
        transition = not self.transitions or any(
            t.to is target and (t.source is None or t.source is source) for t in self.transitions
        )
        return transition and self.selects(system, view)

    def selects(self, system: AISystem, view: Mapping[str, Any] | None = None) -> bool:
        """Whether the system's fields (the applicability inputs, and what `when` reads)
        select it, whatever the transition."""
        fields_match = (
            (not self.risk_tiers or system.risk_tier in self.risk_tiers)
            and (not self.operator_roles or system.operator_role in self.operator_roles)
            and (not self.business_units or system.business_unit_id in self.business_units)
            and (not self.tags_any or not self.tags_any.isdisjoint(system.tags))
        )
        if not fields_match or self.compiled is None:
            return fields_match
        return bool(self.compiled(view if view is not None else system_facts(system)))


def system_facts(system: AISystem) -> dict[str, Any]:
    """What a `when` expression may look at."""
    return {
        "id": system.id,
        "name": system.name,
        "stage": system.stage.value,
        "risk_tier": system.risk_tier.value,
        "operator_role": system.operator_role.value,
        "business_unit": system.business_unit_id,
        "tags": list(system.tags),
        "deployment_context": system.deployment_context,
        "has_owner": system.owner_id is not None,
        "vendor": system.vendor_id,
    }


@dataclass(frozen=True, slots=True)
class Requirement:
    id: str
    kind: Kind
    title: str
    cites: tuple[str, ...] = ()
    blocking: bool = True
    # evidence
    metric: str | None = None
    check: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    max_age_days: int | None = None
    current_model_version: bool = False
    suite: str | None = None  # the suite's name; None: the system's official suite, or any
    suite_digest: str | None = None  # the suite's exact version (SHA-256 of its file)
    min_rows: int | None = None  # the least rows the checks ran on
    min_group_size: int | None = None  # fairness: every group compared has this many rows,
    # and no group that has them was left out
    provenance: frozenset[str] = frozenset()  # where its data came from (ORIGINS); empty: any
    # document (approved_by) and approval (roles)
    document: str | None = None
    roles: frozenset[RoleKind] = frozenset()
    # accountability
    raci_complete: bool = False
    owner_named: bool = False
    # plugin
    plugin: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    # trained: the people with these RACI letters on the system (and roles scoped to it)
    raci_letters: frozenset[str] = frozenset()
    course: str | None = None  # "literacy": AI-literacy training for their role; or a course id
    # risk_appetite: a system with no risk assessed in the register is inconclusive
    risks_assessed: bool = False


@dataclass(frozen=True, slots=True)
class PolicyRecord:
    """A policy as stored: its source (re-parsed when read), and whether it is in force."""

    id: str
    title: str
    digest: str
    source: dict[str, Any]
    enabled: bool
    loaded_at: datetime
    loaded_by: str


@dataclass(frozen=True, slots=True)
class Policy:
    id: str
    title: str
    rationale: str
    applies: Selector
    requirements: tuple[Requirement, ...]
    blocking: bool = True
    digest: str = ""  # SHA-256 of the policy's canonical JSON: which version decided
    document_kinds: Mapping[str, str] = field(default_factory=dict)  # kinds it adds: titles

    def applies_to(
        self,
        system: AISystem,
        source: LifecycleStage | None,
        target: LifecycleStage | None,
        view: Mapping[str, Any] | None = None,
    ) -> bool:
        """`view`: the system's facts for `when` expressions, when already computed."""
        return self.applies.matches(system, source, target, view)


def _enum_set(raw: Any, enum: type[StrEnum], where: str) -> frozenset[Any]:
    values = raw or []
    if not isinstance(values, list):
        raise InvalidInput(f"{where}: expected a list")
    try:
        return frozenset(enum(v) for v in values)
    except ValueError as exc:
        known = ", ".join(e.value for e in enum)
        raise InvalidInput(f"{where}: {exc}; known: {known}") from exc


def _stage(raw: Any, where: str) -> LifecycleStage:
    try:
        return LifecycleStage(raw)
    except ValueError as exc:
        raise InvalidInput(f"{where}: unknown stage {raw!r}") from exc


def _selector(raw: Mapping[str, Any], where: str) -> Selector:
    transitions = tuple(
        Transition(
            _stage(t.get("to"), f"{where}.transitions"),
            _stage(t["from"], f"{where}.transitions") if t.get("from") else None,
        )
        for t in raw.get("transitions") or []
    )
    when = raw.get("when")
    return Selector(
        _enum_set(raw.get("risk_tiers"), RiskTier, f"{where}.risk_tiers"),
        _enum_set(raw.get("operator_roles"), OperatorRole, f"{where}.operator_roles"),
        frozenset(raw.get("business_units") or []),
        frozenset(str(t).lower() for t in raw.get("tags_any") or []),
        transitions,
        when,
        compile_expression(when) if when else None,
    )


def _number(raw: Mapping[str, Any], key: str) -> float | None:
    value = raw.get(key)
    return None if value is None else float(value)


#: where evidence's data came from (the evidence's provenance), as a gate's reason says it
ORIGINS = {
    "data_folder": "Charter computed from its data folder",
    "upload": "computed over a file its recorder uploaded",
    "local": "computed in its recorder's own process over data they chose",
}


def off_provenance(req: Requirement, provenance: str | None, recorded_by: str) -> str | None:
    """Why evidence of this provenance does not count for the requirement (None: it does):
    its origin, who recorded it, and the origins the policy accepts."""
    if not req.provenance or provenance in req.provenance:
        return None
    told = ORIGINS.get(provenance or "", "of an origin not recorded")
    wanted = " or ".join(ORIGINS[p].replace("Charter computed", "computed by Charter")
                         for p in sorted(req.provenance))  # fmt: skip
    return f"{told}, recorded by {recorded_by}; this policy requires evidence {wanted}"


def _provenance(raw: Any, where: str) -> frozenset[str]:
    if raw is None:
        return frozenset()
    values = raw if isinstance(raw, list) else [raw]
    unknown = [v for v in values if v not in ORIGINS]
    if unknown or not values:
        raise InvalidInput(
            f"{where}: provenance {unknown or values!r} unknown; known: {', '.join(ORIGINS)}"
        )
    return frozenset(str(v) for v in values)


def _evidence(req: Requirement, raw: Mapping[str, Any], where: str) -> Requirement:
    metric, check = raw.get("metric"), raw.get("check")
    if not metric and not check:
        raise InvalidInput(f"{where}: an evidence requirement names a 'metric' or a 'check'")
    if metric and metric not in METRICS:
        raise InvalidInput(f"{where}: unknown metric {metric!r}")
    age, rows, size = raw.get("max_age_days"), raw.get("min_rows"), raw.get("min_group_size")
    if size is not None and metric is not None and metric not in GROUPED:
        raise InvalidInput(f"{where}: min_group_size goes with a fairness metric, not {metric!r}")
    return Requirement(
        req.id,
        req.kind,
        req.title,
        req.cites,
        req.blocking,
        metric=metric,
        check=check,
        minimum=_number(raw, "min"),
        maximum=_number(raw, "max"),
        max_age_days=int(age) if age is not None else None,
        current_model_version=raw.get("model_version") == "current",
        suite=str(raw["suite"]) if raw.get("suite") else None,
        suite_digest=str(raw["suite_digest"]).lower() if raw.get("suite_digest") else None,
        min_rows=int(rows) if rows is not None else None,
        min_group_size=int(size) if size is not None else None,
        provenance=_provenance(raw.get("provenance"), where),
    )


def _requirement(raw: Mapping[str, Any], where: str) -> Requirement:
    kind = Kind(raw["kind"])
    if kind is Kind.INTEGRITY:
        raise InvalidInput(f"{where}: kind 'integrity' is Charter's own, not a policy file's")
    base = Requirement(
        str(raw["id"]),
        kind,
        str(raw.get("title") or raw["id"]),
        tuple(str(c) for c in raw.get("cites") or []),
        bool(raw.get("blocking", True)),
    )
    if kind is Kind.EVIDENCE:
        return _evidence(base, raw, where)
    if kind is Kind.DOCUMENT:
        roles = _enum_set(raw.get("approved_by"), RoleKind, f"{where}.approved_by")
        return Requirement(
            base.id,
            kind,
            base.title,
            base.cites,
            base.blocking,
            document=str(raw["document"]),
            roles=roles,
        )
    if kind is Kind.APPROVAL:
        roles = _enum_set(raw.get("roles"), RoleKind, f"{where}.roles")
        if not roles:
            raise InvalidInput(f"{where}: an approval requirement names 'roles'")
        return Requirement(base.id, kind, base.title, base.cites, base.blocking, roles=roles)
    if kind in (Kind.ACCOUNTABILITY, Kind.RISK_APPETITE):
        return replace(
            base,
            raci_complete=bool(raw.get("raci_complete")),
            owner_named=bool(raw.get("owner_named")),
            risks_assessed=bool(raw.get("assessed", True)) and kind is Kind.RISK_APPETITE,
        )
    if kind is Kind.TRAINED:
        return _trained(base, raw, where)
    return Requirement(
        base.id,
        kind,
        base.title,
        base.cites,
        base.blocking,
        plugin=str(raw["plugin"]),
        params=copy.deepcopy(dict(raw.get("params") or {})),  # the source is shared, read only
    )


def _trained(req: Requirement, raw: Mapping[str, Any], where: str) -> Requirement:
    letters = frozenset(str(x) for x in raw.get("letters") or ["R", "A"])
    if not letters <= {"R", "A", "C", "I"}:
        raise InvalidInput(f"{where}: letters are R, A, C and I")
    course = str(raw.get("course") or "literacy")
    return Requirement(
        req.id, req.kind, req.title, req.cites, req.blocking, raci_letters=letters, course=course
    )


def parse_policy(raw: Mapping[str, Any]) -> Policy:
    """A policy from a mapping that already passed the JSON Schema; the checks here are the
    ones a schema cannot make (known stages, roles, metrics; expressions; unique ids)."""
    pid = str(raw["id"])
    where = f"policy {pid!r}"
    requirements = tuple(
        _requirement(r, f"{where}, requirement {r.get('id')!r}") for r in raw["requirements"]
    )
    ids = [r.id for r in requirements]
    if len(set(ids)) != len(ids):
        raise InvalidInput(f"{where}: requirement ids must be unique")
    digest = source_digest(raw)
    return Policy(
        pid,
        str(raw["title"]),
        str(raw.get("rationale", "")),
        _selector(raw.get("applies") or {}, f"{where}.applies"),
        requirements,
        bool(raw.get("blocking", True)),
        digest,
        {str(k): str(v) for k, v in (raw.get("document_kinds") or {}).items()},
    )


def source_digest(raw: Mapping[str, Any]) -> str:
    """The SHA-256 of a policy's canonical JSON: the version a policy record names."""
    return hashlib.sha256(json.dumps(raw, sort_keys=True, default=str).encode()).hexdigest()
