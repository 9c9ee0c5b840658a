"""What templates apply to values to show them to people: labels for codes, dates and
times, counts, digests cut short. Dates are rendered as `<time>` elements in one unambiguous
form (6 Dec 2026, times in UTC); with JavaScript, charter.js rewrites them in the viewer's own
format and time zone."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from jinja2 import Environment
from markupsafe import Markup, escape

from charter.kernel.labels import label


def count_of(value: float) -> str:
    """A count or amount for people: whole numbers with thousands separators, else 1 decimal."""
    if float(value).is_integer() or abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.1f}"


def short_digests(fingerprint: str) -> str:
    """A data fingerprint for a table cell: each 64-hex digest cut to its first 12 digits."""
    return re.sub(r"\b([0-9a-f]{12})[0-9a-f]{52}\b", r"\1…", fingerprint)


def _parsed(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            try:
                return date.fromisoformat(value[:10])
            except ValueError:
                return None
    return None


def day(value: Any) -> Markup | str:
    """A date (or the day of a moment) for people: `6 Dec 2026`, in a <time> element."""
    found = _parsed(value)
    if found is None:
        return "—" if value in (None, "") else str(value)
    when = found.date() if isinstance(found, datetime) else found
    text = f"{when.day} {when:%b %Y}"
    return Markup('<time datetime="{}" data-day>{}</time>').format(when.isoformat(), text)


def month(value: Any) -> str:
    """A month for people: `Dec 2026`."""
    found = _parsed(value)
    return f"{found:%b %Y}" if found is not None else str(value)


def moment(value: Any) -> Markup | str:
    """A moment for people: `6 Dec 2026, 14:05 UTC`, in a <time> element."""
    found = _parsed(value)
    if not isinstance(found, datetime):
        return day(value)
    when = found.astimezone(UTC) if found.tzinfo else found.replace(tzinfo=UTC)
    text = f"{when.day} {when:%b %Y, %H:%M} UTC"
    return Markup('<time datetime="{}" data-moment>{}</time>').format(
        when.isoformat(timespec="seconds"), escape(text)
    )


def install(env: Environment) -> None:
    """The filters every template may use."""
    chosen: dict[str, Callable[..., Any]] = {
        "label": label,
        "day": day,
        "moment": moment,
        "month": month,
        "count_of": count_of,
        "short_digests": short_digests,
    }
    env.filters.update(chosen)
