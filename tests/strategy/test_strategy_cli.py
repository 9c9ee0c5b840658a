"""charter objectives | usecases | portfolio | kpi against a real SQLite database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from charter.kernel.roles import RoleKind
from tests.cli.test_cli import ADMIN


def _org(cli: Any) -> tuple[dict[str, str], str]:  # type: ignore[no-untyped-def]
    cli("init", "--name", "Root", "--email", ADMIN)
    unit = cli("units", "create", "Claims", "--as", ADMIN)["id"]
    emails = {}
    for role in (
        RoleKind.CHIEF_AI_OFFICER,
        RoleKind.PROGRAM_MANAGER,
        RoleKind.AI_CHAMPION,
        RoleKind.EXECUTIVE_SPONSOR,
        RoleKind.DATA_SCIENTIST,
    ):
        email = f"{role.value}@example.org"
        person = cli("people", "create", role.value, email, "--business-unit", unit, "--as", ADMIN)
        cli("roles", "assign", person["id"], role.value, "--as", ADMIN)
        emails[role.value] = email
        emails[role.value + "_id"] = person["id"]
    return emails, unit


def test_intake_to_roadmap_and_kpis_from_the_cli(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    people, unit = _org(cli)
    caio, pm, champion = (people[k] for k in ("chief_ai_officer", "ai_program_manager",
                                              "ai_champion"))  # fmt: skip
    objective = cli("objectives", "create", "Cut claims cost", "--as", caio)["id"]
    intake = tmp_path / "intake.yaml"
    intake.write_text(
        "description: Route incoming motor claims to the right handler team\n"
        "screening: {annex_iii: ['5.a']}\n"
    )
    submitted = cli(
        "usecases", "submit", "--title", "Claims triage assistant", "--objective", objective,
        "--business-unit", unit, "--value", "cost=900,000@60%", "--cost", "150000",
        "--months", "4", "--rate", "feasibility=4", "--rate", "risk=2",
        "--rate", "strategic_fit=4", "--skill", "NLP", "--file", str(intake), "--as", champion,
    )  # fmt: skip
    assert submitted["estimates"] == [{"kind": "cost", "amount": 900000, "confidence": 60}]
    assert submitted["screening_tier"] == "high" and submitted["possible_duplicates"] == []
    again = cli(
        "usecases", "submit", "--title", "Claim triage assistant", "--objective", objective,
        "--business-unit", unit, "--description",
        "Routes incoming motor claims to the right handling team", "--as", champion,
    )  # fmt: skip
    assert [d["ref"] for d in again["possible_duplicates"]] == [f"use_case:{submitted['id']}"]
    uc = submitted["id"]
    shown = cli("usecases", "show", uc, "--as", pm)
    assert shown["score"]["quadrant"] == "quick_win" and shown["score"]["total"] > 50
    assert cli("usecases", "show", again["id"], "--as", pm)["score"]["missing"] == [
        "value", "feasibility", "risk", "strategic_fit", "time_to_value",
    ]  # fmt: skip
    refused = cli("usecases", "decide", uc, "--decision", "approve", "--reason", "go",
                  "--as", caio, code=5)  # fmt: skip
    assert "executive sponsor" in refused["detail"]
    cli("usecases", "update", uc, "--sponsor", people["executive_sponsor_id"], "--as", pm)
    assert cli("usecases", "decide", uc, "--decision", "approve", "--reason", "go",
               "--as", caio)["status"] == "approved"  # fmt: skip
    cli("usecases", "plan", uc, "--start", "2027-Q1", "--end", "2027-Q2", "--as", pm)
    promoted = cli("usecases", "promote", uc, "--as", pm)
    classified = cli("classify", promoted["system"]["id"], "--from-use-case", uc, "--as", caio)
    assert classified["tier"] == "high" and classified["answers"] == {"annex_iii": ["5.a"]}
    roadmap = cli("portfolio", "roadmap", "--as", caio)["items"]
    assert roadmap[0]["systems"][0]["id"] == promoted["system"]["id"]
    ranked = cli("portfolio", "rank", "--status", "approved", "--status", "submitted",
                 "--weight", "value=0", "--as", caio)  # fmt: skip
    assert [i["rank"] for i in ranked["items"]] == [1, None]
    assert cli("portfolio", "rank", "--weight", "speed=1", "--as", caio, code=3)
    kpi = cli(
        "kpi", "define", "--name", "Claims routed", "--unit", "%", "--direction", "increase",
        "--target", "60", "--baseline", "10", "--owner", people["ai_program_manager_id"],
        "--use-case", uc, "--alert-after", "2", "--as", pm,
    )["id"]  # fmt: skip
    rows = tmp_path / "kpi.csv"
    rows.write_text(f"kpi_id,period,value\n{kpi},2026-01,20\n{kpi},2026-02,abc\n")
    bad = cli("kpi", "import", str(rows), "--as", people["data_scientist"], code=3)
    assert "line 3" in bad["detail"]
    rows.write_text(f"kpi_id,period,value\n{kpi},2026-01,20\n{kpi},2026-02,30\n")
    ds = people["data_scientist"]
    shown = cli("kpi", "import", str(rows), "--dry-run", "--as", ds)
    assert shown["rows"] == 2
    assert (
        cli("kpi", "import", str(rows), "--preview", shown["preview"], "--as", ds)["recorded"] == 2
    )
    alerts = cli("kpi", "alerts", "--as", caio, code=1)
    assert alerts["alerts"][0]["kpi_id"] == kpi and alerts["alerts"][0]["missed"] == 2
    cli("kpi", "record", kpi, "2026-03", "65", "--as", pm)
    assert cli("kpi", "alerts", "--as", caio)["total"] == 0
    assert [m["value"] for m in cli("kpi", "show", kpi, "--as", caio)["measurements"]] == [
        20.0, 30.0, 65.0,
    ]  # fmt: skip
