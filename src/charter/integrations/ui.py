"""Web UI pages of the integrations: import a spreadsheet (a dry-run preview first, templates
to download), the impact of a dataset, discovery proposals to accept or dismiss. JSON twins:
POST /imports, GET /lineage/impact, GET /discovery/proposals."""

from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from charter.accountability.services import org
from charter.integrations import files
from charter.integrations.domain.sheets import SHEETS
from charter.integrations.present import impact_json, import_json, proposal_json, reviews_json
from charter.integrations.services import discovery, lineage, reviews
from charter.integrations.services.imports import import_records
from charter.inventory import services as inventory
from charter.kernel.errors import CharterError
from charter.kernel.web.lanes import long_running
from charter.kernel.web.pages import back_to, check_csrf, ctx_of, page, signed_in

router = APIRouter(prefix="/ui", include_in_schema=False)


@router.get("/import")
def import_page(request: Request) -> HTMLResponse:
    who, session = signed_in(request)
    return page(request, "import.html", who, session, title="Import", sheets=SHEETS, report=None)


@router.post("/import")
@long_running
def import_upload(
    request: Request,
    upload: Annotated[UploadFile, File()],
    action: Annotated[str, Form()] = "preview",
    previewed: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Preview (a dry run) or import the file; importing needs the file previewed: the same
    bytes, so that what is written is what was shown."""
    who, session = signed_in(request)
    check_csrf(session, csrf)
    data = upload.file.read()
    name = upload.filename or "upload"
    digest = hashlib.sha256(data).hexdigest()
    dry_run = action != "import"
    if not dry_run and previewed != digest:
        return back_to(request, "/ui/import", "preview this file before importing it", True)
    try:
        report = import_records(ctx_of(request), who, name, files.read_import(name, data), dry_run)
    except CharterError as exc:
        return back_to(request, "/ui/import", exc.message, error=True)
    if report.committed:
        done = ", ".join(
            f"{k}: " + ", ".join(f"{n} {a}" for a, n in v.items()) for k, v in report.counts.items()
        )
        return back_to(request, "/ui/import", f"imported {name} ({done})")
    return page(
        request, "import.html", who, session, title="Import", sheets=SHEETS,
        report=import_json(report), digest=digest, file_name=name,
    )  # fmt: skip


@router.get("/import/template.xlsx")
def import_template_xlsx(request: Request) -> Response:
    signed_in(request)
    return Response(
        files.template_xlsx(), media_type=files.XLSX,
        headers={"Content-Disposition": 'attachment; filename="charter-import.xlsx"'},
    )  # fmt: skip


@router.get("/import/template/{kind}.csv")
def import_template_csv(request: Request, kind: str) -> Response:
    signed_in(request)
    return Response(
        files.template_csv(kind), media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{kind}.csv"'},
    )  # fmt: skip


@router.get("/lineage")
def lineage_page(request: Request, dataset: str = "") -> Response:
    """The impact of a dataset, asked by its name (or a lineage `namespace/name`)."""
    who, session = signed_in(request)
    ctx = ctx_of(request)
    found, problem = None, None
    if dataset.strip():
        try:
            found = impact_json(lineage.impact(ctx, who, dataset.strip()[:1200]))
        except CharterError as exc:
            problem = exc.message
    return page(
        request, "lineage.html", who, session, title="Lineage", dataset=dataset, impact=found,
        problem=problem, reviews=reviews_json(reviews.open_reviews(ctx, who))["items"],
        names=inventory.names(ctx, who),
    )  # fmt: skip


@router.get("/discovery")
def discovery_page(request: Request) -> HTMLResponse:
    who, session = signed_in(request)
    ctx = ctx_of(request)
    units = org.all_in_directory(ctx, who, "business_units")
    found = [proposal_json(p) for p in discovery.proposals(ctx, who)]
    return page(request, "discovery.html", who, session, title="Discovery", proposals=found,
                units=units)  # fmt: skip


@router.post("/discovery/{proposal_id}/accept")
def accept_proposal(
    request: Request,
    proposal_id: str,
    csrf: Annotated[str, Form()] = "",
    business_unit_id: Annotated[str, Form(max_length=40)] = "",
    purpose: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    who, session = signed_in(request)
    check_csrf(session, csrf)
    given = {"business_unit_id": business_unit_id, "purpose": purpose}
    try:
        done = discovery.accept(ctx_of(request), who, proposal_id, given)
    except CharterError as exc:
        return back_to(request, "/ui/discovery", exc.message, error=True)
    return back_to(request, "/ui/discovery", f"accepted {done.kind} {done.name}")


@router.post("/discovery/{proposal_id}/dismiss")
def dismiss_proposal(
    request: Request, proposal_id: str, csrf: Annotated[str, Form()] = ""
) -> Response:
    who, session = signed_in(request)
    check_csrf(session, csrf)
    try:
        done = discovery.dismiss(ctx_of(request), who, proposal_id)
    except CharterError as exc:
        return back_to(request, "/ui/discovery", exc.message, error=True)
    return back_to(request, "/ui/discovery", f"dismissed {done.kind} {done.name}")
