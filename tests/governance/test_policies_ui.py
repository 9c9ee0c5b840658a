"""The policies pages over HTTP: one policy's YAML and the systems it blocks now; a policy
file checked from an upload (every problem at its line and field, nothing stored, a size
limit) and added only by a holder of the policy right, audited as `charter policies load`."""

from __future__ import annotations

from charter.audit import services as audit
from charter.governance.files import check_policy
from charter.governance.services import policies
from charter.kernel.roles import RoleKind as R
from charter.kernel.yaml_text import parse_yaml
from tests.web.test_ui import _csrf, _note, _sign_in

GOOD = """id: dpia-first
title: A DPIA before assessment
applies:
  transitions:
    - to: assessed
requirements:
  - id: dpia
    kind: document
    document: dpia
    approved_by: [ethics_compliance_officer]
"""
BAD = """id: two-problems
title: Two problems
applies:
  transitions:
    - to: nowhere
requirements:
  - kind: document
    document: dpia
"""


def _upload(client, text: str | bytes, name: str = "dpia.yaml"):  # type: ignore[no-untyped-def]
    token = _csrf(client, "/ui/governance")
    return client.post(
        "/ui/policies/check", data={"csrf": token}, files={"upload": (name, text, "text/yaml")}
    )


def test_a_policy_page_shows_its_yaml_and_the_systems_it_blocks(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, system = ui
    raw = parse_yaml(GOOD)
    policies.load_policies(
        world.ctx, world.actor(R.ETHICS_COMPLIANCE), [(raw, check_policy(raw, "p"))]
    )
    _sign_in(client, world.people[R.DATA_SCIENTIST].email)
    listing = client.get("/ui/governance").text
    assert 'href="/ui/policies/dpia-first#blocked"' in listing
    shown = client.get("/ui/policies/dpia-first")
    assert shown.status_code == 200
    assert "document: dpia" in shown.text and "approved_by:" in shown.text  # the YAML
    assert "Systems it blocks now (1)" in shown.text
    assert world.system_name(system) in shown.text and "dpia: no dpia attached" in shown.text
    assert client.get("/ui/policies/nothing-of-that-name").status_code == 404


def test_an_uploaded_file_is_checked_with_every_problem_at_its_line(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    _sign_in(client, world.people[R.DATA_SCIENTIST].email)
    checked = _upload(client, BAD, "two.yaml")
    assert checked.status_code == 422
    assert "two.yaml #1 line 5, applies/transitions/0/to" in checked.text
    assert (
        "two.yaml #1 line 7, requirements/0" in checked.text
        and "&#39;id&#39; is a required" in checked.text
    )
    assert "nothing is stored" in checked.text and "/ui/policies/load" not in checked.text
    broken = _upload(client, "id: [unclosed\n", "broken.yaml")
    assert broken.status_code == 422 and "broken.yaml line 2" in broken.text
    aliased = _upload(client, "a: &x 1\nb: *x\n", "alias.yaml")
    assert aliased.status_code == 422 and "anchors and aliases" in aliased.text
    assert policies.list_policies(world.ctx, world.admin) == []


def test_a_checked_file_is_added_only_by_a_holder_of_the_policy_right(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    _sign_in(client, world.people[R.DATA_SCIENTIST].email)
    checked = _upload(client, GOOD)
    assert checked.status_code == 200 and "without a problem" in checked.text
    assert ">new<" in checked.text and 'action="/ui/policies/load"' in checked.text
    assert policies.list_policies(world.ctx, world.admin) == []  # checking stores nothing
    form = {"text": GOOD, "name": "dpia.yaml", "csrf": _csrf(client, "/ui/governance")}
    refused = client.post("/ui/policies/load", data=form)
    assert refused.status_code == 403 and "this needs the role" in refused.text
    assert world.people[R.ETHICS_COMPLIANCE].name in refused.text
    assert 'name="text" value="id: dpia-first' in refused.text  # the file is still there
    assert policies.list_policies(world.ctx, world.admin) == []
    client.cookies.clear()
    ethics = world.people[R.ETHICS_COMPLIANCE]
    _sign_in(client, ethics.email)
    done = client.post("/ui/policies/load", data=form | {"csrf": _csrf(client, "/ui/governance")})
    assert done.status_code == 303 and done.headers["location"] == "/ui/governance"
    assert _note(client) == ("1 policy from dpia.yaml stored, in force: dpia-first", False)
    assert [p.id for p in policies.list_policies(world.ctx, world.admin)] == ["dpia-first"]
    event = audit.entity_history(world.ctx, world.admin, "policy", "dpia-first")[-1].body()
    assert (event["action"], event["actor"]) == ("policy.loaded", ethics.id)
    again = _upload(client, GOOD)
    assert ">unchanged<" in again.text
    tampered = client.post(
        "/ui/policies/load", data=form | {"text": BAD, "csrf": _csrf(client, "/ui/governance")}
    )
    assert tampered.status_code == 422  # the text is checked again when it comes back
