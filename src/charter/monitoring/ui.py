"""Monitoring on governance's pages: a system's monitors, trend charts and open alerts and
reviews on its page; open alerts, reviews and stale evidence on the dashboard; the reviews
assigned to a person, and the alerts they may resolve, in their inbox."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from markupsafe import Markup

from charter.inventory import services as inventory
from charter.kernel.access import Action, Actor, allowed
from charter.kernel.errors import CharterError
from charter.kernel.web.pages import back_to, check_csrf, ctx_of, fragment, signed_in
from charter.monitoring import services as monitoring
from charter.monitoring.charts import trend_charts
from charter.monitoring.domain.monitors import window

router = APIRouter(prefix="/ui", include_in_schema=False)
Text = Annotated[str, Form()]


def _back(back: str) -> str:
    return back if back.startswith("/ui/") and "//" not in back else "/ui/"


@router.post("/alerts/{alert_id}/resolve")
def resolve(
    request: Request, alert_id: str, note: Text, back: Text = "/ui/", csrf: Text = ""
) -> Response:
    who, session = signed_in(request)
    check_csrf(session, csrf)
    try:
        monitoring.resolve_alert(ctx_of(request), who, alert_id, note)
    except CharterError as exc:
        return back_to(request, _back(back), exc.message, error=True)
    return back_to(request, _back(back), f"alert {alert_id} resolved")


@router.post("/reviews/{review_id}/close")
def close(
    request: Request, review_id: str, note: Text, back: Text = "/ui/", csrf: Text = ""
) -> Response:
    who, session = signed_in(request)
    check_csrf(session, csrf)
    try:
        monitoring.close_review(ctx_of(request), who, review_id, note)
    except CharterError as exc:
        return back_to(request, _back(back), exc.message, error=True)
    return back_to(request, _back(back), f"review {review_id} closed")


def _names(ctx: Any, who: Actor, *shown: Sequence[Any]) -> dict[str, str]:
    """The names of the systems of the alerts and reviews shown, exactly those."""
    return inventory.system_names(ctx, who, {item.system_id for rows in shown for item in rows})


def system_panel(request: Request, who: Actor, about: dict[str, Any]) -> Markup | None:
    ctx, system_id = ctx_of(request), about["system_id"]
    monitors = monitoring.list_monitors(ctx, who, system_id)
    found = monitoring.system_series(ctx, who, system_id)
    alerts, reviews = (
        monitoring.alerts(ctx, who, system_id),
        monitoring.reviews(ctx, who, system_id),
    )
    return fragment(
        request, "monitoring_system.html", monitors=monitors, charts=trend_charts(found),
        window=window,
        alerts=alerts, reviews=reviews,
        who=who, csrf=about.get("csrf", ""), back=f"/ui/systems/{system_id}",
        may_manage=allowed(who, Action.MONITOR_MANAGE),
    )  # fmt: skip


def dashboard_panel(request: Request, who: Actor, about: dict[str, Any]) -> Markup | None:
    ctx = ctx_of(request)
    alerts, reviews = monitoring.alerts(ctx, who), monitoring.reviews(ctx, who)
    stale = monitoring.stale_evidence(ctx, who)
    systems = _names(ctx, who, alerts, reviews)
    return fragment(
        request, "monitoring_open.html", alerts=alerts, reviews=reviews, stale=stale,
        systems=systems, who=who, csrf=about.get("csrf", ""), back="/ui/", title="Monitoring",
        may_manage=allowed(who, Action.MONITOR_MANAGE),
    )  # fmt: skip


def inbox_panel(request: Request, who: Actor, about: dict[str, Any]) -> Markup | None:
    ctx = ctx_of(request)
    reviews = [r for r in monitoring.reviews(ctx, who) if r.assignee_id == who.person_id]
    may_manage = allowed(who, Action.MONITOR_MANAGE)
    alerts = monitoring.alerts(ctx, who) if may_manage else []
    if not reviews and not alerts:
        return None
    return fragment(
        request, "monitoring_open.html", alerts=alerts, reviews=reviews, stale=[],
        systems=_names(ctx, who, alerts, reviews),
        who=who, csrf=about.get("csrf", ""), back="/ui/approvals",
        title="Monitoring: yours to act on", may_manage=may_manage,
    )  # fmt: skip
