"""The one-pass scan (engines/onepass.py and its C loops) gives what the SQL gives: every
data-driven case written as Parquet, on the duckdb engine (one pass) and on duckdb-sql."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pytest

from charter.domain.suite import parse_suite
from charter.engines import onepass
from charter.engines.runner import run_suite
from tests.checks.test_cases import CASES, expect_outcome, write_case


@pytest.fixture
def compiled() -> None:
    """The C extension, built when Charter was installed; under CI=true it must be there."""
    if onepass.available() is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("charter.engines._onepass was not built (CI=true: may not be missing)")
        pytest.skip("charter.engines._onepass was not built (no C compiler at install)")


def test_the_compiled_loops_are_installed(compiled: None) -> None:
    assert "one pass in C over pyarrow" in (onepass.available() or "")


def _as_parquet(folder: Path, raw: dict[str, Any]) -> dict[str, Any]:
    with duckdb.connect() as con:
        for key in ("data", "reference"):
            if key in raw:
                csv = folder / raw[key]
                target = csv.with_suffix(".parquet")
                con.execute(f"COPY (SELECT * FROM read_csv_auto('{csv}')) TO '{target}'")
                raw[key] = target.name
    return raw


@pytest.mark.parametrize("engine", ["duckdb", "duckdb-sql"])
@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case_from_parquet(
    case: dict[str, Any], engine: str, tmp_path: Path, compiled: None
) -> None:
    suite = parse_suite(_as_parquet(tmp_path, write_case(tmp_path, case)))
    expect_outcome(case, suite, lambda: run_suite(suite, tmp_path, engine))


def _log(rows: int, seed: int) -> pa.Table:  # seed 1: current window, 2: reference
    """Scores, labels, two protected attributes (one with nulls), a shifted numeric feature
    with NaN, infinities and nulls, and a categorical one."""
    rng = np.random.default_rng(seed)
    score = rng.random(rows)
    x = rng.normal(0.3, 1.5, rows)
    x[::97] = np.nan
    x[::101] = np.inf
    x[5::89] = 400.0 if seed == 1 else 40.0  # the current window's: spilled, binned in numpy
    x[7::131] = -400.0 if seed == 1 else -40.0
    sex = pa.array(rng.choice(["f", "m"], rows), mask=np.arange(rows) % 53 == 0)
    return pa.table(
        {
            "score": score,
            "label": (rng.random(rows) < score).astype(np.int32),
            "prediction": (score >= 0.5).astype(np.int64),
            "sex": sex,
            "age": rng.integers(0, 4, rows),
            "x": pa.array(x, mask=np.arange(rows) % 71 == 0),
            "c": rng.choice(["a", "b", "c"], rows),
            "n": rng.integers(0, 21, rows) + (seed == 1),  # whole numbers: exact bins
        }
    )


def test_one_pass_and_sql_give_the_same_evidence(tmp_path: Path, compiled: None) -> None:
    """Over 300,000 rows in several row groups: every value equal (sums to 1e-9 relative),
    every bound equal, and the engine names the pass only where it ran."""
    import pyarrow.parquet as pq

    pq.write_table(_log(300_000, 1), tmp_path / "current.parquet", row_group_size=70_000)
    pq.write_table(_log(20_000, 2).slice(0, 20_000), tmp_path / "reference.parquet")
    raw = {
        "name": "same",
        "data": "current.parquet",
        "reference": "reference.parquet",
        "columns": {"label": "label", "prediction": "prediction", "score": "score",
                    "protected": ["sex", "age"]},
        "checks": [
            {"id": "acc", "metric": "accuracy", "min": 0.5},
            {"id": "auc", "metric": "roc_auc", "min": 0.5},
            {"id": "ll", "metric": "log_loss", "max": 1.0},
            {"id": "brier", "metric": "brier", "max": 1.0},
            {"id": "ece", "metric": "calibration_error", "max": 1.0},
            {"id": "dp", "metric": "demographic_parity_difference", "over": ["sex", "age"],
             "max": 0.5},
            {"id": "ks", "metric": "ks", "column": "x", "max": 0.5},
            {"id": "w", "metric": "wasserstein", "column": "x", "max": 5.0},
            {"id": "psi", "metric": "psi", "column": "x", "max": 5.0},
            {"id": "psi-c", "metric": "psi", "column": "c", "max": 0.2},
            {"id": "ks-n", "metric": "ks", "column": "n", "max": 0.5},
            {"id": "w-n", "metric": "wasserstein", "column": "n", "max": 5.0},
            {"id": "psi-n", "metric": "psi", "column": "n", "max": 5.0},
            {"id": "chi-c", "metric": "chi_square_p", "column": "c", "min": 0.0},
            {"id": "nulls-x", "metric": "null_rate", "column": "x", "max": 0.5},
            {"id": "nulls-sex", "metric": "null_rate", "column": "sex", "max": 0.5},
            {"id": "range-x", "metric": "out_of_range_rate", "column": "x", "range": [-9, 9],
             "max": 0.5},
        ],
    }  # fmt: skip
    suite = parse_suite(raw)
    passed = run_suite(suite, tmp_path, "duckdb")
    sql = run_suite(suite, tmp_path, "duckdb-sql")
    assert "one pass" in passed.engine and "one pass" not in sql.engine
    assert passed.counts.keys() == sql.counts.keys()
    for key, counts in sql.counts.items():
        assert dataclasses.astuple(passed.counts[key]) == pytest.approx(
            dataclasses.astuple(counts), rel=1e-9
        ), key
    assert passed.by_check == pytest.approx(sql.by_check, rel=1e-9)
    assert passed.by_check["nulls-x"] == pytest.approx(1 / 71, abs=1e-4)  # every 71st row
    assert "ks-n" not in passed.bounds  # one value per bin in both windows: exact
    assert passed.bounds == pytest.approx(sql.bounds, rel=1e-9)
    assert passed.fingerprint == sql.fingerprint
    framed = parse_suite({**raw, "data": {"table": "scored"}})  # a pyarrow Table: one pass too
    table = pq.read_table(tmp_path / "current.parquet")
    in_memory = run_suite(framed, tmp_path, "duckdb", frames={"scored": table})
    assert "one pass" in in_memory.engine
    assert in_memory.by_check == pytest.approx(sql.by_check, rel=1e-9)


def test_the_loops_refuse_buffers_too_short_and_indices_outside(compiled: None) -> None:
    from charter.engines import _onepass

    values, counts, spill = np.arange(10.0), np.zeros(8, np.int64), np.empty(10)
    with pytest.raises(ValueError, match="values: 80 bytes, 88 needed"):
        _onepass.bins(values, None, 1, 10, 0.0, 1.0, 0, counts, None, None, spill)
    with pytest.raises(ValueError, match="width must be positive"):
        _onepass.bins(values, None, 0, 10, 0.0, 0.0, 0, counts, None, None, spill)
    assert _onepass.bins(values, None, 0, 10, 0.0, 1.0, 0, counts, None, None, spill) == 2
    assert counts.tolist() == [1] * 8 and spill[:2].tolist() == [8.0, 9.0]
    with pytest.raises(ValueError, match=r"an index outside 0\.\.1"):
        _onepass.tally(np.array([0, 2], np.int32), None, 0, 2, np.zeros(2, np.int64))
    label = np.zeros(4)
    sums = [np.zeros(9, t) for t in (np.int64, np.int64, np.float64, np.float64)]
    bins = [np.zeros(3, t) for t in (np.int64, np.float64, np.float64)]
    with pytest.raises(ValueError, match="group 5 outside"):
        _onepass.cells(
            np.array([0, 5, 0, 0], np.int32), 1, label, None, 0, "d", label, None, 0, "d",
            None, None, 0, 4, *sums, *bins, np.empty(8),
        )  # fmt: skip
    with pytest.raises(ValueError, match="rows: 8 bytes, 72 needed"):
        _onepass.cells(
            None, 1, label, None, 0, "d", label, None, 0, "d", None, None, 0, 4,
            np.zeros(1, np.int64), *sums[1:], *bins, np.empty(8),
        )  # fmt: skip
    with pytest.raises(ValueError, match="label: 12 bytes, 16 needed"):  # int32: 4 bytes each
        _onepass.cells(
            None, 1, np.zeros(3, np.int32), None, 0, "i", label, None, 0, "d", None, None, 0,
            4, *sums, *bins, np.empty(8),
        )  # fmt: skip
    with pytest.raises(ValueError, match="kinds are"):
        _onepass.cells(
            None, 1, label, None, 0, "f", label, None, 0, "d", None, None, 0, 4, *sums, *bins,
            np.empty(8),
        )  # fmt: skip


def _bitmap(valid: Any) -> bytes:
    return np.packbits(valid, bitorder="little").tobytes()


SOURCES = Path(__file__).resolve().parents[2] / "src" / "charter" / "engines"


def _built(folder: Path, widest: int) -> Any:
    """The loops compiled with blocks no wider than `widest` bits (256: AVX2, 0: one value at
    a time), so that the narrower code runs on a machine that has wider."""
    import importlib.util
    import shutil
    import subprocess
    import sysconfig

    compiler = shutil.which("gcc") or shutil.which("cc")
    if compiler is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("no C compiler (CI=true: .ci/run installs gcc)")
        pytest.skip("no C compiler to build the narrower loops")
    target = folder / f"_onepass{sysconfig.get_config_var('EXT_SUFFIX')}"
    sources = sorted(str(p) for p in SOURCES.glob("_onepass*.c"))
    include = sysconfig.get_paths()["include"]
    subprocess.run(
        [compiler, "-O3", "-shared", "-fPIC", f"-DWIDEST={widest}", f"-I{include}",
         f"-I{SOURCES}", *sources, "-o", str(target), "-lm"],
        check=True,
    )  # fmt: skip
    spec = importlib.util.spec_from_file_location("_onepass", target)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module", params=[512, 256, 0], ids=["widest", "avx2", "plain"])
def loops(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The installed loops (the widest blocks this machine has), then built narrower."""
    if onepass.available() is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("charter.engines._onepass was not built (CI=true: may not be missing)")
        pytest.skip("charter.engines._onepass was not built (no C compiler at install)")
    if request.param == 512:
        from charter.engines import _onepass

        return _onepass
    return _built(tmp_path_factory.mktemp(f"loops{request.param}"), request.param)


