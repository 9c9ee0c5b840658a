"""A meeting's motion names what it decides by typing, not by scrolling every pending item:
the server resolves an agenda item's title, a suggestion or an id among the items of the
body's agenda the clerk may see; what names none brings the form back as typed, with the
closest items named, and nothing is decided."""

from __future__ import annotations

import re
from typing import Any

from charter.bodies.services import bodies
from charter.governance.services import lifecycle
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.roles import RoleKind as R
from tests.web.test_ui import _csrf, _note, _sign_in, ui

__all__ = ["ui"]  # the fixture: a served organisation with a board and passwords


def _held(world: Any) -> tuple[str, list[tuple[str, str]]]:
    """A meeting of the board that may decide, and the transitions on its agenda: (id,
    title)."""
    asked = []
    for _ in range(2):
        system = world.system()
        request, _ = lifecycle.request_transition(
            world.ctx, world.actor(R.PROGRAM_MANAGER), system.id, S.ASSESSED, "ready"
        )
        asked.append(request.id)
    meeting = bodies.schedule_meeting(world.ctx, world.admin, world.body, world.ctx.clock()).id
    present = [world.people[r].id for r in (R.BOARD_MEMBER, R.ETHICS_COMPLIANCE,
                                              R.CHIEF_AI_OFFICER)]  # fmt: skip
    bodies.hold_meeting(world.ctx, world.actor(R.BOARD_MEMBER), meeting, present, "", "")
    items = bodies.agenda(world.ctx, world.admin, world.body)
    titles = {i.ref: i.title for i in items}
    return meeting, [(ref, titles[ref]) for ref in asked]


def _motion(csrf: str, subject: str, chair: str) -> dict[str, Any]:
    return {"subject_kind": "transition", "subject_id": subject, "outcome": "approve",
            "title": "Assess the system", "reason": "screened by the board",
            "vote": [f"{chair}:for"], "csrf": csrf}  # fmt: skip


def _value(page: str, field: str) -> str:
    found = re.search(rf'<input id="{field}"[^>]*? value="([^"]*)"', page)
    assert found is not None, field
    return found.group(1)


def test_the_subject_is_found_on_the_agenda_by_what_is_typed(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    meeting, [(first, title), (second, other)] = _held(world)
    chair = world.people[R.BOARD_MEMBER]
    _sign_in(client, chair.email)
    page = client.get(f"/ui/meetings/{meeting}").text
    assert '<select id="subject_id"' not in page and first not in page
    assert f'hx-get="/ui/pick/agenda:{meeting}"' in page and "or its id" in page
    system_name = title.split(":")[0]
    suggested = client.get(f"/ui/pick/agenda:{meeting}", params={"q": system_name}).text
    assert f'value="{title}"' in suggested and other not in suggested
    csrf = _csrf(client, f"/ui/meetings/{meeting}")
    done = client.post(f"/ui/meetings/{meeting}/decisions",
                       data=_motion(csrf, title.upper(), chair.id))  # fmt: skip
    assert done.status_code == 303 and not _note(client)[1], done.text
    [made] = bodies.get_meeting(world.ctx, world.admin, meeting)[3]
    assert made.subject_id == first
    by_id = client.post(f"/ui/meetings/{meeting}/decisions", data=_motion(csrf, second, chair.id))
    assert by_id.status_code == 303 and not _note(client)[1]
    assert client.get("/ui/pick/agenda:mtg_nope", params={"q": "a"}).status_code == 404


def test_a_subject_off_the_agenda_brings_the_motion_back_as_typed(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    meeting, [(first, title), _] = _held(world)
    chair = world.people[R.BOARD_MEMBER]
    _sign_in(client, chair.email)
    csrf = _csrf(client, f"/ui/meetings/{meeting}")
    typed = title.split(":")[0] + ": nothing like it"
    refused = client.post(f"/ui/meetings/{meeting}/decisions",
                          data=_motion(csrf, typed, chair.id))  # fmt: skip
    assert refused.status_code == 422
    text = refused.text
    assert f"no agenda item you may see is named &#39;{typed}&#39;" in text
    assert f"[{first}]" in text  # the closest, named with its id
    assert _value(text, "subject_id") == typed and _value(text, "title") == "Assess the system"
    assert f'<option value="{chair.id}:for" selected>' in text  # the votes as minuted
    assert '<option value="transition" selected>' in text
    assert bodies.get_meeting(world.ctx, world.admin, meeting)[3] == []
