"""Run a suite on an engine: every aggregate its checks need, in as few scans as the checks
allow (one for all confusion counts, one for the score histogram, one for all data-quality
checks, one per drift feature and window), without loading the data into Python."""

from __future__ import annotations

import mmap
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import blake3

from charter.domain.errors import InvalidInput
from charter.domain.evidence import Aggregates
from charter.domain.ranking import auc, calibration_error
from charter.domain.suite import (
    DISPARITY,
    DRIFT,
    OVERALL,
    QUALITY,
    RANKING,
    REGRESSION,
    SCHEMA,
    Suite,
)
from charter.engines.backend import NUMERIC, Backend, ensure_rows, open_backend
from charter.engines.drift_checks import drift_values
from charter.engines.measures import (
    SCORE_BINS,
    exact_auc,
    group_counts,
    quality,
    regression_sums,
    score_bins,
)

#: the histogram's ROC AUC is used when its proven bound is at most this; else the exact rank
AUC_TOLERANCE = 1e-4

#: checks that need the confusion counts (ranking too: its scan refuses labels other than 0/1)
COUNTED = OVERALL | DISPARITY | RANKING

#: bytes of a data file mapped at once while it is hashed (a multiple of any page size)
HASH_WINDOW = 1 << 26

Progress = Callable[[str, int, int], None]  # step, steps done, steps in all


def fingerprint(path: Path) -> str:
    """BLAKE3 of the file's bytes, and its size: which data the evidence was computed on
    (BLAKE3 rather than SHA-256: twice as fast here, on files of gigabytes)."""
    digest, size = blake3.blake3(), path.stat().st_size
    with path.open("rb") as handle:
        # mapped a window at a time rather than copied through read(): a quarter faster
        # here, and no more of the file resident at once than one window
        for offset in range(0, size, HASH_WINDOW):
            length = min(HASH_WINDOW, size - offset)
            with mmap.mmap(handle.fileno(), length, access=mmap.ACCESS_READ, offset=offset) as m:
                digest.update(m)
    return f"blake3:{digest.hexdigest()}:{size}"


def _fingerprints(path: Path, folder: Path, suite: Suite) -> str:
    """The data's fingerprint, and the reference window's when drift checks use one."""
    reference = (folder / suite.reference).resolve() if suite.reference else None
    if reference is None or not reference.is_file():
        return fingerprint(path)
    return f"{fingerprint(path)} reference={fingerprint(reference)}"


def _check_columns(b: Backend, relation: str, path: Path, suite: Suite) -> dict[str, str]:
    """Every column the suite names exists; label, prediction and score are numeric."""
    types = b.columns(relation, path)
    wanted = [
        suite.label,
        suite.prediction,
        *([suite.score] if suite.score else []),
        *suite.protected,
        *(c.column for c in suite.checks if c.column and c.metric not in DRIFT),
    ]
    missing = list(dict.fromkeys(c for c in wanted if c not in types))
    if missing:
        raise InvalidInput(
            f"{path.name}: missing column(s) {', '.join(missing)}; it has {', '.join(types)}",
            details={"file": str(path), "column": missing[0]},
        )
    for column in wanted[: 3 if suite.score else 2]:
        if not types[column].startswith(NUMERIC):
            raise InvalidInput(
                f"{path.name}: column {column!r} is {types[column]}, not a number",
                details={"file": str(path), "column": column},
            )
    return types


def _steps(suite: Suite) -> int:
    metrics = {c.metric for c in suite.checks}
    drift = {c.column for c in suite.checks if c.metric in DRIFT}
    return (
        1
        + bool(metrics & COUNTED)
        + bool(metrics & REGRESSION)
        + bool(metrics & RANKING)
        + bool(metrics & QUALITY)
        + (3 if drift else 0)  # reference ranges, then each window's distributions
        + 1  # waiting for the fingerprint
    )


def _ranking(
    b: Backend, relation: str, suite: Suite
) -> tuple[dict[str, float | None], dict[str, float]]:
    specs = [c for c in suite.checks if c.metric in RANKING]
    if not suite.score:
        raise InvalidInput(f"check {specs[0].id!r} needs a score column (columns.score)")
    bins = score_bins(b, relation, suite.label, suite.score)
    ranked = auc(bins)
    area, bound = ranked.value, ranked.bound
    if bound > AUC_TOLERANCE and any(c.metric == "roc_auc" for c in specs):
        area, bound = exact_auc(b, relation, suite.label, suite.score), 0.0
    ece = calibration_error(bins, SCORE_BINS // 10, 9)
    values = {c.id: area if c.metric == "roc_auc" else ece for c in specs}
    bounds = {c.id: bound for c in specs if c.metric == "roc_auc" and bound}
    return values, bounds


def run_suite(
    suite: Suite,
    folder: Path,
    engine: str = "duckdb",
    now: datetime | None = None,
    progress: Progress | None = None,
) -> Aggregates:
    """Every aggregate the suite's checks need, from its data file, where the file lies."""
    path = (folder / suite.data).resolve()
    if not path.is_file():
        raise InvalidInput(f"data file {path} does not exist", details={"file": str(path)})
    total, done = _steps(suite), 0

    def step(name: str) -> None:
        nonlocal done
        if progress:
            progress(name, done, total)
        done += 1

    metrics = {c.metric for c in suite.checks}
    moment = now or datetime.now(UTC)
    with ThreadPoolExecutor(1) as hashing, open_backend(engine) as b:
        # hashing the files overlaps the scans (hashlib releases the GIL)
        fingerprinted = hashing.submit(_fingerprints, path, folder, suite)
        step(f"reading {path.name}")
        relation = b.open(path, "current")
        ensure_rows(b, relation, path, "current")
        types = _check_columns(b, relation, path, suite)
        counts = {}
        if metrics & COUNTED:
            step("confusion counts per group")
            counts = group_counts(
                b, relation, suite.label, suite.prediction, suite.score, suite.protected
            )
        regression = None
        if metrics & REGRESSION:
            step("regression errors")
            regression = regression_sums(b, relation, suite.label, suite.prediction)
        by_check: dict[str, float | None] = {}
        bounds: dict[str, float] = {}
        if metrics & RANKING:
            step("score histogram")
            by_check, bounds = _ranking(b, relation, suite)
        if metrics & QUALITY:
            step("data quality")
            by_check |= quality(
                b, relation, [c for c in suite.checks if c.metric in QUALITY], moment
            )
        by_check |= {
            c.id: float(types[c.column or ""].startswith(c.types))
            for c in suite.checks
            if c.metric in SCHEMA
        }
        drifted, drift_bounds = drift_values(b, relation, folder, suite, step)
        engine_name = b.engine
        step("fingerprint of the data")
        data_fingerprint = fingerprinted.result()
    if progress:
        progress("done", total, total)
    return Aggregates(
        counts,
        regression,
        data_fingerprint,
        engine_name,
        by_check | drifted,
        bounds | drift_bounds,
    )
