"""API: the leadership scorecard."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from charter.kernel.web.contract import returns
from charter.kernel.web.http import Who, context
from charter.scorecard import services as scorecard
from charter.scorecard.ports import Context
from charter.scorecard.present import pillar_json
from charter.scorecard.schemas import Scorecard

Ctx = Annotated[Context, Depends(context)]
router = APIRouter()


@router.get("/scorecard", tags=["scorecard"], responses=returns(Scorecard))
def get_scorecard(ctx: Ctx, who: Who, months: Annotated[int, Query(ge=1, le=24)] = 6) -> Any:
    """Each pillar's score from live data, its measures, its trend, and the top actions."""
    return {"pillars": [pillar_json(p) for p in scorecard.leadership_scorecard(ctx, who, months)]}
