"""`charter validate` in its plain form begins its scan before Typer loads (charter.cli.early)
and the command takes that run; any other form begins it once parsed, as before. Either
way the answers are the same: the evidence, the rights refusal, Typer's usage errors."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from charter.cli.early import plain_validate
from tests.validation.test_validate_cli import ADMIN, DS, world  # noqa: F401  (a fixture)

PROBE = """
import json, sys
import charter.validation.engines.runner as runner
begun = []
init = runner.Started.__init__
def started(self, *args, **kwargs):
    begun.append("typer" in sys.modules)  # begun before Typer loaded?
    init(self, *args, **kwargs)
runner.Started.__init__ = started
from charter.cli.main import run
sys.argv = ["charter", *json.loads(sys.argv[1])]
try:
    run()
    code = 0
except SystemExit as done:
    code = done.code
print()
print(json.dumps({"code": code, "begun_before_typer": begun}))
"""


def _run(args: list[str]) -> tuple[Any, dict[str, Any]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    *out, last = done.stdout.strip().splitlines()
    text = "\n".join(out).strip()
    return (json.loads(text) if text.startswith("{") else done.stderr), json.loads(last)


def test_the_plain_form_begins_before_typer_and_answers_the_same(world) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    run, system, folder = world
    person = run("people", "create", "Aud", "aud@example.org", "--as", ADMIN)
    run("roles", "assign", person["id"], "auditor", "--as", ADMIN)
    suite = str(folder / "suite.yaml")
    plain = ["validate", suite, "--system", system, "--json"]
    evidence, how = _run([*plain, "--as", DS])
    assert how == {"code": 1, "begun_before_typer": [False]}  # dp-sex is not satisfied
    assert {r["check_id"]: r["verdict"] for r in evidence["results"]}["dp-sex"] == "not_satisfied"
    other, how = _run(["validate", suite, f"--system={system}", "--json", f"--as={DS}"])
    assert how == {"code": 1, "begun_before_typer": [True]}  # begun once parsed
    assert other["results"] == evidence["results"] and other["id"] != evidence["id"]
    refused, how = _run([*plain, "--as", "aud@example.org"])
    assert how == {"code": 6, "begun_before_typer": [False]} and refused["error"] == "forbidden"
    usage, how = _run(["validate", suite, "--json"])
    assert how == {"code": 2, "begun_before_typer": []} and "--system" in usage


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["validate", "s.yaml", "--system", "x"], ("s.yaml", "duckdb")),
        (["validate", "--json", "--system", "x", "--engine", "spark", "s"], ("s", "spark")),
        (["validate", "s", "--system", "x", "--as", "a", "--model-version", "v"], ("s", "duckdb")),
        (["validate", "s.yaml"], None),  # no --system: Typer says so
        (["validate", "s.yaml", "--system"], None),
        (["validate", "s.yaml", "--system", "--json"], None),  # (Click would take it as the id)
        (["validate", "s.yaml", "--system", "x", "--system", "y"], None),
        (["validate", "s.yaml", "--system", "x", "--json", "--json"], None),
        (["validate", "s.yaml", "t.yaml", "--system", "x"], None),
        (["validate", "s.yaml", "--system=x"], None),
        (["validate", "s.yaml", "--system", "x", "--server", "http://h"], None),
        (["validate", "s.yaml", "--system", "x", "--help"], None),
        (["validate", "-", "--system", "x"], None),
        (["validate", "--", "s.yaml", "--system", "x"], None),
        (["systems", "list"], None),
        ([], None),
    ],
)  # fmt: skip
def test_only_the_plain_form_is_read_early(
    args: list[str], expected: tuple[str, str] | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CHARTER_SERVER", raising=False)
    found = plain_validate(args)
    assert (None if found is None else (str(found[0]), found[1])) == expected
    monkeypatch.setenv("CHARTER_SERVER", "http://h")  # the command asks a server instead
    assert plain_validate(args) is None
