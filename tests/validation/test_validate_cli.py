"""`charter validate`: a suite over a real file, evidence recorded once, bad input refused."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from charter.cli.main import app
from charter.kernel.errors import InvalidInput
from charter.kernel.present import as_json
from charter.validation import validate
from charter.validation.engines.fingerprints import frame_fingerprint

ADMIN = "root@example.org"
DS = "ds@example.org"


def _data(path: Path, rows: int = 2000, seed: int = 7) -> None:
    rng = random.Random(seed)
    lines = ["label,prediction,score,sex,age_group"]
    for _ in range(rows):
        sex = rng.choice(["f", "m"])
        age = rng.choice(["young", "old"])
        score = min(max(rng.random() * (0.8 if sex == "f" else 1.0), 0.0), 1.0)
        label = int(rng.random() < score)
        lines.append(f"{label},{int(score >= 0.5)},{score!r},{sex},{age}")
    path.write_text("\n".join(lines) + "\n")


SUITE = """
name: credit-fairness
data: {data}
columns: {{label: label, prediction: prediction, score: score, protected: [sex, age_group]}}
checks:
  - {{id: accuracy, metric: accuracy, min: 0.6}}
  - {{id: brier, metric: brier, max: 0.3}}
  - {{id: dp-sex, metric: demographic_parity_difference, over: [sex], max: 0.05,
     min_group_size: 30}}
  - {{id: rows, metric: row_count, min: 100, severity: warning}}
  - {{id: auc, metric: roc_auc, min: 0.6}}
  - {{id: sex-nulls, metric: null_rate, column: sex, max: 0}}
  - {{id: sex-values, metric: not_allowed_rate, column: sex, allowed: [f, m], max: 0}}
