"""Decision rights as data: which roles may request and which must approve each transition."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from charter.inventory.domain import LifecycleStage, RiskTier
from charter.kernel.errors import InvalidInput
from charter.kernel.roles import RoleKind

ANY = "*"


@dataclass(frozen=True, slots=True)
class ApprovalSlot:
    """One approval a transition needs: from a person holding any one of these roles."""

    label: str
    any_of: frozenset[RoleKind]


@dataclass(frozen=True, slots=True)
class DecisionRight:
    source: str  # a LifecycleStage value or "*"
    target: str
    request: frozenset[RoleKind]
    approvals: tuple[ApprovalSlot, ...]

    def matches(self, source: LifecycleStage, target: LifecycleStage) -> bool:
        return self.source in (ANY, source.value) and self.target in (ANY, target.value)


@dataclass(frozen=True, slots=True)
class DecisionRights:
    rights: tuple[DecisionRight, ...]
    # who may grant or revoke waivers, and load or change policies (absent: nobody)
    waivers: frozenset[RoleKind] = frozenset()
    policies: frozenset[RoleKind] = frozenset()
    # the risk tiers on which a waiver of a blocking requirement needs a second person
    # (four eyes) before it takes effect; absent from the file: high
    second_person_tiers: frozenset[RiskTier] = frozenset({RiskTier.HIGH})

    def for_transition(
        self, source: LifecycleStage, target: LifecycleStage
    ) -> DecisionRight | None:
        """The first right that matches; exact entries should come before wildcards."""
        return next((r for r in self.rights if r.matches(source, target)), None)


def _roles(raw: object, where: str) -> frozenset[RoleKind]:
    if not isinstance(raw, list) or not raw:
        raise InvalidInput(f"{where}: expected a non-empty list of roles")
    try:
        return frozenset(RoleKind(r) for r in raw)
    except ValueError as exc:
        raise InvalidInput(f"{where}: {exc}") from exc


def _stage(raw: object, where: str) -> str:
    if raw == ANY:
        return ANY
    try:
        return LifecycleStage(str(raw)).value
    except ValueError as exc:
        raise InvalidInput(f"{where}: unknown lifecycle stage {raw!r}") from exc


def _right(raw: Mapping[str, Any], index: int) -> DecisionRight:
    where = f"decision right #{index}"
    slots = tuple(
        ApprovalSlot(
            label=str(s.get("label", "")) or f"approval {n + 1}",
            any_of=_roles(s.get("any_of"), f"{where} approval {n + 1}"),
        )
        for n, s in enumerate(raw.get("approvals", []))
    )
    return DecisionRight(
        source=_stage(raw.get("from"), f"{where} 'from'"),
        target=_stage(raw.get("to"), f"{where} 'to'"),
        request=_roles(raw.get("request"), f"{where} 'request'"),
        approvals=slots,
    )


def parse_decision_rights(raw: Mapping[str, Any]) -> DecisionRights:
    """Build decision rights from plain data (the shipped JSON file or an organisation's own)."""
    items = raw.get("rights")
    if not isinstance(items, Sequence) or isinstance(items, str) or not items:
        raise InvalidInput("decision rights: expected a non-empty list under 'rights'")
    waivers, policies = raw.get("waivers"), raw.get("policies")
    return DecisionRights(
        tuple(_right(item, n) for n, item in enumerate(items)),
        _roles(waivers.get("grant"), "waivers 'grant'")
        if isinstance(waivers, Mapping)
        else frozenset(),
        _roles(policies.get("manage"), "policies 'manage'")
        if isinstance(policies, Mapping)
        else frozenset(),
        _tiers(waivers.get("second_person_for_tiers", [RiskTier.HIGH.value]))
        if isinstance(waivers, Mapping)
        else frozenset({RiskTier.HIGH}),
    )


def _tiers(raw: object) -> frozenset[RiskTier]:
    where = "waivers 'second_person_for_tiers'"
    if not isinstance(raw, list):
        raise InvalidInput(f"{where}: expected a list of risk tiers ([] for none)")
    try:
        return frozenset(RiskTier(t) for t in raw)
    except ValueError as exc:
        raise InvalidInput(f"{where}: {exc}") from exc
