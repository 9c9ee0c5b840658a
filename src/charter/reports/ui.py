"""The web UI of reports: a system's (or the organisation's) documents, each draft as a page
with its missing items and the guided form for its sections, the final issued from it, the
PDFs."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from charter.kernel.access import Actor
from charter.kernel.errors import CharterError
from charter.kernel.web.lanes import long_running
from charter.kernel.web.pages import back_to, check_csrf, ctx_of, fragment, page, signed_in
from charter.reports.charts import report_charts
from charter.reports.domain.documents import ORGANISATION
from charter.reports.files import field_map, field_maps
from charter.reports.present import pdf_response
from charter.reports.services import documents, sections, submissions
from charter.reports.services.submissions import SENDS

router = APIRouter(prefix="/ui", include_in_schema=False)


def _list_page(request: Request, subject_id: str, scope: str) -> HTMLResponse:
    who, session = signed_in(request)
    ctx = ctx_of(request)
    issued = documents.issued_for(ctx, who, subject_id)
    kinds = [m for m in field_maps().values() if m.scope == scope]
    return page(
        request,
        "reports.html",
        who,
        session,
        title="Documents from records",
        subject_id=subject_id,
        kinds=kinds,
        issued=issued,
        sent=submissions.submissions(ctx, who, subject_id),
        sends=SENDS,
    )


@router.get("/systems/{system_id}/reports")
def system_reports(request: Request, system_id: str) -> HTMLResponse:
    return _list_page(request, system_id, "system")


@router.get("/organisation/reports")
def organisation_reports(request: Request) -> HTMLResponse:
    return _list_page(request, ORGANISATION, "organisation")


@router.get("/reports/{subject_id}/{kind}")
def report_page(request: Request, subject_id: str, kind: str) -> HTMLResponse:
    """The draft as a page: what it says and where from, what is missing, the sections to
    write (with their guidance), the buttons to download it and to issue it as final."""
    who, session = signed_in(request)
    report = documents.build(ctx_of(request), who, kind, subject_id)
    return page(
        request,
        "report.html",
        who,
        session,
        title=report.map.title,
        report=report,
        data=report.data(),
        charts=report_charts(report),
        draft=True,
        writable=field_map(kind).sections(),
        subject_id=subject_id,
        sections={i.spec.id: i.section for p in report.parts for i in p.items},
    )


def _back(subject_id: str, kind: str) -> str:
    return f"/ui/reports/{quote(subject_id)}/{quote(kind)}"


@router.post("/reports/{subject_id}/{kind}/sections")
async def write_sections(request: Request, subject_id: str, kind: str) -> Response:
    """Save the form's sections (fields named section-ITEM)."""
    who, session = signed_in(request)
    form = await request.form()
    check_csrf(session, str(form.get("csrf", "")))
    texts = {
        k.removeprefix("section-"): str(v) for k, v in form.items() if k.startswith("section-")
    }
    try:
        saved = sections.write_sections(ctx_of(request), who, kind, subject_id, texts)
    except CharterError as exc:
        return back_to(request, _back(subject_id, kind), exc.message, error=True)
    return back_to(request, _back(subject_id, kind), f"{len(saved)} section(s) saved")


@router.get("/reports/{subject_id}/{kind}/draft.pdf")
@long_running
def draft_pdf(request: Request, subject_id: str, kind: str) -> Response:
    who, _ = signed_in(request)
    _, pdf = documents.draft_pdf(ctx_of(request), who, kind, subject_id)
    return pdf_response(pdf, f"{kind}-draft")


@router.post("/reports/{subject_id}/{kind}/final")
@long_running
def issue(
    request: Request, subject_id: str, kind: str, csrf: Annotated[str, Form()] = ""
) -> Response:
    who, session = signed_in(request)
    check_csrf(session, csrf)
    try:
        issued = documents.issue(ctx_of(request), who, kind, subject_id)
    except CharterError as exc:
        return back_to(request, _back(subject_id, kind), exc.message, error=True)
    where = _list(subject_id)
    return back_to(request, where, f"issued {issued.id}: PDF SHA-256 {issued.pdf_sha256}")


def _list(subject_id: str) -> str:
    if subject_id == ORGANISATION:
        return "/ui/organisation/reports"
    return f"/ui/systems/{quote(subject_id)}/reports"


@router.post("/issued/{report_id}/submissions")
def submit(
    request: Request,
    report_id: str,
    csrf: Annotated[str, Form()] = "",
    sent_to: Annotated[str, Form()] = "",
    reference: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    """Record that an issued registration or impact-assessment result was sent."""
    who, session = signed_in(request)
    check_csrf(session, csrf)
    ctx = ctx_of(request)
    where = _list(documents.get_issued(ctx, who, report_id).subject_id)
    try:
        item = submissions.record_submission(ctx, who, report_id, sent_to, reference, note)
    except CharterError as exc:
        return back_to(request, where, exc.message, error=True)
    return back_to(request, where, f"recorded: {item.kind} sent to {item.sent_to}")


@router.get("/issued/{report_id}/pdf")
def issued_pdf(request: Request, report_id: str) -> Response:
    who, _ = signed_in(request)
    found = documents.get_issued(ctx_of(request), who, report_id)
    return pdf_response(found.pdf, f"{found.kind}-{found.id}")


def system_panel(request: Request, who: Actor, about: dict[str, Any]) -> Markup | None:
    """The final documents issued for the system, on its page."""
    system_id = about["system_id"]
    issued = documents.issued_for(ctx_of(request), who, system_id)
    return fragment(request, "reports_system.html", issued=issued, system_id=system_id)
