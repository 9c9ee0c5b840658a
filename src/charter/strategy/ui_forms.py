"""The KPI page and its forms: record a KPI measurement, or many from a CSV file shown first
as a preview and recorded when confirmed (JSON twins: GET /kpis, /value). A form posts, calls
the service the API calls (same permissions, same audit event) and redirects with a note; a
refusal shows the page again with the values as typed, saying which role was missing and who
holds it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from charter.accountability.services import refusals
from charter.kernel.access import Actor
from charter.kernel.errors import CharterError, InvalidInput
from charter.kernel.web import charts
from charter.kernel.web.lanes import long_running
from charter.kernel.web.pages import back_to, check_csrf, ctx_of, page, signed_in
from charter.strategy.domain.kpis import CHANNELS, Reading, parse_csv
from charter.strategy.present import kpi_charts, names_of
from charter.strategy.services import kpis, portfolio

router = APIRouter(prefix="/ui", include_in_schema=False)


@router.get("/kpis")
def kpis_page(request: Request) -> HTMLResponse:
    return show_kpis(request)


def show_kpis(
    request: Request, kept: dict[str, dict[str, str]] | None = None, refused: str = "",
    status: int = 200,
) -> HTMLResponse:  # fmt: skip
    """The KPI page; after a refusal, the refused measurement form open as typed (`kept`:
    KPI id -> its values) and why (`refused`)."""
    who, session = signed_in(request)
    ctx = ctx_of(request)
    report = kpis.value_report(ctx, who)
    names = names_of(ctx, who) | {u.id: u.title for u in portfolio.list_use_cases(ctx, who)}
    bars = [
        {"title": names.get(line.use_case_id, line.use_case_id), "what": what, "amount": amount}
        for line in report.lines
        for what, amount in (("planned", line.planned), ("realised", line.realised))
        if amount is not None
    ]
    response = page(
        request, "kpis.html", who, session, title="KPIs and value", report=report, names=names,
        value_chart=charts.planned_realised(bars), model=portfolio.scoring_model(ctx),
        kpis=kpi_charts(kpis.kpi_views(ctx, who)), this_month=f"{ctx.clock():%Y-%m}",
        kept=kept or {}, channels=CHANNELS,
        **({"message": refused, "error": True} if refused else {}),
    )  # fmt: skip
    response.status_code = status
    return response


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
        done = kpis.record_measurements(ctx, who, [reading], "ui")
    except CharterError as exc:
        typed = {kpi_id: {"period": period, "value": value, "note": note}}
        return show_kpis(request, typed, refusals.refusal(ctx, who, exc), exc.status)
    if not done:
        return back_to(request, back, f"{period} already holds that value: nothing changed")
    return back_to(request, back, f"{done[0].period:%b %Y} recorded: {done[0].value:g}")


def _csv_text(upload: UploadFile) -> str:
    try:
        return upload.file.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("the CSV file is not UTF-8 text") from None


def _preview_rows(ctx: Any, who: Actor, readings: list[Reading]) -> list[dict[str, Any]]:
    """Each row as it reads against what is on record: the KPI's name, the value it would
    replace. The checks themselves (months, rights, numbers) run when the rows are recorded."""
    views = {v.kpi.id: v for v in kpis.kpi_views(ctx, who)}
    rows = []
    for reading in readings:
        view = views.get(reading.kpi_id)
        held = {f"{m.period:%Y-%m}": m.value for m in view.series} if view else {}
        before = held.get(reading.period.strip()[:7])
        state = (
            "no KPI of that id you may read" if view is None
            else "new" if before is None
            else "unchanged" if before == reading.value
            else f"corrects {before:g}"
        )  # fmt: skip
        rows.append({"reading": reading, "kpi": view.kpi if view else None, "state": state})
    return rows


def _import_page(
    request: Request, text: str, message: str | None = None, status: int = 200
) -> HTMLResponse:
    """The rows of a CSV file as they would be recorded, previewed by the server for this
    person (the preview's key in the confirmation form: it records these rows, no others);
    when the file is refused, the rows read and why, with nothing to confirm."""
    who, session = signed_in(request)
    ctx = ctx_of(request)
    readings, kept = _parsed_or_none(text), None
    try:
        kept = kpis.preview_measurements(ctx, who, readings or parse_csv(text))
    except CharterError as exc:
        message, status = message or refusals.refusal(ctx, who, exc), max(status, exc.status)
    response = page(
        request, "kpi_import.html", who, session, title="Measurements from a CSV file",
        text=text, rows=_preview_rows(ctx, who, readings or []), kept=kept,
        **({"message": message, "error": True} if message else {}),
    )  # fmt: skip
    response.status_code = status
    return response


def _parsed_or_none(text: str) -> list[Reading] | None:
    try:
        return parse_csv(text)
    except InvalidInput:
        return None


@router.post("/kpis/import/preview")
@long_running
def preview_import(
    request: Request,
    upload: Annotated[UploadFile, File()],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """The file's rows as they would be recorded, nothing written yet."""
    who, session = signed_in(request)
    check_csrf(session, csrf)
    ctx = ctx_of(request)
    try:
        text = _csv_text(upload)
        parse_csv(text)  # a file that cannot be read goes back to the form, saying why
    except CharterError as exc:
        return back_to(request, "/ui/kpis#import", refusals.refusal(ctx, who, exc), error=True)
    return _import_page(request, text)


@router.post("/kpis/import")
@long_running
def confirm_import(
    request: Request,
    text: Annotated[str, Form(max_length=1_000_000)],
    preview: Annotated[str, Form(max_length=64)] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Record the rows this person previewed, those the preview's key names: all or none. A
    refusal shows the rows sent, previewed again (other rows than previewed, or a preview
    expired or used: 409), saying why."""
    who, session = signed_in(request)
    check_csrf(session, csrf)
    ctx = ctx_of(request)
    try:
        readings = parse_csv(text)
        written = kpis.import_measurements(ctx, who, readings, preview, "ui_csv")
    except CharterError as exc:
        return _import_page(request, text, refusals.refusal(ctx, who, exc), exc.status)
    count = f"{len(written)} measurement" + ("" if len(written) == 1 else "s")
    return back_to(request, "/ui/kpis", f"{count} recorded from the CSV file")
