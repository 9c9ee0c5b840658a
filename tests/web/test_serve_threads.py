"""A serving process works on at most CHARTER_SERVE_THREADS requests at once (the others
wait their turn): the setting reaches the event loop's thread limit through the app the
server builds (charter.web.server.app_for), and a request past the limit waits, then is
answered."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = """
import json
from concurrent.futures import ThreadPoolExecutor
from anyio import to_thread
from fastapi.testclient import TestClient
from charter.config import Settings
from charter.web import server

app = server.app_for(Settings())

@app.get("/probe/threads")
async def threads() -> dict:
    return {"tokens": to_thread.current_default_thread_limiter().total_tokens}

with TestClient(app) as client:
    tokens = client.get("/probe/threads").json()["tokens"]
    with ThreadPoolExecutor(6) as pool:  # more requests than threads: they wait, then pass
        codes = list(pool.map(lambda _: client.get("/api/v1/health").status_code, range(12)))
print(json.dumps({"tokens": tokens, "codes": codes}))
"""


def _probe(home: Path, threads: str | None) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHARTER_")}
    env["CHARTER_HOME"] = str(home)
    if threads is not None:
        env["CHARTER_SERVE_THREADS"] = threads
    command = [sys.executable, "-c", PROBE]
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=180, check=False
    )
    assert done.returncode == 0, done.stderr
    found: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


@pytest.mark.parametrize(("threads", "tokens"), [(None, 4), ("1", 1), ("7", 7)])
def test_a_server_works_on_as_many_requests_at_once_as_set(
    tmp_path: Path, threads: str | None, tokens: int
) -> None:
    found = _probe(tmp_path, threads)
    assert found["tokens"] == tokens
    assert found["codes"] == [200] * 12


LANES = """
import json, threading
from concurrent.futures import ThreadPoolExecutor
from fastapi.testclient import TestClient
from charter.config import Settings
from charter.kernel.web.lanes import long_running
from charter.web import server

app = server.app_for(Settings())  # CHARTER_SERVE_THREADS=1: one quick request at a time
entered, release = threading.Event(), threading.Event()

@app.get("/probe/long")
@long_running
def long() -> dict:
    entered.set()
    return {"released": release.wait(120)}

with TestClient(app) as client, ThreadPoolExecutor(2) as pool:
    running = pool.submit(client.get, "/probe/long")
    assert entered.wait(120), "the long route never started"
    try:  # the one quick place is free while the long work runs
        quick = pool.submit(client.get, "/api/v1/health").result(timeout=60).status_code
    finally:
        release.set()
    print(json.dumps({"quick": quick, "long": running.result(timeout=120).json()}))
"""


def test_long_work_runs_in_its_own_lane_and_quick_requests_pass_meanwhile(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHARTER_")}
    env |= {"CHARTER_HOME": str(tmp_path), "CHARTER_SERVE_THREADS": "1"}
    command = [sys.executable, "-c", LANES]
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found == {"quick": 200, "long": {"released": True}}


def test_the_routes_of_long_work_run_in_the_long_lane() -> None:
    """(a validation run, a PDF, an import or a policy file's check, the audit log's
    verification, and sign-in through an identity provider, which waits on it: through the
    API and the web UI; the API's imports call `in_long_lane` themselves)"""
    from charter.audit import api as audit_api
    from charter.audit import ui as audit_ui
    from charter.governance import ui_policies
    from charter.identity import ui_oidc
    from charter.integrations import ui as integrations_ui
    from charter.reports import api as reports_api
    from charter.reports import ui as reports_ui
    from charter.strategy import ui_forms as kpi_ui
    from charter.validation import api as validation_api
    from charter.validation import ui as validation_ui

    long = [
        validation_api.run_validation, validation_ui.run, reports_api.draft_pdf,
        reports_api.issue, reports_ui.draft_pdf, reports_ui.issue, integrations_ui.import_upload,
        kpi_ui.preview_import, kpi_ui.confirm_import, ui_policies.check_upload,
        ui_policies.load_checked, ui_oidc.start, ui_oidc.callback, audit_api.audit_verify,
        audit_ui.audit_page,
    ]  # fmt: skip
    quick = [f.__qualname__ for f in long if getattr(f, "__wrapped__", None) is None]
    assert not quick, quick
    assert all(inspect.iscoroutinefunction(f) for f in long)


def test_health_needs_no_thread() -> None:
    """(a load balancer's check answers however busy the process's threads are)"""
    from charter.web import meta

    assert inspect.iscoroutinefunction(meta.health)
