"""Monitors, their runs, the alerts breaches open, review tasks that triggers raise, and the
evidence series the trends are drawn from. Pure: time and ids are arguments."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from charter.kernel.errors import InvalidInput
from charter.kernel.verdicts import Verdict
from charter.monitoring.domain.schedule import check_template, parse_cron, zone
from charter.validation.domain.evidence import CheckResult, Evidence
from charter.validation.domain.suite import Severity

MAX_WINDOW = timedelta(days=366)


@dataclass(frozen=True, slots=True)
class Location:
    """Where each run's data is: a file pattern with the window's dates, or a table whose
    time column is filtered to the window (a DuckDB database file, or the engine's catalog on
    Spark)."""

    file: str | None = None  # "scored/{start:%Y-%m-%d}.parquet"
    table: str | None = None
    database: str | None = None  # a DuckDB file holding the table
    time_column: str | None = None

    def describe(self) -> str:
        if self.file:
            return self.file
        where = f" in {self.database}" if self.database else ""
        return f"table {self.table}{where}, {self.time_column} in the window"


def parse_location(raw: Mapping[str, Any]) -> Location:
    unknown = set(raw) - {"file", "table", "database", "time_column"}
    if unknown:
        raise InvalidInput(f"location: unknown key(s) {', '.join(sorted(unknown))}")
    file, table = raw.get("file"), raw.get("table")
    if bool(file) == bool(table):
        raise InvalidInput(
            "a monitor reads either a file pattern or a table", details={"field": "location"}
        )
    if file:
        return Location(file=check_template(str(file)))
    column = raw.get("time_column")
    if not column:
        raise InvalidInput("a table needs its time_column, filtered to each run's window")
    database = raw.get("database")
    return Location(
        table=str(table), database=str(database) if database else None, time_column=str(column)
    )


@dataclass(frozen=True, slots=True)
class Monitor:
    id: str
    system_id: str
    name: str
    suite: Mapping[str, Any]  # the suite as given; its data is replaced by each window's
    location: Mapping[str, Any]  # a Location's fields (parse_location)
    schedule: str  # cron: minute hour day month weekday
    time_zone: str
    window_hours: int  # each run covers [slot - window, slot)
    engine: str
    created_at: datetime
    created_by: str
    active: bool = True

    def window(self, slot: datetime) -> tuple[datetime, datetime]:
        return slot - timedelta(hours=self.window_hours), slot


def check_monitor(schedule: str, time_zone: str, window_hours: int, engine: str) -> None:
    parse_cron(schedule)
    zone(time_zone)
    if not 1 <= window_hours <= MAX_WINDOW.days * 24:
        raise InvalidInput("a window is 1 hour to 366 days", details={"field": "window_hours"})
    if engine not in ("duckdb", "spark"):
        raise InvalidInput("the engine is duckdb or spark", details={"field": "engine"})


class RunStatus(StrEnum):
    PASSED = "passed"
    BREACHED = "breached"  # a blocking check not satisfied or inconclusive
    FAILED = "failed"  # the run could not compute (no data, a missing file)


@dataclass(frozen=True, slots=True)
class Run:
    id: str
    monitor_id: str
    system_id: str
    slot: datetime  # the scheduled moment it covers
    window_start: datetime
    window_end: datetime
    started_at: datetime
    finished_at: datetime
    status: RunStatus
    evidence_id: str | None
    error: str
    triggered_by: str  # "schedule", or the person who ran it


def breaches(evidence: Evidence) -> list[CheckResult]:
    """The blocking checks the run did not satisfy (inconclusive counts: fail closed)."""
    return [
        r
        for r in evidence.results
        if r.severity is Severity.BLOCKING and r.verdict is not Verdict.SATISFIED
    ]


class AlertStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


@dataclass(frozen=True, slots=True)
class Alert:
    """A breach of one check by a monitor, with the runs that show it; open until a person
    resolves it."""

    id: str
    system_id: str
    monitor_id: str
    check_id: str  # "run" when runs fail to compute
    opened_at: datetime
    run_ids: tuple[str, ...]
    last_breach_at: datetime
    status: AlertStatus = AlertStatus.OPEN
    recovered_at: datetime | None = None  # a later run satisfied the check
    resolved_at: datetime | None = None
    resolved_by: str | None = None
    note: str = ""


class ReviewKind(StrEnum):
    RETRAINING = "retraining"
    REVIEW = "review"


@dataclass(frozen=True, slots=True)
class Review:
    """A review task a trigger raised for the accountable person."""

    id: str
    system_id: str
    kind: ReviewKind
    rule_id: str
    reason: str
    assignee_id: str | None
    opened_at: datetime
    status: str = "open"  # open | done
    closed_at: datetime | None = None
    closed_by: str | None = None
    outcome: str = ""


# --- series --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Point:
    """One evidence record's value of a check. A monitor run's is placed at the end of the
    window of data it measured (`at` = `window_end`), not at when it ran: a late or re-run
    window lands where its data belongs. Other evidence is placed at when it was recorded."""

    at: datetime
    value: float | None
    verdict: Verdict
    minimum: float | None
    maximum: float | None
    evidence_id: str
    recorded_at: datetime
    window_start: datetime | None = None  # the data window a monitor run measured
    window_end: datetime | None = None


def window(point: Point) -> str:
    """The data a value measured: its window, or (evidence recorded by hand) when recorded."""
    if point.window_start is None or point.window_end is None:
        return f"recorded {point.recorded_at:%Y-%m-%d %H:%M} UTC"
    return f"{point.window_start:%Y-%m-%d %H:%M} to {point.window_end:%Y-%m-%d %H:%M} UTC"


#: evidence id -> the (start, end) of the data window the monitor run that recorded it measured
Windows = Mapping[str, tuple[datetime, datetime]]


@dataclass(frozen=True, slots=True)
class Series:
    suite: str
    check_id: str
    metric: str
    points: tuple[Point, ...]  # oldest first

    @property
    def latest(self) -> Point:
        return self.points[-1]


def placed_at(ev: Evidence, windows: Windows) -> datetime:
    """Where a record sits in time: the end of the window it measured, else when recorded."""
    window = windows.get(ev.id)
    return window[1] if window else ev.recorded_at


def series(
    evidence: Sequence[Evidence], check: str | None = None, windows: Windows | None = None
) -> list[Series]:
    """Each (suite, check)'s values over time, oldest first (by where each is placed)."""
    windows = windows or {}
    found: dict[tuple[str, str], tuple[str, list[Point]]] = {}
    for ev in sorted(evidence, key=lambda e: (placed_at(e, windows), e.recorded_at)):
        start, end = windows.get(ev.id, (None, None))
        for r in ev.results:
            if check is not None and r.check_id != check:
                continue
            _, points = found.setdefault((ev.suite_name, r.check_id), (r.metric, []))
            at = placed_at(ev, windows)
            point = Point(at, r.value, r.verdict, r.minimum, r.maximum, ev.id, ev.recorded_at)
            points.append(replace(point, window_start=start, window_end=end))
    return [Series(s, c, m, tuple(p)) for (s, c), (m, p) in sorted(found.items())]
