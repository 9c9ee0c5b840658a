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


class AcceptIn(Body):
    """What accepting a proposal may add: a system's business unit (needed), purpose and
    owner; a model's system."""

    business_unit_id: str | None = Field(default=None, max_length=40)
    purpose: str | None = Field(default=None, max_length=4000)
    owner_id: str | None = Field(default=None, max_length=40)
    system_id: str | None = Field(default=None, max_length=40)
