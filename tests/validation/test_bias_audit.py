"""NYC Local Law 144 bias-audit figures (6 RCNY § 5-301) computed by the engines from a suite,
checked against a fixture worked out by hand: selection and scoring rates and impact ratios
by sex, by race/ethnicity and by their intersection, the category under 2% of the data left
out of the impact ratios and said so, individuals of unknown category counted. The same on
DuckDB and on Spark; recorded as evidence on both databases."""

from __future__ import annotations

from fractions import Fraction as Q  # exact rates, short in the tables
from pathlib import Path
from typing import Any

import pytest
import yaml

from charter.kernel.errors import InvalidInput
from charter.kernel.roles import RoleKind as R
from charter.validation import services as validation
from charter.validation.domain.evidence import CheckResult, judge_suite
from charter.validation.domain.suite import parse_suite
from charter.validation.engines.runner import run_suite
from tests.factory import World

# (sex, race/ethnicity, individuals, selected, scores 0.9 / 0.5 / 0.1); "" is unknown; the
# last cell's row has no score. 100 rows; 99 scored: 47 at 0.1, 12 at 0.5, 40 at 0.9, so the
# median of the full sample is the 50th score, 0.5, and "above the median" means 0.9.
CELLS = [
    ("Female", "Asian", 15, 6, (5, 2, 8)),
    ("Female", "Black", 15, 3, (2, 3, 10)),
    ("Female", "White", 19, 10, (9, 2, 8)),
    ("Female", "Pacific Islander", 1, 1, (1, 0, 0)),  # 1% of the data: left out
    ("Male", "Asian", 15, 9, (8, 1, 6)),
    ("Male", "Black", 14, 7, (6, 2, 6)),
    ("Male", "White", 18, 9, (8, 2, 8)),
    ("", "White", 2, 1, (1, 0, 1)),  # sex unknown
    ("Male", "", 1, 0, None),  # race unknown, no score
]


def _rows() -> str:
    lines = ["sex,race,selected,score"]
    for sex, race, n, selected, scores in CELLS:
        marks = ["0.9"] * scores[0] + ["0.5"] * scores[1] + ["0.1"] * scores[2] if scores else [""]
        for i in range(n):
            lines.append(f"{sex},{race},{int(i < selected)},{marks[i]}")
    return "\n".join(lines) + "\n"


def _suite(**more: Any) -> dict[str, Any]:
    checks = [
        {"id": f"{kind}-{name}", "metric": metric, "over": over, "min": 0.8, **more}
        for kind, metric in (("sel", "impact_ratio"), ("score", "scoring_impact_ratio"))
        for name, over in (("sex", ["sex"]), ("race", ["race"]), ("both", ["sex", "race"]))
    ]
    return {
        "name": "ll144",
        "data": "audit.csv",
        "columns": {"prediction": "selected", "score": "score", "protected": ["sex", "race"]},
        "checks": checks,
    }


#: worked out by hand from CELLS: category -> (size, rate, impact ratio or None if left out)
SELECTION = {
    "sel-sex": {"sex=Female": (50, Q(20, 50), Q(768, 1000)), "sex=Male": (48, Q(25, 48), Q(1))},
    "sel-race": {
        "race=White": (39, Q(20, 39), Q(1)),
        "race=Asian": (30, Q(15, 30), Q(39, 40)),  # (1/2) / (20/39)
        "race=Black": (29, Q(10, 29), Q(39, 58)),  # (10/29) / (20/39)
        "race=Pacific Islander": (1, Q(1), None),
    },
    "sel-both": {
        "sex=Female, race=White": (19, Q(10, 19), Q(50, 57)),  # (10/19) / (3/5)
        "sex=Male, race=White": (18, Q(9, 18), Q(5, 6)),
        "sex=Female, race=Asian": (15, Q(6, 15), Q(2, 3)),
        "sex=Female, race=Black": (15, Q(3, 15), Q(1, 3)),
        "sex=Male, race=Asian": (15, Q(9, 15), Q(1)),
        "sex=Male, race=Black": (14, Q(7, 14), Q(5, 6)),
        "sex=Female, race=Pacific Islander": (1, Q(1), None),
    },
}
SCORING = {
    "score-sex": {"sex=Female": (50, Q(17, 50), Q(799, 1100)), "sex=Male": (47, Q(22, 47), Q(1))},
    "score-race": {
        "race=White": (39, Q(18, 39), Q(1)),
        "race=Asian": (30, Q(13, 30), Q(169, 180)),  # (13/30) / (18/39)
        "race=Black": (29, Q(8, 29), Q(52, 87)),  # (8/29) / (18/39)
        "race=Pacific Islander": (1, Q(1), None),
    },
    "score-both": {
        "sex=Female, race=White": (19, Q(9, 19), Q(135, 152)),  # (9/19) / (8/15)
        "sex=Male, race=White": (18, Q(8, 18), Q(5, 6)),
        "sex=Female, race=Asian": (15, Q(5, 15), Q(5, 8)),
        "sex=Female, race=Black": (15, Q(2, 15), Q(1, 4)),
        "sex=Male, race=Asian": (15, Q(8, 15), Q(1)),
        "sex=Male, race=Black": (14, Q(6, 14), Q(45, 56)),
        "sex=Female, race=Pacific Islander": (1, Q(1), None),
    },
}
#: the lowest impact ratio of each check, and the individuals of unknown category
LOWEST = {
    "sel-sex": (Q(768, 1000), 2), "sel-race": (Q(39, 58), 1), "sel-both": (Q(1, 3), 3),
    "score-sex": (Q(799, 1100), 2), "score-race": (Q(52, 87), 0), "score-both": (Q(1, 4), 2),
}  # fmt: skip


