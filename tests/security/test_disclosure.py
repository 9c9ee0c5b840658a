"""Item 8: nothing of a business unit the reader may not see leaks through body agendas,
meeting pages, the decision log, the model directory, adoption figures or use-case links,
and refusals do not name it. The reader is a board member and program manager of Retail;
the secret system belongs to Claims."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from charter.accountability.services import org
from charter.bodies.domain import BodyKind, Function, MemberRole, Remit, SubjectKind
from charter.bodies.services import bodies, decisions
from charter.frameworks.files import classification_data
from charter.governance.services import lifecycle
from charter.identity.services import access
from charter.inventory.domain import LifecycleStage as S
from charter.inventory.services import register_model
from charter.kernel.roles import RoleKind as R
from charter.kernel.roles import ScopeKind
from charter.strategy.services import intake as strategy
from tests.security.conftest import Site

SECRET = "Claims fraud scorer"
REASON = "confidential: the regulator asked"


@dataclass
class Scene:
    token: str
    body: str
    meeting: str
    system: str
    request: str


def _scene(site: Site) -> Scene:
    w = site.world
    reader = w.person("Rita Retail", R.BOARD_MEMBER, scope=ScopeKind.BUSINESS_UNIT,
                      scope_id=w.unit.id)  # fmt: skip
    for role in (R.PROGRAM_MANAGER, R.AI_CHAMPION):
        org.assign_role(w.ctx, w.admin, reader.id, role, ScopeKind.BUSINESS_UNIT, w.unit.id)
    token = access.create_token(w.ctx, access.actor_for(w.ctx, reader.id), None, "t")[1]
    secret = w.system(SECRET, unit=w.other_unit)
    w.advance(secret.id, S.ASSESSED)
    request, _ = lifecycle.request_transition(
        w.ctx, w.actor(R.PROGRAM_MANAGER), secret.id, S.APPROVED_FOR_DEVELOPMENT, REASON
    )
    register_model(w.ctx, w.actor(R.DATA_SCIENTIST), f"{SECRET} model", secret.id)
    body = bodies.create_body(
        w.ctx, w.admin, "Group AI board", BodyKind.GOVERNANCE_BOARD, "Decides.", [], 1, 30,
        [Remit.TRANSITIONS, Remit.WAIVERS, Remit.PORTFOLIO],
    )  # fmt: skip
    bodies.add_member(w.ctx, w.admin, body.id, reader.id, Function.LEGAL, MemberRole.MEMBER)
    board = w.people[R.EXECUTIVE_SPONSOR].id  # the sponsor signs development off, org-wide
    bodies.add_member(w.ctx, w.admin, body.id, board, Function.RISK, MemberRole.CHAIR)
    meeting = bodies.schedule_meeting(w.ctx, w.admin, body.id, w.ctx.clock())
    bodies.hold_meeting(w.ctx, w.admin, meeting.id, [reader.id, board])
    motion = decisions.Motion(SubjectKind.TRANSITION, request.id, "approve", f"Develop {SECRET}",
                           REASON)  # fmt: skip
    votes = {board: "for", reader.id: "for"}  # open until the reader casts hers
    decisions.decide(w.ctx, w.actor(R.EXECUTIVE_SPONSOR), meeting.id, motion, votes)
    return Scene(token, body.id, meeting.id, secret.id, request.id)


def _get(site: Site, token: str, path: str) -> str:
    found = site.client.get(f"/api/v1{path}", headers={"Authorization": f"Bearer {token}"})
    assert found.status_code == 200, found.text
    return found.text


def _post(site: Site, scene: Scene, path: str, body: dict[str, Any]) -> Any:
    return site.client.post(
        f"/api/v1{path}", json=body, headers={"Authorization": f"Bearer {scene.token}"}
    )


def test_reads_do_not_show_what_another_unit_keeps(site: Site) -> None:
    scene = _scene(site)
    reads = {
        "agenda": f"/bodies/{scene.body}/agenda",
        "meeting": f"/meetings/{scene.meeting}",
        "decision log": "/decisions",
        "decisions on the subject": f"/decisions?subject_id={scene.request}",
        "models": "/models",
    }
    for what, path in reads.items():
        assert SECRET in _get(site, site.world.admin_token, path), f"the {what} lacks it"
        text = _get(site, scene.token, path)
        assert SECRET not in text and REASON not in text, f"the {what} shows the other unit's"


def test_writes_about_an_unreadable_system_are_refused_without_naming_it(site: Site) -> None:
    scene = _scene(site)
    w = site.world
    month = date.today().replace(day=1).isoformat()
    figures = {"rows": [{"system_id": scene.system, "business_unit_id": w.unit.id,
                         "period": month, "active_users": 5, "eligible_users": 10,
                         "uses": 20}]}  # fmt: skip
    adopted = _post(site, scene, "/adoption", figures)
    assert adopted.status_code in (403, 404), adopted.text
    assert SECRET not in adopted.text
    objective = strategy.create_objective(w.ctx, w.actor(R.CHIEF_AI_OFFICER), "Grow")
    use_case, _ = strategy.submit_use_case(
        w.ctx, w.actor(R.AI_CHAMPION), classification_data(), title="Retail triage",
        objective_id=objective.id, business_unit_id=w.unit.id,
    )  # fmt: skip
    linked = _post(site, scene, f"/use-cases/{use_case.id}/systems", {"system_id": scene.system})
    assert linked.status_code in (403, 404), linked.text
    assert SECRET not in linked.text
