"""Item 6: cherry-picked evidence does not pass a gate. Policies name the suite, the least
rows and group size, the model version; a system declares its official suite; the gate says
which evidence it used; document kinds come from a vocabulary and documents are superseded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from charter.governance.files import library_path, load_policy_files
from charter.governance.services import policies
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.roles import RoleKind as R
from tests.security.conftest import Site


def _scores(path: Path, rows: int, rates: dict[str, float]) -> None:
    """Scored rows: each group's share of positive predictions is its rate."""
    lines = ["y,p,g"]
    groups = list(rates)
    for i in range(rows):
        group = groups[i % len(groups)]
        k = i // len(groups)
        predicted = int(k % 10 < rates[group] * 10)
        lines.append(f"{int(k % 3 == 0)},{predicted},{group}")
    path.write_text("\n".join(lines) + "\n")


def _suite(name: str, data: str) -> dict[str, Any]:
    return {
        "name": name,
        "data": data,
        "columns": {"label": "y", "prediction": "p", "protected": ["g"]},
        "checks": [
            # min_group_size 0: the small run of four rows is compared too, and passes
            {
                "id": "dp",
                "metric": "demographic_parity_difference",
                "over": ["g"],
                "max": 0.1,
                "min_group_size": 0,
            }
        ],
    }


def _validate(site: Site, system_id: str, suite: dict[str, Any]) -> dict[str, Any]:
    made = site.client.post(
        f"/api/v1/systems/{system_id}/validations",
        json={"suite": suite},
        headers=site.auth(R.DATA_SCIENTIST),
    )
    assert made.status_code == 201, made.text
    found: dict[str, Any] = made.json()
    return found


def _pricing_model(site: Site, *tags: str) -> str:
    """A high-risk pricing model in validation, with the policy library in force."""
    world = site.world
    system = world.system()
    world.full_raci(system.id)
    world.advance(system.id, S.IN_VALIDATION)
    changed = site.client.patch(
        f"/api/v1/systems/{system.id}",
        json={"risk_tier": "high", "tags": ["decides-on-people", *tags]},
        headers=site.auth(R.CHIEF_AI_OFFICER),
    )
    assert changed.status_code == 200, changed.text
    policies.load_policies(
        world.ctx, world.actor(R.CHIEF_AI_OFFICER), load_policy_files([library_path()])
    )
    return system.id


def _requirement(site: Site, system_id: str, policy: str, requirement: str) -> dict[str, Any]:
    gate = site.client.get(
        f"/api/v1/systems/{system_id}/gate?to=approved_for_deployment&policies_only=true",
        headers=site.auth(R.AUDITOR),
    ).json()
    verdict = next(p for p in gate["policies"] if p["policy_id"] == policy)
    found: dict[str, Any] = next(
        r for r in verdict["requirements"] if r["requirement_id"] == requirement
    )
    return found


def _parity(site: Site, system_id: str) -> dict[str, Any]:
    return _requirement(site, system_id, "fairness-decisions-on-people", "parity")


def test_a_small_newer_run_does_not_outweigh_the_failing_full_run(site: Site) -> None:
    system_id = _pricing_model(site)
    _scores(site.data / "holdout.csv", 16281, {"a": 0.6, "b": 0.3})
    _scores(site.data / "picked.csv", 4, {"a": 0.5, "b": 0.5})
    full = _validate(site, system_id, _suite("pricing-fairness", "holdout.csv"))
    assert full["rows"] == 16281 and not full["passed"]
    picked = _validate(site, system_id, _suite("pricing-fairness", "picked.csv"))
    assert picked["rows"] == 4 and picked["passed"]
    parity = _parity(site, system_id)
    assert parity["verdict"] == "not_satisfied", parity
    assert parity["basis"] == full["id"]
    assert f"{picked['id']}: 4 rows" in parity["reason"]


