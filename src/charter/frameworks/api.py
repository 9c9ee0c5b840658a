"""API: framework packs and compliance readiness."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends

from charter.frameworks import services as classification
from charter.frameworks.domain.classification import ANSWER_KEYS
from charter.frameworks.files import classification_data, load_packs
from charter.frameworks.ports import Context
from charter.frameworks.schemas import ClassificationIn
from charter.kernel.access import ensure_member
from charter.kernel.errors import InvalidInput, NotFound
from charter.kernel.present import as_json
from charter.kernel.web.http import Who, context

Ctx = Annotated[Context, Depends(context)]
router = APIRouter()
Schedule = Literal["amended", "original"]


@router.get("/packs", tags=["frameworks"])
def list_packs(who: Who) -> dict[str, Any]:
    ensure_member(who)
    items = [
        {"id": p.id, "title": p.title, "nature": p.nature, "requirements": len(p.requirements)}
        for p in load_packs()
    ]
    return {"items": items, "total": len(items)}


@router.post("/systems/{system_id}/classification", status_code=201, tags=["classification"])
def classify(ctx: Ctx, who: Who, system_id: str, body: ClassificationIn) -> Any:
    """Classify the system from the answers (or from the screening of a use case it
    delivers): recorded, audited, and its risk tier updated."""
    answers: Any = body.answers
    if body.use_case_id is not None:
        if body.answers:
            raise InvalidInput("give answers or a use_case_id, not both")
        answers = classification.screening_answers(ctx, who, system_id, body.use_case_id)
    item, _ = classification.classify_system(ctx, who, system_id, answers, classification_data())
    return {"id": item.id, "system_id": system_id, "answers": item.answers, **item.result}


@router.get("/systems/{system_id}/classification", tags=["classification"])
def latest(ctx: Ctx, who: Who, system_id: str) -> Any:
    """The system's latest classification."""
    item = classification.latest(ctx, who, system_id)
    if item is None:
        raise NotFound("classification of system", system_id)
    return {**as_json(item), "questions": sorted(ANSWER_KEYS)}
