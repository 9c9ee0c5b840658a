"""EU AI Act classification: scenarios with the expected tier and the cited article or Annex
point; dates by schedule and ground; dual roles; general-purpose AI models; scope
exclusions; prohibited practices; the uncertain flag; answers refused with every problem
named; every id the classification can cite exists in the shipped EU AI Act pack."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from charter.frameworks.domain.classification import Classification, classify, in_force
from charter.frameworks.files import classification_data, load_packs
from charter.inventory.domain import OperatorRole, RiskTier
from charter.kernel.errors import InvalidInput

SCENARIOS = yaml.safe_load((Path(__file__).parent / "classification_scenarios.yaml").read_text())
TODAY = date(2026, 11, 28)
OMNIBUS = "Regulation (EU) 2026/1744"


def run(answers: dict[str, Any], role: OperatorRole = OperatorRole.PROVIDER) -> Classification:
    return classify(classification_data(), answers, role, TODAY)


def duties(result: Classification) -> dict[tuple[str, str, str], Any]:
    return {(o.id, o.role, o.ground): o for o in result.obligations}


def test_there_are_at_least_forty_scenarios() -> None:
    assert len(SCENARIOS) >= 40


@pytest.mark.parametrize("case", SCENARIOS, ids=[c["name"] for c in SCENARIOS])
def test_scenario(case: dict[str, Any]) -> None:
    result = run(case["answers"])
    assert result.tier == case["tier"]
    cited = {s.cite for s in result.reasoning}
    assert set(case["cites"]) <= cited, [s.cite for s in result.reasoning]
    assert set(case.get("obligations", [])) <= {o.id for o in result.obligations}
    if "uncertain" in case:
        assert result.uncertain is case["uncertain"]


def test_each_obligation_carries_the_date_of_its_own_schedule_and_ground() -> None:
    both = {"annex_iii": ["4.a"], "annex_i_product": True, "annex_i_third_party_assessment": True}
    amended = run(both)
    assert amended.schedule == "amended" and amended.grounds == ("annex_i", "annex_iii")
    by = duties(amended)
    assert by[("EUAIA.ART9", "provider", "annex_iii")].applies_from == date(2027, 12, 2)
    assert by[("EUAIA.ART9", "provider", "annex_i")].applies_from == date(2028, 8, 2)
    assert ("EUAIA.ART49.1", "provider", "annex_i") not in by  # Art. 49(1): Annex III only
    assert OMNIBUS in by[("EUAIA.ART9", "provider", "annex_iii")].uncertain_because
    assert by[("EUAIA.ART4", "provider", "system")].in_force  # AI literacy since 2 Feb 2025
    original = duties(run({**both, "schedule": "original"}))
    art9 = original[("EUAIA.ART9", "provider", "annex_iii")]
    assert art9.applies_from == date(2026, 8, 2) and art9.in_force and not art9.uncertain
    assert original[("EUAIA.ART9", "provider", "annex_i")].applies_from == date(2027, 8, 2)


def test_the_schedule_in_force_is_the_default() -> None:
    data = classification_data()
    assert in_force(data, date(2026, 7, 26)) == "original"
    assert in_force(data, date(2026, 7, 27)) == "amended"
    early = classify(data, {"annex_iii": ["4.a"]}, OperatorRole.PROVIDER, date(2026, 7, 1))
    assert early.schedule == "original"


def test_roles_are_a_set_and_obligations_their_union_tagged_by_role() -> None:
    answers = {"annex_iii": ["5.b"]}
    provider = {o.id for o in run(answers).obligations}
    deployer = {o.id for o in run(answers, OperatorRole.DEPLOYER).obligations}
    assert {"EUAIA.ART9", "EUAIA.ART43"} <= provider and "EUAIA.ART26" not in provider
    assert {"EUAIA.ART26", "EUAIA.ART27", "EUAIA.ART86"} <= deployer  # 5(b): FRIA for all
    assert "EUAIA.ART9" not in deployer
    both = run({**answers, "roles": ["provider", "deployer"]})
    tagged = {(o.id, o.role) for o in both.obligations}
    assert {("EUAIA.ART9", "provider"), ("EUAIA.ART26", "deployer")} <= tagged
    assert {("EUAIA.ART73", "provider"), ("EUAIA.ART73", "deployer")} <= tagged
    assert [h.role for h in both.roles] == ["provider", "deployer"]


def test_article_25_makes_a_deployer_the_provider_of_a_high_risk_system_only() -> None:
    for reason, letter in (("name_or_trademark", "a"), ("substantial_modification", "b"),
                           ("changed_purpose", "c")):  # fmt: skip
        answers = {"annex_iii": ["4.a"], "roles": ["deployer"], "art25": [reason]}
        result = run(answers)
        assert [(h.role, h.basis) for h in result.roles] == [
            ("deployer", "answered"), ("provider", f"Art. 25(1)({letter})"),
        ]  # fmt: skip
        assert {("EUAIA.ART9", "provider"), ("EUAIA.ART26", "deployer")} <= {
            (o.id, o.role) for o in result.obligations
        }
    minimal = run({"roles": ["deployer"], "art25": ["name_or_trademark"]})
    assert [h.role for h in minimal.roles] == ["deployer"]
    assert "Art. 25(1) concerns high-risk systems only" in minimal.reasoning[-2].finding


def test_prohibited_practices_say_stop_from_when_and_the_penalty_and_nothing_else() -> None:
    result = run({"prohibited": ["5.1.c"], "transparency": ["chatbot"], "roles": ["provider",
                  "deployer"]})  # fmt: skip
    assert result.tier == "prohibited" and result.risk_tier is RiskTier.PROHIBITED
    assert {(o.id, o.role) for o in result.obligations} == {
        ("EUAIA.ART5.1.c", "provider"), ("EUAIA.ART5.1.c", "deployer"),
    }  # fmt: skip
    for o in result.obligations:
        assert o.title.startswith("Stop: ") and o.applies_from == date(2025, 2, 2) and o.in_force
    assert result.penalty is not None and result.penalty.id == "EUAIA.ART99.3"
    assert "EUR 35 million or 7%" in result.penalty.title and result.transparency == ()
    assert not result.uncertain


def test_the_omnibus_prohibitions_are_dated_uncertain_and_absent_from_the_original_text() -> None:
    amended = run({"prohibited": ["5.1.ba"]})
    [stop] = amended.obligations
    assert stop.applies_from == date(2026, 12, 2) and not stop.in_force
    assert amended.uncertain and OMNIBUS in amended.unsettled[0].reason
    original = run({"prohibited": ["5.1.ba"], "schedule": "original"})
    assert original.tier == "minimal" and original.penalty is None


def test_a_ban_on_use_does_not_bind_a_provider_only() -> None:
    rbi = {"prohibited": ["5.1.h"], "annex_iii": ["1.a"]}
    assert run(rbi, OperatorRole.DEPLOYER).tier == "prohibited"
    provider = run(rbi)
    assert provider.tier == "high" and "EUAIA.ART9" in {o.id for o in provider.obligations}


def test_a_banned_system_stays_prohibited_for_a_role_art5_does_not_name() -> None:
    """Art. 5(1)(a)-(g) ban placing on the market, putting into service and use: a system for
    social scoring (Art. 5(1)(c)) is prohibited whoever holds it, never minimal or high-risk;
    a distributor, whom the article does not name, gets no duty to continue and no stop."""
    for extra in ({}, {"annex_iii": ["5.a"]}):
        result = run({"roles": ["distributor"], "prohibited": ["5.1.c"], **extra})
        assert result.tier == "prohibited" and result.risk_tier is RiskTier.PROHIBITED
        assert result.obligations == () and result.penalty is not None
        assert any(s.cite == "EUAIA.ART5.1.c" and "distributor" in s.finding
                   for s in result.reasoning)  # fmt: skip


def test_scope_exclusions_do_not_override_everything() -> None:
    for practice in (
        {"annex_iii": ["4.a"]},
        {"prohibited": ["5.1.a"]},
        {"transparency": ["deepfake"]},
    ):
        assert run({"out_of_scope": "open_source", **practice}).tier != "out_of_scope"
    assert run({"out_of_scope": "open_source"}).tier == "out_of_scope"
    personal = {"out_of_scope": "personal", "annex_iii": ["3.b"]}
    assert run(personal, OperatorRole.DEPLOYER).tier == "out_of_scope"
    builder = run({**personal, "roles": ["provider", "deployer"]})
    assert builder.tier == "high" and {o.role for o in builder.obligations} == {"provider"}


def test_model_duties_stand_apart_from_the_system() -> None:
    model = {"gpai_model": True, "training_flops": 5e24}
    not_a_system = run({"ai_system": False, **model})
    assert not_a_system.tier == "out_of_scope" and not_a_system.gpai == "gpai"
    assert {o.id for o in not_a_system.obligations} == {
        "EUAIA.ART53.1.a", "EUAIA.ART53.1.b", "EUAIA.ART53.1.c", "EUAIA.ART53.1.d",
    }  # fmt: skip
    assert {o.role for o in not_a_system.obligations} == {"gpai_provider"}
    assert all(o.applies_from == date(2025, 8, 2) for o in not_a_system.obligations)
    legacy = run({**model, "gpai_placed_before_2025_08_02": True})
    assert {o.applies_from for o in legacy.obligations if o.role == "gpai_provider"} == {
        date(2027, 8, 2)
    }
    military = run({"out_of_scope": "military", **model})
    assert military.tier == "out_of_scope" and military.gpai == "gpai"
    research = run({"out_of_scope": "research", **model})
    assert research.gpai is None and research.obligations == ()
    unplaced = run({**model, "gpai_placed_on_market": False})
    assert unplaced.gpai is None


def test_a_system_built_on_another_s_model_records_what_it_is_owed() -> None:
    result = run({"transparency": ["chatbot"], "gpai_model_provider": "Acme Models"})
    assert result.model_provider == "Acme Models" and result.gpai is None
    assert [c.id for c in result.owed] == ["EUAIA.ART53.1.b"]
    high = run({"annex_iii": ["4.a"], "gpai_model_provider": "Acme Models"})
    assert "EUAIA.ART25.4" in {o.id for o in high.obligations}


def test_derogations_produce_obligations_and_rest_on_the_pending_guidelines() -> None:
    result = run({"annex_iii": ["4.a"], "derogation": "d"})
    assert result.tier == "minimal" and result.uncertain
    assert {o.id for o in result.obligations} == {"EUAIA.ART4", "EUAIA.ART6.4", "EUAIA.ART49.2"}
    assert "Art. 6(5) Commission guidelines" in result.unsettled[0].reason
    assert all(
        o.applies_from == date(2027, 12, 2) for o in result.obligations if o.id != "EUAIA.ART4"
    )
    both = run({"annex_iii": ["4.a"], "derogation": "d", "annex_i_product": True,
                "annex_i_third_party_assessment": True})  # fmt: skip
    assert both.tier == "high" and both.grounds == ("annex_i",)
    assert "EUAIA.ART49.2" not in {o.id for o in both.obligations}


def test_uncertain_flags_the_tier_only_when_the_tier_rests_on_an_unsettled_item() -> None:
    plain = [s for s in SCENARIOS if "derogation" not in s["answers"]
             and not {"5.1.ba", "5.1.bb"} & set(s["answers"].get("prohibited", []))]  # fmt: skip
    flagged = [s["name"] for s in plain if run(s["answers"]).uncertain]
    assert flagged == []
    high = run({"annex_iii": ["4.a"], "schedule": "original"})
    assert not high.uncertain and high.unsettled == ()
    amended = run({"annex_iii": ["4.a"]})
    reasons = {u.reason for u in amended.unsettled}
    assert len(reasons) == 1 and OMNIBUS in reasons.pop()  # dates and Art. 4 alike


def test_every_problem_with_the_answers_is_named_at_once() -> None:
    answers = {
        "ai_system": False,
        "annex_iii": ["4.a", "9.z"],
        "derogation": "e",
        "profiling": "yes",
        "colour": "blue",
        "training_flops": "lots",
    }
    with pytest.raises(InvalidInput) as caught:
        run(answers)
    message = caught.value.message
    for part in ("unknown answer(s): colour", "unknown point(s) 9.z", "one of a, b, c, d",
                 "'profiling' must be true or false", "'training_flops' must be a number",
                 "answer 'annex_iii' contradicts 'ai_system: false'",
                 "'training_flops' applies only when 'gpai_model' is true"):  # fmt: skip
        assert part in message, part
    assert message.startswith("7 problems in the answers")
    assert len(caught.value.details["errors"]) == 7  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"annex_iii": ["9.z"]}, "unknown point(s) 9.z"),
        ({"annex_iii": "4.a"}, "must be a list"),
        ({"annex_iii": ["4.a", "4.a"]}, "names a point twice"),
        ({"prohibited": ["5.1.z"]}, "unknown point(s) 5.1.z"),
        ({"profiling": "yes"}, "true or false"),
        ({"derogation": "e", "annex_iii": ["4.a"]}, "one of a, b, c, d"),
        ({"derogation": "a"}, "'derogation' applies only when 'annex_iii' names at least one"),
        ({"systemic_risk": True}, "'systemic_risk' applies only when 'gpai_model' is true"),
        ({"out_of_scope": "holiday"}, "out_of_scope"),
        ({"schedule": "someday"}, "original or amended"),
        ({"colour": "blue"}, "unknown answer(s): colour"),
        ({"role": "king"}, "provider, deployer"),
        ({"roles": []}, "non-empty list"),
        ({"roles": ["provider", "provider"]}, "names a role twice"),
        ({"role": "provider", "roles": ["deployer"]}, "not both"),
        ({"training_flops": -1}, "at least 0"),
        ({"gpai_model_provider": ""}, "1 to 200 characters"),
        ({"transparency": ["chatbot"], "ai_system": False}, "contradicts 'ai_system: false'"),
        ("annex_iii", "mapping"),
    ],
)
def test_answers_that_are_not_understood_are_refused(answers: Any, message: str) -> None:
    with pytest.raises(InvalidInput, match=re.escape(message)):
        run(answers)


def _eu_pack_ids() -> set[str]:
    return next(p for p in load_packs() if p.id == "eu-ai-act").ids()


def test_every_id_the_classification_can_cite_exists_in_the_shipped_pack() -> None:
    data = classification_data()
    ids = {o["id"] for o in data["obligations"]} | {t["id"] for t in data["transparency"].values()}
    ids |= {f"EUAIA.ANNEXIII.{p}" for p in data["annex_iii"]}
    ids |= {f"EUAIA.ART{p}" for p in data["prohibited"]}
    ids |= {f"EUAIA.ART6.3.{c}" for c in data["derogations"]}
    ids |= {q["cite"] for q in data["questions"].values() if "cite" in q}
    ids |= {e["cite"] for e in data["scope_exclusions"].values()}
    ids |= {data["prohibition"]["penalty"]["id"], data["downstream"]["id"]}
    for case in SCENARIOS:
        result = run(case["answers"])
        ids |= {s.cite for s in result.reasoning} | {u.id for u in result.unsettled}
    assert ids - _eu_pack_ids() == set()


def test_the_docs_name_every_rule_and_every_answer() -> None:
    text = (Path(__file__).parents[2] / "docs" / "classification.md").read_text()
    rules = text.split("## The obligation rules", 1)[1].split("## Dates", 1)[0]
    data = classification_data()
    assert {o["id"] for o in data["obligations"]} - set(
        re.findall(r"`(EUAIA\.[^`]+)`", rules)
    ) == set()
    answers = text.split("## Answers", 1)[1]
    assert [q for q in data["questions"] if f"`{q}" not in answers] == []


def test_a_classification_names_the_data_version_it_was_made_with() -> None:
    """So `obligations impact` can say from which version of the rules a record came."""
    version = classification_data()["version"]
    assert version and run({"annex_iii": ["4.a"]}).data_version == version
