"""95% intervals: Wilson for rates, Newcombe's hybrid score for differences of rates."""

from __future__ import annotations

import pytest
from scipy import stats

from charter.validation.domain.metrics import Counts, disparity, newcombe, wilson


@pytest.mark.parametrize(("k", "n"), [(0, 10), (10, 10), (56, 70), (3, 1000), (500, 1000)])
def test_wilson_matches_scipy(k: int, n: int) -> None:
    expected = stats.binomtest(k, n).proportion_ci(method="wilson")
    low, high = wilson(k, n)  # type: ignore[misc]
    assert (low, high) == pytest.approx((expected.low, expected.high), abs=1e-12)


def test_newcombe_matches_the_published_example() -> None:
    # Newcombe (1998), Statistics in Medicine 17:873-890, example (a): 56/70 - 48/80
    low, high = newcombe((56, 70), (48, 80))  # type: ignore[misc]
    assert (round(low, 4), round(high, 4)) == (0.0524, 0.3339)


def test_no_trials_no_interval() -> None:
    assert wilson(0, 0) is None and newcombe((1, 2), (0, 0)) is None


def test_disparity_carries_the_interval_of_its_extreme_groups() -> None:
    groups = {
        "a": Counts(70, 50, 6, 10, 4),
        "b": Counts(80, 40, 8, 24, 8),
        "c": Counts(60, 35, 5, 15, 5),
    }
    found = disparity(groups)
    assert found.demographic_parity_difference == pytest.approx(56 / 70 - 48 / 80)
    assert found.intervals["demographic_parity_difference"] == newcombe((56, 70), (48, 80))
    low, high = found.intervals["equal_opportunity_difference"]  # type: ignore[misc]
    assert low < found.equal_opportunity_difference < high  # type: ignore[operator]
