"""Labels mean what the docs say: yes/no and true/false labels or predictions are refused as
other non-0/1 values are, and a fairness check without min_group_size uses the documented
default and says so in its evidence."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tests.validation.test_validate_cli import DS, _evidence_events, world  # noqa: F401

SUITE = """
name: yes-no
data: scored.csv
columns: {label: label, prediction: prediction, protected: [sex]}
checks:
  - {id: accuracy, metric: accuracy, min: 0.5}
  - {id: dp-sex, metric: demographic_parity_difference, over: [sex], max: 0.5}
"""


def _write(folder: Path, labels: str, predictions: str, rows: int = 200, small: int = 0) -> None:
    """`labels` and `predictions` as "yes/no", "true/false" or "1/0"; the first `small`
    rows in a third group."""
    rng = random.Random(3)
    (yes, no), (p_yes, p_no) = labels.split("/"), predictions.split("/")
    lines = ["label,prediction,sex"]
    for i in range(rows):
        sex = "x" if i < small else rng.choice(["f", "m"])
        y, p = rng.random() < 0.5, rng.random() < 0.5
        lines.append(f"{yes if y else no},{p_yes if p else p_no},{sex}")
    (folder / "scored.csv").write_text("\n".join(lines) + "\n")
    (folder / "suite.yaml").write_text(SUITE)


@pytest.mark.parametrize(
    ("labels", "predictions", "column"),
    [
        ("yes/no", "yes/no", "label"),
        ("1/0", "yes/no", "prediction"),
        ("true/false", "1/0", "label"),
    ],
)
def test_yes_no_and_boolean_labels_are_refused_and_nothing_is_recorded(
    world,  # noqa: F811
    labels: str,
    predictions: str,
    column: str,
) -> None:  # type: ignore[no-untyped-def]
    run, system, folder = world
    _write(folder, labels, predictions)
    error = run("validate", str(folder / "suite.yaml"), "--system", system, "--as", DS, code=3)
    assert error["error"] == "invalid-input"
    assert f"column {column!r} is BOOLEAN, not a number" in error["detail"]
    assert "map true/false or yes/no to 1/0" in error["detail"]
    assert _evidence_events(run) == 0


def test_fairness_without_min_group_size_uses_30_and_says_so(world) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    run, system, folder = world
    _write(folder, "1/0", "1/0", rows=400, small=12)
    evidence = run("validate", str(folder / "suite.yaml"), "--system", system, "--as", DS)
    (dp,) = [r for r in evidence["results"] if r["check_id"] == "dp-sex"]
    assert dp["note"] == (
        "2 groups of at least 30 rows compared, 1 left out as smaller "
        "(min_group_size 30, the default)"
    )
