"""Change management and adoption: monthly adoption per system and business unit, survey
results (sentiment and concerns), a communications log, and trends over time."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from charter.kernel.csv_text import csv_records
from charter.kernel.errors import InvalidInput, refuse_all


class Channel(StrEnum):
    EMAIL = "email"
    INTRANET = "intranet"
    TOWN_HALL = "town_hall"
    TRAINING = "training"
    NEWSLETTER = "newsletter"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Adoption:
    """How far a system is used in a business unit in one month."""

    id: str
    system_id: str
    business_unit_id: str
    period: date  # first day of the month
    active_users: int
    eligible_users: int
    uses: int  # sessions, calls or decisions supported in the month
    recorded_by: str
    recorded_at: datetime

    @property
    def share(self) -> float | None:
        return self.active_users / self.eligible_users if self.eligible_users else None


@dataclass(frozen=True, slots=True)
class Survey:
    """The result of a staff survey on AI: mean sentiment (1 to 5) and the concerns named."""

    id: str
    title: str
    period: date
    responses: int
    sentiment: float  # mean on 1 (very negative) to 5 (very positive)
    concerns: Mapping[str, int]  # theme -> respondents naming it
    business_unit_id: str | None = None  # None: organisation-wide
    system_id: str | None = None
    recorded_by: str = ""


@dataclass(frozen=True, slots=True)
class Communication:
    id: str
    title: str
    channel: Channel
    sent_on: date
    audience: str  # a business unit id, or "all"
    summary: str
    sent_by: str
    system_id: str | None = None


def check_adoption(item: Adoption) -> Adoption:
    for name in ("active_users", "eligible_users", "uses"):
        value = getattr(item, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidInput(f"{name} must be a whole number >= 0", details={"field": name})
    if item.active_users > item.eligible_users:
        raise InvalidInput(
            f"active users ({item.active_users}) exceed eligible users ({item.eligible_users})",
            details={"field": "active_users"},
        )
    return item


def check_survey(item: Survey) -> Survey:
    if not 1 <= item.sentiment <= 5:
        raise InvalidInput("sentiment is a mean from 1 to 5", details={"field": "sentiment"})
    if item.responses < 1:
        raise InvalidInput("a survey needs at least one response", details={"field": "responses"})
    bad = [
        k
        for k, n in item.concerns.items()
        if not isinstance(n, int) or not 0 <= n <= item.responses
    ]
    if bad:
        raise InvalidInput(
            f"concern {bad[0]!r}: a count from 0 to the number of responses",
            details={"field": "concerns"},
        )
    return item


@dataclass(frozen=True, slots=True)
class TrendPoint:
    period: date
    active: int
    eligible: int

    @property
    def share(self) -> float | None:
        return self.active / self.eligible if self.eligible else None


def trend(
    items: Sequence[Adoption], key: str | None = None, by: str = "business_unit_id"
) -> list[TrendPoint]:
    """Monthly adoption (active over eligible) of one unit or system, or of all together."""
    months: dict[date, list[int]] = {}
    for a in items:
        if key is None or getattr(a, by) == key:
            totals = months.setdefault(a.period, [0, 0])
            totals[0] += a.active_users
            totals[1] += a.eligible_users
    return [TrendPoint(p, act, elig) for p, (act, elig) in sorted(months.items())]


def latest_share(items: Sequence[Adoption], on: date | None = None) -> dict[str, float]:
    """Each business unit's adoption in its latest month measured (on or before `on`)."""
    shares: dict[str, float] = {}
    for unit in sorted({a.business_unit_id for a in items}):
        points = [p for p in trend(items, unit) if on is None or p.period <= on]
        if points and points[-1].share is not None:
            shares[unit] = points[-1].share
    return shares


#: the key of a row read from a CSV file that holds its line (errors name it)
LINE = "line"
ADOPTION_COLUMNS = ("system_id", "business_unit_id", "period", "active_users", "eligible_users")


def parse_adoption_csv(text: str, limit: int = 50_000) -> list[dict[str, object]]:
    """Adoption rows from CSV with a header naming ADOPTION_COLUMNS (and optionally uses)."""
    rows = csv_records(text)
    header = [h.strip() for h in (rows[0].keys() if rows else [])]
    missing = [c for c in ADOPTION_COLUMNS if c not in header]
    if not rows or missing:
        raise InvalidInput(
            "the CSV file needs a header with " + ", ".join(ADOPTION_COLUMNS)
            + (f" (missing: {', '.join(missing)})" if rows else " and rows")
        )  # fmt: skip
    if len(rows) > limit:
        raise InvalidInput(f"the CSV file has over {limit} rows")
    out: list[dict[str, object]] = []
    found = []
    for number, row in enumerate(rows, start=2):
        item: dict[str, object] = {k: (row.get(k) or "").strip() for k in ADOPTION_COLUMNS[:3]}
        for key in ("active_users", "eligible_users", "uses"):
            raw = (row.get(key) or "0").strip()
            if not raw.isdigit():
                found.append((f"line {number}", f"{key} {raw!r} is not a whole number"))
            item[key] = int(raw) if raw.isdigit() else 0
        out.append(item | {LINE: number})
    refuse_all("the CSV file", found)
    return out
