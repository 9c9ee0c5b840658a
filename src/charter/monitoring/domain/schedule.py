"""When a monitor runs: a five-field cron expression (minute hour day-of-month month
day-of-week) read in a time zone, and the data window each run covers."""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from charter.kernel.errors import InvalidInput

FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day", 1, 31), ("month", 1, 12), ("weekday", 0, 7))


def _part(text: str, low: int, high: int, name: str) -> set[int]:
    step = 1
    if "/" in text:
        text, raw = text.split("/", 1)
        if not raw.isdigit() or int(raw) < 1:
            raise InvalidInput(f"cron {name}: bad step {raw!r}")
        step = int(raw)
    if text == "*":
        start, end = low, high
    elif "-" in text:
        a, b = text.split("-", 1)
        if not (a.isdigit() and b.isdigit()):
            raise InvalidInput(f"cron {name}: bad range {text!r}")
        start, end = int(a), int(b)
    elif text.isdigit():
        start = end = int(text)
        if step > 1:
            end = high
    else:
        raise InvalidInput(f"cron {name}: {text!r} is not a number, range or *")
    if not low <= start <= end <= high:
        raise InvalidInput(f"cron {name}: {text!r} is outside {low}-{high}")
    return set(range(start, end + 1, step))


@dataclass(frozen=True, slots=True)
class Cron:
    expression: str
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 = Sunday
    any_day: bool
    any_weekday: bool

    def matches(self, at: datetime) -> bool:
        day_ok = at.day in self.days
        weekday_ok = (at.isoweekday() % 7) in self.weekdays
        # cron's rule: when both day fields are restricted, either may match
        either = not (self.any_day or self.any_weekday)
        on_day = (day_ok or weekday_ok) if either else (day_ok and weekday_ok)
        return (
            at.minute in self.minutes
            and at.hour in self.hours
            and at.month in self.months
            and on_day
        )


def parse_cron(expression: str) -> Cron:
    parts = expression.split()
    if len(parts) != 5:
        raise InvalidInput(
            "a schedule is five cron fields: minute hour day-of-month month day-of-week",
            details={"field": "schedule"},
        )
    sets = [
        set().union(*(_part(p, low, high, name) for p in part.split(",")))
        for part, (name, low, high) in zip(parts, FIELDS, strict=True)
    ]
    weekdays = frozenset(d % 7 for d in sets[4])
    minutes, hours, days, months = (frozenset(v) for v in sets[:4])
    return Cron(
        " ".join(parts), minutes, hours, days, months, weekdays, parts[2] == "*", parts[4] == "*"
    )


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInput(f"unknown time zone {name!r}", details={"field": "time_zone"}) from exc


SEARCH = timedelta(days=366 * 4 + 1)


def latest_slot(cron: Cron, time_zone: str, now: datetime) -> datetime | None:
    """The latest moment at or before `now` the schedule names (UTC), or None within four
    years (a 29 February schedule included)."""
    tz = zone(time_zone)
    at = now.astimezone(tz).replace(second=0, microsecond=0)
    stop = at - SEARCH
    while at > stop:
        if at.month not in cron.months or not _day_possible(cron, at):
            at = at.replace(hour=23, minute=59) - timedelta(days=1)
            continue
        if at.hour not in cron.hours:
            at = at.replace(minute=59) - timedelta(hours=1)
            continue
        if cron.matches(at):
            return at.astimezone(UTC)
        at -= timedelta(minutes=1)
    return None


def _day_possible(cron: Cron, at: datetime) -> bool:
    probe = at.replace(hour=0, minute=0)
    return any(
        cron.matches(probe.replace(hour=h, minute=m))
        for h in list(cron.hours)[:1]
        for m in list(cron.minutes)[:1]
    )


# --- data location templates ---------------------------------------------------------------

FIELDS_ALLOWED = frozenset({"start", "end", "date"})


def check_template(template: str) -> str:
    """A file pattern naming the window's dates: {start:%Y-%m-%d}, {end:%Y/%m/%d}, {date}
    (the window's first day); nothing else is formatted."""
    for _, name, spec, conversion in string.Formatter().parse(template):
        if name is None:
            continue
        if name not in FIELDS_ALLOWED or conversion:
            raise InvalidInput(
                f"a data template names only {{start}}, {{end}} and {{date}}, not {{{name}}}",
                details={"field": "template"},
            )
        if name == "date" and spec:
            raise InvalidInput("{date} takes no format; use {start:%Y-%m-%d}")
    return template


def render(template: str, start: datetime, end: datetime) -> str:
    return check_template(template).format(start=start, end=end, date=start.date().isoformat())
