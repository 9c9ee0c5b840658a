"""Benchmark: bulk import of a 10,000-row Excel workbook.

    .venv/bin/python -m benchmarks.import_rows [--rows 10000] [--one-by-one 500]

Writes a workbook of units, people, vendors, datasets, systems and models (10,000 rows in
all, in the proportions of an estate), then times reading it, a dry run and the import (one
transaction, every row through its use case) into an empty SQLite store. Target (issue 26):
under 30 s. The comparison is what a user does without bulk import: register the same records
one at a time through the same use cases (one transaction each, as `charter systems register`
or `POST /systems` does), timed on a sample and compared per row.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import tempfile
import time
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from charter.accountability.services import org
from charter.bootstrap import context_for
from charter.identity.services import access
from charter.integrations import files
from charter.integrations.services.imports import import_records
from charter.inventory import services as inventory
from charter.kernel.roles import RoleKind, ScopeKind
from charter.kernel.store.engine import make_engine
from charter.kernel.store.migrate import upgrade

SHARES = {"units": 0.002, "people": 0.1, "vendors": 0.02, "datasets": 0.2, "systems": 0.4}


def workbook(rows: int) -> bytes:
    counts = {k: max(1, int(rows * v)) for k, v in SHARES.items()}
    counts["models"] = rows - sum(counts.values())
    book = Workbook(write_only=True)
    units = [f"Unit {i}" for i in range(counts["units"])]
    sheets: dict[str, list[list[Any]]] = {
        "units": [["name", "description"]] + [[u, "a unit"] for u in units],
        "people": [["email", "name", "business_unit", "title"]]
        + [[f"p{i}@example.org", f"Person {i}", units[i % len(units)], "Analyst"]
           for i in range(counts["people"])],
        "vendors": [["name", "website"]]
        + [[f"Vendor {i}", f"https://v{i}.example"] for i in range(counts["vendors"])],
        "datasets": [["name", "owner", "source", "contains_personal_data"]]
        + [[f"data-{i}", f"p{i % counts['people']}@example.org", f"s3://lake/{i}",
            "yes" if i % 3 else "no"] for i in range(counts["datasets"])],
        "systems": [["name", "purpose", "business_unit", "owner", "vendor", "tags"]]
        + [[f"System {i}", "Scores things", units[i % len(units)],
            f"p{i % counts['people']}@example.org", f"Vendor {i % counts['vendors']}" if i % 4
            else "", "bench, import"] for i in range(counts["systems"])],
        "models": [["name", "system", "description", "version", "artifact_uri",
                    "training_dataset"]]
        + [[f"model-{i}", f"System {i % counts['systems']}", "a model", "1",
            f"s3://models/{i}/1", f"data-{i % counts['datasets']}"]
           for i in range(counts["models"])],
    }  # fmt: skip
    for name, table in sheets.items():
        page = book.create_sheet(name)
        for row in table:
            page.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _store(folder: str, name: str) -> tuple[Any, Any, Any]:
    engine = make_engine(f"sqlite:///{folder}/{name}.db")
    upgrade(engine)
    ctx = context_for(engine)
    person, secret = access.initialise(ctx, "Admin", "admin@example.org")
    admin = access.authenticate(ctx, secret)
    org.assign_role(ctx, admin, person.id, RoleKind.CHIEF_AI_OFFICER, ScopeKind.ORGANISATION)
    return engine, ctx, access.actor_for(ctx, person.id)


def _one_by_one(folder: str, count: int) -> float:
    """Seconds per record registered one at a time (a system each, its own transaction)."""
    engine, ctx, caio = _store(folder, "single")
    unit = org.create_unit(ctx, caio, "Unit")
    started = time.perf_counter()
    for i in range(count):
        inventory.register_system(ctx, caio, name=f"System {i}", purpose="Scores things",
                                  business_unit_id=unit.id, tags=("bench",))  # fmt: skip
    seconds = time.perf_counter() - started
    engine.dispose()
    return seconds / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--one-by-one", type=int, default=500)
    default = Path(__file__).parent / "results" / "import_rows.json"
    parser.add_argument("--out", type=Path, default=default)
    args = parser.parse_args()
    data = workbook(args.rows)
    with tempfile.TemporaryDirectory() as folder:
        engine, ctx, caio = _store(folder, "bulk")
        t0 = time.perf_counter()
        tables = files.read_import("estate.xlsx", data)
        read = time.perf_counter() - t0
        t0 = time.perf_counter()
        dry = import_records(ctx, caio, "estate.xlsx", tables, dry_run=True)
        dry_seconds = time.perf_counter() - t0
        t0 = time.perf_counter()
        done = import_records(ctx, caio, "estate.xlsx", tables)
        seconds = time.perf_counter() - t0
        assert done.committed and not done.problems, done.problems[:5]
        assert [o.action for o in dry.outcomes] == [o.action for o in done.outcomes]
        engine.dispose()
        single = _one_by_one(folder, args.one_by_one)
    rows = len(done.outcomes)
    report = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "rows": rows, "file_bytes": len(data), "read_seconds": read,
        "dry_run_seconds": dry_seconds, "import_seconds": seconds,
        "read_and_import_seconds": read + seconds, "counts": done.counts,
        "one_at_a_time_seconds_per_record": single,
        "one_at_a_time_seconds_for_the_same_rows": single * rows,
        "ratio_one_at_a_time_to_import": single * rows / seconds,
        "target_seconds": 30.0,
    }  # fmt: skip
    print(json.dumps(report, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
