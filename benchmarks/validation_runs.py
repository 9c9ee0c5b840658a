"""One measured run per process, printing one JSON line: Charter's full suite, or a single
DuckDB scan of the same columns (the floor any engine reading that data must pay).

    python -m benchmarks.validation_runs charter SUITE.yaml [--engine duckdb]
    python -m benchmarks.validation_runs scan DATA.parquet
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

import duckdb

from benchmarks.validation_data import FEATURES, PROTECTED
from charter.validation.domain.evidence import judge_suite
from charter.validation.engines.runner import run_suite
from charter.validation.files import load_suite

SHARED = ("accuracy", "roc_auc", "log_loss", "demographic_parity_difference-sex", "ks-f0")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def charter(suite_file: Path, engine: str) -> dict[str, object]:
    import charter.validation.engines.duckdb_backend  # noqa: F401  (imports are not timed)

    suite = load_suite(suite_file)
    started = time.perf_counter()
    results = judge_suite(suite, run_suite(suite, suite_file.parent, engine))
    seconds = time.perf_counter() - started
    values = {r.check_id: r.value for r in results if r.check_id in SHARED}
    return {"seconds": seconds, "peak_mb": _peak_mb(), "checks": len(results), "values": values}


def scan(data: Path) -> dict[str, object]:
    """Every value of every column the suite reads, aggregated once."""
    numeric = [f"f{i}" for i in range(20)] + ["label", "prediction", "score"]
    text = [c for c in FEATURES if c not in numeric] + PROTECTED
    parts = [f"sum({c})" for c in numeric] + [f"max(length({c}))" for c in text]
    started = time.perf_counter()
    with duckdb.connect() as con:
        con.execute(f"SELECT {', '.join(parts)} FROM read_parquet('{data}')").fetchall()
    return {"seconds": time.perf_counter() - started, "peak_mb": _peak_mb()}


if __name__ == "__main__":
    kind, target = sys.argv[1], Path(sys.argv[2])
    engine = sys.argv[3] if len(sys.argv) > 3 else "duckdb"
    print(json.dumps(charter(target, engine) if kind == "charter" else scan(target)))
