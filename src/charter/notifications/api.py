"""API: notices, the delivery log, replay, webhook endpoints and preferences."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from charter.kernel.present import as_json
from charter.kernel.web.contract import Items, returns
from charter.kernel.web.http import Who, context
from charter.notifications import services as notifications
from charter.notifications.domain import EVENTS, Status
from charter.notifications.ports import Context
from charter.notifications.present import delivery_json, endpoint_json
from charter.notifications.schemas import (
    DeliveryOut,
    EndpointIn,
    EndpointOut,
    EndpointState,
    EventType,
    NoticeOut,
    PreferenceIn,
    PreferenceOut,
    Replayed,
)

Ctx = Annotated[Context, Depends(context)]
router = APIRouter(tags=["notifications"])


@router.get("/notifications/events", responses=returns(Items[EventType]))
def event_types(who: Who) -> Any:
    """The event types Charter notifies of (webhook endpoints subscribe to these)."""
    return {"items": [{"type": k, "title": v} for k, v in sorted(EVENTS.items())]}


@router.get("/notifications", responses=returns(Items[NoticeOut]))
def list_notices(ctx: Ctx, who: Who, limit: Annotated[int, Query(ge=1, le=500)] = 100) -> Any:
    return {"items": as_json(notifications.notices(ctx, who, limit))}


@router.get("/notifications/deliveries", responses=returns(Items[DeliveryOut]))
def list_deliveries(
    ctx: Ctx, who: Who, status: Status | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> Any:  # fmt: skip
    """The delivery log: every delivery for those who manage notifications, else yours."""
    return {"items": [delivery_json(d) for d in notifications.deliveries(ctx, who, status, limit)]}


@router.get("/notifications/deliveries/{delivery_id}", responses=returns(DeliveryOut))
def get_delivery(ctx: Ctx, who: Who, delivery_id: str) -> Any:
    found, notice, attempts = notifications.delivery(ctx, who, delivery_id)
    return delivery_json(found, notice, attempts)


@router.post("/notifications/deliveries/{delivery_id}/replay", responses=returns(DeliveryOut))
def replay(ctx: Ctx, who: Who, delivery_id: str) -> Any:
    return delivery_json(notifications.replay(ctx, who, delivery_id))


@router.get("/notifications/endpoints", responses=returns(Items[EndpointOut]))
def list_endpoints(ctx: Ctx, who: Who) -> Any:
    return {"items": [endpoint_json(e) for e in notifications.list_endpoints(ctx, who)]}


@router.post("/notifications/endpoints", status_code=201, responses=returns(EndpointOut, 201))
def create_endpoint(ctx: Ctx, who: Who, body: EndpointIn) -> Any:
    """A webhook endpoint; a Standard Webhooks one's signing secret is in the answer, once."""
    endpoint, secret = notifications.create_endpoint(
        ctx, who, body.name, body.url, body.kind, body.event_types
    )
    return endpoint_json(endpoint, secret)


@router.put("/notifications/endpoints/{endpoint_id}/state", responses=returns(EndpointOut))
def set_endpoint_state(ctx: Ctx, who: Who, endpoint_id: str, body: EndpointState) -> Any:
    """Disable an endpoint, or enable it again (its pending deliveries go out at once)."""
    return endpoint_json(notifications.set_endpoint_active(ctx, who, endpoint_id, body.active))


@router.post("/notifications/endpoints/{endpoint_id}/secret", responses=returns(EndpointOut))
def rotate_secret(ctx: Ctx, who: Who, endpoint_id: str) -> Any:
    endpoint, secret = notifications.rotate_secret(ctx, who, endpoint_id)
    return endpoint_json(endpoint, secret)


@router.post("/notifications/endpoints/{endpoint_id}/replay", responses=returns(Replayed))
def replay_endpoint(ctx: Ctx, who: Who, endpoint_id: str) -> Any:
    """Replay every failed delivery to the endpoint."""
    return {"replayed": notifications.replay_failed(ctx, who, endpoint_id)}


@router.get("/me/notification-preferences", responses=returns(Items[PreferenceOut]))
def get_preferences(ctx: Ctx, who: Who) -> Any:
    return {"items": [{"event_type": k, "mode": v.value}
                      for k, v in notifications.preferences(ctx, who).items()]}  # fmt: skip


@router.put("/me/notification-preferences", responses=returns(PreferenceOut))
def set_preference(ctx: Ctx, who: Who, body: PreferenceIn) -> Any:
    return as_json(notifications.set_preference(ctx, who, body.event_type, body.mode))
