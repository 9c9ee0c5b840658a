"""A single DuckDB scan of the suite's columns, in its own process, printing one JSON line:
the floor any engine reading that data must pay (benchmarks/validation.py times the whole
process, as it times `charter validate`).

    python -m benchmarks.validation_runs scan DATA.parquet
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path

import duckdb

from benchmarks.validation_data import FEATURES, PROTECTED


def scan(data: Path) -> dict[str, object]:
    """Every value of every column the suite reads, aggregated once."""
    numeric = [f"f{i}" for i in range(20)] + ["label", "prediction", "score"]
    text = [c for c in FEATURES if c not in numeric] + PROTECTED
    parts = [f"sum({c})" for c in numeric] + [f"max(length({c}))" for c in text]
    with duckdb.connect() as con:
        con.execute(f"SELECT {', '.join(parts)} FROM read_parquet('{data}')").fetchall()
    return {"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


if __name__ == "__main__":
    print(json.dumps(scan(Path(sys.argv[2]))))
