"""charter kpi record keeps the provenance the API and the web page keep: who entered the
figure and through which interface (the server's word), and any source they state, apart."""

from __future__ import annotations

from typing import Any

from typer.testing import CliRunner

from charter.cli.main import app
from tests.cli.test_cli import ADMIN
from tests.strategy.test_strategy_cli import _org


def _kpi(cli: Any, people: dict[str, str], unit: str) -> str:
    return str(cli(
        "kpi", "define", "--name", "Hours saved", "--unit", "hours", "--direction", "increase",
        "--target", "60", "--owner", people["ai_program_manager_id"],
        "--system", _system(cli, unit), "--as", people["ai_program_manager"],
    )["id"])  # fmt: skip


def _system(cli: Any, unit: str) -> str:
    caio = "chief_ai_officer@example.org"
    return str(cli("systems", "register", "Claims triage", "--purpose", "route claims",
                   "--business-unit", unit, "--as", caio)["id"])  # fmt: skip


def _measured(cli: Any) -> list[dict[str, Any]]:
    events = [e["event"] for e in cli("audit", "log", "--as", ADMIN)["items"]]
    return [e for e in events if e["action"] == "kpi.measured"]


def test_a_measurement_recorded_on_the_command_line_says_who_how_and_their_source(
    cli: Any,
) -> None:
    people, unit = _org(cli)
    pm = people["ai_program_manager"]
    kpi = _kpi(cli, people, unit)
    done = cli(
        "kpi", "record", kpi, "2026-03", "65", "--note", "after the pilot",
        "--stated-source", "finance ledger Q1", "--as", pm,
    )  # fmt: skip
    (item,) = done["items"]
    assert (item["recorded_by"], item["source"]) == (people["ai_program_manager_id"], "cli")
    assert (item["note"], item["stated_source"]) == ("after the pilot", "finance ledger Q1")
    (shown,) = cli("kpi", "show", kpi, "--as", pm)["measurements"]
    assert shown["source"] == "cli" and shown["stated_source"] == "finance ledger Q1"
    (event,) = _measured(cli)
    assert event["actor"] == item["recorded_by"]
    assert event["data"]["source"] == "cli"
    assert event["data"]["stated_source"] == "finance ledger Q1"


def test_without_a_stated_source_the_event_carries_none_and_show_names_the_path(
    cli: Any,
) -> None:
    people, unit = _org(cli)
    pm = people["ai_program_manager"]
    kpi = _kpi(cli, people, unit)
    cli("kpi", "record", kpi, "2026-03", "65", "--as", pm)
    (event,) = _measured(cli)
    assert "stated_source" not in event["data"] and event["data"]["source"] == "cli"
    shown = CliRunner().invoke(app, ["kpi", "show", kpi, "--as", pm], terminal_width=200)
    assert shown.exit_code == 0, shown.output
    assert "the command line" in shown.output and "ai_program_manager" in shown.output
