"""Readiness selects the systems of one kind (alike in every field a selector reads but id
and name) once, except under a policy whose `when` reads a system's id or name: that one
selects each system apart (on both databases)."""

from __future__ import annotations

from charter.frameworks.files import load_packs
from charter.governance.files import check_policy
from charter.governance.services import policies, readiness
from charter.kernel.roles import RoleKind as R
from tests.factory import World


def _policy(ident: str, when: str) -> dict[str, object]:
    return {
        "id": ident, "title": "Named", "applies": {"when": when},
        "requirements": [{"id": "raci", "kind": "accountability", "raci_complete": True,
                          "owner_named": True, "title": "RACI", "cites": [f"CITE-{ident}"]}],
    }  # fmt: skip


def test_a_when_that_reads_the_name_or_id_selects_each_system_apart(world: World) -> None:
    alpha, beta = world.system("Alpha"), world.system("Beta")  # alike but for id and name
    for s in (alpha, beta):
        world.full_raci(s.id)
    raws = [_policy("by-name", 'name == "Alpha"'), _policy("by-id", f'id == "{beta.id}"'),
            _policy("by-tier", 'risk_tier != "high"')]  # fmt: skip
    policies.load_policies(
        world.ctx, world.actor(R.ETHICS_COMPLIANCE),
        [(raw, check_policy(raw, str(raw["id"]))) for raw in raws],
    )  # fmt: skip
    found = readiness._standings(world.ctx, world.actor(R.CHIEF_AI_OFFICER), None)
    cited = {s.system.name: set(s.satisfied_by) for s in found}
    assert cited == {"Alpha": {"CITE-by-name", "CITE-by-tier"},
                     "Beta": {"CITE-by-id", "CITE-by-tier"}}  # fmt: skip
    assert readiness.readiness_totals(world.ctx, world.actor(R.AUDITOR), load_packs())
