"""The intake form's executive sponsor is typed, not picked from a list: the server resolves a
name, an e-mail, an id or a suggestion among the active people; what names nobody (or
several) brings the form back as typed with the closest named, and nothing is submitted."""

from __future__ import annotations

import re
from typing import Any

from charter.kernel.roles import RoleKind as R
from charter.strategy.services import portfolio
from tests.web.test_ui import _csrf, _sign_in


def _form(world: Any, client: Any, title: str, sponsor: str) -> dict[str, Any]:
    return {
        "title": title, "objective_id": world.objective, "business_unit_id": world.unit.id,
        "description": "Drafts replies to broker e-mails", "sponsor_id": sponsor,
        "csrf": _csrf(client, "/ui/use-cases/new"),
    }  # fmt: skip


def _sponsor_of(world: Any, title: str) -> str | None:
    [found] = portfolio.list_use_cases(world.ctx, world.admin, search=title)
    return found.sponsor_id


def _value(page: str) -> str:
    found = re.search(r'<input id="sponsor_id" name="sponsor_id" value="([^"]*)"', page)
    assert found is not None, page
    return found.group(1)


def test_the_sponsor_is_found_by_what_is_typed(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    sponsor = world.people[R.EXECUTIVE_SPONSOR]
    _sign_in(client, world.people[R.DATA_SCIENTIST].email)
    page = client.get("/ui/use-cases/new").text
    assert '<select id="sponsor_id"' not in page and 'hx-get="/ui/pick/people"' in page
    assert "type a name, an e-mail or an id" in page
    for n, typed in enumerate((sponsor.name.lower(), sponsor.email, sponsor.id,
                               f"{sponsor.name} ({sponsor.email})")):  # fmt: skip
        done = client.post("/ui/use-cases", data=_form(world, client, f"Broker replies {n}", typed))
        assert done.status_code == 303, typed
        assert _sponsor_of(world, f"Broker replies {n}") == sponsor.id
    client.post("/ui/use-cases", data=_form(world, client, "Broker replies none", ""))
    assert _sponsor_of(world, "Broker replies none") is None  # none yet is allowed


def test_an_unknown_or_ambiguous_sponsor_brings_the_form_back(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    sponsor = world.people[R.EXECUTIVE_SPONSOR]
    _sign_in(client, world.people[R.DATA_SCIENTIST].email)
    typo = sponsor.name[:-1] + "x"
    refused = client.post("/ui/use-cases", data=_form(world, client, "Broker replies", typo))
    assert refused.status_code == 422
    assert f"no person you may see is named &#39;{typo}&#39;" in refused.text
    assert f"[{sponsor.id}]" in refused.text  # the closest, named
    assert _value(refused.text) == typo and 'value="Broker replies"' in refused.text
    one, two = world.person("Sam Doe"), world.person("Sam Doe")
    twice = client.post("/ui/use-cases", data=_form(world, client, "Broker replies", "Sam Doe"))
    assert twice.status_code == 422 and "2 persons are named &#39;Sam Doe&#39;" in twice.text
    assert f"[{one.id}]" in twice.text and f"[{two.id}]" in twice.text
    assert portfolio.list_use_cases(world.ctx, world.admin, search="Broker replies") == []
