"""The benchmarks run (tiny sizes, no timing asserted): they must not rot between releases."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]


def test_audit_log_benchmark_runs(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.audit_log",
            "--events",
            "2000",
            "--writes",
            "20",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        check=True,
        timeout=300,
        capture_output=True,
    )
    result = json.loads(out.read_text())
    assert result["verify"]["events"] == 2001  # the filled events and the administrator
    assert result["writes"]["writes"] == 20


def test_validation_benchmark_runs(tmp_path: Path) -> None:
    """Tiny data; scikit-learn and fairlearn from this environment (Evidently needs its own,
    which `make bench` builds): Charter's values agree with theirs."""
    out = tmp_path / "result.json"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.validation",
            "--rows",
            "5000",
            "--competitors-at",
            "5000",
            "--tools",
            "sklearn,fairlearn",
            "--competitors-python",
            sys.executable,
            "--repeat",
            "2",
            "--data",
            str(tmp_path / "data"),
            "--out",
            str(out),
        ],
        cwd=ROOT,
        check=True,
        timeout=300,
        capture_output=True,
    )
    size = json.loads(out.read_text())["sizes"][0]
    assert size["rows"] == 5000 and size["charter"]["checks"] == 119
    for run in ("charter", "scan"):
        assert len(size[run]["runs_seconds"]) == 2
        assert size[run]["seconds"] in size[run]["runs_seconds"]
    differences = size["abs_difference_on_shared_values"]
    assert set(differences) == {
        "accuracy",
        "roc_auc",
        "log_loss",
        "demographic_parity_difference-sex",
    }
    assert max(differences.values()) < 1e-4  # AUC from the histogram, within its bound


def test_posture_benchmark_runs(tmp_path: Path) -> None:
    out = tmp_path / "posture.json"
    subprocess.run(
        [sys.executable, "-m", "benchmarks.posture", "--systems", "200", "--policies", "30",
         "--runs", "1", "--out", str(out)],
        cwd=ROOT, check=True, timeout=300, capture_output=True,
    )  # fmt: skip
    result = json.loads(out.read_text())
    assert result["systems"] == 200 and result["system_policy_pairs"] == 6000
    assert 0 < result["applicable_verdicts"] < 6000


def test_ui_pages_benchmark_runs(tmp_path: Path) -> None:
    out = tmp_path / "ui.json"
    subprocess.run(
        [sys.executable, "-m", "benchmarks.ui_pages", "--runs", "1", "--out", str(out)],
        cwd=ROOT, check=True, timeout=300, capture_output=True,
    )  # fmt: skip
    pages = json.loads(out.read_text())["pages"]
    assert "/ui/" in pages and len(pages) >= 7


def test_ui_pages_benchmark_grows_the_demo_to_scale(tmp_path: Path) -> None:
    out = tmp_path / "ui.json"
    subprocess.run(
        [sys.executable, "-m", "benchmarks.ui_pages", "--runs", "1", "--scale", "--systems",
         "60", "--people", "60", "--events", "4000", "--out", str(out)],
        cwd=ROOT, check=True, timeout=600, capture_output=True,
    )  # fmt: skip
    result = json.loads(out.read_text())
    grown = result["organisation"]
    assert grown["systems"] == 60 and grown["people"] == 60 and grown["audit_events"] == 4000
    assert grown["pending_requests"] > 0
    kinds = ("systems", "models", "datasets", "vendors", "bodies", "meetings", "use-cases",
             "risks", "incidents")  # fmt: skip
    for kind in kinds:  # a detail page of each kind, besides every page without an id
        assert any(p.startswith(f"/ui/{kind}/") for p in result["pages"]), kind
    assert "/ui/audit" in result["pages"] and "/ui/audit/export.csv" in result["downloads"]


def test_ui_pages_benchmark_reuses_the_organisation_it_built(tmp_path: Path) -> None:
    home, out = tmp_path / "org", tmp_path / "ui.json"
    for _ in range(2):  # built the first time, served as it is the second
        subprocess.run(
            [sys.executable, "-m", "benchmarks.ui_pages", "--runs", "1", "--reuse", str(home),
             "--only", "/ui/", "/ui/scorecard", "--out", str(out)],
            cwd=ROOT, check=True, timeout=300, capture_output=True,
        )  # fmt: skip
    built = (home / "fixture.json").stat().st_mtime
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.ui_pages", "--runs", "2", "--reuse", str(home),
         "--only", "/ui/"],
        cwd=ROOT, check=True, timeout=300, capture_output=True, text=True,
    )  # fmt: skip
    result = json.loads(done.stdout)
    assert result["reused"] == str(home) and (home / "fixture.json").stat().st_mtime == built
    assert list(result["pages"]) == ["/ui/"] and result["pages"]["/ui/"]["cpu_ms"] > 0
    assert not out.exists()  # --only times a few pages: the recorded figures are left alone


def test_api_load_benchmark_runs_without_a_refused_request(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    subprocess.run(
        [sys.executable, "-m", "benchmarks.api_load", "--clients", "3", "--seconds", "2",
         "--out", str(out)],
        cwd=ROOT, check=True, timeout=900, capture_output=True,
    )  # fmt: skip
    modes = json.loads(out.read_text())["modes"]
    assert set(modes) == {"keep-alive", "per-request"}
    assert all(m["requests"] > 0 and m["errors"] == {} for m in modes.values())


def test_api_cost_benchmark_counts_each_kind_of_request(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    subprocess.run(
        [sys.executable, "-m", "benchmarks.api_cost", "--repeat", "2", "--out", str(out)],
        cwd=ROOT, check=True, timeout=900, capture_output=True,
    )  # fmt: skip
    kinds = json.loads(out.read_text())["per_kind"]
    assert set(kinds) == {"list", "system", "gate", "posture", "audit", "inbox", "patch", "unit"}
    assert all(k["statements"] > 0 and k["cpu_ms"] > 0 for k in kinds.values())


@pytest.mark.parametrize(
    ("module", "args", "key"),
    [
        ("benchmarks.import_rows", ["--rows", "300", "--one-by-one", "20"], "import_seconds"),
        ("benchmarks.lineage_impact", ["--nodes", "2000", "--queries", "20"], "p95_seconds"),
    ],
)
def test_integration_benchmarks_run(module: str, args: list[str], key: str, tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    subprocess.run(
        [sys.executable, "-m", module, *args, "--out", str(out)],
        cwd=ROOT, check=True, timeout=600, capture_output=True,
    )  # fmt: skip
    assert json.loads(out.read_text())[key] > 0
