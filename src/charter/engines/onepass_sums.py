"""One thread's running sums of the one-pass scan (onepass.py): each batch is counted into
arrays by the C loops, the few rows those arrays leave out (spilled bins, the protected
groups of a batch) are folded in here, and sums of several threads merge."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from charter.engines import _onepass
from charter.engines.measures import SCORE_BINS  # a score of 1.0 is in bin SCORE_BINS
from charter.engines.onepass import MARGIN, MAX_GROUPS, Plan, Rows, Unusual

Cell = list[float]  # rows, finite scores, squared errors, log losses
FLOATS = (pa.float32(), pa.float64())
NATIVE = {pa.int32(): "i", pa.int64(): "l"}  # integer columns the loops read as they are


def _buffers(array: Any) -> tuple[Any, Any, int]:
    """A column's values buffer, validity bitmap (None when no value is null: Parquet's
    reader gives every nullable column one, and the loops go faster without) and offset."""
    validity, values = array.buffers()[:2]
    return values, validity if array.null_count else None, array.offset


def _doubles(array: Any) -> tuple[Any, Any, int]:
    """_buffers of a column as float64 (numbers and booleans only)."""
    kind = array.type
    if not (pa.types.is_integer(kind) or pa.types.is_boolean(kind) or kind in FLOATS):
        raise Unusual(f"a {kind} column")
    if kind != pa.float64():
        array = pc.cast(array, pa.float64(), safe=False)
    return _buffers(array)


def _outcomes(array: Any) -> tuple[Any, Any, int, str]:
    """A label or prediction column as _doubles gives it and the kind of its values (C's
    'd' for float64), or as it is, of kind 'i' or 'l', when it holds int32 or int64."""
    kind = NATIVE.get(array.type)
    return (*_doubles(array), "d") if kind is None else (*_buffers(array), kind)


def _encoded(array: Any) -> tuple[Any, Any]:
    """A column's dictionary of distinct values and each row's index into it (its length
    for nulls)."""
    if not pa.types.is_dictionary(array.type):
        kind = array.type
        if not (pa.types.is_string(kind) or pa.types.is_integer(kind) or kind == pa.bool_()):
            raise Unusual(f"a {kind} protected attribute")
        array = pc.dictionary_encode(array)
    indices = array.indices
    if indices.null_count:
        indices = pc.fill_null(indices, len(array.dictionary))
    return array.dictionary, _numbers(indices).astype(np.int32, copy=False)


class _Run:
    """Sums added batch after batch while the batches' dictionaries hold the same values in
    the same order (as the batches of one Parquet row group do, and mostly those of the
    next): turned into values only when they change, and at the end."""

    def __init__(self) -> None:
        self.dictionaries: list[Any] = []
        self.sums: list[Any] = []

    def holds(self, dictionaries: list[Any]) -> bool:
        return bool(self.sums) and all(
            d.equals(b) for d, b in zip(dictionaries, self.dictionaries, strict=True)
        )

    def start(self, dictionaries: list[Any], sums: list[Any]) -> None:
        self.dictionaries, self.sums = dictionaries, sums

    def end(self) -> tuple[list[Any], list[Any]]:
        """The run's dictionaries and sums (none when no run was started), and a new run."""
        ended = self.dictionaries, self.sums
        self.dictionaries, self.sums = [], []
        return ended


def _values_of(dictionary: Any) -> list[Any]:
    """A dictionary's values and None last (the index of nulls)."""
    return [*dictionary.to_pylist(), None]


def _numbers(array: Any) -> Any:
    """A numpy view of a null-free integer column's values (Array.to_numpy would import
    pandas, a third of a second, when pandas is installed)."""
    sign = "u" if pa.types.is_unsigned_integer(array.type) else "i"
    values = np.frombuffer(array.buffers()[1], np.dtype(f"{sign}{array.type.bit_width // 8}"))
    return values[array.offset : array.offset + len(array)]


