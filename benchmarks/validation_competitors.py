"""The tools a user would otherwise pick, each computing its share of the same metrics on the
same data, one per process, printing one JSON line. Runs in its own virtual environment
(benchmarks/competitors.txt): Evidently needs pandas < 3, Charter does not.

    python benchmarks/validation_competitors.py sklearn|fairlearn|evidently CURRENT REFERENCE
"""

from __future__ import annotations

import importlib
import json
import resource
import sys
import time
import warnings

import numpy as np
import pandas as pd

NUMERIC = [f"f{i}" for i in range(20)]
CATEGORICAL = [f"c{i}" for i in range(5)]


def sklearn_run(current: str, _: str) -> dict[str, object]:
    from sklearn import metrics

    frame = pd.read_parquet(current, columns=["label", "prediction", "score"])
    y, p, s = frame["label"], frame["prediction"], frame["score"]
    bins = np.minimum((s * 10).astype(int), 9)
    grouped = frame.groupby(bins).agg(
        ms=("score", "mean"), my=("label", "mean"), n=("label", "size")
    )
    ece = float(((grouped["ms"] - grouped["my"]).abs() * grouped["n"]).sum() / len(frame))
    return {
        "accuracy": metrics.accuracy_score(y, p),
        "precision": metrics.precision_score(y, p),
        "recall": metrics.recall_score(y, p),
        "f1": metrics.f1_score(y, p),
        "roc_auc": metrics.roc_auc_score(y, s),
        "log_loss": metrics.log_loss(y, s),
        "brier": metrics.brier_score_loss(y, s),
        "selection_rate": float(p.mean()),
        "calibration_error": ece,
    }


def fairlearn_run(current: str, _: str) -> dict[str, object]:
    import fairlearn.metrics as fl

    frame = pd.read_parquet(current, columns=["label", "prediction", "sex", "age_group"])
    y, p = frame["label"], frame["prediction"]
    out: dict[str, object] = {}
    for over in (["sex"], ["age_group"], ["sex", "age_group"]):
        sensitive = frame[over]
        mf = fl.MetricFrame(
            metrics={
                "selection_rate": fl.selection_rate,
                "tpr": fl.true_positive_rate,
                "fpr": fl.false_positive_rate,
                "count": fl.count,
            },
            y_true=y,
            y_pred=p,
            sensitive_features=sensitive,
        )
        name = "-".join(over)
        out[f"demographic_parity_difference-{name}"] = float(mf.difference()["selection_rate"])
        out[f"demographic_parity_ratio-{name}"] = float(mf.ratio()["selection_rate"])
        out[f"equal_opportunity_difference-{name}"] = float(mf.difference()["tpr"])
        out[f"equalized_odds_difference-{name}"] = float(
            max(mf.difference()["tpr"], mf.difference()["fpr"])
        )
    return out


def evidently_run(current: str, reference: str) -> dict[str, object]:
    from evidently import DataDefinition, Dataset, Report
    from evidently.metrics import MissingValueCount, ValueDrift

    columns = NUMERIC + CATEGORICAL
    definition = DataDefinition(numerical_columns=NUMERIC, categorical_columns=CATEGORICAL)
    cur = Dataset.from_pandas(pd.read_parquet(current, columns=columns), data_definition=definition)
    ref = Dataset.from_pandas(
        pd.read_parquet(reference, columns=columns), data_definition=definition
    )
    wanted = []
    for column in NUMERIC:
        wanted += [ValueDrift(column=column, method=m) for m in ("ks", "wasserstein", "psi")]
    for column in CATEGORICAL:
        wanted += [ValueDrift(column=column, method=m) for m in ("psi", "chisquare")]
    wanted += [MissingValueCount(column=c) for c in columns]
    snapshot = Report(wanted).run(current_data=cur, reference_data=ref)
    return {"metrics": len(snapshot.dict()["metrics"])}


RUNS = {"sklearn": sklearn_run, "fairlearn": fairlearn_run, "evidently": evidently_run}
MODULES = {"sklearn": "sklearn.metrics", "fairlearn": "fairlearn.metrics", "evidently": "evidently"}

if __name__ == "__main__":
    warnings.simplefilter("ignore")
    kind, current, reference = sys.argv[1:4]
    importlib.import_module(MODULES[kind])  # imports are not timed, as for Charter
    started = time.perf_counter()
    values = RUNS[kind](current, reference)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "values": values}, default=float))
