"""`charter --help` and `charter version` start without importing what no command needs yet:
start-up is part of every run (ADR 0002). The time itself is measured by make bench."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import typer

from charter.cli.commands import COMMANDS, command
from tests.cli.commands import leaves

HEAVY = (
    "fastapi",
    "starlette",
    "sqlalchemy",
    "alembic",
    "altair",
    "vl_convert",
    "duckdb",
    "pyarrow",
    "pandas",
    "numpy",
    "jsonschema",
    "yaml",
    "httpx",
    "cryptography",
    "argon2",
    "jinja2",
    "charter.bootstrap",
    "charter.wiring",
)  # fmt: skip  (pydantic is left out: Typer imports it itself when a command runs)
PROBE = """
import json, sys
from typer.testing import CliRunner
from charter.cli.main import app
runner = CliRunner()
assert runner.invoke(app, ["--help"]).exit_code == 0
assert runner.invoke(app, ["version", "--json"]).exit_code == 0
loaded = [m for m in json.loads(sys.argv[1]) if m in sys.modules]
capabilities = sorted({m.split(".")[1] for m in sys.modules if m.count(".") >= 2
                       and m.startswith("charter.") and m.split(".")[1] not in ("cli", "kernel")})
print(json.dumps({"heavy": loaded, "capabilities": capabilities}))
"""


def test_help_and_version_import_no_heavy_module_and_no_capability() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(HEAVY)],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    found = json.loads(done.stdout)
    assert found == {"heavy": [], "capabilities": []}


def test_each_summary_on_the_help_page_is_the_commands_own() -> None:
    for name, entry in COMMANDS.items():
        loaded = command(name, entry.load())
        assert " ".join((loaded.help or "").split()).startswith(entry.summary), name


def test_every_command_is_reachable_and_runs_its_own_help() -> None:
    from typer.testing import CliRunner

    from charter.cli.main import app

    runner = CliRunner()
    paths = [path for path, _ in leaves()]
    assert len(paths) > 80
    for path in ("charter people set-password", "charter systems show", "charter packs show"):
        assert path in paths
        result = runner.invoke(app, [*path.split()[1:], "--help"])
        assert result.exit_code == 0, result.output
    assert isinstance(typer.main.get_command(app), typer.core.TyperGroup)


GC_PROBE = """
import gc, json, sys
from typer.testing import CliRunner
from charter.cli.main import app, run
init = ["init", "--name", "Root", "--email", "root@example.org"]
assert CliRunner().invoke(app, init).exit_code == 0
assert gc.isenabled()  # the app called in-process leaves collection alone
sys.argv = ["charter", *json.loads(sys.argv[1])]
try:
    run()
except SystemExit as done:
    assert not done.code, done.code
print(json.dumps({"enabled": gc.isenabled(), "frozen": gc.get_freeze_count()}))
"""


def test_a_command_collects_garbage_again_once_its_context_is_built(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Start-up runs without collections (a long-lived heap); the command's own work, which
    may last (a sync loop, a server), runs with them."""
    env = {**os.environ, "CHARTER_HOME": str(tmp_path)}
    env.pop("CHARTER_DATABASE_URL", None)
    args = ["units", "list", "--as", "root@example.org", "--json"]
    done = subprocess.run(
        [sys.executable, "-c", GC_PROBE, json.dumps(args)],
        capture_output=True, text=True, check=True, timeout=120, env=env,
    )  # fmt: skip
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["enabled"] is True
    assert found["frozen"] > 10_000  # start-up's objects, kept out of collections
