"""Framework packs load and validate, references between packs, policies and checks resolve,
counts match the reference; readiness per system and pack."""

from __future__ import annotations

import re
from datetime import date

import pytest
import yaml

from charter.frameworks.domain.classification import as_plain, classify
from charter.frameworks.domain.packs import SystemStanding, readiness, standing
from charter.frameworks.files import check_pack, classification_data, crosswalk, load_packs
from charter.governance.files import library_path, load_policy_files
from charter.inventory.domain import AISystem, OperatorRole, RiskTier
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.errors import InvalidInput
from tests.shared import shared

TODAY = date(2026, 11, 28)


def _packs() -> dict[str, object]:
    return {p.id: p for p in load_packs()}


def test_the_five_packs_load_through_the_entry_point() -> None:
    assert set(_packs()) == {"eu-ai-act", "iso-42001", "nist-ai-rmf", "gdpr", "nyc-ll144"}


def test_counts_match_the_reference() -> None:
    frameworks = shared("reference", "frameworks.yaml")
    ref = yaml.safe_load(frameworks.read_text())
    packs = {p.id: p for p in load_packs()}
    subcategories = [
        r for r in packs["nist-ai-rmf"].requirements if re.fullmatch(r"[A-Z]+ \d+\.\d+", r.id)
    ]
    assert len(subcategories) == ref["nist_ai_rmf"]["counts"]["subcategories"] == 72
    controls = [r for r in packs["iso-42001"].requirements if r.id.startswith("A.")]
    assert len(controls) == ref["iso_iec_42001"]["counts"]["annex_a_controls"] == 38


def test_no_dangling_references_between_packs_policies_and_checks() -> None:
    known = set().union(*(p.ids() for p in load_packs()))
    cited = {
        c for _, p in load_policy_files([library_path()]) for r in p.requirements for c in r.cites
    }
    assert cited - known == set(), "policy cites missing from the packs"
    linked = {
        i for link in crosswalk()["links"] for ids in link["requirements"].values() for i in ids
    }
    assert linked - known == set(), "crosswalk names requirements no pack has"
    data = classification_data()
    obligations = {o["id"] for o in data["obligations"]} | {
        t["id"] for t in data["transparency"].values()
    }
    assert obligations - known == set(), "classification obligations missing from the EU pack"


def test_a_malformed_pack_is_refused_by_name() -> None:
    with pytest.raises(InvalidInput, match=r"requirements/0/scope"):
        check_pack(
            {"id": "x", "title": "X", "requirements": [{"id": "r", "title": "t", "scope": "?"}]},
            "x",
        )
    with pytest.raises(InvalidInput, match="'requirements' is a required property"):
        check_pack({"id": "x", "title": "X"}, "x")


def _system(role: OperatorRole = OperatorRole.PROVIDER, tags: tuple[str, ...] = ()) -> AISystem:
    return AISystem("s1", "Credit", "p", "bu", "o", S.IN_VALIDATION, role, RiskTier.HIGH, tags=tags)


def _status(result: object, rid: str) -> str:
    return next(i.status for i in result.items if i.id == rid)  # type: ignore[attr-defined]


def test_readiness_follows_tier_role_dates_and_evidence() -> None:
    eu = _packs()["eu-ai-act"]
    high = SystemStanding(_system(), "high", classification_id="cls1",
                    satisfied_by={"EUAIA.ART10": ["data-governance/record (doc1)"]})  # fmt: skip
    amended = readiness(eu, high, TODAY)  # type: ignore[arg-type]
    assert _status(amended, "EUAIA.ART10") == "satisfied"
    assert _status(amended, "EUAIA.ART9") == "not_yet"  # Annex III duties from 2 Dec 2027
    assert _status(amended, "EUAIA.ART4") == "open"  # AI literacy since 2 Feb 2025
    assert _status(amended, "EUAIA.CLS.3") == "satisfied"  # the classification screened Art. 5
    assert _status(amended, "EUAIA.ART26") == "not_applicable"  # a deployer's duty
    assert _status(amended, "EUAIA.ANNEXIII.4.a") == "not_applicable"  # cited, not a duty
    before = readiness(eu, high, date(2026, 7, 1))  # type: ignore[arg-type]
    art9 = next(i for i in before.items if i.id == "EUAIA.ART9")  # the original text in force
    assert (art9.status, art9.applies_from) == ("not_yet", date(2026, 8, 2))
    original = readiness(eu, high, TODAY, "original")  # type: ignore[arg-type]
    assert _status(original, "EUAIA.ART9") == "open"
    deployer = SystemStanding(_system(OperatorRole.DEPLOYER), "high")
    assert _status(readiness(eu, deployer, TODAY, "original"), "EUAIA.ART26") == "open"  # type: ignore[arg-type]
    both = SystemStanding(_system(), "high", roles=("provider", "deployer"))
    assert _status(readiness(eu, both, TODAY, "original"), "EUAIA.ART26") == "open"  # type: ignore[arg-type]
    importer = SystemStanding(_system(OperatorRole.IMPORTER), "minimal")
    assert _status(readiness(eu, importer, TODAY), "EUAIA.ART4") == "not_applicable"  # type: ignore[arg-type]
    unclassified = SystemStanding(_system(), None)
    assert _status(readiness(eu, unclassified, TODAY), "EUAIA.ART9") == "not_applicable"  # type: ignore[arg-type]


def _classified(answers: dict[str, object]) -> SystemStanding:
    result = as_plain(classify(classification_data(), answers, OperatorRole.PROVIDER, TODAY))
    return standing(_system(), result["tier"], result, "cls1", {})


