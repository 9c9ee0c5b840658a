"""Documents from records on a small organisation (both databases): drafts, the refusal of
a final with a mandated item empty, sections in versions, a final recorded with its SHA-256
and attached as a governed document; no figure without a record."""

from __future__ import annotations

import hashlib
import json

import pytest

from charter.kernel.errors import Conflict, Forbidden, InvalidInput
from charter.kernel.roles import RoleKind as R
from charter.reports.domain.documents import fact, figure, fill
from charter.reports.files import KINDS, field_map, field_maps
from charter.reports.services import documents, sections, submissions
from tests.factory import World

CARD_SECTIONS = {"out-of-scope": "Not for credit limits.", "limitations": "Small groups."}


def test_every_field_map_item_resolves_to_a_record_evidence_or_a_section() -> None:
    from charter.reports.domain import org_facts, system_facts

    known = set(system_facts.RESOLVERS) | set(org_facts.RESOLVERS)
    assert set(field_maps()) == set(KINDS)
    for fmap in field_maps().values():
        for item in fmap.items():
            assert item.origins, item.id
            if {"record", "evidence"} & set(item.origins):
                assert item.field in known, (fmap.kind, item.id, item.field)
            if "section" in item.origins:
                assert item.guidance or not item.mandatory or fmap.kind == "eu-registration", (
                    item.id
                )


def test_a_figure_without_a_record_is_refused() -> None:
    with pytest.raises(InvalidInput, match="a figure without a record"):
        figure("accuracy", 0.91, "")
    with pytest.raises(InvalidInput, match="a fact without a record"):
        fact("owner", "Ada", " ")
    fmap = field_map("model-card")
    resolved = {f: [] for f in fmap.fields()}
    resolved["evidence.validation"] = [figure("accuracy", 0.9, "evidence ev_1")]
    object.__setattr__(resolved["evidence.validation"][0], "source", "")
    with pytest.raises(InvalidInput, match="a figure without a record"):
        fill(fmap, ("sys", "S"), __import__("datetime").datetime.now(), resolved, {})


def test_a_final_is_refused_while_a_mandated_item_is_empty(world: World) -> None:
    system = world.system()
    caio = world.actor(R.CHIEF_AI_OFFICER)
    draft = documents.build(world.ctx, caio, "model-card", system.id)
    missing = [i.id for i in draft.missing]
    assert {"out-of-scope", "limitations", "metrics"} <= set(missing)
    with pytest.raises(Conflict, match="cannot be final") as refused:
        documents.issue(world.ctx, caio, "model-card", system.id)
    assert refused.value.details["missing"] == missing
    assert documents.issued_for(world.ctx, caio, system.id) == []


def test_sections_are_versioned_and_the_latest_counts(world: World) -> None:
    system = world.system()
    ds = world.actor(R.DATA_SCIENTIST)
    sections.write_sections(world.ctx, ds, "model-card", system.id, {"limitations": "v1"})
    sections.write_sections(world.ctx, ds, "model-card", system.id, {"limitations": "v1"})
    sections.write_sections(world.ctx, ds, "model-card", system.id, {"limitations": "v2"})
    history = sections.section_history(world.ctx, ds, "model-card", system.id, "limitations")
    assert [(s.version, s.text) for s in history] == [(2, "v2"), (1, "v1")]
    report = documents.build(world.ctx, ds, "model-card", system.id)
    item = next(i for p in report.parts for i in p.items if i.spec.id == "limitations")
    assert item.section is not None and item.section.text == "v2"
    with pytest.raises(InvalidInput, match="not a section of model-card") as bad:
        sections.write_sections(
            world.ctx,
            ds,
            "model-card",
            system.id,
            {"metrics": "x", "nope": "y", "limitations": "z" * 20_001},
        )
    assert len(bad.value.details["problems"]) == 3
    with pytest.raises(Forbidden):
        sections.write_sections(
            world.ctx, world.actor(R.AUDITOR), "model-card", system.id, {"limitations": "v3"}
        )


def test_a_board_pack_is_issued_recorded_with_its_digest(world: World) -> None:
    caio = world.actor(R.CHIEF_AI_OFFICER)
    sections.write_sections(
        world.ctx, caio, "board-pack", "organisation", {"commentary": "Note the blocked gates."}
    )
    issued = documents.issue(world.ctx, caio, "board-pack", "organisation")
    assert issued.pdf.startswith(b"%PDF")
    assert issued.pdf_sha256 == hashlib.sha256(issued.pdf).hexdigest()
    with world.ctx.uow() as uow:
        event = uow.audit.for_entity("organisation", "organisation")[-1].body()
    assert event["action"] == "report.issued"
    assert event["data"]["pdf_sha256"] == issued.pdf_sha256
    assert event["data"]["data_sha256"] == issued.data_sha256
    assert documents.get_issued(world.ctx, caio, issued.id).data == json.loads(
        json.dumps(issued.data)
    )
    with pytest.raises(InvalidInput, match="not sent anywhere"):
        submissions.record_submission(world.ctx, caio, issued.id, "EU database", "X-1")
