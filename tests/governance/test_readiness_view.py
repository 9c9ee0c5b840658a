"""Readiness people can read: shares satisfied per pack and per system, a per-system view,
and the Art. 6(3) route shown as not applicable to a system classified high-risk (open only
for a system that took it)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from charter.cli.main import app

ADMIN = "root@example.org"
ROUTE = ("EUAIA.ART6.3", "EUAIA.ART6.3.a", "EUAIA.ART6.4", "EUAIA.ART49.2")


def _classified(cli, tmp_path: Path, name: str, answers: str) -> str:  # type: ignore[no-untyped-def]
    system = cli(
        "systems", "register", name, "--purpose", "Scores", "--business-unit", "Retail",
        "--as", ADMIN,
    )  # fmt: skip
    (tmp_path / f"{name}.yaml").write_text(answers)
    cli("classify", system["id"], "--answers", str(tmp_path / f"{name}.yaml"), "--as", ADMIN)
    return str(system["id"])


def test_readiness_in_shares_with_routes_that_do_not_apply(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("init", "--name", "Root", "--email", ADMIN)
    cli("units", "create", "Retail", "--as", ADMIN)
    for role in ("chief_ai_officer", "ethics_compliance_officer"):
        cli("roles", "assign", ADMIN, role, "--as", ADMIN)
    high = _classified(cli, tmp_path, "Credit", "annex_iii: ['5.b']\n")
    derogated = _classified(cli, tmp_path, "Triage", "annex_iii: ['4.a']\nderogation: d\n")

    one = cli("readiness", high, "--pack", "eu-ai-act", "--as", ADMIN)
    (row,) = one["items"]
    status = {i["id"]: i["status"] for i in row["requirements"]}
    assert {status[r] for r in ROUTE} == {"not_applicable"}
    assert row["applicable"] == row["satisfied"] + row["open"] + row["not_yet"]
    assert row["percent"] == round(100 * row["satisfied"] / row["applicable"], 1)
    took = cli("readiness", derogated, "--pack", "eu-ai-act", "--as", ADMIN)["items"][0]
    assert {i["id"]: i["status"] for i in took["requirements"]}["EUAIA.ART6.4"] == "open"

    everything = cli("readiness", "--as", ADMIN)
    by_system = {s["name"]: s for s in everything["systems"]}
    assert set(by_system) == {"Credit", "Triage"}
    credit = by_system["Credit"]
    rows = [r for r in everything["items"] if r["system"] == high]
    assert credit["applicable"] == sum(r["applicable"] for r in rows)
    assert credit["percent"] == round(100 * credit["satisfied"] / credit["applicable"], 1)
    assert all("percent" in v for v in everything["packs"].values())

    human = CliRunner().invoke(app, ["readiness", high, "--pack", "eu-ai-act", "--as", ADMIN])
    assert human.exit_code == 0, human.output
    assert "satisfied %" in human.output and "do not apply to Credit" in human.output
    assert "EUAIA.ART6.4" not in human.output  # not listed among what is open
