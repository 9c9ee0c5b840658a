"""What a classification run keeps as it goes: the reasoning, each step citing the id it
rests on, and the unsettled items the tier itself rests on."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class ReasoningStep:
    cite: str  # the id it rests on, in the shipped EU AI Act pack
    finding: str


@dataclass(frozen=True, slots=True)
class Cited:
    id: str
    title: str


@dataclass(frozen=True, slots=True)
class Unsettled:
    id: str  # the item that rests on something unsettled
    reason: str  # what: an amendment not read in the Official Journal, guidelines to come


class Dated(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def uncertain_because(self) -> str: ...


@dataclass
class Run:
    data: Mapping[str, Any]
    answers: Mapping[str, Any]
    schedule: str
    steps: list[ReasoningStep] = field(default_factory=list)
    tier_unsettled: list[Unsettled] = field(default_factory=list)

    def note(self, cite: str, finding: str) -> None:
        self.steps.append(ReasoningStep(cite, finding))

    def unsettle(self, cite: str, reason: str) -> None:
        """The tier rests on `cite`, which rests on the unsettled item `reason` names."""
        self.tier_unsettled.append(Unsettled(cite, self.data["unsettled"][reason]))

    def unsettled_of(self, duties: Iterable[Dated]) -> tuple[Unsettled, ...]:
        """The tier's unsettled items, then each uncertain obligation's, once each."""
        found = [*self.tier_unsettled]
        found += [Unsettled(d.id, d.uncertain_because) for d in duties if d.uncertain_because]
        return tuple(dict.fromkeys(found))
