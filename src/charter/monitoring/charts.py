"""Evidence series as trend charts: one chart per family of measures (rates are not drawn on
the scale of row counts, nor drift beside fairness), each check's limits as dashed rules. A
monitor run's value sits at the end of the data window it measured; the window is in each
point's tooltip and in the table of the chart's values (what a screen reader reads)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from charter.kernel.web import charts
from charter.monitoring.domain.monitors import Point, Series, window
from charter.validation.domain.suite import (
    AUDIT,
    DISPARITY,
    DRIFT,
    OVERALL,
    QUALITY,
    RANKING,
    REGRESSION,
    SCHEMA,
)

COUNTS = frozenset({"row_count"})
HOURS = frozenset({"freshness_hours"})
#: (title of the chart, its metrics), in the order the charts are shown
FAMILIES: tuple[tuple[str, frozenset[str]], ...] = (
    ("performance", OVERALL - COUNTS),
    ("ranking", RANKING),
    ("regression error", REGRESSION),
    ("fairness", DISPARITY),
    ("bias audit impact ratio", AUDIT),
    ("drift", DRIFT),
    ("data quality rate", QUALITY - HOURS),
    ("data age (hours)", HOURS),
    ("schema (1: as expected)", SCHEMA),
    ("rows (count)", COUNTS),
)


@dataclass(frozen=True, slots=True)
class Trend:
    """One family's chart and the values it draws, as rows of a table."""

    title: str
    chart: Markup
    rows: tuple[tuple[str, Point], ...]  # (check, point), oldest first


def trend_charts(found: Sequence[Series]) -> list[Trend]:
    """A chart for each family of measures the series hold."""
    out = []
    for title, metrics in FAMILIES:
        chosen = [s for s in found if s.metric in metrics]
        drawn = [(s.check_id, p) for s in chosen for p in s.points if p.value is not None]
        rows: list[dict[str, object]] = [
            {"series": check, "at": p.at.isoformat(), "value": p.value, "window": window(p)}
            for check, p in drawn
        ]
        limits = [
            {"series": s.check_id, "limit": limit}
            for s in chosen
            for limit in {s.latest.minimum, s.latest.maximum}
            if limit is not None
        ]
        chart = charts.over_time(rows, limits, title, counts=metrics is COUNTS)
        if chart is not None:
            out.append(Trend(title, chart, tuple(sorted(drawn, key=lambda r: r[1].at))))
    return out
