"""API: bulk import, MLflow sync, OpenLineage events and the impact of a dataset, ML-BOMs,
discovery proposals."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from charter.integrations import files
from charter.integrations.domain.sheets import KINDS
from charter.integrations.ports import Context
from charter.integrations.present import import_json
from charter.integrations.services.imports import import_records
from charter.kernel.errors import InvalidInput
from charter.kernel.web.http import Who, context

Ctx = Annotated[Context, Depends(context)]
router = APIRouter()
KindQuery = Annotated[str | None, Query(pattern="^(" + "|".join(KINDS) + ")$")]


@router.post("/imports", status_code=201, tags=["integrations"])
async def import_file(
    request: Request,
    ctx: Ctx,
    who: Who,
    kind: KindQuery = None,
    name: Annotated[str, Query(max_length=200)] = "upload",
    dry_run: bool = False,
) -> Any:
    """Import a CSV file (one kind: `kind`, or a `name` like systems.csv) or an Excel
    workbook (a sheet per kind) sent as the body, all or nothing. A dry run answers 200 with
    what would be created, changed or refused; problems answer 422 with every one in
    `errors`, and nothing is written."""
    data = await request.body()
    tables = files.read_import(name, data, kind)
    report = await run_in_threadpool(import_records, ctx, who, name, tables, dry_run)
    body = import_json(report)
    if report.problems and not dry_run:
        raise InvalidInput(
            f"{len(report.problems)} problem(s) in {name}: nothing was written",
            details={"errors": body["errors"], "counts": body["counts"]},
        )
    return JSONResponse(body, status_code=200 if dry_run else 201)


@router.get("/imports/template", tags=["integrations"])
def import_template(who: Who, kind: KindQuery = None) -> Response:
    """The import template: an Excel workbook (a sheet per kind), or one kind's CSV."""
    if kind is None:
        return Response(
            files.template_xlsx(),
            media_type=files.XLSX,
            headers={"Content-Disposition": 'attachment; filename="charter-import.xlsx"'},
        )
    return Response(
        files.template_csv(kind),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{kind}.csv"'},
    )
