"""Presenting the leadership scorecard as JSON-ready data (API and CLI)."""

from __future__ import annotations

from typing import Any

from charter.kernel.present import as_json
from charter.scorecard.domain.scorecard import PillarScore


def pillar_json(p: PillarScore) -> dict[str, Any]:
    return {
        "pillar": p.pillar.value,
        "title": p.title,
        "score": p.score,
        "measures": [{**as_json(m), "value": m.value} for m in p.measures],
        "trend": [{"on": d.isoformat(), "score": s} for d, s in p.trend],
        "actions": as_json(p.actions),
    }
