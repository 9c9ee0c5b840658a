"""charter packs list | show, charter readiness"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from charter.frameworks import services as classification
from charter.frameworks.domain.classification import SCOPE_EXCLUSIONS
from charter.frameworks.files import classification_data, load_packs
from charter.frameworks.ports import Context
from charter.kernel.access import Actor
from charter.kernel.cli.files import read_mapping
from charter.kernel.cli.output import JsonOpt, console, emit, reporting, table
from charter.kernel.cli.session import AS_HELP, acting, context
from charter.kernel.errors import InvalidInput

packs_app = typer.Typer(help="Regulatory and voluntary framework packs.", no_args_is_help=True)


@packs_app.command("list")
def packs_list(json_: bool = JsonOpt) -> None:
    """The framework packs installed (built-in and from plugins)."""
    with reporting(json_):
        packs = load_packs()
    rows = [{"id": p.id, "title": p.title, "requirements": len(p.requirements)} for p in packs]
    emit(
        {"items": rows, "total": len(rows)},
        json_,
        lambda: table("Packs", ["id", "title", "requirements"], [tuple(r.values()) for r in rows]),
    )


def classify(
    system: str = typer.Argument(..., help="The system."),
    answers: Path | None = typer.Option(
        None, "--answers", help="Answers file (YAML or JSON); asked at the terminal without it."
    ),
    from_use_case: str | None = typer.Option(
        None, "--from-use-case", help="Use the screening of a use case the system delivers."
    ),
    who: str | None = typer.Option(None, "--as", help=AS_HELP),
    json_: bool = JsonOpt,
) -> None:
    """Classify a system under the EU AI Act: the tier with its reasoning cited article by
    article, the obligations for its operator role with the date each applies from; the
    result is recorded, audited and sets the system's risk tier."""
    with reporting(json_):
        ctx = context()
        actor = acting(ctx, who)
        given = _answers(ctx, actor, system, answers, from_use_case)
        item, result = classification.classify_system(
            ctx, actor, system, given, classification_data()
        )
    data = {"id": item.id, "system_id": system, "answers": given, **item.result}

    def human() -> None:
        flag = " (rests on items flagged uncertain)" if result.uncertain else ""
        console.print(f"[bold]{result.tier}[/bold] for {result.role.value}{flag}")
        table("Reasoning", ["cite", "finding"], [(s.cite, s.finding) for s in result.reasoning])
        table(
            f"Obligations ({result.schedule} dates)",
            ["id", "obligation", "applies from", "in force", "uncertain"],
            [
                (
                    o.id,
                    o.title,
                    o.applies_from or "—",
                    "yes" if o.in_force else "not yet",
                    "yes" if o.uncertain else "",
                )
                for o in result.obligations
            ],
        )

    emit(json.loads(json.dumps(data, default=str)), json_, human)


def _ask_list(question: str, known: dict[str, Any]) -> list[str]:
    console.print(question)
    for key, title in known.items():
        console.print(f"  {key}: {title['title'] if isinstance(title, dict) else title}")
    raw = typer.prompt("points, comma-separated (empty: none)", default="", show_default=False)
    return [p.strip() for p in raw.split(",") if p.strip()]


def _interview() -> dict[str, Any]:
    """Ask the questionnaire at the terminal, in the procedure's order."""
    data = classification_data()
    answers: dict[str, Any] = {}
    answers["ai_system"] = typer.confirm("Is it an AI system (Art. 3(1))?", default=True)
    if not answers["ai_system"]:
        return answers
    scope = typer.prompt(
        f"Outside the Act's scope? ({', '.join(SCOPE_EXCLUSIONS)}, or none)", default="none"
    )
    if scope != "none":
        answers["out_of_scope"] = scope
        return answers
    answers["prohibited"] = _ask_list("Does any Art. 5 practice apply?", data["prohibited"])
    answers["annex_i_product"] = typer.confirm("A safety component of, or an Annex I product?")
    if answers["annex_i_product"]:
        answers["annex_i_third_party_assessment"] = typer.confirm(
            "Does that product need third-party conformity assessment?"
        )
    answers["annex_iii"] = _ask_list("Which Annex III use cases?", data["annex_iii"])
    if answers["annex_iii"]:
        if "5.b" in answers["annex_iii"]:
            answers["fraud_detection_only"] = typer.confirm("Is it used only to detect fraud?")
        answers["profiling"] = typer.confirm("Does it profile natural persons?")
        derogation = typer.prompt("Art. 6(3) condition (a, b, c, d, or none)", default="none")
        if derogation != "none":
            answers["derogation"] = derogation
    answers["transparency"] = _ask_list("Which Art. 50 cases apply?", data["transparency"])
    answers["gpai_model"] = typer.confirm("Is it (or does it provide) a general-purpose AI model?")
    if answers["gpai_model"]:
        answers["systemic_risk"] = typer.confirm("With systemic risk (Art. 51)?")
    answers["public_service"] = typer.confirm("Is the deployer a public body or public service?")
    return answers


def _answers(
    ctx: Context, actor: Actor, system: str, path: Path | None, use_case: str | None
) -> Any:
    """From a file, from a use case's screening, or asked at the terminal."""
    if path and use_case:
        raise InvalidInput("give --answers or --from-use-case, not both")
    if use_case:
        return classification.screening_answers(ctx, actor, system, use_case)
    if path:
        return read_mapping(path, "answers are a mapping of question -> answer")
    return _interview()
