"""Use-case scoring and placement: computed by hand against the shipped model."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from charter.bootstrap import load_scoring
from charter.kernel.errors import InvalidInput
from charter.strategy.domain.scoring import parse_scoring_model, rank, score
from charter.strategy.domain.strategy import Estimate, UseCase, ValueKind

AT = datetime(2026, 12, 1, tzinfo=UTC)
MODEL = load_scoring(None)


def case(
    ident: str = "uc_1",
    value: int | None = 2_000_000,
    confidence: int = 50,
    months: int | None = 5,
    title: str | None = None,
    **ratings: int,
) -> UseCase:
    estimates = (Estimate(ValueKind.REVENUE, value, confidence),) if value is not None else ()
    rated = {"feasibility": 4, "risk": 2, "strategic_fit": 3} | ratings
    return UseCase(
        ident, title or ident, "obj", "bu", "p", AT, estimates=estimates,
        time_to_value_months=months, ratings=rated,
    )  # fmt: skip


def test_total_is_the_weighted_mean_of_scores_computed_by_hand() -> None:
    # expected value 1,000,000 -> band 3 -> 0.5; feasibility 4 -> 0.75; risk 2 (lower is
    # better) -> 0.75; strategic fit 3 -> 0.5; 5 months -> band 4 -> 0.75
    found = score(MODEL, case())
    by_hand = 100 * (0.35 * 0.5 + 0.25 * 0.75 + 0.15 * 0.75 + 0.15 * 0.5 + 0.10 * 0.75) / 1.0
    assert found.total == pytest.approx(by_hand, abs=1e-9)
    assert found.missing == ()
    assert {p.criterion: p.rating for p in found.parts} == {
        "value": 3, "feasibility": 4, "risk": 2, "strategic_fit": 3, "time_to_value": 4,
    }  # fmt: skip
    assert found.part("value") == 0.5 and found.horizon == "now"


def test_a_missing_estimate_is_shown_as_missing_never_as_zero() -> None:
    found = score(MODEL, case(value=None))
    assert found.total is None
    assert found.missing == ("value",)
    value = next(p for p in found.parts if p.criterion == "value")
    assert value.rating is None and value.score is None and value.basis == "no value estimate"
    unrated = score(MODEL, replace(case(), ratings={"feasibility": 4}))
    assert unrated.total is None and unrated.missing == ("risk", "strategic_fit")
    assert score(MODEL, case(months=None)).horizon is None


def test_ties_share_a_rank_and_unscored_come_last() -> None:
    a, b, c = case("a", title="Alpha"), case("b", title="Beta"), case("c", title="Gamma")
    top = case("d", title="Delta", feasibility=5)
    unscored = case("e", value=None, title="Epsilon")
    scores = [score(MODEL, u) for u in (c, unscored, b, top, a)]
    ranked = rank(scores, {u.id: u.title for u in (a, b, c, top, unscored)})
    assert [(r.rank, r.score.use_case_id) for r in ranked] == [
        (1, "d"), (2, "a"), (2, "b"), (2, "c"), (None, "e"),
    ]  # fmt: skip


def test_changing_weights_changes_the_ranking() -> None:
    valuable = case("v", value=20_000_000, confidence=100, feasibility=1)  # value 5, feasible 1
    easy = case("e", value=150_000, confidence=100, feasibility=5)  # value 2, feasible 5
    titles = {"v": "v", "e": "e"}
    by_value = rank([score(MODEL, u) for u in (valuable, easy)], titles)
    assert by_value[0].score.use_case_id == "v"
    heavier = MODEL.with_weights({"value": 0.1, "feasibility": 0.6})
    by_feasibility = rank([score(heavier, u) for u in (valuable, easy)], titles)
    assert by_feasibility[0].score.use_case_id == "e"
    # the criteria not named keep their weights; a zero weight drops the criterion
    assert heavier.criterion("risk").weight == MODEL.criterion("risk").weight
    no_value = MODEL.with_weights({"value": 0})
    assert score(no_value, case(value=None)).total is not None


def test_bad_weights_are_refused_by_name() -> None:
    with pytest.raises(InvalidInput, match="unknown criterion 'speed'"):
        MODEL.with_weights({"speed": 1})
    with pytest.raises(InvalidInput, match="weight of 'value' must be a number >= 0"):
        MODEL.with_weights({"value": -1})
    zero = dict.fromkeys(("value", "feasibility", "risk", "strategic_fit", "time_to_value"), 0)
    with pytest.raises(InvalidInput, match="at least one criterion"):
        MODEL.with_weights(zero)


@pytest.mark.parametrize(
    ("value", "feasibility", "fit", "quadrant"),
    [
        (2_000_000, 4, 3, "quick_win"),  # value 0.5, feasibility 0.75
        (2_000_000, 3, 1, "quick_win"),  # both exactly on the line count as high
        (2_000_000, 2, 5, "transformational"),  # high value, feasibility 0.25
        (100_000, 5, 4, "strategic_bet"),  # value 0, strategic fit 0.75
        (100_000, 5, 2, "drop"),  # value 0, strategic fit 0.25
    ],
)
def test_quadrant_placement(value: int, feasibility: int, fit: int, quadrant: str) -> None:
    found = score(MODEL, case(value=value, feasibility=feasibility, strategic_fit=fit))
    assert found.quadrant == quadrant


def test_an_unrated_criterion_a_rule_reads_leaves_the_use_case_unplaced() -> None:
    assert score(MODEL, case(value=None)).quadrant is None
    unrated = replace(case(value=100_000), ratings={"feasibility": 5, "risk": 1})
    assert score(MODEL, unrated).quadrant is None  # low value: strategic fit decides, missing


def test_the_model_file_is_checked() -> None:
    raw = {
        "criteria": [{"id": "value", "weight": 1, "source": "expected_value", "bands": []}],
        "quadrants": [{"id": "q"}],
        "horizons": [{"id": "h"}],
    }
    with pytest.raises(InvalidInput, match="needs bands"):
        parse_scoring_model(raw)
    raw["criteria"] = [{"id": "speed", "weight": 1, "source": "rating"}]
    with pytest.raises(InvalidInput, match="only feasibility, risk, strategic_fit are rated"):
        parse_scoring_model(raw)
    raw["criteria"] = [{"id": "risk", "weight": 1}]
    raw["quadrants"] = [{"id": "q", "when": {"value": {"min": 0.5}}}]
    with pytest.raises(InvalidInput, match="unknown criterion 'value'"):
        parse_scoring_model(raw)
    bands = [{"up_to": 5, "rating": 1}, {"up_to": 2, "rating": 2}, {"rating": 3}]
    raw["criteria"] = [{"id": "v", "weight": 1, "source": "expected_value", "bands": bands}]
    with pytest.raises(InvalidInput, match="bands rise"):
        parse_scoring_model(raw)
