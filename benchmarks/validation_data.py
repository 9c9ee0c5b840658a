"""A synthetic prediction log for the validation benchmark, written to Parquet by DuckDB.

25 features (20 numeric, 5 categorical, two of them with missing values), two protected
attributes (sex, age group) with a built-in bias, a score, its 0/1 prediction and a label
drawn from the score. The reference window (100,000 rows) has slightly different
distributions for a few features, so that drift is there to find.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from charter.kernel.yaml_text import dump_yaml

NUMERIC = [f"f{i}" for i in range(20)]
CATEGORICAL = [f"c{i}" for i in range(5)]
FEATURES = NUMERIC + CATEGORICAL
PROTECTED = ["sex", "age_group"]
REFERENCE_ROWS = 100_000


def _select(rows: int, shift: float) -> str:
    numeric = [
        f"CASE WHEN {i} < 2 AND random() < 0.01 THEN NULL ELSE "
        f"(random() + random() + random() - 1.5) * {i + 1} + {i} + {shift * (i % 3)} END AS f{i}"
        for i in range(20)
    ]
    categorical = [
        f"'v' || CAST(floor(random() * {3 + i} + {shift}) AS INTEGER) AS c{i}" for i in range(5)
    ]
    return (
        "SELECT *, CAST(random() < score AS INTEGER) AS label, "
        "CAST(score >= 0.5 AS INTEGER) AS prediction FROM ("
        f"SELECT {', '.join(numeric + categorical)}, sex, age_group, "
        "least(greatest(random() * 0.8 + CASE WHEN sex = 'male' THEN 0.15 ELSE 0.0 END "
        "+ CASE WHEN age_group = '65+' THEN -0.1 ELSE 0.0 END, 0.0), 1.0) AS score FROM ("
        "SELECT *, CASE WHEN random() < 0.5 THEN 'female' ELSE 'male' END AS sex, "
        "['18-29', '30-44', '45-64', '65+'][CAST(floor(random() * 4) AS INTEGER) + 1] "
        f"AS age_group FROM range({rows})))"
    )


def generate(folder: Path, rows: int) -> tuple[Path, Path]:
    """current-<rows>.parquet and reference.parquet in `folder`, made once and reused."""
    folder.mkdir(parents=True, exist_ok=True)
    current, reference = folder / f"current-{rows}.parquet", folder / "reference.parquet"
    with duckdb.connect() as con:
        for path, n, shift in ((current, rows, 0.0), (reference, REFERENCE_ROWS, 0.3)):
            if not path.exists():
                partial = path.with_suffix(".partial")
                con.execute(f"COPY ({_select(n, shift)}) TO '{partial}' (FORMAT parquet)")
                partial.rename(path)
    return current, reference


def write_suite(folder: Path, current: Path) -> Path:
    """The full suite: performance, fairness over both attributes and their intersection,
    drift of every feature, missing values of every feature."""
    checks: list[dict[str, object]] = [
        {"id": m, "metric": m, "min": 0.0}
        for m in ("accuracy", "precision", "recall", "f1", "roc_auc", "selection_rate")
    ]
    checks += [
        {"id": m, "metric": m, "max": 1.0} for m in ("log_loss", "brier", "calibration_error")
    ]
    for over in (["sex"], ["age_group"], ["sex", "age_group"]):
        for metric in (
            "demographic_parity_difference",
            "demographic_parity_ratio",
            "equalized_odds_difference",
            "equal_opportunity_difference",
            "disparate_impact",
        ):
            bound = (
                {"min": 0.8}
                if metric in ("demographic_parity_ratio", "disparate_impact")
                else {"max": 0.1}
            )
            checks.append(  # every group compared, as fairlearn does
                {"id": f"{metric}-{'-'.join(over)}", "metric": metric, "over": over,
                 "min_group_size": 0, **bound}
            )  # fmt: skip
    for column in NUMERIC:
        checks += [
            {"id": f"ks-{column}", "metric": "ks", "column": column, "max": 0.1},
            {"id": f"wasserstein-{column}", "metric": "wasserstein", "column": column, "max": 1.0},
            {"id": f"psi-{column}", "metric": "psi", "column": column, "max": 0.2},
        ]
    for column in CATEGORICAL:
        checks += [
            {"id": f"psi-{column}", "metric": "psi", "column": column, "max": 0.2},
            {"id": f"chi-{column}", "metric": "chi_square_p", "column": column, "min": 0.01},
        ]
    checks += [
        {"id": f"nulls-{c}", "metric": "null_rate", "column": c, "max": 0.05} for c in FEATURES
    ]
    suite = {
        "name": "benchmark",
        "data": current.name,
        "reference": "reference.parquet",
        "columns": {
            "label": "label",
            "prediction": "prediction",
            "score": "score",
            "protected": PROTECTED,
        },
        "checks": checks,
    }
    path = folder / f"suite-{current.stem}.yaml"
    path.write_text(dump_yaml(suite, sort_keys=False))  # what Charter reads: no aliases
    return path
