"""`charter validate` starts the scan before it opens the store and checks the person's
rights (ADR 0002: start-up is part of every run). That run must be bound exactly as the
context's engine is (the files it never reads, its limits), its result used only after the
rights are checked, and it is stopped when the command fails first."""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy.engine import make_url

from charter.bootstrap import build, sqlite_database, suite_runner
from charter.config import Settings
from charter.kernel.errors import InvalidInput, OverLimit
from charter.validation.domain.suite import parse_suite
from charter.validation.engines.runner import Started
from tests.validation.test_validate_cli import DS, world  # noqa: F401  (a fixture)

URLS = [
    "sqlite:///relative.db",
    "sqlite:////abs/folder/charter.db",
    "sqlite+pysqlite:////abs/x.db?mode=ro&cache=shared",
    f"sqlite:////abs/{quote('with space#and%')}.db",
    "sqlite://",
    "sqlite:///:memory:",
    "sqlite:///",
    "postgresql+psycopg://user:p%40ss@host:5432/charter",
    "postgresql://host/db?sslmode=require",
]


@pytest.mark.parametrize("url", URLS)
def test_the_database_a_url_names_is_the_one_sqlalchemy_reads(url: str) -> None:
    parsed = make_url(url)
    expected = parsed.database if parsed.get_backend_name() == "sqlite" else None
    assert sqlite_database(url) == expected


def test_an_unreadable_url_is_refused() -> None:
    with pytest.raises(InvalidInput, match="cannot be read"):
        sqlite_database("not a url")


@pytest.mark.parametrize(
    "url", [None, "sqlite:///{home}/other.db", "sqlite+pysqlite:///{home}/a%20b.db?timeout=5"]
)
def test_the_early_engine_is_the_one_the_context_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str | None
) -> None:
    monkeypatch.setenv("CHARTER_HOME", str(tmp_path))
    if url is not None:
        monkeypatch.setenv("CHARTER_DATABASE_URL", url.format(home=tmp_path))
    else:
        monkeypatch.delenv("CHARTER_DATABASE_URL", raising=False)
    monkeypatch.setenv("CHARTER_VALIDATION_THREADS", "1")
    settings = Settings()
    ctx, engine = build(settings)
    try:
        early = suite_runner(settings)
        assert early == ctx.run_suite
        database = Path(str(engine.url.database))
        assert database in early.secret and settings.resolved_key_file() in early.secret
        assert early.limits.threads == 1
    finally:
        engine.dispose()


def test_a_run_stopped_before_its_result_is_read_ends_and_gives_nothing(tmp_path: Path) -> None:
    (tmp_path / "scored.csv").write_text("y,p\n" + "1,1\n0,1\n" * 50)
    suite = parse_suite(
        {"name": "s", "data": "scored.csv", "columns": {"label": "y", "prediction": "p"},
         "checks": [{"id": "acc", "metric": "accuracy", "min": 0.5}]}
    )  # fmt: skip
    runner = suite_runner(Settings(home=tmp_path))
    held, steps = threading.Event(), []

    def progress(step: str, done: int, total: int) -> None:
        held.wait()  # until the test holds the started run
        steps.append(step)
        if len(steps) == 1:
            started.stop()

    before = sys.getswitchinterval()
    started = runner.start(suite, tmp_path, "duckdb", progress)
    held.set()
    started.close()
    assert sys.getswitchinterval() == before  # as it was before the run
    with pytest.raises(OverLimit, match="stopped"):
        started.result(suite)
    assert steps == [steps[0]] and steps[0].startswith("reading")


@pytest.mark.parametrize(
    "change",
    [
        lambda f: (f / "scored.csv").unlink(),
        lambda f: (f / "scored.csv").write_text("label,prediction\n1,1\n"),
    ],
)
def test_rights_are_refused_before_anything_about_the_data_is_said(world, change) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """The scan ran (or failed) before the rights were checked: a person without the right
    to record evidence learns nothing of the data, not even that it is missing or lacks a
    column, and nothing is recorded."""
    run, system, folder = world
    person = run("people", "create", "Aud", "aud@example.org", "--as", "root@example.org")
    run("roles", "assign", person["id"], "auditor", "--as", "root@example.org")
    change(folder)
    args = ["validate", str(folder / "suite.yaml"), "--system", system]
    error = run(*args, "--as", "aud@example.org", code=6)
    assert error["error"] == "forbidden", error
    unknown = run(*args, "--as", "nobody@example.org", code=4)
    assert "nobody@example.org" in unknown["detail"], unknown
    assert run(*args, "--as", DS, code=3)["error"] == "invalid-input"  # the data's own error


def test_a_run_that_cannot_be_stopped_begins_only_once_it_is_allowed(tmp_path: Path) -> None:
    """A Spark run cannot be interrupted: it is not started ahead of the rights check (a
    refused person would wait for the whole job), but in result(), in the caller's thread."""
    suite = parse_suite(
        {"name": "s", "data": "scored.csv", "columns": {"label": "y", "prediction": "p"},
         "checks": [{"id": "acc", "metric": "accuracy", "min": 0.5}]}
    )  # fmt: skip
    ran: list[tuple[str, str]] = []

    def engine(suite: Any, folder: Path, engine: str, *rest: Any) -> Any:  # the port's fake
        ran.append((engine, threading.current_thread().name))
        return "aggregates"

    for name, thread in (("spark", threading.current_thread().name), ("duckdb", "charter-run")):
        started = Started(engine, suite, tmp_path, name)  # type: ignore[arg-type]
        assert started.result(suite) == "aggregates"
        started.close()
        assert ran[-1][0] == name and ran[-1][1].startswith(thread), ran
