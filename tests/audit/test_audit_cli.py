"""The audit trail from the command line: keys, checkpoints, export, offline verify, witness."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from charter.cli.main import app
from charter.kernel.store.engine import make_engine

ADMIN = "root@example.org"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CHARTER_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CHARTER_ACTOR", ADMIN)
    monkeypatch.delenv("CHARTER_DATABASE_URL", raising=False)
    runner = CliRunner()

    def run(*args: str, code: int = 0) -> Any:
        result = runner.invoke(app, [*args, "--json"])
        assert result.exit_code == code, (args, result.output)
        return json.loads(result.stdout)

    return run


def _grow(cli, n: int) -> None:  # type: ignore[no-untyped-def]
    for _ in range(n):
        cli("units", "create", f"Unit {_grow.count}")  # type: ignore[attr-defined]
        _grow.count += 1  # type: ignore[attr-defined]


_grow.count = 0  # type: ignore[attr-defined]


def test_keys_checkpoint_export_and_offline_verification(cli, tmp_path: Path) -> None:
    keys = cli("keys", "init", "--name", "bank.example/audit")
    assert keys["verifier_key"].startswith("bank.example/audit+")
    assert cli("keys", "init", code=5)["error"] == "conflict"
    cli("init", "--name", "Root", "--email", ADMIN)
    _grow(cli, 5)
    checkpoint = cli("audit", "checkpoint")
    assert checkpoint["note"].startswith("bank.example/audit\n")
    verified = cli("audit", "verify")
    assert verified["intact"] and verified["checkpoint_size"] == checkpoint["size"]
    export = tmp_path / "log.jsonl"
    assert cli("audit", "export", str(export))["events"] == checkpoint["size"]
    offline = cli("audit", "verify", "--export", str(export), "--key", keys["verifier_key"])
    assert offline["intact"] and offline["size"] == checkpoint["size"]
    proof = cli("audit", "prove", "2")
    assert proof["tree_size"] == checkpoint["size"] and proof["proof"]
    cons = cli("audit", "consistency", "2")
    assert cons["to"] == checkpoint["size"]
    lines = export.read_bytes().splitlines(keepends=True)
    lines[3] = lines[3].replace(b'"actor":"', b'"actor":"x')
    export.write_bytes(b"".join(lines))
    broken = cli("audit", "verify", "--export", str(export), code=1)
    assert broken["first_bad_seq"] == 3 and not broken["intact"]


def test_verify_names_the_first_bad_event_in_the_database(cli, tmp_path: Path) -> None:
    cli("keys", "init")
    cli("init", "--name", "Root", "--email", ADMIN)
    _grow(cli, 4)
    cli("audit", "checkpoint")
    engine = make_engine(f"sqlite:///{tmp_path}/home/charter.db")
    with engine.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_events_no_update"))
        conn.execute(
            text(
                "UPDATE audit_events SET actor = 'x', canonical = "
                "CAST(REPLACE(CAST(canonical AS TEXT), 'Unit', 'Unlt') AS BLOB) "
                "WHERE seq = 4"
            )
        )
    engine.dispose()
    report = cli("audit", "verify", code=1)
    assert report["first_bad_seq"] == 4 and "stored hash" in report["problem"]


def test_witness_accepts_growth_and_refuses_a_rewritten_log(cli, tmp_path: Path) -> None:
    cli("keys", "init")
    cli("init", "--name", "Root", "--email", ADMIN)
    state = tmp_path / "witness.json"
    none_yet = cli("audit", "witness", "--state", str(state), code=4)
    assert none_yet["error"] == "not-found" and not state.exists()
    _grow(cli, 3)
    cli("audit", "checkpoint")
    first = cli("audit", "witness", "--state", str(state))
    assert first["consistent"] and first["previous_size"] is None
    _grow(cli, 6)
    cli("audit", "checkpoint")
    second = cli("audit", "witness", "--state", str(state))
    assert second["consistent"] and second["previous_size"] == first["size"]
    # the history is rewritten: a different log, signed with the same key, grows past it
    for suffix in ("", "-wal", "-shm"):
        Path(f"{tmp_path}/home/charter.db{suffix}").unlink(missing_ok=True)
    cli("init", "--name", "Mallory", "--email", ADMIN)
    _grow(cli, 20)
    cli("audit", "checkpoint")
    refused = cli("audit", "witness", "--state", str(state), code=1)
    assert not refused["consistent"] and "INCONSISTENT" in refused["message"]
    assert json.loads(state.read_text())["size"] == second["size"]  # state kept


def test_witness_over_exports(cli, tmp_path: Path) -> None:
    cli("keys", "init")
    cli("init", "--name", "Root", "--email", ADMIN)
    _grow(cli, 2)
    cli("audit", "checkpoint")
    state, export = tmp_path / "w.json", tmp_path / "e.jsonl"
    cli("audit", "export", str(export))
    assert cli("audit", "witness", "--state", str(state), "--export", str(export))["consistent"]
    _grow(cli, 3)
    cli("audit", "checkpoint")
    cli("audit", "export", str(export))
    assert cli("audit", "witness", "--state", str(state), "--export", str(export))["consistent"]
    text_ = export.read_bytes().replace(b'"Unit ', b'"Umit ', 1)
    export.write_bytes(text_)
    assert not cli("audit", "witness", "--state", str(state), "--export", str(export), code=1)[
        "consistent"
    ]
