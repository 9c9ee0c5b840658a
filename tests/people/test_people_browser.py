"""Training completions, adoption figures and survey results recorded in a real browser
(Debian's Chromium driven by Playwright) against `charter serve` on the demo: refused to a
data scientist (the refusal naming the role and who holds it), recorded by the chief AI
officer; the pages, forms and refusals shown, pass axe-core at 1440 and 768 px."""

from __future__ import annotations

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


def _figures(page) -> None:  # type: ignore[no-untyped-def]
    form = page.locator("form[action='/ui/adoption/figures']")
    form.get_by_label("AI system").fill("Credit Line Review")
    form.get_by_label("Business unit").select_option(label="Retail Banking")
    form.get_by_label("Active users").fill("35")
    form.get_by_label("Eligible users").fill("80")
    form.get_by_role("button", name="Record the figures").click()


def test_training_adoption_and_surveys_by_those_who_may(served, browser, axe) -> None:  # type: ignore[no-untyped-def]
    url, demo = served
    web = demo["sign_in"]["web"]
    people, password = web["people"], web["password"]
    context = browser.new_context(bypass_csp=True, viewport={"width": 1440, "height": 900})
    page = context.new_page()  # the CSP is bypassed only so that the audit script can run
    for who, may in (("data_scientist", False), ("chief_ai_officer", True)):
        _sign_in(page, url, people[who], password)
        page.get_by_role("link", name="Talent", exact=True).click()
        page.get_by_label("Person", exact=True).fill("Farid Haddad")
        page.get_by_label("Evidence (certificate number or link)").fill("cert-2291")
        page.get_by_role("button", name="Record the completion").click()
        if may:
            expect(page.locator(".flash")).to_contain_text("training completion recorded")
        else:
            refused = _refusal(page)
            assert "needs the role" in refused and "Amara Okafor" in refused, refused
            kept = page.get_by_label("Evidence (certificate number or link)").input_value()
            person = page.get_by_label("Person", exact=True)
            assert kept == "cert-2291" and person.input_value() == "Farid Haddad"
            assert _audit_as_shown(page, axe) == {}
        page.get_by_role("link", name="Adoption", exact=True).click()
        _figures(page)
        if may:
            expect(page.locator(".flash")).to_contain_text("adoption figures for")
        else:
            refused = _refusal(page)
            assert "needs the role" in refused and "Amara Okafor" in refused, refused
            form = page.locator("form[action='/ui/adoption/figures']")
            assert form.get_by_label("Active users").input_value() == "35"  # kept as typed
            assert form.get_by_label("Eligible users").input_value() == "80"
            assert form.get_by_label("AI system").input_value() == "Credit Line Review"
            _shot(page, "form-adoption-refused")
            page.get_by_role("button", name="Sign out").click()
    survey = page.locator("form[action='/ui/adoption/surveys']")
    survey.get_by_label("Title (required)").fill("Autumn pulse")
    survey.get_by_label("Responses").fill("140")
    survey.get_by_label("Mean sentiment (1 to 5)").fill("3.8")
    survey.get_by_label("Concerns named, with counts").fill("cost: 9, job security: 4")
    survey.get_by_role("button", name="Record the survey").click()
    expect(page.locator(".flash")).to_contain_text("survey “Autumn pulse” recorded")
    expect(page.get_by_text("Autumn pulse").first).to_be_visible()
    assert _audit_as_shown(page, axe) == {}
    _shot(page, "form-survey-recorded")
    context.close()
