"""Benchmark: the CLI's start-up, whole-process, as a user runs it: `charter --help`,
`charter version`, and the interpreter alone (the floor). Budget (ADR 0002): under 0.3 s.

    .venv/bin/python -m benchmarks.startup [--runs 15]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHARTER = str(Path(sys.executable).with_name("charter"))
COMMANDS = {
    "python": [sys.executable, "-c", "pass"],
    "charter --help": [CHARTER, "--help"],
    "charter version": [CHARTER, "version"],
}


def _once(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "startup.json")
    args = parser.parse_args()
    for command in COMMANDS.values():
        _once(command)  # warm the page cache; not counted
    load = os.getloadavg()  # the machine is shared: how busy it was, beside the figures
    runs: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(args.runs):  # alternated, so that a slow spell hits every command alike
        for name, command in COMMANDS.items():
            runs[name].append(_once(command))
    report = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "runs": args.runs,
        "load_average_1_5_15": {"before": load, "after": os.getloadavg()},
        "median_seconds": {name: statistics.median(r) for name, r in runs.items()},
        "max_seconds": {name: max(r) for name, r in runs.items()},
    }
    print(json.dumps(report, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
