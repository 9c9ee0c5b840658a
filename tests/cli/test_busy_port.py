"""`charter demo` and `charter serve` check their port before any long work: a busy port is
refused at once, by name, with a non-zero exit, and the demo is not built."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from charter.cli.main import app
from charter.kernel.cli.output import EXIT_CONFLICT


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A port another program listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


def test_demo_refuses_a_busy_port_before_building(cli, tmp_path: Path, busy_port: int) -> None:  # type: ignore[no-untyped-def]
    home = tmp_path / "demo-home"
    error = cli("demo", "--home", str(home), "--port", str(busy_port), code=EXIT_CONFLICT)
    assert error["error"] == "conflict"
    assert f"port {busy_port} on 127.0.0.1 is in use" in error["detail"]
    assert not (home / "demo.db").exists()


def test_serve_refuses_a_busy_port(tmp_path: Path, busy_port: int, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CHARTER_HOME", str(tmp_path))
    monkeypatch.delenv("CHARTER_DATABASE_URL", raising=False)
    result = CliRunner().invoke(app, ["serve", "--port", str(busy_port)])
    assert result.exit_code == EXIT_CONFLICT, result.output
    assert f"port {busy_port} on 127.0.0.1 is in use" in result.output
    assert not (tmp_path / "charter.db").exists()  # nothing built, nothing migrated


def test_an_address_the_machine_does_not_have_is_refused(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    error = cli("demo", "--home", str(tmp_path), "--host", "192.0.2.1", "--port", "8999", code=3)
    assert "cannot listen on 192.0.2.1:8999" in error["detail"]
