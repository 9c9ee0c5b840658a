"""Evidence rows: check results kept as JSON beside the columns that index them."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import UTC
from functools import cache
from typing import Any

from sqlalchemy import Connection, Select, bindparam, func, insert, select

from charter.kernel.verdicts import Verdict
from charter.validation.domain.evidence import CheckResult, Evidence, GroupRate
from charter.validation.domain.suite import Severity
from charter.validation.tables import evidence

_SEVERITY = {s.value: s for s in Severity}
_VERDICT = {v.value: v for v in Verdict}


def _result(raw: dict[str, Any]) -> CheckResult:
    interval = raw.get("interval")
    return CheckResult(
        raw["check_id"],
        raw["metric"],
        raw["value"],
        raw["minimum"],
        raw["maximum"],
        _SEVERITY[raw["severity"]],
        _VERDICT[raw["verdict"]],
        raw.get("note", ""),
        tuple(interval) if interval else None,
        raw.get("bound"),
        tuple(GroupRate(**g) for g in raw.get("groups") or ()),
    )


class SqlEvidenceRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, item: Evidence) -> None:
        # the results converted once (asdict of the evidence would convert them twice)
        row = {f.name: getattr(item, f.name) for f in fields(item)}
        row["results"] = [
            {**asdict(r), "severity": r.severity.value, "verdict": r.verdict.value}
            for r in item.results
        ]
        self._conn.execute(insert(evidence).values(**row, passed=item.passed))

    def get(self, ident: str) -> Evidence | None:
        found = self._conn.execute(select(evidence).where(evidence.c.id == ident)).mappings()
        row = found.first()
        return _evidence(row) if row else None

    def for_system(self, system_id: str, limit: int = 100) -> list[Evidence]:
        query = (
            select(evidence)
            .where(evidence.c.system_id == system_id)
            .order_by(evidence.c.recorded_at.desc())
            .limit(limit)
        )
        return [_evidence(r) for r in self._conn.execute(query).mappings()]

    def latest(
        self, per_system: int = 20, system_ids: frozenset[str] | None = None
    ) -> dict[str, list[Evidence]]:
        """Every system's (or these systems') most recent evidence, newest first: what gates
        read for many systems at once."""
        params: dict[str, Any] = {"per_system": per_system}
        if system_ids is not None:
            params["ids"] = list(system_ids)
        query = _latest(system_ids is not None)
        out: dict[str, list[Evidence]] = {}
        for r in self._conn.execute(query, params).mappings():
            out.setdefault(r["system_id"], []).append(_evidence(r))
        for items in out.values():
            items.sort(key=lambda e: e.recorded_at, reverse=True)
        return out


@cache
def _latest(of_some: bool) -> Select[Any]:
    """Each system's newest evidence, ranked (of the systems in `ids` when of_some): built
    once, its values bound at each read."""
    ranked_query = select(
        evidence,
        func.row_number()
        .over(partition_by=evidence.c.system_id, order_by=evidence.c.recorded_at.desc())
        .label("rank"),
    )
    if of_some:
        ranked_query = ranked_query.where(
            evidence.c.system_id.in_(bindparam("ids", expanding=True))
        )
    ranked = ranked_query.subquery()
    return select(ranked).where(ranked.c.rank <= bindparam("per_system"))


def _evidence(r: Any) -> Evidence:
    at = r["recorded_at"] if r["recorded_at"].tzinfo else r["recorded_at"].replace(tzinfo=UTC)
    return Evidence(
        r["id"],
        r["system_id"],
        r["suite_name"],
        r["suite_digest"],
        r["data_fingerprint"],
        r["engine"],
        at,
        r["recorded_by"],
        r["duration_ms"],
        tuple(_result(x) for x in r["results"]),
        r["model_version_id"],
        r["rows"],
        r["suite_source"],
        r["provenance"],
    )
