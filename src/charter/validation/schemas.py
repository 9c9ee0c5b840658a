"""Request bodies and response shapes of validation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from charter.kernel.web.schemas import Body
from charter.validation.domain.evidence import Evidence


class ValidationIn(Body):
    suite: dict[str, Any] = Field(
        description="A validation suite, as in a suite file; its "
        "data and reference paths are read under the server's "
        "data folder (CHARTER_DATA_DIR)."
    )
    engine: Literal["duckdb", "duckdb-sql", "spark"] = Field(
        default="duckdb",
        description=(
            "Where the checks run: duckdb (the default, embedded), "
            "spark (needs the spark extra); duckdb-sql, kept for one release, is duckdb."
        ),
    )
    model_version_id: str | None = Field(
        default=None, max_length=40, description="The model version that scored the data."
    )


@dataclass(frozen=True)
class EvidenceOut(Evidence):
    """Evidence Charter computed, and whether every blocking check was satisfied."""

    passed: bool = False
