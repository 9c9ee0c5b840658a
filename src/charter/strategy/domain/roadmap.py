"""The roadmap: approved use cases by quarter, with their dependencies, the systems that
deliver them and what is wrong with the plan (findings)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from charter.inventory.domain import AISystem
from charter.strategy.domain.strategy import UseCase, UseCaseStatus, quarter_index

#: use cases on the roadmap
ON_ROADMAP = frozenset({UseCaseStatus.APPROVED, UseCaseStatus.DELIVERED})


@dataclass(frozen=True, slots=True)
class RoadmapItem:
    use_case: UseCase
    systems: tuple[AISystem, ...]
    findings: tuple[str, ...]

    @property
    def start(self) -> int | None:
        q = self.use_case.start_quarter
        return quarter_index(q) if q else None

    @property
    def end(self) -> int | None:
        q = self.use_case.end_quarter
        return quarter_index(q) if q else None


def _findings(uc: UseCase, by_id: Mapping[str, UseCase], systems: Sequence[AISystem]) -> list[str]:
    out = []
    if uc.status is UseCaseStatus.APPROVED and uc.start_quarter is None:
        out.append("approved but not scheduled")
    for dep_id in uc.depends_on:
        dep = by_id.get(dep_id)
        if dep is None:
            continue
        if dep.status in (UseCaseStatus.REJECTED, UseCaseStatus.STOPPED):
            out.append(f"depends on {dep.title!r}, which is {dep.status.value}")
        elif dep.status not in ON_ROADMAP:
            out.append(f"depends on {dep.title!r}, which is not approved ({dep.status.value})")
        elif (
            uc.start_quarter
            and dep.end_quarter
            and quarter_index(uc.start_quarter) <= quarter_index(dep.end_quarter)
        ):
            out.append(
                f"starts {uc.start_quarter}, before its dependency {dep.title!r} ends "
                f"({dep.end_quarter})"
            )
    if uc.status is UseCaseStatus.APPROVED and not systems:
        out.append("no AI system linked yet")
    return out


def roadmap(use_cases: Sequence[UseCase], systems: Mapping[str, AISystem]) -> list[RoadmapItem]:
    """Approved and delivered use cases, scheduled ones by start quarter, then the rest."""
    by_id = {u.id: u for u in use_cases}
    items = []
    for uc in use_cases:
        if uc.status not in ON_ROADMAP:
            continue
        linked = tuple(systems[s] for s in uc.system_ids if s in systems)
        items.append(RoadmapItem(uc, linked, tuple(_findings(uc, by_id, linked))))
    return sorted(
        items,
        key=lambda i: (i.start is None, i.start or 0, i.end or 0, i.use_case.title),
    )
