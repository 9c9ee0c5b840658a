"""Presenting talent, adoption and the scorecard as JSON-ready data (API and CLI)."""

from __future__ import annotations

from typing import Any

from charter.kernel.present import as_json
from charter.people.domain.adoption import TrendPoint
from charter.people.services.adoption import AdoptionView
from charter.people.services.talent import TalentView


def talent_json(view: TalentView) -> dict[str, Any]:
    coverage = {
        "by_role": [{**as_json(c), "share": c.share} for c in view.by_role],
        "by_business_unit": [{**as_json(c), "share": c.share} for c in view.by_unit],
    }
    return {
        **{
            k: as_json(getattr(view, k))
            for k in ("skills", "courses", "needs", "gaps", "renewals", "self_recorded")
        },
        "demand": [{**as_json(d), "short": d.short} for d in view.demand],
        "gaps_by_business_unit": {k: dict(v) for k, v in view.by_team.items()},
        "literacy": coverage,
    }


def _series(points: list[TrendPoint]) -> list[dict[str, Any]]:
    return [{**as_json(p), "share": p.share} for p in points]


def adoption_json(view: AdoptionView) -> dict[str, Any]:
    return {
        "overall": _series(view.overall()),
        "by_business_unit": {k: _series(v) for k, v in view.by_unit().items()},
        "by_system": {k: _series(v) for k, v in view.by_system().items()},
        "surveys": as_json(list(view.surveys)),
        "communications": as_json(list(view.communications)),
    }
