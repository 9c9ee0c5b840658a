"""The risk register's searchable choices (charter.kernel.web.picker): "linkable:<risk id>",
the controls a risk may be linked to (not linked to it yet, manual or testing its system's
evidence, among those the person may read), found by their title or id."""

from __future__ import annotations

from typing import Any

from charter.kernel.access import Actor
from charter.kernel.names import name_key
from charter.kernel.web.picker import Choice, Picker, Within, listed
from charter.risks.domain.controls import Control
from charter.risks.services import views


def linkable(ctx: Any, who: Actor, risk_id: str) -> list[Control]:
    """The controls the risk may be linked to, that the person may read, by title."""
    risk = views.risk_detail(ctx, who, risk_id).position
    mine = {c.id for c, _ in risk.controls}
    return sorted(
        (v.control for v in views.controls(ctx, who)
         if v.control.id not in mine and v.control.system_id in (None, risk.risk.system_id)),
        key=lambda c: (name_key(c.title), c.id),
    )  # fmt: skip


def _linkable_picker(risk_id: str) -> Picker:
    def items(ctx: Any, who: Actor) -> list[Choice]:
        return [Choice(c.id, c.title) for c in linkable(ctx, who, risk_id)]

    return listed("linkable control", items)


def pickers() -> dict[str, Within]:
    """The risk register's searchable choices: "linkable:<risk id>"."""
    return {"linkable": _linkable_picker}
