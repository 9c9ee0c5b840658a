"""The risk register in a real browser (Debian's Chromium driven by Playwright) against
`charter serve` on the demo: the chief AI officer registers a risk and links a control to a
validation check; the heat map moves when the check passes, and back when a new run fails
(recorded by `charter validate`, a real process); the board accepts the risk in a meeting
with quorum; the pages pass axe-core's WCAG 2.1 AA rules."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.test_browser import AUDIT, _shot, _sign_in, axe, browser, served

pytestmark = [pytest.mark.browser, pytest.mark.slow]
__all__ = ["axe", "browser", "served"]  # the fixtures, shared with the UI's browser tests

TITLE = "Offers to customers the model misjudges"
SUITE = """name: accuracy-recheck
data: scored.csv
columns: {label: y, prediction: p}
checks:
  - {id: accuracy, metric: accuracy, min: 0.65}
"""


def _residual_cell(page: Any, url: str) -> str:
    page.goto(f"{url}/ui/risks")
    return str(page.locator('[data-cell="residual-5-5"]').inner_text()).split()[0]


def _failing_run(demo: dict[str, Any], system_id: str, folder: Path) -> None:
    """A new validation run in which the accuracy check fails, recorded by the CLI."""
    (folder / "suite.yaml").write_text(SUITE)
    (folder / "scored.csv").write_text("y,p\n1,0\n0,1\n1,0\n0,0\n")
    cli_env = demo["sign_in"]["cli"].split(" charter ")[0]
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHARTER_")}
    env |= dict(pair.split("=", 1) for pair in cli_env.split())
    done = subprocess.run(
        [sys.executable, "-m", "charter", "validate", str(folder / "suite.yaml"), "--system",
         system_id, "--as", "amara.okafor@northwind.example", "--json"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr  # a blocking check not satisfied


def _register(page: Any, url: str) -> str:
    page.get_by_role("link", name="Risks", exact=True).click()
    expect(page.get_by_role("heading", name="Risk register")).to_be_visible()
    assert _residual_cell(page, url) == "critical"  # nothing there yet: only the band's name
    page.get_by_label("Title (required)").fill(TITLE)
    page.get_by_label("Category", exact=True).select_option("MIT.7.3")
    page.get_by_label("System", exact=True).fill("Pre-approved Offers")  # typed: a picker
    page.get_by_label("Cause (required)").fill("Eligibility scored on a model that drifts")
    page.get_by_label("Consequence (required)").fill("Unaffordable credit marketed")
    page.get_by_label("inherent likelihood").select_option("5")
    page.get_by_label("inherent impact").select_option("5")
    page.get_by_label("residual (controls working) likelihood").select_option("1")
    page.get_by_label("residual (controls working) impact").select_option("1")
    page.get_by_role("button", name="Register the risk").click()
    expect(page.locator(".flash")).to_contain_text("registered")
    assert page.locator("#standing").inner_text() == "above"  # no control: inherent
    return str(page.url)


def test_register_control_heat_map_and_the_boards_acceptance(  # type: ignore[no-untyped-def]
    served, browser, tmp_path: Path
) -> None:
    url, demo = served
    web = demo["sign_in"]["web"]
    people, password = web["people"], web["password"]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _sign_in(page, url, people["chief_ai_officer"], password)
    risk_url = _register(page, url)
    assert _residual_cell(page, url) == "1"
    # a control tested by the accuracy check of the system's latest evidence (passing)
    page.goto(risk_url)
    page.get_by_label("Title (required)").fill("Hold-out accuracy at least 0.65")
    page.get_by_label("Check id (for a check)").fill("accuracy")
    page.get_by_role("button", name="Define and link the control").click()
    expect(page.locator(".flash")).to_contain_text("defined and linked")
    assert page.locator("#standing").inner_text() == "within"
    assert page.locator("#residual").inner_text() == "1\u00d71"
    _shot(page, "risk-control-effective")
    assert _residual_cell(page, url) == "critical"  # the risk left the cell
    # the check fails on a new run: the residual goes back to the inherent rating
    page.goto(risk_url)
    system_id = page.locator('a[href^="/ui/systems/sys_"]').first.get_attribute("href")
    _failing_run(demo, system_id.rsplit("/", 1)[1], tmp_path)
    assert _residual_cell(page, url) == "1"
    _shot(page, "risks-heat-map")
    page.goto(risk_url)
    assert page.locator("#standing").inner_text() == "above"
    expect(page.get_by_text("failing", exact=True).first).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    # the board, in a meeting with quorum, accepts it for 60 days on conditions
    _sign_in(page, url, people["governance_board_member"], password)
    page.get_by_role("link", name="Bodies").click()
    page.get_by_role("link", name="AI Governance Board").click()
    expect(page.get_by_text(f"Risk above appetite: {TITLE}")).to_be_visible()  # on the agenda
    page.get_by_label("Schedule a meeting (date and time)").fill(
        datetime.now(UTC).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_role("button", name="Schedule").click()
    for name in ("Uma Patel", "Wendy Zhou", "Maya Lindqvist", "Amara Okafor"):
        page.get_by_label(name).check()
    page.get_by_role("button", name="Record attendance").click()
    expect(page.locator(".flash")).to_contain_text("the meeting may decide")
    page.get_by_label("What it decides").select_option("risk")
    page.get_by_label("Which (for a transition, use case or risk)").fill(  # typed: a picker
        f"Risk above appetite: {TITLE} (residual critical, appetite high): accept it or "
        "ask for treatment"
    )
    page.get_by_label("Motion").select_option(label="accept (risk)")
    page.get_by_label("Title (required)").fill("Accept the offers accuracy risk")
    page.get_by_label("Reason (required)").fill("Retraining is under way")
    page.get_by_label("Conditions the body sets").fill("Weekly accuracy report to the board")
    lapse = (datetime.now(UTC) + timedelta(days=60)).strftime("%Y-%m-%d")
    page.get_by_label("Lapses on (at most a year ahead)").fill(lapse)
    for name in ("Uma Patel", "Maya Lindqvist", "Amara Okafor"):  # the votes as minuted
        page.get_by_label(name, exact=True).select_option(label="for")
    _shot(page, "meeting-risk-acceptance")
    page.get_by_role("button", name="Put the motion to the vote").click()
    expect(page.locator(".flash")).to_contain_text("open until the members named cast")
    assert not page.locator(".flash.error").count()
    meeting = page.url
    # each member casts their own vote; the last one carries it and the acceptance is made
    for who, outcome in (("chief_ai_officer", "open"), ("board_secretary", "carried")):
        voter = browser.new_page(viewport={"width": 1280, "height": 900})
        _sign_in(voter, url, people[who], password)
        voter.goto(meeting)
        voter.get_by_role("button", name="Cast my vote").click()
        expect(voter.locator(".flash")).to_contain_text(outcome)
        assert not voter.locator(".flash.error").count()
        voter.close()
    page.goto(meeting)
    expect(page.get_by_text("accepted the risk")).to_be_visible()  # the acceptance the vote made
    page.goto(risk_url)
    assert page.locator("#standing").inner_text() == "accepted"
    expect(page.get_by_text("Weekly accuracy report to the board")).to_be_visible()
    _shot(page, "risk-accepted")
    page.close()


def test_the_register_pages_pass_an_accessibility_audit(served, browser, axe) -> None:  # type: ignore[no-untyped-def]
    url, demo = served
    web = demo["sign_in"]["web"]
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()  # the CSP is bypassed only so that the audit script can run
    _sign_in(page, url, web["people"]["chief_ai_officer"], web["password"])
    page.goto(f"{url}/ui/risks")
    risk = page.locator('a[href^="/ui/risks/rsk_"]').first.get_attribute("href")
    system = page.locator('a[href^="/ui/systems/sys_"]').first.get_attribute("href")
    assess = (f"/ui/risk-assessments?subject=system&subject_id={system.rsplit('/', 1)[1]}"
              "&autonomy=human_in_the_loop&audience=consumers")  # fmt: skip
    violations = {}
    for path in ("/ui/risks", risk, "/ui/risks?standing=above&failing=true", assess):
        page.goto(url + path)
        page.add_script_tag(path=str(axe))
        violations[path] = page.evaluate(AUDIT)
    assert {p: v for p, v in violations.items() if v} == {}
    context.close()
