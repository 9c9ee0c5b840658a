"""The notifications page: what was sent and what failed, replay, endpoints, and each
person's preferences."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from charter.kernel.access import Action, allowed
from charter.kernel.errors import CharterError
from charter.kernel.web.pages import back_to, check_csrf, ctx_of, page, signed_in
from charter.notifications import services as notifications
from charter.notifications.domain import EVENTS, Mode, Status

router = APIRouter(prefix="/ui", include_in_schema=False)
BACK = "/ui/notifications"


@router.get("/notifications")
def notifications_page(request: Request, status: str | None = None) -> HTMLResponse:
    who, session = signed_in(request)
    ctx = ctx_of(request)
    manages = allowed(who, Action.NOTIFICATIONS_MANAGE)
    shown = Status(status) if status in {s.value for s in Status} else None
    found = notifications.deliveries(ctx, who, shown, 200)
    return page(
        request,
        "notifications.html",
        who,
        session,
        title="Notifications",
        deliveries=found,
        recipients=notifications.recipients(ctx, found),
        status=shown,
        notices={n.id: n for n in notifications.notices(ctx, who, 500)},
        endpoints=notifications.list_endpoints(ctx, who) if manages else [],
        preferences=notifications.preferences(ctx, who),
        events=EVENTS,
        manages=manages,
        modes=[m.value for m in Mode],
        statuses=[s.value for s in Status],
    )


@router.post("/notifications/deliveries/{delivery_id}/replay")
def replay(request: Request, delivery_id: str, csrf: Annotated[str, Form()] = "") -> Response:
    who, session = signed_in(request)
    check_csrf(session, csrf)
    try:
        notifications.replay(ctx_of(request), who, delivery_id)
    except CharterError as exc:
        return back_to(request, BACK, exc.message, error=True)
    return back_to(request, BACK, f"delivery {delivery_id} will be sent again")


@router.post("/notifications/preferences")
def set_preference(
    request: Request,
    event_type: Annotated[str, Form()],
    mode: Annotated[Mode, Form()],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    who, session = signed_in(request)
    check_csrf(session, csrf)
    try:
        notifications.set_preference(ctx_of(request), who, event_type, mode)
    except CharterError as exc:
        return back_to(request, BACK, exc.message, error=True)
    return back_to(request, BACK, f"{event_type}: {mode.value}")
