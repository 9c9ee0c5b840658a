"""The counts of a bias audit as SQL over a Backend, the same on DuckDB and Spark: one
GROUP BY over the attributes the audit compares, counting each group's individuals and those
selected (prediction = 1) or scoring above the median score of the full sample (the median
computed in the same query). Coarser groups are summed from the finest, as for the
confusion counts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from charter.kernel.errors import InvalidInput
from charter.validation.domain.audit import Audit, GroupKey
from charter.validation.domain.metrics import group_sets
from charter.validation.engines.backend import Backend
from charter.validation.engines.groups import read_cells
from charter.validation.engines.measures import as_double, finite_sql

Cell = tuple[int, int]


def _rollup(finest: dict[tuple[Any, ...], Cell], attributes: Sequence[str]) -> dict[GroupKey, Cell]:
    out: dict[GroupKey, Cell] = {}
    for values, (n, hits) in finest.items():
        for names in group_sets(attributes):
            key = tuple((name, values[attributes.index(name)]) for name in names)
            was = out.get(key, (0, 0))
            out[key] = (was[0] + n, was[1] + hits)
    return out


def selection_counts(b: Backend, relation: str, attributes: Sequence[str], selected: str) -> Audit:
    """Individuals and those selected per group; a selection other than 0 or 1 (or missing)
    is refused, naming how many rows hold one."""
    keys = [b.quote(a) for a in attributes]
    x = as_double(b, selected)
    sql = (
        f"SELECT {', '.join(keys)}, count(*), count(*) FILTER (WHERE {x} = 1), "  # noqa: S608
        f"count(*) FILTER (WHERE {x} IS NULL OR ({x} <> 0 AND {x} <> 1)) "
        f"FROM {relation} GROUP BY {', '.join(keys)}"
    )
    rows = read_cells(b, sql, "the bias audit", attributes)
    width = len(attributes)
    bad = sum(int(r[width + 2]) for r in rows)
    if bad:
        raise InvalidInput(
            f"column {selected!r} holds {bad} value(s) other than 0 and 1 (a bias audit's "
            "selection is 1 for selected, 0 for not)",
            details={"column": selected},
        )
    finest = {tuple(r[:width]): (int(r[width]), int(r[width + 1])) for r in rows}
    return Audit("selection", _rollup(finest, attributes))


def scoring_counts(b: Backend, relation: str, attributes: Sequence[str], score: str) -> Audit:
    """Individuals and those scoring above the full sample's median per group (rows without
    a finite score left out and counted), and the median."""
    keys = [b.quote(a) for a in attributes]
    s = as_double(b, score)
    scored = f"SELECT {', '.join(keys)}, {s} AS s FROM {relation} WHERE {finite_sql(s)}"  # noqa: S608
    sql = (
        f"SELECT {', '.join(keys)}, count(*), count(*) FILTER (WHERE s > m), max(m) "  # noqa: S608
        f"FROM ({scored}) AS scored CROSS JOIN (SELECT median(s) AS m FROM ({scored}) AS all_"
        f") AS med GROUP BY {', '.join(keys)}"
    )
    rows = read_cells(b, sql, "the bias audit", attributes)
    total = b.rows(f"SELECT count(*) FROM {relation}", "the bias audit")[0][0]  # noqa: S608
    width = len(attributes)
    finest = {tuple(r[:width]): (int(r[width]), int(r[width + 1])) for r in rows}
    median = float(rows[0][width + 2]) if rows else None
    kept = sum(n for n, _ in finest.values())
    return Audit("scoring", _rollup(finest, attributes), median, int(total) - kept)
