"""Models and their versions, datasets and vendors registered and edited in a real browser
(Debian's Chromium driven by Playwright) against `charter serve` on the demo: refused to a
board member (the refusal naming the role and who holds it, nothing typed lost), done by the
chief AI officer; the pages, refusals shown, pass axe-core's WCAG 2.1 AA rules at 1440 and
768 pixels."""

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
    type_to_pick,
)

pytestmark = BROWSING
__all__ = ["axe", "browser", "demo_page", "served"]  # the fixtures this module uses


def _sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()


def test_vendor_dataset_model_and_version_by_those_who_may(demo_page: DemoPage, axe) -> None:  # type: ignore[no-untyped-def]
    url, people, password, page = demo_page
    # a board member may not register a vendor: told who may, the form kept as typed
    _sign_in(page, url, people["governance_board_member"], password)
    page.get_by_role("link", name="Models and data").click()
    page.get_by_role("link", name="Vendors", exact=True).click()
    page.get_by_text("Register a vendor").click()
    page.get_by_label("Name (required)").fill("Acme Speech")
    page.get_by_role("button", name="Register the vendor").click()
    refused = _refusal(page)
    assert "needs the role" in refused and "Amara Okafor" in refused, refused
    assert page.get_by_label("Name (required)").input_value() == "Acme Speech"
    assert _audit_as_shown(page, axe) == {}
    _shot(page, "form-vendor-refused")
    _sign_out(page)

    _sign_in(page, url, people["chief_ai_officer"], password)
    page.goto(f"{url}/ui/vendors")
    page.get_by_text("Register a vendor").click()
    page.get_by_label("Name (required)").fill("Acme Speech")
    page.get_by_label("Website").fill("https://acme.example")
    page.get_by_role("button", name="Register the vendor").click()
    expect(page.locator(".flash")).to_contain_text("Acme Speech is registered")
    page.get_by_label("Contact (who to call about it)").fill("ml-team@acme.example")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".flash")).to_contain_text("changes saved")

    page.get_by_role("link", name="Datasets", exact=True).click()
    page.get_by_text("Register a dataset").click()
    page.get_by_label("Name (required)").fill("Complaint letters 2025")
    page.get_by_label("Owner (e-mail or name; empty: nobody yet)").fill("Amara Okafor")
    page.get_by_label("Contains personal data").check()
    page.get_by_role("button", name="Register the dataset").click()
    expect(page.locator(".flash")).to_contain_text("Complaint letters 2025 is registered")

    page.get_by_role("link", name="Models", exact=True).click()
    page.get_by_text("Register a model").click()
    page.get_by_label("Name (required)").fill("complaint-router")
    # the system and the vendor are found by typing: the suggestions follow (htmx); a name
    # that is not one is refused with the closest, the form kept as typed
    type_to_pick(page.get_by_label("AI system it serves"), "Credit Li")
    expect(page.locator("#new-system_id-list option[value='Credit Line Review']")).to_have_count(1)
    page.get_by_label("Vendor").fill("Acme")
    page.get_by_role("button", name="Register the model").click()
    refused = _refusal(page)
    assert "no system you may see is named 'Credit Li'; the closest: Credit Line Review" in refused
    assert "no vendor you may see is named 'Acme'; the closest: Acme Speech" in refused
    assert page.get_by_label("Name (required)").input_value() == "complaint-router"
    page.get_by_label("AI system it serves").fill("Credit Line Review")
    page.get_by_label("Vendor").fill("Acme Speech")
    page.get_by_role("button", name="Register the model").click()
    expect(page.locator(".flash")).to_contain_text("complaint-router is registered")
    # the edit form carries the id of the system it shows: saved unchanged, it stays that one
    shown = re.compile(r"^Credit Line Review \(sys_[^()]+\)$")
    expect(page.get_by_label("AI system it serves")).to_have_value(shown)
    page.get_by_label("Version (required)").fill("2.1.0")
    page.get_by_label("Where the artifact is kept (URI) (required)").fill("s3://m/router/2.1.0")
    type_to_pick(page.get_by_label("Trained on"), "complaint")
    expect(page.locator("#v-training_dataset_id-list option")).to_have_count(1)
    page.get_by_label("Trained on").fill("Complaint letters 2025")
    page.get_by_role("button", name="Add the version").click()
    expect(page.locator(".flash")).to_contain_text("version 2.1.0 added")
    versions = page.locator("#versions + table")
    expect(versions).to_contain_text("Complaint letters 2025")
    assert _audit_as_shown(page, axe) == {}
    _shot(page, "form-model-version")
    model_url = page.url.split("#")[0]
    _sign_out(page)

    # a board member may not add a version either
    _sign_in(page, url, people["governance_board_member"], password)
    page.goto(model_url)
    page.get_by_text("Add a version").click()
    page.get_by_label("Version (required)").fill("2.2.0")
    page.get_by_label("Where the artifact is kept (URI) (required)").fill("s3://m/router/2.2.0")
    page.get_by_role("button", name="Add the version").click()
    refused = _refusal(page)
    assert "needs the role" in refused and "Amara Okafor" in refused, refused
    assert "2.2.0" not in page.locator("#versions + table").inner_text()
