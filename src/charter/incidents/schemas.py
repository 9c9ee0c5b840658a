"""Request bodies of incidents."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from charter.incidents.domain import Category, ReportKind
from charter.kernel.web.schemas import Body


class IncidentIn(Body):
    title: str = Field(min_length=1, max_length=300)
    description: str = Field(min_length=1, max_length=8000)
    reported_by: str = Field(min_length=1, max_length=300)
    aware_at: datetime
    occurred_at: datetime | None = None
    affected_persons: int | None = Field(default=None, ge=0)
    affected_description: str = Field(default="", max_length=4000)
    time_zone: str | None = Field(default=None, max_length=60)
    evidence_ids: list[str] | None = Field(default=None, max_length=100)


class ClassificationIn(Body):
    categories: list[Category] = Field(max_length=4)
    death: bool = False
    widespread: bool = False
    reason: str = Field(min_length=1, max_length=4000)


class ReasonIn(Body):
    reason: str = Field(min_length=1, max_length=3000)


class ActionIn(Body):
    description: str = Field(min_length=1, max_length=8000)
    owner_id: str = Field(min_length=1, max_length=40)
    due_on: date | None = None


class OutcomeIn(Body):
    outcome: str = Field(min_length=1, max_length=8000)


class SubmissionIn(Body):
    kind: ReportKind
    authority: str = Field(min_length=1, max_length=300)
    sent_at: datetime
    reference: str = Field(default="", max_length=300)
