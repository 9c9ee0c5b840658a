"""Decisions under concurrent use, through real HTTP against served apps: four clients on
their own connections released together, many trials, on SQLite and on PostgreSQL served by
two worker processes. After each trial the invariants must hold: one decision per approval
slot, one pending request per system, status and stage consistent with the audit log, no lost
update, no 5xx."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine

from charter.accountability.domain.org import Person
from charter.bodies.domain import BodyKind, Function, MemberRole, Remit
from charter.bodies.services import bodies
from charter.bootstrap import context_for
from charter.governance.domain.lifecycle import RequestStatus, TransitionRequest
from charter.governance.files import check_policy
from charter.governance.services import lifecycle, policies
from charter.identity.services import access
from charter.inventory.domain import AISystem, LifecycleStage
from charter.kernel.access import Actor
from charter.kernel.roles import RoleKind as R
from charter.kernel.store.engine import make_engine
from charter.kernel.store.migrate import upgrade
from tests import pg
from tests.conftest import drop_postgres, fresh_postgres
from tests.factory import World, make_world

pytestmark = pytest.mark.slow

TRIALS = int(os.environ.get("CHARTER_RACE_TRIALS", "50"))
CLIENTS = 4
ROOT = Path(__file__).resolve().parents[2]
WAIVED = ("race-sign-off", "caio")  # the policy and requirement the waivers waive


@dataclass
class Served:
    url: str
    world: World
    approvers: list[str]  # tokens of four ethics officers (one-slot gate proposed -> assessed)
    requesters: list[str]  # tokens of four people entitled to request it
    grantors: list[str]  # tokens of four people entitled to grant waivers
    board: tuple[str, dict[str, str]]  # a governance board and its members' person ids

    def system(self) -> AISystem:
        return self.world.system()

    def pending(self, system: AISystem) -> TransitionRequest:
        request, _ = lifecycle.request_transition(
            self.world.ctx, self.world.actor(R.PROGRAM_MANAGER), system.id,
            LifecycleStage.ASSESSED, "screen it",
        )  # fmt: skip
        assert request.status is RequestStatus.PENDING
        return request


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(url: str, home: Path, workers: int) -> Iterator[str]:
    port = _port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHARTER_")}
    env |= {"CHARTER_DATABASE_URL": url, "CHARTER_HOME": str(home)}
    args = [sys.executable, "-m", "charter", "serve", "--port", str(port)]
    if workers > 1:
        args += ["--workers", str(workers)]
    log = home / f"serve-{port}.log"
    with log.open("w") as out:
        proc = subprocess.Popen(args, env=env, cwd=ROOT, stdout=out, stderr=out)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(proc, base, log)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _wait_ready(proc: subprocess.Popen[bytes], base: str, log: Path) -> None:
    """Until the server answers (a signal, not a fixed sleep); fail if it exits."""
    with httpx.Client(timeout=1) as client:
        while proc.poll() is None:
            try:
                if client.get(f"{base}/api/v1/health").status_code == 200:
                    return
            except httpx.HTTPError:
                threading.Event().wait(0.05)
    pytest.fail(f"the server exited: {log.read_text()[-2000:]}")


def _board(world: World) -> tuple[str, dict[str, str]]:
    """A board deciding transitions and waivers, and the library's policies in force."""
    raw = {
        "id": WAIVED[0], "title": "Deployment sign-off",
        "applies": {"transitions": [{"to": "deployed"}]},
        "requirements": [{"id": WAIVED[1], "kind": "approval", "roles": ["chief_ai_officer"]}],
    }  # fmt: skip
    policies.load_policies(
        world.ctx, world.actor(R.CHIEF_AI_OFFICER), [(raw, check_policy(raw, "race"))]
    )  # fmt: skip
    body = bodies.create_body(
        world.ctx, world.admin, "Board", BodyKind.GOVERNANCE_BOARD, "Decides.",
        [Function.LEGAL], 2, 30, [Remit.TRANSITIONS, Remit.WAIVERS],
    )  # fmt: skip
    members = {
        "chair": world.people[R.BOARD_MEMBER].id,
        "ethics": world.people[R.ETHICS_COMPLIANCE].id,
    }
    bodies.add_member(world.ctx, world.admin, body.id, members["chair"], Function.LEGAL,
                      MemberRole.CHAIR)  # fmt: skip
    bodies.add_member(world.ctx, world.admin, body.id, members["ethics"], Function.RISK,
                      MemberRole.MEMBER)  # fmt: skip
    return body.id, members


