"""charter systems | vendors | datasets | models"""

from __future__ import annotations

from typing import Any

import typer

from charter.inventory import services as inventory
from charter.inventory.domain import LifecycleStage, OperatorRole, RiskTier
from charter.inventory.present import registered_json
from charter.kernel.cli.output import JsonOpt, console, emit, name_of, reporting, table
from charter.kernel.cli.session import AS_HELP, acting, context
from charter.kernel.present import as_json, everything, page

systems = typer.Typer(help="AI systems in the inventory.", no_args_is_help=True)
vendors = typer.Typer(help="Vendors of third-party AI.", no_args_is_help=True)
datasets = typer.Typer(help="Datasets.", no_args_is_help=True)
models = typer.Typer(help="Models and model versions.", no_args_is_help=True)
AsOpt = typer.Option(None, "--as", help=AS_HELP)


@systems.command("list")
def systems_list(
    stage: LifecycleStage | None = None,
    risk_tier: RiskTier | None = None,
    business_unit: str | None = None,
    search: str | None = typer.Option(None, "--search", "-q"),
    limit: int = typer.Option(100, min=1, max=500),
    offset: int = 0,
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """List AI systems you may read, with filters and paging."""
    filters = {
        k: v
        for k, v in {
            "stage": stage,
            "risk_tier": risk_tier,
            "business_unit_id": business_unit,
        }.items()
        if v is not None
    }
    with reporting(json_):
        ctx = context()
        actor = acting(ctx, who)
        result = inventory.list_systems(
            ctx, actor, filters, search=search, limit=limit, offset=offset
        )
        named = inventory.names(ctx, actor)
    emit(
        page(result),
        json_,
        lambda: table(
            f"AI systems ({result.total})",
            ["id", "name", "stage", "risk tier", "unit", "owner"],
            [
                (
                    s.id,
                    s.name,
                    s.stage.value,
                    s.risk_tier.value,
                    name_of(named, s.business_unit_id),
                    name_of(named, s.owner_id),
                )
                for s in result.items
            ],
        ),
    )
    left = result.total - offset - len(result.items)
    if left > 0 and not json_:
        typer.echo(f"{left} more: use --offset {offset + len(result.items)}")


@systems.command("register")
def systems_register(
    name: str,
    purpose: str = typer.Option(...),
    business_unit: str = typer.Option(...),
    owner: str | None = None,
    intended_use: str = "",
    operator_role: OperatorRole = typer.Option(OperatorRole.PROVIDER),
    deployment_context: str = "",
    vendor: str | None = None,
    tag: list[str] = typer.Option([], "--tag"),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Register an AI system; it starts as proposed and unclassified."""
    with reporting(json_):
        ctx = context()
        done = inventory.register_system(
            ctx,
            acting(ctx, who),
            name=name,
            purpose=purpose,
            business_unit_id=business_unit,
            owner_id=owner,
            intended_use=intended_use,
            operator_role=operator_role,
            deployment_context=deployment_context,
            vendor_id=vendor,
            tags=tag,
        )

    def human() -> None:
        typer.echo(f"registered system {done.system.name} ({done.system.id})")
        for ident, similar in done.similar:
            console.print(
                f"[yellow]note[/]: {similar!r} ({ident}) has a similar name: the same system?",
                highlight=False,
            )

    emit(registered_json(done), json_, human)


@systems.command("update")
def systems_update(
    system: str,
    name: str | None = None,
    purpose: str | None = None,
    owner: str | None = None,
    risk_tier: RiskTier | None = None,
    operator_role: OperatorRole | None = None,
    deployment_context: str | None = None,
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Change a system's descriptive fields (the stage changes by transitions only)."""
    values: dict[str, Any] = {
        k: v
        for k, v in {
            "name": name,
            "purpose": purpose,
            "owner_id": owner,
            "risk_tier": risk_tier,
            "operator_role": operator_role,
            "deployment_context": deployment_context,
        }.items()
        if v is not None
    }
    with reporting(json_):
        ctx = context()
        item = inventory.update_system(ctx, acting(ctx, who), system, **values)
    emit(as_json(item), json_, lambda: typer.echo(f"updated system {item.id}"))


def _directory(
    collection: str, title: str, columns: list[str], who: str | None, json_: bool
) -> None:
    with reporting(json_):
        ctx = context()
        result = everything(inventory.all_in_directory(ctx, acting(ctx, who), collection))
    data = page(result)
    emit(
        data,
        json_,
        lambda: table(title, columns, [[i.get(c) for c in columns] for i in data["items"]]),
    )


@vendors.command("list")
def vendors_list(who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """List vendors."""
    _directory("vendors", "Vendors", ["id", "name", "website"], who, json_)


@vendors.command("register")
def vendors_register(
    name: str, website: str = "", contact: str = "", who: str | None = AsOpt, json_: bool = JsonOpt
) -> None:
    """Register a vendor of third-party AI."""
    with reporting(json_):
        ctx = context()
        item = inventory.register_vendor(ctx, acting(ctx, who), name, website, contact)
    emit(as_json(item), json_, lambda: typer.echo(f"registered vendor {item.id}"))


@datasets.command("list")
def datasets_list(who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """List datasets."""
    _directory(
        "datasets", "Datasets", ["id", "name", "contains_personal_data", "retention"], who, json_
    )


@datasets.command("register")
def datasets_register(
    name: str,
    owner: str | None = None,
    source: str = "",
    personal_data: bool = False,
    special_category: bool = False,
    retention: str = "",
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Register a dataset, with its personal-data flags and retention."""
    with reporting(json_):
        ctx = context()
        item = inventory.register_dataset(
            ctx,
            acting(ctx, who),
            name,
            owner,
            source=source,
            contains_personal_data=personal_data,
            special_category_data=special_category,
            retention=retention,
        )
    emit(as_json(item), json_, lambda: typer.echo(f"registered dataset {item.id}"))


@models.command("list")
def models_list(who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """List models."""
    _directory("models", "Models", ["id", "name", "system_id"], who, json_)


@models.command("register")
def models_register(
    name: str,
    system: str | None = None,
    description: str = "",
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Register a model, optionally for one system."""
    with reporting(json_):
        ctx = context()
        item = inventory.register_model(ctx, acting(ctx, who), name, system, description)
    emit(as_json(item), json_, lambda: typer.echo(f"registered model {item.id}"))


@models.command("add-version")
def models_add_version(
    model: str,
    version: str,
    artifact_uri: str,
    framework: str = "",
    training_dataset: str | None = None,
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Add a version to a model (artifact URI, framework, training dataset)."""
    with reporting(json_):
        ctx = context()
        item = inventory.add_model_version(
            ctx, acting(ctx, who), model, version, artifact_uri, framework, training_dataset
        )
    emit(as_json(item), json_, lambda: typer.echo(f"added version {item.id}"))
