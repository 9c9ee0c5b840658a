"""Response shapes of the leadership scorecard."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, Field

from charter.scorecard.domain.scorecard import Action, Measure


@dataclass(frozen=True)
class MeasureOut(Measure):
    """A measure, and its value (numerator over denominator, 0 to 1; null when nothing is
    measurable)."""

    value: float | None = None


class ScorePoint(BaseModel):
    on: str = Field(description="the day (ISO 8601)")
    score: float | None


class Pillar(BaseModel):
    pillar: str
    title: str
    score: float | None = Field(description="0 to 100; null when no measure is measurable")
    measures: list[MeasureOut]
    trend: list[ScorePoint]
    actions: list[Action]


class Scorecard(BaseModel):
    pillars: list[Pillar]
