"""Benchmark: audit-log verification throughput and audited writes per second, on SQLite.

    .venv/bin/python -m benchmarks.audit_log [--events 300000] [--writes 2000]

Both figures are compared, in the same run, with what a user would otherwise have:
- verification against a plain hash-chain checker of the kind governance tools ship (parse
  each event's JSON, re-serialise it, hash it, compare the chain), over the same rows;
- audited writes against the same write without its audit event (the audit trail's cost).
Targets (issue 3): verification >= 500,000 events/s; >= 250 audited writes/s.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text

from charter.accountability.services import org
from charter.audit import services as audit
from charter.audit.keys import create_key
from charter.bootstrap import context_for
from charter.identity.services import access
from charter.kernel.store.engine import make_engine
from charter.kernel.store.migrate import upgrade
from charter.wiring import SqlUnitOfWork

AT = datetime(2026, 11, 28, tzinfo=UTC)


def _fill(engine, events: int) -> None:  # type: ignore[no-untyped-def]
    """Append events through the real log adapter, many per transaction (fast set-up)."""
    done = 0
    while done < events:
        with SqlUnitOfWork(engine) as uow:
            for i in range(min(10_000, events - done)):
                uow.audit.append(
                    at=AT,
                    actor="p_bench",
                    action="system.updated",
                    entity_type="system",
                    entity_id=f"sys_{i % 500}",
                    data={
                        "purpose": ["old text of the purpose", f"new {done + i}"],
                        "tags": ["credit", "decides-on-people"],
                    },
                )
            uow.commit()
        done += min(10_000, events - done)


def _baseline_verify(engine) -> tuple[int, float]:  # type: ignore[no-untyped-def]
    """A typical hash-chain checker: parse, re-serialise, hash, compare."""
    start = time.perf_counter()
    prev, n = "0" * 64, 0
    with engine.connect() as conn:
        for seq, canonical, stored in conn.execute(
            text("SELECT seq, canonical, hash FROM audit_events ORDER BY seq")
        ):
            event = json.loads(canonical)
            again = json.dumps(
                event, sort_keys=True, separators=(",", ":"), ensure_ascii=False
            ).encode()
            digest = hashlib.sha256(b"\x00" + again).hexdigest()
            if digest != stored or event["prev"] != prev or event["seq"] != seq:
                raise SystemExit(f"baseline found a broken chain at {seq}")
            prev, n = digest, n + 1
    return n, time.perf_counter() - start


def _best(fn, repeat: int = 3):  # type: ignore[no-untyped-def]
    return min((fn() for _ in range(repeat)), key=lambda r: r[1])


def bench_verify(folder: Path, events: int) -> dict[str, float]:
    engine = make_engine(f"sqlite:///{folder}/verify.db")
    upgrade(engine)
    key = folder / "keys" / "audit.key"
    create_key(key, "bench.example/audit")
    ctx = context_for(engine, key_file=key)
    start = time.perf_counter()
    _fill(engine, events)
    fill = time.perf_counter() - start
    secret = access.initialise(ctx, "Bench", "bench@example.org")[1]
    admin = access.authenticate(ctx, secret)
    audit.make_checkpoint(ctx, admin)  # a log no checkpoint signs does not verify

    def charter(workers: int) -> tuple[int, float]:
        t = time.perf_counter()
        report = audit.verify_log(ctx, admin, workers=workers)
        assert report.intact
        return report.size, time.perf_counter() - t

    cores = os.cpu_count() or 1
    size, seconds = _best(lambda: charter(cores))
    _, one_core = _best(lambda: charter(1))
    base_size, base_seconds = _best(lambda: _baseline_verify(engine), 1)
    engine.dispose()
    return {
        "events": size,
        "fill_seconds": fill,
        "charter_seconds": seconds,
        "workers": cores,
        "charter_events_per_second": size / seconds,
        "charter_one_process_events_per_second": size / one_core,
        "baseline_events_per_second": base_size / base_seconds,
        "ratio_vs_baseline": (size / seconds) / (base_size / base_seconds),
    }


def bench_writes(folder: Path, writes: int) -> dict[str, float]:
    engine = make_engine(f"sqlite:///{folder}/writes.db")
    upgrade(engine)
    ctx = context_for(engine)
    _, secret = access.initialise(ctx, "Bench", "bench@example.org")
    admin = access.authenticate(ctx, secret)
    start = time.perf_counter()
    for i in range(writes):
        org.create_unit(ctx, admin, f"Unit {i}")
    audited = time.perf_counter() - start
    start = time.perf_counter()
    for i in range(writes):  # the same row, one transaction each, no audit event
        with engine.begin() as conn:
            conn.execute(
                text("INSERT INTO business_units (id, name, description) VALUES (:i, :n, '')"),
                {"i": f"raw_{i}", "n": f"Raw {i}"},
            )
    plain = time.perf_counter() - start
    engine.dispose()
    return {
        "writes": writes,
        "audited_writes_per_second": writes / audited,
        "plain_writes_per_second": writes / plain,
        "audited_cost_ratio": (writes / plain) / (writes / audited),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=500_000)
    parser.add_argument("--writes", type=int, default=2_000)
    parser.add_argument("--out", type=Path, default=None, help="Also write the JSON here.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        result: dict[str, Any] = {
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}",
            "verify": bench_verify(Path(folder), args.events),
            "writes": bench_writes(Path(folder), args.writes),
        }
    v, w = result["verify"], result["writes"]
    print(
        f"verification: {v['charter_events_per_second']:,.0f} events/s with {v['workers']} "
        f"processes ({v['charter_one_process_events_per_second']:,.0f} with one) over "
        f"{v['events']:,} events, target 500,000; hash-chain baseline "
        f"{v['baseline_events_per_second']:,.0f} events/s; ratio {v['ratio_vs_baseline']:.1f}x"
    )
    print(
        f"audited writes: {w['audited_writes_per_second']:,.0f}/s, target 250; the same write "
        f"without audit {w['plain_writes_per_second']:,.0f}/s; the audit costs "
        f"{w['audited_cost_ratio']:.1f}x"
    )
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
