"""The EU AI Act questionnaire in a real browser (Debian's Chromium driven by Playwright)
against `charter serve` on the demo: refused to a data scientist (the refusal naming the role
and who holds it); answered by the ethics & compliance officer one question per page, an
empty answer refused with its words, left and resumed, back to an earlier answer, a summary,
then recorded and shown with its articles. Each page passes axe-core at 1440 and 768 px and
is photographed at 1440x900."""

from __future__ import annotations

import re
from typing import Any

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

#: what the officer ticks, by question (the words of the option); the others: No / None
ANSWERS = {
    "roles": "Provider",
    "schedule": "amended:",
    "ai_system": "Yes",
    "annex_iii": "Creditworthiness",
    "profiling": "Yes",
}


def _system_url(page: Any, url: str, name: str) -> str:
    page.goto(f"{url}/ui/systems")
    page.get_by_role("link", name=name, exact=True).first.click()
    page.wait_for_url(re.compile(r".*/ui/systems/sys_[^/#?]+$"))
    return str(page.url)


def _key(page: Any) -> str | None:
    found = page.locator("input[name='key']")
    return str(found.get_attribute("value")) if found.count() else None


def _answer(page: Any) -> None:
    """Tick the answer this question gets, then Next."""
    key = _key(page)
    wanted = ANSWERS.get(str(key))
    form = page.locator("form[action$='/classification/answers']")
    if wanted:
        form.get_by_label(wanted).first.check()
    elif form.locator("input[value='no']").count():
        form.get_by_label("No", exact=True).check()
    elif form.locator("input[value='none']").count():
        form.locator("input[value='none']").check()
    _next(page)


def _next(page: Any) -> None:
    """Next, and wait for the page it answers with."""
    key = _key(page)
    try:
        with page.expect_navigation(timeout=5000):
            page.get_by_role("button", name="Next").click()
    except Exception as exc:
        raise AssertionError(f"{key}: {page.inner_text('main')[:1500]}") from exc


def test_the_questionnaire_in_the_browser(demo_page: DemoPage, axe) -> None:  # type: ignore[no-untyped-def]
    url, people, password, page = demo_page
    _sign_in(page, url, people["data_scientist"], password)
    system = _system_url(page, url, "Credit Line Review")
    assert page.get_by_role("link", name="Answer the questionnaire").count() == 0
    page.goto(f"{system}/classification")
    refused = _refusal(page)
    assert "needs the role" in refused and "Liam" in refused, refused
    assert _audit_as_shown(page, axe) == {}
    _shot(page, "classify-refused")
    page.get_by_role("button", name="Sign out").click()

    _sign_in(page, url, people["ethics_compliance_officer"], password)
    page.goto(system)
    page.get_by_role("link", name="Answer the questionnaire").click()
    expect(page.get_by_text("Question 1 of")).to_be_visible()
    assert _key(page) == "roles"
    _next(page)  # nothing ticked
    assert "tick the points that apply" in _refusal(page)
    assert _audit_as_shown(page, axe) == {}
    _answer(page)  # roles
    assert _key(page) == "schedule"
    page.goto(system)  # leave, and come back
    page.get_by_role("link", name="Resume the questionnaire").click()
    assert _key(page) == "schedule"  # where it stopped
    page.get_by_role("link", name="Previous question").click()
    assert page.get_by_label("Provider").is_checked()  # the answer kept
    _next(page)
    for _ in range(40):
        if _key(page) is None:
            break
        if _key(page) == "derogation":
            expect(
                page.get_by_text("A system that profiles people is always high-risk")
            ).to_be_visible()
            expect(page.get_by_role("link", name="AI Act Art. 6(3)(a)")).to_be_visible()
            assert _audit_as_shown(page, axe) == {}
            _shot(page, "classify-step-derogation")
        _answer(page)
    expect(page.get_by_role("heading", name="Your answers")).to_be_visible()
    assert page.locator("#h-would").inner_text().endswith(": high")
    assert _audit_as_shown(page, axe) == {}
    _shot(page, "classify-summary")
    page.get_by_role("button", name="Record the classification").click()
    expect(page.locator(".flash")).to_contain_text("classified")
    expect(
        page.get_by_role("heading", name="Why: each step and the article it rests on")
    ).to_be_visible()
    assert _audit_as_shown(page, axe) == {}
    _shot(page, "classify-result")
