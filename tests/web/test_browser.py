"""The web UI in a real browser: Debian's Chromium driven by Playwright against `charter serve`
on the demo data. Screenshots of each main page go to test-artifacts/screenshots/."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
UNDER_CI = os.environ.get("CI", "").lower() == "true"
AXE_VERSION = "4.14.1"  # the accessibility rules change between releases: pinned
AXE_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "charter-tests"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _unavailable(reason: str) -> None:
    if UNDER_CI:
        pytest.fail(f"browser tests need {reason} (CI=true: may not be skipped)")
    pytest.skip(f"browser tests need {reason}")


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, Any]]]:
    if not Path(CHROMIUM).exists():
        _unavailable("Debian's chromium (apt-get install chromium)")
    home = tmp_path_factory.mktemp("ui-demo")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHARTER_")}
    built = subprocess.run(
        [sys.executable, "-m", "charter", "demo", "--no-serve", "--home", str(home), "--json"],
        env=env, capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    demo = json.loads(built.stdout)
    port = _port()
    cli_env = demo["sign_in"]["cli"].split(" charter ")[0]  # the demo's database and key
    env |= dict(pair.split("=", 1) for pair in cli_env.split()) | {"CHARTER_HOME": str(home)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "charter", "serve", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield url, demo
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(served: tuple[str, dict[str, Any]]) -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield chromium
        chromium.close()


def _sign_in(page: Any, url: str, email: str, password: str) -> None:
    page.goto(f"{url}/ui/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.wait_for_url(f"{url}/ui/")


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_leader_signs_in_sees_a_blocked_gate_and_approves(served, browser) -> None:  # type: ignore[no-untyped-def]
    url, demo = served
    web = demo["sign_in"]["web"]
    people, password = web["people"], web["password"]
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    _sign_in(page, url, people["chief_ai_officer"], password)
    expect(page.get_by_role("heading", name="Where the organisation stands")).to_be_visible()
    _shot(page, "dashboard")
    page.get_by_role("link", name="Inventory").click()
    page.get_by_label("Search").fill("Credit Line")
    page.get_by_role("button", name="Filter").click()
    _shot(page, "inventory")
    page.get_by_role("link", name="Credit Line Review").click()
    expect(page.get_by_text("blocked", exact=True).first).to_be_visible()
    expect(page.get_by_text("demographic_parity_difference", exact=False).first).to_be_visible()
    assert page.locator("figure svg").count() >= 1  # the fairness chart of the latest evidence
    expect(page.get_by_text("Each group's rates by sex")).to_be_visible()  # fairness by group
    # which data and engine the evidence came from: digests cut short, whole on hover
    fingerprint = page.locator("code.fingerprint").first
    assert (fingerprint.get_attribute("title") or "").startswith("blake3:")
    assert "…" in fingerprint.inner_text() and len(fingerprint.inner_text()) < 40
    engine = page.locator("td", has=page.locator("code.fingerprint")).first
    expect(engine).to_contain_text("duckdb ")
    _shot(page, "system-blocked-gate")
    for link, name in (("People", "people"), ("Policies", "policies"), ("Audit", "audit")):
        page.get_by_role("link", name=link, exact=True).click()
        _shot(page, name)
    expect(page.get_by_text("The log verifies")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{url}/ui/login")
    expect(page.get_by_text("Signed out")).to_be_visible()

    # a data scientist sees requests on the systems they work on, but may not approve them
    _sign_in(page, url, people["data_scientist"], password)
    page.get_by_role("link", name="Approvals").click()
    card = page.locator(".card.request").first
    card.get_by_label("Reason (required)").fill("looks fine to me")
    card.get_by_role("button", name="Approve").click()
    expect(page.locator(".flash.error")).to_be_visible()
    _shot(page, "approval-refused")
    page.get_by_role("button", name="Sign out").click()

    # the chief AI officer holds the open leadership slot
    _sign_in(page, url, people["chief_ai_officer"], password)
    page.get_by_role("link", name="Approvals").click()
    _shot(page, "approvals")
    card = page.locator(".card.request", has_text="CV Screening Assistant")
    card.get_by_label("Reason (required)").fill("leadership sign-off")
    card.get_by_role("button", name="Approve").click()
    flash = page.locator(".flash")
    expect(flash).to_contain_text("approved")
    assert not page.locator(".flash.error").count()
    _shot(page, "approval-given")
    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{url}/ui/")
    assert page.url.startswith(f"{url}/ui/login")
    page.close()


def test_the_api_docs_run_under_the_csp_from_the_package(served, browser) -> None:  # type: ignore[no-untyped-def]
    """Swagger UI from Charter's own files, under the UI's Content-Security-Policy: every
    operation shows, nothing is refused, nothing is fetched from another site."""
    url, demo = served
    web = demo["sign_in"]["web"]
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(f"{url}/api/docs")
    assert page.url.startswith(f"{url}/ui/login")  # sign-in first
    _sign_in(page, url, web["people"]["data_scientist"], web["password"])
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    foreign: list[str] = []
    page.on("request", lambda r: foreign.append(r.url) if not r.url.startswith(url) else None)
    page.goto(f"{url}/api/docs")
    # Swagger UI draws only the operations in view (its list is virtualised): the first
    # ones render, and a deep link brings the document's last operation into view
    page.locator(".opblock").first.wait_for(timeout=120_000)
    paths = page.request.get(f"{url}/api/openapi.json").json()["paths"]
    assert sum(len(operations) for operations in paths.values()) > 100
    last = list(paths[list(paths)[-1]].values())[-1]
    tag, operation = last["tags"][0], last["operationId"]
    page.goto(f"{url}/api/docs#/{tag}/{operation}")
    page.reload()  # Swagger UI reads a deep link when the page loads
    page.locator(f"[id='operations-{tag}-{operation}']").wait_for(timeout=120_000)
    _shot(page, "api-docs")
    assert refused == [] and [u for u in foreign if not u.startswith("data:")] == []
    page.close()


def test_intake_prioritisation_roadmap_and_kpis_in_the_browser(served, browser) -> None:  # type: ignore[no-untyped-def]
    url, demo = served
    web = demo["sign_in"]["web"]
    people, password = web["people"], web["password"]
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    # a data scientist proposes a use case that the portfolio already holds
    _sign_in(page, url, people["data_scientist"], password)
    page.get_by_role("link", name="Portfolio").click()
    page.get_by_role("link", name="Propose a use case").click()
    page.get_by_label("Title (required)").fill("Faster consumer credit decision")
    page.get_by_label("What it does and for whom").fill(
        "Score personal loan and card applications in seconds so officers decide the same day"
    )
    page.get_by_label("Business objective (required)").select_option(
        label="Grow lending and insurance revenue"
    )
    page.get_by_label("Business unit (required)").select_option(label="Retail Banking")
    page.locator("#kind-0").select_option("revenue")
    page.locator("#amount-0").fill("1,000,000")
    page.get_by_label("Feasibility").select_option("4")
    _shot(page, "intake")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("Possible duplicate of")).to_be_visible()
    expect(page.get_by_role("link", name="Faster consumer credit decisions")).to_be_visible()
    _shot(page, "use-case-duplicate")
    page.get_by_role("button", name="Sign out").click()

    # the chief AI officer reads the portfolio and approves a submitted use case
    _sign_in(page, url, people["chief_ai_officer"], password)
    page.get_by_role("link", name="Portfolio").click()
    expect(page.get_by_role("heading", name="Use-case portfolio")).to_be_visible()
    assert page.locator("figure svg").count() >= 2  # the matrix and the balance charts
    for quadrant in ("Quick win", "Transformational project", "Strategic bet", "Candidate to drop"):
        expect(page.get_by_role("heading", name=quadrant)).to_be_visible()
    expect(page.get_by_text("missing value").first).to_be_visible()  # never scored as zero
    _shot(page, "portfolio")
    page.get_by_role("link", name="Complaint summaries for the board").first.click()
    page.get_by_label("Reason (required)").fill("Board wants monthly themes")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".flash")).to_contain_text("the use case is approved")
    page.get_by_label("First quarter").fill("2027-Q2")
    page.get_by_label("Last quarter").fill("2027-Q3")
    page.get_by_role("button", name="Save plan").click()
    assert not page.locator(".flash.error").count()
    page.get_by_role("link", name="Roadmap").click()
    expect(page.get_by_role("link", name="Complaint summaries for the board")).to_be_visible()
    expect(page.get_by_text("before its dependency").first).to_be_visible()
    assert page.locator("figure svg").count() == 1
    _shot(page, "roadmap")
    page.get_by_role("link", name="KPIs", exact=True).click()
    expect(page.get_by_text("missed its target").first).to_be_visible()
    assert page.locator("figure svg").count() >= 10  # value chart and one trend per KPI
    _shot(page, "kpis")
    page.close()


def test_a_board_meeting_talent_and_the_scorecard_in_the_browser(served, browser) -> None:  # type: ignore[no-untyped-def]
    url, demo = served
    web = demo["sign_in"]["web"]
    people, password = web["people"], web["password"]
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    # the board's chair convenes, records attendance and the board approves a transition
    _sign_in(page, url, people["governance_board_member"], password)
    page.get_by_role("link", name="Bodies").click()
    expect(page.get_by_text("not carried").first).to_be_visible()  # a year of decisions
    _shot(page, "bodies")
    page.get_by_role("link", name="AI Governance Board").click()
    expect(page.get_by_text("no quorum").first).to_be_visible()  # a meeting that could not decide
    expect(page.get_by_text("HR Attrition Prediction: proposed → assessed")).to_be_visible()
    page.get_by_label("Schedule a meeting (date and time)").fill(
        time.strftime("%Y-%m-%dT%H:%M", time.gmtime())
    )
    page.get_by_role("button", name="Schedule").click()
    for name in ("Uma Patel", "Wendy Zhou", "Maya Lindqvist", "Amara Okafor"):
        page.get_by_label(name).check()
    page.get_by_role("button", name="Record attendance").click()
    expect(page.locator(".flash")).to_contain_text("the meeting may decide")
    page.get_by_label("What it decides").select_option("transition")
    page.get_by_label("Which (for a transition, use case or risk)").fill(  # typed: a picker
        "HR Attrition Prediction: proposed → assessed (risk screening)"
    )
    page.get_by_label("Motion").select_option(label="approve (transition)")
    page.get_by_label("Title (required)").fill("Risk screening of attrition prediction")
    page.get_by_label("Reason (required)").fill("Screened as high-risk; proceed to assessment")
    for name in ("Uma Patel", "Maya Lindqvist", "Amara Okafor"):  # the votes as minuted
        page.get_by_label(name, exact=True).select_option(label="for")
    _shot(page, "meeting-vote")
    page.get_by_role("button", name="Put the motion to the vote").click()
    expect(page.locator(".flash")).to_contain_text("open until the members named cast")
    meeting = page.url
    # each member casts their own vote, signed in as themselves; the last one carries it
    for who, outcome in (("chief_ai_officer", "open"), ("board_secretary", "carried")):
        voter = browser.new_page(viewport={"width": 1280, "height": 900})
        _sign_in(voter, url, people[who], password)
        voter.goto(meeting)
        voter.get_by_role("button", name="Cast my vote").click()
        expect(voter.locator(".flash")).to_contain_text(outcome)
        assert not voter.locator(".flash.error").count()
        voter.close()
    page.goto(meeting)
    expect(page.get_by_text("made the gate approval")).to_be_visible()  # what the vote made
    page.get_by_role("link", name="Talent").click()
    expect(page.get_by_role("heading", name="AI literacy by role")).to_be_visible()
    expect(page.get_by_text("Isabel Moreno").first).to_be_visible()  # her training expired
    expect(page.get_by_text("nobody: hire, train or partner").first).to_be_visible()
    _shot(page, "talent")
    page.get_by_role("link", name="Adoption").click()
    expect(page.locator("figure svg")).to_have_count(2)
    _shot(page, "adoption")
    page.get_by_role("link", name="Scorecard").click()
    for title in ("Roles and accountability", "Cross-functional leadership bodies",
                  "Governance framework", "Talent and capabilities", "Strategy alignment",
                  "Change management and adoption", "Agile delivery",
                  "Scalable infrastructure"):  # fmt: skip
        expect(page.get_by_role("heading", name=title)).to_be_visible()
    assert page.get_by_role("heading", name="Top actions").count() >= 6
    assert page.locator("figure svg").count() == 8  # one trend per pillar
    _shot(page, "scorecard")
    page.close()


def test_an_incident_from_record_to_report_in_the_browser(served, browser) -> None:  # type: ignore[no-untyped-def]
    """The clocks on the dashboard, the system page and the inbox; an incident recorded,
    classified serious (the 2-day clock runs), a corrective action done, the initial report
    read and recorded as sent (the clock stops); the credit system's monitoring charts."""
    url, demo = served
    web = demo["sign_in"]["web"]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _sign_in(page, url, web["people"]["chief_ai_officer"], web["password"])
    clocks = page.get_by_role("region", name="Incident reporting clocks")
    expect(clocks.get_by_role("link", name="Applicants under 25 refused")).to_be_visible()
    expect(clocks).to_contain_text("left")
    expect(
        page.get_by_role("region", name="Monitoring").get_by_text("accuracy").first
    ).to_be_visible()
    page.get_by_role("link", name="Inventory").click()
    page.get_by_role("link", name="Retail Credit Scoring").first.click()
    expect(
        page.get_by_role("region", name="Incidents").get_by_text("serious").first
    ).to_be_visible()
    figures = page.get_by_role("region", name="Monitoring").locator("figure")
    captions = [c.split(" over time")[0] for c in figures.locator("figcaption").all_inner_texts()]
    assert captions == ["Performance", "Ranking", "Fairness", "Rows (count)"]  # one family each
    assert figures.locator("svg").count() == 4
    _shot(page, "system-monitoring")

    page.get_by_role("link", name="Incidents", exact=True).click()
    page.get_by_label("System").fill("Customer Service Chatbot")
    page.get_by_label("What happened, in one line").fill("Chatbot gave wrong loan advice")
    page.get_by_label("Description").fill("Customers were told they qualified for loans.")
    page.get_by_label("Who reported it").fill("Contact centre")
    aware = datetime.now(UTC) - timedelta(hours=1)
    page.get_by_label("When the organisation became aware").fill(aware.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Record").click()
    expect(page.locator(".flash")).to_contain_text("incident recorded")
    page.get_by_label("fundamental rights infringement").check()
    page.get_by_label("widespread infringement").check()
    page.get_by_label("Why (required)").fill("Many customers misled about credit")
    page.get_by_role("button", name="Classify").click()
    expect(page.locator(".flash")).to_contain_text("classified serious")
    expect(page.get_by_text("Art. 73(3)").first).to_be_visible()
    expect(page.get_by_role("row", name="Reporting deadline")).to_contain_text("left")
    page.get_by_text("Add a corrective action").click()
    page.get_by_label("Action", exact=True).fill("Withdraw the loan answers")
    page.get_by_label("Owner", exact=True).fill("Amara Okafor")  # found by typing
    page.get_by_role("button", name="Add").click()
    page.locator('[id^="outcome-"]').fill("answers withdrawn")
    page.get_by_role("button", name="Done").click()
    expect(page.get_by_text("answers withdrawn")).to_be_visible()
    _shot(page, "incident")
    page.get_by_role("link", name="initial report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Initial report of a serious incident"
    )
    page.go_back()
    page.get_by_text("Record a report sent").click()
    page.get_by_label("Sent to").fill("Market surveillance authority")
    page.get_by_label("Sent at (UTC)").fill(datetime.now(UTC).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Record").click()
    expect(page.locator(".flash")).to_contain_text(
        "initial report to Market surveillance authority"
    )
    expect(page.get_by_role("row", name="Reporting deadline")).to_contain_text("a report was sent")
    page.get_by_role("link", name="Approvals").click()
    inbox = page.get_by_role("region", name="Incident reporting clocks")
    expect(inbox.get_by_role("link", name="Chatbot gave wrong loan advice")).to_be_visible()
    page.close()


@pytest.fixture(scope="module")
def axe() -> Path:
    """axe-core (the accessibility engine) at a pinned version, installed from the npm registry
    once into a cache folder (AXE_CACHE) and reused by later runs."""
    folder = AXE_CACHE / f"axe-core-{AXE_VERSION}"
    script = folder / "node_modules" / "axe-core" / "axe.min.js"
    if script.exists():
        return script
    npm = shutil.which("npm")
    if npm is None:
        _unavailable("npm (to install axe-core)")
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [str(npm), "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(folder),
         f"axe-core@{AXE_VERSION}"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    if done.returncode != 0 or not script.exists():
        _unavailable(f"axe-core from npm ({done.stderr.strip()[:200]})")
    return script


AUDIT = """async () => (await axe.run(document, {runOnly: {type: 'tag',
  values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations.map(
  v => `${v.impact} ${v.id}: ${v.help} (${v.nodes.length}: ${v.nodes[0].target.join(' ')})`)"""


#: the words of table cells broken across lines (a word: a run without spaces, dashes,
#: slashes or opening brackets, shorter than 20 characters; longer codes may break)
BROKEN_WORDS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll('td, th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const words = /[^\\s\\-\u2013\u2014\\/(]+/g;
      for (let m = words.exec(node.textContent); m; m = words.exec(node.textContent)) {
        if (m[0].length >= 20) continue;
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0)
          .map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}"""


def _pages(page: Any, url: str) -> list[str]:
    found = ["/ui/", "/ui/systems", "/ui/approvals", "/ui/people", "/ui/governance",
             "/ui/audit", "/ui/portfolio", "/ui/roadmap", "/ui/kpis", "/ui/use-cases/new",
             "/ui/scorecard", "/ui/bodies", "/ui/talent", "/ui/adoption", "/ui/obligations",
             "/ui/packs/eu-ai-act", "/ui/account", "/ui/incidents",
             "/ui/notifications", "/ui/risks", "/ui/models", "/ui/datasets",
             "/ui/vendors"]  # fmt: skip
    links = (
        ("/ui/systems", "/ui/systems/sys_"),
        ("/ui/portfolio", "/ui/use-cases/uc_"),
        ("/ui/bodies", "/ui/bodies/bdy_"),
        ("/ui/bodies", "/ui/meetings/mtg_"),
        ("/ui/incidents", "/ui/incidents/inc_"),
        ("/ui/risks", "/ui/risks/rsk_"),
        ("/ui/models", "/ui/models/mdl_"),
        ("/ui/datasets", "/ui/datasets/ds_"),
        ("/ui/vendors", "/ui/vendors/ven_"),
        ("/ui/governance", "/ui/policies/"),
    )
    for listing, pattern in links:
        page.goto(url + listing)
        found.append(page.locator(f'a[href^="{pattern}"]').first.get_attribute("href"))
    return found


def _name(path: str) -> str:
    """A screenshot's name for a page: its path, an id replaced by what it names."""
    parts = [p for p in path.removeprefix("/ui").split("/") if p]
    kinds = {"systems": "system", "use-cases": "use-case", "bodies": "body", "meetings": "meeting",
             "models": "model", "datasets": "dataset", "vendors": "vendor",
             "policies": "policy"}  # fmt: skip
    if len(parts) == 2 and parts[0] in kinds and parts[1] != "new":
        return "page-" + kinds[parts[0]]
    return "page-" + ("-".join(parts) or "dashboard")


def _audit_and_look(page: Any, url: str, path: str, axe: Path, width: int) -> dict[str, Any]:
    page.goto(url + path)
    page.add_script_tag(path=str(axe))
    found = {
        "violations": page.evaluate(AUDIT),
        "broken": page.evaluate(BROKEN_WORDS),
        "overflow": page.evaluate("document.documentElement.scrollWidth - innerWidth"),
    }
    if width == 1440:
        _shot(page, _name(path))
    return {k: v for k, v in found.items() if v}


def _audit_as_shown(page: Any, axe: Path) -> dict[int, list[str]]:
    """axe-core's violations on the page as it stands (a form open, a refusal shown), at 1440
    and at 768 pixels wide; none: {}."""
    found = {}
    for width, height in ((1440, 900), (768, 1024)):
        page.set_viewport_size({"width": width, "height": height})
        page.add_script_tag(path=str(axe))
        found[width] = page.evaluate(AUDIT)
    page.set_viewport_size({"width": 1440, "height": 900})
    return {w: v for w, v in found.items() if v}


def test_every_page_passes_an_accessibility_audit_and_fits_a_tablet(served, browser, axe) -> None:  # type: ignore[no-untyped-def]
    """axe-core's WCAG 2.1 A and AA rules on every page (signed in as the chief AI officer
    and on the sign-in page) at 1440 and 768 pixels wide, no page wider than a tablet held
    upright, no word of a table cell broken across lines, a screenshot of each at 1440x900."""
    url, demo = served
    web = demo["sign_in"]["web"]
    context = browser.new_context(bypass_csp=True, viewport={"width": 1440, "height": 900})
    page = context.new_page()  # the CSP is bypassed only so that the audit script can run
    page.goto(f"{url}/ui/login")
    page.add_script_tag(path=str(axe))
    problems = {"/ui/login": page.evaluate(AUDIT)}
    _shot(page, "page-login")
    _sign_in(page, url, web["people"]["chief_ai_officer"], web["password"])
    pages = _pages(page, url)
    for width, height in ((1440, 900), (768, 1024)):
        page.set_viewport_size({"width": width, "height": height})
        for path in pages:
            found = _audit_and_look(page, url, path, axe, width)
            if found:
                problems[f"{path} at {width}px"] = found
    assert {p: v for p, v in problems.items() if v} == {}
    _shot(page, "tablet-meeting")  # the last page audited, at 768 pixels
    context.close()


def test_the_broken_word_check_sees_a_word_broken_in_a_cell(served, browser) -> None:  # type: ignore[no-untyped-def]
    """The check above can fail: with the old rule (break anywhere) in a narrow column, it
    finds the words it breaks."""
    url, demo = served
    web = demo["sign_in"]["web"]
    context = browser.new_context(bypass_csp=True, viewport={"width": 1440, "height": 900})
    page = context.new_page()
    _sign_in(page, url, web["people"]["chief_ai_officer"], web["password"])
    page.goto(f"{url}/ui/systems")
    assert page.evaluate(BROKEN_WORDS) == []
    page.add_style_tag(
        content="table { table-layout: fixed; width: 16rem !important; } "
        "td, th { overflow-wrap: anywhere; }"
    )
    assert len(page.evaluate(BROKEN_WORDS)) > 3
    context.close()


def test_htmx_updates_the_inventory_and_the_ranking_in_place(served, browser) -> None:  # type: ignore[no-untyped-def]
    """With JavaScript, filtering the inventory and changing weights update the page in
    place (htmx, served by Charter, under the strict CSP); without it the forms submit."""
    url, demo = served
    web = demo["sign_in"]["web"]
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _sign_in(page, url, web["people"]["chief_ai_officer"], web["password"])
    page.goto(f"{url}/ui/systems")
    page.evaluate("window.__stayed = true")  # gone if the page were loaded again
    page.get_by_label("Search").press_sequentially("fraud", delay=30)
    page.wait_for_url(f"{url}/ui/systems?q=fraud*")
    results = page.locator("#results")
    results.get_by_role("link", name="Card Fraud Detection").wait_for()
    assert results.get_by_role("link", name="Retail Credit Scoring").count() == 0
    assert page.evaluate("window.__stayed === true")
    page.goto(f"{url}/ui/portfolio")
    page.get_by_text("Rank with other weights (what if)").click()
    page.evaluate("window.__stayed = true")
    page.get_by_role("spinbutton", name="Feasibility", exact=True).fill("5")
    page.get_by_text("Ranked with changed weights").wait_for()
    assert page.evaluate("window.__stayed === true") and "w_feasibility=5" in page.url
    assert errors == []  # nothing refused by the Content-Security-Policy
    page.close()


def _refusal(page: Any) -> str:
    flash = page.locator(".flash.error")
    flash.wait_for()
    return str(flash.inner_text())


def test_governance_tasks_as_forms_for_those_who_may_and_not_for_others(served, browser) -> None:  # type: ignore[no-untyped-def]
    """Register and edit a system, request a transition, attach and approve a document,
    record a KPI measurement, disable and enable a policy: each as a role that may, and as
    one that may not, whose refusal names the role it needs and who holds it."""
    url, demo = served
    web = demo["sign_in"]["web"]
    people, password = web["people"], web["password"]
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    # a board member may not register a system; the refusal says who may
    _sign_in(page, url, people["governance_board_member"], password)
    page.goto(f"{url}/ui/systems/new")
    page.get_by_label("Name (required)").fill("Complaint Routing Assistant")
    page.get_by_label("Purpose (required)").fill("Routes customer complaints to the right team")
    page.get_by_label("Business unit (required)").select_option(label="Retail Banking")
    page.get_by_role("button", name="Register").click()
    refused = _refusal(page)
    assert "needs the role" in refused and "Amara Okafor" in refused, refused
    assert page.get_by_label("Name (required)").input_value() == "Complaint Routing Assistant"
    page.get_by_role("button", name="Sign out").click()

    # the chief AI officer registers it, edits it and requests its first transition
    _sign_in(page, url, people["chief_ai_officer"], password)
    page.get_by_role("link", name="Inventory").click()
    page.get_by_role("link", name="Register an AI system").click()
    page.get_by_label("Name (required)").fill("Complaint Routing Assistant")
    page.get_by_label("Purpose (required)").fill("Routes customer complaints to the right team")
    page.get_by_label("Business unit (required)").select_option(label="Retail Banking")
    page.get_by_label("Tags (comma-separated)").fill("complaints, nlp")
    page.get_by_role("button", name="Register").click()
    expect(page.locator(".flash")).to_contain_text("Complaint Routing Assistant is registered")
    system_url = page.url
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Intended use").fill("Triage only; a person answers every complaint")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".flash")).to_contain_text("changes saved")
    _shot(page, "form-system-registered")
    page.get_by_role("button", name="Sign out").click()

    # a data scientist of the unit may not request the risk screening
    _sign_in(page, url, people["data_scientist"], password)
    page.goto(system_url)
    page.get_by_text("Request a transition").click()
    page.get_by_label("Move to").select_option(label="assessed")
    page.locator("#t-reason").fill("ready for screening")
    page.get_by_role("button", name="Request").click()
    refused = _refusal(page)
    assert "needs the role" in refused and "Amara Okafor" in refused, refused
    page.get_by_role("button", name="Sign out").click()

    _sign_in(page, url, people["chief_ai_officer"], password)
    page.goto(system_url)
    page.get_by_text("Request a transition").click()
    page.get_by_label("Move to").select_option(label="assessed")
    page.locator("#t-reason").fill("ready for screening")
    page.get_by_role("button", name="Request").click()
    expect(page.locator(".flash")).to_contain_text("requested assessed")
    # a DPIA attached by the chief AI officer, who may not approve it as ethics officer
    page.get_by_text("Attach a document").click()
    page.get_by_label("Kind").select_option(label="DPIA")
    page.get_by_label("Title (required)").fill("DPIA of complaint routing")
    page.get_by_label("Where it is kept (link or reference, required)").fill("dms://dpia/42")
    page.get_by_role("button", name="Attach").click()
    expect(page.locator(".flash")).to_contain_text("awaits approval")
    page.locator("#documents").get_by_role("button", name="Approve").click()
    refused = _refusal(page)
    assert "ethics and compliance officer" in refused and "Liam O'Connor" in refused, refused
    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, url, people["ethics_compliance_officer"], password)
    page.goto(system_url)
    page.locator("#documents").get_by_role("button", name="Approve").click()
    expect(page.locator(".flash")).to_contain_text("approved as ethics and compliance officer")
    _shot(page, "form-document-approved")
    page.get_by_role("button", name="Sign out").click()

    # a KPI measurement: refused to a board member, recorded by the chief AI officer
    for who, may in (("governance_board_member", False), ("chief_ai_officer", True)):
        _sign_in(page, url, people[who], password)
        page.get_by_role("link", name="KPIs", exact=True).click()
        card = page.locator(".card[id^=kpi-]").first
        card.get_by_text("Record a measurement").click()
        card.locator("input[name=value]").fill("42")
        card.get_by_role("button", name="Record").click()
        if may:
            expect(page.locator(".flash")).to_contain_text("recorded: 42")
        else:
            assert "Amara Okafor" in _refusal(page)
        page.get_by_role("button", name="Sign out").click()

    # a policy: refused to a data scientist; disabled and enabled again by the officer
    _sign_in(page, url, people["data_scientist"], password)
    page.get_by_role("link", name="Policies").click()
    page.locator("form[action$='/enabled'] button").first.click()
    refused = _refusal(page)
    assert "needs the role" in refused and "Liam O'Connor" in refused, refused
    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, url, people["ethics_compliance_officer"], password)
    page.get_by_role("link", name="Policies").click()
    first = page.locator("form[action$='/enabled']").first
    policy = first.get_attribute("action").split("/")[-2]
    first.get_by_role("button").click()
    expect(page.locator(".flash")).to_contain_text(f"policy {policy} is no longer in force")
    page.locator(f"form[action='/ui/policies/{policy}/enabled'] button").click()
    expect(page.locator(".flash")).to_contain_text(f"policy {policy} is in force")
    _shot(page, "form-policy")
    page.get_by_role("button", name="Sign out").click()

    # roles: refused to a data scientist, granted and revoked by the chief AI officer
    for who, may in (("data_scientist", False), ("chief_ai_officer", True)):
        _sign_in(page, url, people[who], password)
        page.get_by_role("link", name="People", exact=True).click()
        page.get_by_label("Person").fill("Farid Haddad")
        page.get_by_label("Role").select_option(label="AI champion")
        page.get_by_label("Where").select_option(label="Retail Banking")
        page.get_by_role("button", name="Grant").click()
        if not may:
            assert "Amara Okafor" in _refusal(page)
            page.get_by_role("button", name="Sign out").click()
    expect(page.locator(".flash")).to_contain_text("AI champion granted")
    page.get_by_role("button", name="Revoke AI champion from Farid Haddad").click()
    expect(page.locator(".flash")).to_contain_text("role revoked")
    assert page.get_by_role("button", name="Revoke AI champion from Farid Haddad").count() == 0
    page.close()


def test_annex_iv_from_draft_to_final_in_the_browser(served, browser, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Generate the Annex IV draft from the system page, complete the missing sections,
    issue it as final and download it: its SHA-256 is the one recorded."""
    import hashlib

    url, demo = served
    web = demo["sign_in"]["web"]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _sign_in(page, url, web["people"]["chief_ai_officer"], web["password"])
    page.get_by_role("link", name="Inventory").click()
    page.get_by_role("link", name="Retail Credit Scoring").click()
    page.get_by_role("link", name="Documents generated from records").click()
    page.get_by_role("link", name="Technical documentation (EU AI Act Annex IV)").click()
    expect(page.get_by_role("heading", name="Missing", exact=False)).to_be_visible()
    page.get_by_role("button", name="Issue as final").click()  # refused: items are missing
    refused = page.get_by_role("status").filter(has_text="cannot be final")
    expect(refused).to_contain_text("mandated item(s) empty")
    with page.expect_download() as drafted:
        page.get_by_role("link", name="Download the draft PDF").click()
    assert drafted.value.suggested_filename.endswith("-draft.pdf")
    for area in page.locator("textarea").all():
        if not area.input_value():
            area.fill(f"Written for {area.get_attribute('name')} by the governance lead.")
    page.get_by_role("button", name="Save sections").click()
    expect(page.get_by_text("section(s) saved", exact=False)).to_be_visible()
    assert page.get_by_role("heading", name="Missing", exact=False).count() == 0
    _shot(page, "annex-iv-complete")
    page.get_by_role("button", name="Issue as final").click()
    expect(page.locator(".flash")).to_contain_text("PDF SHA-256")
    note = page.locator(".flash").inner_text()
    recorded = note.rsplit(" ", 1)[-1]
    with page.expect_download() as final:
        page.locator("a[href^='/ui/issued/']").first.click()
    saved = tmp_path / "final.pdf"
    final.value.save_as(saved)
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == recorded
    page.get_by_role("link", name="Inventory").click()
    page.get_by_role("link", name="Retail Credit Scoring").click()
    # listed on the system page (its documents, its final documents), its link the PDF issued
    links = page.locator(f"a[href='{final.value.url.removeprefix(url)}']").all()
    assert links and all(link.is_visible() for link in links)
