"""One pass over the current window for the aggregates that dominate a run on big data: the
confusion cells of every protected group with their score sums, the score histogram, every
numeric drift column's bins and every categorical drift column's value counts.

The DuckDB engine asks the SQL of charter/engines/measures.py for these, one query each, and
DuckDB's hash aggregation is most of a run's time at ten million rows. Here pyarrow decodes a
Parquet file (memory-mapped) or walks a pyarrow Table, one batch at a time, on every core,
and the loops of the C extension `_onepass` count each batch into arrays. The result is the
rows those SQL queries return, so that everything after them is shared; a value lands in
the same bin either way (where a faster product is near a bin's edge, the SQL's division
decides). Sums are added in another order than DuckDB's, so they agree to about 1e-15.

Anything unusual (labels other than 0 and 1, a bin past a 64-bit integer, too many groups,
a column type the loops do not take) raises Unusual, and the runner asks the SQL instead,
which also words any refusal.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator
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
    """What the pass counts: the confusion cells when `counted` (with score sums and the
    score histogram when `score`), drift bins and value counts, and nulls."""

    counted: bool = False
    label: str = ""
    prediction: str = ""
    score: str | None = None
    protected: tuple[str, ...] = ()
    grids: tuple[tuple[str, float, float], ...] = ()  # numeric drift: column, low, width
    spread: frozenset[str] = frozenset()  # numeric drift columns whose bins keep min and max
    categorical: tuple[str, ...] = ()  # drift columns compared value by value
    nulls: tuple[str, ...] = ()  # columns whose nulls are counted
    bins_per_range: int = 0  # drift_checks.DRIFT_BINS: equal-width bins over the reference

    def columns(self) -> list[str]:
        wanted = [self.label, self.prediction, self.score, *self.protected] if self.counted else []
        wanted += [*(g[0] for g in self.grids), *self.categorical, *self.nulls]
        return list(dict.fromkeys(c for c in wanted if c))


@dataclass(slots=True)
class Rows:
    """The rows the SQL of measures.py returns for the same aggregates, and the nulls of
    each column of Plan.nulls among all rows."""

    cells: list[tuple[Any, ...]] = field(default_factory=list)
    score_bins: list[tuple[Any, ...]] = field(default_factory=list)
    bins: list[tuple[Any, ...]] = field(default_factory=list)
    values: list[tuple[Any, ...]] = field(default_factory=list)
    nulls: dict[str, int] = field(default_factory=dict)
    rows: int = 0


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
    """One stream of batches per thread, each taking the next row group (or batch) when it
    is done with one: a thread slowed by the rest of the machine takes fewer."""
    threads = max(1, min(os.cpu_count() or 1, 8))
    if isinstance(source, Path):
        import pyarrow.parquet as pq

        metadata = pq.read_metadata(source)
        groups = deque(range(metadata.num_row_groups))
        return [
            _parquet_batches(source, metadata, columns, groups)
            for _ in range(min(threads, len(groups)) or 1)
        ]
    batches = deque(source.select(columns).to_batches(max_chunksize=BATCH_ROWS))
    return [_taken(batches) for _ in range(min(threads, len(batches)) or 1)]


def _taken(queue: deque[Any]) -> Iterator[Any]:
    """The queue's items, until another thread or this one has taken the last."""
    while True:
        try:
            yield queue.popleft()  # atomic: threads share the queue
        except IndexError:
            return


def _parquet_batches(
    path: Path, metadata: Any, columns: list[str], groups: deque[int]
) -> Iterator[Any]:
    """The batches of the row groups this thread takes. Each row group is read through a
    mapping of the file of its own, closed after it: the pages read stay out of the
    process's memory once counted (a mapping of the whole file for the whole pass would
    hold them all), and reading a mapped file is a quarter faster here than copying it
    through read()."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = metadata.schema.to_arrow_schema()
    texts = [c for c in columns if _is_text(schema.field(c).type)]
    for group in _taken(groups):
        with pa.memory_map(str(path)) as mapped:
            handle = pq.ParquetFile(
                mapped, metadata=metadata, read_dictionary=texts, pre_buffer=False
            )
            yield from handle.iter_batches(BATCH_ROWS, [group], columns, use_threads=False)


def _is_text(kind: Any) -> bool:
    import pyarrow as pa

    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def _count_batches(batches: Iterator[Any], plan: Plan) -> Any:
    from charter.engines.onepass_sums import Sums

    sums = Sums(plan)
    for batch in batches:
        sums.add(batch)
    return sums
