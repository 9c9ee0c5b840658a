"""Request bodies of the reports API."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class SectionsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sections: dict[str, str] = Field(description="section item id -> its text")


class SubmissionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sent_to: str = Field(max_length=300)
    reference: str = Field(max_length=300)
    note: str = Field("", max_length=4000)
