"""Who may do what, decided in one place. Deny by default; object-level through role scopes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from charter.kernel.errors import Forbidden
from charter.kernel.roles import RoleAssignment, RoleKind, ScopeKind


class Action(StrEnum):
    READ = "read"
    ORG_WRITE = "org_write"
    INVENTORY_WRITE = "inventory_write"
    RISK_CLASSIFY = "risk_classify"
    RACI_WRITE = "raci_write"
    TOKEN_MANAGE = "token_manage"  # noqa: S105 (an action name)
    STORE_MANAGE = "store_manage"  # restore a backup
    AUDIT_READ = "audit_read"
    EVIDENCE_RECORD = "evidence_record"
    USE_CASE_SUBMIT = "use_case_submit"
    PORTFOLIO_MANAGE = "portfolio_manage"  # objectives, assessments, roadmap plans, links
    PORTFOLIO_DECIDE = "portfolio_decide"  # approve, park, reject, deliver, stop
    KPI_DEFINE = "kpi_define"
    KPI_MEASURE = "kpi_measure"
    BODY_MANAGE = "body_manage"  # create bodies, appoint members
    TALENT_MANAGE = "talent_manage"  # skills catalogue, role needs, courses
    TRAINING_RECORD = "training_record"  # completions, skill assessments
    ADOPTION_RECORD = "adoption_record"  # adoption figures, surveys, communications
    DELIVERY_RECORD = "delivery_record"  # iterations and experiments of use cases
    NOTIFICATIONS_MANAGE = "notifications_manage"  # webhook endpoints, the delivery log, replay
    MONITOR_MANAGE = "monitor_manage"  # monitors and their schedules
    INCIDENT_RECORD = "incident_record"  # record incidents, corrective actions
    INCIDENT_MANAGE = "incident_manage"  # classify, report to authorities, close
    RISK_MANAGE = "risk_manage"  # register, rate, review and close risks; define controls
    RISK_APPETITE = "risk_appetite"  # state the organisation's risk appetite


R = RoleKind
ALL_ROLES = frozenset(RoleKind)

PERMISSIONS: dict[Action, frozenset[RoleKind]] = {
    Action.READ: ALL_ROLES,
    Action.ORG_WRITE: frozenset({R.ADMINISTRATOR, R.CHIEF_AI_OFFICER}),
    Action.INVENTORY_WRITE: frozenset(
        {R.CHIEF_AI_OFFICER, R.PROGRAM_MANAGER, R.DATA_SCIENTIST, R.ML_ENGINEER}
    ),
    Action.RISK_CLASSIFY: frozenset({R.CHIEF_AI_OFFICER, R.ETHICS_COMPLIANCE}),
    Action.RACI_WRITE: frozenset({R.CHIEF_AI_OFFICER, R.PROGRAM_MANAGER, R.ETHICS_COMPLIANCE}),
    Action.TOKEN_MANAGE: frozenset({R.ADMINISTRATOR}),
    Action.STORE_MANAGE: frozenset({R.ADMINISTRATOR}),
    Action.EVIDENCE_RECORD: frozenset(
        {
            R.CHIEF_AI_OFFICER,
            R.PROGRAM_MANAGER,
            R.DATA_SCIENTIST,
            R.ML_ENGINEER,
            R.ETHICS_COMPLIANCE,
        }
    ),
    Action.USE_CASE_SUBMIT: ALL_ROLES - {R.AUDITOR, R.ADMINISTRATOR},
    Action.PORTFOLIO_MANAGE: frozenset({R.CHIEF_AI_OFFICER, R.PROGRAM_MANAGER}),
    Action.PORTFOLIO_DECIDE: frozenset({R.CHIEF_AI_OFFICER, R.BOARD_MEMBER}),
    Action.KPI_DEFINE: frozenset({R.CHIEF_AI_OFFICER, R.PROGRAM_MANAGER, R.EXECUTIVE_SPONSOR}),
    Action.KPI_MEASURE: frozenset(
        {
            R.CHIEF_AI_OFFICER,
            R.PROGRAM_MANAGER,
            R.EXECUTIVE_SPONSOR,
            R.DATA_SCIENTIST,
            R.ML_ENGINEER,
        }
    ),
    Action.BODY_MANAGE: frozenset({R.ADMINISTRATOR, R.CHIEF_AI_OFFICER}),
    Action.TALENT_MANAGE: frozenset({R.ADMINISTRATOR, R.CHIEF_AI_OFFICER}),
    Action.TRAINING_RECORD: frozenset(
        {R.ADMINISTRATOR, R.CHIEF_AI_OFFICER, R.PROGRAM_MANAGER, R.AI_CHAMPION}
    ),
    Action.ADOPTION_RECORD: frozenset(
        {R.CHIEF_AI_OFFICER, R.PROGRAM_MANAGER, R.AI_CHAMPION, R.EXECUTIVE_SPONSOR}
    ),
    Action.DELIVERY_RECORD: frozenset(
        {R.CHIEF_AI_OFFICER, R.PROGRAM_MANAGER, R.DATA_SCIENTIST, R.ML_ENGINEER}
    ),
    Action.NOTIFICATIONS_MANAGE: frozenset({R.ADMINISTRATOR, R.CHIEF_AI_OFFICER}),
    Action.MONITOR_MANAGE: frozenset(
        {R.CHIEF_AI_OFFICER, R.PROGRAM_MANAGER, R.DATA_SCIENTIST, R.ML_ENGINEER}
    ),
    Action.INCIDENT_RECORD: ALL_ROLES - {R.AUDITOR},
    Action.INCIDENT_MANAGE: frozenset({R.CHIEF_AI_OFFICER, R.ETHICS_COMPLIANCE}),
    Action.RISK_MANAGE: frozenset(
        {R.CHIEF_AI_OFFICER, R.PROGRAM_MANAGER, R.ETHICS_COMPLIANCE, R.EXECUTIVE_SPONSOR}
    ),
    Action.RISK_APPETITE: frozenset({R.CHIEF_AI_OFFICER, R.BOARD_MEMBER}),
    Action.AUDIT_READ: frozenset(
        {R.AUDITOR, R.ADMINISTRATOR, R.CHIEF_AI_OFFICER, R.ETHICS_COMPLIANCE, R.BOARD_MEMBER}
    ),
}


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: a person and the roles they hold. `label` names non-person actors in the log."""

    person_id: str | None
    label: str
    roles: tuple[RoleAssignment, ...] = field(default_factory=tuple)
    service: bool = False  # a service account's token: every audit event it makes says so

    @property
    def ref(self) -> str:
        return self.person_id or self.label

    @property
    def audited_as(self) -> str:
        """The actor as the audit log names it."""
        return f"service-account:{self.person_id}" if self.service else self.ref

    def holds(self, role: RoleKind) -> bool:
        """Whether the actor holds the role in any scope."""
        return any(r.role is role for r in self.roles)


