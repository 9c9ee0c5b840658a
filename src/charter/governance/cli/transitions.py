"""charter raci | transitions | rights"""

from __future__ import annotations

import typer

from charter.accountability.services import raci
from charter.governance.cli.policies import conditions_table
from charter.governance.domain.lifecycle import Decision, GateResult, TransitionRequest
from charter.governance.present import gate
from charter.governance.services import lifecycle
from charter.inventory import services as inventory
from charter.inventory.domain import LifecycleStage
from charter.kernel.cli.output import JsonOpt, console, emit, name_of, reporting, table
from charter.kernel.cli.session import AS_HELP, acting, context
from charter.kernel.present import as_json

transitions = typer.Typer(help="Lifecycle transitions and their approvals.", no_args_is_help=True)
AsOpt = typer.Option(None, "--as", help=AS_HELP)


def _show(request: TransitionRequest, result: GateResult, json_: bool) -> None:
    data = {"request": as_json(request), "gate": gate(result)}

    def human() -> None:
        console.print(
            f"request {request.id}: {request.source.value} -> {request.target.value} "
            f"[bold]{request.status.value}[/]",
            highlight=False,
        )
        conditions_table(data["gate"]["results"])

    emit(data, json_, human)


@transitions.command("request")
def transitions_request(
    system: str,
    to: LifecycleStage = typer.Option(...),
    reason: str = typer.Option(...),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Request a lifecycle transition; applied at once if no approval is needed."""
    with reporting(json_):
        ctx = context()
        request, result = lifecycle.request_transition(ctx, acting(ctx, who), system, to, reason)
    _show(request, result, json_)


@transitions.command("decide")
def transitions_decide(
    request: str,
    decision: Decision = typer.Option(...),
    reason: str = typer.Option(...),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Approve or refuse a pending transition request."""
    with reporting(json_):
        ctx = context()
        item, result = lifecycle.decide(ctx, acting(ctx, who), request, decision, reason)
    _show(item, result, json_)


@transitions.command("show")
def transitions_show(request: str, who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """Show a request and its gate verdicts."""
    with reporting(json_):
        ctx = context()
        item, result, _ = lifecycle.gate_status(ctx, acting(ctx, who), request)
    _show(item, result, json_)


@transitions.command("recheck")
def transitions_recheck(request: str, who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """Evaluate a pending request's gate again (after new evidence or a waiver); applies the
    transition when it now passes."""
    with reporting(json_):
        ctx = context()
        item, result = lifecycle.recheck(ctx, acting(ctx, who), request)
    _show(item, result, json_)


@transitions.command("list")
def transitions_list(system: str, who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """List a system's transition requests, newest first."""
    with reporting(json_):
        ctx = context()
        actor = acting(ctx, who)
        items = lifecycle.system_transitions(ctx, actor, system)
        named = inventory.names(ctx, actor)
    emit(
        {"items": as_json(items)},
        json_,
        lambda: table(
            "Transition requests",
            ["id", "from", "to", "status", "requested by", "reason"],
            [
                (r.id, r.source.value, r.target.value, r.status.value,
                 name_of(named, r.requested_by), r.reason)
                for r in items
            ],
        ),
    )  # fmt: skip


@transitions.command("rights")
def transitions_rights(who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """The decision rights in force: who may request and who must approve each transition."""
    with reporting(json_):
        ctx = context()
        rights = raci.decision_rights(ctx, acting(ctx, who))
    emit(
        {"items": as_json(rights)},
        json_,
        lambda: table(
            "Decision rights",
            ["from", "to", "requested by", "approvals"],
            [
                (
                    r.source,
                    r.target,
                    ", ".join(sorted(k.value for k in r.request)),
                    "; ".join(
                        f"{s.label}: {' or '.join(sorted(k.value for k in s.any_of))}"
                        for s in r.approvals
                    )
                    or "none",
                )
                for r in rights
            ],
        ),
    )
