"""The audit page reuses its last check of the whole log only while the log stands still:
an event appended after an insider's edit makes the next view check everything again, and
catch the edit; the API's verification always checks afresh."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import text

from charter.accountability.services import org
from charter.audit import services as audit
from charter.audit.keys import create_key
from charter.bootstrap import context_for
from charter.identity.services import sessions
from charter.kernel.roles import RoleKind as R
from charter.kernel.store.engine import make_engine
from charter.kernel.store.migrate import upgrade
from charter.web.app import create_app
from tests.factory import make_world
from tests.web.test_ui import PASSWORD, _sign_in


def test_the_page_checks_the_whole_log_again_once_it_grows(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/charter.db")
    upgrade(engine)
    key = tmp_path / "keys" / "audit.key"
    create_key(key, "test.example/audit")
    ctx = context_for(engine, key_file=key)
    world = make_world(ctx)
    auditor = world.people[R.AUDITOR]
    sessions.set_password(ctx, world.admin, auditor.id, PASSWORD)
    audit.make_checkpoint(ctx, world.admin)
    with TestClient(create_app(ctx), follow_redirects=False) as client:
        _sign_in(client, auditor.email)
        page = client.get("/ui/audit").text
        assert "The log verifies." in page and "Checked <time" in page
        with engine.begin() as conn:  # an insider edits an early event's bytes
            for (name,) in list(conn.execute(text("SELECT name FROM sqlite_master "
                                                  "WHERE type = 'trigger'"))):  # fmt: skip
                conn.execute(text(f'DROP TRIGGER "{name}"'))
            conn.execute(
                text("UPDATE audit_events SET canonical = CAST(replace(CAST(canonical AS TEXT), "
                     ":old, :new) AS BLOB) WHERE seq = 2"),
                {"old": '"data":{', "new": '"data":{"x":true,'},
            )  # fmt: skip
        api = client.get(
            "/api/v1/audit/verify", headers={"Authorization": f"Bearer {world.admin_token}"}
        )
        assert api.json()["intact"] is False  # the API checks afresh
        org.create_unit(ctx, world.admin, "Another unit")  # the log grows
        page = client.get("/ui/audit").text
        assert "The log does NOT verify." in page and "number 2" in page
    engine.dispose()