def _meetings(served: Served, count: int) -> list[str]:
    world, (body, members) = served.world, served.board
    chair = world.actor(R.BOARD_MEMBER)
    found = []
    for _ in range(count):
        meeting = bodies.schedule_meeting(world.ctx, chair, body, world.ctx.clock())
        bodies.hold_meeting(world.ctx, chair, meeting.id, list(members.values()), "")
        found.append(meeting.id)
    return found


def actor(world: World, person: Person) -> Actor:
    return access.actor_for(world.ctx, person.id)


def _tokens(world: World, role: R, count: int) -> list[str]:
    people: list[Person] = [world.people[role]] + [
        world.person(f"{role.value} {i}", role) for i in range(count - 1)
    ]
    return [access.create_token(world.ctx, actor(world, p), None, "races")[1] for p in people]


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    home = tmp_path_factory.mktemp("races")
    engine: Engine
    if request.param == "sqlite":
        url = f"sqlite:///{home}/charter.db"
        engine, name = make_engine(url), None
        upgrade(engine)
    else:
        server: pg.PostgresServer = request.getfixturevalue("pg_template")
        engine, name = fresh_postgres(server)
        url = engine.url.render_as_string(hide_password=False)
    world = make_world(context_for(engine))
    requesters = [world.tokens[R.PROGRAM_MANAGER], world.tokens[R.CHIEF_AI_OFFICER]]
    requesters += _tokens(world, R.PROGRAM_MANAGER, 3)[1:]
    served = Served(
        "", world, _tokens(world, R.ETHICS_COMPLIANCE, 4), requesters,
        _tokens(world, R.BOARD_MEMBER, 4), _board(world),
    )  # fmt: skip
    workers = int(os.environ.get("CHARTER_RACE_WORKERS", "2"))
    for base in _serve(url, home, workers if request.param == "postgresql" else 1):
        served.url = base
        yield served
    engine.dispose()
    if name is not None:
        drop_postgres(request.getfixturevalue("pg_template"), name)


#: how long a client waits for an answer: a loaded machine answers late, never wrongly
PATIENCE = 60


def _together(calls: list[Callable[[httpx.Client], httpx.Response]], base: str) -> list[Any]:
    """Each call on its own client (its own connection), released at the same moment."""
    barrier = threading.Barrier(len(calls))
    answers: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        with httpx.Client(base_url=base, timeout=PATIENCE) as client:
            client.get("/api/v1/health")  # the connection is open before the release
            barrier.wait()
            answers[i] = calls[i](client)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


def _decide(token: str, request_id: str, decision: str) -> Callable[[httpx.Client], Any]:
    return lambda c: c.post(
        f"/api/v1/transitions/{request_id}/decisions",
        json={"decision": decision, "reason": "race"},
        headers={"Authorization": f"Bearer {token}"},
    )


def _request(token: str, system_id: str) -> Callable[[httpx.Client], Any]:
    return lambda c: c.post(
        f"/api/v1/systems/{system_id}/transitions",
        json={"to": "assessed", "reason": "race"},
        headers={"Authorization": f"Bearer {token}"},
    )


def _edit(token: str, system_id: str, purpose: str) -> Callable[[httpx.Client], Any]:
    return lambda c: c.patch(
        f"/api/v1/systems/{system_id}",
        json={"purpose": purpose},
        headers={"Authorization": f"Bearer {token}"},
    )


def _codes(answers: list[httpx.Response]) -> list[int]:
    codes = sorted(a.status_code for a in answers)
    assert all(c < 500 for c in codes), [(a.status_code, a.text[:300]) for a in answers]
    return codes


def _state(served: Served, system_id: str) -> tuple[AISystem, list[TransitionRequest], Any]:
    ctx = served.world.ctx
    with ctx.uow() as uow:
        system = uow.systems.get(system_id)
        requests = uow.requests.all(system_id=system_id)
        approvals = [a for r in requests for a in uow.approvals.all(request_id=r.id)]
        events = uow.audit.for_entity("system", system_id)
    assert system is not None
    moves = [e.body() for e in events if e.body()["action"] == "system.transitioned"]
    return system, requests, (approvals, moves)


def _consistent(served: Served, system_id: str) -> tuple[AISystem, list[Any]]:
    """The stage is where the audit log's transitions leave it; every applied request has
    its transition event, every other request none."""
    system, requests, (approvals, moves) = _state(served, system_id)
    applied = [r for r in requests if r.status is RequestStatus.APPLIED]
    assert sorted(m["data"]["request"] for m in moves) == sorted(r.id for r in applied)
    stage = moves[-1]["data"]["stage"][1] if moves else LifecycleStage.PROPOSED.value
    assert system.stage.value == stage
    slots = [(a.request_id, a.slot) for a in approvals]
    assert len(slots) == len(set(slots)), "two decisions fill one slot"
    assert sum(r.status is RequestStatus.PENDING for r in requests) <= 1
    return system, approvals


