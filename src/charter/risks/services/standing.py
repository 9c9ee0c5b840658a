"""The register's judgement of risks now: each control's latest test (evidence Charter
computed, a governed document, a policy requirement judged now, or a manual test), the
residual rating it leaves, the appetite for the risk and the acceptance that covers it.

`Register` is also what gates read: the unit of work offers it as governance's
`risk_register` port, so a gate judges the same standing the register shows."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from charter.governance.domain.gates import GateFacts, judge_requirement
from charter.governance.domain.policy import Kind, Policy
from charter.governance.domain.risk_view import RiskPosition
from charter.governance.services.facts import parsed, read_facts
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


FactsOf = Callable[[str], GateFacts | None]  # a system's facts already read, or None


class Register:
    """Judges risks over one unit of work with the model in force."""

    def __init__(self, uow: UnitOfWork, model: RiskModel) -> None:
        self._uow, self._model = uow, model

    def positions(
        self, systems: Sequence[AISystem], now: datetime, facts: FactsOf | None = None
    ) -> Mapping[str, Sequence[RiskPosition]]:
        """Governance's port: the open risks of these systems, by system, judged on the facts
        already read of them where `facts` gives them."""
        ids = frozenset(s.id for s in systems)
        if not ids:
            return {}
        found = self._uow.risks.all(system_id=ids, status=RiskStatus.OPEN)
        out: dict[str, list[RiskPosition]] = {}
        for p in self.judge(found, now, _Known(systems, facts)):
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
        tested = frozenset(c.system_id for c in controls if c.system_id and (
            c.kind is not TestKind.MANUAL))  # fmt: skip
        facts = known.facts(uow, tested, now)
        manual = [c.id for c in controls if c.kind is TestKind.MANUAL]
        tests = uow.control_tests.all(control_id=frozenset(manual)) if manual else []
        wanted = frozenset(c.policy_id for c in controls if c.kind is TestKind.REQUIREMENT)
        stored = {r.id: parsed(r) for r in uow.policies.all(id=wanted)} if wanted else {}
        out = {}
        for c in controls:
            found = facts.get(c.system_id or "")
            if c.kind is TestKind.CHECK:
                out[c.id] = check_outcome(c, found.evidence if found else ())
            elif c.kind is TestKind.DOCUMENT:
                out[c.id] = document_outcome(c, found.documents if found else [])
            elif c.kind is TestKind.MANUAL:
                out[c.id] = manual_outcome([t for t in tests if t.control_id == c.id])
            else:
                out[c.id] = _requirement(c, now, stored.get(c.policy_id or ""), found)
        return out


class _Known:
    """What the caller already read of some systems: the systems and their facts (without
    waivers); what it did not is read here, for all the systems missing at once."""

    def __init__(self, systems: Sequence[AISystem], facts: FactsOf | None) -> None:
        self._systems = {s.id: s for s in systems}
        self._facts = facts or (lambda system_id: None)

    def systems(self, uow: UnitOfWork, ids: frozenset[str]) -> dict[str, AISystem]:
        missing = ids - self._systems.keys()
        if missing:
            self._systems.update((s.id, s) for s in uow.systems.all(id=missing))
        return {i: self._systems[i] for i in ids if i in self._systems}

    def facts(self, uow: UnitOfWork, ids: frozenset[str], now: datetime) -> dict[str, GateFacts]:
        """Each system's facts, without waivers (a waiver does not make a control work)."""
        out = {i: f for i in ids if (f := self._facts(i)) is not None}
        missing = self.systems(uow, ids - out.keys())
        if missing:
            read = read_facts(uow, list(missing.values()), now, risks=False)
            out |= {i: replace(read.facts(s, now), waivers=()) for i, s in missing.items()}
        return out


def _requirement(
    control: Control, now: datetime, policy: Policy | None, facts: GateFacts | None
) -> Outcome:
    """The policy requirement judged on the system now, without waivers."""
    wanted = policy.requirements if policy else ()
    req = next((r for r in wanted if r.id == control.requirement_id), None)
    if policy is None or req is None or facts is None:
        what = f"{control.policy_id}/{control.requirement_id}"
        return requirement_outcome(Verdict.INCONCLUSIVE, f"{what} is not stored", now)
    if req.kind not in TESTABLE:
        reason = f"a {req.kind.value} requirement cannot test a control"
        return requirement_outcome(Verdict.INCONCLUSIVE, reason, now)
    found = judge_requirement(policy, req, facts)
    return requirement_outcome(found.verdict, found.reason, now)
