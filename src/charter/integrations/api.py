"""API: bulk import, MLflow sync, OpenLineage events and the impact of a dataset, ML-BOMs,
discovery proposals."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response

from charter.integrations import files
from charter.integrations.domain.records import PromotionFlag, Proposal
from charter.integrations.domain.sheets import KINDS
from charter.integrations.ports import Context
from charter.integrations.present import (
    bom_report_json,
    impact_json,
    import_json,
    proposal_json,
    proposals_json,
    recorded_json,
    reported_json,
    review_json,
    reviews_json,
)
from charter.integrations.schemas import (
    AcceptIn,
    BomDocument,
    BomImported,
    BreachIn,
    ImpactOut,
    ImportResult,
    ReportedOut,
    ResolveIn,
    ReviewIn,
    RunRecorded,
)
from charter.integrations.services import bom, discovery, lineage, mlflow, reviews
from charter.integrations.services.imports import ImportReport, import_records
from charter.kernel.errors import Forbidden, InvalidInput
from charter.kernel.present import as_json
from charter.kernel.web.contract import Listed, returns
from charter.kernel.web.http import Who, context
from charter.kernel.web.lanes import in_long_lane
from charter.validation.domain.evidence import EvidenceReview

Ctx = Annotated[Context, Depends(context)]
router = APIRouter()
KindQuery = Annotated[str | None, Query(pattern="^(" + "|".join(KINDS) + ")$")]


@router.post(
    "/imports", status_code=201, tags=["integrations"],
    responses={**returns(ImportResult, 201), **returns(ImportResult, 200, "A dry run")},
)  # fmt: skip
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

    def read_and_import() -> ImportReport:
        return import_records(ctx, who, name, files.read_import(name, data, kind), dry_run)

    report = await in_long_lane(read_and_import)
    body = import_json(report)
    if report.problems and not dry_run:
        refusal = Forbidden if report.forbidden else InvalidInput
        raise refusal(
            f"{len(report.problems)} problem(s) in {name}: nothing was written",
            details={"errors": body["errors"], "counts": body["counts"]},
        )
    return JSONResponse(body, status_code=200 if dry_run else 201)


@router.post("/lineage", status_code=201, tags=["lineage"], responses=returns(RunRecorded, 201))
def lineage_event(ctx: Ctx, who: Who, event: dict[str, Any]) -> dict[str, Any]:
    """An OpenLineage run event (the OpenLineage clients' HTTP transport posts here): its
    datasets, job and flows join the lineage graph, linked to Charter's records."""
    return recorded_json(lineage.record_run_event(ctx, who, event))


@router.get("/lineage/impact", tags=["lineage"], responses=returns(ImpactOut))
def lineage_impact(
    ctx: Ctx, who: Who, dataset: Annotated[str, Query(min_length=1, max_length=1200)]
) -> dict[str, Any]:
    """The blast radius of a dataset (a Charter id or name, or a lineage `namespace/name`):
    the datasets, jobs, models and systems downstream, their use cases, the people accountable
    and their upcoming obligations."""
    return impact_json(lineage.impact(ctx, who, dataset))


@router.post(
    "/lineage/datasets/{dataset}/review", status_code=201, tags=["lineage"],
    responses=returns(Listed[EvidenceReview], 201),
)  # fmt: skip
def review_dependents(ctx: Ctx, who: Who, dataset: str, body: ReviewIn) -> dict[str, Any]:
    """An incident on a dataset: the evidence of every system depending on it needs review
    (a gate judges it inconclusive until resolved)."""
    return reviews_json(reviews.mark_dependents_for_review(ctx, who, dataset, body.reason))


@router.post(
    "/lineage/datasets/{dataset}/quality-breach", status_code=201, tags=["lineage"],
    responses=returns(Listed[EvidenceReview], 201),
)  # fmt: skip
def quality_breach(ctx: Ctx, who: Who, dataset: str, body: BreachIn) -> dict[str, Any]:
    """Validation evidence with a failed data-quality check on the dataset: the evidence of
    the systems depending on it needs review."""
    return reviews_json(reviews.quality_breach(ctx, who, dataset, body.evidence_id))


@router.get("/evidence-reviews", tags=["lineage"], responses=returns(Listed[EvidenceReview]))
def list_reviews(ctx: Ctx, who: Who, system_id: str | None = None) -> dict[str, Any]:
    """Evidence under review (not yet resolved) that the caller may read."""
    return reviews_json(reviews.open_reviews(ctx, who, system_id))


@router.post(
    "/evidence-reviews/{review_id}/resolve", tags=["lineage"], responses=returns(EvidenceReview)
)
def resolve_review(ctx: Ctx, who: Who, review_id: str, body: ResolveIn) -> dict[str, Any]:
    """The evidence was looked at again: it counts at gates again."""
    return review_json(reviews.resolve_review(ctx, who, review_id, body.resolution))


@router.get("/systems/{system_id}/bom", tags=["bom"], responses=returns(BomDocument))
def export_bom(ctx: Ctx, who: Who, system_id: str) -> Response:
    """The system's AI bill of materials: CycloneDX 1.6 ML-BOM JSON (its models and versions
    with model cards, the datasets they were trained on, and what depends on what), checked
    against the official schema."""
    return JSONResponse(bom.export_bom(ctx, who, system_id))


@router.post(
    "/boms", status_code=201, tags=["bom"],
    responses={**returns(BomImported, 201), **returns(BomImported, 200, "A dry run")},
)  # fmt: skip
async def import_bom(
    request: Request,
    ctx: Ctx,
    who: Who,
    vendor: Annotated[str | None, Query(max_length=200)] = None,
    system_id: Annotated[str | None, Query(max_length=40)] = None,
    dry_run: bool = False,
) -> Any:
    """Import a vendor's CycloneDX 1.6 ML-BOM (the body): its models, versions and datasets
    are created or updated, all or nothing, as the vendor's (`vendor`, else the BOM's
    supplier), optionally as models of a system. A dry run answers 200 and writes nothing."""
    doc = files.read_bom_file(await request.body())
    found = await in_long_lane(bom.import_bom, ctx, who, doc, vendor, system_id, dry_run)
    return JSONResponse(bom_report_json(found), status_code=200 if dry_run else 201)


@router.get("/discovery/proposals", tags=["discovery"], responses=returns(Listed[Proposal]))
def list_proposals(
    ctx: Ctx, who: Who,
    status: Annotated[str | None, Query(pattern="^(open|accepted|dismissed)$")] = "open",
) -> dict[str, Any]:  # fmt: skip
    """Inventory entries that discovery scans (`charter discover --propose`) proposed."""
    return proposals_json(discovery.proposals(ctx, who, status))


@router.post(
    "/discovery/proposals/{proposal_id}/accept", tags=["discovery"], responses=returns(Proposal)
)
def accept_proposal(ctx: Ctx, who: Who, proposal_id: str, body: AcceptIn) -> dict[str, Any]:
    """Create the proposed record through the inventory (a system needs `business_unit_id`);
    a proposal that matches an existing record is accepted as that record."""
    return proposal_json(discovery.accept(ctx, who, proposal_id, body.model_dump()))


@router.post(
    "/discovery/proposals/{proposal_id}/dismiss", tags=["discovery"],
    responses=returns(Proposal),
)  # fmt: skip
def dismiss_proposal(ctx: Ctx, who: Who, proposal_id: str) -> dict[str, Any]:
    """Dismiss a proposal: nothing is created."""
    return proposal_json(discovery.dismiss(ctx, who, proposal_id))


@router.get(
    "/integrations/mlflow/flags", tags=["integrations"], responses=returns(Listed[PromotionFlag])
)
def promotion_flags(ctx: Ctx, who: Who, include_cleared: bool = False) -> dict[str, Any]:
    """Model versions promoted in MLflow (a stage or an alias) whose system's deployment gate
    has not passed for them, on systems the caller may read."""
    found = mlflow.promotion_flags(ctx, who, not include_cleared)
    return {"items": as_json(found), "total": len(found)}


@router.get(
    "/systems/{system_id}/reported-metrics", tags=["integrations"],
    responses=returns(Listed[ReportedOut]),
)  # fmt: skip
def reported_metrics(ctx: Ctx, who: Who, system_id: str) -> dict[str, Any]:
    """Metrics MLflow reported for the system's model versions: marked reported, never
    computed by Charter, never read by a gate."""
    found = mlflow.reported_metrics(ctx, who, system_id)
    return {"items": [reported_json(r) for r in found], "total": len(found)}
