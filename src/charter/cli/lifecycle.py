"""charter raci | transitions | rights"""

from __future__ import annotations

import typer

from charter.cli.output import EXIT_FAILED_CHECK, JsonOpt, console, emit, reporting, table
from charter.cli.session import AS_HELP, acting, context
from charter.domain.inventory import LifecycleStage
from charter.domain.lifecycle import Decision, GateResult, TransitionRequest
from charter.domain.raci import Activity, RaciLetter
from charter.services import lifecycle, queries, raci
from charter.web.present import as_json, gate

raci_app = typer.Typer(
    help="RACI per system and lifecycle activity, and its findings.", no_args_is_help=True
)
transitions = typer.Typer(help="Lifecycle transitions and their approvals.", no_args_is_help=True)
AsOpt = typer.Option(None, "--as", help=AS_HELP)


@raci_app.command("check")
def raci_check(
    system: str | None = typer.Argument(None, help="One system; all when omitted."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """List RACI findings; exits 1 when there are any."""
    with reporting(json_):
        ctx = context()
        actor = acting(ctx, who)
        findings = (
            raci.system_raci(ctx, actor, system)[1] if system else raci.all_findings(ctx, actor)
        )
    emit(
        {"findings": as_json(findings), "total": len(findings)},
        json_,
        lambda: table(
            f"RACI findings ({len(findings)})",
            ["system", "kind", "message"],
            [(f.system_id, f.kind.value, f.message) for f in findings],
        ),
    )
    if findings:
        raise typer.Exit(EXIT_FAILED_CHECK)


@raci_app.command("set")
def raci_set(
    system: str,
    activity: Activity,
    responsible: list[str] = typer.Option([], "-r", "--responsible"),
    accountable: list[str] = typer.Option([], "-a", "--accountable"),
    consulted: list[str] = typer.Option([], "-c", "--consulted"),
    informed: list[str] = typer.Option([], "-i", "--informed"),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Replace the RACI of one activity of one system (person ids)."""
    pairs = [
        (p, letter)
        for letter, people in (
            (RaciLetter.RESPONSIBLE, responsible),
            (RaciLetter.ACCOUNTABLE, accountable),
            (RaciLetter.CONSULTED, consulted),
            (RaciLetter.INFORMED, informed),
        )
        for p in people
    ]
    with reporting(json_):
        ctx = context()
        entries = raci.set_activity(ctx, acting(ctx, who), system, activity, pairs)
    emit(as_json(entries), json_, lambda: typer.echo(f"set {len(entries)} RACI entries"))


def _show(request: TransitionRequest, result: GateResult, json_: bool) -> None:
    data = {"request": as_json(request), "gate": gate(result)}

    def human() -> None:
        console.print(
            f"request {request.id}: {request.source.value} -> {request.target.value} "
            f"[bold]{request.status.value}[/]",
            highlight=False,
        )
        for r in result.results:
            console.print(f"  {r.verdict.value:<14} {r.reason}", highlight=False)

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
        items = queries.system_transitions(ctx, acting(ctx, who), system)
    emit(
        {"items": as_json(items)},
        json_,
        lambda: table(
            "Transition requests",
            ["id", "from", "to", "status", "requested by", "reason"],
            [
                (r.id, r.source.value, r.target.value, r.status.value, r.requested_by, r.reason)
                for r in items
            ],
        ),
    )


@transitions.command("rights")
def transitions_rights(who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """The decision rights in force: who may request and who must approve each transition."""
    with reporting(json_):
        ctx = context()
        rights = queries.decision_rights(ctx, acting(ctx, who))
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
