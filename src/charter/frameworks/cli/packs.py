"""charter packs list | diff (packs show is governance's: it names the policies citing each
requirement)."""

from __future__ import annotations

from pathlib import Path

import typer

from charter.frameworks import present
from charter.frameworks.domain.versions import PackVersion, diff, find, pick
from charter.frameworks.files import load_packs, read_pack_file
from charter.kernel.cli.output import JsonOpt, console, emit, reporting, table

packs_app = typer.Typer(help="Regulatory and voluntary framework packs.", no_args_is_help=True)


@packs_app.command("list")
def packs_list(json_: bool = JsonOpt) -> None:
    """The framework packs installed (built-in and from plugins), with their versions and the
    day each took effect."""
    with reporting(json_):
        packs = load_packs()
    rows = [present.pack_row(p) for p in packs]

    def human() -> None:
        shown = [(p.id, p.title, len(p.requirements), present.versions_line(p)) for p in packs]
        table("Packs", ["id", "title", "requirements", "versions (effective)"], shown)

    emit({"items": rows, "total": len(rows)}, json_, human)


def _version(ref: str) -> PackVersion:
    """ID, ID@VERSION, or a pack file (FILE or FILE@VERSION)."""
    name, _, which = ref.rpartition("@") if "@" in ref else (ref, "", "")
    if Path(name).is_file():
        return pick(read_pack_file(Path(name)), which or None)
    return find(load_packs(), ref)


@packs_app.command("diff")
def packs_diff(
    old: str = typer.Argument(..., help="ID, ID@VERSION (a schedule or version), or a pack file."),
    new: str = typer.Argument(..., help="The same forms as OLD."),
    json_: bool = JsonOpt,
) -> None:
    """The requirements added, removed and changed from one pack version to another (an
    installed pack's schedule or version, or a pack file)."""
    with reporting(json_):
        found = diff(_version(old), _version(new))
    data = present.pack_diff(found)

    def human() -> None:
        console.print(f"{found.old} -> {found.new}")
        table("Added", ["id", "title"], [(c.id, c.title) for c in found.added])
        table("Removed", ["id", "title"], [(c.id, c.title) for c in found.removed])
        table(
            "Changed",
            ["id", "field", "old", "new"],
            [(c.id, f, str(a), str(b)) for c in found.changed for f, (a, b) in c.fields.items()],
        )

    emit(data, json_, human)
