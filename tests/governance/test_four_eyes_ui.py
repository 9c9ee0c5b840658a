"""Four eyes in the web UI: a waiver that awaits its second person says so on the system
page, and the second person confirms it there under the API's rules (never its granter,
only a holder of a waiver right); the gate's reason says what it awaits and from whom."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from charter.audit import services as audit
from charter.governance.files import library_path, load_policy_files
from charter.governance.services import gates, policies
from charter.inventory import services as inventory
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.roles import RoleKind as R
from tests.factory import World
from tests.web.test_ui import _csrf, _note, _sign_in

POLICY = "performance-before-deployment"


def _awaiting(world: World) -> tuple[str, str]:
    """A high-risk system deciding on people, whose blocking performance requirement the CAO
    waived: the waiver awaits its second person. (system id, waiver id)"""
    library = load_policy_files([library_path() / "safer-defaults.yaml"])
    policies.load_policies(world.ctx, world.actor(R.CHIEF_AI_OFFICER), library)
    system = world.system()
    world.full_raci(system.id)
    world.advance(system.id, S.IN_VALIDATION)
    cao = world.actor(R.CHIEF_AI_OFFICER)
    inventory.update_system(
        world.ctx, cao, system.id, tags=("decides-on-people",), risk_tier="high"
    )
    waiver = policies.grant_waiver(
        world.ctx, cao, system.id, POLICY, "performance", "pilot", "manual review",
        world.ctx.clock() + timedelta(days=30),
    )  # fmt: skip
    assert waiver.needs_second
    return system.id, waiver.id


def _performance_reason(world: World, system_id: str) -> tuple[str, str]:
    gate = gates.check_gate(
        world.ctx, world.actor(R.CHIEF_AI_OFFICER), system_id, S.APPROVED_FOR_DEPLOYMENT, True
    )
    (found,) = [
        r for v in gate.policies if v.policy_id == POLICY for r in v.requirements
        if r.requirement_id == "performance"
    ]  # fmt: skip
    return found.verdict.value, found.reason


def test_the_gate_says_a_waiver_awaits_its_second_person_and_who_may(world: World) -> None:
    system_id, waiver_id = _awaiting(world)
    verdict, reason = _performance_reason(world, system_id)
    cao, board = world.people[R.CHIEF_AI_OFFICER], world.people[R.BOARD_MEMBER]
    assert verdict in ("not_satisfied", "inconclusive")
    assert f"waiver {waiver_id} awaits confirmation by a second person" in reason
    assert f"granted by {cao.name}" in reason and board.name in reason
    who_may = reason.split("may be confirmed by ", 1)[1]
    assert cao.name not in who_may, "the granter is never named as the second person"

    policies.confirm_waiver(world.ctx, world.actor(R.BOARD_MEMBER), waiver_id)
    verdict, reason = _performance_reason(world, system_id)
    assert verdict == "waived" and "awaits" not in reason


def test_the_second_person_confirms_a_waiver_on_the_system_page(ui) -> None:  # type: ignore[no-untyped-def]
    client: TestClient
    client, world, _ = ui
    system_id, waiver_id = _awaiting(world)
    page, confirm = f"/ui/systems/{system_id}", f"/ui/waivers/{waiver_id}/confirm"

    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
    shown = client.get(page).text
    assert "awaiting confirmation" in shown and "you granted it" in shown
    assert f'action="{confirm}"' not in shown, "the granter is offered no button"
    assert f'action="{confirm}"' not in client.get("/ui/approvals").text
    token = _csrf(client, page)
    assert client.post(confirm, data={"system_id": system_id}).status_code == 403  # no CSRF
    refused = client.post(confirm, data={"system_id": system_id, "csrf": token})
    assert refused.status_code == 303 and _note(client)[1] is True
    assert "four eyes" in str(_note(client)[0])

    _sign_in(client, world.people[R.DATA_SCIENTIST].email)
    assert f'action="{confirm}"' not in client.get(page).text, "no waiver right, no button"
    token = _csrf(client, page)
    client.post(confirm, data={"system_id": system_id, "csrf": token})
    assert _note(client)[1] is True and "needs one of" in str(_note(client)[0])
    assert policies.list_waivers(world.ctx, world.admin, system_id)[0].second_by is None

    board = world.people[R.BOARD_MEMBER]
    _sign_in(client, board.email)
    assert f'action="{confirm}"' in client.get(page).text
    assert f'action="{confirm}"' in client.get("/ui/approvals").text, "the inbox offers it too"
    done = client.post(confirm, data={"system_id": system_id, "csrf": _csrf(client, page)})
    assert done.status_code == 303 and _note(client) == (
        f"waiver {waiver_id} confirmed: in effect",
        False,
    )
    after = client.get(page).text
    assert f"confirmed by {board.name}" in after and f'action="{confirm}"' not in after
    assert f'action="{confirm}"' not in client.get("/ui/approvals").text
    events = audit.entity_history(world.ctx, world.admin, "system", system_id)
    assert (events[-1].body()["action"], events[-1].body()["actor"]) == (
        "waiver.confirmed",
        board.id,
    )
