"""Benchmark: Charter's full validation suite against the tools a user would otherwise pick,
each timed as a whole process, as a user runs it (start-up and imports included).

    .venv/bin/python -m benchmarks.validation [--rows 1000000 10000000]

On a synthetic prediction log (benchmarks/validation_data.py: 25 features, 2 protected
attributes) each of these runs in its own process, in one benchmark run:
- `charter validate SUITE --system ID --json`: the full suite (performance, fairness over
  both attributes and their intersection, drift of all 25 features, missing values of all
  25) on the DuckDB engine, its evidence recorded in a SQLite store made for the run;
- a single DuckDB scan of the same columns, from Python (the floor for anything that reads
  that data);
- at the sizes in --competitors-at: scikit-learn (performance), fairlearn's MetricFrame
  (fairness, both attributes and their intersection) and Evidently (drift and missing
  values), in their own virtual environment made from benchmarks/competitors.txt.
Charter and the scan run --repeat times, alternated, and the median counts (the machines are
shared and noisy). It reports seconds from spawn to exit, peak memory (max RSS) of each
process, the ratios, and how far Charter's values are from scikit-learn's and fairlearn's on
the metrics they share. Targets (ADR 0002): at 1M rows >= 100x faster than the three tools
together; at 10M rows within 4x of the single scan, peak memory under 1 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.validation_data import generate, write_suite

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
COMPETITORS = ("sklearn", "fairlearn", "evidently")
SHARED = ("accuracy", "roc_auc", "log_loss", "demographic_parity_difference-sex", "ks-f0")


def _run(
    command: list[str], env: dict[str, str] | None = None, ok: tuple[int, ...] = (0,)
) -> dict[str, Any]:
    """The process's JSON output, with its seconds from spawn to exit and its peak memory
    (max RSS, from the kernel's accounting of that process alone)."""
    with tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=err, text=True
        )
        assert proc.stdout is not None
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in ok:
            err.seek(0)
            raise RuntimeError(f"{command[:3]} failed ({proc.returncode}): {err.read()[-2000:]}")
    result: dict[str, Any] = json.loads(out)  # one JSON document
    cpu = usage.ru_utime + usage.ru_stime  # all its threads: less sensitive to a busy machine
    return result | {"seconds": seconds, "cpu_seconds": cpu, "peak_mb": usage.ru_maxrss / 1024}


def charter_home(folder: Path) -> tuple[dict[str, str], str]:
    """A Charter store for the runs: its environment and a system to record evidence for."""
    env = {**os.environ, "CHARTER_HOME": str(folder), "CHARTER_ACTOR": "bench@example.org"}
    env.pop("CHARTER_DATABASE_URL", None)

    def charter(*args: str) -> Any:
        command = [str(Path(sys.executable).with_name("charter")), *args, "--json"]
        done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
        return json.loads(done.stdout)

    me = charter("init", "--name", "Bench Admin", "--email", "bench@example.org")["person_id"]
    unit = charter("units", "create", "Bench")["id"]
    charter("roles", "assign", me, "chief_ai_officer")
    system = charter(
        "systems", "register", "Scored log", "--purpose", "benchmark",
        "--business-unit", unit, "--owner", me,
    )  # fmt: skip
    return env, str(system["id"])


def _charter_values(output: dict[str, Any]) -> dict[str, Any]:
    results = output.get("results", [])
    return output | {
        "checks": len(results),
        "values": {r["check_id"]: r["value"] for r in results if r["check_id"] in SHARED},
    }


def competitor_python(venv: Path) -> str:
    """The competitors' interpreter, made once from benchmarks/competitors.txt."""
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "-r", str(HERE / "competitors.txt")],
            check=True,
        )
    return str(python)


def _agreement(charter: dict[str, Any], others: dict[str, dict[str, Any]]) -> dict[str, float]:
    """|Charter - other tool| on every value both computed."""
    ours = charter["values"]
    out = {}
    for run in others.values():
        for key, value in run.get("values", {}).items():
            if key in ours and ours[key] is not None and isinstance(value, int | float):
                out[key] = abs(ours[key] - value)
    return out


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run of median seconds, with every run's seconds and the highest peak beside it."""
    middle = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
    return middle | {
        "runs_seconds": [r["seconds"] for r in runs],
        "runs_cpu_seconds": [r["cpu_seconds"] for r in runs],
        "peak_mb": max(r["peak_mb"] for r in runs),
    }


def measure(
    rows: int, data: Path, python: str | None, tools: tuple[str, ...], engine: str, repeat: int
) -> dict[str, Any]:
    current, reference = generate(data, rows)
    suite = write_suite(data, current)
    me = [sys.executable, "-m", "benchmarks.validation_runs"]
    env, system = charter_home(Path(tempfile.mkdtemp(prefix="charter-bench-")))
    validate = [str(Path(sys.executable).with_name("charter")), "validate", str(suite),
                "--system", system, "--engine", engine, "--json"]  # fmt: skip
    _run([*me, "scan", str(current)])  # warm the page cache; not counted
    load = os.getloadavg()  # the machine is shared: how busy it was, beside each figure
    scans, charters = [], []
    for _ in range(repeat):  # alternated, so that a slow spell of the machine hits both
        scans.append(_run([*me, "scan", str(current)]))
        charters.append(_charter_values(_run(validate, env, ok=(0, 1))))
    scan, charter = _median_run(scans), _median_run(charters)
    result: dict[str, Any] = {
        "rows": rows,
        "load_average_1_5_15": {"before": load, "after": os.getloadavg()},
        "scan": scan,
        "charter": charter,
        "charter_vs_scan": charter["seconds"] / scan["seconds"],
    }
    if python:
        script = str(HERE / "validation_competitors.py")
        others = {t: _run([python, script, t, str(current), str(reference)]) for t in tools}
        total = sum(o["seconds"] for o in others.values())
        result |= {
            "competitors": others,
            "competitors_seconds": total,
            "speedup_vs_competitors": total / charter["seconds"],
            "abs_difference_on_shared_values": _agreement(charter, others),
        }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--competitors-at", type=int, nargs="*", default=[1_000_000])
    parser.add_argument("--tools", default=",".join(COMPETITORS))
    parser.add_argument("--competitors-python", help="an interpreter that has the tools")
    parser.add_argument("--engine", default="duckdb")
    parser.add_argument(
        "--repeat",
        type=int,
        default=7,
        help="runs of Charter and of the scan per size (median; runs of the same code on an "
        "idle machine spread by about 0.2 s at 1M rows, so three are too few)",
    )
    parser.add_argument("--data", type=Path, default=HERE / ".data")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "validation.json")
    args = parser.parse_args()
    tools = tuple(t for t in args.tools.split(",") if t)
    sizes = []
    for rows in args.rows:
        python = None
        if rows in args.competitors_at and tools:
            python = args.competitors_python or competitor_python(HERE / ".venv-competitors")
        sizes.append(measure(rows, args.data, python, tools, args.engine, max(args.repeat, 1)))
        print(json.dumps(sizes[-1], indent=2), flush=True)
    report = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "engine": args.engine,
        "sizes": sizes,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
