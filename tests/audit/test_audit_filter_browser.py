"""Issue 23: the audit page's "who" and "which system" are found by typing, in a real browser
(Playwright, Chromium) against `charter serve` on the demo: the suggestions follow the typing
(htmx); a search by a person or a system finds their events only; a name nobody holds comes
back refused with the closest, the filter kept as typed; a role without the right to read
the trail is told which right and who holds it; axe-core clean; screenshots."""

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


def test_the_audit_trail_is_searched_by_typing_who_and_which_system(  # type: ignore[no-untyped-def]
    demo_page: DemoPage, axe
) -> None:
    url, people, password, page = demo_page
    # a data scientist may not read the trail: told which right and who holds it
    _sign_in(page, url, people["data_scientist"], password)
    page.goto(f"{url}/ui/audit")
    refused = _refusal(page)
    assert "may not audit read" in refused and "Amara Okafor" in refused, refused
    assert page.locator("#who").count() == 0
    page.get_by_role("button", name="Sign out").click()

    _sign_in(page, url, people["chief_ai_officer"], password)
    page.goto(f"{url}/ui/audit")
    expect(page.get_by_text("type a name, an e-mail or an id; empty: anyone")).to_be_visible()
    label = pick_suggestion(page, "who", "Liam", "Liam O'Connor (")
    assert page.locator("#who-list option").count() <= 20
    assert _audit_as_shown(page, axe) == {}
    _shot(page, "audit-who-picker")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"who=Liam"))
    rows = page.locator("table tbody tr")
    expect(rows.first).to_contain_text("Liam O'Connor")
    who = page.locator("table tbody tr td:nth-child(3)").all_inner_texts()
    assert who and set(who) == {"Liam O'Connor"}, who
    expect(page.locator("#who")).to_have_value(label)

    page.get_by_role("link", name="Clear").click()
    pick_suggestion(page, "system", "Retail Cr", "Retail Credit Scoring")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"system=Retail"))
    on = page.locator("table tbody tr td:nth-child(5)").all_inner_texts()
    assert on and all("Retail Credit Scoring" in cell for cell in on), on

    # a name nobody holds: refused with the closest, the filter kept as typed
    page.get_by_role("link", name="Clear").click()
    page.locator("#who").fill("Liam O'Conor")
    page.get_by_role("button", name="Search").click()
    refused = _refusal(page)
    assert "no person you may see is named 'Liam O'Conor'" in refused, refused
    assert "Liam O'Connor (" in refused, refused
    expect(page.locator("#who")).to_have_value("Liam O'Conor")
    expect(page.get_by_text("No event matches this search.")).to_be_visible()
    assert _audit_as_shown(page, axe) == {}
    _shot(page, "audit-who-refused")
