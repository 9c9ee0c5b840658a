"""Strategy tasks as web forms: record a KPI measurement. The form posts, calls the service
the API calls (same permissions, same audit event) and redirects with a note; a refusal says
which role was missing and who holds it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from charter.accountability.services import refusals
from charter.kernel.errors import CharterError
from charter.kernel.web.pages import back_to, check_csrf, ctx_of, signed_in
from charter.strategy.domain.kpis import Reading
from charter.strategy.services import kpis

router = APIRouter(prefix="/ui", include_in_schema=False)


def _number(text: str) -> float | str:
    """A number as people type it (thousands separated by commas); else the text, which the
    service refuses by name."""
    try:
        return float(text.strip().replace(",", ""))
    except ValueError:
        return text


@router.post("/kpis/{kpi_id}/measurements")
def record_measurement(
    request: Request,
    kpi_id: str,
    period: Annotated[str, Form(max_length=10)],
    value: Annotated[str, Form(max_length=40)],
    note: Annotated[str, Form(max_length=2000)] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """One month's measurement of a KPI; the same month again corrects it (both on record)."""
    who, session = signed_in(request)
    check_csrf(session, csrf)
    ctx = ctx_of(request)
    back = f"/ui/kpis#kpi-{kpi_id}"
    reading = Reading(kpi_id, period.strip(), _number(value), note.strip())
    try:
        done = kpis.record_measurements(ctx, who, [reading], source="ui")
    except CharterError as exc:
        return back_to(request, back, refusals.refusal(ctx, who, exc), error=True)
    if not done:
        return back_to(request, back, f"{period} already holds that value: nothing changed")
    return back_to(request, back, f"{done[0].period:%b %Y} recorded: {done[0].value:g}")
