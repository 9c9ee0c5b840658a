"""How many groups a fairness check or bias audit may compare: every group it compares is
recorded with the evidence (its size and rate: what a gate's least group size is checked
against), so a protected column of 100,000 distinct values (an id, free text) would store
hundreds of thousands of rows for one run. Past the cap the run is refused, nothing recorded,
rather than keeping some groups and summarising the rest: a verdict and a gate then always
see every group the value was computed from.

The engine's GROUP BY answers at most MAX_CELLS rows (a LIMIT: more are never read into
Charter's memory); the groups each check compares, at most MAX_GROUPS."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from charter.kernel.errors import InvalidInput, refuse_all
from charter.validation.domain.suite import AUDIT, DISPARITY, Suite
from charter.validation.engines.backend import Backend

#: the most groups one fairness check or bias audit compares (of one attribute, or a pair)
MAX_GROUPS = 1_000

#: the most rows of a run's finest GROUP BY (each combination of the protected attributes'
#: values, the label's and the prediction's) read back from the engine
MAX_CELLS = 100_000

_ADVICE = "group rare values together (or compare a coarser column) before validating"


def read_cells(b: Backend, sql: str, what: str, attributes: Sequence[str]) -> list[Any]:
    """The rows of a GROUP BY over the protected attributes, refused past MAX_CELLS."""
    rows = b.rows(f"{sql} LIMIT {MAX_CELLS + 1}", what)
    if len(rows) > MAX_CELLS:
        raise InvalidInput(
            f"{what}: the protected attributes {', '.join(attributes)} hold more than "
            f"{MAX_CELLS:,} combinations of values; a fairness check compares at most "
            f"{MAX_GROUPS:,} groups: {_ADVICE}",
            details={"column": attributes[0], "limit": "groups"},
        )
    return rows


def ensure_few_groups(suite: Suite, counted: Sequence[Mapping[tuple[Any, ...], Any]]) -> None:
    """Refuse every fairness check and bias audit comparing more than MAX_GROUPS groups,
    all at once; `counted` holds the runs' groups (keys: ((attribute, value), ...))."""
    sizes: dict[tuple[str, ...], int] = {}
    for groups in counted:  # each a count of the same groups: the largest
        mine: dict[tuple[str, ...], int] = {}
        for key in groups:
            over = tuple(a for a, _ in key)
            mine[over] = mine.get(over, 0) + 1
        sizes |= {over: max(n, sizes.get(over, 0)) for over, n in mine.items()}
    found = [
        (f"check {c.id}", f"{sizes[c.over]:,} groups of {', '.join(c.over)}, at most "
         f"{MAX_GROUPS:,}: {_ADVICE}")
        for c in suite.checks
        if c.metric in DISPARITY | AUDIT and sizes.get(c.over, 0) > MAX_GROUPS
    ]  # fmt: skip
    refuse_all("too many groups to compare", found)
