"""The register's judgement of risks now: each control's latest test (evidence Charter
computed, a governed document, a policy requirement judged now, or a manual test), the
residual rating it leaves, the appetite for the risk and the acceptance that covers it.

`Register` is also what gates read: the unit of work offers it as governance's
`risk_register` port, so a gate judges the same standing the register shows."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from charter.governance.domain.gates import GateFacts, judge_requirement
from charter.governance.domain.policy import Kind, Policy
from charter.governance.domain.risk_view import RiskPosition
from charter.governance.domain.waivers import Document
from charter.governance.services.facts import (
    EVIDENCE_PER_SYSTEM,
    grouped_by,
    parsed,
    read_facts,
)
from charter.inventory.domain import AISystem
from charter.kernel.verdicts import Verdict
from charter.risks.domain.controls import (
    Control,
    Effectiveness,
    Outcome,
    TestKind,
    check_outcome,
    document_outcome,
    effectiveness,
    manual_outcome,
    requirement_outcome,
)
from charter.risks.domain.model import RiskModel
from charter.risks.domain.register import Risk, RiskStatus
from charter.risks.domain.standing import Position, position
from charter.risks.domain.views import gate_view
from charter.risks.ports import UnitOfWork
from charter.validation.domain.evidence import Evidence

#: policy requirement kinds a control may rest on: judged on the system's records now
TESTABLE = frozenset({Kind.EVIDENCE, Kind.DOCUMENT, Kind.ACCOUNTABILITY, Kind.TRAINED})


FactsOf = Callable[[str], GateFacts | None]  # a system's facts already read, or None


class Register:
    """Judges risks over one unit of work with the model in force."""

    def __init__(self, uow: UnitOfWork, model: RiskModel) -> None:
        self._uow, self._model = uow, model

    def positions(
        self,
        systems: Sequence[AISystem],
        now: datetime,
        facts: FactsOf | None = None,
        names: Mapping[str, str] | None = None,
    ) -> Mapping[str, Sequence[RiskPosition]]:
        """Governance's port: the open risks of these systems, by system, judged on the facts
        and names already read where `facts` and `names` give them."""
        ids = frozenset(s.id for s in systems)
        if not ids:
            return {}
        found = self._uow.risks.all(system_id=ids, status=RiskStatus.OPEN)
        out: dict[str, list[RiskPosition]] = {}
        for p in self.judge(found, now, _Known(systems, facts, names)):
            out.setdefault(p.risk.system_id or "", []).append(gate_view(p))
        return out

    def judge(
        self, risks: Sequence[Risk], now: datetime, known: _Known | None = None
    ) -> list[Position]:
        """Each risk's position now, in the order given."""
        if not risks:
            return []
        uow, known = self._uow, known or _Known((), None)
        ids = frozenset(r.id for r in risks)
        links = uow.control_links.all(risk_id=ids)
        controls = self.effectiveness(frozenset(x.control_id for x in links), now, known)
        acceptances = uow.risk_acceptances.all(risk_id=ids)
        statements = uow.risk_appetites.all()
        tiers = self._tiers(risks, known)
        names = known.names(uow, frozenset(r.owner_id for r in risks))
        out = []
        for risk in risks:
            mine = [controls[x.control_id] for x in links if x.risk_id == risk.id]
            mine.sort(key=lambda pair: pair[0].title)
            out.append(position(
                self._model, risk, tiers.get(risk.id, "*"), mine, statements, acceptances, now,
                names.get(risk.owner_id, ""),
            ))  # fmt: skip
        return out

    def _tiers(self, risks: Sequence[Risk], known: _Known) -> dict[str, str]:
        """The EU AI Act tier a risk's appetite is read for: its system's, its use case's
        screening, or "*" for the organisation's own risks."""
        uow = self._uow
        systems = known.systems(uow, frozenset(r.system_id for r in risks if r.system_id))
        tier = {s.id: s.risk_tier.value for s in systems.values()}
        out = {r.id: tier[r.system_id] for r in risks if r.system_id in tier}
        for r in risks:
            if r.use_case_id and not r.system_id:
                case = uow.use_cases.get(r.use_case_id)
                out[r.id] = (case.screening_tier if case else None) or "unclassified"
        return out

    def effectiveness(
        self, control_ids: frozenset[str], now: datetime, known: _Known | None = None
    ) -> dict[str, tuple[Control, Effectiveness]]:
        """Each control with how it stands on its latest test."""
        if not control_ids:
            return {}
        controls = self._uow.controls.all(id=control_ids)
        outcomes = self._outcomes(controls, now, known or _Known((), None))
        return {c.id: (c, effectiveness(c, outcomes[c.id], now)) for c in controls}

    def _outcomes(
        self, controls: Sequence[Control], now: datetime, known: _Known
    ) -> dict[str, Outcome]:
        uow = self._uow
        seen = known.read(uow, controls, now)
        manual = [c.id for c in controls if c.kind is TestKind.MANUAL]
        tests = uow.control_tests.all(control_id=frozenset(manual)) if manual else []
        wanted = frozenset(c.policy_id for c in controls if c.kind is TestKind.REQUIREMENT)
        stored = {r.id: parsed(r) for r in uow.policies.all(id=wanted)} if wanted else {}
        out = {}
        for c in controls:
            system = c.system_id or ""
            if c.kind is TestKind.CHECK:
                out[c.id] = check_outcome(c, seen.evidence.get(system, ()))
            elif c.kind is TestKind.DOCUMENT:
                out[c.id] = document_outcome(c, seen.documents.get(system, []))
            elif c.kind is TestKind.MANUAL:
                out[c.id] = manual_outcome([t for t in tests if t.control_id == c.id])
            else:
                found = seen.facts.get(system)
                out[c.id] = _requirement(c, now, stored.get(c.policy_id or ""), found)
        return out


