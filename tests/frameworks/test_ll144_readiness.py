"""NYC Local Law 144 end to end, as docs/classification.md shows it: the bias-audit figures
recorded as evidence satisfy the pack's audit requirements through a policy that cites them;
the publication and notice duties stay open. On both databases."""

from __future__ import annotations

from pathlib import Path

import yaml

from charter.frameworks.files import load_packs
from charter.governance.files import check_policy
from charter.governance.services import policies, readiness
from charter.inventory import services as inventory
from charter.kernel.roles import RoleKind as R
from charter.validation import services as validation
from charter.validation.domain.suite import parse_suite
from charter.validation.engines.runner import run_suite
from tests.factory import World
from tests.validation.test_bias_audit import _rows, _suite


def _documented_policy() -> dict[str, object]:
    text = (Path(__file__).parents[2] / "docs" / "classification.md").read_text()
    block = text.split("## NYC Local Law 144", 1)[1].split("```yaml", 1)[1].split("```", 1)[0]
    [policy] = yaml.safe_load(block)
    return dict(policy)


def test_the_audit_figures_satisfy_the_pack_through_a_citing_policy(
    world: World, tmp_path: Path
) -> None:
    caio = world.actor(R.CHIEF_AI_OFFICER)
    raw = _documented_policy()
    policies.load_policies(world.ctx, caio, [(raw, check_policy(raw, "docs"))])
    tool = inventory.register_system(
        world.ctx, caio, name="CV screener", purpose="Ranks applicants",
        business_unit_id=world.unit.id, tags=("aedt",),
    ).system  # fmt: skip
    (tmp_path / "audit.csv").write_text(_rows())
    suite = parse_suite(_suite())
    validation.validate(
        world.ctx, world.actor(R.DATA_SCIENTIST), tool.id, suite, lambda s: run_suite(s, tmp_path)
    )
    [found] = readiness.system_readiness(world.ctx, caio, load_packs(), tool.id, "nyc-ll144")
    status = {i.id: i for i in found.items}
    assert status["LL144.5-301.selection"].status == "satisfied"
    assert "ll144-bias-audit/selection" in status["LL144.5-301.selection"].basis[0]
    assert status["LL144.5-301.exclusion"].status == "satisfied"
    assert status["LL144.20-871.a.2"].status == "open"  # publishing the summary: not shown yet
    assert status["LL144.20-872"].status == "not_applicable"
