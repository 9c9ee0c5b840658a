"""Benchmark: the posture of a whole inventory against the policies in force.

    .venv/bin/python -m benchmarks.posture [--systems 10000] [--policies 50]

Builds an inventory on SQLite (systems across risk tiers, operator roles, stages and tags,
each with a validation run's evidence; documents, waivers and RACI gaps on some), adopts the
built-in library plus generated variants up to --policies, then times `charter posture`'s
use case: read everything in one transaction and judge every system against every policy.
Target (issue 5): 10,000 systems x 50 policies in under 2 seconds on this machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from charter.accountability.services import org
from charter.bootstrap import context_for
from charter.governance.domain.waivers import Document, Waiver
from charter.governance.files import check_policy, library_path, load_policy_files
from charter.governance.services import gates as governance
from charter.governance.services import policies
from charter.identity.services import access
from charter.inventory.domain import AISystem, LifecycleStage, OperatorRole, RiskTier
from charter.kernel.roles import RoleKind, ScopeKind
from charter.kernel.store.engine import make_engine
from charter.kernel.store.migrate import upgrade
from charter.kernel.verdicts import Verdict
from charter.validation.domain.evidence import CheckResult, Evidence
from charter.validation.domain.suite import Severity

METRICS = ["accuracy", "demographic_parity_difference", "equalized_odds_difference",
           "disparate_impact", "psi", "null_rate", "row_count", "roc_auc"]  # fmt: skip
STAGES = [s for s in LifecycleStage if s is not LifecycleStage.RETIRED]
TAGS = ["decides-on-people", "personal-data", "automated-decision", "public-service",
        "interacts-with-people", "profiling"]  # fmt: skip


def _variants(count: int, rng: random.Random) -> list[dict[str, Any]]:
    out = []
    for i in range(count):
        metric = rng.choice(METRICS)
        out.append(
            {
                "id": f"generated-{i}",
                "title": f"Generated policy {i}",
                "applies": {
                    "risk_tiers": rng.sample(["high", "limited", "minimal"], 2),
                    "transitions": [{"to": rng.choice(STAGES[1:]).value}],
                    "when": f'"{rng.choice(TAGS)}" in tags || risk_tier == "high"',
                },
                "requirements": [
                    {"id": "e", "kind": "evidence", "metric": metric, "min": 0.0,
                     "max_age_days": 90},
                    {"id": "o", "kind": "accountability", "owner_named": True},
                ],
            }
        )  # fmt: skip
    return out


def build(engine: Any, systems: int, policy_count: int, seed: int = 7) -> Any:
    rng = random.Random(seed)
    ctx = context_for(engine)
    person, secret = access.initialise(ctx, "Admin", "admin@example.org")
    admin = access.authenticate(ctx, secret)
    org.assign_role(ctx, admin, person.id, RoleKind.CHIEF_AI_OFFICER, ScopeKind.ORGANISATION)
    caio = access.actor_for(ctx, person.id)
    unit = org.create_unit(ctx, admin, "Everything")
    items = load_policy_files([library_path()])
    extra = _variants(max(policy_count - len(items), 0), rng)
    items += [(raw, check_policy(raw, raw["id"])) for raw in extra]
    policies.load_policies(ctx, caio, items[:policy_count])
    now = datetime.now(UTC)
    with ctx.uow() as uow:
        for i in range(systems):
            system = AISystem(
                f"sys_{i}", f"System {i}", "p", unit.id, person.id if i % 7 else None,
                rng.choice(STAGES), rng.choice(list(OperatorRole)), rng.choice(list(RiskTier)),
                tags=tuple(rng.sample(TAGS, rng.randint(0, 3))),
            )  # fmt: skip
            uow.systems.add(system)
            results = tuple(
                CheckResult(m, m, rng.random(), None, None, Severity.BLOCKING, Verdict.SATISFIED)
                for m in METRICS
            )
            age = timedelta(days=rng.randint(0, 120))
            uow.evidence.add(
                Evidence(f"ev_{i}", system.id, "suite", "d", "f", "duckdb", now - age,
                         person.id, 10, results)
            )  # fmt: skip
            if i % 5 == 0:
                uow.documents.add(
                    Document(f"doc_{i}", system.id, "model_card", "card", "u", person.id, now,
                             person.id, RoleKind.ETHICS_COMPLIANCE, now)
                )  # fmt: skip
            if i % 11 == 0:
                uow.waivers.add(
                    Waiver(f"wv_{i}", system.id, "fairness-decisions-on-people", "parity", "r",
                           "m", person.id, now - timedelta(days=1), now + timedelta(days=20))
                )  # fmt: skip
        uow.commit()
    return ctx, caio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", type=int, default=10_000)
    parser.add_argument("--policies", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).parent / "results" / "posture.json"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/posture.db")
        upgrade(engine)
        ctx, caio = build(engine, args.systems, args.policies)
        timings, result = [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            result = governance.posture(ctx, caio)
            timings.append(time.perf_counter() - started)
        engine.dispose()
    report = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "systems": len(result),
        "policies": args.policies,
        "system_policy_pairs": len(result) * args.policies,
        "applicable_verdicts": sum(len(p.policies) for p in result),
        "blocked_systems": sum(1 for p in result if p.blocking),
        "seconds": timings,
        "best_seconds": min(timings),
        "target_seconds": 2.0,
    }
    print(json.dumps(report, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
