"""What a reader may see of the AI systems and of what hangs on them (models, evidence, body
agendas and decisions, adoption figures): the one place read paths filter by the reader's
scope. Something that belongs to no unit and no system (a body's general motion, a model not
yet attached to a system) is seen by every member; something of a unit or a system only by
those whose roles cover it, as charter.kernel.access.visible_scopes says for systems."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from charter.kernel.access import Action, Actor, allowed, visible_scopes
from charter.kernel.ports import Repository

T = TypeVar("T")

#: where a record belongs: (business unit id, system id); (None, None): organisation-wide
Where = tuple[str | None, str | None]


@dataclass(frozen=True, slots=True)
class Visibility:
    actor: Actor
    scopes: Mapping[str, frozenset[str]] | None  # None: the reader sees every system

    @property
    def everything(self) -> bool:
        return self.scopes is None

    def sees(self, business_unit_id: str | None, system_id: str | None = None) -> bool:
        """Whether the reader may read what belongs to this unit or system."""
        if self.scopes is None or (business_unit_id is None and system_id is None):
            return True
        return allowed(self.actor, Action.READ, business_unit_id, system_id)

    def only(self, items: Iterable[T], where: Callable[[T], Where]) -> list[T]:
        """The items the reader may see, in their order."""
        return [i for i in items if self.sees(*where(i))]

    def system_ids(self, systems: Repository[Any]) -> frozenset[str] | None:
        """The ids of the systems the reader may read (None: every system), in one query."""
        if self.scopes is None:
            return None
        return frozenset(s.id for s in systems.find(any_of=self.scopes).items)

    def systems_where(self, systems: Repository[Any]) -> Callable[[str | None], Where]:
        """Where a record that names a system id belongs (for `only`), systems read once."""
        units = {s.id: s.business_unit_id for s in systems.all()}

        def where(system_id: str | None) -> Where:
            return (units.get(system_id), system_id) if system_id else (None, None)

        return where


def visibility(actor: Actor) -> Visibility:
    return Visibility(actor, visible_scopes(actor))
