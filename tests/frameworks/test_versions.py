"""Regulatory change as data: pack versions with the day each took effect, the schedule in
force, what changed between two versions; the NYC Local Law 144 pack; classification data
whose names do not resolve is refused."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import yaml

from charter.frameworks.domain.consistency import dangling
from charter.frameworks.domain.packs import Pack, SystemStanding, readiness
from charter.frameworks.domain.versions import diff, find, pick, versions
from charter.frameworks.files import classification_data, load_packs, read_pack_file
from charter.inventory.domain import AISystem, OperatorRole, RiskTier
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.errors import InvalidInput, NotFound


def _pack(pack_id: str) -> Pack:
    return next(p for p in load_packs() if p.id == pack_id)


def test_each_pack_names_its_versions_and_when_they_took_effect() -> None:
    eu = [(v.label, v.effective) for v in versions(_pack("eu-ai-act"))]
    assert eu == [
        ("eu-ai-act@original", date(2024, 8, 1)),
        ("eu-ai-act@amended", date(2026, 7, 27)),
    ]
    assert [(v.label, v.effective) for v in versions(_pack("gdpr"))] == [
        ("gdpr@2026-11-28", date(2018, 5, 25))
    ]
    assert _pack("eu-ai-act").in_force(date(2026, 7, 26)) == "original"
    assert _pack("eu-ai-act").in_force(date(2026, 12, 1)) == "amended"
    assert _pack("nist-ai-rmf").in_force(date(2026, 12, 1)) is None


def test_the_omnibus_as_a_diff_of_the_act_s_two_versions() -> None:
    found = diff(find(load_packs(), "eu-ai-act@original"), find(load_packs(), "eu-ai-act@amended"))
    # Art. 5(1)(ba), (bb) and the Art. 111(4) grace for Art. 50(2) marking come with the Omnibus
    assert {c.id for c in found.added} == {"EUAIA.ART5.1.ba", "EUAIA.ART5.1.bb", "EUAIA.ART111.4"}
    assert found.removed == ()
    changed = {c.id: c.fields for c in found.changed}
    assert changed["EUAIA.ART9"]["applies_from"] == ("2026-08-02", "2027-12-02")
    assert changed["EUAIA.ART9"]["uncertain"] == (False, True)
    # Art. 113(c) as amended: the Annex I ground moves from 2 August 2027 to 2 August 2028
    assert changed["EUAIA.ART9"]["applies_from_annex_i"] == ("2027-08-02", "2028-08-02")
    # Art. 4 literacy: same date (2 February 2025), softened wording ("support")
    assert set(changed["EUAIA.ART4"]) == {"title"}
    assert "support" in changed["EUAIA.ART4"]["title"][1]
    # the bias-detection data rule moved from Art. 10(5) to a new Art. 4a
    assert changed["EUAIA.ART4a"]["citation"] == ("AI Act Art. 10(5)", "AI Act Art. 4a")
    back = diff(find(load_packs(), "eu-ai-act@amended"), find(load_packs(), "eu-ai-act@original"))
    assert {c.id for c in back.removed} == {"EUAIA.ART5.1.ba", "EUAIA.ART5.1.bb", "EUAIA.ART111.4"}


def test_a_pack_file_compares_with_the_installed_version(tmp_path: Path) -> None:
    text = yaml.safe_load(
        (Path(__file__).parents[2] / "src/charter/frameworks/data/packs/nyc-ll144.yaml").read_text()
    )
    newer = copy.deepcopy(text)
    newer["version"] = "2027-01-01"
    newer["requirements"] = [r for r in newer["requirements"] if r["id"] != "LL144.5-302"]
    newer["requirements"][0]["title"] = "Use an AEDT only after a bias audit in the past year"
    newer["requirements"].append({"id": "LL144.new", "title": "A new duty", "scope": "aedt"})
    path = tmp_path / "ll144-2027.yaml"
    path.write_text(yaml.safe_dump(newer))
    found = diff(pick(_pack("nyc-ll144"), None), pick(read_pack_file(path), None))
    assert (found.old, found.new) == ("nyc-ll144@2023-07-05", "nyc-ll144@2027-01-01")
    assert [c.id for c in found.added] == ["LL144.new"]
    assert [c.id for c in found.removed] == ["LL144.5-302"]
    assert [(c.id, list(c.fields)) for c in found.changed] == [("LL144.20-871.a.1", ["title"])]


def test_unknown_packs_and_versions_are_named() -> None:
    with pytest.raises(NotFound):
        find(load_packs(), "colorado@2027")
    with pytest.raises(InvalidInput, match="has no version 'someday'; it has eu-ai-act@original"):
        find(load_packs(), "eu-ai-act@someday")


def test_the_ll144_pack_binds_tagged_hiring_tools_from_its_enforcement_date() -> None:
    pack = _pack("nyc-ll144")
    tool = AISystem("s1", "Screener", "p", "bu", "o", S.DEPLOYED, OperatorRole.DEPLOYER,
                    RiskTier.HIGH, tags=("aedt",))  # fmt: skip
    found = readiness(pack, SystemStanding(tool, "high"), date(2026, 12, 1))
    statuses = {i.id: (i.status, i.applies_from) for i in found.items}
    assert statuses["LL144.5-301.selection"] == ("open", date(2023, 7, 5))
    assert statuses["LL144.20-872"][0] == "not_applicable"  # the penalties are cited, not duties
    untagged = readiness(pack, SystemStanding(replace(tool, tags=()), "high"), date(2026, 12, 1))
    assert untagged.applicable == 0


def test_classification_data_whose_names_do_not_resolve_is_refused() -> None:
    data = copy.deepcopy(classification_data())
    assert dangling(data) == []
    data["obligations"][0]["from"] = "someday"
    data["obligations"][1]["uncertain"] = "rumour"
    data["questions"]["derogation"]["needs"] = {"nothing": "true"}
    found = dangling(data)
    assert "EUAIA.ART4: date key 'someday' missing from original, amended" in found
    assert "EUAIA.ART9: no unsettled reason 'rumour'" in found
    assert "question derogation: needs unknown 'nothing'" in found
