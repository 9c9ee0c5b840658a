"""Single sign-on in a real browser: Chromium goes from Charter's sign-in page to an identity
provider on another site and back, as a person would, under the browser's own cookie rules
(SameSite among them), which an HTTP client does not apply."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from charter.bootstrap import context_for
from charter.identity.oidc import Provider
from charter.identity.ui_oidc import REFUSED
from charter.kernel.roles import RoleKind as R
from charter.kernel.store.engine import make_engine
from charter.kernel.store.migrate import upgrade
from charter.web.app import create_app
from tests.factory import make_world
from tests.identity.fake_idp import CLIENT_ID, CLIENT_SECRET, Knobs, serve_app, serve_idp
from tests.web.test_browser import ARGS, CHROMIUM, _unavailable

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def charter_and_idp(tmp_path: Path) -> Iterator[tuple[str, Any, str]]:
    """Charter at http://localhost:PORT, the provider at http://127.0.0.1:OTHER: two sites."""
    if not Path(CHROMIUM).exists():
        _unavailable("Debian's chromium (apt-get install chromium)")
    engine = make_engine(f"sqlite:///{tmp_path}/charter.db")
    upgrade(engine)
    world = make_world(context_for(engine))
    person = world.people[R.CHIEF_AI_OFFICER]
    with serve_idp() as idp:
        idp.knobs = Knobs(email=person.email)
        provider = Provider(idp.issuer, CLIENT_ID, CLIENT_SECRET)
        app = create_app(world.ctx, oidc=provider)
        with serve_app(app) as port:
            provider.redirect_uri = f"http://localhost:{port}/ui/oidc/callback"  # its public URL
            yield f"http://localhost:{port}", idp, person.name
    engine.dispose()


def test_single_sign_on_in_a_browser_arrives_signed_in(charter_and_idp) -> None:  # type: ignore[no-untyped-def]
    url, idp, name = charter_and_idp
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = chromium.new_page()
        page.goto(f"{url}/ui/login")
        page.get_by_role("link", name="Sign in with single sign-on").click()
        page.wait_for_url(f"{url}/ui/", timeout=10_000)
        assert name in page.inner_text("body")
        idp.knobs = Knobs(email="nobody@example.org")  # and a refusal says so, on the page
        page.context.clear_cookies()
        page.goto(f"{url}/ui/login")
        page.get_by_role("link", name="Sign in with single sign-on").click()
        page.wait_for_url(f"{url}/ui/login*", timeout=10_000)
        assert REFUSED in page.inner_text("body")
        chromium.close()
