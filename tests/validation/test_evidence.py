"""Validation evidence on both backends: recorded once with its audit event, or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from charter.kernel.errors import InvalidInput
from charter.kernel.roles import RoleKind as R
from charter.kernel.verdicts import Verdict
from charter.validation import services as validation
from charter.validation.domain.suite import parse_suite
from charter.validation.engines.runner import run_suite
from tests.factory import World

SUITE = {
    "name": "smoke",
    "data": "data.csv",
    "columns": {"label": "y", "prediction": "p", "score": "s", "protected": ["g"]},
    "checks": [
        {"id": "acc", "metric": "accuracy", "min": 0.5},
        {
            "id": "dp",
            "metric": "demographic_parity_difference",
            "over": ["g"],
            "max": 0.2,
            "min_group_size": 0,
        },
        {"id": "ll", "metric": "log_loss", "max": 5, "severity": "warning"},
    ],
}


def _events(world: World) -> int:
    with world.ctx.uow() as uow:
        return uow.audit.size()


def test_evidence_round_trips_with_one_audit_event(world: World, tmp_path: Path) -> None:
    (tmp_path / "data.csv").write_text("y,p,s,g\n1,1,0.9,a\n0,0,0.2,a\n1,1,0.7,b\n0,1,0.6,b\n")
    system = world.system()
    before = _events(world)
    evidence = validation.validate(
        world.ctx,
        world.actor(R.DATA_SCIENTIST),
        system.id,
        parse_suite(SUITE),
        lambda s: run_suite(s, tmp_path),
    )
    assert _events(world) == before + 1
    assert [r.verdict for r in evidence.results] == [
        Verdict.SATISFIED,
        Verdict.NOT_SATISFIED,
        Verdict.SATISFIED,
    ]
    assert evidence.results[1].value == pytest.approx(0.5)
    stored = validation.system_evidence(world.ctx, world.actor(R.AUDITOR), system.id)
    assert stored == [evidence] and not stored[0].passed


def test_a_failed_run_records_nothing(world: World, tmp_path: Path) -> None:
    (tmp_path / "data.csv").write_text("y,p,g\n1,1,a\n")  # no score column
    system = world.system()
    before = _events(world)
    with pytest.raises(InvalidInput, match=r"data\.csv: missing column"):
        validation.validate(
            world.ctx,
            world.actor(R.DATA_SCIENTIST),
            system.id,
            parse_suite(SUITE),
            lambda s: run_suite(s, tmp_path),
        )
    assert _events(world) == before
    assert validation.system_evidence(world.ctx, world.admin, system.id) == []
