"""The Python example of docs/strategy.md, run as written against a real app."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from charter.frameworks.files import classification_data
from charter.kernel.roles import RoleKind as R
from charter.strategy.services import intake as strategy
from charter.strategy.services import kpis
from charter.web.app import create_app
from tests.factory import World

DOC = Path(__file__).resolve().parents[2] / "docs" / "strategy.md"


def _example() -> dict[str, Any]:
    code = re.search(r"```python\n(.*?)```", DOC.read_text(), re.S)
    assert code, "docs/strategy.md lost its Python example"
    namespace: dict[str, Any] = {}
    exec(compile(code.group(1), str(DOC), "exec"), namespace)
    return namespace


def test_the_documented_pipeline_records_and_reads_alerts(world: World) -> None:
    objective = strategy.create_objective(world.ctx, world.actor(R.CHIEF_AI_OFFICER), "Grow")
    use_case, _ = strategy.submit_use_case(
        world.ctx, world.actor(R.AI_CHAMPION), classification_data(), title="Chatbot",
        objective_id=objective.id, business_unit_id=world.unit.id,
    )  # fmt: skip
    kpi = kpis.define_kpi(
        world.ctx, world.actor(R.PROGRAM_MANAGER), name="Containment", unit="%",
        direction="increase", target=50.0, owner_id=world.people[R.PROGRAM_MANAGER].id,
        use_case_id=use_case.id, alert_after=2,
    )  # fmt: skip
    with TestClient(create_app(world.ctx)) as client:
        alerts = _example()["record_and_check"](client, world.tokens[R.ML_ENGINEER], kpi.id)
    assert [(a["kpi_id"], a["missed"]) for a in alerts] == [(kpi.id, 2)]
