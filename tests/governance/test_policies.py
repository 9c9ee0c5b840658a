"""Policies: parsing, selectors, every requirement kind and verdict, waivers."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from charter.accountability.domain.raci import Finding, FindingKind
from charter.governance.domain.expr import compile_expression
from charter.governance.domain.gates import GateFacts, evaluate_policy, judge_requirement
from charter.governance.domain.waivers import Document, Waiver
from charter.governance.files import check_policy, library_path, load_policy_files
from charter.inventory.domain import AISystem, OperatorRole, RiskTier
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.errors import InvalidInput
from charter.kernel.roles import RoleAssignment, RoleKind, ScopeKind
from charter.kernel.verdicts import Verdict
from charter.validation.domain.evidence import CheckResult, Evidence
from charter.validation.domain.suite import Severity
from tests.shared import shared

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)
SYSTEM = AISystem(
    "sys1", "Credit", "score", "bu1", "p_owner", S.IN_VALIDATION, OperatorRole.PROVIDER,
    RiskTier.HIGH, tags=("decides-on-people", "personal-data"),
)  # fmt: skip


def policy(*requirements: dict[str, Any], **applies: Any) -> Any:
    raw = {"id": "p", "title": "P", "applies": applies, "requirements": list(requirements)}
    return check_policy(raw, "test")


def evidence(
    metric: str, value: float | None, days_old: int = 1, version: str | None = None
) -> Evidence:
    result = CheckResult(metric, metric, value, None, 0.1, Severity.BLOCKING, Verdict.SATISFIED)
    return Evidence(
        f"ev_{metric}_{days_old}", "sys1", "s", "d", "f", "duckdb", NOW - timedelta(days=days_old),
        "p1", 5, (result,), version,
    )  # fmt: skip


def facts(**extra: Any) -> GateFacts:
    return replace(GateFacts(SYSTEM, NOW), **extra)


DP = {"id": "dp", "kind": "evidence", "metric": "demographic_parity_difference", "max": 0.1,
      "max_age_days": 30}  # fmt: skip


def verdict_of(req: dict[str, Any], f: GateFacts) -> tuple[Verdict, str]:
    p = policy(req)
    found = judge_requirement(p, p.requirements[0], f)
    return found.verdict, found.reason


def test_evidence_verdicts() -> None:
    assert verdict_of(DP, facts())[0] is Verdict.INCONCLUSIVE  # no evidence: never satisfied
    ok = facts(evidence=[evidence("demographic_parity_difference", 0.05)])
    assert verdict_of(DP, ok) == (
        Verdict.SATISFIED,
        "demographic_parity_difference = 0.05 (check demographic_parity_difference, evidence "
        "ev_demographic_parity_difference_1), needs <= 0.1",
    )
    bad = facts(evidence=[evidence("demographic_parity_difference", 0.2)])
    assert verdict_of(DP, bad)[0] is Verdict.NOT_SATISFIED
    stale = facts(evidence=[evidence("demographic_parity_difference", 0.05, days_old=40)])
    verdict, reason = verdict_of(DP, stale)
    assert verdict is Verdict.INCONCLUSIVE and "stale" in reason
    undefined = facts(evidence=[evidence("demographic_parity_difference", None)])
    assert verdict_of(DP, undefined)[0] is Verdict.INCONCLUSIVE
    newest_first = facts(
        evidence=[
            evidence("demographic_parity_difference", 0.2, days_old=1),
            evidence("demographic_parity_difference", 0.01, days_old=5),
        ]
    )
    assert verdict_of(DP, newest_first)[0] is Verdict.NOT_SATISFIED  # the latest run decides


def test_evidence_must_be_for_the_current_model_version() -> None:
    req = {**DP, "model_version": "current"}
    old = facts(
        evidence=[evidence("demographic_parity_difference", 0.05, version="mv1")],
        current_model_version="mv2",
    )
    verdict, reason = verdict_of(req, old)
    assert verdict is Verdict.INCONCLUSIVE and "mv2" in reason
    current = replace(old, current_model_version="mv1")
    assert verdict_of(req, current)[0] is Verdict.SATISFIED


def _doc(approved: RoleKind | None) -> Document:
    return Document(
        "doc1", "sys1", "dpia", "DPIA", "u", "p1", NOW,
        "p2" if approved else None, approved, NOW if approved else None,
    )  # fmt: skip


def test_document_verdicts() -> None:
    req = {
        "id": "d",
        "kind": "document",
        "document": "dpia",
        "approved_by": ["ethics_compliance_officer"],
    }
    assert verdict_of(req, facts())[0] is Verdict.NOT_SATISFIED
    assert verdict_of(req, facts(documents=[_doc(None)]))[0] is Verdict.NOT_SATISFIED
    wrong_role = facts(documents=[_doc(RoleKind.DATA_SCIENTIST)])
    assert verdict_of(req, wrong_role)[0] is Verdict.NOT_SATISFIED
    approved = facts(documents=[_doc(RoleKind.ETHICS_COMPLIANCE)])
    assert verdict_of(req, approved)[0] is Verdict.SATISFIED


def test_approval_and_accountability_verdicts() -> None:
    req = {"id": "a", "kind": "approval", "roles": ["governance_board_member"]}
    assert verdict_of(req, facts())[0] is Verdict.NOT_SATISFIED
    board = RoleAssignment("r1", "p9", RoleKind.BOARD_MEMBER, ScopeKind.ORGANISATION)
    assert verdict_of(req, facts(approvals=[("p9", board)]))[0] is Verdict.SATISFIED
    acc = {"id": "r", "kind": "accountability", "raci_complete": True, "owner_named": True}
    assert verdict_of(acc, facts())[0] is Verdict.SATISFIED
    gaps = facts(findings=[Finding("sys1", FindingKind.NO_RESPONSIBLE, "x")])
    assert verdict_of(acc, gaps)[0] is Verdict.NOT_SATISFIED
    orphan = facts(system=replace(SYSTEM, owner_id=None))
    assert verdict_of(acc, orphan) == (Verdict.NOT_SATISFIED, "no owner named")


def test_plugins_decide_or_are_inconclusive_when_missing() -> None:
    req = {"id": "x", "kind": "plugin", "plugin": "pen-test", "params": {"max_age_days": 90}}
    verdict, reason = verdict_of(req, facts())
    assert verdict is Verdict.INCONCLUSIVE and "not installed" in reason

    def pen_test(requirement: Any, f: GateFacts) -> tuple[Verdict, str]:
        return Verdict.SATISFIED, f"pen test passed ({requirement.params['max_age_days']} days)"

    assert verdict_of(req, facts(plugins={"pen-test": pen_test}))[0] is Verdict.SATISFIED


def _waiver(**changes: Any) -> Waiver:
    base = Waiver("wv1", "sys1", "p", "dp", "why", "weekly review", "p5",
                  NOW - timedelta(days=1), NOW + timedelta(days=10))  # fmt: skip
    return replace(base, **changes)


def test_waivers_cover_one_requirement_until_they_expire() -> None:
    bad = [evidence("demographic_parity_difference", 0.2)]
    verdict, reason = verdict_of(DP, facts(evidence=bad, waivers=[_waiver()]))
    assert verdict is Verdict.WAIVED and "wv1" in reason
    expired = _waiver(expires_at=NOW - timedelta(seconds=1))
    assert verdict_of(DP, facts(evidence=bad, waivers=[expired]))[0] is Verdict.NOT_SATISFIED
    revoked = _waiver(revoked_at=NOW - timedelta(hours=1))
    assert verdict_of(DP, facts(evidence=bad, waivers=[revoked]))[0] is Verdict.NOT_SATISFIED
    other = _waiver(requirement_id="odds")
    assert verdict_of(DP, facts(evidence=bad, waivers=[other]))[0] is Verdict.NOT_SATISFIED
    missing = facts(waivers=[_waiver()])  # a waiver also covers missing evidence
    assert verdict_of(DP, missing)[0] is Verdict.WAIVED


def test_a_waiver_awaiting_its_second_person_says_so_and_who_may_confirm_it() -> None:
    bad = [evidence("demographic_parity_difference", 0.2)]
    awaiting = [_waiver(needs_second=True)]
    known = {"p5": "Ana Granter", "p6": "Ben Second"}
    verdict, reason = verdict_of(DP, facts(evidence=bad, waivers=awaiting, confirmers=known))
    assert verdict is Verdict.NOT_SATISFIED
    assert reason.endswith("waiver wv1 awaits confirmation by a second person (four eyes): "
                           "granted by Ana Granter, it may be confirmed by Ben Second")  # fmt: skip
    alone = facts(evidence=bad, waivers=awaiting, confirmers={"p5": "Ana Granter"})
    assert "none but the granter today" in verdict_of(DP, alone)[1]
    unread = facts(evidence=bad, waivers=awaiting)  # a posture does not read who may
    assert "by another holder of a waiver right on the system" in verdict_of(DP, unread)[1]
    confirmed = [_waiver(needs_second=True, second_by="p6", second_at=NOW)]
    assert verdict_of(DP, facts(evidence=bad, waivers=confirmed))[0] is Verdict.WAIVED


@pytest.mark.parametrize(
    ("applies", "source", "target", "expected"),
    [
        ({}, S.IN_VALIDATION, S.APPROVED_FOR_DEPLOYMENT, True),
        ({"risk_tiers": ["minimal"]}, None, None, False),
        ({"operator_roles": ["deployer"]}, None, None, False),
        ({"tags_any": ["public-service", "personal-data"]}, None, None, True),
        ({"business_units": ["bu2"]}, None, None, False),
        ({"transitions": [{"to": "deployed"}]}, S.IN_VALIDATION, S.APPROVED_FOR_DEPLOYMENT, False),
        ({"transitions": [{"from": "assessed", "to": "approved_for_deployment"}]},
         S.IN_VALIDATION, S.APPROVED_FOR_DEPLOYMENT, False),
        ({"transitions": [{"to": "approved_for_deployment"}]},
         S.IN_VALIDATION, S.APPROVED_FOR_DEPLOYMENT, True),
        ({"when": 'risk_tier == "high" && "decides-on-people" in tags'}, None, None, True),
        ({"when": '!(operator_role in ["provider"])'}, None, None, False),
    ],
)  # fmt: skip
def test_selectors(applies: dict[str, Any], source: Any, target: Any, expected: bool) -> None:
    p = policy(DP, **applies)
    assert p.applies_to(SYSTEM, source, target) is expected
    found = evaluate_policy(p, facts(), source, target)
    assert (found.verdict is not Verdict.NOT_APPLICABLE) is expected


def test_a_policy_is_as_good_as_its_worst_requirement() -> None:
    p = policy(DP, {"id": "r", "kind": "accountability", "owner_named": True})
    assert evaluate_policy(p, facts(), None, None).verdict is Verdict.INCONCLUSIVE
    ok = facts(evidence=[evidence("demographic_parity_difference", 0.01)])
    assert evaluate_policy(p, ok, None, None).verdict is Verdict.SATISFIED


APPROVE = {"id": "a", "kind": "approval", "roles": ["auditor"]}


def _raw(requirements: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"id": "p", "title": "t", "requirements": requirements, **extra}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"id": "p", "title": "t"}, "'requirements' is a required property"),
        ({**_raw([APPROVE]), "id": "P!"}, "id"),
        (_raw([{"id": "a", "kind": "oracle"}]), "requirements/0/kind"),
        (_raw([{"id": "a", "kind": "evidence"}]), "requirements/0"),
        (_raw([{**APPROVE, "roles": ["king"]}]), "roles/0"),
        (_raw([{"id": "a", "kind": "evidence", "metric": "vibes"}]), "unknown metric"),
        (_raw([APPROVE], applies={"when": "import os"}), "expression"),
        (_raw([APPROVE, APPROVE]), "unique"),
        (_raw([], surprise=1), "surprise"),
    ],
)
def test_malformed_policies_name_the_problem(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInput, match=re.escape(message)):
        check_policy(raw, "test")


def test_expressions_are_parsed_never_evaluated_as_python() -> None:
    for text in ("__import__('os').system('true')", "a.__class__()", "open('x')", "a ; b", "1 +"):
        with pytest.raises(InvalidInput):
            compile_expression(text)
    expr = compile_expression("tags == null || size > 3")
    assert expr({"tags": None}) is True and expr({"tags": [], "size": "x"}) is False


def test_the_library_has_at_least_twenty_policies_that_load() -> None:
    items = load_policy_files([library_path()])
    assert len(items) >= 20
    assert all(r.cites for _, p in items for r in p.requirements), "every requirement cites"


def test_library_cites_exist_in_the_framework_reference() -> None:
    frameworks = shared("reference", "frameworks.yaml")
    known = set(re.findall(r"id:\s*\"?([A-Za-z0-9_. ()\-]+?)\"?\s*[,}\n]", frameworks.read_text()))
    cited = {
        c for _, p in load_policy_files([library_path()]) for r in p.requirements for c in r.cites
    }
    assert cited - known == set()


def test_a_policy_file_may_hold_one_policy_or_a_list(tmp_path: Path) -> None:
    one = {
        "id": "solo",
        "title": "t",
        "requirements": [{"id": "a", "kind": "approval", "roles": ["auditor"]}],
    }
    (tmp_path / "one.yaml").write_text(yaml.safe_dump(one))
    (tmp_path / "two.yaml").write_text(yaml.safe_dump([{**one, "id": "duo"}]))
    assert [p.id for _, p in load_policy_files([tmp_path])] == ["solo", "duo"]
    (tmp_path / "three.yaml").write_text(yaml.safe_dump(one))
    with pytest.raises(InvalidInput, match="used twice: solo"):
        load_policy_files([tmp_path])
    (tmp_path / "bad.yaml").write_text("id: [unclosed")
    with pytest.raises(InvalidInput, match=r"bad\.yaml is not valid YAML"):
        load_policy_files([tmp_path / "bad.yaml"])


def test_a_metric_checked_per_attribute_is_judged_by_its_worst_result() -> None:
    fine = CheckResult("dp-sex", "demographic_parity_difference", 0.02, None, 0.1,
                       Severity.BLOCKING, Verdict.SATISFIED)  # fmt: skip
    poor = replace(fine, check_id="dp-age", value=0.3)
    ev = replace(evidence("demographic_parity_difference", 0.0), results=(fine, poor))
    verdict, reason = verdict_of(DP, facts(evidence=[ev]))
    assert verdict is Verdict.NOT_SATISFIED and "dp-age" in reason
    only = {**DP, "check": "dp-sex"}
    assert verdict_of(only, facts(evidence=[ev]))[0] is Verdict.SATISFIED
