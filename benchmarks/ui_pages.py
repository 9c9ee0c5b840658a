"""Benchmark: server time of each web UI page on the demo organisation, and at scale.

    .venv/bin/python -m benchmarks.ui_pages [--runs 7] [--scale] [--reuse FOLDER]
        [--only PAGE ...] [--profile PAGE] [--no-keep]

Builds the demo in a temporary folder (with --scale, grown to 2,000 systems, 500 people and
200,000 audit events by `benchmarks.scale`), signs in as its chief AI officer, and times each
page in-process (no network), reporting the median and the worst of --runs requests after
one warm-up request (timed apart as `first_ms` and `first_cpu_ms`: the audit page checks the
whole log then, and the dashboard and the scorecard compute what they keep for a minute
while nothing is written).
The pages are every GET page of the UI that needs no id, and one detail page of each kind
that has one (the first the list pages link to). Target (issues 7 and 23):
every page under 200 ms median server time, on the demo and at scale.

Each page's CPU time (`cpu_ms`: the process's, median of the runs; `cpu_min_ms`, the least) is
recorded beside its wall time: on a shared machine the wall time measures the other users as
much as the page, and contention inflates even CPU time (the least is the steadiest).
`--reuse FOLDER` builds the organisation in FOLDER the first time and serves the one already
there after that (the scale fixture takes minutes to build); `--only` times the pages named;
`--profile PAGE` prints where that page's time goes (cProfile, cumulative) instead;
`--no-keep` makes the dashboard and the scorecard compute their views on every request (as
after every write), not reuse the one they keep for a minute.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import fastapi.routing
from fastapi.testclient import TestClient

from benchmarks import scale
from charter.audit import services as audit
from charter.audit.keys import create_key
from charter.bootstrap import build
from charter.cli.demo import demo_settings
from charter.demo.build import DEMO_PASSWORD, build_demo
from charter.kernel.kept import Kept
from charter.web.app import create_app

#: every GET page of the UI that needs no id (OIDC's start and callback need a provider)
PAGES = [
    "/ui/", "/ui/systems", "/ui/systems/new", "/ui/approvals", "/ui/governance",
    "/ui/people", "/ui/account", "/ui/notifications",
    "/ui/models", "/ui/datasets", "/ui/vendors",
    "/ui/portfolio", "/ui/roadmap", "/ui/kpis", "/ui/use-cases/new",
    "/ui/scorecard", "/ui/bodies", "/ui/talent", "/ui/adoption",
    "/ui/obligations", "/ui/packs/eu-ai-act",
    "/ui/risks", "/ui/risk-assessments", "/ui/incidents",
    "/ui/audit", "/ui/import", "/ui/lineage", "/ui/discovery", "/ui/organisation/reports",
]  # fmt: skip
#: downloads: files, not pages (timed all the same, reported apart)
DOWNLOADS = [
    "/ui/systems/export.csv", "/ui/risks/export.csv", "/ui/audit/export.csv",
    "/ui/audit/export.jsonl", "/ui/import/template.xlsx", "/ui/import/template/systems.csv",
]  # fmt: skip
#: one detail page of each kind: (the list page that links to it, the link's pattern)
DETAILS = [
    ("/ui/systems", r"/ui/systems/sys_[0-9a-f]+"),
    ("/ui/models", r"/ui/models/mdl_[0-9a-f]+"),
    ("/ui/datasets", r"/ui/datasets/ds_[0-9a-f]+"),
    ("/ui/vendors", r"/ui/vendors/ven_[0-9a-f]+"),
    ("/ui/bodies", r"/ui/bodies/bdy_[0-9a-f]+"),
    ("/ui/bodies", r"/ui/meetings/mtg_[0-9a-f]+"),
    ("/ui/portfolio", r"/ui/use-cases/uc_[0-9a-f]+"),
    ("/ui/risks", r"/ui/risks/rsk_[0-9a-f]+"),
    ("/ui/incidents", r"/ui/incidents/inc_[0-9a-f]+"),
]


def _sign_in(client: TestClient, email: str) -> None:
    login = client.get("/ui/login")
    token = re.search(r'name="csrf" value="([^"]+)"', login.text).group(1)  # type: ignore[union-attr]
    client.post("/ui/login", data={"email": email, "password": DEMO_PASSWORD, "csrf": token})


def _details(client: TestClient, credit: str) -> list[str]:
    """The demo's credit-scoring system (the richest page), then the first of each kind."""
    found = [f"/ui/systems/{credit}"]
    for listing, pattern in DETAILS:
        link = re.search(f'href="({pattern})"', client.get(listing).text)
        if link is None:
            raise SystemExit(f"{listing} links to no page matching {pattern}")
        found.append(link.group(1))
    system = found[0]
    return [*found, f"{system}/edit", f"{system}/reports", f"{system}/validations/new"]


