"""The CLI through Typer's runner, against a real SQLite database in a temporary home."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from charter.inventory.domain import LifecycleStage
from charter.kernel.roles import RoleKind
from tests import pg
from tests.conftest import drop_postgres, fresh_postgres

ADMIN = "root@example.org"


def test_init_prints_a_one_time_token_and_refuses_a_second_time(cli, tmp_path: Path) -> None:
    first = cli("init", "--name", "Root", "--email", ADMIN)
    assert first["token"].startswith("chr_") and (tmp_path / "charter.db").exists()
    again = cli("init", "--name", "Eve", "--email", "eve@example.org", code=5)
    assert again["error"] == "conflict" and "already initialised" in again["detail"]


def test_organisation_inventory_raci_and_transition_from_the_cli(cli) -> None:
    cli("init", "--name", "Root", "--email", ADMIN)
    unit = cli("units", "create", "Retail", "--as", ADMIN)
    people = {}
    for role in (RoleKind.CHIEF_AI_OFFICER, RoleKind.PROGRAM_MANAGER, RoleKind.ETHICS_COMPLIANCE):
        email = f"{role.value}@example.org"
        person = cli(
            "people", "create", role.value, email, "--business-unit", unit["id"], "--as", ADMIN
        )
        cli("roles", "assign", person["id"], role.value, "--as", ADMIN)
        people[role] = email
    caio, pm = people[RoleKind.CHIEF_AI_OFFICER], people[RoleKind.PROGRAM_MANAGER]
    system = cli(
        "systems",
        "register",
        "Credit scoring",
        "--purpose",
        "Scores loans",
        "--business-unit",
        unit["id"],
        "--tag",
        "Credit",
        "--as",
        caio,
    )
    assert system["stage"] == "proposed" and system["tags"] == ["credit"]
    findings = cli("raci", "check", system["id"], "--as", caio, code=1)
    assert findings["total"] > 0
    request = cli(
        "transitions", "request", system["id"], "--to", "assessed", "--reason", "ready", "--as", pm
    )
    assert request["request"]["status"] == "pending"
    cli(
        "transitions",
        "decide",
        request["request"]["id"],
        "--decision",
        "approve",
        "--reason",
        "own request",
        "--as",
        pm,
        code=6,
    )
    done = cli(
        "transitions",
        "decide",
        request["request"]["id"],
        "--decision",
        "approve",
        "--reason",
        "screened",
        "--as",
        people[RoleKind.ETHICS_COMPLIANCE],
    )
    assert done["request"]["status"] == "applied"
    shown = cli("systems", "show", system["id"], "--as", caio)
    assert shown["stage"] == LifecycleStage.ASSESSED.value
    listed = cli("systems", "list", "--stage", "assessed", "--as", caio)
    assert [s["id"] for s in listed["items"]] == [system["id"]]
    unsigned = cli("audit", "verify", "--as", caio, code=1)
    assert "no signed checkpoint" in unsigned["problem"]
    cli("keys", "init")
    cli("audit", "checkpoint", "--as", caio)
    verify = cli("audit", "verify", "--as", caio)
    assert verify["intact"] and verify["size"] > 10
    history = cli("audit", "history", "system", system["id"], "--as", caio)
    assert [e["event"]["action"] for e in history["items"]][:2] == [
        "system.registered",
        "transition.requested",
    ]


def test_errors_have_documented_exit_codes(cli) -> None:
    cli("init", "--name", "Root", "--email", ADMIN)
    assert "--as" in cli("units", "list", code=3)["detail"]
    assert cli("systems", "show", "sys_nope", "--as", ADMIN, code=4)["error"] == "not-found"
    assert cli("units", "create", "  ", "--as", ADMIN, code=3)["error"] == "invalid-input"
    unknown = cli("units", "list", "--as", "ghost@example.org", code=4)
    assert "ghost@example.org" in unknown["detail"]


@pytest.mark.slow
def test_demo_builds_the_organisation_and_reports_it(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = cli("demo", "--no-serve", "--home", str(tmp_path / "demo"))
    assert summary["business_units"] >= 6
    assert summary["people"] >= 25
    assert set(summary["roles_covered"]) == {r.value for r in RoleKind}
    assert summary["systems"] == 14
    assert set(summary["stages_covered"]) == {s.value for s in LifecycleStage}
    assert summary["raci_findings"] > 0
    assert {
        "orphan_system",
        "segregation_of_duties",
        "several_accountable",
        "accountable_not_entitled",
        "no_accountable",
    } <= set(summary["raci_findings_by_kind"])
    assert summary["pending_transition_requests"] == 3
    # every system went through the EU AI Act questionnaire; readiness shows real gaps
    for pack in ("eu-ai-act", "iso-42001", "nist-ai-rmf", "gdpr"):
        assert summary["readiness"][pack]["open"] > 0
    assert summary["readiness"]["eu-ai-act"]["satisfied"] > 0
    assert summary["readiness"]["eu-ai-act"]["not_yet"] > 0  # Annex III duties from Dec 2027
    assert "unclassified" not in summary["systems_by_risk_tier"]
    assert summary["systems_by_risk_tier"]["high"] >= 3
    # the library is in force; a fairness failure blocks a fully signed-off request
    assert summary["policies_in_force"] >= 20
    [blocked] = summary["blocked_requests"]
    assert blocked["to"] == "approved_for_deployment"
    assert any("demographic_parity_difference" in b for b in blocked["blocking"])
    # and the board's waivers let another system through its gate
    waived = {w["requirement"] for w in summary["waivers"]}
    assert waived and waived <= {
        "fairness-decisions-on-people/parity",
        "fairness-decisions-on-people/odds",
        "fairness-decisions-on-people/four-fifths",
    }
    # a portfolio in every quadrant, KPIs with a year of measurements, value short of plan
    strategy = summary["strategy"]
    assert strategy["use_cases"] >= 20
    assert {"quick_win", "transformational", "strategic_bet", "drop"} <= set(
        strategy["live_use_cases_by_quadrant"]
    )
    assert {"approved", "submitted", "parked", "rejected", "delivered", "stopped"} == set(
        strategy["use_cases_by_status"]
    )
    assert strategy["kpi_measurements"] >= 12 * 9 and strategy["kpi_alerts"] >= 1
    assert strategy["value_shortfalls"] >= 1
    # bodies with a year of meetings, training (some expired), adoption, the scorecard
    people = summary["people_side"]
    assert people["bodies"] == 4 and people["meetings"] >= 36 and people["decisions"] >= 30
    assert people["decisions_not_carried"] >= 1
    assert 0 < min(v for v in people["literacy_by_role"].values() if v is not None) < 1
    assert people["adoption_figures"] >= 12 * 3 and people["skill_gaps"] > 0
    assert set(people["scorecard"]) == {
        "roles", "bodies", "governance", "talent", "strategy", "adoption", "delivery",
        "infrastructure",
    }  # fmt: skip
    assert all(score is not None for score in people["scorecard"].values())
    # after go-live: a monitor whose last two runs breached (an alert, a review), an incident
    # under its Art. 73 clock
    live = summary["after_go_live"]
    assert live["monitor_runs"] == {"passed": 2, "breached": 2}
    assert live["open_alerts"] == 1 and live["open_reviews"] == 1
    [incident] = live["incidents"]
    assert incident["serious"] and incident["deadline"]
    # a register across the systems: some above appetite, one accepted by the board,
    # controls failing (the credit model's parity check among them) and passing
    risks = summary["risks"]
    assert risks["open"] >= 30 and risks["systems"] >= 10
    assert risks["above_appetite"] >= 3 and risks["failing_controls"] >= 3
    assert risks["accepted"] == ["Applicants under 25 approved less often than their risk warrants"]
    assert risks["overdue"] >= 1 and 0 < risks["high_in_hand"] < risks["high"]
    assert summary["signed_checkpoint_size"] == summary["audit_events"]
    credit = summary["evidence"][0]  # a real model, trained and validated: a fairness finding
    assert len(summary["evidence"]) == 3 and not credit["passed"]
    assert {"parity-age", "odds-sex"} & set(credit["not_satisfied"])
    assert summary["sign_in"]["administrator"]["token"].startswith("chr_")
    web = summary["sign_in"]["web"]
    assert web["url"].endswith("/ui/") and len(web["password"]) >= 12
    assert set(web["people"]) >= {"chief_ai_officer", "governance_board_member"}
    # a second run starts afresh, and never touches the real database or key
    again = cli("demo", "--no-serve", "--home", str(tmp_path / "demo"))
    assert again["systems"] == 14 and again["people"] == summary["people"]
    assert not (tmp_path / "demo" / "charter.db").exists()
    assert not (tmp_path / "demo" / "keys" / "audit.key").exists()
    # the demo's trail verifies with the demo's key
    env = summary["sign_in"]["cli"].split(" charter ")[0]
    for pair in env.split():
        monkeypatch.setenv(*pair.split("=", 1))
    verified = cli("audit", "verify", "--as", summary["sign_in"]["administrator"]["email"])
    assert verified["intact"] and verified["checkpoints_checked"] == 1


@pytest.mark.slow
@pytest.mark.postgres
def test_the_demo_builds_into_the_postgresql_database_named(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pg_template: pg.PostgresServer
) -> None:
    """An evaluator tries the organisation on the database it would run on; a database that
    holds records is never built over."""
    engine, name = fresh_postgres(pg_template)
    monkeypatch.setenv("CHARTER_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    try:
        summary = cli("demo", "--no-serve", "--home", str(tmp_path / "demo"))
        assert summary["systems"] == 14 and summary["pending_transition_requests"] == 3
        assert summary["database"].startswith("postgresql")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM systems")).scalar() == 14
        again = cli("demo", "--no-serve", "--home", str(tmp_path / "demo"), code=5)
        assert "not empty" in again["detail"]
    finally:
        engine.dispose()
        drop_postgres(pg_template, name)
