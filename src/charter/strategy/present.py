"""Presenting the portfolio, roadmap, KPIs and value as JSON-ready data (API and CLI)."""

from __future__ import annotations

from typing import Any

from charter.inventory import services as inventory
from charter.kernel.access import Actor
from charter.kernel.present import as_json
from charter.kernel.web import charts
from charter.strategy.domain.roadmap import RoadmapItem
from charter.strategy.domain.scoring import Score, ScoringModel
from charter.strategy.domain.strategy import UseCase
from charter.strategy.ports import Context
from charter.strategy.services import portfolio
from charter.strategy.services.kpis import KpiView, ValueReport
from charter.strategy.services.portfolio import Portfolio


def scored(use_case: UseCase, found: Score, rank: int | None = None) -> dict[str, Any]:
    return {
        **as_json(use_case),
        "planned_value": use_case.planned_value,
        "expected_value": use_case.expected_value,
        "rank": rank,
        "score": as_json(found),
    }


def model_json(model: ScoringModel) -> dict[str, Any]:
    return as_json(model)  # type: ignore[no-any-return]


def portfolio_json(p: Portfolio) -> dict[str, Any]:
    return {
        "model": model_json(p.model),
        "items": [scored(p.use_case(r), r.score, r.rank) for r in p.ranked],
        "balance": {
            b.dimension: [
                {
                    "key": key,
                    "use_cases": n,
                    "expected_value": value,
                    "without_estimate": b.unestimated.get(key, 0),
                }
                for key, n, value in b.rows
            ]
            for b in p.balance
        },
    }


def roadmap_json(items: list[RoadmapItem]) -> dict[str, Any]:
    return {
        "items": [
            {
                "use_case": i.use_case.id,
                "title": i.use_case.title,
                "status": i.use_case.status.value,
                "start_quarter": i.use_case.start_quarter,
                "end_quarter": i.use_case.end_quarter,
                "depends_on": list(i.use_case.depends_on),
                "systems": [
                    {"id": s.id, "name": s.name, "stage": s.stage.value} for s in i.systems
                ],
                "findings": list(i.findings),
            }
            for i in items
        ]
    }


def kpi_json(view: KpiView) -> dict[str, Any]:
    return {
        **as_json(view.kpi),
        "business_unit_id": view.business_unit_id,
        "latest": view.latest,
        "progress": view.progress,
        "alert": as_json(view.alert) if view.alert else None,
        "measurements": [
            {
                "period": m.period.isoformat(),
                "value": m.value,
                "note": m.note,
                "recorded_by": m.recorded_by,
                "recorded_at": m.recorded_at.isoformat(),
                "source": m.source,
                "stated_source": m.stated_source,
            }
            for m in view.series
        ],
    }


def value_json(report: ValueReport) -> dict[str, Any]:
    return {
        "use_cases": [{**as_json(line), "shortfall": line.shortfall} for line in report.lines],
        "business_units": [{**as_json(u), "net_return": u.net_return} for u in report.by_unit],
        "alerts": [as_json(a) for a in report.alerts],
    }


def names_of(ctx: Context, who: Actor) -> dict[str, str]:
    """Display names of units, people, objectives, use cases and systems, by id."""
    found = inventory.names(ctx, who)  # every unit and person, the systems `who` may read
    found |= {o.id: o.name for o in portfolio.list_objectives(ctx, who)}
    found |= {u.id: u.title for u in portfolio.list_use_cases(ctx, who)}
    return found


def kpi_charts(views: list[KpiView]) -> list[tuple[KpiView, Any]]:
    return [
        (v, charts.trend([(m.period.isoformat()[:7], m.value) for m in v.series],
                         v.kpi.target, v.kpi.unit, v.kpi.name))
        for v in views
    ]  # fmt: skip
