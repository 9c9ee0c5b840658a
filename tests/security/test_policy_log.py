"""An insider with database rights changes which policy is in force without touching the
audit log: turns a policy off, deletes it, rewrites its text together with a matching digest,
or inserts one never loaded. The audit log (hash-chained, signed) records every load, change
and switch; where the stored policies disagree with it, every gate is blocked saying so, and
every place that reports a stored policy (the API's list and show, the pages, the command
line's list and show, `charter doctor`) says so in the same words."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, insert, update

from charter.governance.domain.policy import source_digest
from charter.governance.files import check_policy
from charter.governance.services import gates, policies
from charter.governance.tables import policies as policy_rows
from charter.identity.services import sessions
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.errors import Conflict
from charter.kernel.roles import RoleKind as R
from charter.web.app import create_app
from tests.factory import World
from tests.security.test_policy_digest import STRICT
from tests.web.test_ui import PASSWORD, _csrf, _sign_in

RELAXED: dict[str, Any] = {  # the strict policy's id and title, an easier requirement
    **STRICT,
    "requirements": [{"id": "owner", "kind": "accountability", "owner_named": True}],
}


def _blocked_saying(world: World, system_id: str, words: str) -> None:
    check = gates.check_gate(world.ctx, world.actor(R.CHIEF_AI_OFFICER), system_id, S.ASSESSED)
    assert not check.passed
    assert any("raci-first" in r and words in r for r in check.result.blocking_reasons), (
        check.result.blocking_reasons
    )


def _strict(world: World) -> str:
    """A system with an owner and no RACI, under the strict policy: blocked by it alone."""
    system = world.system()
    caio = world.actor(R.CHIEF_AI_OFFICER)
    policies.load_policies(world.ctx, caio, [(STRICT, check_policy(STRICT, "p"))])
    assert not gates.check_gate(world.ctx, caio, system.id, S.ASSESSED).passed
    return system.id


def _change(engine: Engine, statement: Any) -> None:
    with engine.begin() as conn:
        conn.execute(statement)


def _switch_off(world: World, engine: Engine) -> str:
    system_id = _strict(world)
    _change(engine, update(policy_rows).values(enabled=False))
    return system_id


def _delete(world: World, engine: Engine) -> str:
    system_id = _strict(world)
    _change(engine, delete(policy_rows))
    return system_id


def _rewrite(world: World, engine: Engine) -> str:
    """The row is self-consistent (its digest is the rewritten text's), only the log says
    which version was loaded."""
    system_id = _strict(world)
    _change(engine, update(policy_rows).values(source=RELAXED, digest=source_digest(RELAXED)))
    return system_id


def _insert(world: World, engine: Engine) -> str:
    system = world.system()
    row = {
        "id": "raci-first", "title": "x", "digest": source_digest(RELAXED), "source": RELAXED,
        "enabled": True, "loaded_at": datetime.now(UTC), "loaded_by": "nobody",
    }  # fmt: skip
    _change(engine, insert(policy_rows).values(**row))
    return system.id


Insider = Callable[[World, Engine], str]
#: each insider's change, and the words every gate (and every report) says it in
CASES: dict[str, tuple[Insider, str]] = {
    "switched off": (_switch_off, "disabled outside Charter"),
    "deleted": (_delete, "removed outside Charter"),
    "rewritten": (_rewrite, "is not the one the audit log recorded"),
    "inserted": (_insert, "never loaded through Charter"),
}


@pytest.mark.parametrize("case", CASES)
def test_a_policy_changed_in_the_database_blocks_every_gate(
    world: World, engine: Engine, case: str
) -> None:
    insider, words = CASES[case]
    _blocked_saying(world, insider(world, engine), words)


def _reports(found: dict[str, Any], words: str, case: str) -> None:
    """A reported policy that says, in the gates' words, that it disagrees with the log."""
    assert found["id"] == "raci-first", found
    assert found["intact"] is False, found
    assert "'raci-first'" in found["problem"] and words in found["problem"], found
    assert found["stored"] is (case != "deleted"), found


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_api_reports_a_policy_that_disagrees_with_the_log(
    case: str, world: World, engine: Engine
) -> None:
    change, words = CASES[case]
    change(world, engine)
    auditor = {"Authorization": f"Bearer {world.tokens[R.AUDITOR]}"}
    with TestClient(create_app(world.ctx)) as client:
        listed = client.get("/api/v1/policies", headers=auditor).json()
        shown = client.get("/api/v1/policies/raci-first", headers=auditor)
    assert listed["total"] == len(listed["items"]) == 1, listed
    _reports(listed["items"][0], words, case)
    assert shown.status_code == 200, shown.text
    _reports(shown.json(), words, case)


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_pages_report_a_policy_that_disagrees_with_the_log(
    case: str, world: World, engine: Engine
) -> None:
    change, words = CASES[case]
    change(world, engine)
    caio = world.people[R.CHIEF_AI_OFFICER]
    sessions.set_password(world.ctx, world.admin, caio.id, PASSWORD)
    with TestClient(create_app(world.ctx), follow_redirects=False) as client:
        _sign_in(client, caio.email)
        listing = client.get("/ui/governance")
        page = client.get("/ui/policies/raci-first")
        text = json.dumps(RELAXED if case == "inserted" else STRICT)
        checked = client.post(
            "/ui/policies/check", data={"csrf": _csrf(client, "/ui/governance")},
            files={"upload": ("p.json", text, "application/json")},
        )  # fmt: skip
    assert "Disagrees with the audit log: blocks every gate" in listing.text
    assert words in listing.text
    assert page.status_code == 200, page.text
    assert "Not enforced as stored." in page.text and words in page.text
    assert "replaces the policy changed outside Charter" in checked.text and words in checked.text


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_command_line_and_doctor_report_a_policy_that_disagrees_with_the_log(
    case: str,
    world: World,
    engine: Engine,
    cli: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    change, words = CASES[case]
    change(world, engine)
    monkeypatch.setenv("CHARTER_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    caio = world.people[R.CHIEF_AI_OFFICER].email
    listed = cli("policies", "list", "--as", caio)
    assert listed["total"] == len(listed["items"]) == 1, listed
    _reports(listed["items"][0], words, case)
    _reports(cli("policies", "show", "raci-first", "--as", caio), words, case)
    checked = cli("doctor", code=1)
    assert checked["sound"] is False
    assert [p for p in checked["problems"] if "'raci-first'" in p and words in p], checked


def _agreeing(world: World, system_id: str) -> list[str]:
    """The policies the gate applies, having checked that none stands in for a disagreement
    with the audit log."""
    check = gates.check_gate(world.ctx, world.actor(R.CHIEF_AI_OFFICER), system_id, S.ASSESSED)
    assert not any("outside Charter" in r for r in check.result.blocking_reasons)
    return [v.policy_id for v in check.policies]


def test_switching_off_and_reloading_through_charter_agree_with_the_log(world: World) -> None:
    system_id = _strict(world)
    caio = world.actor(R.CHIEF_AI_OFFICER)
    policies.set_enabled(world.ctx, caio, "raci-first", False)
    assert _agreeing(world, system_id) == []
    policies.set_enabled(world.ctx, caio, "raci-first", True)
    policies.load_policies(world.ctx, caio, [(RELAXED, check_policy(RELAXED, "p"))])
    assert _agreeing(world, system_id) == ["raci-first"]


@pytest.mark.parametrize("case", sorted(CASES))
def test_loading_its_file_again_puts_the_policy_back_on_record(
    case: str, world: World, engine: Engine
) -> None:
    """Even with the digest stored (a row switched off, or inserted with the file's very
    text), loading the file stores it anew, in force, and audits what it replaced."""
    change, words = CASES[case]
    system_id = change(world, engine)
    source = RELAXED if case == "inserted" else STRICT
    caio = world.actor(R.CHIEF_AI_OFFICER)
    (loaded,) = policies.load_policies(world.ctx, caio, [(source, check_policy(source, "p"))])
    assert loaded.enabled
    assert _agreeing(world, system_id) == ["raci-first"]
    assert [s.problem for s in policies.policy_standings(world.ctx, caio)] == [None]
    with world.ctx.uow() as uow:
        event = uow.audit.latest_of("policy", ["policy.loaded", "policy.changed"])["raci-first"]
    assert words in event.body()["data"]["replaces_off_record"]


@pytest.mark.parametrize("case", ["rewritten", "inserted"])
def test_switching_a_policy_never_puts_a_version_changed_outside_charter_on_record(
    world: World, engine: Engine, case: str
) -> None:
    """(switching records the stored digest as in force: on a rewritten or inserted row it
    would make the audit log agree with the insider's version; loading the file is the way
    back)"""
    insider, words = CASES[case]
    system_id = insider(world, engine)
    caio = world.actor(R.CHIEF_AI_OFFICER)
    for enabled in (False, True):
        with pytest.raises(Conflict, match="load its file again"):
            policies.set_enabled(world.ctx, caio, "raci-first", enabled)
    _blocked_saying(world, system_id, words)


def test_switching_a_policy_flipped_outside_charter_back_agrees_with_the_log(
    world: World, engine: Engine
) -> None:
    """(its stored version is the one recorded: switching it is a repair, not a laundering)"""
    system_id = _switch_off(world, engine)
    caio = world.actor(R.CHIEF_AI_OFFICER)
    policies.set_enabled(world.ctx, caio, "raci-first", True)
    check = gates.check_gate(world.ctx, caio, system_id, S.ASSESSED)
    assert not any("outside Charter" in r for r in check.result.blocking_reasons)
    assert any("RACI findings" in r for r in check.result.blocking_reasons)  # strict, enforced
