"""charter objectives | usecases | portfolio | kpi | delivery"""

from __future__ import annotations

from charter.inventory import services as inventory
from charter.kernel.access import Actor
from charter.strategy.ports import Context
from charter.strategy.services import portfolio as use_cases


def names(ctx: Context, actor: Actor) -> dict[str, str]:
    """What people call what strategy tables name by id: people, units, systems and the use
    cases this reader may read (by title)."""
    titles = {u.id: u.title for u in use_cases.list_use_cases(ctx, actor)}
    return inventory.names(ctx, actor) | titles