def _text(value: Any) -> str:
    """CAST(value AS VARCHAR), for the types value counts take."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int):
        return str(value)
    raise Unusual(f"a {type(value).__name__} value")


class Sums:
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.cells: dict[tuple[Any, ...], Cell] = {}
        width = plan.bins_per_range
        if plan.grids and width < 1:
            raise ValueError("a plan with drift grids names its bins per range")
        self.kmin = -width * MARGIN
        self.slots = (1 + 2 * MARGIN) * width + 1  # the reference's largest value is in bin width
        self.binned = [np.zeros(self.slots, np.int64) for _ in plan.grids]
        self.lows = [self._spread(g[0], math.inf) for g in plan.grids]
        self.highs = [self._spread(g[0], -math.inf) for g in plan.grids]
        self.spilled: list[dict[int, list[float]]] = [{} for _ in plan.grids]
        self.score_rows = np.zeros(SCORE_BINS + 1, np.int64)
        self.score_pos = np.zeros(SCORE_BINS + 1, np.float64)
        self.score_sum = np.zeros(SCORE_BINS + 1, np.float64)
        self.score_spilled: dict[int, list[float]] = {}
        self.values: list[dict[str, int]] = [{} for _ in plan.categorical]
        self._cell_run = _Run()
        self._value_runs = [_Run() for _ in plan.categorical]
        self.nulls = [0 for _ in plan.nulls]
        self.total = 0
        self._spill = np.empty(0, np.float64)

    def _spill_room(self, values: int) -> Any:
        """A scratch array for values the loops spill, reused from batch to batch."""
        if len(self._spill) < values:
            self._spill = np.empty(values, np.float64)
        return self._spill

    def _spread(self, column: str, start: float) -> Any:
        if column not in self.plan.spread:
            return None
        return np.full(self.slots, start)

    def add(self, batch: Any) -> None:
        columns = dict(zip(batch.schema.names, batch.columns, strict=True))
        if self.plan.counted:
            self._add_cells(columns, batch.num_rows)
        for i, (column, low, width) in enumerate(self.plan.grids):
            self._add_bins(i, columns[column], low, width)
        for i, column in enumerate(self.plan.categorical):
            self._add_values(i, columns[column])
        for i, column in enumerate(self.plan.nulls):
            self.nulls[i] += columns[column].null_count
        self.total += batch.num_rows

    def _groups(self, columns: dict[str, Any]) -> tuple[Any, list[Any]]:
        codes, dictionaries = None, []
        for name in self.plan.protected:
            dictionary, indices = _encoded(columns[name])
            codes = indices if codes is None else codes * (len(dictionary) + 1) + indices
            dictionaries.append(dictionary)
        if math.prod(len(d) + 1 for d in dictionaries) > MAX_GROUPS:
            raise Unusual("too many protected groups in one batch")
        return codes, dictionaries

    def _add_cells(self, columns: dict[str, Any], rows: int) -> None:
        plan = self.plan
        codes, dictionaries = self._groups(columns)
        ngroups = math.prod(len(d) + 1 for d in dictionaries)
        run = self._cell_run
        if not run.holds(dictionaries):
            self._flush_cells()
            run.start(
                dictionaries,
                [np.zeros(ngroups * 9, t) for t in (np.int64, np.int64, np.float64, np.float64)],
            )
        label = _outcomes(columns[plan.label])
        prediction = _outcomes(columns[plan.prediction])
        score: tuple[Any, Any, int] = (None, None, 0)
        if plan.score:
            score = _doubles(columns[plan.score])
        sums, spill = run.sums, self._spill_room(2 * rows)
        spilled = _onepass.cells(
            codes, ngroups, *label, *prediction, *score, rows, sums[0], sums[1], sums[2],
            sums[3], self.score_rows, self.score_pos, self.score_sum, spill,
        )  # fmt: skip
        outcomes = sums[0].reshape(-1, 3, 3)  # group, label's outcome, prediction's
        if outcomes[:, 2, :].any() or outcomes[:, :, 2].any():  # at once, not at the end
            raise Unusual("labels or predictions other than 0 and 1")
        if spilled:
            self._fold_scores(spill[: 2 * spilled].copy())

    def _flush_cells(self) -> None:
        dictionaries, sums = self._cell_run.end()
        if sums:
            self._fold_cells(sums, [_values_of(d) for d in dictionaries])

    def _fold_cells(self, sums: list[Any], kept: list[list[Any]]) -> None:
        at = np.flatnonzero(sums[0])
        for cell, *add in zip(at.tolist(), *(s[at].tolist() for s in sums), strict=True):
            group, outcome = divmod(cell, 9)
            y, p = divmod(outcome, 3)  # 0 or 1 each: _add_cells refused the rest
            _add_to(self.cells, (*_decode(group, kept), y, p), add, _sum_each)

    def _fold_scores(self, spill: Any) -> None:
        scores, labels = spill[0::2], spill[1::2]
        keys, inverse = _grouped(_checked(scores, 0.0, 1.0, True))
        positives = np.bincount(inverse, labels, len(keys)).tolist()
        rows = np.bincount(inverse, None, len(keys)).tolist()
        sums = np.bincount(inverse, scores, len(keys)).tolist()
        for k, add in zip(keys, zip(positives, rows, sums, strict=True), strict=True):
            _add_to(self.score_spilled, k, list(add), _sum_each)

    def _add_bins(self, i: int, array: Any, low: float, width: float) -> None:
        values, validity, offset = _doubles(array)
        counts, lows, highs = self.binned[i], self.lows[i], self.highs[i]
        spill = self._spill_room(len(array))
        n = _onepass.bins(
            values, validity, offset, len(array), low, width, self.kmin, counts, lows, highs, spill
        )
        if n:
            self._fold_bins(i, spill[:n].copy(), low, width)

    def _fold_bins(self, i: int, out: Any, low: float, width: float) -> None:
        keys, inverse = _grouped(_checked(out, low, width, False))
        low_of, high_of = np.full(len(keys), math.inf), np.full(len(keys), -math.inf)
        np.minimum.at(low_of, inverse, out)
        np.maximum.at(high_of, inverse, out)
        rows = np.bincount(inverse, None, len(keys)).tolist()
        for k, add in zip(
            keys, zip(rows, low_of.tolist(), high_of.tolist(), strict=True), strict=True
        ):
            _add_to(self.spilled[i], k, list(add), _count_min_max)

    def _add_values(self, i: int, array: Any) -> None:
        if pa.types.is_dictionary(array.type) and array.indices.type == pa.int32():
            run = self._value_runs[i]
            if not run.holds([array.dictionary]):
                self._flush_values(i)
                run.start([array.dictionary], [np.zeros(len(array.dictionary), np.int64)])
            indices = array.indices
            validity, buffer = indices.buffers()
            _onepass.tally(buffer, validity, indices.offset, len(indices), run.sums[0])
            return
        counted = pc.value_counts(array)
        self._count_values(i, counted.field("values").to_pylist(), counted.field("counts"))

    def _flush_values(self, i: int) -> None:
        dictionaries, sums = self._value_runs[i].end()
        if sums:
            self._count_values(i, dictionaries[0].to_pylist(), sums[0])

    def _count_values(self, i: int, names: list[Any], counts: Any) -> None:
        found = self.values[i]
        for name, n in zip(names, counts.tolist(), strict=True):
            if name is not None and n:
                text = _text(name)
                found[text] = found.get(text, 0) + int(n)

    def _flush(self) -> None:
        """Folds the sums of the last dictionaries in."""
        self._flush_cells()
        for i in range(len(self.values)):
            self._flush_values(i)

    def merge(self, other: Sums) -> None:
        """Adds another thread's sums to these."""
        self._flush()
        other._flush()
        for key, add in other.cells.items():
            _add_to(self.cells, key, add, _sum_each)
        for mine, theirs in zip(self._arrays(), other._arrays(), strict=True):
            np.add(mine, theirs, out=mine)
        for pick, ours, others in (
            (np.minimum, self.lows, other.lows),
            (np.maximum, self.highs, other.highs),
        ):
            for mine, theirs in zip(ours, others, strict=True):
                if mine is not None:
                    pick(mine, theirs, out=mine)
        for table, more in zip(self.spilled, other.spilled, strict=True):
            _merge(table, more, _count_min_max)
        _merge(self.score_spilled, other.score_spilled, _sum_each)
        for found, extra in zip(self.values, other.values, strict=True):
            for text, n in extra.items():
                found[text] = found.get(text, 0) + n
        self.nulls = [a + b for a, b in zip(self.nulls, other.nulls, strict=True)]
        self.total += other.total

    def _arrays(self) -> list[Any]:
        """The arrays that add up."""
        return [*self.binned, self.score_rows, self.score_pos, self.score_sum]

    def rows(self) -> Rows:
        self._flush()
        nulls = dict(zip(self.plan.nulls, self.nulls, strict=True))
        return Rows(
            self._cell_rows(),
            self._score_rows(),
            self._bin_rows(),
            self._value_rows(),
            nulls,
            self.total,
        )

    def _cell_rows(self) -> list[tuple[Any, ...]]:
        scored = self.plan.score is not None
        return [
            (*key, int(n), *((int(s), float(sq), float(ll)) if scored else ()))
            for key, (n, s, sq, ll) in self.cells.items()
        ]

    def _score_rows(self) -> list[tuple[Any, ...]]:
        if not self.plan.score:
            return []
        at = np.flatnonzero(self.score_rows)
        rows = list(
            zip(
                at.tolist(),
                self.score_pos[at].tolist(),
                self.score_rows[at].tolist(),
                self.score_sum[at].tolist(),
                strict=True,
            )
        )
        if not self.score_spilled:
            return rows
        out = {k: [pos, n, total] for k, pos, n, total in rows}
        _merge(out, self.score_spilled, _sum_each)
        return [(k, pos, int(n), total) for k, (pos, n, total) in sorted(out.items())]

    def _bin_rows(self) -> list[tuple[Any, ...]]:
        out: list[tuple[Any, ...]] = []
        for i, counts in enumerate(self.binned):
            at = np.flatnonzero(counts)
            ks, ns = (at + self.kmin).tolist(), counts[at].tolist()
            lows, highs = self.lows[i], self.highs[i]
            spread = lows is not None
            if not self.spilled[i]:
                edges = (
                    (lows[at].tolist(), highs[at].tolist()) if spread else ([None] * len(ks),) * 2
                )
                out += zip([i] * len(ks), ks, ns, *edges, strict=True)
                continue
            found = {k: [n, math.inf, -math.inf] for k, n in zip(ks, ns, strict=True)}
            if spread:
                for k, low, high in zip(ks, lows[at].tolist(), highs[at].tolist(), strict=True):
                    found[k][1:] = [low, high]
            _merge(found, self.spilled[i], _count_min_max)
            out += [
                (i, k, int(n), lo if spread else None, hi if spread else None)
                for k, (n, lo, hi) in found.items()
            ]
        return out

    def _value_rows(self) -> list[tuple[Any, ...]]:
        return [(i, text, n) for i, found in enumerate(self.values) for text, n in found.items()]


