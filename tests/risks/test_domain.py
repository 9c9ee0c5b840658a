"""The register's pure rules, time injected: ratings and bands, the residual rule (controls
failing or stale push the residual back toward the inherent rating), appetite, acceptance,
staleness of control tests, and the gate's verdict."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path

import pytest

from charter.governance.domain.risk_view import judge_appetite
from charter.kernel.errors import InvalidInput
from charter.kernel.verdicts import Verdict
from charter.risks.domain.controls import (
    Control,
    ControlTest,
    Effectiveness,
    Outcome,
    control_problems,
    effectiveness,
    manual_outcome,
)
from charter.risks.domain.controls import (
    TestKind as By,
)
from charter.risks.domain.model import ControlState, Rating, ResidualRule, residual
from charter.risks.domain.register import Risk, Treatment, risk_problems
from charter.risks.domain.standing import (
    Acceptance,
    AppetiteStatement,
    Standing,
    appetite_for,
    check_acceptance_terms,
    position,
)
from charter.risks.domain.views import gate_view, heat_map
from charter.risks.files import default_model, load_model

NOW = datetime(2027, 3, 1, 12, tzinfo=UTC)
MODEL = default_model()
S = ControlState


def _risk(**changes: object) -> Risk:
    base = Risk(
        "rsk_1", "Skewed approvals", "MIT.1.1", "history", "unequal treatment", "p_1", 4, 4, 2,
        2, Treatment.MITIGATE, NOW - timedelta(days=10), "p_1", "sys_1",
        review_by=date(2027, 6, 1),
    )  # fmt: skip
    return replace(base, **changes)  # type: ignore[arg-type]


def _control(max_age: int = 90) -> Control:
    return Control("ctl_1", "Parity", By.CHECK, "p_1", NOW, "p_1", "sys_1", check_id="dp",
                   max_age_days=max_age)  # fmt: skip


def _with(*states: ControlState) -> list[tuple[Control, Effectiveness]]:
    return [(_control(), Effectiveness(s, s.value)) for s in states]


def test_bands_follow_likelihood_times_impact() -> None:
    assert [MODEL.band(n).name for n in (1, 4, 5, 9, 10, 16, 20, 25)] == [
        "low", "low", "medium", "medium", "high", "high", "critical", "critical",
    ]  # fmt: skip
    assert MODEL.rating_problems(Rating(0, 6), "inherent") == [
        "inherent likelihood must be one of 1-5",
        "inherent impact must be one of 1-5",
    ]


@pytest.mark.parametrize(
    ("kept", "expected"),
    [(100, (2, 2)), (50, (3, 3)), (0, (4, 4)), (75, (3, 3)), (99, (3, 3))],
)
def test_the_residual_lies_between_target_and_inherent_rounded_toward_inherent(
    kept: int, expected: tuple[int, int]
) -> None:
    found = residual(Rating(4, 4), Rating(2, 2), kept)
    assert (found.likelihood, found.impact) == expected


def test_control_states_keep_their_credit_and_combine_by_the_rule() -> None:
    rule = MODEL.rule
    assert rule.kept([]) == 0  # no control: nothing kept, whatever is claimed
    assert rule.kept([S.EFFECTIVE]) == 100
    assert rule.kept([S.STALE]) == 50
    assert rule.kept([S.FAILING]) == rule.kept([S.UNTESTED]) == 0
    assert rule.kept([S.EFFECTIVE, S.FAILING]) == 50
    weakest = ResidualRule(rule.credit, "weakest")
    assert weakest.kept([S.EFFECTIVE, S.STALE]) == 50


def test_a_failing_control_puts_the_risk_back_above_appetite() -> None:
    risk = _risk()
    working = position(MODEL, risk, "high", _with(S.EFFECTIVE), [], [], NOW)
    assert (working.residual_band, working.appetite_band, working.standing) == (
        "low", "medium", Standing.WITHIN,
    )  # fmt: skip
    failing = position(MODEL, risk, "high", _with(S.FAILING), [], [], NOW)
    assert (failing.residual, failing.standing) == (Rating(4, 4), Standing.ABOVE)
    assert [c.id for c in failing.failing] == ["ctl_1"]


def test_a_passing_test_goes_stale_after_the_controls_interval() -> None:
    control = _control(max_age=30)
    passed = Outcome(True, NOW - timedelta(days=30), "ev_1", "dp satisfied")
    assert effectiveness(control, passed, NOW).state is S.EFFECTIVE
    later = NOW + timedelta(days=1)
    assert effectiveness(control, passed, later).state is S.STALE
    failed = Outcome(False, NOW - timedelta(days=400), "ev_2", "dp = 0.3")
    assert effectiveness(control, failed, NOW).state is S.FAILING  # however old
    assert effectiveness(control, Outcome(None, None, None, "no data"), NOW).state is S.UNTESTED


def test_the_latest_manual_test_counts() -> None:
    tests = [
        ControlTest("t1", "ctl_1", True, NOW - timedelta(days=20), "p", "ok", NOW),
        ControlTest("t2", "ctl_1", False, NOW - timedelta(days=2), "p", "broken", NOW),
    ]
    assert manual_outcome(tests).passed is False
    assert manual_outcome([]).passed is None


def test_appetite_takes_the_most_specific_statement() -> None:
    def stated(category: str, tier: str, band: str) -> AppetiteStatement:
        return AppetiteStatement(f"a-{category}-{tier}", category, tier, band, "why", "p", NOW)

    statements = [stated("*", "*", "high"), stated("MIT.1", "*", "medium"),
                  stated("MIT.1.1", "high", "low")]  # fmt: skip
    specific = appetite_for(MODEL, statements, "MIT.1.1", "high")
    assert (specific.band, specific.statement_id) == ("low", "a-MIT.1.1-high")
    assert specific.label == f"Appetite for {MODEL.catalogue['MIT.1.1'].title}, high-tier systems"
    domain = appetite_for(MODEL, statements, "MIT.1.1", "limited")
    assert domain.band == "medium" and "(its domain), systems of any tier" in domain.label
    every = appetite_for(MODEL, statements, "GAI.2", "limited")
    assert (every.band, every.label) == ("high", "Appetite for every category, systems of any tier")
    default = appetite_for(MODEL, [], "GAI.2", "prohibited")
    assert (default.band, default.source, default.statement_id) == (
        "low", "the model's default for prohibited", None,
    )  # fmt: skip
    assert default.label == "The risk model's default, prohibited-tier systems"


def test_an_acceptance_covers_the_score_accepted_until_it_expires() -> None:
    risk = _risk()
    accepted = Acceptance("acc_1", "rsk_1", "bdy_1", "bd_1", "monthly report", 16, "high",
                          NOW, NOW + timedelta(days=30), "p_1")  # fmt: skip
    found = position(MODEL, risk, "high", _with(S.FAILING), [], [accepted], NOW)
    assert found.standing is Standing.ACCEPTED and found.acceptance == accepted
    lapsed = position(MODEL, risk, "high", [], [], [accepted], NOW + timedelta(days=30))
    assert lapsed.standing is Standing.ABOVE
    worse = replace(accepted, accepted_score=12)  # accepted at 12; now 16
    assert position(MODEL, risk, "high", [], [], [worse], NOW).standing is Standing.ABOVE
    revoked = replace(accepted, revoked_at=NOW)
    assert position(MODEL, risk, "high", [], [], [revoked], NOW).standing is Standing.ABOVE


def test_acceptance_terms_are_checked_all_at_once() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_acceptance_terms(" ", NOW, NOW - timedelta(days=1))
    assert [e["msg"] for e in caught.value.details["errors"]] == [
        "an acceptance states its conditions",
        "an acceptance must expire after it is given",
    ]
    with pytest.raises(InvalidInput, match="at most 366 days"):
        check_acceptance_terms("ok", NOW, NOW + timedelta(days=367))


def test_a_risk_lists_every_problem() -> None:
    bad = _risk(title=" ", category="nope", inherent_likelihood=9, target_impact=5)
    assert risk_problems(MODEL, bad) == [
        "title must not be empty",
        "unknown category 'nope' (see the risk catalogue)",
        "inherent likelihood must be one of 1-5",
        "the residual rating may not exceed the inherent one on either axis",
    ]
    manual = Control("c", " ", By.DOCUMENT, "p", NOW, "p", max_age_days=0)
    assert control_problems(manual) == [
        "title must not be empty",
        "max_age_days is from 1 to 731",
        "a document control names a document kind and approvers",
        "a document control is tested on a system: name it",
    ]


def test_the_gate_verdict_on_the_registers_view() -> None:
    within = gate_view(position(MODEL, _risk(), "high", _with(S.EFFECTIVE), [], [], NOW))
    above = gate_view(position(MODEL, _risk(), "high", _with(S.FAILING), [], [], NOW))
    assert judge_appetite([within], True)[0] is Verdict.SATISFIED
    verdict, reason, _ = judge_appetite([within, above], True)
    assert verdict is Verdict.NOT_SATISFIED and "Skewed approvals (rsk_1" in reason
    assert judge_appetite([], True)[0] is Verdict.INCONCLUSIVE
    assert judge_appetite([], False)[0] is Verdict.SATISFIED


def test_the_heat_map_counts_before_and_after_controls() -> None:
    found = [position(MODEL, _risk(), "high", _with(S.EFFECTIVE), [], [], NOW)]
    cells = {(c.likelihood, c.impact): c for c in heat_map(MODEL, found)}
    assert len(cells) == 25
    assert (cells[4, 4].inherent, cells[4, 4].residual) == (1, 0)
    assert (cells[2, 2].inherent, cells[2, 2].residual) == (0, 1)


def test_a_model_file_must_be_coherent(tmp_path: Path) -> None:
    shipped = json.loads(resources.files("charter.risks").joinpath("data/model.json").read_text())
    shipped["likelihood"][1]["value"] = 3  # 1, 3, 3, 4, 5
    bad = tmp_path / "model.json"
    bad.write_text(json.dumps(shipped))
    with pytest.raises(InvalidInput, match="counts 1, 2, 3"):
        load_model(bad)
    shipped = json.loads(resources.files("charter.risks").joinpath("data/model.json").read_text())
    shipped["high_bands"] = ["severe"]
    bad.write_text(json.dumps(shipped))
    with pytest.raises(InvalidInput, match="unknown band\\(s\\) severe"):
        load_model(bad)


def test_an_organisation_adds_its_own_categories_and_ids_may_not_clash(tmp_path: Path) -> None:
    own = tmp_path / "ours.yaml"
    own.write_text(
        "version: '1'\n"
        "sources: {ours: {title: Internal risk taxonomy 2026, url: 'https://intranet.example/rt'}}\n"
        "domains: {ORG: {title: Operational, source: ours}}\n"
        "categories:\n"
        "  - {id: ORG.1, domain: ORG, ref: '1', title: Vendor lock-in, description: One supplier}\n"
    )
    model = load_model(None, own)
    assert model.catalogue["ORG.1"].source == "Internal risk taxonomy 2026"
    assert "MIT.1.1" in model.catalogue  # the shipped ones stay
    own.write_text(own.read_text().replace("ORG.1,", "MIT.1.1,"))
    with pytest.raises(InvalidInput, match=r"'MIT\.1\.1' is used twice"):
        load_model(None, own)
