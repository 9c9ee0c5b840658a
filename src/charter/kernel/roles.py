"""The AI roles Charter knows and where a role holds: permissions and decision rights are
keyed by these."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from charter.kernel.errors import InvalidInput


class RoleKind(StrEnum):
    """The AI roles Charter knows. Decision rights and permissions are keyed by these."""

    CHIEF_AI_OFFICER = "chief_ai_officer"
    PROGRAM_MANAGER = "ai_program_manager"
    DATA_SCIENTIST = "data_scientist"
    ML_ENGINEER = "ml_engineer"
    ETHICS_COMPLIANCE = "ethics_compliance_officer"
    AI_CHAMPION = "ai_champion"
    EXECUTIVE_SPONSOR = "executive_sponsor"
    BOARD_MEMBER = "governance_board_member"
    AUDITOR = "auditor"
    ADMINISTRATOR = "administrator"


class ScopeKind(StrEnum):
    """Where a role holds: the whole organisation, one business unit, or one AI system."""

    ORGANISATION = "organisation"
    BUSINESS_UNIT = "business_unit"
    SYSTEM = "system"


@dataclass(frozen=True, slots=True)
class RoleAssignment:
    """A person holds a role in a scope. scope_id is None for the organisation scope."""

    id: str
    person_id: str
    role: RoleKind
    scope: ScopeKind
    scope_id: str | None = None

    def covers(self, business_unit_id: str | None, system_id: str | None) -> bool:
        """Whether this assignment applies to an object in that business unit / system."""
        if self.scope is ScopeKind.ORGANISATION:
            return True
        if self.scope is ScopeKind.BUSINESS_UNIT:
            return business_unit_id is not None and self.scope_id == business_unit_id
        return system_id is not None and self.scope_id == system_id


def check_scope(scope: ScopeKind, scope_id: str | None) -> None:
    """The organisation scope takes no id; the others need one."""
    if scope is ScopeKind.ORGANISATION and scope_id is not None:
        raise InvalidInput("an organisation-wide role takes no scope_id")
    if scope is not ScopeKind.ORGANISATION and not scope_id:
        raise InvalidInput(f"a role scoped to a {scope.value} needs a scope_id")
