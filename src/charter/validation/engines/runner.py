"""Run a suite on an engine: every aggregate its checks need, in as few scans as the checks
allow, without loading the data into Python: one query for all confusion counts, one for the
score histogram, one for all data-quality checks, one per drift window. The queries are the
same on DuckDB and Spark."""

from __future__ import annotations

import sys
import time
from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from charter.kernel.errors import InvalidInput
from charter.validation.domain.audit import BASIS, Audit
from charter.validation.domain.evidence import Aggregates
from charter.validation.domain.metrics import Counts, Regression
from charter.validation.domain.roc import auc, calibration_error
from charter.validation.domain.suite import (
    AUDIT,
    DISPARITY,
    DRIFT,
    OVERALL,
    QUALITY,
    RANKING,
    REGRESSION,
    SCHEMA,
    Suite,
)
from charter.validation.engines.audit import scoring_counts, selection_counts
from charter.validation.engines.backend import (
    NUMERIC,
    Backend,
    Limits,
    Opened,
    Stop,
    ensure_rows,
    open_backend,
    preload,
    stoppable,
)
from charter.validation.engines.drift_checks import StepReporter, drift_values, read_reference
from charter.validation.engines.groups import ensure_few_groups
from charter.validation.engines.measures import (
    SCORE_BINS,
    GroupKey,
    exact_auc,
    group_counts,
    quality,
    regression_sums,
    score_bins,
)
from charter.validation.engines.sources import locate, open_source

if TYPE_CHECKING:  # (the ports load the store's protocols: not before a run starts)
    from charter.validation.ports import Frames, Progress

#: the histogram's ROC AUC is used when its proven bound is at most this; else the exact rank
AUC_TOLERANCE = 1e-4

#: checks that need the confusion counts (ranking too: its scan refuses labels other than 0/1)
COUNTED = OVERALL | DISPARITY | RANKING


def _fingerprints(data: Opened, reference: Opened | None) -> str:
    """The data's fingerprint, and the reference window's when drift checks use one."""
    if reference is None:
        return data.fingerprint()
    return f"{data.fingerprint()} reference={reference.fingerprint()}"


