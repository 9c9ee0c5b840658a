"""`charter validate SUITE ...` begins its scan before Typer loads: Typer, Click and rich took
a 1M-row run about 0.07 s before the scan could start (benchmarks/README.md). Only the plain
form of the command is read here (`validate`, one suite file, --system, --engine,
--model-version, --as with a value each at most once, --json, nothing else, no
CHARTER_SERVER); anything else, or a suite or setting that does not read, begins nothing
and Typer's command says what it always says. The command then takes the run if it parsed
the same suite file and engine (charter.validation.cli), else it begins its own; a run not
taken is stopped when the process ends. The run is the one the command would begin (the
same engine, files kept secret and limits: charter.bootstrap.early_suite_runner) and its
result is used, as always, only after the person's rights are checked."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from charter.validation.domain.suite import Suite
    from charter.validation.engines.runner import Started

VALUED = ("--system", "--engine", "--model-version", "--as")


@dataclass(slots=True)
class Relay:
    """The run's progress, passed on once the command has somewhere to show it."""

    target: Any = None

    def __call__(self, step: str, done: int, total: int) -> None:
        if self.target is not None:
            self.target(step, done, total)


@dataclass(slots=True)
class Early:
    suite_file: Path
    engine: str
    suite: Suite
    started: Started
    progress: Relay  # the command passes the run's progress on (charter.validation.cli)


_begun: list[Early] = []


def plain_validate(args: list[str]) -> tuple[Path, str] | None:
    """The suite file and engine of a plain `validate` command line, or None."""
    if args[:1] != ["validate"] or "CHARTER_SERVER" in os.environ:
        return None
    values: dict[str, str] = {}
    files: list[str] = []
    rest = iter(args[1:])
    for word in rest:
        if word in VALUED and word not in values:
            value = next(rest, None)
            if value is None or value.startswith("-"):
                return None
            values[word] = value
        elif word == "--json" and word not in values:
            values[word] = "yes"
        elif word.startswith("-") or files:
            return None
        else:
            files.append(word)
    if len(files) != 1 or "--system" not in values:
        return None
    return Path(files[0]), values.get("--engine", "duckdb")


@contextmanager
def validation_begun(args: list[str]) -> Iterator[None]:
    """Begin the scan of a plain `validate` command line; stop it at the end if not taken."""
    plain = plain_validate(args)
    if plain is not None:
        _begin(*plain)
    try:
        yield
    finally:
        while _begun:
            _begun.pop().started.close()


def _begin(suite_file: Path, engine: str) -> None:
    from charter.bootstrap import early_suite_runner
    from charter.validation.engines.backend import stoppable
    from charter.validation.files import load_suite

    if not stoppable(engine):  # (a run that cannot be stopped begins once it is allowed)
        return
    try:
        suite = load_suite(suite_file)
        runner = early_suite_runner(os.environ)
    except Exception:  # the command meets it again and says it, as it always has
        return
    if runner is not None:
        progress = Relay()
        started = runner.start(suite, suite_file.parent, engine, progress)
        _begun.append(Early(suite_file, engine, suite, started, progress))


def take(suite_file: Path, engine: str) -> Early | None:
    """The run begun for this suite file and engine, now the caller's to close."""
    for early in _begun:
        if early.suite_file == suite_file and early.engine == engine:
            _begun.remove(early)
            return early
    return None
