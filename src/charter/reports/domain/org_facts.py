"""What the organisation's documents (the board pack, the management review) say, from its
records: the scorecard (each measure with the count it rests on), the portfolio and value
against plan, posture, body decisions, obligation dates, findings, audit checkpoints, the
risk register's summary and the incidents (board_facts).
Pure: the records and computed views are read by the service and handed over."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from charter.accountability.domain.raci import Finding
from charter.audit.domain.checkpoint import SignedCheckpoint
from charter.bodies.domain import BodyDecision
from charter.frameworks.domain.impact import Due
from charter.governance.domain.waivers import Waiver
from charter.reports.domain import board_facts
from charter.reports.domain.board_facts import IncidentLine, RiskPicture
from charter.reports.domain.documents import Fact, IssuedReport, fact, figure
from charter.scorecard.domain.scorecard import PillarScore
from charter.strategy.domain.kpis import ValueLine
from charter.strategy.domain.strategy import UseCase

Facts = list[Fact]


@dataclass(frozen=True, slots=True)
class Blocked:
    """A system whose next gate is blocked, and why (from governance's posture)."""

    system_id: str
    system: str
    target: str
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Fresh:
    system_id: str
    system: str
    latest: datetime | None
    stale: bool


@dataclass(frozen=True, slots=True)
class OrgRecords:
    now: datetime
    scorecard: Sequence[PillarScore] = ()
    use_cases: Sequence[UseCase] = ()
    value: Sequence[ValueLine] = ()
    blocked: Sequence[Blocked] = ()
    decisions: Sequence[BodyDecision] = ()
    calendar: Sequence[Due] = ()
    findings: Sequence[Finding] = ()
    waivers: Sequence[Waiver] = ()
    freshness: Sequence[Fresh] = ()
    checkpoint: SignedCheckpoint | None = None
    log_size: int = 0
    previous: Sequence[IssuedReport] = ()
    names: Mapping[str, str] = field(default_factory=dict)
    risks: RiskPicture | None = None  # the risk register's summary
    incidents: Sequence[IncidentLine] = ()


def scorecard(r: OrgRecords) -> Facts:
    out = []
    stamp = f"{r.now:%Y-%m-%dT%H:%MZ}"
    for p in r.scorecard:
        out.append(
            figure(
                p.title,
                p.score,
                f"scorecard computed {stamp} from live records",
                fmt="{:.0f}",
                suffix=" / 100",
            )
        )
        for m in p.measures:
            shown = figure(
                f"  {m.title}",
                None if m.value is None else 100 * m.value,
                f"scorecard measure {m.id}: {m.numerator:g} of {m.denominator:g}",
                fmt="{:.0f}",
                suffix="%",
            )
            out.append(
                shown
                if m.value is not None
                else Fact(shown.label, "not measurable (nothing to count)", shown.source)
            )
    return out


def actions(r: OrgRecords) -> Facts:
    return [
        figure(a.text, a.gain, f"scorecard measure {a.measure}", fmt="+{:.0f}", suffix=" points")
        for p in r.scorecard
        for a in p.actions
    ]


def portfolio(r: OrgRecords) -> Facts:
    if not r.use_cases:
        return [fact("Use cases", "none recorded", "use-case register")]
    by_status: dict[str, list[UseCase]] = {}
    for uc in r.use_cases:
        by_status.setdefault(uc.status.value, []).append(uc)
    out = []
    for status, cases in sorted(by_status.items()):
        value = sum(c.expected_value or 0 for c in cases)
        ids = ", ".join(c.id for c in cases[:6]) + (" …" if len(cases) > 6 else "")
        out.append(
            figure(
                f"{status}: {len(cases)} use case(s), expected value per year",
                value,
                f"use cases {ids}",
                fmt="{:,.0f}",
            )
        )
    return out


def value(r: OrgRecords) -> Facts:
    out = []
    for line in r.value:
        title = r.names.get(line.use_case_id, line.use_case_id)
        plan = "no plan" if line.planned is None else f"plan {line.planned:,.0f}"
        f = figure(
            f"{title}: realised over {line.months} month(s)",
            line.realised,
            f"KPI measurements of use case {line.use_case_id}",
            fmt="{:,.0f}",
        )
        out.append(Fact(f.label, f"{f.value} ({plan})", f.source, "", f.number))
    return out


def posture(r: OrgRecords) -> Facts:
    return [
        fact(
            f"{b.system} (gate to {b.target})",
            "; ".join(b.reasons[:4])
            + (f"; and {len(b.reasons) - 4} more" if len(b.reasons) > 4 else ""),
            f"system {b.system_id}, policies in force",
        )
        for b in r.blocked
    ]


def decisions(r: OrgRecords) -> Facts:
    out = []
    for d in sorted(r.decisions, key=lambda d: d.decided_at, reverse=True)[:30]:
        counts = {v: list(d.votes.values()).count(v) for v in ("for", "against", "abstain")}
        votes = ", ".join(f"{n} {k}" for k, n in counts.items() if n)
        result = "carried" if d.carried else "not carried"
        out.append(
            fact(
                f"{d.decided_at:%Y-%m-%d} {r.names.get(d.body_id, d.body_id)}",
                f"{d.title}: {d.outcome}, {result} ({votes})",
                f"body decision {d.id}",
            )
        )
    return out


def obligations(r: OrgRecords) -> Facts:
    return [
        fact(
            f"{d.on:%Y-%m-%d} {d.system_name}",
            f"{d.obligation.id} {d.obligation.title} "
            f"({d.obligation.role}); answers: {d.answerable.name or 'nobody named'}"
            + (" — date uncertain" if d.obligation.uncertain else ""),
            f"classification of system {d.system_id}",
        )
        for d in r.calendar[:40]
    ]


def nonconformities(r: OrgRecords) -> Facts:
    out = [
        fact(
            f"RACI finding on {r.names.get(f.system_id, f.system_id)}",
            f"{f.kind.value}: {f.message}",
            f"RACI of system {f.system_id}",
        )
        for f in r.findings
    ]
    out += posture(r)
    out += [
        fact(
            f"Waiver {w.id}",
            f"{w.policy_id}/{w.requirement_id} on "
            f"{r.names.get(w.system_id, w.system_id)} until {w.expires_at:%Y-%m-%d}",
            f"waiver {w.id}",
        )
        for w in r.waivers
        if w.active(r.now)
    ]
    return out


def freshness(r: OrgRecords) -> Facts:
    return [
        fact(
            f.system,
            "no evidence"
            if f.latest is None
            else f"latest {f.latest:%Y-%m-%d}" + (" (stale)" if f.stale else ""),
            f"evidence of system {f.system_id}",
        )
        for f in r.freshness
    ]


def audit(r: OrgRecords) -> Facts:
    if r.checkpoint is None:
        return [fact("Signed checkpoint", "none yet: the audit log is not signed", "audit log")]
    cp = r.checkpoint
    return [
        figure(
            "Events signed by the latest checkpoint",
            cp.size,
            f"audit checkpoint of {cp.created_at:%Y-%m-%d %H:%M}",
            fmt="{:.0f}",
        ),
        figure("Events in the log", r.log_size, "audit log head", fmt="{:.0f}"),
    ]


def previous(r: OrgRecords) -> Facts:
    out = [
        fact(
            "Previous management review", f"issued {i.issued_at:%Y-%m-%d}", f"issued report {i.id}"
        )
        for i in r.previous
    ]
    return out + decisions(r)[:10]


def risks(r: OrgRecords) -> Facts:
    return board_facts.risks(r.risks, r.names)


def incidents(r: OrgRecords) -> Facts:
    return board_facts.incidents(r.incidents, r.now)


RESOLVERS: dict[str, Callable[[OrgRecords], Facts]] = {
    "org.scorecard": scorecard,
    "org.actions": actions,
    "org.portfolio": portfolio,
    "org.value": value,
    "org.posture": posture,
    "org.decisions": decisions,
    "org.obligations": obligations,
    "org.nonconformities": nonconformities,
    "org.freshness": freshness,
    "org.audit": audit,
    "org.previous": previous,
    "org.risks": risks,
    "org.incidents": incidents,
}


def resolve(r: OrgRecords, wanted: set[str]) -> dict[str, Facts]:
    return {name: RESOLVERS[name](r) for name in wanted if name in RESOLVERS}
