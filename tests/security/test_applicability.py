"""Item 3: builders do not switch policies off. The fields that decide which policies apply
need the classification right; approvals given before such a change no longer count; the
gate says which applicability inputs it used."""

from __future__ import annotations

from typing import Any

from charter.governance.files import library_path, load_policy_files
from charter.governance.services import policies
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.roles import RoleKind as R
from tests.security.conftest import Site

TAGS = ["decides-on-people", "personal-data", "automated-decision"]


def _high_risk(site: Site) -> str:
    """A high-risk provider system in validation, the policy library in force."""
    world = site.world
    system = world.system()
    world.full_raci(system.id)
    world.advance(system.id, S.IN_VALIDATION)
    caio = site.auth(R.CHIEF_AI_OFFICER)
    path = f"/api/v1/systems/{system.id}"
    classified = site.client.patch(path, json={"risk_tier": "high", "tags": TAGS}, headers=caio)
    assert classified.is_success, classified.text
    policies.load_policies(
        world.ctx, world.actor(R.CHIEF_AI_OFFICER), load_policy_files([library_path()])
    )
    return system.id


def _gate(site: Site, system_id: str) -> dict[str, Any]:
    found = site.client.get(
        f"/api/v1/systems/{system_id}/gate?to=approved_for_deployment",
        headers=site.auth(R.AUDITOR),
    )
    assert found.status_code == 200, found.text
    result: dict[str, Any] = found.json()
    return result


def test_a_builder_cannot_switch_policies_off(site: Site) -> None:
    system_id = _high_risk(site)
    before = _gate(site, system_id)["blocking"]
    path = f"/api/v1/systems/{system_id}"
    builder = site.auth(R.DATA_SCIENTIST)
    for change in ({"operator_role": "deployer"}, {"tags": []}, {"tags": ["nlp"]}):
        refused = site.client.patch(path, json=change, headers=builder)
        assert refused.status_code == 403, (change, refused.text)
        assert "classification right" in refused.json()["detail"]
    assert _gate(site, system_id)["blocking"] == before
    # a tag no policy selects on is the builder's to change
    described = site.client.patch(path, json={"tags": [*TAGS, "nlp"]}, headers=builder)
    assert described.status_code == 200, described.text


def test_approvals_given_before_the_inputs_changed_no_longer_count(site: Site) -> None:
    system_id = _high_risk(site)
    made = site.client.post(
        f"/api/v1/systems/{system_id}/transitions",
        json={"to": "approved_for_deployment", "reason": "ready"},
        headers=site.auth(R.PROGRAM_MANAGER),
    ).json()
    request = made["request"]["id"]
    approved = site.client.post(
        f"/api/v1/transitions/{request}/decisions",
        json={"decision": "approve", "reason": "as classified"},
        headers=site.auth(R.ETHICS_COMPLIANCE),
    )
    assert approved.status_code == 201, approved.text
    changed = site.client.patch(
        f"/api/v1/systems/{system_id}",
        json={"operator_role": "deployer"},
        headers=site.auth(R.CHIEF_AI_OFFICER),
    )
    assert changed.status_code == 200, changed.text
    gate = site.client.get(f"/api/v1/transitions/{request}", headers=site.auth(R.AUDITOR)).json()[
        "gate"
    ]
    slot = next(r for r in gate["results"] if r["condition"] == "approval:compliance sign-off")
    assert slot["verdict"] == "not_satisfied", slot
    assert "operator_role" in slot["reason"]
    again = site.client.post(
        f"/api/v1/transitions/{request}/decisions",
        json={"decision": "approve", "reason": "as reclassified"},
        headers=site.auth(R.ETHICS_COMPLIANCE),
    )
    assert again.status_code == 201, again.text


def test_the_gate_says_which_applicability_inputs_it_used(site: Site) -> None:
    system_id = _high_risk(site)
    gate = _gate(site, system_id)
    assert gate["inputs"]["risk_tier"] == "high"
    assert gate["inputs"]["operator_role"] == "provider"
    assert gate["inputs"]["tags"] == sorted(TAGS)
    applying = {p["policy_id"] for p in gate["policies"] if p["verdict"] != "not_applicable"}
    assert "euaia-risk-management" in applying and "euaia-deployer-duties" not in applying
