"""Issue 23: a meeting's motion names what it decides by typing among the body's agenda, in a
real browser (Playwright, Chromium) against `charter serve` on the demo: the suggestions
follow the typing (htmx); a subject off the agenda comes back refused with the closest, the
motion kept as typed; someone who does not clerk the meeting has no motion form; axe-core
clean; screenshots."""

from __future__ import annotations

import re
import time

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
    type_to_pick,
)

pytestmark = BROWSING
__all__ = ["axe", "browser", "demo_page", "served"]  # the fixtures this module uses
ITEM = "HR Attrition Prediction: proposed → assessed (risk screening)"


def test_a_motion_s_subject_is_typed_among_the_agenda(demo_page: DemoPage, axe) -> None:  # type: ignore[no-untyped-def]
    url, people, password, page = demo_page
    _sign_in(page, url, people["governance_board_member"], password)
    page.get_by_role("link", name="Bodies").click()
    page.get_by_role("link", name="AI Governance Board").click()
    page.get_by_label("Schedule a meeting (date and time)").fill(
        time.strftime("%Y-%m-%dT%H:%M", time.gmtime())
    )
    page.get_by_role("button", name="Schedule").click()
    for name in ("Uma Patel", "Wendy Zhou", "Maya Lindqvist", "Amara Okafor"):
        page.get_by_label(name).check()
    page.get_by_role("button", name="Record attendance").click()
    expect(page.locator(".flash")).to_contain_text("the meeting may decide")
    meeting = page.url
    subject = page.get_by_label("Which (for a transition, use case or risk)")
    expect(page.get_by_text("type its title on the body's agenda")).to_be_visible()
    type_to_pick(subject, "HR Attr")
    first = page.locator("#subject_id-list option").first
    expect(first).to_have_attribute("value", ITEM)
    assert _audit_as_shown(page, axe) == {}
    _shot(page, "meeting-subject-picker")

    # a subject off the agenda: refused with the closest, the motion kept as typed
    subject.fill("HR Attrition Prediction: retired")
    page.get_by_label("What it decides").select_option("transition")
    page.get_by_label("Title (required)").fill("Risk screening of attrition prediction")
    page.get_by_label("Reason (required)").fill("Screened as high-risk")
    page.get_by_role("button", name="Put the motion to the vote").click()
    refused = _refusal(page)
    assert "no agenda item you may see is named" in refused and ITEM in refused, refused
    expect(subject).to_have_value("HR Attrition Prediction: retired")
    expect(page.get_by_label("Title (required)")).to_have_value(
        "Risk screening of attrition prediction"
    )
    assert _audit_as_shown(page, axe) == {}
    _shot(page, "meeting-subject-refused")
    page.get_by_role("button", name="Sign out").click()

    # someone who does not clerk the meeting puts no motion to the vote
    _sign_in(page, url, people["data_scientist"], password)
    page.goto(meeting)
    expect(page.get_by_role("heading", name=re.compile("meeting of"))).to_be_visible()
    assert page.get_by_label("Which (for a transition, use case or risk)").count() == 0
