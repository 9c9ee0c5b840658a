"""Issue 23: the open-alerts panel names the system of each alert it shows, however many
systems there are (it looked names up among the first 500 and showed ids past them)."""

from __future__ import annotations

from datetime import timedelta

from charter.bootstrap import new_id
from charter.kernel.roles import RoleKind as R
from charter.monitoring import services as monitoring
from charter.monitoring.domain.monitors import Alert
from tests.accountability.test_beyond_a_page import MANY, _many_systems
from tests.monitoring.test_monitors import SUITE
from tests.web.test_ui import _sign_in


def test_the_alerts_panel_names_a_system_past_the_first_page(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    last = _many_systems(world, MANY, world.unit, "Zeta scorer")[-1]
    monitor = monitoring.create_monitor(world.ctx, world.actor(R.ML_ENGINEER), last, "m", SUITE,
                                        {"file": "scored.parquet"}, "0 6 * * *")  # fmt: skip
    now = world.ctx.clock() - timedelta(hours=1)
    with world.ctx.uow() as uow:
        uow.alerts.add(Alert(new_id("alr"), last, monitor.id, "run", now, (), now))
        uow.commit()
    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
    html = client.get("/ui/").text
    assert f'<a href="/ui/systems/{last}">Zeta scorer {MANY - 1:04}</a>' in html
