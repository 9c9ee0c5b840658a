"""Presenting gate checks, posture and readiness as JSON-ready data (API and CLI)."""

from __future__ import annotations

from typing import Any

from charter.frameworks.domain.packs import PackReadiness, rollup
from charter.governance.domain.lifecycle import GateResult
from charter.governance.domain.policy import PolicyRecord
from charter.governance.services.facts import Standing, problem_of
from charter.governance.services.gates import GateCheck, SystemPosture
from charter.kernel.present import as_json


def stored_policy(record: PolicyRecord, off_record: str | None = None) -> dict[str, Any]:
    """A stored policy, and whether it is enforced as stored (`problem` says why not): its
    text against its own digest, and (`off_record`) the row against the audit log."""
    problem = problem_of(record, off_record)
    return {**as_json(record), "stored": True, "intact": problem is None, "problem": problem}


def policy_standing(found: Standing) -> dict[str, Any]:
    """A policy as `policy_standings` reports it. One the audit log has in force that is not
    stored (deleted outside Charter) keeps its place in the list, with what the log
    recorded of it, nothing of a row (`source`, `loaded_at`, `loaded_by` null), `stored`
    false and `intact` false: it blocks every gate, as `problem` says."""
    if found.row is not None:
        return stored_policy(found.row, found.off_record)
    return {
        "id": found.policy_id, "title": found.title, "digest": found.digest, "source": None,
        "enabled": True, "loaded_at": None, "loaded_by": None, "stored": False,
        "intact": False, "problem": found.problem or "not stored",
    }  # fmt: skip


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
        "system_name": check.system.name,
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


def percent(satisfied: int, applicable: int) -> float | None:
    """The share satisfied, in percent to one decimal; None when nothing applies."""
    return round(100 * satisfied / applicable, 1) if applicable else None


def readiness_report(items: list[PackReadiness], detail: bool) -> dict[str, Any]:
    """Per system and pack the counts and the share satisfied (and, with detail, each
    requirement, those that do not apply to the system last); per system its totals over
    the packs; per pack the organisation's roll-up."""
    rows: list[dict[str, Any]] = []
    systems: dict[str, dict[str, Any]] = {}
    for r in items:
        counts = {k: r.count(k) for k in ("satisfied", "open", "not_yet", "not_applicable")}
        row: dict[str, Any] = {
            "system": r.system_id, "name": r.system_name, "pack": r.pack_id,
            "applicable": r.applicable, **counts,
            "percent": percent(counts["satisfied"], r.applicable),
        }  # fmt: skip
        if detail:
            order = sorted(r.items, key=lambda i: i.status == "not_applicable")
            row["requirements"] = [as_json(i) for i in order]
        rows.append(row)
        total = systems.setdefault(
            r.system_id, {"system": r.system_id, "name": r.system_name, "packs": 0,
                          "applicable": 0, "satisfied": 0, "open": 0, "not_yet": 0}
        )  # fmt: skip
        total["packs"] += 1
        for key in ("applicable", "satisfied", "open", "not_yet"):
            total[key] += row[key]
    for total in systems.values():
        total["percent"] = percent(total["satisfied"], total["applicable"])
    return {"items": rows, "systems": list(systems.values()), "packs": pack_totals(rollup(items))}


def pack_totals(totals: dict[str, dict[str, int]]) -> dict[str, dict[str, Any]]:
    """The roll-up per pack with the share satisfied."""
    return {
        k: {**v, "percent": percent(v["satisfied"], v["applicable"])} for k, v in totals.items()
    }


def readiness_page_report(
    items: list[PackReadiness],
    total: int,
    limit: int,
    offset: int,
    totals: dict[str, dict[str, int]],
) -> dict[str, Any]:
    """A page of systems' readiness, with how many systems there are and the roll-up per pack
    over all of them (not only the page)."""
    report = readiness_report(items, detail=False)
    return {
        **report,
        "packs": pack_totals(totals),
        "total": total,
        "limit": limit,
        "offset": offset,
    }
