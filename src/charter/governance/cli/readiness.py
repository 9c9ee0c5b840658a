"""charter packs show, charter readiness: the packs' requirements against the policies in
force and each system's evidence."""

from __future__ import annotations

import typer

from charter.frameworks.files import crosswalk, load_packs
from charter.governance.present import readiness_report
from charter.governance.services import policies, readiness
from charter.kernel.cli.output import JsonOpt, console, emit, reporting, table
from charter.kernel.cli.session import AS_HELP, acting, context
from charter.kernel.errors import NotFound
from charter.kernel.present import as_json


def packs_show(
    pack: str, who: str | None = typer.Option(None, "--as", help=AS_HELP), json_: bool = JsonOpt
) -> None:
    """A pack's requirements, the policies in force that cite each, and the crosswalk links
    that name them."""
    with reporting(json_):
        found = next((p for p in load_packs() if p.id == pack), None)
        if found is None:
            raise NotFound("pack", pack)
        ctx = context()
        cited = policies.citing(ctx, acting(ctx, who))
    links = [x for x in crosswalk()["links"] if pack in x["requirements"]]
    requirements = [{**as_json(r), "policies": cited.get(r.id, [])} for r in found.requirements]
    emit(
        {**as_json(found), "requirements": requirements, "crosswalk": links},
        json_,
        lambda: table(
            f"{found.title} ({len(found.requirements)} requirements)",
            ["id", "title", "scope", "uncertain", "policies"],
            [
                (
                    r.id,
                    r.title,
                    r.scope,
                    "yes" if r.uncertain else "",
                    ", ".join(cited.get(r.id, [])),
                )
                for r in found.requirements
            ],
        ),
    )


def readiness_command(
    system: str | None = typer.Argument(None, help="One system; every visible one when omitted."),
    pack: str | None = typer.Option(None, "--pack", help="One pack; all when omitted."),
    schedule: str | None = typer.Option(
        None,
        "--schedule",
        help="EU AI Act dates: amended (uncertain) or original; default: the one in force.",
    ),
    who: str | None = typer.Option(None, "--as", help=AS_HELP),
    json_: bool = JsonOpt,
) -> None:
    """Compliance readiness: per system and pack, requirements satisfied (by which evidence),
    open, and not yet applicable; with the organisation's roll-up."""
    with reporting(json_):
        ctx = context()
        items = readiness.system_readiness(
            ctx, acting(ctx, who), load_packs(), system, pack, schedule
        )
    data = readiness_report(items, detail=system is not None)

    def human() -> None:
        table(
            "Readiness",
            ["system", "pack", "applicable", "satisfied", "open", "not yet"],
            [
                (r["name"], r["pack"], r["applicable"], r["satisfied"], r["open"], r["not_yet"])
                for r in data["items"]
            ],
        )
        if system is not None:
            for row in data["items"]:
                table(
                    f"{row['pack']}: open and satisfied",
                    ["requirement", "status", "from", "basis"],
                    [
                        (i["id"], i["status"], i["applies_from"] or "", "; ".join(i["basis"]))
                        for i in row["requirements"]
                        if i["status"] != "not_yet"
                    ],
                )
        console.print(
            "roll-up: "
            + "; ".join(
                f"{k}: {v['satisfied']}/{v['applicable']} satisfied"
                for k, v in data["packs"].items()
            )
        )

    emit(data, json_, human)
