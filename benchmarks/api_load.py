"""Benchmark: the API under concurrent clients, whole-process, as a deployment serves it.

Builds the demo organisation into the database (SQLite, or a PostgreSQL server this script
starts), serves it with `charter serve --workers N`, and runs C clients for D seconds: each
sends a request, waits for the answer, sends the next. Nine requests in ten read (the
inventory list, a system, its gate, the posture, the audit log, the inbox); one in ten
writes (a system's purpose edited, or a business unit created), each with its audit
event. Reports throughput, p50/p95/p99 latency and every answer that was not a success.
Target (issue 20): p95 under 250 ms on PostgreSQL with 2 workers on a 2-core machine.

Two ways of connecting, each on its own freshly built organisation and server (same mix,
same data): `keep-alive`, each client keeps one connection for the whole run (a connection
stays with the worker process that accepted it, so with several workers the figures depend on
how the 30 connections spread over them); `per-request`, each request opens its own
connection and closes it after the answer, as a reverse proxy without upstream keep-alive
does (the workers take each new connection as they are free to). `--connections both` (the
default) runs one after the other.

The clients are a lean HTTP/1.1 client over asyncio streams (`--client lean`, the default:
the generator runs on the server's cores, and what it spends is taken from the server) or
httpx (`--client httpx`, the first generator); both check every answer's status and JSON body.
Each run reports the CPU seconds the server's processes, PostgreSQL's and the load generator
used, in all and per request.

    .venv/bin/python -m benchmarks.api_load [--clients 30] [--seconds 60]
        [--database sqlite|postgresql] [--workers 1]
        [--connections both|keep-alive|per-request] [--client lean|httpx] [--threads N]
        [--out FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
WRITE_SHARE = 0.10
#: the gate each stage's systems are asked about: the next stage on the way to deployment
NEXT = {
    "proposed": "assessed",
    "assessed": "approved_for_development",
    "approved_for_development": "in_development",
    "in_development": "in_validation",
    "in_validation": "approved_for_deployment",
    "approved_for_deployment": "deployed",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _database(kind: str) -> Iterator[str | None]:
    """None for the demo's own SQLite file; else a fresh PostgreSQL server's URL (durable:
    fsync on, as production runs it)."""
    if kind == "sqlite":
        yield None
        return
    sys.path.insert(0, str(HERE.parent))
    from tests.pg import start  # the test suite's throw-away server

    server = start(durable=True)
    try:
        yield server.url()
    finally:
        server.stop()


def _tree(root: int) -> list[int]:
    """root and every process below it."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(parents.get(pid, []))
    return found


def _cpu_seconds(root: int) -> float:
    """CPU (user + system) of root's process tree, the children it reaped included."""
    total = 0
    for pid in _tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
    return total / os.sysconf("SC_CLK_TCK")


def _postmaster(url: str | None) -> int | None:
    if url is None:
        return None
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                line = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if line[0].endswith(b"postgres") and b"-p" in line and str(port).encode() in line:
                return int(entry.name)
    return None


