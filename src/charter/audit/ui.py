"""Web UI page of the audit trail: whether the log verifies, the latest checkpoint and the
latest events."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from charter.audit import services as audit
from charter.kernel.errors import Forbidden, InvalidInput, NotFound
from charter.kernel.web.pages import ctx_of, page, signed_in

router = APIRouter(prefix="/ui", include_in_schema=False)


@router.get("/audit")
def audit_page(request: Request) -> HTMLResponse:
    who, session = signed_in(request)
    ctx = ctx_of(request)
    try:
        report = audit.verify_log(ctx, who)
        events = audit.list_events(ctx, who, after=max(report.size - 50, 0), limit=50)
    except (Forbidden, InvalidInput) as exc:
        return page(
            request, "audit.html", who, session, title="Audit", report=None, checkpoint=None,
            events=[], message=exc.message, error=True,
        )  # fmt: skip
    try:
        checkpoint = audit.latest_checkpoint(ctx, who)
    except NotFound:
        checkpoint = None
    return page(
        request, "audit.html", who, session, title="Audit", report=report,
        checkpoint=checkpoint, events=list(reversed(events)), intact_means=audit.INTACT,
    )  # fmt: skip
