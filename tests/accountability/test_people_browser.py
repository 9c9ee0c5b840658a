"""Adding a business unit and a person from the people page in a real browser (Debian's
Chromium driven by Playwright) against `charter serve` on the demo: refused to a data
scientist (the refusal naming the role and who holds it, nothing typed lost), done by the
chief AI officer, who then grants the new person a role; axe-core clean at 1440 and 768 px."""

from __future__ import annotations

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
    served,
)

pytestmark = BROWSING
__all__ = ["axe", "browser", "demo_page", "served"]  # the fixtures this module uses


def test_people_and_units_added_by_those_who_may(demo_page: DemoPage, axe) -> None:  # type: ignore[no-untyped-def]
    url, people, password, page = demo_page
    for who, may in (("data_scientist", False), ("chief_ai_officer", True)):
        _sign_in(page, url, people[who], password)
        page.get_by_role("link", name="People", exact=True).click()
        page.get_by_text("Add a business unit").click()
        page.get_by_label("Name (required)").first.fill("Motor Claims")
        page.get_by_role("button", name="Add the unit").click()
        if not may:
            refused = _refusal(page)
            assert "needs the role" in refused and "Amara Okafor" in refused, refused
            assert page.locator("#unit-name").input_value() == "Motor Claims"
            assert _audit_as_shown(page, axe) == {}
            _shot(page, "form-unit-refused")
            page.get_by_role("button", name="Sign out").click()
    expect(page.locator(".flash")).to_contain_text("business unit Motor Claims is added")
    expect(page.get_by_role("cell", name="Motor Claims")).to_be_visible()
    page.get_by_text("Add a person").click()
    page.locator("#person-name").fill("Noor Haddad")
    page.get_by_label("E-mail (required)").fill("noor.haddad@northwind.example")
    page.get_by_label("Job title").fill("Claims lead")
    page.get_by_label("Business unit", exact=True).select_option(label="Motor Claims")
    page.get_by_role("button", name="Add the person").click()
    expect(page.locator(".flash")).to_contain_text("Noor Haddad is added")
    assert _audit_as_shown(page, axe) == {}
    page.locator("#person_id").fill("Noor Haddad")
    page.locator("#role").select_option(label="AI champion")
    page.locator("#unit_id").select_option(label="Motor Claims")
    page.get_by_role("button", name="Grant").click()
    expect(page.locator(".flash")).to_contain_text("AI champion granted")
    expect(page.get_by_role("button", name="Revoke AI champion from Noor Haddad")).to_be_visible()
    _shot(page, "form-person-added")
