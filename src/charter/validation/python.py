"""Validation from Python: run a suite in this process over data frames and files, and record
its evidence as `charter validate` does without --server (in the store that
CHARTER_DATABASE_URL names, acting as CHARTER_ACTOR unless `actor` says otherwise).

    from charter.validation import validate
    evidence = validate("suite.yaml", "sys_…", frames={"scored": df, "last_quarter": ref})
    assert evidence.passed

A suite names a data frame as a table: `data: {table: scored}`. DuckDB reads pandas and
polars frames and pyarrow Tables and Datasets in place; the Spark engine reads Spark data
frames (and those three, handed to Spark). Nothing is recorded when the run fails.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from charter.bootstrap import acting, build
from charter.config import Settings
from charter.kernel.errors import InvalidInput
from charter.validation import services as validation
from charter.validation.domain.evidence import Evidence
from charter.validation.domain.suite import Suite, parse_suite
from charter.validation.files import load_suite
from charter.validation.ports import Frames


def _suite(
    suite: str | Path | Mapping[str, Any] | Suite, folder: Path | None
) -> tuple[Suite, Path]:
    if isinstance(suite, Suite):
        return suite, folder or Path.cwd()
    if isinstance(suite, Mapping):
        return parse_suite(suite), folder or Path.cwd()
    path = Path(suite)
    return load_suite(path), folder or path.parent


def validate(
    suite: str | Path | Mapping[str, Any] | Suite,
    system: str,
    *,
    frames: Frames | None = None,
    engine: str = "duckdb",
    model_version: str | None = None,
    actor: str | None = None,
    folder: str | Path | None = None,
) -> Evidence:
    """Run `suite` (a YAML file, its contents as a mapping, or a parsed Suite) for `system`
    and record the evidence. `frames` maps the suite's table names to data frames; files
    are read relative to `folder` (by default the suite file's folder, or the working one)."""
    settings = Settings()
    who = actor or settings.actor
    if not who:
        raise InvalidInput("say who acts: actor='EMAIL' or CHARTER_ACTOR=EMAIL")
    parsed, base = _suite(suite, Path(folder) if folder is not None else None)
    ctx, database = build(settings)
    try:
        return validation.validate(
            ctx,
            acting(ctx, who),
            system,
            parsed,
            lambda s: ctx.run_suite(s, base, engine, frames=frames),
            model_version,
        )
    finally:
        database.dispose()  # a pipeline may call this often: no pool left behind
