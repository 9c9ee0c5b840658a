"""The system page's evidence section in a real browser (Debian's Chromium driven by
Playwright) against `charter serve` on the demo: "Run a validation" opens the form in the
section itself, for those who may record evidence; a board member sees no form there and is
refused at the form's own address (the refusal naming the role and who holds it, the suite
kept as typed), the data scientist's run is recorded and heads the evidence history
(rows, suite, model version, "used by the gate"). axe-core at 1440 and 768 px; a screenshot."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.web.browsing import (
    BROWSING,
    _audit_as_shown,
    _refusal,
    _shot,
    _sign_in,
    axe,
    browser,
    served,
)

pytestmark = BROWSING
__all__ = ["axe", "browser", "served"]  # the fixtures, shared with the UI's browser tests
SUITE = """name: section-holdout
data: scored.csv
columns: {label: y, prediction: p}
checks:
  - {id: accuracy, metric: accuracy, min: 0.7}
"""


def _run(page: Any, system: str, scores: Path) -> None:
    page.goto(system)
    section = page.locator("#evidence")
    section.get_by_text("Run a validation", exact=True).click()
    section.get_by_label("Suite (YAML, required)").fill(SUITE)
    section.get_by_label("Scored data to upload (CSV or Parquet)").set_input_files(str(scores))
    section.get_by_role("button", name="Run the suite").click()


def test_a_validation_from_the_evidence_section(served, browser, axe, tmp_path) -> None:  # type: ignore[no-untyped-def]
    url, demo = served
    web = demo["sign_in"]["web"]
    people, password = web["people"], web["password"]
    scores = tmp_path / "scored.csv"
    scores.write_text("y,p\n" + "1,1\n0,0\n" * 40 + "1,0\n")  # 81 rows, accuracy 80/81
    context = browser.new_context(bypass_csp=True, viewport={"width": 1440, "height": 900})
    page = context.new_page()  # the CSP is bypassed only so that the audit script can run
    _sign_in(page, url, people["governance_board_member"], password)
    page.goto(f"{url}/ui/systems")
    page.get_by_role("link", name="Credit Line Review", exact=True).first.click()
    page.wait_for_url(re.compile(r".*/ui/systems/sys_[^/#?]+$"))
    system = str(page.url)
    assert page.locator("#evidence").get_by_text("Run a validation", exact=True).count() == 0
    page.goto(f"{system}/validations/new")  # the form by its address: refused all the same
    page.get_by_label("Suite (YAML, required)").fill(SUITE)
    page.get_by_label("Scored data to upload (CSV or Parquet)").set_input_files(str(scores))
    page.get_by_role("button", name="Run the suite").click()
    refused = _refusal(page)
    assert "needs the role" in refused and "Farid" in refused, refused
    assert page.get_by_label("Suite (YAML, required)").input_value() == SUITE  # kept
    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, url, people["data_scientist"], password)
    _run(page, system, scores)
    expect(page.locator(".flash")).to_contain_text(
        "evidence recorded from section-holdout: 81 rows"
    )
    first = page.locator("#evidence table").first.locator("tbody tr").first
    cells = first.locator("td").all_inner_texts()
    assert cells[1] == "section-holdout" and cells[2] == "81" and cells[3] == "not recorded"
    page.locator("#evidence").get_by_text("Run a validation", exact=True).click()  # opened
    page.locator("#evidence").scroll_into_view_if_needed()
    assert _audit_as_shown(page, axe) == {}
    _shot(page, "system-evidence-section")
    context.close()
