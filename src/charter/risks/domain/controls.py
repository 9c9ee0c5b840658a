"""Controls that are tested, not declared. A control names how it is tested: a validation
check (evidence Charter computes), a document and the roles that must approve it, a policy
requirement, or a manual test recorded with its evidence. Its state follows from the latest
test and its age: effective, stale, failing or untested."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from charter.governance.domain.waivers import Document
from charter.kernel.errors import InvalidInput
from charter.kernel.roles import RoleKind
from charter.kernel.verdicts import Verdict
from charter.risks.domain.model import ControlState
from charter.validation.domain.evidence import CheckResult, Evidence


class TestKind(StrEnum):
    CHECK = "check"  # a validation check on the system's evidence
    DOCUMENT = "document"  # a governed document, approved in one of the roles named
    REQUIREMENT = "requirement"  # a requirement of a policy, judged on the system now
    MANUAL = "manual"  # a person tests it and records the result with its evidence


@dataclass(frozen=True, slots=True)
class Control:
    id: str
    title: str
    kind: TestKind
    owner_id: str
    created_at: datetime
    created_by: str
    system_id: str | None = None  # the system whose evidence tests it (None: manual only)
    description: str = ""
    check_id: str | None = None  # check: the check's id in its suite, or
    metric: str | None = None  # the metric (the worst of its checks counts)
    document: str | None = None  # document: its kind, and
    approvers: tuple[RoleKind, ...] = ()  # the roles whose approval counts
    policy_id: str | None = None  # requirement
    requirement_id: str | None = None
    max_age_days: int = 90  # a test older than this is stale

    @property
    def test(self) -> str:
        """How the control is tested, in a few words."""
        if self.kind is TestKind.CHECK:
            return f"check {self.check_id or self.metric}"
        if self.kind is TestKind.DOCUMENT:
            return f"{self.document} approved by {'/'.join(r.value for r in self.approvers)}"
        if self.kind is TestKind.REQUIREMENT:
            return f"requirement {self.policy_id}/{self.requirement_id}"
        return "manual test"


@dataclass(frozen=True, slots=True)
class ControlLink:
    """A control mitigates a risk (one control may mitigate several)."""

    id: str
    risk_id: str
    control_id: str
    linked_at: datetime
    linked_by: str


@dataclass(frozen=True, slots=True)
class ControlTest:
    """A manual test of a control, with its evidence."""

    id: str
    control_id: str
    passed: bool
    tested_at: datetime
    tested_by: str
    evidence: str  # a link or a reference to where the evidence is kept
    recorded_at: datetime
    note: str = ""


@dataclass(frozen=True, slots=True)
class Outcome:
    """The latest test of a control, whatever its kind: passed, failed, or None (nothing to
    judge: no test, or an inconclusive one)."""

    passed: bool | None
    at: datetime | None
    basis: str | None  # the evidence, document, requirement or test it rests on
    detail: str


@dataclass(frozen=True, slots=True)
class Effectiveness:
    state: ControlState
    reason: str
    tested_at: datetime | None = None
    basis: str | None = None


def control_problems(control: Control) -> list[str]:
    """What a control's test is missing, all at once."""
    problems = [] if control.title.strip() else ["title must not be empty"]
    if not 1 <= control.max_age_days <= 731:
        problems.append("max_age_days is from 1 to 731")
    needs = {
        TestKind.CHECK: ((control.check_id or control.metric), "a check or a metric"),
        TestKind.DOCUMENT: (
            control.document and control.approvers, "a document kind and approvers"
        ),
        TestKind.REQUIREMENT: (control.policy_id and control.requirement_id,
                               "a policy and a requirement"),
        TestKind.MANUAL: (True, ""),
    }  # fmt: skip
    given, what = needs[control.kind]
    if not given:
        problems.append(f"a {control.kind.value} control names {what}")
    if control.kind is not TestKind.MANUAL and not control.system_id:
        problems.append(f"a {control.kind.value} control is tested on a system: name it")
    return problems


