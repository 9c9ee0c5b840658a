"""Request bodies of monitoring: monitors, runs, resolving alerts and reviews."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from charter.kernel.web.schemas import Body, Name


class MonitorIn(Body):
    name: str = Name
    suite: dict[str, Any]
    location: dict[str, str]
    schedule: str = Field(min_length=9, max_length=100, description="cron: m h dom mon dow")
    time_zone: str = Field(default="UTC", max_length=60)
    window_hours: int = Field(default=24, ge=1, le=8784)
    engine: str = Field(default="duckdb", pattern="^(duckdb|spark)$")


class RunIn(Body):
    slot: datetime | None = None


class NoteIn(Body):
    note: str = Field(min_length=1, max_length=4000)


# --- answers (the routes present the records themselves) ---------------------------------


class Open(BaseModel):
    """An answer's fields that clients rely on; the record's other fields come with them."""

    model_config = ConfigDict(extra="allow")


class MonitorOut(Open):
    id: str
    system_id: str
    name: str
    schedule: str
    active: bool


class RunOut(Open):
    id: str
    monitor_id: str
    slot: str
    status: str
    evidence_id: str | None


class SeriesOut(Open):
    suite: str
    check_id: str
    metric: str
    points: list[dict[str, Any]]


class AlertOut(Open):
    id: str
    system_id: str
    check_id: str
    status: str
    run_ids: list[str]


class ReviewOut(Open):
    id: str
    system_id: str
    kind: str
    status: str
    reason: str


class StaleOut(BaseModel):
    system_id: str
    system: str
    stage: str
    rule: str
    latest: str | None
