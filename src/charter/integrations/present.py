"""The integrations' results as JSON-ready data (the API's answers, the CLI's --json)."""

from __future__ import annotations

from typing import Any

from charter.integrations.domain.sheets import Problem
from charter.integrations.services.imports import ImportReport
from charter.kernel.present import as_json


def problems_json(problems: list[Problem]) -> list[dict[str, Any]]:
    return [
        {"sheet": p.sheet, "row": p.row, "column": p.column, "problem": p.message} for p in problems
    ]


def import_json(report: ImportReport) -> dict[str, Any]:
    return {
        "source": report.source,
        "dry_run": report.dry_run,
        "committed": report.committed,
        "counts": report.counts,
        "outcomes": as_json(report.outcomes),
        "errors": problems_json(report.problems),
    }
