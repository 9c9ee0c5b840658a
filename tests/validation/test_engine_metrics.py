"""Engine aggregates and metrics against scikit-learn and fairlearn on UCI German Credit,
on DuckDB and on Spark."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import fairlearn.metrics as fl
import pandas as pd
import pytest
import sklearn.linear_model as linear
import sklearn.metrics as sk_metrics

from charter.validation.domain.metrics import Counts, Regression, disparity
from charter.validation.domain.suite import Suite, parse_suite
from charter.validation.engines.backend import Backend
from charter.validation.engines.measures import group_counts, regression_sums
from charter.validation.engines.runner import AUC_TOLERANCE, run_suite

GERMAN = Path(str(resources.files("charter.demo").joinpath("data")))  # shipped, CC BY 4.0
COLUMNS = [
    "status",
    "duration",
    "credit_history",
    "purpose",
    "credit_amount",
    "savings",
    "present_employment",
    "installment_rate",
    "personal_status_sex",
    "other_debtors",
    "present_residence_since",
    "property",
    "age",
    "other_installment_plans",
    "housing",
    "number_of_existing_credits",
    "job",
    "people_liable",
    "telephone",
    "foreign_worker",
    "credit",
]
TOL = 1e-9


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    frame = pd.read_csv(GERMAN / "german.data", sep=" ", header=None, names=COLUMNS)
    frame["label"] = (frame["credit"] == 1).astype(int)
    frame["sex"] = frame["personal_status_sex"].map(
        lambda c: "female" if c in ("A92", "A95") else "male"
    )
    frame["age_group"] = frame["age"].map(lambda a: "under_25" if a < 25 else "25_and_over")
    features = [
        "duration",
        "credit_amount",
        "installment_rate",
        "age",
        "number_of_existing_credits",
        "people_liable",
    ]
    model = linear.LogisticRegression(max_iter=2000).fit(frame[features], frame["label"])
    frame["score"] = model.predict_proba(frame[features])[:, 1]
    frame["prediction"] = (frame["score"] >= 0.5).astype(int)
    path = tmp_path_factory.mktemp("german") / "scored.parquet"
    frame.to_parquet(path)
    return frame, path


def _counts(b: Backend, path: Path) -> dict:  # type: ignore[type-arg]
    return group_counts(
        b, b.open(path, "current"), "label", "prediction", "score", ("sex", "age_group")
    )


def test_performance_matches_scikit_learn(scored, backend: Backend) -> None:  # type: ignore[no-untyped-def]
    frame, path = scored
    overall = _counts(backend, path)[()]
    y, p, s = frame["label"], frame["prediction"], frame["score"]
    assert overall.n == len(frame)
    assert overall.accuracy == pytest.approx(sk_metrics.accuracy_score(y, p), abs=TOL)
    assert overall.precision == pytest.approx(sk_metrics.precision_score(y, p), abs=TOL)
    assert overall.recall == pytest.approx(sk_metrics.recall_score(y, p), abs=TOL)
    assert overall.f1 == pytest.approx(sk_metrics.f1_score(y, p), abs=TOL)
    assert overall.brier == pytest.approx(sk_metrics.brier_score_loss(y, s), abs=TOL)
    assert overall.log_loss == pytest.approx(sk_metrics.log_loss(y, s), abs=TOL)


@pytest.mark.parametrize("attributes", [("sex",), ("age_group",), ("sex", "age_group")])
def test_fairness_matches_fairlearn(scored, backend: Backend, attributes: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    frame, path = scored
    counts = _counts(backend, path)
    groups = {k: v for k, v in counts.items() if tuple(a for a, _ in k) == attributes}
    sensitive = frame[list(attributes)]
    y, p = frame["label"], frame["prediction"]
    frame_metrics = fl.MetricFrame(
        metrics={
            "selection": fl.selection_rate,
            "tpr": fl.true_positive_rate,
            "fpr": fl.false_positive_rate,
            "count": fl.count,
        },
        y_true=y,
        y_pred=p,
        sensitive_features=sensitive,
    )
    by_group = frame_metrics.by_group
    assert len(groups) == len(by_group)
    for key, c in groups.items():
        index = tuple(v for _, v in key)
        row = by_group.loc[index if len(index) > 1 else index[0]]
        assert c.n == row["count"]
        assert c.selection_rate == pytest.approx(row["selection"], abs=TOL)
        assert c.tpr == pytest.approx(row["tpr"], abs=TOL)
        assert c.fpr == pytest.approx(row["fpr"], abs=TOL)
    d = disparity(groups)
    assert d.demographic_parity_difference == pytest.approx(
        fl.demographic_parity_difference(y, p, sensitive_features=sensitive), abs=TOL
    )
    assert d.demographic_parity_ratio == pytest.approx(
        fl.demographic_parity_ratio(y, p, sensitive_features=sensitive), abs=TOL
    )
    assert d.equalized_odds_difference == pytest.approx(
        fl.equalized_odds_difference(y, p, sensitive_features=sensitive), abs=TOL
    )


def test_recorded_group_rates_match_fairlearn_by_group(scored, compute: str) -> None:  # type: ignore[no-untyped-def]
    """The evidence keeps each group's rates behind a fairness check (for the charts of
    fairness by group): the same as fairlearn's MetricFrame.by_group."""
    from charter.validation.domain.evidence import judge_suite

    frame, path = scored
    suite = parse_suite({
        "name": "fairness", "data": path.name,
        "columns": {"label": "label", "prediction": "prediction", "protected": ["sex"]},
        "checks": [
            {"id": "dp", "metric": "demographic_parity_difference", "over": ["sex"], "max": 0.1},
            {"id": "odds", "metric": "equalized_odds_difference", "over": ["sex"], "max": 0.1,
             "min_group_size": 400},
        ],
    })  # fmt: skip
    dp, odds = judge_suite(suite, run_suite(suite, path.parent, compute))
    by_group = fl.MetricFrame(
        metrics={"selection rate": fl.selection_rate, "TPR": fl.true_positive_rate,
                 "FPR": fl.false_positive_rate, "count": fl.count},
        y_true=frame["label"], y_pred=frame["prediction"], sensitive_features=frame["sex"],
    ).by_group  # fmt: skip
    assert [(g.group, g.rate) for g in dp.groups] == [("sex=male", "selection rate"),
                                                      ("sex=female", "selection rate")]  # fmt: skip
    for g in (*dp.groups, *odds.groups):
        row = by_group.loc[g.group.split("=", 1)[1]]
        assert g.size == row["count"] and g.value == pytest.approx(row[g.rate], abs=TOL)
    # the smaller group (310 women) is below the odds check's minimum: shown as not compared
    assert {g.group: g.compared for g in odds.groups} == {"sex=male": True, "sex=female": False}


