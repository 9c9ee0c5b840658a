"""Hypothesis stateful test: no sequence of operations (evidence recorded or going stale,
waivers granted or expiring, policies changed or switched off, transitions requested or
re-checked) lets a system into "approved for deployment" through a gate whose blocking
requirement was neither satisfied nor waived; and a gate that passes does let it in.

The oracle is the test's own model of the rule (latest evidence, its age, the threshold in
force, the waivers' windows), not the code under test.
"""

from __future__ import annotations

import tempfile
from contextlib import suppress
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from charter.bootstrap import context_for
from charter.governance.domain.lifecycle import Decision, RequestStatus
from charter.governance.files import check_policy
from charter.governance.services import lifecycle, policies
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.errors import Conflict
from charter.kernel.roles import RoleKind as R
from charter.kernel.store.engine import make_engine
from charter.kernel.store.migrate import upgrade
from charter.validation import services as validation
from charter.validation.domain.suite import parse_suite
from charter.validation.engines.runner import run_suite
from tests.factory import World, make_world

MAX_AGE = 30
SUITE = parse_suite(
    {
        "name": "fairness",
        "data": "data.csv",
        "columns": {"label": "y", "prediction": "p", "protected": ["g"]},
        "checks": [
            {
                "id": "dp",
                "metric": "demographic_parity_difference",
                "over": ["g"],
                "max": 1,
                "min_group_size": 0,
            }
        ],
    }
)
DATA = {
    0.0: "1,1,a\n0,0,a\n1,1,b\n0,0,b\n",
    0.5: "1,1,a\n0,1,a\n1,1,b\n0,0,b\n",
    1.0: "1,1,a\n0,1,a\n1,0,b\n0,0,b\n",
}


def _policy(threshold: float) -> dict[str, object]:
    return {
        "id": "fairness",
        "title": "Fair",
        "applies": {"transitions": [{"to": "approved_for_deployment"}]},
        "requirements": [
            {"id": "dp", "kind": "evidence", "metric": "demographic_parity_difference",
             "max": threshold, "max_age_days": MAX_AGE},
        ],
    }  # fmt: skip


class Shared:
    """One database for all examples (each example works on a system of its own)."""

    world: World | None = None
    folder = Path(tempfile.mkdtemp(prefix="gate-machine-"))
    now = datetime(2027, 1, 1, tzinfo=UTC)


def _world() -> World:
    if Shared.world is None:
        engine = make_engine(f"sqlite:///{Shared.folder}/charter.db")
        upgrade(engine)
        ctx = replace(context_for(engine), clock=lambda: Shared.now)
        Shared.world = make_world(ctx)
    return Shared.world


class GateMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.w = _world()
        self.tick(1)
        self.set_policy(0.1, enabled=True)
        self.system = self.w.system()
        self.w.advance(self.system.id, S.IN_VALIDATION)
        self.evidence: list[tuple[datetime, float]] = []
        self.waivers: list[tuple[datetime, datetime]] = []
        self.pending: str | None = None

    # the model ---------------------------------------------------------------------------
    def tick(self, seconds: float) -> None:
        Shared.now += timedelta(seconds=seconds)

    def set_policy(self, threshold: float, enabled: bool) -> None:
        raw = _policy(threshold)
        caio = self.w.actor(R.CHIEF_AI_OFFICER)
        policies.load_policies(self.w.ctx, caio, [(raw, check_policy(raw, "fairness"))])
        policies.set_enabled(self.w.ctx, caio, "fairness", enabled)
        self.threshold, self.enabled = threshold, enabled

    def gate_should_pass(self) -> bool:
        now = Shared.now
        if not self.enabled:
            return True
        if any(start <= now < end for start, end in self.waivers):
            return True
        if not self.evidence:
            return False
        recorded, value = self.evidence[-1]
        return now - recorded <= timedelta(days=MAX_AGE) and value <= self.threshold

    def stage(self) -> S:
        with self.w.ctx.uow() as uow:
            found = uow.systems.get(self.system.id)
            assert found is not None
            return found.stage

    def expect(self, should_pass: bool, request_status: RequestStatus) -> None:
        moved = self.stage() is S.APPROVED_FOR_DEPLOYMENT
        assert moved == should_pass, (should_pass, request_status, self.evidence, self.waivers)
        assert (request_status is RequestStatus.APPLIED) == should_pass

    # the operations ----------------------------------------------------------------------
    @rule(value=st.sampled_from(sorted(DATA)))
    def record_evidence(self, value: float) -> None:
        self.tick(1)
        (Shared.folder / "data.csv").write_text("y,p,g\n" + DATA[value])
        validation.validate(
            self.w.ctx, self.w.actor(R.DATA_SCIENTIST), self.system.id, SUITE,
            lambda s: run_suite(s, Shared.folder),
        )  # fmt: skip
        self.evidence.append((Shared.now, value))

    @rule(days=st.integers(1, 40))
    def time_passes(self, days: int) -> None:
        self.tick(days * 86_400)

    @rule(days=st.integers(1, 20))
    def board_grants_waiver(self, days: int) -> None:
        """A second waiver of a requirement while one is live is refused; after it lapses,
        another may be granted."""
        self.tick(1)
        ends = Shared.now + timedelta(days=days)
        live = any(start <= Shared.now < end for start, end in self.waivers)
        grant = lambda: policies.grant_waiver(  # noqa: E731
            self.w.ctx, self.w.actor(R.BOARD_MEMBER), self.system.id, "fairness", "dp",
            "accepted for now", "manual review", ends,
        )  # fmt: skip
        if live:
            with pytest.raises(Conflict, match="already waived"):
                grant()
            return
        grant()
        self.waivers.append((Shared.now, ends))

    @rule(threshold=st.sampled_from([0.1, 0.6]), enabled=st.booleans())
    def policy_changes(self, threshold: float, enabled: bool) -> None:
        self.tick(1)
        self.set_policy(threshold, enabled)

    @precondition(lambda self: self.pending is None and self.stage() is S.IN_VALIDATION)
    @rule()
    def ask_for_deployment(self) -> None:
        self.tick(1)
        request, _ = lifecycle.request_transition(
            self.w.ctx, self.w.actor(R.PROGRAM_MANAGER), self.system.id,
            S.APPROVED_FOR_DEPLOYMENT, "ready",
        )  # fmt: skip
        request, _ = lifecycle.decide(
            self.w.ctx, self.w.actor(R.ETHICS_COMPLIANCE), request.id, Decision.APPROVE, "ok"
        )
        request, _ = lifecycle.decide(
            self.w.ctx, self.w.actor(R.BOARD_MEMBER), request.id, Decision.APPROVE, "ok"
        )
        self.expect(self.gate_should_pass(), request.status)
        self.pending = request.id if request.status is RequestStatus.PENDING else None

    @precondition(lambda self: self.pending is not None)
    @rule()
    def recheck(self) -> None:
        self.tick(1)
        assert self.pending is not None
        request, _ = lifecycle.recheck(self.w.ctx, self.w.actor(R.PROGRAM_MANAGER), self.pending)
        self.expect(self.gate_should_pass(), request.status)
        if request.status is RequestStatus.APPLIED:
            self.pending = None

    @invariant()
    def never_in_without_a_passing_gate(self) -> None:
        # the stage only changes through ask_for_deployment or recheck, which check the
        # oracle at that moment; here: a pending request never coexists with the move
        if self.stage() is S.APPROVED_FOR_DEPLOYMENT:
            assert self.pending is None

    def teardown(self) -> None:
        if self.pending is not None:
            with suppress(Conflict):
                lifecycle.decide(
                    self.w.ctx,
                    self.w.actor(R.CHIEF_AI_OFFICER),
                    self.pending,
                    Decision.REFUSE,
                    "end of example",
                )


GateMachine.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_gates_never_let_a_blocked_system_through = GateMachine.TestCase
