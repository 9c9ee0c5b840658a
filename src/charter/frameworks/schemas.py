"""Request bodies and response shapes of EU AI Act classification, obligations and packs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field

from charter.frameworks.domain.classification import Classification, ClassificationRecord
from charter.frameworks.domain.versions import Change
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


@dataclass(frozen=True)
class Classified(Classification):
    """A classification as recorded: its id, the system, the answers and the result."""

    id: str = ""
    system_id: str = ""
    answers: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Preview(Classification):
    """A dry run's result: the answers and the result, not recorded."""

    system_id: str = ""
    answers: dict[str, Any] = field(default_factory=dict)
    dry_run: bool = True


@dataclass(frozen=True)
class LatestClassification(ClassificationRecord):
    """The system's latest classification, and the questionnaire's question ids."""

    questions: list[str] = field(default_factory=list)


class Answerer(BaseModel):
    """Who answers for an obligation, and on what basis."""

    person_id: str | None
    name: str
    basis: str


class DueItem(BaseModel):
    on: str = Field(description="the day the obligation applies (ISO 8601)")
    system_id: str
    system: str
    obligation: str
    title: str
    role: str
    ground: str
    uncertain: bool
    uncertain_because: str
    answerable: Answerer


class ObligationsCalendar(BaseModel):
    items: list[DueItem]
    total: int
    stale: dict[str, str] = Field(description="system id: why its answers no longer classify")


class ShiftItem(BaseModel):
    obligation: str
    title: str
    role: str
    ground: str
    change: str = Field(description="added, removed or date")
    before: str | None
    after: str | None
    answerable: Answerer


class SystemImpact(BaseModel):
    system_id: str
    system: str
    before: str
    after: str
    changes: list[ShiftItem]
    stale: str


class ObligationsImpact(BaseModel):
    items: list[SystemImpact]
    total: int
    systems_changed: int


class PackVersionRow(BaseModel):
    version: str
    effective: str | None


class PackRow(BaseModel):
    id: str
    title: str
    nature: str
    requirements: int
    versions: list[PackVersionRow]


class PackDiffOut(BaseModel):
    old: str
    new: str
    added: list[Change]
    removed: list[Change]
    changed: list[Change]
