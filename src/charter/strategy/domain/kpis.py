"""KPIs of use cases and systems, their monthly measurements, misses and value realised.

A KPI has a unit, a direction (higher or lower is better), a baseline, a target per period
and an owner. It tracks an outcome, or money: `value` (value realised in the period) or
`cost` (money spent in the period); money KPIs roll up into value realised against value
planned and cost against budget. A KPI alerts when its latest `alert_after` measurements all
miss the target.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from charter.kernel.csv_text import csv_rows
from charter.kernel.errors import InvalidInput, refuse_all


class Direction(StrEnum):
    INCREASE = "increase"  # higher is better
    DECREASE = "decrease"  # lower is better


class Tracks(StrEnum):
    OUTCOME = "outcome"
    VALUE = "value"  # money realised per period, in the scoring model's currency
    COST = "cost"  # money spent per period


@dataclass(frozen=True, slots=True)
class Kpi:
    id: str
    name: str
    unit: str
    direction: Direction
    target: float
    owner_id: str
    use_case_id: str | None = None
    system_id: str | None = None
    baseline: float | None = None
    tracks: Tracks = Tracks.OUTCOME
    alert_after: int = 3  # consecutive missed periods that raise an alert
    description: str = ""
    active: bool = True


@dataclass(frozen=True, slots=True)
class Measurement:
    id: str
    kpi_id: str
    period: date  # the first day of the month measured
    value: float
    recorded_by: str
    recorded_at: datetime
    source: str = "api"  # how it was entered, set by the server: one of CHANNELS
    note: str = ""
    stated_source: str = ""  # what the caller said the figure came from: theirs, unchecked


#: how a measurement was entered, as the server records it (never the caller's word); "csv"
#: is a CSV import recorded before the interface was told apart
CHANNELS = {
    "api": "the API", "api_csv": "a CSV file through the API", "ui": "the web page",
    "ui_csv": "a CSV file on the web page", "cli": "the command line",
    "cli_csv": "a CSV file on the command line", "csv": "a CSV file", "demo": "the demo",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class KpiPreview:
    """Rows a person previewed, kept by the server until confirmed or expired: only their
    confirmation, presenting the preview's secret, records exactly those rows. `id` is the
    SHA-256 of the secret (the secret itself is only ever the person's)."""

    id: str
    actor: str
    digest: str  # readings_digest of the rows previewed
    rows: int
    created_at: datetime
    expires_at: datetime


_MONTH = re.compile(r"^(\d{4})-(\d{2})(-\d{2})?$")


def parse_period(text: str) -> date:
    """'2026-03' or any day of it ('2026-03-17') -> 2026-03-01."""
    found = _MONTH.match(text.strip())
    if not found:
        raise InvalidInput(f"period {text!r} is not a month (YYYY-MM)", details={"field": "period"})
    try:
        day = date.fromisoformat(text.strip() if found.group(3) else f"{text.strip()}-01")
    except ValueError:
        raise InvalidInput(f"period {text!r} is not a date", details={"field": "period"}) from None
    return day.replace(day=1)


def measured_period(text: str, today: date) -> date:
    """A period that can be measured: this month or one before it."""
    period = parse_period(text)
    if period > today.replace(day=1):
        raise InvalidInput(
            f"period {text!r} is after the current month: it cannot be measured yet",
            details={"field": "period"},
        )
    return period


def finite(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInput(f"{what} must be a finite number", details={"field": what})
    return float(value)


def measured_value(value: object) -> float:
    """A measurement's value: a finite number (a CSV cell that is not one is named)."""
    if isinstance(value, str):
        raise InvalidInput(f"value {value!r} is not a number", details={"field": "value"})
    return finite(value, "value")


def check_kpi(kpi: Kpi) -> Kpi:
    if (kpi.use_case_id is None) == (kpi.system_id is None):
        raise InvalidInput("a KPI belongs to exactly one use case or one system")
    if not 1 <= kpi.alert_after <= 24:
        raise InvalidInput(
            "alert_after must be from 1 to 24 periods", details={"field": "alert_after"}
        )
    if not kpi.unit.strip() or len(kpi.unit) > 40:
        raise InvalidInput("a KPI needs a unit of at most 40 characters", details={"field": "unit"})
    finite(kpi.target, "target")
    if kpi.baseline is not None:
        finite(kpi.baseline, "baseline")
    return kpi


def misses(kpi: Kpi, value: float) -> bool:
    """Whether a measured value misses the KPI's target."""
    return value < kpi.target if kpi.direction is Direction.INCREASE else value > kpi.target


@dataclass(frozen=True, slots=True)
class Alert:
    kpi_id: str
    name: str
    missed: int  # consecutive latest periods that missed
    since: date
    last: float
    target: float


def alert(kpi: Kpi, series: Sequence[Measurement]) -> Alert | None:
    """An alert when the latest `alert_after` measurements (by period) all miss."""
    ordered = sorted(series, key=lambda m: m.period)
    streak = 0
    for m in reversed(ordered):
        if not misses(kpi, m.value):
            break
        streak += 1
    if streak < kpi.alert_after or not ordered:
        return None
    return Alert(kpi.id, kpi.name, streak, ordered[-streak].period, ordered[-1].value, kpi.target)


def progress(kpi: Kpi, latest: float | None) -> float | None:
    """Share of the way from baseline to target that the latest value has come (may be
    below 0 or above 1); None without a baseline, a value, or room between the two."""
    if latest is None or kpi.baseline is None or kpi.target == kpi.baseline:
        return None
    return (latest - kpi.baseline) / (kpi.target - kpi.baseline)


@dataclass(frozen=True, slots=True)
class ValueLine:
    """Money of one use case over the months measured."""

    use_case_id: str
    business_unit_id: str
    months: int  # months with a value measurement
    realised: float
    planned: float | None  # the planned value per year, prorated over those months
    cost: float  # money spent (cost KPIs) over the months measured
    budget: float | None  # the cost estimate per year, prorated over the cost months
    cost_months: int

    @property
    def shortfall(self) -> float | None:
        """Planned minus realised (positive: value short of plan)."""
        return None if self.planned is None else self.planned - self.realised


def value_line(
    use_case_id: str,
    business_unit_id: str,
    planned_per_year: int | None,
    budget_per_year: int | None,
    value: Sequence[Measurement],
    cost: Sequence[Measurement],
) -> ValueLine:
    months = len({m.period for m in value})
    cost_months = len({m.period for m in cost})
    return ValueLine(
        use_case_id,
        business_unit_id,
        months,
        sum(m.value for m in value),
        None if planned_per_year is None else planned_per_year * months / 12,
        sum(m.value for m in cost),
        None if budget_per_year is None else budget_per_year * cost_months / 12,
        cost_months,
    )


@dataclass(frozen=True, slots=True)
class UnitReturn:
    business_unit_id: str
    realised: float
    planned: float  # of the use cases with a value estimate
    cost: float
    unplanned: int  # use cases measured without a value estimate (not counted as 0)

    @property
    def net_return(self) -> float | None:
        """(value realised - cost) / cost; None when nothing was spent."""
        return None if self.cost == 0 else (self.realised - self.cost) / self.cost


def returns_by_unit(lines: Sequence[ValueLine]) -> list[UnitReturn]:
    totals: dict[str, UnitReturn] = {}
    for line in lines:
        t = totals.get(line.business_unit_id) or UnitReturn(line.business_unit_id, 0, 0, 0, 0)
        totals[line.business_unit_id] = UnitReturn(
            t.business_unit_id,
            t.realised + line.realised,
            t.planned + (line.planned or 0.0),
            t.cost + line.cost,
            t.unplanned + (line.planned is None),
        )
    return [totals[unit] for unit in sorted(totals)]


@dataclass(frozen=True, slots=True)
class Reading:
    """One measurement as given (by a pipeline, a command or a CSV row), before checks."""

    kpi_id: str
    period: str
    value: object
    note: str = ""
    line: int | None = None  # the CSV line it came from

    def where(self, index: int) -> str:
        """Its place: the CSV line, else its position in the batch."""
        return f"line {self.line}" if self.line is not None else f"measurement {index}"


def readings_digest(readings: Sequence[Reading]) -> str:
    """SHA-256 of the readings as parsed (KPI, month, value, note, in order): what a preview
    kept by the server (KpiPreview) compares a confirmation's rows with. Anyone can compute
    it: it names rows, it proves nothing about who previewed them."""
    rows = [[r.kpi_id, r.period, r.value, r.note] for r in readings]
    text = json.dumps(rows, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


CSV_COLUMNS = ("kpi_id", "period", "value")


def parse_csv(text: str, limit: int = 100_000) -> list[Reading]:
    """Readings from CSV text with a header naming kpi_id, period, value (and note)."""
    rows = csv_rows(text)
    if not rows:
        raise InvalidInput("the CSV file is empty")
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise InvalidInput(
            f"the CSV header lacks column(s) {', '.join(missing)}; it has {', '.join(header)}",
            details={"column": missing[0]},
        )
    if len(rows) - 1 > limit:
        raise InvalidInput(f"the CSV file has over {limit} rows")
    at = {name: header.index(name) for name in (*CSV_COLUMNS, "note") if name in header}
    out, broken, found = [], False, []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            found.append((f"line {number}", f"{len(row)} fields, the header has {len(header)}"))
            broken = True
            continue
        raw = row[at["value"]].strip()
        try:
            value: object = float(raw)
        except ValueError:
            found.append((f"line {number}", f"value {raw!r} is not a number"))
            value = raw
        note = row[at["note"]].strip() if "note" in at else ""
        out.append(Reading(row[at["kpi_id"]].strip(), row[at["period"]], value, note, number))
    if broken:  # a line that cannot be read: the file's problems, each at its line
        refuse_all("the CSV file", found)
    return out  # a value that is not a number is refused with its line's other problems