def test_edge_cases_are_undefined_not_zero(tmp_path: Path, backend: Backend) -> None:
    empty = Counts(0, 0, 0, 0, 0)
    assert empty.accuracy is None and empty.precision is None and empty.brier is None
    one_class = Counts(n=5, tp=0, fp=0, tn=5, fn=0)
    assert one_class.precision is None and one_class.recall is None
    assert one_class.accuracy == 1.0 and one_class.fpr == 0.0
    one_group = disparity({"a": Counts(10, 3, 2, 4, 1)})
    assert not one_group.conclusive and one_group.demographic_parity_difference is None
    small = disparity({"a": Counts(10, 3, 2, 4, 1), "b": Counts(3, 1, 0, 2, 0)}, min_group_size=5)
    assert small.groups_too_small == 1 and not small.conclusive
    assert Regression(0, 0, 0, 0).mae is None and Regression(3, 1, 1, 0).r2 is None
    csv = tmp_path / "nulls.csv"
    csv.write_text("label,prediction,score,sex\n1,1,,f\n0,1,,m\n")
    counts = group_counts(
        backend, backend.open(csv, "current"), "label", "prediction", "score", ("sex",)
    )
    assert counts[()].scored == 0 and counts[()].brier is None
    assert counts[(("sex", "f"),)].tp == 1


def test_a_missing_column_is_refused_without_the_engine_s_text(
    tmp_path: Path, backend: Backend
) -> None:
    """The engine's own message may quote data: only its kind is told (the run checks every
    column by name before any query: test_evidence)."""
    from charter.kernel.errors import InvalidInput

    csv = tmp_path / "x.csv"
    csv.write_text("label,prediction\n1,1\n")
    with pytest.raises(InvalidInput, match=r"cannot be aggregated: the engine .* \(\w+ error\)$"):
        group_counts(backend, backend.open(csv, "current"), "label", "prediction", None, ("sex",))


def test_regression_matches_scikit_learn(scored, tmp_path: Path, backend: Backend) -> None:  # type: ignore[no-untyped-def]
    frame, _ = scored
    features = ["duration", "installment_rate", "age"]
    model = linear.LinearRegression().fit(frame[features], frame["credit_amount"])
    frame = frame.assign(estimate=model.predict(frame[features]))
    path = tmp_path / "regression.parquet"
    frame.to_parquet(path)
    result = regression_sums(backend, backend.open(path, "current"), "credit_amount", "estimate")
    y, e = frame["credit_amount"], frame["estimate"]
    assert result.mae == pytest.approx(sk_metrics.mean_absolute_error(y, e), rel=TOL)
    assert result.rmse == pytest.approx(sk_metrics.root_mean_squared_error(y, e), rel=TOL)
    assert result.r2 == pytest.approx(sk_metrics.r2_score(y, e), abs=TOL)


