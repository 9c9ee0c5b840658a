"""`charter risks ...` through the real CLI on a real SQLite database: register a risk, define
and test a manual control, watch the residual follow the test, state an appetite, export
CSV, and the documented exit codes for bad input and refusals."""

from __future__ import annotations

from typing import Any

from typer.testing import CliRunner

from charter.cli.main import app
from charter.kernel.roles import RoleKind

ADMIN = "root@example.org"


def _organisation(cli: Any) -> tuple[str, str, str]:
    cli("init", "--name", "Root", "--email", ADMIN)
    unit = cli("units", "create", "Retail", "--as", ADMIN)
    emails = {}
    for role in (RoleKind.CHIEF_AI_OFFICER, RoleKind.AUDITOR):
        email = f"{role.value}@example.org"
        person = cli(
            "people", "create", role.value, email, "--business-unit", unit["id"], "--as", ADMIN
        )
        cli("roles", "assign", person["id"], role.value, "--as", ADMIN)
        emails[role] = email
    caio = emails[RoleKind.CHIEF_AI_OFFICER]
    system = cli("systems", "register", "Chat", "--purpose", "Answers", "--business-unit",
                 unit["id"], "--as", caio)  # fmt: skip
    return caio, emails[RoleKind.AUDITOR], system["id"]


def test_a_risk_its_control_and_the_register_from_the_cli(cli: Any) -> None:
    caio, auditor, system = _organisation(cli)
    me = cli("people", "list", "--as", caio)["items"]
    owner, name = next((p["id"], p["name"]) for p in me if p["email"] == caio)
    risk = cli("risks", "add", "title=Invented fees", "category=GAI.2", "cause=LLM",
               "consequence=Customers misled", f"owner_id={caio}", "inherent_likelihood=4",
               "inherent_impact=4", "target_likelihood=1", "target_impact=2",
               "--system", system, "--as", caio)  # fmt: skip
    assert (risk["standing"], risk["residual"]["score"]) == ("above", 16)
    assert (risk["owner_id"], risk["owner_name"]) == (owner, name)  # named by e-mail
    control = cli("risks", "controls", "add", "title=Weekly answer sample", "kind=manual",
                  "--as", caio)  # fmt: skip
    cli("risks", "link", risk["id"], control["id"], "--as", caio)
    cli("risks", "controls", "test", control["id"], "--passed", "--evidence", "dms://w1",
        "--as", caio)  # fmt: skip
    shown = cli("risks", "show", risk["id"], "--as", auditor)
    assert (shown["standing"], shown["residual"]["score"]) == ("within", 2)
    assert [c["state"] for c in shown["controls"]] == ["effective"]
    cli("risks", "controls", "test", control["id"], "--failed", "--evidence", "dms://w2",
        "--as", caio)  # fmt: skip
    assert cli("risks", "show", risk["id"], "--as", auditor)["standing"] == "above"
    failing = cli("risks", "controls", "list", "--state", "failing", "--as", auditor)
    assert [c["id"] for c in failing["items"]] == [control["id"]]
    assert cli("risks", "list", "--failing", "--as", auditor)["total"] == 1
    heat = {
        (c["likelihood"], c["impact"]): c for c in cli("risks", "heatmap", "--as", caio)["items"]
    }
    assert (heat[4, 4]["inherent"], heat[4, 4]["residual"]) == (1, 1)
    assert cli("risks", "list", "--cell", "residual:4x4", "--as", caio)["total"] == 1
    assert cli("risks", "list", "--cell", "inherent:1x2", "--as", caio)["total"] == 0
    cli("risks", "list", "--cell", "4x4", "--as", caio, code=3)
    summary = cli("risks", "summary", "--as", caio)
    assert summary["open"] == 1 and len(summary["above_appetite"]) == 1
    by_owner = cli("risks", "groups", "owner", "--as", caio)["items"]
    assert by_owner == [{"key": owner, "open": 1, "above": 1, "accepted": 0,
                         "failing_controls": 1, "overdue": 0, "label": name}]  # fmt: skip
    stated = cli("risks", "appetite", "--category", "GAI", "--max", "critical", "--rationale",
                 "pilot", "--as", caio)  # fmt: skip
    assert [s["max_band"] for s in stated["items"]] == ["critical"]
    assert cli("risks", "show", risk["id"], "--as", caio)["standing"] == "within"
    said = CliRunner().invoke(app, ["risks", "show", risk["id"], "--as", caio])
    words = " ".join(said.stdout.split())
    assert "appetite critical (Appetite for " in words and "(its domain)" in words, words
    assert stated["items"][0]["id"] not in words, "the statement named, not its raw id"
    assert len(cli("risks", "catalogue", "--as", auditor)["items"]) >= 36
    csv = CliRunner().invoke(app, ["risks", "list", "--csv", "--as", auditor])
    assert csv.exit_code == 0 and csv.stdout.splitlines()[1].startswith(risk["id"] + ",")


def test_bad_input_and_refusals_have_their_exit_codes(cli: Any) -> None:
    caio, auditor, system = _organisation(cli)
    bad = cli("risks", "add", "title=", "category=nope", "inherent_likelihood=9",
              "--system", system, "--as", caio, code=3)  # fmt: skip
    assert "missing risk field(s)" in bad["detail"]
    cli("risks", "controls", "add", "title=x", "kind=manual", "--as", auditor, code=6)
    cli("risks", "show", "rsk_nope", "--as", caio, code=4)
    cli("risks", "groups", "colour", "--as", caio, code=3)