def allowed(
    actor: Actor,
    action: Action,
    business_unit_id: str | None = None,
    system_id: str | None = None,
) -> bool:
    """Whether any role the actor holds grants the action on an object in that scope."""
    kinds = PERMISSIONS.get(action, frozenset())
    return any(r.role in kinds and r.covers(business_unit_id, system_id) for r in actor.roles)


def ensure(
    actor: Actor,
    action: Action,
    business_unit_id: str | None = None,
    system_id: str | None = None,
) -> None:
    if not allowed(actor, action, business_unit_id, system_id):
        where = (
            f" on system {system_id}"
            if system_id
            else (f" in business unit {business_unit_id}" if business_unit_id else "")
        )
        raise Forbidden(
            f"{actor.label} may not {action.value.replace('_', ' ')}{where}",
            details={
                "action": action.value,
                "roles": sorted(r.value for r in PERMISSIONS.get(action, frozenset())),
                "business_unit_id": business_unit_id,
                "system_id": system_id,
            },
        )


def roles_of(person_id: str, assignments: Sequence[RoleAssignment]) -> tuple[RoleAssignment, ...]:
    return tuple(a for a in assignments if a.person_id == person_id)


def ensure_member(actor: Actor) -> None:
    """Directory reads (people, units, vendors...) need at least one role, in any scope."""
    if not actor.roles:
        raise Forbidden(f"{actor.label} holds no role in Charter")


def visible_scopes(actor: Actor) -> dict[str, frozenset[str]] | None:
    """Which systems the actor may read: None for all, else business unit and system ids."""
    reading = [r for r in actor.roles if r.role in PERMISSIONS[Action.READ]]
    if any(r.scope is ScopeKind.ORGANISATION for r in reading):
        return None
    return {
        "business_unit_id": frozenset(
            r.scope_id for r in reading if r.scope is ScopeKind.BUSINESS_UNIT and r.scope_id
        ),
        "id": frozenset(r.scope_id for r in reading if r.scope is ScopeKind.SYSTEM and r.scope_id),
    }