"""


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CHARTER_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CHARTER_DATABASE_URL", raising=False)
    runner = CliRunner()

    def run(*args: str, code: int = 0) -> Any:
        result = runner.invoke(app, [*args, "--json"])
        assert result.exit_code == code, (args, result.output)
        return json.loads(result.stdout)

    run("init", "--name", "Root", "--email", ADMIN)
    unit = run("units", "create", "Retail", "--as", ADMIN)
    person = run("people", "create", "Dee", DS, "--as", ADMIN)
    run("roles", "assign", person["id"], "data_scientist", "--as", ADMIN)
    system = run(
        "systems", "register", "Credit", "--purpose", "p", "--business-unit", unit["id"], "--as", DS
    )
    _data(tmp_path / "scored.csv")
    (tmp_path / "suite.yaml").write_text(SUITE.format(data="scored.csv"))
    return run, system["id"], tmp_path


def _evidence_events(run) -> int:  # type: ignore[no-untyped-def]
    log = run("audit", "log", "--limit", "1000", "--as", ADMIN)
    return sum(1 for e in log["items"] if e["event"]["action"] == "evidence.recorded")


def test_a_failing_fairness_check_fails_the_run_and_is_recorded_once(world) -> None:  # type: ignore[no-untyped-def]
    run, system, folder = world
    evidence = run("validate", str(folder / "suite.yaml"), "--system", system, "--as", DS, code=1)
    verdicts = {r["check_id"]: r["verdict"] for r in evidence["results"]}
    assert verdicts == {
        "accuracy": "satisfied",
        "brier": "satisfied",
        "dp-sex": "not_satisfied",
        "rows": "satisfied",
        "auc": "satisfied",
        "sex-nulls": "satisfied",
        "sex-values": "satisfied",
    }
    assert not evidence["passed"] and evidence["data_fingerprint"].startswith("blake3:")
    assert evidence["engine"].startswith("duckdb ")
    assert _evidence_events(run) == 1


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        (
            lambda f: (f / "scored.csv").write_text("label,prediction\n1,1\n"),
            "missing column(s) score, sex, age_group",
        ),
        (
            lambda f: (f / "scored.csv").write_text(
                "label,prediction,score,sex,age_group\n1,1,high,f,old\n"
            ),
            "'score' is VARCHAR",
        ),
        (
            lambda f: (f / "scored.csv").write_text(
                "label,prediction,score,sex,age_group\n2,1,0.5,f,old\n"
            ),
            "other than 0 and 1",
        ),
        (lambda f: (f / "scored.csv").unlink(), "does not exist"),
        (lambda f: (f / "suite.yaml").write_text("name: [unclosed"), "not valid YAML"),
        (
            lambda f: (f / "suite.yaml").write_text(SUITE.format(data="scored.parquet")),
            "does not exist",
        ),
    ],
)
def test_bad_input_is_named_and_nothing_is_recorded(world, change, needle: str) -> None:  # type: ignore[no-untyped-def]
    run, system, folder = world
    change(folder)
    error = run("validate", str(folder / "suite.yaml"), "--system", system, "--as", DS, code=3)
    assert needle in error["detail"]
    assert _evidence_events(run) == 0


def test_a_corrupt_parquet_file_is_named(world) -> None:  # type: ignore[no-untyped-def]
    run, system, folder = world
    (folder / "scored.parquet").write_bytes(b"PAR1 this is not parquet")
    (folder / "suite.yaml").write_text(SUITE.format(data="scored.parquet"))
    error = run("validate", str(folder / "suite.yaml"), "--system", system, "--as", DS, code=3)
    assert "scored.parquet" in error["detail"]


def test_an_auditor_may_not_record_evidence(world) -> None:  # type: ignore[no-untyped-def]
    run, system, folder = world
    person = run("people", "create", "Aud", "aud@example.org", "--as", ADMIN)
    run("roles", "assign", person["id"], "auditor", "--as", ADMIN)
    error = run(
        "validate",
        str(folder / "suite.yaml"),
        "--system",
        system,
        "--as",
        "aud@example.org",
        code=6,
    )
    assert error["error"] == "forbidden"


def test_gate_check_decides_on_recorded_evidence(world) -> None:  # type: ignore[no-untyped-def]
    run, system, folder = world
    people = run("people", "list", "--as", ADMIN)
    root = next(p for p in people["items"] if p["email"] == ADMIN)
    run("roles", "assign", root["id"], "chief_ai_officer", "--as", ADMIN)
    policy = (
        "id: screening-fairness\ntitle: Fair before assessment\n"
        "applies: {transitions: [{to: assessed}]}\n"
        "requirements:\n  - {id: dp, kind: evidence, metric: demographic_parity_difference, "
        "max: %s, max_age_days: 7}\n"
    )
    (folder / "strict.yaml").write_text(policy % "0.01")
    (folder / "broken.yaml").write_text(policy.replace("evidence", "oracle") % "0.01")
    failed = CliRunner().invoke(app, ["policies", "validate", str(folder / "broken.yaml")])
    assert failed.exit_code == 3 and "requirements/0/kind" in failed.output
    run("policies", "load", str(folder / "strict.yaml"), "--as", ADMIN)
    blocked = run(
        "gate", "check", system, "--to", "assessed", "--policies-only", "--as", DS, code=1
    )
    assert "no evidence" in blocked["blocking"][0]
    run("validate", str(folder / "suite.yaml"), "--system", system, "--as", DS, code=1)
    blocked = run(
        "gate", "check", system, "--to", "assessed", "--policies-only", "--as", DS, code=1
    )
    assert "needs <= 0.01" in blocked["blocking"][0]
    (folder / "lenient.yaml").write_text(policy % "0.9")
    run("policies", "load", str(folder / "lenient.yaml"), "--as", ADMIN)
    passed = run("gate", "check", system, "--to", "assessed", "--policies-only", "--as", DS)
    assert passed["passed"] and passed["policies"][0]["verdict"] == "satisfied"
    with_sign_off = run("gate", "check", system, "--to", "assessed", "--as", DS, code=1)
    assert any("awaiting approval" in b for b in with_sign_off["blocking"])
    posture = run("posture", "--as", ADMIN)  # policies only: sign-offs are the gate's business
    assert posture["total"] == 1 and posture["blocked"] == 0
    assert posture["policies"] == {"screening-fairness": {"satisfied": 1}}


def test_classify_from_an_answers_file(world) -> None:  # type: ignore[no-untyped-def]
    run, system, folder = world
    people = run("people", "list", "--as", ADMIN)
    root = next(p for p in people["items"] if p["email"] == ADMIN)
    run("roles", "assign", root["id"], "ethics_compliance_officer", "--as", ADMIN)
    (folder / "answers.yaml").write_text("annex_iii: ['5.b']\ntransparency: [chatbot]\n")
    result = run("classify", system, "--answers", str(folder / "answers.yaml"), "--as", ADMIN)
    assert result["tier"] == "high" and result["risk_tier"] == "high"
    assert "EUAIA.ANNEXIII.5.b" in result["cites"] and "EUAIA.ART50.1" in result["transparency"]
    art9 = next(o for o in result["obligations"] if o["id"] == "EUAIA.ART9")
    assert art9["applies_from"] == "2027-12-02" and art9["uncertain"]
    (folder / "bad.yaml").write_text("annex_iii: ['9.9']\n")
    failed = CliRunner().invoke(
        app, ["classify", system, "--answers", str(folder / "bad.yaml"), "--as", ADMIN, "--json"]
    )
    assert failed.exit_code == 3 and "unknown point(s) 9.9" in failed.output
    denied = CliRunner().invoke(
        app, ["classify", system, "--answers", str(folder / "answers.yaml"), "--as", DS, "--json"]
    )
    assert denied.exit_code == 6


def test_classify_interactively_and_see_what_cites_a_requirement(world) -> None:  # type: ignore[no-untyped-def]
    run, system, _ = world
    people = run("people", "list", "--as", ADMIN)
    root = next(p for p in people["items"] if p["email"] == ADMIN)
    run("roles", "assign", root["id"], "chief_ai_officer", "--as", ADMIN)
    # roles, schedule, AI system, scope, Art. 5, Annex I, Annex III, fraud only, profiling,
    # derogation, law enforcement, Art. 50, placed before August 2026, Art. 25, public service,
    # public authority, explanation excluded, outside the EU, GPAI model, third-party model
    typed = "provider\n\ny\n\n\nn\n4.a\nn\ny\nd\nn\nchatbot\nn\n\nn\nn\nn\nn\nn\n\n"
    result = CliRunner().invoke(app, ["classify", system, "--as", ADMIN], input=typed)
    assert result.exit_code == 0, result.output
    assert "high" in result.output and "roles: provider (answered)" in result.output
    assert "EUAIA.ART6.3.PROFILING" in result.output
    latest = run("systems", "show", system, "--as", ADMIN)
    assert latest["risk_tier"] == "high"
    run("policies", "load", "--library", "--as", ADMIN)
    pack = run("packs", "show", "eu-ai-act", "--as", ADMIN)
    art10 = next(r for r in pack["requirements"] if r["id"] == "EUAIA.ART10")
    assert "euaia-data-governance/record" in art10["policies"]
    readiness = run("readiness", system, "--pack", "eu-ai-act", "--as", ADMIN)
    row = readiness["items"][0]
    assert row["applicable"] > 0 and row["not_yet"] > 0 and row["satisfied"] > 0


def test_set_a_password_from_standard_input(world) -> None:  # type: ignore[no-untyped-def]
    run, _, _ = world
    people = run("people", "list", "--as", ADMIN)
    dee = next(p for p in people["items"] if p["email"] == DS)
    runner = CliRunner()
    short = runner.invoke(
        app, ["people", "set-password", dee["id"], "--password-stdin", "--as", DS, "--json"],
        input="too short\n",
    )  # fmt: skip
    assert short.exit_code == 3 and "at least 12" in short.output
    done = runner.invoke(
        app, ["people", "set-password", dee["id"], "--password-stdin", "--as", DS, "--json"],
        input="a long enough passphrase\n",
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    root = next(p for p in people["items"] if p["email"] == ADMIN)
    other = runner.invoke(
        app, ["people", "set-password", root["id"], "--password-stdin", "--as", DS, "--json"],
        input="a long enough passphrase\n",
    )  # fmt: skip
    assert other.exit_code == 6


def _same(found: Any, expected: Any) -> None:
    """The same checks, verdicts and values (to 1e-12: sums may add up in another order)."""
    assert {r["check_id"]: r["verdict"] for r in found} == {
        r["check_id"]: r["verdict"] for r in expected
    }
    values = {r["check_id"]: r["value"] for r in expected}
    assert {r["check_id"]: r["value"] for r in found} == pytest.approx(values, rel=1e-12)


def test_a_table_of_a_duckdb_database_gives_what_its_file_gives(world) -> None:  # type: ignore[no-untyped-def]
    run, system, folder = world
    from_file = run("validate", str(folder / "suite.yaml"), "--system", system, "--as", DS, code=1)
    with duckdb.connect(str(folder / "warehouse.duckdb")) as con:
        con.execute(f"CREATE TABLE scored AS SELECT * FROM read_csv('{folder}/scored.csv')")
    (folder / "table.yaml").write_text(
        SUITE.format(data="{table: scored, database: warehouse.duckdb}")
    )
    from_table = run("validate", str(folder / "table.yaml"), "--system", system, "--as", DS, code=1)
    _same(from_table["results"], from_file["results"])
    assert from_table["data_fingerprint"].startswith("blake3-arrow:")
    assert _evidence_events(run) == 2


def test_python_validates_a_data_frame_and_records_its_evidence(  # type: ignore[no-untyped-def]
    world, monkeypatch: pytest.MonkeyPatch
) -> None:
    run, system, folder = world
    from_file = run("validate", str(folder / "suite.yaml"), "--system", system, "--as", DS, code=1)
    frame = pd.read_csv(folder / "scored.csv")
    suite = yaml.safe_load(SUITE.format(data="{table: scored}"))
    evidence = validate(suite, system, frames={"scored": frame}, actor=DS)
    assert not evidence.passed
    _same(as_json(list(evidence.results)), from_file["results"])
    assert evidence.data_fingerprint == frame_fingerprint(frame)
    assert evidence.recorded_by == from_file["recorded_by"]  # the same person
    # a run that fails, or has nobody acting, records nothing
    with pytest.raises(InvalidInput, match="table 'scored' was not handed over"):
        validate(suite, system, actor=DS)
    monkeypatch.delenv("CHARTER_ACTOR", raising=False)
    with pytest.raises(InvalidInput, match="say who acts"):
        validate(suite, system, frames={"scored": frame})
    assert _evidence_events(run) == 2


VALIDATE_PROBE = """
import json, sys
sys.argv = ["charter", *json.loads(sys.argv[1])]
from charter.cli.main import app
try:
    app()
