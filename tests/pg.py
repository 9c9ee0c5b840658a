"""A real PostgreSQL server for the test run, started from the system's binaries.

Finds pg_ctl on PATH or under /usr/lib/postgresql/*/bin, creates a throw-away cluster in a
temporary folder, listens on 127.0.0.1 on a free port, and stops it at the end. PostgreSQL
refuses to run as root, so under root the cluster belongs to the `postgres` user.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
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


def _children(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                    found.append(int(entry.name))
    return found


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state == "Z"


@dataclass
class PostgresServer:
    bindir: Path
    datadir: Path
    port: int
    user: str | None  # OS user that runs the server, when we are root
    options: str

    def _run(self, *args: object) -> None:
        cmd = [str(a) for a in args]
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=180)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://charter@127.0.0.1:{self.port}/{database}"

    def start_server(self) -> None:
        """Start (again, after a crash: PostgreSQL then replays its WAL)."""
        log = self.datadir.parent / "log"
        self._run(
            self.bindir / "pg_ctl",
            "-D",
            self.datadir,
            "-o",
            self.options,
            "-l",
            log,
            "-w",
            "-t",
            "120",
            "start",
        )

    def kill(self) -> None:
        """SIGKILL the postmaster and every server process: a crash, not a shutdown."""
        postmaster = int((self.datadir / "postmaster.pid").read_text().split()[0])
        victims = [postmaster, *_children(postmaster)]
        for pid in victims:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        for pid in victims:
            for _ in range(1000):
                if _gone(pid):
                    break
                time.sleep(0.01)
        # A killed postmaster may linger as a zombie when nothing reaps orphans here; to
        # PostgreSQL its PID would still look alive. Every server process is dead, as after
        # a power cut, so the stale lock files go.
        (self.datadir / "postmaster.pid").unlink(missing_ok=True)
        for stale in self.datadir.parent.glob(f".s.PGSQL.{self.port}*"):
            stale.unlink(missing_ok=True)

    def stop(self) -> None:
        try:
            self._run(self.bindir / "pg_ctl", "-D", self.datadir, "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.datadir.parent, ignore_errors=True)


def start(durable: bool = False) -> PostgresServer:
    """A throw-away server; `durable` keeps fsync on (crash tests), else speed wins."""
    bindir = find_bindir()
    root = Path(tempfile.mkdtemp(prefix="charter-pg-"))
    user = None
    if os.geteuid() == 0:
        try:
            pw = pwd.getpwnam("postgres")
        except KeyError as exc:
            raise PostgresUnavailable("running as root and no 'postgres' user exists") from exc
        user = "postgres"
        os.chown(root, pw.pw_uid, pw.pw_gid)
    port = _free_port()
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1"
    if not durable:
        options += " -c fsync=off -c full_page_writes=off -c synchronous_commit=off"
    server = PostgresServer(bindir, root / "data", port, user, options)
    server._run(
        bindir / "initdb",
        "-D",
        server.datadir,
        "-U",
        "charter",
        "-A",
        "trust",
        "-E",
        "UTF8",
        *([] if durable else ["--no-sync"]),
    )
    server.start_server()
    return server
