"""Every document type on the demo organisation: golden files of where each item comes from
and what is missing (the field map's completeness on real records), the data's figures with
their records, and the PDF: pages rendered to images (pdftoppm) that are not blank, text
(pdftotext) holding the key figures, DRAFT on every page of a draft."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from charter.incidents import services as incidents
from charter.reports.charts import DocumentRenderer
from charter.reports.domain.documents import Report
from charter.reports.services import documents, sections
from charter.risks.services.views import risk_summary
from charter.validation import services as validation
from charter.validation.domain.suite import parse_suite
from charter.validation.engines.runner import run_suite
from tests.reports.conftest import Built

pytestmark = pytest.mark.slow
GOLDEN = Path(__file__).parent / "golden"
UNDER_CI = os.environ.get("CI", "").lower() == "true"
SUBJECTS = {
    "annex-iv": "credit",
    "fria": "credit",
    "model-card": "credit",
    "eu-registration": "credit",
    "pmm-plan": "credit",
    "ll144-summary": "cv",
    "iso42001-review": None,
    "board-pack": None,
}


def _shape(report: Report) -> dict[str, Any]:
    return {
        "items": {i.spec.id: i.origin or None for p in report.parts for i in p.items},
        "missing": [i.id for i in report.missing],
    }


@pytest.fixture(scope="module")
def aedt(built: Built) -> str:
    """The CV screening tool, tagged an AEDT, with a bias audit of the demo's scored data."""
    from charter.inventory import services as inventory

    demo = built.demo
    cv = demo.ids["cv"]
    inventory.update_system(demo.ctx, demo.actor("amara"), cv, tags=["recruitment", "aedt"])
    suite = parse_suite(
        {
            "name": "ll144-audit",
            "data": "scored.csv",
            "columns": {"prediction": "prediction", "protected": ["sex", "age_group"]},
            "checks": [{"id": "ir-sex", "metric": "impact_ratio", "over": ["sex"], "min": 0}],
        }
    )
    validation.validate(
        demo.ctx, demo.actor("amara"), cv, suite, lambda s: run_suite(s, built.data)
    )
    return cv


def _subject(built: Built, kind: str) -> str:
    key = SUBJECTS[kind]
    return built.demo.ids[key] if key else "organisation"


@pytest.mark.parametrize("kind", list(SUBJECTS))
def test_golden_data_of_each_document_type(built: Built, aedt: str, kind: str) -> None:
    report = documents.build(built.demo.ctx, built.demo.actor("amara"), kind, _subject(built, kind))
    shape = _shape(report)
    path = GOLDEN / f"{kind}.json"
    if os.environ.get("CHARTER_WRITE_GOLDEN"):
        path.write_text(json.dumps(shape, indent=1, sort_keys=True) + "\n")
    assert shape == json.loads(path.read_text())
    for part in report.data()["parts"]:
        for item in part["items"]:
            for f in item["facts"]:
                assert f["source"], (kind, item["id"], f)
                if "number" in f and f["source"].startswith("evidence"):
                    assert f["fingerprint"].startswith("blake3"), f


def _tools() -> None:
    if not (shutil.which("pdftoppm") and shutil.which("pdftotext")):
        if UNDER_CI:
            pytest.fail("pdftoppm and pdftotext are needed (poppler-utils; .ci/run installs it)")
        pytest.skip("pdftoppm and pdftotext are needed (apt-get install poppler-utils)")


def _pages(pdf: bytes, folder: Path) -> tuple[list[Path], list[str]]:
    source = folder / "doc.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(source), str(folder / "p")], check=True)
    text = subprocess.run(
        ["pdftotext", "-layout", str(source), "-"], check=True, capture_output=True, text=True
    ).stdout
    return sorted(folder.glob("p-*.png")), text.split("\f")[:-1]


def _inked(png: Path) -> bool:
    with Image.open(png) as image:
        low, _ = image.convert("L").getextrema()
    return low < 128  # some dark pixels: text was drawn


def test_a_draft_pdf_shows_draft_on_every_page_and_its_figures(
    built: Built, tmp_path: Path
) -> None:
    _tools()
    demo = built.demo
    report, pdf = documents.draft_pdf(demo.ctx, demo.actor("amara"), "annex-iv", demo.ids["credit"])
    images, pages = _pages(pdf, tmp_path)
    assert len(images) == len(pages) >= 3
    assert all(_inked(p) for p in images)
    assert all("DRAFT" in page for page in pages)
    text = " ".join(" ".join(p.split()) for p in pages)
    assert "Missing (" in text
    evidence = demo.evidence[0]
    accuracy = next(r for r in evidence.results if r.metric == "accuracy")
    assert f"{accuracy.value:.4g}" in text and evidence.id in text
    assert all(i.id in text for i in report.missing)


def test_a_final_model_card_holds_its_figures_and_no_draft_mark(
    built: Built, tmp_path: Path
) -> None:
    _tools()
    demo = built.demo
    credit, caio = demo.ids["credit"], demo.actor("amara")
    sections.write_sections(
        demo.ctx,
        caio,
        "model-card",
        credit,
        {
            "out-of-scope": "Not for business lending.",
            "limitations": "Few applicants under 25.",
        },
    )
    issued = documents.issue(demo.ctx, caio, "model-card", credit)
    images, pages = _pages(issued.pdf, tmp_path)
    assert images and all(_inked(p) for p in images)
    text = " ".join(" ".join(p.split()) for p in pages)
    assert "DRAFT" not in text and "Few applicants under 25." in text
    assert "by Amara Okafor" in text  # a section's author by name, not by id
    for result in demo.evidence[0].results:
        if result.value is not None:
            assert f"{result.value:.4g}" in text, result.check_id
    assert issued.document_id is not None  # attached as a governed document
    with demo.ctx.uow() as uow:
        doc = uow.documents.get(issued.document_id)
    assert doc is not None and doc.kind == "model_card" and issued.id in doc.uri


def _shown(html: str) -> str:
    """The text of an HTML rendering, as a reader sees it."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_board_pack_holds_the_risk_register_and_the_incidents(
    built: Built, tmp_path: Path
) -> None:
    _tools()
    demo = built.demo
    caio = demo.actor("amara")
    summary = risk_summary(demo.ctx, caio)
    found = incidents.list_incidents(demo.ctx, caio)
    assert summary.above_appetite and summary.accepted and summary.overdue and found
    report, pdf = documents.draft_pdf(demo.ctx, caio, "board-pack", "organisation")
    _, pages = _pages(pdf, tmp_path)
    printed = " ".join(" ".join(p.split()) for p in pages)
    page = _shown(DocumentRenderer().html(report, draft=True))
    named = [p.risk.id for p in (*summary.above_appetite, *summary.accepted, *summary.overdue)]
    named += [c.control.id for c in summary.failing_controls]
    for text in (page, printed):
        assert "Risks" in text and "Incidents" in text
        assert f"Open risks {summary.open}" in text
        assert all(n in text for n in named), [n for n in named if n not in text]
        assert summary.accepted[0].acceptance is not None
        assert f"accepted until {summary.accepted[0].acceptance.expires_at:%Y-%m-%d}" in text
        for incident, system in found:
            assert incident.id in text and system.name in text
            assert incident.deadline_basis and incident.deadline_basis in text
        assert "Open risks by band" in text  # the chart's caption
    assert f"Above appetite and not accepted {len(summary.above_appetite)}" in page
    assert f"Reviews overdue {len(summary.overdue)}" in page
    assert "not yet recorded" not in page
