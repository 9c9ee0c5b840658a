"""The dashboard lists the systems blocked at their next gate a page at a time, with their
total: every blocked system is on exactly one page, and the count is of them all."""

from __future__ import annotations

import re

from charter.governance.domain.policy import parse_policy
from charter.governance.services import gates, policies
from charter.governance.ui import BLOCKED_PAGE
from charter.kernel.roles import RoleKind as R
from tests.web.test_ui import _sign_in

#: a policy that blocks every proposed system at its next gate until it has a DPIA
ASSESS = {
    "id": "dpia-before-assessment", "title": "A DPIA before assessment",
    "applies": {"transitions": [{"to": "assessed"}]},
    "requirements": [{"id": "dpia", "kind": "document", "document": "dpia", "title": "DPIA"}],
}  # fmt: skip


def _listed(page: str) -> list[str]:
    table = page[page.index('id="blocked"') : page.index("Evidence freshness")]
    return re.findall(r'<a href="/ui/systems/(sys_[0-9a-f]+)">', table)


def test_blocked_gates_are_paged_with_their_total(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    caio = world.actor(R.CHIEF_AI_OFFICER)
    policies.load_policies(world.ctx, caio, [(ASSESS, parse_policy(ASSESS))])
    for n in range(BLOCKED_PAGE + 6):
        world.system(name=f"Waiting system {n:02d}")
    blocked = [p.system.id for p in gates.posture(world.ctx, caio) if p.blocking]
    assert len(blocked) > BLOCKED_PAGE
    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
    first = client.get("/ui/").text
    assert f'<div class="big blocked">{len(blocked)}</div>blocked at their next gate' in first
    assert f"Systems 1 to {BLOCKED_PAGE} of {len(blocked)}" in first
    assert f'href="?blocked={BLOCKED_PAGE}#blocked">Next' in first and "Previous" not in first
    second = client.get(f"/ui/?blocked={BLOCKED_PAGE}").text
    assert f"of {len(blocked)}" in second and 'href="?blocked=0#blocked">Previous' in second
    assert _listed(first) + _listed(second) == blocked
    assert _listed(client.get("/ui/?blocked=100000").text) == blocked[-1:]
    assert _listed(client.get("/ui/?blocked=-3").text) == blocked[:BLOCKED_PAGE]
