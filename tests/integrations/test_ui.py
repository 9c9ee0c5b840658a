"""The integrations' pages: import with a dry-run preview first (the same bytes must be
previewed before they are written) and templates to download, the impact of a dataset, and
discovery proposals to accept or dismiss."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from charter.identity.services import sessions
from charter.integrations import files
from charter.integrations.services import discovery, lineage
from charter.inventory import services as inventory
from charter.kernel.roles import RoleKind as R
from charter.kernel.web.pages import NOTE_COOKIE, read_note
from charter.web.app import create_app
from tests.factory import World

PASSWORD = "correct horse battery staple"


@pytest.fixture
def client(world: World) -> Iterator[TestClient]:
    sessions.set_password(world.ctx, world.admin, world.people[R.CHIEF_AI_OFFICER].id, PASSWORD)
    with TestClient(create_app(world.ctx), follow_redirects=False) as c:
        page = c.get("/ui/login")
        token = _token(page.text)
        email = world.people[R.CHIEF_AI_OFFICER].email
        done = c.post("/ui/login", data={"email": email, "password": PASSWORD, "csrf": token})
        assert done.status_code == 303
        yield c


def _token(text: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', text)
    assert found is not None
    return found.group(1)


def _note(client: TestClient) -> tuple[str | None, bool]:
    return read_note(client.cookies.get(NOTE_COOKIE) or "")


SYSTEMS = "name;purpose;business_unit\nLoan bot;Answers loan questions;Retail\n"


def test_import_previews_then_writes_what_was_previewed(client: TestClient, world: World) -> None:
    page = client.get("/ui/import")
    assert page.status_code == 200 and "/ui/import/template/systems.csv" in page.text
    xlsx = client.get("/ui/import/template.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get("/ui/import/template/systems.csv").text.startswith("name,purpose")
    token = _token(page.text)
    upload = {"upload": ("systems.csv", SYSTEMS.encode(), "text/csv")}
    blind = client.post("/ui/import", data={"csrf": token, "action": "import"}, files=upload)
    assert blind.status_code == 303 and "preview this file" in str(_note(client)[0])
    preview = client.post("/ui/import", data={"csrf": token, "action": "preview"}, files=upload)
    assert preview.status_code == 200 and "Loan bot" in preview.text
    with world.ctx.uow() as uow:
        assert not uow.systems.all(name="Loan bot")  # a preview writes nothing
    digest = re.search(r'name="previewed" value="([0-9a-f]+)"', preview.text)
    assert digest is not None
    form = {"csrf": token, "action": "import", "previewed": digest.group(1)}
    done = client.post("/ui/import", files=upload, data=form)
    assert done.status_code == 303 and "imported systems.csv" in str(_note(client)[0])
    with world.ctx.uow() as uow:
        assert uow.systems.all(name="Loan bot")
    forged = client.post("/ui/import", data={"csrf": "nope", "action": "preview"}, files=upload)
    assert forged.status_code in (400, 403)


def test_the_lineage_page_shows_the_impact(client: TestClient, world: World) -> None:
    ds = world.actor(R.DATA_SCIENTIST)
    system = world.system("Credit")
    loans = inventory.register_dataset(world.ctx, ds, "loans")
    model = inventory.register_model(world.ctx, ds, "gbm", system.id)
    inventory.add_model_version(world.ctx, ds, model.id, "1", "s3://m", "", loans.id)
    page = client.get("/ui/lineage", params={"dataset": "loans"})
    assert page.status_code == 200
    assert f'href="/ui/systems/{system.id}">Credit</a>' in page.text
    assert f"<td>{system.id}</td>" not in page.text, "the accountable are named with the system"
    missing = client.get("/ui/lineage", params={"dataset": "nothing"})
    assert "dataset &#39;nothing&#39; does not exist" in missing.text
    assert lineage.impact(world.ctx, ds, "loans").systems[0].id == system.id


def test_discovery_proposals_are_accepted_or_dismissed(
    client: TestClient, world: World, tmp_path: Path
) -> None:
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "app.py").write_text("import anthropic\nimport openai\n")
    cat = files.discovery_catalogue()
    scanned = files.scan_tree(tmp_path / "repo", cat)
    _, made = discovery.record_scan(world.ctx, world.actor(R.ML_ENGINEER), scanned.root,
                                    scanned.files, scanned.findings, cat)  # fmt: skip
    ids = {(p.kind, p.name): p.id for p in made}
    page = client.get("/ui/discovery")
    assert page.status_code == 200 and "Anthropic" in page.text
    token = _token(page.text)
    system = ids["system", "repo"]
    refused = client.post(f"/ui/discovery/{system}/accept", data={"csrf": token})
    assert refused.status_code == 303 and _note(client)[1]  # a new system needs its unit
    accepted = client.post(f"/ui/discovery/{system}/accept",
                           data={"csrf": token, "business_unit_id": world.unit.id,
                                 "purpose": "Drafts replies"})  # fmt: skip
    assert accepted.status_code == 303 and "accepted system repo" in str(_note(client)[0])
    client.post(f"/ui/discovery/{ids['vendor', 'OpenAI']}/dismiss", data={"csrf": token})
    with world.ctx.uow() as uow:
        assert uow.systems.all(name="repo")[0].purpose == "Drafts replies"
        assert not uow.vendors.all(name="OpenAI")
    assert "<td>OpenAI</td>" not in client.get("/ui/discovery").text
