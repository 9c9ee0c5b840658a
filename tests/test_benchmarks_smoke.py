"""The benchmarks run (tiny sizes, no timing asserted): they must not rot between releases."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
