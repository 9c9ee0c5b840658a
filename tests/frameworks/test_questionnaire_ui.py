"""The EU AI Act questionnaire in the web UI, over HTTP on both databases: one question per
page, each answer checked as answered, kept server-side between visits (a draft, not a
classification: only its start and discard are audited), back to an earlier answer, a
summary with the result before anything is recorded, then the classification through the
service the API calls (its record and audit event); refused to those without the right,
saying which role it needs and who holds it."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from charter.audit import services as audit
from charter.frameworks import services as classification
from charter.kernel.roles import RoleKind as R
from tests.factory import World
from tests.web.test_ui import _csrf, _note, _sign_in, ui

__all__ = ["ui"]  # the fixture these tests build on

#: the answers given, by question (the others: no, unknown, or none of these)
ANSWERS = {
    "roles": ["provider"],
    "schedule": ["amended"],
    "ai_system": ["yes"],
    "out_of_scope": ["none"],
    "annex_iii": ["5.b"],
    "profiling": ["yes"],
    "derogation": ["none"],
}
DEFAULT = {"flag": ["no"], "points": ["none"], "choice": ["none"], "number": [""], "text": [""]}


def _key(page: str) -> str | None:
    found = re.search(r'name="key" value="([^"]+)"', page)
    return found.group(1) if found else None


def _kind(page: str) -> str:
    if 'type="checkbox"' in page:
        return "points"
    if 'value="yes"' in page and 'value="no"' in page:
        return "flag"
    return "choice" if 'type="radio"' in page else "text"


def _answer(client: TestClient, url: str, key: str, values: list[str], token: str) -> int:
    form = {"key": key, "answer": values, "csrf": token}
    return client.post(f"{url}/answers", data=form).status_code


def _actions(world: World, system: str) -> list[str]:
    return [
        e.body()["action"] for e in audit.entity_history(world.ctx, world.admin, "system", system)
    ]


def test_one_question_at_a_time_resumable_then_recorded(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, system = ui
    url = f"/ui/systems/{system}/classification"
    _sign_in(client, world.people[R.ETHICS_COMPLIANCE].email)
    token = _csrf(client, url)
    first = client.get(url).text
    assert _key(first) == "roles" and "Question 1 of" in first
    empty = client.post(f"{url}/answers", data={"key": "roles", "csrf": token})
    assert empty.status_code == 422 and "tick the points that apply" in html.unescape(empty.text)
    assert (
        classification.draft_of(world.ctx, world.actor(R.ETHICS_COMPLIANCE), system) is None
    )  # nothing kept
    both = _answer(client, url, "roles", ["provider", "none"], token)
    assert both == 422  # "none of these" cannot go with a role... nor an unknown value
    assert _answer(client, url, "roles", ["provider"], token) == 303
    assert "classification.draft_started" in _actions(world, system)
    wrong = client.post(f"{url}/answers", data={"key": "schedule", "answer": "soon", "csrf": token})
    assert wrong.status_code == 422 and "choose one of the schedules" in html.unescape(wrong.text)
    assert 'value="soon"' not in wrong.text  # a radio group: the options, none checked
    for _ in range(40):  # the questions the answers open, in order
        page = client.get(url).text
        key = _key(page)
        if key is None:
            break
        if key == "out_of_scope":  # the form sends what the server reads as "none applies"
            assert 'value="none" required> None applies' in page
        assert _answer(client, url, key, ANSWERS.get(key, DEFAULT[_kind(page)]), token) == 303
    summary = client.get(url).text
    assert "Your answers" in summary and "These answers classify it as" in summary
    assert "badge tier-high" in summary
    assert "5.b: Creditworthiness" in html.unescape(summary)
    assert classification.latest(world.ctx, world.admin, system) is None  # nothing recorded yet
    back = client.get(f"{url}?q=roles").text
    assert _key(back) == "roles" and 'value="provider" checked' in back  # the answer kept
    derogation = client.get(f"{url}?q=derogation").text
    assert "Art. 6(3)" in derogation and "profiles people is always high-risk" in derogation
    done = client.post(f"{url}/submit", data={"csrf": token})
    assert done.status_code == 303 and done.headers["location"].endswith("/classification/result")
    recorded = classification.latest(world.ctx, world.admin, system)
    assert recorded is not None and recorded.tier == "high"
    assert recorded.classified_by == world.people[R.ETHICS_COMPLIANCE].id
    assert classification.draft_of(world.ctx, world.actor(R.ETHICS_COMPLIANCE), system) is None
    assert _actions(world, system)[-1] == "system.classified"
    result = client.get(f"{url}/result").text
    assert "Why: each step and the article it rests on" in result and "Art. 6(2)" in result


def test_an_earlier_answer_changed_drops_the_answers_it_closes(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, system = ui
    url = f"/ui/systems/{system}/classification"
    _sign_in(client, world.people[R.ETHICS_COMPLIANCE].email)
    token = _csrf(client, url)
    for key, values in (("roles", ["deployer"]), ("schedule", ["amended"]),
                        ("ai_system", ["yes"]), ("out_of_scope", ["none"]),
                        ("prohibited", ["none"]), ("annex_i_product", ["yes"]),
                        ("annex_i_third_party_assessment", ["yes"])):  # fmt: skip
        assert _answer(client, url, key, values, token) == 303, key
    assert _key(client.get(url).text) == "annex_i_section"
    assert _answer(client, url, "annex_i_product", ["no"], token) == 303
    draft = classification.draft_of(world.ctx, world.actor(R.ETHICS_COMPLIANCE), system)
    assert draft is not None and "annex_i_third_party_assessment" not in draft.answers
    assert _key(client.get(url).text) == "annex_iii"  # the section is no longer asked
    later = _answer(client, url, "annex_i_section", ["A"], token)
    assert later == 422  # a question these answers do not open
    discarded = client.post(f"{url}/discard", data={"csrf": token})
    assert discarded.status_code == 303 and "discarded" in str(_note(client)[0])
    assert classification.draft_of(world.ctx, world.actor(R.ETHICS_COMPLIANCE), system) is None
    assert _actions(world, system)[-1] == "classification.draft_discarded"


def test_the_questionnaire_is_refused_to_those_who_may_not_classify(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, system = ui
    url = f"/ui/systems/{system}/classification"
    _sign_in(client, world.people[R.DATA_SCIENTIST].email)
    token = _csrf(client, f"/ui/systems/{system}")
    assert "Answer the questionnaire" not in client.get(f"/ui/systems/{system}").text
    refused = client.get(url)
    assert refused.status_code == 403 and "this needs the role" in refused.text
    assert world.people[R.ETHICS_COMPLIANCE].name in refused.text
    answered = client.post(f"{url}/answers", data={"key": "roles", "answer": "provider",
                                                    "csrf": token})  # fmt: skip
    assert answered.status_code == 403 and "this needs the role" in answered.text
    assert classification.draft_of(world.ctx, world.actor(R.ETHICS_COMPLIANCE), system) is None
    client.post(f"{url}/submit", data={"csrf": token})
    assert "this needs the role" in str(_note(client)[0])
    assert classification.latest(world.ctx, world.admin, system) is None


def test_every_article_a_question_cites_or_explains_is_in_the_pack() -> None:
    from charter.frameworks.files import classification_data, load_packs

    pack = next(p for p in load_packs() if p.id == "eu-ai-act")
    named = {
        i
        for q in classification_data()["questions"].values()
        for i in [*filter(None, [q.get("cite")]), *q.get("explain", ())]
    }
    assert named and named <= pack.ids(), sorted(named - pack.ids())
