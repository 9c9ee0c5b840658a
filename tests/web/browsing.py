"""What the capabilities' browser tests share: the served demo, Chromium and axe-core (the
fixtures of tests/web/test_browser.py), and `demo_page`, a page of a fresh browser context on
the served demo at 1440x900 with the people who may sign in to it.

A browser test module imports what it uses from here, the fixtures included:

    from tests.web.browsing import BROWSING, DemoPage, axe, browser, demo_page, served

    pytestmark = BROWSING
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, NamedTuple

import pytest
from playwright.sync_api import expect

from tests.web.test_browser import (
    _audit_as_shown,
    _refusal,
    _shot,
    _sign_in,
    axe,
    browser,
    served,
)

#: the markers of every browser test: Chromium, and the served demo (slow)
BROWSING = [pytest.mark.browser, pytest.mark.slow]

__all__ = [
    "BROWSING",
    "DemoPage",
    "_audit_as_shown",
    "_refusal",
    "_shot",
    "_sign_in",
    "axe",
    "browser",
    "demo_page",
    "pick_suggestion",
    "served",
    "type_to_pick",
]


class DemoPage(NamedTuple):
    url: str  # the served demo's address
    people: dict[str, str]  # role -> the e-mail of a person holding it
    password: str  # theirs, all the same on the demo
    page: Any  # a Playwright page of a context of its own


@pytest.fixture
def demo_page(served: tuple[str, dict[str, Any]], browser: Any) -> Iterator[DemoPage]:
    """A page of a fresh context at 1440x900, closed after the test. The context bypasses the
    page's CSP only so that the accessibility audit's script can run."""
    url, demo = served
    web = demo["sign_in"]["web"]
    context = browser.new_context(bypass_csp=True, viewport={"width": 1440, "height": 900})
    try:
        yield DemoPage(url, web["people"], web["password"], context.new_page())
    finally:
        context.close()


def when_htmx_has(element: Any) -> None:
    """Wait until htmx has taken `element` over: an event before its deferred script
    processed the page (a key typed, a choice made) fires no request."""
    taken = "e => e['htmx-internal-data'] !== undefined"
    element.page.wait_for_function(taken, arg=element.element_handle())


def type_to_pick(field: Any, text: str) -> None:
    """Type into a picker field key by key once htmx has taken the field over."""
    when_htmx_has(field)
    field.press_sequentially(text)


def pick_suggestion(page: Any, field: str, typed: str, shown: str) -> str:
    """Type into a picker until a suggestion shows that starts as `shown`, and take it."""
    box = page.locator(f"#{field}")
    box.fill("")
    type_to_pick(box, typed)
    first = page.locator(f"#{field}-list option").first
    expect(first).to_have_attribute("value", re.compile(f"^{re.escape(shown)}"))
    label = str(first.get_attribute("value"))
    box.fill(label)
    return label
