"""Issue 23: one limit on a policy file's size, from the settings (CHARTER_POLICY_FILE_BYTES),
for the web UI's check and load and for `charter policies validate|load` alike (the page took
256,000 bytes and the CLI 1 MiB); over it, a refusal (413, exit 3) that names the limit and
the setting, nothing stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from charter.config import Settings
from charter.governance.services import policies
from charter.kernel.limits import POLICY_FILE_BYTES
from charter.kernel.roles import RoleKind as R
from tests.governance.test_policies_ui import GOOD, _upload
from tests.web.test_ui import _csrf, _sign_in, ui

__all__ = ["ui"]


def _padded(size: int) -> str:
    """A valid policy file of exactly `size` bytes (a comment fills it)."""
    head = GOOD + "# "
    return head + "x" * (size - len(head.encode()) - 1) + "\n"


def test_the_setting_defaults_to_the_shipped_limit() -> None:
    assert Settings().policy_file_bytes == POLICY_FILE_BYTES == 256_000


def test_the_page_refuses_a_file_over_the_limit_naming_it(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
    limit = world.ctx.policy_file_bytes
    assert _upload(client, _padded(limit)).status_code == 200  # at the limit: checked
    over = _upload(client, _padded(limit + 1), "large.yaml")
    assert over.status_code == 413
    assert f"large.yaml: {limit + 1:,} bytes, over the limit of {limit:,} bytes" in over.text
    assert "CHARTER_POLICY_FILE_BYTES" in over.text
    form = {
        "text": _padded(limit + 1),
        "name": "large.yaml",
        "csrf": _csrf(client, "/ui/governance"),
    }
    loaded = client.post("/ui/policies/load", data=form)
    assert loaded.status_code == 413 and f"over the limit of {limit:,} bytes" in loaded.text
    assert policies.list_policies(world.ctx, world.admin) == []


@pytest.mark.parametrize("command", ["validate", "load"])
def test_the_cli_refuses_a_file_over_the_same_limit(cli: Any, tmp_path: Path, command: str) -> None:
    at, over = tmp_path / "at.yaml", tmp_path / "over.yaml"
    at.write_text(_padded(POLICY_FILE_BYTES))
    over.write_text(_padded(POLICY_FILE_BYTES + 1))
    assert cli("policies", "validate", str(at))["valid"] is True
    refused = cli("policies", command, str(at), str(over), code=3)
    assert f"over.yaml: {POLICY_FILE_BYTES + 1:,} bytes, over the limit of 256,000 bytes" in str(
        refused
    )


def test_the_cli_reads_the_limit_from_the_setting(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = tmp_path / "small.yaml"
    small.write_text(_padded(2_000))
    monkeypatch.setenv("CHARTER_POLICY_FILE_BYTES", "1500")
    refused = cli("policies", "validate", str(small), code=3)
    assert "over the limit of 1,500 bytes" in str(refused)
