"""Running a validation suite from a system's page in a real browser (Debian's Chromium driven
by Playwright) against `charter serve` on the demo: refused to a board member (the refusal
naming the role and who holds it, the suite kept as typed), run by the chief AI officer on an
uploaded file, the evidence shown on the system's page; axe-core clean at 1440 and 768 px."""

from __future__ import annotations

from pathlib import Path

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

SUITE = """name: complaint-routing-accuracy
data: scored.csv
columns: {label: y, prediction: p}
checks:
  - {id: accuracy, metric: accuracy, min: 0.7}
"""


def test_a_suite_run_on_an_uploaded_file_by_those_who_may(
    served, browser, axe, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    url, demo = served
    web = demo["sign_in"]["web"]
    people, password = web["people"], web["password"]
    scored = tmp_path / "scored.csv"
    scored.write_text("y,p\n" + "1,1\n0,0\n1,1\n0,1\n" * 25)  # 100 rows, accuracy 0.75
    context = browser.new_context(bypass_csp=True, viewport={"width": 1440, "height": 900})
    page = context.new_page()  # the CSP is bypassed only so that the audit script can run
    _sign_in(page, url, people["chief_ai_officer"], password)
    page.get_by_role("link", name="Inventory").click()
    page.get_by_role("link", name="Credit Line Review").click()
    system_url = page.url
    page.get_by_role("link", name="Run a validation suite").click()
    run_url = page.url
    page.get_by_role("button", name="Sign out").click()

    # a board member: refused, told who may
    _sign_in(page, url, people["governance_board_member"], password)
    page.goto(system_url)
    assert page.get_by_role("link", name="Run a validation suite").count() == 0
    page.goto(run_url)
    page.get_by_label("Suite (YAML, required)").fill(SUITE)
    page.get_by_label("Scored data to upload (CSV or Parquet)").set_input_files(str(scored))
    page.get_by_role("button", name="Run the suite").click()
    refused = _refusal(page)
    assert "needs the role" in refused and "Amara Okafor" in refused, refused
    assert "complaint-routing-accuracy" in page.get_by_label("Suite (YAML, required)").input_value()
    assert _audit_as_shown(page, axe) == {}
    _shot(page, "form-validation-refused")
    page.get_by_role("button", name="Sign out").click()

    _sign_in(page, url, people["chief_ai_officer"], password)
    page.goto(run_url)
    page.get_by_label("Suite (YAML, required)").fill(SUITE)
    page.get_by_label("Scored data to upload (CSV or Parquet)").set_input_files(str(scored))
    page.get_by_role("button", name="Run the suite").click()
    expect(page.locator(".flash")).to_contain_text(
        "evidence recorded from complaint-routing-accuracy: 100 rows"
    )
    assert page.url.startswith(system_url) and page.url.endswith("#evidence")
    expect(
        page.locator("#evidence").get_by_text("complaint-routing-accuracy").first
    ).to_be_visible()
    _shot(page, "form-validation-recorded")
    context.close()
