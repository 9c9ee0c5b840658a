"""API: strategic objectives, use-case intake and decisions, portfolio, roadmap, KPIs and
value realised."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from charter.frameworks.files import classification_data
from charter.kernel.errors import InvalidInput
from charter.kernel.present import as_json
from charter.kernel.web.contract import Items, Listed, returns
from charter.kernel.web.http import Who, context
from charter.kernel.web.lanes import in_long_lane
from charter.strategy.domain.delivery import Experiment, Iteration
from charter.strategy.domain.kpis import Kpi, Reading, parse_csv
from charter.strategy.domain.scoring import ScoringModel, score
from charter.strategy.domain.strategy import LIVE, Objective, UseCase, UseCaseStatus
from charter.strategy.ports import Context
from charter.strategy.present import (
    kpi_json,
    model_json,
    portfolio_json,
    roadmap_json,
    scored,
    value_json,
)
from charter.strategy.schemas import (
    CloseIn,
    ConcludeIn,
    Delivery,
    ExperimentIn,
    IterationIn,
    KpiIn,
    KpiOut,
    KpiPatch,
    LinkIn,
    MeasurementsIn,
    MeasurementsOut,
    MeasurementsPreview,
    ObjectiveIn,
    PlanIn,
    PortfolioDecisionIn,
    PortfolioOut,
    Promoted,
    PromoteIn,
    Roadmap,
    ScoredUseCase,
    SubmittedUseCase,
    UseCaseIn,
    UseCasePatch,
    Value,
)
from charter.strategy.services import delivery, kpis, portfolio
from charter.strategy.services import intake as strategy

Ctx = Annotated[Context, Depends(context)]
router = APIRouter()


def _fields(body: UseCaseIn | UseCasePatch) -> dict[str, Any]:
    values = body.model_dump(exclude_unset=True)
    if "ratings" in values:
        values["ratings"] = {k: v for k, v in (values["ratings"] or {}).items() if v is not None}
    return values


def _weights(weight: list[str]) -> dict[str, float]:
    """weight=value:0.5 (repeated) -> {"value": 0.5}."""
    out = {}
    for item in weight:
        name, _, number = item.partition(":")
        try:
            out[name.strip()] = float(number)
        except ValueError:
            raise InvalidInput(f"weight {item!r} is not criterion:number") from None
    return out


@router.get("/objectives", tags=["strategy"], responses=returns(Items[Objective]))
def list_objectives(ctx: Ctx, who: Who) -> Any:
    return {"items": as_json(portfolio.list_objectives(ctx, who))}


@router.post("/objectives", status_code=201, tags=["strategy"], responses=returns(Objective, 201))
def create_objective(ctx: Ctx, who: Who, body: ObjectiveIn) -> Any:
    return as_json(strategy.create_objective(ctx, who, body.name, body.description, body.owner_id))


@router.get("/use-cases", tags=["strategy"], responses=returns(Listed[UseCase]))
def list_use_cases(
    ctx: Ctx,
    who: Who,
    status: Annotated[list[UseCaseStatus] | None, Query()] = None,
    business_unit_id: str | None = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> Any:
    found = portfolio.list_use_cases(ctx, who, frozenset(status or ()), business_unit_id, search=q)
    return {"items": as_json(found), "total": len(found)}


@router.post(
    "/use-cases", status_code=201, tags=["strategy"], responses=returns(SubmittedUseCase, 201)
)
def submit_use_case(ctx: Ctx, who: Who, body: UseCaseIn) -> Any:
    """Intake: the use case, and the existing use cases and systems it may duplicate."""
    item, found = strategy.submit_use_case(ctx, who, classification_data(), **_fields(body))
    return {**as_json(item), "possible_duplicates": as_json(found)}


@router.get("/use-cases/{use_case_id}", tags=["strategy"], responses=returns(ScoredUseCase))
def get_use_case(ctx: Ctx, who: Who, use_case_id: str) -> Any:
    """The use case with its score under the scoring model."""
    item = portfolio.get_use_case(ctx, who, use_case_id)
    return scored(item, score(portfolio.scoring_model(ctx), item))


@router.patch("/use-cases/{use_case_id}", tags=["strategy"], responses=returns(UseCase))
def update_use_case(ctx: Ctx, who: Who, use_case_id: str, body: UseCasePatch) -> Any:
    return as_json(
        strategy.update_use_case(ctx, who, use_case_id, classification_data(), **_fields(body))
    )


@router.post("/use-cases/{use_case_id}/decisions", tags=["strategy"], responses=returns(UseCase))
def decide_use_case(ctx: Ctx, who: Who, use_case_id: str, body: PortfolioDecisionIn) -> Any:
    return as_json(strategy.decide_use_case(ctx, who, use_case_id, body.decision, body.reason))


@router.put("/use-cases/{use_case_id}/plan", tags=["strategy"], responses=returns(UseCase))
def plan_use_case(ctx: Ctx, who: Who, use_case_id: str, body: PlanIn) -> Any:
    return as_json(
        strategy.plan_use_case(
            ctx, who, use_case_id, body.start_quarter, body.end_quarter, tuple(body.depends_on)
        )
    )


@router.post("/use-cases/{use_case_id}/systems", tags=["strategy"], responses=returns(UseCase))
def link_system(ctx: Ctx, who: Who, use_case_id: str, body: LinkIn) -> Any:
    return as_json(strategy.link_system(ctx, who, use_case_id, body.system_id))


@router.delete(
    "/use-cases/{use_case_id}/systems/{system_id}", tags=["strategy"], responses=returns(UseCase)
)
def unlink_system(ctx: Ctx, who: Who, use_case_id: str, system_id: str) -> Any:
    return as_json(strategy.link_system(ctx, who, use_case_id, system_id, linked=False))


@router.post(
    "/use-cases/{use_case_id}/promote",
    status_code=201,
    tags=["strategy"],
    responses=returns(Promoted, 201),
)
def promote_use_case(ctx: Ctx, who: Who, use_case_id: str, body: PromoteIn) -> Any:
    """Register an approved use case as an AI system in the inventory, linked to it."""
    item, system = strategy.promote_use_case(ctx, who, use_case_id, body.name)
    return {"use_case": as_json(item), "system": as_json(system)}


@router.get("/portfolio", tags=["strategy"], responses=returns(PortfolioOut))
def get_portfolio(
    ctx: Ctx,
    who: Who,
    weight: Annotated[list[str] | None, Query(description="criterion:weight, repeated")] = None,
    status: Annotated[list[UseCaseStatus] | None, Query()] = None,
) -> Any:
    """Ranked use cases with each score's parts, quadrant and horizon, and the balance by
    business unit, objective, horizon and quadrant; `weight` ranks with changed weights."""
    statuses = frozenset(status) if status else LIVE
    return portfolio_json(portfolio.portfolio(ctx, who, _weights(weight or []), statuses))


@router.get("/portfolio/model", tags=["strategy"], responses=returns(ScoringModel))
def get_model(ctx: Ctx, who: Who) -> Any:
    """The scoring model in force: criteria, weights, bands, quadrants and horizons."""
    portfolio.list_objectives(ctx, who)  # members only
    return model_json(portfolio.scoring_model(ctx))


@router.get("/roadmap", tags=["strategy"], responses=returns(Roadmap))
def get_roadmap(ctx: Ctx, who: Who) -> Any:
    return roadmap_json(portfolio.roadmap_view(ctx, who))


@router.get("/kpis", tags=["kpis"], responses=returns(Listed[KpiOut]))
def list_kpis(
    ctx: Ctx, who: Who, use_case_id: str | None = None, system_id: str | None = None
) -> Any:
    found = kpis.kpi_views(ctx, who, use_case_id, system_id)
    return {"items": [kpi_json(v) for v in found], "total": len(found)}


@router.post("/kpis", status_code=201, tags=["kpis"], responses=returns(Kpi, 201))
def define_kpi(ctx: Ctx, who: Who, body: KpiIn) -> Any:
    return as_json(kpis.define_kpi(ctx, who, **body.model_dump()))


@router.get("/kpis/{kpi_id}", tags=["kpis"], responses=returns(KpiOut))
def get_kpi(ctx: Ctx, who: Who, kpi_id: str) -> Any:
    return kpi_json(kpis.get_kpi(ctx, who, kpi_id))


@router.patch("/kpis/{kpi_id}", tags=["kpis"], responses=returns(Kpi))
def update_kpi(ctx: Ctx, who: Who, kpi_id: str, body: KpiPatch) -> Any:
    return as_json(kpis.update_kpi(ctx, who, kpi_id, **body.model_dump(exclude_unset=True)))


@router.post(
    "/measurements", status_code=201, tags=["kpis"], responses=returns(MeasurementsOut, 201)
)
def record_measurements(ctx: Ctx, who: Who, body: MeasurementsIn) -> Any:
    """Record measurements (all or none); a period given again is corrected."""
    readings = [Reading(m.kpi_id, m.period, m.value, m.note) for m in body.measurements]
    written = kpis.record_measurements(ctx, who, readings, "api", body.stated_source)
    return {"recorded": len(written), "items": as_json(written)}


@router.post(
    "/measurements/csv",
    status_code=201,
    tags=["kpis"],
    openapi_extra={"requestBody": {"content": {"text/csv": {"schema": {"type": "string"}}}}},
    responses={
        **returns(MeasurementsOut, 201),
        **returns(MeasurementsPreview, 200, "The dry run's result"),
    },
)
async def import_measurements(
    ctx: Ctx, who: Who, request: Request, response: Response,
    dry_run: Annotated[bool, Query(description="Check the rows, record nothing (200)")] = False,
    preview: Annotated[
        str | None,
        Query(
            pattern="^[A-Za-z0-9_-]{43}$",
            description="The caller's own dry run's `preview`, required to record: only "
            "the rows it showed are recorded",
        ),
    ] = None,
) -> Any:  # fmt: skip
    """A CSV file (header kpi_id, period, value and optionally note) as the request body:
    every row is recorded or none; an error names the line. With dry_run the rows are checked
    and nothing is recorded; the `preview` it answers, required to record, records exactly
    those rows, for the same person within 30 minutes, once (422 without it; 409 for another
    file, or a preview unknown, expired, used or another person's)."""
    try:
        text = (await request.body()).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("the CSV file is not UTF-8 text") from None
    readings = await in_long_lane(parse_csv, text)  # a file of up to the body limit
    if dry_run:
        response.status_code = 200
        kept = await in_long_lane(kpis.preview_measurements, ctx, who, readings)
        return as_json(kept) | {"items": as_json(readings)}
    written = await in_long_lane(kpis.import_measurements, ctx, who, readings, preview, "api_csv")
    return {"recorded": len(written), "items": as_json(written)}


@router.get("/value", tags=["kpis"], responses=returns(Value))
def get_value(ctx: Ctx, who: Who) -> Any:
    """Value realised against planned and cost against budget per use case, return per
    business unit, and the KPIs alerting."""
    return value_json(kpis.value_report(ctx, who))


@router.get("/use-cases/{use_case_id}/iterations", tags=["delivery"], responses=returns(Delivery))
def list_iterations(ctx: Ctx, who: Who, use_case_id: str) -> Any:
    portfolio.get_use_case(ctx, who, use_case_id)
    iterations, experiments = delivery.delivery_of(ctx, who, use_case_id)
    return {"iterations": as_json(iterations), "experiments": as_json(experiments)}


@router.post(
    "/use-cases/{use_case_id}/iterations",
    status_code=201,
    tags=["delivery"],
    responses=returns(Iteration, 201),
)
def open_iteration(ctx: Ctx, who: Who, use_case_id: str, body: IterationIn) -> Any:
    return as_json(
        delivery.open_iteration(ctx, who, use_case_id, body.goal, body.starts_on, body.ends_on)
    )


@router.post("/iterations/{iteration_id}/close", tags=["delivery"], responses=returns(Iteration))
def close_iteration(ctx: Ctx, who: Who, iteration_id: str, body: CloseIn) -> Any:
    """Close with outcome, learnings and pivot / persevere / stop (stop stops the use case)."""
    return as_json(
        delivery.close_iteration(
            ctx, who, iteration_id, body.decision, body.outcome, body.learnings
        )
    )


@router.post(
    "/use-cases/{use_case_id}/experiments",
    status_code=201,
    tags=["delivery"],
    responses=returns(Experiment, 201),
)
def start_experiment(ctx: Ctx, who: Who, use_case_id: str, body: ExperimentIn) -> Any:
    return as_json(
        delivery.start_experiment(
            ctx, who, use_case_id, body.hypothesis, body.metric, body.iteration_id
        )
    )


@router.post(
    "/experiments/{experiment_id}/conclude", tags=["delivery"], responses=returns(Experiment)
)
def conclude_experiment(ctx: Ctx, who: Who, experiment_id: str, body: ConcludeIn) -> Any:
    return as_json(delivery.conclude_experiment(ctx, who, experiment_id, body.result, body.finding))
