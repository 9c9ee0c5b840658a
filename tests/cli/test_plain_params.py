"""Parameters converted without pydantic (charter.cli.plain) give what Typer's own conversion
gives, values and refusals, on every command; and `charter validate` reaches its suite
without importing pydantic (Typer's adapters cost its run ~0.1 s before the scan)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import typer
from typer._coercion import build_runtime_param

from tests.cli.commands import leaves

VALUES: list[Any] = [
    "x", "", " a b ", "ü-é", "-", "--x", "a\x00b", "/no/such/file", ".", "~/x", "0", "true",
    True, False, 1, b"bytes", Path("p"),
]  # fmt: skip


def _outcome(convert: Any, value: Any, param: Any, ctx: Any) -> tuple[str, Any]:
    try:
        found = convert.coerce(value, param=param, ctx=ctx)
    except Exception as error:  # (a refusal: the same kind and words)
        return type(error).__name__, str(error)
    return type(found).__name__, found


def test_plain_conversion_is_typers_own(tmp_path: Path) -> None:
    (tmp_path / "there.yaml").write_text("x")
    values = [*VALUES, str(tmp_path / "there.yaml"), str(tmp_path)]
    checked = 0
    for path, command in leaves():
        ctx = typer.Context(command)
        params = [*command.params, command.get_help_option(ctx)]
        for param in params:
            plain = getattr(param, "_runtime_param", None)
            if plain is None or type(plain).__name__ != "_Plain":
                continue
            typers = build_runtime_param(param.type_descriptor)
            for value in values:
                ours = _outcome(plain, value, param, ctx)
                assert ours == _outcome(typers, value, param, ctx), (path, param.name, value)
            checked += 1
    assert checked > 300  # the str, bool and Path parameters of every command and --help


PROBE = """
import json, sys
from charter.cli.main import app
try:
    app(["validate", sys.argv[1], "--system", "sys_x", "--as", "a@b.c", "--json"])
except SystemExit as exit:
    code = exit.code
print(json.dumps({"code": code, "pydantic": "pydantic" in sys.modules}))
"""


def test_validate_reads_its_suite_without_importing_pydantic(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "missing.yaml")],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    assert json.loads(done.stdout.splitlines()[-1]) == {"code": 3, "pydantic": False}


ARGS = [
    ["validate"], ["validate", "x.yaml", "--system"], ["validate", "--bogus"],
    ["validate", "--help"], ["validate", "a\x00b", "--system", "s"], ["--help"],
    ["validate", "x.yaml", "--system", "s", "--json", "--json"],
]  # fmt: skip


def test_help_and_usage_errors_are_typers_own() -> None:
    """The same answers with and without the plain conversions (Typer's own in a process of
    its own, where they are not installed)."""
    from typer.testing import CliRunner

    from charter.cli.main import app

    ours = [(r.exit_code, r.output) for r in (CliRunner().invoke(app, a) for a in ARGS)]
    done = subprocess.run(
        [sys.executable, "-c", TYPERS, json.dumps(ARGS)],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    assert ours == [tuple(x) for x in json.loads(done.stdout)]
    assert ours[0][0] == 2 and "Missing argument 'suite_file'" in ours[0][1]


TYPERS = """
import json, sys
import charter.cli.plain
charter.cli.plain.install = lambda command: None  # Typer's own conversions everywhere
charter.cli.plain.plain = lambda param: param
from typer.testing import CliRunner
from charter.cli.main import app
print(json.dumps([(r.exit_code, r.output) for r in
                  (CliRunner().invoke(app, a) for a in json.loads(sys.argv[1]))]))
"""
