"""Request bodies of EU AI Act classification."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from charter.kernel.web.schemas import Body


class ClassificationIn(Body):
    answers: dict[str, Any] = Field(
        default_factory=dict,
        description="Answers to the EU AI Act questionnaire (see docs/classification.md)",
    )
    use_case_id: str | None = Field(
        default=None,
        max_length=40,
        description="Instead of answers: the screening of a use case the system delivers",
    )
