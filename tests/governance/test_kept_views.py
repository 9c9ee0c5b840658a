"""The dashboard's overview and the leadership scorecard kept by the process (on both
databases): the same view while nothing is written, under a minute; after each write
through a use case whose records they read, a new view that equals the one computed afresh
and differs from the one before."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from charter.audit import services as audit
from charter.audit.keys import create_key
from charter.bootstrap import context_for
from charter.frameworks import services as classification
from charter.frameworks.files import classification_data, load_packs
from charter.governance.files import check_policy
from charter.governance.services import overview, policies
from charter.inventory import services as inventory
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.kept import Kept
from charter.kernel.roles import RoleKind as R
from charter.risks.services import register
from charter.scorecard import services as scorecard
from charter.validation import services as validation
from charter.validation.domain.suite import parse_suite
from charter.validation.engines.runner import run_suite
from tests.factory import World, make_world

FAIRNESS = {
    "id": "fairness",
    "title": "Fair to groups",
    "applies": {"transitions": [{"to": "approved_for_deployment"}]},
    "requirements": [
        {"id": "dp", "kind": "evidence", "metric": "demographic_parity_difference", "max": 0.1,
         "max_age_days": 30, "cites": ["MEASURE 2.11"]},
    ],
}  # fmt: skip
SUITE = {
    "name": "fairness", "data": "data.csv",
    "columns": {"label": "y", "prediction": "p", "protected": ["g"]},
    "checks": [{"id": "dp", "metric": "demographic_parity_difference", "over": ["g"],
                "max": 0.1, "min_group_size": 0}],
}  # fmt: skip
FAIR = "y,p,g\n1,1,a\n0,0,a\n1,1,b\n0,0,b\n"


def _figures(seen: overview.Overview) -> tuple[Any, ...]:
    """Everything the overview tells but when it was computed."""
    return seen.posture, seen.readiness, dict(seen.risks), seen.findings


def _writes(world: World, system_id: str, folder: Path) -> list[tuple[str, Callable[[], Any]]]:
    """A write through each use case whose records the overview reads."""
    caio, ethics = world.actor(R.CHIEF_AI_OFFICER), world.actor(R.ETHICS_COMPLIANCE)
    (folder / "data.csv").write_text(FAIR)
    risk = {"title": "Leak", "category": "MIT.6.5", "cause": "c", "consequence": "c",
            "owner_id": world.people[R.CHIEF_AI_OFFICER].id, "inherent_likelihood": 5,
            "inherent_impact": 5, "target_likelihood": 1, "target_impact": 1}  # fmt: skip
    return [
        ("register a system", lambda: world.system("Another")),
        ("set its RACI", lambda: world.full_raci(system_id)),
        ("change its risk tier", lambda: inventory.update_system(
            world.ctx, caio, system_id, risk_tier="high")),
        ("move it through its gates", lambda: world.advance(system_id, S.IN_VALIDATION)),
        ("adopt a policy", lambda: policies.load_policies(
            world.ctx, ethics, [(FAIRNESS, check_policy(FAIRNESS, "fairness"))])),
        ("record evidence", lambda: validation.validate(
            world.ctx, world.actor(R.DATA_SCIENTIST), system_id, parse_suite(SUITE),
            lambda s: run_suite(s, folder))),
        ("classify it", lambda: classification.classify_system(
            world.ctx, caio, system_id, {"annex_iii": ["4.a"]}, classification_data())),
        ("register a risk on it", lambda: register.register_risk(
            world.ctx, caio, risk, (), system_id)),
        ("disable the policy", lambda: policies.set_enabled(world.ctx, caio, "fairness", False)),
    ]  # fmt: skip


def test_the_kept_overview_is_new_after_every_write_it_reads(world: World, tmp_path: Path) -> None:
    ctx, caio, packs, kept = world.ctx, world.actor(R.CHIEF_AI_OFFICER), load_packs(), Kept()
    system = world.system("Kept")

    def look() -> overview.Overview:
        seen = overview.overview(ctx, caio, packs, kept)
        assert _figures(seen) == _figures(overview.overview(ctx, caio, packs))
        return seen

    first = look()
    assert look() is first  # nothing written: the view computed before, and when
    for what, write in _writes(world, system.id, tmp_path):
        before = look()
        write()
        after = look()
        assert after is not before and after.as_of >= before.as_of, what
        assert _figures(after) != _figures(before), what
    narrower = world.actor(R.DATA_SCIENTIST)  # another reader: a view of their own
    assert overview.overview(ctx, narrower, packs, kept) is not look()


def test_the_kept_scorecard_is_new_after_a_write_or_a_checkpoint(
    engine: Engine, tmp_path: Path
) -> None:
    key = tmp_path / "keys" / "audit.key"
    create_key(key, "test.example/audit")
    world = make_world(context_for(engine, key_file=key))
    ctx, caio, kept = world.ctx, world.actor(R.CHIEF_AI_OFFICER), Kept[Any]()
    first, as_of = scorecard.scorecard_as_of(ctx, caio, kept=kept)
    assert scorecard.scorecard_as_of(ctx, caio, kept=kept) == (first, as_of)
    assert first == scorecard.leadership_scorecard(ctx, caio)
    audit.make_checkpoint(ctx, world.admin)  # signs the head without moving it
    signed, _ = scorecard.scorecard_as_of(ctx, caio, kept=kept)
    assert signed != first and signed == scorecard.leadership_scorecard(ctx, caio)
    world.system("Unowned")
    grown, _ = scorecard.scorecard_as_of(ctx, caio, kept=kept)
    assert grown != signed and grown == scorecard.leadership_scorecard(ctx, caio)
    assert scorecard.scorecard_as_of(ctx, caio, months=3, kept=kept)[0] is not grown


def test_a_kept_view_lasts_under_a_minute_and_never_from_a_clock_gone_back() -> None:
    kept, at = Kept[str](), datetime(2026, 12, 7, 12, tzinfo=UTC)
    kept.put("key", "view", at)
    assert kept.get("key", at + timedelta(seconds=59)) == ("view", at)
    assert kept.get("key", at + timedelta(seconds=60)) is None
    assert kept.get("key", at - timedelta(seconds=1)) is None
    assert kept.get("other", at) is None
    few = Kept[int](size=2)
    for n in range(3):
        few.put(n, n, at)
    assert few.get(0, at) is None and few.get(2, at) == (2, at)


def test_views_past_the_age_limit_go_and_a_view_read_stays_longest() -> None:
    at = datetime(2026, 12, 7, 12, tzinfo=UTC)
    kept = Kept[str](size=2)
    kept.put("old head", "view", at)
    kept.put("new head", "view", at + timedelta(seconds=61))
    assert list(kept._views) == ["new head"]  # the older one is gone, not waiting its turn
    kept.put("a", "a", at + timedelta(seconds=62))
    assert kept.get("new head", at + timedelta(seconds=62)) is not None
    kept.put("b", "b", at + timedelta(seconds=62))
    assert kept.get("new head", at + timedelta(seconds=62)) is not None
    assert kept.get("a", at + timedelta(seconds=62)) is None
