"""API: validation runs and their evidence."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from charter.kernel.errors import InvalidInput
from charter.kernel.present import as_json
from charter.kernel.web.contract import Listed, returns
from charter.kernel.web.http import Who, context
from charter.kernel.web.lanes import long_running
from charter.validation import services as validation
from charter.validation.domain.suite import parse_suite
from charter.validation.files import confined
from charter.validation.ports import Context
from charter.validation.schemas import EvidenceOut, ValidationIn

Ctx = Annotated[Context, Depends(context)]
router = APIRouter()


@router.post(
    "/systems/{system_id}/validations",
    status_code=201,
    tags=["evidence"],
    responses=returns(EvidenceOut, 201),
)
@long_running
def run_validation(
    ctx: Ctx, who: Who, request: Request, system_id: str, body: ValidationIn
) -> dict[str, Any]:
    """Run a suite over files in the server's data folder and record the evidence."""
    root: Path | None = request.app.state.data_dir
    if root is None:
        raise InvalidInput("this server has no data folder (set CHARTER_DATA_DIR)")
    suite = confined(parse_suite(body.suite), root)
    evidence = validation.validate(
        ctx,
        who,
        system_id,
        suite,
        lambda s: ctx.run_suite(s, root, body.engine),
        body.model_version_id,
        "data_folder",
    )
    return {**as_json(evidence), "passed": evidence.passed}


@router.get(
    "/systems/{system_id}/evidence", tags=["evidence"], responses=returns(Listed[EvidenceOut])
)
def system_evidence(ctx: Ctx, who: Who, system_id: str) -> dict[str, Any]:
    items = validation.system_evidence(ctx, who, system_id)
    return {"items": [{**as_json(e), "passed": e.passed} for e in items], "total": len(items)}
