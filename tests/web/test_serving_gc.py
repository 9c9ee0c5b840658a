"""A serving process moves what it built at start-up out of the cyclic garbage collector's
reach (charter.web.server.settled), so a full collection no longer walks every module, route
and schema; building an app alone (as the tests do) freezes nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import gc, json
from charter.config import Settings
from charter.web import server
app = server.app_for(Settings())
before = gc.get_freeze_count()
server.settled(app)
print(json.dumps({"before": before, "after": gc.get_freeze_count(),
                  "threshold": gc.get_threshold(), "young": server.YOUNG_THRESHOLD}))
"""


def test_a_serving_process_freezes_what_it_built_and_collects_less_often(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHARTER_")}
    env["CHARTER_HOME"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["before"] == 0, "building the app alone freezes nothing"
    assert found["after"] > 100_000, found  # the modules, routes and schemas of the app
    assert found["threshold"][0] == found["young"] > 700, found
