"""Request bodies of incidents."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

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
    dataset_id: str | None = Field(default=None, min_length=1, max_length=40)


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


# --- answers (the routes present the records themselves) ---------------------------------


class Open(BaseModel):
    """An answer's fields that clients rely on; the record's other fields come with them."""

    model_config = ConfigDict(extra="allow")


class IncidentOut(Open):
    id: str
    system_id: str
    system: str
    title: str
    status: str
    serious: bool | None
    deadline_at: str | None


class ClockOut(BaseModel):
    due_at: str
    last_day: str
    basis: str
    days: int
    extended_last_day: str
    extended_note: str
    running: bool


class IncidentRecord(IncidentOut):
    """An incident with its clock, corrective actions, frozen evidence and reports sent."""

    dataset_id: str | None
    dataset: str | None  # the dataset's name
    clock: ClockOut | None
    corrective_actions: list[dict[str, Any]]
    snapshots: list[dict[str, Any]]
    submissions: list[dict[str, Any]]
    missing: list[str]


class ClosedOut(Open):
    id: str
    status: str


class RequestOut(Open):
    id: str
    system_id: str
    status: str


class ActionOut(Open):
    id: str
    incident_id: str
    description: str
    owner_id: str
    status: str


class SubmissionOut(Open):
    id: str
    incident_id: str
    kind: str
    authority: str
    sent_at: str
    digest: str
