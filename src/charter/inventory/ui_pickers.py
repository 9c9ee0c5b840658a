"""The inventory's searchable choices (charter.kernel.web.picker): systems, datasets and
vendors found by typing, each among the records the person may read."""

from __future__ import annotations

from typing import Any

from charter.inventory import services as inventory
from charter.kernel.access import Actor
from charter.kernel.web.picker import Choice, Picker


def _search_systems(ctx: Any, who: Actor, text: str, limit: int) -> list[Choice]:
    found = inventory.list_systems(ctx, who, search=text, limit=limit, order="name")
    return [Choice(s.id, s.name) for s in found.items]


def _named_systems(ctx: Any, who: Actor, name: str, limit: int) -> list[Choice]:
    found = inventory.list_systems(ctx, who, named=name, limit=limit, order="name")
    return [Choice(s.id, s.name) for s in found.items]


def _get_system(ctx: Any, who: Actor, ident: str) -> Choice | None:
    named = inventory.system_names(ctx, who, {ident})
    return Choice(ident, named[ident]) if ident in named else None


def _directory_picker(noun: str, plural: str) -> Picker:
    """Datasets or vendors found by name, as their list shows them."""

    def search(ctx: Any, who: Actor, text: str, limit: int) -> list[Choice]:
        found = inventory.list_directory(ctx, who, plural, search=text, limit=limit, order="name")
        return [Choice(r.id, r.name) for r in found.items]

    def get(ctx: Any, who: Actor, ident: str) -> Choice | None:
        found = inventory.list_directory(ctx, who, plural, {"id": ident}, limit=1).items
        return Choice(found[0].id, found[0].name) if found else None

    def named(ctx: Any, who: Actor, name: str, limit: int) -> list[Choice]:
        found = inventory.list_directory(ctx, who, plural, named=name, limit=limit, order="name")
        return [Choice(r.id, r.name) for r in found.items]

    return Picker(noun, search, get, named)


def pickers() -> dict[str, Picker]:
    """The inventory's searchable choices (charter.kernel.web.picker)."""
    return {
        "systems": Picker("system", _search_systems, _get_system, _named_systems),
        "datasets": _directory_picker("dataset", "datasets"),
        "vendors": _directory_picker("vendor", "vendors"),
    }
