"""charter classify (answers files and their limits, the questionnaire checked answer by
answer and resumed, --dry-run), charter packs diff, charter obligations calendar | impact,
against a real SQLite database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from charter.cli.main import app
from charter.kernel.roles import RoleKind
from tests.cli.test_cli import ADMIN

ECO = "chief_ai_officer@example.org"  # registers systems and classifies them


def _system(cli: Any) -> str:  # type: ignore[no-untyped-def]
    cli("init", "--name", "Root", "--email", ADMIN)
    unit = cli("units", "create", "HR", "--as", ADMIN)["id"]
    person = cli("people", "create", "Cai", ECO, "--business-unit", unit, "--as", ADMIN)
    cli("roles", "assign", person["id"], RoleKind.CHIEF_AI_OFFICER.value, "--as", ADMIN)
    registered = cli("systems", "register", "Screener", "--purpose", "Ranks CVs",
                     "--business-unit", unit, "--owner", person["id"], "--as", ECO)  # fmt: skip
    return str(registered["id"])


def test_an_answers_file_a_dry_run_and_the_record(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    system = _system(cli)
    answers = tmp_path / "answers.yaml"
    answers.write_text("annex_iii: ['4.a']\nroles: [provider, deployer]\nschedule: original\n")
    dry = cli("classify", system, "--answers", str(answers), "--dry-run", "--as", ECO)
    assert dry["dry_run"] is True and dry["tier"] == "high" and "id" not in dry
    assert cli("systems", "show", system, "--as", ECO)["risk_tier"] == "unclassified"
    done = cli("classify", system, "--answers", str(answers), "--as", ECO)
    assert done["tier"] == "high" and done["id"].startswith("cls")
    assert {(o["id"], o["role"]) for o in done["obligations"]} >= {
        ("EUAIA.ART9", "provider"), ("EUAIA.ART26", "deployer"),
    }  # fmt: skip
    calendar = cli("obligations", "calendar", "--as", ECO)  # the schedule in force: amended
    assert {(i["obligation"], i["on"]) for i in calendar["items"]} >= {("EUAIA.ART9", "2027-12-02")}
    original = cli("obligations", "calendar", "--schedule", "original", "--as", ECO)
    assert original["total"] == 0  # the original dates (2 August 2026) are past
    impact = cli("obligations", "impact", "--schedule", "amended", "--as", ECO)
    [item] = impact["items"]
    art9 = next(c for c in item["changes"] if c["obligation"] == "EUAIA.ART9")
    assert (art9["change"], art9["before"], art9["after"]) == ("date", "2026-08-02", "2027-12-02")
    assert art9["answerable"]["basis"] == "system owner"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty"),
        ("# nothing yet\n", "is empty"),
        ("{}", "is empty"),
        ("- 4.a\n", "answers are a mapping"),
        ("base: &b ['4.a']\nannex_iii: *b\n", "anchors and aliases are not accepted"),
        ("annex_iii: ['4.a']\nannex_iii: ['5.b']\n", "'annex_iii' is given twice"),
        ("ai_system: false\nannex_iii: ['4.a']\nderogation: z\nprofiling: sometimes\n"
         "ai_system: true\n", "3 problems in the answers: line 5: 'ai_system' is given twice"),
    ],
)  # fmt: skip
def test_answers_files_are_refused_with_every_problem_and_nothing_recorded(
    cli,
    tmp_path: Path,
    text: str,
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    system = _system(cli)
    answers = tmp_path / "answers.yaml"
    answers.write_text(text)
    runner = CliRunner()
    result = runner.invoke(app, ["classify", system, "--answers", str(answers), "--as", ECO])
    assert result.exit_code == 3 and message in result.output, result.output
    assert cli("systems", "show", system, "--as", ECO)["risk_tier"] == "unclassified"


def test_an_answers_file_over_256_kb_is_refused_before_it_is_read(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    system = _system(cli)
    answers = tmp_path / "answers.yaml"
    answers.write_text("annex_iii: ['4.a']\n" + "#" * (256 * 1024))
    result = CliRunner().invoke(app, ["classify", system, "--answers", str(answers), "--as", ECO])
    assert result.exit_code == 3 and "at most 256 KB" in result.output


FIRST = ["provider, deployer", "", "y", "", "", "n", "9.z", "4.a"]  # roles ... annex_iii
REST = ["n", "n", "x", "a", "n", "", "", "n", "n", "n", "n", "n", ""]


def test_the_questionnaire_checks_each_answer_and_resumes(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    system = _system(cli)
    progress = tmp_path / "progress.yaml"
    runner = CliRunner()
    args = ["classify", system, "--progress", str(progress), "--as", ECO, "--json"]
    stopped = runner.invoke(app, args, input="\n".join(FIRST[:5]) + "\n")
    assert stopped.exit_code != 0  # the input ran out: the questionnaire stopped
    saved = progress.read_text()
    assert "roles:\n- provider\n- deployer" in saved and "ai_system: true" in saved
    done = runner.invoke(app, args, input="\n".join(FIRST[5:] + REST) + "\n")
    assert done.exit_code == 0, done.output
    assert "resuming from" in done.stderr and "unknown point(s) 9.z" in done.stderr
    assert "one of a, b, c, d" in done.stderr  # the derogation 'x', asked again
    assert "It performs a narrow procedural task" in done.stderr  # Art. 6(3) in words
    result = json.loads(done.stdout[done.stdout.index("\n{") :])  # the runner echoes input
    assert result["tier"] == "minimal" and result["answers"]["derogation"] == "a"
    assert [r["role"] for r in result["roles"]] == ["provider", "deployer"]


def test_packs_list_shows_versions_and_diff_compares_them(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    listed = {p["id"]: p for p in cli("packs", "list")["items"]}
    assert listed["eu-ai-act"]["versions"] == [
        {"version": "eu-ai-act@original", "effective": "2024-08-01"},
        {"version": "eu-ai-act@amended", "effective": "2026-07-27"},
    ]
    found = cli("packs", "diff", "eu-ai-act@original", "eu-ai-act@amended")
    assert {c["id"] for c in found["added"]} == {
        "EUAIA.ART5.1.ba", "EUAIA.ART5.1.bb", "EUAIA.ART111.4"
    }  # fmt: skip
    assert any(c["id"] == "EUAIA.ART9" for c in found["changed"])
    pack = Path(__file__).parents[2] / "src/charter/frameworks/data/packs/nyc-ll144.yaml"
    same = cli("packs", "diff", "nyc-ll144", str(pack))
    assert (same["added"], same["removed"], same["changed"]) == ([], [], [])
    cli("packs", "diff", "eu-ai-act@someday", "eu-ai-act", code=3)
    cli("packs", "diff", "colorado", "eu-ai-act", code=4)
