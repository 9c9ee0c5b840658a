"""API: EU AI Act classification of systems."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from charter.domain.classification import ANSWER_KEYS
from charter.domain.errors import InvalidInput, NotFound
from charter.engines.packs import classification_data
from charter.services import classification, portfolio
from charter.web.deps import Ctx, Who
from charter.web.present import as_json
from charter.web.schemas import ClassificationIn

router = APIRouter()


@router.post("/systems/{system_id}/classification", status_code=201, tags=["classification"])
def classify(ctx: Ctx, who: Who, system_id: str, body: ClassificationIn) -> Any:
    """Classify the system from the answers (or from the screening of a use case it
    delivers): recorded, audited, and its risk tier updated."""
    answers: Any = body.answers
    if body.use_case_id is not None:
        if body.answers:
            raise InvalidInput("give answers or a use_case_id, not both")
        answers = portfolio.screening_answers(ctx, who, system_id, body.use_case_id)
    item, _ = classification.classify_system(ctx, who, system_id, answers, classification_data())
    return {"id": item.id, "system_id": system_id, "answers": item.answers, **item.result}


@router.get("/systems/{system_id}/classification", tags=["classification"])
def latest(ctx: Ctx, who: Who, system_id: str) -> Any:
    """The system's latest classification."""
    item = classification.latest(ctx, who, system_id)
    if item is None:
        raise NotFound("classification of system", system_id)
    return {**as_json(item), "questions": sorted(ANSWER_KEYS)}
