"""Benchmark: what one request of the API load's mix costs, in one process.

Builds the demo organisation (SQLite, or a PostgreSQL server this script starts), serves
the app in this process through Starlette's test client, and sends each kind of request of
`benchmarks.api_load`'s mix N times: reports, per kind, the CPU time of this process per
request (the app and the test client; PostgreSQL's own work is not in it) and the SQL
statements it sent. `--profile KIND` samples every thread's stack while that kind runs
(the app answers on worker threads, which cProfile does not see) and prints the functions
most often on it.
The API load's latency under closed-loop clients is bound by these figures.

    .venv/bin/python -m benchmarks.api_cost [--database sqlite|postgresql] [--repeat 40]
        [--profile gate] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from benchmarks.api_load import NEXT, _database, _prepare

HERE = Path(__file__).resolve().parent


def _kinds(systems: dict[str, str]) -> dict[str, Callable[[random.Random], tuple[str, str, Any]]]:
    ids = list(systems)

    def system(rng: random.Random) -> str:
        return rng.choice(ids)

    def gate(rng: random.Random) -> str:
        ident = system(rng)
        return f"/api/v1/systems/{ident}/gate?to={NEXT.get(systems[ident], 'retired')}"

    unit = {"name": "x"}
    return {
        "list": lambda rng: ("GET", "/api/v1/systems?limit=50", None),
        "system": lambda rng: ("GET", f"/api/v1/systems/{system(rng)}", None),
        "gate": lambda rng: ("GET", gate(rng), None),
        "posture": lambda rng: ("GET", "/api/v1/posture", None),
        "audit": lambda rng: ("GET", "/api/v1/audit/events?limit=50", None),
        "inbox": lambda rng: ("GET", "/api/v1/inbox", None),
        "patch": lambda rng: (
            "PATCH", f"/api/v1/systems/{system(rng)}", {"purpose": f"P {uuid.uuid4().hex}"}
        ),
        "unit": lambda rng: (
            "POST", "/api/v1/business-units", unit | {"name": f"U {uuid.uuid4().hex[:12]}"}
        ),
    }  # fmt: skip


class Sampler:
    """Every thread's stack, every half millisecond: which functions are on it how often."""

    def __init__(self) -> None:
        self.on_stack: Counter[str] = Counter()
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = threading.get_ident()
        while not self._stop.wait(0.0005):
            for ident, top in sys._current_frames().items():
                if ident == me:
                    continue
                seen, frame = set(), top
                while frame is not None:
                    code = frame.f_code
                    seen.add(f"{code.co_filename.split('site-packages/')[-1]}:{code.co_name}")
                    frame = frame.f_back
                if any("charter/" in name or "starlette" in name for name in seen):
                    self.samples += 1
                    self.on_stack.update(seen)

    def __enter__(self) -> Sampler:
        sys.setswitchinterval(0.0005)
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def report(self, top: int = 60) -> None:
        for name, n in self.on_stack.most_common(top):
            print(f"{100 * n / max(self.samples, 1):5.1f}%  {name}")


def _measure(
    client: Any, make: Callable[[random.Random], tuple[str, str, Any]], repeat: int,
    statements: list[int], profile: Sampler | None,
) -> dict[str, float]:  # fmt: skip
    rng = random.Random(1)
    for _ in range(3):  # warm: caches, compiled statements, the pool
        method, path, body = make(rng)
        assert client.request(method, path, json=body).status_code < 300, path
    statements[0] = 0
    cpu, wall = time.process_time(), time.perf_counter()
    if profile:
        profile.__enter__()
    for _ in range(repeat):
        method, path, body = make(rng)
        answer = client.request(method, path, json=body)
        assert answer.status_code < 300, (path, answer.text)
    if profile:
        profile.__exit__()
    return {
        "cpu_ms": (time.process_time() - cpu) * 1000 / repeat,
        "wall_ms": (time.perf_counter() - wall) * 1000 / repeat,
        "statements": statements[0] / repeat,
    }


def run(database: str, repeat: int, profile_kind: str | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="charter-cost-") as home, _database(database) as url:
        env, token = _prepare(Path(home), url)
        os.environ.update(env)
        from fastapi.testclient import TestClient

        from charter.config import Settings
        from charter.web.server import app_for

        statements = [0]

        def count(*_: Any) -> None:
            statements[0] += 1

        event.listen(Engine, "before_cursor_execute", count)
        headers = {"Authorization": f"Bearer {token}"}
        with TestClient(app_for(Settings()), headers=headers) as client:
            found = client.get("/api/v1/systems?limit=500").json()["items"]
            ended = ("retired", "suspended")
            systems = {s["id"]: s["stage"] for s in found if s["stage"] not in ended}
            results = {}
            for kind, make in _kinds(systems).items():
                profile = Sampler() if kind == profile_kind else None
                results[kind] = _measure(client, make, repeat, statements, profile)
                if profile:
                    profile.report()
        event.remove(Engine, "before_cursor_execute", count)
    reads = [results[k] for k in ("list", "system", "gate", "posture", "audit", "inbox")]
    mix = 0.9 * sum(r["cpu_ms"] for r in reads) / len(reads)
    mix += 0.1 * (results["patch"]["cpu_ms"] + results["unit"]["cpu_ms"]) / 2
    return {"database": database, "repeat": repeat, "per_kind": results, "mix_cpu_ms": mix}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--profile", help="sample the stacks of this kind's requests")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    report = run(args.database, args.repeat, args.profile)
    report["load_average"] = os.getloadavg()
    print(json.dumps(report, indent=2))
    if args.out:
        args.out.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
