"""Output for people: tables name people and units rather than ids and never cut an e-mail
or an id, numbers read as numbers, transitions show their conditions as gate check does, and
the demo's summary says which system each evidence run is for and whom each sign-in is."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from charter.cli.main import app

ADMIN = "root@example.org"
LONG = "sofia.rossi-bianchi.della-valle@retail-banking.northwind.example.org"


def _human(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "80"})
    assert result.exit_code == code, result.output
    return result.output


def test_tables_show_names_and_whole_e_mails_and_ids(cli) -> None:  # type: ignore[no-untyped-def]
    cli("init", "--name", "Root", "--email", ADMIN)
    unit = cli("units", "create", "Retail Banking", "--as", ADMIN)
    sofia = cli("people", "create", "Sofia Rossi", LONG, "--business-unit", "Retail Banking",
                "--title", "Head of responsible AI and model risk", "--as", ADMIN)  # fmt: skip
    cli("roles", "assign", LONG, "ai_program_manager", "--scope", "business_unit",
        "--scope-id", "Retail Banking", "--as", ADMIN)  # fmt: skip
    people = _human("people", "list", "--as", ADMIN)
    assert LONG in people and sofia["id"] in people  # whole, on one line each
    assert "Retail Banking" in people and unit["id"] not in people
    roles = _human("roles", "list", "--person", LONG, "--as", ADMIN)
    assert "Sofia Rossi" in roles and "Retail Banking" in roles
    assert sofia["id"] not in roles and unit["id"] not in roles


def test_validation_numbers_read_as_numbers(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tests.validation.test_validate_cli import DS, SUITE, _data

    monkeypatch.setenv("CHARTER_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CHARTER_DATABASE_URL", raising=False)
    _human("init", "--name", "Root", "--email", ADMIN)
    _human("units", "create", "Retail", "--as", ADMIN)
    _human("people", "create", "Dee", DS, "--as", ADMIN)
    _human("roles", "assign", DS, "data_scientist", "--as", ADMIN)
    registered = _human("systems", "register", "Credit", "--purpose", "p", "--business-unit",
                        "Retail", "--as", DS)  # fmt: skip
    system = registered.split()[3].strip("()")  # "registered system Credit (sys_...)"
    _data(tmp_path / "scored.csv", rows=16281)
    (tmp_path / "suite.yaml").write_text(SUITE.format(data="scored.csv"))
    shown = _human("validate", str(tmp_path / "suite.yaml"), "--system", system, "--as", DS,
                   code=1)  # fmt: skip
    assert "16,281" in shown
    assert "1.628e+04" not in shown and "16281.0000" not in shown


def test_transitions_list_their_conditions_as_gate_check_does(cli) -> None:  # type: ignore[no-untyped-def]
    cli("init", "--name", "Root", "--email", ADMIN)
    cli("units", "create", "Retail", "--as", ADMIN)
    cli("roles", "assign", ADMIN, "chief_ai_officer", "--as", ADMIN)
    system = cli("systems", "register", "Credit", "--purpose", "p", "--business-unit",
                 "Retail", "--as", ADMIN)  # fmt: skip
    shown = _human("transitions", "request", system["id"], "--to", "assessed", "--reason",
                   "ready", "--as", ADMIN)  # fmt: skip
    gate = _human("gate", "check", system["id"], "--to", "assessed", "--as", ADMIN, code=1)
    for text in (shown, gate):
        assert "Conditions" in text
        assert "condition" in text and "blocking" in text and "approval:risk" in text


@pytest.mark.slow
def test_the_demo_summary_names_systems_and_sign_in_roles(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CHARTER_HOME", str(tmp_path))
    monkeypatch.delenv("CHARTER_DATABASE_URL", raising=False)
    shown = _human("demo", "--no-serve", "--home", str(tmp_path / "demo"))
    assert "evidence retail-credit-scoring for Credit Line Review: FAILED" in shown
    assert "API as chief AI officer:" in shown and "API as administrator:" in shown
    assert "(governance board member)" in shown and "(data scientist)" in shown
    assert "[Stage" not in shown


def test_waivers_findings_requests_use_cases_and_kpis_name_what_they_show(cli) -> None:  # type: ignore[no-untyped-def]
    cli("init", "--name", "Root", "--email", ADMIN)
    unit = cli("units", "create", "Retail Banking", "--as", ADMIN)
    root = cli("people", "list", "--as", ADMIN)["items"][0]
    cli("roles", "assign", ADMIN, "chief_ai_officer", "--as", ADMIN)
    cli("roles", "assign", ADMIN, "executive_sponsor", "--as", ADMIN)
    system = cli("systems", "register", "Credit Line Review", "--purpose", "p",
                 "--business-unit", "Retail Banking", "--as", ADMIN)  # fmt: skip
    cli("policies", "load", "--library", "--as", ADMIN)
    cli("waivers", "grant", system["id"], "--policy", "performance-before-deployment",
        "--requirement", "performance", "--reason", "pilot", "--measures", "manual review",
        "--days", "30", "--as", ADMIN)  # fmt: skip
    cli("transitions", "request", system["id"], "--to", "assessed", "--reason", "ready",
        "--as", ADMIN)  # fmt: skip
    objective = cli("objectives", "create", "Grow", "--as", ADMIN)
    case = cli("usecases", "submit", "--title", "Claims triage", "--objective", objective["id"],
               "--business-unit",
               "Retail Banking", "--sponsor", ADMIN, "--description", "Route claims",
               "--as", ADMIN)  # fmt: skip
    kpi = cli("kpi", "define", "--name", "Savings", "--unit", "EUR", "--direction", "increase",
              "--target", "16281", "--owner", ADMIN, "--use-case", case["id"], "--tracks",
              "value", "--as", ADMIN)  # fmt: skip
    cli("kpi", "record", kpi["id"], "2026-01", "12000", "--as", ADMIN)

    shown = {
        "waivers": _human("waivers", "list", "--as", ADMIN),
        "raci": _human("raci", "check", "--as", ADMIN, code=1),
        "transitions": _human("transitions", "list", system["id"], "--as", ADMIN),
        "use cases": _human("usecases", "list", "--as", ADMIN),
        "kpis": _human("kpi", "list", "--as", ADMIN),
        "value": _human("kpi", "value", "--as", ADMIN),
        "gate": _human("gate", "check", system["id"], "--to", "assessed", "--as", ADMIN, code=1),
        "roles": _human("roles", "assign", ADMIN, "auditor", "--scope", "system", "--scope-id",
                        system["id"], "--as", ADMIN),
        "unit": _human("units", "create", "Claims", "--as", ADMIN),
    }  # fmt: skip
    assert "gate proposed -> assessed for Credit Line Review: BLOCKED" in shown["gate"]
    assert "assigned auditor to Root for Credit Line Review: ra_" in shown["roles"]
    assert shown["unit"].startswith("created business unit Claims (bu_")
    assert "Credit Line Review" in shown["waivers"] and "Root" in shown["waivers"]
    assert "active" in shown["waivers"]
    assert "Credit Line Review" in shown["raci"]
    assert "Root" in shown["transitions"]
    assert "Retail Banking" in shown["use cases"] and "Root" in shown["use cases"]
    assert "Claims triage" in shown["kpis"] and "Root" in shown["kpis"]
    assert "16,281" in shown["kpis"] and "12,000" in shown["kpis"]
    assert "Claims triage" in shown["value"]
    for what, text in shown.items():
        for ident in (system["id"], unit["id"], root["id"]):
            assert ident not in text, (what, ident)


def test_a_table_is_never_cut_at_a_header(cli) -> None:  # type: ignore[no-untyped-def]
    cli("init", "--name", "Root", "--email", ADMIN)
    cli("units", "create", "Retail", "--as", ADMIN)
    cli("roles", "assign", ADMIN, "chief_ai_officer", "--as", ADMIN)
    cli("systems", "register", "Credit Scorings", "--purpose", "p", "--business-unit", "Retail",
        "--as", ADMIN)  # fmt: skip
    shown = _human("readiness", "--as", ADMIN)
    assert "satisfied %" in shown and "not yet" in shown
    framed = [line.rstrip() for line in shown.splitlines() if line.startswith(("┃", "│"))]
    assert framed and all(line.endswith(("┃", "│")) for line in framed), shown


def test_monitor_tables_name_the_system(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("init", "--name", "Root", "--email", ADMIN)
    cli("units", "create", "Retail Banking", "--as", ADMIN)
    cli("roles", "assign", ADMIN, "chief_ai_officer", "--as", ADMIN)
    system = cli("systems", "register", "Credit Line Review", "--purpose", "p",
                 "--business-unit", "Retail Banking", "--as", ADMIN)  # fmt: skip
    suite = tmp_path / "suite.yaml"
    suite.write_text("name: daily\ncolumns: {label: label, prediction: prediction}\n"
                     "checks: [{id: accuracy, metric: accuracy, min: 0.8}]\n")  # fmt: skip
    monitor = cli("monitor", "add", "Daily accuracy", "--system", system["id"],
                  "--suite", str(suite), "--file", "missing-{start:%Y-%m-%d}.parquet",
                  "--schedule", "0 6 * * *", "--as", ADMIN)  # fmt: skip
    cli("monitor", "run", "--monitor", monitor["id"], "--as", ADMIN)  # no file: an alert
    shown = {
        "monitors": _human("monitor", "list", "--as", ADMIN),
        "alerts": _human("monitor", "alerts", "--as", ADMIN),
    }
    for what, text in shown.items():
        assert "Credit Line Review" in text and system["id"] not in text, what


def test_a_cell_is_shown_as_typed_never_as_markup_or_terminal_codes(capsys) -> None:  # type: ignore[no-untyped-def]
    """What a person typed (a KPI's stated source, a note) reaches other people's terminals:
    Rich markup stays literal and control characters are written out, not obeyed."""
    from charter.kernel.cli.output import table

    table("Measurements", ["source"], [["[bold]ledger[/bold] \x1b[31mRED\x1b[0m \x1b[2J"]])
    shown = capsys.readouterr().out
    assert "[bold]ledger[/bold]" in shown and "\\x1b[31mRED" in shown and "\\x1b[2J" in shown
    assert "\x1b" not in shown


def test_an_error_quotes_what_was_typed_as_typed(capsys) -> None:  # type: ignore[no-untyped-def]
    from charter.kernel.cli.output import fail
    from charter.kernel.errors import InvalidInput

    with pytest.raises(typer.Exit):
        fail(InvalidInput("no person named '[conceal]x[/conceal]\x1b[2J'"), False)
    said = capsys.readouterr().err
    assert "[conceal]x[/conceal]" in said and "\\x1b[2J" in said and "\x1b" not in said
