"""Human labels for the values Charter stores as codes (lifecycle stages, verdicts, roles,
RACI letters, statuses...), in one place: pages show `approved for deployment`, never
`approved_for_deployment`. Codes not listed read as their words (underscores as spaces,
acronyms upper case), so a new value is never shown raw; the labels below are the ones that
read better than their words. Pure: no I/O."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from enum import Enum
from typing import Any

#: codes whose words do not read well on their own, whatever enumeration they belong to
LABELS: dict[str, str] = {
    "not_satisfied": "not satisfied",
    "not_applicable": "not applicable",
    "ai_program_manager": "AI programme manager",
    "ethics_compliance_officer": "ethics and compliance officer",
    "governance_board_member": "governance board member",
    "chief_ai_officer": "Chief AI Officer",
    "business_unit": "business unit",
    "organisation": "whole organisation",
    "no_accountable": "nobody accountable",
    "several_accountable": "several accountable",
    "no_responsible": "nobody responsible",
    "accountable_not_entitled": "accountable without the right role",
    "orphan_system": "system without an owner",
    "segregation_of_duties": "segregation of duties",
    "customer_experience": "customer experience",
    "centre_of_excellence": "centre of excellence",
    "business_strategy": "business strategy",
    "town_hall": "town hall",
    "pending": "awaiting decision",
}

#: codes that mean something else in one enumeration (keyed by the enumeration's name)
BY_KIND: dict[str, dict[str, str]] = {
    "RaciLetter": {
        "R": "Responsible",
        "A": "Accountable",
        "C": "Consulted",
        "I": "Informed",
    },
    "Direction": {"increase": "higher is better", "decrease": "lower is better"},
}

ACRONYMS = re.compile(r"\b(ai|it|eu|kpi|raci|ml|dpia|csv|api|id)\b")


def label(value: Any) -> str:
    """The words a page shows for a stored code (an enumeration member or its value)."""
    if value is None:
        return "—"
    code = value.value if isinstance(value, Enum) else value
    code = str(code)
    if isinstance(value, Enum):
        special = BY_KIND.get(type(value).__name__, {}).get(code)
        if special is not None:
            return special
    if code in LABELS:
        return LABELS[code]
    return ACRONYMS.sub(lambda m: m.group(1).upper(), code.replace("_", " "))


def in_order(rows: Iterable[tuple[Any, Any]], order: Sequence[Any]) -> list[tuple[Any, Any]]:
    """Rows (key, value) in the order given (a lifecycle's, a horizon's), unknown keys last
    in their own order: never alphabetical where the codes have an order of their own."""
    rank = {(o.value if isinstance(o, Enum) else o): i for i, o in enumerate(order)}

    def key(row: tuple[Any, Any]) -> tuple[int, str]:
        code = row[0].value if isinstance(row[0], Enum) else row[0]
        return rank.get(code, len(rank)), str(code)

    return sorted(rows, key=key)