def _check_columns(b: Backend, data: Opened, suite: Suite) -> dict[str, str]:
    """Every column the suite names exists; label, prediction and score are numeric."""
    types = b.columns(data.relation, data.name)
    numeric = [c for c in (suite.label, suite.prediction, suite.score) if c]
    wanted = [
        *numeric,
        *suite.protected,
        *(c.column for c in suite.checks if c.column and c.metric not in DRIFT),
    ]
    missing = list(dict.fromkeys(c for c in wanted if c not in types))
    if missing:
        raise InvalidInput(
            f"{data.name}: missing column(s) {', '.join(missing)}; it has {', '.join(types)}",
            details={**data.details, "column": missing[0]},
        )
    for column in numeric:
        if not types[column].startswith(NUMERIC):
            raise InvalidInput(
                f"{data.name}: column {column!r} is {types[column]}, not a number: labels "
                "and predictions are 0 or 1 (numbers for regression), scores numbers; "
                "map true/false or yes/no to 1/0 before validating",
                details={**data.details, "column": column},
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
        + len({BASIS[m] for m in metrics & AUDIT})
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
    aucs = [c for c in specs if c.metric == "roc_auc"]
    near = area is not None and any(c.may_flip(area, bound) for c in aucs)  # of a threshold
    if aucs and (bound > AUC_TOLERANCE or near):
        area, bound = exact_auc(b, relation, suite.label, suite.score), 0.0
    ece = calibration_error(bins, SCORE_BINS // 10, 9)
    values = {c.id: area if c.metric == "roc_auc" else ece for c in specs}
    bounds = {c.id: bound for c in specs if c.metric == "roc_auc" and bound}
    return values, bounds


@dataclass(slots=True)
class _Measured:
    counts: dict[GroupKey, Counts] = field(default_factory=dict)
    regression: Regression | None = None
    by_check: dict[str, float | None] = field(default_factory=dict)
    bounds: dict[str, float] = field(default_factory=dict)
    audits: dict[str, Audit] = field(default_factory=dict)


def _audits(b: Backend, relation: str, suite: Suite, step: StepReporter) -> dict[str, Audit]:
    """The bias audit's counts, one query per basis, over the attributes its checks compare."""
    specs = [c for c in suite.checks if c.metric in AUDIT]
    attributes = [a for a in suite.protected if any(a in c.over for c in specs)]
    out = {}
    if any(c.metric == "impact_ratio" for c in specs):
        step("bias audit: selection rates")
        out["selection"] = selection_counts(b, relation, attributes, suite.prediction)
    if any(c.metric == "scoring_impact_ratio" for c in specs):
        step("bias audit: scoring rates")
        out["scoring"] = scoring_counts(b, relation, attributes, suite.score or "")
    return out


def _measure(
    b: Backend,
    data: Opened,
    suite: Suite,
    moment: datetime,
    step: StepReporter,
) -> _Measured:
    """The current window's confusion counts, regression sums, ranking, quality and schema
    values."""
    metrics = {c.metric for c in suite.checks}
    relation, out = data.relation, _Measured()
    if metrics & COUNTED:
        step("confusion counts per group")
        out.counts = group_counts(
            b, relation, suite.label, suite.prediction, suite.score, suite.protected
        )
    if metrics & REGRESSION:
        step("regression errors")
        out.regression = regression_sums(b, relation, suite.label, suite.prediction)
    if metrics & RANKING:
        step("score histogram")
        out.by_check, out.bounds = _ranking(b, relation, suite)
    if metrics & QUALITY:
        step("data quality")
        specs = [c for c in suite.checks if c.metric in QUALITY]
        out.by_check |= quality(b, relation, specs, moment)
    if metrics & AUDIT:
        out.audits = _audits(b, relation, suite, step)
    return out


def run_suite(
    suite: Suite,
    folder: Path,
    engine: str = "duckdb",
    now: datetime | None = None,
    progress: Progress | None = None,
    frames: Frames | None = None,
    secret: Collection[Path] = (),
    limits: Limits | None = None,
    stop: Stop | None = None,
) -> Aggregates:
    """Every aggregate the suite's checks need, from its data where it lies: files and
    databases relative to `folder`, tables from `frames` (name -> data frame) or the engine.
    The engine reads those files and nothing else; the `secret` files never; within `limits`;
    until `stop` is asked."""
    total, done = _steps(suite), 0

    def step(name: str, unplanned: bool = False) -> None:
        nonlocal done, total
        total += unplanned
        if progress:
            progress(name, done, total)
        done += 1

    moment, frames = now or datetime.now(UTC), frames or {}
    windows = {"current": suite.data}
    if suite.reference is not None and any(c.metric in DRIFT for c in suite.checks):
        windows["reference"] = suite.reference
    files = {w: locate(source, folder, w, secret) for w, source in windows.items()}
    # the engine outlives the hashing thread, which may read a table through it
    with (
        open_backend(engine, [f for f in files.values() if f], limits, stop) as b,
        ThreadPoolExecutor(1) as hashing,
    ):
        try:
            opened = {w: open_source(b, s, files[w], w, frames) for w, s in windows.items()}
            data, reference = opened["current"], opened.get("reference")
            # hashing the data overlaps the scans (BLAKE3 releases the GIL), within the time
            fingerprinted = hashing.submit(_fingerprints, data, reference)
            step(f"reading {data.name}")
            measured, rows = _scans(b, data, reference, suite, moment, step)
            step("fingerprint of the data")
            data_fingerprint = fingerprinted.result()
        except BaseException:
            b.stop()  # the hashing ends too, not when the file is read to its end
            raise
    if progress:
        progress("done", total, total)
    return Aggregates(
        measured.counts,
        measured.regression,
        data_fingerprint,
        b.engine,
        measured.by_check,
        measured.bounds,
        measured.audits,
        rows,
    )


def _scans(
    b: Backend,
    data: Opened,
    reference: Opened | None,
    suite: Suite,
    moment: datetime,
    step: StepReporter,
) -> tuple[_Measured, int]:
    """Every value the checks need, and the data's row count."""
    ensure_rows(b, data, "current")
    types = _check_columns(b, data, suite)
    ref = read_reference(b, reference, suite, step)
    measured = _measure(b, data, suite, moment, step)
    ensure_few_groups(suite, [measured.counts, *(a.cells for a in measured.audits.values())])
    measured.by_check |= {
        c.id: float(types[c.column or ""].startswith(c.types))
        for c in suite.checks
        if c.metric in SCHEMA
    }
    drifted, drift_bounds = drift_values(b, data.relation, ref, step)
    measured.by_check |= drifted
    measured.bounds |= drift_bounds
    return measured, _rows(b, data, measured)


def _rows(b: Backend, data: Opened, measured: _Measured) -> int:
    """The data's row count: from a scan the checks made, else one count (the evidence
    records it: a gate may ask for a least number of rows)."""
    if () in measured.counts:
        return measured.counts[()].n
    if measured.regression is not None:
        return measured.regression.n
    found = b.rows(f"SELECT count(*) FROM {data.relation}", f"{data.name}: counting rows")  # noqa: S608
    return int(found[0][0])


@dataclass(frozen=True, slots=True)
class GuardedRunner:
    """run_suite that never reads the files Charter keeps secret (its signing key, its
    database) and stays within the server's limits: what the context hands every interface."""

    secret: tuple[Path, ...] = ()
    limits: Limits = field(default_factory=Limits)

    def __call__(
        self,
        suite: Suite,
        folder: Path,
        engine: str = "duckdb",
        now: datetime | None = None,
        progress: Progress | None = None,
        frames: Frames | None = None,
        stop: Stop | None = None,
    ) -> Aggregates:
        return run_suite(
            suite, folder, engine, now, progress, frames, self.secret, self.limits, stop
        )

    def start(
        self, suite: Suite, folder: Path, engine: str, progress: Progress | None = None
    ) -> Started:
        """The run begun in a thread of its own (Started)."""
        return Started(self, suite, folder, engine, progress)


#: how long a thread may hold the interpreter's lock while another waits for it, as long as
#: a run started in the background is in flight (Python's default: 5 ms): the run's thread,
#: back from each query, takes it sooner from a command busy importing (a 1M-row run
#: ended about 5 % sooner, benchmarks/README.md)
SWITCH_SECONDS = 0.0005


class Started:
    """A run of a suite begun in a thread of its own before what decides whether its result
    may be used (the CLI starts the scan while it opens the store and checks the person's
    rights: the engine's C++ code leaves the interpreter free meanwhile). The result is
    read only by whoever calls result(), the use case, after its checks: until then the
    engine's errors are not logged (their text may quote the data); close() stops a run
    whose result was not read, and waits for its thread. On an engine that cannot be
    stopped (Spark), the run begins only when result() is called."""

    def __init__(
        self,
        runner: GuardedRunner,
        suite: Suite,
        folder: Path,
        engine: str,
        progress: Progress | None = None,
    ) -> None:
        preload(engine)
        self._switch = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_SECONDS)
        self.runner, self.suite, self.at = runner, suite, time.monotonic()
        self._stop = Stop(hold=True)  # its engine's errors are logged once it may be read
        self._read, self._seconds = False, 0.0  # (set before the thread may write them)
        self._later = (folder, engine, progress)
        self._deferred = not stoppable(engine)  # such a run begins only once it is allowed
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="charter-run")
        self._future = None if self._deferred else self._pool.submit(self._timed, *self._later)

    def _timed(self, folder: Path, engine: str, progress: Progress | None) -> Aggregates:
        if self._deferred:
            self.at = time.monotonic()
        try:
            return self.runner(self.suite, folder, engine, None, progress, None, self._stop)
        finally:
            self._seconds = time.monotonic() - self.at

    def result(self, suite: Suite) -> Aggregates:
        """The aggregates of the suite the run was started with (no other)."""
        if suite is not self.suite:
            raise ValueError("the run was started for another suite")
        self._read = True
        self._stop.release()
        if self._future is None:
            return self._timed(*self._later)
        return self._future.result()

    def ended(self, timeout: float | None = None) -> bool:
        """Whether the run has ended (within `timeout` seconds), its result not read; a run
        that begins only once it is allowed has not."""
        if self._future is None:
            return False
        wait([self._future], timeout)
        return self._future.done()

    def took(self) -> float:
        """Seconds the run took (once its result is read)."""
        return self._seconds

    def stop(self) -> None:
        """End the run now (from any thread): its result is then what stopped it."""
        self._stop()

    def close(self) -> None:
        """Stop the run unless its result was read, and wait for its thread."""
        if not self._read:
            self._stop()
        self._pool.shutdown(wait=True)
        sys.setswitchinterval(self._switch)
