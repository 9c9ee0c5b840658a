"""Request bodies of monitoring: monitors, runs, resolving alerts and reviews."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

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
