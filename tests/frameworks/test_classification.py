"""EU AI Act classification: scenarios with the expected tier and the cited article or Annex
point; obligations by role with their dates; answers that are not understood are refused."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from charter.frameworks.domain.classification import classify
from charter.frameworks.files import classification_data
from charter.inventory.domain import OperatorRole, RiskTier
from charter.kernel.errors import InvalidInput
from tests.shared import shared

SCENARIOS = yaml.safe_load((Path(__file__).parent / "classification_scenarios.yaml").read_text())
TODAY = date(2026, 11, 28)


def test_there_are_at_least_forty_scenarios() -> None:
    assert len(SCENARIOS) >= 40


@pytest.mark.parametrize("case", SCENARIOS, ids=[c["name"] for c in SCENARIOS])
def test_scenario(case: dict[str, Any]) -> None:
    result = classify(classification_data(), case["answers"], OperatorRole.PROVIDER, TODAY)
    assert result.tier == case["tier"]
    cited = {s.cite for s in result.reasoning}
    assert set(case["cites"]) <= cited, [s.cite for s in result.reasoning]
    obligations = {o.id for o in result.obligations}
    assert set(case.get("obligations", [])) <= obligations
    if "uncertain" in case:
        assert result.uncertain is case["uncertain"]


def test_high_risk_obligations_and_their_dates_follow_the_chosen_schedule() -> None:
    answers: dict[str, Any] = {"annex_iii": ["4.a"]}
    amended = classify(classification_data(), answers, OperatorRole.PROVIDER, TODAY)
    by_id = {o.id: o for o in amended.obligations}
    assert amended.risk_tier is RiskTier.HIGH and amended.schedule == "amended"
    assert by_id["EUAIA.ART9"].applies_from == date(2027, 12, 2)
    assert not by_id["EUAIA.ART9"].in_force and by_id["EUAIA.ART9"].uncertain
    assert by_id["EUAIA.ART4"].in_force  # AI literacy since 2 Feb 2025
    original = classify(
        classification_data(), {**answers, "schedule": "original"}, OperatorRole.PROVIDER, TODAY
    )
    art9 = next(o for o in original.obligations if o.id == "EUAIA.ART9")
    assert art9.applies_from == date(2026, 8, 2) and art9.in_force and not art9.uncertain
    annex_i = classify(
        classification_data(),
        {"annex_i_product": True, "annex_i_third_party_assessment": True},
        OperatorRole.PROVIDER,
        TODAY,
    )
    assert next(o for o in annex_i.obligations if o.id == "EUAIA.ART9").applies_from == date(
        2028, 8, 2
    )


def test_the_role_decides_which_obligations_bind() -> None:
    answers = {"annex_iii": ["5.b"]}
    provider = {
        o.id
        for o in classify(classification_data(), answers, OperatorRole.PROVIDER, TODAY).obligations
    }
    deployer = {
        o.id
        for o in classify(classification_data(), answers, OperatorRole.DEPLOYER, TODAY).obligations
    }
    assert {"EUAIA.ART9", "EUAIA.ART43"} <= provider and "EUAIA.ART26" not in provider
    assert {"EUAIA.ART26", "EUAIA.ART86"} <= deployer and "EUAIA.ART9" not in deployer
    assert "EUAIA.ART27" not in deployer  # only public-service deployers


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"annex_iii": ["9.z"]}, "unknown point(s) 9.z"),
        ({"annex_iii": "4.a"}, "must be a list"),
        ({"prohibited": ["5.1.z"]}, "unknown point(s) 5.1.z"),
        ({"profiling": "yes"}, "true or false"),
        ({"derogation": "e", "annex_iii": ["4.a"]}, "one of a, b, c, d"),
        ({"out_of_scope": "holiday"}, "out_of_scope"),
        ({"schedule": "someday"}, "original or amended"),
        ({"colour": "blue"}, "unknown answer(s): colour"),
        ({"role": "king"}, "provider, deployer"),
    ],
)
def test_answers_that_are_not_understood_are_refused(answers: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInput, match=re.escape(message)):
        classify(classification_data(), answers, OperatorRole.PROVIDER, TODAY)


def test_every_cited_id_exists_in_the_framework_reference() -> None:
    frameworks = shared("reference", "frameworks.yaml")
    known = set(re.findall(r"id:\s*\"?([A-Za-z0-9_. ()\-]+?)\"?\s*[,}\n]", frameworks.read_text()))
    data = classification_data()
    ids = {o["id"] for o in data["obligations"]} | {t["id"] for t in data["transparency"].values()}
    ids |= {f"EUAIA.ANNEXIII.{p}" for p in data["annex_iii"]}
    ids |= {f"EUAIA.ART{p}" for p in data["prohibited"]}
    ids |= {f"EUAIA.ART6.3.{c}" for c in data["derogations"]}
    for case in SCENARIOS:
        result = classify(data, case["answers"], OperatorRole.PROVIDER, TODAY)
        ids |= {s.cite for s in result.reasoning}
    assert ids - known == set()
