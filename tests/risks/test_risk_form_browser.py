"""Issue 23: the register's new-risk form finds its system and owner by typing, in a real
browser (Playwright, Chromium) against `charter serve` on the demo: the suggestions follow the
typing (htmx); an owner nobody is named is refused with the closest, the form kept as typed;
a role without the right to register risks is told which right and who holds it; axe-core
clean; screenshots."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.web.browsing import (
    BROWSING,
    DemoPage,
    _audit_as_shown,
    _refusal,
    _shot,
    _sign_in,
    axe,
    browser,
    demo_page,
    pick_suggestion,
    served,
)

pytestmark = BROWSING
__all__ = ["axe", "browser", "demo_page", "served"]  # the fixtures this module uses


def test_a_risk_s_system_and_owner_are_typed_in_the_register_form(  # type: ignore[no-untyped-def]
    demo_page: DemoPage, axe
) -> None:
    url, people, password, page = demo_page
    # a data scientist may read the register but not add to it: told which right, who holds it
    _sign_in(page, url, people["data_scientist"], password)
    page.goto(f"{url}/ui/risks#register")
    told = page.locator("#register + p")
    expect(told).to_contain_text("may not risk manage: this needs the role")
    expect(told).to_contain_text("Amara Okafor")
    assert page.locator("#r-owner").count() == 0
    page.get_by_role("button", name="Sign out").click()

    _sign_in(page, url, people["ethics_compliance_officer"], password)
    page.goto(f"{url}/ui/risks#register")
    expect(page.locator("#r-owner")).to_have_value(re.compile(r"^Liam O'Connor \("))
    expect(page.get_by_text("type a name, an e-mail or an id", exact=True)).to_be_visible()
    pick_suggestion(page, "r-system", "Retail Cr", "Retail Credit Scoring")
    page.get_by_label("Title (required)").fill("Scores drift after a rate change")
    page.get_by_label("Cause (required)").fill("applicant mix shifts")
    page.get_by_label("Consequence (required)").fill("credit granted on stale scores")
    page.locator("#r-owner").fill("Nobody Of That Name")
    page.get_by_role("button", name="Register the risk").click()
    refused = _refusal(page)
    assert "owner: no person you may see is named 'Nobody Of That Name'" in refused, refused
    expect(page.locator("#r-title")).to_have_value("Scores drift after a rate change")
    expect(page.locator("#r-system")).to_have_value("Retail Credit Scoring")
    expect(page.locator("#r-owner")).to_have_value("Nobody Of That Name")
    assert _audit_as_shown(page, axe) == {}
    _shot(page, "risk-form-refused")

    owner = pick_suggestion(page, "r-owner", "Amar", "Amara Okafor (")
    assert _audit_as_shown(page, axe) == {}
    page.locator("#r-owner").scroll_into_view_if_needed()
    _shot(page, "risk-form-owner-picker")
    page.get_by_role("button", name="Register the risk").click()
    expect(page.locator(".flash").first).to_contain_text("registered Scores drift")
    expect(page.get_by_role("heading", name="Scores drift after a rate change")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("^Owner"))).to_contain_text(
        owner.rsplit(" (", 1)[0]
    )

    # the assessment's proposals: each one's owner typed the same way
    system = page.locator('a[href^="/ui/systems/sys_"]').first.get_attribute("href")
    ident = str(system).rsplit("/", 1)[1]
    page.goto(f"{url}/ui/risk-assessments?subject=system&subject_id={ident}"
              "&autonomy=autonomous&audience=public&personal_data=true")  # fmt: skip
    first = page.locator('input[id^="owner-"]').first
    expect(first).to_have_value(re.compile(r"^Liam O'Connor \("))
    field = str(first.get_attribute("id"))
    pick_suggestion(page, field, "Amar", "Amara Okafor (")
    assert _audit_as_shown(page, axe) == {}
    _shot(page, "risk-assessment-owner-picker")
