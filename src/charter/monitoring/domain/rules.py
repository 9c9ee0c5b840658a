"""Monitoring rules as data (monitoring/data/rules.yaml, or CHARTER_MONITORING_RULES_FILE):
triggers that raise a review when a check's values stay past a limit for N runs, and how old a
system's evidence may be at each stage. Checked by the schema beside the file."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from charter.inventory.domain import LifecycleStage
from charter.kernel.verdicts import Verdict
from charter.monitoring.domain.monitors import ReviewKind, Series


@dataclass(frozen=True, slots=True)
class Trigger:
    id: str
    title: str
    metrics: frozenset[str]  # empty: any metric
    above: float | None  # a value above this counts; None: a verdict not satisfied counts
    runs: int  # for this many runs in a row
    raise_kind: ReviewKind
    cites: tuple[str, ...]

    def fires(self, found: Series) -> bool:
        if self.metrics and found.metric not in self.metrics:
            return False
        last = found.points[-self.runs :]
        if len(last) < self.runs:
            return False
        if self.above is not None:
            return all(p.value is not None and p.value > self.above for p in last)
        return all(p.verdict is not Verdict.SATISFIED for p in last)


@dataclass(frozen=True, slots=True)
class Freshness:
    id: str
    title: str
    stages: frozenset[LifecycleStage]
    max_age: timedelta
    raise_review: bool
    cites: tuple[str, ...]

    def stale(self, stage: LifecycleStage, latest: datetime | None, now: datetime) -> bool:
        return stage in self.stages and (latest is None or now - latest > self.max_age)


@dataclass(frozen=True, slots=True)
class Rules:
    triggers: tuple[Trigger, ...]
    freshness: tuple[Freshness, ...]


def parse_rules(raw: Mapping[str, Any]) -> Rules:
    """Rules from data already checked against the schema."""
    triggers = tuple(
        Trigger(
            t["id"],
            t["title"],
            frozenset(t["when"].get("metrics", [])),
            t["when"].get("above"),
            int(t["when"]["runs"]),
            ReviewKind(t["raise"]),
            tuple(t.get("cites", [])),
        )
        for t in raw.get("triggers", [])
    )
    freshness = tuple(
        Freshness(
            f["id"],
            f["title"],
            frozenset(LifecycleStage(s) for s in f["stages"]),
            timedelta(days=int(f["max_age_days"])),
            bool(f.get("raise_review", False)),
            tuple(f.get("cites", [])),
        )
        for f in raw.get("freshness", [])
    )
    return Rules(triggers, freshness)


def fired(rules: Rules, found: Sequence[Series]) -> list[tuple[Trigger, Series]]:
    return [(t, s) for t in rules.triggers for s in found if t.fires(s)]
