"""Three governance tasks in a real browser (Debian's Chromium driven by Playwright) against
`charter serve` on the demo, each refused to a role that may not (the refusal naming the
right and who holds it) and done by one that may, axe-core clean at 1440 and 768 px, a
screenshot of each at 1440x900: the RACI edited cell by cell on the system page (with htmx
and without JavaScript), a document replaced by a new version, a policy file checked from an
upload and added."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.governance.test_policies_ui import BAD, GOOD
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
    when_htmx_has,
)

pytestmark = BROWSING
__all__ = ["axe", "browser", "demo_page", "served"]  # the fixtures this module uses
SYSTEM = "Retail Credit Scoring"


def _system_page(page: Any, url: str) -> None:
    page.goto(f"{url}/ui/systems?q=Retail+Credit")
    page.get_by_role("link", name=SYSTEM).click()


def _row_findings(page: Any) -> str:
    return str(page.locator("#raci-retirement td.findings").inner_text())


def _set_cell(page: Any, column: int, letter: str) -> str:
    """Change one cell of the retirement row; with htmx the section is redrawn in place:
    the note it shows, once there."""
    chosen = page.locator("#raci-retirement select").nth(column)
    when_htmx_has(chosen.locator("xpath=.."))  # its form posts the change
    chosen.select_option(letter)
    flash = page.locator("#raci .flash")
    flash.wait_for()
    said = str(flash.inner_text())
    page.evaluate("document.querySelector('#raci .flash').remove()")  # the next one is new
    return said


def test_the_raci_is_edited_in_place_cell_by_cell(demo_page: DemoPage, browser, axe) -> None:  # type: ignore[no-untyped-def]
    url, people, password, page = demo_page
    _sign_in(page, url, people["data_scientist"], password)
    _system_page(page, url)
    refused = _set_cell(page, 0, "A")
    assert "may not raci write" in refused and "Amara Okafor" in refused, refused
    assert _audit_as_shown(page, axe) == {}
    page.get_by_role("button", name="Sign out").click()

    _sign_in(page, url, people["chief_ai_officer"], password)
    _system_page(page, url)
    page.evaluate("window.__stayed = true")  # gone if the page were loaded again
    selects = page.locator("#raci-retirement select")
    assert selects.count() >= 2
    before = [selects.nth(i).input_value() for i in (0, 1)]
    findings = _row_findings(page)
    for column in (0, 1):
        assert "is Accountable (A)" in _set_cell(page, column, "A")
    assert "several accountable" in _row_findings(page)  # redrawn beside its row
    assert page.evaluate("window.__stayed === true")
    assert _audit_as_shown(page, axe) == {}
    page.locator("#raci").scroll_into_view_if_needed()
    _shot(page, "raci-matrix")
    for column in (0, 1):
        _set_cell(page, column, before[column])
    assert _row_findings(page) == findings
    page.context.close()

    # without JavaScript: each cell has its own Save button; the page comes back with a note
    plain = browser.new_context(java_script_enabled=False, viewport={"width": 1440, "height": 900})
    page = plain.new_page()
    _sign_in(page, url, people["chief_ai_officer"], password)
    _system_page(page, url)
    cell = page.locator("#raci-retirement td").nth(0)
    cell.locator("select").select_option("C")
    cell.get_by_role("button", name="Save").click()
    expect(page.locator(".flash").first).to_contain_text("is Consulted (C)")
    assert page.locator("#raci-retirement select").nth(0).input_value() == "C"
    page.locator("#raci-retirement td").nth(0).locator("select").select_option(before[0])
    page.locator("#raci-retirement td").nth(0).get_by_role("button", name="Save").click()
    assert page.locator("#raci-retirement select").nth(0).input_value() == before[0]
    plain.close()


def test_a_document_is_replaced_by_a_new_version(demo_page: DemoPage, axe) -> None:  # type: ignore[no-untyped-def]
    url, people, password, page = demo_page
    _sign_in(page, url, people["chief_ai_officer"], password)
    _system_page(page, url)
    page.get_by_text("Attach a document").click()
    page.get_by_label("Kind").select_option(label="DPIA")
    page.get_by_label("Title (required)").fill("DPIA of credit scoring 2026")
    page.get_by_label("Where it is kept (link or reference, required)").fill("dms://dpia/7")
    page.get_by_role("button", name="Attach", exact=True).click()
    expect(page.locator(".flash")).to_contain_text("awaits approval")
    system_url = page.url.split("#")[0]
    page.get_by_role("button", name="Sign out").click()

    def replace(who: str, title: str) -> None:
        _sign_in(page, url, people[who], password)
        page.goto(system_url)
        row = page.locator("#documents tr", has_text="DPIA of credit scoring 2026").first
        row.get_by_text("Replace with a new version").click()
        row.get_by_label("Title of the new version (required)").fill(title)
        row.get_by_label("Where it is kept (required)").fill("dms://dpia/8")
        row.get_by_role("button", name="Attach the new version").click()

    replace("governance_board_member", "DPIA of credit scoring 2026, revised")
    refused = _refusal(page)
    assert "needs the role" in refused and "Amara Okafor" in refused, refused
    assert _audit_as_shown(page, axe) == {}
    page.get_by_role("button", name="Sign out").click()
    replace("chief_ai_officer", "DPIA of credit scoring 2026, revised")
    expect(page.locator(".flash")).to_contain_text("it replaces the earlier version")
    old = page.locator("#documents tr", has_text="dms://dpia/7")
    expect(old).to_contain_text("superseded by “DPIA of credit scoring 2026, revised”")
    new = page.locator("#documents tr", has_text="dms://dpia/8")
    expect(new).to_contain_text("current")
    expect(new).to_contain_text("replaces “DPIA of credit scoring 2026”")
    assert _audit_as_shown(page, axe) == {}
    page.locator("#documents").scroll_into_view_if_needed()
    _shot(page, "document-superseded")


def _upload(page: Any, name: str, text: str) -> None:
    page.get_by_role("link", name="Policies", exact=True).click()
    page.get_by_text("Check a policy file").click()
    page.get_by_label("Policy file", exact=False).set_input_files(
        {"name": name, "mimeType": "text/yaml", "buffer": text.encode()}
    )
    page.get_by_role("button", name="Check the file").click()


def test_a_policy_file_is_checked_and_added_and_each_policy_shows_what_it_blocks(
    demo_page: DemoPage, axe
) -> None:  # type: ignore[no-untyped-def]
    url, people, password, page = demo_page
    _sign_in(page, url, people["data_scientist"], password)
    page.get_by_role("link", name="Policies", exact=True).click()
    blocked = page.locator("a[href$='#blocked']").first
    policy = blocked.get_attribute("href").split("/")[-1].split("#")[0]
    count = int(blocked.inner_text())
    blocked.click()
    expect(page.get_by_role("heading", name=f"Systems it blocks now ({count})")).to_be_visible()
    expect(page.locator("pre")).to_contain_text(f"id: {policy}")  # its YAML
    assert _audit_as_shown(page, axe) == {}
    _shot(page, "policy")
    _upload(page, "two.yaml", BAD)
    problems = page.locator("table").inner_text()
    assert "two.yaml #1 line 5, applies/transitions/0/to" in problems
    assert "two.yaml #1 line 7, requirements/0" in problems
    assert _audit_as_shown(page, axe) == {}
    _shot(page, "policy-check-problems")
    _upload(page, "dpia.yaml", GOOD)
    page.get_by_role("button", name="Add this policy").click()
    refused = _refusal(page)
    assert "needs the role" in refused and "Liam O'Connor" in refused, refused
    expect(page.get_by_role("cell", name="dpia-first")).to_be_visible()  # the check stays shown
    assert _audit_as_shown(page, axe) == {}
    page.get_by_role("button", name="Sign out").click()

    _sign_in(page, url, people["ethics_compliance_officer"], password)
    _upload(page, "dpia.yaml", GOOD)
    _shot(page, "policy-check-passed")
    page.get_by_role("button", name="Add this policy").click()
    expect(page.locator(".flash")).to_contain_text(
        "1 policy from dpia.yaml stored, in force: dpia-first"
    )
    page.get_by_role("link", name="dpia-first", exact=True).click()
    expect(page.get_by_text("in force", exact=True)).to_be_visible()
    page.get_by_role("button", name="Disable this policy").click()
    expect(page.locator(".flash")).to_contain_text("policy dpia-first is no longer in force")
