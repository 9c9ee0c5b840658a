"""API: monitors, their runs, evidence series, alerts, reviews and stale evidence."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from charter.kernel.present import as_json, page
from charter.kernel.web.contract import Items, Paged, returns
from charter.kernel.web.http import MAX_INT, Moment, Who, context
from charter.monitoring import services as monitoring
from charter.monitoring.ports import Context
from charter.monitoring.schemas import (
    AlertOut,
    MonitorIn,
    MonitorOut,
    NoteIn,
    ReviewOut,
    RunIn,
    RunOut,
    SeriesOut,
    StaleOut,
)

Ctx = Annotated[Context, Depends(context)]
router = APIRouter(tags=["monitoring"])


@router.get("/monitors", responses=returns(Items[MonitorOut]))
def list_monitors(ctx: Ctx, who: Who, system_id: str | None = None) -> Any:
    return {"items": as_json(monitoring.list_monitors(ctx, who, system_id))}


@router.post("/systems/{system_id}/monitors", status_code=201, responses=returns(MonitorOut, 201))
def create_monitor(ctx: Ctx, who: Who, system_id: str, body: MonitorIn) -> Any:
    return as_json(
        monitoring.create_monitor(
            ctx,
            who,
            system_id,
            body.name,
            body.suite,
            body.location,
            body.schedule,
            body.time_zone,
            body.window_hours,
            body.engine,
        )
    )


@router.post("/monitors/{monitor_id}/runs", status_code=201, responses=returns(RunOut, 201))
def run_monitor(ctx: Ctx, who: Who, monitor_id: str, body: RunIn) -> Any:
    """Run a monitor now over the window ending at `slot` (the latest scheduled by default)."""
    return as_json(monitoring.run_monitor(ctx, monitor_id, body.slot, who))


@router.get("/monitors/{monitor_id}/runs", responses=returns(Items[RunOut]))
def list_runs(ctx: Ctx, who: Who, monitor_id: str) -> Any:
    return {"items": as_json(monitoring.runs(ctx, who, monitor_id))}


@router.get("/systems/{system_id}/series", responses=returns(Items[SeriesOut]))
def system_series(
    ctx: Ctx, who: Who, system_id: str, check: str | None = None, since: Moment | None = None
) -> Any:
    """Each check's values over time with its thresholds: the trends of the system page."""
    return {"items": as_json(monitoring.system_series(ctx, who, system_id, check, since))}


Limit = Annotated[int, Query(ge=1, le=500, description="rows per page")]
Offset = Annotated[int, Query(ge=0, le=MAX_INT, description="rows skipped")]


@router.get("/alerts", responses=returns(Paged[AlertOut]))
def list_alerts(
    ctx: Ctx, who: Who, system_id: str | None = None, open_only: bool = True,
    limit: Limit = 50, offset: Offset = 0,
) -> Any:  # fmt: skip
    """The alerts the reader may see, newest breach first, a page at a time."""
    return page(monitoring.alert_page(ctx, who, system_id, open_only, limit, offset))


@router.post("/alerts/{alert_id}/resolve", responses=returns(AlertOut))
def resolve_alert(ctx: Ctx, who: Who, alert_id: str, body: NoteIn) -> Any:
    return as_json(monitoring.resolve_alert(ctx, who, alert_id, body.note))


@router.get("/reviews", responses=returns(Paged[ReviewOut]))
def list_reviews(
    ctx: Ctx, who: Who, system_id: str | None = None, open_only: bool = True,
    limit: Limit = 50, offset: Offset = 0,
) -> Any:  # fmt: skip
    """The reviews the reader may see, newest first, a page at a time."""
    return page(monitoring.review_page(ctx, who, system_id, open_only, limit, offset))


@router.post("/reviews/{review_id}/close", responses=returns(ReviewOut))
def close_review(ctx: Ctx, who: Who, review_id: str, body: NoteIn) -> Any:
    return as_json(monitoring.close_review(ctx, who, review_id, body.note))


@router.get("/evidence/stale", responses=returns(Items[StaleOut]))
def stale_evidence(ctx: Ctx, who: Who) -> Any:
    """Systems whose latest evidence is older than a freshness rule allows at their stage."""
    return {
        "items": [
            {
                "system_id": s.id,
                "system": s.name,
                "stage": s.stage.value,
                "rule": rule,
                "latest": as_json(when),
            }
            for s, rule, when in monitoring.stale_evidence(ctx, who)
        ]
    }
