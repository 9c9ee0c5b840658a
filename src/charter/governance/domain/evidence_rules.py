"""How an evidence requirement is judged: the newest evidence that counts decides, against
the requirement's thresholds (or the check's own); missing or stale evidence, or evidence under
review, is inconclusive, never satisfied."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from charter.governance.domain.policy import Requirement, off_provenance
from charter.kernel.figures import readable
from charter.kernel.verdicts import Verdict
from charter.validation.domain.evidence import CheckResult, Evidence
from charter.validation.domain.suite import DISPARITY

if TYPE_CHECKING:
    from charter.governance.domain.gates import GateFacts

Judged = tuple[Verdict, str, str | None]  # verdict, reason, the record it rests on


def _matching(req: Requirement, result: CheckResult) -> bool:
    if req.check is not None and result.check_id != req.check:
        return False
    return req.metric is None or result.metric == req.metric


def judge_evidence(req: Requirement, facts: GateFacts) -> Judged:
    """The newest evidence that counts decides; newer evidence that does not (another suite,
    too few rows or too small groups, another model version) is named, never judged."""
    passed_over: list[str] = []
    for ev in facts.evidence:
        found = [r for r in ev.results if _matching(req, r)]
        if not found:
            continue
        why_not = _does_not_count(req, ev, found, facts)
        if why_not is not None:
            passed_over.append(f"{ev.id}: {why_not}")
            continue
        verdict, reason, basis = _judged(req, ev, found, facts)
        return verdict, reason + _passed_over(passed_over), basis
    what = req.check or req.metric
    return (
        Verdict.INCONCLUSIVE,
        f"no evidence of {what} for this system" + _passed_over(passed_over),
        None,
    )


def _passed_over(items: list[str]) -> str:
    if not items:
        return ""
    more = f"; and {len(items) - 3} more" if len(items) > 3 else ""
    return "; newer evidence that does not count: " + "; ".join(items[:3]) + more


def _does_not_count(  # noqa: PLR0911 (one reason per rule)
    req: Requirement, ev: Evidence, found: Sequence[CheckResult], facts: GateFacts
) -> str | None:
    """Why this evidence does not count for the requirement, or None when it does."""
    official = req.suite or facts.system.official_suite
    if official and ev.suite_name != official:
        which = "the policy's suite" if req.suite else "not the official suite"
        return f"suite {ev.suite_name!r}, {which} {official!r}"
    if req.suite_digest and ev.suite_digest.lower() != req.suite_digest:
        return f"suite version {ev.suite_digest[:12]}, not {req.suite_digest[:12]}"
    origin = off_provenance(req, ev.provenance, ev.recorded_by)
    if origin is not None:
        return origin
    if req.min_rows is not None and (ev.rows or 0) < req.min_rows:
        rows = "rows not recorded" if ev.rows is None else f"{ev.rows:,} rows"
        return f"{rows}, at least {req.min_rows:,} needed"
    if req.current_model_version and ev.model_version_id != facts.current_model_version:
        return (
            f"model version {ev.model_version_id or 'none'}, the current one is "
            f"{facts.current_model_version or 'none'}"
        )
    if req.min_group_size is not None:
        return _group_sizes(req.min_group_size, found)
    return None


def _group_sizes(least: int, found: Sequence[CheckResult]) -> str | None:
    for r in found:
        if not r.groups:
            return f"{r.check_id} recorded no group sizes"
        small = next((g for g in r.groups if g.compared and g.size < least), None)
        if small is not None:
            return f"group {small.group} has {small.size:,} rows, at least {least:,} needed"
        left = next((g for g in r.groups if not g.compared and g.size >= least), None)
        if left is not None and r.metric in DISPARITY:
            return f"group {left.group} ({left.size:,} rows) was left out of {r.check_id}"
    return None


def _judged(
    req: Requirement, ev: Evidence, found: Sequence[CheckResult], facts: GateFacts
) -> Judged:
    if ev.id in facts.under_review:
        reason = facts.under_review[ev.id]
        return Verdict.INCONCLUSIVE, f"evidence {ev.id} needs review: {reason}", ev.id
    age = facts.now - ev.recorded_at
    if req.max_age_days is not None and age > timedelta(days=req.max_age_days):
        return (
            Verdict.INCONCLUSIVE,
            f"evidence {ev.id} is stale: {age.days} days old, at most {req.max_age_days}",
            ev.id,
        )
    # a metric checked several times (per attribute, say): the worst result decides
    judged = [_threshold(req, r, ev) for r in found]
    for worst in (Verdict.NOT_SATISFIED, Verdict.INCONCLUSIVE):
        hit = next((j for j in judged if j[0] is worst), None)
        if hit is not None:
            return hit
    return judged[0]


def _threshold(req: Requirement, result: CheckResult, ev: Evidence) -> Judged:
    value, evidence_id = result.value, ev.id
    if value is None:
        return Verdict.INCONCLUSIVE, f"{result.check_id} has no value ({result.note})", evidence_id
    low = req.minimum if req.minimum is not None else result.minimum
    high = req.maximum if req.maximum is not None else result.maximum
    bounds = " and ".join(
        x
        for x in (
            f">= {readable(low)}" if low is not None else "",
            f"<= {readable(high)}" if high is not None else "",
        )
        if x
    )
    ok = (low is None or value >= low) and (high is None or value <= high)
    return (
        Verdict.SATISFIED if ok else Verdict.NOT_SATISFIED,
        f"{result.metric} = {readable(value)} (check {result.check_id}, evidence {evidence_id}"
        f"{f', {ev.rows:,} rows' if ev.rows is not None else ''}), needs {bounds or 'a value'}",
        evidence_id,
    )