@pytest.mark.parametrize("offset", [0, 1, 3, 7, 8, 13])
@pytest.mark.parametrize("length", [0, 5, 8, 9, 300, 1001])
def test_bins_and_tally_count_what_numpy_counts(offset: int, length: int, loops: Any) -> None:
    """Slices starting at any bit of the validity bitmap, of lengths below, at and past a
    vector: every valid value in its bin (the floor of the quotient), nulls nowhere, values
    past the bins spilled; a dictionary's indices counted the same way. With each width of
    block the loops have."""
    _onepass = loops
    rng = np.random.default_rng(offset * 1000 + length)
    end = offset + length
    x = rng.normal(0.0, 3.0, end)
    x[::17] = np.nan
    x[5::23] = np.inf
    x[3::29] = 1.0  # on a bin's edge: the quotient decides
    valid = rng.random(end) > 0.2
    low, width, kmin, nbins = -4.0, 0.25, -8, 48
    counts, lows, highs = np.zeros(nbins, np.int64), np.full(nbins, np.inf), np.full(nbins, -np.inf)
    spill = np.empty(max(length, 1))
    spilled = _onepass.bins(
        x, _bitmap(valid), offset, length, low, width, kmin, counts, lows, highs, spill
    )
    part, ok = x[offset:end], valid[offset:end]
    finite = ok & np.isfinite(part)
    k = np.floor((part[finite] - low) / width).astype(np.int64) - kmin
    inside = (k >= 0) & (k < nbins)
    assert counts.tolist() == np.bincount(k[inside], minlength=nbins).tolist()
    assert sorted(spill[:spilled].tolist()) == sorted(part[finite][~inside].tolist())
    for b in np.unique(k[inside]).tolist():
        assert lows[b] == part[finite][inside][k[inside] == b].min()
        assert highs[b] == part[finite][inside][k[inside] == b].max()
    indices = rng.integers(0, 5, end).astype(np.int32)
    indices[~valid] = 99  # a null's index may be anything
    tallied = np.zeros(5, np.int64)
    _onepass.tally(indices, _bitmap(valid), offset, length, tallied)
    assert tallied.tolist() == np.bincount(indices[offset:end][ok], minlength=5).tolist()


