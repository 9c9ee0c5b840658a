"""A run started before the person's rights are checked (`charter validate`) tells nothing of
the data until they are: an engine's error (its text may quote the rows it read) reaches the
log only once the result is read, after the check, never when the run is closed unread. A
person without the right gets the rights refusal."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from charter.bootstrap import suite_runner
from charter.config import Settings
from charter.kernel.errors import InvalidInput
from charter.validation.domain.suite import parse_suite
from tests.validation.test_validate_cli import ADMIN, DS, world  # noqa: F401  (a fixture)

SECRET = "TOPSECRET-42"


def _leaky(folder: Path) -> None:
    """A CSV whose last row does not convert: DuckDB's error quotes it (past its sample)."""
    rows = ["label,prediction", *["1,0"] * 30_000, f"{SECRET},1"]
    (folder / "scored.csv").write_text("\n".join(rows) + "\n")


SUITE = {
    "name": "s",
    "data": "scored.csv",
    "columns": {"label": "label", "prediction": "prediction"},
    "checks": [{"id": "acc", "metric": "accuracy", "min": 0.5}],
}


def test_an_early_runs_engine_error_is_logged_only_once_its_result_is_read(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _leaky(tmp_path)
    suite = parse_suite(SUITE)
    runner = suite_runner(Settings(home=tmp_path / "home"))
    caplog.set_level(logging.INFO, logger="charter.validation")
    for read in (False, True):
        started = runner.start(suite, tmp_path, "duckdb")
        assert started.ended(timeout=60)  # failed, in its own thread
        assert SECRET not in caplog.text  # nothing told before the check
        if read:
            with pytest.raises(InvalidInput, match="could not compute") as refused:
                started.result(suite)
            assert SECRET not in str(refused.value)
        started.close()
    told = [r for r in caplog.records if SECRET in r.getMessage()]
    assert len(told) == 1, caplog.text  # the run read, not the one closed


def test_a_person_without_the_right_gets_the_refusal_and_no_log(world, caplog) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    run, system, folder = world
    person = run("people", "create", "Aud", "aud@example.org", "--as", ADMIN)
    run("roles", "assign", person["id"], "auditor", "--as", ADMIN)
    _leaky(folder)
    (folder / "leaky.yaml").write_text(json.dumps(SUITE))  # (JSON is YAML)
    caplog.set_level(logging.INFO, logger="charter.validation")
    args: list[Any] = ["validate", str(folder / "leaky.yaml"), "--system", system]
    assert run(*args, "--as", "aud@example.org", code=6)["error"] == "forbidden"
    assert SECRET not in caplog.text
    error = run(*args, "--as", DS, code=3)
    assert error["error"] == "invalid-input" and SECRET not in str(error)
    assert SECRET in caplog.text  # told to the log once the right is confirmed