def test_only_the_official_suite_counts_once_declared(site: Site) -> None:
    system_id = _pricing_model(site)
    _scores(site.data / "holdout.csv", 4000, {"a": 0.6, "b": 0.3})
    _scores(site.data / "subset.csv", 2000, {"a": 0.5, "b": 0.5})
    official = _validate(site, system_id, _suite("pricing-fairness", "holdout.csv"))
    path = f"/api/v1/systems/{system_id}"
    body = {"official_suite": "pricing-fairness"}
    assert (
        site.client.patch(path, json=body, headers=site.auth(R.DATA_SCIENTIST)).status_code == 403
    )
    assert site.client.patch(path, json=body, headers=site.auth(R.ETHICS_COMPLIANCE)).is_success
    _validate(site, system_id, _suite("adhoc-subset", "subset.csv"))
    parity = _parity(site, system_id)
    assert parity["verdict"] == "not_satisfied" and parity["basis"] == official["id"], parity
    assert "not the official suite" in parity["reason"]


def test_the_system_page_shows_rows_and_the_evidence_the_gate_used(site: Site) -> None:
    system_id = _pricing_model(site)
    _scores(site.data / "holdout.csv", 1200, {"a": 0.5, "b": 0.5})
    used = _validate(site, system_id, _suite("pricing-fairness", "holdout.csv"))
    assert site.sign_in(R.AUDITOR).status_code == 303
    page = site.client.get(f"/ui/systems/{system_id}").text
    evidence = page.split('id="h-evidence">Evidence</h2>', 1)[1].split("<h2", 1)[0]
    assert used["rows"] == 1200 and evidence.count("<tbody><tr>") == 1  # the one run
    row = next(r for r in evidence.split("<tr>") if "used by the gate" in r)
    assert "<td>1,200</td>" in row, "row count not shown on the run the gate used"


def test_document_kinds_come_from_a_vocabulary_and_documents_are_superseded(site: Site) -> None:
    system_id = _pricing_model(site, "personal-data")
    docs = f"/api/v1/systems/{system_id}/documents"
    builder, ethics = site.auth(R.DATA_SCIENTIST), site.auth(R.ETHICS_COMPLIANCE)
    typo = site.client.post(
        docs, json={"kind": "dpai", "title": "DPIA", "uri": "u"}, headers=builder
    )
    assert typo.status_code == 422 and "dpia" in typo.json()["detail"]
    bad_policy = {
        "id": "typo", "title": "Typo",
        "requirements": [{"id": "d", "kind": "document", "document": "dpai"}],
    }  # fmt: skip
    loaded = site.client.post(
        "/api/v1/policies", json={"policies": [bad_policy]}, headers=site.auth(R.CHIEF_AI_OFFICER)
    )
    assert loaded.status_code == 422 and "dpai" in loaded.json()["detail"]
    first = site.client.post(
        docs, json={"kind": "dpia", "title": "DPIA v1", "uri": "dms://1"}, headers=builder
    ).json()
    approve = {"role": "ethics_compliance_officer"}
    done = site.client.post(
        f"/api/v1/documents/{first['id']}/approve", json=approve, headers=ethics
    )
    assert done.status_code == 200, done.text
    assert _requirement(site, system_id, "gdpr-dpia", "dpia")["verdict"] == "satisfied"
    second = site.client.post(
        docs,
        json={"kind": "dpia", "title": "DPIA v2", "uri": "dms://2", "supersedes": first["id"]},
        headers=builder,
    )
    assert second.status_code == 201, second.text
    listed = {d["id"]: d for d in site.client.get(docs, headers=ethics).json()["items"]}
    assert listed[first["id"]]["superseded_by"] == second.json()["id"]
    dpia = _requirement(site, system_id, "gdpr-dpia", "dpia")
    assert dpia["verdict"] == "not_satisfied" and dpia["basis"] == second.json()["id"], dpia
    again = site.client.post(
        docs,
        json={"kind": "dpia", "title": "DPIA v3", "uri": "dms://3", "supersedes": first["id"]},
        headers=builder,
    )
    assert again.status_code == 409, again.text
