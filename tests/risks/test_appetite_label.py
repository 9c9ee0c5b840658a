"""The risk's page, the register and `charter risks show` name where a risk's appetite comes
from as people read it (the statement's category and tier, or the model's default), never as
the statement's raw id; the id stays in a title attribute and the JSON."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from charter.kernel.roles import RoleKind as R
from charter.risks.services import register
from tests.factory import World
from tests.risks.test_owners import RISK
from tests.web.test_ui import _sign_in, ui

__all__ = ["ui"]


def _risk(world: World) -> dict[str, object]:
    return {**RISK, "owner_id": world.people[R.CHIEF_AI_OFFICER].id}


def test_the_risk_page_names_the_appetite_statement(ui: tuple[TestClient, World, str]) -> None:
    client, world, system = ui
    caio = world.actor(R.CHIEF_AI_OFFICER)
    stated = register.set_appetite(world.ctx, caio, "MIT.1.1", "*", "medium", "board, May")
    risk = register.register_risk(world.ctx, caio, _risk(world), (), system_id=system)
    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
    page = client.get(f"/ui/risks/{risk.id}").text
    card = re.search(
        r'<span class="muted" id="appetite-source" title="([^"]*)">([^<]*)</span>', page
    )
    assert card is not None, page
    title = world.ctx.risk_model.catalogue["MIT.1.1"].title
    assert card.group(2) == f"(Appetite for {title}, systems of any tier)"
    assert card.group(1) == f"appetite statement {stated.id}", "the id kept, not shown"
    assert stated.id not in re.sub(r'title="[^"]*"', "", page), "the raw id is never the label"
    listing = client.get("/ui/risks").text
    assert f'title="Appetite for {title}, systems of any tier">medium</td>' in listing
    bearer = {"Authorization": f"Bearer {world.tokens[R.AUDITOR]}"}
    shown = client.get(f"/api/v1/risks/{risk.id}", headers=bearer).json()["appetite"]
    assert (shown["statement"], shown["label"]) == (stated.id, card.group(2)[1:-1])


def test_the_default_appetite_is_named_as_such(ui: tuple[TestClient, World, str]) -> None:
    client, world, system = ui
    caio = world.actor(R.CHIEF_AI_OFFICER)
    risk = register.register_risk(world.ctx, caio, _risk(world), (), system_id=system)
    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
    page = client.get(f"/ui/risks/{risk.id}").text
    quote = "(?:'|&#39;)"
    said = re.search(
        rf'id="appetite-source" title="the model{quote}s default for [^"]+">'
        rf"\(The risk model{quote}s default, [a-z]+-tier systems\)</span>", page
    )  # fmt: skip
    assert said, page
