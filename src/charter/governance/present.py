"""Presenting gate checks, posture and readiness as JSON-ready data (API and CLI)."""

from __future__ import annotations

from typing import Any

from charter.frameworks.domain.packs import PackReadiness, rollup
from charter.governance.domain.lifecycle import GateResult
from charter.governance.services.gates import GateCheck, SystemPosture
from charter.kernel.present import as_json


def gate(result: GateResult) -> dict[str, Any]:
    return {
        "passed": result.passed,
        "blocking": result.blocking_reasons,
        "results": [as_json(r) for r in result.results],
        "inputs": dict(result.inputs),
    }


def gate_check(check: GateCheck) -> dict[str, Any]:
    return {
        "system": check.system.id,
        "from": check.system.stage.value,
        "to": check.target.value,
        "request": check.request.id if check.request else None,
        **gate(check.result),
        "policies": [as_json(v) for v in check.policies],
    }


def posture(items: list[SystemPosture]) -> dict[str, Any]:
    rows = [
        {
            "system": p.system.id,
            "name": p.system.name,
            "stage": p.system.stage.value,
            "risk_tier": p.system.risk_tier.value,
            "gate": p.target.value,
            "blocking": p.blocking,
            "expiring": list(p.expiring),
            "policies": {v.policy_id: v.verdict.value for v in p.policies},
        }
        for p in items
    ]
    by_policy: dict[str, dict[str, int]] = {}
    for p in items:
        for v in p.policies:
            counts = by_policy.setdefault(v.policy_id, {})
            counts[v.verdict.value] = counts.get(v.verdict.value, 0) + 1
    blocked = sum(1 for p in items if p.blocking)
    return {"systems": rows, "policies": by_policy, "total": len(rows), "blocked": blocked}


def readiness_report(items: list[PackReadiness], detail: bool) -> dict[str, Any]:
    """Per system and pack the counts (and, with detail, each requirement); per pack the
    organisation's roll-up."""
    rows = []
    for r in items:
        counts = {k: r.count(k) for k in ("satisfied", "open", "not_yet", "not_applicable")}
        row: dict[str, Any] = {
            "system": r.system_id,
            "name": r.system_name,
            "pack": r.pack_id,
            "applicable": r.applicable,
            **counts,
        }
        if detail:
            row["requirements"] = [as_json(i) for i in r.items if i.status != "not_applicable"]
        rows.append(row)
    return {"items": rows, "packs": rollup(items)}
