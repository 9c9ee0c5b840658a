"""Request bodies of the integrations' API."""

from __future__ import annotations

from pydantic import Field

from charter.kernel.web.schemas import Body


class ReviewIn(Body):
    reason: str = Field(min_length=1, max_length=2000)


class BreachIn(Body):
    evidence_id: str = Field(min_length=1, max_length=40)


class ResolveIn(Body):
    resolution: str = Field(min_length=1, max_length=2000)
