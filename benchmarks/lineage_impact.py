"""Benchmark: the impact of a dataset on a generated lineage graph of 100,000 nodes.

    .venv/bin/python -m benchmarks.lineage_impact [--nodes 100000] [--queries 200]

Generates pipelines (layered dataset -> job -> dataset graphs of about 100 nodes each) that
also read a pool of shared "core" datasets, links datasets, models and systems to Charter
records, then times `charter lineage impact`'s use case (the recursive query, the models,
systems, use cases, people accountable and obligations) for random datasets, core ones
included. Target (issue 26): under 1 s at p95. The traversal alone is compared with what a
script against the same tables would do without a recursive query: a breadth-first walk
issuing one SELECT per node reached (both must reach the same nodes).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from charter.accountability.services import org
from charter.bootstrap import context_for
from charter.identity.services import access
from charter.integrations.services import lineage
from charter.integrations.tables import lineage_edges, lineage_nodes
from charter.inventory import tables as it
from charter.kernel.roles import RoleKind, ScopeKind
from charter.kernel.store.engine import make_engine
from charter.kernel.store.migrate import upgrade

PIPELINE = 100  # nodes per pipeline
CORE = 200  # shared datasets many pipelines read


def _graph(nodes: int, rng: random.Random) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    now = datetime.now(UTC)
    rows: list[dict[str, Any]] = []
    edges: list[tuple[str, str]] = []

    def node(kind: str, name: str) -> str:
        ident = f"ln_{len(rows)}"
        rows.append({"id": ident, "kind": kind, "namespace": "s3://lake", "name": name,
                     "first_seen": now, "last_seen": now, "facets": []})  # fmt: skip
        return ident

    core = [node("dataset", f"core/{i}") for i in range(CORE)]
    p = 0
    while len(rows) < nodes:
        layer = [node("dataset", f"p{p}/raw/{i}") for i in range(3)]
        size = len(rows)
        while len(rows) < nodes and len(rows) - size < PIPELINE:
            job = node("job", f"p{p}/job/{len(rows)}")
            inputs = rng.sample(layer, min(len(layer), rng.randint(1, 3)))
            inputs += [rng.choice(core)] if rng.random() < 0.05 else []
            outputs = [node("dataset", f"p{p}/d/{len(rows)}") for _ in range(rng.randint(1, 2))]
            edges += [(i, job) for i in inputs] + [(job, o) for o in outputs]
            layer = (layer + outputs)[-6:]
        p += 1
    return rows[:nodes], [(s, t) for s, t in edges if int(s[3:]) < nodes and int(t[3:]) < nodes]


def build(engine: Any, nodes: int, seed: int = 11) -> tuple[Any, Any, list[str]]:
    rng = random.Random(seed)
    ctx = context_for(engine)
    person, secret = access.initialise(ctx, "Admin", "admin@example.org")
    admin = access.authenticate(ctx, secret)
    org.assign_role(ctx, admin, person.id, RoleKind.CHIEF_AI_OFFICER, ScopeKind.ORGANISATION)
    reader = access.actor_for(ctx, person.id)
    unit = org.create_unit(ctx, admin, "Everything")
    rows, edges = _graph(nodes, rng)
    datasets = [r for r in rows if r["kind"] == "dataset"]
    with engine.begin() as conn:
        conn.execute(insert(it.systems), [
            {"id": f"sys_{i}", "name": f"System {i}", "purpose": "p", "business_unit_id": unit.id,
             "owner_id": person.id, "stage": "deployed", "operator_role": "provider",
             "risk_tier": "high", "deployment_context": "", "intended_use": "", "tags": []}
            for i in range(1000)])  # fmt: skip
        # the core datasets (the widest blast radius) and a sample of the others
        charter = datasets[:CORE] + rng.sample(datasets[CORE:], min(5000, len(datasets) // 4))
        conn.execute(insert(it.datasets), [
            {"id": f"ds_{i}", "name": d["name"], "owner_id": None,
             "source": "s3://lake/" + d["name"], "contains_personal_data": False,
             "special_category_data": False, "retention": ""}
            for i, d in enumerate(charter)])  # fmt: skip
        for i, d in enumerate(charter):
            d["dataset_id"] = f"ds_{i}"
        all_jobs = [r for r in rows if r["kind"] == "job"]
        jobs = rng.sample(all_jobs, min(2000, len(all_jobs) // 4))
        conn.execute(insert(it.models), [
            {"id": f"mdl_{i}", "name": f"model-{i}", "system_id": f"sys_{i % 1000}",
             "description": ""} for i in range(len(jobs))])  # fmt: skip
        for i, j in enumerate(jobs):
            j["model_id"] = f"mdl_{i}"
        for r in rows:
            r.setdefault("dataset_id", None)
            r.setdefault("model_id", None)
            r.setdefault("system_id", None)
        for i in range(0, len(rows), 10_000):
            conn.execute(insert(lineage_nodes), rows[i : i + 10_000])
        unique = sorted(set(edges))
        conn.execute(insert(lineage_edges), [
            {"id": f"le_{i}", "source_id": s, "target_id": t, "run_id": "r",
             "last_seen": datetime.now(UTC)} for i, (s, t) in enumerate(unique)])  # fmt: skip
    starts = [d["dataset_id"] for d in charter]
    return ctx, reader, starts


def _walk(engine: Any, dataset_id: str) -> int:
    """Breadth-first, one SELECT per node reached: what a script without recursion does."""
    with engine.connect() as conn:
        start = [r[0] for r in conn.execute(select(lineage_nodes.c.id).where(
            lineage_nodes.c.dataset_id == dataset_id))]  # fmt: skip
        seen, frontier = set(start), list(start)
        while frontier:
            node = frontier.pop()
            for (target,) in conn.execute(select(lineage_edges.c.target_id).where(
                    lineage_edges.c.source_id == node)):  # fmt: skip
                if target not in seen:
                    seen.add(target)
                    frontier.append(target)
    return len(seen)


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    default = Path(__file__).parent / "results" / "lineage_impact.json"
    parser.add_argument("--out", type=Path, default=default)
    args = parser.parse_args()
    rng = random.Random(5)
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/lineage.db")
        upgrade(engine)
        started = time.perf_counter()
        ctx, reader, starts = build(engine, args.nodes)
        built = time.perf_counter() - started
        # a fifth of the queries on core datasets, the rest on any
        wide = rng.sample(starts[:CORE], min(args.queries // 5, CORE))
        chosen = wide + rng.sample(starts[CORE:], min(args.queries - len(wide), len(starts) - CORE))
        timings, reached = [], []
        for ref in chosen:
            t0 = time.perf_counter()
            found = lineage.impact(ctx, reader, ref)
            timings.append(time.perf_counter() - t0)
            reached.append(len(found.nodes))
        naive, recursive = [], []
        for ref in chosen[: max(args.queries // 4, 5)]:
            t0 = time.perf_counter()
            walked = _walk(engine, ref)
            naive.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            with ctx.uow() as uow:
                start = [n.id for n in uow.lineage_nodes.linked("dataset_id", [ref])]
                found = uow.lineage_nodes.downstream(start) if start else []
            recursive.append(time.perf_counter() - t0)
            assert len(found) == walked, (ref, len(found), walked)
        engine.dispose()
    report = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "nodes": args.nodes, "queries": len(timings), "build_seconds": built,
        "p50_seconds": statistics.median(timings), "p95_seconds": _p95(timings),
        "max_seconds": max(timings), "max_nodes_reached": max(reached),
        "mean_nodes_reached": statistics.mean(reached),
        "traversal": {
            "charter_recursive_query_mean_seconds": statistics.mean(recursive),
            "per_node_select_walk_mean_seconds": statistics.mean(naive),
            "ratio_walk_to_charter": statistics.mean(naive) / statistics.mean(recursive),
        },
        "target_p95_seconds": 1.0,
    }  # fmt: skip
    print(json.dumps(report, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
