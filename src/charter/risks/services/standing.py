"""The register's judgement of risks now: each control's latest test (evidence Charter
computed, a governed document, a policy requirement judged now, or a manual test), the
residual rating it leaves, the appetite for the risk and the acceptance that covers it.

`Register` is also what gates read: the unit of work offers it as governance's
`risk_register` port, so a gate judges the same standing the register shows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from charter.governance.domain.gates import GateFacts, judge_requirement
from charter.governance.domain.policy import Kind
from charter.governance.domain.risk_view import RiskPosition
from charter.governance.services.gates import base_facts, parsed
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

#: policy requirement kinds a control may rest on: judged on the system's records now
TESTABLE = frozenset({Kind.EVIDENCE, Kind.DOCUMENT, Kind.ACCOUNTABILITY, Kind.TRAINED})


class Register:
    """Judges risks over one unit of work with the model in force."""

    def __init__(self, uow: UnitOfWork, model: RiskModel) -> None:
        self._uow, self._model = uow, model

    def positions(
        self, systems: Sequence[AISystem], now: datetime
    ) -> Mapping[str, Sequence[RiskPosition]]:
        """Governance's port: the open risks of these systems, by system."""
        ids = frozenset(s.id for s in systems)
        if not ids:
            return {}
        found = self._uow.risks.all(system_id=ids, status=RiskStatus.OPEN)
        out: dict[str, list[RiskPosition]] = {}
        for p in self.judge(found, now):
            out.setdefault(p.risk.system_id or "", []).append(gate_view(p))
        return out

    def judge(self, risks: Sequence[Risk], now: datetime) -> list[Position]:
        """Each risk's position now, in the order given."""
        if not risks:
            return []
        uow = self._uow
        ids = frozenset(r.id for r in risks)
        links = uow.control_links.all(risk_id=ids)
        controls = self.effectiveness(frozenset(x.control_id for x in links), now)
        acceptances = uow.risk_acceptances.all(risk_id=ids)
        statements = uow.risk_appetites.all()
        tiers = self._tiers(risks)
        owners = frozenset(r.owner_id for r in risks)
        names = {p.id: p.name for p in uow.people.all(id=owners)}
        out = []
        for risk in risks:
            mine = [controls[x.control_id] for x in links if x.risk_id == risk.id]
            mine.sort(key=lambda pair: pair[0].title)
            out.append(position(
                self._model, risk, tiers.get(risk.id, "*"), mine, statements, acceptances, now,
                names.get(risk.owner_id, ""),
            ))  # fmt: skip
        return out

    def _tiers(self, risks: Sequence[Risk]) -> dict[str, str]:
        """The EU AI Act tier a risk's appetite is read for: its system's, its use case's
        screening, or "*" for the organisation's own risks."""
        uow = self._uow
        systems = frozenset(r.system_id for r in risks if r.system_id)
        tier = {s.id: s.risk_tier.value for s in uow.systems.all(id=systems)} if systems else {}
        out = {r.id: tier[r.system_id] for r in risks if r.system_id in tier}
        for r in risks:
            if r.use_case_id and not r.system_id:
                case = uow.use_cases.get(r.use_case_id)
                out[r.id] = (case.screening_tier if case else None) or "unclassified"
        return out

    def effectiveness(
        self, control_ids: frozenset[str], now: datetime
    ) -> dict[str, tuple[Control, Effectiveness]]:
        """Each control with how it stands on its latest test."""
        if not control_ids:
            return {}
        controls = self._uow.controls.all(id=control_ids)
        outcomes = self._outcomes(controls, now)
        return {c.id: (c, effectiveness(c, outcomes[c.id], now)) for c in controls}

    def _outcomes(self, controls: Sequence[Control], now: datetime) -> dict[str, Outcome]:
        uow = self._uow
        systems = {c.system_id for c in controls if c.kind is not TestKind.MANUAL and c.system_id}
        evidence = {s: uow.evidence.for_system(s, limit=50) for s in systems if any(
            c.kind is TestKind.CHECK and c.system_id == s for c in controls)}  # fmt: skip
        docs = uow.documents.all(system_id=frozenset(systems)) if systems else []
        docs.sort(key=lambda d: d.attached_at, reverse=True)
        manual = [c.id for c in controls if c.kind is TestKind.MANUAL]
        tests = uow.control_tests.all(control_id=frozenset(manual)) if manual else []
        out = {}
        facts: dict[str, GateFacts] = {}  # by system, for the controls a requirement tests
        for c in controls:
            if c.kind is TestKind.CHECK:
                out[c.id] = check_outcome(c, evidence.get(c.system_id or "", ()))
            elif c.kind is TestKind.DOCUMENT:
                out[c.id] = document_outcome(c, [d for d in docs if d.system_id == c.system_id])
            elif c.kind is TestKind.MANUAL:
                out[c.id] = manual_outcome([t for t in tests if t.control_id == c.id])
            else:
                out[c.id] = self._requirement(c, now, facts)
        return out

    def _requirement(self, control: Control, now: datetime, facts: dict[str, GateFacts]) -> Outcome:
        """The policy requirement judged on the system now, without waivers (a waiver does
        not make a control work); `facts` keeps each system's facts once read."""
        uow = self._uow
        record = uow.policies.get(control.policy_id or "")
        system = uow.systems.get(control.system_id or "")
        policy = parsed(record) if record else None
        wanted = policy.requirements if policy else ()
        req = next((r for r in wanted if r.id == control.requirement_id), None)
        if policy is None or req is None or system is None:
            what = f"{control.policy_id}/{control.requirement_id}"
            return requirement_outcome(Verdict.INCONCLUSIVE, f"{what} is not stored", now)
        if req.kind not in TESTABLE:
            reason = f"a {req.kind.value} requirement cannot test a control"
            return requirement_outcome(Verdict.INCONCLUSIVE, reason, now)
        if system.id not in facts:
            facts[system.id] = replace(base_facts(uow, system, now), waivers=())
        found = judge_requirement(policy, req, facts[system.id])
        return requirement_outcome(found.verdict, found.reason, now)
