"""A served organisation for the attacks: SQLite, a signing key beside the database, a data
folder for validation suites, and one person (with a token) per AI role."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from charter.audit.keys import create_key
from charter.bootstrap import context_for
from charter.identity.services import sessions
from charter.kernel.roles import RoleKind as R
from charter.kernel.store.engine import make_engine
from charter.kernel.store.migrate import upgrade
from charter.web.app import create_app
from tests.factory import World, make_world
from tests.web.test_ui import ui  # noqa: F401 (a fixture: a signed-in client, both databases)

PASSWORD = "correct horse battery staple"


@dataclass
class Site:
    client: TestClient
    world: World
    home: Path
    data: Path
    key: Path

    def auth(self, role: R) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.world.tokens[role]}"}

    def sign_in(self, role: R, password: str = PASSWORD) -> Any:
        """Sign in to the UI as the person holding the role (their password set first, when
        they have none)."""
        person = self.world.people[role]
        with self.world.ctx.uow() as uow:
            has_one = uow.credentials.get(person.id) is not None
        if not has_one:
            sessions.set_password(self.world.ctx, self.world.admin, person.id, PASSWORD)
        form = self.client.get("/ui/login").text
        token = re.search(r'name="csrf" value="([^"]+)"', form)
        assert token is not None
        return self.client.post(
            "/ui/login",
            data={"email": person.email, "password": password, "csrf": token.group(1)},
            follow_redirects=False,
        )


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    engine = make_engine(f"sqlite:///{tmp_path}/charter.db")
    upgrade(engine)
    key = tmp_path / "keys" / "audit.key"
    create_key(key, "test.example/audit")
    ctx = context_for(engine, key_file=key)
    world = make_world(ctx)
    data = tmp_path / "data"
    data.mkdir()
    with TestClient(create_app(ctx, data_dir=data)) as client:
        yield Site(client, world, tmp_path, data, key)
    engine.dispose()
