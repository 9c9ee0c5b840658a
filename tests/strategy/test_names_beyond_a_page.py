"""Issue 23: a use case's page names each system it links, however many systems there are
(names were looked up among the first 500 systems, and ids shown past them)."""

from __future__ import annotations

from charter.kernel.roles import RoleKind as R
from charter.strategy.services import intake as strategy
from tests.accountability.test_beyond_a_page import MANY, _many_systems
from tests.web.test_ui import _sign_in


def test_a_use_case_names_a_system_past_the_first_page(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    last = _many_systems(world, MANY, world.unit, "Zeta scorer")[-1]
    caio = world.actor(R.CHIEF_AI_OFFICER)
    strategy.link_system(world.ctx, caio, world.use_case, last)
    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
    html = client.get(f"/ui/use-cases/{world.use_case}").text
    assert f'<a href="/ui/systems/{last}">Zeta scorer {MANY - 1:04}</a>' in html