def _ranking_suite(data: str, auc_min: float = 0.5) -> Suite:
    return parse_suite(
        {
            "name": "ranking",
            "data": data,
            "columns": {"label": "label", "prediction": "prediction", "score": "score"},
            "checks": [
                {"id": "auc", "metric": "roc_auc", "min": auc_min},
                {"id": "ece", "metric": "calibration_error", "max": 0.2},
            ],
        }
    )


def test_roc_auc_and_calibration_match_scikit_learn(scored, compute: str) -> None:  # type: ignore[no-untyped-def]
    """Continuous scores: AUC from the fine histogram, within its recorded bound (itself
    within the tolerance) of scikit-learn's; calibration error exact."""
    frame, path = scored
    result = run_suite(_ranking_suite(path.name), path.parent, compute)
    expected = sk_metrics.roc_auc_score(frame["label"], frame["score"])
    bound = result.bounds.get("auc", 0.0)
    assert bound <= AUC_TOLERANCE
    assert abs((result.by_check["auc"] or 0) - expected) <= bound + TOL
    bins = (frame["score"] * 10).astype(int).clip(upper=9)
    by_bin = frame.groupby(bins).agg(s=("score", "mean"), y=("label", "mean"), n=("label", "size"))
    ece = float(((by_bin["s"] - by_bin["y"]).abs() * by_bin["n"]).sum() / len(frame))
    assert result.by_check["ece"] == pytest.approx(ece, abs=TOL)


def test_a_threshold_within_the_auc_bound_gets_the_exact_auc(scored, compute: str) -> None:  # type: ignore[no-untyped-def]
    """The histogram's AUC as the threshold: the exact one may lie on either side, so the
    exact rank-sum AUC is computed instead and no bound is recorded."""
    frame, path = scored
    binned = run_suite(_ranking_suite(path.name), path.parent, compute)
    assert binned.bounds["auc"] > 0
    near = run_suite(_ranking_suite(path.name, binned.by_check["auc"] or 0.0), path.parent, compute)
    expected = sk_metrics.roc_auc_score(frame["label"], frame["score"])
    assert near.by_check["auc"] == pytest.approx(expected, abs=TOL)
    assert "auc" not in near.bounds


def test_tied_scores_fall_back_to_the_exact_auc(scored, compute: str) -> None:  # type: ignore[no-untyped-def]
    """Scores rounded to 2 decimals put many pairs in one bin: the bound exceeds the
    tolerance, so the exact rank-sum AUC is used (ties get their average rank)."""
    frame, path = scored
    tied = frame.assign(score=frame["score"].round(2))
    tied_path = path.with_name("tied.parquet")
    tied.to_parquet(tied_path)
    result = run_suite(_ranking_suite(tied_path.name), path.parent, compute)
    expected = sk_metrics.roc_auc_score(tied["label"], tied["score"])
    assert result.by_check["auc"] == pytest.approx(expected, abs=TOL)
    assert "auc" not in result.bounds


def test_data_quality_and_schema_in_one_scan(tmp_path: Path, compute: str) -> None:
    from datetime import UTC, datetime

    csv = tmp_path / "q.csv"
    csv.write_text(
        "label,prediction,age,colour,id,seen\n"
        "1,1,30,red,1,2026-11-27 12:00:00\n0,0,,blue,2,2026-11-26 00:00:00\n"
        "1,0,150,green,2,2026-11-28 06:00:00\n0,1,45,red,3,2026-11-20 00:00:00\n"
    )
    suite = parse_suite(
        {
            "name": "dq",
            "data": "q.csv",
            "columns": {"label": "label", "prediction": "prediction"},
            "checks": [
                {"id": "n", "metric": "null_rate", "column": "age", "max": 0},
                {
                    "id": "r",
                    "metric": "out_of_range_rate",
                    "column": "age",
                    "range": [18, 100],
                    "max": 0,
                },
                {
                    "id": "a",
                    "metric": "not_allowed_rate",
                    "column": "colour",
                    "allowed": ["red", "blue"],
                    "max": 0,
                },
                {"id": "d", "metric": "duplicate_rate", "column": "id", "max": 0},
                {"id": "f", "metric": "freshness_hours", "column": "seen", "max": 24},
                {
                    "id": "t",
                    "metric": "expected_type",
                    "column": "age",
                    "types": ["BIGINT", "INTEGER"],
                },
                {"id": "t2", "metric": "expected_type", "column": "colour", "types": ["bigint"]},
            ],
        }
    )
    now = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    values = run_suite(suite, tmp_path, compute, now).by_check
    assert values == {
        "n": 0.25,
        "r": pytest.approx(1 / 3),
        "a": 0.25,
        "d": 0.25,
        "f": 6.0,
        "t": 1.0,
        "t2": 0.0,
    }
