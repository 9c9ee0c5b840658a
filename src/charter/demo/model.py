"""The demo's credit-scoring model: trained on UCI German Credit, scored, then validated.

Needs scikit-learn (the `demo` extra; `make demo` installs it).
"""

from __future__ import annotations

import csv
import random
from importlib import resources
from pathlib import Path

from charter.kernel.errors import InvalidInput

NUMERIC = (1, 4, 7, 12, 15, 17)  # duration, amount, instalment rate, age, credits, liable
# checking account, credit history, savings, employment, personal status and sex, housing:
# the model sees personal status and sex, which is what the fairness checks then find
CATEGORICAL = (0, 2, 5, 6, 8, 14)
SUITE = """\
name: retail-credit-scoring
data: scored.csv
columns: {label: label, prediction: prediction, score: score,
          protected: [sex, age_group, foreign_worker]}
checks:
  - {id: accuracy, metric: accuracy, min: 0.65}
  - {id: auc, metric: roc_auc, min: 0.6}
  - {id: calibration, metric: calibration_error, max: 0.1, severity: warning}
  - {id: parity-age, metric: demographic_parity_difference, over: [age_group], max: 0.1,
     min_group_size: 30}
  - {id: four-fifths-age, metric: disparate_impact, over: [age_group], min: 0.8,
     min_group_size: 30}
  - {id: odds-sex, metric: equalized_odds_difference, over: [sex], max: 0.2,
     min_group_size: 30}
  - {id: rows, metric: row_count, min: 200}
"""


def _rows() -> list[list[str]]:
    text = resources.files("charter.demo").joinpath("data/german.data").read_text("ascii")
    return [line.split() for line in text.splitlines() if line.strip()]


def write_scored_data(folder: Path, seed: int = 7) -> Path:
    """Train logistic regression on 70% of the applicants, score the other 30%, write the
    scored hold-out set and a validation suite for it into `folder`; return the suite."""
    try:
        from sklearn.linear_model import LogisticRegression  # noqa: PLC0415 - optional extra
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise InvalidInput(
            "the demo model needs scikit-learn: pip install 'charter[demo]'"
        ) from exc
    rows = _rows()
    random.Random(seed).shuffle(rows)
    cut = int(len(rows) * 0.7)
    levels = {i: sorted({r[i] for r in rows}) for i in CATEGORICAL}
    x = [
        [float(r[i]) for i in NUMERIC]
        + [float(r[i] == level) for i in CATEGORICAL for level in levels[i]]
        for r in rows
    ]
    y = [1 if r[20] == "1" else 0 for r in rows]
    model = LogisticRegression(max_iter=5000).fit(x[:cut], y[:cut])
    scores = model.predict_proba(x[cut:])[:, 1]
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "scored.csv").open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["label", "prediction", "score", "sex", "age_group", "foreign_worker"])
        for row, label, score in zip(rows[cut:], y[cut:], scores, strict=True):
            writer.writerow(
                [
                    label,
                    int(score >= 0.5),
                    repr(float(score)),
                    "female" if row[8] in ("A92", "A95") else "male",
                    "under_25" if int(row[12]) < 25 else "25_and_over",
                    "yes" if row[19] == "A201" else "no",
                ]
            )
    (folder / "suite.yaml").write_text(SUITE)
    return folder / "suite.yaml"
