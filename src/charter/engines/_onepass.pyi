"""The one-pass scan's counting loops, compiled from _onepass.c (see that file)."""

from typing import Any

def bins(
    values: Any,
    validity: Any | None,
    offset: int,
    length: int,
    low: float,
    width: float,
    kmin: int,
    counts: Any,
    lows: Any | None,
    highs: Any | None,
    spill: Any,
) -> int: ...
def cells(
    groups: Any | None,
    ngroups: int,
    label: Any,
    label_validity: Any | None,
    label_offset: int,
    label_kind: str,
    prediction: Any,
    prediction_validity: Any | None,
    prediction_offset: int,
    prediction_kind: str,
    score: Any | None,
    score_validity: Any | None,
    score_offset: int,
    length: int,
    rows: Any,
    scored: Any,
    squares: Any,
    losses: Any,
    bin_rows: Any,
    bin_positives: Any,
    bin_sums: Any,
    spill: Any,
) -> int: ...
def tally(indices: Any, validity: Any | None, offset: int, length: int, counts: Any) -> None: ...