def test_four_approvers_fill_a_one_slot_gate_once(served: Served) -> None:
    for _ in range(TRIALS):
        system = served.system()
        request = served.pending(system)
        calls = [_decide(t, request.id, "approve") for t in served.approvers]
        codes = _codes(_together(calls, served.url))
        assert codes == [201, 409, 409, 409]
        moved, approvals = _consistent(served, system.id)
        assert moved.stage is LifecycleStage.ASSESSED and len(approvals) == 1


def test_two_approve_two_refuse_one_decision_counts(served: Served) -> None:
    for _ in range(TRIALS):
        system = served.system()
        request = served.pending(system)
        decisions = ["approve", "refuse", "approve", "refuse"]
        calls = [
            _decide(t, request.id, d) for t, d in zip(served.approvers, decisions, strict=True)
        ]
        assert _codes(_together(calls, served.url)) == [201, 409, 409, 409]
        moved, approvals = _consistent(served, system.id)
        won = approvals[0].decision.value
        assert (moved.stage is LifecycleStage.ASSESSED) == (won == "approve")


def test_four_requests_for_one_system_leave_one_pending(served: Served) -> None:
    for _ in range(TRIALS):
        system = served.system()
        calls = [_request(t, system.id) for t in served.requesters]
        assert _codes(_together(calls, served.url)) == [201, 409, 409, 409]
        _, requests, _ = _state(served, system.id)
        assert [r.status for r in requests] == [RequestStatus.PENDING]


def test_an_approval_and_three_edits_lose_no_update(served: Served) -> None:
    for trial in range(TRIALS):
        system = served.system()
        request = served.pending(system)
        caio = served.world.tokens[R.CHIEF_AI_OFFICER]
        edits = [_edit(caio, system.id, f"edit {trial}.{i}") for i in range(3)]
        calls = [_decide(served.approvers[0], request.id, "approve"), *edits]
        assert _codes(_together(calls, served.url)) == [200, 200, 200, 201]
        moved, _ = _consistent(served, system.id)
        assert moved.stage is LifecycleStage.ASSESSED
        assert moved.purpose.startswith(f"edit {trial}.")


def _post(path: str, token: str, body: dict[str, Any]) -> Callable[[httpx.Client], Any]:
    return lambda c: c.post(path, json=body, headers={"Authorization": f"Bearer {token}"})


def test_four_meetings_deciding_one_request_decide_it_once(served: Served) -> None:
    """Four meetings put the same request to the vote; the member casting the last vote in
    all four at once settles one of them."""
    chair, ethics = served.world.tokens[R.BOARD_MEMBER], served.world.tokens[R.ETHICS_COMPLIANCE]
    votes = {p: "for" for p in served.board[1].values()}
    for _ in range(TRIALS):
        system = served.system()
        request = served.pending(system)
        motion = {"subject_kind": "transition", "subject_id": request.id, "outcome": "approve",
                  "title": "Screened", "reason": "race", "votes": votes}  # fmt: skip
        with httpx.Client(base_url=served.url, timeout=PATIENCE) as client:
            put = [
                _post(f"/api/v1/meetings/{m}/decisions", chair, motion)(client).json()["id"]
                for m in _meetings(served, CLIENTS)
            ]
        calls = [_post(f"/api/v1/decisions/{d}/votes", ethics, {"vote": "for"}) for d in put]
        assert _codes(_together(calls, served.url)) == [200, 409, 409, 409]
        moved, approvals = _consistent(served, system.id)
        assert moved.stage is LifecycleStage.ASSESSED
        assert [a.body_decision_id is not None for a in approvals] == [True]
        with served.world.ctx.uow() as uow:
            made = uow.body_decisions.all(subject_id=request.id)
        assert [d.carried for d in made].count(True) == 1 and len(made) == CLIENTS


def test_four_grants_of_one_waiver_grant_it_once(served: Served) -> None:
    expires = (served.world.ctx.clock() + timedelta(days=30)).isoformat()
    for _ in range(TRIALS):
        system = served.system()
        grant = {"system_id": system.id, "policy_id": WAIVED[0], "requirement_id": WAIVED[1],
                 "reason": "race", "compensating_measures": "manual review",
                 "expires_at": expires}  # fmt: skip
        calls = [_post("/api/v1/waivers", t, grant) for t in served.grantors]
        assert _codes(_together(calls, served.url)) == [201, 409, 409, 409]
        with served.world.ctx.uow() as uow:
            assert len(uow.waivers.all(system_id=system.id)) == 1