def _results(folder: Path, engine: str, **more: Any) -> dict[str, CheckResult]:
    (folder / "audit.csv").write_text(_rows())
    suite = parse_suite(_suite(**more))
    return {r.check_id: r for r in judge_suite(suite, run_suite(suite, folder, engine))}


def _figures(result: CheckResult) -> dict[str, tuple[int, float, float | None]]:
    rates = {g.group: g for g in result.groups if g.rate != "impact ratio"}
    ratios = {g.group: g for g in result.groups if g.rate == "impact ratio"}
    assert all(rates[k].compared == ratios[k].compared for k in rates)
    return {k: (g.size, g.value, ratios[k].value) for k, g in rates.items()}  # type: ignore[misc]


def test_the_figures_match_the_hand_computed_fixture(compute: str, tmp_path: Path) -> None:
    results = _results(tmp_path, compute)
    for check_id, expected in {**SELECTION, **SCORING}.items():
        found = _figures(results[check_id])
        assert list(found) == list(expected), check_id  # largest category first
        for group, (size, rate, ratio) in expected.items():
            got = found[group]
            assert got[0] == size and got[1] == pytest.approx(float(rate), abs=1e-12), group
            assert (got[2] is None) if ratio is None else got[2] == pytest.approx(float(ratio))
        lowest, unknown = LOWEST[check_id]
        result = results[check_id]
        assert result.value == pytest.approx(float(lowest), abs=1e-12), check_id
        assert result.verdict.value == "not_satisfied"
        assert f"{unknown} individuals of unknown category not included" in result.note
    assert "left out of the impact ratios as under 2% of the data (6 RCNY § 5-301): race=Pacific " \
        "Islander (n=1, selection rate 1.0000)" in results["sel-race"].note  # fmt: skip
    assert "median score of the full sample 0.5" in results["score-sex"].note
    assert "1 rows without a score left out" in results["score-race"].note
    assert not next(g for g in results["sel-race"].groups if "Pacific" in g.group).compared


def test_without_the_exclusion_the_small_category_counts(compute: str, tmp_path: Path) -> None:
    results = _results(tmp_path, compute, exclude_below=0)
    race = _figures(results["sel-race"])
    assert race["race=Pacific Islander"] == (1, 1.0, 1.0)  # now the most selected category
    assert results["sel-race"].value == pytest.approx(10 / 29)
    assert "left out" not in results["sel-race"].note


def test_bad_audit_data_and_specs_are_refused(compute: str, tmp_path: Path) -> None:
    (tmp_path / "audit.csv").write_text("sex,race,selected,score\nF,A,2,0.5\nM,B,1,0.4\n")
    suite = parse_suite(_suite())
    with pytest.raises(InvalidInput, match="'selected' holds 1 value"):
        run_suite(suite, tmp_path, compute)
    with pytest.raises(InvalidInput, match=r"a share from 0 to 0\.02"):
        parse_suite(_suite(exclude_below=0.05))
    unscored = _suite()
    del unscored["columns"]["score"]
    with pytest.raises(InvalidInput, match="scoring_impact_ratio needs a score column"):
        parse_suite(unscored)
    with pytest.raises(InvalidInput, match="'over': one or two protected columns"):
        parse_suite({**_suite(), "checks": [{"id": "x", "metric": "impact_ratio", "min": 0.8}]})


def test_the_figures_are_recorded_as_evidence(world: World, tmp_path: Path) -> None:
    (tmp_path / "audit.csv").write_text(_rows())
    system = world.system()
    suite = parse_suite(_suite())
    recorded = validation.validate(
        world.ctx, world.actor(R.DATA_SCIENTIST), system.id, suite,
        lambda s: run_suite(s, tmp_path),
    )  # fmt: skip
    [stored] = validation.system_evidence(world.ctx, world.actor(R.AUDITOR), system.id)
    assert stored == recorded
    both = next(r for r in stored.results if r.check_id == "sel-both")
    assert _figures(both)["sex=Female, race=Black"] == (15, 0.2, pytest.approx(1 / 3))


def test_the_docs_example_runs_on_the_fixture(tmp_path: Path) -> None:
    text = (Path(__file__).parents[2] / "docs" / "validation.md").read_text()
    block = next(b for b in text.split("```yaml")[1:] if "aedt-bias-audit" in b)
    raw = yaml.safe_load(block.split("```")[0])
    (tmp_path / "screened.csv").write_text(_rows().replace("race,", "race_ethnicity,", 1))
    suite = parse_suite({**raw, "data": "screened.csv"})
    results = {r.check_id: r for r in judge_suite(suite, run_suite(suite, tmp_path))}
    assert results["ir-both"].value == pytest.approx(1 / 3)
    assert results["sr-sex"].value == pytest.approx(799 / 1100)  # nothing under 2% by sex
