"""Web UI pages of the integrations: import a spreadsheet (a dry-run preview first, templates
to download), the impact of a dataset, discovery proposals to accept or dismiss. JSON twins:
POST /imports, GET /lineage/impact, GET /discovery/proposals."""

from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from charter.integrations import files
from charter.integrations.domain.sheets import SHEETS
from charter.integrations.present import import_json
from charter.integrations.services.imports import import_records
from charter.kernel.errors import CharterError
from charter.kernel.web.pages import back_to, check_csrf, ctx_of, page, signed_in

router = APIRouter(prefix="/ui", include_in_schema=False)


@router.get("/import")
def import_page(request: Request) -> HTMLResponse:
    who, session = signed_in(request)
    return page(request, "import.html", who, session, title="Import", sheets=SHEETS, report=None)


@router.post("/import")
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