@dataclass(frozen=True, slots=True)
class _Seen:
    """By system: evidence (newest first), documents (newest first), and the facts a policy
    requirement is judged on (without waivers)."""

    evidence: Mapping[str, Sequence[Evidence]]
    documents: Mapping[str, Sequence[Document]]
    facts: Mapping[str, GateFacts]


class _Known:
    """What the caller already read of some systems: the systems and their facts (without
    waivers); what it did not is read here, for all the systems missing at once."""

    def __init__(
        self,
        systems: Sequence[AISystem],
        facts: FactsOf | None,
        names: Mapping[str, str] | None = None,
    ) -> None:
        self._systems = {s.id: s for s in systems}
        self._facts = facts or (lambda system_id: None)
        self._names = dict(names or {})

    def names(self, uow: UnitOfWork, ids: frozenset[str]) -> dict[str, str]:
        """These people's names (of those stored)."""
        if missing := ids - self._names.keys():
            self._names.update((p.id, p.name) for p in uow.people.all(id=missing))
        return {i: self._names[i] for i in ids if i in self._names}

    def systems(self, uow: UnitOfWork, ids: frozenset[str]) -> dict[str, AISystem]:
        missing = ids - self._systems.keys()
        if missing:
            self._systems.update((s.id, s) for s in uow.systems.all(id=missing))
        return {i: self._systems[i] for i in ids if i in self._systems}

    def read(self, uow: UnitOfWork, controls: Sequence[Control], now: datetime) -> _Seen:
        """What the controls' tests read: given where the caller read it, else read here
        (evidence and documents alone unless a policy requirement needs every fact)."""

        def on(kind: TestKind) -> frozenset[str]:
            return frozenset(c.system_id for c in controls if c.kind is kind and c.system_id)

        checked, documented, judged = (
            on(TestKind.CHECK),
            on(TestKind.DOCUMENT),
            on(TestKind.REQUIREMENT),
        )
        found = (self._facts(i) for i in checked | documented | judged)
        given = {f.system.id: f for f in found if f is not None}
        facts = {i: f for i, f in given.items() if i in judged}
        missing = self.systems(uow, judged - given.keys())
        if missing:
            read = read_facts(uow, list(missing.values()), now, risks=False)
            facts |= {i: replace(read.facts(s, now), waivers=()) for i, s in missing.items()}
        evidence = {i: f.evidence for i, f in given.items()}
        if checked := checked - given.keys():
            evidence |= uow.evidence.latest(EVIDENCE_PER_SYSTEM, checked)
        documents = {i: f.documents for i, f in given.items()}
        if documented := documented - given.keys():
            stored = uow.documents.all(system_id=documented)
            newest = sorted(stored, key=lambda d: d.attached_at, reverse=True)
            documents |= grouped_by(newest, "system_id")
        return _Seen(evidence, documents, facts)


def _requirement(
    control: Control, now: datetime, policy: Policy | None, facts: GateFacts | None
) -> Outcome:
    """The policy requirement judged on the system now, without waivers; every requirement
    of a stored policy whose text does not match its recorded version fails, saying so."""
    wanted = policy.requirements if policy else ()
    if edited := [r.title for r in wanted if r.kind is Kind.INTEGRITY]:
        return requirement_outcome(Verdict.NOT_SATISFIED, edited[0], now)
    req = next((r for r in wanted if r.id == control.requirement_id), None)
    if policy is None or req is None or facts is None:
        what = f"{control.policy_id}/{control.requirement_id}"
        return requirement_outcome(Verdict.INCONCLUSIVE, f"{what} is not stored", now)
    if req.kind not in TESTABLE:
        reason = f"a {req.kind.value} requirement cannot test a control"
        return requirement_outcome(Verdict.INCONCLUSIVE, reason, now)
    found = judge_requirement(policy, req, facts)
    return requirement_outcome(found.verdict, found.reason, now)