def _decode(group: int, kept: list[list[Any]]) -> tuple[Any, ...]:
    """The protected values of a batch's group number (mixed radix, last attribute fastest)."""
    out = []
    for values in reversed(kept):
        group, at = divmod(group, len(values))
        out.append(values[at])
    return tuple(reversed(out))


def _grouped(keys: Any) -> tuple[list[int], Any]:
    """The distinct keys, and each value's position among them."""
    distinct, inverse = np.unique(keys, return_inverse=True)
    return distinct.tolist(), inverse


def _checked(values: Any, low: float, width: float, product: bool) -> Any:
    """The bins of spilled values as the SQL computes them, floor(x * SCORE_BINS) for scores
    and floor((x - low) / width) for drift, or Unusual where its CAST to BIGINT fails."""
    k = np.floor(values * float(SCORE_BINS) if product else (values - low) / width)
    if k.size and not (np.isfinite(k).all() and np.abs(k).max() < math.ldexp(1.0, 63)):
        raise Unusual("a bin beyond a 64-bit integer")
    return k.astype(np.int64)


def _sum_each(found: list[float], add: list[float]) -> list[float]:
    return [a + b for a, b in zip(found, add, strict=True)]


def _count_min_max(found: list[float], add: list[float]) -> list[float]:
    return [found[0] + add[0], min(found[1], add[1]), max(found[2], add[2])]


def _merge(
    table: dict[int, list[float]],
    more: dict[int, list[float]],
    combine: Callable[[list[float], list[float]], list[float]],
) -> None:
    for k, add in more.items():
        _add_to(table, k, add, combine)


def _add_to(
    table: dict[Any, list[float]],
    k: Any,
    add: list[float],
    combine: Callable[[list[float], list[float]], list[float]],
) -> None:
    found = table.get(k)
    table[k] = list(add) if found is None else combine(found, add)
