from __future__ import annotations

import pytest

from charter.kernel.access import Action, Actor, allowed, ensure, ensure_member, visible_scopes
from charter.kernel.errors import Forbidden
from charter.kernel.roles import RoleAssignment, RoleKind, ScopeKind


def actor(*roles: RoleAssignment) -> Actor:
    return Actor("p1", "Pat", roles)


def ra(
    kind: RoleKind, scope: ScopeKind = ScopeKind.ORGANISATION, scope_id: str | None = None
) -> RoleAssignment:
    return RoleAssignment("ra", "p1", kind, scope, scope_id)


def test_no_role_means_no_right() -> None:
    nobody = actor()
    assert not any(allowed(nobody, a, "bu", "sys") for a in Action)
    with pytest.raises(Forbidden, match="holds no role"):
        ensure_member(nobody)


def test_auditor_reads_but_never_writes() -> None:
    auditor = actor(ra(RoleKind.AUDITOR))
    assert allowed(auditor, Action.READ, "bu", "sys")
    assert allowed(auditor, Action.AUDIT_READ)
    for action in (
        Action.ORG_WRITE,
        Action.INVENTORY_WRITE,
        Action.RACI_WRITE,
        Action.TOKEN_MANAGE,
        Action.RISK_CLASSIFY,
    ):
        assert not allowed(auditor, action, "bu", "sys")


def test_business_unit_scope_is_object_level() -> None:
    pm = actor(ra(RoleKind.PROGRAM_MANAGER, ScopeKind.BUSINESS_UNIT, "bu_1"))
    assert allowed(pm, Action.INVENTORY_WRITE, "bu_1", "sys_a")
    assert not allowed(pm, Action.INVENTORY_WRITE, "bu_2", "sys_b")
    assert not allowed(pm, Action.INVENTORY_WRITE)  # organisation-level object
    with pytest.raises(Forbidden, match="in business unit bu_2"):
        ensure(pm, Action.INVENTORY_WRITE, "bu_2")


def test_visible_scopes() -> None:
    assert visible_scopes(actor(ra(RoleKind.AUDITOR))) is None
    scoped = actor(
        ra(RoleKind.DATA_SCIENTIST, ScopeKind.SYSTEM, "sys_1"),
        ra(RoleKind.AI_CHAMPION, ScopeKind.BUSINESS_UNIT, "bu_1"),
    )
    assert visible_scopes(scoped) == {"business_unit_id": {"bu_1"}, "id": {"sys_1"}}