def _time(client: TestClient, page: str, runs: int) -> dict[str, Any]:
    started, used = time.perf_counter(), time.process_time()
    first = client.get(page)
    first_ms = (time.perf_counter() - started) * 1000
    first_cpu_ms = (time.process_time() - used) * 1000
    assert first.status_code == 200, (page, first.status_code)
    times, cpu = [], []
    for _ in range(runs):
        started, used = time.perf_counter(), time.process_time()
        client.get(page)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    return {
        "median_ms": statistics.median(times), "max_ms": max(times), "first_ms": first_ms,
        "first_cpu_ms": first_cpu_ms, "cpu_ms": statistics.median(cpu), "cpu_min_ms": min(cpu),
        "bytes": len(first.content),
    }  # fmt: skip


def _profile(client: TestClient, page: str) -> None:
    """Where the page's time goes: its handler runs in a worker thread, profiled there."""
    client.get(page)  # warm-up
    profiler = cProfile.Profile()
    plain = fastapi.routing.run_in_threadpool

    async def profiled(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        def run() -> Any:
            profiler.enable()
            try:
                return func(*args, **kwargs)
            finally:
                profiler.disable()

        return await plain(run)

    fastapi.routing.run_in_threadpool = profiled  # type: ignore[assignment]
    try:
        client.get(page)
    finally:
        fastapi.routing.run_in_threadpool = plain
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _build(home: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Build the demo (grown to scale with --scale) in `home`; what the timing needs of it."""
    settings = demo_settings(home)  # signed like `charter demo`: the audit page verifies
    create_key(settings.resolved_key_file(), "demo.northwind.example/audit")
    ctx = build(settings)[0]
    started = time.perf_counter()
    demo = build_demo(ctx, home / "demo-data")
    built: dict[str, Any] = {"build_seconds": {"demo": time.perf_counter() - started}}
    if args.scale:
        grown = scale.grow(
            ctx, demo.actor("amara"), systems=args.systems, people=args.people,
            events=args.events,
        )  # fmt: skip
        built["build_seconds"] |= grown.seconds
        built["organisation"] = {
            "systems": grown.systems, "people": grown.people,
            "audit_events": grown.events, "pending_requests": grown.pending,
        }  # fmt: skip
    audit.make_checkpoint(ctx, demo.admin)
    built |= {"email": demo.emails["amara"], "credit": demo.ids["credit"]}
    return built


def _organisation(folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    """The organisation in `folder`: built there now, or (with --reuse) the one built before."""
    made = folder / "fixture.json"
    if made.exists():
        return {**json.loads(made.read_text()), "reused": str(folder)}
    built = _build(folder, args)
    made.write_text(json.dumps(built, indent=2))
    return built


def _serve(folder: Path, args: argparse.Namespace, result: dict[str, Any]) -> None:
    built = _organisation(folder, args)
    result |= {k: v for k, v in built.items() if k not in ("email", "credit")}
    ctx = build(demo_settings(folder))[0]
    app = create_app(ctx)
    if args.no_keep:  # views kept for no time: every request computes them
        app.state.overviews, app.state.scorecards = Kept(timedelta(0)), Kept(timedelta(0))
    with TestClient(app, follow_redirects=False) as client:
        result["load_before"] = _load()
        if not args.only and not args.profile:
            result["login"] = _time(client, "/ui/login", args.runs)  # signed out
        _sign_in(client, built["email"])
        if args.profile:
            return _profile(client, args.profile)
        pages = args.only or PAGES + _details(client, built["credit"])
        result["pages"] = {p: _time(client, p, args.runs) for p in pages}
        if not args.only:
            result["downloads"] = {p: _time(client, p, args.runs) for p in DOWNLOADS}
        result["load_after"] = _load()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--scale", action="store_true", help="grow the demo to scale first")
    parser.add_argument("--systems", type=int, default=scale.SYSTEMS, help="with --scale")
    parser.add_argument("--people", type=int, default=scale.PEOPLE, help="with --scale")
    parser.add_argument("--events", type=int, default=scale.EVENTS, help="with --scale")
    parser.add_argument("--reuse", type=Path, help="the organisation's folder, kept between runs")
    parser.add_argument("--only", nargs="*", help="time these pages alone")
    parser.add_argument("--profile", help="profile this page instead of timing")
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--no-keep", action="store_true",
        help="compute the dashboard's and the scorecard's views on every request",
    )  # fmt: skip
    args = parser.parse_args()
    name = "ui_pages-scale.json" if args.scale else "ui_pages.json"
    out = args.out or Path(__file__).parent / "results" / name
    result: dict[str, Any] = {"machine": f"{platform.machine()}, {os.cpu_count()} cpus"}
    if args.reuse:
        args.reuse.mkdir(parents=True, exist_ok=True)
        _serve(args.reuse, args, result)
    else:
        with tempfile.TemporaryDirectory() as folder:
            _serve(Path(folder), args, result)
    if args.profile:
        return
    result |= {"runs": args.runs, "target_ms": 200}
    slow = {p: round(t["median_ms"]) for p, t in result["pages"].items() if t["median_ms"] > 200}
    result["over_target"] = slow
    print(json.dumps(result, indent=2))
    if not args.only:
        out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
