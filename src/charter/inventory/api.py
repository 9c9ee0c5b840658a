"""API: AI systems, vendors, datasets, models and versions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from charter.inventory import services as inventory
from charter.inventory.domain import (
    AISystem,
    Dataset,
    LifecycleStage,
    Model,
    ModelVersion,
    OperatorRole,
    RiskTier,
    Vendor,
)
from charter.inventory.ports import Context
from charter.inventory.present import registered_json
from charter.inventory.schemas import (
    DatasetIn,
    DatasetPatch,
    ModelIn,
    ModelPatch,
    ModelVersionIn,
    ModelView,
    RegisteredSystem,
    SystemIn,
    SystemPatch,
    VendorIn,
    VendorPatch,
    VendorView,
)
from charter.kernel.present import as_json, page
from charter.kernel.web.contract import Paged, answer, returns
from charter.kernel.web.http import Pages, Who, context

Ctx = Annotated[Context, Depends(context)]
router = APIRouter()


@router.get("/systems", tags=["inventory"], responses=returns(Paged[AISystem]))
def list_systems(
    ctx: Ctx,
    who: Who,
    p: Pages,
    business_unit_id: str | None = None,
    stage: LifecycleStage | None = None,
    risk_tier: RiskTier | None = None,
    operator_role: OperatorRole | None = None,
    owner_id: str | None = None,
) -> Any:
    filters = {
        k: v
        for k, v in {
            "business_unit_id": business_unit_id,
            "stage": stage,
            "risk_tier": risk_tier,
            "operator_role": operator_role,
            "owner_id": owner_id,
        }.items()
        if v is not None
    }
    found = inventory.list_systems(
        ctx, who, filters, search=p.search, limit=p.limit, offset=p.offset, order=p.order
    )
    return answer(page(found))


@router.post(
    "/systems", status_code=201, tags=["inventory"], responses=returns(RegisteredSystem, 201)
)
def register_system(ctx: Ctx, who: Who, body: SystemIn) -> Any:
    return registered_json(inventory.register_system(ctx, who, **body.model_dump()))


@router.get("/systems/{system_id}", tags=["inventory"], responses=returns(AISystem))
def get_system(ctx: Ctx, who: Who, system_id: str) -> Any:
    return answer(as_json(inventory.get_system(ctx, who, system_id)))


@router.patch("/systems/{system_id}", tags=["inventory"], responses=returns(AISystem))
def update_system(ctx: Ctx, who: Who, system_id: str, body: SystemPatch) -> Any:
    return answer(
        as_json(inventory.update_system(ctx, who, system_id, **body.model_dump(exclude_unset=True)))
    )


@router.get("/vendors", tags=["inventory"], responses=returns(Paged[Vendor]))
def list_vendors(ctx: Ctx, who: Who, p: Pages) -> dict[str, Any]:
    return page(
        inventory.list_directory(
            ctx, who, "vendors", search=p.search, limit=p.limit, offset=p.offset, order=p.order
        )
    )


@router.post("/vendors", status_code=201, tags=["inventory"], responses=returns(Vendor, 201))
def register_vendor(ctx: Ctx, who: Who, body: VendorIn) -> Any:
    return as_json(inventory.register_vendor(ctx, who, **body.model_dump()))


@router.get("/vendors/{vendor_id}", tags=["inventory"], responses=returns(VendorView))
def get_vendor(ctx: Ctx, who: Who, vendor_id: str) -> Any:
    vendor = inventory.get_directory(ctx, who, "vendors", vendor_id)
    supplied = inventory.all_systems(ctx, who, {"vendor_id": vendor_id})
    return {**as_json(vendor), "systems": [{"id": s.id, "name": s.name} for s in supplied]}


@router.patch("/vendors/{vendor_id}", tags=["inventory"], responses=returns(Vendor))
def update_vendor(ctx: Ctx, who: Who, vendor_id: str, body: VendorPatch) -> Any:
    return as_json(
        inventory.update_vendor(ctx, who, vendor_id, **body.model_dump(exclude_unset=True))
    )


@router.get("/datasets", tags=["inventory"], responses=returns(Paged[Dataset]))
def list_datasets(
    ctx: Ctx, who: Who, p: Pages, contains_personal_data: bool | None = None
) -> dict[str, Any]:
    filters = (
        {} if contains_personal_data is None else {"contains_personal_data": contains_personal_data}
    )
    return page(
        inventory.list_directory(
            ctx,
            who,
            "datasets",
            filters,
            search=p.search,
            limit=p.limit,
            offset=p.offset,
            order=p.order,
        )
    )


@router.post("/datasets", status_code=201, tags=["inventory"], responses=returns(Dataset, 201))
def register_dataset(ctx: Ctx, who: Who, body: DatasetIn) -> Any:
    return as_json(inventory.register_dataset(ctx, who, **body.model_dump()))


@router.get("/datasets/{dataset_id}", tags=["inventory"], responses=returns(Dataset))
def get_dataset(ctx: Ctx, who: Who, dataset_id: str) -> Any:
    return as_json(inventory.get_directory(ctx, who, "datasets", dataset_id))


@router.patch("/datasets/{dataset_id}", tags=["inventory"], responses=returns(Dataset))
def update_dataset(ctx: Ctx, who: Who, dataset_id: str, body: DatasetPatch) -> Any:
    return as_json(
        inventory.update_dataset(ctx, who, dataset_id, **body.model_dump(exclude_unset=True))
    )


@router.get("/models", tags=["inventory"], responses=returns(Paged[Model]))
def list_models(ctx: Ctx, who: Who, p: Pages, system_id: str | None = None) -> dict[str, Any]:
    filters = {"system_id": system_id} if system_id else {}
    return page(
        inventory.list_directory(
            ctx,
            who,
            "models",
            filters,
            search=p.search,
            limit=p.limit,
            offset=p.offset,
            order=p.order,
        )
    )


@router.post("/models", status_code=201, tags=["inventory"], responses=returns(Model, 201))
def register_model(ctx: Ctx, who: Who, body: ModelIn) -> Any:
    return as_json(inventory.register_model(ctx, who, **body.model_dump()))


@router.get("/models/{model_id}", tags=["inventory"], responses=returns(ModelView))
def get_model(ctx: Ctx, who: Who, model_id: str) -> Any:
    model = inventory.get_model(ctx, who, model_id)
    versions = inventory.all_in_directory(
        ctx, who, "model_versions", {"model_id": model_id}, order="version"
    )
    return {**as_json(model), "versions": [as_json(v) for v in versions]}


@router.patch("/models/{model_id}", tags=["inventory"], responses=returns(Model))
def update_model(ctx: Ctx, who: Who, model_id: str, body: ModelPatch) -> Any:
    return as_json(
        inventory.update_model(ctx, who, model_id, **body.model_dump(exclude_unset=True))
    )


@router.post(
    "/models/{model_id}/versions",
    status_code=201,
    tags=["inventory"],
    responses=returns(ModelVersion, 201),
)
def add_model_version(ctx: Ctx, who: Who, model_id: str, body: ModelVersionIn) -> Any:
    return as_json(inventory.add_model_version(ctx, who, model_id, **body.model_dump()))
