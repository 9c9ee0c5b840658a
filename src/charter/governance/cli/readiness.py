"""charter packs show, charter readiness: the packs' requirements against the policies in
force and each system's evidence."""

from __future__ import annotations

from typing import Any

import typer

from charter.frameworks.files import crosswalk, load_packs
from charter.governance.present import readiness_report
from charter.governance.services import policies, readiness
from charter.kernel.cli.output import JsonOpt, emit, reporting, table
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
    emit(data, json_, lambda: _human(data, system is not None))


COUNTS = ["applicable", "satisfied", "open", "not yet", "satisfied %"]


def _counts(row: dict[str, Any]) -> tuple[Any, ...]:
    shown = "n/a" if row["percent"] is None else f"{row['percent']:.1f}%"
    return (row["applicable"], row["satisfied"], row["open"], row["not_yet"], shown)


def _human(data: dict[str, Any], one_system: bool) -> None:
    table(
        "Readiness per system and pack",
        ["system", "pack", *COUNTS],
        [(r["name"], r["pack"], *_counts(r)) for r in data["items"]],
    )
    if one_system:
        for row in data["items"]:
            _requirements(row)
    else:
        table("Readiness per system", ["system", "packs", *COUNTS],
              [(s["name"], s["packs"], *_counts(s)) for s in data["systems"]])  # fmt: skip
    table("Organisation's roll-up per pack", ["pack", "systems", *COUNTS],
          [(k, v["systems"], *_counts(v)) for k, v in data["packs"].items()])  # fmt: skip


def _requirements(row: dict[str, Any]) -> None:
    """One pack's requirements for the system: open first, then not yet, then satisfied;
    those that do not apply to it counted, not listed (all are in --json)."""
    rank = {"open": 0, "not_yet": 1, "satisfied": 2}
    shown = sorted(
        (i for i in row["requirements"] if i["status"] in rank),
        key=lambda i: (rank[i["status"]], i["id"]),
    )
    table(
        f"{row['pack']}: {row['applicable']} requirements apply, "
        f"{row['not_applicable']} do not apply to {row['name']}",
        ["requirement", "title", "status", "from", "basis"],
        [
            (i["id"], i["title"], i["status"].replace("_", " "), i["applies_from"] or "",
             "; ".join(i["basis"]))
            for i in shown
        ],
    )  # fmt: skip
