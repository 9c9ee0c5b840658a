"""One pass over the current window for the aggregates that dominate a run on big data: the
confusion cells of every protected group with their score sums, the score histogram, every
numeric drift column's bins and every categorical drift column's value counts.

The DuckDB engine asks the SQL of charter/engines/measures.py for these, one query each, and
DuckDB's hash aggregation is most of a run's time at ten million rows. Here pyarrow decodes a
Parquet file (memory-mapped) or walks a pyarrow Table, one batch at a time, on every core,
and the loops of the C extension `_onepass` count each batch into arrays. The result is the
rows those SQL queries return, so that everything after them is shared; a value lands in
the same bin either way (the same IEEE operations, in the same order).

Anything unusual (labels other than 0 and 1, a bin past a 64-bit integer, too many groups,
a column type the loops do not take) raises Unusual, and the runner asks the SQL instead,
which also words any refusal.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: rows per batch decoded and counted at a time (a few megabytes per thread)
BATCH_ROWS = 1 << 16

#: bins counted in arrays on either side of the reference's range, in widths of that range;
#: values further out are spilled and binned in numpy
MARGIN = 1

#: protected groups (combinations of the values in one batch) counted in arrays at most
MAX_GROUPS = 1 << 16


class Unusual(Exception):
    """The data needs the SQL path: its aggregates or its refusal are the SQL's to give."""


@dataclass(frozen=True, slots=True)
class Plan:
    """What the pass counts. Cells only when `counted`; score sums and bins when `score`."""

    label: str
    prediction: str
    score: str | None
    protected: tuple[str, ...]
    counted: bool
    grids: tuple[tuple[str, float, float], ...] = ()  # numeric drift: column, low, width
    spread: frozenset[str] = frozenset()  # numeric drift columns whose bins keep min and max
    categorical: tuple[str, ...] = ()  # drift columns compared value by value
    bins_per_range: int = 2048

    def columns(self) -> list[str]:
        wanted = [self.label, self.prediction, *([self.score] if self.score else [])]
        wanted += [*self.protected, *(g[0] for g in self.grids), *self.categorical]
        return list(dict.fromkeys(wanted)) if self.counted else _dedupe(wanted[2:])


def _dedupe(names: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(n for n in names if n))


@dataclass(slots=True)
class Rows:
    """The rows the SQL of measures.py returns for the same aggregates."""

    cells: list[tuple[Any, ...]] = field(default_factory=list)
    score_bins: list[tuple[Any, ...]] = field(default_factory=list)
    bins: list[tuple[Any, ...]] = field(default_factory=list)
    values: list[tuple[Any, ...]] = field(default_factory=list)


def available() -> str | None:
    """The pass's name and pyarrow's version, or None when the extension or pyarrow is
    missing (Charter then runs every aggregate through SQL)."""
    try:
        import pyarrow

        from charter.engines import _onepass  # noqa: F401
    except ImportError:
        return None
    return f"one pass in C over pyarrow {pyarrow.__version__}"


def count(source: Path | Any, plan: Plan) -> Rows:
    """The plan's aggregates of a Parquet file or a pyarrow Table, on every core."""
    jobs = _jobs(source, plan.columns())
    with ThreadPoolExecutor(len(jobs)) as pool:
        parts = list(pool.map(lambda job: _count_batches(job, plan), jobs))
    total = parts[0]
    for part in parts[1:]:
        total.merge(part)
    return total.rows()  # type: ignore[no-any-return]


def _jobs(source: Path | Any, columns: list[str]) -> list[Iterator[Any]]:
    """One stream of batches per thread."""
    threads = max(1, min(os.cpu_count() or 1, 8))
    if isinstance(source, Path):
        import pyarrow.parquet as pq

        groups = pq.ParquetFile(source).metadata.num_row_groups
        shares = [list(range(i, groups, threads)) for i in range(min(threads, groups))]
        return [_parquet_batches(source, columns, share) for share in shares or [[]]]
    batches = source.select(columns).to_batches(max_chunksize=BATCH_ROWS)
    return [iter(batches[i::threads]) for i in range(min(threads, len(batches)) or 1)]


def _parquet_batches(path: Path, columns: list[str], groups: list[int]) -> Iterator[Any]:
    import pyarrow.parquet as pq

    handle = pq.ParquetFile(path, memory_map=False)
    schema = handle.schema_arrow
    texts = [c for c in columns if _is_text(schema.field(c).type)]
    handle = pq.ParquetFile(path, memory_map=False, read_dictionary=texts, pre_buffer=False)
    if groups:
        yield from handle.iter_batches(BATCH_ROWS, groups, columns, use_threads=False)


def _is_text(kind: Any) -> bool:
    import pyarrow as pa

    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def _count_batches(batches: Iterator[Any], plan: Plan) -> Any:
    from charter.engines.onepass_sums import Sums

    sums = Sums(plan)
    for batch in batches:
        sums.add(batch)
    return sums
