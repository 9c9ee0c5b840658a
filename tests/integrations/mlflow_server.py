"""A real MLflow tracking server (SQLite backend) on a free loopback port, for a test module.
Under CI=true a missing MLflow is a failure, elsewhere a skip."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

UNDER_CI = os.environ.get("CI", "").lower() == "true"


def mlflow_command() -> str:
    found = shutil.which("mlflow", path=str(Path(sys.executable).parent)) or shutil.which("mlflow")
    if found is None:
        message = "mlflow is not installed (the dev extra installs it)"
        if UNDER_CI:
            pytest.fail(message + " (CI=true: the MLflow tests may not be skipped)")
        pytest.skip(message)
    return found


@contextmanager
def mlflow_server(root: Path) -> Iterator[str]:
    """`mlflow server` with its store in root; yields its URL once it answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    args = [
        mlflow_command(), "server", "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
        "--backend-store-uri", f"sqlite:///{root / 'mlflow.db'}",
        "--default-artifact-root", (root / "artifacts").as_uri(),
    ]  # fmt: skip
    env = {**os.environ, "MLFLOW_HOME": str(root)}
    log = root / "mlflow.log"
    with log.open("w") as out:
        proc = subprocess.Popen(args, stdout=out, stderr=out, env=env, cwd=root)
    url = f"http://127.0.0.1:{port}"
    tick = threading.Event()
    try:
        with httpx.Client(timeout=2) as client:
            while True:  # the signal: the server answers its health check
                if proc.poll() is not None:
                    pytest.fail(f"mlflow server exited: {log.read_text()[-3000:]}")
                try:
                    if client.get(f"{url}/health").status_code == 200:
                        break
                except httpx.HTTPError:
                    tick.wait(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
