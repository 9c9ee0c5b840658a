"""Which documents a system calls for: the Annex IV documentation and the post-market
monitoring plan for a provider's high-risk system, the EU database section its
classification puts it in (Annex VIII A, B or C), the NYC LL144 summary where that pack is in
force (a system tagged aedt or nyc-ll144)."""

from __future__ import annotations

from charter.frameworks.domain.classification import ClassificationRecord
from charter.frameworks.domain.packs import SCOPE_TAGS
from charter.inventory.domain import AISystem, OperatorRole, RiskTier
from charter.kernel.errors import InvalidInput


def registration_section(system: AISystem, record: ClassificationRecord | None) -> str | None:
    """A: a provider's high-risk system; B: a provider's Annex III system found not high-risk
    (Art. 6(3)); C: a high-risk system deployed by a public authority; None: no registration."""
    answers = record.answers if record else {}
    high = system.risk_tier is RiskTier.HIGH
    if system.operator_role is OperatorRole.PROVIDER:
        if high:
            return "A"
        if record is not None and answers.get("annex_iii") and record.tier != "high":
            return "B"
        return None
    if system.operator_role is OperatorRole.DEPLOYER and high and answers.get("public_authority"):
        return "C"
    return None


def check_applies(kind: str, system: AISystem, record: ClassificationRecord | None) -> None:
    """Refuse a document the system does not call for, saying why."""
    why = ""
    provider_high = (
        system.operator_role is OperatorRole.PROVIDER and system.risk_tier is RiskTier.HIGH
    )
    if kind in ("annex-iv", "pmm-plan") and not provider_high:
        why = (
            f"is written by the provider of a high-risk system; {system.name} is "
            f"{system.risk_tier.value}, {system.operator_role.value}"
        )
    elif kind == "eu-registration" and registration_section(system, record) is None:
        why = (
            f"applies to a provider's high-risk or Art. 6(3) system, or a public authority "
            f"deploying a high-risk one; {system.name} is {system.risk_tier.value}, "
            f"{system.operator_role.value}"
        )
    elif kind == "ll144-summary" and SCOPE_TAGS["aedt"].isdisjoint(system.tags):
        why = f"is for tools the nyc-ll144 pack applies to (tagged aedt); {system.name} is not"
    if why:
        raise InvalidInput(f"the {kind} document {why}", details={"kind": kind})
