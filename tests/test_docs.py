"""Documentation that fails the suite when it falls behind the code."""

from __future__ import annotations

import re
from pathlib import Path

from charter.kernel.cli.output import EXIT_CONFLICT, EXIT_DENIED, EXIT_INVALID, EXIT_NOT_FOUND
from charter.web.app import create_app
from tests.cli.commands import leaves, options

ROOT = Path(__file__).resolve().parents[1]


def test_every_cli_command_is_documented_has_help_and_json() -> None:
    text = (ROOT / "docs" / "cli.md").read_text()
    for path, command in leaves():
        assert f"`{path}" in text, f"{path} is not in docs/cli.md"
        assert command.help, f"{path} has no help text"
        if path != "charter serve":
            assert "--json" in options(command), f"{path} takes no --json"


def test_exit_codes_are_documented() -> None:
    text = (ROOT / "docs" / "cli.md").read_text()
    for code in (0, 1, 2, EXIT_INVALID, EXIT_NOT_FOUND, EXIT_CONFLICT, EXIT_DENIED):
        assert re.search(rf"^\| {code} \|", text, re.M), f"exit code {code} undocumented"


def test_every_api_path_is_documented() -> None:
    text = (ROOT / "docs" / "api.md").read_text()
    paths = create_app(None).openapi()["paths"]  # type: ignore[arg-type]
    for path in paths:
        short = path.removeprefix("/api/v1")
        generic = re.sub(r"\{[a-z_]+_id\}", "{id}", short)
        assert short in text or generic in text or _kind_form(short) in text, path


def _kind_form(path: str) -> str:
    return re.sub(r"^/(vendors|datasets|models)/\{[a-z_]+\}$", "/{kind}/{id}", path)


def test_readme_quick_start_shows_the_two_commands_first() -> None:
    text = (ROOT / "README.md").read_text()
    quick = text.split("## Quick start", 1)[1]
    commands = re.findall(r"^make \w+", quick, re.M)
    assert commands[:2] == ["make demo", "make test"]


def test_changelog_has_an_unreleased_section() -> None:
    assert "## Unreleased" in (ROOT / "CHANGELOG.md").read_text()
