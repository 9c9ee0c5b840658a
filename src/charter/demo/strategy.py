"""The demo's portfolio: objectives, use cases in every quadrant and status (decided by the
people entitled to), a roadmap with dependencies, and KPIs with a year of measurements,
some short of plan. Built through the same services as every interface."""

from __future__ import annotations

import json
import random
from datetime import date
from importlib import resources
from typing import TYPE_CHECKING, Any

from charter.frameworks.files import classification_data
from charter.strategy.domain.kpis import Reading
from charter.strategy.domain.strategy import PortfolioDecision
from charter.strategy.services import intake as strategy
from charter.strategy.services import kpis

if TYPE_CHECKING:
    from charter.demo.build import Demo

PLANNER = "elena"  # Head of AI Delivery: program manager organisation-wide
MEASURER = "jonas"  # the ML engineer whose pipelines push KPI measurements


def load_strategy() -> dict[str, Any]:
    text = resources.files("charter.demo").joinpath("strategy.json").read_text("utf-8")
    spec: dict[str, Any] = json.loads(text)
    return spec


def _intake(demo: Demo, u: dict[str, Any]) -> dict[str, Any]:
    feasibility, risk, fit = u["ratings"]
    fields: dict[str, Any] = {
        "title": u["title"],
        "description": u["description"],
        "objective_id": demo.ids[f"objective:{u['objective']}"],
        "business_unit_id": demo.ids[u["unit"]],
        "estimates": [
            {"kind": k, "amount": amount, "confidence": c}
            for k, amount, c in u.get("estimates", [])
        ],
        "cost_estimate": u.get("cost"),
        "time_to_value_months": u.get("months"),
        "ratings": {"feasibility": feasibility, "risk": risk, "strategic_fit": fit},
        "skills_needed": u.get("skills", []),
        "data_needed": u.get("data", ""),
        "screening": u.get("screening", {}),
    }
    if u.get("sponsor"):
        fields["sponsor_id"] = demo.ids[u["sponsor"]]
    return fields


def _use_case(demo: Demo, u: dict[str, Any]) -> None:
    ctx, planner = demo.ctx, demo.actor(PLANNER)
    item, _ = strategy.submit_use_case(
        ctx, demo.actor(u["by"]), classification_data(), **_intake(demo, u)
    )
    demo.ids[f"use_case:{u['key']}"] = item.id
    for step in ("decision", "then"):
        if step in u:
            decision, who, reason = u[step]
            strategy.decide_use_case(
                ctx, demo.actor(who), item.id, PortfolioDecision(decision), reason
            )
    for system in u.get("systems", []):
        strategy.link_system(ctx, planner, item.id, demo.ids[system])


def _plans(demo: Demo, cases: list[dict[str, Any]]) -> None:
    for u in cases:
        if "plan" in u:
            deps = tuple(demo.ids[f"use_case:{d}"] for d in u.get("depends_on", []))
            start, end = u["plan"]
            use_case = demo.ids[f"use_case:{u['key']}"]
            strategy.plan_use_case(demo.ctx, demo.actor(PLANNER), use_case, start, end, deps)


def months_before(today: date, count: int) -> list[str]:
    """The `count` whole months before today's, oldest first (YYYY-MM)."""
    index = today.year * 12 + today.month - 1
    return [f"{(i - 1) // 12}-{(i - 1) % 12 + 1:02d}" for i in range(index - count + 1, index + 1)]


def _series(spec: dict[str, Any], kpi_id: str, today: date) -> list[Reading]:
    start, end, noise = spec["series"]
    periods = months_before(today, spec.get("months", 12))
    wobble = random.Random(spec["name"] + spec.get("use_case", spec.get("system", "")))
    out = []
    for i, period in enumerate(periods):
        trend = start + (end - start) * i / max(len(periods) - 1, 1)
        value = round(trend * (1 + wobble.uniform(-noise, noise)), 2)
        out.append(Reading(kpi_id, period, value))
    return out


def _kpi(demo: Demo, spec: dict[str, Any]) -> list[Reading]:
    fields: dict[str, Any] = {
        k: spec[k] for k in ("name", "unit", "direction", "target", "baseline", "tracks",
                             "alert_after") if k in spec
    }  # fmt: skip
    if "use_case" in spec:
        fields["use_case_id"] = demo.ids[f"use_case:{spec['use_case']}"]
    else:
        fields["system_id"] = demo.ids[spec["system"]]
    kpi = kpis.define_kpi(demo.ctx, demo.actor(PLANNER), owner_id=demo.ids[spec["owner"]], **fields)
    return _series(spec, kpi.id, demo.ctx.clock().date())


def build_portfolio(demo: Demo) -> None:
    spec = load_strategy()
    for o in spec["objectives"]:
        item = strategy.create_objective(
            demo.ctx, demo.actor("amara"), o["name"], o["description"], demo.ids[o["owner"]]
        )
        demo.ids[f"objective:{o['key']}"] = item.id
    for u in spec["use_cases"]:
        _use_case(demo, u)
    _plans(demo, spec["use_cases"])
    readings = [r for k in spec["kpis"] for r in _kpi(demo, k)]
    kpis.record_measurements(demo.ctx, demo.actor(MEASURER), readings, "demo")
