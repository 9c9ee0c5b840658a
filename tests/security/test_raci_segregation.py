"""Item 4: segregation of duties holds when the RACI is edited. Who built a system since it
entered development stays a builder for its deployment approvals, and nobody edits their own
letters in the build activities while a request they might approve is pending."""

from __future__ import annotations

from typing import Any

from charter.inventory.domain import LifecycleStage as S
from charter.kernel.roles import RoleKind as R
from tests.security.conftest import Site


def _set(site: Site, who: R, system_id: str, activity: str, pairs: list[tuple[str, str]]) -> Any:
    body = {"assignments": [{"person_id": p, "letter": letter} for p, letter in pairs]}
    return site.client.put(
        f"/api/v1/systems/{system_id}/raci/{activity}", json=body, headers=site.auth(who)
    )


def _pending_deployment(site: Site) -> tuple[str, str]:
    """A system whose design the ethics officer did, awaiting approval for deployment."""
    world = site.world
    system = world.system()
    world.full_raci(system.id, builder=world.people[R.ETHICS_COMPLIANCE])
    world.advance(system.id, S.IN_VALIDATION)
    made = site.client.post(
        f"/api/v1/systems/{system.id}/transitions",
        json={"to": "approved_for_deployment", "reason": "ready"},
        headers=site.auth(R.PROGRAM_MANAGER),
    )
    assert made.status_code == 201, made.text
    return system.id, made.json()["request"]["id"]


def _approve(site: Site, who: R, request_id: str) -> Any:
    return site.client.post(
        f"/api/v1/transitions/{request_id}/decisions",
        json={"decision": "approve", "reason": "compliant"},
        headers=site.auth(who),
    )


def test_a_builder_may_not_take_herself_off_the_raci_while_a_request_is_pending(
    site: Site,
) -> None:
    system_id, request_id = _pending_deployment(site)
    analyst = site.world.people[R.DATA_SCIENTIST].id
    pm = site.world.people[R.PROGRAM_MANAGER].id
    for activity in ("design", "data_preparation"):
        moved = _set(site, R.ETHICS_COMPLIANCE, system_id, activity, [(analyst, "R"), (pm, "A")])
        assert moved.status_code == 403, moved.text
        assert "own eligibility" in moved.json()["detail"]
    refused = _approve(site, R.ETHICS_COMPLIANCE, request_id)
    assert refused.status_code == 403, refused.text
    assert "segregation of duties" in refused.json()["detail"]


def test_a_builder_taken_off_the_raci_by_someone_else_still_may_not_approve(
    site: Site,
) -> None:
    system_id, request_id = _pending_deployment(site)
    analyst = site.world.people[R.DATA_SCIENTIST].id
    pm = site.world.people[R.PROGRAM_MANAGER].id
    for activity in ("design", "data_preparation"):
        moved = _set(site, R.PROGRAM_MANAGER, system_id, activity, [(analyst, "R"), (pm, "A")])
        assert moved.status_code == 200, moved.text
    refused = _approve(site, R.ETHICS_COMPLIANCE, request_id)
    assert refused.status_code == 403, refused.text
    assert "Responsible for building" in refused.json()["detail"]
    # the RACI history says so: her letters were taken off after development began
    raci = site.client.get(f"/api/v1/systems/{system_id}/raci", headers=site.auth(R.AUDITOR)).json()
    assert site.world.people[R.ETHICS_COMPLIANCE].id in raci["builders"]
