"""What the reports routes answer is the shape the OpenAPI document declares for them (the
route functions called as the server calls them, their answers checked against the served
document's schemas), on both databases."""

from __future__ import annotations

import asyncio
from typing import Any

import jsonschema

from charter.kernel.roles import RoleKind as R
from charter.reports import api
from charter.web.app import create_app
from tests.factory import World


def _declared(path: str, method: str = "get") -> dict[str, Any]:
    document = create_app(None).openapi()  # type: ignore[arg-type]
    answers = document["paths"][f"/api/v1{path}"][method]["responses"]
    ok = next(a for s, a in answers.items() if s.startswith("2"))
    return {**ok["content"]["application/json"]["schema"], "components": document["components"]}


def _holds(answer: Any, path: str, method: str = "get") -> None:
    jsonschema.validate(answer, _declared(path, method))


def test_each_document_route_answers_its_declared_shape(world: World) -> None:
    system, caio = world.system().id, world.actor(R.CHIEF_AI_OFFICER)
    _holds(api.report_types(caio), "/report-types")
    _holds(api.draft(world.ctx, caio, system, "model-card"), "/reports/{subject_id}/{kind}")
    body = api.SectionsIn(sections={"commentary": "Note the blocked gates."})
    saved = api.write(world.ctx, caio, "organisation", "board-pack", body)
    assert len(saved["saved"]) == 1
    _holds(saved, "/reports/{subject_id}/{kind}/sections", "put")
    issued = asyncio.run(api.issue(world.ctx, caio, "organisation", "board-pack"))
    _holds(issued, "/reports/{subject_id}/{kind}/final", "post")
    _holds(api.get_issued(world.ctx, caio, issued["id"]), "/issued-reports/{report_id}")
    _holds(api.issued(world.ctx, caio, "organisation"), "/reports/{subject_id}")


def test_a_shape_that_breaks_the_declaration_is_caught(world: World) -> None:
    caio = world.actor(R.CHIEF_AI_OFFICER)
    answer = api.draft(world.ctx, caio, world.system().id, "model-card")
    del answer["parts"][0]["items"][0]["facts"]
    try:
        _holds(answer, "/reports/{subject_id}/{kind}")
    except jsonschema.ValidationError as refused:
        assert "facts" in refused.message
    else:
        raise AssertionError("an item without its facts passed the declared shape")
