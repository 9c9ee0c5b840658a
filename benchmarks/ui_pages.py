"""Benchmark: server time of each web UI page on the demo organisation.

    .venv/bin/python -m benchmarks.ui_pages [--runs 7]

Builds the demo in a temporary folder, signs in as its chief AI officer, and times each page
in-process (no network), reporting the median and the worst of --runs requests after one
warm-up request. Target (issue 7): a page of the demo under 200 ms server time.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from charter.bootstrap import build
from charter.cli.demo import demo_settings
from charter.demo.build import DEMO_PASSWORD, build_demo
from charter.web.app import create_app

PAGES = [
    "/ui/",
    "/ui/systems",
    "/ui/approvals",
    "/ui/people",
    "/ui/governance",
    "/ui/audit",
    "/ui/portfolio",
    "/ui/roadmap",
    "/ui/kpis",
    "/ui/use-cases/new",
    "/ui/scorecard",
    "/ui/bodies",
    "/ui/talent",
    "/ui/adoption",
    "/ui/obligations",
    "/ui/packs/eu-ai-act",
    "/ui/systems/new",
    "/ui/account",
    "/ui/models",
    "/ui/datasets",
    "/ui/vendors",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).parent / "results" / "ui_pages.json"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        ctx = build(demo_settings(home))[0]
        demo = build_demo(ctx, home / "demo-data")
        with TestClient(create_app(ctx), follow_redirects=False) as client:
            login = client.get("/ui/login")
            token = re.search(r'name="csrf" value="([^"]+)"', login.text).group(1)  # type: ignore[union-attr]
            client.post(
                "/ui/login",
                data={"email": demo.emails["amara"], "password": DEMO_PASSWORD, "csrf": token},
            )
            systems = client.get("/ui/systems").text
            cases = client.get("/ui/portfolio").text
            pages = (
                PAGES
                + [m for m in re.findall(r'href="(/ui/systems/sys_[0-9a-f]+)"', systems)[:3]]
                + re.findall(r'href="(/ui/use-cases/uc_[0-9a-f]+)"', cases)[:3]
            )
            boards = client.get("/ui/bodies").text
            pages += re.findall(r'href="(/ui/bodies/bdy_[0-9a-f]+)"', boards)[:2]
            pages += re.findall(r'href="(/ui/meetings/mtg_[0-9a-f]+)"', boards)[:2]
            models = client.get("/ui/models").text
            pages += re.findall(r'href="(/ui/models/mdl_[0-9a-f]+)"', models)[:2]
            pages += [f"{p}/validations/new" for p in pages if p.startswith("/ui/systems/sys_")][:1]
            report = {}
            for page in pages:
                assert client.get(page).status_code == 200, page
                times = []
                for _ in range(args.runs):
                    started = time.perf_counter()
                    client.get(page)
                    times.append((time.perf_counter() - started) * 1000)
                report[page] = {"median_ms": statistics.median(times), "max_ms": max(times)}
    result = {"runs": args.runs, "pages": report, "target_ms": 200}
    print(json.dumps(result, indent=2))
    args.out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
