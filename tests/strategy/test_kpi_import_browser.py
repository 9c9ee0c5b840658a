"""KPI measurements from a CSV file in a real browser (Debian's Chromium driven by Playwright)
against `charter serve` on the demo: refused at the preview to a board member (the refusal
naming the role and who holds it, the rows shown, nothing to confirm), previewed and recorded
by the chief AI officer, the KPI page then saying who entered the figure and how; axe-core
clean at 1440 and 768 px on the preview and on the KPI page's provenance."""

from __future__ import annotations

from pathlib import Path
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


def _preview(page: Any, url: str, csv_file: Path) -> None:
    page.goto(f"{url}/ui/kpis")
    page.get_by_label("CSV file", exact=False).set_input_files(str(csv_file))
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("heading", name="Measurements from a CSV file").wait_for()


def test_a_kpi_csv_previewed_and_recorded_by_those_who_may(
    demo_page: DemoPage, axe, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    url, people, password, page = demo_page
    _sign_in(page, url, people["governance_board_member"], password)
    page.goto(f"{url}/ui/kpis")
    card = page.locator(".card[id^=kpi-]").first
    kpi_id = str(card.get_attribute("id")).removeprefix("kpi-")
    name = card.locator("strong").first.inner_text()
    month = card.locator("input[name=period]").input_value()
    csv_file = tmp_path / "measurements.csv"
    csv_file.write_text(f"kpi_id,period,value,note\n{kpi_id},{month},4242,from the BI export\n")
    _preview(page, url, csv_file)
    table = page.locator("main table")
    expect(table).to_contain_text(name)
    expect(table).to_contain_text("4242")
    refused = _refusal(page)
    assert "needs the role" in refused and "Amara Okafor" in refused, refused
    expect(page.get_by_role("button", name="Record 1 measurement")).to_have_count(0)
    page.get_by_role("button", name="Sign out").click()

    _sign_in(page, url, people["chief_ai_officer"], password)
    _preview(page, url, csv_file)
    expect(page.locator("main table")).to_contain_text("4242")
    assert _audit_as_shown(page, axe) == {}
    _shot(page, "form-kpi-csv-preview")
    page.get_by_role("button", name="Record 1 measurement").click()
    expect(page.locator(".flash")).to_contain_text("1 measurement recorded")
    card = page.locator(f"#kpi-{kpi_id}")
    card.get_by_text("Who entered the measurements, and how").click()
    entered = card.locator("tbody tr").first
    expect(entered).to_contain_text("4242")
    expect(entered).to_contain_text("Amara Okafor")
    expect(entered).to_contain_text("a CSV file on the web page")
    assert _audit_as_shown(page, axe) == {}
    _shot(page, "kpi-measurements-provenance")
    page.goto(f"{url}/ui/kpis")
    _preview(page, url, csv_file)  # the same file again: nothing would change
    expect(page.locator("main table")).to_contain_text("unchanged")