except SystemExit as done:
    code = done.code
loaded = sorted(m for m in sys.modules if m.startswith("charter.") or "." not in m)
print(json.dumps({"code": code, "loaded": loaded}), file=sys.stderr)
"""


def test_validate_imports_only_the_capabilities_it_uses(world) -> None:  # type: ignore[no-untyped-def]
    """Whole-process time is what a user waits for (ADR 0002): a local run loads the store,
    the engine and the capabilities whose records it reads and writes, nothing else."""
    _run, system, folder = world
    args = ["validate", str(folder / "suite.yaml"), "--system", system, "--as", DS, "--json"]
    done = subprocess.run(
        [sys.executable, "-c", VALIDATE_PROBE, json.dumps(args)],
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    found = json.loads(done.stderr.strip().splitlines()[-1])
    assert found["code"] == 1  # a fairness check fails; the evidence is recorded
    assert json.loads(done.stdout)["suite_name"] == "credit-fairness"
    loaded = set(found["loaded"])
    capabilities = {m.split(".")[1] for m in loaded if m.count(".") >= 2}
    assert capabilities <= {
        "kernel", "cli", "wiring", "validation", "inventory", "accountability", "identity",
        "audit",
    }, capabilities  # fmt: skip
    heavy = {"fastapi", "starlette", "jinja2", "altair", "pyspark", "pandas", "pyarrow", "httpx"}
    heavy |= {"pydantic", "pydantic_settings"}  # the settings read plainly (charter.environment)
    assert not heavy & loaded, heavy & loaded