@pytest.mark.parametrize("kind", ["d", "i", "l"])
@pytest.mark.parametrize("offset", [0, 5])
def test_cells_count_what_numpy_counts(kind: str, offset: int, compiled: None) -> None:
    """Labels and predictions of each kind the loops read (float64, int32, int64), a slice
    from any row, nulls and values other than 0 and 1 in the third outcome: every cell's
    rows, finite scores, squared errors and log losses, and the score bins."""
    from charter.engines import _onepass

    rng = np.random.default_rng(len(kind) + offset)
    end, length, groups = offset + 1000, 1000, 3
    dtype = {"d": np.float64, "i": np.int32, "l": np.int64}[kind]
    label = rng.integers(0, 2, end).astype(dtype)
    label[::37] = 7
    prediction = rng.integers(0, 2, end).astype(dtype)
    valid = rng.random(end) > 0.1
    score = rng.random(end)
    score[::41] = np.nan
    group = rng.integers(0, groups, length).astype(np.int32)
    sums = [np.zeros(groups * 9, t) for t in (np.int64, np.int64, np.float64, np.float64)]
    bins = [np.zeros(11, t) for t in (np.int64, np.float64, np.float64)]
    spill = np.empty(2 * length)
    spilled = _onepass.cells(
        group, groups, label, _bitmap(valid), offset, kind, prediction, None, 0, kind, score,
        None, offset, length, *sums, *bins, spill,
    )  # fmt: skip
    y = np.where(valid, label, 2)[offset:end].astype(np.int64)
    y[(y != 0) & (y != 1)] = 2
    p = prediction[:length].astype(np.int64)
    s = score[offset:end]
    cell = (group * 3 + y) * 3 + p
    assert sums[0].tolist() == np.bincount(cell, minlength=groups * 9).tolist()
    scored = (y < 2) & np.isfinite(s)
    assert sums[1].tolist() == np.bincount(cell[scored], minlength=groups * 9).tolist()
    squares = np.bincount(cell[scored], (s[scored] - y[scored]) ** 2, groups * 9)
    assert sums[2] == pytest.approx(squares, rel=1e-12)
    likely = np.clip(np.where(y[scored] == 1, s[scored], 1 - s[scored]), 2.0**-52, 1 - 2.0**-52)
    assert sums[3] == pytest.approx(np.bincount(cell[scored], -np.log(likely), groups * 9))
    k = np.floor(s[scored] * 10).astype(np.int64)
    assert spilled == 0 and bins[0].tolist() == np.bincount(k, minlength=11).tolist()
    assert bins[1].tolist() == np.bincount(k, y[scored], 11).tolist()


def test_labels_other_than_0_and_1_leave_the_pass_at_their_batch(
    tmp_path: Path, compiled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A label of 2 stops the pass in the batch that holds it (the SQL then words the
    refusal), not after the batches of the same dictionaries that follow."""
    import pyarrow.parquet as pq

    table = _log(200_000, 1)
    labels = table.column("label").to_numpy().copy()
    labels[3] = 2
    table = table.set_column(table.schema.get_field_index("label"), "label", pa.array(labels))
    pq.write_table(table, tmp_path / "log.parquet", row_group_size=100_000)  # 2 batches each
    plan = onepass.Plan(
        counted=True, label="label", prediction="prediction", score="score", protected=("sex",)
    )
    seen: list[int] = []
    original = onepass._count_batches

    def noting(batches: Any, plan: onepass.Plan) -> Any:
        def noted() -> Any:
            for batch in batches:
                seen.append(batch.num_rows)
                yield batch

        return original(noted(), plan)

    monkeypatch.setattr(onepass, "_count_batches", noting)
    with pytest.raises(onepass.Unusual, match="other than 0 and 1"):
        onepass.count(tmp_path / "log.parquet", plan)
    # the first batch of row 3's row group, and (with a second thread) both of the other one
    assert len(seen) in (1, 3)
