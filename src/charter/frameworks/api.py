"""API: framework packs and their versions, EU AI Act classification (and its dry run), the
obligations calendar and the impact of a change of schedule."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response

from charter.frameworks import present
from charter.frameworks import services as classification
from charter.frameworks.domain.answers import Problem, problems, refuse
from charter.frameworks.domain.versions import diff, pick
from charter.frameworks.files import classification_data, load_packs
from charter.frameworks.ports import Context
from charter.frameworks.schemas import (
    ClassificationIn,
    Classified,
    LatestClassification,
    ObligationsCalendar,
    ObligationsImpact,
    PackDiffOut,
    PackRow,
    Preview,
)
from charter.kernel.access import ensure_member
from charter.kernel.errors import InvalidInput, NotFound
from charter.kernel.present import as_json
from charter.kernel.web.contract import Listed, returns
from charter.kernel.web.http import Day, Who, context

Ctx = Annotated[Context, Depends(context)]
router = APIRouter()
Schedule = Literal["amended", "original"]


@router.get("/packs", tags=["frameworks"], responses=returns(Listed[PackRow]))
def list_packs(who: Who) -> dict[str, Any]:
    """The packs installed, with their versions and the day each took effect."""
    ensure_member(who)
    items = [present.pack_row(p) for p in load_packs()]
    return {"items": items, "total": len(items)}


@router.get("/packs/{pack_id}/diff", tags=["frameworks"], responses=returns(PackDiffOut))
def pack_diff(
    who: Who, pack_id: str, old: Annotated[str, Query(max_length=40)],
    new: Annotated[str, Query(max_length=40)],
) -> dict[str, Any]:  # fmt: skip
    """The requirements added, removed and changed from one version of a pack to another
    (a schedule's name or the pack's version)."""
    ensure_member(who)
    pack = next((p for p in load_packs() if p.id == pack_id), None)
    if pack is None:
        raise NotFound("pack", pack_id)
    return present.pack_diff(diff(pick(pack, old), pick(pack, new)))


@router.post(
    "/systems/{system_id}/classification",
    status_code=201,
    tags=["classification"],
    responses={**returns(Classified, 201), **returns(Preview, 200, "The dry run's result")},
)
def classify(
    ctx: Ctx, who: Who, system_id: str, body: ClassificationIn, response: Response,
    dry_run: Annotated[bool, Query(description="Classify without recording (200)")] = False,
) -> Any:  # fmt: skip
    """Classify the system from the answers (or from the screening of a use case it
    delivers): recorded, audited, and its risk tier updated; with dry_run, nothing is
    recorded. Every problem with the answers is named at once (422)."""
    answers: Any = body.answers
    data = classification_data()
    if body.use_case_id is not None:
        if body.answers:
            raise InvalidInput("give answers or a use_case_id, not both")
        answers = classification.screening_answers(ctx, who, system_id, body.use_case_id)
    elif not answers:  # as an empty answers file: no tier nobody answered for
        refuse([Problem("answers", "no answers: give at least one answer, or a use_case_id")])
    refuse(problems(data, answers))
    if dry_run:
        response.status_code = 200
        result = classification.preview_classification(ctx, who, system_id, answers, data)
        return present.preview(system_id, answers, result)
    item, _ = classification.classify_system(ctx, who, system_id, answers, data)
    return {"id": item.id, "system_id": system_id, "answers": item.answers, **item.result}


@router.get(
    "/systems/{system_id}/classification",
    tags=["classification"],
    responses=returns(LatestClassification),
)
def latest(ctx: Ctx, who: Who, system_id: str) -> Any:
    """The system's latest classification."""
    item = classification.latest(ctx, who, system_id)
    if item is None:
        raise NotFound("classification of system", system_id)
    return {**as_json(item), "questions": sorted(classification_data()["questions"])}


@router.get(
    "/obligations/calendar", tags=["classification"], responses=returns(ObligationsCalendar)
)
def obligations_calendar(
    ctx: Ctx, who: Who, system_id: Annotated[str | None, Query(max_length=40)] = None,
    until: Day | None = None, schedule: Schedule | None = None,
) -> Any:  # fmt: skip
    """Upcoming obligation dates per visible classified system, each with the person who
    answers for it (the RACI Accountable of its activity, else the system's owner)."""
    found = classification.obligations_calendar(
        ctx, who, classification_data(), schedule, until, system_id
    )
    return present.calendar(found)


@router.get("/obligations/impact", tags=["classification"], responses=returns(ObligationsImpact))
def obligations_impact(ctx: Ctx, who: Who, schedule: Schedule) -> Any:
    """Per visible classified system: the obligations and dates that change from its
    recorded classification under the schedule given, and who answers for each."""
    found = classification.obligations_impact(ctx, who, classification_data(), schedule)
    return present.impact(found)
