"""RACI per AI system and lifecycle activity, and the findings that show where it is incomplete."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from charter.inventory.domain import AISystem, LifecycleStage
from charter.kernel.roles import RoleAssignment, RoleKind


class Activity(StrEnum):
    DESIGN = "design"
    DATA_PREPARATION = "data_preparation"
    VALIDATION = "validation"
    DEPLOYMENT_APPROVAL = "deployment_approval"
    MONITORING = "monitoring"
    INCIDENT_RESPONSE = "incident_response"
    RETIREMENT = "retirement"


class RaciLetter(StrEnum):
    RESPONSIBLE = "R"
    ACCOUNTABLE = "A"
    CONSULTED = "C"
    INFORMED = "I"


#: Activities whose Responsible people build the system; they may not approve its deployment.
BUILD_ACTIVITIES = frozenset({Activity.DESIGN, Activity.DATA_PREPARATION})

#: Stages whose entry certifies the system fit to ship: its builders may not approve them.
DEPLOYMENT_STAGES = frozenset({LifecycleStage.APPROVED_FOR_DEPLOYMENT, LifecycleStage.DEPLOYED})

#: Roles entitled to be Accountable for an activity of an AI system.
ACCOUNTABLE_ROLES = frozenset(
    {
        RoleKind.CHIEF_AI_OFFICER,
        RoleKind.PROGRAM_MANAGER,
        RoleKind.EXECUTIVE_SPONSOR,
        RoleKind.ETHICS_COMPLIANCE,
    }
)


@dataclass(frozen=True, slots=True)
class RaciEntry:
    system_id: str
    activity: Activity
    person_id: str
    letter: RaciLetter
    #: read with the entry, never stored with it: the holder has left the organisation
    holder_left: bool = False


class FindingKind(StrEnum):
    NO_ACCOUNTABLE = "no_accountable"
    SEVERAL_ACCOUNTABLE = "several_accountable"
    NO_RESPONSIBLE = "no_responsible"
    ACCOUNTABLE_NOT_ENTITLED = "accountable_not_entitled"
    ORPHAN_SYSTEM = "orphan_system"
    SEGREGATION_OF_DUTIES = "segregation_of_duties"
    OWNER_LEFT = "owner_left"
    HOLDER_LEFT = "holder_left"


@dataclass(frozen=True, slots=True)
class Finding:
    system_id: str
    kind: FindingKind
    message: str
    activity: Activity | None = None
    person_id: str | None = None


def _holds_entitled_role(person_id: str, system: AISystem, roles: Iterable[RoleAssignment]) -> bool:
    return any(
        r.person_id == person_id
        and r.role in ACCOUNTABLE_ROLES
        and r.covers(system.business_unit_id, system.id)
        for r in roles
    )


def _activity_findings(
    system: AISystem,
    activity: Activity,
    entries: Sequence[RaciEntry],
    roles: Sequence[RoleAssignment],
) -> list[Finding]:
    accountable = [e.person_id for e in entries if e.letter is RaciLetter.ACCOUNTABLE]
    responsible = [e for e in entries if e.letter is RaciLetter.RESPONSIBLE]
    found: list[Finding] = []
    if not accountable:
        found.append(
            Finding(
                system.id,
                FindingKind.NO_ACCOUNTABLE,
                f"{activity.value}: nobody is Accountable",
                activity,
            )
        )
    elif len(accountable) > 1:
        found.append(
            Finding(
                system.id,
                FindingKind.SEVERAL_ACCOUNTABLE,
                f"{activity.value}: {len(accountable)} people are Accountable, exactly one must be",
                activity,
            )
        )
    if not responsible:
        found.append(
            Finding(
                system.id,
                FindingKind.NO_RESPONSIBLE,
                f"{activity.value}: nobody is Responsible",
                activity,
            )
        )
    for person_id in accountable:
        if not _holds_entitled_role(person_id, system, roles):
            found.append(
                Finding(
                    system.id,
                    FindingKind.ACCOUNTABLE_NOT_ENTITLED,
                    f"{activity.value}: the Accountable person holds no role entitled "
                    "to accountability for this system",
                    activity,
                    person_id,
                )
            )
    return found


def builders(entries: Iterable[RaciEntry]) -> frozenset[str]:
    """People Responsible for building the system (design or data preparation)."""
    return frozenset(
        e.person_id
        for e in entries
        if e.letter is RaciLetter.RESPONSIBLE and e.activity in BUILD_ACTIVITIES
    )


def _sod_findings(system: AISystem, entries: Sequence[RaciEntry]) -> list[Finding]:
    built_by = builders(entries)
    return [
        Finding(
            system.id,
            FindingKind.SEGREGATION_OF_DUTIES,
            "the same person builds the system and is "
            f"{'Accountable' if e.letter is RaciLetter.ACCOUNTABLE else 'Responsible'} "
            "for approving its deployment",
            Activity.DEPLOYMENT_APPROVAL,
            e.person_id,
        )
        for e in entries
        if e.activity is Activity.DEPLOYMENT_APPROVAL
        and e.letter in (RaciLetter.ACCOUNTABLE, RaciLetter.RESPONSIBLE)
        and e.person_id in built_by
    ]


#: what to do about a person who has left, by the finding that names them
AFTER_LEAVING = {FindingKind.OWNER_LEFT: "reassign the owner",
                 FindingKind.HOLDER_LEFT: "reassign the letter"}  # fmt: skip
LETTER_NAMES = {RaciLetter.RESPONSIBLE: "Responsible", RaciLetter.ACCOUNTABLE: "Accountable",
                RaciLetter.CONSULTED: "Consulted", RaciLetter.INFORMED: "Informed"}  # fmt: skip


def _named(person_id: str, left: Mapping[str, str]) -> str:
    name = left.get(person_id)
    return f"{name} ({person_id})" if name else person_id


def _left_findings(
    system: AISystem, entries: Sequence[RaciEntry], left: Mapping[str, str]
) -> list[Finding]:
    """The owner and letter holders who have left the organisation (`left`, or an entry read
    with its holder gone): each still stands on the system until someone is named instead."""
    found = []
    if system.owner_id is not None and system.owner_id in left:
        found.append(Finding(
            system.id, FindingKind.OWNER_LEFT,
            f"the owner, {_named(system.owner_id, left)}, has left the organisation: "
            f"{AFTER_LEAVING[FindingKind.OWNER_LEFT]}", person_id=system.owner_id,
        ))  # fmt: skip
    for e in entries:
        if e.holder_left or e.person_id in left:
            found.append(Finding(
                system.id, FindingKind.HOLDER_LEFT,
                f"{e.activity.value}: {_named(e.person_id, left)}, {LETTER_NAMES[e.letter]}, "
                f"has left the organisation: {AFTER_LEAVING[FindingKind.HOLDER_LEFT]}",
                e.activity, e.person_id,
            ))  # fmt: skip
    return found


def validate_raci(
    system: AISystem,
    entries: Sequence[RaciEntry],
    roles: Sequence[RoleAssignment],
    left: Mapping[str, str] | None = None,
) -> list[Finding]:
    """Every finding for one system: orphan, per-activity gaps, segregation of duties, and
    the people on it who have left (`left`: their names by id; a letter holder read as gone
    is found without). A person who left keeps what they held until it is reassigned (the
    rules of inventory and RACI): the findings make that visible, they change nothing.

    A retired system is still checked: accountability for retirement and incidents outlives use.
    """
    found: list[Finding] = []
    if system.owner_id is None:
        found.append(
            Finding(system.id, FindingKind.ORPHAN_SYSTEM, "the system has no accountable owner")
        )
    for activity in Activity:
        mine = [e for e in entries if e.activity is activity]
        found.extend(_activity_findings(system, activity, mine, roles))
    found.extend(_sod_findings(system, entries))
    found.extend(_left_findings(system, entries, left or {}))
    return found


def is_active_stage(stage: LifecycleStage) -> bool:
    return stage is not LifecycleStage.RETIRED
