"""A stored policy whose text was changed outside Charter is flagged wherever stored policies
are shown or checked: the API (list, show), the command line (list, show, `charter doctor`)
and the pages; a waiver on it is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from charter.config import Settings
from charter.governance.files import check_policy
from charter.governance.services import policies
from charter.governance.tables import policies as policy_rows
from charter.kernel.errors import Conflict
from charter.kernel.roles import RoleKind as R
from charter.kernel.store.engine import make_engine
from tests.security.conftest import Site

ADMIN = "root@example.org"
SOURCE: dict[str, Any] = {
    "id": "owner-first",
    "title": "An owner before assessment",
    "requirements": [{"id": "owner", "kind": "accountability", "owner_named": True}],
}
EDITED = "its stored text does not match its recorded version (digest "


def _edit(url: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            row = policy_rows.c.id == "owner-first"
            conn.execute(update(policy_rows).where(row).values(source={**SOURCE, "title": "x"}))
    finally:
        engine.dispose()


def test_the_api_flags_an_edited_policy_and_refuses_a_waiver_on_it(site: Site) -> None:
    world = site.world
    caio = world.actor(R.CHIEF_AI_OFFICER)
    policies.load_policies(world.ctx, caio, [(SOURCE, check_policy(SOURCE, "p"))])
    auditor = site.auth(R.AUDITOR)
    shown = site.client.get("/api/v1/policies/owner-first", headers=auditor).json()
    assert shown["intact"] is True and shown["problem"] is None
    _edit(f"sqlite:///{site.home}/charter.db")
    (listed,) = site.client.get("/api/v1/policies", headers=auditor).json()["items"]
    shown = site.client.get("/api/v1/policies/owner-first", headers=auditor).json()
    for found in (listed, shown):
        assert found["intact"] is False and EDITED in found["problem"], found
        assert "owner-first" in found["problem"]
    system = world.system()
    with pytest.raises(Conflict, match="stored text does not match"):
        policies.grant_waiver(
            world.ctx, caio, system.id, "owner-first", "owner",
            "urgent", "watched", datetime.now(UTC) + timedelta(days=7),
        )  # fmt: skip


def test_the_pages_flag_an_edited_policy(site: Site) -> None:
    world = site.world
    caio = world.actor(R.CHIEF_AI_OFFICER)
    policies.load_policies(world.ctx, caio, [(SOURCE, check_policy(SOURCE, "p"))])
    site.sign_in(R.CHIEF_AI_OFFICER)
    assert "edited outside Charter" not in site.client.get("/ui/governance").text
    _edit(f"sqlite:///{site.home}/charter.db")
    listing = site.client.get("/ui/governance").text
    assert "Stored text edited outside Charter: blocks every gate" in listing
    page = site.client.get("/ui/policies/owner-first").text
    assert "Not enforced as stored." in page and EDITED in page


def test_the_command_line_and_doctor_flag_an_edited_policy(cli: Any, tmp_path: Path) -> None:
    cli("init", "--name", "Root", "--email", ADMIN)
    root = next(p for p in cli("people", "list", "--as", ADMIN)["items"] if p["email"] == ADMIN)
    cli("roles", "assign", root["id"], "chief_ai_officer", "--as", ADMIN)
    (tmp_path / "p.yaml").write_text(
        "id: owner-first\ntitle: An owner before assessment\nrequirements:\n"
        "  - {id: owner, kind: accountability, owner_named: true}\n"
    )
    cli("policies", "load", str(tmp_path / "p.yaml"), "--as", ADMIN)
    assert cli("doctor")["sound"] is True
    _edit(Settings().resolved_database_url())
    (listed,) = cli("policies", "list", "--as", ADMIN)["items"]
    shown = cli("policies", "show", "owner-first", "--as", ADMIN)
    for found in (listed, shown):
        assert found["intact"] is False and EDITED in found["problem"]
    checked = cli("doctor", code=1)
    assert checked["sound"] is False
    assert [p for p in checked["problems"] if "owner-first" in p and EDITED in p]
    cli("policies", "load", str(tmp_path / "p.yaml"), "--as", ADMIN)
    assert cli("doctor")["sound"] is True, "loading its file again restores it"
