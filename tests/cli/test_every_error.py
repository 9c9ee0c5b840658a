"""Every error at once: a file with several problems names each with its line, path or
check in one run, and nothing of it is recorded."""

from __future__ import annotations

from pathlib import Path

ADMIN = "root@example.org"


def _org(cli) -> tuple[dict, dict]:  # type: ignore[no-untyped-def]
    cli("init", "--name", "Root", "--email", ADMIN)
    unit = cli("units", "create", "Retail", "--as", ADMIN)
    cli("roles", "assign", ADMIN, "chief_ai_officer", "--as", ADMIN)
    system = cli(
        "systems", "register", "Credit", "--purpose", "Scores", "--business-unit", "Retail",
        "--as", ADMIN,
    )  # fmt: skip
    return unit, system


def _lines(detail: str) -> list[str]:
    return [line.strip() for line in detail.splitlines()[1:]]


def test_a_kpi_csv_names_every_bad_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, system = _org(cli)
    kpi = cli(
        "kpi", "define", "--name", "Approvals", "--unit", "%", "--direction", "increase",
        "--target", "80", "--owner", ADMIN, "--system", system["id"], "--as", ADMIN,
    )  # fmt: skip
    csv = tmp_path / "kpis.csv"
    csv.write_text(
        "kpi_id,period,value\n"
        f"{kpi['id']},2026-01,70\n"
        f"{kpi['id']},2026-02,lots\n"
        f"{kpi['id']},2026-03\n"
        f"{kpi['id']},2026-04,x\n"
    )
    error = cli("kpi", "import", str(csv), "--as", ADMIN, code=3)
    assert error["detail"].startswith("the CSV file: 3 problems")
    assert _lines(error["detail"]) == [
        "line 3: value 'lots' is not a number",
        "line 4: 2 fields, the header has 3",
        "line 5: value 'x' is not a number",
    ]
    csv.write_text(
        f"kpi_id,period,value\nkpi_nope,2026-01,1\n{kpi['id']},2026-13,2\n{kpi['id']},2026-01,3\n"
    )
    error = cli("kpi", "import", str(csv), "--as", ADMIN, code=3)
    assert _lines(error["detail"]) == [
        "line 2: KPI 'kpi_nope' does not exist",
        "line 3: period '2026-13' is not a date",
    ]
    assert cli("kpi", "show", kpi["id"], "--as", ADMIN)["measurements"] == []


def test_an_adoption_csv_names_every_bad_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, system = _org(cli)
    csv = tmp_path / "adoption.csv"
    csv.write_text(
        "system_id,business_unit_id,period,active_users,eligible_users\n"
        f"{system['id']},Retail,2026-01,ten,100\n"
        f"{system['id']},Retail,2026-02,10,-1\n"
    )
    error = cli("adoption", "record", str(csv), "--as", ADMIN, code=3)
    assert _lines(error["detail"]) == [
        "line 2: active_users 'ten' is not a whole number",
        "line 3: eligible_users '-1' is not a whole number",
    ]
    csv.write_text(
        "system_id,business_unit_id,period,active_users,eligible_users\n"
        f"sys_nope,Retail,2026-01,10,100\n"
        f"{system['id']},Wholesale,2026-02,10,100\n"
        f"{system['id']},Retail,2026-02,200,100\n"
    )
    error = cli("adoption", "record", str(csv), "--as", ADMIN, code=3)
    problems = _lines(error["detail"])
    assert [p.split(":")[0] for p in problems] == ["line 2", "line 3", "line 4"]
    assert "system 'sys_nope' does not exist" in problems[0]
    assert "business unit 'Wholesale' does not exist" in problems[1]


def test_policy_files_name_every_problem_in_every_file(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a.yaml").write_text(
        "- {id: one, title: One, applies: {risk_tiers: [galactic]}, requirements: []}\n"
        "- {id: two, title: Two, requirements: [{id: r, kind: telepathy}]}\n"
    )
    (tmp_path / "b.yaml").write_text("id: [unclosed\n")
    error = cli("policies", "validate", str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml"),
                code=3)  # fmt: skip
    problems = _lines(error["detail"])
    assert any(p.startswith("a.yaml#1") for p in problems), problems
    assert any(p.startswith("a.yaml#2") for p in problems), problems
    assert any(p.startswith("b.yaml is not valid YAML") for p in problems), problems


SUITE = """
name: broken
data: scored.csv
columns: {label: label, prediction: prediction, protected: [sex]}
checks:
  - {id: acc, metric: accuracy, min: high}
  - {id: dp, metric: demographic_parity_difference, max: 0.1}
  - {id: acc, metric: row_count, min: 1, colour: red}
"""


def test_a_suite_names_every_broken_check(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, system = _org(cli)
    (tmp_path / "suite.yaml").write_text(SUITE)
    (tmp_path / "scored.csv").write_text("label,prediction,sex\n1,1,f\n")
    error = cli("validate", str(tmp_path / "suite.yaml"), "--system", system["id"],
                "--as", ADMIN, code=3)  # fmt: skip
    assert error["detail"].startswith("the suite: 3 problems")
    problems = _lines(error["detail"])
    assert problems[0] == "check #1: 'min' must be a number, not 'high'"
    assert problems[1].startswith("check #2: demographic_parity_difference needs 'over'")
    assert problems[2] == "check #3: unknown key(s) colour"


def test_name_value_arguments_name_every_malformed_one(cli) -> None:  # type: ignore[no-untyped-def]
    _org(cli)
    error = cli("portfolio", "rank", "--weight", "value", "--weight", "risk=2", "--weight",
                "=3", "--as", ADMIN, code=3)  # fmt: skip
    assert error["detail"].startswith("the --weight arguments: 2 problems")
    assert _lines(error["detail"]) == ["'value': write NAME=VALUE", "'=3': write NAME=VALUE"]
    error = cli("risks", "add", "title", "cause=x", "impact", "--as", ADMIN, code=3)
    assert _lines(error["detail"]) == ["'title': write NAME=VALUE", "'impact': write NAME=VALUE"]
