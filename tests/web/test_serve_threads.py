"""A serving process works on at most CHARTER_SERVE_THREADS requests at once (the others
wait their turn): the setting reaches the event loop's thread limit through the app the
server builds (charter.web.server.app_for), and a request past the limit waits, then is
answered."""

from __future__ import annotations

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
