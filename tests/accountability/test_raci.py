from __future__ import annotations

from charter.accountability.domain.raci import (
    Activity,
    FindingKind,
    RaciEntry,
    RaciLetter,
    validate_raci,
)
from charter.inventory.domain import AISystem
from charter.kernel.roles import RoleAssignment, RoleKind, ScopeKind

SYS = AISystem("sys_1", "CV screening", "Ranks CVs", "bu_hr", "p_owner")
ROLES = [
    RoleAssignment("ra1", "p_pm", RoleKind.PROGRAM_MANAGER, ScopeKind.BUSINESS_UNIT, "bu_hr"),
    RoleAssignment("ra2", "p_ds", RoleKind.DATA_SCIENTIST, ScopeKind.ORGANISATION),
    RoleAssignment("ra3", "p_far", RoleKind.PROGRAM_MANAGER, ScopeKind.BUSINESS_UNIT, "bu_x"),
]


def entry(activity: Activity, person: str, letter: str) -> RaciEntry:
    return RaciEntry(SYS.id, activity, person, RaciLetter(letter))


def complete() -> list[RaciEntry]:
    out = []
    for activity in Activity:
        doer = "p_ds" if activity in (Activity.DESIGN, Activity.DATA_PREPARATION) else "p_ops"
        out += [entry(activity, doer, "R"), entry(activity, "p_pm", "A")]
    return out


def kinds(entries: list[RaciEntry], system: AISystem = SYS) -> list[FindingKind]:
    return [f.kind for f in validate_raci(system, entries, ROLES)]


def test_complete_raci_has_no_findings() -> None:
    assert kinds(complete()) == []


def test_empty_raci_lists_every_activity_twice() -> None:
    found = kinds([])
    assert found.count(FindingKind.NO_ACCOUNTABLE) == len(Activity)
    assert found.count(FindingKind.NO_RESPONSIBLE) == len(Activity)


def test_orphan_system_is_found() -> None:
    orphan = AISystem("sys_1", "x", "y", "bu_hr", None)
    assert kinds(complete(), orphan) == [FindingKind.ORPHAN_SYSTEM]


def test_two_accountable_is_a_finding() -> None:
    entries = [*complete(), entry(Activity.MONITORING, "p_pm2", "A")]
    assert FindingKind.SEVERAL_ACCOUNTABLE in kinds(entries)


def test_accountable_must_hold_an_entitled_role_covering_the_system() -> None:
    ds_accountable = [e for e in complete() if e.activity is not Activity.DESIGN]
    ds_accountable += [entry(Activity.DESIGN, "p_ds", "R"), entry(Activity.DESIGN, "p_ops", "A")]
    found = validate_raci(SYS, ds_accountable, ROLES)
    assert [(f.kind, f.person_id) for f in found] == [
        (FindingKind.ACCOUNTABLE_NOT_ENTITLED, "p_ops")
    ]
    # a program manager of another business unit is not entitled either
    far = [e for e in complete() if e.activity is not Activity.RETIREMENT]
    far += [entry(Activity.RETIREMENT, "p_ops", "R"), entry(Activity.RETIREMENT, "p_far", "A")]
    assert kinds(far) == [FindingKind.ACCOUNTABLE_NOT_ENTITLED]


def test_builder_responsible_for_deployment_approval_is_a_segregation_conflict() -> None:
    entries = [*complete(), entry(Activity.DEPLOYMENT_APPROVAL, "p_ds", "R")]
    found = validate_raci(SYS, entries, ROLES)
    assert [(f.kind, f.person_id) for f in found] == [(FindingKind.SEGREGATION_OF_DUTIES, "p_ds")]
