"""Issue 23: a risk's "link an existing control" field finds the control by typing, in a real
browser (Playwright, Chromium) against `charter serve` on the demo: the suggestions follow the
typing (htmx) among the controls the risk may be linked to; a title no such control has is
refused, the field kept as typed; who may not manage risks has no such field; axe-core clean;
screenshots."""

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
    pick_suggestion,
    served,
)

pytestmark = BROWSING
__all__ = ["axe", "browser", "demo_page", "served"]  # the fixtures this module uses

#: a demo risk of the credit scoring system with no control yet
RISK = "Application data used beyond its purpose"


def _open_risk(page: object, url: str) -> None:
    page.goto(f"{url}/ui/risks")  # type: ignore[attr-defined]
    page.get_by_role("link", name=RISK).first.click()  # type: ignore[attr-defined]
    expect(page.get_by_role("heading", name=RISK)).to_be_visible()  # type: ignore[attr-defined]


def test_a_control_is_linked_to_a_risk_by_typing_its_title(  # type: ignore[no-untyped-def]
    demo_page: DemoPage, axe
) -> None:
    url, people, password, page = demo_page
    _sign_in(page, url, people["data_scientist"], password)
    _open_risk(page, url)
    assert page.locator("#l-control").count() == 0  # may read the risk, not link controls
    page.get_by_role("button", name="Sign out").click()

    _sign_in(page, url, people["ethics_compliance_officer"], password)
    _open_risk(page, url)
    field = page.get_by_label("Or link an existing control")
    expect(field).to_have_attribute("list", "l-control-list")
    field.fill("Hold-out accuracy of another system")
    page.get_by_role("button", name="Link", exact=True).click()
    refused = _refusal(page)
    assert "no linkable control you may see is named 'Hold-out accuracy of another" in refused
    expect(page.locator("#l-control")).to_have_value("Hold-out accuracy of another system")
    assert _audit_as_shown(page, axe) == {}
    _shot(page, "risk-link-control-refused")

    picked = pick_suggestion(page, "l-control", "Hold-out", "Hold-out accuracy at least 0.65")
    assert page.locator("#l-control-list option").count() == 1  # not creditline's namesake
    page.locator("#l-control").scroll_into_view_if_needed()
    assert _audit_as_shown(page, axe) == {}
    _shot(page, "risk-link-control-picker")
    page.get_by_role("button", name="Link", exact=True).click()
    expect(page.locator(".flash").first).to_contain_text("control linked")
    expect(page.get_by_role("cell", name=picked, exact=True)).to_be_visible()
