"""Backup and restore on both databases: a copy made under write load is put back, verifies,
serves and takes writes; a copy whose log was rewritten is refused and nothing is put in
place; an older copy put back over a grown store is recorded as such and still verifies."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from charter.audit.keys import create_key
from charter.bootstrap import context_for
from charter.identity.services import access
from charter.kernel.store.backup import digest, manifest_path
from charter.kernel.store.engine import make_engine
from charter.web.app import create_app
from tests import pg
from tests.audit.test_crash import _first_ack, _migrate, _writer
from tests.conftest import drop_postgres, fresh_postgres

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
ADMIN = "admin@example.org"
CHARTER = str(Path(sys.executable).with_name("charter"))


def _charter(env: dict[str, str], *args: str, code: int = 0) -> Any:
    done = subprocess.run(
        [CHARTER, *args, "--json"], env=env, cwd=ROOT, capture_output=True, text=True,
        timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == code, (args, done.stdout[-1500:], done.stderr[-1500:])
    return json.loads(done.stdout) if done.stdout.strip() else None


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two stores: the one backed up, and an empty one to restore into."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/live.db", f"sqlite:///{tmp_path}/restored.db"
        return
    server: pg.PostgresServer = request.getfixturevalue("pg_template")
    made = [fresh_postgres(server) for _ in range(2)]
    for engine, _ in made:
        with engine.begin() as conn:  # empty databases, as an operator would create them
            conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        engine.dispose()
    yield tuple(e.url.render_as_string(hide_password=False) for e, _ in made)  # type: ignore[misc]
    for _, name in made:
        drop_postgres(server, name)


def _env(tmp_path: Path, url: str, key: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHARTER_")}
    return env | {"CHARTER_DATABASE_URL": url, "CHARTER_SIGNING_KEY_FILE": str(key),
                  "CHARTER_HOME": str(tmp_path), "CHARTER_ACTOR": ADMIN}  # fmt: skip


def test_a_copy_made_under_load_restores_verifies_serves_and_writes(
    stores: tuple[str, str], tmp_path: Path
) -> None:
    live, empty = stores
    key = tmp_path / "keys" / "audit.key"
    create_key(key, "backup.test/audit")
    _migrate(live, key)
    writer = _writer(live, key, "w")
    _first_ack(writer)
    copy = tmp_path / "copy.backup"
    manifest = _charter(_env(tmp_path, live, key), "backup", str(copy))
    writer.kill()
    writer.communicate(timeout=30)
    assert manifest["audit_size"] > 1 and manifest["sha256"] == digest(copy)
    env = _env(tmp_path, empty, key)
    restored = _charter(env, "restore", str(copy), "--as", ADMIN)
    assert restored["to_size"] == manifest["audit_size"]
    report = _charter(env, "audit", "verify")
    assert report["intact"] and report["size"] == manifest["audit_size"] + 1  # and the restore
    engine = make_engine(empty)
    ctx = context_for(engine, key_file=key)
    admin = access.actor_for(ctx, ADMIN)
    token = access.create_token(ctx, admin, None, "after restore")[1]
    with TestClient(create_app(ctx)) as client:
        assert client.get("/api/v1/health/ready").status_code == 200
        made = client.post("/api/v1/business-units", json={"name": "After the restore"},
                           headers={"Authorization": f"Bearer {token}"})  # fmt: skip
        assert made.status_code == 201, made.text
    engine.dispose()
    assert _charter(env, "audit", "verify")["intact"]


def test_a_copy_whose_log_was_rewritten_is_refused(tmp_path: Path) -> None:
    key = tmp_path / "keys" / "audit.key"
    create_key(key, "backup.test/audit")
    live, target = f"sqlite:///{tmp_path}/live.db", f"sqlite:///{tmp_path}/target.db"
    _migrate(live, key)
    env = _env(tmp_path, live, key)
    for i in range(3):
        _charter(env, "units", "create", f"Unit {i}")
    _charter(env, "audit", "checkpoint")
    copy = tmp_path / "copy.backup"
    _charter(env, "backup", str(copy))
    db = sqlite3.connect(copy)  # an insider rewrites an event, and the manifest too
    db.execute("DROP TRIGGER audit_events_no_update")
    db.execute("UPDATE audit_events SET canonical = replace(canonical, 'Unit 1', 'Unit X')")
    db.commit()
    assert os.path.getsize(copy) and not Path(f"{copy}-wal").exists()  # one file, no sidecar
    db.close()
    manifest = json.loads(manifest_path(copy).read_text())
    manifest_path(copy).write_text(json.dumps(manifest | {"sha256": digest(copy)}))
    refused = _charter(_env(tmp_path, target, key), "restore", str(copy), "--as", ADMIN, code=3)
    assert "does not verify" in refused["detail"]
    assert (
        not Path(f"{tmp_path}/target.db").exists() or os.path.getsize(f"{tmp_path}/target.db") == 0
    )


def test_an_older_copy_put_back_is_recorded_and_verifies(tmp_path: Path) -> None:
    key = tmp_path / "keys" / "audit.key"
    create_key(key, "backup.test/audit")
    live = f"sqlite:///{tmp_path}/live.db"
    _migrate(live, key)
    env = _env(tmp_path, live, key)
    _charter(env, "units", "create", "Before the copy")
    _charter(env, "audit", "checkpoint")
    copy = tmp_path / "copy.backup"
    older = _charter(env, "backup", str(copy))["audit_size"]
    for i in range(4):
        _charter(env, "units", "create", f"After the copy {i}")
    grown = _charter(env, "audit", "checkpoint")["size"]
    restored = _charter(env, "restore", str(copy), "--as", ADMIN)
    assert (restored["from_size"], restored["to_size"]) == (grown, older)
    report = _charter(env, "audit", "verify")
    assert report["intact"], report
    events = _charter(env, "audit", "log")
    [event] = [e for e in events["items"] if e["event"]["action"] == "store.restored"]
    assert (
        event["event"]["data"]["from_size"] == grown and event["event"]["data"]["to_size"] == older
    )
