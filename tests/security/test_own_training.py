"""Nobody vouches for their own training: a person who may record training completions (an AI
champion, a program manager, the chief AI officer) cannot record their own, through the API,
the command line or the page; a completion recorded by its own person before this rule does
not count for the literacy duty (EU AI Act Art. 4) or a gate."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from charter.kernel.roles import RoleKind as R
from charter.people.domain.talent import Completion, literate
from charter.people.services import talent
from tests.security.conftest import Site


def _course(site: Site) -> str:
    caio = site.world.actor(R.CHIEF_AI_OFFICER)
    return talent.add_course(site.world.ctx, caio, "AI essentials", literacy=True).id


def _completions(site: Site, person_id: str) -> list[Completion]:
    with site.world.ctx.uow() as uow:
        return uow.completions.all(person_id=person_id)


def test_a_champion_cannot_record_their_own_completion_by_the_api(site: Site) -> None:
    course = _course(site)
    champion = site.world.people[R.AI_CHAMPION]
    body = {"person_id": champion.id, "course_id": course, "completed_on": "2026-01-05"}
    refused = site.client.post("/api/v1/completions", json=body, headers=site.auth(R.AI_CHAMPION))
    assert refused.status_code == 403, refused.text
    assert "their own training completion" in refused.json()["detail"]
    assert _completions(site, champion.id) == []
    done = site.client.post("/api/v1/completions", json=body, headers=site.auth(R.PROGRAM_MANAGER))
    assert done.status_code == 201, done.text  # someone else entitled records it


def test_the_page_refuses_it_and_says_who_may(site: Site) -> None:
    course = _course(site)
    champion = site.world.people[R.AI_CHAMPION]
    site.sign_in(R.AI_CHAMPION)
    page = site.client.get("/ui/talent").text
    token = re.search(r'name="csrf" value="([^"]+)"', page)
    assert token is not None
    form = {"person_id": champion.id, "course_id": course, "completed_on": "2026-01-05",
            "csrf": token.group(1)}  # fmt: skip
    shown = site.client.post("/ui/talent/completions", data=form).text  # the page it went back to
    assert "their own training completion" in shown
    assert site.world.people[R.PROGRAM_MANAGER].name in shown  # who may record it
    assert _completions(site, champion.id) == []


def test_the_command_line_refuses_it(cli: Any) -> None:
    admin = "root@example.org"
    me = cli("init", "--name", "Root", "--email", admin)["person_id"]
    course = cli("talent", "add-course", "AI essentials", "--literacy", "--as", admin)
    refused = cli("talent", "complete", me, course["id"], "--on", "2026-01-05",
                  "--as", admin, code=6)  # fmt: skip
    assert refused["error"] == "forbidden"


def test_a_self_recorded_completion_on_record_does_not_count(site: Site) -> None:
    course = _course(site)
    champion = site.world.people[R.AI_CHAMPION]
    today = site.world.ctx.clock().date()
    day = today - timedelta(days=10)
    mine = Completion("cmp_old", champion.id, course, day, None, champion.id)
    vouched = Completion("cmp_new", champion.id, course, day, None, "someone-else")
    with site.world.ctx.uow() as uow:
        courses = {c.id: c for c in uow.courses.all()}
    assert not literate(champion.id, None, [mine], courses, today)
    assert literate(champion.id, None, [vouched], courses, today)
