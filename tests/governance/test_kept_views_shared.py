"""A kept view is shared by every reader of the process: what one caller does to what it got
(sorting, clearing, adding to a list or a mapping) never changes what the next reader gets,
on the dashboard's overview as on the leadership scorecard (both databases)."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from sqlalchemy import Engine

from charter.frameworks.files import load_packs
from charter.governance.files import check_policy
from charter.governance.services import overview, policies
from charter.kernel.kept import Kept
from charter.kernel.roles import RoleKind as R
from charter.risks.services import register
from charter.scorecard import services as scorecard
from tests.factory import World

RACI = {"id": "raci", "title": "RACI first",
        "requirements": [{"id": "r", "kind": "accountability", "raci_complete": True}]}  # fmt: skip


def _meddle(*parts: object) -> None:
    """What a careless caller does to the parts of a view it was given (refused or not)."""
    for part in parts:
        for change in ("reverse", "pop", "popitem", "clear"):
            with suppress(TypeError, AttributeError, IndexError, KeyError):
                getattr(part, change)()


def _figures(seen: overview.Overview) -> tuple[Any, ...]:
    return (
        [(p.system.id, p.blocking) for p in seen.posture],
        {k: dict(v) for k, v in seen.readiness.items()},
        {k: list(v) for k, v in seen.risks.items()},
    )


def test_a_caller_cannot_change_the_kept_overview(world: World) -> None:
    caio, packs, kept = world.actor(R.CHIEF_AI_OFFICER), load_packs(), Kept[overview.Overview]()
    system = world.system("Shared")
    policies.load_policies(world.ctx, caio, [(RACI, check_policy(RACI, "raci"))])
    risk = {"title": "Leak", "category": "MIT.6.5", "cause": "c", "consequence": "c",
            "owner_id": world.people[R.CHIEF_AI_OFFICER].id, "inherent_likelihood": 5,
            "inherent_impact": 5, "target_likelihood": 1, "target_impact": 1}  # fmt: skip
    register.register_risk(world.ctx, caio, risk, (), system.id)
    first = overview.overview(world.ctx, caio, packs, kept)
    before = _figures(first)
    assert before[0] and before[1] and before[2], "every part holds something to meddle with"
    pack = next(iter(first.readiness))
    _meddle(first.readiness[pack], first.risks[system.id], first.posture, first.readiness,
            first.risks)  # fmt: skip
    again = overview.overview(world.ctx, caio, packs, kept)
    assert again.as_of == first.as_of, "the kept view, not a new one"
    assert _figures(again) == before


def test_a_caller_cannot_change_the_kept_scorecard(engine: Engine, world: World) -> None:
    caio, kept = world.actor(R.CHIEF_AI_OFFICER), Kept[Any]()
    world.system("Unowned")
    first, as_of = scorecard.scorecard_as_of(world.ctx, caio, kept=kept)
    before = list(first)
    _meddle(first)
    again, when = scorecard.scorecard_as_of(world.ctx, caio, kept=kept)
    assert when == as_of, "the kept view, not a new one"
    assert again == before