def check_control(control: Control) -> Control:
    problems = control_problems(control)
    if problems:
        raise InvalidInput("; ".join(problems), details={"errors": problems})
    return control


def _matching(control: Control, result: CheckResult) -> bool:
    if control.check_id is not None:
        return result.check_id == control.check_id
    return result.metric == control.metric


def check_outcome(control: Control, evidence: Sequence[Evidence]) -> Outcome:
    """The newest evidence (newest first) holding the check: passed when every matching
    result is satisfied, failed when one is not satisfied, else inconclusive."""
    what = control.check_id or control.metric
    for ev in evidence:
        found = [r for r in ev.results if _matching(control, r)]
        if not found:
            continue
        verdicts = {r.verdict for r in found}
        if Verdict.NOT_SATISFIED in verdicts:
            bad = next(r for r in found if r.verdict is Verdict.NOT_SATISFIED)
            shown = "no value" if bad.value is None else f"{bad.value:.4g}"
            return Outcome(False, ev.recorded_at, ev.id, f"{bad.check_id} = {shown}, not satisfied")
        if verdicts == {Verdict.SATISFIED}:
            return Outcome(True, ev.recorded_at, ev.id, f"{what} satisfied")
        return Outcome(None, ev.recorded_at, ev.id, f"{what} inconclusive")
    return Outcome(None, None, None, f"no evidence of {what} on the system")


def document_outcome(control: Control, documents: Sequence[Document]) -> Outcome:
    """Newest first: passed when a document of the kind is approved in one of the roles named;
    failed when it is missing or awaits that approval (the control is not in place)."""
    docs = [d for d in documents if d.kind == control.document]
    approved = [d for d in docs if d.approved_role in control.approvers and d.approved_at]
    if approved:
        d = approved[0]
        role = d.approved_role.value if d.approved_role else ""
        return Outcome(True, d.approved_at, d.id, f"{d.kind} {d.id} approved as {role}")
    if docs:
        return Outcome(False, None, docs[0].id, f"{control.document} {docs[0].id} awaits approval")
    return Outcome(False, None, None, f"no {control.document} attached")


def requirement_outcome(verdict: Verdict, reason: str, now: datetime) -> Outcome:
    """A policy requirement judged now (waivers left out: a waiver does not make a control
    work). Its own rules say how old its evidence may be."""
    if verdict is Verdict.SATISFIED:
        return Outcome(True, now, None, reason)
    if verdict is Verdict.NOT_SATISFIED:
        return Outcome(False, now, None, reason)
    return Outcome(None, None, None, reason)


def manual_outcome(tests: Sequence[ControlTest]) -> Outcome:
    if not tests:
        return Outcome(None, None, None, "no test recorded")
    last = max(tests, key=lambda t: (t.tested_at, t.recorded_at))
    result = "passed" if last.passed else "failed"
    return Outcome(last.passed, last.tested_at, last.id, f"{result}: {last.evidence}")


def effectiveness(control: Control, outcome: Outcome, now: datetime) -> Effectiveness:
    """Failing when the latest test failed (however old), untested without a conclusive
    test, stale when it passed longer ago than the control's interval, else effective."""
    if outcome.passed is False:
        return Effectiveness(ControlState.FAILING, outcome.detail, outcome.at, outcome.basis)
    if outcome.passed is None or outcome.at is None:
        return Effectiveness(ControlState.UNTESTED, outcome.detail, outcome.at, outcome.basis)
    age = now - outcome.at
    if age > timedelta(days=control.max_age_days):
        reason = f"{outcome.detail}; {age.days} days ago, at most {control.max_age_days}"
        return Effectiveness(ControlState.STALE, reason, outcome.at, outcome.basis)
    return Effectiveness(ControlState.EFFECTIVE, outcome.detail, outcome.at, outcome.basis)
