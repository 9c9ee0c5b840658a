"""Training a person recorded for themselves (before that was refused) stays on record but does
not count: the talent page marks it "self-recorded" with who recorded it, the literacy figures
count the person as not trained and name them apart, and the JSON twin lists it."""

from __future__ import annotations

import re
from datetime import timedelta

from charter.kernel.roles import RoleKind as R
from charter.people.domain.talent import Completion
from charter.people.services import talent
from tests.factory import World
from tests.security.conftest import Site, site  # noqa: F401 (a fixture: a served organisation)


def _on_record(world: World, role: R, vouched: bool) -> str:
    """An AI-literacy completion of the person holding `role`, recorded by themselves (a row
    from before the refusal) or by someone else."""
    caio = world.actor(R.CHIEF_AI_OFFICER)
    course = talent.add_course(world.ctx, caio, f"AI essentials {role.value}", literacy=True)
    person = world.people[role]
    day = world.ctx.clock().date() - timedelta(days=10)
    by = world.people[R.CHIEF_AI_OFFICER].id if vouched else person.id
    with world.ctx.uow() as uow:
        uow.completions.add(Completion(f"cmp_{role.value}", person.id, course.id, day, None, by))
        uow.commit()
    return person.id


def test_the_figures_count_a_self_recorded_completion_apart(world: World) -> None:
    mine = _on_record(world, R.AI_CHAMPION, vouched=False)
    theirs = _on_record(world, R.PROGRAM_MANAGER, vouched=True)
    view = talent.talent_view(world.ctx, world.actor(R.AUDITOR))
    champions = next(c for c in view.by_role if c.key == R.AI_CHAMPION.value)
    assert champions.trained == 0 and mine in champions.untrained
    assert champions.self_recorded == (mine,)
    managers = next(c for c in view.by_role if c.key == R.PROGRAM_MANAGER.value)
    assert theirs not in managers.untrained and managers.self_recorded == ()
    assert [(c.person_id, c.recorded_by) for c in view.self_recorded] == [(mine, mine)]
    assert all(mine in c.self_recorded for c in view.by_unit if mine in c.untrained)


def test_the_page_and_its_json_twin_mark_it_with_who_recorded_it(site: Site) -> None:  # noqa: F811
    mine = _on_record(site.world, R.AI_CHAMPION, vouched=False)
    name = site.world.people[R.AI_CHAMPION].name
    site.sign_in(R.AUDITOR)
    page = site.client.get("/ui/talent").text
    assert "Self-recorded training (not counted)" in page
    row = re.search(r"<tr><td>([^<]+)</td><td>AI essentials ai_champion</td>.*?</tr>", page)
    assert row is not None and row.group(1) == name
    assert f"self-recorded</span> {name}</td>" in row.group(0)  # who recorded it
    assert re.search(re.escape(name) + r' <span class="badge warn">self-recorded</span>', page)
    found = site.client.get("/api/v1/talent", headers=site.auth(R.AUDITOR)).json()
    assert [c["recorded_by"] for c in found["self_recorded"]] == [mine]
    champions = next(c for c in found["literacy"]["by_role"] if c["key"] == "ai_champion")
    assert champions["self_recorded"] == [mine] and champions["trained"] == 0
