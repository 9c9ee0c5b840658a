"""Training completions, adoption figures and survey results recorded by form: the services'
rights and audit events; a refusal names the role it needs and who holds it."""

from __future__ import annotations

import html

from charter.audit import services as audit
from charter.kernel.roles import RoleKind as R
from charter.people.services import adoption, talent
from tests.web.test_ui import _csrf, _note, _sign_in


def test_completions_figures_and_surveys_by_those_who_may(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, system = ui
    cao, learner = world.people[R.CHIEF_AI_OFFICER], world.people[R.DATA_SCIENTIST]
    assert "No course yet" in (_sign_in(client, cao.email) and client.get("/ui/talent").text)
    course = talent.add_course(world.ctx, world.admin, "AI literacy", literacy=True,
                               validity_months=12)  # fmt: skip
    token = _csrf(client, "/ui/talent")
    today = world.ctx.clock().date()
    form = {"person_id": learner.id, "course_id": course.id, "completed_on": today.isoformat(),
            "evidence": "cert 42"}  # fmt: skip
    assert client.post("/ui/talent/completions", data=form).status_code == 403  # no CSRF token
    done = client.post("/ui/talent/completions", data=form | {"csrf": token})
    assert done.status_code == 303 and "training completion recorded; valid until" in str(
        _note(client)[0]
    )
    last = audit.entity_history(world.ctx, world.admin, "person", learner.id)[-1].body()
    assert (last["action"], last["actor"]) == ("training.completed", cao.id)
    month = today.isoformat()[:7]
    figures = {"system_id": system, "business_unit_id": world.unit.id, "period": month,
               "active_users": "40", "eligible_users": "100", "csrf": token}  # fmt: skip
    done = client.post("/ui/adoption/figures", data=figures)
    assert done.status_code == 303 and "adoption figures for" in str(_note(client)[0])
    view = adoption.adoption_view(world.ctx, world.admin)
    assert [(p.active, p.eligible) for p in view.by_unit()[world.unit.id]] == [(40, 100)]
    survey = {"title": "Q3 pulse", "period": month, "responses": "120", "sentiment": "3.6",
              "concerns": "cost: 12, Job security: 7", "csrf": token}  # fmt: skip
    done = client.post("/ui/adoption/surveys", data=survey)
    assert done.status_code == 303 and _note(client) == ("survey “Q3 pulse” recorded", False)
    recorded = adoption.adoption_view(world.ctx, world.admin).surveys[-1]
    assert recorded.concerns == {"cost": 12, "job security": 7} and recorded.sentiment == 3.6
    bad = client.post("/ui/adoption/surveys", data=survey | {"concerns": "cost, fear: x"})
    shown = html.unescape(bad.text)
    assert bad.status_code == 422 and "'cost' is not" in shown
    assert "'fear: x' is not" in shown  # every problem at once
    assert 'value="cost, fear: x"' in bad.text and 'value="Q3 pulse"' in bad.text  # as typed
    assert len(adoption.adoption_view(world.ctx, world.admin).surveys) == 1


def test_talent_and_adoption_forms_are_refused_to_others(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, system = ui
    course = talent.add_course(world.ctx, world.admin, "AI literacy", literacy=True)
    _sign_in(client, world.people[R.DATA_SCIENTIST].email)
    token = _csrf(client, "/ui/talent")
    today = world.ctx.clock().date().isoformat()
    auditor = world.people[R.AUDITOR].id
    refused = client.post("/ui/talent/completions", data={
        "person_id": auditor, "course_id": course.id,
        "completed_on": today, "evidence": "cert 77", "csrf": token})  # fmt: skip
    assert refused.status_code == 403 and "this needs the role" in refused.text
    assert world.people[R.CHIEF_AI_OFFICER].name in refused.text
    assert f'name="person_id" value="{auditor}"' in refused.text  # the values as typed
    assert 'value="cert 77"' in refused.text and f'value="{today}"' in refused.text
    refused = client.post("/ui/adoption/figures", data={
        "system_id": system, "business_unit_id": world.unit.id, "period": today[:7],
        "active_users": "13", "eligible_users": "21", "csrf": token})  # fmt: skip
    assert refused.status_code == 403 and "this needs the role" in refused.text
    assert 'name="active_users" required min="0" step="1" value="13"' in refused.text
    assert 'name="eligible_users" required min="0" step="1" value="21"' in refused.text
    assert f'name="system_id" value="{system}"' in refused.text
    assert adoption.adoption_view(world.ctx, world.admin).by_unit() == {}
