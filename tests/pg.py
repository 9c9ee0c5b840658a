"""A real PostgreSQL server for the test run, started from the system's binaries.

Finds pg_ctl on PATH or under /usr/lib/postgresql/*/bin, creates a throw-away cluster in a
temporary folder, listens on 127.0.0.1 on a free port, and stops it at the end. PostgreSQL
refuses to run as root, so under root the cluster belongs to the `postgres` user.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    pass


def find_bindir() -> Path:
    found = shutil.which("pg_ctl")
    if found:
        return Path(os.path.realpath(found)).parent
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[-3])
    )
    if not candidates:
        raise PostgresUnavailable(
            "no pg_ctl on PATH or in /usr/lib/postgresql/*/bin "
            "(install the 'postgresql' package; .ci/run does)"
        )
    return Path(candidates[-1]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PostgresServer:
    bindir: Path
    datadir: Path
    port: int
    user: str | None  # OS user that runs the server, when we are root

    def _run(self, *args: str) -> None:
        cmd = [str(a) for a in args]
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=120)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://charter@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        try:
            self._run(self.bindir / "pg_ctl", "-D", str(self.datadir), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.datadir.parent, ignore_errors=True)


def start() -> PostgresServer:
    bindir = find_bindir()
    root = Path(tempfile.mkdtemp(prefix="charter-pg-"))
    datadir = root / "data"
    user = None
    if os.geteuid() == 0:
        try:
            pw = pwd.getpwnam("postgres")
        except KeyError as exc:
            raise PostgresUnavailable("running as root and no 'postgres' user exists") from exc
        user = "postgres"
        os.chown(root, pw.pw_uid, pw.pw_gid)
    server = PostgresServer(bindir, datadir, _free_port(), user)
    server._run(
        bindir / "initdb",
        "-D",
        str(datadir),
        "-U",
        "charter",
        "-A",
        "trust",
        "-E",
        "UTF8",
        "--no-sync",
    )
    options = (
        f"-p {server.port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c full_page_writes=off -c synchronous_commit=off"
    )
    server._run(
        bindir / "pg_ctl",
        "-D",
        str(datadir),
        "-o",
        options,
        "-l",
        str(root / "log"),
        "-w",
        "-t",
        "60",
        "start",
    )
    return server
