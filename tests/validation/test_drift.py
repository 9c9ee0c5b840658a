"""Drift metrics against scipy, on UCI Adult (training file as reference, test file as
current window) and on synthetic edge cases; drift checks through a suite."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy import stats
from scipy.spatial import distance

from charter.kernel.errors import InvalidInput
from charter.kernel.verdicts import Verdict
from charter.validation.domain import drift
from charter.validation.domain.evidence import judge_suite
from charter.validation.domain.suite import parse_suite
from charter.validation.engines.runner import run_suite

ADULT = Path(__file__).resolve().parent / "data" / "uci-adult"  # a sample, see ATTRIBUTION.md
TOL = 1e-9
COLUMNS = [
    "age",
    "workclass",
    "fnlwgt",
    "education",
    "education_num",
    "marital_status",
    "occupation",
    "relationship",
    "race",
    "sex",
    "capital_gain",
    "capital_loss",
    "hours_per_week",
    "native_country",
    "income",
]


def _adult(name: str, skip: int = 0) -> list[list[str]]:
    lines = (ADULT / name).read_text().splitlines()[skip:]
    return [[v.strip() for v in line.split(",")] for line in lines if line.strip()]


@pytest.fixture(scope="module")
def windows(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list, list]:  # type: ignore[type-arg]
    ref, cur = _adult("adult.data"), _adult("adult.test", skip=1)
    folder = tmp_path_factory.mktemp("adult")
    for name, rows in (("reference.csv", ref), ("current.csv", cur)):
        with (folder / name).open("w") as out:
            out.write("label,prediction,age,hours_per_week,race,workclass\n")
            for r in rows:
                label = int(r[14].startswith(">50K"))
                out.write(f"{label},{label},{r[0]},{r[12]},{r[8]},{r[1]}\n")
    return folder, ref, cur


@pytest.mark.parametrize("column", [0, 12])  # age, hours per week
def test_numeric_drift_matches_scipy(windows, column: int) -> None:  # type: ignore[no-untyped-def]
    _, ref_rows, cur_rows = windows
    ref = [float(r[column]) for r in ref_rows]
    cur = [float(r[column]) for r in cur_rows]
    r_counts, c_counts = Counter(ref), Counter(cur)
    assert drift.ks(r_counts, c_counts) == pytest.approx(
        stats.ks_2samp(ref, cur).statistic, abs=TOL
    )
    assert drift.wasserstein(r_counts, c_counts) == pytest.approx(
        stats.wasserstein_distance(ref, cur), abs=TOL
    )
    edges = drift.decile_edges(r_counts)
    rb, cb = drift.binned(r_counts, edges), drift.binned(c_counts, edges)
    expected_bins = np.bincount(np.searchsorted(edges, ref, side="left"), minlength=len(edges) + 1)
    assert rb == expected_bins.tolist() and sum(rb) == len(ref)
    assert drift.jensen_shannon(rb, cb) == pytest.approx(
        distance.jensenshannon(rb, cb, base=2), abs=TOL
    )
    p, q = np.array(rb) / sum(rb), np.array(cb) / sum(cb)
    p, q = np.maximum(p, 1e-4), np.maximum(q, 1e-4)
    assert drift.psi(rb, cb) == pytest.approx(float(np.sum((q - p) * np.log(q / p))), abs=TOL)


@pytest.mark.parametrize("column", [8, 1])  # race, workclass
def test_categorical_drift_matches_scipy(windows, column: int) -> None:  # type: ignore[no-untyped-def]
    _, ref_rows, cur_rows = windows
    ref, cur = Counter(r[column] for r in ref_rows), Counter(r[column] for r in cur_rows)
    categories = sorted(set(ref) | set(cur))
    table = np.array([[ref[c] for c in categories], [cur[c] for c in categories]])
    expected = stats.chi2_contingency(table, correction=False).pvalue
    assert drift.chi_square_p(ref, cur) == pytest.approx(expected, abs=TOL)


@pytest.mark.parametrize(
    ("x", "dof"),
    [(0.0, 1), (0.5, 1), (3.0, 2), (10.0, 4), (100.0, 50), (0.01, 10), (250.0, 3), (40.0, 40)],
)
def test_chi_square_survival_function(x: float, dof: int) -> None:
    assert drift.chi2_sf(x, dof) == pytest.approx(stats.chi2.sf(x, dof), abs=1e-12)


def test_identical_windows_do_not_drift() -> None:
    same = Counter({1.0: 5, 2.0: 3, 7.5: 2})
    assert drift.ks(same, same) == 0 and drift.wasserstein(same, same) == 0
    edges = drift.decile_edges(same)
    bins = drift.binned(same, edges)
    assert drift.psi(bins, bins) == 0 and drift.jensen_shannon(bins, bins) == 0
    assert drift.chi_square_p(Counter("aab"), Counter("aab")) == pytest.approx(1.0)


def _suite(**extra: object) -> dict[str, object]:
    return {
        "name": "drift",
        "data": "current.csv",
        "reference": "reference.csv",
        "columns": {"label": "label", "prediction": "prediction"},
        "checks": [
            {"id": "ks-age", "metric": "ks", "column": "age", "max": 0.1},
            {"id": "psi-race", "metric": "psi", "column": "race", "max": 0.1},
            {"id": "chi-race", "metric": "chi_square_p", "column": "race", "min": 0.01},
            {"id": "w-hours", "metric": "wasserstein", "column": "hours_per_week", "max": 1.0},
        ],
        **extra,
    }


def test_drift_checks_through_a_suite_in_one_scan_per_window(windows, compute: str) -> None:  # type: ignore[no-untyped-def]
    folder, ref_rows, cur_rows = windows
    result = run_suite(parse_suite(_suite()), folder, compute)
    ages = ([float(r[0]) for r in ref_rows], [float(r[0]) for r in cur_rows])
    assert result.by_check["ks-age"] == pytest.approx(stats.ks_2samp(*ages).statistic, abs=TOL)
    hours = ([float(r[12]) for r in ref_rows], [float(r[12]) for r in cur_rows])
    assert result.by_check["w-hours"] == pytest.approx(stats.wasserstein_distance(*hours), abs=TOL)
    assert result.by_check["psi-race"] is not None and result.by_check["chi-race"] is not None


def test_drift_bad_input_is_named(windows, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder, _, _ = windows
    with pytest.raises(InvalidInput, match="need 'reference'"):
        parse_suite({k: v for k, v in _suite().items() if k != "reference"})
    with pytest.raises(InvalidInput, match=r"reference file .* does not exist"):
        run_suite(parse_suite(_suite(reference="nowhere.csv")), folder)
    bad = _suite(checks=[{"id": "ks-race", "metric": "ks", "column": "race", "max": 0.1}])
    with pytest.raises(InvalidInput, match=r"ks-race.*race.*numeric"):
        run_suite(parse_suite(bad), folder)
    (tmp_path / "current.csv").write_text("label,prediction,age\n")
    (tmp_path / "reference.csv").write_text("label,prediction,age\n1,1,30\n")
    only_age = _suite(checks=[{"id": "ks-age", "metric": "ks", "column": "age", "max": 0.1}])
    with pytest.raises(InvalidInput, match=r"current\.csv holds no rows: the current window"):
        run_suite(parse_suite(only_age), tmp_path)


@pytest.fixture(scope="module")
def continuous(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any, Any]:
    """Two windows of a continuous feature: far more distinct values than drift bins."""
    rng = np.random.default_rng(7)
    ref, cur = rng.normal(0, 1, 20_000), rng.normal(0.15, 1.2, 30_000)
    folder = tmp_path_factory.mktemp("continuous")
    for name, values in (("reference.csv", ref), ("current.csv", cur)):
        lines = ["label,prediction,x"] + [f"1,1,{float(v)!r}" for v in values]
        (folder / name).write_text("\n".join(lines) + "\n")
    return folder, ref, cur


def test_binned_drift_is_within_its_recorded_bound_of_scipy_and_numpy(
    continuous, compute: str
) -> None:  # type: ignore[no-untyped-def]
    folder, ref, cur = continuous
    checks = [
        {"id": "ks", "metric": "ks", "column": "x", "max": 0.1},
        {"id": "w", "metric": "wasserstein", "column": "x", "max": 1.0},
        {"id": "psi", "metric": "psi", "column": "x", "max": 0.2},
        {"id": "js", "metric": "jensen_shannon", "column": "x", "max": 0.2},
    ]
    result = run_suite(parse_suite(_suite(checks=checks)), folder, compute)
    ks_exact = stats.ks_2samp(ref, cur).statistic
    w_exact = stats.wasserstein_distance(ref, cur)
    ks_bound, w_bound = result.bounds["ks"], result.bounds["w"]
    assert 0 < ks_bound < 0.01 and 0 < w_bound < 0.01  # the bins are fine enough to matter
    assert ks_exact - ks_bound - TOL <= (result.by_check["ks"] or 0) <= ks_exact + TOL
    assert abs((result.by_check["w"] or 0) - w_exact) <= w_bound
    psi_exact, js_exact = _over_exact_deciles(ref, cur)
    for check, exact in (("psi", psi_exact), ("js", js_exact)):
        found, bound = result.by_check[check] or 0.0, result.bounds[check]
        assert 0 < bound < 0.01 and abs(found - exact) <= bound + TOL, check


def _over_exact_deciles(ref: Any, cur: Any) -> tuple[float, float]:
    """PSI and Jensen-Shannon over the exact deciles of the unbinned windows, as numpy has it."""
    edges = np.unique(np.quantile(ref, np.arange(1, 10) / 10, method="inverted_cdf"))
    edges = edges[edges < ref.max()]
    p, q = (np.bincount(np.searchsorted(edges, w), minlength=len(edges) + 1) for w in (ref, cur))
    shares = [np.maximum(c / c.sum(), drift.EMPTY_SHARE) for c in (p, q)]
    psi_exact = float(np.sum((shares[1] - shares[0]) * np.log(shares[1] / shares[0])))
    return psi_exact, float(distance.jensenshannon(p, q, base=2))


@pytest.mark.parametrize("ties", [False, True])
def test_a_threshold_within_the_bound_gets_the_exact_value(  # type: ignore[no-untyped-def]
    continuous, tmp_path: Path, compute: str, ties: bool
) -> None:
    """Thresholds set at the binned values lie within their bounds: the exact value could be
    on either side, so the run computes each exactly (scipy's and numpy's to 1e-9, ties in
    both windows included) and records no bound; the verdicts are decided."""
    folder, ref, cur = continuous
    if ties:  # values rounded to 3 decimals: many rows share a value, bins hold several
        rng = np.random.default_rng(11)
        ref, cur = rng.normal(0, 1, 20_000).round(3), rng.normal(0.1, 1.1, 20_000).round(3)
        for name, values in (("reference.csv", ref), ("current.csv", cur)):
            lines = ["label,prediction,x"] + [f"1,1,{float(v)!r}" for v in values]
            (tmp_path / name).write_text("\n".join(lines) + "\n")
        folder = tmp_path
    metrics = ("ks", "wasserstein", "psi", "jensen_shannon")
    loose = [{"id": m, "metric": m, "column": "x", "max": 10.0} for m in metrics]
    binned = run_suite(parse_suite(_suite(checks=loose)), folder, compute)
    assert all(binned.bounds[m] > 0 for m in metrics)
    near = [{**c, "max": binned.by_check[c["id"]]} for c in loose]
    suite = parse_suite(_suite(checks=near))
    said: list[tuple[str, int, int]] = []
    settled = run_suite(suite, folder, compute, progress=lambda *step: said.append(step))
    assert settled.bounds == {}
    assert any("exact values of x" in name for name, _, _ in said)
    assert said[-1][1:] == (said[-1][2], said[-1][2])  # the step was counted: all done
    assert all(done < total for _, done, total in said[:-1])
    psi_exact, js_exact = _over_exact_deciles(ref, cur)
    exact = {
        "ks": stats.ks_2samp(ref, cur).statistic,
        "wasserstein": stats.wasserstein_distance(ref, cur),
        "psi": psi_exact,
        "jensen_shannon": js_exact,
    }
    for metric in metrics:
        assert settled.by_check[metric] == pytest.approx(exact[metric], abs=TOL), metric
    assert all(r.verdict is not Verdict.INCONCLUSIVE for r in judge_suite(suite, settled))


@pytest.mark.parametrize("reference_kind", ["whole", "continuous"])
def test_windows_of_different_kinds_stay_within_their_bounds(  # type: ignore[no-untyped-def]
    tmp_path: Path, compute: str, reference_kind: str
) -> None:
    """A reference of whole numbers keeps the current window's spread per bin (its bins can
    be exact); a continuous one does not need it. Either way, against a current window of
    the other kind, the values stay within their recorded bounds of scipy's."""
    rng = np.random.default_rng(11)
    whole = rng.integers(0, 40, 5_000).astype(float)
    continuous = rng.normal(20, 8, 6_000)
    ref, cur = (whole, continuous) if reference_kind == "whole" else (continuous, whole)
    for name, values in (("reference.csv", ref), ("current.csv", cur)):
        lines = ["label,prediction,x"] + [f"1,1,{float(v)!r}" for v in values]
        (tmp_path / name).write_text("\n".join(lines) + "\n")
    checks = [
        {"id": "ks", "metric": "ks", "column": "x", "max": 0.1},
        {"id": "w", "metric": "wasserstein", "column": "x", "max": 1.0},
    ]
    result = run_suite(parse_suite(_suite(checks=checks)), tmp_path, compute)
    ks_exact = stats.ks_2samp(ref, cur).statistic
    w_exact = stats.wasserstein_distance(ref, cur)
    ks_bound, w_bound = result.bounds.get("ks", 0.0), result.bounds.get("w", 0.0)
    assert 0 < ks_bound < 0.05 and 0 < w_bound < 0.1  # a whole number holds 1/40 of its window
    assert ks_exact - ks_bound - TOL <= (result.by_check["ks"] or 0) <= ks_exact + TOL
    assert abs((result.by_check["w"] or 0) - w_exact) <= w_bound + TOL


def test_drift_is_the_same_on_every_engine(continuous, windows, spark_ready: None) -> None:  # type: ignore[no-untyped-def]
    for folder, checks in (
        (continuous[0], [{"id": "ks", "metric": "ks", "column": "x", "max": 0.1}]),
        (windows[0], _suite()["checks"]),
    ):
        suite = parse_suite(_suite(checks=checks))
        duck, spark = run_suite(suite, folder, "duckdb"), run_suite(suite, folder, "spark")
        assert duck.by_check == pytest.approx(spark.by_check, abs=1e-12)
        assert duck.bounds == pytest.approx(spark.bounds, abs=1e-12)
