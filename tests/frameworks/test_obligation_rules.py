"""One row per obligation rule, written from the Act's text: the article, the role it binds,
facts that trigger it and facts that must not. `role` is the organisation's role; a case may
name more with `roles`."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from charter.frameworks.domain.classification import classify
from charter.frameworks.files import classification_data
from charter.inventory.domain import OperatorRole

TODAY = date(2026, 11, 28)
HIGH = {"annex_iii": ["4.a"]}  # recruitment: Annex III point 4(a)
ANNEX_I = {"annex_i_product": True, "annex_i_third_party_assessment": True}
MODEL = {"gpai_model": True}

#: (article, role, triggering answer sets, answer sets that must not trigger it)
RULES: list[tuple[str, str, list[dict[str, Any]], list[dict[str, Any]]]] = [
    # Art. 4: providers and deployers of AI systems (not importers or distributors)
    ("EUAIA.ART4", "provider", [{}, HIGH, {"transparency": ["chatbot"]}],
     [{"ai_system": False}, {"prohibited": ["5.1.a"]}, {"out_of_scope": "military"},
      {**ANNEX_I, "annex_i_section": "B"}]),
    ("EUAIA.ART4", "deployer", [{}], [{"out_of_scope": "personal"}]),
    ("EUAIA.ART4", "importer", [], [{}, HIGH]),
    # Arts. 9-21, 43, 47, 48, 72, 73: providers of high-risk systems, on either ground
    *[
        (f"EUAIA.ART{n}", "provider", [HIGH, ANNEX_I, {"annex_iii": ["2.0"]}],
         [{}, {"transparency": ["chatbot"]}, {**HIGH, "derogation": "a"},
          {**ANNEX_I, "annex_i_section": "B"}, {"annex_i_product": True}])
        for n in (9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 43, 47, 48, 72, 73)
    ],
    *[(f"EUAIA.ART{n}", "deployer", [], [HIGH]) for n in (9, 16, 43, 47, 48)],
    # Art. 22: providers established outside the Union appoint an authorised representative
    ("EUAIA.ART22", "provider", [{**HIGH, "provider_outside_eu": True}],
     [HIGH, {"provider_outside_eu": True}]),
    # Art. 49(1): providers register Annex III systems, except point 2 (registered nationally)
    ("EUAIA.ART49.1", "provider", [HIGH, {"annex_iii": ["6.a"]}],
     [{"annex_iii": ["2.0"]}, ANNEX_I, {**HIGH, "derogation": "b"}]),
    ("EUAIA.ART49.1", "deployer", [], [HIGH]),
    ("EUAIA.ART49.5", "provider", [{"annex_iii": ["2.0"]}], [HIGH, ANNEX_I]),
    # Art. 49(2) with Art. 6(4): a provider that finds its Annex III system not high-risk
    ("EUAIA.ART49.2", "provider", [{**HIGH, "derogation": "a"}],
     [HIGH, {**HIGH, "derogation": "a", "profiling": True},
      {**HIGH, "derogation": "a", **ANNEX_I}]),
    ("EUAIA.ART6.4", "provider", [{**HIGH, "derogation": "c"}], [HIGH]),
    ("EUAIA.ART6.4", "deployer", [], [{**HIGH, "derogation": "c"}]),
    # Art. 49(3) and 26(8): deployers that are public authorities (or act for them)
    ("EUAIA.ART49.3", "deployer", [{"annex_iii": ["5.a"], "public_authority": True}],
     [{"annex_iii": ["5.a"]}, {"annex_iii": ["2.0"], "public_authority": True},
      {**ANNEX_I, "public_authority": True}]),
    ("EUAIA.ART26.8", "deployer", [{**HIGH, "public_authority": True}], [HIGH]),
    # Art. 49(4): the secure non-public section for points 1 (law enforcement use), 6 and 7
    ("EUAIA.ART49.4", "provider",
     [{"annex_iii": ["6.c"]}, {"annex_iii": ["7.c"]},
      {"annex_iii": ["1.a"], "law_enforcement_use": True},
      {"annex_iii": ["7.b"], "derogation": "d"}],
     [{"annex_iii": ["1.a"]}, HIGH]),
    ("EUAIA.ART49.4", "deployer", [{"annex_iii": ["6.a"], "public_authority": True}],
     [{"annex_iii": ["6.a"]}]),
    # Art. 26: deployers of high-risk systems, on either ground
    ("EUAIA.ART26", "deployer", [HIGH, ANNEX_I], [{}, {**HIGH, "derogation": "a"}]),
    ("EUAIA.ART26", "provider", [], [HIGH]),
    # Art. 73 through Art. 26(5): deployers inform the provider first
    ("EUAIA.ART73", "deployer", [HIGH, ANNEX_I], [{}, {"transparency": ["deepfake"]}]),
    # Art. 27: public-law bodies and public-service providers (Annex III except point 2), and
    # any deployer of Annex III 5(b) or 5(c); never Annex I
    ("EUAIA.ART27", "deployer",
     [{**HIGH, "public_service": True}, {"annex_iii": ["3.a"], "public_authority": True},
      {"annex_iii": ["5.b"]}, {"annex_iii": ["5.c"]}],
     [HIGH, {"annex_iii": ["2.0"], "public_service": True}, {**ANNEX_I, "public_service": True},
      {"annex_iii": ["5.b"], "fraud_detection_only": True},
      {"annex_iii": ["5.b"], "derogation": "a"}]),
    ("EUAIA.ART27", "provider", [], [{"annex_iii": ["5.b"]}]),
    # Art. 86: decisions based on Annex III systems except point 2, unless law excludes it
    ("EUAIA.ART86", "deployer", [HIGH, {"annex_iii": ["5.a"]}],
     [{"annex_iii": ["2.0"]}, {**HIGH, "explanation_excluded": True}, ANNEX_I]),
    ("EUAIA.ART86", "provider", [], [HIGH]),
    # Arts. 23 and 24: importers and distributors of high-risk systems
    ("EUAIA.ART23", "importer", [HIGH, ANNEX_I], [{}, {"transparency": ["chatbot"]}]),
    ("EUAIA.ART24", "distributor", [HIGH, ANNEX_I], [{}]),
    ("EUAIA.ART23", "distributor", [], [HIGH]),
    # Art. 25(4): written agreement with the supplier of an integrated model
    ("EUAIA.ART25.4", "provider", [{**HIGH, "gpai_model_provider": "Acme"}],
     [HIGH, {"gpai_model_provider": "Acme"}]),
    # Art. 50: each case binds its role, on any tier but prohibited
    ("EUAIA.ART50.1", "provider",
     [{"transparency": ["chatbot"]}, {**HIGH, "transparency": ["chatbot"]}],
     [{"transparency": ["deepfake"]}, {"prohibited": ["5.1.a"], "transparency": ["chatbot"]}]),
    ("EUAIA.ART50.1", "deployer", [], [{"transparency": ["chatbot"]}]),
    ("EUAIA.ART50.2", "provider", [{"transparency": ["synthetic_content"]}], [{}]),
    ("EUAIA.ART50.3", "deployer", [{"transparency": ["emotion_or_biometric_categorisation"]}],
     [{"transparency": ["chatbot"]}]),
    ("EUAIA.ART50.4.deepfake", "deployer", [{"transparency": ["deepfake"]}], [{}]),
    ("EUAIA.ART50.4.text", "deployer", [{"transparency": ["public_interest_text"]}], [{}]),
    # Art. 53(1)(a), (b): not for open-source models, unless they have systemic risk (53(2))
    *[
        (f"EUAIA.ART53.1.{x}", "provider",
         [MODEL, {**MODEL, "open_source_model": True, "designated_systemic": True}],
         [{}, {**MODEL, "open_source_model": True}, {**MODEL, "gpai_placed_on_market": False}])
        for x in ("a", "b")
    ],
    # Art. 53(1)(c), (d): every model provider, open source or not
    *[(f"EUAIA.ART53.1.{x}", "deployer", [MODEL, {**MODEL, "open_source_model": True}],
       [{}, {**MODEL, "out_of_scope": "research"}]) for x in ("c", "d")],
    # Art. 54: non-EU model providers, not for open-source models without systemic risk (54(6))
    ("EUAIA.ART54", "provider",
     [{**MODEL, "provider_outside_eu": True},
      {**MODEL, "provider_outside_eu": True, "open_source_model": True, "systemic_risk": True}],
     [MODEL, {**MODEL, "provider_outside_eu": True, "open_source_model": True}]),
    # Art. 52: notify when the Art. 51(1)(a) condition is met (presumed above 10^25 FLOPs)
    ("EUAIA.ART52", "provider",
     [{**MODEL, "training_flops": 2e25}, {**MODEL, "systemic_risk": True}],
     [MODEL, {**MODEL, "training_flops": 1e25}, {**MODEL, "designated_systemic": True}]),
    # Art. 55: models with systemic risk, by presumption, capability or designation
    *[
        (f"EUAIA.ART55.1.{x}", "provider",
         [{**MODEL, "training_flops": 2e25}, {**MODEL, "designated_systemic": True},
          {**MODEL, "systemic_risk": True, "open_source_model": True}],
         [MODEL, {**MODEL, "training_flops": 9e24}])
        for x in ("a", "b", "c", "d")
    ],
]  # fmt: skip


def _ids(answers: dict[str, Any], role: str) -> set[tuple[str, str]]:
    result = classify(classification_data(), answers, OperatorRole(role), TODAY)
    return {(o.id, o.role) for o in result.obligations}


MODEL_DUTIES = ("EUAIA.ART52", "EUAIA.ART53", "EUAIA.ART54", "EUAIA.ART55")


def _bound_role(article: str, role: str) -> str:
    """Model duties bind the model's provider, whatever the system role."""
    return "gpai_provider" if article.startswith(MODEL_DUTIES) else role


@pytest.mark.parametrize(
    ("article", "role", "triggers", "spared"), RULES, ids=[f"{r[0]}-{r[1]}" for r in RULES]
)
def test_rule(article: str, role: str, triggers: list[Any], spared: list[Any]) -> None:
    bound = (article, _bound_role(article, role))
    for answers in triggers:
        assert bound in _ids(answers, role), ("should bind", answers)
    for answers in spared:
        assert bound not in _ids(answers, role), ("should not bind", answers)


def test_every_rule_of_the_data_has_a_row() -> None:
    covered = {r[0] for r in RULES if r[2]}
    assert {o["id"] for o in classification_data()["obligations"]} <= covered
