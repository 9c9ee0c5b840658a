"""API: documents generated from records (a system's, or the organisation's), their sections,
finals and submissions; decision bundles."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from charter.kernel.present import as_json
from charter.kernel.web.contract import Items, returns, returns_file
from charter.kernel.web.http import Who, context
from charter.kernel.web.lanes import long_running
from charter.reports.files import field_maps
from charter.reports.ports import Context
from charter.reports.present import field_map_json, issued_json, pdf_response
from charter.reports.schemas import (
    Bundle,
    DocumentData,
    FieldMap,
    IssuedList,
    IssuedWithData,
    Saved,
    SectionsIn,
    Submission,
    SubmissionIn,
)
from charter.reports.services import bundles, documents, sections, submissions

Ctx = Annotated[Context, Depends(context)]
router = APIRouter()
TAGS: list[str | Any] = ["reports"]
PDF = returns_file("application/pdf", "The PDF, as an attachment")


@router.get("/report-types", tags=TAGS, responses=returns(Items[FieldMap]))
def report_types(who: Who) -> dict[str, Any]:
    """Every document type's field map: each item, where it comes from, whether mandated."""
    return {"items": [field_map_json(m) for m in field_maps().values()]}


@router.get("/reports/{subject_id}", tags=TAGS, responses=returns(IssuedList))
def issued(ctx: Ctx, who: Who, subject_id: str) -> dict[str, Any]:
    """The final documents issued for a system (or `organisation`), and what was sent."""
    found = documents.issued_for(ctx, who, subject_id)
    sent = submissions.submissions(ctx, who, subject_id)
    return {"items": [issued_json(i) for i in found], "submissions": as_json(sent.items)}


@router.get("/reports/{subject_id}/{kind}", tags=TAGS, responses=returns(DocumentData))
def draft(ctx: Ctx, who: Who, subject_id: str, kind: str) -> dict[str, Any]:
    """The document as the records stand: the data it is built from and what is missing."""
    return documents.build(ctx, who, kind, subject_id).data()


@router.get("/reports/{subject_id}/{kind}/pdf", tags=TAGS, response_class=Response, responses=PDF)
@long_running
def draft_pdf(ctx: Ctx, who: Who, subject_id: str, kind: str) -> Response:
    """The draft's PDF: DRAFT on every page, what is missing listed."""
    _, pdf = documents.draft_pdf(ctx, who, kind, subject_id)
    return pdf_response(pdf, f"{kind}-{subject_id}-draft")


@router.put("/reports/{subject_id}/{kind}/sections", tags=TAGS, responses=returns(Saved))
def write(ctx: Ctx, who: Who, subject_id: str, kind: str, body: SectionsIn) -> dict[str, Any]:
    """Save human-authored sections (each a new version; an unchanged text is not saved)."""
    return {"saved": as_json(sections.write_sections(ctx, who, kind, subject_id, body.sections))}


@router.post(
    "/reports/{subject_id}/{kind}/final",
    status_code=201,
    tags=TAGS,
    responses=returns(IssuedWithData, 201),
)
@long_running
def issue(ctx: Ctx, who: Who, subject_id: str, kind: str) -> dict[str, Any]:
    """Issue the final document: 409 listing the mandated items still empty."""
    return issued_json(documents.issue(ctx, who, kind, subject_id), with_data=True)


@router.get("/issued-reports/{report_id}", tags=TAGS, responses=returns(IssuedWithData))
def get_issued(ctx: Ctx, who: Who, report_id: str) -> dict[str, Any]:
    """A final document as issued: its digests and the data it was built from."""
    return issued_json(documents.get_issued(ctx, who, report_id), with_data=True)


@router.get("/issued-reports/{report_id}/pdf", tags=TAGS, response_class=Response, responses=PDF)
def issued_pdf(ctx: Ctx, who: Who, report_id: str) -> Response:
    """The issued PDF, byte for byte (its SHA-256 is the one recorded)."""
    found = documents.get_issued(ctx, who, report_id)
    return pdf_response(found.pdf, f"{found.kind}-{found.id}")


@router.post(
    "/issued-reports/{report_id}/submissions",
    status_code=201,
    tags=TAGS,
    responses=returns(Submission, 201),
)
def submit(ctx: Ctx, who: Who, report_id: str, body: SubmissionIn) -> dict[str, Any]:
    """Record that an issued registration or impact-assessment result was sent."""
    item = submissions.record_submission(
        ctx, who, report_id, body.sent_to, body.reference, body.note
    )
    return as_json(item)  # type: ignore[no-any-return]


@router.get("/bundles/{kind}/{decision_id}", tags=TAGS, responses=returns(Bundle))
def bundle(ctx: Ctx, who: Who, kind: str, decision_id: str) -> dict[str, Any]:
    """The sealed bundle of a decision: kind is transition, body_decision, waiver or
    classification."""
    return bundles.export_bundle(ctx, who, kind, decision_id)
