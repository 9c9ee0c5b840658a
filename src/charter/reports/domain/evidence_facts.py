"""What a system's documents say from its evidence: the newest checks with their thresholds
and verdicts, the data each ran on (its fingerprint), the rates by group with intervals, and
a bias audit's dates and counts. Each figure names its evidence and the data's fingerprint.
Pure."""

from __future__ import annotations

from charter.reports.domain.documents import Fact, figure
from charter.reports.domain.system_records import Facts, SystemRecords
from charter.validation.domain.evidence import CheckResult, Evidence
from charter.validation.domain.suite import AUDIT


def _bounds(c: CheckResult) -> str:
    parts = [
        f">= {c.minimum:g}" if c.minimum is not None else "",
        f"<= {c.maximum:g}" if c.maximum is not None else "",
    ]
    return " and ".join(p for p in parts if p)


def validation(r: SystemRecords) -> Facts:
    """The newest evidence's checks: each value with its thresholds and verdict."""
    if not r.evidence:
        return []
    ev = r.evidence[0]
    out = []
    for c in ev.results:
        f = figure(f"{c.check_id} ({c.metric})", c.value, f"evidence {ev.id}", ev.data_fingerprint)
        interval = (
            f", 95% interval {c.interval[0]:.4g} to {c.interval[1]:.4g}" if c.interval else ""
        )
        value = f"{f.value}{interval}; needs {_bounds(c) or 'a value'}; {c.verdict.value}"
        out.append(Fact(f.label, value, f.source, f.fingerprint, f.number))
    return out


def evidence_data(r: SystemRecords) -> Facts:
    return [
        Fact(
            f"Suite {ev.suite_name} ({ev.recorded_at:%Y-%m-%d})",
            f"engine {ev.engine}; suite digest {ev.suite_digest[:12]}…",
            f"evidence {ev.id}",
            ev.data_fingerprint,
        )
        for ev in r.evidence[:3]
    ]


def groups(r: SystemRecords) -> Facts:
    """Each group's rate behind the newest fairness checks (and each check's interval)."""
    ev = next((e for e in r.evidence if any(c.groups for c in e.results)), None)
    if ev is None:
        return []
    out = []
    for c in ev.results:
        for g in c.groups:
            if not g.compared:
                continue
            f = figure(
                f"{c.check_id}: {g.group} ({g.rate}, n={g.size})",
                g.value,
                f"evidence {ev.id}",
                ev.data_fingerprint,
            )
            out.append(f)
        if c.groups and c.interval:
            out.append(
                figure(
                    f"{c.check_id}: {c.metric} (95% interval {c.interval[0]:.4g} to "
                    f"{c.interval[1]:.4g})",
                    c.value,
                    f"evidence {ev.id}",
                    ev.data_fingerprint,
                )
            )
    return out


def _audit_evidence(r: SystemRecords) -> Evidence | None:
    return next((e for e in r.evidence if any(c.metric in AUDIT for c in e.results)), None)


def audit_date(r: SystemRecords) -> Facts:
    ev = _audit_evidence(r)
    if ev is None:
        return []
    return [
        Fact("Audit date", f"{ev.recorded_at:%Y-%m-%d}", f"evidence {ev.id}", ev.data_fingerprint)
    ]


def audit_counts(r: SystemRecords) -> Facts:
    ev = _audit_evidence(r)
    if ev is None:
        return []
    out = []
    for c in ev.results:
        if c.metric not in AUDIT:
            continue
        sizes = {g.group: g.size for g in c.groups}
        out.append(
            figure(
                f"{c.check_id}: individuals in the categories",
                sum(sizes.values()),
                f"evidence {ev.id}",
                ev.data_fingerprint,
                "{:.0f}",
            )
        )
        if c.note:
            out.append(
                Fact(f"{c.check_id}: note", c.note, f"evidence {ev.id}", ev.data_fingerprint)
            )
    return out


def audit(r: SystemRecords) -> Facts:
    ev = _audit_evidence(r)
    if ev is None:
        return []
    out = []
    for c in ev.results:
        if c.metric not in AUDIT:
            continue
        for g in c.groups:
            left_out = "" if g.compared else " (left out of the impact ratios: under the share)"
            out.append(
                figure(
                    f"{c.check_id}: {g.group} {g.rate} (n={g.size}){left_out}",
                    g.value,
                    f"evidence {ev.id}",
                    ev.data_fingerprint,
                )
            )
        out.append(
            figure(
                f"{c.check_id}: lowest impact ratio",
                c.value,
                f"evidence {ev.id}",
                ev.data_fingerprint,
            )
        )
    return out
