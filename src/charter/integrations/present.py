"""The integrations' results as JSON-ready data (the API's answers, the CLI's --json)."""

from __future__ import annotations

from typing import Any

from charter.frameworks.present import due
from charter.integrations.domain.discovery import Draft, Finding
from charter.integrations.domain.records import LineageNode, Proposal, ReportedEvidence
from charter.integrations.domain.sheets import Problem
from charter.integrations.services.bom import BomReport
from charter.integrations.services.imports import ImportReport
from charter.integrations.services.lineage import Impact, Recorded
from charter.integrations.services.mlflow import SyncReport
from charter.kernel.present import as_json
from charter.validation.domain.evidence import EvidenceReview


def problems_json(problems: list[Problem]) -> list[dict[str, Any]]:
    return [
        {"sheet": p.sheet, "row": p.row, "column": p.column, "problem": p.message,
         "loc": [p.sheet, *([str(p.row)] if p.row else []), *([p.column] if p.column else [])],
         "msg": p.message}
        for p in problems
    ]  # fmt: skip


def import_json(report: ImportReport) -> dict[str, Any]:
    return {
        "source": report.source,
        "dry_run": report.dry_run,
        "committed": report.committed,
        "counts": report.counts,
        "outcomes": as_json(report.outcomes),
        "errors": problems_json(report.problems),
    }


def recorded_json(found: Recorded) -> dict[str, Any]:
    return {"run_id": found.run_id, "job": found.job, "nodes_created": found.nodes_created,
            "edges": found.edges}  # fmt: skip


def _node(n: LineageNode) -> dict[str, Any]:
    return {
        "kind": n.kind.value, "namespace": n.namespace, "name": n.name,
        "dataset_id": n.dataset_id, "model_id": n.model_id, "system_id": n.system_id,
        "last_seen": n.last_seen.isoformat(),
    }  # fmt: skip


def impact_json(found: Impact) -> dict[str, Any]:
    d = found.dataset
    return {
        "dataset": {"id": d.id, "name": d.name} if d else None,
        "lineage": found.addresses,
        "downstream": [_node(n) for n in found.nodes],
        "models": [{"id": m.id, "name": m.name, "system_id": m.system_id} for m in found.models],
        "systems": [
            {"id": s.id, "name": s.name, "stage": s.stage.value, "risk_tier": s.risk_tier.value}
            for s in found.systems
        ],
        "use_cases": [
            {"id": u.id, "title": u.title, "status": u.status.value} for u in found.use_cases
        ],
        "accountable": as_json(found.accountable),
        "obligations": [due(o) for o in found.obligations],
        "hidden_systems": found.hidden,
    }


def review_json(r: EvidenceReview) -> dict[str, Any]:
    return dict(as_json(r))


def reviews_json(found: list[EvidenceReview]) -> dict[str, Any]:
    return {"items": [review_json(r) for r in found], "total": len(found)}


def sync_json(found: SyncReport, dry_run: bool) -> dict[str, Any]:
    return {
        "url": found.url, "dry_run": dry_run, "committed": found.committed,
        "created": found.created, "flagged": found.flagged,
        "skipped": [{"model": m, "why": why} for m, why in found.skipped],
    }  # fmt: skip


def reported_json(r: ReportedEvidence) -> dict[str, Any]:
    """Metrics a registry reported: marked as such, never Charter's own evidence."""
    return {**as_json(r), "reported_by": "MLflow", "computed_by_charter": False}


def bom_report_json(found: BomReport) -> dict[str, Any]:
    counts: dict[str, dict[str, int]] = {}
    for o in found.outcomes:
        counts.setdefault(o.kind, {}).setdefault(o.action, 0)
        counts[o.kind][o.action] += 1
    return {
        "serial": found.serial, "vendor": found.vendor, "dry_run": found.dry_run,
        "committed": found.committed, "counts": counts, "outcomes": as_json(found.outcomes),
    }  # fmt: skip


def drafts_json(root: str, files: int, found: list[Finding], drafts: list[Draft],
                skipped: list[str]) -> dict[str, Any]:  # fmt: skip
    return {
        "root": root, "files_scanned": files, "findings": as_json(found),
        "proposals": as_json(drafts), "skipped": skipped, "recorded": False,
    }  # fmt: skip


def proposal_json(p: Proposal) -> dict[str, Any]:
    return dict(as_json(p))


def proposals_json(found: list[Proposal]) -> dict[str, Any]:
    return {"items": [proposal_json(p) for p in found], "total": len(found)}
