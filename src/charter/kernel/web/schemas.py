"""What every request body shares: unknown fields are refused so that typos do not pass
silently; names are 1 to 200 characters."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

Name = Field(min_length=1, max_length=200)


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")