def test_readiness_holds_only_the_duties_the_classification_brings() -> None:
    """A private builder-user of CV screening (Annex III 4(a)): no Art. 27 FRIA (public-law
    bodies, public services, Annex III 5(b)/(c) only), no Art. 49(3), 26(8) (public
    authorities), 49(4) (points 1, 6, 7), 49(5) (point 2), no Art. 22 (non-EU providers)."""
    eu = _packs()["eu-ai-act"]
    builder = _classified({"roles": ["provider", "deployer"], "annex_iii": ["4.a"]})
    cv = readiness(eu, builder, TODAY)  # type: ignore[arg-type]
    for rid in ("EUAIA.ART27", "EUAIA.ART27.1.a", "EUAIA.ART49.3", "EUAIA.ART26.8",
                "EUAIA.ART49.4", "EUAIA.ART49.5", "EUAIA.ART22"):  # fmt: skip
        assert _status(cv, rid) == "not_applicable", rid
    for rid in ("EUAIA.ART9", "EUAIA.ART26", "EUAIA.ART49", "EUAIA.ART49.1", "EUAIA.ART86"):
        assert _status(cv, rid) == "not_yet", rid
    original = readiness(eu, builder, TODAY, "original")  # type: ignore[arg-type]
    assert _status(original, "EUAIA.ART5.1.ba") == "not_applicable"  # not in the original text
    art4 = next(i for i in original.items if i.id == "EUAIA.ART4")
    assert "sufficient level" in art4.title  # Art. 4 as it read before the Omnibus
    credit = _classified({"roles": ["deployer"], "annex_iii": ["5.b"]})
    assert _status(readiness(eu, credit, TODAY), "EUAIA.ART27.1.a") == "not_yet"  # type: ignore[arg-type]


def test_art_25_1_is_a_role_rule_in_readiness_not_a_deployer_duty() -> None:
    """Art. 25(1): a deployer (importer, distributor) that puts its name on a high-risk
    system, substantially modifies it or repurposes it into high risk "shall be considered
    to be a provider" with the provider's duties (Art. 16). Not a duty of its own: readiness
    never holds it open; the classification's provider role brings the provider's duties."""
    eu = _packs()["eu-ai-act"]
    rule = next(r for r in eu.requirements if r.id == "EUAIA.ART25.1")  # type: ignore[attr-defined]
    assert rule.scope == "reference"
    deployer = _classified({"roles": ["deployer"], "annex_iii": ["4.a"]})
    plain = readiness(eu, deployer, TODAY, "original")  # type: ignore[arg-type]
    assert _status(plain, "EUAIA.ART25.1") == "not_applicable"
    assert _status(plain, "EUAIA.ART26") == "open"
    assert _status(plain, "EUAIA.ART16") == "not_applicable"
    rebranded = _classified(
        {"roles": ["deployer"], "annex_iii": ["4.a"], "art25": ["name_or_trademark"]}
    )
    assert rebranded.roles == ("deployer", "provider")
    became = readiness(eu, rebranded, TODAY, "original")  # type: ignore[arg-type]
    assert _status(became, "EUAIA.ART25.1") == "not_applicable"
    assert (_status(became, "EUAIA.ART16"), _status(became, "EUAIA.ART26")) == ("open", "open")


def test_readiness_dates_an_annex_i_system_by_the_annex_i_date() -> None:
    """Art. 113(c) (as amended: 2 August 2028; originally 2 August 2027) for a system
    high-risk only under Annex I; Annex I providers do not register (Art. 49(1))."""
    eu = _packs()["eu-ai-act"]
    product = _classified({"annex_i_product": True, "annex_i_third_party_assessment": True})
    amended = readiness(eu, product, date(2028, 1, 3))  # type: ignore[arg-type]
    art9 = next(i for i in amended.items if i.id == "EUAIA.ART9")
    assert (art9.status, art9.applies_from) == ("not_yet", date(2028, 8, 2))
    assert _status(amended, "EUAIA.ART49.1") == "not_applicable"
    assert _status(amended, "EUAIA.ART49") == "not_applicable"
    original = readiness(eu, product, TODAY, "original")  # type: ignore[arg-type]
    art9 = next(i for i in original.items if i.id == "EUAIA.ART9")
    assert (art9.status, art9.applies_from) == ("not_yet", date(2027, 8, 2))


def test_one_piece_of_evidence_counts_for_every_pack_it_serves() -> None:
    basis = ["fairness/parity (ev1)"]
    cited = {"EUAIA.ART10": basis, "MEASURE 2.11": basis, "GDPR.ART5": basis}
    s = SystemStanding(_system(tags=("personal-data",)), "high", satisfied_by=cited)
    packs = _packs()
    assert _status(readiness(packs["eu-ai-act"], s, TODAY), "EUAIA.ART10") == "satisfied"  # type: ignore[arg-type]
    assert _status(readiness(packs["nist-ai-rmf"], s, TODAY), "MEASURE 2.11") == "satisfied"  # type: ignore[arg-type]
    assert _status(readiness(packs["gdpr"], s, TODAY), "GDPR.ART5") == "satisfied"  # type: ignore[arg-type]
    no_personal_data = SystemStanding(_system(), "high")
    assert (
        _status(readiness(packs["gdpr"], no_personal_data, TODAY), "GDPR.ART5") == "not_applicable"
    )  # type: ignore[arg-type]


def test_the_shipped_packs_are_what_the_builder_makes_of_the_reference() -> None:
    frameworks = shared("reference", "frameworks.yaml")
    from scripts.build_packs import OUT, build_all

    for name, text in build_all(yaml.safe_load(frameworks.read_text())).items():
        assert (OUT / f"{name}.yaml").read_text() == text, (
            f"{name}.yaml: run scripts/build_packs.py"
        )