def _env(home: Path, url: str | None) -> dict[str, str]:
    """The demo's own SQLite file (what `charter demo` builds in its home), or the server."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHARTER_")}
    return env | {
        "CHARTER_HOME": str(home),
        "CHARTER_DATABASE_URL": url or f"sqlite:///{home}/demo.db",
    }


def _charter(env: dict[str, str], *args: str) -> Any:
    done = subprocess.run(
        [str(BIN / "charter"), *args, "--json"], env=env, capture_output=True, text=True,
        check=True, timeout=900,
    )  # fmt: skip
    return json.loads(done.stdout)


def _prepare(home: Path, url: str | None) -> tuple[dict[str, str], str]:
    """The demo built into the database, and its chief AI officer's token (who may read
    everything and edit systems)."""
    env = _env(home, url)
    demo_env = {k: v for k, v in env.items() if url or k != "CHARTER_DATABASE_URL"}
    built = _charter(demo_env, "demo", "--no-serve", "--home", str(home))
    return env, str(built["sign_in"]["chief_ai_officer"]["token"])


@contextmanager
def _served(env: dict[str, str], workers: int) -> Iterator[tuple[str, int]]:
    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "charter"), "serve", "--port", str(port), "--workers", str(workers)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        while server.poll() is None:
            try:
                if httpx.get(f"{url}/api/v1/health/ready", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                continue
        else:
            raise SystemExit("the server stopped before it answered")
        yield url, server.pid
    finally:
        server.terminate()
        server.wait(timeout=60)


def _requests(
    systems: dict[str, str], rng: random.Random
) -> tuple[str, str, dict[str, Any] | None]:
    system, stage = rng.choice(list(systems.items()))
    if rng.random() < WRITE_SHARE:
        if rng.random() < 0.5:
            return "PATCH", f"/api/v1/systems/{system}", {"purpose": f"Purpose {uuid.uuid4().hex}"}
        return "POST", "/api/v1/business-units", {"name": f"Unit {uuid.uuid4().hex[:12]}"}
    path = rng.choice([
        "/api/v1/systems?limit=50",
        f"/api/v1/systems/{system}",
        f"/api/v1/systems/{system}/gate?to={NEXT.get(stage, 'retired')}",
        "/api/v1/posture",
        "/api/v1/audit/events?limit=50",
        "/api/v1/inbox",
    ])  # fmt: skip
    return "GET", path, None


class Lean:
    """A lean HTTP/1.1 client over asyncio streams: the load generator shares the server's
    cores, and httpx's own CPU per request was an eighth of the run's. It still opens a
    connection per request when not keeping it alive, and reads and parses every answer
    whole (status line, headers, a body of Content-Length or chunked)."""

    def __init__(self, url: str, token: str, keep_alive: bool) -> None:
        host, port = url.removeprefix("http://").split(":")
        self.host, self.port, self.keep_alive = host, int(port), keep_alive
        connection = "keep-alive" if keep_alive else "close"
        self.head = f"Host: {host}:{port}\r\nAuthorization: Bearer {token}\r\n"
        self.head += f"Connection: {connection}\r\nAccept: application/json\r\n"
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def request(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.streams
        payload = json.dumps(body).encode() if body is not None else b""
        kind = "Content-Type: application/json\r\n" if payload else ""
        head = (
            f"{method} {path} HTTP/1.1\r\n{self.head}{kind}Content-Length: {len(payload)}\r\n\r\n"
        )
        writer.write(head.encode() + payload)
        await writer.drain()
        status = int((await reader.readline()).split(b" ", 2)[1])
        headers = {}
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding") == "chunked":
            content = b""
            while size := int((await reader.readline()).split(b";")[0], 16):
                content += (await reader.readexactly(size + 2))[:-2]
            await reader.readline()
        else:
            content = await reader.readexactly(int(headers["content-length"]))
        if not self.keep_alive or headers.get("connection") == "close":
            await self.close()
        return status, json.loads(content) if content else None

    async def close(self) -> None:
        if self.streams is not None:
            writer = self.streams[1]
            self.streams = None
            writer.close()
            await writer.wait_closed()


class Httpx:
    """The same requests through httpx (the generator used at first)."""

    def __init__(self, url: str, token: str, keep_alive: bool) -> None:
        # without keep-alive, every request opens a connection and closes it after the answer
        limits = httpx.Limits(max_keepalive_connections=None if keep_alive else 0)
        headers = {"Authorization": f"Bearer {token}"}
        self.http = httpx.AsyncClient(base_url=url, headers=headers, timeout=60, limits=limits)

    async def request(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        answer = await self.http.request(method, path, json=body)
        return answer.status_code, answer.json() if answer.content else None

    async def close(self) -> None:
        await self.http.aclose()


CLIENTS = {"lean": Lean, "httpx": Httpx}


async def _client(
    http: Lean | Httpx, systems: dict[str, str], until: float, seed: int, out: dict[str, Any]
) -> None:
    rng = random.Random(seed)
    try:
        while time.perf_counter() < until:
            method, path, body = _requests(systems, rng)
            started = time.perf_counter()
            status, answer = await http.request(method, path, body)
            kind = "write" if method != "GET" else "read"
            out[kind].append(time.perf_counter() - started)
            if status >= 300 or not isinstance(answer, dict | list):
                route = re.sub(r"/[a-z]+_[0-9a-f]{16}", "/{id}", path.split("?")[0])
                said = answer.get("detail", "") if isinstance(answer, dict) else ""
                out["errors"][f"{status} {method} {route}: {said}"] += 1
    finally:
        await http.close()


def _percentiles(seconds: list[float]) -> dict[str, float]:
    if len(seconds) < 2:
        return {}
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return {"p50_ms": cuts[49] * 1000, "p95_ms": cuts[94] * 1000, "p99_ms": cuts[98] * 1000}


async def _load(
    url: str, token: str, clients: int, seconds: float, keep_alive: bool, client: str
) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {token}"}) as h:
        found = (await h.get("/api/v1/systems?limit=500")).json()["items"]
    systems = {s["id"]: s["stage"] for s in found if s["stage"] not in ("retired", "suspended")}
    out: dict[str, Any] = {"read": [], "write": [], "errors": Counter()}
    started = time.perf_counter()
    until = started + seconds
    await asyncio.gather(*(
        _client(CLIENTS[client](url, token, keep_alive), systems, until, seed, out)
        for seed in range(clients)
    ))  # fmt: skip
    elapsed = time.perf_counter() - started
    every = out["read"] + out["write"]
    return {
        "requests": len(every),
        "writes": len(out["write"]),
        "per_second": len(every) / elapsed,
        "all": _percentiles(every),
        "reads": _percentiles(out["read"]),
        "writes_latency": _percentiles(out["write"]),
        "errors": dict(out["errors"]),
    }


def _run(args: argparse.Namespace, keep_alive: bool) -> dict[str, Any]:
    """One mode's run, on its own freshly built organisation and server."""
    load = {"start": os.getloadavg()}  # the machine's load: a shared machine skews figures
    with (
        tempfile.TemporaryDirectory(prefix="charter-load-") as home,
        _database(args.database) as url,
    ):
        env, token = _prepare(Path(home), url)
        if args.threads is not None:
            env["CHARTER_SERVE_THREADS"] = str(args.threads)
        with _served(env, args.workers) as (served, pid):
            processes = {"server": pid, "postgresql": _postmaster(url)}
            before = {k: _cpu_seconds(v) for k, v in processes.items() if v}
            mine = time.process_time()
            result = asyncio.run(
                _load(served, token, args.clients, args.seconds, keep_alive, args.client)
            )
            cpu = {k: _cpu_seconds(processes[k]) - v for k, v in before.items()}
            cpu["load_generator"] = time.process_time() - mine
        load["end"] = os.getloadavg()
    per_request = {k: v * 1000 / result["requests"] for k, v in cpu.items()}
    return {"load_average": load, **result, "cpu_seconds": cpu, "cpu_ms_per_request": per_request}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--connections", choices=["both", "keep-alive", "per-request"], default="both"
    )
    parser.add_argument("--client", choices=list(CLIENTS), default="lean")
    parser.add_argument(
        "--threads", type=int, help="CHARTER_SERVE_THREADS of the server (default: its own)"
    )
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    modes = ["keep-alive", "per-request"] if args.connections == "both" else [args.connections]
    report = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "database": args.database, "workers": args.workers, "clients": args.clients,
        "seconds": args.seconds, "write_share": WRITE_SHARE, "client": args.client,
        "serve_threads": args.threads or "default",
        "modes": {mode: _run(args, keep_alive=mode == "keep-alive") for mode in modes},
    }  # fmt: skip
    print(json.dumps(report, indent=2))
    out = args.out or HERE / "results" / f"api_load-{args.database}-{args.workers}w.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
