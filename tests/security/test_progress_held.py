"""The progress of a run begun before the person's rights are checked is not shown until they
are: how far a scan got tells something of the data (that it has the suite's columns, that
it is not empty). A person without the right sees no step at all."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import charter.validation.cli as validation_cli
from charter.validation.engines.runner import Started
from tests.validation.test_validate_cli import ADMIN, DS, world  # noqa: F401  (a fixture)


def test_no_step_is_shown_before_the_result_may_be_read(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    run, system, folder = world
    person = run("people", "create", "Aud", "aud@example.org", "--as", ADMIN)
    run("roles", "assign", person["id"], "auditor", "--as", ADMIN)
    seen: list[str] = []

    @contextmanager
    def progress(show: bool) -> Iterator[Any]:  # the bar, as the command draws it
        yield lambda step, done, total: seen.append(f"step {step}")

    result = Started.result

    def read(self: Started, suite: Any) -> Any:
        seen.append("result read")
        return result(self, suite)

    monkeypatch.setattr(validation_cli, "_progress", progress)
    monkeypatch.setattr(Started, "result", read)
    args = ["validate", str(folder / "suite.yaml"), "--system", system]
    run(*args, "--as", "aud@example.org", code=6)
    assert seen == []  # refused: nothing of the run was shown
    run(*args, "--as", DS, code=1)
    assert seen[0] == "result read", seen
    assert any(s.startswith("step ") for s in seen), seen  # shown once it may be read
